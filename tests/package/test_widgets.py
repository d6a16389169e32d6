"""nma_dl.display, what the widgets build on: a widget with a static fallback, figures as HTML.

(The widgets themselves are tested with their tutorials' code: tests/package/test_lif_widget.py,
tests/package/test_convolution.py, tests/package/test_analysis.py.)
"""

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

from nma_dl.display import StaticFallback, _widget_bundle, figure_html, show_figure

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# ------------------------------------------------------------ StaticFallback


def test_bundle_has_the_widget_view_and_the_fallback_html():
    slider = ipywidgets.IntSlider(value=3)
    wrapped = StaticFallback(slider, "<p>launch the notebook</p>")
    bundle = wrapped._repr_mimebundle_()

    assert wrapped.widget is slider and wrapped.html == "<p>launch the notebook</p>"
    assert bundle[WIDGET_VIEW]["model_id"] == slider.model_id
    # repr(widget) is the plain text on ipywidgets 8 (its _repr_mimebundle_) and 7 (none).
    assert bundle["text/plain"] == repr(slider)
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
    caption = "Launch the notebook to move the sliders &lt;&amp;&gt;</figcaption>"
    assert "<figcaption" in snippet and caption in snippet
    assert 'alt="Launch the notebook to move the sliders &lt;&amp;&gt;"' in snippet
    assert _embedded_png(snippet).startswith(PNG_MAGIC)


def test_figure_html_alt_text_apart_from_the_caption():
    fig, _ = plt.subplots(figsize=(2, 1), dpi=50)
    snippet = figure_html(fig, caption="Launch it", alt='A rising line "y = x"')
    assert 'alt="A rising line &quot;y = x&quot;"' in snippet
    assert ">Launch it</figcaption>" in snippet
    # The caption brings its own dark-on-white colours (a dark page shows outputs on light grey).
    assert 'style="background:#ffffff;color:#1f2328' in snippet
    with pytest.raises(TypeError, match="alt must be a str or None"):
        figure_html(fig, alt=3)


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
    # nma_dl.widgets is not among them: its LIF and convolution widgets compute with torch.
    code = (
        "import sys, nma_dl.plotting, nma_dl.display, nma_dl.videos; "
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


def test_widget_bundle_is_the_same_view_on_ipywidgets_7_and_8():
    slider = ipywidgets.IntSlider()
    bundle = _widget_bundle(slider)
    view = bundle[WIDGET_VIEW]
    assert view["model_id"] == slider.model_id and view["version_major"] == 2
    assert bundle["text/plain"] == repr(slider)


# ------------------------------------------------------------ show_figure


def _figure(color):
    fig = matplotlib.figure.Figure(figsize=(2, 2))
    fig.add_subplot().plot([0, 1], [0, 1], color=color)
    return fig


def test_show_figure_puts_one_png_in_the_output_and_replaces_the_last():
    out = ipywidgets.Output()
    show_figure(out, _figure("red"), "a red line")
    [first] = out.outputs
    assert first["output_type"] == "display_data"
    assert first["data"]["text/plain"] == "a red line"
    assert base64.b64decode(first["data"]["image/png"]).startswith(PNG_MAGIC)
    show_figure(out, _figure("blue"))
    [second] = out.outputs
    assert second["data"]["text/plain"] == "figure"
    assert second["data"]["image/png"] != first["data"]["image/png"]
    assert not any("<Figure" in str(o) for o in out.outputs)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "out, fig, alt, error, words",
    [
        ("output", True, None, TypeError, "out must be an ipywidgets.Output"),
        (None, "not a figure", None, TypeError, "fig must be a matplotlib Figure"),
        (None, True, 3, TypeError, "alt must be a str or None"),
    ],
)
def test_show_figure_rejects_bad_input(out, fig, alt, error, words):
    out = ipywidgets.Output() if out is None else out
    fig = _figure("red") if fig is True else fig
    with pytest.raises(error, match=words):
        show_figure(out, fig, alt)
