"""Sphinx glue (book/_ext/course_ext.py): launch buttons point at student notebooks; MathJax is
served locally."""

from pathlib import Path
from types import SimpleNamespace

import course_ext  # book/_ext and tools/ are on pytest's pythonpath (pyproject.toml)
import nbtools
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
