"""Self-checks of the exercises on losses: cross_entropy_loss, regularized_loss, loss_choice."""

from __future__ import annotations

import math
from functools import partial

import torch
import torch.nn.functional as F

from nma_dl.checks._compare import _compare_tensor, _hinted
from nma_dl.checks._core import (
    _call,
    _describe,
    _documented,
    _Mismatch,
    _require_callable,
    _run,
    _short_repr,
)
from nma_dl.checks._loss_choice import _judge_loss
from nma_dl.i18n import tr
from nma_dl.losses import cross_entropy_loss, regularized_loss

__all__ = ["check_cross_entropy_loss", "check_loss_choice", "check_regularized_loss"]


def _cross_entropy_data(case):
    if case == "tutorial":
        x = torch.tensor([[10.0, 1.0, -1.0, -20.0], [10.0, 10.0, 2.0, -10.0]])
        return x, torch.tensor([0, 1])
    if case == "random":
        return 3 * torch.randn(4, 3), torch.randint(0, 3, (4,))
    return 1000 * torch.randn(5, 6), torch.randint(0, 6, (5,))  # exp() of these overflows


def _cross_entropy_case(func, case):
    x, labels = _cross_entropy_data(case)
    x_ref = x.clone().requires_grad_(True)
    expected = cross_entropy_loss(x_ref, labels)
    (expected_grad,) = torch.autograd.grad(expected, x_ref)
    x_student = x.clone().requires_grad_(True)
    got = _call("cross_entropy_loss", func, x_student, labels.clone())
    mistakes = _cross_entropy_mistakes(func, case, expected, len(labels))
    with _hinted(got, mistakes, same=partial(_same_number, expected=expected)):
        _compare_tensor(got, expected.detach(), tr("the loss"))
    if not got.requires_grad:
        raise _Mismatch(
            tr(
                "the loss is right but not connected to x (it has no gradient): compute it with "
                "torch operations on x only"
            )
        )
    try:
        (grad,) = torch.autograd.grad(got, x_student)
    except RuntimeError as error:
        raise _Mismatch(
            tr("its gradient could not be computed ({error})", error=_describe(error))
        ) from None
    _compare_tensor(grad, expected_grad, tr("the gradient of the loss with respect to x"))


def _as_number(got, expected):
    """Return ``got`` as a float if it is a tensor of the shape of ``expected``, else None."""
    if isinstance(got, torch.Tensor) and got.shape == expected.shape:
        return float(got.detach())
    return None


def _same_number(got, candidate, expected):
    """Whether ``got`` is a tensor shaped like ``expected`` within 0.1% of ``candidate``."""
    number = _as_number(got, expected)
    return number is not None and math.isclose(number, candidate, rel_tol=1e-3)


def _overflowed(got, expected):
    """Whether ``got`` is a tensor shaped like ``expected`` holding inf or NaN."""
    number = _as_number(got, expected)
    return number is not None and not math.isfinite(number)


# Two probes tell apart the ways of computing the loss that break on large logits. Shifted: every
# logit near 100, so that exp() overflows though the classes differ little. Spread: the right
# class far below the best, so that its probability underflows to 0 though no exp() overflows.
_PROBES = {
    "shifted": (torch.tensor([[100.0, 101.0, 99.0], [95.0, 100.0, 102.0]]), torch.tensor([0, 2])),
    "spread": (torch.tensor([[0.0, -200.0, 1.0], [3.0, 2.0, -150.0]]), torch.tensor([1, 2])),
}


def _original_hint():
    return tr(
        "; that is the original course's answer (the formula computed as written); this course "
        "asks for the log-sum-exp trick because exp() of a logit above about 88.7 overflows "
        "float32 to inf (and below about -104 underflows to 0), so logits in the thousands give "
        "inf or NaN"
    )


def _underflow_hint():
    return tr(
        "; the probability of a class far below the best one underflows to 0 in float32 (exp() "
        "of about -104 and less), and log(0) = -inf: compute the log probabilities with the "
        "log-sum-exp trick the exercise asks for (or torch.log_softmax), not as the log of a "
        "softmax"
    )


def _overflow_hint():
    return tr(
        "; exp() of a logit above about 88.7 overflows float32 to inf (and inf / inf is NaN), "
        "and below about -104 underflows to 0 (and log(0) = -inf), so logits in the thousands "
        "give inf or NaN: compute the log probabilities with the log-sum-exp trick the exercise "
        "asks for (or torch.log_softmax)"
    )


def _right_on(func, probe):
    """Whether ``func`` gives the reference's loss, finite, on the probe named ``probe``."""
    x, labels = _PROBES[probe]
    try:
        got = _call("cross_entropy_loss", func, x.clone(), labels.clone())
    except _Mismatch:
        return False
    return _same_number(got, float(cross_entropy_loss(x, labels)), expected=torch.tensor(0.0))


def _cross_entropy_mistakes(func, case, expected, n):
    """Yield the typical mistakes of cross_entropy_loss on ``n`` samples, with their hints."""
    if case == "large":
        # Right on the first two cases, broken only by large logits. The original course
        # computed the formula as written, -x[label] + log(sum(exp(x))): exp() overflows on the
        # shifted probe, and nothing underflows on the spread one, where the log of a softmax
        # (or of exp over its sum) gives log(0).
        yield (
            lambda got: (
                _overflowed(got, expected)
                and _right_on(func, "spread")
                and not _right_on(func, "shifted")
            ),
            _original_hint(),
        )
        yield (
            lambda got: _overflowed(got, expected) and _right_on(func, "shifted"),
            _underflow_hint(),
        )
        yield (lambda got: _overflowed(got, expected), _overflow_hint())
    wanted = float(expected)
    yield n * wanted, tr("; it is {n} times the reference's: is it the mean over the batch?", n=n)
    yield -wanted, tr("; it has the opposite sign")
    yield (
        lambda got: isinstance(got, torch.Tensor) and tuple(got.shape) == (n,),
        tr(": one loss per sample, where the average over the batch is wanted"),
    )


@_documented
def check_cross_entropy_loss(func):
    """Check the function of Coding Exercise 2.1 of the MLP tutorial.

    Calls ``func(x, labels)`` on the tutorial's two samples, on random logits and on logits in
    the thousands (which overflow a literal ``exp``), and compares the loss (a 0-d tensor), and
    its gradient with respect to ``x``, with :func:`nma_dl.cross_entropy_loss`. An answer right
    on the first two cases but infinite or NaN on the third is run on two small probes, which
    tell the original course's solution (the formula computed as written, whose ``exp``
    overflows) from the log of a softmax (whose probabilities underflow to 0) and from other
    forms: each is told why it breaks, and only the first is called the original's.

    Parameters
    ----------
    func : callable
        The student's ``cross_entropy_loss(x, labels)``.

    Examples
    --------
    >>> from nma_dl import cross_entropy_loss
    >>> result = check_cross_entropy_loss(cross_entropy_loss)
    ✓ cross_entropy_loss: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "cross_entropy_loss", "function")
    descriptions = {
        "tutorial": tr("{samples} samples, {classes} classes", samples=2, classes=4),
        "random": tr("{samples} samples, {classes} classes", samples=4, classes=3),
        "large": tr(
            "{samples} samples, {classes} classes, logits in the thousands", samples=5, classes=6
        ),
    }

    cases = [
        (text, partial(_cross_entropy_case, func, case)) for case, text in descriptions.items()
    ]
    return _run("cross_entropy_loss", cases)


# --------------------------------------------------------------------------- regularized_loss


def _regularized_case(func, L2_penalty, L1_penalty):
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
    mistakes = _regularized_mistakes(output, target, weights, L2_penalty, L1_penalty)
    with _hinted(got, mistakes, same=_near_number):
        _compare_tensor(got, expected.detach(), tr("the loss"))
    if L2_penalty or L1_penalty:
        if not got.requires_grad:
            raise _Mismatch(tr("the penalties are not connected to weights (no gradient)"))
        (grad,) = torch.autograd.grad(got, w_student)
        _compare_tensor(grad, expected_grad, tr("the gradient with respect to weights"))


def _near_number(got, candidate):
    """Whether ``got`` is a tensor of one number within 1e-4 of ``candidate``."""
    return (
        isinstance(got, torch.Tensor)
        and got.numel() == 1
        and abs(float(got.detach()) - candidate) < 1e-4
    )


def _regularized_mistakes(output, target, weights, L2_penalty, L1_penalty):
    """Yield the losses typical mistakes of regularized_loss give, with their hints."""
    nll = float(F.nll_loss(output, target))
    l2, l1 = float(weights.square().sum()), float(weights.abs().sum())
    yield nll + L1_penalty * l2 + L2_penalty * l1, tr("; the two penalties are swapped")
    if L1_penalty:
        yield nll + L2_penalty * l2, tr("; the {term} term is missing", term="L1")
    if L2_penalty:
        yield nll + L1_penalty * l1, tr("; the {term} term is missing", term="L2")
    yield (
        nll + L2_penalty * l2**0.5 + L1_penalty * l1,
        tr("; the L2 penalty is the sum of squares, not the norm"),
    )


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


# --------------------------------------------------------------------------- loss_choice


def _loss_choice_case(loss_fn, n_stimuli, n_classes):
    # Log probabilities as DeepNetSoftmax gives them, and class indices as decode_orientation.
    output = torch.log_softmax(3 * torch.randn(n_stimuli, n_classes), dim=1)
    target = torch.randint(0, n_classes, (n_stimuli,))
    got = _call("loss_fn", loss_fn, output.clone(), target.clone())
    _compare_tensor(got, F.nll_loss(output, target), tr("the loss"))


@partial(
    _documented,
    what=" (a number, a string);\n        ``None`` and ``...`` (the placeholder) get a line",
)
def check_loss_choice(loss_fn):
    """Check the loss chosen in Coding Exercise 2.2 of the bonus tutorial.

    The network of the exercise, :class:`nma_dl.DeepNetSoftmax`, outputs log probabilities (its
    last layer is an ``nn.LogSoftmax``), and ``decode_orientation`` gives the loss class
    indices: ``loss_fn`` must be an ``nn.NLLLoss()`` (or an instance of a subclass) that
    averages over the batch. Any other choice (another loss, the class without parentheses,
    a function, ``None``) is told why it is not the one; a right one is also compared with
    ``torch.nn.functional.nll_loss`` on random log probabilities.

    Parameters
    ----------
    loss_fn : torch.nn.Module
        The student's loss, ``loss_fn``.

    Examples
    --------
    >>> from torch import nn
    >>> result = check_loss_choice(nn.NLLLoss())
    ✓ loss_choice: 2/2 cases match the reference.
    >>> result.status
    'passed'
    """
    if loss_fn is not None and loss_fn is not Ellipsis and not callable(loss_fn):
        raise TypeError(
            "check_loss_choice(loss_fn): loss_fn must be the loss you chose, as in "
            f"check_loss_choice(loss_fn); got {type(loss_fn).__name__} {_short_repr(loss_fn)}"
        )
    cases = [
        (
            tr("log probabilities of {stimuli} stimuli, {classes} classes", stimuli=n, classes=c),
            partial(_loss_choice_case, loss_fn, n, c),
        )
        for n, c in [(6, 20), (1, 4)]
    ]
    return _run("loss_choice", cases, precheck=partial(_judge_loss, loss_fn))
