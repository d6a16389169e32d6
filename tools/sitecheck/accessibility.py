"""The accessibility checks of a page: axe-core, alt text, a phone's width, the keyboard."""

from __future__ import annotations

import re

from .browser import MATHJAX_TIMEOUT_MS, TIMEOUT_MS, VIEWPORT, _PageWatch
from .expected import DEFAULT_DPI, SOLUTION, Site, png_dpi
from .pages import _url_to_file
from .results import AxeCount, Check, _verdict
from .scripts import script

# Labels of a figure narrower than this (CSS px, at 375 px) are unreadable on a phone: 8 CSS px
# is 6 pt, the least that journals allow for text in a printed figure (5-7 pt).
LABEL_MIN_PX = 8.0


# Where axe looks and what it counts: WCAG 2.1 A and AA rules, plus axe's best practices and
# experimental rules (label-content-name-mismatch, WCAG 2.5.3, is one); "critical" and
# "serious" ones inside the article fail.
A11Y_VIEWS = (("light", 1280), ("dark", 1280), ("light", 375), ("dark", 375))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
AXE_FAILING = {"critical", "serious"}
ARTICLE = "article.bd-article"
MOBILE_HEIGHT = 800
MAX_TAB_STOPS = 600
# An alt text that is a file name or path (``../../_images/578d...png``), not a description.
FILE_NAME_ALT = re.compile(r"^\S*(?:/|\.(?:png|jpe?g|gif|svg|webp)$)\S*$|^[0-9a-f]{16,}$", re.I)


def _axe_script() -> str:
    """axe-core's script as shipped by ``axe-playwright-python`` (nothing is downloaded)."""
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def _new_context(browser, mode: str, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORT["height"] if width > 600 else MOBILE_HEIGHT},
        color_scheme=mode,
        service_workers="block",
    )
    # The theme reads the reader's choice from localStorage before it paints.
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');")
    return context


def _open(browser, base: str, page_name: str, mode: str, width: int, watch: _PageWatch):
    context = _new_context(browser, mode, width)
    context.route("**/*", watch.route)  # offline, like every other load of the check
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + page_name, wait_until="load")
    page.evaluate(script("settle"), MATHJAX_TIMEOUT_MS)
    return context, page


def axe_view(page) -> list[dict]:
    """Run axe-core on the open page; each violation's nodes say whether they are content."""
    if not page.evaluate(script("axe_loaded")):
        page.evaluate(_axe_script())
    return page.evaluate(script("axe_run"), [AXE_OPTIONS, ARTICLE])


def count_axe(view: str, violations: list[dict]) -> AxeCount:
    count = AxeCount(view)
    for v in violations:
        for where in ("content", "theme"):
            nodes = [n for n in v["nodes"] if n["content"] == (where == "content")]
            if not nodes:
                continue
            if v["impact"] not in AXE_FAILING:
                count.minor_nodes += len(nodes)
                continue
            getattr(count, where).append(f"{v['id']} ({v['impact']}) x{len(nodes)}")
            setattr(count, f"{where}_nodes", getattr(count, f"{where}_nodes") + len(nodes))
    return count


def _check_alt(images: list[dict]) -> Check:
    bad = []
    for img in images:
        alt = (img["alt"] or "").strip()
        if not alt:
            bad.append(f"no alt text: {img['src'][:50]}")
        elif FILE_NAME_ALT.search(alt):
            bad.append(f"alt text is a file name: {alt[:50]!r}")
    if bad:
        return Check("alt", False, f"{len(bad)} of {len(images)} image(s): " + "; ".join(bad[:3]))
    return Check("alt", True, f"{len(images)} image(s) in the article, each with alt text")


def _check_mobile(mobile: dict) -> Check:
    problems = []
    if mobile["overflow"] > 1:
        problems.append(f"page scrolls sideways by {mobile['overflow']} px at 375 px")
    if mobile["clipped"]:
        problems.append(
            f"{len(mobile['clipped'])} clipped element(s) at 375 px: "
            + "; ".join(mobile["clipped"][:3])
        )
    return _verdict("mobile", problems, "no horizontal overflow or clipped content at 375 px")


def _tab_stops(page, mark: str) -> list[dict]:
    """Every Tab stop of the page, in Tab order, each marked with ``mark`` for finding it again."""
    stops: list[dict] = []
    seen: set[str] = set()
    page.evaluate(script("blur"))
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(script("focus"), [ARTICLE, mark])
        if stop is None:
            continue
        if stop["tag"] == "iframe" and not stop["visible"]:
            # The page marks a frame's box from its window's blur event, a moment later.
            page.wait_for_timeout(100)
            stop = page.evaluate(script("focus"), [ARTICLE, mark])
        if stop["id"] in seen:
            break  # back at the start: every stop visited
        seen.add(stop["id"])
        stops.append(stop)
    return stops


def _enter_opens_toggles(page, mark: str, reached: list[dict]) -> list[str]:
    """Press Enter on each solution toggle reached by Tab: its code must show."""
    problems = []
    for k, stop in enumerate(reached, 1):
        toggle = page.locator(f"[{mark}='{stop['id']}']")
        cell = toggle.locator("xpath=ancestor::div[contains(@class, 'cell')][1]")
        code = cell.locator(".cell_input").first
        toggle.focus()
        page.keyboard.press("Enter")
        try:
            code.wait_for(state="visible", timeout=2000)
        except Exception:
            problems.append(f"solution toggle {k}: Enter does not show the code")
    return problems


def _check_keyboard(page) -> tuple[Check, list[dict]]:
    """Tab through the page: solution toggles reached and opened by Enter; no formula a stop.

    Returns the check and the Tab stops (the language switch's check looks for its link there).
    """
    mark = "data-sitecheck-stop"
    stops = _tab_stops(page, mark)
    toggles = page.locator(f"div.cell.tag_{SOLUTION} summary")
    n_toggles = toggles.count()
    reached = [s for s in stops if s["toggle"]]
    problems = []
    if len(reached) < n_toggles:
        problems.append(
            f"{n_toggles - len(reached)} of {n_toggles} solution toggle(s) not in the Tab order"
        )
    problems += _enter_opens_toggles(page, mark, reached)
    math = [s for s in stops if s["math"]]
    if math:
        problems.append(f"{len(math)} formula(s) in the Tab order")
    unseen = [s for s in stops if s["content"] and not s["visible"]]
    if unseen:
        problems.append(
            f"{len(unseen)} stop(s) in the article without a visible focus style: "
            + ", ".join(f"{s['tag']} {s['label']!r}" for s in unseen[:3])
        )
    theme_unseen = sum(1 for s in stops if not s["content"] and not s["visible"])
    detail = (
        f"{len(stops)} Tab stops ({sum(s['content'] for s in stops)} in the article), "
        f"{len(math)} formula(s), {n_toggles} solution toggle(s) reached and opened by Enter, "
        f"{theme_unseen} theme stop(s) without a visible focus style"
    )
    if problems:
        return Check("keyboard", False, "; ".join(problems) + f" [{detail}]"), stops
    return Check("keyboard", True, detail), stops


def check_accessibility(
    browser, base: str, page_name: str, watch: _PageWatch, site: Site | None = None
) -> dict:
    """The accessibility checks of one page, in light and dark mode, at 1280 and 375 px.

    Returns the checks ``axe``, ``alt``, ``mobile``, ``keyboard`` and (given the ``site``)
    ``labels`` by name, one ``AxeCount`` per view under ``"counts"`` and the Tab stops of the
    desktop page under ``"stops"``.
    """
    counts, checks = [], {}
    for mode, width in A11Y_VIEWS:
        context, page = _open(browser, base, page_name, mode, width, watch)
        try:
            counts.append(count_axe(f"{mode} {width}px", axe_view(page)))
            if (mode, width) == A11Y_VIEWS[0]:
                checks["alt"] = _check_alt(page.evaluate(script("alt"), ARTICLE))
                checks["keyboard"], checks["stops"] = _check_keyboard(page)
            if width < 600 and mode == "light":
                checks["mobile"] = _check_mobile(page.evaluate(script("mobile"), ARTICLE))
                if site is not None:
                    figures = page.evaluate(script("labels"), ARTICLE)
                    checks["labels"] = _check_labels(site, base, figures)
        finally:
            context.close()
    checks["axe"] = _check_axe(counts)
    checks["counts"] = counts
    return checks


def _check_axe(counts: list[AxeCount]) -> Check:
    """Fail on any critical or serious violation inside the article, in any view."""
    failing = [c for c in counts if c.content]
    summary = ", ".join(
        f"{c.view}: {c.content_nodes} content/{c.theme_nodes} theme" for c in counts
    )
    if failing:
        detail = "; ".join(f"{c.view}: {', '.join(c.content)}" for c in failing)
        return Check("axe", False, f"critical/serious in the article: {detail} [{summary}]")
    return Check("axe", True, f"no critical/serious in the article [{summary}]")


def _image_bytes(site: Site, base: str, src: str) -> bytes | None:
    if src.startswith("data:"):
        import base64

        head, _, body = src.partition(",")
        try:
            return base64.b64decode(body) if head.endswith(";base64") else None
        except ValueError:
            return None
    path = _url_to_file(site, base, src.split("#")[0].split("?")[0])
    return path.read_bytes() if path is not None and path.is_file() else None


def _check_labels(site: Site, base: str, figures: list[dict]) -> Check:
    """At 375 px: each figure's smallest text is at least LABEL_MIN_PX CSS px tall."""
    small, unreachable, sizes = [], [], []
    for k, fig in enumerate(figures, 1):
        if not fig["natural"] or not fig["shown"]:
            continue  # a figure that did not load: the figures check reports it
        dpi = png_dpi(_image_bytes(site, base, fig["src"]) or b"") or DEFAULT_DPI
        size = site.label_pt * dpi / 72 * fig["shown"] / fig["natural"]
        sizes.append(size)
        name = (
            fig["src"].rsplit("/", 1)[-1][:40]
            if not fig["src"].startswith("data:")
            else f"inline image {k}"
        )
        if size < LABEL_MIN_PX - 1e-6:
            small.append(
                f"{name}: labels {size:.1f} px ({fig['shown']:.0f} of {fig['natural']} px wide)"
            )
        if fig["scrolls"] and not fig["focusable"]:
            unreachable.append(f"{name}: its box scrolls but is no labelled Tab stop")
    problems = []
    if small:
        problems.append(
            f"{len(small)} of {len(sizes)} figure(s) with labels under {LABEL_MIN_PX:g} px at "
            f"375 px: " + "; ".join(small[:3])
        )
    problems += unreachable[:3]
    if not sizes:
        return _verdict("labels", problems, "no figures")
    return _verdict(
        "labels",
        problems,
        f"{len(sizes)} figure(s), smallest labels {min(sizes):.1f} px at 375 px "
        f"({site.label_pt:g} pt in the style)",
    )
