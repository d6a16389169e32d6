"""The base class of the course's networks: argument and input checks kept out of the model code.

A network of the tutorials is read by students (``inspect.getsource(DeepNet.forward)``), so its
``__init__`` and ``forward`` hold only the model. A subclass of :class:`ValidatedModule` declares
its validators instead:

* ``argument_validators`` maps a parameter of ``__init__`` to a check ``check(value, name)`` that
  raises a clear TypeError or ValueError, or returns the value to use (an ``int`` for a size);
  the checks run, in the mapping's order, before ``__init__``'s body, on the defaults too;
* ``validate_arguments(arguments)`` (a static method) gets all the checked arguments at once,
  defaults included, before ``__init__``'s body: for checks of their combination, such as the
  memory a network of those sizes would need to train (:func:`validate_parameter_memory`);
* ``validate_built(self, arguments)`` runs right after ``__init__``'s body, e.g. a dry run that
  catches a layer which would only fail at the first forward;
* ``validate_input(self, ...)`` takes what ``forward`` takes and runs before it, from a forward
  pre-hook, so a wrong input is named before PyTorch fails deep inside a layer.

The checks belong to the ``__init__`` (or ``forward``) they were written for. The first three run
in the wrapper of the ``__init__`` of the class that declares them (or of a subclass that keeps
that ``__init__``), on that ``__init__``'s own arguments, the way
:func:`nma_dl._validate.validate_params` checks a function's; so a student's subclass with its own
signature, ``class MyNet(Net): def __init__(self, n): super().__init__("ReLU()", n, [8], 1)``,
works, and a bad argument it passes on through ``super().__init__`` still gets the clear error.
``validate_input`` runs only while ``forward`` is the one it was declared with (by the same class,
or a base of it): a subclass with its own ``forward``, which may take other inputs, is not checked.
"""

import functools
import inspect

import torch
from torch import nn

from nma_dl._validate import validate_dtype, validate_memory, validate_params, validate_tensor

#: Bytes one parameter takes while a network trains: its float32 weight, its gradient and the two
#: running moments of Adam (4 bytes each), the largest optimizer state of the course (SGD with
#: momentum keeps one moment, plain SGD none).
BYTES_PER_PARAMETER = 16


class ValidatedModule(nn.Module):
    """A :class:`torch.nn.Module` whose constructor arguments and forward inputs are checked.

    Attributes
    ----------
    argument_validators : dict
        ``{parameter name: check(value, name) -> value}`` for the parameters of ``__init__``,
        a table as for :func:`nma_dl._validate.validate_params` (defaults are checked too).
    """

    argument_validators = {}

    def __init_subclass__(cls, **kwargs):
        """Wrap the subclass's ``__init__`` so that its ``argument_validators`` run first."""
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _checked_init(cls, cls.__dict__["__init__"])

    def __init__(self):
        """Initialise the module and register the hook that runs :meth:`validate_input`."""
        super().__init__()
        self.register_forward_pre_hook(_validate_forward_input, with_kwargs=True)

    @staticmethod
    def validate_arguments(arguments):
        """Raise a ValueError if the arguments of ``__init__``, together, cannot work.

        Parameters
        ----------
        arguments : dict
            ``{parameter name: value}`` of the call, defaults included, after the
            ``argument_validators``. The default accepts everything.
        """

    def validate_built(self, arguments):
        """Raise a ValueError if the network just built cannot work. The default does nothing.

        Parameters
        ----------
        arguments : dict
            The checked arguments of ``__init__``, as for :meth:`validate_arguments`.
        """

    def validate_input(self, *args, **kwargs):
        """Raise a TypeError or ValueError if ``forward`` cannot take these inputs.

        Parameters
        ----------
        *args, **kwargs
            What the network was called with. The default accepts everything.
        """


def validate_parameter_memory(n_parameters, what):
    """Refuse a network whose parameters, trained, would not fit in memory (nothing is allocated).

    Parameters
    ----------
    n_parameters : int
        Number of parameters the network would have.
    what : str
        The network and the arguments at fault, as the message starts: ``"1e+10 parameters
        (n_inputs=23589, n_hidden=100000, ...)"``.

    Raises
    ------
    ValueError
        From :func:`nma_dl._validate.validate_memory`, with the estimate of
        :data:`BYTES_PER_PARAMETER` bytes per parameter, the limit and how to lift it.
    """
    validate_memory(BYTES_PER_PARAMETER * n_parameters, what)


def validate_input_tensor(value, name, *, dense=True):
    """Check that an input of ``forward`` is a tensor and, if ``dense``, not a sparse one.

    The first step of the networks' input guard; :func:`validate_input_like` is the second, and
    each model's ``validate_input`` adds the shape its ``forward`` needs, before or after it.

    Parameters
    ----------
    value : object
        What ``forward`` was called with.
    name : str
        The name of ``forward``'s parameter (``"x"``, ``"r"``, ``"s"``).
    dense : bool, default=True
        Refuse a sparse tensor (a reshape or a convolution would fail on it, naming nothing); a
        linear layer takes one.

    Raises
    ------
    TypeError
        ``"x must be a torch.Tensor, got list"``, or ``"x must be a dense tensor, got layout
        torch.sparse_coo (convert with x.to_dense())"``.
    """
    validate_tensor(value, name)
    if dense:
        validate_dense(value, name)


def validate_input_like(value, name, weight, whose="the network's", *, meta_ok=False):
    """Check that an input tensor has the dtype of ``weight`` and is on its device.

    Parameters
    ----------
    value : torch.Tensor
        What ``forward`` was called with, known to be a tensor (:func:`validate_input_tensor`).
    name : str
        The name of ``forward``'s parameter.
    weight : torch.Tensor
        The weights of a layer the input reaches (the first one; for :class:`~nma_dl.Net`, its
        output layer).
    whose : str, default="the network's"
        Whose dtype and device they are, as in ``"x must have the network's dtype ..."``.
    meta_ok : bool, default=False
        Accept a meta tensor (shapes without data) on either side: a convolution computes the
        shape of its output from it, where a linear layer fails.

    Raises
    ------
    TypeError
        ``"x must have the network's dtype torch.float32, got torch.float64 (convert with
        x.to(torch.float32))"``.
    ValueError
        ``"x must be on the network's device cpu, got a tensor on cuda:0 (move it with
        x.to('cpu'), ...)"``; for a meta input, that it holds no values.
    """
    validate_dtype(value, name, weight.dtype, whose)
    device = weight.device
    if value.device == device or (meta_ok and "meta" in (value.device.type, device.type)):
        return
    if value.is_meta:
        raise ValueError(
            f"{name} must hold values on {whose} device {device}, got a meta tensor (a shape "
            f"without data); create it with values, e.g. torch.zeros({tuple(value.shape)})"
        )
    raise ValueError(
        f"{name} must be on {whose} device {device}, got a tensor on {value.device} (move it "
        f"with {name}.to({str(device)!r}), or the network with .to({str(value.device)!r}))"
    )


def validate_dense(value, name):
    """Refuse a sparse tensor, which reshapes and convolutions reject without naming it.

    Parameters
    ----------
    value : torch.Tensor
        The tensor to check (an input of ``forward``, ``x_train``).
    name : str
        The argument it was given as, named in the message.

    Raises
    ------
    TypeError
        ``"x must be a dense tensor, got layout torch.sparse_coo (convert with x.to_dense())"``.
    """
    if value.layout != torch.strided:
        raise TypeError(
            f"{name} must be a dense tensor, got layout {value.layout} (convert with "
            f"{name}.to_dense())"
        )


def _checked_init(cls, init):
    """``init``, preceded by the argument checks and followed by the build check that belong to it.

    The checks are looked up at each call (see :func:`_declared`): those of ``cls`` or of a
    subclass that inherits ``init``, never those of a base class whose ``__init__`` has another
    signature. They run as a function's do, through :func:`nma_dl._validate.validate_params`:
    the ``argument_validators`` as its table, ``validate_arguments`` as its ``together``.
    :func:`functools.wraps` keeps the name, the docstring and ``__wrapped__``, so
    ``inspect.getsource(cls.__init__)`` and ``inspect.signature(cls)`` show ``init`` itself.
    """
    self_name = next(iter(inspect.signature(init).parameters))

    @functools.wraps(init)
    def checked_init(self, *args, **kwargs):
        owners = _sharing_init(type(self), cls, checked_init)
        arguments = {}

        def together(**checked):
            del checked[self_name]
            arguments.update(checked)
            validate_arguments = _declared(owners, "validate_arguments")
            if validate_arguments is not None:
                validate_arguments(arguments)

        validators = _declared(owners, "argument_validators") or {}
        # a call that does not fit the signature goes to init unchecked: Python names the fault
        result = validate_params(validators, together=together)(init)(self, *args, **kwargs)
        validate_built = _declared(owners, "validate_built")
        if validate_built is not None:  # right after this __init__: a subclass may add layers
            validate_built(self, arguments)
        return result

    return checked_init


def _sharing_init(built, cls, checked_init):
    """List the classes of ``built``'s MRO, from ``built`` to ``cls``, with ``cls``'s ``__init__``.

    A subclass that keeps ``cls.__init__`` (``DeepNetReLU`` of ``DeepNet``) may declare or
    override its checks; one with its own ``__init__`` (a student's ``MyNet(Net)``) may not, since
    they were written for another signature.
    """
    mro = built.__mro__
    if cls not in mro:  # cls.__init__(obj) called on an object of another class
        return [cls]
    return [klass for klass in mro[: mro.index(cls) + 1] if klass.__init__ is checked_init]


def _declared(owners, attribute):
    """``attribute`` as declared in the body of the first of ``owners`` that has it, else None.

    Read with ``getattr`` from that class, so a ``staticmethod`` comes back as a function.
    """
    for klass in owners:
        if attribute in klass.__dict__:
            return getattr(klass, attribute)
    return None


def _declaring_class(cls, attribute):
    """Return the class of ``cls``'s MRO whose body defines ``attribute``."""
    return next(klass for klass in cls.__mro__ if attribute in klass.__dict__)


@functools.cache
def _input_check(cls):
    """``(signature of validate_input, whether it applies to cls.forward)`` for a module class.

    ``validate_input`` applies when the class declaring it is the one declaring ``forward`` or a
    subclass of it: a subclass that defines its own ``forward`` (which may take other inputs)
    without its own ``validate_input`` is left to PyTorch's errors, never refused wrongly.
    """
    checker = _declaring_class(cls, "validate_input")
    applies = checker is not ValidatedModule and issubclass(
        checker, _declaring_class(cls, "forward")
    )
    return inspect.signature(cls.validate_input), applies


def _validate_forward_input(module, args, kwargs):
    """Forward pre-hook: run ``module.validate_input`` on what ``forward`` is about to get."""
    signature, applies = _input_check(type(module))
    if not applies:
        return None
    try:
        signature.bind(module, *args, **kwargs)
    except TypeError:  # forward itself will say that the call is wrong
        return None
    module.validate_input(*args, **kwargs)
    return None
