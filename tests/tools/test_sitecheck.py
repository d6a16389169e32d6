"""The browser check's pure parts (``tools/sitecheck/``), on synthetic pages: no browser, no site.

Build paths, split streams and figure label sizes are checked here on pages made up for each
test; ``tests/site/test_site.py`` runs the whole check, in a browser, over the built site.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sitecheck  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parents[2]


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


# --------------------------------------------------------------------------- two languages


@pytest.mark.parametrize(
    "text",
    [
        "This paragraph was left in English by mistake.",
        "Train the network for ten epochs, then plot its loss.",
        "Note: the decoder's weights don't change here",
    ],
)
def test_english_run_finds_an_untranslated_sentence(text):
    run = sitecheck.english_run(text)
    assert run is not None and len(run.split()) >= sitecheck.MIN_ENGLISH_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "この段落では PyTorch の multi layer perceptron を nn.Linear で作ります。",  # terms kept
        "W1D5: Deep learning",  # a title of a name and a short label
        "Tutorial 1: Decoding neural responses",  # four words, a digit between
        "Train it. Then test it. Done now.",  # no sentence of five words
        "conv_1 relu_2 pool_3 fc_4 out_5 loss_6",  # identifiers left in prose
        "0.5 1.0 2.0 4.0 8.0 16.0",
        "English",  # the language switch's link
        "",
    ],
)
def test_english_run_leaves_japanese_names_and_short_labels_alone(text):
    assert sitecheck.english_run(text) is None


def _catalog(folder: Path, entries: list[tuple[str, str, list[str]]]) -> None:
    """A ``.po`` catalog in ``folder`` of (msgid, msgstr, flags) entries."""
    import polib

    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    for msgid, msgstr, flags in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=flags))
    folder.mkdir(parents=True, exist_ok=True)
    po.save(str(folder / "page.po"))


REFERENCE = (
    "- Cybenko G (1989). Approximation by superpositions of a sigmoidal function. *Mathematics "
    "of\n  Control, Signals and Systems* 2(4):303-314.\n  [doi:10.1007/BF02551274]"
    "(https://doi.org/10.1007/BF02551274)"
)
SHOWN = (
    "Cybenko G (1989). Approximation by superpositions of a sigmoidal function. Mathematics of "
    "Control, Signals and Systems 2(4):303-314. doi:10.1007/BF02551274"
)


def _ja_site(tmp_path, verbatim=()) -> sitecheck.Site:
    """A Japanese site in ``_build/html/ja`` of a build served from ``_build/html``."""
    site = _site(tmp_path, language="ja", verbatim=tuple(verbatim))
    (site.html_dir / "ja").mkdir()
    return dataclasses.replace(site, html_dir=site.html_dir / "ja", serve_dir=site.html_dir)


def test_prose_check_names_english_left_on_a_japanese_page_but_not_references(tmp_path):
    locale = tmp_path / "book" / "_locale" / "ja"
    _catalog(locale, [(REFERENCE, REFERENCE, ["verbatim"]), ("A passage.", "一節。", [])])
    verbatim = sitecheck.verbatim_passages("ja", tmp_path, tmp_path / "_build" / "html" / "ja")
    assert len(verbatim) == 1 and sitecheck.is_verbatim(SHOWN, verbatim)
    site = _ja_site(tmp_path, verbatim)
    prose = [{"tag": "p", "text": SHOWN}, {"tag": "p", "text": "これは翻訳された段落です。"}]
    assert sitecheck._check_prose(site, {"prose": prose}).ok
    left = "This paragraph was left in English by mistake."
    check = sitecheck._check_prose(site, {"prose": [*prose, {"tag": "li", "text": left}]})
    assert not check.ok and f"li: {left!r}" in check.detail
    english = _site(tmp_path)  # an English page's prose is the source: not checked
    assert sitecheck._check_prose(english, {"prose": [{"tag": "p", "text": left}]}).ok


def test_the_repository_keeps_its_references_in_english_on_purpose():
    verbatim = sitecheck.verbatim_passages("ja", ROOT, ROOT / "_build" / "html" / "ja")
    assert verbatim, "no passage flagged verbatim in book/_locale/ja"
    assert not sitecheck.verbatim_passages("en", ROOT, ROOT / "_build" / "html")


def test_lang_check_reads_the_sites_language(tmp_path):
    assert sitecheck._check_lang(_ja_site(tmp_path), {"lang": "ja"}).ok
    assert not sitecheck._check_lang(_ja_site(tmp_path / "b"), {"lang": ""}).ok
    assert not sitecheck._check_lang(_site(tmp_path), {"lang": "ja"}).ok


def _switch(base: str, href: str, other: str, reached: bool = True):
    """Facts of a page whose switch links ``href``; the Tab stops, the switch's among them."""
    link = {"raw": href, "url": base + href, "hreflang": other, "lang": other, "text": "x"}
    facts = {"switches": [{"label": "Language", "links": [link]}], "alternates": [link]}
    return facts, [{"langSwitch": reached}]


def test_switch_check_wants_the_same_page_in_the_other_site(tmp_path):
    ja = _ja_site(tmp_path)
    page = "book/day/page.html"
    for folder in (ja.serve_root, ja.html_dir):
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        (folder / page).write_text("<html></html>")
    root = "http://127.0.0.1:8000/"
    en = dataclasses.replace(ja, html_dir=ja.serve_root, serve_dir=None, language="en")
    facts, stops = _switch(root, f"ja/{page}", "ja")
    check = sitecheck._check_switch(en, root, page, facts, ["日本語"], stops)
    assert check.ok, check.detail
    facts, stops = _switch(root, page, "en")
    back = sitecheck._check_switch(ja, root + "ja/", page, facts, ["English"], stops)
    assert back.ok, back.detail
    facts, stops = _switch(root, "ja/book/day/other.html", "ja", reached=False)
    check = sitecheck._check_switch(en, root, page, facts, [""], stops)
    assert not check.ok
    for words in ("not ja/book/day/page.html", "not reached by Tab", "without an accessible"):
        assert words in check.detail
    none = sitecheck._check_switch(en, root, page, {"switches": [], "alternates": []}, [], [])
    assert not none.ok


def test_the_japanese_site_is_no_part_of_the_english_one(tmp_path):
    html = tmp_path / "_build" / "html"
    for folder in (html, html / "ja"):
        (folder / "book").mkdir(parents=True)
        (folder / "book" / "intro.html").write_text("<html></html>")
        (folder / "index.html").write_text("<html></html>")
        index = {"docnames": ["book/intro"]}
        (folder / "searchindex.js").write_text(f"Search.setIndex({json.dumps(index)})")
    assert sitecheck.site_pages(html) == ["book/intro.html", "index.html"]
    assert sitecheck.leftover_pages(html) == []
    assert sitecheck.site_pages(html / "ja") == ["book/intro.html", "index.html"]
    assert sitecheck.is_sub_site(html / "ja") and not sitecheck.is_sub_site(html)
    assert sitecheck.default_root(html / "ja") == tmp_path / "_build" / "ja" / "src"


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
