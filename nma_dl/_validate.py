"""Argument checks shared by the public functions of nma_dl (private: not part of the API).

Every check raises a :class:`TypeError` (wrong kind of value) or a :class:`ValueError` (right
kind, wrong value) whose message starts with the argument's name, says what was expected and
ends with what was given::

    n_hidden must be a positive int, got 0
    generator must be a torch.Generator or None, got int

A check that passes returns the value, converted where its docstring says so (``int``,
``float``), so a caller writes ``n = validate_int(n, "n", Interval(Integral, 1, None))``.
Booleans are never numbers here: ``True`` is refused wherever an int or a real number is
expected.

A bound is said one way, for ints and reals alike: an :class:`Interval`. A function declares the
checks of its arguments in one table, ``{parameter name: check(value, name) -> value}``, with the
decorator :func:`validate_params`, as a network declares its ``argument_validators``
(:mod:`nma_dl.models._base`)::

    @validate_params(
        {"n_iter": Interval(Integral, 1, None), "verbose": instance_of(bool, "a bool")},
        together=_check_fit_together,  # e.g. that net can take n_iter steps
    )
    def fit(net, n_iter=100, verbose=True): ...

Nothing is imported from torch when this module loads (the display modules, plotting, widgets
and videos, use these checks without importing torch); the tensor checks fetch it through
:func:`_torch` when called.
"""

import functools
import inspect
import math
import os
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np

__all__ = [
    "GRADIENT_STEP_COST",
    "MAX_SEED",
    "MEMORY_LIMIT_VAR",
    "STEPS_LIMIT_VAR",
    "Interval",
    "instance_of",
    "is_instance",
    "optional",
    "require",
    "tensor_to_numpy",
    "validate_batch",
    "validate_callable",
    "validate_class_labels",
    "validate_class_scores",
    "validate_column",
    "validate_device",
    "validate_dtype",
    "validate_finite",
    "validate_gradient_steps",
    "validate_instance",
    "validate_int",
    "validate_labels",
    "validate_linear_layer",
    "validate_loader",
    "validate_loader_batch",
    "validate_memory",
    "validate_network",
    "validate_not_meta",
    "validate_number",
    "validate_optimizer",
    "validate_orientations",
    "validate_pair",
    "validate_parameters",
    "validate_params",
    "validate_penalties",
    "validate_real",
    "validate_real_dtype",
    "validate_response_matrix",
    "validate_responses",
    "validate_rows",
    "validate_same_rows",
    "validate_samples",
    "validate_scalar",
    "validate_seed",
    "validate_size",
    "validate_steps",
    "validate_targets",
    "validate_tensor",
    "validate_widths",
]


def _torch():
    """Return the torch module, imported on the first call.

    The one deferred import of this module: it must load without torch (the display modules use
    its checks), so the tensor checks fetch torch here when called; Python caches it after that.
    """
    import torch  # deferred: this module loads without torch

    return torch


#: Seeds are 32-bit: the range NumPy (and so :func:`nma_dl.set_seed`) accepts.
MAX_SEED = 2**32


# --------------------------------------------------------------------------- the two primitives


def validate_instance(value, types, name, expected, *, show_value=False, sep=","):
    """Return ``value`` if it is an instance of ``types``, else raise a TypeError.

    Parameters
    ----------
    value : object
        The argument.
    types : type or tuple of type
        Accepted types; ``bool`` passes only if it is one of them (``True`` is an ``int`` to
        Python, but never a number here).
    name : str
        The argument's name, which starts the message.
    expected : str
        What was expected, as in ``"<name> must be <expected>"``: ``"a torch.Tensor"``.
    show_value : bool, default=False
        Also show the value's repr after its type name (useful for scalars, not for arrays).
    sep : str, default=","
        Separator before ``got`` (the display modules write ``"; got"``).

    Returns
    -------
    object
        ``value``, unchanged.

    Raises
    ------
    TypeError
        ``"<name> must be <expected>, got <type>"`` (with ``" <repr>"`` if ``show_value``).
    """
    if is_instance(value, types):
        return value
    got = type(value).__name__ + (f" {value!r}" if show_value else "")
    raise TypeError(f"{name} must be {expected}{sep} got {got}")


def is_instance(value, types):
    """Whether ``value`` is an instance of ``types``, a bool counting only if bool is one of them.

    Parameters
    ----------
    value : object
        The value.
    types : type or tuple of type
        The accepted types.

    Returns
    -------
    bool
        ``isinstance(value, types)``, but false for ``True`` and ``False`` unless ``bool`` is
        in ``types``.
    """
    types = types if isinstance(types, tuple) else (types,)
    return isinstance(value, types) and (bool in types or not isinstance(value, bool))


def require(ok, name, condition, value, *, sep=","):
    """Raise a ValueError naming the argument unless ``ok``.

    Parameters
    ----------
    ok : bool
        Whether the value is acceptable.
    name : str
        The argument's name.
    condition : str
        What the value must be, as in ``"<name> must be <condition>"``: ``"in (0, 1)"``.
    value : object
        The value given, shown with its repr.
    sep : str, default=","
        Separator before ``got``.

    Raises
    ------
    ValueError
        ``"<name> must be <condition>, got <value!r>"`` when ``ok`` is false.
    """
    if not ok:
        raise ValueError(f"{name} must be {condition}{sep} got {value!r}")


# --------------------------------------------------------------------------- bounds and tables


class Interval:
    """A range of accepted numbers: the one way a check says a bound, for ints and reals alike.

    After scikit-learn's ``Interval``: ``Interval(Integral, 1, None)`` is an int >= 1,
    ``Interval(Real, 0, None, closed="neither")`` a real number > 0, ``Interval(Real, 0, 1,
    closed="left")`` one in [0, 1). Called as a check, ``interval(value, name)`` is
    :func:`validate_int` or :func:`validate_real` with that bound, so it can stand in a table
    of :func:`validate_params`.

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

    def __contains__(self, value):
        """Whether the number ``value`` lies in the interval."""
        left, right = self.closed in ("both", "left"), self.closed in ("both", "right")
        above = self.low is None or (value >= self.low if left else value > self.low)
        below = self.high is None or (value <= self.high if right else value < self.high)
        return above and below

    def __str__(self):
        """Say the range as a message does: ``"an int >= 1"``, ``"> 0"``, ``"in [0, 1)"``."""
        if self.text is not None:
            return self.text
        left, right = self.closed in ("both", "left"), self.closed in ("both", "right")
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
        return (
            f"Interval({self.kind.__name__}, {self.low!r}, {self.high!r}, closed={self.closed!r})"
        )

    def __call__(self, value, name):
        """Return ``value`` as an ``int`` or a ``float`` in the interval, else raise."""
        if self.kind is Integral:
            return validate_int(value, name, self)
        return validate_real(value, name, self)


def validate_params(checks, *, together=None):
    """Check a function's arguments before its body runs, each declared once in a table.

    The functions' counterpart of the networks' ``argument_validators``
    (:mod:`nma_dl.models._base`), after scikit-learn's ``validate_params``. At each call the
    arguments are bound to the function's signature (defaults included); then

    1. each ``checks[name](value, name)`` runs, in the table's order, and what it returns is
       what the body gets (an ``int`` for a count, a ``torch.device`` for a device);
    2. ``together(**arguments)``, if given, checks what only makes sense of several arguments
       at once: as many rows, both or neither, the work the call would take.

    A call that does not fit the signature (a missing argument) goes to the function unchecked,
    so that Python says what is wrong.

    Parameters
    ----------
    checks : dict
        ``{parameter name: check(value, name) -> value}``: a ``validate_*`` function of this
        module, an :class:`Interval`, or one made by :func:`instance_of` or :func:`optional`.
    together : callable, optional
        ``together(**arguments)`` raises if the checked arguments do not fit together; it takes
        the ones it needs by name and the others as ``**others``.

    Returns
    -------
    callable
        The decorator. The function it returns keeps the name, docstring and signature of the
        one it wraps (:func:`functools.wraps`), so ``help()`` and the API pages show the
        original.

    Raises
    ------
    TypeError
        When decorating, if the table names a parameter the function does not have.
    """

    def decorate(func):
        signature = inspect.signature(func)
        unknown = [name for name in checks if name not in signature.parameters]
        if unknown:  # a typo in the table would silently check nothing
            raise TypeError(f"validate_params: {func.__name__} has no parameter {unknown[0]!r}")

        @functools.wraps(func)
        def checked(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return func(*args, **kwargs)
            bound.apply_defaults()
            for name, check in checks.items():
                bound.arguments[name] = check(bound.arguments[name], name)
            if together is not None:
                together(**bound.arguments)
            return func(*bound.args, **bound.kwargs)

        return checked

    return decorate


def instance_of(types, expected, *, show_value=False):
    """Return a check that its value is an instance of ``types``, for :func:`validate_params`.

    Parameters
    ----------
    types : type or tuple of type
        The accepted types (``type(None)`` among them for an optional argument).
    expected, show_value
        As for :func:`validate_instance`.

    Returns
    -------
    callable
        ``check(value, name)``, which returns ``value`` or raises the TypeError of
        :func:`validate_instance`.
    """

    def check(value, name):
        return validate_instance(value, types, name, expected, show_value=show_value)

    return check


def optional(check):
    """Return ``check`` letting ``None`` through, for an argument that defaults to None.

    Parameters
    ----------
    check : callable
        ``check(value, name) -> value``, run on every other value.

    Returns
    -------
    callable
        ``check_or_none(value, name)``.
    """

    def check_or_none(value, name):
        return None if value is None else check(value, name)

    return check_or_none


# --------------------------------------------------------------------------- numbers


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


def _interval(interval, kind, low, high, closed, text):
    """``interval``, or the one that the old keywords of a check (``minimum``...) say."""
    if interval is None:
        return Interval(kind, low, high, closed=closed, text=text)
    if (low, high, text) != (None, None, None):
        raise TypeError("give the bound as an Interval or as the old keywords, not both")
    return interval


_POSITIVE_INT = Interval(Integral, 1, None, text="a positive int")
_NONNEGATIVE = Interval(Real, 0, None, closed="left")


def validate_size(value, name):
    """Return a count or a layer width (an int >= 1) as an ``int``.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.

    Returns
    -------
    int
        The value.

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

    Parameters
    ----------
    value : object
        The argument; NaN and infinities pass (check the range with :func:`require`).
    name : str
        The argument's name.
    expected : str, default="a number"
        As in ``"<name> must be <expected>, got str '0.1'"``.

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


# --------------------------------------------------------------------------- arrays and tensors


def validate_tensor(value, name, expected="a torch.Tensor"):
    """Return ``value`` if it is a torch tensor.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.
    expected : str, default="a torch.Tensor"
        As in ``"<name> must be <expected>, got list"``.

    Returns
    -------
    torch.Tensor
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not a :class:`torch.Tensor`.
    """
    torch = _torch()

    return validate_instance(value, torch.Tensor, name, expected)


def validate_dtype(value, name, dtype, whose="the network's"):
    """Check that a tensor has the dtype of the weights it meets.

    Parameters
    ----------
    value : torch.Tensor
        The argument.
    name : str
        The argument's name.
    dtype : torch.dtype
        The expected dtype (that of the weights).
    whose : str, default="the network's"
        Whose dtype it is, as in ``"<name> must have <whose> dtype torch.float32"``.

    Raises
    ------
    TypeError
        ``"x must have the network's dtype torch.float32, got torch.float64 (convert with
        x.to(torch.float32))"``.
    """
    if value.dtype != dtype:
        raise TypeError(
            f"{name} must have {whose} dtype {dtype}, got {value.dtype} "
            f"(convert with {name}.to({dtype}))"
        )


def validate_linear_layer(net, layer):
    """Check that ``net`` is a module with a linear layer named ``layer`` (penalised weights).

    Parameters
    ----------
    net : object
        The argument.
    layer : str
        The attribute that must be a :class:`torch.nn.Linear` (``"in_layer"``, ``"out_layer"``).

    Raises
    ------
    TypeError
        ``"net must be a torch.nn.Module, got str"``, or ``"net must have a linear layer
        net.in_layer (its weights are penalised)"``.
    """
    nn = _torch().nn

    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    if not isinstance(getattr(net, layer, None), nn.Linear):
        raise TypeError(f"net must have a linear layer net.{layer} (its weights are penalised)")


def validate_column(value, name):
    """Check that an array or tensor has shape ``(n,)`` or ``(n, 1)``.

    Parameters
    ----------
    value : numpy.ndarray or torch.Tensor
        The argument.
    name : str
        The argument's name.

    Raises
    ------
    ValueError
        ``"<name> must have shape (n,) or (n, 1), got (2, 2)"``.
    """
    shape = tuple(value.shape)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)):
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {shape}")


def validate_real_dtype(value, name):
    """Check that an array or tensor holds real numbers (no bool, no complex).

    Parameters
    ----------
    value : numpy.ndarray or torch.Tensor
        The argument.
    name : str
        The argument's name.

    Raises
    ------
    TypeError
        ``"<name> must hold real numbers, got dtype <dtype>"``.
    """
    if isinstance(value, np.ndarray):
        real = np.issubdtype(value.dtype, np.number) and not np.iscomplexobj(value)
    else:  # a torch tensor: every dtype is numeric but bool and the complex ones
        torch = _torch()
        real = not (value.is_complex() or value.dtype == torch.bool)
    if not real:
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")


def validate_not_meta(value, name):
    """Check that a tensor holds values: a meta tensor has a shape but no numbers.

    ``torch.empty(3, device="meta")`` (and a network built on that device) computes shapes
    without memory; every copy or reduction of it fails deep in torch, naming nothing.

    Parameters
    ----------
    value : torch.Tensor
        The argument.
    name : str
        The argument's name.

    Raises
    ------
    ValueError
        ``"<name> must hold numbers, got a meta tensor (device='meta': a shape without
        values); make it on 'cpu' or 'cuda' instead"``.
    """
    if value.is_meta:
        raise ValueError(
            f"{name} must hold numbers, got a meta tensor (device='meta': a shape without "
            f"values); make it on 'cpu' or 'cuda' instead"
        )


def tensor_to_numpy(value, name):
    """Return a tensor's values as a NumPy array, detached from autograd and on the CPU.

    What ``value.detach().cpu().numpy()`` gives, also for the tensors it refuses with an error
    that names nothing: a sparse tensor is made dense, a quantized one dequantized, and a
    floating-point dtype NumPy lacks (``torch.bfloat16``, the float8 types) becomes float32,
    which holds each of their values exactly. Other dtypes are kept (checking them is the
    caller's business).

    Parameters
    ----------
    value : torch.Tensor
        The argument.
    name : str
        The argument's name.

    Returns
    -------
    numpy.ndarray
        The values (sharing memory with ``value`` where ``.numpy()`` would).

    Raises
    ------
    ValueError
        If ``value`` is a meta tensor (:func:`validate_not_meta`).
    """
    torch = _torch()

    validate_not_meta(value, name)
    value = value.detach()
    if value.layout != torch.strided:
        value = value.to_dense()
    if value.is_quantized:
        value = value.dequantize()
    value = value.resolve_conj().resolve_neg().cpu()
    if value.is_floating_point() and value.dtype not in (
        torch.float16,
        torch.float32,
        torch.float64,
    ):
        value = value.float()
    return value.numpy()


def validate_pair(first, second, names):
    """Check that two optional arguments are given together or not at all.

    Parameters
    ----------
    first, second : object or None
        The arguments (a test set's data and labels).
    names : tuple of str
        Their names.

    Raises
    ------
    ValueError
        ``"give both test_data and test_labels, or neither; got test_data only"``.
    """
    if (first is None) != (second is None):
        given = names[0] if second is None else names[1]
        raise ValueError(f"give both {names[0]} and {names[1]}, or neither; got {given} only")


def validate_same_rows(first, second, names):
    """Check that two arguments have as many rows.

    Parameters
    ----------
    first, second : sized
        The arguments (tensors, arrays).
    names : tuple of str
        Their names.

    Raises
    ------
    ValueError
        ``"<a> and <b> must have the same number of rows, got 10 and 9"``.
    """
    if len(first) != len(second):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same number of rows, got "
            f"{len(first)} and {len(second)}"
        )


def validate_responses(resp, stimuli, names=("resp", "stimuli")):
    """Check neural responses and the orientations of their stimuli, one row per stimulus.

    Parameters
    ----------
    resp : torch.Tensor
        (n_stimuli, n_neurons) responses (:func:`validate_response_matrix`).
    stimuli : torch.Tensor
        (n_stimuli, 1) or (n_stimuli,) orientations (:func:`validate_orientations`).
    names : tuple of str, default=("resp", "stimuli")
        The arguments' names.

    Raises
    ------
    TypeError
        If either is not a tensor.
    ValueError
        If a shape is wrong or the numbers of rows differ.
    """
    validate_response_matrix(resp, names[0])
    validate_orientations(stimuli, names[1])
    validate_same_rows(resp, stimuli, names)


def validate_response_matrix(value, name):
    """Return ``value`` if it is an (n_stimuli, n_neurons) tensor of responses.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.

    Returns
    -------
    torch.Tensor
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not a tensor.
    ValueError
        ``"<name> must have shape (n_stimuli, n_neurons), got shape (10,)"``.
    """
    _validate_stimulus_rows(value, name)
    if value.ndim != 2:
        raise ValueError(
            f"{name} must have shape (n_stimuli, n_neurons), got shape {tuple(value.shape)}"
        )
    return value


def validate_orientations(value, name):
    """Return ``value`` if it is an (n_stimuli, 1) or (n_stimuli,) tensor of orientations.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.

    Returns
    -------
    torch.Tensor
        ``value``, unchanged.

    Raises
    ------
    TypeError
        If ``value`` is not a tensor.
    ValueError
        ``"<name> must have shape (n_stimuli, 1) or (n_stimuli,), got shape (2, 2)"``.
    """
    _validate_stimulus_rows(value, name)
    if not (value.ndim == 1 or (value.ndim == 2 and value.shape[1] == 1)):
        raise ValueError(
            f"{name} must have shape (n_stimuli, 1) or (n_stimuli,), got shape "
            f"{tuple(value.shape)}"
        )
    return value


def _validate_stimulus_rows(value, name):
    validate_tensor(value, name)
    if value.ndim == 0:
        raise ValueError(f"{name} must have one row per stimulus, got a 0-d tensor")


def validate_samples(X, y, names=("X", "y"), *, nonempty=False):
    """Check a data set: inputs ``X`` and labels ``y``, one row per sample.

    Parameters
    ----------
    X, y : torch.Tensor
        Inputs and labels, each with a sample dimension first.
    names : tuple of str, default=("X", "y")
        The arguments' names.
    nonempty : bool, default=False
        Also require at least one sample.

    Raises
    ------
    TypeError
        If either is not a tensor.
    ValueError
        If either is 0-d, their numbers of samples differ, or (``nonempty``) there are none.
    """
    xn, yn = names
    validate_tensor(X, xn)
    validate_tensor(y, yn)
    for value, name in ((X, xn), (y, yn)):
        if value.dim() == 0:
            raise ValueError(f"{name} needs a sample dimension, got a 0-d tensor")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{xn} and {yn} must have as many samples, got {X.shape[0]} ({xn}) and "
            f"{y.shape[0]} ({yn})"
        )
    if nonempty and X.shape[0] == 0:
        raise ValueError(f"{xn} must hold at least one sample, got shape {tuple(X.shape)}")


def validate_device(device, name="device"):
    """Return ``device`` as a :class:`torch.device`.

    Parameters
    ----------
    device : str or torch.device
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, ...
    name : str, default="device"
        The argument's name.

    Returns
    -------
    torch.device
        The device (whether it is available is not checked).

    Raises
    ------
    TypeError
        If ``device`` is neither a str nor a torch.device.
    ValueError
        If the str names no torch device.
    """
    torch = _torch()

    validate_instance(device, (str, torch.device), name, "a str such as 'cpu' or a torch.device")
    try:
        return torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"{name} must name a torch device such as 'cpu' or 'cuda', got {device!r}"
        ) from None


# --------------------------------------------------------------------------- training


def validate_network(net, name="net"):
    """Return ``net`` if it is a :class:`torch.nn.Module`.

    Parameters
    ----------
    net : object
        The argument.
    name : str, default="net"
        The argument's name.

    Returns
    -------
    torch.nn.Module
        ``net``, unchanged.

    Raises
    ------
    TypeError
        ``"net must be a torch.nn.Module, got str"``.
    """
    nn = _torch().nn

    return validate_instance(net, nn.Module, name, "a torch.nn.Module")


def validate_callable(value, name):
    """Return ``value`` if it is callable (a loss function, a penalty).

    Raises
    ------
    TypeError
        ``"loss_fn must be callable, got str"``.
    """
    return validate_instance(value, Callable, name, "callable")


def validate_parameters(net, *, finite=True):
    """Refuse a network with meta parameters or, if ``finite``, with NaN or inf in them.

    Parameters
    ----------
    net : torch.nn.Module
        The network (the argument ``net``).
    finite : bool, default=True
        Also refuse NaN and inf in a floating-point parameter.

    Raises
    ------
    ValueError
        Naming the parameter (``net.out_layer.weight``): a meta tensor has no values; a
        non-finite one was typically left so by a training that diverged.
    """
    for pname, param in net.named_parameters():
        if param.is_meta:
            raise ValueError(
                f"net must have parameters with values, but net.{pname} is a meta tensor "
                "(built with device='meta'); build the network on 'cpu' or 'cuda', or give it "
                "values with net.to_empty(device='cpu') and an initialisation"
            )
        if finite and param.is_floating_point() and not param.isfinite().all():
            raise ValueError(
                f"net's parameters must be finite, but net.{pname} holds nan or inf: a network "
                "left so by a training that diverged? Build a new one"
            )


def validate_rows(value, name):
    """Return ``value`` if it is a tensor with values and at least one row (data or labels).

    Raises
    ------
    TypeError
        If ``value`` is not a tensor.
    ValueError
        ``"<name> must have at least one row, got shape (0, 3)"``, or if it is a meta tensor.
    """
    validate_tensor(value, name)
    if value.ndim == 0 or len(value) == 0:
        raise ValueError(f"{name} must have at least one row, got shape {tuple(value.shape)}")
    validate_not_meta(value, name)
    return value


def validate_stimuli(value, name):
    """Return ``value`` if it is a tensor with values for at least one stimulus.

    Raises
    ------
    TypeError
        If ``value`` is not a tensor.
    ValueError
        If it is a meta tensor, or ``"<name> must hold at least one stimulus, got shape (0,
        3)"``.
    """
    validate_tensor(value, name)
    validate_not_meta(value, name)
    if value.ndim == 0 or len(value) == 0:
        raise ValueError(f"{name} must hold at least one stimulus, got shape {tuple(value.shape)}")
    return value


def validate_finite(value, name, where=""):
    """Refuse NaN and inf in a floating-point tensor, naming the first bad row or column.

    A column of a 2-d tensor that is NaN or inf in every row (while the others are not) is
    named as such: it is typically a neuron that never varies, z-scored (0 / 0).

    Parameters
    ----------
    value : torch.Tensor
        The argument; other dtypes than floating point pass.
    name : str
        The argument's name.
    where : str, default=""
        Added after the place of the bad value: ``" of a batch of train_loader"``.

    Raises
    ------
    ValueError
        ``"train_data must be finite, got nan in row 3, column 1: ..."``.
    """
    if not value.is_floating_point():
        return
    bad = ~value.isfinite()
    if not bad.any():
        return
    if value.ndim == 2 and len(value) > 1:
        _validate_finite_columns(value, bad, name, where)
    rows = bad.reshape(len(value), -1).any(dim=1)
    row = int(rows.nonzero()[0, 0])
    kind = "nan" if value[row].isnan().any() else "inf"
    column = f", column {int(bad[row].nonzero()[0, 0])}" if value.ndim == 2 else ""
    raise ValueError(
        f"{name} must be finite, got {kind} in row {row}{column}{where}: training on it would "
        "make the loss and every weight NaN; drop or fix those rows first"
    )


def _validate_finite_columns(value, bad, name, where):
    """Refuse a column that is NaN or inf in every row while some other column is not."""
    whole = bad.all(dim=0)
    columns = whole.nonzero()[:, 0].tolist()
    if columns and not whole.all():
        col, others = columns[0], len(columns) - 1
        kind = "nan" if value[:, col].isnan().any() else "inf"
        more = f" (and {others} other column{'s' * (others > 1)})" if others else ""
        raise ValueError(
            f"{name} must be finite, got {kind} in every row of column {col}{more}{where}: "
            f"a neuron that never varies, z-scored (0 / 0 = nan)? Drop such columns from "
            f"the training and test data first, e.g. keep = {name}.isfinite().all(0), "
            f"then {name}[:, keep]"
        )


def validate_batch(net, loss_fn, data, labels, penalty, names=("data", "labels")):
    """Check the arguments of one gradient step or loss evaluation before the forward pass.

    Parameters
    ----------
    net, loss_fn, data, labels, penalty
        As for :func:`nma_dl.gradient_step`.
    names : tuple of str, default=("data", "labels")
        The names of ``data`` and ``labels``.

    Raises
    ------
    TypeError, ValueError
        Naming the argument at fault (see :func:`validate_rows` and :func:`validate_labels`).
    """
    validate_network(net)
    validate_callable(loss_fn, "loss_fn")
    validate_instance(penalty, (Callable, type(None)), "penalty", "callable or None")
    validate_rows(data, names[0])
    validate_rows(labels, names[1])
    validate_labels(data, labels, loss_fn, names)
    validate_parameters(net, finite=False)


def validate_labels(data, labels, loss_fn, names):
    """Check that ``labels`` has a row per row of ``data`` and a dtype ``loss_fn`` can take.

    Class indices (for ``nn.CrossEntropyLoss`` and ``nn.NLLLoss``) are checked against the
    network's output later (:func:`validate_class_labels`); any other loss needs real numbers:
    complex labels make torch fail naming no argument, and bool ones would pass silently.

    Raises
    ------
    ValueError
        If the numbers of rows differ.
    TypeError
        ``"train_labels must hold real numbers, got dtype torch.bool"``.
    """
    validate_same_rows(data, labels, names)
    _, classification = _loss_kinds()
    if not isinstance(loss_fn, classification):
        validate_real_dtype(labels, names[1])


def _loss_kinds():
    """Return the losses whose targets have the output's shape, and those taking class indices."""
    nn = _torch().nn

    return (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss), (
        nn.CrossEntropyLoss,
        nn.NLLLoss,
    )


def validate_optimizer(optimizer, net):
    """Refuse an optimizer that updates none of the network's parameters.

    Built over another module's parameters, it updates nothing of ``net``: the loss never
    changes and no error says why.

    Raises
    ------
    ValueError
        ``"optimizer must update the network's parameters (build it from net.parameters()),
        ..."``.
    """
    own = {id(p) for p in net.parameters()}
    theirs = [p for group in optimizer.param_groups for p in group["params"]]
    if own and theirs and not any(id(p) in own for p in theirs):
        raise ValueError(
            "optimizer must update the network's parameters (build it from net.parameters()), "
            "but its parameters are not the network's"
        )


def validate_scalar(value, name):
    """Check that a function given as an argument (``loss_fn``, ``penalty``) returned a scalar.

    Raises
    ------
    ValueError
        ``"loss_fn must return a scalar tensor, got (3, 1)"``.
    """
    torch = _torch()

    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        got = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
        raise ValueError(f"{name} must return a scalar tensor, got {got}")


def validate_targets(loss_fn, output, labels):
    """Check that ``labels`` can be the targets of ``loss_fn`` for the network's ``output``.

    Caught here because torch would broadcast (n,) against (n, 1) to (n, n) with only a
    warning, or fail with an error that does not say which argument is wrong.

    Raises
    ------
    ValueError, TypeError
        Naming ``labels``: not the output's shape for a regression loss, not class indices for
        a classification loss (:func:`validate_class_labels`), or a shape that a custom loss
        would broadcast against the output's to a wrong loss.
    """
    torch = _torch()

    regression, classification = _loss_kinds()
    if isinstance(loss_fn, regression) and labels.shape != output.shape:
        raise ValueError(
            f"labels must have the network output's shape {tuple(output.shape)} for "
            f"{type(loss_fn).__name__}, got {tuple(labels.shape)}"
        )
    if isinstance(loss_fn, classification):
        validate_class_labels(labels, output, loss_fn)
    elif isinstance(output, torch.Tensor) and labels.is_floating_point():
        # A custom loss: (n, 1) - (n,) silently becomes an (n, n) matrix and a wrong number.
        try:
            both = tuple(torch.broadcast_shapes(output.shape, labels.shape))
        except RuntimeError:
            return
        if both not in (tuple(output.shape), tuple(labels.shape)):
            raise ValueError(
                f"labels of shape {tuple(labels.shape)} and the network output of shape "
                f"{tuple(output.shape)} would broadcast to {both} in loss_fn, a wrong loss; "
                f"give labels the output's shape, e.g. labels.reshape{tuple(output.shape)}"
            )


def validate_class_labels(labels, scores, loss_fn=None):
    """Return labels as an (n,) int64 tensor of class indices for the (n, C) class ``scores``.

    Two uses, one check. With ``loss_fn`` (``nn.CrossEntropyLoss`` or ``nn.NLLLoss``), the
    labels are its targets, held to what it takes: an integer dtype, shape (n,), and its
    ``ignore_index`` ignored (scores of another rank than 2 are left to torch). Without, they are
    those of :func:`nma_dl.accuracy`: shape (n,) or (n, 1), whole numbers of any dtype.

    Parameters
    ----------
    labels : torch.Tensor
        The labels.
    scores : torch.Tensor
        The network's output, one row of class scores per sample.
    loss_fn : torch.nn.Module, optional
        The classification loss the labels are targets of.

    Returns
    -------
    torch.Tensor
        The labels as class indices (unchanged where torch's check is left to do).

    Raises
    ------
    TypeError
        For ``loss_fn``, if the labels are not integers.
    ValueError
        If the scores are not (n, C), the labels' shape is wrong, a label is not whole or it
        lies outside ``[0, C)``.
    """
    torch = _torch()

    if loss_fn is not None:
        if not isinstance(scores, torch.Tensor) or scores.ndim != 2:
            _validate_integer_targets(labels, type(loss_fn).__name__)
            return labels  # (N, C, d1, ...) outputs: let torch check them
        labels = _loss_targets(labels, scores, type(loss_fn).__name__)
        whose = f"outputs of the network ({type(loss_fn).__name__})"
    else:
        labels = _accuracy_labels(labels, scores)
        whose = "scores of the network"
    n_classes = scores.shape[1]
    ignored = getattr(loss_fn, "ignore_index", None)
    counted = labels[labels != ignored] if ignored is not None else labels
    if counted.numel() and (counted.min() < 0 or counted.max() >= n_classes):
        raise ValueError(
            f"labels must be class indices in [0, {n_classes - 1}] for the {n_classes} {whose}, "
            f"got values from {counted.min().item()} to {counted.max().item()}"
        )
    return labels


def _validate_integer_targets(labels, loss_name):
    torch = _torch()

    if labels.dtype.is_floating_point or labels.dtype.is_complex or labels.dtype == torch.bool:
        raise TypeError(
            f"labels must hold integer class indices (e.g. torch.int64) for {loss_name}, got "
            f"dtype {labels.dtype}"
        )
    # torch's NLLLoss and CrossEntropyLoss take int64 (or uint8) targets and raise a raw
    # RuntimeError on int8, int16 or int32 ones.
    if labels.dtype not in (torch.int64, torch.uint8):
        raise TypeError(
            f"labels must hold int64 class indices for {loss_name}, got dtype {labels.dtype} "
            "(convert with labels.long())"
        )


def _loss_targets(labels, scores, loss_name):
    """Return the targets of a classification loss: integers, one per row of (n, C) scores."""
    _validate_integer_targets(labels, loss_name)
    n, n_classes = scores.shape
    if tuple(labels.shape) != (n,):
        raise ValueError(
            f"labels must have shape ({n},): one class index per row of the output of shape "
            f"{(n, n_classes)} for {loss_name}, got {tuple(labels.shape)}"
            + (" (use labels.reshape(-1))" if labels.numel() == n else "")
        )
    return labels


def _accuracy_labels(labels, scores):
    """Return the labels of a batch of :func:`nma_dl.accuracy` as (n,) int64 class indices."""
    torch = _torch()

    n = len(labels) if labels.ndim else 0
    if not isinstance(scores, torch.Tensor) or scores.ndim != 2 or scores.shape[0] != n:
        got = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores)
        raise ValueError(
            f"net must return one row of class scores per sample, shape ({n}, n_classes), "
            f"got {got}"
        )
    if not (labels.ndim == 1 or (labels.ndim == 2 and labels.shape[1] == 1)):
        raise ValueError(
            f"labels must have shape (n,) or (n, 1): one class index per sample, got "
            f"{tuple(labels.shape)}"
        )
    labels = labels.reshape(-1)
    if labels.is_floating_point():
        fractional = labels != labels.round()  # NaN counts too
        if fractional.any():
            raise ValueError(
                "labels must be whole numbers (class indices), got "
                f"{labels[fractional][0].item():g}"
            )
    return labels.long()


def validate_class_scores(output, n_classes):
    """Check that the network's ``output`` has a column per class (``n_classes`` of them).

    With fewer columns than classes, ``nll_loss`` fails with "Target 2 is out of bounds".

    Raises
    ------
    ValueError
        Naming ``n_classes`` and the number of outputs.
    """
    torch = _torch()

    if isinstance(output, torch.Tensor) and output.ndim == 2 and output.shape[1] < n_classes:
        raise ValueError(
            f"n_classes must be at most the number of the network's outputs (one log "
            f"probability per class), {output.shape[1]}, got {n_classes}; build the network "
            f"with {n_classes} outputs, or pass n_classes={output.shape[1]}"
        )


def validate_loader(loader, name):
    """Return ``loader`` if it is a :class:`torch.utils.data.DataLoader`.

    Raises
    ------
    TypeError
        ``"train_loader must be a torch.utils.data.DataLoader, got list"``.
    """
    DataLoader = _torch().utils.data.DataLoader

    return validate_instance(loader, DataLoader, name, "a torch.utils.data.DataLoader")


def validate_loader_batch(inputs, labels, loader):
    """Check that a batch of the DataLoader argument ``loader`` is a pair of tensors with values.

    Raises
    ------
    TypeError, ValueError
        Naming ``"inputs of a batch of <loader>"`` or ``"labels of a batch of <loader>"``.
    """
    for value, name in ((inputs, "inputs"), (labels, "labels")):
        name = f"{name} of a batch of {loader}"
        validate_tensor(value, name)
        validate_not_meta(value, name)


# --------------------------------------------------------------------------- work limits

#: Environment variable that lifts the memory limit (in GB) of :func:`validate_memory`.
MEMORY_LIMIT_VAR = "NMA_DL_MAX_MEMORY_GB"
#: Environment variable that lifts the limit (a number of steps) of :func:`validate_steps`.
STEPS_LIMIT_VAR = "NMA_DL_MAX_STEPS"
_DEFAULT_MEMORY_GB = 4.0
_DEFAULT_STEPS = 10**7


def env_number(variable, default, *, maximum=math.inf, unit=""):
    """Read a positive number from the environment variable ``variable``, else ``default``.

    Parameters
    ----------
    variable : str
        Name of the environment variable.
    default : float
        Value used when the variable is unset or blank.
    maximum : float, default=inf
        Largest accepted value.
    unit : str, default=""
        What the number counts (``"seconds"``), for the error message.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the variable is set to anything but a finite number in ``(0, maximum]``; the message
        names the variable, quotes its value and says to unset it for the default.
    """
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= maximum):
        what = f"a positive number of {unit}" if unit else "a positive number"
        bound = f", at most {maximum:g}" if math.isfinite(maximum) else ""
        raise ValueError(
            f"the environment variable {variable} must be {what}{bound}, got {text!r}; "
            f"fix it, or unset it to use the default ({default:g})"
        )
    return value


def validate_memory(n_bytes, what):
    """Refuse a request whose estimated memory exceeds the limit, before anything is allocated.

    The limit is 4 GB unless the environment variable ``NMA_DL_MAX_MEMORY_GB`` says otherwise
    (``os.environ["NMA_DL_MAX_MEMORY_GB"] = "32"`` in a notebook, before the call), so that an
    absurd size (a typo, a stray ``** 5``) answers at once instead of exhausting a hosted kernel.

    Parameters
    ----------
    n_bytes : float
        The estimate, in bytes.
    what : str
        The request, with the arguments at fault: ``"sample_grid(M=100000)"``.

    Raises
    ------
    ValueError
        ``"<what> would need about 80 GB of memory, above the limit of 4 GB; ..."``, with the
        way to lift the limit.
    """
    limit_gb = env_number(MEMORY_LIMIT_VAR, _DEFAULT_MEMORY_GB)
    if n_bytes > limit_gb * 1e9:
        raise ValueError(
            f"{what} would need about {n_bytes / 1e9:.3g} GB of memory, above the limit of "
            f"{limit_gb:g} GB; use smaller sizes, or, if the machine has the memory, lift the "
            f"limit with the environment variable {MEMORY_LIMIT_VAR} "
            f"(os.environ[{MEMORY_LIMIT_VAR!r}] = '{max(2 * n_bytes / 1e9, 1):.0f}')"
        )


def validate_steps(n_steps, what):
    """Refuse a computation of more steps than the limit, before the first one runs.

    The limit is 10**7 steps (some seconds of a Python loop) unless the environment variable
    ``NMA_DL_MAX_STEPS`` says otherwise.

    Parameters
    ----------
    n_steps : float
        The number of steps the request would take.
    what : str
        The request, with the arguments at fault: ``"run_LIF(T=1e12, dt=0.1)"``.

    Raises
    ------
    ValueError
        ``"<what> would take about 1e+13 steps, above the limit of 1e+07; ..."``, with the
        way to lift the limit.
    """
    limit = env_number(STEPS_LIMIT_VAR, _DEFAULT_STEPS)
    if n_steps > limit:
        raise ValueError(
            f"{what} would take about {n_steps:.3g} steps, above the limit of {limit:.3g}; "
            f"use smaller sizes, or lift the limit with the environment variable "
            f"{STEPS_LIMIT_VAR} (os.environ[{STEPS_LIMIT_VAR!r}] = '{2 * n_steps:.0f}')"
        )


#: What one gradient step (forward, loss, backward, update: dozens of tensor operations run from
#: Python) counts for in the limit of :func:`validate_steps`, whose step is about one iteration of
#: a plain Python loop: the default limit of 1e7 allows 1e5 gradient steps.
GRADIENT_STEP_COST = 100


def validate_gradient_steps(n_steps, what):
    """Refuse a training of more gradient steps than the limit allows, before the first one.

    Parameters
    ----------
    n_steps : int
        The number of gradient steps the training would take.
    what : str
        The request, with the arguments at fault: ``"train(n_epochs=1000000000)"``.

    Raises
    ------
    ValueError
        From :func:`validate_steps`, each gradient step counted as :data:`GRADIENT_STEP_COST`.
    """
    validate_steps(
        GRADIENT_STEP_COST * n_steps,
        f"{what} ({n_steps:.3g} gradient steps, each counted as {GRADIENT_STEP_COST} steps)",
    )
