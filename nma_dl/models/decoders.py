"""Feed-forward decoders: neural responses in, one number (the orientation) out.

Both networks have one hidden layer of ``n_hidden`` units::

    h = phi(W_in r + b_in)      # phi = identity (DeepNet) or ReLU (DeepNetReLU)
    y = W_out h + b_out

Their ``__init__`` and ``forward`` are what the decoding tutorial shows students; the checks of
their arguments and inputs are declared apart (see :mod:`nma_dl.models._base`).
"""

from numbers import Integral

import torch
from torch import nn

from nma_dl._validate import Interval, validate_size
from nma_dl.models._base import (
    ValidatedModule,
    validate_input_like,
    validate_input_tensor,
    validate_parameter_memory,
)

__all__ = ["DeepNet", "DeepNetReLU", "DeepNetSoftmax"]


class DeepNet(ValidatedModule):
    """A network with one linear hidden layer.

    The input layer is created before the output layer, so after a given torch seed the
    initial weights are those of the original course.

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

    argument_validators = {"n_inputs": validate_size, "n_hidden": validate_size}

    @staticmethod
    def validate_arguments(arguments):
        """Refuse sizes whose parameters would not fit in memory (see :class:`ValidatedModule`).

        The estimate and the limit are those of
        :func:`nma_dl.models._base.validate_parameter_memory`.

        Parameters
        ----------
        arguments : dict
            ``n_inputs`` and ``n_hidden``, checked.
        """
        n_inputs, n_hidden = arguments["n_inputs"], arguments["n_hidden"]
        n_parameters = (n_inputs + 1) * n_hidden + n_hidden + 1
        validate_parameter_memory(
            n_parameters,
            f"{n_parameters:.3g} parameters (n_inputs={n_inputs}, n_hidden={n_hidden}, stored "
            "with their gradients and the optimizer's state)",
        )

    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

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
        h = self.in_layer(r)
        return self.out_layer(h)

    def validate_input(self, r):
        """Raise a TypeError or ValueError naming ``r`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        r : object
            The input of :meth:`forward`: one response per input neuron, in a tensor (sparse
            ones are taken) of the network's dtype and device.
        """
        validate_input_tensor(r, "r", dense=False)
        validate_input_like(r, "r", self.in_layer.weight)
        n_inputs = self.in_layer.in_features
        if r.ndim == 0 or r.shape[-1] != n_inputs:
            raise ValueError(
                f"r must have shape (n_inputs,) or (n_stimuli, n_inputs) with "
                f"n_inputs={n_inputs}, got shape {tuple(r.shape)}"
            )


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
        h = torch.relu(self.in_layer(r))
        return self.out_layer(h)

    # forward takes what DeepNet's takes: keep its input check (see nma_dl.models._base)
    validate_input = DeepNet.validate_input


# --------------------------------------------------------------------------- classification
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) decodes orientation bins instead.


#: The number of classes of a classifier.
_N_CLASSES = Interval(Integral, 2, None, text="an int >= 2 (a classifier needs 2 classes)")


class DeepNetSoftmax(DeepNet):
    """A classifier with one hidden layer of ReLUs whose outputs are log probabilities.

    ``h = relu(W_in r + b_in)``, ``log p = log_softmax(W_out h + b_out)``: one log probability
    per class, to be scored with :class:`torch.nn.NLLLoss`. The layers are created in the
    original's order, so after a given torch seed the initial weights are the original's.

    Parameters
    ----------
    n_inputs : int
        Number of inputs (neurons).
    n_hidden : int
        Number of hidden units.
    n_classes : int
        Number of classes (orientation bins), at least 2.

    Attributes
    ----------
    in_layer, out_layer : torch.nn.Linear
        Inputs to hidden units, hidden units to classes.
    logprob : torch.nn.LogSoftmax
        The normalisation across classes (dimension 1, one row per stimulus).
    """

    argument_validators = {
        "n_inputs": validate_size,
        "n_hidden": validate_size,
        "n_classes": _N_CLASSES,
    }

    @staticmethod
    def validate_arguments(arguments):
        """Refuse sizes whose parameters would not fit in memory (see :class:`DeepNet`).

        Parameters
        ----------
        arguments : dict
            The three sizes, checked.
        """
        n_inputs, n_hidden = arguments["n_inputs"], arguments["n_hidden"]
        n_classes = arguments["n_classes"]
        n_parameters = (n_inputs + 1) * n_hidden + (n_hidden + 1) * n_classes
        validate_parameter_memory(
            n_parameters,
            f"{n_parameters:.3g} parameters (n_inputs={n_inputs}, n_hidden={n_hidden}, "
            f"n_classes={n_classes}, stored with their gradients and the optimizer's state)",
        )

    def __init__(self, n_inputs, n_hidden, n_classes):
        ValidatedModule.__init__(self)
        self.in_layer = nn.Linear(n_inputs, n_hidden)  # responses -> hidden units
        self.out_layer = nn.Linear(n_hidden, n_classes)  # hidden units -> one score per class
        self.logprob = nn.LogSoftmax(dim=1)  # normalise across the classes of each row

    def forward(self, r):
        """Log probability of each class for each stimulus.

        Parameters
        ----------
        r : torch.Tensor
            (n_stimuli, n_inputs) responses.

        Returns
        -------
        torch.Tensor
            (n_stimuli, n_classes) log probabilities; each row's exponentials sum to 1.
        """
        h = torch.relu(self.in_layer(r))
        logp = self.logprob(self.out_layer(h))
        return logp

    def validate_input(self, r):
        """Raise a TypeError or ValueError naming ``r`` if :meth:`forward` cannot take it.

        Parameters
        ----------
        r : object
            The input of :meth:`forward`, which must be a batch: one row per stimulus.
        """
        super().validate_input(r)
        if r.ndim != 2:
            raise ValueError(
                f"r must have shape (n_stimuli, n_inputs) (use r[None] for one stimulus), got "
                f"shape {tuple(r.shape)}"
            )
