"""The published site, checked in a real browser (headless Debian Chromium via Playwright).

``test_every_page_passes`` opens every page of ``_build/html`` and runs every check of
``tools/sitecheck/`` on it (console, requests, MathJax, figures, solutions, stubs, launch
buttons and badges, navigation, widgets, internal links; accessibility: axe-core in light and dark
mode at 1280 and 375 px, alt text, no clipping on a phone, keyboard; no path of the build machine,
one output box per printed stream, the install cell folded, figure labels legible at 375 px;
``<html lang="en">`` and the language switch to the same page of the Japanese site), saving a
full-page screenshot of each under ``_build/screenshots/``. The Japanese site (``ja/``) is a
site of its own, not pages of this one: ``test_site_ja.py`` checks it. The site is the one
``make test`` has just built; when there is none, it is built here with ``jupyter-book build .``.
It prints, per page, axe-core's counts of each view (content and theme apart); only content ones
fail.

The deliberate-break tests show that the check fails when it should: each copies the built site
to a temporary folder, breaks one page on purpose and expects exactly the matching check to
report it. The pure parts of the checks (build paths, split streams, figure label size) are
tested without a browser in ``tests/tools/test_sitecheck.py``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import sitecheck  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parents[2]

# SITECHECK_HTML checks another build (e.g. one made in a copy of the repository) instead.
HTML = Path(os.environ.get("SITECHECK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = HTML.parent / "screenshots"


# --------------------------------------------------------------------------- the real site


@pytest.mark.site
def test_every_page_passes(html_dir, browser, capsys):
    results = sitecheck.check_site(html_dir, screenshots_dir=SCREENSHOTS, browser=browser)
    lines = [f"{r.summary()} [{r.seconds:.1f} s]\n    {r.axe_line()}" for r in results]
    (SCREENSHOTS / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    pages = {r.page for r in results}
    assert pages == set(sitecheck.site_pages(html_dir)), "every page was opened"
    assert not sitecheck.leftover_pages(html_dir), (
        "HTML left over from an earlier build would be published: rebuild from an empty "
        "_build/html (make book)"
    )
    site = sitecheck.load_site(html_dir)
    assert {f"{doc}.html" for doc in site.toc_docs} <= pages, "every _toc.yml entry has a page"
    assert any(site.tutorial_slug(p) for p in pages), "at least one tutorial page was checked"
    for r in results:
        if r.screenshot is not None:
            assert r.screenshot.is_file() and r.screenshot.stat().st_size > 0
    failed = [r.summary() for r in results if not r.ok]
    assert not failed, "pages with problems:\n" + "\n".join(failed)


# --------------------------------------------------------------------------- deliberate breaks


def _tutorial_page(html_dir: Path, videos: bool = False) -> tuple[str, str]:
    """The smallest tutorial page (the quickest to check), or the one with most videos."""
    site = sitecheck.load_site(html_dir)
    pages = [p for p in sitecheck.site_pages(html_dir) if site.tutorial_slug(p)]
    if not pages:
        pytest.fail("the site has no tutorial page")
    page = min(pages, key=lambda p: (html_dir / p).stat().st_size)
    if videos:
        page = max(pages, key=lambda p: (html_dir / p).read_text().count('class="nma-videos"'))
    return page, site.tutorial_slug(page)


class NotApplicable(Exception):
    """The page lacks what a break would break (e.g. no figure)."""


def _first(pattern: str, text: str, what: str) -> re.Match:
    m = re.search(pattern, text, re.S)
    if m is None:
        raise NotApplicable(f"the tutorial page has no {what} to break")
    return m


def _cell(text: str, tag: str) -> tuple[int, int]:
    """Span of the first code cell with ``tag``: from its <div> to the next cell or section."""
    m = _first(rf'<div class="cell [^"]*\btag_{tag}\b[^"]*">', text, f"{tag} cell")
    end = re.compile(r'<div class="cell[ "]|<section|<p>').search(text, m.end())
    return m.start(), end.start() if end else len(text)


def _in_article(text: str, snippet: str) -> str:
    m = _first(r'<article class="bd-article"[^>]*>\s*', text, "article")
    return text[: m.end()] + snippet + text[m.end() :]


def break_solution_shown(text, html, site, slug):
    a, b = _cell(text, "exercise-solution")
    cell = re.sub(r"<details[^>]*>\s*<summary.*?</summary>", "", text[a:b], count=1, flags=re.S)
    cell = cell.replace("</details>", "", 1)
    return text[:a] + cell + text[b:]


def break_solution_untagged(text, html, site, slug):
    a, b = _cell(text, "exercise-solution")
    return text[:a] + text[a:b].replace("tag_exercise-solution", "", 1) + text[b:]


def break_solution_toggle_hidden(text, html, site, slug):
    a, b = _cell(text, "exercise-solution")
    return text[:a] + text[a:b].replace("<summary", '<summary style="display:none"', 1) + text[b:]


def break_figure_file(text, html, site, slug):
    m = _first(r'<img [^>]*src="((?:\.\./)*_images/[^"]+)"', text, "figure file")
    ((html / "book" / slug).parent / m.group(1)).resolve().unlink()
    return text


def break_figure_removed(text, html, site, slug):
    m = _first(
        r'(<div class="cell_output[^"]*">(?:(?!</div>\s*</div>).)*?)(<img [^>]*>)', text, "figure"
    )
    return text[: m.start(2)] + text[m.end(2) :]


def break_raw_math(text, html, site, slug):
    return _in_article(text, r"<p>Deliberately raw: $x$ and \begin{align}a\end{align}</p>")


def break_mathjax_missing(text, html, site, slug):
    (html / "_static" / "mathjax" / "tex-mml-chtml.js").unlink()
    return text


def break_stub_traceback(text, html, site, slug):
    a, b = _cell(text, "exercise-stub")
    trace = (
        '<div class="cell_output docutils container">'
        '<div class="output traceback highlight-ipythontb '
        'notranslate"><div class="highlight"><pre>Traceback (most recent call last)\n'
        "NotImplementedError: Student exercise: deliberately shown</pre></div></div></div>"
    )
    cell = text[a:b]
    at = cell.rfind("</div>")
    return text[:a] + cell[:at] + trace + cell[at:] + text[b:]


def break_launch_source(text, html, site, slug):
    student = f"/notebooks/student/{slug}.ipynb"
    m = _first(r'<div class="dropdown dropdown-launch-buttons">.*?</ul>', text, "launch button")
    return text[: m.start()] + m.group(0).replace(student, f"/book/{slug}.md") + text[m.end() :]


def break_badge_branch(text, html, site, slug):
    good = site.colab(f"notebooks/solutions/{slug}.ipynb")
    _first(re.escape(good), text, "Colab badge")
    return text.replace(good, good.replace(f"/blob/{site.branch}/", "/blob/some-other-branch/"))


def break_nav_missing(text, html, site, slug):
    m = _first(
        r'<li class="toctree-l1[^"]*"><a class="current reference internal" href="#">.*?</li>',
        text,
        "navigation entry",
    )
    return text[: m.start()] + text[m.end() :]


# The static fallback of display_videos: tabs of players, then the links.
_VIDEO_FALLBACK = (
    r'(<div class="output text_html">)(<div class="nma-videos".*?<p class="nma-video-links"[^>]*>'
    r".*?</p>\s*)(</div>)"
)


def _last_video(text: str) -> re.Match:
    """The page's last video block."""
    matches = list(re.finditer(_VIDEO_FALLBACK, text, re.S))
    if not matches:
        raise NotApplicable("the tutorial page has no video")
    return matches[-1]


def break_widget_raw(text, html, site, slug):
    m = _first(_VIDEO_FALLBACK, text, "widget fallback")
    raw = (
        '<div class="output text_plain">'
        "<pre>Tab(children=(Output(), Output()), selected_index=0)</pre></div>"
    )
    return text[: m.start()] + raw + text[m.end() :]


def break_widget_empty(text, html, site, slug):
    m = _first(_VIDEO_FALLBACK, text, "widget fallback")
    return text[: m.start(2)] + text[m.end(2) :]


def break_video_host(text, html, site, slug):
    """The last video's YouTube player from the cookie-setting host, loaded eagerly."""
    m = _last_video(text)
    block = m.group(2).replace("www.youtube-nocookie.com/embed/", "www.youtube.com/embed/")
    block = block.replace('loading="lazy"', 'loading="eager"', 1)
    return text[: m.start(2)] + block + text[m.end(2) :]


def break_video_links(text, html, site, slug):
    """The last video without its links below the players."""
    m = _last_video(text)
    block = re.sub(r'<p class="nma-video-links"[^>]*>.*?</p>', "", m.group(2), flags=re.S)
    return text[: m.start(2)] + block + text[m.end(2) :]


def break_internal_links(text, html, site, slug):
    return _in_article(
        text, '<p><a href="no_such_page.html">gone</a> <a href="#no-such-anchor">nowhere</a></p>'
    )


def break_dangling_links(text, html, site, slug):
    """Links to another page's missing section and to a page an earlier build left behind."""
    # The tutorial's old location, as a stale build would still have it (a real page, copied).
    old = html / "book" / "tutorials" / "decoding_neural_responses.html"
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(text, encoding="utf-8")
    return _in_article(
        text,
        '<p><a href="../intro.html#no-such-section">moved</a> '
        '<a href="../tutorials/decoding_neural_responses.html">old page</a></p>',
    )


def break_javascript(text, html, site, slug):
    # An external script is blocked and ignored; the local error is not.
    return text.replace(
        "</body>",
        '<script src="https://cdn.example.org/lib.js"></script>'
        '<script>throw new Error("deliberate break")</script></body>',
        1,
    )


def break_alt_file_name(text, html, site, slug):
    m = _first(r'<img [^>]*?alt="([^"]*)"[^>]*src="(?:\.\./)*_images/', text, "figure with alt")
    return text[: m.start(1)] + "../../_images/578d0c1e9f.png" + text[m.end(1) :]


def break_low_contrast(text, html, site, slug):
    return _in_article(
        text, '<p style="color:#b0b0b0;background:#ffffff">Deliberately pale text</p>'
    )


def break_wide_content(text, html, site, slug):
    return _in_article(text, '<p style="width:900px">Deliberately wider than a phone</p>')


def break_toggle_untabbable(text, html, site, slug):
    a, b = _cell(text, "exercise-solution")
    return text[:a] + text[a:b].replace("<summary", '<summary tabindex="-1"', 1) + text[b:]


def break_formula_tab_stop(text, html, site, slug):
    m = _first(r'<span class="math notranslate nohighlight"', text, "inline formula")
    return text[: m.end()] + ' tabindex="0"' + text[m.end() :]


def break_badge_remote(text, html, site, slug):
    m = _first(r'src="((?:\.\./)*_static/badges/open-in-colab\.svg)"', text, "local badge")
    return text[: m.start(1)] + "https://badges.example.org/colab.svg" + text[m.end(1) :]


def break_build_path(text, html, site, slug):
    """A printed path of the build machine, as a pathlib repr, in the first printed output."""
    m = _first(
        r'<div class="output stream[^"]*"><div class="highlight"><pre>(?:<span></span>)?',
        text,
        "printed output",
    )
    shown = "PosixPath('/home/runner/work/course/nma_dl/plotting/course.mplstyle')\n"
    return text[: m.end()] + shown + text[m.end() :]


def break_streams_split(text, html, site, slug):
    """A cell's printed text as two boxes, as MyST-NB shows it without nb_merge_streams."""
    m = _first(
        r'<div class="output stream[^"]*"><div class="highlight"><pre>.*?</pre></div>\s*</div>',
        text,
        "printed output",
    )
    return text[: m.end()] + m.group(0) + text[m.end() :]


def break_install_unfolded(text, html, site, slug):
    """The install cell without its fold: all its lines on show."""
    a, b = _cell(text, "nma-header")
    cell = re.sub(r"<details[^>]*>\s*<summary.*?</summary>", "", text[a:b], count=1, flags=re.S)
    cell = cell.replace("</details>", "", 1)
    return text[:a] + cell + text[b:]


def break_figure_labels(text, html, site, slug):
    """Figures squeezed to 60 px, far under the scale that keeps their labels legible."""
    _first(r'<div class="cell_output[^"]*">\s*<img ', text, "figure")
    style = (
        "<style>.bd-article .cell_output img"
        "{width:60px !important;max-width:60px !important}</style>"
    )
    return text.replace("</head>", style + "</head>", 1)


# Each group is one page load (MathJax makes a load cost seconds): breaks that touch different
# checks, or different cells, share a page; each must be reported by its own check with its own
# words. Breaks that would mask others (no MathJax at all) get a page of their own.
BREAK_GROUPS = {
    "content": [
        # (function, check that must fail, text its detail must contain)
        (break_solution_untagged, "solutions", "solution cell(s), the notebook"),
        (break_solution_shown, "solutions", "code visible on load"),
        (break_figure_removed, "figures", "figure(s) on the page"),
        (break_raw_math, "mathjax", "$x$"),
        (break_stub_traceback, "stubs", "stub 1 shows an error trace"),
        (break_widget_raw, "widgets", "raw widget text 'Tab(children="),
        (break_internal_links, "links", "no_such_page.html"),
        (break_javascript, "console", "deliberate break"),
        (break_build_path, "paths", "PosixPath("),
        (break_build_path, "paths", "/home/runner/work/course/nma_dl/plotting/course.mplstyle"),
        (break_streams_split, "streams", "stdout boxes in a row"),
    ],
    "frame": [
        (break_solution_toggle_hidden, "solutions", "no visible toggle"),
        (break_figure_file, "figures", "did not load"),
        (break_figure_file, "requests", "HTTP 404"),
        (break_launch_source, "launch", "Colab launch button opens"),
        (break_badge_branch, "launch", "some-other-branch"),
        (break_nav_missing, "nav", "navigation lacks"),
        (break_widget_empty, "widgets", "empty widget output"),
        (break_dangling_links, "links", "../intro.html#no-such-section"),
        (break_dangling_links, "links", "not part of this build"),
        (break_install_unfolded, "install", "code visible on load"),
    ],
    # On the page with most videos: the last one without links, the one before from YouTube's
    # cookie-setting host and loaded eagerly.
    "videos": [
        (break_video_links, "videos", "link(s) after it"),
        (break_video_host, "videos", "unexpected player src https://www.youtube.com/embed/"),
        (break_video_host, "videos", "player not lazy-loaded"),
    ],
    # The accessibility checks (axe-core, alt text, 375 px, keyboard) and third-party requests.
    "a11y": [
        (break_alt_file_name, "alt", "alt text is a file name"),
        (break_low_contrast, "axe", "color-contrast (serious)"),
        (break_wide_content, "mobile", "clipped element(s) at 375 px"),
        (break_toggle_untabbable, "keyboard", "not in the Tab order"),
        (break_formula_tab_stop, "keyboard", "formula(s) in the Tab order"),
        (break_badge_remote, "requests", "third-party request(s) before any click"),
        (break_figure_labels, "labels", "labels under 8 px at 375 px"),
    ],
    "no-mathjax": [
        (break_mathjax_missing, "mathjax", "MathJax not loaded"),
        (break_mathjax_missing, "requests", "tex-mml-chtml.js (HTTP 404)"),
    ],
}


@pytest.mark.site
@pytest.mark.parametrize("group", list(BREAK_GROUPS))
def test_deliberate_breaks_are_caught(html_dir, browser, tmp_path, group):
    copy = tmp_path / "_build" / "html"
    shutil.copytree(html_dir, copy)
    page, slug = _tutorial_page(html_dir, videos=group == "videos")
    site = sitecheck.load_site(html_dir)
    path = copy / page
    text = path.read_text(encoding="utf-8")
    applied, not_applicable = [], []
    for brk, check, expected in BREAK_GROUPS[group]:
        if brk in [b for b, _, _ in applied]:
            applied.append((brk, check, expected))  # a second expectation of the same break
            continue
        try:
            after = brk(text, copy, site, slug)
        except NotApplicable as why:
            not_applicable.append(f"{brk.__name__}: {why}")
            continue
        assert after != text or brk in (
            break_figure_file,
            break_mathjax_missing,
        ), f"{brk.__name__} changed nothing"
        text = after
        applied.append((brk, check, expected))
    if not applied:
        pytest.skip("; ".join(not_applicable))
    path.write_text(text, encoding="utf-8")

    [result] = sitecheck.check_site(
        copy,
        pages=[page],
        root=html_dir.parents[1],
        executed_dir=html_dir.parent / "jupyter_execute",
        browser=browser,
    )
    print(result.summary())
    for why in not_applicable:
        print("not applied:", why)
    assert result.summary().startswith(f"FAIL {page}")
    for brk, check, expected in applied:
        caught = result.check(check)
        assert not caught.ok, f"{check} did not catch {brk.__name__}: {caught.detail}"
        assert expected in caught.detail, f"{check} did not report {brk.__name__}: {caught.detail}"
    if group == "content":
        assert "example.org" not in result.check("console").detail, (
            "a blocked external request is no error"
        )
