"""Self-check of the exercise that writes the training loop: train."""

from __future__ import annotations

import copy
import math
import numbers
from functools import partial

import torch

from nma_dl.checks._compare import _max_difference
from nma_dl.checks._core import _call, _documented, _kind, _Mismatch, _require_callable, _run
from nma_dl.i18n import tr
from nma_dl.models.decoders import DeepNetReLU
from nma_dl.training import train

__all__ = ["check_train"]


# (n_samples, n_inputs, n_hidden, n_epochs, learning_rate); n_epochs a multiple of 5, as the
# exercise's progress print divides by n_epochs // 5
_TRAIN_CASES = [(8, 5, 4, 5, 1e-2), (12, 3, 6, 10, 1e-3), (6, 4, 3, 15, 5e-2)]


def _same_losses(got, expected):
    return [
        math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-6) for g, e in zip(got, expected, strict=True)
    ]


def _losses_hint(got, expected):
    """Name the first iteration whose loss differs, and what the pattern suggests."""
    n = len(expected)
    first = _same_losses(got, expected).index(False)
    worst = max(abs(g - e) for g, e in zip(got, expected, strict=True))
    where = tr(
        "the loss of iteration {iteration} is off by {error}",
        iteration=first + 1,
        error=f"{abs(got[first] - expected[first]):.3g}",
    )
    shifted = all(_same_losses(got[:-1], expected[1:]))
    if n > 1 and shifted:
        return tr("{where}: each loss is the one after that iteration's update", where=where)
    if first == 0:
        return tr(
            "{where}: the very first loss differs, so look at the output and the loss", where=where
        )
    if n > 1 and max(got) - min(got) <= 1e-6 * max(1.0, abs(got[0])):
        return tr("{where}: the loss never changes, so are the parameters updated?", where=where)
    if first == 1:
        agree = tr("the first iteration agrees")
    else:
        agree = tr("the first {count} iterations agree", count=first)
    return tr(
        "{where} (max abs difference {worst}): {agree}, so look at what carries over from one "
        "iteration to the next",
        where=where,
        worst=f"{worst:.3g}",
        agree=agree,
    )


def _train_both(func, n_samples, n_inputs, n_hidden, n_epochs, learning_rate):
    """Train one network with ``func``, a copy with the reference; return both and the losses."""
    data = torch.randn(n_samples, n_inputs)
    labels = torch.randn(n_samples, 1)
    net = DeepNetReLU(n_inputs, n_hidden)
    reference_net = copy.deepcopy(net)  # the same initial state for both
    expected = train(
        reference_net,
        torch.nn.MSELoss(),
        data,
        labels,
        n_epochs=n_epochs,
        learning_rate=learning_rate,
    )
    got = _call(
        "train",
        func,
        net,
        torch.nn.MSELoss(),
        data.clone(),
        labels.clone(),
        n_epochs=n_epochs,
        learning_rate=learning_rate,
    )
    return got, expected, net, reference_net


def _train_case(func, n_samples, n_inputs, n_hidden, n_epochs, learning_rate):
    got, expected, net, reference_net = _train_both(
        func, n_samples, n_inputs, n_hidden, n_epochs, learning_rate
    )
    if not isinstance(got, (list, tuple)):
        raise _Mismatch(
            tr(
                "train returned {kind}, expected a list with the loss of each iteration",
                kind=_kind(got),
            )
        )
    if len(got) != n_epochs:
        raise _Mismatch(
            tr(
                "train returned {count} losses for {epochs} iterations",
                count=len(got),
                epochs=n_epochs,
            )
        )
    for value in got:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise _Mismatch(
                tr(
                    "the list of losses holds {kind}, expected plain numbers (Python floats)",
                    kind=_kind(value),
                )
            )
    got = [float(value) for value in got]
    if not all(_same_losses(got, expected)):
        raise _Mismatch(_losses_hint(got, expected))
    reference_values = dict(reference_net.named_parameters())
    for name, p in net.named_parameters():
        wanted = reference_values[name].detach()
        if not torch.allclose(p.detach(), wanted, rtol=1e-4, atol=1e-6):
            raise _Mismatch(
                tr(
                    "the losses match, but after training the network's {name} is off by "
                    "{error}: is the network given to train updated once per iteration, and "
                    "only then?",
                    name=name,
                    error=f"{_max_difference(p, wanted):.3g}",
                )
            )


@_documented
def check_train(func):
    """Check the function of Coding Exercise 3.2 of the decoding tutorial.

    Trains two copies of the same :class:`nma_dl.DeepNetReLU` on small random data with
    ``nn.MSELoss``, one with ``func`` and one with :func:`nma_dl.train`, and compares the losses
    returned (their number, type and values) and the parameters after training.

    Parameters
    ----------
    func : callable
        The student's ``train(net, loss_fn, train_data, train_labels, n_epochs, learning_rate)``.

    Examples
    --------
    >>> from nma_dl import train
    >>> result = check_train(train)
    ✓ train: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "train", "function")

    cases = [
        (
            tr(
                "{epochs} epochs, learning_rate={rate}, {samples} samples",
                epochs=n_epochs,
                rate=f"{lr:g}",
                samples=n,
            ),
            partial(_train_case, func, n, n_in, n_hidden, n_epochs, lr),
        )
        for n, n_in, n_hidden, n_epochs, lr in _TRAIN_CASES
    ]
    return _run("train", cases)
