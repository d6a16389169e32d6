"""Self-checks of the convolution tutorial's exercises.

Its exercises are conv2d, ConvolutionalLayer, max_pool and conv_weights.
"""

from __future__ import annotations

import itertools
from functools import partial

import torch
import torch.nn.functional as F

from nma_dl.checks._compare import (
    _build,
    _compare_tensor,
    _hinted,
    _load_parameters,
    _not_an_instance,
)
from nma_dl.checks._core import _call, _documented, _Mismatch, _require_callable, _run
from nma_dl.convolution import conv_weights
from nma_dl.i18n import tr
from nma_dl.models.cnn import CNN
from nma_dl.models.conv import ConvolutionalLayer
from nma_dl.stimuli import filters

__all__ = ["check_ConvolutionalLayer", "check_conv2d", "check_conv_weights", "check_max_pool"]


# (image shape, kernel shape): odd and even image sizes, square and oblong kernels, 1 x 1
_CONV_CASES = [((5, 6), (3, 3)), ((8, 7), (5, 3)), ((4, 4), (1, 1)), ((9, 10), (7, 7))]


def _unpadded():
    return tr(
        "; its windows are cut from the unpadded image, so near the borders they are cut short "
        "or miss the zeros around it: cut every window from the padded image"
    )


class _WatchedImage(torch.Tensor):
    """An image that notes each window cut from it itself (not from a padded copy of it)."""

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        # Only the tensor given to conv2d has `cuts`: what torch makes from it are new objects.
        if func is torch.Tensor.__getitem__ and hasattr(args[0], "cuts"):
            key = args[1] if isinstance(args[1], tuple) else (args[1],)
            if any(isinstance(part, slice) for part in key):
                args[0].cuts += 1
        return super().__torch_function__(func, types, args, kwargs or {})


def _cuts_the_image(func, image, kernel):
    """Whether ``func`` cuts windows out of the image it is given rather than a padded copy."""
    watched = image.clone().as_subclass(_WatchedImage)
    watched.cuts = 0
    try:
        _call("conv2d", func, watched, kernel.clone())
    except _Mismatch:
        pass  # it fails again: what it cut before failing is what tells
    return watched.cuts > 0


def _conv_case(func, image_shape, kernel_shape):
    image, kernel = torch.randn(image_shape), torch.randn(kernel_shape)
    expected = F.conv2d(image[None, None], kernel[None, None], padding="same")[0, 0]
    # An answer that cuts windows out of the unpadded image often fails at its borders.
    with _hinted(None, [(lambda _: _cuts_the_image(func, image, kernel), _unpadded())]):
        got = _call("conv2d", func, image.clone(), kernel.clone())
    with _hinted(got, _conv_mistakes(image, kernel)):
        _compare_tensor(got, expected, tr("the output"))


def _conv_mistakes(image, kernel):
    """Yield the typical mistakes of conv2d, with their hints (see _hinted)."""
    yield (
        F.conv2d(image[None, None], kernel.flip(0, 1)[None, None], padding="same")[0, 0],
        tr(
            "; it equals the result with the kernel flipped: PyTorch's convolution does not "
            "flip it (it is a cross-correlation)"
        ),
    )
    valid = F.conv2d(image[None, None], kernel[None, None])[0, 0]
    yield (
        valid,
        tr("; it equals the unpadded ('valid') result: pad with K // 2 zeros on each side"),
    )
    # Windows of the unpadded image where they fit whole, zeros elsewhere: at the top left
    # (the window starting at the pixel) or in the middle (the window centred on it).
    top_left = torch.zeros_like(image)
    top_left[: valid.shape[0], : valid.shape[1]] = valid
    yield top_left, _unpadded()
    K_h, K_w = kernel.shape
    yield F.pad(valid, (K_w // 2, K_w // 2, K_h // 2, K_h // 2)), _unpadded()


@_documented
def check_conv2d(func):
    """Check the function of Coding Exercise 1.1 of the convolution tutorial.

    Calls ``func(image, kernel)`` on random images of odd and even sizes with square, oblong
    and 1 x 1 kernels (odd sizes) and compares the output with
    ``torch.nn.functional.conv2d(..., padding="same")``, which :func:`nma_dl.conv2d` equals.

    Parameters
    ----------
    func : callable
        The student's ``conv2d(image, kernel)``.

    Examples
    --------
    >>> from nma_dl import conv2d
    >>> result = check_conv2d(conv2d)
    ✓ conv2d: 4/4 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "conv2d", "function")
    cases = [
        (
            tr("a {image} image, a {kernel} kernel", image=i, kernel=k),
            partial(_conv_case, func, i, k),
        )
        for i, k in _CONV_CASES
    ]
    return _run("conv2d", cases)


def _layer_with_filters_case(cls, c_in, c_out, K, shape, example):
    weights = filters(c_out, K) if example else torch.randn(c_out, c_in, K, K)
    what = f"ConvolutionalLayer({c_in}, {c_out}, {K}, filters=...)"
    layer = _build(what, cls, c_in, c_out, K, filters=weights.clone())
    reference = ConvolutionalLayer(c_in, c_out, K, filters=weights)
    _load_parameters_exactly(layer, reference)
    s = torch.randn(shape)
    with torch.no_grad():
        expected = reference(s)
        got = _call(tr("its forward"), layer, s.clone())
        hints = [
            (
                lambda got: (
                    isinstance(got, torch.Tensor) and got.shape[-2:] != expected.shape[-2:]
                ),
                tr("; with padding K // 2 the output keeps the input's height and width"),
            )
        ]
        with _hinted(got, hints):
            _compare_tensor(got, expected, tr("the output"))


def _parameter_hints():
    """Return what the layer's parameters are to hold (said when one differs)."""
    return {
        "conv.weight": tr(": use the given filters as the weights"),
        "conv.bias": tr(": the biases should all be zero"),
    }


def _load_parameters_exactly(layer, reference):
    """Check the layer's weights are the filters and its biases zero (no redrawing)."""
    params = dict(layer.named_parameters())
    for name, wanted in reference.named_parameters():
        if name not in params:
            raise _Mismatch(
                tr("the layer has no parameter {name} (call the Conv2d self.conv)", name=name)
            )
        got = params[name].detach()
        with _hinted(got, [(lambda _: True, _parameter_hints().get(name, ""))]):
            _compare_tensor(got, wanted.detach(), tr("its {name}", name=name), exact=True)


def _layer_random_case(cls, c_in, c_out, K, shape):
    layer = _build(f"ConvolutionalLayer({c_in}, {c_out}, {K})", cls, c_in, c_out, K)
    reference = ConvolutionalLayer(c_in, c_out, K)
    _load_parameters(layer, reference, tr("the layer"))
    s = torch.randn(shape)
    with torch.no_grad():
        got = _call(tr("its forward"), layer, s.clone())
        _compare_tensor(got, reference(s), tr("the output"))


@_documented
def check_ConvolutionalLayer(cls):
    """Check the class of Coding Exercise 3 of the convolution tutorial.

    Builds ``cls(c_in, c_out, K, filters=...)`` with the example filters
    (:func:`nma_dl.filters`) and with random ones, checks that the weights are the filters
    and the biases zero, and compares the outputs with :class:`nma_dl.ConvolutionalLayer`'s
    on random images; then builds one without filters, gives it random weights and compares
    again.

    Parameters
    ----------
    cls : type
        The student's ``ConvolutionalLayer`` class.

    Examples
    --------
    >>> from nma_dl import ConvolutionalLayer
    >>> result = check_ConvolutionalLayer(ConvolutionalLayer)
    ✓ ConvolutionalLayer: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(cls, "cls", "ConvolutionalLayer", "class")
    cases = [
        (
            tr("the example filters, 2 images of 12 x 16"),
            partial(_layer_with_filters_case, cls, 1, 6, 7, (2, 1, 12, 16), True),
        ),
        (
            tr("3 random 5 x 5 filters on 2 input channels, an input of shape (4, 2, 9, 8)"),
            partial(_layer_with_filters_case, cls, 2, 3, 5, (4, 2, 9, 8), False),
        ),
        (
            tr("ConvolutionalLayer(1, 4, 3) without filters, an input of shape (3, 1, 6, 7)"),
            partial(_layer_random_case, cls, 1, 4, 3, (3, 1, 6, 7)),
        ),
    ]
    return _run(
        "ConvolutionalLayer",
        cases,
        precheck=partial(_not_an_instance, cls, "ConvolutionalLayer"),
    )


# (input shape, K): an image, a stack of maps with a remainder, a batch
_POOL_CASES = [((6, 8), 2), ((3, 7, 11), 3), ((2, 3, 12, 16), 4), ((5, 5), 1)]


def _pool_case(func, shape, K):
    x = torch.randn(shape)
    batch = x if x.ndim > 2 else x[None]  # max_pool2d wants (C, H, W) or (N, C, H, W)
    expected = F.max_pool2d(batch, K).reshape(*shape[:-2], shape[-2] // K, shape[-1] // K)
    got = _call(f"max_pool(x, {K})", func, x.clone(), K)
    with _hinted(got, _pool_mistakes(x, K, batch, expected)):
        _compare_tensor(got, expected, tr("the output"))


def _pool_mistakes(x, K, batch, expected):
    """Yield the typical mistakes of max_pool, with their hints (see _hinted)."""
    yield (
        F.avg_pool2d(batch, K).reshape(expected.shape),
        tr("; it equals the mean of each block, not its maximum"),
    )
    rows, cols = x.shape[-2] // K, x.shape[-1] // K
    blocks = x[..., : rows * K, : cols * K].reshape(*x.shape[:-2], rows, K, cols, K)
    if blocks.ndim > 4:  # axes 1 and 3 are those of length K for an image alone
        yield (
            blocks.amax(dim=(1, 3)),
            tr(
                "; it is the maximum over axes 1 and 3 counted from the front, which are the two "
                "axes of length K only for a 2-D image: x may have more axes in front"
            ),
        )
    for axes in itertools.combinations((-4, -3, -2, -1), 2):
        if axes != (-3, -1):
            yield (
                blocks.amax(dim=axes),
                tr(
                    "; it is the maximum over other axes of the (..., rows, K, cols, K) blocks "
                    "than the two axes of length K"
                ),
            )
    yield (
        lambda got: isinstance(got, torch.Tensor) and got.shape == expected.shape,
        tr(
            "; the shape is right but not the values: does each block hold K x K neighbouring "
            "pixels? (reshape to (..., H // K, K, W // K, K))"
        ),
    )


@_documented
def check_max_pool(func):
    """Check the function of the pooling exercise of the convolution tutorial.

    Calls ``func(x, K)`` on an image, a stack of maps whose sides K does not divide, a batch,
    and with K = 1, and compares the output with ``torch.nn.functional.max_pool2d(x, K)``
    (which :func:`nma_dl.max_pool` equals).

    Parameters
    ----------
    func : callable
        The student's ``max_pool(x, K)``.

    Examples
    --------
    >>> from nma_dl import max_pool
    >>> result = check_max_pool(max_pool)
    ✓ max_pool: 4/4 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "max_pool", "function")
    cases = [
        (
            tr("an input of shape {shape}, K = {K}", shape=shape, K=K),
            partial(_pool_case, func, shape, K),
        )
        for shape, K in _POOL_CASES
    ]
    return _run("max_pool", cases)


def _weights_case(func, make_layer):
    layer = make_layer()
    expected = conv_weights(layer).clone()
    got = _call("conv_weights(layer)", func, layer)
    if isinstance(got, torch.nn.Parameter) or (
        isinstance(got, torch.Tensor) and got.requires_grad
    ):
        raise _Mismatch(
            tr(
                "the tensor still requires gradients: take it out of the autograd graph, so "
                "that it can be plotted"
            )
        )
    with _hinted(got, _weights_mistakes(layer, expected)):
        _compare_tensor(got, expected, tr("the result"), exact=True)


def _weights_mistakes(layer, expected):
    """Yield the typical mistakes of conv_weights, with their hints (see _hinted)."""
    bias = layer.conv.bias  # read only now: the student's code was given the layer itself
    yield (
        lambda got: isinstance(got, torch.Tensor) and bias is not None and got.shape == bias.shape,
        tr("; these are the biases (one per channel), not the kernels"),
    )
    yield (
        lambda got: isinstance(got, torch.Tensor) and got.numel() == expected.numel(),
        tr("; keep the weight's shape (c_out, c_in, K, K), as plot_weights expects"),
    )


def _layer_maker(c_in, c_out, K, with_filters):
    def make():
        weights = filters(c_out, K) if with_filters else None
        layer = ConvolutionalLayer(c_in, c_out, K, filters=weights)
        with torch.no_grad():  # random biases too, so that they cannot pass for the weights
            layer.conv.bias.normal_()
        return layer

    return make


def _cnn_maker():
    return CNN(16, 24)


@_documented
def check_conv_weights(func):
    """Check the function of the bonus exercise on a layer's weights (convolution tutorial).

    Calls ``func(layer)`` on a :class:`nma_dl.ConvolutionalLayer` with the example filters,
    one with random filters on two input channels, and a :class:`nma_dl.CNN`, and checks that
    the result holds exactly the convolution's kernels, in their shape (c_out, c_in, K, K),
    and no longer requires gradients, as :func:`nma_dl.conv_weights` returns them.

    Parameters
    ----------
    func : callable
        The student's ``conv_weights(layer)``.

    Examples
    --------
    >>> from nma_dl import conv_weights
    >>> result = check_conv_weights(conv_weights)
    ✓ conv_weights: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "conv_weights", "function")
    makers = [
        (tr("a layer with the 6 example filters of 7 x 7"), _layer_maker(1, 6, 7, True)),
        (tr("a layer with 4 random filters of 2 x 3 x 3"), _layer_maker(2, 4, 3, False)),
        (tr("the CNN of the encoding-model tutorial"), _cnn_maker),
    ]
    cases = [(description, partial(_weights_case, func, make)) for description, make in makers]
    return _run("conv_weights", cases)
