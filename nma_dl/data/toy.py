r"""Toy data sets for the multi-layer perceptron tutorials: spirals, seeded splits, loaders, grids.

* :func:`create_spiral_dataset`: ``K`` noisy interleaved spiral arms in the plane, one class each;
* :func:`shuffle_and_split_data`: a seeded shuffle and a train/test split (20 % test by default);
* :func:`make_loaders`: the train and test :class:`~torch.utils.data.DataLoader` pair, seeded;
* :func:`sample_grid`: every point of a square grid, for drawing a classifier's decision map.

The spiral of class ``k`` (``k = 0 … K-1``) is, for ``t`` going from 0 to 1,

.. math::

    x_1 = t\,\big(\sin(2\pi/K\,(2t + k)) + \sigma\,\varepsilon_1\big),\qquad
    x_2 = t\,\big(\cos(2\pi/K\,(2t + k)) + \sigma\,\varepsilon_2\big),

with independent standard normal noise :math:`\varepsilon`. The noise is drawn from torch's
global generator (seed it with :func:`nma_dl.set_seed`) unless a ``generator`` is given.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import torch
from torch.utils.data import DataLoader, TensorDataset

from nma_dl._validate import (
    Interval,
    require,
    validate_instance,
    validate_int,
    validate_memory,
    validate_real,
    validate_samples,
    validate_seed,
    validate_steps,
)
from nma_dl.device import seed_worker

__all__ = ["create_spiral_dataset", "shuffle_and_split_data", "make_loaders", "sample_grid"]

_GENERATOR = "a torch.Generator or None"


def _count(value, name, minimum=1):
    """Return an int >= ``minimum``; both messages say so (``"K must be an int >= 1, got 0"``)."""
    return validate_int(value, name, Interval(Integral, minimum), expected=f"an int >= {minimum}")


def create_spiral_dataset(K, sigma, N, *, generator=None):
    """Make ``K`` spiral arms of ``N`` points each, with Gaussian noise of sd ``sigma``.

    Parameters
    ----------
    K : int
        Number of classes (arms), at least 1.
    sigma : float
        Standard deviation of the noise, at least 0.
    N : int
        Points per arm, at least 1.
    generator : torch.Generator, optional
        Source of the noise; torch's global generator if omitted.

    Returns
    -------
    X : torch.Tensor
        float32 points, shape ``(K*N, 2)``; arm ``k`` occupies rows ``k*N`` to ``(k+1)*N - 1``.
    y : torch.Tensor
        int64 class of each point, shape ``(K*N,)``.

    Raises
    ------
    ValueError
        Before anything is drawn, when the data set would need more memory than the limit of
        :func:`nma_dl._validate.validate_memory` (about 28 bytes per point) or the loop over the
        arms more steps than that of :func:`nma_dl._validate.validate_steps` (an arm counts as
        1000 steps: it is a Python iteration of several tensor operations).
    """
    K = _count(K, "K")
    sigma = validate_real(sigma, "sigma", Interval(Real, 0.0))
    N = _count(N, "N")
    validate_steps(1000 * K, f"create_spiral_dataset(K={K}) (a Python loop over its K arms)")
    # X (8 bytes a point) and y (8), plus the temporaries of one arm (t, angle, noise: 12 a point).
    validate_memory(
        16 * K * N + 12 * N, f"create_spiral_dataset(K={K}, N={N}) ({K * N:.3g} points)"
    )
    validate_instance(generator, (torch.Generator, type(None)), "generator", _GENERATOR)
    t = torch.linspace(0, 1, N)
    X = torch.zeros(K * N, 2)
    y = torch.zeros(K * N, dtype=torch.long)
    for k in range(K):
        angle = 2 * math.pi / K * (2 * t + k)
        # Same order of draws as the original course: first coordinate, then second, per arm.
        rows = slice(k * N, (k + 1) * N)
        X[rows, 0] = t * (torch.sin(angle) + sigma * torch.randn(N, generator=generator))
        X[rows, 1] = t * (torch.cos(angle) + sigma * torch.randn(N, generator=generator))
        y[rows] = k
    return X, y


def shuffle_and_split_data(X, y, seed, test_fraction=0.2):
    """Shuffle samples with a seeded permutation and split off the first ``test_fraction``.

    The permutation comes from a private generator seeded with ``seed``, so torch's global
    random state is left alone, yet the order equals ``torch.manual_seed(seed);
    torch.randperm(len(X))``.

    Parameters
    ----------
    X : torch.Tensor
        Inputs, one row per sample.
    y : torch.Tensor
        Labels, as many rows.
    seed : int
        Seed of the permutation, in ``[0, 2**32)``.
    test_fraction : float, default=0.2
        Share of the samples put in the test set, in ``[0, 1)``.

    Returns
    -------
    X_test, y_test : torch.Tensor
        The first ``int(test_fraction * len(X))`` shuffled samples.
    X_train, y_train : torch.Tensor
        The others.
    """
    validate_samples(X, y)
    seed = validate_seed(seed)
    test_fraction = validate_real(test_fraction, "test_fraction", Interval(Real, 0.0))
    require(test_fraction < 1, "test_fraction", "in [0, 1)", test_fraction)
    n = X.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    X, y = X[order], y[order]
    test_size = int(test_fraction * n)
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def make_loaders(X_train, y_train, X_test, y_test, *, batch_size=128, seed=2021, num_workers=0):
    """Make train and test data loaders over in-memory tensors, reproducible from ``seed``.

    The training loader shuffles (with a generator seeded by ``seed``) and drops the last
    incomplete batch; the test loader keeps the order. Worker processes, if any, are seeded by
    :func:`nma_dl.seed_worker`. ``num_workers=0`` (the default) loads in the main process: for a
    few thousand points already in memory, worker processes only add start-up cost.

    Parameters
    ----------
    X_train, y_train : torch.Tensor
        Training inputs and labels, as many rows, at least one.
    X_test, y_test : torch.Tensor
        Test inputs and labels, likewise.
    batch_size : int, default=128
        Samples per batch.
    seed : int, default=2021
        Seed of the shuffling generator, in ``[0, 2**32)``.
    num_workers : int, default=0
        Worker processes per loader.

    Returns
    -------
    train_loader, test_loader : torch.utils.data.DataLoader
        The two loaders.
    """
    validate_samples(X_train, y_train, ("X_train", "y_train"), nonempty=True)
    validate_samples(X_test, y_test, ("X_test", "y_test"), nonempty=True)
    batch_size = _count(batch_size, "batch_size")
    seed = validate_seed(seed)
    num_workers = _count(num_workers, "num_workers", minimum=0)
    generator = torch.Generator().manual_seed(seed)
    common = dict(
        batch_size=batch_size,
        num_workers=num_workers,
        worker_init_fn=seed_worker,
        generator=generator,
    )
    train_loader = DataLoader(
        TensorDataset(X_train, y_train), shuffle=True, drop_last=True, **common
    )
    test_loader = DataLoader(TensorDataset(X_test, y_test), shuffle=False, **common)
    return train_loader, test_loader


def sample_grid(M=500, x_max=2.0):
    """List the ``M * M`` points of a square grid over ``[-x_max, x_max]²``.

    Parameters
    ----------
    M : int, default=500
        Points per side, at least 2.
    x_max : float, default=2.0
        Half-width of the square, > 0.

    Returns
    -------
    torch.Tensor
        float32 points, shape ``(M*M, 2)``: row ``i * M + j`` holds ``(u_i, u_j)`` with
        ``u = linspace(-x_max, x_max, M)``, so the first coordinate varies slowest
        (``indexing="ij"``).

    Raises
    ------
    ValueError
        When the grid and its temporaries (24 bytes a point) would need more memory than the
        limit of :func:`nma_dl._validate.validate_memory` (4 GB: ``M`` up to about 12,900).
    """
    M = _count(M, "M", minimum=2)
    validate_memory(24 * M * M, f"sample_grid(M={M}) ({M * M:.3g} points)")
    x_max = validate_real(x_max, "x_max", Interval(Real, 0.0, closed="neither"))
    if x_max > torch.finfo(torch.float32).max:
        raise ValueError(f"x_max must fit in float32 (<= 3.4e38), got {x_max!r}")
    axis = torch.linspace(-x_max, x_max, M)
    ii, jj = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([ii, jj], dim=-1).reshape(-1, 2)
