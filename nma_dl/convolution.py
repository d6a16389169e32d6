"""Convolution and pooling by hand, parameter counts, and simple and complex cells.

:func:`conv2d` and :func:`max_pool` are the twins of the convolutional-network tutorial's
exercises: they compute what ``torch.nn.functional.conv2d`` (with "same" zero padding) and
``torch.nn.functional.max_pool2d`` compute, for one image, written out so that each step shows.
:func:`count_parameters` counts a network's parameters, also for a layer built on PyTorch's
``"meta"`` device (shapes without memory), which is how the tutorial counts the 56.6 million
weights of a fully connected layer without allocating them. :func:`conv_weights`, the twin of the
bonus exercise, takes a layer's kernels out of the autograd graph so that they can be plotted.
:func:`simple_and_complex_cells`
models a V1 simple cell (one rectified Gabor) and a complex cell (the energy of a quadrature
pair of Gabors).
"""

import math
from numbers import Integral

import torch
import torch.nn.functional as F
from torch import nn

from nma_dl._validate import (
    Interval,
    validate_instance,
    validate_int,
    validate_memory,
    validate_tensor,
)
from nma_dl.stimuli import gabor

__all__ = ["conv2d", "conv_weights", "count_parameters", "max_pool", "simple_and_complex_cells"]

#: Period in pixels of :func:`nma_dl.grating` at its defaults (sf 1/28, res 0.1): 2 pi res / sf.
GRATING_PERIOD = 2 * math.pi * 0.1 * 28


def _validate_image(value, name):
    validate_tensor(value, name)
    if value.ndim != 2:
        raise ValueError(f"{name} must be a 2-D (H, W) tensor, got shape {tuple(value.shape)}")
    if not value.is_floating_point():
        raise TypeError(f"{name} must hold floating-point numbers, got dtype {value.dtype}")


def conv2d(image, kernel):
    """Convolve one image with one kernel as PyTorch does, keeping the image's size.

    PyTorch's "convolution" is a cross-correlation (the kernel is not flipped)::

        out[i, j] = sum over k, l of kernel[k, l] * padded[i + k, j + l]

    where ``padded`` is the image with ``K // 2`` zeros added on each side, so the output has
    the image's size. Equal to ``F.conv2d(image[None, None], kernel[None, None],
    padding="same")[0, 0]``.

    Parameters
    ----------
    image : torch.Tensor
        (H, W) floating-point image.
    kernel : torch.Tensor
        (K_h, K_w) kernel of the image's dtype and device; both sizes odd. The windows of the
        image take ``K_h * K_w`` times its memory, within the limit of
        :func:`nma_dl._validate.validate_memory`.

    Returns
    -------
    torch.Tensor
        (H, W) output, of the image's dtype.

    Examples
    --------
    >>> conv2d(torch.eye(3), torch.ones(3, 3))
    tensor([[2., 2., 1.],
            [2., 3., 2.],
            [1., 2., 2.]])
    """
    _validate_image(image, "image")
    _validate_image(kernel, "kernel")
    k_h, k_w = kernel.shape
    if k_h % 2 == 0 or k_w % 2 == 0:
        raise ValueError(
            f"kernel must have odd sizes (a center pixel for 'same' padding), got shape "
            f"{tuple(kernel.shape)}"
        )
    if kernel.dtype != image.dtype:
        raise TypeError(f"kernel must have the image's dtype {image.dtype}, got {kernel.dtype}")
    if kernel.device != image.device:
        raise ValueError(
            f"kernel must be on the image's device {image.device}, got {kernel.device} (move "
            f"it with kernel.to({str(image.device)!r}))"
        )
    height, width = image.shape
    # unfold copies every K_h x K_w window: the image's size times the kernel's.
    validate_memory(
        image.element_size() * (k_h * k_w + 1) * (height + k_h) * (width + k_w),
        f"conv2d(image of {height} x {width}, kernel of {k_h} x {k_w}) (every window of the "
        f"image under the kernel, as a column)",
    )
    padded = F.pad(image, (k_w // 2, k_w // 2, k_h // 2, k_h // 2))
    # every K_h x K_w window as a column, one per output pixel: (K_h * K_w, H * W)
    windows = F.unfold(padded[None, None], (k_h, k_w))[0]
    return (kernel.reshape(1, -1) @ windows).reshape(height, width)


def max_pool(x, K):
    """Max pooling: the largest value of each non-overlapping K x K block of the last two axes.

    Rows and columns that do not fill a whole block are dropped, so an (H, W) image gives
    ``(H // K, W // K)``. Equal to ``F.max_pool2d(x, K)`` for (C, H, W) or (N, C, H, W) input.

    Parameters
    ----------
    x : torch.Tensor
        (..., H, W) floating-point tensor: an image, a stack of maps, a batch.
    K : int
        Block size, between 1 and ``min(H, W)``.

    Returns
    -------
    torch.Tensor
        (..., H // K, W // K) tensor of ``x``'s dtype.

    Examples
    --------
    >>> max_pool(torch.arange(16.0).reshape(4, 4), 2)
    tensor([[ 5.,  7.],
            [13., 15.]])
    """
    validate_tensor(x, "x")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 axes (..., H, W), got shape {tuple(x.shape)}")
    if not x.is_floating_point():
        raise TypeError(f"x must hold floating-point numbers, got dtype {x.dtype}")
    height, width = x.shape[-2:]
    K = validate_int(K, "K", Interval(Integral, 1, min(height, width), text=_pool_bound(x)))
    rows, cols = height // K, width // K
    blocks = x[..., : rows * K, : cols * K].reshape(*x.shape[:-2], rows, K, cols, K)
    return blocks.amax(dim=(-3, -1))


def _pool_bound(x):
    return f"an int between 1 and min(H, W) = {min(x.shape[-2:])}"


def count_parameters(module):
    """Count the numbers a network learns: the elements of all its parameters.

    Works on a module built with ``device="meta"``, which has shapes but no memory.

    Parameters
    ----------
    module : torch.nn.Module
        The network or layer.

    Returns
    -------
    int
        ``sum(p.numel() for p in module.parameters())``.

    Examples
    --------
    >>> count_parameters(nn.Conv2d(1, 6, 7))
    300
    >>> count_parameters(nn.Linear(48 * 64, 6 * 48 * 64, device="meta"))
    56641536
    """
    validate_instance(module, nn.Module, "module", "a torch.nn.Module")
    return sum(p.numel() for p in module.parameters())


def conv_weights(layer):
    """Return the kernels of a network's convolutional layer, detached from the autograd graph.

    A layer's weights are an ``nn.Parameter`` that records every operation on it for the
    gradients; ``detach()`` gives a plain tensor of the same numbers (sharing their memory),
    which NumPy and matplotlib accept.

    Parameters
    ----------
    layer : torch.nn.Module
        A module whose convolution is its attribute ``conv``, a ``torch.nn.Conv2d``:
        :class:`nma_dl.ConvolutionalLayer`, :class:`nma_dl.CNN`, :class:`nma_dl.ConvFC`.

    Returns
    -------
    torch.Tensor
        ``layer.conv.weight.detach()``, of shape (c_out, c_in, K, K): one kernel per output
        channel, each spanning all input channels.

    Examples
    --------
    >>> from nma_dl import ConvolutionalLayer, filters
    >>> weights = conv_weights(ConvolutionalLayer(1, 6, 7, filters=filters()))
    >>> tuple(weights.shape), weights.requires_grad
    ((6, 1, 7, 7), False)
    """
    validate_instance(layer, nn.Module, "layer", "a torch.nn.Module with a Conv2d named conv")
    conv = getattr(layer, "conv", None)
    if not isinstance(conv, nn.Conv2d):
        raise TypeError(
            f"layer must have its convolution, a torch.nn.Conv2d, as its attribute conv (as "
            f"ConvolutionalLayer and CNN do); {type(layer).__name__}.conv is "
            f"{type(conv).__name__}"
        )
    return conv.weight.detach()


def simple_and_complex_cells(images, angle=0.0, K=37, wavelength=GRATING_PERIOD, sigma=6.0):
    """Responses of a model simple cell and a model complex cell at every pixel.

    Two Gabor kernels of the same orientation, wavelength and envelope (:func:`nma_dl.gabor`)
    but phases 90 degrees apart form a quadrature pair: ``even`` (phase 0, made zero-sum by
    removing a multiple of its envelope) and ``odd`` (phase pi/2). The simple cell is one
    rectified Gabor, ``relu(odd * image)``; it fires only where the stripes line up with its
    lobes. The complex cell is the energy model (Adelson and Bergen 1985),
    ``sqrt((even * image)^2 + (odd * image)^2)``: the squares are rectified responses of the
    pair (and of their negatives), and since a shift of the stripes trades response between
    the two like cos and sin, their energy barely depends on where the stripes are.

    Parameters
    ----------
    images : torch.Tensor
        (n, H, W) float32 images, e.g. stacked :func:`nma_dl.grating` images.
    angle : float, default=0.0
        Preferred orientation in degrees.
    K : int, default=37
        Kernel size, a positive odd int (37 holds the envelope out to 3 sigma).
    wavelength : float, default=GRATING_PERIOD
        Preferred period in pixels (default: that of the default grating, 17.6).
    sigma : float, default=6.0
        Width of the Gaussian envelope in pixels. Wide enough that the envelope spans about
        two periods: narrower, the DC correction weakens the even Gabor and the energy starts
        to depend on the phase.

    Returns
    -------
    simple, complex : torch.Tensor
        (n, H, W) responses, zero-padded convolutions ("same" size).
    """
    validate_tensor(images, "images")
    if images.ndim != 3 or images.dtype != torch.float32:
        raise ValueError(
            f"images must be an (n, H, W) float32 tensor, got shape {tuple(images.shape)} and "
            f"dtype {images.dtype}"
        )
    pair = torch.stack(
        [gabor(K, angle, wavelength, sigma, phase) for phase in (0.0, math.pi / 2)]
    ).unsqueeze(1)
    # The even Gabor sums to more than zero, so it would respond to uniform light and to
    # stripes of the other orientation; removing its envelope times that excess (the "DC
    # correction" of Morlet wavelets) makes every line across its stripes sum to zero.
    offsets = torch.arange(K, dtype=torch.float32) - K // 2
    envelope = torch.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * sigma**2))
    pair[0, 0] -= pair[0, 0].sum() / envelope.sum() * envelope
    # gabor() checks K, angle, wavelength and sigma
    with torch.no_grad():
        even, odd = F.conv2d(images.unsqueeze(1), pair, padding=K // 2).unbind(dim=1)
    return torch.relu(odd), torch.sqrt(even**2 + odd**2)
