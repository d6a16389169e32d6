"""Checks of tensors and arrays: kind, dtype, shape, values; and the one array conversion.

:func:`check_array` turns what a caller may pass as data (a NumPy array, a torch tensor of any
dtype, a list of numbers or of 0-d tensors) into a checked NumPy array, after scikit-learn's
``check_array``: every module that takes array-likes goes through it. The other checks take a
tensor (or an array) as it is and raise naming it. Tensors are recognised without importing
torch: none can exist before torch is imported.
"""

import sys

import numpy as np

from nma_dl._validate._core import _torch, validate_instance

__all__ = [
    "check_array",
    "tensor_to_numpy",
    "validate_column",
    "validate_device",
    "validate_dtype",
    "validate_finite",
    "validate_not_meta",
    "validate_real_dtype",
    "validate_tensor",
]

#: NumPy's dtype kinds of real numbers: signed and unsigned ints, floats (not bool, not complex).
_REAL_KINDS = "iuf"


def validate_tensor(value, name, expected="a torch.Tensor"):
    """Return ``value`` if it is a torch tensor.

    ``value`` is the argument and ``name`` its name, as for every check of the package;
    ``expected`` is what the message says was expected: ``"<name> must be <expected>, got
    list"``.

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
        The argument, named ``name``.
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


def validate_column(value, name):
    """Check that an array or tensor ``value``, named ``name``, has shape ``(n,)`` or ``(n, 1)``.

    Raises
    ------
    ValueError
        ``"<name> must have shape (n,) or (n, 1), got (2, 2)"``.
    """
    shape = tuple(value.shape)
    if not (len(shape) == 1 or (len(shape) == 2 and shape[1] == 1)):
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {shape}")


def _not_real(name, dtype, sep=","):
    """Return the TypeError of an array or tensor whose dtype is not one of real numbers."""
    return TypeError(f"{name} must hold real numbers{sep} got dtype {dtype}")


def validate_real_dtype(value, name):
    """Check that an array or tensor ``value`` holds real numbers (no bool, no complex).

    Raises
    ------
    TypeError
        ``"<name> must hold real numbers, got dtype <dtype>"``.
    """
    if isinstance(value, np.ndarray):
        real = value.dtype.kind in _REAL_KINDS
    else:  # a torch tensor: every dtype is numeric but bool and the complex ones
        torch = _torch()
        real = not (value.is_complex() or value.dtype == torch.bool)
    if not real:
        raise _not_real(name, value.dtype)


def validate_not_meta(value, name):
    """Check that a tensor holds values: a meta tensor has a shape but no numbers.

    ``torch.empty(3, device="meta")`` (and a network built on that device) computes shapes
    without memory; every copy or reduction of it fails deep in torch, naming nothing.

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
    caller's business, or :func:`check_array`'s).

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


def _is_tensor(value):
    """Whether ``value`` is a torch tensor, told without importing torch."""
    torch = sys.modules.get("torch")  # no tensor exists before torch is imported
    return torch is not None and isinstance(value, torch.Tensor)


def check_array(
    value,
    name,
    *,
    expected=None,
    ndim=None,
    shape=None,
    dtype=np.float64,
    allow_bool=True,
    finite=False,
    copy=False,
    sep=",",
):
    """Return ``value`` as a checked NumPy array: the one array conversion of the package.

    After scikit-learn's ``check_array``. The checks run in this order, each raising naming
    ``name``: the kind of ``value``; its conversion to an array (a tensor through
    :func:`tensor_to_numpy`, so a meta tensor is refused and a bfloat16 one taken); its dtype,
    then the conversion to ``dtype``; its shape; its values.

    Parameters
    ----------
    value : array-like
        The argument: a NumPy array or a torch tensor; unless ``expected`` is given, also
        whatever NumPy turns into numbers (a list, which may hold 0-d tensors, a number).
    name : str
        The argument's name.
    expected : str, optional
        Take only a NumPy array or a torch tensor of real numbers, as in ``"<name> must be
        <expected>, got list"``: ``"a NumPy array or a torch.Tensor"``.
    ndim : int, optional
        The number of dimensions, each of them non-empty.
    shape : str, optional
        With ``ndim``, the shape as the message says it: ``"<name> must be <shape>, got shape
        (5,)"``.
    dtype : numpy.dtype or None, default=numpy.float64
        The dtype of the result; ``None`` keeps the value's.
    allow_bool : bool, default=True
        Whether booleans count as numbers (as 0 and 1).
    finite : bool, default=False
        Refuse NaN and inf, naming the first row that holds one.
    copy : bool, default=False
        Always return a new array (else one that may share the memory of ``value``).
    sep : str, default=","
        Separator before ``got`` in the messages of the kind and the dtype (the display modules
        write ``"; got"``).

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    TypeError
        ``"<name> must be numeric (array, tensor or sequence of numbers), got dict"``,
        ``"<name> must hold real numbers, got dtype complex128"``, ``"<name> must hold numbers,
        got None among them"``, or that of ``expected``.
    ValueError
        ``"<name> must be <shape>, got shape (5,)"``, ``"<name> must be finite, got NaN or
        infinity in row 3"``, or that of a meta tensor.

    Examples
    --------
    >>> check_array([[1, 2], [3, 4]], "resp", ndim=2, shape="a matrix")
    array([[1., 2.],
           [3., 4.]])
    >>> check_array([1, 2], "resp", ndim=2, shape="a matrix")
    Traceback (most recent call last):
    ...
    ValueError: resp must be a matrix, got shape (2,)
    """
    strict = expected is not None
    if strict and not (isinstance(value, np.ndarray) or _is_tensor(value)):
        raise TypeError(f"{name} must be {expected}{sep} got {type(value).__name__}")
    array, given = _numpy_values(value, name, sep)
    _check_numbers(array, name, strict=strict, allow_bool=allow_bool, sep=sep)
    if dtype is not None:
        try:
            array = array.astype(dtype, copy=copy)
        except (TypeError, ValueError):  # strings or objects that are not numbers
            raise _not_numeric(name, given, sep) from None
    if ndim is not None and (array.ndim != ndim or 0 in array.shape):
        raise ValueError(f"{name} must be {shape}, got shape {array.shape}")
    if finite:
        _require_finite(array, name)
    return array


def _not_numeric(name, given, sep):
    """Return the TypeError of a value NumPy cannot make an array of numbers of."""
    return TypeError(
        f"{name} must be numeric (array, tensor or sequence of numbers){sep} "
        f"got {type(given).__name__}"
    )


def _numpy_values(value, name, sep):
    """Return ``value`` as a NumPy array of any dtype, and the value that was converted.

    A tensor, and each tensor in a list or a tuple (a list of per-iteration losses may hold
    0-d tensors: ``loss`` instead of ``loss.item()``), go through :func:`tensor_to_numpy`.
    """
    if _is_tensor(value):
        value = tensor_to_numpy(value, name)
    elif isinstance(value, (list, tuple)):
        value = [tensor_to_numpy(item, name) if _is_tensor(item) else item for item in value]
    try:
        return np.asarray(value), value
    except (TypeError, ValueError):  # a ragged list
        raise _not_numeric(name, value, sep) from None


def _check_numbers(array, name, *, strict, allow_bool, sep):
    """Refuse an array whose dtype holds no real numbers: complex, dates, objects that are None.

    If ``strict``, strings and other objects are refused too; else the conversion says.
    """
    kind = array.dtype.kind
    if kind in _REAL_KINDS or (kind == "b" and allow_bool):
        return
    if strict or kind in "bcmM":
        raise _not_real(name, array.dtype, sep)
    if kind == "O" and any(item is None for item in array.ravel()):
        raise TypeError(f"{name} must hold numbers{sep} got None among them")


def _require_finite(array, name):
    """Refuse NaN and inf in a float array, naming the first row that holds one."""
    bad = ~np.isfinite(array)
    if bad.any():
        row = np.nonzero(bad.reshape(len(array), -1).any(axis=1))[0][0] if array.ndim else None
        where = "" if row is None else f" in row {int(row)}"
        raise ValueError(f"{name} must be finite, got NaN or infinity{where}")


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
