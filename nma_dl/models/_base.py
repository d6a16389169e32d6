"""The base class of the course's networks: argument and input checks kept out of the model code.

A network of the tutorials is read by students (``inspect.getsource(DeepNet.forward)``), so its
``__init__`` and ``forward`` hold only the model. A subclass of :class:`ValidatedModule` declares
its validators instead:

* ``argument_validators`` maps a parameter of ``__init__`` to a check ``check(value, name)`` that
  raises a clear TypeError or ValueError, or returns the value to use (an ``int`` for a size);
  the checks run, in the mapping's order, before ``__init__``'s body;
* ``validate_arguments(arguments)`` (a static method) gets all the checked arguments at once,
  before ``__init__``'s body: for checks of their combination, such as the memory a network of
  those sizes would need (:func:`nma_dl._validate.validate_memory`);
* ``validate_built(self, arguments)`` runs after ``__init__``'s body (of the class actually
  built), e.g. a dry run that catches a layer which would only fail at the first forward;
* ``validate_input(self, ...)`` takes what ``forward`` takes and runs before it, from a forward
  pre-hook, so a wrong input is named before PyTorch fails deep inside a layer.
"""

import functools
import inspect

from torch import nn


class ValidatedModule(nn.Module):
    """A :class:`torch.nn.Module` whose constructor arguments and forward inputs are checked.

    Attributes
    ----------
    argument_validators : dict
        ``{parameter name: check(value, name) -> value}`` for the parameters of ``__init__``;
        a parameter left at its default is not checked.
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
            ``{parameter name: value}`` of the call, after the ``argument_validators``. The default
            accepts everything.
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


def _checked_init(cls, init):
    """``init``, preceded by the checks of ``cls.argument_validators``.

    :func:`functools.wraps` keeps the name, the docstring and ``__wrapped__``, so
    ``inspect.getsource(cls.__init__)`` and ``inspect.signature(cls)`` show ``init`` itself.
    """
    signature = inspect.signature(init)

    @functools.wraps(init)
    def checked_init(self, *args, **kwargs):
        try:
            bound = signature.bind(self, *args, **kwargs)
        except TypeError:  # a wrong call (missing argument...): let Python say what is wrong
            return init(self, *args, **kwargs)
        for name, check in cls.argument_validators.items():
            if name in bound.arguments:
                bound.arguments[name] = check(bound.arguments[name], name)
        arguments = dict(bound.arguments)
        arguments.pop(next(iter(signature.parameters)))  # self
        cls.validate_arguments(arguments)
        result = init(*bound.args, **bound.kwargs)
        if type(self).__init__ is checked_init:  # the class built, not a base's super() call
            self.validate_built(arguments)
        return result

    return checked_init


@functools.cache
def _input_signature(cls):
    return inspect.signature(cls.validate_input)


def _validate_forward_input(module, args, kwargs):
    """Forward pre-hook: run ``module.validate_input`` on what ``forward`` is about to get."""
    try:
        _input_signature(type(module)).bind(module, *args, **kwargs)
    except TypeError:  # forward itself will say that the call is wrong
        return None
    module.validate_input(*args, **kwargs)
    return None
