"""The hand-written cross-entropy equals PyTorch's, also where naive formulas overflow."""

import pytest
import torch
from torch import nn

from nma_dl.losses import cross_entropy_loss

LABELS = torch.tensor([0, 1])
X = torch.tensor(
    [
        [10.0, 1.0, -1.0, -20.0],  # classified correctly
        [10.0, 10.0, 2.0, -10.0],
    ]
)  # a tie: not classified correctly


def test_matches_pytorch_on_the_tutorial_example():
    ours = cross_entropy_loss(X, LABELS).item()
    theirs = nn.CrossEntropyLoss()(X, LABELS).item()
    assert abs(ours - theirs) < 1e-6
    assert ours == pytest.approx(0.3467275, abs=1e-6)


@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_stable_for_huge_logits(scale):
    x = X / 10 * scale  # logits of order 1e4: exp overflows float32 (and float64)
    assert not torch.isfinite(torch.log(torch.exp(x).sum(dim=1))).all()  # the naive formula fails
    ours = cross_entropy_loss(x, LABELS)
    theirs = nn.CrossEntropyLoss()(x, LABELS)
    assert torch.isfinite(ours)
    torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-6)


def test_huge_logit_tie_costs_log_two():
    x = torch.tensor([[1e4, 1e4, -1e4]])
    assert cross_entropy_loss(x, torch.tensor([1])).item() == pytest.approx(0.6931472, abs=1e-6)


def test_random_batches_and_gradients_match_pytorch():
    gen = torch.Generator().manual_seed(0)
    for scale in (1.0, 30.0, 1e4):
        x = (torch.randn(64, 10, generator=gen) * scale).requires_grad_()
        labels = torch.randint(0, 10, (64,), generator=gen)
        ours, theirs = cross_entropy_loss(x, labels), nn.CrossEntropyLoss()(x, labels)
        torch.testing.assert_close(ours, theirs, rtol=1e-6, atol=1e-5)
        (g_ours,) = torch.autograd.grad(ours, x)
        (g_theirs,) = torch.autograd.grad(theirs, x)
        torch.testing.assert_close(g_ours, g_theirs)


def test_float64_and_int32_labels():
    x = X.double()
    ours = cross_entropy_loss(x, LABELS.int())
    assert ours.dtype == torch.float64
    assert ours.item() == pytest.approx(nn.CrossEntropyLoss()(x, LABELS).item(), abs=1e-12)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "x, labels, error, match",
    [
        ([[1.0, 2.0]], torch.tensor([0]), TypeError, "x must be a torch.Tensor"),
        (X, [0, 1], TypeError, "labels must be a torch.Tensor"),
        (X.long(), LABELS, TypeError, "floating-point logits"),
        (X, LABELS.float(), TypeError, "integer class indices"),
        (X[0], LABELS, ValueError, r"x must have shape \(N, C\)"),
        (X, LABELS[:, None], ValueError, r"labels must have shape \(N,\)"),
        (X, torch.tensor([0, 1, 2]), ValueError, "one entry per row"),
        (X, torch.tensor([0, 4]), ValueError, r"labels must lie in \[0, 3\]"),
        (X, torch.tensor([-1, 0]), ValueError, r"labels must lie in \[0, 3\]"),
        (torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), ValueError, "at least one sample"),
        (torch.tensor([[float("nan"), 1.0]]), torch.tensor([0]), ValueError, "x must hold finite"),
        (torch.tensor([[float("inf"), 1.0]]), torch.tensor([0]), ValueError, "x must hold finite"),
        (
            torch.tensor([[-float("inf"), 1.0]]),
            torch.tensor([1]),
            ValueError,
            "x must hold finite",
        ),
    ],
)
def test_rejects_bad_inputs(x, labels, error, match):
    with pytest.raises(error, match=match):
        cross_entropy_loss(x, labels)
