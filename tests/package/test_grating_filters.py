"""nma_dl.stimuli: the gratings and the example filters of the convolution tutorials."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from nma_dl.stimuli import filters, grating

# ---- grating --------------------------------------------------------------------------------


def test_grating_shape_dtype_and_values():
    image = grating(30)
    assert image.shape == (48, 64)
    assert image.dtype == torch.float32
    assert set(image.unique().tolist()) == {-0.5, 0.5}
    assert grating(0, res=0.025).shape == (12, 16)
    assert grating(0, res=1).shape == (480, 640)


def test_grating_plus_and_minus_90_are_the_same_image():
    assert torch.equal(grating(90), grating(-90))
    assert torch.equal(grating(10), grating(190))
    assert not torch.equal(grating(0), grating(90))


def test_grating_orientation_vertical_and_horizontal_stripes():
    vertical, horizontal = grating(0), grating(90)
    assert torch.all(vertical == vertical[:1])  # every row the same: vertical stripes
    assert torch.all(horizontal == horizontal[:, :1])  # every column the same


def test_grating_first_row_by_hand():
    # angle 0: bright where cos(col * sf / res) > 0, i.e. col * 10/28 in (-pi/2, pi/2) mod 2 pi
    cols = np.arange(64)
    expected = np.where(np.cos(cols / 2.8) > 0, 0.5, -0.5)
    np.testing.assert_array_equal(grating(0)[0].numpy(), expected)


def test_grating_period_is_17_6_pixels():
    row = grating(0)[0].numpy()
    rising = np.flatnonzero(np.diff(row) > 0)  # dark -> bright edges, one per period
    period = np.diff(rising).mean()
    assert period == pytest.approx(2 * np.pi * 0.1 * 28, abs=0.6)
    assert 2 * np.pi * 0.1 * 28 == pytest.approx(17.6, abs=0.01)


def test_grating_phase_shifts_the_stripes():
    assert torch.equal(grating(0, phase=360), grating(0))
    assert not torch.equal(grating(0, phase=90), grating(0))
    # half a period moves bright to dark (up to the pixels on the zero crossings)
    flipped = grating(0, phase=180)
    assert (flipped == -grating(0)).float().mean() > 0.9


def test_grating_patch_is_a_disk_on_the_right():
    image = grating(0, patch=True)
    assert set(image.unique().tolist()) == {-0.5, 0.0, 0.5}
    inside = image != 0
    rows, cols = torch.nonzero(inside, as_tuple=True)
    assert cols.float().mean() == pytest.approx(48, abs=1)  # 3/4 of the width
    assert rows.float().mean() == pytest.approx(24, abs=1)
    assert inside.sum() == pytest.approx(np.pi * (64 / 6) ** 2, rel=0.05)


@pytest.mark.bad_input
def test_grating_rejects_bad_arguments():
    with pytest.raises(ValueError, match="angle must be finite, got nan"):
        grating(float("nan"))
    with pytest.raises(TypeError, match="angle must be a real number"):
        grating("45")
    with pytest.raises(ValueError, match="sf must be > 0"):
        grating(0, sf=0)
    with pytest.raises(ValueError, match="res must be > 0"):
        grating(0, res=-0.1)
    with pytest.raises(ValueError, match="res must be large enough"):
        grating(0, res=1e-4)
    with pytest.raises(TypeError, match="patch must be a bool"):
        grating(0, patch=1)
    with pytest.raises(ValueError, match="phase must be finite"):
        grating(0, phase=float("inf"))


# ---- filters --------------------------------------------------------------------------------


def test_filters_shape_dtype_zero_mean_and_scale():
    w = filters()
    assert w.shape == (6, 1, 7, 7)
    assert w.dtype == torch.float32
    torch.testing.assert_close(w.mean(dim=(1, 2, 3)), torch.zeros(6), atol=1e-6, rtol=0)
    assert torch.equal(w[1], -w[0])
    # each Gabor was scaled to max |w| = 1; its mean is zero, so subtracting it changed nothing
    torch.testing.assert_close(w[2:].abs().amax(dim=(1, 2, 3)), torch.ones(4))


def test_filters_center_surround_is_on_center():
    w = filters()[0, 0]
    assert w[3, 3] == w.max() > 0
    assert w[0, 3] < 0 and w[3, 0] < 0  # the surround is negative


def test_filters_other_sizes():
    assert filters(2, 3).shape == (2, 1, 3, 3)
    assert filters(10, 11).shape == (10, 1, 11, 11)
    assert filters(3, 1).shape == (3, 1, 1, 1)


def test_filters_gabor_at_0_degrees_is_an_odd_vertical_edge_detector():
    w = filters()[2, 0]
    torch.testing.assert_close(w, -w.flip(1))  # odd along the columns
    torch.testing.assert_close(w, w.flip(0))  # even along the rows
    assert w[3, 2] > 0 > w[3, 4]


@pytest.mark.parametrize("channel, angle", [(2, 0), (3, 45), (4, 90), (5, 135)])
def test_each_gabor_prefers_its_grating_to_the_orthogonal_one(channel, angle):
    w = filters()[channel : channel + 1]

    def response(a):
        out = F.conv2d(grating(a)[None, None], w, padding=3)[0, 0, 8:-8, 8:-8]  # interior
        return out.abs().mean().item()

    assert response(angle) > 5 * response(angle + 90)
    assert response(angle) > response(angle + 45)


@pytest.mark.bad_input
def test_filters_rejects_bad_arguments():
    for K in (0, -3, 4, 8):
        with pytest.raises(ValueError, match=f"K must be a positive odd int, got {K}"):
            filters(6, K)
    with pytest.raises(TypeError, match="K must be an int"):
        filters(6, 7.0)
    with pytest.raises(ValueError, match="out_channels must be an int >= 2, got 1"):
        filters(1)
    with pytest.raises(TypeError, match="out_channels must be an int"):
        filters("6")
