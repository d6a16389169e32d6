"""Figures of classification: a function approximated by ReLUs, classes, decision maps."""

from collections.abc import Callable
from numbers import Integral, Real

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import EllipseCollection
from matplotlib.colors import ListedColormap
from matplotlib.lines import Line2D

from nma_dl._validate import Interval, is_instance, require, validate_instance, validate_real
from nma_dl.plotting.style import (
    _MIN_LINE_CONTRAST,
    _as_vector,
    _axes_or_current,
    _class_count,
    _contrast_ratio,
    _finite,
    _to_numpy,
    class_colors,
)

__all__ = ["plot_decision_map", "plot_function_approximation", "plot_spiral"]


# Line styles combined with colours so that more curves than colours stay distinguishable.
_LINESTYLES = ["-", "--", ":", "-."]

# Edge of the test points on a decision map: dark, so a point stands out on every light region
# (its own class's included) whatever its colour.
_POINT_EDGE = "0.15"

# How much white a decision region mixes into its class's colour: light enough that the
# points on it stand out, still recognisably the same hue.
_REGION_WHITE = 0.6


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


def _class_legend(ax, classes, colors, edgecolor=None):
    """Name each class in a legend beside the axes, where it covers no data.

    Each entry is a dot drawn as the figure draws that class's points (colour, and edge if any).
    """
    handles = [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=8,
            markerfacecolor=colors[k],
            markeredgecolor=colors[k] if edgecolor is None else edgecolor,
            label=f"class {k}",
        )
        for k in classes
    ]
    return ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)


def plot_spiral(X, y, ax=None, title=None):
    """Scatter 2-D points coloured by class (e.g. the spiral data set), with a legend.

    Class ``k`` is drawn in ``class_colors(n)[k]``
    (:func:`nma_dl.plotting.style.class_colors`), the colour
    :func:`plot_decision_map` gives it too; a legend beside the axes names the classes present
    ("class 0", "class 1", ...).

    Parameters
    ----------
    X : array-like of shape (n, 2)
        The points.
    y : array-like of shape (n,)
        Their classes, 0, 1, 2, ... (at most ``MAX_CLASSES``, 360).
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
    n_classes = int(y.max()) + 1 if y.size else 1
    colors = class_colors(_class_count(n_classes, "the number of classes (max(y) + 1)"))
    # One collection for all points, in data order: no class is drawn on top of the others.
    ax.scatter(X[:, 0], X[:, 1], c=[colors[k] for k in y], s=4)
    ax.set(xlabel="x1", ylabel="x2", aspect="equal")
    _class_legend(ax, np.unique(y), colors)
    if title:
        ax.set_title(title)
    return ax


def _decision_grid(y_pred, X_test, y_test, M, x_max, eps, n_classes):
    """Return the predicted class of every grid cell; the cells under a test point hold n + class.

    Row ``i`` is the ``i``-th value of x2 (drawn upwards), column ``j`` that of x1; a cell is
    under a test point when its centre lies within ``sqrt(eps)`` of it.
    """
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
    return decision


def plot_decision_map(X_all, y_pred, X_test, y_test, M=500, x_max=2.0, eps=1e-3, ax=None):
    """Colour each grid point by the class a network predicts there; mark the test points.

    Class ``k`` has one colour in every figure, ``class_colors(n_classes)[k]``
    (:func:`nma_dl.plotting.style.class_colors`, as in :func:`plot_spiral`): its region is
    drawn in a light shade of it (60 % white), each test point as a dot of radius about
    ``sqrt(eps)`` in the full colour of its true class with a dark edge, so a misclassified
    point stands out on the region around it. A legend beside the map names the classes.

    The image holds the predicted class of every grid cell (0 to ``n_classes - 1``), and
    ``n_classes + k`` in the cells under a test point of class ``k``; the dots, an
    :class:`~matplotlib.collections.EllipseCollection` in data units, cover those cells.

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

    decision = _decision_grid(y_pred, X_test, y_test, M, x_max, eps, n_classes)
    strong = class_colors(n_classes)
    light = [tuple(_REGION_WHITE + (1 - _REGION_WHITE) * c for c in rgb) for rgb in strong]
    image = ax.imshow(
        decision,
        extent=[-x_max, x_max, -x_max, x_max],
        origin="lower",
        cmap=ListedColormap(light + strong),
        vmin=-0.5,
        vmax=2 * n_classes - 0.5,
        interpolation="nearest",
    )
    # The dots reach half a cell diagonal past sqrt(eps): they hide every marked cell, whose
    # corners would otherwise show outside the dark edge.
    diameter = 2 * (np.sqrt(eps) + np.sqrt(2) * x_max / (M - 1))
    if len(X_test):
        _add_test_points(ax, X_test, [strong[k] for k in y_test], diameter)
    ax.set(xlabel="x1", ylabel="x2")
    _class_legend(ax, range(n_classes), strong, edgecolor=_POINT_EDGE)
    return image


def _add_test_points(ax, X_test, colors, diameter):
    """Draw the test points as dots ``diameter`` wide in data units, with a dark edge."""
    ax.add_collection(
        EllipseCollection(
            diameter,
            diameter,
            0,
            units="xy",
            offsets=X_test,
            offset_transform=ax.transData,
            facecolors=colors,
            edgecolors=_POINT_EDGE,
            linewidths=0.5,
        ),
        autolim=False,  # the map's extent sets the limits
    )
