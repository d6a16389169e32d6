"""nma_dl.data.toy: spiral data set, seeded shuffle-and-split, loaders, the decision-map grid."""

import math

import pytest
import torch

from nma_dl.data.toy import (
    create_spiral_dataset,
    make_loaders,
    sample_grid,
    shuffle_and_split_data,
)


def test_spiral_shapes_dtypes_and_labels():
    torch.manual_seed(0)
    X, y = create_spiral_dataset(4, 0.16, 1000)
    assert X.shape == (4000, 2) and X.dtype == torch.float32
    assert y.shape == (4000,) and y.dtype == torch.long
    for k in range(4):
        assert torch.all(y[k * 1000 : (k + 1) * 1000] == k)
    assert torch.bincount(y).tolist() == [1000] * 4


def test_spiral_without_noise_follows_the_formula():
    X, y = create_spiral_dataset(3, 0.0, 5)
    t = torch.linspace(0, 1, 5)
    for k in range(3):
        angle = 2 * math.pi / 3 * (2 * t + k)
        torch.testing.assert_close(X[y == k, 0], t * torch.sin(angle))
        torch.testing.assert_close(X[y == k, 1], t * torch.cos(angle))
    # every arm starts at the origin (t = 0) and ends on the unit circle (t = 1)
    assert torch.all(X[::5].abs() < 1e-6)
    torch.testing.assert_close(X[4::5].norm(dim=1), torch.ones(3))


def test_spiral_is_seeded_by_the_global_generator_or_a_given_one():
    torch.manual_seed(2021)
    a, _ = create_spiral_dataset(4, 0.16, 50)
    torch.manual_seed(2021)
    b, _ = create_spiral_dataset(4, 0.16, 50)
    c, _ = create_spiral_dataset(4, 0.16, 50, generator=torch.Generator().manual_seed(2021))
    assert torch.equal(a, b) and torch.equal(a, c)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "args, error, match",
    [
        ((0, 0.1, 10), ValueError, "K must be"),
        ((2.5, 0.1, 10), TypeError, "K must be an int"),
        ((True, 0.1, 10), TypeError, "K must be an int"),
        ((4, -0.1, 10), ValueError, "sigma must be >= 0"),
        ((4, float("nan"), 10), ValueError, "sigma must be finite"),
        ((4, "0.1", 10), TypeError, "sigma must be a real number"),
        ((4, 0.1, 0), ValueError, "N must be"),
    ],
)
def test_spiral_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        create_spiral_dataset(*args)


@pytest.mark.bad_input
def test_spiral_rejects_a_non_generator():
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        create_spiral_dataset(2, 0.1, 3, generator=42)


def test_split_sizes_disjoint_and_complete():
    X = torch.arange(1000, dtype=torch.float32).reshape(500, 2)
    y = torch.arange(500)
    X_test, y_test, X_train, y_train = shuffle_and_split_data(X, y, seed=2021)
    assert len(X_test) == len(y_test) == 100
    assert len(X_train) == len(y_train) == 400
    assert set(y_test.tolist()).isdisjoint(y_train.tolist())
    assert sorted(y_test.tolist() + y_train.tolist()) == list(range(500))
    # rows stay paired with their labels
    assert torch.equal(X_test[:, 0], 2 * y_test.float())
    assert torch.equal(X_train[:, 1], 2 * y_train.float() + 1)


def test_split_is_seeded_and_leaves_the_global_generator_alone():
    X, y = torch.randn(40, 3), torch.arange(40)
    torch.manual_seed(1)
    before = torch.get_rng_state()
    first = shuffle_and_split_data(X, y, seed=7)
    assert torch.equal(torch.get_rng_state(), before)
    second = shuffle_and_split_data(X, y, seed=7)
    third = shuffle_and_split_data(X, y, seed=8)
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))
    assert not torch.equal(first[1], third[1])
    # same order as the original recipe: torch.manual_seed(seed); torch.randperm(N)
    torch.manual_seed(7)
    order = torch.randperm(40)
    assert torch.equal(first[1], order[:8])


def test_split_fraction_rounds_down():
    X, y = torch.zeros(11, 2), torch.zeros(11, dtype=torch.long)
    X_test, _, X_train, _ = shuffle_and_split_data(X, y, seed=0, test_fraction=0.5)
    assert (len(X_test), len(X_train)) == (5, 6)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "X, y, seed, fraction, error, match",
    [
        ([[0.0]], torch.zeros(1), 0, 0.2, TypeError, "X must be a torch.Tensor"),
        (torch.zeros(3, 2), [0, 1, 2], 0, 0.2, TypeError, "y must be a torch.Tensor"),
        (torch.zeros(3, 2), torch.zeros(4), 0, 0.2, ValueError, "as many samples"),
        (torch.zeros(3, 2), torch.zeros(3), -1, 0.2, ValueError, "seed must be"),
        (torch.zeros(3, 2), torch.zeros(3), 1.5, 0.2, TypeError, "seed must be an int"),
        (
            torch.zeros(3, 2),
            torch.zeros(3),
            2**70,
            0.2,
            ValueError,
            r"seed must be in \[0, 2\*\*32\)",
        ),
        (torch.tensor(1.0), torch.zeros(3), 0, 0.2, ValueError, "X needs a sample dimension"),
        (
            torch.zeros(3, 2),
            torch.zeros(3),
            0,
            1.0,
            ValueError,
            r"test_fraction must be in \[0, 1\)",
        ),
        (torch.zeros(3, 2), torch.zeros(3), 0, -0.1, ValueError, "test_fraction must be >= 0"),
    ],
)
def test_split_rejects_bad_arguments(X, y, seed, fraction, error, match):
    with pytest.raises(error, match=match):
        shuffle_and_split_data(X, y, seed, test_fraction=fraction)


def test_loaders_batches_and_reproducible_order():
    X, y = torch.randn(300, 2), torch.arange(300)
    X_test, y_test, X_train, y_train = shuffle_and_split_data(X, y, seed=0)
    train_loader, test_loader = make_loaders(
        X_train, y_train, X_test, y_test, batch_size=32, seed=3
    )
    first_epoch = [labels for _, labels in train_loader]
    assert [len(b) for b in first_epoch] == [32] * (240 // 32)  # the incomplete batch is dropped
    seen = torch.cat(first_epoch)
    assert not torch.equal(seen, y_train[: len(seen)])  # shuffled
    assert torch.equal(torch.cat([labels for _, labels in test_loader]), y_test)  # test order kept
    again, _ = make_loaders(X_train, y_train, X_test, y_test, batch_size=32, seed=3)
    assert torch.equal(torch.cat(first_epoch), torch.cat([b for _, b in again]))


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be"),
        ({"num_workers": -1}, ValueError, "num_workers must be"),
        ({"seed": "1"}, TypeError, "seed must be an int"),
        ({"seed": 2**32}, ValueError, r"seed must be in \[0, 2\*\*32\)"),
    ],
)
def test_loaders_reject_bad_arguments(kwargs, error, match):
    X, y = torch.zeros(4, 2), torch.zeros(4, dtype=torch.long)
    with pytest.raises(error, match=match):
        make_loaders(X, y, X, y, **kwargs)


@pytest.mark.bad_input
def test_loaders_name_the_bad_tensor():
    X, y = torch.zeros(4, 2), torch.zeros(4, dtype=torch.long)
    with pytest.raises(TypeError, match="X_train must be a torch.Tensor"):
        make_loaders(X.tolist(), y, X, y)
    with pytest.raises(ValueError, match="X_test and y_test must have as many samples"):
        make_loaders(X, y, X, y[:3])
    with pytest.raises(ValueError, match="X_train must hold at least one sample"):
        make_loaders(X[:0], y[:0], X, y)


def test_sample_grid_layout():
    grid = sample_grid(M=3, x_max=1.0)
    assert grid.shape == (9, 2)
    assert grid[0].tolist() == [-1.0, -1.0] and grid[1].tolist() == [-1.0, 0.0]
    assert grid[-1].tolist() == [1.0, 1.0]
    assert sample_grid().shape == (500 * 500, 2)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"M": 1}, ValueError, "M must be"),
        ({"M": 2.0}, TypeError, "M must be an int"),
        ({"x_max": 0}, ValueError, "x_max must be > 0"),
        ({"x_max": "2"}, TypeError, "x_max must be a real number"),
        ({"x_max": 1e308}, ValueError, "x_max must fit in float32"),
    ],
)
def test_sample_grid_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        sample_grid(**kwargs)
