"""The networks of the tutorials, one module per kind.

* :mod:`nma_dl.models.decoders`: :class:`DeepNet`, :class:`DeepNetReLU` and
  :class:`DeepNetSoftmax`, which decode the orientation of a grating from neural responses;
* :mod:`nma_dl.models.mlp`: :class:`Net`, a multi-layer perceptron of any depth and width,
  activations by name (:func:`parse_activation`) and :func:`approximate_function`;
* :mod:`nma_dl.models.conv`: :class:`ConvolutionalLayer`, one ``nn.Conv2d`` with "same"
  padding, optionally with given filters, and :class:`ConvFC`, a convolutional encoding model;
* :mod:`nma_dl.models.cnn`: :class:`CNN`, the network trained on the tilt task;
* :mod:`nma_dl.models._base`: :class:`~nma_dl.models._base.ValidatedModule`, the base class that
  keeps argument and input checks out of the models' code.
"""

from nma_dl._exports import lazy_exports

# Each name is written once, in the __all__ of its module (nma_dl._exports).
_WHERE, __getattr__, __dir__ = lazy_exports(
    __name__,
    (
        "decoders",
        "mlp",
        "conv",
        "cnn",
    ),
)
__all__ = sorted(_WHERE)
