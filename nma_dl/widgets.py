"""Live widgets in a notebook, static fallbacks on the book's pages.

A widget only works while a kernel runs it. Each widget here is wrapped in a
:class:`~nma_dl.display.StaticFallback` (:mod:`nma_dl.display` holds that machinery): Jupyter,
Colab and Kaggle render the widget, while the book (configured to skip widget views) shows the
initial figure with a line asking readers to launch the notebook. Nothing in this module needs
a kernel or the network.
"""

from numbers import Integral

import ipywidgets
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure

from nma_dl._validate import Interval, require, validate_instance, validate_int

# StaticFallback is imported from here too (by training.py and tests), as before the move.
from nma_dl.display import StaticFallback, figure_html, show_figure
from nma_dl.i18n import tr
from nma_dl.models.conv import ConvolutionalLayer
from nma_dl.neurons import fi_curve
from nma_dl.plotting.neurons import plot_fi_curve
from nma_dl.plotting.rsa import plot_tuning
from nma_dl.stimuli import filters, grating

__all__ = [
    "conv_activations_figure",
    "conv_activations_widget",
    "lif_fi_figure",
    "lif_fi_widget",
    "tuning_widget",
]


def _sliders_widget(sliders, draw, alt, caption):
    """Sliders above an ``Output`` showing ``draw(*values)``, wrapped with its static fallback.

    Parameters
    ----------
    sliders : list of tuple
        ``(name, value, low, high, step, description)`` for each slider: ``value``, the
        argument called ``name``, must be a number in [low, high].
    draw : callable
        ``draw(*values)`` returns the figure for the sliders' values, in their order.
    alt, caption : callable
        ``alt(*values)`` and ``caption(*values)``: what the figure shows, and the line under
        the static figure on the site.

    Returns
    -------
    StaticFallback
        The live widget is ``result.widget``, a ``VBox`` of the sliders and an ``Output``;
        ``result.widget.redraw()`` draws the current setting again and returns the figure. The
        figure is redrawn when a slider is released.
    """
    for name, value, low, high, _, _ in sliders:
        validate_instance(value, (int, float), name, "a number", show_value=True)
        require(
            low <= value <= high, name, f"between {low} and {high} (the slider's range)", value
        )
    style = {"description_width": "initial"}
    controls = [
        ipywidgets.FloatSlider(
            value=float(value),
            min=low,
            max=high,
            step=step,
            style=style,
            description=description,
            continuous_update=False,
        )
        for _, value, low, high, step, description in sliders
    ]
    out = ipywidgets.Output()
    box = ipywidgets.VBox([*controls, out])

    def redraw(change=None):
        """Draw the figure for the sliders' values (``change``, the slider's event, is unused)."""
        values = [control.value for control in controls]
        fig = draw(*values)
        show_figure(out, fig, alt(*values))
        return fig

    for control in controls:
        control.observe(redraw, names="value")
    box.redraw = redraw
    first = redraw()
    values = [control.value for control in controls]
    return StaticFallback(box, figure_html(first, caption(*values), alt=alt(*values)))


# ---------------------------------------------------------------------------
# Tutorial: Biological vs. artificial neural networks
# ---------------------------------------------------------------------------


def _lif_alt(rm, tau):
    """Say what the f-I curve for ``Rm=rm``, ``tau_ref=tau`` looks like (for the alt text)."""
    return tr(
        "Line plot of the LIF neuron's spike count in one second against input current from 0 "
        "to 2 mA (Rm = {Rm:g} kOhm, tau_ref = {tau_ref:g} ms): no spikes below a threshold "
        "current, then a count that rises with the current, steeply just above threshold and "
        "more slowly after, reaching {top:g} spikes at 2 mA: the time to charge the membrane to "
        "threshold, a logarithm of the current, falls fast just above threshold and ever more "
        "slowly after (the refractory period adds its fixed {tau_ref:g} ms to every interval, "
        "so the rate never exceeds {cap:g} spikes per second).",
        Rm=rm,
        tau_ref=tau,
        top=fi_curve([2.0], Rm=rm, tau_ref=tau)[0],
        cap=1000 / tau,
    )


def _lif_launch_note(rm, tau):
    """Return the line under the static f-I curve."""
    return tr(
        "Static figure for Rm = {Rm:g} kOhm and tau_ref = {tau_ref:g} ms. Launch this page as a "
        "notebook (Colab, Kaggle or Jupyter) to move the sliders.",
        Rm=rm,
        tau_ref=tau,
    )


def lif_fi_figure(Rm=1.0, tau_ref=1.0, currents=None):
    """Draw the LIF neuron's frequency-current curve for ``Rm`` and ``tau_ref`` in a new figure.

    The neuron is simulated for 1000 ms in 1 ms steps (:func:`nma_dl.neurons.fi_curve`). The
    figure is not registered with pyplot, so nothing is shown twice and nothing leaks when it
    is dropped.

    Parameters
    ----------
    Rm : float, default=1.0
        Membrane resistance (kOhm).
    tau_ref : float, default=1.0
        Refractory period (ms).
    currents : sequence of float, optional
        Input currents (mA); default 10 currents from 0 to 2 mA.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    currents = np.linspace(0, 2, 10) if currents is None else currents
    counts = fi_curve(currents, Rm=Rm, tau_ref=tau_ref)
    fig = Figure(figsize=(6, 4), layout="tight")
    plot_fi_curve(currents, counts, ax=fig.add_subplot())
    return fig


def lif_fi_widget(Rm=1.0, tau_ref=1.0):
    """Make sliders for membrane resistance and refractory period that redraw the f-I curve.

    In a kernel the sliders work (the figure is redrawn when a slider is released); on the
    static site the initial figure is shown with a line asking readers to launch the notebook.

    Parameters
    ----------
    Rm : float, default=1.0
        Initial membrane resistance (kOhm), between 1 and 100 (the slider's range).
    tau_ref : float, default=1.0
        Initial refractory period (ms), between 1 and 100.

    Returns
    -------
    StaticFallback
        The live widget is ``result.widget``, a ``VBox`` of the two sliders and an ``Output``;
        ``result.widget.redraw()`` draws the current setting again and returns the figure.
    """
    return _sliders_widget(
        [("Rm", Rm, 1, 100, 0.1, "Rm (kOhm)"), ("tau_ref", tau_ref, 1, 100, 0.1, "tau_ref (ms)")],
        lambda rm, tau: lif_fi_figure(rm, tau),
        alt=_lif_alt,
        caption=_lif_launch_note,
    )


# ---------------------------------------------------------------------------
# Tutorial: Building and evaluating normative encoding models
# ---------------------------------------------------------------------------


def tuning_widget(resp_dict, ori, n_units=3, seed=0):
    """Tuning curves of random units, with a button that draws another random set.

    The first set is drawn with ``seed`` and each click with the next seed (``seed + 1``,
    ...), so a notebook run twice shows the same sets in the same order. The static site shows
    the first set.

    Parameters
    ----------
    resp_dict : dict
        ``{label: (n_stimuli, n_units) responses}``, as for :func:`nma_dl.plot_tuning`.
    ori : array-like
        (n_stimuli,) orientation of each stimulus.
    n_units : int, default=3
        Curves per panel.
    seed : int, default=0
        Seed of the first set.

    Returns
    -------
    StaticFallback
        The live widget is ``result.widget``, a ``VBox`` of the button and an ``Output``;
        ``result.widget.redraw()`` draws the next set and returns its figure.
    """
    seed = validate_int(seed, "seed", Interval(Integral, 0))
    n_units = validate_int(n_units, "n_units", Interval(Integral, 1))
    first = plot_tuning(resp_dict, ori, n_units=n_units, seed=seed)  # checks the data too
    plt.close(first)  # shown by the widget or the fallback, not again at the end of the cell
    button = ipywidgets.Button(description=tr("draw another random set"))
    out = ipywidgets.Output()
    box = ipywidgets.VBox([button, out])
    state = {"seed": seed}

    def show(fig):
        alt = tr(
            "Tuning curves of {n_units} random units of each of: {labels}",
            n_units=n_units,
            labels=", ".join(resp_dict),
        )
        show_figure(out, fig, alt)

    def redraw(click=None):
        """Draw the next set (``click``, the button's event, is unused)."""
        state["seed"] += 1
        fig = plot_tuning(resp_dict, ori, n_units=n_units, seed=state["seed"])
        plt.close(fig)
        show(fig)
        return fig

    button.on_click(redraw)
    box.redraw = redraw
    show(first)
    caption = tr(
        "Tuning curves, response against stimulus orientation, of {n_units} units chosen at "
        "random (seed {seed}) in each of: {labels}. Launch this page as a notebook (Colab, "
        "Kaggle or Jupyter) to draw other units with the button.",
        n_units=n_units,
        seed=seed,
        labels=", ".join(resp_dict),
    )
    return StaticFallback(box, figure_html(first, caption))


# ---------------------------------------------------------------------------
# Tutorial: Convolutional neural networks
# ---------------------------------------------------------------------------


def _conv_alt(angle, phase):
    """Say what the grating and activation maps for ``angle`` and ``phase`` show (alt text)."""
    return tr(
        "A grating at {angle:g} degrees, phase {phase:g} degrees, and the activation maps of the "
        "six example filters",
        angle=angle,
        phase=phase,
    )


def _conv_launch_note(angle, phase):
    """Return the line under the static grating and activation maps."""
    return tr(
        "Static figure for a grating at {angle:g} degrees, phase {phase:g} degrees. Launch this "
        "page as a notebook (Colab, Kaggle or Jupyter) to move the sliders.",
        angle=angle,
        phase=phase,
    )


def conv_activations_figure(angle=0.0, phase=0.0):
    """Draw a grating and the six activation maps of the example filters in a new figure.

    The grating is :func:`nma_dl.grating` at ``angle`` and ``phase``; the maps are the output
    of :class:`nma_dl.ConvolutionalLayer` with :func:`nma_dl.filters` (all on one colour scale,
    fixed so that figures for different settings compare). The figure is not registered with
    pyplot.

    Parameters
    ----------
    angle : float, default=0.0
        Grating orientation in degrees from vertical.
    phase : float, default=0.0
        Grating phase in degrees.

    Returns
    -------
    matplotlib.figure.Figure
        The figure: the grating, then channels 0 to 5.
    """
    image = grating(angle, phase=phase)
    layer = ConvolutionalLayer(filters=filters())
    with torch.no_grad():
        act = layer(image[None, None])[0]
    fig = Figure(figsize=(12, 2.4), layout="constrained")
    axes = fig.subplots(1, 7)
    axes[0].imshow(image.numpy(), cmap="gray", vmin=-0.5, vmax=0.5)
    axes[0].set_title(f"grating {angle:g}°", fontsize=11)
    for channel, ax in enumerate(axes[1:]):
        shown = ax.imshow(
            act[channel].numpy(), cmap="bwr", vmin=-CONV_ACT_LIMIT, vmax=CONV_ACT_LIMIT
        )
        ax.set_title(f"channel {channel}", fontsize=11)
    for ax in axes:
        ax.set(xticks=[], yticks=[])
    fig.colorbar(shown, ax=list(axes), label="activation", shrink=0.8)
    return fig


#: Colour range of :func:`conv_activations_figure`: about the largest activation any grating
#: gives with the example filters (11.3), so no setting saturates the colours.
CONV_ACT_LIMIT = 12.0


def conv_activations_widget(angle=0.0, phase=0.0):
    """Make sliders for a grating's orientation and phase that redraw the six activation maps.

    In a kernel the sliders work (the figure is redrawn when a slider is released); on the
    static site the initial figure is shown with a line asking readers to launch the notebook.

    Parameters
    ----------
    angle : float, default=0.0
        Initial orientation in degrees, between -90 and 90 (the slider's range).
    phase : float, default=0.0
        Initial phase in degrees, between 0 and 360.

    Returns
    -------
    StaticFallback
        The live widget is ``result.widget``, a ``VBox`` of the two sliders and an ``Output``;
        ``result.widget.redraw()`` draws the current setting again and returns the figure.
    """
    return _sliders_widget(
        [
            ("angle", angle, -90, 90, 5, tr("orientation (°)")),
            ("phase", phase, 0, 360, 15, tr("phase (°)")),
        ],
        lambda angle, phase: conv_activations_figure(angle, phase),
        alt=_conv_alt,
        caption=_conv_launch_note,
    )
