"""Self-checks of the exercises that analyse responses.

RDM, correlate_rdms and preferred_orientation.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import torch
from scipy.ndimage import gaussian_filter1d

from nma_dl._validate import check_array
from nma_dl.analysis import RDM, correlate_rdms, preferred_orientation
from nma_dl.checks._compare import _hinted, _off_by, _shape_differs
from nma_dl.checks._core import (
    _call,
    _documented,
    _kind,
    _Mismatch,
    _require_callable,
    _run,
    _two_numbers,
)
from nma_dl.i18n import tr

__all__ = ["check_RDM", "check_correlate_rdms", "check_preferred_orientation"]


def _as_array(got, what):
    """Return a float, an array or a tensor the student's function returned as a float array."""
    if not isinstance(got, (torch.Tensor, np.ndarray, float, np.floating)):
        raise _Mismatch(tr("{what} is {kind}, expected a NumPy array", what=what, kind=_kind(got)))
    return _checked(got, what, float)


def _checked(got, what, dtype):
    """Return ``got`` through :func:`~nma_dl._validate.check_array`, a refusal as a mismatch.

    A returned tensor may be a meta one, or hold complex numbers: the refusal names ``what``.
    """
    try:
        return check_array(got, what, dtype=dtype)
    except (TypeError, ValueError) as refusal:
        raise _Mismatch(str(refusal)) from None


def _responses(case):
    rng = np.random.default_rng(case)
    if case == 0:  # the three stimuli of a hand-computable case
        return np.array([[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0], [1.0, 3.0, 2.0, 4.0]])
    if case == 1:  # tuned units: nearby orientations give similar responses
        ori = np.linspace(-90, 90, 12, endpoint=False)
        pref = rng.uniform(-90, 90, 50)
        return np.exp(np.cos(np.deg2rad(2 * (ori[:, None] - pref)))) + 0.1 * rng.normal(
            size=(12, 50)
        )
    return rng.normal(size=(7, 300)) * rng.uniform(0.5, 5, size=(7, 1)) + 3  # rows of any scale


def _rdm_case(func, case):
    resp = _responses(case)
    expected = RDM(resp)
    what = tr("the RDM")
    got = _as_array(_call("RDM", func, resp.copy()), what)
    if got.shape != expected.shape:
        raise _Mismatch(_shape_differs(what, got.shape, expected.shape))
    same = partial(np.allclose, atol=1e-6)
    with _hinted(got, _rdm_mistakes(expected, resp.shape[1]), same=same):
        if not np.allclose(got, expected, atol=1e-6):
            raise _Mismatch(_off_by(what, np.abs(got - expected).max()))


def _rdm_mistakes(expected, n):
    """Yield the typical mistakes of RDM, with their hints (see _hinted), for ``n`` units."""
    yield 1 - expected, tr(": it is the correlation itself; the dissimilarity is one minus it")
    yield (
        lambda got: np.allclose(1 - got, (1 - expected) * (n - 1) / n, atol=1e-6),
        tr(": the z-scores should use the 1/N standard deviation (zscore's default)"),
    )
    yield (
        lambda got: np.allclose(1 - got, (1 - expected) * n, atol=1e-4),
        tr(": Z Z^T is a sum over the N units; divide it by N"),
    )
    yield (
        lambda got: not np.allclose(np.diag(got), 0, atol=1e-6),
        tr(": its diagonal is not 0; is each row z-scored across units (axis=1)?"),
    )


@_documented
def check_RDM(func):
    """Check the function of Coding Exercise 2.1 of the encoding-model tutorial.

    Calls ``func(resp)`` on three small response matrices (a hand-computable one, tuned units,
    rows of different scales) and compares the result with :func:`nma_dl.RDM`.

    Parameters
    ----------
    func : callable
        The student's ``RDM(resp)``.

    Examples
    --------
    >>> from nma_dl import RDM
    >>> result = check_RDM(RDM)
    ✓ RDM: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "RDM", "function")
    descriptions = [
        tr("{stimuli} stimuli, {units} units", stimuli=3, units=4),
        tr("12 orientations, 50 tuned units"),
        tr("{stimuli} stimuli, {units} units", stimuli=7, units=300),
    ]
    cases = [(text, partial(_rdm_case, func, k)) for k, text in enumerate(descriptions)]
    return _run("RDM", cases)


def _rdm_pair(case):
    rng = np.random.default_rng(10 + case)
    a = _responses(case)
    b = a + [0.5, 2.0, 5.0][case] * rng.normal(size=a.shape)  # the same stimuli, noisier
    return RDM(a), RDM(b)


def _correlate_case(func, case):
    rdm1, rdm2 = _rdm_pair(case)
    expected = correlate_rdms(rdm1, rdm2)
    got = _call("correlate_rdms", func, rdm1.copy(), rdm2.copy())
    got = _as_array(got, tr("the correlation"))
    if got.shape != ():
        raise _Mismatch(
            tr(
                "the correlation has shape {got}, expected a single number (did you keep the "
                "whole np.corrcoef matrix instead of its [0, 1] entry?)",
                got=got.shape,
            )
        )
    got = float(got)
    with_diagonal = float(np.corrcoef(rdm1.ravel(), rdm2.ravel())[0, 1])
    hints = [(with_diagonal, tr(": it includes the diagonal; use only the entries above it"))]
    with _hinted(got, hints, same=lambda value, candidate: abs(value - candidate) <= 1e-6):
        if not abs(got - expected) <= 1e-6:  # NaN too
            got_text, expected_text = _two_numbers(got, expected)
            raise _Mismatch(
                tr(
                    "the correlation is {got}, expected {expected}",
                    got=got_text,
                    expected=expected_text,
                )
            )


@_documented
def check_correlate_rdms(func):
    """Check the function of Coding Exercise 2.2 of the encoding-model tutorial.

    Calls ``func(rdm1, rdm2)`` on three pairs of RDMs of the same stimuli and compares the
    result with :func:`nma_dl.correlate_rdms`.

    Parameters
    ----------
    func : callable
        The student's ``correlate_rdms(rdm1, rdm2)``.

    Examples
    --------
    >>> from nma_dl import correlate_rdms
    >>> result = check_correlate_rdms(correlate_rdms)
    ✓ correlate_rdms: 3/3 cases match the reference.
    >>> result.status
    'passed'
    """
    _require_callable(func, "func", "correlate_rdms", "function")
    descriptions = ["3 x 3", "12 x 12", "7 x 7"]
    cases = [(text, partial(_correlate_case, func, k)) for k, text in enumerate(descriptions)]
    return _run("correlate_rdms", cases)


# --------------------------------------------------------------------------- preferred orientation


_PREFERRED_DRAWS = range(3)


def _tuning_curves(case):
    rng = np.random.default_rng(case)
    theta = np.arange(360)
    preferred = rng.integers(0, 360, 8)
    preferred[:2] = (2, 357)  # peaks near the wrap, where reflecting and wrapping differ
    curves = np.exp(2 * (np.cos(np.deg2rad(theta[:, None] - preferred)) - 1))
    return curves + 0.5 * rng.standard_normal((360, 8))


def _preferred_case(func, case):
    resp = _tuning_curves(case)
    expected = preferred_orientation(resp)
    got = _call("preferred_orientation", func, torch.tensor(resp, dtype=torch.float32))
    if isinstance(got, torch.Tensor):
        got = _checked(got, "the indices", None)
    if not isinstance(got, np.ndarray):
        raise _Mismatch(
            tr(
                "it returned {kind}, expected a NumPy array of shape {shape} (one index per "
                "neuron, the argmax over stimuli)",
                kind=_kind(got),
                shape=expected.shape,
            )
        )
    if got.shape != expected.shape:
        raise _Mismatch(
            tr(
                "it returned an array of shape {got}, expected {expected} (one index per "
                "neuron, the argmax over stimuli)",
                got=got.shape,
                expected=expected.shape,
            )
        )
    with _hinted(got, _preferred_mistakes(func, resp), same=np.array_equal):
        if not np.array_equal(got, expected):
            count, total = int((got != expected).sum()), len(expected)
            raise _Mismatch(tr("{count} of {total} indices differ", count=count, total=total))


def _original_preferred(resp):
    """Give the original course's answers: gaussian_filter1d's default boundary, 'reflect'."""
    # The student smooths the float32 tensor the check passes; the reference smooths float64.
    return [
        preferred_orientation(data, mode="reflect") for data in (resp, resp.astype(np.float32))
    ]


def _is_original(func):
    """Whether ``func`` gives the original course's answer on every draw of the check."""
    for case in _PREFERRED_DRAWS:
        resp = _tuning_curves(case)
        try:
            got = _call("preferred_orientation", func, torch.tensor(resp, dtype=torch.float32))
            if isinstance(got, torch.Tensor):
                got = _checked(got, "the indices", None)
        except _Mismatch:
            return False
        if not any(np.array_equal(got, answer) for answer in _original_preferred(resp)):
            return False
    return True


def _preferred_mistakes(func, resp):
    """Yield what a wrong answer may be: the original course's, another boundary, no smoothing.

    Pairs of a typical mistake and its hint, as :func:`_hinted` reads them.
    """
    # Reflecting, nearest and mirror agree on some draws: only an answer that reflects on all
    # of them is the original course's.
    yield (
        lambda got: _is_original(func),
        tr(
            ": that is the original course's answer (gaussian_filter1d's default, "
            "mode='reflect'); this course asks for mode='wrap' because orientation is circular "
            "(359° is next to 0°), and reflecting at the ends moves peaks near 0° and 360°"
        ),
    )
    for mode in ("reflect", "nearest", "mirror", "constant"):
        yield (
            preferred_orientation(resp, mode=mode),
            tr(": orientation is circular, so smooth with mode='wrap'"),
        )
    yield (
        lambda got: any(np.array_equal(got, answer) for answer in _across_neurons(resp)),
        tr(
            ": the curves are smoothed across the neurons; each column is one neuron's tuning "
            "curve, so smooth along the stimuli"
        ),
    )
    yield resp.argmax(axis=0), tr(": smooth the tuning curves before taking the argmax")
    yield (
        preferred_orientation(resp).argsort(),
        tr(": return the preferred orientations, not their argsort"),
    )
    yield (
        lambda got: _are_maxima(got, resp),
        tr(
            ": these are the largest smoothed responses, not where they are: return the "
            "position (the stimulus index) of each neuron's maximum"
        ),
    )


def _smoothed(resp, axis, mode):
    """Smooth ``resp`` as a student may, in float64 and in the float32 the check passes."""
    return [
        gaussian_filter1d(data, 5, axis=axis, mode=mode)
        for data in (resp, resp.astype(np.float32))
    ]


def _across_neurons(resp):
    """Yield the argmax over stimuli of curves smoothed along the neurons (axis 1) instead."""
    for mode in ("wrap", "reflect"):
        for smoothed in _smoothed(resp, 1, mode):
            yield smoothed.argmax(axis=0)


def _are_maxima(got, resp):
    """Whether ``got`` holds each neuron's largest (smoothed or raw) response."""
    if not np.issubdtype(got.dtype, np.floating):
        return False
    maxima = [smoothed.max(axis=0) for smoothed in _smoothed(resp, 0, "wrap")]
    maxima.append(resp.max(axis=0))
    return any(np.allclose(got, values, rtol=1e-4, atol=1e-5) for values in maxima)


@_documented
def check_preferred_orientation(func):
    """Check the function of Coding Exercise 1.1 of the bonus tutorial.

    Calls ``func(resp)`` on noisy tuning curves of 8 neurons (two of them peaking near 0°/360°)
    and compares the result with :func:`nma_dl.preferred_orientation`. An answer that reflects
    at the ends on every draw, as the original course's solution did, is told that this course
    wraps around instead, and why.

    Parameters
    ----------
    func : callable
        The student's ``preferred_orientation(resp)``.
    """
    _require_callable(func, "func", "preferred_orientation", "function")
    cases = [
        (tr("8 noisy tuning curves, draw {draw}", draw=case), partial(_preferred_case, func, case))
        for case in _PREFERRED_DRAWS
    ]
    return _run("preferred_orientation", cases)
