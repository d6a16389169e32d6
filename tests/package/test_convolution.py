"""nma_dl's convolution tutorial helpers: conv2d and max_pool by hand, ConvolutionalLayer,
parameter counts, simple and complex cells, the figures and the orientation widget."""

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure
from torch import nn

from nma_dl import widgets
from nma_dl.convolution import (
    GRATING_PERIOD,
    conv2d,
    conv_weights,
    count_parameters,
    max_pool,
    simple_and_complex_cells,
)
from nma_dl.display import StaticFallback
from nma_dl.models.cnn import CNN
from nma_dl.models.conv import ConvolutionalLayer
from nma_dl.plotting.convolution import (
    plot_convolution_step,
    plot_example_activations,
    plot_weight_sharing,
    plot_weights,
)
from nma_dl.stimuli import filters, gabor, grating
from nma_dl.widgets import conv_activations_figure, conv_activations_widget


def _gratings(angles=(-90, -45, 0, 45, 90)):
    return torch.stack([grating(a) for a in angles]).unsqueeze(1)


# ---- conv2d ---------------------------------------------------------------------------------


def test_conv2d_by_hand_small_case():
    got = conv2d(torch.eye(3), torch.ones(3, 3))
    torch.testing.assert_close(got, torch.tensor([[2.0, 2, 1], [2, 3, 2], [1, 2, 2]]))
    # not flipped: a kernel with one 1 at its top-left picks the pixel up and to the left
    kernel = torch.zeros(3, 3)
    kernel[0, 0] = 1
    image = torch.arange(12.0).reshape(3, 4)
    expected = torch.zeros(3, 4)
    expected[1:, 1:] = image[:-1, :-1]
    torch.testing.assert_close(conv2d(image, kernel), expected)


@pytest.mark.parametrize("image_shape", [(5, 5), (6, 8), (7, 4), (1, 9), (48, 64)])
@pytest.mark.parametrize("kernel_shape", [(1, 1), (3, 3), (5, 3), (7, 7)])
def test_conv2d_equals_torch_on_random_inputs(image_shape, kernel_shape):
    gen = torch.Generator().manual_seed(hash((image_shape, kernel_shape)) % 2**31)
    image, kernel = (
        torch.randn(image_shape, generator=gen),
        torch.randn(kernel_shape, generator=gen),
    )
    expected = F.conv2d(image[None, None], kernel[None, None], padding="same")[0, 0]
    got = conv2d(image, kernel)
    assert got.shape == image.shape and got.dtype == torch.float32
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-5)


def test_conv2d_keeps_float64():
    image, kernel = torch.randn(4, 5, dtype=torch.float64), torch.randn(3, 3, dtype=torch.float64)
    assert conv2d(image, kernel).dtype == torch.float64


@pytest.mark.bad_input
def test_conv2d_rejects_bad_input():
    with pytest.raises(ValueError, match=r"kernel must have odd sizes .* got shape \(2, 3\)"):
        conv2d(torch.zeros(4, 4), torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"image must be a 2-D \(H, W\) tensor"):
        conv2d(torch.zeros(1, 4, 4), torch.zeros(3, 3))
    with pytest.raises(TypeError, match="image must be a torch.Tensor, got ndarray"):
        conv2d(np.zeros((4, 4)), torch.zeros(3, 3))
    with pytest.raises(TypeError, match="image must hold floating-point numbers"):
        conv2d(torch.zeros(4, 4, dtype=torch.long), torch.zeros(3, 3))
    with pytest.raises(TypeError, match="kernel must have the image's dtype"):
        conv2d(torch.zeros(4, 4), torch.zeros(3, 3, dtype=torch.float64))


# ---- max_pool -------------------------------------------------------------------------------


def test_max_pool_by_hand():
    x = torch.arange(16.0).reshape(4, 4)
    torch.testing.assert_close(max_pool(x, 2), torch.tensor([[5.0, 7.0], [13.0, 15.0]]))
    # the last row and column do not fill a block: dropped
    torch.testing.assert_close(
        max_pool(torch.arange(25.0).reshape(5, 5), 2), torch.tensor([[6.0, 8.0], [16.0, 18.0]])
    )
    assert torch.equal(max_pool(x, 1), x)


@pytest.mark.parametrize(("shape", "K"), [((6, 8), 2), ((3, 7, 11), 3), ((2, 6, 48, 64), 4)])
def test_max_pool_equals_torch(shape, K):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(K))
    batch = x if x.ndim > 2 else x[None]
    expected = F.max_pool2d(batch, K).reshape(*shape[:-2], shape[-2] // K, shape[-1] // K)
    got = max_pool(x, K)
    assert got.shape == (*shape[:-2], shape[-2] // K, shape[-1] // K)
    assert torch.equal(got, expected)


@pytest.mark.bad_input
def test_max_pool_rejects_bad_input():
    with pytest.raises(ValueError, match=r"K must be an int between 1 and min\(H, W\) = 4, got 5"):
        max_pool(torch.zeros(4, 6), 5)
    with pytest.raises(ValueError, match="K must be an int between 1 and"):
        max_pool(torch.zeros(4, 6), 0)
    with pytest.raises(TypeError, match="K must be an int"):
        max_pool(torch.zeros(4, 6), 2.0)
    with pytest.raises(ValueError, match=r"x must have at least 2 axes"):
        max_pool(torch.zeros(4), 2)
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        max_pool([[1.0]], 1)


# ---- ConvolutionalLayer and parameter counts ------------------------------------------------


def test_layer_with_filters_maps_gratings_to_activations():
    w = filters()
    layer = ConvolutionalLayer(filters=w)
    assert torch.equal(layer.conv.weight, w) and torch.equal(layer.conv.bias, torch.zeros(6))
    assert layer.conv.weight.data_ptr() != w.data_ptr()  # the layer keeps its own copy
    stimuli = _gratings()
    with torch.no_grad():
        act = layer(stimuli)
    assert act.shape == (5, 6, 48, 64)
    torch.testing.assert_close(act, F.conv2d(stimuli, w, padding=3))
    # the same as conv2d by hand, channel by channel
    torch.testing.assert_close(act[2, 4], conv2d(stimuli[2, 0], w[4, 0]), rtol=1e-5, atol=1e-5)


def test_layer_without_filters_is_a_same_size_conv2d():
    torch.manual_seed(0)
    layer = ConvolutionalLayer(2, 3, 5)
    assert layer.conv.weight.shape == (3, 2, 5, 5) and layer.conv.padding == (2, 2)
    assert layer(torch.zeros(4, 2, 9, 10)).shape == (4, 3, 9, 10)


def test_parameter_counts_conv_300_dense_56_6_million():
    layer = ConvolutionalLayer(filters=filters())
    assert count_parameters(layer) == 7 * 7 * 1 * 6 + 6 == 300
    dense = nn.Linear(48 * 64 * 1, 6 * 48 * 64, device="meta")  # no memory allocated
    assert dense.weight.numel() == 56_623_104
    assert count_parameters(dense) == 56_623_104 + 18_432
    assert round(dense.weight.numel() / 1e6, 1) == 56.6


def test_conv_weights_are_the_kernels_out_of_the_graph():
    layer = ConvolutionalLayer(filters=filters())
    weights = conv_weights(layer)
    assert type(weights) is torch.Tensor and not weights.requires_grad
    assert weights.shape == (6, 1, 7, 7) and torch.equal(weights, filters())
    assert weights.data_ptr() == layer.conv.weight.data_ptr()  # the same numbers, no copy
    weights.numpy()  # what plot_weights needs; the Parameter itself refuses
    with pytest.raises(RuntimeError, match="requires grad"):
        layer.conv.weight.numpy()
    # any module whose convolution is .conv: two input channels, and Tutorial 3's CNN
    torch.manual_seed(0)
    layer = ConvolutionalLayer(2, 3, 5)
    assert conv_weights(layer).shape == (3, 2, 5, 5)
    assert torch.equal(conv_weights(layer), layer.conv.weight)
    assert torch.equal(conv_weights(CNN(16, 24)), filters(6, 7))


@pytest.mark.bad_input
def test_conv_weights_rejects_modules_without_a_conv():
    with pytest.raises(TypeError, match="layer must be a torch.nn.Module"):
        conv_weights(filters())
    with pytest.raises(TypeError, match=r"Linear\.conv is NoneType"):
        conv_weights(nn.Linear(3, 2))
    holder = nn.Module()
    holder.conv = nn.Linear(3, 2)
    with pytest.raises(TypeError, match=r"Module\.conv is Linear"):
        conv_weights(holder)


@pytest.mark.bad_input
def test_layer_rejects_bad_input():
    with pytest.raises(
        ValueError,
        match=r"filters must have shape \(c_out, c_in, K, K\) = \(6, 1, 7, 7\), got \(6, 7, 7\)",
    ):
        ConvolutionalLayer(filters=torch.zeros(6, 7, 7))
    with pytest.raises(ValueError, match=r"= \(4, 1, 7, 7\), got \(6, 1, 7, 7\)"):
        ConvolutionalLayer(1, 4, 7, filters=filters())
    with pytest.raises(TypeError, match="filters must be a torch.Tensor or None"):
        ConvolutionalLayer(filters=np.zeros((6, 1, 7, 7)))
    with pytest.raises(ValueError, match="K must be a positive odd int, got 4"):
        ConvolutionalLayer(K=4)
    with pytest.raises(ValueError, match="c_out must be a positive int, got 0"):
        ConvolutionalLayer(c_out=0)
    layer = ConvolutionalLayer(filters=filters())
    with pytest.raises(
        ValueError, match=r"s must have shape \(n, c_in, H, W\) with c_in=1.*got shape \(48, 64\)"
    ):
        layer(grating(0))
    with pytest.raises(ValueError, match=r"got shape \(2, 3, 8, 8\)"):
        layer(torch.zeros(2, 3, 8, 8))
    with pytest.raises(TypeError, match="s must have the layer's dtype"):
        layer(torch.zeros(1, 1, 8, 8, dtype=torch.float64))


# ---- pooling is more tolerant of shifts than the convolution ---------------------------------


def test_pooling_changes_less_than_convolution_when_the_grating_shifts():
    # the tutorial's numbers: a vertical grating moved by 2 pixels (phase 360 * 2 / 17.6)
    layer = ConvolutionalLayer(filters=filters())
    shift = 360 * 2 / GRATING_PERIOD
    with torch.no_grad():
        a = layer(torch.stack([grating(0), grating(0, phase=shift)]).unsqueeze(1))

    def change(x):
        return ((x[1] - x[0]).norm() / x[0].norm()).item()

    conv_change = change(a)
    pool_changes = [change(max_pool(a, K)) for K in (4, 8, 16)]
    assert conv_change > 0.8  # the page: the maps change by about 90 %
    assert conv_change > pool_changes[0] > pool_changes[1] > pool_changes[2]
    assert pool_changes[2] < conv_change / 5  # a window as wide as the period: about 9 %


# ---- simple and complex cells ---------------------------------------------------------------


def test_gabor_by_hand_and_quadrature():
    even, odd = gabor(5, 0, 8, 1.5), gabor(5, 0, 8, 1.5, np.pi / 2)
    assert even.shape == (5, 5) and even.dtype == torch.float32
    assert even[2, 2] == 1.0
    assert even[2, 3] == pytest.approx(np.exp(-1 / (2 * 1.5**2)) * np.cos(2 * np.pi / 8), abs=1e-6)
    torch.testing.assert_close(odd, -odd.flip(1))  # odd along the columns
    torch.testing.assert_close(even, even.flip(1))


def test_complex_cell_is_nearly_phase_invariant_unlike_the_simple_cell():
    phases = np.arange(0, 360, 30)
    images = torch.stack([grating(0, phase=p) for p in phases])
    simple, complex_ = simple_and_complex_cells(images)
    assert simple.shape == complex_.shape == (12, 48, 64)
    s, c = simple[:, 24, 32], complex_[:, 24, 32]
    assert s.min() == 0 and s.max() > 60  # silent at some phases, strong at others
    assert (c.max() - c.min()) / c.mean() < 0.03  # within a few per cent at every phase
    # an orthogonal grating barely drives the complex cell
    _, orthogonal = simple_and_complex_cells(grating(90)[None])
    assert orthogonal[0, 24, 32] < 1e-3 * c.mean()


@pytest.mark.bad_input
def test_simple_and_complex_cells_reject_bad_input():
    with pytest.raises(ValueError, match=r"images must be an \(n, H, W\) float32 tensor"):
        simple_and_complex_cells(grating(0))
    with pytest.raises(ValueError, match="K must be a positive odd int"):
        simple_and_complex_cells(grating(0)[None], K=4)
    with pytest.raises(ValueError, match="sigma must be > 0"):
        simple_and_complex_cells(grating(0)[None], sigma=0)


# ---- figures --------------------------------------------------------------------------------


def test_plot_weights_all_channels_and_a_single_one():
    fig = plot_weights(filters())
    panels = [ax for ax in fig.axes if ax.get_title().startswith("channel")]
    assert [ax.get_title() for ax in panels] == [f"channel {c}" for c in range(6)]
    image = panels[0].images[0]
    assert image.get_cmap().name == "bwr" and image.get_clim()[0] == -image.get_clim()[1]
    single = plot_weights(filters(), channels=2, colorbar=False)  # the original failed here
    assert [ax.get_title() for ax in single.axes] == ["channel 2"]
    np.testing.assert_array_equal(single.axes[0].images[0].get_array(), filters()[2, 0].numpy())


def test_plot_example_activations_layout_and_colour_range():
    stimuli = _gratings()
    with torch.no_grad():
        act = ConvolutionalLayer(filters=filters())(stimuli)
    fig = plot_example_activations(stimuli, act, [0, 2, 4])
    maps = [ax for ax in fig.axes if ax.images]
    assert len(maps) == 5 * 4
    colorbar = [ax for ax in fig.axes if ax.get_ylabel() == "activation strength"]
    assert len(colorbar) == 1
    vmin, vmax = maps[1].images[0].get_clim()
    assert vmin == -vmax == pytest.approx(-act[:, [0, 2, 4]].abs().max().item())


@pytest.mark.bad_input
def test_plots_reject_bad_input():
    with pytest.raises(ValueError, match=r"weights must have shape \(c_out, c_in, K, K\)"):
        plot_weights(filters()[:, 0])
    with pytest.raises(ValueError, match="channels must be indices below the number of channels"):
        plot_weights(filters(), channels=[6])
    with pytest.raises(ValueError, match=r"act must have shape \(n, c_out, H, W\) with n = 5"):
        plot_example_activations(_gratings(), torch.zeros(4, 6, 48, 64), [0])
    with pytest.raises(ValueError, match="kernel must be"):
        plot_convolution_step(torch.zeros(4, 4), torch.zeros(2, 2), 0, 0)
    with pytest.raises(ValueError, match=r"row must be in \[0, 3\]"):
        plot_convolution_step(torch.zeros(4, 4), torch.zeros(3, 3), 4, 0)
    with pytest.raises(ValueError, match="K must be an odd int"):
        plot_weight_sharing(9, 2)


def test_plot_convolution_step_shows_the_computed_pixel():
    image = torch.tensor([[0.0, 1, 1], [1, 1, 0], [1, 0, 0]])
    kernel = torch.tensor([[1.0, 0, -1], [1, 0, -1], [1, 0, -1]])
    fig = plot_convolution_step(image, kernel, 1, 1)
    expected = conv2d(image, kernel)[1, 1].item()
    assert fig.axes[3].get_title() == f"output: {expected:g} at (1, 1)"
    assert len(fig.axes[2].texts) == 9  # one product per kernel weight


def test_plot_weight_sharing_counts_the_weights():
    fig = plot_weight_sharing(9, 3)
    assert fig.axes[0].get_title() == "fully connected: 81 weights"
    assert fig.axes[1].get_title() == "convolution, K = 3: 3 weights"
    assert len(fig.axes[0].lines) == 81 and len(fig.axes[1].lines) == 9 * 3 - 2
    assert len({line.get_color() for line in fig.axes[1].lines}) == 3  # shared weights


# ---- the orientation widget -----------------------------------------------------------------


def test_widget_callback_draws_the_grating_and_six_maps():
    before = plt.get_fignums()
    fig = conv_activations_figure(45, 90)
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    images = [ax.images[0].get_array() for ax in fig.axes if ax.images]
    assert len(images) == 7
    np.testing.assert_array_equal(images[0], grating(45, phase=90).numpy())
    with torch.no_grad():
        act = ConvolutionalLayer(filters=filters())(grating(45, phase=90)[None, None])[0]
    np.testing.assert_allclose(images[3], act[2].numpy(), rtol=1e-6)
    # every grating the sliders can make stays inside the fixed colour range
    assert act.abs().max() < widgets.CONV_ACT_LIMIT


def test_widget_has_a_fallback_and_redraws_on_slider_changes(monkeypatch):
    shown = conv_activations_widget(30, 0)
    assert isinstance(shown, StaticFallback)
    data, _ = DisplayFormatter().format(shown)
    html = data["text/html"]
    assert "Launch this page as a notebook" in html and "30 degrees" in html
    png = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(png).startswith(b"\x89PNG")
    drawn = []
    real = widgets.conv_activations_figure
    monkeypatch.setattr(
        widgets, "conv_activations_figure", lambda a, p: drawn.append((a, p)) or real(a, p)
    )
    angle_slider, phase_slider, _ = shown.widget.children
    angle_slider.value = -60
    phase_slider.value = 180
    assert drawn == [(-60, 0), (-60, 180)]


@pytest.mark.bad_input
def test_widget_rejects_values_outside_the_sliders():
    with pytest.raises(ValueError, match="angle must be between -90 and 90"):
        conv_activations_widget(120)
    with pytest.raises(TypeError, match="phase must be a number"):
        conv_activations_widget(0, "90")
    with pytest.raises(ValueError, match="angle must be finite"):
        conv_activations_figure(float("nan"))
