"""nma_dl.stimuli: the orientation classes of stimulus_class."""

import numpy as np
import pytest
import torch

from nma_dl.stimuli import stimulus_class

# ---- stimulus_class -----------------------------------------------------------------------


def test_stimulus_class_by_hand_eight_bins():
    ori = torch.tensor([[0.0], [44.9], [45.0], [90.0], [180.5], [359.9]])
    classes = stimulus_class(ori, 8)
    assert classes.dtype == torch.int64
    assert classes.shape == (6,)
    assert classes.tolist() == [0, 0, 1, 2, 4, 7]


@pytest.mark.parametrize(
    "n_classes, expected",
    [(1, [0, 0, 0, 0]), (2, [0, 0, 1, 1]), (3, [0, 0, 1, 2]), (360, [0, 119, 180, 359])],
)
def test_stimulus_class_other_bin_counts(n_classes, expected):
    ori = np.array([0.0, 119.5, 180.0, 359.5])
    assert stimulus_class(ori, n_classes).tolist() == expected


def test_stimulus_class_single_stimulus_stays_one_dimensional():
    classes = stimulus_class(torch.tensor([[200.0]]), 4)
    assert classes.shape == (1,)
    assert classes.tolist() == [2]


def test_stimulus_class_matches_digitize_on_random_angles():
    angles = torch.rand(200, 1, generator=torch.Generator().manual_seed(0)) * 360
    expected = np.digitize(angles.numpy().ravel(), np.linspace(0, 360, 13)) - 1
    assert stimulus_class(angles, 12).tolist() == expected.tolist()


@pytest.mark.bad_input
@pytest.mark.parametrize("ori", [[-0.1], [360.001], [400.0], [float("nan")]])
def test_stimulus_class_rejects_angles_outside_0_360(ori):
    with pytest.raises(ValueError, match=r"ori must be orientations in \[0, 360\] degrees"):
        stimulus_class(torch.tensor(ori), 8)


@pytest.mark.bad_input
def test_stimulus_class_rejects_bad_shapes_and_types():
    with pytest.raises(ValueError, match=r"ori must have shape \(n,\) or \(n, 1\), got \(2, 2\)"):
        stimulus_class(torch.zeros(2, 2), 4)
    with pytest.raises(ValueError, match=r"ori must have shape .*got \(\)"):
        stimulus_class(torch.tensor(3.0), 4)
    with pytest.raises(TypeError, match="ori must be a torch.Tensor or numpy array, got list"):
        stimulus_class([10.0], 4)
    with pytest.raises(TypeError, match="ori must hold real numbers"):
        stimulus_class(np.array(["a"]), 4)
    with pytest.raises(ValueError, match="n_classes must be an int >= 1, got 0"):
        stimulus_class(torch.zeros(3), 0)
    with pytest.raises(TypeError, match="n_classes must be an int, got float"):
        stimulus_class(torch.zeros(3), 8.0)
