"""Sphinx glue (book/_ext/course_ext.py): launch buttons point at student notebooks; MathJax is
served locally."""

import copy
import json
from pathlib import Path
from types import SimpleNamespace

import course_ext  # book/_ext and tools/ are on pytest's pythonpath (pyproject.toml)
import nbformat
import nbtools
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

TUTORIAL = "book/W1D5_DeepLearning/W1D5_Tutorial1"


def test_student_path_for_tutorial_pages_only():
    assert (
        course_ext.student_path_for(TUTORIAL)
        == "notebooks/student/W1D5_DeepLearning/W1D5_Tutorial1.ipynb"
    )
    assert course_ext.student_path_for("book/intro") is None
    for page in ("chapter_intro", "W1D5_Outro", "further_reading"):
        assert course_ext.student_path_for(f"book/W1D5_DeepLearning/{page}") is None


def test_layout_constants_agree_with_nbtools():
    """The extension carries its own copy of the layout; it must be the builder's."""
    assert course_ext.SOURCE_DIR == nbtools.SOURCE_DIR.as_posix()
    assert course_ext.STUDENT_DIR == nbtools.STUDENT_DIR.as_posix()
    assert course_ext.TUTORIAL_GLOB == nbtools.TUTORIAL_GLOB
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    slugs = nbtools.tutorial_slugs()
    assert slugs
    for doc in nbtools.toc_documents(toc):
        slug = doc.removeprefix("book/")
        want = (nbtools.STUDENT_DIR / f"{slug}.ipynb").as_posix() if slug in slugs else None
        assert course_ext.student_path_for(doc) == want, doc
        if want:
            assert (ROOT / want).is_file(), want


def test_config_declares_the_local_extension():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    sphinx = config["sphinx"]
    assert sphinx["local_extensions"] == {"course_ext": "book/_ext"}
    assert not any("nma_dl" in ext for ext in sphinx.get("extra_extensions") or [])


def test_colab_launch_button_is_retargeted():
    colab = f"https://colab.research.google.com/github/o/r/blob/main/{TUTORIAL}.md"
    binder = f"https://mybinder.org/v2/gh/o/r/main?urlpath={TUTORIAL}.md"
    context = {"header_buttons": [{"type": "group", "buttons": [{"url": colab}, {"url": binder}]}]}
    course_ext.retarget_launch_buttons(None, TUTORIAL, None, context, None)
    urls = [b["url"] for b in context["header_buttons"][0]["buttons"]]
    assert urls == [
        "https://colab.research.google.com/github/o/r/blob/main/"
        "notebooks/student/W1D5_DeepLearning/W1D5_Tutorial1.ipynb",
        binder,
    ]


def test_non_tutorial_page_loses_its_colab_button():
    """Chapter intros and outros have no notebook: Colab could only open their Markdown."""
    for page in ("book/intro", "book/W1D5_DeepLearning/W1D5_Outro"):
        colab = f"https://colab.research.google.com/github/o/r/blob/main/{page}.md"
        binder = f"https://mybinder.org/v2/gh/o/r/main?urlpath={page}.md"
        download = {"type": "group", "label": "download-buttons", "buttons": [{"url": "x.md"}]}
        context = {
            "header_buttons": [
                download,
                {"type": "group", "label": "launch-buttons", "buttons": [{"url": colab}]},
            ]
        }
        course_ext.retarget_launch_buttons(None, page, None, context, None)
        assert context["header_buttons"] == [download], "the emptied launch group goes too"
        context = {
            "header_buttons": [{"type": "group", "buttons": [{"url": colab}, {"url": binder}]}]
        }
        course_ext.retarget_launch_buttons(None, page, None, context, None)
        assert context["header_buttons"] == [{"type": "group", "buttons": [{"url": binder}]}]


def test_mathjax_is_copied_with_its_fonts(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    course_ext.copy_mathjax(app, None)
    script = tmp_path / "_static" / course_ext.MATHJAX_SCRIPT
    assert script.stat().st_size > 100_000
    fonts = list((tmp_path / "_static/mathjax/output/chtml/fonts").rglob("*.woff"))
    assert fonts, "MathJax's CHTML fonts were not copied"


def test_mathjax_not_copied_after_failed_build(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    course_ext.copy_mathjax(app, RuntimeError("build failed"))
    assert not (tmp_path / "_static").exists()


def test_config_uses_local_mathjax():
    config = SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js", mathjax3_config=None)
    course_ext.use_local_mathjax(None, config)
    assert (
        config.mathjax_path == course_ext.MATHJAX_SCRIPT
        and not Path(config.mathjax_path).is_absolute()
    )


def test_repeated_inline_scripts_are_dropped_once():
    from sphinx.builders.html._assets import _JavaScript

    thebe = _JavaScript("", body="const THEBE_JS_URL = 'x'")
    other = _JavaScript("", body="var a = 1")
    thebe_again = _JavaScript(None, body="const THEBE_JS_URL = 'x'")
    context = {
        "script_files": [_JavaScript("a.js"), thebe, other, thebe_again, _JavaScript("a.js")]
    }
    course_ext.dedupe_scripts(None, "p", None, context, None)
    assert context["script_files"] == [_JavaScript("a.js"), thebe, other]


def test_formulas_are_not_tab_stops_and_other_mathjax_options_stay():
    config = SimpleNamespace(
        mathjax_path="",
        mathjax3_config={"options": {"processHtmlClass": "math", "menuOptions": {"x": 1}}},
    )
    course_ext.use_local_mathjax(None, config)
    options = config.mathjax3_config["options"]
    assert options["menuOptions"] == {"x": 1, "settings": {"inTabOrder": False}}
    assert options["processHtmlClass"] == "math"


def test_static_and_template_folders_are_added_once():
    config = SimpleNamespace(html_static_path=["_static"], templates_path=["_templates"])
    course_ext.add_static_files(None, config)
    course_ext.add_static_files(None, config)
    assert config.html_static_path == ["_static", str(course_ext.STATIC_DIR)]
    # First, so the course's components win over the theme's.
    assert config.templates_path == [str(course_ext.TEMPLATES_DIR), "_templates"]
    for name in ("search-button-field.html", "theme-switcher.html"):
        template = (course_ext.TEMPLATES_DIR / name).read_text(encoding="utf-8")
        assert "aria-hidden" in template
    assert (course_ext.STATIC_DIR / course_ext.CSS_FILE).is_file()
    script = (course_ext.STATIC_DIR / course_ext.JS_FILE).read_text(encoding="utf-8")
    # Hooks MathJax's start-up, so it must come after Sphinx's MathJax configuration (500).
    assert "pageReady" in script and course_ext.JS_PRIORITY > 500


def test_badge_addresses_agree_with_nbtools_and_local_copies_exist():
    assert set(course_ext.BADGES) == {nbtools.COLAB_BADGE, nbtools.KAGGLE_BADGE}
    for local in course_ext.BADGES.values():
        svg = (course_ext.STATIC_DIR / local).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<title>Open in " in svg and 'role="img"' in svg
        assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # loads nothing


def test_page_body_gets_local_badges_and_unlabelled_toggles():
    body = (
        f'<img alt="Open In Colab" src="{nbtools.COLAB_BADGE}"/>'
        f'<img alt="Open in Kaggle" src="{nbtools.KAGGLE_BADGE}"/>'
        '<details class="hide above-input"><summary aria-label="Toggle hidden content">'
        '<span class="collapsed">Show code cell source</span></summary></details>'
    )
    context = {"body": body, "pathto": lambda name, resource: f"../../{name}"}
    course_ext.local_badges_and_labels(None, TUTORIAL, None, context, None)
    assert 'src="../../_static/badges/open-in-colab.svg"' in context["body"]
    assert 'src="../../_static/badges/open-in-kaggle.svg"' in context["body"]
    assert "https://" not in context["body"] and "aria-label" not in context["body"]
    assert '<summary><span class="collapsed">Show code cell source</span>' in context["body"]


def test_figures_stop_shrinking_where_their_labels_stay_legible():
    """course.js's least scale keeps the style's smallest text above the site check's minimum."""
    import re

    import sitecheck

    js = (ROOT / "book" / "_static" / "course.js").read_text(encoding="utf-8")
    [scale] = re.findall(r"var FIGURE_MIN_SCALE = ([0-9.]+);", js)
    style = ROOT / "nma_dl" / "plotting" / "course.mplstyle"
    dpi = float(re.search(r"^savefig\.dpi:\s*([0-9.]+)", style.read_text(), re.M).group(1))
    label_px = sitecheck.smallest_font_pt(style) * dpi / 72 * float(scale)
    assert label_px >= sitecheck.LABEL_MIN_PX, label_px
    css = (ROOT / "book" / "_static" / "course.css").read_text(encoding="utf-8")
    assert ".course-figure {" in css and "overflow-x: auto" in css


# ------------------------------------------------------------------------ downloadable notebooks


def _stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def _figure():
    return nbformat.v4.new_output("display_data", data={"text/plain": "<Figure>"})


def _page_build(tmp_path, outputs):
    """What a build leaves in _sources/ for a cell that printed ``outputs``: MyST-NB merges its
    streams for the page (nb_merge_streams), then writes the notebook and the theme copies it.
    Returns the HTML folder and the outputs the page showed."""
    from myst_nb.core.utils import coalesce_streams

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("train()", outputs=outputs)]
    shown = copy.deepcopy(coalesce_streams(nb.cells[0].outputs))
    path = tmp_path / "_sources" / "book" / "W0D0_Tutorial1.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return tmp_path, path, shown


def _outputs(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"][0]["outputs"]


def _texts(outputs):
    return [(o["output_type"], o.get("name"), "".join(o.get("text", ""))) for o in outputs]


@pytest.mark.parametrize(
    "outputs",
    [
        # set_seed's line, then the decoder's two lines: W1D5 Tutorial 1's cells.
        [_stream("Random seed 1 has been set."), _stream("\ndecoded: 0.19\ntrue: 139.55\n")],
        [_stream("seed\n")] + [_stream(f"iteration {i}\n") for i in range(5)] + [_figure()],
        [_stream("seed\n"), _figure(), _stream("accuracy 0.98\n"), _figure()],
        [_stream("a\n"), _stream("w\n", "stderr"), _stream("b\n"), _stream("w 2\n", "stderr")],
        [_stream("epoch 1\repoch 2\n"), _stream("epoch 3\r"), _stream("done\n")],
        [_stream("done\n"), _figure(), _stream("done\n")],
    ],
)
def test_downloaded_notebook_holds_each_printed_line_once_as_the_page(tmp_path, outputs):
    html, path, shown = _page_build(tmp_path, outputs)
    assert course_ext.download_problems(html) == [
        "_sources/book/W0D0_Tutorial1.ipynb: cell 0 repeats printed text"
    ]
    app = SimpleNamespace(outdir=str(html), builder=SimpleNamespace(format="html"))
    course_ext.one_output_per_download(app, None)
    fixed = _outputs(path)
    assert course_ext.download_problems(html) == []
    # What the page showed, in its order (the page also puts stdout before an adjacent stderr).
    for stderr in (False, True):
        assert [t for t in _texts(fixed) if (t[1] == "stderr") is stderr] == [
            t for t in _texts(shown) if (t[1] == "stderr") is stderr
        ]
    assert course_ext.fix_downloads(html) == [], "a second pass changes nothing"


def test_outputs_written_whole_are_left_alone_but_consecutive_streams_joined():
    outputs = [_stream("10\n"), _figure(), _stream("1\n"), _stream("2\n")]
    outputs.append(_stream("x\n", "stderr"))
    nb = {"cells": [{"cell_type": "code", "outputs": outputs}]}
    assert course_ext.repeated_streams(nb) == [], "whole lines: '1' does not repeat '10'"
    assert _texts(course_ext.one_output_each(outputs)) == [
        ("stream", "stdout", "10\n"),
        ("display_data", None, ""),
        ("stream", "stdout", "1\n2\n"),
        ("stream", "stderr", "x\n"),
    ]
    assert course_ext.one_output_each([_figure(), _figure()]) == [_figure(), _figure()]


def test_downloads_are_not_touched_after_a_failed_build(tmp_path):
    html, path, _ = _page_build(tmp_path, [_stream("a\n"), _stream("b\n")])
    before = path.read_bytes()
    app = SimpleNamespace(outdir=str(html), builder=SimpleNamespace(format="html"))
    course_ext.one_output_per_download(app, RuntimeError("build failed"))
    assert path.read_bytes() == before


def test_the_downloads_are_fixed_after_the_pages_are_written():
    hooks = []
    app = SimpleNamespace(
        connect=lambda event, fn, priority=500: hooks.append((event, fn)),
        add_css_file=lambda *a, **k: None,
        add_js_file=lambda *a, **k: None,
        add_config_value=lambda *a, **k: None,
    )
    course_ext.setup(app)
    assert ("build-finished", course_ext.one_output_per_download) in hooks


@pytest.mark.slow
def test_built_site_downloads_print_each_line_once():
    """The book `make book` built: every _sources/*.ipynb holds each cell's output once."""
    html = ROOT / "_build" / "html"
    if not list((html / "_sources").rglob("*.ipynb")):
        pytest.skip("no built book (make book)")
    assert course_ext.download_problems(html) == []


MINI_PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# A page

```{code-cell} ipython3
import sys

for line in ("Random seed 1 has been set.", "\\ndecoded: 0.19", "true: 139.55"):
    print(line)
    sys.stdout.flush()  # one stream output per line, as a training loop's log
```
"""


@pytest.mark.slow
def test_a_real_build_offers_a_download_with_each_line_once(tmp_path):
    """MyST-NB, sphinx-book-theme and this extension together, on a one-page book."""
    import subprocess
    import sys

    (tmp_path / "conf.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT / 'book' / '_ext')!r})\n"
        "extensions = ['myst_nb', 'course_ext']\nhtml_theme = 'sphinx_book_theme'\n"
        "html_theme_options = {'repository_url': 'https://github.com/o/r',\n"
        "    'launch_buttons': {'colab_url': 'https://colab.research.google.com'}}\n"
        "nb_execution_mode = 'force'\nnb_merge_streams = True\n"
    )
    (tmp_path / "index.md").write_text(MINI_PAGE)
    out = tmp_path / "_build" / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", str(tmp_path), str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    download = json.loads((out / "_sources" / "index.ipynb").read_text(encoding="utf-8"))
    [cell] = [c for c in download["cells"] if c["cell_type"] == "code"]
    assert _texts(cell["outputs"]) == [
        ("stream", "stdout", "Random seed 1 has been set.\n\ndecoded: 0.19\ntrue: 139.55\n")
    ]
    assert course_ext.download_problems(out) == []
