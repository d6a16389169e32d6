"""Self-checks of the convolution tutorial's exercises: conv2d, ConvolutionalLayer, max_pool."""

from __future__ import annotations

from functools import partial

from nma_dl.checks._core import (
    _build,
    _call,
    _close,
    _compare_tensor,
    _documented,
    _load_parameters,
    _Mismatch,
    _not_an_instance,
    _require_callable,
    _run,
)

__all__ = ["check_ConvolutionalLayer", "check_conv2d", "check_max_pool"]


# (image shape, kernel shape): odd and even image sizes, square and oblong kernels, 1 x 1
_CONV_CASES = [((5, 6), (3, 3)), ((8, 7), (5, 3)), ((4, 4), (1, 1)), ((9, 10), (7, 7))]


def _conv_case(func, image_shape, kernel_shape):
    import torch
    import torch.nn.functional as F

    image, kernel = torch.randn(image_shape), torch.randn(kernel_shape)
    expected = F.conv2d(image[None, None], kernel[None, None], padding="same")[0, 0]
    got = _call("conv2d", func, image.clone(), kernel.clone())
    try:
        _compare_tensor(got, expected, "the output")
    except _Mismatch as mismatch:
        hint = ""
        flipped = F.conv2d(image[None, None], kernel.flip(0, 1)[None, None], padding="same")
        valid = F.conv2d(image[None, None], kernel[None, None])[0, 0]
        if _close(got, flipped[0, 0], 1e-4, 1e-5):
            hint = (
                "; it equals the result with the kernel flipped: PyTorch's convolution does "
                "not flip it (it is a cross-correlation)"
            )
        elif _close(got, valid, 1e-4, 1e-5):
            hint = "; it equals the unpadded ('valid') result: pad with K // 2 zeros on each side"
        raise _Mismatch(f"{mismatch}{hint}") from None


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
    >>> check_conv2d(conv2d)  # doctest: +SKIP
    ✓ conv2d: 4/4 cases match the reference.
    """
    _require_callable(func, "func", "conv2d", "function")
    cases = [
        (f"a {i} image, a {k} kernel", partial(_conv_case, func, i, k)) for i, k in _CONV_CASES
    ]
    return _run("conv2d", cases)


def _layer_with_filters_case(cls, c_in, c_out, K, shape, example):
    import torch

    from nma_dl import ConvolutionalLayer, filters

    weights = filters(c_out, K) if example else torch.randn(c_out, c_in, K, K)
    what = f"ConvolutionalLayer({c_in}, {c_out}, {K}, filters=...)"
    layer = _build(what, cls, c_in, c_out, K, filters=weights.clone())
    reference = ConvolutionalLayer(c_in, c_out, K, filters=weights)
    _load_parameters_exactly(layer, reference)
    s = torch.randn(shape)
    with torch.no_grad():
        expected = reference(s)
        got = _call("its forward", layer, s.clone())
        try:
            _compare_tensor(got, expected, "the output")
        except _Mismatch as mismatch:
            hint = ""
            if isinstance(got, torch.Tensor) and got.shape[-2:] != expected.shape[-2:]:
                hint = "; with padding K // 2 the output keeps the input's height and width"
            raise _Mismatch(f"{mismatch}{hint}") from None


def _load_parameters_exactly(layer, reference):
    """Check the layer's weights are the filters and its biases zero (no redrawing)."""
    params = dict(layer.named_parameters())
    for name, wanted in reference.named_parameters():
        if name not in params:
            raise _Mismatch(f"the layer has no parameter {name} (call the Conv2d self.conv)")
        try:
            _compare_tensor(params[name].detach(), wanted.detach(), f"its {name}", exact=True)
        except _Mismatch as mismatch:
            hint = {
                "conv.weight": ": use the given filters as the weights",
                "conv.bias": ": the biases should all be zero",
            }.get(name, "")
            raise _Mismatch(f"{mismatch}{hint}") from None


def _layer_random_case(cls, c_in, c_out, K, shape):
    import torch

    from nma_dl import ConvolutionalLayer

    layer = _build(f"ConvolutionalLayer({c_in}, {c_out}, {K})", cls, c_in, c_out, K)
    reference = ConvolutionalLayer(c_in, c_out, K)
    _load_parameters(layer, reference, "the layer")
    s = torch.randn(shape)
    with torch.no_grad():
        _compare_tensor(_call("its forward", layer, s.clone()), reference(s), "the output")


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
    >>> check_ConvolutionalLayer(ConvolutionalLayer)  # doctest: +SKIP
    ✓ ConvolutionalLayer: 3/3 cases match the reference.
    """
    _require_callable(cls, "cls", "ConvolutionalLayer", "class")
    cases = [
        (
            "the example filters, 2 images of 12 x 16",
            partial(_layer_with_filters_case, cls, 1, 6, 7, (2, 1, 12, 16), True),
        ),
        (
            "3 random 5 x 5 filters on 2 input channels, an input of shape (4, 2, 9, 8)",
            partial(_layer_with_filters_case, cls, 2, 3, 5, (4, 2, 9, 8), False),
        ),
        (
            "ConvolutionalLayer(1, 4, 3) without filters, an input of shape (3, 1, 6, 7)",
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
    import torch
    import torch.nn.functional as F

    x = torch.randn(shape)
    batch = x if x.ndim > 2 else x[None]  # max_pool2d wants (C, H, W) or (N, C, H, W)
    expected = F.max_pool2d(batch, K).reshape(*shape[:-2], shape[-2] // K, shape[-1] // K)
    got = _call(f"max_pool(x, {K})", func, x.clone(), K)
    try:
        _compare_tensor(got, expected, "the output")
    except _Mismatch as mismatch:
        hint = ""
        average = F.avg_pool2d(batch, K).reshape(expected.shape)
        if _close(got, average, 1e-4, 1e-5):
            hint = "; it equals the mean of each block, not its maximum"
        elif isinstance(got, torch.Tensor) and got.shape == expected.shape:
            hint = (
                "; the shape is right but not the values: does each block hold K x K "
                "neighbouring pixels? (reshape to (..., H // K, K, W // K, K))"
            )
        raise _Mismatch(f"{mismatch}{hint}") from None


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
    >>> check_max_pool(max_pool)  # doctest: +SKIP
    ✓ max_pool: 4/4 cases match the reference.
    """
    _require_callable(func, "func", "max_pool", "function")
    cases = [
        (f"an input of shape {shape}, K = {K}", partial(_pool_case, func, shape, K))
        for shape, K in _POOL_CASES
    ]
    return _run("max_pool", cases)
