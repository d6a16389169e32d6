"""The convolutional network of the encoding-model tutorial, which tells left from right tilts.

:class:`CNN` has one convolutional layer (its filters start as the center-surround and Gabor
kernels of :func:`nma_dl.filters`), max pooling, one fully connected layer of 10 units and one
sigmoid output, the probability that the grating is tilted right.
"""

import torch
from torch import nn

from nma_dl._validate import require, validate_size
from nma_dl.models._base import (
    ValidatedModule,
    validate_input_like,
    validate_input_tensor,
    validate_parameter_memory,
)
from nma_dl.stimuli import filters

__all__ = ["CNN"]

#: Channels and kernel size of the convolutional layer, and size of the pooling patches.
C_OUT, K, K_POOL = 6, 7, 8


def _validate_image_size(value, name):
    """Return an image's height or width, a positive int of one pooling patch at least."""
    value = validate_size(value, name)
    require(value >= K_POOL, name, f"at least {K_POOL} pixels (one pooling patch)", value)
    return value


class CNN(ValidatedModule):
    """Conv (6 filters of 7 x 7) -> ReLU -> max pool (8 x 8) -> 10 units -> ReLU -> sigmoid.

    Parameters
    ----------
    h_in, w_in : int
        Height and width of the input images in pixels (at least 8 each); the tutorial's
        gratings are 48 x 64.

    Attributes
    ----------
    conv : torch.nn.Conv2d
        The convolutional layer, padded so that each channel keeps the image's size; weights
        start as ``filters(6, 7)`` and biases at 0, and both are trained.
    pool : torch.nn.MaxPool2d
        Maximum over non-overlapping 8 x 8 patches.
    dims : tuple of int
        Shape of the pooled output, ``(6, h_in // 8, w_in // 8)``.
    fc : torch.nn.Linear
        Flattened pooled output -> 10 units.
    out : torch.nn.Linear
        10 units -> one number, squashed into a probability by a sigmoid.
    """

    argument_validators = {"h_in": _validate_image_size, "w_in": _validate_image_size}

    @staticmethod
    def validate_arguments(arguments):
        """Refuse image sizes whose parameters would not fit in memory (see ``ValidatedModule``).

        Nearly all of them are the weights of ``fc``, one per pooled pixel and channel for each
        of its 10 units, so they grow with ``h_in * w_in``.

        Parameters
        ----------
        arguments : dict
            ``h_in`` and ``w_in``, checked.
        """
        h_in, w_in = arguments["h_in"], arguments["w_in"]
        n_pooled = C_OUT * (h_in // K_POOL) * (w_in // K_POOL)
        n_parameters = (C_OUT * K * K + C_OUT) + (n_pooled + 1) * 10 + (10 + 1)
        validate_parameter_memory(
            n_parameters,
            f"CNN(h_in={h_in}, w_in={w_in}) ({n_parameters:.3g} parameters, nearly all the "
            f"weights of fc: {n_pooled:.3g} pooled units times 10; stored with their gradients "
            "and the optimizer's state; the tutorial's images are 48 x 64)",
        )

    def __init__(self, h_in, w_in):
        super().__init__()
        self.conv = nn.Conv2d(1, C_OUT, kernel_size=K, padding=K // 2)
        with torch.no_grad():  # start from the hand-made filters, not random ones
            self.conv.weight.copy_(filters(C_OUT, K))
            self.conv.bias.zero_()
        self.pool = nn.MaxPool2d(K_POOL)
        self.dims = (C_OUT, h_in // K_POOL, w_in // K_POOL)
        self.fc = nn.Linear(C_OUT * (h_in // K_POOL) * (w_in // K_POOL), 10)
        self.out = nn.Linear(10, 1)

    def forward(self, x):
        """Probability that each image is tilted right.

        Parameters
        ----------
        x : torch.Tensor
            (n_images, h_in, w_in) float32 images.

        Returns
        -------
        torch.Tensor
            (n_images, 1) probabilities.
        """
        x = x.unsqueeze(1)  # one input channel: (n_images, 1, h_in, w_in)
        x = torch.relu(self.conv(x))
        x = self.pool(x)
        x = x.flatten(start_dim=1)  # (n_images, 6 * (h_in // 8) * (w_in // 8))
        x = torch.relu(self.fc(x))
        return torch.sigmoid(self.out(x))

    def validate_input(self, x):
        """Raise a TypeError or ValueError naming ``x`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        x : object
            The input of :meth:`forward`: grayscale images, (n_images, h_in, w_in), in a dense
            tensor of the network's dtype and device.
        """
        validate_input_tensor(x, "x")
        validate_input_like(x, "x", self.conv.weight)
        _, h, w = self.dims
        expected = (h * K_POOL, w * K_POOL)
        if x.ndim != 3 or x.shape[1] // K_POOL != h or x.shape[2] // K_POOL != w:
            raise ValueError(
                f"x must have shape (n_images, h_in, w_in) with images of about {expected} "
                f"pixels (the network's h_in, w_in), got shape {tuple(x.shape)}"
            )
