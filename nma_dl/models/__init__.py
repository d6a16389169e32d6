"""The networks of the tutorials, one module per kind.

* :mod:`nma_dl.models.decoders`: :class:`DeepNet` and :class:`DeepNetReLU`, which decode the
  orientation of a grating from neural responses;
* :mod:`nma_dl.models.mlp`: :class:`Net`, a multi-layer perceptron of any depth and width,
  activations by name (:func:`parse_activation`) and :func:`approximate_function`;
* :mod:`nma_dl.models.conv`: :class:`ConvolutionalLayer`, one ``nn.Conv2d`` with "same"
  padding, optionally with given filters;
* :mod:`nma_dl.models.base`: :class:`~nma_dl.models.base.ValidatedModule`, the base class that
  keeps argument and input checks out of the models' code.
"""

from nma_dl.models.conv import ConvolutionalLayer
from nma_dl.models.decoders import DeepNet, DeepNetReLU
from nma_dl.models.mlp import Net, activation_names, approximate_function, parse_activation

__all__ = [
    "ConvolutionalLayer",
    "DeepNet",
    "DeepNetReLU",
    "Net",
    "activation_names",
    "approximate_function",
    "parse_activation",
]
