"""Self-checks of the bonus decoding/encoding tutorial.

They check preferred_orientation, DeepNetSoftmax, regularized_loss and ConvFC.
"""

from __future__ import annotations

from functools import partial

from nma_dl.checks._core import (
    _build,
    _call,
    _close,
    _compare_tensor,
    _documented,
    _kind,
    _load_parameters,
    _Mismatch,
    _not_an_instance,
    _require_callable,
    _run,
)

__all__ = [
    "check_ConvFC",
    "check_DeepNetSoftmax",
    "check_preferred_orientation",
    "check_regularized_loss",
]


# --------------------------------------------------------------------------- preferred orientation


_PREFERRED_DRAWS = range(3)


def _tuning_curves(case):
    import numpy as np

    rng = np.random.default_rng(case)
    theta = np.arange(360)
    preferred = rng.integers(0, 360, 8)
    preferred[:2] = (2, 357)  # peaks near the wrap, where reflecting and wrapping differ
    curves = np.exp(2 * (np.cos(np.deg2rad(theta[:, None] - preferred)) - 1))
    return curves + 0.5 * rng.standard_normal((360, 8))


def _preferred_case(func, case):
    import numpy as np
    import torch

    from nma_dl import preferred_orientation

    resp = _tuning_curves(case)
    expected = preferred_orientation(resp)
    got = _call("preferred_orientation", func, torch.tensor(resp, dtype=torch.float32))
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    if not isinstance(got, np.ndarray):
        raise _Mismatch(
            f"it returned {_kind(got)}, expected a NumPy array of shape {expected.shape} (one "
            "index per neuron, the argmax over stimuli)"
        )
    if got.shape != expected.shape:
        raise _Mismatch(
            f"it returned an array of shape {got.shape}, expected {expected.shape} (one index "
            "per neuron, the argmax over stimuli)"
        )
    if not np.array_equal(got, expected):
        raise _Mismatch(
            f"{int((got != expected).sum())} of {len(expected)} indices differ"
            f"{_preferred_hint(func, got, resp)}"
        )


def _original_preferred(resp):
    """Give the original course's answers: gaussian_filter1d's default boundary, 'reflect'."""
    import numpy as np

    from nma_dl import preferred_orientation

    # The student smooths the float32 tensor the check passes; the reference smooths float64.
    return [
        preferred_orientation(data, mode="reflect") for data in (resp, resp.astype(np.float32))
    ]


def _is_original(func):
    """Whether ``func`` gives the original course's answer on every draw of the check."""
    import numpy as np
    import torch

    for case in _PREFERRED_DRAWS:
        resp = _tuning_curves(case)
        try:
            got = _call("preferred_orientation", func, torch.tensor(resp, dtype=torch.float32))
        except _Mismatch:
            return False
        if isinstance(got, torch.Tensor):
            got = got.detach().cpu().numpy()
        if not any(np.array_equal(got, answer) for answer in _original_preferred(resp)):
            return False
    return True


def _preferred_hint(func, got, resp):
    """Say what a wrong answer equals: the original course's, another boundary, no smoothing."""
    import numpy as np

    from nma_dl import preferred_orientation

    # Reflecting, nearest and mirror agree on some draws: only an answer that reflects on all
    # of them is the original course's.
    if _is_original(func):
        return (
            ": that is the original course's answer (gaussian_filter1d's default, "
            "mode='reflect'); this course asks for mode='wrap' because orientation is circular "
            "(359° is next to 0°), and reflecting at the ends moves peaks near 0° and 360°"
        )
    modes = ("reflect", "nearest", "mirror", "constant")
    if any(np.array_equal(got, preferred_orientation(resp, mode=mode)) for mode in modes):
        return ": orientation is circular, so smooth with mode='wrap'"
    if np.array_equal(got, resp.argmax(axis=0)):
        return ": smooth the tuning curves before taking the argmax"
    if np.array_equal(got, preferred_orientation(resp).argsort()):
        return ": return the preferred orientations, not their argsort"
    return ""


@_documented
def check_preferred_orientation(func):
    """Check the function of Coding Exercise 1.1 of the bonus tutorial.

    Calls ``func(resp)`` on noisy tuning curves of 8 neurons (two of them peaking near 0°/360°)
    and compares the result with :func:`nma_dl.preferred_orientation`. An answer that reflects
    at the ends on every draw, as the original course's solution did, is told that this course
    wraps around instead, and why.

    Parameters
    ----------
    func : callable
        The student's ``preferred_orientation(resp)``.
    """
    _require_callable(func, "func", "preferred_orientation", "function")
    cases = [
        (f"8 noisy tuning curves, draw {case}", partial(_preferred_case, func, case))
        for case in _PREFERRED_DRAWS
    ]
    return _run("preferred_orientation", cases)


# --------------------------------------------------------------------------- DeepNetSoftmax


def _softmax_case(cls, n_inputs, n_hidden, n_classes):
    import torch

    from nma_dl import DeepNetSoftmax

    what = f"DeepNetSoftmax({n_inputs}, {n_hidden}, {n_classes})"
    net = _build(what, cls, n_inputs, n_hidden, n_classes)
    reference = DeepNetSoftmax(n_inputs, n_hidden, n_classes)
    _load_parameters(net, reference, "the network")
    r = 2 * torch.randn(5, n_inputs)
    with torch.no_grad():
        expected = reference(r)
        got = _call("its forward", net, r.clone())
        try:
            _compare_tensor(got, expected, "the output")
        except _Mismatch as mismatch:
            scores = reference.out_layer(torch.relu(reference.in_layer(r)))
            if _close(got, torch.softmax(scores, dim=1), 1e-4, 1e-5):
                hint = "; these are probabilities: the loss nn.NLLLoss wants their logarithm"
            elif _close(got, scores, 1e-4, 1e-5):
                hint = "; the scores are not normalised into log probabilities"
            elif _close(got, torch.log_softmax(scores, dim=0), 1e-4, 1e-5):
                hint = "; normalised over the stimuli: each row (dim=1) should sum to 1"
            else:
                hint = ""
            raise _Mismatch(f"{mismatch}{hint}") from None


@_documented
def check_DeepNetSoftmax(cls):
    """Check the class of Coding Exercise 2.2 of the bonus tutorial.

    Builds ``cls(n_inputs, n_hidden, n_classes)`` for three sizes, copies random weights into
    :class:`nma_dl.DeepNetSoftmax` and compares the log probabilities on random responses.

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


# --------------------------------------------------------------------------- regularized_loss


def _regularized_case(func, L2_penalty, L1_penalty):
    import torch

    from nma_dl import regularized_loss

    output = torch.log_softmax(torch.randn(6, 4), dim=1)
    target = torch.randint(0, 4, (6,))
    weights = torch.randn(3, 5)
    w_ref = weights.clone().requires_grad_(True)
    expected = regularized_loss(output, target, w_ref, L2_penalty, L1_penalty)
    if L2_penalty or L1_penalty:
        (expected_grad,) = torch.autograd.grad(expected, w_ref)
    w_student = weights.clone().requires_grad_(True)
    got = _call(
        "regularized_loss", func, output.clone(), target.clone(), w_student, L2_penalty, L1_penalty
    )
    try:
        _compare_tensor(got, expected.detach(), "the loss")
    except _Mismatch as mismatch:
        hint = ""
        if isinstance(got, torch.Tensor) and got.numel() == 1:
            value = float(got.detach())
            nll = float(torch.nn.functional.nll_loss(output, target))
            l2, l1 = float(weights.square().sum()), float(weights.abs().sum())
            if abs(value - (nll + L1_penalty * l2 + L2_penalty * l1)) < 1e-4:
                hint = "; the two penalties are swapped"
            elif abs(value - (nll + L2_penalty * l2)) < 1e-4 and L1_penalty:
                hint = "; the L1 term is missing"
            elif abs(value - (nll + L1_penalty * l1)) < 1e-4 and L2_penalty:
                hint = "; the L2 term is missing"
            elif abs(value - (nll + L2_penalty * l2**0.5 + L1_penalty * l1)) < 1e-4:
                hint = "; the L2 penalty is the sum of squares, not the norm"
        raise _Mismatch(f"{mismatch}{hint}") from None
    if L2_penalty or L1_penalty:
        if not got.requires_grad:
            raise _Mismatch("the penalties are not connected to weights (no gradient)")
        (grad,) = torch.autograd.grad(got, w_student)
        _compare_tensor(grad, expected_grad, "the gradient with respect to weights")


@_documented
def check_regularized_loss(func):
    """Check the function of Coding Exercise 2.3 of the bonus tutorial.

    Calls ``func(output, target, weights, L2_penalty, L1_penalty)`` on random log probabilities
    and weights with both penalties, one of them, and none, and compares the loss and its
    gradient with respect to the weights with :func:`nma_dl.regularized_loss`.

    Parameters
    ----------
    func : callable
        The student's ``regularized_loss``.
    """
    _require_callable(func, "func", "regularized_loss", "function")
    settings = [(1e-2, 5e-4), (0.3, 0.0), (0.0, 0.2), (0.0, 0.0)]
    cases = [
        (f"L2_penalty={l2:g}, L1_penalty={l1:g}", partial(_regularized_case, func, l2, l1))
        for l2, l1 in settings
    ]
    return _run("regularized_loss", cases)


# --------------------------------------------------------------------------- ConvFC


def _convfc_case(cls, n_neurons, c_out, K, height, width):
    import torch

    from nma_dl import ConvFC

    what = f"ConvFC({n_neurons}, c_out={c_out}, K={K}, b={height * width})"
    net = _build(what, cls, n_neurons, c_out=c_out, K=K, b=height * width)
    reference = ConvFC(n_neurons, c_out=c_out, K=K, b=height * width)

    def hint(missing):
        return " (add the linear layer self.out_layer)" if "out_layer.weight" in missing else ""

    _load_parameters(net, reference, "the network", hint)
    s = torch.randn(4, 1, height, width)
    with torch.no_grad():
        _compare_tensor(_call("its forward", net, s.clone()), reference(s), "the output")


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
            f"ConvFC({n}, c_out={c}, K={k}) on {h} x {w} images",
            partial(_convfc_case, cls, n, c, k, h, w),
        )
        for n, c, k, h, w in sizes
    ]
    return _run("ConvFC", cases, precheck=partial(_not_an_instance, cls, "ConvFC"))
