"""A convolutional layer: ``nn.Conv2d`` with "same" padding, optionally with given filters.

The convolutional-network tutorial has students write :class:`ConvolutionalLayer`; this is its
twin. The later tutorials build on it (or on ``nn.Conv2d`` with the same settings).
"""

from numbers import Integral

import torch
from torch import nn

from nma_dl._validate import Interval, require, validate_size, validate_tensor
from nma_dl.models._base import (
    ValidatedModule,
    validate_input_like,
    validate_input_tensor,
    validate_parameter_memory,
)

__all__ = ["ConvFC", "ConvolutionalLayer"]

#: A kernel size: "same" padding, K // 2 on each side, keeps the image's size only for an odd K.
_ODD_SIZE = Interval(Integral, 1, None, text="a positive odd int")


def _validate_odd_size(value, name):
    """Return a kernel size, an int >= 1 that is odd, as an ``int``."""
    value = _ODD_SIZE(value, name)
    require(value % 2 == 1, name, str(_ODD_SIZE), value)
    return value


def _validate_filters(filters, shape):
    """Raise unless ``filters`` is None or a floating tensor of ``shape``."""
    if filters is None:
        return
    validate_tensor(filters, "filters", "a torch.Tensor or None")
    if tuple(filters.shape) != shape:
        raise ValueError(
            f"filters must have shape (c_out, c_in, K, K) = {shape}, got {tuple(filters.shape)}"
        )
    if not filters.is_floating_point():
        raise TypeError(f"filters must hold floating-point numbers, got dtype {filters.dtype}")


def _conv_parameters(c_in, c_out, K):
    """Count the parameters of ``nn.Conv2d(c_in, c_out, K)``: its weights and one bias a filter."""
    return c_out * c_in * K * K + c_out


class ConvolutionalLayer(ValidatedModule):
    """One 2-D convolution, stride 1, zero padding ``K // 2``: the output keeps the input's size.

    Parameters
    ----------
    c_in : int, default=1
        Number of input channels.
    c_out : int, default=6
        Number of output channels (filters).
    K : int, default=7
        Kernel size, a positive odd int (so that ``K // 2`` padding keeps the size).
    filters : torch.Tensor, optional
        (c_out, c_in, K, K) weights, e.g. :func:`nma_dl.filters`; if given they replace the
        random initial weights and the biases are set to zero. The layer keeps its own copy.

    Attributes
    ----------
    conv : torch.nn.Conv2d
        The convolution.

    Examples
    --------
    >>> from nma_dl import filters
    >>> layer = ConvolutionalLayer(filters=filters())
    >>> layer(torch.zeros(5, 1, 48, 64)).shape
    torch.Size([5, 6, 48, 64])
    """

    argument_validators = {"c_in": validate_size, "c_out": validate_size, "K": _validate_odd_size}

    @staticmethod
    def validate_arguments(arguments):
        """Refuse sizes too large for memory (see ``ValidatedModule``), then ill-fitting filters.

        Parameters
        ----------
        arguments : dict
            ``c_in``, ``c_out``, ``K`` (checked) and ``filters``, as ``__init__`` gets them.
        """
        c_in, c_out, K = arguments["c_in"], arguments["c_out"], arguments["K"]
        n_parameters = _conv_parameters(c_in, c_out, K)
        validate_parameter_memory(
            n_parameters,
            f"ConvolutionalLayer(c_in={c_in}, c_out={c_out}, K={K}) ({n_parameters:.3g} "
            "parameters: c_out * c_in * K * K weights and c_out biases, stored with their "
            "gradients and the optimizer's state)",
        )
        _validate_filters(arguments["filters"], (c_out, c_in, K, K))

    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2)
        if filters is not None:
            self.conv.weight = nn.Parameter(filters.detach().clone())
            self.conv.bias = nn.Parameter(torch.zeros(c_out, dtype=filters.dtype))

    def forward(self, s):
        """Convolve a batch of images with every filter.

        Parameters
        ----------
        s : torch.Tensor
            (n, c_in, H, W) images.

        Returns
        -------
        torch.Tensor
            (n, c_out, H, W) activations.
        """
        a = self.conv(s)
        return a

    def validate_input(self, s):
        """Raise a TypeError or ValueError naming ``s`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        s : object
            The input of :meth:`forward`: it must be an (n, c_in, H, W) tensor of the layer's
            dtype, on its device (a meta tensor, shapes only, is taken too).
        """
        validate_input_tensor(s, "s")
        c_in = self.conv.in_channels
        if s.ndim != 4 or s.shape[1] != c_in:
            raise ValueError(
                f"s must have shape (n, c_in, H, W) with c_in={c_in} (a batch of images; "
                f"use s[None] or s.unsqueeze(1) to add axes), got shape {tuple(s.shape)}"
            )
        validate_input_like(s, "s", self.conv.weight, "the layer's", meta_ok=True)


# --------------------------------------------------------------------------- encoding model
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) predicts every neuron's response to a
# grating from one convolutional layer followed by one linear layer.


class ConvFC(ValidatedModule):
    """An encoding model: a convolution, then a linear map from its units to every neuron.

    ``a = conv(s)`` (``c_out`` channels of ``b`` pixels each, "same" padding), flattened to
    ``c_out * b`` units, then ``y = W a + bias`` with one output per neuron; no non-linearity.
    The layers are created in the original's order and the linear weights drawn from
    ``N(0, 0.01^2)`` last, so after a given torch seed the weights are the original's.

    Parameters
    ----------
    n_neurons : int
        Number of neurons whose responses are predicted.
    c_in : int, default=1
        Number of image channels.
    c_out : int, default=6
        Number of convolutional channels.
    K : int, default=7
        Kernel size, a positive odd int; padding ``K // 2``, stride 1.
    b : int, default=12*16
        Number of pixels of one image (height x width), so that the flattened convolution has
        ``c_out * b`` units.
    filters : torch.Tensor, optional
        (c_out, c_in, K, K) initial filters, e.g. :func:`nma_dl.filters`; they stay trainable
        and the convolution's biases start at 0.

    Attributes
    ----------
    conv : torch.nn.Conv2d
        The convolution.
    dims : tuple of int
        ``(c_out, b)``, the shape of the convolution's output per image.
    out_layer : torch.nn.Linear
        ``c_out * b`` units to ``n_neurons`` responses.
    """

    argument_validators = {
        "n_neurons": validate_size,
        "c_in": validate_size,
        "c_out": validate_size,
        "K": _validate_odd_size,
        "b": validate_size,
    }

    @staticmethod
    def validate_arguments(arguments):
        """Refuse shapes of ``filters`` that do not fit and sizes too large for memory.

        Parameters
        ----------
        arguments : dict
            The sizes (checked) and ``filters``, as ``__init__`` gets them.
        """
        n_neurons, c_in, c_out = arguments["n_neurons"], arguments["c_in"], arguments["c_out"]
        K, b = arguments["K"], arguments["b"]
        _validate_filters(arguments["filters"], (c_out, c_in, K, K))
        n_conv = _conv_parameters(c_in, c_out, K)
        n_linear = (c_out * b + 1) * n_neurons
        n_parameters = n_conv + n_linear
        validate_parameter_memory(
            n_parameters,
            f"ConvFC(n_neurons={n_neurons}, c_in={c_in}, c_out={c_out}, K={K}, b={b}) "
            f"({n_parameters:.3g} parameters: {n_conv:.3g} in the convolution, c_out * c_in * "
            f"K * K weights and c_out biases, and {n_linear:.3g} in out_layer, c_out * b = "
            f"{c_out * b} units times n_neurons; stored with their gradients and the optimizer's "
            "state)",
        )

    def __init__(self, n_neurons, c_in=1, c_out=6, K=7, b=12 * 16, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2, stride=1)
        self.dims = (c_out, b)  # shape of the convolution's output per image
        self.out_layer = nn.Linear(c_out * b, n_neurons)  # conv units -> neurons
        if filters is not None:
            self.conv.weight = nn.Parameter(filters.detach().clone())
            self.conv.bias = nn.Parameter(torch.zeros(c_out, dtype=filters.dtype))
        nn.init.normal_(self.out_layer.weight, std=0.01)  # small initial weights

    def forward(self, s):
        """Predict every neuron's response to each image.

        Parameters
        ----------
        s : torch.Tensor
            (n_stimuli, c_in, H, W) images with ``H * W == b``.

        Returns
        -------
        torch.Tensor
            (n_stimuli, n_neurons) predicted responses.
        """
        a = self.conv(s)  # (n_stimuli, c_out, H, W)
        a = a.flatten(start_dim=1)  # one vector of c_out * b units per image
        y = self.out_layer(a)
        return y

    def validate_input(self, s):
        """Raise a TypeError or ValueError naming ``s`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        s : object
            Images for :meth:`forward`: a dense (n, c_in, H, W) tensor with ``H * W = b``
            pixels an image, of the network's dtype and on its device.
        """
        validate_input_tensor(s, "s")
        c_in, b = self.conv.in_channels, self.dims[1]
        if s.ndim != 4 or s.shape[1] != c_in or s.shape[2] * s.shape[3] != b:
            raise ValueError(
                f"s must have shape (n, c_in, H, W) with c_in={c_in} and H * W = b = {b} "
                f"(a batch of images), got shape {tuple(s.shape)}"
            )
        validate_input_like(s, "s", self.conv.weight)
