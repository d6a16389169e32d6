"""The published site, checked in a real browser (headless Debian Chromium via Playwright).

``test_every_page_passes`` opens every page of ``_build/html`` and runs every check of
``tools/sitecheck/`` on it (console, requests, MathJax, figures, solutions, stubs, launch
buttons and badges, navigation, widgets, internal links; accessibility: axe-core in light and dark
mode at 1280 and 375 px, alt text, no clipping on a phone, keyboard; no path of the build machine,
one output box per printed stream, the install cell folded, figure labels legible at 375 px),
saving a full-page screenshot of each under ``_build/screenshots/``. The site is the one
``make test`` has just built; when there is none, it is built here with ``jupyter-book build .``.
It prints, per page, axe-core's counts of each view (content and theme apart); only content ones
fail.

The deliberate-break tests show that the check fails when it should: each copies the built site
to a temporary folder, breaks one page on purpose and expects exactly the matching check to
report it. Those that drive the browser are marked ``site``; the unit tests at the end check the
pure parts of the newer checks (build paths, split streams, figure label size) on synthetic
pages, without a browser or a built site, and run with the unit tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sitecheck  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parent.parent

# SITECHECK_HTML checks another build (e.g. one made in a copy of the repository) instead.
HTML = Path(os.environ.get("SITECHECK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = HTML.parent / "screenshots"


def _build_book() -> None:
    env = dict(os.environ)
    # Kernels inherit the environment: with MPLBACKEND=Agg (set for the test session) they would
    # draw no inline figures, and the site would have none.
    env.pop("MPLBACKEND", None)
    env.setdefault("NMA_DL_DATA_SOURCE", "synthetic")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0 or not (HTML / "index.html").is_file():
        pytest.fail(
            f"jupyter-book build failed ({proc.returncode}):\n"
            f"{(proc.stdout + proc.stderr)[-3000:]}"
        )


@pytest.fixture(scope="module")
def html_dir() -> Path:
    """The built site: ``_build/html`` as ``make test`` left it, else built now."""
    if not (HTML / "index.html").is_file():
        _build_book()
    return HTML


@pytest.fixture(scope="module")
def browser():
    if not Path(sitecheck.CHROMIUM).exists():
        pytest.fail(
            f"{sitecheck.CHROMIUM} is missing: run `make chromium` (Debian's chromium package)"
        )
    with sitecheck.launch_browser() as b:
        yield b


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


# --------------------------------------------------------------------------- no browser


def _site(tmp_path, **kw) -> sitecheck.Site:
    """A site of a book root in ``tmp_path``: nothing is read from a build."""
    html = tmp_path / "_build" / "html"
    html.mkdir(parents=True, exist_ok=True)
    fields = dict(
        html_dir=html,
        repo_url="https://github.com/o/r",
        branch="main",
        toc_docs=(),
        executed_dir=tmp_path / "_build" / "jupyter_execute",
        mime_priority=("image/png", "text/plain"),
        root=tmp_path,
        label_pt=12.0,
    )
    return sitecheck.Site(**(fields | kw))


def _facts(*outputs: list[dict], text: str = "Some prose.") -> dict:
    """Page facts with one code cell per list of outputs (``text`` and ``stream`` of each)."""
    cells = []
    for outs in outputs:
        outs = [{"text": o.get("text", ""), "stream": o.get("stream")} for o in outs]
        cells.append({"outputs": outs, "outputText": "\n".join(o["text"] for o in outs)})
    return {"text": text, "cells": cells}


@pytest.mark.parametrize(
    "shown",
    [
        "PosixPath('/home/ana/course/nma_dl/plotting/course.mplstyle')",
        "WindowsPath('C:/Users/ana/course.mplstyle')",
        "loaded /work/main/.cache/nma_dl/W3D4_stringer_oribinned1.npz",
        "/tmp/tmpab12cd/model.pt",
        "/root/.cache/torch/hub/checkpoints",
        "/usr/lib/python3/dist-packages/torch/nn/functional.py:12: UserWarning: x",
        "venv/lib/python3.11/site-packages/sklearn/base.py",
        r"C:\Users\ana\AppData\Local\course",
    ],
)
def test_paths_check_catches_build_machine_paths(tmp_path, shown):
    site = _site(tmp_path)
    check = sitecheck._check_paths(site, _facts([{"text": f"epoch 1\n{shown}\n"}]))
    assert not check.ok and "path(s) of the build machine" in check.detail, check.detail
    assert "code cell 1" in check.detail


def test_paths_check_catches_the_book_root_wherever_it_is(tmp_path):
    root = tmp_path / "checkout" / "course"
    site = _site(tmp_path, root=root)
    check = sitecheck._check_paths(site, _facts([], text=f"Data are in {root}/data."))
    # the detail shows the first 80 characters of each path found
    assert not check.ok and str(root)[:70] in check.detail


@pytest.mark.parametrize(
    "shown",
    [
        "https://github.com/dl4neuro/course/blob/main/notebooks/student/x.ipynb",
        "https://osf.io/home/683xc/ and http://example.org/tmp/page",
        "accuracy 9/10, 1/home games; and/or",
        "nma_dl/plotting/course.mplstyle",  # a path in the repository, relative
        "loss 0.125 after 50 epochs (lr=1e-3)",
        "Path of steepest descent (the gradient)",
    ],
)
def test_paths_check_leaves_urls_and_relative_paths_alone(tmp_path, shown):
    site = _site(tmp_path, root=tmp_path / "some" / "root")
    check = sitecheck._check_paths(site, _facts([{"text": shown}], text=shown))
    assert check.ok, check.detail


def test_streams_check_fails_on_a_log_split_into_boxes():
    log = [{"text": f"epoch {i}", "stream": "stdout"} for i in range(3)]
    check = sitecheck._check_streams(_facts([{"text": "ok", "stream": "stdout"}], log))
    assert not check.ok and "code cell 2: 3 stdout boxes in a row" in check.detail


@pytest.mark.parametrize(
    "outputs",
    [
        [{"stream": "stdout"}],
        [{"stream": "stdout"}, {"stream": "stderr"}],  # a log and a warning: two streams
        [{"stream": "stdout"}, {"text": "<figure>"}, {"stream": "stdout"}],  # split by a figure
        [],
    ],
)
def test_streams_check_passes_one_box_per_stream(outputs):
    assert sitecheck._check_streams(_facts(outputs)).ok


def test_shown_outputs_merge_each_stream_into_its_first_box():
    outs = [
        {"output_type": "stream", "name": "stdout", "text": "a\n"},
        {"output_type": "stream", "name": "stderr", "text": "w\n"},
        {"output_type": "display_data", "data": {"image/png": ""}},
        {"output_type": "stream", "name": "stdout", "text": "b\n"},
    ]
    kinds = [(o["output_type"], o.get("name")) for o in sitecheck.shown_outputs(outs, True)]
    assert kinds == [("stream", "stdout"), ("stream", "stderr"), ("display_data", None)]
    assert sitecheck.shown_outputs(outs, False) == outs


def test_config_merges_streams_on_the_site():
    site = sitecheck.load_site(ROOT / "_build" / "html", root=ROOT)
    assert site.merge_streams, "nb_merge_streams: true under sphinx.config in _config.yml"


def test_smallest_font_of_the_course_style_is_its_tick_labels():
    assert sitecheck.smallest_font_pt(ROOT / sitecheck.LABEL_STYLE) == 12.0


def test_smallest_font_reads_sizes_given_by_name(tmp_path):
    style = tmp_path / "s.mplstyle"
    style.write_text(
        "# a style\nfont.size: 12  # base\nxtick.labelsize: small\nlines.linewidth: 1\n"
    )
    assert sitecheck.smallest_font_pt(style) == pytest.approx(12 * 0.833)
    assert sitecheck.smallest_font_pt(tmp_path / "missing") == sitecheck.DEFAULT_LABEL_PT


def _png(path: Path, dpi: int, size=(8, 5)) -> Path:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=size)
    ax.plot([0, 1], [0, 1])
    fig.savefig(path, dpi=dpi)
    plt.close(fig)
    return path


def test_png_dpi_is_what_matplotlib_saved(tmp_path):
    assert sitecheck.png_dpi(_png(tmp_path / "a.png", 100).read_bytes()) == pytest.approx(
        100, abs=0.1
    )
    assert sitecheck.png_dpi(_png(tmp_path / "b.png", 200).read_bytes()) == pytest.approx(
        200, abs=0.1
    )
    assert sitecheck.png_dpi(b"GIF89a") is None


def test_labels_check_measures_each_figure_at_phone_width(tmp_path):
    """12 pt at 100 dpi is 16.7 px in the PNG: shown at 343 of 1500 px, 3.8 px; at 750, 8.3."""
    site = _site(tmp_path)
    (site.html_dir / "_images").mkdir()
    png = _png(site.html_dir / "_images" / "wide.png", 100, (15, 4))
    base = "http://127.0.0.1:1/"
    src = base + "_images/wide.png"
    squeezed = {"src": src, "natural": 1500, "shown": 343.0, "scrolls": False, "focusable": False}
    check = sitecheck._check_labels(site, base, [squeezed])
    assert not check.ok and "wide.png: labels 3.8 px (343 of 1500 px wide)" in check.detail
    kept = squeezed | {"shown": 750.0, "scrolls": True, "focusable": True}
    check = sitecheck._check_labels(site, base, [kept])
    assert check.ok and "smallest labels 8.3 px" in check.detail, check.detail
    assert png.is_file()
    # A figure that scrolls in a box that the keyboard cannot reach fails too.
    check = sitecheck._check_labels(site, base, [kept | {"focusable": False}])
    assert not check.ok and "no labelled Tab stop" in check.detail


def test_labels_check_reads_the_dpi_of_the_png(tmp_path):
    """A 200-dpi PNG holds labels twice as tall (33.3 px): a quarter of its width is legible."""
    site = _site(tmp_path)
    (site.html_dir / "_images").mkdir()
    _png(site.html_dir / "_images" / "retina.png", 200, (15, 4))
    base = "http://127.0.0.1:1/"
    fig = {
        "src": base + "_images/retina.png",
        "natural": 3000,
        "shown": 750.0,
        "scrolls": False,
        "focusable": False,
    }
    check = sitecheck._check_labels(site, base, [fig | {"shown": 600.0}])
    assert not check.ok and "labels 6.7 px" in check.detail, check.detail
    check = sitecheck._check_labels(site, base, [fig])
    assert check.ok, check.detail


# --------------------------------------------------------------------------- the package itself

SITECHECK = ROOT / "tools" / "sitecheck"


def test_the_javascript_of_the_checks_lives_in_js_files():
    """Each check's JavaScript is a .js file that the Python code runs; none is a Python string."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(SITECHECK.glob("*.py"))}
    called = {name for text in sources.values() for name in re.findall(r'script\("(\w+)"\)', text)}
    files = {p.stem for p in sitecheck.JS_DIR.glob("*.js")}
    assert files and called == files, f"missing: {called - files}; unused: {files - called}"
    for name in files:
        assert re.match(r"(//[^\n]*\n)*(async )?\(", sitecheck.script(name)), name
    for name, text in sources.items():
        assert not re.search(r"\bdocument\.|\bconst \w+ =", text), f"JavaScript in {name}"


@pytest.mark.parametrize("entry", [["tools/sitecheck"], ["-m", "sitecheck"]])
def test_the_command_line_runs_as_contributing_says(entry, tmp_path):
    """``python tools/sitecheck`` (as CONTRIBUTING.md says) runs; a wrong folder gets one line."""
    assert ".venv/bin/python tools/sitecheck _build/html" in (ROOT / "CONTRIBUTING.md").read_text()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tools"))
    run = [sys.executable, *(str(ROOT / e) if e.startswith("tools/") else e for e in entry)]
    proc = subprocess.run(
        [*run, "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and "usage: python tools/sitecheck" in proc.stdout, proc.stderr
    proc = subprocess.run(
        [*run, str(tmp_path / "missing")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "html_dir: no built site in" in proc.stderr and "make book" in proc.stderr
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text("<html></html>")
    proc = subprocess.run(
        [*run, str(tmp_path / "html"), "--root", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "--root: no _config.yml in" in proc.stderr, proc.stderr
