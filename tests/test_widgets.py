"""nma_dl.widgets: a widget with a static HTML fallback, and figures as inline HTML."""

import base64
import re
import subprocess
import sys

import ipywidgets
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from IPython.core.formatters import DisplayFormatter

from nma_dl.widgets import StaticFallback, figure_html

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------ StaticFallback


def test_bundle_has_the_widget_view_and_the_fallback_html():
    slider = ipywidgets.IntSlider(value=3)
    wrapped = StaticFallback(slider, "<p>launch the notebook</p>")
    bundle = wrapped._repr_mimebundle_()

    assert wrapped.widget is slider and wrapped.html == "<p>launch the notebook</p>"
    assert bundle[WIDGET_VIEW]["model_id"] == slider.model_id
    assert bundle["text/plain"] == slider._repr_mimebundle_()["text/plain"]
    assert bundle["text/html"] == "<p>launch the notebook</p>"


def test_bundle_honours_include_and_exclude():
    wrapped = StaticFallback(ipywidgets.Button(), "<b>static</b>")
    assert set(wrapped._repr_mimebundle_(include={"text/html"})) == {"text/html"}
    assert WIDGET_VIEW not in wrapped._repr_mimebundle_(exclude={WIDGET_VIEW})
    assert "text/html" in wrapped._repr_mimebundle_(exclude={WIDGET_VIEW})


def test_ipython_formats_the_object_with_all_three_mimetypes():
    data, _ = DisplayFormatter().format(StaticFallback(ipywidgets.Label("x"), "<i>x</i>"))
    assert {WIDGET_VIEW, "text/plain", "text/html"} <= set(data)
    assert data["text/html"] == "<i>x</i>"


def test_bundle_reflects_a_widget_returning_data_and_metadata():
    class Custom:
        def _repr_mimebundle_(self, **kwargs):
            return {"text/plain": "custom"}, {"text/plain": {"note": 1}}

    data, metadata = StaticFallback(Custom(), "<p>c</p>")._repr_mimebundle_()
    assert data == {"text/plain": "custom", "text/html": "<p>c</p>"}
    assert metadata == {"text/plain": {"note": 1}}


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "widget, html, error, words",
    [
        ("a slider", "<p>x</p>", TypeError, "widget must be"),
        (None, "<p>x</p>", TypeError, "widget must be"),
        ("widget", b"<p>x</p>", TypeError, "html must be a str"),
        ("widget", None, TypeError, "html must be a str"),
        ("widget", "   ", ValueError, "html must not be empty"),
    ],
)
def test_static_fallback_rejects_bad_input(widget, html, error, words):
    if widget == "widget":
        widget = ipywidgets.Button()
    with pytest.raises(error, match=words):
        StaticFallback(widget, html)


# --------------------------------------------------------------- figure_html


def _embedded_png(snippet):
    match = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', snippet)
    assert match, snippet[:200]
    return base64.b64decode(match.group(1))


def test_figure_html_embeds_a_png_of_the_figure_and_leaves_it_open():
    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    ax.plot([0, 1], [0, 1])
    snippet = figure_html(fig)

    assert snippet.startswith("<figure>") and snippet.rstrip().endswith("</figure>")
    assert "<figcaption>" not in snippet
    assert _embedded_png(snippet).startswith(PNG_MAGIC)
    assert plt.fignum_exists(fig.number)
    assert "http" not in snippet  # nothing external to load


def test_figure_html_adds_an_escaped_caption():
    fig, _ = plt.subplots(figsize=(2, 1), dpi=50)
    snippet = figure_html(fig, caption="Launch the notebook to move the sliders <&>")
    caption = "<figcaption>Launch the notebook to move the sliders &lt;&amp;&gt;</figcaption>"
    assert caption in snippet
    assert 'alt="Launch the notebook to move the sliders &lt;&amp;&gt;"' in snippet
    assert _embedded_png(snippet).startswith(PNG_MAGIC)


def test_figure_html_changes_with_the_figure():
    fig, ax = plt.subplots(figsize=(2, 1), dpi=50)
    before = _embedded_png(figure_html(fig))
    ax.plot([0, 1], [1, 0], linewidth=5)
    assert _embedded_png(figure_html(fig)) != before


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "fig, caption, words",
    [
        ("figure", None, "fig must be a matplotlib Figure"),
        ("axes", None, "fig must be a matplotlib Figure"),
        ("fig", 3, "caption must be a str"),
    ],
)
def test_figure_html_rejects_bad_input(fig, caption, words):
    real_fig, ax = plt.subplots()
    fig = {"fig": real_fig, "axes": ax}.get(fig, fig)
    with pytest.raises(TypeError, match=words):
        figure_html(fig, caption=caption)


def test_display_modules_import_without_torch():
    code = (
        "import sys, nma_dl.plotting, nma_dl.widgets, nma_dl.videos; "
        "assert 'torch' not in sys.modules, 'torch was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_fallback_supports_ipywidgets7_widgets_without_repr_mimebundle():
    # ipywidgets 7 (what Colab ships) publishes the widget view from _ipython_display_ only.
    class OldWidget:
        model_id = "abc123"

        def __repr__(self):
            return "OldWidget()"

    bundle = StaticFallback(OldWidget(), "<p>static</p>")._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == "abc123"
    assert bundle["application/vnd.jupyter.widget-view+json"]["version_major"] == 2
    assert bundle["text/plain"] == "OldWidget()" and bundle["text/html"] == "<p>static</p>"
