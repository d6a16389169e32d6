"""nma_dl.plotting.architecture: the diagram of a network, its shapes computed from the model."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from torch import nn

from nma_dl import CNN, plot_architecture


def _texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


def _flat(fig):
    return " | ".join(" ".join(t.split()) for t in _texts(fig))


def test_the_cnn_of_tutorial_3_with_its_shapes():
    notes = {"conv": "then ReLU", "fc": "then ReLU", "out": "then sigmoid"}
    fig = plot_architecture(CNN(48, 64), (48, 64), notes=notes)
    ax = fig.axes[0]
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 5
    assert len([p for p in ax.patches if isinstance(p, FancyArrowPatch)]) == 4
    texts = _texts(fig)
    # names in the order of the forward pass, each box's output shape under it
    names = [t for t in texts if t in {"input", "conv", "pool", "fc", "out"}]
    assert names == ["input", "conv", "pool", "fc", "out"]
    for shape in ("48 × 64", "6 × 48 × 64", "6 × 6 × 8", "10", "1"):
        assert shape in texts, (shape, texts)
    flat = _flat(fig)
    assert "6 filters of 1 × 7 × 7 then ReLU" in flat
    assert "max over 8 × 8 patches" in flat
    assert "fully connected 288 → 10 then ReLU" in flat
    assert "fully connected 10 → 1 then sigmoid" in flat
    # the reshapes of CNN.forward label their arrows: one channel added, then flattened
    assert "reshape to 1 × 48 × 64" in flat and "flatten to 288" in flat


def test_the_shapes_are_computed_from_the_model():
    fig = plot_architecture(CNN(16, 24), (16, 24))
    texts = _texts(fig)
    assert "6 × 2 × 3" in texts and "6 × 16 × 24" in texts
    assert "flatten to 36" in _flat(fig)
    assert "then ReLU" not in _flat(fig)  # no notes, no claims about the forward pass


class _Reordered(nn.Module):
    """Layers defined in one order and called in another; one never called."""

    def __init__(self):
        super().__init__()
        self.second = nn.Linear(4, 2)
        self.unused = nn.Linear(9, 9)
        self.first = nn.Linear(3, 4)

    def forward(self, x):
        return self.second(torch.tanh(self.first(x)))


def test_layers_in_call_order_and_hooks_removed():
    net = _Reordered()
    fig = plot_architecture(net, (3,), notes={"first": "then tanh"})
    names = [t for t in _texts(fig) if t in {"input", "first", "second", "unused"}]
    assert names == ["input", "first", "second"]
    assert "one input" in _texts(fig)
    assert "reshape" not in _flat(fig) and "flatten" not in _flat(fig)
    for module in net.modules():
        assert not module._forward_hooks
    assert net.first.weight.grad is None  # no gradients were computed


def test_bad_input_is_named():
    with pytest.raises(TypeError, match="net must be a torch.nn.Module"):
        plot_architecture("CNN", (48, 64))
    with pytest.raises(TypeError, match="input_shape"):
        plot_architecture(CNN(48, 64), 48)
    with pytest.raises((TypeError, ValueError), match="input_shape"):
        plot_architecture(CNN(48, 64), (48, 0))
    with pytest.raises(ValueError, match=r"input_shape must be the shape.*CNN.*\(10, 10\)"):
        plot_architecture(CNN(48, 64), (10, 10))
    with pytest.raises(TypeError, match="notes"):
        plot_architecture(CNN(48, 64), (48, 64), notes=["conv"])
    with pytest.raises(ValueError, match="notes must name layers.*relu"):
        plot_architecture(CNN(48, 64), (48, 64), notes={"relu": "x"})
    with pytest.raises(ValueError, match="net must call at least one"):
        plot_architecture(nn.Identity(), (3,))


def test_the_boxes_stand_in_a_column_narrow_enough_for_a_phone():
    from nma_dl.plotting.style import STYLE_PATH

    with plt.style.context(str(STYLE_PATH)):  # the course's style, as the notebooks use it
        fig = plot_architecture(CNN(48, 64), (48, 64))
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    xs = {round(b.get_x(), 6) for b in boxes}
    ys = [b.get_y() for b in boxes]
    assert len(xs) == 1 and ys == sorted(ys, reverse=True)  # one column, top to bottom
    # 5.5 in at 100 dpi: a phone shows it at 0.6 of its size or more, so its 12 pt text
    # (the smallest it uses) stays above 8 CSS px.
    assert fig.get_size_inches()[0] <= 6
    assert min(t.get_fontsize() for t in ax.texts) >= 12
    plt.close(fig)
