"""The primitives every check is made of, and the decorator that declares a function's checks.

:func:`validate_instance` raises the TypeError of a wrong kind of value, :func:`require` the
ValueError of a wrong value; :func:`validate_params` runs a table of checks before a function's
body, the checks made by :func:`instance_of` and :func:`optional` among them. :func:`_torch`
fetches torch for the tensor checks of the other modules, which load without it.
"""

import functools
import inspect

__all__ = [
    "instance_of",
    "is_instance",
    "optional",
    "require",
    "validate_instance",
    "validate_params",
]


def _torch():
    """Return the torch module, imported on the first call.

    The one deferred import of the package: it must load without torch (the display modules use
    its checks), so the tensor checks fetch torch here when called; Python caches it after that.
    """
    import torch  # deferred: this package loads without torch

    return torch


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
        package, an :class:`~nma_dl._validate.Interval`, or one made by :func:`instance_of` or
        :func:`optional`.
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
