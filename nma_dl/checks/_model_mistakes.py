"""The typical mistakes of the model exercises, each with its hint, as :func:`_hinted` reads them.

Shared by the checks of :mod:`nma_dl.checks.models`: Net's layers and DeepNetSoftmax's forward.
"""

from __future__ import annotations

import torch

from nma_dl.checks._compare import _close, _missing_parameters
from nma_dl.checks._core import _call
from nma_dl.i18n import tr

# --------------------------------------------------------------------------- Net


def _shares_activations(net, reference):
    """Whether the parameters ``net`` lacks are all PReLUs', as when layers share one module."""
    missing = _missing_parameters(net, reference)
    return bool(missing) and all(".Activation_" in name for name in missing)


def _net_layer_mistakes(reference):
    """Yield the typical mistakes in Net's layers, shown by their parameters, with their hints."""
    yield (
        lambda net: _shares_activations(net, reference),
        tr(": does every hidden layer get an activation module of its own?"),
    )
    yield (
        lambda net: bool(_missing_parameters(net, reference)),
        tr(
            ": the check finds the layers by the stub's names, so keep them: self.mlp, an "
            "nn.Sequential of modules named Linear_0, Activation_0, Linear_1 and so on, then "
            "Output_Linear"
        ),
    )


def _without_activations(reference, x):
    """Return the output of ``reference`` with its linear layers alone."""
    x = x.reshape(-1, reference.input_feature_num)
    for module in reference.mlp:
        if isinstance(module, torch.nn.Linear):
            x = module(x)
    return x


# --------------------------------------------------------------------------- DeepNetSoftmax


def _softmax_mistakes(net, reference, r, expected):
    """Yield the typical mistakes of DeepNetSoftmax's forward, with their hints (see _hinted)."""
    scores = reference.out_layer(torch.relu(reference.in_layer(r)))
    yield (
        torch.softmax(scores, dim=1),
        tr("; these are probabilities: the loss nn.NLLLoss wants their logarithm"),
    )
    yield scores, tr("; the scores are not normalised into log probabilities")
    yield (
        torch.log_softmax(scores, dim=0),
        tr("; normalised over the stimuli: each row (dim=1) should sum to 1"),
    )
    yield (
        torch.log_softmax(reference.out_layer(reference.in_layer(r)), dim=1),
        tr("; it equals the same network without the ReLU on its hidden units"),
    )
    yield (
        lambda got: _unstable(got, expected) and _right_when_small(net, reference, r),
        tr(
            "; it is right on responses 100 times smaller, so the formula is right but not the "
            "way it is computed: for large scores the softmax of a class far below the best "
            "underflows to 0 in float32, and log(0) = -inf (or exp() overflows to inf, and inf "
            "/ inf is NaN): compute the log probabilities in one step, with torch.log_softmax "
            "(or self.logprob, the stub's nn.LogSoftmax)"
        ),
    )


def _unstable(got, expected):
    """Whether ``got`` holds inf or NaN where ``expected``, of the same shape, is finite."""
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and not bool(torch.isfinite(got).all())
    )


def _right_when_small(net, reference, r):
    """Whether ``net`` gives the reference's output for responses of a small scale."""
    small = r / 100  # scores of a few units: nothing underflows or overflows
    return _close(_call(tr("its forward"), net, small.clone()), reference(small))
