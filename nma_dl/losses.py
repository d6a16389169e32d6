r"""Loss functions written out by hand, to compare with PyTorch's.

:func:`cross_entropy_loss` is the mean multi-class cross-entropy of a batch of logits,

.. math::

    \mathrm{loss}(x_i, c_i) = -x_i[c_i] + \log\sum_{j=1}^{C} e^{x_i[j]},\qquad
    L = \frac{1}{N}\sum_{i=1}^{N} \mathrm{loss}(x_i, c_i),

the same number as :class:`torch.nn.CrossEntropyLoss` with its defaults. The log-sum-exp is
computed as :math:`m_i + \log\sum_j e^{x_i[j] - m_i}` with :math:`m_i = \max_j x_i[j]`: every
exponent is then <= 0, so nothing overflows even for logits of 10⁴, and the largest term is
exactly 1, so the logarithm never sees 0. The loss subtracts :math:`x_i[c_i]` from :math:`m_i`
before adding the logarithm, so large logits lose no precision either.
"""

from __future__ import annotations

import torch

from nma_dl._validate import validate_penalties, validate_tensor

__all__ = [
    "cross_entropy_loss",
    "penalty_terms",
    "regularized_MSE_loss",
    "regularized_loss",
]


def cross_entropy_loss(x, labels):
    """Compute the mean cross-entropy of a batch of logits for their classes.

    Vectorised (no Python loop over samples) and numerically stable (see the module docstring).
    Differentiable with respect to ``x``.

    Parameters
    ----------
    x : torch.Tensor
        Floating-point logits, shape ``(N, C)``: one row per sample, one column per class.
    labels : torch.Tensor
        Integer class indices in ``[0, C)``, shape ``(N,)``.

    Returns
    -------
    torch.Tensor
        0-d, the average loss over the batch.
    """
    validate_tensor(x, "x", "a torch.Tensor of logits")
    validate_tensor(labels, "labels", "a torch.Tensor of class indices")
    if not x.is_floating_point():
        raise TypeError(f"x must hold floating-point logits, got dtype {x.dtype}")
    if labels.is_floating_point() or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError(f"labels must hold integer class indices, got dtype {labels.dtype}")
    if x.dim() != 2:
        raise ValueError(f"x must have shape (N, C), got shape {tuple(x.shape)}")
    if labels.dim() != 1:
        raise ValueError(f"labels must have shape (N,), got shape {tuple(labels.shape)}")
    n, c = x.shape
    if labels.shape[0] != n:
        raise ValueError(f"labels must have one entry per row of x ({n}), got {labels.shape[0]}")
    if n == 0:
        raise ValueError("x must hold at least one sample, got an empty batch")
    if c == 0:
        raise ValueError("x must have at least one class column, got shape (N, 0)")
    if not torch.isfinite(x).all():
        raise ValueError("x must hold finite logits, got NaN or infinite values")
    if labels.min() < 0 or labels.max() >= c:
        raise ValueError(
            f"labels must lie in [0, {c - 1}] for {c} classes, got values from "
            f"{labels.min().item()} to {labels.max().item()}"
        )
    labels = labels.to(device=x.device, dtype=torch.long)
    x_of_labels = x.gather(1, labels.unsqueeze(1)).squeeze(1)
    # loss_i = (m_i - x_i[c_i]) + log sum_j exp(x_i[j] - m_i). Subtracting the two large numbers
    # m_i and x_i[c_i] first keeps the small log term from being rounded away at 1e4.
    m = x.detach().amax(dim=1)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    losses = (m - x_of_labels) + torch.log(torch.exp(x - m.unsqueeze(1)).sum(dim=1))
    return losses.mean()


# --------------------------------------------------------------------------- regularised losses
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) adds weight penalties to a data loss.


def penalty_terms(weights, L2_penalty=0, L1_penalty=0):
    r"""Compute the penalties of a weight tensor, :math:`\lambda_2\sum w^2 + \lambda_1\sum|w|`.

    Computed as ``w.square().sum()`` and ``w.abs().sum()``: in float32 over tens of millions of
    weights these agree with float64 to about 1e-8, where ``torch.linalg.vector_norm`` can be off
    by a percent. A penalty of 0 adds nothing (and costs nothing).

    Parameters
    ----------
    weights : torch.Tensor
        The weights to penalise, any shape.
    L2_penalty, L1_penalty : float, default=0
        Scale of the sum of squares and of the sum of absolute values, finite and >= 0.

    Returns
    -------
    torch.Tensor
        0-d, differentiable with respect to ``weights``.
    """
    validate_tensor(weights, "weights", "a torch.Tensor (e.g. net.in_layer.weight)")
    L2_penalty, L1_penalty = validate_penalties(L2_penalty, L1_penalty)
    total = torch.zeros((), dtype=weights.dtype, device=weights.device)
    if L2_penalty:
        total = total + L2_penalty * weights.square().sum()
    if L1_penalty:
        total = total + L1_penalty * weights.abs().sum()
    return total


def regularized_loss(output, target, weights, L2_penalty=0, L1_penalty=0):
    r"""Negative log likelihood plus L2 and L1 penalties on ``weights``.

    .. math::

        L = \mathrm{NLL}(\text{output}, \text{target})
            + \lambda_2 \sum_{ij} W_{ij}^2 + \lambda_1 \sum_{ij} |W_{ij}|

    The twin of Coding Exercise 2.3 of the bonus tutorial, where ``weights`` is the decoder's
    ``net.in_layer.weight``. (The original's text penalised the output weights, its code the
    input weights, its docstring called the loss a mean squared error, and it failed with both
    penalties at 0; here all agree and 0 simply adds nothing.)

    Parameters
    ----------
    output : torch.Tensor
        (n, n_classes) log probabilities, e.g. of :class:`nma_dl.DeepNetSoftmax`.
    target : torch.Tensor
        (n,) int64 classes.
    weights : torch.Tensor
        The weights to penalise.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0.

    Returns
    -------
    torch.Tensor
        0-d loss.
    """
    validate_tensor(output, "output")
    validate_tensor(target, "target")
    penalty = penalty_terms(weights, L2_penalty, L1_penalty)
    return torch.nn.functional.nll_loss(output, target) + penalty


def regularized_MSE_loss(output, target, weights=None, L2_penalty=0, L1_penalty=0):
    r"""Mean squared error plus L2 and L1 penalties on ``weights`` (if given).

    .. math::

        L = \frac{1}{nm}\sum (\text{output} - \text{target})^2
            + \lambda_2 \sum_{ij} W_{ij}^2 + \lambda_1 \sum_{ij} |W_{ij}|

    The loss of the convolutional encoding model of the bonus tutorial, with ``weights`` its
    ``net.out_layer.weight``.

    Parameters
    ----------
    output, target : torch.Tensor
        Predicted and recorded responses, the same shape.
    weights : torch.Tensor, optional
        The weights to penalise; without them the loss is the mean squared error.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0.

    Returns
    -------
    torch.Tensor
        0-d loss.
    """
    validate_tensor(output, "output")
    validate_tensor(target, "target")
    if output.shape != target.shape:
        raise ValueError(
            f"output and target must have the same shape, got {tuple(output.shape)} and "
            f"{tuple(target.shape)}"
        )
    loss = torch.nn.functional.mse_loss(output, target)
    if weights is None:
        validate_penalties(L2_penalty, L1_penalty)
        return loss
    return loss + penalty_terms(weights, L2_penalty, L1_penalty)
