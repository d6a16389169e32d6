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

from nma_dl._validate import (
    validate_not_meta,
    validate_penalties,
    validate_real_dtype,
    validate_tensor,
)

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

    Raises
    ------
    TypeError
        If ``x`` is not a floating-point tensor, or ``labels`` not an integer one.
    ValueError
        If a tensor is a meta tensor, the shapes do not match, the batch is empty, ``x`` holds
        NaN or inf, or a label lies outside ``[0, C)``.
    """
    validate_tensor(x, "x", "a torch.Tensor of logits")
    validate_tensor(labels, "labels", "a torch.Tensor of class indices")
    validate_not_meta(x, "x")
    validate_not_meta(labels, "labels")
    _require_floating(x, "x", "logits", hint=False)
    _require_class_indices(labels, "labels", hint=False)
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
    labels = _class_indices_in_range(labels, "labels", c, f"{c} classes", x.device)
    x_of_labels = x.gather(1, labels.unsqueeze(1)).squeeze(1)
    # loss_i = (m_i - x_i[c_i]) + log sum_j exp(x_i[j] - m_i). Subtracting the two large numbers
    # m_i and x_i[c_i] first keeps the small log term from being rounded away at 1e4.
    m = x.detach().amax(dim=1)
    m = torch.where(torch.isfinite(m), m, torch.zeros_like(m))
    losses = (m - x_of_labels) + torch.log(torch.exp(x - m.unsqueeze(1)).sum(dim=1))
    return losses.mean()


# --------------------------------------------------------------------------- regularised losses
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) adds weight penalties to a data loss.


def _require_floating(value, name, what, *, hint=True):
    """Refuse a tensor of another dtype than a floating-point one, saying what it should hold.

    The TypeError reads ``"<name> must hold floating-point <what>, got dtype torch.int64"``,
    followed by the fix ``" (convert with <name>.float())"`` if ``hint`` and the tensor is not
    complex (``.float()`` would silently drop an imaginary part).
    """
    if not value.is_floating_point():
        fix = f" (convert with {name}.float())" if hint and not value.is_complex() else ""
        raise TypeError(f"{name} must hold floating-point {what}, got dtype {value.dtype}{fix}")


def _require_class_indices(value, name, *, hint=True):
    """Refuse a tensor of floats, complex numbers or bools where class indices are expected.

    The TypeError reads ``"<name> must hold integer class indices, got dtype torch.float32"``,
    followed by the fix ``" (convert with <name>.long())"`` if ``hint``.
    """
    if value.is_floating_point() or value.is_complex() or value.dtype == torch.bool:
        fix = f" (convert with {name}.long())" if hint else ""
        raise TypeError(f"{name} must hold integer class indices, got dtype {value.dtype}{fix}")


def _class_indices_in_range(labels, name, n_classes, classes, device):
    """Return integer class indices as int64 on ``device``, once all lie in ``[0, n_classes)``.

    ``classes`` says what the indices count, as in ``"<name> must lie in [0, 2] for <classes>,
    got values from 0 to 3"``: ``"3 classes"``. Converted after the check, as
    :func:`torch.nn.functional.nll_loss` wants them (an unchanged tensor when they are so).
    """
    low, high = labels.min(), labels.max()
    if low < 0 or high >= n_classes:
        raise ValueError(
            f"{name} must lie in [0, {n_classes - 1}] for {classes}, got values from "
            f"{low.item()} to {high.item()}"
        )
    return labels.to(device=device, dtype=torch.long)


def _validate_log_probs_and_target(output, target):
    """Check the log probabilities and classes of :func:`regularized_loss`.

    The checks are those :func:`torch.nn.functional.nll_loss` makes, with messages naming the
    argument, plus the range of the classes (on a GPU an out-of-range class is a device-side
    assert, which leaves the CUDA context unusable until the kernel restarts) and an empty
    batch (whose mean is 0 / 0).

    Parameters
    ----------
    output : torch.Tensor
        Log probabilities, ``(n, n_classes)`` (or ``(n_classes,)``, or
        ``(n, n_classes, d1, ...)`` as :func:`torch.nn.functional.nll_loss` allows).
    target : torch.Tensor
        Integer classes, ``(n,)`` (or ``()``, or ``(n, d1, ...)``).

    Returns
    -------
    torch.Tensor
        ``target`` as int64 on the device of ``output``, as :func:`cross_entropy_loss`
        converts its labels; the same tensor when it is already so.

    Raises
    ------
    TypeError
        If ``output`` is not floating-point or ``target`` not integer.
    ValueError
        If either is a meta tensor, the shapes do not match, there is no class or no sample,
        or a class lies outside ``[0, n_classes)``.
    """
    validate_not_meta(output, "output")
    validate_not_meta(target, "target")
    _require_floating(output, "output", "log probabilities (e.g. of torch.log_softmax)")
    _require_class_indices(target, "target")
    if output.dim() == 0:
        raise ValueError("output must have shape (n, n_classes), got shape ()")
    # nll_loss also takes (n_classes,) with a 0-d target and (n, n_classes, d1, ...) with
    # (n, d1, ...): the class is always output's dimension 1 (0 without a batch)
    classes = output.shape[1] if output.dim() > 1 else output.shape[0]
    expected = (output.shape[0], *output.shape[2:]) if output.dim() > 1 else ()
    if tuple(target.shape) != expected:
        raise ValueError(
            f"target must have shape {expected} (one class per row of output, whose shape is "
            f"{tuple(output.shape)}), got shape {tuple(target.shape)}"
        )
    if classes == 0:
        raise ValueError(
            f"output must have at least one class column, got shape {tuple(output.shape)}"
        )
    if target.numel() == 0:
        raise ValueError(
            f"output must hold at least one sample, got an empty batch of shape "
            f"{tuple(output.shape)}"
        )
    of_output = f"the {classes} classes (columns) of output"
    return _class_indices_in_range(target, "target", classes, of_output, output.device)


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

    Raises
    ------
    TypeError
        If ``weights`` is not a floating-point tensor: squares of small ints wrap around,
        ``abs`` is not defined for bools, and the square of a complex number is not its
        squared magnitude.
    ValueError
        If ``weights`` is a meta tensor, or a penalty is negative or not finite.
    """
    validate_tensor(weights, "weights", "a torch.Tensor (e.g. net.in_layer.weight)")
    validate_not_meta(weights, "weights")
    _require_floating(weights, "weights", "numbers (a layer's weights)")
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
        (n,) classes in ``[0, n_classes)``, int64 (another integer dtype or device is
        converted).
    weights : torch.Tensor
        The floating-point weights to penalise.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0.

    Returns
    -------
    torch.Tensor
        0-d loss.

    Raises
    ------
    TypeError
        If ``output`` or ``weights`` is not a floating-point tensor, or ``target`` not an
        integer one.
    ValueError
        If a tensor is a meta tensor, the shapes do not match, the batch is empty, a class lies
        outside ``[0, n_classes)``, or a penalty is negative or not finite.
    """
    validate_tensor(output, "output")
    validate_tensor(target, "target")
    target = _validate_log_probs_and_target(output, target)
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
        Predicted and recorded responses, the same shape, on the same device, at least one
        value; real numbers, at least one of the two floating-point (``target`` may hold
        integer counts).
    weights : torch.Tensor, optional
        The floating-point weights to penalise; without them the loss is the mean squared
        error.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0; checked without ``weights`` too, where they add nothing.

    Returns
    -------
    torch.Tensor
        0-d: the mean over all values of ``(output - target) ** 2``, plus the penalties.

    Raises
    ------
    TypeError
        If ``output`` or ``target`` holds bools or complex numbers, both hold integers, or
        ``weights`` is not floating-point.
    ValueError
        If a tensor is a meta tensor, the shapes or devices differ, the tensors are empty (the
        mean of nothing is 0 / 0), or a penalty is negative or not finite.
    """
    validate_tensor(output, "output")
    validate_tensor(target, "target")
    validate_not_meta(output, "output")
    validate_not_meta(target, "target")
    validate_real_dtype(output, "output")
    validate_real_dtype(target, "target")
    if not (output.is_floating_point() or target.is_floating_point()):
        raise TypeError(
            f"output must hold floating-point predictions, got dtype {output.dtype} (and "
            f"target {target.dtype}: the mean squared error of two integer tensors is not "
            f"computed; convert with output.float())"
        )
    if output.shape != target.shape:
        raise ValueError(
            f"output and target must have the same shape, got {tuple(output.shape)} and "
            f"{tuple(target.shape)}"
        )
    if output.numel() == 0:
        raise ValueError(
            f"output must hold at least one value, got shape {tuple(output.shape)} (the mean "
            f"squared error of nothing is 0 / 0 = nan)"
        )
    # (0-d tensors may differ: torch takes a 0-d CPU tensor as a number on any device)
    if output.device != target.device and output.dim() > 0:
        raise ValueError(
            f"target must be on the device of output ({output.device}), got {target.device} "
            f"(move it with target.to(output.device))"
        )
    loss = torch.nn.functional.mse_loss(output, target)
    if weights is None:
        validate_penalties(L2_penalty, L1_penalty)
        return loss
    return loss + penalty_terms(weights, L2_penalty, L1_penalty)
