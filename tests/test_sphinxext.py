"""Sphinx glue: launch buttons point at student notebooks; MathJax is served locally."""

from pathlib import Path
from types import SimpleNamespace

from nma_dl import sphinxext


def test_student_path_for_tutorial_pages_only():
    assert (
        sphinxext.student_path_for("book/tutorials/decoding") == "notebooks/student/decoding.ipynb"
    )
    assert sphinxext.student_path_for("book/intro") is None


def test_colab_launch_button_is_retargeted():
    colab = "https://colab.research.google.com/github/o/r/blob/main/book/tutorials/x.md"
    binder = "https://mybinder.org/v2/gh/o/r/main?urlpath=book/tutorials/x.md"
    context = {"header_buttons": [{"type": "group", "buttons": [{"url": colab}, {"url": binder}]}]}
    sphinxext.retarget_launch_buttons(None, "book/tutorials/x", None, context, None)
    urls = [b["url"] for b in context["header_buttons"][0]["buttons"]]
    assert urls == [
        "https://colab.research.google.com/github/o/r/blob/main/notebooks/student/x.ipynb",
        binder,
    ]


def test_non_tutorial_page_untouched():
    url = "https://colab.research.google.com/github/o/r/blob/main/book/intro.md"
    context = {"header_buttons": [{"url": url}]}
    sphinxext.retarget_launch_buttons(None, "book/intro", None, context, None)
    assert context["header_buttons"][0]["url"] == url


def test_mathjax_is_copied_with_its_fonts(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinxext.copy_mathjax(app, None)
    script = tmp_path / "_static" / sphinxext.MATHJAX_SCRIPT
    assert script.stat().st_size > 100_000
    fonts = list((tmp_path / "_static/mathjax/output/chtml/fonts").rglob("*.woff"))
    assert fonts, "MathJax's CHTML fonts were not copied"


def test_mathjax_not_copied_after_failed_build(tmp_path):
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    sphinxext.copy_mathjax(app, RuntimeError("build failed"))
    assert not (tmp_path / "_static").exists()


def test_config_uses_local_mathjax():
    config = SimpleNamespace(mathjax_path="https://cdn.example/mathjax.js")
    sphinxext.use_local_mathjax(None, config)
    assert (
        config.mathjax_path == sphinxext.MATHJAX_SCRIPT
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
    sphinxext.dedupe_scripts(None, "p", None, context, None)
    assert context["script_files"] == [_JavaScript("a.js"), thebe, other]
