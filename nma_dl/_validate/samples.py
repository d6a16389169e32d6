"""Checks of data sets: tensors with a row per sample or stimulus, and arguments given in pairs.

Inputs and labels, responses and their stimuli, training and test sets come in pairs whose rows
must match; each check names the argument at fault, or both.
"""

from nma_dl._validate.arrays import validate_not_meta, validate_tensor

__all__ = [
    "validate_orientations",
    "validate_pair",
    "validate_response_matrix",
    "validate_responses",
    "validate_rows",
    "validate_same_rows",
    "validate_samples",
    "validate_stimuli",
]


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


def _stimulus_tensor(value, name, fits, shape):
    """Return ``value`` if it is a tensor with a row per stimulus whose shape ``fits``.

    ``fits(value)`` says whether the shape is right, and ``shape`` words it for the ValueError
    ``"<name> must have shape <shape>, got shape (2, 2)"``. A 0-d tensor is refused with
    ``"<name> must have one row per stimulus, got a 0-d tensor"``, and anything but a tensor with
    the TypeError of :func:`~nma_dl._validate.validate_tensor`.
    """
    validate_tensor(value, name)
    if value.ndim == 0:
        raise ValueError(f"{name} must have one row per stimulus, got a 0-d tensor")
    if not fits(value):
        raise ValueError(f"{name} must have shape {shape}, got shape {tuple(value.shape)}")
    return value


def validate_response_matrix(value, name):
    """Return ``value`` if it is an (n_stimuli, n_neurons) tensor of responses.

    As :func:`_stimulus_tensor` says: ``"<name> must have shape (n_stimuli, n_neurons), got
    shape (10,)"``.
    """
    return _stimulus_tensor(value, name, lambda t: t.ndim == 2, "(n_stimuli, n_neurons)")


def validate_orientations(value, name):
    """Return ``value`` if it is an (n_stimuli, 1) or (n_stimuli,) tensor of orientations.

    As :func:`_stimulus_tensor` says: ``"<name> must have shape (n_stimuli, 1) or
    (n_stimuli,), got shape (2, 2)"``.
    """
    return _stimulus_tensor(
        value,
        name,
        lambda t: t.ndim == 1 or (t.ndim == 2 and t.shape[1] == 1),
        "(n_stimuli, 1) or (n_stimuli,)",
    )


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


def _require_rows(value, name, condition):
    """Raise ``"<name> must <condition>, got shape (0, 3)"`` unless the tensor has a row."""
    if value.ndim == 0 or len(value) == 0:
        raise ValueError(f"{name} must {condition}, got shape {tuple(value.shape)}")


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
    _require_rows(value, name, "have at least one row")
    validate_not_meta(value, name)
    return value


def validate_stimuli(value, name):
    """Return ``value`` if it is a tensor with values for at least one stimulus.

    As :func:`validate_rows`, the meta tensor refused first, and an empty one with
    ``"<name> must hold at least one stimulus, got shape (0, 3)"``.
    """
    validate_tensor(value, name)
    validate_not_meta(value, name)
    _require_rows(value, name, "hold at least one stimulus")
    return value
