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
from nma_dl.i18n import tr


def _choose():
    return tr("choose the loss that takes log probabilities and class indices")


def _not_the_one(cls, name):
    """Return why a loss of torch.nn that is not the one meant here is not it, or None."""
    if issubclass(cls, nn.CrossEntropyLoss):
        return tr(
            "{name} applies log_softmax itself: it is the loss for raw scores (logits). On log "
            "probabilities it normalises them a second time, which changes nothing (the "
            "log_softmax of log probabilities gives them back), so it gives the same number "
            "here; but it is meant for a network without a LogSoftmax at its end, and this one "
            "has one: {choose}",
            name=name,
            choose=_choose(),
        )
    if issubclass(cls, nn.MSELoss):
        return tr(
            "{name} compares numbers one by one, for regression: it would need one-hot float "
            "targets of the output's shape, and with the class indices decode_orientation gives "
            "it, it is the wrong loss for classification: {choose}",
            name=name,
            choose=_choose(),
        )
    if issubclass(cls, nn.LogSoftmax):
        return tr(
            "{name} is the network's last layer, which makes the log probabilities (its "
            "self.logprob), not a loss: the loss compares them with the classes; {choose}",
            name=name,
            choose=_choose(),
        )
    return None


def _shown(cls):
    """Name a class as a student writes it: ``nn.NLLLoss`` for torch's, else its own name."""
    return f"nn.{cls.__name__}" if cls.__module__.startswith("torch.nn") else cls.__name__


def _why_not(cls, name):
    """Return why the module class ``cls``, shown as ``name``, is not the loss meant here."""
    known = _not_the_one(cls, name)
    if known is not None:
        return known
    if issubclass(cls, _Loss):
        return tr(
            "{name} is not a loss for log probabilities and class indices: {choose}",
            name=name,
            choose=_choose(),
        )
    return tr("{name} is a module but not a loss: {choose}", name=name, choose=_choose())


def _judge_function(loss_fn):
    """Raise _Mismatch saying why the plain function ``loss_fn`` is not the loss object meant."""
    as_object = tr(
        "the exercise asks for a loss object, a class of torch.nn called with parentheses, as "
        "nn.MSELoss() was in Tutorial 1"
    )
    if loss_fn is F.nll_loss:
        raise _Mismatch(
            tr(
                "loss_fn is torch.nn.functional.nll_loss, the function form of a loss: it "
                "computes the same number, but {as_object}",
                as_object=as_object,
            )
        )
    for function, cls in ((F.cross_entropy, nn.CrossEntropyLoss), (F.mse_loss, nn.MSELoss)):
        if loss_fn is function:
            raise _Mismatch(_why_not(cls, f"torch.nn.functional.{function.__name__}"))
    name = getattr(loss_fn, "__qualname__", type(loss_fn).__name__)
    raise _Mismatch(
        tr(
            "loss_fn is a function ({name}), not a loss object: {as_object}; {choose}",
            name=name,
            as_object=as_object,
            choose=_choose(),
        )
    )


def _judge_nll(loss_fn):
    """Raise _Mismatch if the NLLLoss ``loss_fn`` is set up otherwise than the default."""
    name = _shown(type(loss_fn))
    if loss_fn.reduction == "none":
        raise _Mismatch(
            tr(
                "{name}(reduction='none') gives one loss per stimulus, but decode_orientation "
                "needs one number to minimise: the mean over the batch, the default reduction",
                name=name,
            )
        )
    if loss_fn.reduction == "sum":
        raise _Mismatch(
            tr(
                "{name}(reduction='sum') gives the sum over the batch, which grows with the "
                "number of stimuli, and so would the steps of gradient descent: "
                "decode_orientation's learning rate is set for the mean over the batch, the "
                "default reduction",
                name=name,
            )
        )
    if loss_fn.weight is not None:
        raise _Mismatch(
            tr(
                "this {name} weighs the classes (weight=...), and here every class counts "
                "alike: leave weight out",
                name=name,
            )
        )


def _judge_loss(loss_fn):
    """Raise _Placeholder or _Mismatch unless ``loss_fn`` is an NLLLoss, as the exercise asks."""
    if loss_fn is Ellipsis:
        raise _Placeholder(tr("loss_fn is still the placeholder `...`"))
    if loss_fn is None:
        raise _Mismatch(
            tr("loss_fn is None, not a loss: assign it a loss object; {choose}", choose=_choose())
        )
    if isinstance(loss_fn, type):
        name = tr("the class {cls}", cls=_shown(loss_fn))
        if issubclass(loss_fn, nn.NLLLoss):
            raise _Mismatch(
                tr(
                    "loss_fn is {name}, not a loss object: call the class (add parentheses) to "
                    "create one",
                    name=name,
                )
            )
        if issubclass(loss_fn, nn.Module):
            shown = tr("loss_fn, {name} (without parentheses),", name=name)
            raise _Mismatch(_why_not(loss_fn, shown))
        raise _Mismatch(tr("loss_fn is {name}, not a loss: {choose}", name=name, choose=_choose()))
    if isinstance(loss_fn, nn.NLLLoss):
        _judge_nll(loss_fn)
    elif isinstance(loss_fn, nn.Module):
        shown = tr("loss_fn, {loss},", loss=f"{_shown(type(loss_fn))}()")
        raise _Mismatch(_why_not(type(loss_fn), shown))
    else:
        _judge_function(loss_fn)
