"""Figures the tutorials draw, and the course's matplotlib style.

Every function takes NumPy arrays, Python sequences or torch tensors (converted
without importing torch here) and returns the matplotlib object it made, so a
notebook can adjust it and tests can inspect it. Nothing calls ``plt.show()``:
notebooks display figures inline at the end of each cell.

The module is organised by tutorial; later tutorials append a section of their
own below the last one.
"""

from collections.abc import Callable
from numbers import Integral
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from nma_dl._validate import check_instance, require

__all__ = [
    "use_course_style",
    "plot_data_matrix",
    "plot_train_loss",
    "plot_decoded_results",
    "identity_line",
    "plot_function_approximation",
    "plot_spiral",
    "plot_decision_map",
    "plot_lif_membrane",
    "plot_fi_curve",
]

STYLE_PATH = Path(__file__).with_name("styles") / "course.mplstyle"

# Colour of reference artists (identity line, bin edges) that must not compete with data.
_REFERENCE_GREY = "0.7"


# ---------------------------------------------------------------------------
# Input checks shared by the plots
# ---------------------------------------------------------------------------


def _to_numpy(values, name):
    """Return ``values`` as a float ndarray; tensors are detached and moved to the CPU."""
    if hasattr(values, "detach"):  # a torch tensor, recognised without importing torch
        values = values.detach().cpu().numpy()
    elif isinstance(values, (list, tuple)):
        # a list of per-iteration losses may hold 0-d tensors (``loss`` instead of ``loss.item()``)
        values = [v.detach().cpu().numpy() if hasattr(v, "detach") else v for v in values]
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be numeric (array, tensor or sequence of numbers); "
            f"got {type(values).__name__}"
        ) from None
    return array


def _as_vector(values, name, *, allow_nan=False):
    """Return a non-empty 1-D float array; a column vector ``(n, 1)`` is flattened."""
    array = _to_numpy(values, name)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be one-dimensional (n,) or a column (n, 1); got shape {array.shape}"
        )
    if array.size == 0:
        raise ValueError(f"{name} must not be empty; got 0 values")
    if not allow_nan and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers; got NaN or inf")
    return array


def _check_axes(ax, name="ax"):
    return check_instance(ax, Axes, name, "a matplotlib Axes", sep=";")


def _is(value, types):
    """Whether ``value`` is a number of ``types`` (never a bool)."""
    return isinstance(value, types) and not isinstance(value, bool)


def _axes_or_current(ax):
    return plt.gca() if ax is None else _check_axes(ax)


# ---------------------------------------------------------------------------
# Course style
# ---------------------------------------------------------------------------


def use_course_style():
    """Apply the course's matplotlib style to all later figures.

    The style ships with the package (``nma_dl/styles/course.mplstyle``), so it
    works offline. Calling this again re-applies the same settings.

    Returns
    -------
    path : pathlib.Path
        The style file that was applied.
    """
    plt.style.use(str(STYLE_PATH))
    return STYLE_PATH


# ---------------------------------------------------------------------------
# Tutorial 1: decoding neural responses
# ---------------------------------------------------------------------------


def plot_data_matrix(X, ax):
    """Show a matrix of neural responses as a heatmap.

    Colour limits are the 1st and 99th percentiles of ``X`` so a few extreme
    responses do not wash out the rest.

    Parameters
    ----------
    X : array-like or torch.Tensor of shape (n_rows, n_columns)
        Responses to show, e.g. stimuli by neurons. NaN entries are left blank.
    ax : matplotlib.axes.Axes
        Axes to draw in; a colorbar is added next to it.

    Returns
    -------
    image : matplotlib.image.AxesImage
        The heatmap; its colorbar is ``image.colorbar``.
    """
    _check_axes(ax)
    X = _to_numpy(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D matrix; got {X.ndim} dimension(s), shape {X.shape}")
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
    check_instance(ylabel, str, "ylabel", "a str", sep=";")
    train_loss = _as_vector(train_loss, "train_loss")

    ax.plot(train_loss)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)  # losses are non-negative; 0 anchors how far training has gone
    ax.set_xlabel("iterations of gradient descent")
    ax.set_ylabel(ylabel)
    return ax


def _bin_label(lower, upper):
    return f"{lower:.0f}° - {upper:.0f}°"


def plot_decoded_results(
    train_loss, test_loss, test_labels, predicted_test_labels, n_classes=None
):
    """Plot the training of an orientation classifier and its test predictions.

    Left: train and test loss against the iteration of gradient descent.
    Right: the decoded orientation bin of each test stimulus against its true
    orientation, with the bin edges drawn as grey vertical lines, so correct
    predictions fall in the box of their own bin.

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
        Number of orientation bins the decoder was trained with. When omitted it
        is inferred as ``max(predicted_test_labels) + 1``, which undercounts if
        the highest bins were never predicted; passing it is better.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The two-panel figure; its axes are ``fig.axes[0]`` (losses) and
        ``fig.axes[1]`` (predictions).
    """
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
        n_classes = n_predicted
    elif check_instance(n_classes, Integral, "n_classes", "an int", sep=";") < n_predicted:
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
    ax_loss.set_ylabel("negative log likelihood")

    edges = np.linspace(0, 360, n_classes + 1)
    ax_pred.plot(test_labels, predicted, ".")
    for edge in edges:
        ax_pred.axvline(edge, color=_REFERENCE_GREY, linewidth=1, zorder=-1)
    ax_pred.set_xlim(0, 360)
    ax_pred.set_xticks(edges)
    ax_pred.set_yticks(np.arange(n_classes))
    ax_pred.set_yticklabels([_bin_label(lo, hi) for lo, hi in zip(edges[:-1], edges[1:])])
    ax_pred.set_xlabel("true stimulus orientation (°)")
    ax_pred.set_ylabel("decoded orientation bin")

    fig.tight_layout()
    return fig


def identity_line(ax=None):
    """Draw the line y = x over the whole of an axes.

    Both axes are given the same limits, the union of the current x and y
    limits, so points on the line lie on the diagonal. The line is grey and drawn
    behind the data.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.

    Returns
    -------
    line : matplotlib.lines.Line2D
        The identity line.
    """
    ax = _axes_or_current(ax)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    lower, upper = min(x0, y0), max(x1, y1)
    # Fix the limits first: drawing the line must not make autoscaling pad them.
    ax.set_xlim(lower, upper)
    ax.set_ylim(lower, upper)
    (line,) = ax.plot([lower, upper], [lower, upper], color=_REFERENCE_GREY, zorder=-1)
    return line


# ---------------------------------------------------------------------------
# Tutorial: Biological vs. artificial neural networks (multi-layer perceptrons)
# ---------------------------------------------------------------------------


def plot_function_approximation(x, relu_acts, y_hat, target=np.sin):
    """Two panels: the ReLU basis functions, and their weighted sum against the target function.

    Parameters
    ----------
    x : array-like of shape (n_points,)
        Points along the x axis.
    relu_acts : array-like of shape (n_relus, n_points)
        Activation of each ReLU at each point.
    y_hat : array-like of shape (n_points,)
        Weighted sum of the activations: the approximation.
    target : callable, default=numpy.sin
        The function approximated, drawn as the truth (applied to a NumPy array).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    x = _as_vector(x, "x")
    relu_acts = _to_numpy(relu_acts, "relu_acts")
    if relu_acts.ndim != 2 or relu_acts.shape[1] != x.size:
        raise ValueError(
            f"relu_acts must have shape (n_relus, {x.size}) to match x, got {relu_acts.shape}"
        )
    y_hat = _as_vector(y_hat, "y_hat")
    if y_hat.size != x.size:
        raise ValueError(f"y_hat must have one value per x ({x.size}), got {y_hat.size}")
    check_instance(target, Callable, "target", "callable")

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 7))
    ax1.plot(x, relu_acts.T)
    ax1.set(xlabel="x", ylabel="activation", title="ReLU activations: the basis functions")
    ax1.legend([f"ReLU {i + 1}" for i in range(relu_acts.shape[0])], ncol=2, fontsize="small")
    ax2.plot(x, target(x), label="truth")
    ax2.plot(x, y_hat, label="estimated")
    ax2.legend()
    ax2.set(xlabel="x", ylabel="y(x)", title="Function approximation")
    fig.tight_layout()
    return fig


def _labels(values, name, n):
    labels = _to_numpy(values, name).reshape(-1)
    if labels.size != n:
        raise ValueError(f"{name} must hold one label per point ({n}), got {labels.size}")
    if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)) or np.any(labels < 0):
        raise ValueError(f"{name} must hold class indices 0, 1, 2, …")
    return labels.astype(int)


def _points(values, name):
    points = _to_numpy(values, name)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n, 2), got {points.shape}")
    return points


def plot_spiral(X, y, ax=None, title=None):
    """Scatter plot of 2-D points coloured by class (e.g. the spiral data set).

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    ax = _axes_or_current(ax)
    X = _points(X, "X")
    y = _labels(y, "y", len(X))
    check_instance(title, (str, type(None)), "title", "a str or None")
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="tab10", vmin=0, vmax=9, s=4)
    ax.set(xlabel="x1", ylabel="x2", aspect="equal")
    if title:
        ax.set_title(title)
    return ax


def plot_decision_map(X_all, y_pred, X_test, y_test, M=500, x_max=2.0, eps=1e-3, ax=None):
    """Colour each grid point by the class a network predicts there; mark the test points.

    Regions are drawn in light colours, test points (every grid cell within ``sqrt(eps)`` of
    one) in the strong colour of their true class, so misclassified points stand out.

    Parameters
    ----------
    X_all : array-like of shape (M*M, 2)
        The grid of :func:`nma_dl.sample_grid` (first coordinate varying slowest).
    y_pred : array-like of shape (M*M, n_classes)
        The network's outputs on the grid.
    X_test, y_test : array-like of shape (n, 2) and (n,)
        Test points and their classes.
    M, x_max : int and float
        Grid size and half-width, as given to :func:`nma_dl.sample_grid`.
    eps : float
        Squared radius of the dot drawn for each test point.

    Returns
    -------
    image : matplotlib.image.AxesImage
    """
    from matplotlib.colors import ListedColormap, to_rgb

    ax = _axes_or_current(ax)
    require(_is(M, Integral) and M >= 2, "M", "an int >= 2", M)
    for value, name in ((x_max, "x_max"), (eps, "eps")):
        require(_is(value, (int, float)) and value > 0, name, "a number > 0", value)
    X_all = _points(X_all, "X_all")
    if len(X_all) != M * M:
        raise ValueError(f"X_all must hold M*M = {M * M} grid points, got {len(X_all)}")
    y_pred = _to_numpy(y_pred, "y_pred")
    if y_pred.ndim != 2 or len(y_pred) != M * M:
        raise ValueError(f"y_pred must have shape ({M * M}, n_classes), got {y_pred.shape}")
    n_classes = y_pred.shape[1]
    X_test = _points(X_test, "X_test")
    y_test = _labels(y_test, "y_test", len(X_test))
    if y_test.size and y_test.max() >= n_classes:
        raise ValueError(f"y_test must be < n_classes = {n_classes}, got {y_test.max()}")

    # decision[row, col]: row = index of x2 (drawn upwards), col = index of x1.
    decision = y_pred.argmax(axis=1).reshape(M, M).T.copy()
    step = 2 * x_max / (M - 1)
    radius = np.sqrt(eps)
    axis = np.linspace(-x_max, x_max, M)
    for (x1, x2), label in zip(X_test, y_test):
        cols = slice(
            max(int(np.floor((x1 - radius + x_max) / step)), 0),
            max(int(np.ceil((x1 + radius + x_max) / step)) + 1, 0),
        )
        rows = slice(
            max(int(np.floor((x2 - radius + x_max) / step)), 0),
            max(int(np.ceil((x2 + radius + x_max) / step)) + 1, 0),
        )
        near = (axis[cols][None, :] - x1) ** 2 + (axis[rows][:, None] - x2) ** 2 < eps
        decision[rows, cols][near] = n_classes + label

    strong = [to_rgb(f"C{k % 10}") for k in range(n_classes)]
    light = [tuple(0.6 + 0.4 * c for c in rgb) for rgb in strong]
    cmap = ListedColormap(light + strong)
    image = ax.imshow(
        decision,
        extent=[-x_max, x_max, -x_max, x_max],
        origin="lower",
        cmap=cmap,
        vmin=-0.5,
        vmax=2 * n_classes - 0.5,
        interpolation="nearest",
    )
    ax.set(xlabel="x1", ylabel="x2")
    return image


def plot_lif_membrane(time, Vm, ax=None):
    """Membrane potential of a LIF neuron against time.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    ax = _axes_or_current(ax)
    time = _as_vector(time, "time")
    Vm = _as_vector(Vm, "Vm")
    if time.size != Vm.size:
        raise ValueError(f"Vm must have one value per time point ({time.size}), got {Vm.size}")
    ax.plot(time, Vm)
    ax.set(title="LIF neuron output", xlabel="time (ms)", ylabel="membrane potential (V)")
    return ax


def plot_fi_curve(currents, spike_counts, ax=None, ylim=150):
    """Frequency-current curve: spikes in one second against the input current.

    Parameters
    ----------
    currents, spike_counts : array-like of the same length
    ax : matplotlib.axes.Axes, optional
    ylim : float, default=150
        Top of the y axis, fixed so that curves drawn for different parameters compare.

    Returns
    -------
    ax : matplotlib.axes.Axes
    """
    ax = _axes_or_current(ax)
    currents = _as_vector(currents, "currents")
    spike_counts = _as_vector(spike_counts, "spike_counts")
    if currents.size != spike_counts.size:
        raise ValueError(
            f"spike_counts must have one value per current ({currents.size}), "
            f"got {spike_counts.size}"
        )
    require(_is(ylim, (int, float)) and ylim > 0, "ylim", "a number > 0", ylim)
    ax.plot(currents, spike_counts, marker="o")
    ax.set(
        title="LIF neuron: transfer function",
        xlabel="I (mA)",
        ylabel="spike count",
        xlim=(0, currents.max() if currents.max() > 0 else 1),
        ylim=(0, ylim),
    )
    return ax
