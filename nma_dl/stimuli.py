"""What the stimuli are and how they are labelled: orientation classes (later: gratings, filters).

:func:`stimulus_class` cuts the circle of grating orientations into equal bins and gives each
orientation the index of its bin, the label a classifier of orientations learns.
"""

import numpy as np
import torch

from nma_dl._validate import check_column, check_instance, check_int, check_real_dtype

__all__ = ["stimulus_class"]


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
