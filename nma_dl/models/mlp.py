"""Multi-layer perceptrons: activations by name, a configurable MLP, and ReLUs by hand.

For the tutorial "Biological vs. artificial neural networks":

* :func:`parse_activation` builds a torch.nn activation from a string such as ``'ReLU()'``
  (safely: parsed, never evaluated), :func:`activation_names` lists the accepted names;
* :class:`Net` is a multi-layer perceptron of any depth and width;
* :func:`approximate_function` fits a function with a weighted sum of shifted ReLUs, by hand.
"""

import ast
import inspect
import math

import torch
from torch import nn
from torch.nn.modules import activation

from nma_dl._validate import (
    validate_column,
    validate_instance,
    validate_memory,
    validate_not_meta,
    validate_real_dtype,
    validate_size,
    validate_tensor,
    validate_widths,
)
from nma_dl.models._base import (
    ValidatedModule,
    validate_dense,
    validate_input_like,
    validate_input_tensor,
    validate_parameter_memory,
)

__all__ = ["Net", "activation_names", "approximate_function", "parse_activation"]

_NOT_ACTIVATIONS = {"MultiheadAttention"}  # lives in torch.nn.modules.activation, is no activation
_MAX_SPEC_LENGTH = 200
_MAX_INT_ARG = 2**20  # e.g. PReLU(num_parameters=...): one per channel, never millions


def activation_names():
    """List the torch.nn activations that :func:`parse_activation` accepts.

    Returns
    -------
    list of str
        The names of the activation classes of ``torch.nn``, sorted.
    """
    return sorted(
        name
        for name in activation.__all__
        if name not in _NOT_ACTIVATIONS
        and isinstance(getattr(activation, name, None), type)
        and issubclass(getattr(activation, name), nn.Module)
    )


def parse_activation(spec):
    """Build a torch.nn activation from a string such as ``'ReLU()'`` or ``'LeakyReLU(0.1)'``.

    The string is parsed, never evaluated: it must be one call ``Name(args)`` (an optional
    ``nn.`` prefix and a bare ``Name`` are accepted too) where ``Name`` is one of
    :func:`activation_names` and every argument, positional or keyword, is a literal (a number,
    string, bool or None, read with :func:`ast.literal_eval`). So ``'Softplus(beta=2)'`` works and
    ``"__import__('os')"`` is refused before anything runs.

    Parameters
    ----------
    spec : str
        The activation as it would be written in Python, e.g. ``'nn.ELU(alpha=0.5)'``.

    Returns
    -------
    torch.nn.Module
        A new activation instance on every call.

    Raises
    ------
    TypeError
        If ``spec`` is not a str.
    ValueError
        For an unknown name, a malformed string, a non-literal argument, or arguments the
        activation's constructor rejects; the message lists the accepted names.
    """
    return _build_activation(spec, "spec")


def _build_activation(spec, argname):
    """:func:`parse_activation`, with errors naming the caller's argument ``argname``."""
    validate_instance(spec, str, argname, "a str such as 'ReLU()'", show_value=True)
    names = activation_names()

    def refuse(why):
        return ValueError(
            f"{argname} must look like 'ReLU()' or 'LeakyReLU(0.1)': a torch.nn activation with "
            f"literal arguments; {why}, got {spec!r}. Accepted names: {', '.join(names)}"
        )

    name, args, keywords = _parse_call(spec, names, refuse)
    values, options = _literal_arguments(args, keywords, refuse)
    module = _construct(name, values, options, refuse)
    _dry_run(module, refuse)
    return module.train()


def _parse_call(spec, names, refuse):
    """Read ``spec`` as ``Name(args)``, ``nn.Name(args)`` or ``Name``, ``Name`` one of ``names``.

    Returns
    -------
    tuple
        The name, and the argument nodes of the call: ``(name, args, keywords)``.

    Raises
    ------
    ValueError
        ``refuse(why)``, for a string too long, not Python, not a call of a name, or of a name
        that is no activation.
    """
    text = spec.strip()
    if len(text) > _MAX_SPEC_LENGTH:
        raise refuse(f"the string is longer than {_MAX_SPEC_LENGTH} characters")
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError):
        raise refuse("it is not valid Python call syntax") from None
    if isinstance(node, ast.Call):
        func, args, keywords = node.func, node.args, node.keywords
    else:
        func, args, keywords = node, [], []
    prefixed = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
    if prefixed and func.value.id == "nn":
        name = func.attr
    elif isinstance(func, ast.Name):
        name = func.id
    else:
        raise refuse("expected a name such as ReLU followed by (arguments)")
    if name not in names:
        raise refuse(f"{name!r} is not a torch.nn activation")
    return name, args, keywords


def _literal_arguments(args, keywords, refuse):
    """Evaluate the argument nodes of the call, which must be literal scalars of sane size.

    Returns
    -------
    tuple
        ``(values, options)``: the positional arguments (list) and the keyword ones (dict).

    Raises
    ------
    ValueError
        ``refuse(why)``, for ``**kwargs``, an argument that is no literal, a container, a number
        that is not finite or an int too large (a tensor of that many parameters).
    """
    try:
        values = [ast.literal_eval(arg) for arg in args]
        options = {}
        for keyword in keywords:
            if keyword.arg is None:  # **kwargs
                raise ValueError
            options[keyword.arg] = ast.literal_eval(keyword.value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise refuse(
            "every argument must be a literal (number, string, True/False/None)"
        ) from None
    for value in values + list(options.values()):
        if value is not None and not isinstance(value, (bool, int, float, str)):
            raise refuse(
                f"arguments must be single numbers, strings, True/False or None, not "
                f"{type(value).__name__}"
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise refuse("numeric arguments must be finite")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_INT_ARG:
            raise refuse(f"integer arguments must be at most {_MAX_INT_ARG} in size")
    return values, options


def _construct(name, values, options, refuse):
    """Build the activation ``name`` of those arguments once they fit its signature and defaults.

    Raises
    ------
    ValueError
        ``refuse(why)``, for arguments the signature does not take, of another kind than the
        default (a str where a number is expected), or that the constructor rejects.
    """
    cls = getattr(activation, name)
    try:
        bound = inspect.signature(cls).bind(*values, **options)
    except TypeError as error:
        raise refuse(f"{name} does not accept these arguments ({error})") from None
    for parameter, value in bound.arguments.items():
        default = inspect.signature(cls).parameters[parameter].default
        wrong = _wrong_kind(value, default)
        if wrong:
            raise refuse(f"{name}'s {parameter} must be {wrong}, not {value!r}")
    try:
        return cls(*values, **options)
    except Exception as error:
        raise refuse(f"{name} does not accept these arguments ({error})") from None


def _dry_run(module, refuse):
    """Run ``module`` on one row of four features: torch accepts some arguments it then fails on.

    In evaluation mode, without gradients (RReLU draws no random numbers then); the module is
    left in evaluation mode.

    Raises
    ------
    ValueError
        ``refuse(why)``, with the error of the forward.
    """
    try:
        with torch.no_grad():
            module.eval()(torch.zeros(1, 4))
    except Exception as error:
        raise refuse(
            f"a dry run on one row of 4 features failed ({type(error).__name__}: {error})"
        ) from None


def _wrong_kind(value, default):
    """Say what an argument must be (from its default's type), or '' when ``value`` fits."""
    if isinstance(default, bool):
        return "" if isinstance(value, bool) else "True or False"
    if isinstance(default, (int, float)):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return "" if number else "a number"
    return ""


def _validate_activation(spec, name):
    """Check an activation string (building it once); return it unchanged."""
    _build_activation(spec, name)
    return spec


class Net(ValidatedModule):
    """A multi-layer perceptron: linear layers with the same activation after each hidden one.

    Parameters
    ----------
    actv : str
        The activation, e.g. ``'ReLU()'`` or ``'LeakyReLU(0.1)'`` (see :func:`parse_activation`).
    input_feature_num : int
        Number of input features; any input is reshaped to ``(-1, input_feature_num)``, so
        images or 1-D inputs work as long as their size is a multiple of it.
    hidden_unit_nums : list of int
        Width of each hidden layer, in order; ``[]`` gives a linear model.
    output_feature_num : int
        Number of outputs (e.g. classes: the outputs are logits).

    Attributes
    ----------
    input_feature_num : int
        As given.
    mlp : torch.nn.Sequential
        ``Linear_0, Activation_0, Linear_1, Activation_1, …, Output_Linear``; each hidden layer
        gets a fresh activation, so layers never share parameters (e.g. of ``PReLU``).
    """

    argument_validators = {
        "actv": _validate_activation,
        "input_feature_num": validate_size,
        "hidden_unit_nums": validate_widths,
        "output_feature_num": validate_size,
    }

    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__()
        self.input_feature_num = input_feature_num
        self.mlp = nn.Sequential()
        in_num = input_feature_num
        for i, out_num in enumerate(hidden_unit_nums):
            self.mlp.add_module(f"Linear_{i}", nn.Linear(in_num, out_num))
            self.mlp.add_module(f"Activation_{i}", parse_activation(actv))
            in_num = out_num
        self.mlp.add_module("Output_Linear", nn.Linear(in_num, output_feature_num))

    @staticmethod
    def validate_arguments(arguments):
        """Refuse sizes whose parameters would not fit in memory (see :class:`ValidatedModule`).

        Parameters
        ----------
        arguments : dict
            The checked arguments of ``__init__``.
        """
        widths = [
            arguments["input_feature_num"],
            *arguments["hidden_unit_nums"],
            arguments["output_feature_num"],
        ]
        n_parameters = sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=True))
        validate_parameter_memory(
            n_parameters,
            f"Net(input_feature_num={widths[0]}, hidden_unit_nums={widths[1:-1]}, "
            f"output_feature_num={widths[-1]}) ({n_parameters:.3g} parameters, stored with "
            "their gradients and the optimizer's state)",
        )

    def validate_built(self, arguments):
        """Run one row of zeros through the layers: an activation that breaks them fails here.

        ``GLU()`` halves the width the next layer expects, ``Softmax(dim=2)`` has no such
        dimension: both build, then fail at the first forward; this says so at construction.
        Runs in evaluation mode without gradients (no random numbers are drawn), then restores
        the mode.

        Parameters
        ----------
        arguments : dict
            The checked arguments of ``__init__``.
        """
        actv = type(self.mlp[1]).__name__ if len(self.mlp) > 1 else "the activation"
        training = self.training
        try:
            with torch.no_grad():
                output = self.eval().mlp(torch.zeros(1, self.input_feature_num))
            expected = (1, self.mlp.Output_Linear.out_features)
            if tuple(output.shape) != expected:
                raise ValueError(f"the output has shape {tuple(output.shape)}, not {expected}")
        except Exception as error:
            raise ValueError(
                f"actv {arguments['actv']!r} does not work in this network: a dry run of one row "
                f"through its layers failed ({type(error).__name__}: {error}); {actv} must keep "
                "the shape (batch, width) of its input, e.g. 'ReLU()' or 'LeakyReLU(0.1)'"
            ) from None
        finally:
            self.train(training)

    def forward(self, x):
        """Compute the logits of a batch.

        Parameters
        ----------
        x : torch.Tensor
            Inputs, reshaped to ``(batch, input_feature_num)``.

        Returns
        -------
        torch.Tensor
            Logits of shape ``(batch, output_feature_num)``.
        """
        return self.mlp(x.reshape(-1, self.input_feature_num))

    def validate_input(self, x):
        """Raise a TypeError or ValueError naming ``x`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        x : object
            The input of :meth:`forward`, any shape holding whole samples of
            ``input_feature_num`` features, in a dense tensor of the network's dtype and device.
        """
        validate_input_tensor(x, "x")
        validate_input_like(x, "x", self.mlp.Output_Linear.weight)
        if x.numel() == 0 or x.numel() % self.input_feature_num:
            raise ValueError(
                f"x must hold a whole number of samples of {self.input_feature_num} features, got "
                f"shape {tuple(x.shape)} ({x.numel()} values)"
            )


def approximate_function(x_train, y_train, n_points=1000):
    """Interpolate ``(x_train, y_train)`` linearly with a weighted sum of shifted ReLUs.

    ReLU ``i`` is ``relu(x + b_i)`` with ``b_i = -x_train[i]``: slope 1, kinked at the i-th
    training point. Its weight is the change of slope there, ``w_i = s_i - s_{i-1}`` with
    ``s_i = (y_train[i+1] - y_train[i]) / (x_train[i+1] - x_train[i])`` and ``s_{-1} = 0``, so
    the sum rises with slope ``s_i`` between points ``i`` and ``i + 1``. This is a one-hidden-
    layer ReLU network with ``len(x_train) - 1`` hidden units, built by hand. The sum starts at
    0, so it passes through the points when ``y_train[0] == 0`` (as for a sine from 0).

    Parameters
    ----------
    x_train : torch.Tensor
        Strictly increasing sample positions, shape ``(n,)`` or ``(n, 1)``, ``n >= 2``.
    y_train : torch.Tensor
        Values at those positions, as many elements.
    n_points : int, default=1000
        Number of points of the returned x axis.

    Returns
    -------
    y_hat : torch.Tensor
        The weighted sum at each point of ``x``, shape ``(n_points,)``.
    relu_acts : torch.Tensor
        The ReLU activations, shape ``(n - 1, n_points)``.
    x : torch.Tensor
        ``n_points`` evenly spaced points from ``x_train.min()`` to ``x_train.max()``.
    """
    for value, name in ((x_train, "x_train"), (y_train, "y_train")):
        validate_tensor(value, name)
        validate_not_meta(value, name)  # its min and max below would fail naming nothing
        validate_dense(value, name)
        validate_real_dtype(value, name)
        validate_column(value, name)
    x_train = x_train.reshape(-1).float()
    y_train = y_train.reshape(-1).float()
    if len(x_train) < 2:
        raise ValueError(f"x_train must hold at least 2 points, got {len(x_train)}")
    if len(y_train) != len(x_train):
        raise ValueError(
            f"y_train must hold one value per x_train point ({len(x_train)}), got {len(y_train)}"
        )
    for value, name in ((x_train, "x_train"), (y_train, "y_train")):
        if not torch.isfinite(value).all():  # as float32: 1e300 in float64 became inf
            raise ValueError(
                f"{name} must be finite and within float32's range (|value| < 3.4e38), got NaN "
                "or inf"
            )
    if not (x_train[1:] > x_train[:-1]).all():
        raise ValueError("x_train must be strictly increasing")
    n_points = validate_size(n_points, "n_points")
    n_relus = len(x_train) - 1
    # relu_acts, and the sum it is computed from, are (n - 1, n_points) float32 each
    validate_memory(
        4 * (2 * n_relus + 1) * n_points,
        f"approximate_function with {n_relus + 1} x_train points and n_points={n_points} "
        f"(relu_acts of shape ({n_relus}, {n_points}))",
    )
    x = torch.linspace(x_train.min().item(), x_train.max().item(), n_points)
    b = -x_train[:n_relus]
    relu_acts = torch.relu(x.unsqueeze(0) + b.unsqueeze(1))
    slopes = (y_train[1:] - y_train[:-1]) / (x_train[1:] - x_train[:-1])
    combination_weights = slopes - torch.cat([slopes.new_zeros(1), slopes[:-1]])
    y_hat = combination_weights @ relu_acts
    return y_hat, relu_acts, x
