"""Figures of classification: a function approximated by ReLUs, classes, decision maps."""

from collections.abc import Callable
from numbers import Integral, Real

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, to_rgb

from nma_dl._validate import Interval, is_instance, require, validate_instance, validate_real
from nma_dl.plotting.style import (
    _as_vector,
    _axes_or_current,
    _class_count,
    _finite,
    _to_numpy,
)

__all__ = ["plot_decision_map", "plot_function_approximation", "plot_spiral"]


# Least contrast ratio (WCAG 2.1, non-text contrast) of a line against its background.
_MIN_LINE_CONTRAST = 3.0
# Line styles combined with colours so that more curves than colours stay distinguishable.
_LINESTYLES = ["-", "--", ":", "-."]


def _relative_luminance(color):
    channels = np.array(to_rgb(color))
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast_ratio(color, background):
    """WCAG contrast ratio of two colours, from 1 (equal) to 21 (black on white)."""
    lighter, darker = sorted(
        [_relative_luminance(color), _relative_luminance(background)], reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _distinct_line_styles(n, background="white"):
    """Return a different (colour, line style) pair for each of n curves, readable on background.

    Colours come from the current colour cycle, keeping only those with a contrast ratio of at
    least 3 against the background (all of them if none has); once every colour is used, the
    next curves reuse them with the next line style (solid, dashed, dotted, dash-dot, then
    dash patterns of growing length), so no two curves look alike.
    """
    cycle = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["black"])
    readable = [c for c in cycle if _contrast_ratio(c, background) >= _MIN_LINE_CONTRAST]
    colors = readable or list(cycle)
    styles = []
    for i in range(n):
        group = i // len(colors)
        if group < len(_LINESTYLES):
            linestyle = _LINESTYLES[group]
        else:  # a dash pattern of its own for every further group
            linestyle = (0, (group, 2))
        styles.append((colors[i % len(colors)], linestyle))
    return styles


def plot_function_approximation(x, relu_acts, y_hat, target=np.sin):
    """Two panels: the ReLU basis functions, and their weighted sum against the target function.

    The top panel draws one line per ReLU, each with its own pair of colour and line style (the
    readable colours of the current colour cycle, then the same colours dashed, dotted, …), so
    that every curve can be matched with its legend entry. The bottom panel draws the target
    function ("truth") and the approximation ("estimated").

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
        The two-panel figure.
    """
    x = _as_vector(x, "x")
    relu_acts = _to_numpy(relu_acts, "relu_acts")
    if relu_acts.ndim != 2 or relu_acts.shape[1] != x.size:
        raise ValueError(
            f"relu_acts must have shape (n_relus, {x.size}) to match x, got {relu_acts.shape}"
        )
    _finite(relu_acts, "relu_acts")
    y_hat = _as_vector(y_hat, "y_hat")
    if y_hat.size != x.size:
        raise ValueError(f"y_hat must have one value per x ({x.size}), got {y_hat.size}")
    validate_instance(target, Callable, "target", "callable")

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 7))
    # Lines are read against the axes, or against the figure where the axes are transparent.
    background = ax1.get_facecolor()
    if background[3] == 0:
        background = fig.get_facecolor()
    styles = _distinct_line_styles(max(relu_acts.shape[0], 2), background)
    for acts, (color, linestyle) in zip(relu_acts, styles, strict=False):
        ax1.plot(x, acts, color=color, linestyle=linestyle)
    ax1.set(xlabel="x", ylabel="activation", title="ReLU activations: the basis functions")
    ax1.legend([f"ReLU {i + 1}" for i in range(relu_acts.shape[0])], ncol=2, fontsize="small")
    for values, (color, linestyle), label in zip(
        [target(x), y_hat], styles, ["truth", "estimated"], strict=False
    ):
        ax2.plot(x, values, color=color, linestyle=linestyle, label=label)
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
    return _finite(points, name)


def plot_spiral(X, y, ax=None, title=None):
    """Scatter 2-D points coloured by class (e.g. the spiral data set).

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The points.
    y : array-like of shape (n,)
        Their classes, 0, 1, 2, ... (at most 10 distinct colours).
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.
    title : str, optional
        Title of the axes.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn in.
    """
    ax = _axes_or_current(ax)
    X = _points(X, "X")
    y = _labels(y, "y", len(X))
    validate_instance(title, (str, type(None)), "title", "a str or None")
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
    M : int, default=500
        Grid size, as given to :func:`nma_dl.sample_grid`.
    x_max : float, default=2.0
        Grid half-width, likewise.
    eps : float, default=1e-3
        Squared radius of the dot drawn for each test point.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.

    Returns
    -------
    image : matplotlib.image.AxesImage
        The decision map.
    """
    ax = _axes_or_current(ax)
    require(is_instance(M, Integral) and M >= 2, "M", "an int >= 2", M)
    M = int(M)
    x_max = validate_real(x_max, "x_max", Interval(Real, 0, closed="neither"))
    eps = validate_real(eps, "eps", Interval(Real, 0, closed="neither"))
    X_all = _points(X_all, "X_all")
    if len(X_all) != M * M:
        raise ValueError(f"X_all must hold M*M = {M * M} grid points, got {len(X_all)}")
    y_pred = _to_numpy(y_pred, "y_pred")
    if y_pred.ndim != 2 or len(y_pred) != M * M:
        raise ValueError(f"y_pred must have shape ({M * M}, n_classes), got {y_pred.shape}")
    _finite(y_pred, "y_pred")
    n_classes = _class_count(y_pred.shape[1], "n_classes (the columns of y_pred)")
    X_test = _points(X_test, "X_test")
    y_test = _labels(y_test, "y_test", len(X_test))
    if y_test.size and y_test.max() >= n_classes:
        raise ValueError(f"y_test must be < n_classes = {n_classes}, got {y_test.max()}")

    # decision[row, col]: row = index of x2 (drawn upwards), col = index of x1.
    decision = y_pred.argmax(axis=1).reshape(M, M).T.copy()
    step = 2 * x_max / (M - 1)
    radius = np.sqrt(eps)
    axis = np.linspace(-x_max, x_max, M)
    for (x1, x2), label in zip(X_test, y_test, strict=True):
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
