"""A decoder's weights and its hidden units' activity, as images.

:func:`visualize_weights` draws the input weights (neurons by hidden units) beside the output
weights; :func:`visualize_hidden_units` the input weights beside the hidden units' responses to
each stimulus, and those responses as tuning curves. Given the preferred orientation of each
sorted neuron, the neurons' axis is ticked with it (``preferred=``).
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from nma_dl._validate import validate_instance
from nma_dl.plotting.style import (
    _as_vector,
    _matrix,
    _orientation_ticks,
    _sorted_orientations,
    class_colors,
)

__all__ = ["visualize_hidden_units", "visualize_weights"]


_SORTED = "neurons sorted by preferred orientation"

# Hidden units per line style in the tuning curves: the first five solid, the next dashed, ...,
# so that curves differ in more than colour.
_UNITS_PER_STYLE = 5
_LINESTYLES = ["-", "--", "-.", ":"]

# Most hidden units named in a legend: past that, a legend is a wall of text nobody reads.
_MAX_LEGEND = 20


def _preferred(preferred, n_neurons):
    """Return the checked preferred orientations of the sorted columns (``None`` stays so)."""
    if preferred is None:
        return None
    return _sorted_orientations(
        preferred, "preferred", n_neurons, "column of W_in_sorted", "preferred orientation"
    )


def _weights_panel(ax, W_in_sorted, xlabel=_SORTED, preferred=None):
    image = ax.imshow(W_in_sorted, aspect="auto", cmap="bwr", vmin=-1e-2, vmax=1e-2)
    ax.figure.colorbar(image, ax=ax)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # hidden units are whole numbers
    if preferred is not None:
        # The columns' order is their preferred orientation: say it on the axis, in degrees.
        ax.set_xticks(*_orientation_ticks(preferred))
    ax.set(xlabel=xlabel, ylabel="hidden units")
    ax.set_title("$W_{in}$")


def visualize_weights(W_in_sorted, W_out, xlabel=_SORTED, preferred=None):
    """Show the decoder's input weights and output weights as two heatmaps.

    Colour limits are fixed, ±0.01 for ``W_in`` and ±3 for ``W_out``, so figures of different
    networks compare. The output weights' x-axis has one tick per output unit, none when there
    is a single output.

    Parameters
    ----------
    W_in_sorted : array-like or torch.Tensor
        (n_hidden, n_neurons) input weights, one column per neuron, usually sorted (e.g. by
        preferred orientation).
    W_out : array-like or torch.Tensor
        (n_outputs, n_hidden) output weights.
    xlabel : str, default='neurons sorted by preferred orientation'
        The x-axis label of the input weights: say how the columns are ordered (e.g.
        ``'neurons, in recorded order'`` for unsorted weights).
    preferred : array-like or torch.Tensor, optional
        (n_neurons,) preferred orientation in degrees of each column of ``W_in_sorted``, in
        the same (non-decreasing) order. If given, the input weights' x-axis is ticked with a
        few round orientations ("0°", "90°", ...), each at the first neuron preferring it or
        more; by default the ticks are neuron indices.

    Returns
    -------
    matplotlib.figure.Figure
    """
    W_in_sorted = _matrix(W_in_sorted, "W_in_sorted")
    W_out = _matrix(W_out, "W_out")
    validate_instance(xlabel, str, "xlabel", "a str", sep=";")
    preferred = _preferred(preferred, W_in_sorted.shape[1])
    if W_out.shape[1] != W_in_sorted.shape[0]:
        raise ValueError(
            f"W_out must have one column per hidden unit ({W_in_sorted.shape[0]} rows of "
            f"W_in_sorted), got shape {W_out.shape}"
        )
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(10, 4))
    _weights_panel(ax_in, W_in_sorted, xlabel, preferred)
    image = ax_out.imshow(W_out.T, aspect="auto", cmap="bwr", vmin=-3, vmax=3)
    fig.colorbar(image, ax=ax_out)
    if len(W_out) == 1:  # a single column: a position along x would mean nothing
        ax_out.set_xticks([])
    else:
        ax_out.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_out.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_out.set(xlabel="output" if len(W_out) == 1 else "output unit", ylabel="hidden units")
    ax_out.set_title("$W_{out}$")
    fig.tight_layout()
    return fig


def _tuning_curves(ax, x, h):
    """One curve per hidden unit, each in its own colour, named in a legend beside the axes."""
    colors = class_colors(len(h))
    for unit, (curve, color) in enumerate(zip(h, colors, strict=True)):
        style = _LINESTYLES[(unit // _UNITS_PER_STYLE) % len(_LINESTYLES)]
        ax.plot(x, curve, color=color, linestyle=style, label=f"unit {unit}")
    ax.set(xlabel="stimulus orientation (°)", ylabel="hidden unit activity")
    ax.set_title(r"$\mathbf{h}$ tuning curves")
    if len(h) <= _MAX_LEGEND:
        # Below the curves, where it hides none of them; a row per line style (units 0-4
        # solid, 5-9 dashed). Beside them it would widen the right margin that the activity
        # map above shares, pushing that map's colour bar away from it.
        ncol = min(len(h), _UNITS_PER_STYLE)
        handles, labels = ax.get_legend_handles_labels()
        # A legend fills column by column: hand it the entries so that they read by rows.
        order = [i * ncol + j for j in range(ncol) for i in range(len(h)) if i * ncol + j < len(h)]
        ax.legend(
            [handles[k] for k in order],
            [labels[k] for k in order],
            loc="upper center",
            bbox_to_anchor=(0.5, -0.2),
            borderaxespad=0,
            fontsize="small",
            ncol=ncol,
        )


def visualize_hidden_units(W_in_sorted, h, stimuli=None, preferred=None):
    """Sorted input weights next to the hidden units' activity, and its tuning curves below.

    Top: the input weights (as in :func:`visualize_weights`) and the activity of every hidden
    unit for every stimulus, side by side with the hidden units along the same y-axis. Below,
    across the figure's width: the same activity as one tuning curve per hidden unit, each in
    its own colour (:func:`nma_dl.plotting.style.class_colors`; the 6th to 10th dashed), named
    in a legend below the curves (up to 20 hidden units).

    Parameters
    ----------
    W_in_sorted : array-like or torch.Tensor
        (n_hidden, n_neurons) sorted input weights.
    h : array-like or torch.Tensor
        (n_hidden, n_stimuli) hidden activity, one column per stimulus.
    stimuli : array-like, optional
        (n_stimuli,) orientations in degrees (default: 0, 1, 2, ..., one per degree).
    preferred : array-like or torch.Tensor, optional
        (n_neurons,) preferred orientation in degrees of each column of ``W_in_sorted``, as in
        :func:`visualize_weights`: ticks the input weights' x-axis with orientations.

    Returns
    -------
    matplotlib.figure.Figure
    """
    W_in_sorted = _matrix(W_in_sorted, "W_in_sorted")
    h = _matrix(h, "h")
    if h.shape[0] != W_in_sorted.shape[0]:
        raise ValueError(
            f"h must have one row per hidden unit ({W_in_sorted.shape[0]}), got shape {h.shape}"
        )
    x = np.arange(h.shape[1]) if stimuli is None else _as_vector(stimuli, "stimuli")
    if len(x) != h.shape[1]:
        raise ValueError(f"stimuli must have {h.shape[1]} entries (columns of h), got {len(x)}")
    preferred = _preferred(preferred, W_in_sorted.shape[1])
    # Three panels, no empty fourth: the curves take the whole bottom row. Constrained layout
    # keeps the legend beside them inside the figure.
    fig, axs = plt.subplot_mosaic(
        [["weights", "h"], ["curves", "curves"]], figsize=(11, 8), layout="constrained"
    )
    _weights_panel(axs["weights"], W_in_sorted, preferred=preferred)
    extent = (x[0], x[-1], h.shape[0] - 0.5, -0.5)
    image = axs["h"].imshow(h, aspect="auto", extent=extent)
    fig.colorbar(image, ax=axs["h"])
    axs["h"].yaxis.set_major_locator(MaxNLocator(integer=True))  # hidden units, as on the left
    axs["h"].set(xlabel="stimulus orientation (°)", ylabel="hidden units")
    axs["h"].set_title(r"$\mathbf{h}$")
    _tuning_curves(axs["curves"], x, h)
    return fig
