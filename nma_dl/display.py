"""Show things alike in a notebook and on the book's static pages.

A widget only works while a kernel runs it, and the book is built with widget views skipped.
:class:`StaticFallback` wraps a widget with an HTML stand-in: Jupyter, Colab and Kaggle render
the widget view, while the book shows the HTML. :func:`figure_html` turns a matplotlib figure
into such HTML (a PNG embedded in the page), and :func:`show_figure` puts a figure in an
``ipywidgets.Output`` as an image, in a kernel or not. :mod:`nma_dl.widgets` and
:mod:`nma_dl.videos` build on these. Nothing here needs a kernel or the network, and importing
the module imports neither torch nor ipywidgets.
"""

import base64
import html as html_lib
import io

from matplotlib.figure import Figure

from nma_dl._validate import validate_instance
from nma_dl.i18n import tr

# The package's plumbing, not the course's: nma_dl exports none of it.
__all__ = []


class StaticFallback:
    """A widget that carries its own static HTML fallback.

    Displaying an instance publishes the widget's own MIME bundle (the widget
    view and its plain-text repr) plus ``text/html``. Frontends with a widget
    manager prefer the widget view; the static book shows the HTML.

    Parameters
    ----------
    widget : ipywidgets.Widget
        The live widget; anything with a ``_repr_mimebundle_`` method works.
    html : str
        HTML shown where the widget cannot run. It should make no external
        requests (no iframes, remote images or scripts).

    Attributes
    ----------
    widget : ipywidgets.Widget
        The live widget.
    html : str
        The fallback HTML.
    """

    def __init__(self, widget, html):
        if not (
            callable(getattr(widget, "_repr_mimebundle_", None)) or hasattr(widget, "model_id")
        ):
            raise TypeError(
                "widget must be an ipywidgets widget (an object with _repr_mimebundle_ or "
                f"model_id); got {type(widget).__name__}"
            )
        validate_instance(html, str, "html", "a str", sep=";")
        if not html.strip():
            raise ValueError("html must not be empty; got a blank string")
        self.widget = widget
        self.html = html

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = _widget_bundle(self.widget)
        metadata = None
        if isinstance(bundle, tuple):  # (data, metadata) is also a valid mimebundle reply
            bundle, metadata = bundle
        data = dict(bundle or {})
        data["text/html"] = self.html
        if include is not None:
            data = {key: value for key, value in data.items() if key in include}
        if exclude is not None:
            data = {key: value for key, value in data.items() if key not in exclude}
        return data if metadata is None else (data, metadata)

    def __repr__(self):
        """Name the wrapped widget."""
        return f"StaticFallback({self.widget!r})"


def _widget_bundle(widget):
    """Return the widget's own MIME bundle, also for ipywidgets 7 (Colab's).

    ipywidgets 7 has no ``_repr_mimebundle_`` and publishes this same view from
    ``_ipython_display_``.
    """
    if callable(getattr(widget, "_repr_mimebundle_", None)):
        return widget._repr_mimebundle_()
    view = {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}
    return {"text/plain": repr(widget), "application/vnd.jupyter.widget-view+json": view}


_CAPTION_STYLE = "background:#ffffff;color:#1f2328;padding:.2em .4em"


def figure_html(fig, caption=None, alt=None):
    """Return a matplotlib figure as a self-contained HTML ``<figure>``.

    The figure is rendered to PNG and embedded as a base64 data URI, so the
    snippet needs no file next to it and makes no request. The figure is left
    open.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    caption : str, optional
        Text shown under the image as ``<figcaption>`` (escaped, so it is plain
        text, not HTML), in dark text on white whatever the page's colours.
    alt : str, optional
        What the image shows, for readers who cannot see it (escaped). Default: the
        caption, or ``"figure"`` without one; give it when the caption says something
        else (a screen reader reads both).

    Returns
    -------
    html : str
        ``<figure><img src="data:image/png;base64,..."></figure>``, with the
        caption when given.

    Examples
    --------
    >>> snippet = figure_html(Figure(figsize=(1, 1)), caption="Empty")
    >>> snippet.splitlines()[1].startswith('<img src="data:image/png;base64,')
    True
    >>> print(snippet.splitlines()[-2])
    <figcaption style="background:#ffffff;color:#1f2328;padding:.2em .4em">Empty</figcaption>
    >>> snippet.splitlines()[-1]
    '</figure>'
    """
    validate_instance(fig, Figure, "fig", "a matplotlib Figure", sep=";")
    validate_instance(caption, (str, type(None)), "caption", "a str or None", sep=";")
    validate_instance(alt, (str, type(None)), "alt", "a str or None", sep=";")

    encoded = _png_base64(fig)
    alt = html_lib.escape(alt or caption or tr("figure"), quote=True)
    parts = [f'<figure>\n<img src="data:image/png;base64,{encoded}" alt="{alt}">']
    if caption:
        # Own colours: a dark-mode page shows outputs on light grey, where its muted caption
        # grey has a contrast of 1.7:1 (#1f2328 on #fff: 15.8:1).
        parts.append(
            f'<figcaption style="{_CAPTION_STYLE}">{html_lib.escape(caption)}</figcaption>'
        )
    parts.append("</figure>")
    return "\n".join(parts)


def _png_base64(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def show_figure(out, fig, alt=None):
    """Show a matplotlib figure in an ``ipywidgets.Output`` as a PNG image, replacing its content.

    ``display(fig)`` inside ``with out:`` prints ``<Figure size ...>`` in a fresh kernel that has
    no inline backend yet (Colab, Kaggle), and captures nothing outside a kernel. Setting the
    output's content to the rendered image works in both cases, on ipywidgets 7 and 8 alike.

    Parameters
    ----------
    out : ipywidgets.Output
        Where the figure goes.
    fig : matplotlib.figure.Figure
        The figure; it is left open.
    alt : str, optional
        Plain-text stand-in for frontends that show no images (default ``"figure"``).
    """
    validate_instance(fig, Figure, "fig", "a matplotlib Figure", sep=";")
    validate_instance(alt, (str, type(None)), "alt", "a str or None", sep=";")
    if not hasattr(out, "outputs"):
        raise TypeError(f"out must be an ipywidgets.Output; got {type(out).__name__}")
    image = {
        "output_type": "display_data",
        "data": {"image/png": _png_base64(fig), "text/plain": alt or tr("figure")},
        "metadata": {},
    }
    out.outputs = (image,)
