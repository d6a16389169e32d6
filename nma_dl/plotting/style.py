"""The course's matplotlib style, the identity line, and helpers every plotting module shares.

The helpers convert what the tutorials pass to a figure (NumPy arrays, Python sequences, torch
tensors, recognised without importing torch) into float arrays, and find the axes to draw in.
:func:`class_colors` gives every figure the same colour for the same class; the WCAG contrast
helpers keep lines and points readable against the figures' white background (the figures are
saved on opaque white, so a page's dark theme shows them on white too).

One rule for every plotting function: a number (a size, a limit, a radius) may be any real
number, a NumPy scalar included (``np.float32(1)``), but not a bool, and must be finite; arrays
of data must be finite, except where a docstring says that NaN is drawn as a gap (the matrix of
:func:`~nma_dl.plotting.decoding.plot_data_matrix`); inf is never drawn. A class count is at
most ``MAX_CLASSES`` (360), so that a stray ``10**6`` answers at once instead of laying out a
million ticks or colours.
"""

import colorsys
import numbers
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.ticker import MaxNLocator

from nma_dl._validate import check_array, validate_instance

__all__ = ["identity_line", "use_course_style"]

#: Most classes a figure draws (one tick or colour each): one per degree of orientation.
MAX_CLASSES = 360

#: The course's matplotlib style file, shipped inside the package (works offline).
STYLE_PATH = Path(__file__).with_name("course.mplstyle")

# Colour of reference artists (identity line, bin edges) that must not compete with data.
_REFERENCE_GREY = "0.7"

# Least contrast ratio (WCAG 2.1, non-text contrast) of a line or point against its background.
_MIN_LINE_CONTRAST = 3.0

# One colour per class, each at least 3:1 on white and far apart from the others (CIELAB
# distance over 27). The first four are the Okabe & Ito colours of the course's cycle that are
# readable on white, so a four-class figure is safe for colour-blind readers; then a dark
# orange, violet, black, olive, brown and a dark cyan.
_CLASS_PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#A87000",
    "#6A3D9A",
    "#000000",
    "#7A7A00",
    "#8C564B",
    "#00A0C0",
)

# Turn between the hues of the classes past the palette: the golden angle never repeats a hue.
_GOLDEN_TURN = (np.sqrt(5) - 1) / 2

# The minus sign of typeset numbers (matplotlib's own tick labels use it too).
_MINUS = "\N{MINUS SIGN}"


def _to_numpy(values, name):
    """Return ``values`` as a float ndarray; tensors are detached and moved to the CPU.

    Tensors of every real dtype are taken (bfloat16 too); a meta tensor (no values), complex
    numbers (whose imaginary part a float array would silently drop), dates and ``None``
    (which NumPy would turn into NaN) are refused, naming ``name``
    (:func:`~nma_dl._validate.check_array`, in the display modules' words: ``"; got"``).
    """
    return check_array(values, name, sep=";")


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
    return array if allow_nan else _finite(array, name)


def _matrix(values, name):
    """Return a non-empty 2-D float array of finite numbers."""
    array = check_array(values, name, ndim=2, shape="a non-empty 2-D matrix", sep=";")
    return _finite(array, name)


def _finite(array, name, *, allow_nan=False):
    """Check that an array holds no inf (and no NaN unless ``allow_nan``); return it."""
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        what = "inf" if allow_nan else "NaN or inf"
        raise ValueError(f"{name} must contain only finite numbers; got {what}")
    return array


def _class_count(value, name):
    """Return a number of classes, an int in [1, MAX_CLASSES]."""
    validate_instance(value, numbers.Integral, name, "an int", sep=";")
    if not 1 <= value <= MAX_CLASSES:
        raise ValueError(
            f"{name} must be between 1 and {MAX_CLASSES} (one tick or colour per class); "
            f"got {value}"
        )
    return int(value)


def _relative_luminance(color):
    """Relative luminance of a colour (WCAG 2.1), 0 for black to 1 for white."""
    channels = np.array(to_rgb(color))
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast_ratio(color, background):
    """WCAG contrast ratio of two colours, from 1 (equal) to 21 (black on white)."""
    lighter, darker = sorted(
        [_relative_luminance(color), _relative_luminance(background)], reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _darkened(color, ratio=_MIN_LINE_CONTRAST, background="white"):
    """Return ``color`` scaled towards black (same hue) until it reaches ``ratio`` on background.

    Scaling all three channels by one factor keeps the hue, so the colour still reads as the
    same colour, only darker; the factor is found by bisection.
    """
    rgb = np.array(to_rgb(color))
    if _contrast_ratio(rgb, background) >= ratio:
        return tuple(float(c) for c in rgb)
    low, high = 0.0, 1.0  # factors: low always reaches the ratio (black), high does not
    for _ in range(40):
        middle = (low + high) / 2
        if _contrast_ratio(rgb * middle, background) >= ratio:
            low = middle
        else:
            high = middle
    return tuple(float(c) for c in rgb * low)


def class_colors(n):
    """Return the colour of each of ``n`` classes, the same in every figure of the course.

    Class ``k`` always gets the same colour, whatever ``n`` is (``class_colors(4)`` is the start
    of ``class_colors(10)``), so a scatter of the data and a map of a network's decisions agree.
    Every colour has a contrast of at least 3:1 against white (WCAG 2.1, non-text contrast).
    The first ten are chosen to be far apart; past them, each class gets a hue of its own, a
    golden-angle turn from the one before, darkened to the same contrast: still distinct, but
    harder to tell apart by eye.

    Parameters
    ----------
    n : int
        Number of classes, 1 to ``MAX_CLASSES`` (360).

    Returns
    -------
    colors : list of tuple
        ``n`` RGB triples of floats in [0, 1].
    """
    n = _class_count(n, "n")
    colors = [tuple(float(c) for c in to_rgb(hex_)) for hex_ in _CLASS_PALETTE[:n]]
    for k in range(len(colors), n):
        hue = ((k - len(_CLASS_PALETTE)) * _GOLDEN_TURN) % 1.0
        colors.append(_darkened(colorsys.hsv_to_rgb(hue, 1.0, 1.0)))
    return colors


def _degrees(value):
    """Write an angle as a tick label: ``-45.0`` as ``'−45°'``."""
    return f"{float(value) + 0.0:g}°".replace("-", _MINUS)  # + 0.0: no "−0°"


def _sorted_orientations(values, name, n, per, what="orientation"):
    """Return ``n`` finite orientations in non-decreasing order, one ``per`` row or column.

    An axis can be ticked with orientations only if it is ordered by them, hence the order.
    """
    values = _as_vector(values, name)
    if len(values) != n:
        raise ValueError(f"{name} must have one {what} per {per} ({n}); got {len(values)}")
    if np.any(np.diff(values) < 0):
        raise ValueError(
            f"{name} must be sorted (non-decreasing), one value per {per} in the order they "
            "are drawn: the axis it ticks must be ordered by it"
        )
    return values


def _orientation_ticks(orientations, max_ticks=5):
    """Positions and labels of a few evenly spaced orientations along a sorted axis.

    The tick values are round multiples (of 90°, 45°, 30°, 15°, ...: matplotlib's
    ``MaxNLocator`` with steps that favour divisors of 90) within the range of
    ``orientations``, or beyond its ends by at most 1 % of it (binned orientations such as
    0.5° to 359.5° still get their 0° and 360°, drawn at the first and last index). Each
    stands at the first index whose orientation reaches it, so on an axis of neurons sorted by
    preferred orientation the tick "90°" marks where the neurons that prefer 90° begin.

    Parameters
    ----------
    orientations : numpy.ndarray
        (n,) non-decreasing orientations in degrees, one per index of the axis.
    max_ticks : int, default=5
        Most ticks.

    Returns
    -------
    positions : list of int
    labels : list of str
    """
    low, high = orientations[0], orientations[-1]
    if low == high:
        return [0], [_degrees(low)]
    slack = 0.01 * (high - low)
    locator = MaxNLocator(nbins=max_ticks - 1, steps=[1, 1.5, 2, 3, 4.5, 5, 9, 10])
    values = [v for v in locator.tick_values(low, high) if low - slack <= v <= high + slack]
    positions, labels = [], []
    for value in values:
        position = int(np.searchsorted(orientations, value, side="left"))
        position = min(position, len(orientations) - 1)  # a value just past the last index
        if position not in positions:  # no index between two ticks: the labels would overlap
            positions.append(position)
            labels.append(_degrees(value))
    return positions, labels


def _validate_axes(ax, name="ax"):
    return validate_instance(ax, Axes, name, "a matplotlib Axes", sep=";")


def _axes_or_current(ax):
    return plt.gca() if ax is None else _validate_axes(ax)


def use_course_style():
    """Apply the course's matplotlib style to all later figures.

    The style ships with the package (``nma_dl/plotting/course.mplstyle``), so it
    works offline. Calling this again re-applies the same settings.

    Returns
    -------
    path : pathlib.Path
        The style file that was applied.
    """
    plt.style.use(str(STYLE_PATH))
    return STYLE_PATH


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
