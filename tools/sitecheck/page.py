"""One page, every check; the whole site."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from urllib.parse import urljoin

from .accessibility import ARTICLE, check_accessibility
from .browser import MATHJAX_TIMEOUT_MS, TIMEOUT_MS, VIEWPORT, _PageWatch, launch_browser, serve
from .checks import (
    _check_console,
    _check_figures,
    _check_launch,
    _check_links,
    _check_mathjax,
    _check_nav,
    _check_paths,
    _check_requests,
    _check_streams,
    _check_stubs,
    _check_widgets,
)
from .clicks import _check_install, _check_solutions, _check_videos
from .expected import CellExpectation, Site, load_site, notebook_cells
from .language import _check_lang, _check_prose, _check_switch, switch_names
from .pages import _page_of, _redirect_target, site_pages
from .results import Check, PageResult
from .scripts import script

CHECKS = (
    "console",
    "requests",
    "mathjax",
    "figures",
    "solutions",
    "stubs",
    "launch",
    "nav",
    "widgets",
    "videos",
    "links",
    "axe",
    "alt",
    "mobile",
    "keyboard",
    "paths",
    "streams",
    "install",
    "labels",
    "lang",
    "switch",
    "prose",
)


def _watched_page(browser, watch: _PageWatch):
    """A fresh context and page at desktop width, offline, every event reported to ``watch``."""
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/*", watch.route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("requestfailed", watch.on_requestfailed)
    page.on("response", watch.on_response)
    return context, page


def _redirect_checks(page, site: Site, base: str, url: str, redirect: str, watch) -> list[Check]:
    """A redirect page (index.html): it must lead to a page of the site, checked on its own."""
    target = _page_of(site, base, urljoin(url, redirect)) or redirect
    ok = (site.html_dir / target).is_file()
    try:
        page.wait_for_url(lambda u: u != url, timeout=5000)
        page.wait_for_load_state("load")
    except Exception:
        ok = False
    return [_check_console(watch), _check_requests(watch), Check("redirect", ok, f"to {target}")]


def _expected_cells(site: Site, slug: str | None) -> list[CellExpectation] | None:
    """The code cells of a tutorial's executed notebook; None for other pages or no notebook."""
    if slug is None:
        return None
    nb = site.executed_notebook(slug)
    if not nb.is_file():
        return None
    return notebook_cells(nb, site.mime_priority, site.cache_dir, site.merge_streams)


def _fact_checks(site: Site, base: str, page_name: str, facts: dict, settle: dict) -> tuple:
    """The checks that only read the page's facts; with the expected cells they compared."""
    slug = site.tutorial_slug(page_name)
    expected = _expected_cells(site, slug)
    cells_match = expected is not None and len(expected) == len(facts["cells"])
    checks = {
        "paths": _check_paths(site, facts),
        "streams": _check_streams(facts),
        "mathjax": _check_mathjax(facts, settle),
        "figures": _check_figures(facts, expected, cells_match),
        "stubs": _check_stubs(facts),
        "launch": _check_launch(site, page_name, facts),
        "nav": _check_nav(site, base, facts),
        "widgets": _check_widgets(facts, expected, cells_match),
        "links": _check_links(site, base, facts),
    }
    if slug is not None and expected is None:
        checks["figures"] = Check(
            "figures", False, f"no executed notebook {site.executed_notebook(slug)}"
        )
    elif expected is not None and not cells_match:
        checks["figures"].ok = False
        checks["figures"].detail = (
            f"page shows {len(facts['cells'])} code cells, the executed notebook "
            f"{len(expected)}; " + checks["figures"].detail
        )
    return checks, expected


def _run_checks(browser, page, site: Site, base: str, result: PageResult, watch, screenshot):
    """Every check of a loaded page, in an order that leaves each its page as it expects."""
    settle = page.evaluate(script("settle"), MATHJAX_TIMEOUT_MS)
    facts = page.evaluate(script("facts"))
    checks, expected = _fact_checks(site, base, result.page, facts, settle)
    language = page.evaluate(script("language"), ARTICLE)
    checks["lang"] = _check_lang(site, language)
    checks["prose"] = _check_prose(site, language)
    names = switch_names(page)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
        result.screenshot = screenshot
    # These click toggles and tabs: after the screenshot, which shows the page as loaded.
    checks["solutions"] = _check_solutions(page, facts, expected)
    checks["videos"] = _check_videos(page)
    checks["install"] = _check_install(page, facts, expected, site.language != "en")
    a11y = check_accessibility(browser, base, result.page, watch, site)
    result.axe = a11y.pop("counts")
    stops = a11y.pop("stops", None)
    checks["switch"] = _check_switch(site, base, result.page, language, names, stops)
    checks.update(a11y)
    page.wait_for_timeout(50)  # let late console errors arrive
    checks["console"] = _check_console(watch)
    checks["requests"] = _check_requests(watch)
    return [checks[name] for name in CHECKS]


def check_page(
    browser, site: Site, base: str, page_name: str, screenshot: Path | None = None
) -> PageResult:
    """Open one page and run every check on it."""
    start = time.perf_counter()
    result = PageResult(page_name)
    watch = _PageWatch()
    context, page = _watched_page(browser, watch)
    url = base + page_name
    try:
        redirect = _redirect_target(site.html_dir / page_name)
        page.goto(url, wait_until="load")
        if redirect:
            result.checks = _redirect_checks(page, site, base, url, redirect, watch)
        else:
            result.checks = _run_checks(browser, page, site, base, result, watch, screenshot)
    except Exception as exc:  # a page that cannot even be opened fails every check
        result.checks = [
            Check("load", False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        ]
    finally:
        context.close()
        result.seconds = time.perf_counter() - start
    return result


def check_site(
    html_dir,
    *,
    pages=None,
    root=None,
    executed_dir=None,
    screenshots_dir=None,
    browser=None,
    report=None,
) -> list[PageResult]:
    """Check every page of the built site (or only ``pages``); return one result per page.

    ``root`` holds ``_config.yml`` and ``_toc.yml`` (default: ``html_dir/../..``; for the Japanese
    site ``_build/html/ja``, ``_build/ja/src``); ``executed_dir`` MyST-NB's executed notebooks
    (default: ``html_dir/../jupyter_execute``; ``_build/ja/_build/jupyter_execute``). With
    ``screenshots_dir`` a full-page PNG of each page is saved there as ``<page>.png``. Pass an open
    Playwright ``browser`` to reuse it; ``report`` is called with each result as it comes.
    """
    site = load_site(Path(html_dir), root, executed_dir)
    pages = list(pages) if pages is not None else site_pages(site.html_dir)
    results = []
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(launch_browser())
        # The whole build is served (for ``ja/``, its parent), so that the language switch and
        # every other link into the other language's site resolve; ``base`` is this site's URL.
        base = stack.enter_context(serve(site.serve_root)) + site.prefix
        for name in pages:
            shot = (
                Path(screenshots_dir) / (name.removesuffix(".html") + ".png")
                if screenshots_dir
                else None
            )
            result = check_page(browser, site, base, name, shot)
            results.append(result)
            if report:
                report(result)
    return results
