"""Toy data sets for the multi-layer perceptron tutorials.

* :func:`create_spiral_dataset`: ``K`` noisy interleaved spiral arms in the plane, one class each;
* :func:`shuffle_and_split_data`: a seeded shuffle and a train/test split (20 % test by default);
* :func:`make_loaders`: the train and test :class:`~torch.utils.data.DataLoader` pair, seeded;
* :func:`sample_grid`: every point of a square grid, for drawing a classifier's decision map.

The spiral of class ``k`` (``k = 0 … K-1``) is, for ``t`` going from 0 to 1,

.. math::

    x_1 = t\\,\\big(\\sin(2\\pi/K\\,(2t + k)) + \\sigma\\,\\varepsilon_1\\big),\\qquad
    x_2 = t\\,\\big(\\cos(2\\pi/K\\,(2t + k)) + \\sigma\\,\\varepsilon_2\\big),

with independent standard normal noise :math:`\\varepsilon`. The noise is drawn from torch's
global generator (seed it with :func:`nma_dl.set_seed`) unless a ``generator`` is given.
"""

from __future__ import annotations

import math
import numbers

import torch
from torch.utils.data import DataLoader, TensorDataset

__all__ = ["create_spiral_dataset", "shuffle_and_split_data", "make_loaders", "sample_grid"]


def _check_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an int >= {minimum}, got {type(value).__name__} {value!r}"
        )
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def _check_real(value, name, *, minimum=None, exclusive=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if minimum is not None and (value <= minimum if exclusive else value < minimum):
        sign = ">" if exclusive else ">="
        raise ValueError(f"{name} must be {sign} {minimum}, got {value!r}")
    return value


_MAX_SEED = 2**32  # the range set_seed accepts


def _check_seed(seed):
    seed = _check_int(seed, "seed", minimum=0)
    if seed >= _MAX_SEED:
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    return seed


def _check_xy(X, y, names=("X", "y"), *, nonempty=False):
    xn, yn = names
    if not isinstance(X, torch.Tensor):
        raise TypeError(f"{xn} must be a torch.Tensor, got {type(X).__name__}")
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"{yn} must be a torch.Tensor, got {type(y).__name__}")
    if X.dim() == 0:
        raise ValueError(f"{xn} needs a sample dimension, got a 0-d tensor")
    if y.dim() == 0:
        raise ValueError(f"{yn} needs a sample dimension, got a 0-d tensor")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"{xn} and {yn} must have as many samples, got {X.shape[0]} ({xn}) and "
            f"{y.shape[0]} ({yn})"
        )
    if nonempty and X.shape[0] == 0:
        raise ValueError(f"{xn} must hold at least one sample, got shape {tuple(X.shape)}")


def create_spiral_dataset(K, sigma, N, *, generator=None):
    """``K`` spiral arms of ``N`` points each, with Gaussian noise of standard deviation ``sigma``.

    Args:
        K: number of classes (arms), int >= 1.
        sigma: noise standard deviation, real >= 0.
        N: points per arm, int >= 1.
        generator: optional :class:`torch.Generator` for the noise (default: torch's global one).

    Returns
    -------
        ``(X, y)``: ``X`` float32 of shape ``(K*N, 2)`` and ``y`` int64 labels of shape
        ``(K*N,)``, arm ``k`` occupying rows ``k*N`` to ``(k+1)*N - 1``.
    """
    K = _check_int(K, "K")
    sigma = _check_real(sigma, "sigma", minimum=0.0)
    N = _check_int(N, "N")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"generator must be a torch.Generator or None, got {type(generator).__name__}"
        )
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

    Returns
    -------
        ``(X_test, y_test, X_train, y_train)``, the test part holding
        ``int(test_fraction * len(X))`` samples.
    """
    _check_xy(X, y)
    seed = _check_seed(seed)
    test_fraction = _check_real(test_fraction, "test_fraction", minimum=0.0)
    if test_fraction >= 1:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")
    n = X.shape[0]
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    X, y = X[order], y[order]
    test_size = int(test_fraction * n)
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def make_loaders(X_train, y_train, X_test, y_test, *, batch_size=128, seed=2021, num_workers=0):
    """Train and test data loaders over in-memory tensors, reproducible from ``seed``.

    The training loader shuffles (with a generator seeded by ``seed``) and drops the last
    incomplete batch; the test loader keeps the order. Worker processes, if any, are seeded by
    :func:`nma_dl.seed_worker`. ``num_workers=0`` (the default) loads in the main process: for a
    few thousand points already in memory, worker processes only add start-up cost.

    Returns
    -------
        ``(train_loader, test_loader)``.
    """
    _check_xy(X_train, y_train, ("X_train", "y_train"), nonempty=True)
    _check_xy(X_test, y_test, ("X_test", "y_test"), nonempty=True)
    batch_size = _check_int(batch_size, "batch_size")
    seed = _check_seed(seed)
    num_workers = _check_int(num_workers, "num_workers", minimum=0)
    from nma_dl.device import seed_worker

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
    """The ``M * M`` points of a square grid over ``[-x_max, x_max]²``, shape ``(M*M, 2)``.

    Row ``i * M + j`` holds ``(u_i, u_j)`` with ``u = linspace(-x_max, x_max, M)``: the first
    coordinate varies slowest (``indexing="ij"``).
    """
    M = _check_int(M, "M", minimum=2)
    x_max = _check_real(x_max, "x_max", minimum=0.0, exclusive=True)
    if x_max > torch.finfo(torch.float32).max:
        raise ValueError(f"x_max must fit in float32 (<= 3.4e38), got {x_max!r}")
    axis = torch.linspace(-x_max, x_max, M)
    ii, jj = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([ii, jj], dim=-1).reshape(-1, 2)
