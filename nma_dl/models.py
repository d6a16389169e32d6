"""Feed-forward decoders: neural responses in, one number (the orientation) out.

Both networks have one hidden layer of ``n_hidden`` units::

    h = phi(W_in r + b_in)      # phi = identity (DeepNet) or ReLU (DeepNetReLU)
    y = W_out h + b_out
"""

import numbers

import torch
from torch import nn

__all__ = ["DeepNet", "DeepNetReLU"]


def _check_size(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


class DeepNet(nn.Module):
    """A network with one linear hidden layer.

    Parameters
    ----------
    n_inputs : int
        Number of inputs (neurons whose responses are decoded).
    n_hidden : int
        Number of hidden units, the width of the network.

    Attributes
    ----------
    in_layer : torch.nn.Linear
        Weights and biases from the inputs to the hidden units.
    out_layer : torch.nn.Linear
        Weights and biases from the hidden units to the single output.
    """

    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        n_inputs = _check_size(n_inputs, "n_inputs")
        n_hidden = _check_size(n_hidden, "n_hidden")
        # Created in this order, so a given torch seed gives the course's initial weights.
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def _check_input(self, r):
        if not isinstance(r, torch.Tensor):
            raise TypeError(f"r must be a torch.Tensor, got {type(r).__name__}")
        n_inputs = self.in_layer.in_features
        if r.ndim == 0 or r.shape[-1] != n_inputs:
            raise ValueError(
                f"r must have shape (n_inputs,) or (n_stimuli, n_inputs) with "
                f"n_inputs={n_inputs}, got shape {tuple(r.shape)}"
            )

    def forward(self, r):
        """Decode the stimulus from neural responses.

        Parameters
        ----------
        r : torch.Tensor
            Responses of shape ``(n_inputs,)`` for one stimulus, or
            ``(n_stimuli, n_inputs)`` for several.

        Returns
        -------
        torch.Tensor
            The network's output, of shape ``(1,)`` or ``(n_stimuli, 1)``.
        """
        self._check_input(r)
        h = self.in_layer(r)
        return self.out_layer(h)


class DeepNetReLU(DeepNet):
    """A network with one hidden layer of rectified linear units (ReLU).

    Same parameters and attributes as :class:`DeepNet`; only the hidden layer
    differs: ``h = relu(W_in r + b_in)``.
    """

    def forward(self, r):
        """Decode the stimulus from neural responses.

        Parameters
        ----------
        r : torch.Tensor
            Responses of shape ``(n_inputs,)`` or ``(n_stimuli, n_inputs)``.

        Returns
        -------
        torch.Tensor
            The network's output, of shape ``(1,)`` or ``(n_stimuli, 1)``.
        """
        self._check_input(r)
        h = torch.relu(self.in_layer(r))
        return self.out_layer(h)
