"""What is wrong with a loss chosen for Tutorial 4's Coding Exercise 2.2, said without the answer.

The network of the exercise outputs log probabilities, and the loss gets class indices: the
loss meant is an ``nn.NLLLoss()`` averaging over the batch. :func:`_judge_loss` raises a
mismatch saying why any other choice is not it.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn
from torch.nn.modules.loss import _Loss

from nma_dl.checks._core import _Mismatch, _Placeholder

_CHOOSE = "choose the loss that takes log probabilities and class indices"

# Why a loss of torch.nn that is not the one meant here is not it, by its class.
_NOT_THE_ONE = {
    nn.CrossEntropyLoss: (
        "{name} applies log_softmax itself: it is the loss for raw scores (logits). On log "
        "probabilities it normalises them a second time, which changes nothing (the log_softmax "
        "of log probabilities gives them back), so it gives the same number here; but it is meant "
        "for a network without a LogSoftmax at its end, and this one has one: " + _CHOOSE
    ),
    nn.MSELoss: (
        "{name} compares numbers one by one, for regression: it would need one-hot float targets "
        "of the output's shape, and with the class indices decode_orientation gives it, it is "
        "the wrong loss for classification: " + _CHOOSE
    ),
    nn.LogSoftmax: (
        "{name} is the network's last layer, which makes the log probabilities (its "
        "self.logprob), not a loss: the loss compares them with the classes; " + _CHOOSE
    ),
}


def _shown(cls):
    """Name a class as a student writes it: ``nn.NLLLoss`` for torch's, else its own name."""
    return f"nn.{cls.__name__}" if cls.__module__.startswith("torch.nn") else cls.__name__


def _why_not(cls, name):
    """Return why the module class ``cls``, shown as ``name``, is not the loss meant here."""
    for known, text in _NOT_THE_ONE.items():
        if issubclass(cls, known):
            return text.format(name=name)
    if issubclass(cls, _Loss):
        return f"{name} is not a loss for log probabilities and class indices: {_CHOOSE}"
    return f"{name} is a module but not a loss: {_CHOOSE}"


def _judge_function(loss_fn):
    """Raise _Mismatch saying why the plain function ``loss_fn`` is not the loss object meant."""
    as_object = (
        "the exercise asks for a loss object, a class of torch.nn called with parentheses, as "
        "nn.MSELoss() was in Tutorial 1"
    )
    if loss_fn is F.nll_loss:
        raise _Mismatch(
            f"loss_fn is torch.nn.functional.nll_loss, the function form of a loss: it computes "
            f"the same number, but {as_object}"
        )
    for function, cls in ((F.cross_entropy, nn.CrossEntropyLoss), (F.mse_loss, nn.MSELoss)):
        if loss_fn is function:
            raise _Mismatch(_why_not(cls, f"torch.nn.functional.{function.__name__}"))
    name = getattr(loss_fn, "__qualname__", type(loss_fn).__name__)
    raise _Mismatch(f"loss_fn is a function ({name}), not a loss object: {as_object}; {_CHOOSE}")


def _judge_nll(loss_fn):
    """Raise _Mismatch if the NLLLoss ``loss_fn`` is set up otherwise than the default."""
    name = _shown(type(loss_fn))
    if loss_fn.reduction == "none":
        raise _Mismatch(
            f"{name}(reduction='none') gives one loss per stimulus, but decode_orientation needs "
            "one number to minimise: the mean over the batch, the default reduction"
        )
    if loss_fn.reduction == "sum":
        raise _Mismatch(
            f"{name}(reduction='sum') gives the sum over the batch, which grows with the number "
            "of stimuli, and so would the steps of gradient descent: decode_orientation's "
            "learning rate is set for the mean over the batch, the default reduction"
        )
    if loss_fn.weight is not None:
        raise _Mismatch(
            f"this {name} weighs the classes (weight=...), and here every class counts alike: "
            "leave weight out"
        )


def _judge_loss(loss_fn):
    """Raise _Placeholder or _Mismatch unless ``loss_fn`` is an NLLLoss, as the exercise asks."""
    if loss_fn is Ellipsis:
        raise _Placeholder("loss_fn is still the placeholder `...`")
    if loss_fn is None:
        raise _Mismatch(f"loss_fn is None, not a loss: assign it a loss object; {_CHOOSE}")
    if isinstance(loss_fn, type):
        name = f"the class {_shown(loss_fn)}"
        if issubclass(loss_fn, nn.NLLLoss):
            raise _Mismatch(
                f"loss_fn is {name}, not a loss object: call the class (add parentheses) to "
                "create one"
            )
        if issubclass(loss_fn, nn.Module):
            raise _Mismatch(_why_not(loss_fn, f"loss_fn, {name} (without parentheses),"))
        raise _Mismatch(f"loss_fn is {name}, not a loss: {_CHOOSE}")
    if isinstance(loss_fn, nn.NLLLoss):
        _judge_nll(loss_fn)
    elif isinstance(loss_fn, nn.Module):
        raise _Mismatch(_why_not(type(loss_fn), f"loss_fn, {_shown(type(loss_fn))}(),"))
    else:
        _judge_function(loss_fn)
