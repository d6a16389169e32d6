"""Argument checks shared by the public functions of nma_dl (private: not part of the API).

Every check raises a :class:`TypeError` (wrong kind of value) or a :class:`ValueError` (right
kind, wrong value) whose message starts with the argument's name, says what was expected and
ends with what was given::

    n_hidden must be a positive int, got 0
    generator must be a torch.Generator or None, got int

A check that passes returns the value, converted where its docstring says so (``int``,
``float``), so a caller writes ``n = validate_int(n, "n", minimum=1)``. Booleans are never numbers
here: ``True`` is refused wherever an int or a real number is expected.

Nothing is imported from torch when this module loads (the display modules, plotting, widgets
and videos, use these checks without importing torch); the tensor checks import it when called.
"""

import math
import numbers

import numpy as np

__all__ = [
    "MAX_SEED",
    "MEMORY_LIMIT_VAR",
    "STEPS_LIMIT_VAR",
    "tensor_to_numpy",
    "validate_column",
    "validate_device",
    "validate_instance",
    "validate_int",
    "validate_memory",
    "validate_not_meta",
    "validate_number",
    "validate_real",
    "validate_real_dtype",
    "validate_responses",
    "validate_same_rows",
    "validate_samples",
    "validate_seed",
    "validate_size",
    "validate_steps",
    "validate_tensor",
    "validate_widths",
    "is_instance",
    "require",
]

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


# --------------------------------------------------------------------------- numbers


def validate_int(value, name, *, minimum=None, maximum=None, expected="an int", bound=None):
    """Return ``value`` as an ``int``, checking its type and range.

    Parameters
    ----------
    value : object
        The argument: any integral number but a bool (Python or NumPy ints).
    name : str
        The argument's name.
    minimum, maximum : int, optional
        Smallest and largest accepted values (inclusive).
    expected : str, default="an int"
        The type, as in the TypeError ``"<name> must be <expected>, got float 1.5"``.
    bound : str, optional
        The range, as in the ValueError ``"<name> must be <bound>, got 0"``; default
        ``"an int >= <minimum>"`` (give ``bound`` whenever ``maximum`` is given).

    Returns
    -------
    int
        The value.

    Raises
    ------
    TypeError
        If ``value`` is not an integral number (or is a bool).
    ValueError
        If it lies outside ``[minimum, maximum]``.
    """
    validate_instance(value, numbers.Integral, name, expected, show_value=True)
    value = int(value)
    inside = (minimum is None or value >= minimum) and (maximum is None or value <= maximum)
    require(inside, name, bound or f"an int >= {minimum}", value)
    return value


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
    return validate_int(value, name, minimum=1, bound="a positive int")


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
    seed = validate_int(seed, name, minimum=0, expected="an int >= 0")
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
    return validate_instance(value, numbers.Real, name, expected, show_value=True)


def validate_real(value, name, *, minimum=None, exclusive=False, below=None):
    """Return a finite real number as a ``float``, optionally bounded.

    The one scalar check of the package, in the spirit of scikit-learn's ``check_scalar``:
    callers say the bounds, never test ``isfinite`` and ``> 0`` themselves.

    Parameters
    ----------
    value : object
        The argument.
    name : str
        The argument's name.
    minimum : float, optional
        Lower bound, shown as given (``0`` or ``0.0``) in the message.
    exclusive : bool, default=False
        Whether ``value`` must exceed ``minimum`` (``>``) rather than reach it (``>=``).
    below : float, optional
        Upper bound that ``value`` must stay under (``<``), e.g. ``1`` for a momentum.

    Returns
    -------
    float
        The value.

    Raises
    ------
    TypeError
        ``"<name> must be a real number, got <type> <value>"``.
    ValueError
        ``"<name> must be finite, got nan"``, ``"<name> must be >= 0.0, got -1.0"``,
        ``"<name> must be in [0, 1), got 1.0"``.
    """
    value = float(validate_number(value, name, "a real number"))
    require(math.isfinite(value), name, "finite", value)
    above = minimum is None or (value > minimum if exclusive else value >= minimum)
    under = below is None or value < below
    if minimum is not None and below is not None:
        interval = f"in {'(' if exclusive else '['}{minimum}, {below})"
        require(above and under, name, interval, value)
    elif minimum is not None:
        require(above, name, f"{'>' if exclusive else '>='} {minimum}", value)
    elif below is not None:
        require(under, name, f"< {below}", value)
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
        validate_real(L2_penalty, "L2_penalty", minimum=0),
        validate_real(L1_penalty, "L1_penalty", minimum=0),
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
    import torch

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
    from torch import nn

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
        import torch

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
    import torch

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
        (n_stimuli, n_neurons) responses.
    stimuli : torch.Tensor
        (n_stimuli, 1) or (n_stimuli,) orientations.
    names : tuple of str, default=("resp", "stimuli")
        The arguments' names.

    Raises
    ------
    TypeError
        If either is not a tensor.
    ValueError
        If a shape is wrong or the numbers of rows differ.
    """
    for value, name in zip((resp, stimuli), names, strict=True):
        validate_tensor(value, name)
        if value.ndim == 0:
            raise ValueError(f"{name} must have one row per stimulus, got a 0-d tensor")
    if resp.ndim != 2:
        raise ValueError(
            f"{names[0]} must have shape (n_stimuli, n_neurons), got shape {tuple(resp.shape)}"
        )
    if not (stimuli.ndim == 1 or (stimuli.ndim == 2 and stimuli.shape[1] == 1)):
        raise ValueError(
            f"{names[1]} must have shape (n_stimuli, 1) or (n_stimuli,), got shape "
            f"{tuple(stimuli.shape)}"
        )
    validate_same_rows(resp, stimuli, names)


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


def validate_device(device):
    """Return ``device`` as a :class:`torch.device`.

    Parameters
    ----------
    device : str or torch.device
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, ...

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
    import torch

    validate_instance(
        device, (str, torch.device), "device", "a str such as 'cpu' or a torch.device"
    )
    try:
        return torch.device(device)
    except RuntimeError:
        raise ValueError(
            f"device must name a torch device such as 'cpu' or 'cuda', got {device!r}"
        ) from None


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
    import os

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
