"""Figures of the bonus decoding/encoding tutorial.

A decoder's weights and hidden units, an encoding model's training curves, tuning curves and
predictions.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from nma_dl._validate import check_instance
from nma_dl.plotting.style import _as_vector, _check_axes, _to_numpy

__all__ = [
    "plot_encoder_tuning",
    "plot_prediction",
    "plot_training_curves",
    "visualize_hidden_units",
    "visualize_weights",
]


def _matrix(values, name):
    array = _to_numpy(values, name)
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2-D matrix, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must contain only finite numbers; got NaN or inf")
    return array


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
    check_instance(xlabel, str, "xlabel", "a str", sep=";")
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


def plot_training_curves(train_loss, test_loss):
    """Training loss as a line, test loss as dots (it is NaN where it was not measured).

    Parameters
    ----------
    train_loss : array-like of shape (n_iter,)
        Loss at every iteration.
    test_loss : array-like of shape (n_iter,)
        Test loss, NaN at the iterations where it was not measured.

    Returns
    -------
    matplotlib.figure.Figure
    """
    train_loss = _as_vector(train_loss, "train_loss")
    test_loss = _as_vector(test_loss, "test_loss", allow_nan=True)
    if len(test_loss) != len(train_loss):
        raise ValueError(
            f"test_loss must have one entry per iteration ({len(train_loss)}), got "
            f"{len(test_loss)}"
        )
    fig, ax = plt.subplots()
    ax.plot(train_loss, label="train loss")
    ax.plot(test_loss, ".", markersize=10, label="test loss")
    ax.legend()
    ax.set(xlabel="gradient descent iteration", ylabel="mean squared error + penalties")
    return fig


def plot_prediction(ax, y_pred, y_train, y_test, stimuli=None):
    """One neuron's training and test responses, and the model's prediction, on ``ax``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    y_pred, y_train, y_test : array-like of shape (n_stimuli,)
        Predicted, training and test responses to each stimulus.
    stimuli : array-like, optional
        (n_stimuli,) orientations in degrees for the x-axis (default: the stimulus index).
    """
    _check_axes(ax)
    y_pred = _as_vector(y_pred, "y_pred")
    y_train = _as_vector(y_train, "y_train")
    y_test = _as_vector(y_test, "y_test")
    if not len(y_pred) == len(y_train) == len(y_test):
        raise ValueError(
            "y_pred, y_train and y_test must have one entry per stimulus, got "
            f"{len(y_pred)}, {len(y_train)} and {len(y_test)}"
        )
    x = np.arange(len(y_pred)) if stimuli is None else _as_vector(stimuli, "stimuli")
    ax.plot(x, y_train, color="y", linewidth=1, label="train")
    ax.plot(x, y_test, color="m", label="test")
    ax.plot(x, y_pred, color="g", linewidth=3, label="prediction")
    xlabel = "stimulus bin" if stimuli is None else "stimulus orientation (°)"
    ax.set(xlabel=xlabel, ylabel="response")


def plot_encoder_tuning(stimuli, resp_train, resp_test, neurons, y_pred=None):
    """Tuning curves (train and test halves) of a few neurons, with predictions if given.

    Parameters
    ----------
    stimuli : array-like
        (n_stimuli,) orientations in degrees.
    resp_train, resp_test : array-like or torch.Tensor
        (n_stimuli, n_neurons) responses of the two halves of the trials.
    neurons : sequence of int
        The neurons to show, one panel each, 5 panels per row.
    y_pred : array-like or torch.Tensor, optional
        (n_stimuli, n_neurons) predicted responses.

    Returns
    -------
    matplotlib.figure.Figure
    """
    stimuli = _as_vector(stimuli, "stimuli")
    resp_train = _matrix(resp_train, "resp_train")
    resp_test = _matrix(resp_test, "resp_test")
    arrays = [resp_train, resp_test] + ([] if y_pred is None else [_matrix(y_pred, "y_pred")])
    if any(a.shape != resp_train.shape for a in arrays) or len(stimuli) != resp_train.shape[0]:
        raise ValueError(
            "resp_train, resp_test (and y_pred) must have the same shape (n_stimuli, n_neurons) "
            f"with n_stimuli = len(stimuli) = {len(stimuli)}"
        )
    neurons = [int(n) for n in np.atleast_1d(neurons)]
    if not neurons or min(neurons) < 0 or max(neurons) >= resp_train.shape[1]:
        raise ValueError(f"neurons must be indices in [0, {resp_train.shape[1] - 1}]")
    n_rows = -(-len(neurons) // 5)
    fig, axs = plt.subplots(n_rows, 5, figsize=(15, 2.4 * n_rows + 0.6), squeeze=False)
    for ax, neuron in zip(axs.flat, neurons, strict=False):
        if y_pred is None:
            ax.plot(stimuli, resp_train[:, neuron], color="y", linewidth=2, label="train")
            ax.plot(stimuli, resp_test[:, neuron], color="m", linewidth=2, label="test")
            ax.set(xlabel="stimulus orientation (°)", ylabel="response")
        else:
            plot_prediction(
                ax, arrays[2][:, neuron], resp_train[:, neuron], resp_test[:, neuron], stimuli
            )
        ax.set_title(f"neuron {neuron}")
    for ax in list(axs.flat)[len(neurons) :]:
        ax.axis("off")
    axs.flat[0].legend(fontsize="small")
    fig.tight_layout()
    return fig
