"""The course's matplotlib style, the identity line, and helpers every plotting module shares.

The helpers convert what the tutorials pass to a figure (NumPy arrays, Python sequences, torch
tensors, recognised without importing torch) into float arrays, and find the axes to draw in.

One rule for every plotting function: a number (a size, a limit, a radius) may be any real
number, a NumPy scalar included (``np.float32(1)``), but not a bool, and must be finite; arrays
of data must be finite, except where a docstring says that NaN is drawn as a gap (the matrix of
:func:`~nma_dl.plotting.decoding.plot_data_matrix`); inf is never drawn. A class count is at
most ``MAX_CLASSES`` (360), so that a stray ``10**6`` answers at once instead of laying out a
million ticks or colours.
"""

import numbers
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from nma_dl._validate import check_array, validate_instance

__all__ = ["identity_line", "use_course_style"]

#: Most classes a figure draws (one tick or colour each): one per degree of orientation.
MAX_CLASSES = 360

#: The course's matplotlib style file, shipped inside the package (works offline).
STYLE_PATH = Path(__file__).with_name("course.mplstyle")

# Colour of reference artists (identity line, bin edges) that must not compete with data.
_REFERENCE_GREY = "0.7"


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
