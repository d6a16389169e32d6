"""Self-checks of the exercises that write a model.

DeepNetReLU, approximate_function, Net, DeepNetSoftmax and ConvFC.
"""

from __future__ import annotations

import math
from functools import partial

import torch

from nma_dl.checks._compare import (
    _build,
    _compare_tensor,
    _hinted,
    _load_parameters,
    _missing_parameters,
    _not_an_instance,
    _same_layout,
    _unpack,
)
from nma_dl.checks._core import _call, _documented, _require_callable, _returned_value, _run
from nma_dl.checks._model_mistakes import (
    _net_layer_mistakes,
    _softmax_mistakes,
    _without_activations,
)
from nma_dl.i18n import tr
from nma_dl.models.conv import ConvFC
from nma_dl.models.decoders import DeepNetReLU, DeepNetSoftmax
from nma_dl.models.mlp import Net, approximate_function, parse_activation

__all__ = [
    "check_ConvFC",
    "check_DeepNetReLU",
    "check_DeepNetSoftmax",
    "check_Net",
    "check_approximate_function",
]


# (n_inputs, n_hidden, shape of the input): a batch, a batch of one, and one stimulus alone
_DEEPNET_CASES = [(5, 4, (6, 5)), (3, 8, (1, 3)), (7, 2, (7,))]


def _deepnet_case(cls, n_inputs, n_hidden, shape):
    what = f"DeepNetReLU({n_inputs}, {n_hidden})"
    net = _build(what, cls, n_inputs, n_hidden)
    reference = DeepNetReLU(n_inputs, n_hidden)
    _load_parameters(net, reference, tr("the network"))
    # Scaled up so that many hidden pre-activations, and some outputs, are negative.
    r = 2 * torch.randn(shape)
    with torch.no_grad():
        expected = reference(r)
        got = _call(tr("its forward"), net, r.clone())
        linear = reference.out_layer(reference.in_layer(r))
        hints = [
            (
                linear,
                tr(
                    "; it equals the output of the same network without an activation "
                    "function: where does the non-linearity go?"
                ),
            ),
            (
                torch.relu(expected),
                tr(
                    "; it is never negative, unlike the reference's: which layer does the ReLU "
                    "belong to?"
                ),
            ),
            (
                torch.relu(linear),
                tr(
                    "; it equals the same network with its ReLU moved from the hidden layer to "
                    "the output: the non-linearity shapes the hidden units, and the output, a "
                    "linear read-out of them, may be negative"
                ),
            ),
        ]
        with _hinted(got, hints):
            _compare_tensor(got, expected, tr("the output"))


@_documented
def check_DeepNetReLU(cls):
    """Check the class of Coding Exercise 2.2 of the decoding tutorial.

    Builds ``cls(n_inputs, n_hidden)`` for three sizes, checks its parameters (``in_layer`` and
    ``out_layer``, their shapes), gives it random weights, copies them into
    :class:`nma_dl.DeepNetReLU` and compares the two outputs on random responses (a batch, a
    batch of one, a single stimulus).

    Parameters
    ----------
    cls : type
        The student's ``DeepNetReLU`` class.

    Examples
    --------
    >>> from nma_dl import DeepNetReLU
    >>> result = check_DeepNetReLU(DeepNetReLU)
    ✓ DeepNetReLU: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(cls, "cls", "DeepNetReLU", "class")

    cases = [
        (
            tr(
                "{model}, an input of shape {shape}",
                model=f"DeepNetReLU({n_in}, {n_hidden})",
                shape=shape,
            ),
            partial(_deepnet_case, cls, n_in, n_hidden, shape),
        )
        for n_in, n_hidden, shape in _DEEPNET_CASES
    ]
    return _run("DeepNetReLU", cases, precheck=partial(_not_an_instance, cls, "DeepNetReLU"))


def _approximation_data(case):
    if case == "sine":  # the tutorial's own: ten samples of a sine on [0, 2 pi]
        x = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
        return x, torch.sin(x)
    if case == "random":  # uneven spacing, and a curve that does not start at 0
        x = (torch.cumsum(0.3 + torch.rand(6), 0) - 1).view(-1, 1)
        return x, torch.randn(6, 1)
    return torch.tensor([[-1.0], [2.0]]), torch.tensor([[0.5], [3.0]])  # one ReLU


def _approximation_case(func, case):
    x_train, y_train = _approximation_data(case)
    names = ("y_hat", "relu_acts", "x")
    expected = approximate_function(x_train, y_train)
    got = _unpack(
        _call("approximate_function", func, x_train.clone(), y_train.clone()),
        names,
        "approximate_function",
    )
    # y_hat laid out right, once x and relu_acts match: the rest of the formula is at fault.
    y_hat_hints = [
        (
            lambda y_hat: _same_layout(y_hat, expected[0]),
            tr("; x and relu_acts match, so look at the combination weights and the sum"),
        )
    ]
    # Checked from cause to effect: the axis, then the ReLUs on it, then their weighted sum.
    for index in (2, 1, 0):
        what = _returned_value(names[index], index + 1)
        with _hinted(got[index], y_hat_hints if index == 0 else []):
            _compare_tensor(got[index], expected[index], what, rtol=1e-4, atol=1e-4)


@_documented
def check_approximate_function(func):
    """Check the function of Coding Exercise 1 of the MLP tutorial.

    Calls ``func(x_train, y_train)`` on training points of shape ``(n, 1)`` (the tutorial's
    ten samples of a sine, six uneven random points, two points) and compares the three
    returned tensors ``(y_hat, relu_acts, x)`` with those of :func:`nma_dl.approximate_function`.

    Parameters
    ----------
    func : callable
        The student's ``approximate_function(x_train, y_train)``.

    Examples
    --------
    >>> from nma_dl import approximate_function
    >>> result = check_approximate_function(approximate_function)
    ✓ approximate_function: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "approximate_function", "function")
    descriptions = {
        "sine": tr("10 samples of a sine"),
        "random": tr("6 unevenly spaced random points"),
        "two": tr("2 points"),
    }

    cases = [
        (text, partial(_approximation_case, func, case)) for case, text in descriptions.items()
    ]
    return _run("approximate_function", cases)


# (actv, input_feature_num, hidden_unit_nums, output_feature_num, shape of the input); PReLU
# has a parameter per activation module, so a module shared by several layers shows.
_NET_CASES = [
    ("ReLU()", 3, [4, 5], 2, (6, 3)),
    ("LeakyReLU(0.1)", 4, [6], 3, (3, 2, 2)),
    ("PReLU()", 2, [5, 3, 4], 1, (5, 2)),
    ("Tanh()", 3, [], 2, (4, 3)),
]


def _net_case(cls, actv, n_in, hidden, n_out, shape):
    what = f"Net({actv!r}, {n_in}, {hidden}, {n_out})"
    net = _build(
        what,
        cls,
        actv=actv,
        input_feature_num=n_in,
        hidden_unit_nums=list(hidden),
        output_feature_num=n_out,
    )
    reference = Net(actv, n_in, list(hidden), n_out)
    with _hinted(net, _net_layer_mistakes(reference)):
        _load_parameters(net, reference, tr("the network"))
    x = 2 * torch.randn(shape)
    with torch.no_grad():
        expected = reference(x)
        got = _call(tr("its forward"), net, x.clone())
        hints = [
            (
                parse_activation(actv)(expected),
                tr("; it went through the activation after the last layer too"),
            ),
            (
                _without_activations(reference, x),
                tr(
                    "; it equals the same network without its activations: does the output of "
                    "every hidden layer go through its activation module?"
                ),
            ),
        ]
        with _hinted(got, hints):
            _compare_tensor(got, expected, tr("the output"))


@_documented
def check_Net(cls):
    """Check the class of Coding Exercise 2 of the MLP tutorial.

    Builds ``cls(actv=…, input_feature_num=…, hidden_unit_nums=…, output_feature_num=…)`` for
    four configurations (ReLU, LeakyReLU, PReLU with three hidden layers, Tanh with none),
    checks its parameters' names and shapes against :class:`nma_dl.Net`, gives it random
    weights, copies them into the reference and compares the outputs, one input being
    image-shaped.

    Parameters
    ----------
    cls : type
        The student's ``Net`` class.

    Examples
    --------
    >>> from nma_dl import Net
    >>> result = check_Net(Net)
    ✓ Net: 4/4 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(cls, "cls", "Net", "class")

    cases = [
        (
            tr(
                "{model}, an input of shape {shape}",
                model=f"Net({actv!r}, {n_in}, {hidden}, {n_out})",
                shape=shape,
            ),
            partial(_net_case, cls, actv, n_in, hidden, n_out, shape),
        )
        for actv, n_in, hidden, n_out, shape in _NET_CASES
    ]
    return _run("Net", cases, precheck=partial(_not_an_instance, cls, "Net"))


# --------------------------------------------------------------------------- DeepNetSoftmax


def _softmax_case(cls, n_inputs, n_hidden, n_classes):
    what = f"DeepNetSoftmax({n_inputs}, {n_hidden}, {n_classes})"
    net = _build(what, cls, n_inputs, n_hidden, n_classes)
    reference = DeepNetSoftmax(n_inputs, n_hidden, n_classes)
    _load_parameters(net, reference, tr("the network"))
    r = 2 * torch.randn(5, n_inputs)
    with torch.no_grad():
        expected = reference(r)
        got = _call(tr("its forward"), net, r.clone())
        with _hinted(got, _softmax_mistakes(net, reference, r, expected)):
            _compare_tensor(got, expected, tr("the output"))


@_documented
def check_DeepNetSoftmax(cls):
    """Check the class of Coding Exercise 2.2 of the bonus tutorial.

    Builds ``cls(n_inputs, n_hidden, n_classes)`` for three sizes, copies random weights into
    :class:`nma_dl.DeepNetSoftmax` and compares the log probabilities on random responses. An
    output that is infinite there but right on responses 100 times smaller computes the right
    formula in a way that underflows (the log of a softmax), and is told so.

    Parameters
    ----------
    cls : type
        The student's ``DeepNetSoftmax`` class.
    """
    _require_callable(cls, "cls", "DeepNetSoftmax", "class")
    cases = [
        (f"DeepNetSoftmax({a}, {b}, {c})", partial(_softmax_case, cls, a, b, c))
        for a, b, c in [(6, 4, 3), (10, 20, 20), (3, 2, 2)]
    ]
    return _run("DeepNetSoftmax", cases, precheck=partial(_not_an_instance, cls, "DeepNetSoftmax"))


# --------------------------------------------------------------------------- ConvFC


def _convfc_case(cls, n_neurons, c_out, K, height, width):
    what = f"ConvFC({n_neurons}, c_out={c_out}, K={K}, b={height * width})"
    net = _build(what, cls, n_neurons, c_out=c_out, K=K, b=height * width)
    reference = ConvFC(n_neurons, c_out=c_out, K=K, b=height * width)
    no_out_layer = (
        lambda net: "out_layer.weight" in _missing_parameters(net, reference),
        tr(" (add the linear layer self.out_layer)"),
    )
    with _hinted(net, [no_out_layer]):
        _load_parameters(net, reference, tr("the network"))
    s = torch.randn(4, 1, height, width)
    with torch.no_grad():
        expected = reference(s)
        got = _call(tr("its forward"), net, s.clone())
        hints = [
            (
                reference.out_layer(torch.relu(reference.conv(s)).flatten(start_dim=1)),
                tr(
                    "; it equals the model with a ReLU between the convolution and the linear "
                    "layer, but this encoding model has no non-linearity"
                ),
            ),
            (
                torch.relu(expected),
                tr(
                    "; it equals the predicted responses through a ReLU, but this encoding model "
                    "has no non-linearity: the linear layer's output is the prediction"
                ),
            ),
        ]
        with _hinted(got, hints):
            _compare_tensor(got, expected, tr("the output"))


@_documented
def check_ConvFC(cls):
    """Check the class of Coding Exercise 3.2 of the bonus tutorial.

    Builds ``cls(n_neurons, c_out=..., K=..., b=...)`` for three sizes, checks its parameters
    (``conv`` and ``out_layer`` and their shapes), copies random weights into
    :class:`nma_dl.ConvFC` and compares the predicted responses to random images.

    Parameters
    ----------
    cls : type
        The student's ``ConvFC`` class.
    """
    _require_callable(cls, "cls", "ConvFC", "class")
    sizes = [(5, 6, 7, 12, 16), (3, 2, 3, 4, 5), (1, 1, 1, 2, 2)]
    cases = [
        (
            tr(
                "{model} on {height} x {width} images",
                model=f"ConvFC({n}, c_out={c}, K={k})",
                height=h,
                width=w,
            ),
            partial(_convfc_case, cls, n, c, k, h, w),
        )
        for n, c, k, h, w in sizes
    ]
    return _run("ConvFC", cases, precheck=partial(_not_an_instance, cls, "ConvFC"))
