"""Figures of the decoding tutorial: response matrices, training losses, decoded orientations."""

import matplotlib.pyplot as plt
import numpy as np

from nma_dl._validate import validate_instance
from nma_dl.plotting.style import (
    _REFERENCE_GREY,
    _as_vector,
    _axes_or_current,
    _class_count,
    _finite,
    _to_numpy,
    _validate_axes,
)

__all__ = ["plot_data_matrix", "plot_decoded_results", "plot_train_loss"]


def plot_data_matrix(X, ax):
    """Show a matrix of neural responses as a heatmap.

    Colour limits are the 1st and 99th percentiles of ``X`` so a few extreme
    responses do not wash out the rest.

    Parameters
    ----------
    X : array-like or torch.Tensor of shape (n_rows, n_columns)
        Responses to show, e.g. stimuli by neurons. NaN entries are left blank; inf is
        refused.
    ax : matplotlib.axes.Axes
        Axes to draw in; a colorbar is added next to it.

    Returns
    -------
    image : matplotlib.image.AxesImage
        The heatmap; its colorbar is ``image.colorbar``.
    """
    _validate_axes(ax)
    X = _to_numpy(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D matrix; got {X.ndim} dimension(s), shape {X.shape}")
    _finite(X, "X", allow_nan=True)
    if not np.isfinite(X).any():
        raise ValueError(
            f"X must contain at least one finite value; got shape {X.shape} with none"
        )

    finite = X[np.isfinite(X)]
    vmin, vmax = np.percentile(finite, [1, 99])
    image = ax.imshow(X, cmap="pink", vmin=vmin, vmax=vmax)
    ax.figure.colorbar(image, ax=ax, label="normalized neural response")
    ax.set_aspect("auto")  # matrices are far wider than tall; square pixels would flatten them
    ax.set_xticks([])
    ax.set_yticks([])
    return image


def plot_train_loss(train_loss, ax=None, ylabel="mean squared error"):
    """Plot a training loss against the iteration of gradient descent.

    Parameters
    ----------
    train_loss : array-like or torch.Tensor of shape (n_iterations,)
        Loss after each iteration.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.
    ylabel : str, default='mean squared error'
        Name of the loss, used as the y-axis label.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn in.
    """
    ax = _axes_or_current(ax)
    validate_instance(ylabel, str, "ylabel", "a str", sep=";")
    train_loss = _as_vector(train_loss, "train_loss")

    ax.plot(train_loss)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)  # losses are non-negative; 0 anchors how far training has gone
    ax.set_xlabel("iterations of gradient descent")
    ax.set_ylabel(ylabel)
    return ax


def _plot_batch_losses(training_losses):
    """Draw the training loss of every batch, in a new figure (for :func:`nma_dl.train`)."""
    _, ax = plt.subplots()
    plot_train_loss(training_losses, ax=ax, ylabel="training loss")
    ax.set_xlabel("batch")


def _bin_label(lower, upper):
    return f"{lower:.0f}° - {upper:.0f}°"


def plot_decoded_results(
    train_loss,
    test_loss,
    test_labels,
    predicted_test_labels,
    n_classes=None,
    ylabel="negative log likelihood",
):
    """Plot the training of an orientation classifier and its test predictions.

    Left: train and test loss against the iteration of gradient descent.
    Right: the decoded orientation bin of each test stimulus against its true
    orientation, with the bin edges drawn as grey vertical lines (and minor ticks),
    so correct predictions fall in the box of their own bin. The orientation axis
    is labelled every 90°: one label per bin edge would overlap once the bins are
    narrow.

    Parameters
    ----------
    train_loss : array-like of shape (n_iterations,)
        Training loss (negative log likelihood) after each iteration.
    test_loss : array-like of shape (n_iterations,)
        Test loss after each iteration.
    test_labels : array-like or torch.Tensor of shape (n_test,) or (n_test, 1)
        True orientation of each test stimulus, in degrees (0 to 360).
    predicted_test_labels : array-like or torch.Tensor of shape (n_test,) or (n_test, 1)
        Decoded class (bin index, 0 to ``n_classes - 1``) of each test stimulus.
    n_classes : int, optional
        Number of orientation bins the decoder was trained with, at most 360 (one
        tick per bin). When omitted it is inferred as
        ``max(predicted_test_labels) + 1``, which undercounts if the highest bins
        were never predicted; passing it is better.
    ylabel : str, default='negative log likelihood'
        Name of the loss, the y-axis label of the left panel (e.g.
        ``'negative log likelihood + penalties'`` for a regularised loss).

    Returns
    -------
    fig : matplotlib.figure.Figure
        The two-panel figure; its axes are ``fig.axes[0]`` (losses) and
        ``fig.axes[1]`` (predictions).
    """
    validate_instance(ylabel, str, "ylabel", "a str", sep=";")
    train_loss = _as_vector(train_loss, "train_loss")
    test_loss = _as_vector(test_loss, "test_loss")
    test_labels = _as_vector(test_labels, "test_labels")
    predicted = _as_vector(predicted_test_labels, "predicted_test_labels")
    if predicted.shape != test_labels.shape:
        raise ValueError(
            "predicted_test_labels must have one entry per test stimulus; got "
            f"{predicted.size} predictions for {test_labels.size} test_labels"
        )
    invalid = (predicted < 0) | (predicted != np.round(predicted))
    if invalid.any():
        raise ValueError(
            "predicted_test_labels must be non-negative whole numbers (class indices); "
            f"got {float(predicted[invalid][0]):g} among them"
        )
    n_predicted = int(predicted.max()) + 1
    if n_classes is None:
        n_classes = _class_count(n_predicted, "n_classes (max(predicted_test_labels) + 1)")
    elif _class_count(n_classes, "n_classes") < n_predicted:
        raise ValueError(
            f"n_classes must exceed every predicted class; got n_classes={n_classes} "
            f"but a prediction of class {n_predicted - 1}"
        )
    n_classes = int(n_classes)

    fig, (ax_loss, ax_pred) = plt.subplots(1, 2, figsize=(12, 5))

    ax_loss.plot(train_loss, label="train loss")
    ax_loss.plot(test_loss, label="test loss")
    ax_loss.legend()
    ax_loss.set_xlim(left=0)
    ax_loss.set_ylim(bottom=0)
    ax_loss.set_xlabel("iterations of gradient descent")
    ax_loss.set_ylabel(ylabel)

    _draw_decoded_bins(ax_pred, test_labels, predicted, n_classes)

    fig.tight_layout()
    return fig


def _draw_decoded_bins(ax, test_labels, predicted, n_classes):
    """Draw each decoded bin against the true orientation, with the bin edges as grey lines."""
    edges = np.linspace(0, 360, n_classes + 1)
    ax.plot(test_labels, predicted, ".")
    for edge in edges:
        ax.axvline(edge, color=_REFERENCE_GREY, linewidth=1, zorder=-1)
    ax.set_xlim(0, 360)
    ax.set_xticks(np.arange(0, 361, 90))
    ax.set_xticks(edges, minor=True)
    ax.set_yticks(np.arange(n_classes))
    labels = [_bin_label(lo, hi) for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    ax.set_yticklabels(labels)
    ax.set_xlabel("true stimulus orientation (°)")
    ax.set_ylabel("decoded orientation bin")
