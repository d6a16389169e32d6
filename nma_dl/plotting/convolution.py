"""Figures of convolutions: kernels, activation maps, one convolution step, weight sharing.

The weight-sharing figure compares a convolutional layer with a fully connected one;
:func:`plot_gratings` draws the stimuli alone, before their activations. Every
function draws a new figure with :func:`matplotlib.pyplot.subplots` (so a notebook shows it
at the end of the cell) and returns it. Weights and activations use the diverging ``bwr`` colour
map with a range symmetric about zero, so white is always zero, red positive, blue
negative.
"""

from numbers import Integral

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from nma_dl._validate import Interval, require, tensor_to_numpy, validate_instance, validate_int
from nma_dl.plotting.style import _as_vector, _degrees, _to_numpy

__all__ = [
    "plot_convolution_step",
    "plot_example_activations",
    "plot_gratings",
    "plot_weight_sharing",
    "plot_weights",
]

# Most gratings in one row of plot_gratings: more would shrink each below legibility.
_GRATINGS_PER_ROW = 6


def _channels(channels, n_channels, name="channels"):
    """Return the channel indices to draw, as a list of ints in range."""
    if channels is None:
        return list(range(n_channels))
    if isinstance(channels, (int, np.integer)) and not isinstance(channels, bool):
        channels = [channels]
    if hasattr(channels, "detach"):  # a tensor: np.asarray fails on bfloat16 and meta ones
        channels = tensor_to_numpy(channels, name)
    channels = [
        validate_int(c, name, Interval(Integral, 0)) for c in np.asarray(channels).ravel().tolist()
    ]
    require(len(channels) > 0, name, "a non-empty list of channel indices", channels)
    bad = [c for c in channels if c >= n_channels]
    require(not bad, name, f"indices below the number of channels ({n_channels})", channels)
    return channels


def _symmetric_limit(values):
    limit = float(np.abs(values).max())
    return limit if limit > 0 else 1.0  # an all-zero map still gets a valid colour range


def plot_weights(weights, channels=None, colorbar=True):
    """Show convolution kernels side by side, one panel per channel.

    Works for any number of channels, one included (the original course's version failed
    there: ``plt.subplots`` returns a single axes, not an array, for one panel).

    Parameters
    ----------
    weights : torch.Tensor or numpy.ndarray
        (c_out, c_in, K, K) weights, such as :func:`nma_dl.filters` or a ``Conv2d``'s
        ``weight``; the first input channel is shown.
    channels : int or sequence of int, optional
        The output channels to show; all by default.
    colorbar : bool, default=True
        Whether to add a colour bar for the weights.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    weights = _to_numpy(weights, "weights")
    if weights.ndim != 4:
        raise ValueError(f"weights must have shape (c_out, c_in, K, K), got {weights.shape}")
    channels = _channels(channels, weights.shape[0])
    validate_instance(colorbar, (bool, np.bool_), "colorbar", "a bool")
    limit = _symmetric_limit(weights[channels])
    fig, axes = plt.subplots(
        1, len(channels), figsize=(2.2 * len(channels) + 1.2, 2.6), squeeze=False
    )
    for ax, channel in zip(axes[0], channels, strict=True):
        image = ax.imshow(weights[channel, 0], cmap="bwr", vmin=-limit, vmax=limit)
        ax.set(title=f"channel {channel}", xticks=[], yticks=[])
    if colorbar:
        fig.colorbar(image, ax=list(axes[0]), label="weight", shrink=0.8)
    return fig


def _images(stimuli):
    """Return ``stimuli`` as an (n, H, W) array; a single channel axis (n, 1, H, W) is dropped."""
    stimuli = _to_numpy(stimuli, "stimuli")
    if stimuli.ndim == 4 and stimuli.shape[1] == 1:
        stimuli = stimuli[:, 0]
    if stimuli.ndim != 3:
        raise ValueError(f"stimuli must have shape (n, 1, H, W) or (n, H, W), got {stimuli.shape}")
    return stimuli


def _angles(angles, n):
    """Return one finite angle per stimulus, or ``None``."""
    if angles is None:
        return None
    angles = _as_vector(angles, "angles")
    if len(angles) != n:
        raise ValueError(f"angles must have one angle per stimulus ({n}), got {len(angles)}")
    return angles


def plot_gratings(stimuli, angles=None):
    """Show the stimuli alone, one panel per grating, each titled with its angle.

    The images are drawn in grey levels on one scale symmetric about zero (±0.5 for
    :func:`nma_dl.grating`, as in :func:`plot_example_activations`), so zero, the mean of a
    grating and the background of a patch grating, is mid-grey. Up to six panels a row; more
    gratings wrap onto rows as even as can be, the extra axes of the last removed.

    Parameters
    ----------
    stimuli : torch.Tensor or numpy.ndarray
        (n, 1, H, W) or (n, H, W) images, e.g. a stack of :func:`nma_dl.grating`.
    angles : array-like, optional
        (n,) angle in degrees of each grating, written as its panel's title ("45°").

    Returns
    -------
    matplotlib.figure.Figure
        The figure: one axes per grating, without ticks.
    """
    stimuli = _images(stimuli)
    angles = _angles(angles, len(stimuli))
    n = len(stimuli)
    n_rows = -(-n // _GRATINGS_PER_ROW)
    n_cols = -(-n // n_rows)  # rows as even as can be: 7 gratings are 4 + 3, not 6 + 1
    limit = _symmetric_limit(stimuli)
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(2.2 * n_cols, 1.9 * n_rows + 0.3), squeeze=False
    )
    for i, ax in enumerate(axes.ravel()):
        if i >= n:  # the end of the last row: no empty frame left behind
            fig.delaxes(ax)
            continue
        ax.imshow(stimuli[i], cmap="gray", vmin=-limit, vmax=limit)
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(True)  # a whole frame: white stripes meet the white page
        if angles is not None:
            ax.set_title(_degrees(angles[i]), fontsize=12)
    return fig


def plot_example_activations(stimuli, act, channels, angles=None):
    """Show stimuli (first column) and their activation maps in chosen channels (one row each).

    Parameters
    ----------
    stimuli : torch.Tensor or numpy.ndarray
        (n, 1, H, W) or (n, H, W) images.
    act : torch.Tensor or numpy.ndarray
        (n, c_out, H, W) activations of a convolutional layer for those images.
    channels : int or sequence of int
        The channels to show, one column each.
    angles : array-like, optional
        (n,) angle in degrees of each stimulus: each row is labelled with it ("45°", the
        y-label of the stimulus on the left).

    Returns
    -------
    matplotlib.figure.Figure
        The figure: ``n`` rows, ``1 + len(channels)`` columns, one shared colour bar labelled
        "activation strength" with a range symmetric about zero.
    """
    stimuli = _images(stimuli)
    act = _to_numpy(act, "act")
    if act.ndim != 4 or act.shape[0] != stimuli.shape[0]:
        raise ValueError(
            f"act must have shape (n, c_out, H, W) with n = {stimuli.shape[0]} (one per "
            f"stimulus), got {act.shape}"
        )
    channels = _channels(channels, act.shape[1])
    angles = _angles(angles, len(stimuli))
    n_rows, n_cols = stimuli.shape[0], 1 + len(channels)
    limit = _symmetric_limit(act[:, channels])
    fig, axes = plt.subplots(
        n_rows, n_cols, figsize=(1.9 * n_cols + 1.2, 1.5 * n_rows + 0.6), squeeze=False
    )
    for row in range(n_rows):
        axes[row, 0].imshow(stimuli[row], cmap="gray", vmin=-0.5, vmax=0.5)
        if angles is not None:  # written level, to be read at a glance
            axes[row, 0].set_ylabel(
                _degrees(angles[row]), fontsize=12, rotation=0, ha="right", va="center"
            )
        for col, channel in enumerate(channels, 1):
            image = axes[row, col].imshow(act[row, channel], cmap="bwr", vmin=-limit, vmax=limit)
    for ax in axes.ravel():
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(True)  # a whole frame: white stripes and zeros meet the page
    axes[0, 0].set_title("stimulus", fontsize=12)
    for col, channel in enumerate(channels, 1):
        axes[0, col].set_title(f"channel {channel}", fontsize=12)
    fig.colorbar(image, ax=list(axes.ravel()), label="activation strength", shrink=0.6)
    return fig


def plot_convolution_step(image, kernel, row, col):
    """Illustrate one output pixel of a convolution: window, kernel, products and their sum.

    Four panels: the zero-padded image with the window under the kernel outlined; the kernel;
    the element-wise products of the two, written in their cells; the output map so far (the
    pixels before ``(row, col)`` in reading order) with the new pixel outlined.

    Parameters
    ----------
    image : torch.Tensor or numpy.ndarray
        (H, W) small image (a few pixels each way, so the numbers fit).
    kernel : torch.Tensor or numpy.ndarray
        (K, K) kernel, K odd.
    row, col : int
        The output pixel computed.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    image = _to_numpy(image, "image")
    kernel = _to_numpy(kernel, "kernel")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    if kernel.ndim != 2 or kernel.shape[0] != kernel.shape[1] or kernel.shape[0] % 2 == 0:
        raise ValueError(f"kernel must be (K, K) with K odd, got shape {kernel.shape}")
    height, width = image.shape
    row = validate_int(row, "row", Interval(Integral, 0, height - 1, text=f"in [0, {height - 1}]"))
    col = validate_int(col, "col", Interval(Integral, 0, width - 1, text=f"in [0, {width - 1}]"))
    K = kernel.shape[0]
    pad = K // 2
    padded = np.pad(image, pad)
    window = padded[row : row + K, col : col + K]
    products = window * kernel
    # the output so far, in reading order: rows above, and this row up to this pixel
    output = np.full(image.shape, np.nan)
    for i in range(height):
        for j in range(width):
            if (i, j) <= (row, col):
                output[i, j] = (padded[i : i + K, j : j + K] * kernel).sum()
    fig, axes = plt.subplots(1, 4, figsize=(15, 4.2), width_ratios=[padded.shape[1], K, K, width])
    panels = [
        (padded, "input (zero-padded)"),
        (kernel, "kernel"),
        (products, "window × kernel"),
        (output, f"output: {output[row, col]:g} at ({row}, {col})"),
    ]
    limit = _symmetric_limit(np.concatenate([a[np.isfinite(a)].ravel() for a, _ in panels]))
    for ax, (values, title) in zip(axes, panels, strict=True):
        ax.imshow(values, cmap="bwr", vmin=-limit, vmax=limit)
        ax.set(title=title, xticks=[], yticks=[])
        for (i, j), v in np.ndenumerate(values):
            if np.isfinite(v):
                # + 0.0 prints -0 (a zero times a negative weight) as 0
                ax.text(j, i, f"{v + 0.0:g}", ha="center", va="center", fontsize=9)
    box = {"fill": False, "linewidth": 2.5, "edgecolor": "black"}
    axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), K, K, **box))
    axes[0].add_patch(
        Rectangle((pad - 0.5, pad - 0.5), width, height, fill=False, linestyle=":", linewidth=1)
    )
    axes[3].add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, **box))
    return fig


def plot_weight_sharing(n_inputs=9, K=3):
    """Compare the connections of a fully connected layer and a convolutional one, in 1-D.

    ``n_inputs`` input units (bottom) connect to as many output units (top). Left: every
    output connects to every input, each line with its own weight (its own colour). Right: a
    convolution; each output connects only to the ``K`` inputs below it (its local receptive
    field, zero padding at the ends), and the same ``K`` weights, in the same colours, are
    reused at every position. The panel titles give the number of weights.

    Parameters
    ----------
    n_inputs : int, default=9
        Number of input (and output) units.
    K : int, default=3
        Kernel size, odd and at most ``n_inputs``.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    n_inputs = validate_int(n_inputs, "n_inputs", Interval(Integral, 2))
    K = validate_int(
        K, "K", Interval(Integral, 1, n_inputs, text=f"an odd int in [1, {n_inputs}]")
    )
    require(K % 2 == 1, "K", f"an odd int in [1, {n_inputs}]", K)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    cmap = plt.get_cmap("viridis")
    rng = np.random.default_rng(0)  # only the colours of the fully connected lines
    x = np.arange(n_inputs)
    shared = [cmap(0.1 + 0.8 * k / max(K - 1, 1)) for k in range(K)]
    for ax, dense in zip(axes, (True, False), strict=True):
        for out in range(n_inputs):
            sources = x if dense else [out + k - K // 2 for k in range(K)]
            for k, src in enumerate(sources):
                if 0 <= src < n_inputs:
                    color = cmap(rng.random()) if dense else shared[k]
                    ax.plot([src, out], [0, 1], color=color, linewidth=1 if dense else 2.5)
        ax.scatter(x, np.zeros(n_inputs), s=180, color="0.3", zorder=3)
        ax.scatter(x, np.ones(n_inputs), s=180, color="0.3", zorder=3)
        ax.set(xticks=[], yticks=[0, 1], yticklabels=["input", "output"], ylim=(-0.25, 1.25))
        ax.spines[:].set_visible(False)
        n_weights = n_inputs * n_inputs if dense else K
        kind = "fully connected" if dense else f"convolution, K = {K}"
        ax.set_title(f"{kind}: {n_weights} weights")
    fig.tight_layout()
    return fig
