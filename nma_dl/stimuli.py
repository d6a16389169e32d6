"""What the stimuli are and how they are labelled: orientation classes, gratings, filters.

:func:`stimulus_class` cuts the circle of grating orientations into equal bins and gives each
orientation the index of its bin, the label a classifier of orientations learns.
:func:`grating` draws the square-wave gratings the convolutional tutorials show to their
networks, and :func:`filters` the center-surround and Gabor kernels those networks start from.
"""

import math
from numbers import Integral, Real

import numpy as np
import torch

from nma_dl._validate import (
    Interval,
    check_array,
    require,
    validate_column,
    validate_instance,
    validate_int,
    validate_memory,
    validate_real,
    validate_steps,
)

__all__ = ["filters", "gabor", "grating", "stimulus_class"]


def stimulus_class(ori, n_classes):
    """Class of each orientation when 0-360 degrees is cut into equal bins.

    Class ``k`` holds the orientations in ``[k * 360 / n_classes,
    (k + 1) * 360 / n_classes)``. 360 degrees is the same direction as 0 and gets class 0 (the
    original's binning put it in a class ``n_classes`` that does not exist).

    Parameters
    ----------
    ori : torch.Tensor or numpy.ndarray
        (n,) or (n, 1) orientations in degrees, in ``[0, 360]``.
    n_classes : int
        Number of bins, at least 1. The bin edges take 8 bytes each: above the memory limit of
        :func:`nma_dl._validate.validate_memory` (4 GB, about 5e8 classes; environment variable
        ``NMA_DL_MAX_MEMORY_GB``) a ValueError says so before anything is allocated.

    Returns
    -------
    torch.Tensor
        (n,) int64 class of each orientation, on the CPU (the label type
        ``nn.NLLLoss`` and ``nn.CrossEntropyLoss`` expect).

    Examples
    --------
    >>> stimulus_class(torch.tensor([[0.0], [44.9], [45.0], [359.9], [360.0]]), 8)
    tensor([0, 0, 1, 7, 0])
    """
    n_classes = validate_int(n_classes, "n_classes", Interval(Integral, 1))
    validate_memory(8 * (n_classes + 1), f"stimulus_class(n_classes={n_classes}) (its bin edges)")
    values = check_array(
        ori, "ori", expected="a torch.Tensor or numpy array", dtype=None, allow_bool=False
    )
    validate_column(values, "ori")
    values = values.reshape(-1)
    outside = ~((values >= 0) & (values <= 360))  # NaN counts as outside
    if outside.any():
        raise ValueError(
            f"ori must be orientations in [0, 360] degrees, got {values[outside][0]!r} "
            f"({outside.sum()} value(s) outside)"
        )
    values = np.where(values == 360, 0, values)
    edges = np.linspace(0, 360, n_classes + 1)
    return torch.as_tensor(np.digitize(values, edges) - 1, dtype=torch.int64)


#: Image size in pixels (height, width) at ``res=1``; ``grating`` scales both by ``res``.
GRATING_FULL_SIZE = (480, 640)


def grating(angle, sf=1 / 28, res=0.1, patch=False, *, phase=0.0):
    """Draw a square-wave grating image, values -0.5 (dark) and +0.5 (bright).

    Pixel ``(row, col)`` is bright where ``cos(2 pi (col cos(angle) + row sin(angle)) /
    period + phase) > 0``, with a period of ``2 pi res / sf`` pixels (17.6 pixels at the
    defaults). The stripes are vertical at ``angle=0`` and turn clockwise on screen (rows grow
    downwards) as the angle grows. Orientation is defined modulo 180 degrees: ``angle`` and
    ``angle + 180`` (with the opposite phase) draw the same image, so -90 and +90 give the same
    horizontal stripes.

    Parameters
    ----------
    angle : float
        Orientation in degrees, measured from vertical.
    sf : float, default=1/28
        Spatial frequency in radians per pixel of the full-size (``res=1``) image.
    res : float, default=0.1
        Resolution: the image has ``round(480 res)`` x ``round(640 res)`` pixels (48 x 64 at
        0.1, 12 x 16 at 0.025). Must give at least one pixel each way, and an image within
        the memory limit of :func:`nma_dl._validate.validate_memory` (about 64 bytes a pixel
        while drawing: ``res`` up to about 14 under the default 4 GB).
    patch : bool, default=False
        If true, the grating fills only a disk of diameter ``640 res / 3`` centered at 3/4 of
        the width (elsewhere the image is 0, mid-grey), and its phase is shifted by 0.1 rad as
        in the original course.
    phase : float, default=0.0
        Keyword only (not in the original): phase of the stripes in degrees; 360 is one period.
        Increasing it moves the stripes by ``period * phase / 360`` pixels against the
        direction ``(cos(angle), sin(angle))``.

    Returns
    -------
    torch.Tensor
        (H, W) float32 image on the CPU. Stack several with ``torch.stack(...).unsqueeze(1)``
        to get the (n, 1, H, W) input ``nn.Conv2d`` expects.

    Examples
    --------
    >>> grating(0).shape
    torch.Size([48, 64])
    >>> torch.equal(grating(90), grating(-90))
    True
    """
    angle = validate_real(angle, "angle")
    sf = validate_real(sf, "sf", Interval(Real, 0, closed="neither"))
    res = validate_real(res, "res", Interval(Real, 0, closed="neither"))
    validate_instance(patch, (bool, np.bool_), "patch", "a bool")
    phase = validate_real(phase, "phase")
    height, width = (round(n * res) for n in GRATING_FULL_SIZE)
    require(min(height, width) >= 1, "res", "large enough for a 1-pixel image (>= 1/960)", res)
    # The pixel grids, the wave and the image: about eight float64 arrays of the image's size.
    validate_memory(
        64.0 * height * width, f"grating(res={res!r}) (an image of {height} x {width} pixels)"
    )

    # Reduce the orientation to [-90, 90): angle + 180 is the same grating with the opposite
    # phase, and the reduction makes +90 and -90 exactly equal, not equal up to rounding.
    turns = math.floor((angle + 90) / 180)
    angle, phase = angle - 180 * turns, phase * (-1) ** turns
    theta = np.deg2rad(angle + (np.rad2deg(0.1) if patch else 0.0))
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    # sf / res radians per pixel: the same stripes in fewer pixels as res shrinks
    wave = np.cos(sf / res * (cols * np.cos(theta) + rows * np.sin(theta)) + np.deg2rad(phase))
    image = np.where(wave > 0, 0.5, -0.5)
    if patch:
        inside = np.hypot(cols - 0.75 * width, rows - height / 2) < GRATING_FULL_SIZE[1] * res / 6
        image = np.where(inside, image, 0.0)
    return torch.from_numpy(image.astype(np.float32))


#: Envelope widths (pixels) of :func:`filters`: the center and surround of the center-surround
#: filter, and the Gaussian envelope of the Gabors.
FILTER_SIGMAS = {"center": 1.1, "surround": 2.2, "gabor": 2.0}
#: Wavelength (pixels) and phase (radians) of the Gabor filters: odd (sine-phase) Gabors.
GABOR_WAVELENGTH, GABOR_PHASE = 10.0, np.pi / 2


def filters(out_channels=6, K=7):
    """Make example convolution kernels: a center-surround pair and oriented Gabors.

    Channel 0 is a difference of Gaussians (center width 1.1 pixels minus half of a surround of
    width 2.2 pixels), an "on-center" filter; channel 1 is its negative ("off-center").
    Channels 2 to ``out_channels - 1`` are odd-phase Gabors (wavelength 10 pixels, phase pi/2,
    Gaussian envelope of width 2 pixels) at orientations ``180 * i / (out_channels - 2)``
    degrees, i = 0, 1, ...: with the defaults 0, 45, 90 and 135. Gabor channel ``2 + i`` prefers
    the grating of that angle, ``grating(180 * i / (out_channels - 2))``. Each filter is scaled
    to a largest absolute weight of 1, then its mean is subtracted, so a uniform image gives
    zero output.

    Differences from the original course's ``filters``: its "Gaussian" envelopes were
    ``exp(-r / (2 sigma^2))`` (the distance, not its square) and its Gabor envelope was so
    narrow (sigma 0.44) that its "Gabors" were 3-pixel edge detectors; here the envelopes are
    true Gaussians ``exp(-r^2 / (2 sigma^2))`` with a Gabor width that shows both lobes on the
    7 x 7 grid. Pixel offsets are integers (the original spread K points over [-K/2, K/2]),
    and the Gabor orientations follow :func:`grating`'s convention (the original's channels 2
    to 5 preferred gratings at 90, 45, 0 and 135 degrees).

    Parameters
    ----------
    out_channels : int, default=6
        Number of filters, at least 2 (the center-surround pair); at most 1e5 (the limit of
        :func:`nma_dl._validate.validate_steps`, a kernel counting as 100 of its steps).
    K : int, default=7
        Kernel size in pixels, a positive odd int, so that each kernel has a center pixel.
        The kernels must fit in the memory limit of :func:`nma_dl._validate.validate_memory`.

    Returns
    -------
    torch.Tensor
        (out_channels, 1, K, K) float32 weights, the shape of the ``weight`` of
        ``nn.Conv2d(1, out_channels, K)``.

    Examples
    --------
    >>> w = filters()
    >>> w.shape, w.dtype
    (torch.Size([6, 1, 7, 7]), torch.float32)
    >>> torch.equal(w[1], -w[0])
    True
    """
    out_channels = validate_int(out_channels, "out_channels", Interval(Integral, 2))
    K = validate_int(K, "K", Interval(Integral, 1, None, text="a positive odd int"))
    require(K % 2 == 1, "K", "a positive odd int", K)
    validate_steps(
        _KERNEL_COST * out_channels,
        f"filters(out_channels={out_channels}) (a Python loop making out_channels kernels, "
        f"each counted as {_KERNEL_COST} steps)",
    )
    # The stacked kernels twice (float64, then float32), and one kernel's temporaries.
    validate_memory(
        12.0 * out_channels * K * K + _KERNEL_BYTES * K * K,
        f"filters(out_channels={out_channels}, K={K}) ({out_channels} kernels of {K} x {K})",
    )
    rows, cols = _kernel_grid(K)
    r2 = rows**2 + cols**2
    center = _gaussian(r2, FILTER_SIGMAS["center"]) - 0.5 * _gaussian(
        r2, FILTER_SIGMAS["surround"]
    )
    kernels = [center, -center]
    for angle in np.arange(out_channels - 2) * 180 / (out_channels - 2):
        kernels.append(_gabor(K, angle, GABOR_WAVELENGTH, FILTER_SIGMAS["gabor"], GABOR_PHASE))
    kernels = np.stack(kernels)
    kernels /= np.abs(kernels).max(axis=(1, 2), keepdims=True)
    kernels -= kernels.mean(axis=(1, 2), keepdims=True)
    return torch.from_numpy(kernels.astype(np.float32)).unsqueeze(1)


def gabor(K, angle, wavelength, sigma, phase=0.0):
    """Make one Gabor kernel: a cosine grating under a Gaussian envelope.

    ``w(row, col) = exp(-(row^2 + col^2) / (2 sigma^2)) * cos(2 pi u / wavelength + phase)``
    with ``u = col cos(angle) + row sin(angle)``, offsets counted from the center pixel: the
    projection :func:`grating` uses, so the kernel prefers ``grating(angle)``. Phase 0 gives
    an even (bar-detecting) kernel, pi/2 an odd (edge-detecting) one; the two form a
    quadrature pair. Unlike :func:`filters`, the kernel is neither rescaled nor made zero-mean.

    Parameters
    ----------
    K : int
        Kernel size, a positive odd int, within the memory limit of
        :func:`nma_dl._validate.validate_memory` (about 64 bytes a pixel while it is made:
        ``K`` up to about 7,900 under the default 4 GB).
    angle : float
        Preferred grating orientation in degrees (from vertical).
    wavelength : float
        Period of the cosine in pixels, > 0.
    sigma : float
        Width of the Gaussian envelope in pixels, > 0.
    phase : float, default=0.0
        Phase of the cosine in radians.

    Returns
    -------
    torch.Tensor
        (K, K) float32 kernel.

    Examples
    --------
    >>> gabor(5, 0, 10, 2).shape
    torch.Size([5, 5])
    """
    K = validate_int(K, "K", Interval(Integral, 1, None, text="a positive odd int"))
    require(K % 2 == 1, "K", "a positive odd int", K)
    validate_memory(_KERNEL_BYTES * K * K, f"gabor(K={K}) (a kernel of {K} x {K})")
    angle = validate_real(angle, "angle")
    wavelength = validate_real(wavelength, "wavelength", Interval(Real, 0, closed="neither"))
    sigma = validate_real(sigma, "sigma", Interval(Real, 0, closed="neither"))
    phase = validate_real(phase, "phase")
    return torch.from_numpy(_gabor(K, angle, wavelength, sigma, phase).astype(np.float32))


#: Bytes a K x K kernel takes while it is made, per pixel: its grids and temporaries, about
#: eight float64 arrays.
_KERNEL_BYTES = 64.0
#: What making one kernel (a dozen NumPy operations) counts for in the limit of
#: :func:`nma_dl._validate.validate_steps`: the default limit of 1e7 allows 1e5 kernels.
_KERNEL_COST = 100


def _kernel_grid(K):
    """Integer (row, col) offsets from the center pixel of a K x K kernel."""
    offsets = np.arange(K) - K // 2
    return np.meshgrid(offsets, offsets, indexing="ij")


def _gaussian(r2, sigma):
    return np.exp(-r2 / (2 * sigma**2))


def _gabor(K, angle, wavelength, sigma, phase):
    rows, cols = _kernel_grid(K)
    theta = np.deg2rad(angle)
    along = cols * np.cos(theta) + rows * np.sin(theta)  # grating()'s projection
    wave = np.cos(2 * np.pi * along / wavelength + phase)
    return _gaussian(rows**2 + cols**2, sigma) * wave
