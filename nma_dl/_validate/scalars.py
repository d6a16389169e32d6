"""Checks of numbers: ints and reals, the one way to say their bounds, seeds and widths.

A bound is an :class:`Interval`, for ints and reals alike; :func:`validate_int` and
:func:`validate_real` return the number converted (``int``, finite ``float``). Booleans are never
numbers here.
"""

import math
from numbers import Integral, Real

from nma_dl._validate._core import require, validate_instance

__all__ = [
    "MAX_SEED",
    "Interval",
    "validate_int",
    "validate_number",
    "validate_penalties",
    "validate_real",
    "validate_seed",
    "validate_size",
    "validate_widths",
]

#: Seeds are 32-bit: the range NumPy (and so :func:`nma_dl.set_seed`) accepts.
MAX_SEED = 2**32


class Interval:
    """A range of accepted numbers: the one way a check says a bound, for ints and reals alike.

    After scikit-learn's ``Interval``: ``Interval(Integral, 1, None)`` is an int >= 1,
    ``Interval(Real, 0, None, closed="neither")`` a real number > 0, ``Interval(Real, 0, 1,
    closed="left")`` one in [0, 1). Called as a check, ``interval(value, name)`` is
    :func:`validate_int` or :func:`validate_real` with that bound, so it can stand in a table
    of :func:`~nma_dl._validate.validate_params`.

    Parameters
    ----------
    kind : {numbers.Integral, numbers.Real}
        Ints (returned as ``int``), or real numbers (returned as a finite ``float``).
    low, high : int or float, optional
        The ends; ``None`` leaves that side unbounded. Shown as given (``0`` or ``0.0``).
    closed : {"both", "left", "right", "neither"}, default="both"
        Which ends belong to the interval.
    text : str, optional
        The range as the ValueError words it, ``"<name> must be <text>, got 0"``, for a message
        whose words differ from the default ``str(interval)``: ``"an int >= 1"``, ``"> 0"``,
        ``"in [0, 1)"``.

    Examples
    --------
    >>> 1.0 in Interval(Real, 0, 1, closed="left"), str(Interval(Real, 0, 1, closed="left"))
    (False, 'in [0, 1)')
    >>> Interval(Integral, 2, None)(3, "n_classes")
    3
    """

    _CLOSED = ("both", "left", "right", "neither")

    def __init__(self, kind, low=None, high=None, *, closed="both", text=None):
        if kind not in (Integral, Real):
            raise TypeError(f"kind must be numbers.Integral or numbers.Real, got {kind!r}")
        require(closed in self._CLOSED, "closed", f"one of {self._CLOSED}", closed)
        self.kind, self.low, self.high, self.closed, self.text = kind, low, high, closed, text

    def _ends(self):
        """Whether the low end and the high end belong to the interval."""
        return self.closed in ("both", "left"), self.closed in ("both", "right")

    def __contains__(self, value):
        """Whether the number ``value`` lies in the interval."""
        left, right = self._ends()
        above = self.low is None or (value >= self.low if left else value > self.low)
        below = self.high is None or (value <= self.high if right else value < self.high)
        return above and below

    def __str__(self):
        """Say the range as a message does: ``"an int >= 1"``, ``"> 0"``, ``"in [0, 1)"``."""
        if self.text is not None:
            return self.text
        left, right = self._ends()
        kind = "an int " if self.kind is Integral else ""
        if self.low is not None and self.high is not None:
            brackets = ("[" if left else "(", "]" if right else ")")
            return f"{kind}in {brackets[0]}{self.low}, {self.high}{brackets[1]}"
        if self.low is not None:
            return f"{kind}{'>=' if left else '>'} {self.low}"
        if self.high is not None:
            return f"{kind}{'<=' if right else '<'} {self.high}"
        return "an int" if self.kind is Integral else "a real number"

    def __repr__(self):
        """Show the interval as the call that makes it."""
        return (
            f"Interval({self.kind.__name__}, {self.low!r}, {self.high!r}, closed={self.closed!r})"
        )

    def __call__(self, value, name):
        """Return ``value`` as an ``int`` or a ``float`` in the interval, else raise."""
        if self.kind is Integral:
            return validate_int(value, name, self)
        return validate_real(value, name, self)


def _interval(interval, kind, low, high, closed, text):
    """``interval``, or the one that the old keywords of a check (``minimum``...) say."""
    if interval is None:
        return Interval(kind, low, high, closed=closed, text=text)
    if (low, high, text) != (None, None, None):
        raise TypeError("give the bound as an Interval or as the old keywords, not both")
    return interval


_POSITIVE_INT = Interval(Integral, 1, None, text="a positive int")
_NONNEGATIVE = Interval(Real, 0, None, closed="left")


def validate_int(
    value, name, interval=None, *, expected="an int", minimum=None, maximum=None, bound=None
):
    """Return ``value`` as an ``int``, checking its type and range.

    Parameters
    ----------
    value : object
        The argument: any integral number but a bool (Python or NumPy ints).
    name : str
        The argument's name.
    interval : Interval, optional
        The accepted range, as in the ValueError ``"<name> must be <interval>, got 0"``; no
        bound if omitted.
    expected : str, default="an int"
        The type, as in the TypeError ``"<name> must be <expected>, got float 1.5"``.
    minimum, maximum, bound : optional
        The old way to say ``Interval(Integral, minimum, maximum, text=bound)``, kept for the
        callers not yet moved to ``interval``.

    Returns
    -------
    int
        The value.

    Raises
    ------
    TypeError
        If ``value`` is not an integral number (or is a bool).
    ValueError
        If it lies outside ``interval``.
    """
    interval = _interval(interval, Integral, minimum, maximum, "both", bound)
    validate_instance(value, Integral, name, expected, show_value=True)
    value = int(value)
    require(value in interval, name, str(interval), value)
    return value


def validate_size(value, name):
    """Return a count or a layer width (an int >= 1) as an ``int``.

    ``value`` is the argument and ``name`` its name, as for every check of the package.

    Raises
    ------
    TypeError
        ``"<name> must be an int, got <type> <value>"``.
    ValueError
        ``"<name> must be a positive int, got <value>"``.
    """
    return validate_int(value, name, _POSITIVE_INT)


def validate_widths(value, name):
    """Return the widths of the hidden layers as a list of ints >= 1.

    Parameters
    ----------
    value : iterable of int
        One width per hidden layer (a list, a tuple, a range, ...; not a str).
    name : str
        The argument's name; an item is named ``<name>[i]``.

    Returns
    -------
    list of int
        The widths, in order (a generator is consumed once).

    Raises
    ------
    TypeError
        If ``value`` is not iterable, is a str, or holds a non-int.
    ValueError
        If a width is below 1.
    """
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(
            f"{name} must be a list of ints (one width per hidden layer), got "
            f"{type(value).__name__} {value!r}"
        )
    return [validate_size(width, f"{name}[{i}]") for i, width in enumerate(value)]


def validate_seed(seed, name="seed"):
    """Return a seed, an int in ``[0, 2**32)``.

    Parameters
    ----------
    seed : object
        The argument.
    name : str, default="seed"
        The argument's name.

    Returns
    -------
    int
        The seed.

    Raises
    ------
    TypeError
        ``"seed must be an int >= 0, got <type> <value>"``.
    ValueError
        ``"seed must be an int >= 0, got -1"`` or ``"seed must be in [0, 2**32), got <seed>"``.
    """
    seed = validate_int(seed, name, Interval(Integral, 0, None), expected="an int >= 0")
    require(seed < MAX_SEED, name, "in [0, 2**32)", seed)
    return seed


def validate_number(value, name, expected="a number"):
    """Return ``value`` if it is a real number (int or float, not bool), unchanged.

    ``value`` may be NaN or infinite (check the range with :func:`require`); ``expected`` is
    what the message says was expected: ``"<name> must be <expected>, got str '0.1'"``.

    Returns
    -------
    numbers.Real
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not a real number.
    """
    return validate_instance(value, Real, name, expected, show_value=True)


def validate_real(value, name, interval=None, *, minimum=None, exclusive=False, below=None):
    """Return a finite real number as a ``float``, optionally bounded.

    The one scalar check of the package, in the spirit of scikit-learn's ``check_scalar``:
    callers say the bounds, never test ``isfinite`` and ``> 0`` themselves.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.
    interval : Interval, optional
        The accepted range: ``Interval(Real, 0, None, closed="neither")`` for a value > 0,
        ``Interval(Real, 0, 1, closed="left")`` for one in [0, 1); no bound if omitted.
    minimum, exclusive, below : optional
        The old way to say ``Interval(Real, minimum, below, closed="neither" if exclusive else
        "left")``, kept for the callers not yet moved to ``interval``.

    Returns
    -------
    float
        The value.

    Raises
    ------
    TypeError
        ``"<name> must be a real number, got <type> <value>"``.
    ValueError
        ``"<name> must be finite, got nan"``, ``"<name> must be >= 0, got -1.0"``,
        ``"<name> must be in [0, 1), got 1.0"``.
    """
    closed = "neither" if exclusive else "left"
    interval = _interval(interval, Real, minimum, below, closed, None)
    value = float(validate_number(value, name, "a real number"))
    require(math.isfinite(value), name, "finite", value)
    require(value in interval, name, str(interval), value)
    return value


def validate_penalties(L2_penalty, L1_penalty):
    """Return the L2 and L1 penalties of a trainer as floats, each finite and >= 0.

    Parameters
    ----------
    L2_penalty, L1_penalty : float
        The arguments.

    Returns
    -------
    tuple of float

    Raises
    ------
    TypeError, ValueError
        As :func:`validate_real`, naming ``L2_penalty`` or ``L1_penalty``.
    """
    return (
        validate_real(L2_penalty, "L2_penalty", _NONNEGATIVE),
        validate_real(L1_penalty, "L1_penalty", _NONNEGATIVE),
    )
