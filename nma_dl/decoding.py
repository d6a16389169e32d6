"""Prepare the decoding problem: split the data, draw samples, bin orientations."""

import numpy as np
import torch

from nma_dl._validate import (
    check_column,
    check_instance,
    check_int,
    check_number,
    check_real_dtype,
    check_responses,
    require,
)

__all__ = ["get_data", "stimulus_class", "train_test_split"]


def train_test_split(resp, stimuli, train_fraction=0.6, generator=None):
    """Shuffle the stimuli and split them into a training and a test set.

    The first ``int(train_fraction * n)`` rows of ``torch.randperm(n)`` go to
    the training set, the rest to the test set. Seed PyTorch first (e.g.
    ``set_seed(4)``) to get the same split every time.

    Parameters
    ----------
    resp : torch.Tensor
        (n_stimuli, n_neurons) neural responses.
    stimuli : torch.Tensor
        (n_stimuli, 1) or (n_stimuli,) stimulus orientations.
    train_fraction : float, default=0.6
        Fraction of the stimuli used for training, in (0, 1).
    generator : torch.Generator, optional
        Source of the permutation; PyTorch's global generator if omitted.

    Returns
    -------
    resp_train, resp_test, stimuli_train, stimuli_test : torch.Tensor
        The rows of ``resp`` and ``stimuli`` in each set, in shuffled order.
    """
    check_responses(resp, stimuli)
    check_number(train_fraction, "train_fraction")
    require(0 < train_fraction < 1, "train_fraction", "in (0, 1)", train_fraction)
    check_instance(
        generator, (torch.Generator, type(None)), "generator", "a torch.Generator or None"
    )
    n_stimuli = len(resp)
    n_train = int(train_fraction * n_stimuli)
    if not 0 < n_train < n_stimuli:
        raise ValueError(
            f"train_fraction={train_fraction!r} of {n_stimuli} stimuli leaves {n_train} for "
            f"training and {n_stimuli - n_train} for testing; both sets need at least one"
        )
    order = torch.randperm(n_stimuli, generator=generator)
    itrain, itest = order[:n_train], order[n_train:]
    return resp[itrain], resp[itest], stimuli[itrain], stimuli[itest]


def get_data(n_stim, train_data, train_labels):
    """Draw random stimuli, with replacement, and their responses.

    The rows are drawn with ``np.random.choice``, so seeding NumPy (e.g. with
    ``set_seed``) fixes which ones.

    Parameters
    ----------
    n_stim : int
        Number of stimuli to draw, at least 1.
    train_data : torch.Tensor
        (n_train, n_neurons) neural responses.
    train_labels : torch.Tensor
        (n_train, 1) orientations of the stimuli of each row of ``train_data``.

    Returns
    -------
    r : torch.Tensor
        (n_stim, n_neurons) responses to the drawn stimuli.
    ori : torch.Tensor
        (n_stim, 1) their orientations.
    """
    n_stim = check_int(n_stim, "n_stim", minimum=1)
    check_responses(train_data, train_labels, ("train_data", "train_labels"))
    if len(train_labels) == 0:
        raise ValueError("train_labels must have at least one row to draw from, got 0")
    istim = np.random.choice(len(train_labels), n_stim)
    return train_data[istim], train_labels[istim]


def stimulus_class(ori, n_classes):
    """Class of each orientation when 0-360 degrees is cut into equal bins.

    Class ``k`` holds the orientations in ``[k * 360 / n_classes,
    (k + 1) * 360 / n_classes)``.

    Parameters
    ----------
    ori : torch.Tensor or numpy.ndarray
        (n,) or (n, 1) orientations in degrees, in ``[0, 360)``.
    n_classes : int
        Number of bins, at least 1.

    Returns
    -------
    torch.Tensor
        (n,) int64 class of each orientation, on the CPU (the label type
        ``nn.NLLLoss`` and ``nn.CrossEntropyLoss`` expect).

    Examples
    --------
    >>> stimulus_class(torch.tensor([[0.0], [44.9], [45.0], [359.9]]), 8)
    tensor([0, 0, 1, 7])
    """
    n_classes = check_int(n_classes, "n_classes", minimum=1)
    check_instance(ori, (torch.Tensor, np.ndarray), "ori", "a torch.Tensor or numpy array")
    values = ori.detach().cpu().numpy() if isinstance(ori, torch.Tensor) else ori
    check_column(values, "ori")
    check_real_dtype(values, "ori")
    values = values.reshape(-1)
    outside = ~((values >= 0) & (values < 360))  # NaN counts as outside
    if outside.any():
        raise ValueError(
            f"ori must be orientations in [0, 360) degrees, got {values[outside][0]!r} "
            f"({outside.sum()} value(s) outside)"
        )
    edges = np.linspace(0, 360, n_classes + 1)
    return torch.as_tensor(np.digitize(values, edges) - 1, dtype=torch.int64)
