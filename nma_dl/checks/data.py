"""Self-check of the exercise that prepares data: shuffle_and_split_data."""

from __future__ import annotations

from functools import partial

import torch

from nma_dl.checks._compare import (
    _compare_tensor,
    _differs,
    _hinted,
    _not_a_tensor,
    _shape_differs,
    _unpack,
)
from nma_dl.checks._core import (
    _call,
    _documented,
    _Mismatch,
    _require_callable,
    _returned_value,
    _run,
)
from nma_dl.checks._sandbox import _SEED, _seed_all
from nma_dl.data.toy import shuffle_and_split_data
from nma_dl.i18n import tr

__all__ = ["check_shuffle_and_split_data"]


_SPLIT_NAMES = ("X_test", "y_test", "X_train", "y_train")
_SPLIT_CASES = [(10, 2021), (23, 0), (7, 5)]  # (samples, seed)


def _split_case(func, n, seed):
    # Every sample's features and label identify it, so any mix-up shows.
    X = torch.arange(2 * n, dtype=torch.float32).reshape(n, 2)
    y = torch.arange(n)
    expected = shuffle_and_split_data(X, y, seed)
    call = f"shuffle_and_split_data(X, y, seed={seed})"
    got = _unpack(_call(call, func, X.clone(), y.clone(), seed=seed), _SPLIT_NAMES, call)
    _compare_sizes(got, expected)
    # The split must depend on the seed alone, not on the global random state.
    _seed_all(_SEED - 1)
    again = _unpack(_call(call, func, X.clone(), y.clone(), seed=seed), _SPLIT_NAMES, call)
    if not all(
        isinstance(b, torch.Tensor) and a.shape == b.shape and torch.equal(a, b)
        for a, b in zip(got, again, strict=True)
    ):
        raise _Mismatch(
            tr(
                "two calls with seed={seed} gave different splits: draw the permutation from "
                "the seeded generator",
                seed=seed,
            )
        )
    if torch.equal(got[0], X[: len(got[0])]) and not torch.equal(got[0], expected[0]):
        raise _Mismatch(
            tr("X_test holds the first samples in their original order: shuffle first")
        )
    _diagnose_order(got, n, seed)
    for index, name in enumerate(_SPLIT_NAMES):
        what = _returned_value(name, index + 1)
        _compare_tensor(got[index], expected[index], what, exact=True)


def _sample_ids(X_part, y_part, n):
    """Return which samples the rows of ``X_part`` and ``y_part`` are, or None if they are not.

    The check's sample k has features (2k, 2k + 1) and label k.
    """
    X_part, y_part = X_part.detach().cpu().double(), y_part.detach().cpu().double()
    if X_part.ndim != 2 or X_part.shape[1] != 2 or y_part.ndim != 1:
        return None
    x_ids, y_ids = X_part[:, 0] / 2, y_part
    samples = (X_part[:, 1] == X_part[:, 0] + 1) & (x_ids == x_ids.round())
    samples &= (x_ids >= 0) & (x_ids < n) & (y_ids == y_ids.round()) & (y_ids >= 0) & (y_ids < n)
    return (x_ids.long(), y_ids.long()) if bool(samples.all()) else None


def _diagnose_order(got, n, seed):
    """Raise _Mismatch if samples are unpaired, lost, or in another order than the reference's."""
    ids = [_sample_ids(got[0], got[1], n), _sample_ids(got[2], got[3], n)]
    if None in ids:
        return  # not rows of X and labels of y: the comparison below says what differs
    (x_test, _), (x_train, _) = ids
    for part, (x_ids, y_ids) in zip(("test", "train"), ids, strict=True):
        if not torch.equal(x_ids, y_ids):
            raise _Mismatch(
                tr(
                    "X_{part} and y_{part} are no longer paired: samples carry the labels of "
                    "other samples, so X and y were shuffled in different orders: shuffle both "
                    "with the same permutation",
                    part=part,
                )
            )
    order = torch.cat([x_test, x_train])
    if not torch.equal(order.sort().values, torch.arange(n)):
        raise _Mismatch(
            tr(
                "some samples appear twice and others not at all: X_test and X_train should "
                "split one permutation of all the samples"
            )
        )
    # The reference's permutation, as shuffle_and_split_data draws it.
    wanted = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    if torch.equal(order, wanted):
        return
    what = _differs(_returned_value("X_test", 1))
    if torch.equal(x_test, wanted[n - len(x_test) :]):
        raise _Mismatch(
            tr(
                "{what}: it holds the last 20 % of the shuffled samples, where the test set is "
                "the first 20 %",
                what=what,
            )
        )
    if not torch.equal(x_test, wanted[: len(x_test)]):
        raise _Mismatch(
            tr(
                "{what}: X and y are paired right, but shuffled by another permutation than the "
                "reference's: the split must come from torch.randperm(N, generator=generator), "
                "drawn from the generator the stub seeds with seed",
                what=what,
            )
        )


def _compare_sizes(got, expected):
    """Check that the four returned values are tensors of the reference's shapes."""
    # Returned first, the training set: as many samples as the reference's X_train.
    train_first = [
        (
            lambda value: len(value) == len(expected[2]),
            tr(": the test set should be the smaller part, returned first"),
        )
    ]
    for index, name in enumerate(_SPLIT_NAMES):
        value, wanted = got[index], expected[index]
        if not isinstance(value, torch.Tensor):
            raise _Mismatch(_not_a_tensor(name, value))
        if value.shape != wanted.shape:
            what = _returned_value(name, index + 1)
            # As many samples (or a single number): only the whole shapes tell the two apart.
            if value.ndim == 0 or len(value) == len(wanted):
                raise _Mismatch(_shape_differs(what, tuple(value.shape), tuple(wanted.shape)))
            with _hinted(value, train_first if index == 0 else []):
                raise _Mismatch(
                    tr(
                        "{what} has {count} samples, expected {expected}",
                        what=what,
                        count=len(value),
                        expected=len(wanted),
                    )
                )


@_documented
def check_shuffle_and_split_data(func):
    """Check the function of Coding Exercise 2.3 of the MLP tutorial.

    Calls ``func(X, y, seed=…)`` for three sizes and seeds and compares the four returned
    tensors ``(X_test, y_test, X_train, y_train)`` with those of
    :func:`nma_dl.shuffle_and_split_data`, exactly; it also calls ``func`` twice with the same
    seed from different global random states, which must give the same split. Every sample's
    features and label say which sample it is, so a split whose X and y were shuffled apart, or
    by another permutation than the seeded generator's, is told which.

    Parameters
    ----------
    func : callable
        The student's ``shuffle_and_split_data(X, y, seed)``.

    Examples
    --------
    >>> from nma_dl import shuffle_and_split_data
    >>> result = check_shuffle_and_split_data(shuffle_and_split_data)
    ✓ shuffle_and_split_data: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "shuffle_and_split_data", "function")

    cases = [
        (
            tr("{count} samples, seed={seed}", count=n, seed=seed),
            partial(_split_case, func, n, seed),
        )
        for n, seed in _SPLIT_CASES
    ]
    return _run("shuffle_and_split_data", cases)
