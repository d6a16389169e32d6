"""A decoder's weights and its hidden units' activity, as images.

:func:`visualize_weights` draws the input weights (neurons by hidden units) beside the output
weights; :func:`visualize_hidden_units` the input weights beside the hidden units' responses to
each stimulus.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from nma_dl._validate import validate_instance
from nma_dl.plotting.style import _as_vector, _matrix

__all__ = ["visualize_hidden_units", "visualize_weights"]


_SORTED = "neurons sorted by preferred orientation"


def _weights_panel(ax, W_in_sorted, xlabel=_SORTED):
    image = ax.imshow(W_in_sorted, aspect="auto", cmap="bwr", vmin=-1e-2, vmax=1e-2)
    ax.figure.colorbar(image, ax=ax)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # hidden units are whole numbers
    ax.set(xlabel=xlabel, ylabel="hidden units")
    ax.set_title("$W_{in}$")


def visualize_weights(W_in_sorted, W_out, xlabel=_SORTED):
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

    Returns
    -------
    matplotlib.figure.Figure
    """
    W_in_sorted = _matrix(W_in_sorted, "W_in_sorted")
    W_out = _matrix(W_out, "W_out")
    validate_instance(xlabel, str, "xlabel", "a str", sep=";")
    if W_out.shape[1] != W_in_sorted.shape[0]:
        raise ValueError(
            f"W_out must have one column per hidden unit ({W_in_sorted.shape[0]} rows of "
            f"W_in_sorted), got shape {W_out.shape}"
        )
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(10, 4))
    _weights_panel(ax_in, W_in_sorted, xlabel)
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


def visualize_hidden_units(W_in_sorted, h, stimuli=None):
    """Sorted input weights next to the hidden units' activity for every stimulus.

    Parameters
    ----------
    W_in_sorted : array-like or torch.Tensor
        (n_hidden, n_neurons) sorted input weights.
    h : array-like or torch.Tensor
        (n_hidden, n_stimuli) hidden activity, one column per stimulus.
    stimuli : array-like, optional
        (n_stimuli,) orientations in degrees (default: 0, 1, 2, ..., one per degree).

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
    fig, axs = plt.subplots(2, 2, figsize=(10, 8))
    _weights_panel(axs[0, 0], W_in_sorted)
    extent = (x[0], x[-1], h.shape[0] - 0.5, -0.5)
    image = axs[0, 1].imshow(h, aspect="auto", extent=extent)
    fig.colorbar(image, ax=axs[0, 1])
    axs[0, 1].set(xlabel="stimulus orientation (°)", ylabel="hidden units")
    axs[0, 1].set_title(r"$\mathbf{h}$")
    axs[1, 0].axis("off")
    axs[1, 1].plot(x, h.T)
    axs[1, 1].set(xlabel="stimulus orientation (°)", ylabel="hidden unit activity")
    axs[1, 1].set_title(r"$\mathbf{h}$ tuning curves")
    fig.tight_layout()
    return fig
