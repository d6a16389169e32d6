"""An encoding model's fit: its training curves, predictions and tuning curves.

:func:`plot_training_curves` draws the training and test losses of a trainer such as
:func:`nma_dl.train_encoder`; :func:`plot_prediction` one neuron's predicted responses beside the
measured ones; :func:`plot_encoder_tuning` the tuning curves of a few neurons, measured on the
two halves of the trials and, optionally, predicted.
"""

import matplotlib.pyplot as plt
import numpy as np

from nma_dl.plotting.style import _as_vector, _matrix, _to_numpy, _validate_axes

__all__ = ["plot_encoder_tuning", "plot_prediction", "plot_training_curves"]

# The colours of the tuning figures, each at least 3:1 on white: training half dark yellow
# (matplotlib's "y", #BFBF00, has 2.0:1), test half magenta, prediction green.
_TRAIN_COLOR = "#A68A00"
_TEST_COLOR = "#BF00BF"
_PREDICTION_COLOR = "#008000"


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

    Training responses are dark yellow, test responses magenta, the prediction green.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    y_pred, y_train, y_test : array-like of shape (n_stimuli,)
        Predicted, training and test responses to each stimulus.
    stimuli : array-like, optional
        (n_stimuli,) orientations in degrees for the x-axis (default: the stimulus index).
    """
    _validate_axes(ax)
    y_pred = _as_vector(y_pred, "y_pred")
    y_train = _as_vector(y_train, "y_train")
    y_test = _as_vector(y_test, "y_test")
    if not len(y_pred) == len(y_train) == len(y_test):
        raise ValueError(
            "y_pred, y_train and y_test must have one entry per stimulus, got "
            f"{len(y_pred)}, {len(y_train)} and {len(y_test)}"
        )
    x = np.arange(len(y_pred)) if stimuli is None else _as_vector(stimuli, "stimuli")
    ax.plot(x, y_train, color=_TRAIN_COLOR, linewidth=1, label="train")
    ax.plot(x, y_test, color=_TEST_COLOR, label="test")
    ax.plot(x, y_pred, color=_PREDICTION_COLOR, linewidth=3, label="prediction")
    xlabel = "stimulus bin" if stimuli is None else "stimulus orientation (°)"
    ax.set(xlabel=xlabel, ylabel="response")


def _is_mask(values):
    """Whether ``values`` holds booleans (an array, a tensor or a list of them)."""
    if hasattr(values, "dtype"):
        return str(values.dtype) in ("bool", "torch.bool")
    return (
        isinstance(values, (list, tuple))
        and len(values) > 0
        and all(isinstance(v, (bool, np.bool_)) for v in values)
    )


def plot_encoder_tuning(stimuli, resp_train, resp_test, neurons, y_pred=None):
    """Tuning curves (train and test halves) of a few neurons, with predictions if given.

    One panel per neuron, 5 per row; training half dark yellow, test half magenta, prediction
    green. One legend for all panels sits below them, where it hides no curve.

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
    if _is_mask(neurons):
        raise TypeError(
            "neurons must be indices of neurons, got a boolean mask (its True/False would be "
            "read as neurons 1 and 0); pass np.flatnonzero(mask)"
        )
    indices = _to_numpy(neurons, "neurons").reshape(-1)
    # int() would silently truncate 2.5 (or NaN fail unnamed): indices must be whole numbers.
    if (
        not indices.size
        or not np.all(np.isfinite(indices))
        or np.any(indices != np.round(indices))
        or indices.min() < 0
        or indices.max() >= resp_train.shape[1]
    ):
        raise ValueError(
            f"neurons must be indices in [0, {resp_train.shape[1] - 1}], got "
            f"{np.array2string(indices, threshold=10, separator=', ')}"
        )
    neurons = [int(n) for n in indices]
    n_rows = -(-len(neurons) // 5)
    # Constrained layout makes room for the legend outside the panels ("outside lower center").
    fig, axs = plt.subplots(
        n_rows, 5, figsize=(15, 2.4 * n_rows + 1.0), squeeze=False, layout="constrained"
    )
    for ax, neuron in zip(axs.flat, neurons, strict=False):
        if y_pred is None:
            ax.plot(stimuli, resp_train[:, neuron], color=_TRAIN_COLOR, linewidth=2, label="train")
            ax.plot(stimuli, resp_test[:, neuron], color=_TEST_COLOR, linewidth=2, label="test")
            ax.set(xlabel="stimulus orientation (°)", ylabel="response")
        else:
            plot_prediction(
                ax, arrays[2][:, neuron], resp_train[:, neuron], resp_test[:, neuron], stimuli
            )
        ax.set_title(f"neuron {neuron}")
    for ax in list(axs.flat)[len(neurons) :]:
        ax.axis("off")
    handles, labels = axs.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels))
    return fig
