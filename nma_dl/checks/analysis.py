"""Self-checks of the representational similarity exercises: RDM and correlate_rdms."""

from __future__ import annotations

from functools import partial

from nma_dl.checks._core import (
    _call,
    _documented,
    _kind,
    _Mismatch,
    _require_callable,
    _run,
    _two_numbers,
)

__all__ = ["check_RDM", "check_correlate_rdms"]


def _as_array(got, what):
    import numpy as np
    import torch

    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    if not isinstance(got, (np.ndarray, float, np.floating)):
        raise _Mismatch(f"{what} is {_kind(got)}, expected a NumPy array")
    return np.asarray(got, dtype=float)


def _responses(case):
    import numpy as np

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
    import numpy as np

    from nma_dl.analysis import RDM as reference

    resp = _responses(case)
    expected = reference(resp)
    got = _as_array(_call("RDM", func, resp.copy()), "the RDM")
    if got.shape != expected.shape:
        raise _Mismatch(f"the RDM has shape {got.shape}, expected {expected.shape}")
    if np.allclose(got, expected, atol=1e-6):
        return
    n = resp.shape[1]
    hint = ""
    if np.allclose(got, 1 - expected, atol=1e-6):
        hint = ": it is the correlation itself; the dissimilarity is one minus it"
    elif np.allclose(1 - got, (1 - expected) * (n - 1) / n, atol=1e-6):
        hint = ": the z-scores should use the 1/N standard deviation (zscore's default)"
    elif np.allclose(1 - got, (1 - expected) * n, atol=1e-4):
        hint = ": Z Z^T is a sum over the N units; divide it by N"
    elif not np.allclose(np.diag(got), 0, atol=1e-6):
        hint = ": its diagonal is not 0; is each row z-scored across units (axis=1)?"
    error = np.abs(got - expected).max()
    raise _Mismatch(f"the RDM is off by {error:.3g} (max abs difference){hint}")


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
    >>> check_RDM(RDM)  # doctest: +SKIP
    ✓ RDM: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "RDM", "function")
    descriptions = [
        "3 stimuli, 4 units",
        "12 orientations, 50 tuned units",
        "7 stimuli, 300 units",
    ]
    cases = [(text, partial(_rdm_case, func, k)) for k, text in enumerate(descriptions)]
    return _run("RDM", cases)


def _rdm_pair(case):
    import numpy as np

    from nma_dl.analysis import RDM

    rng = np.random.default_rng(10 + case)
    a = _responses(case)
    b = a + [0.5, 2.0, 5.0][case] * rng.normal(size=a.shape)  # the same stimuli, noisier
    return RDM(a), RDM(b)


def _correlate_case(func, case):
    import numpy as np

    from nma_dl.analysis import correlate_rdms as reference

    rdm1, rdm2 = _rdm_pair(case)
    expected = reference(rdm1, rdm2)
    got = _call("correlate_rdms", func, rdm1.copy(), rdm2.copy())
    got = _as_array(got, "the correlation")
    if got.shape != ():
        raise _Mismatch(
            f"the correlation has shape {got.shape}, expected a single number (did you "
            "keep the whole np.corrcoef matrix instead of its [0, 1] entry?)"
        )
    got = float(got)
    if abs(got - expected) <= 1e-6:
        return
    hint = ""
    if abs(got - float(np.corrcoef(rdm1.ravel(), rdm2.ravel())[0, 1])) <= 1e-6:
        hint = ": it includes the diagonal; use only the entries above it"
    got_text, expected_text = _two_numbers(got, expected)
    raise _Mismatch(f"the correlation is {got_text}, expected {expected_text}{hint}")


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
    >>> check_correlate_rdms(correlate_rdms)  # doctest: +SKIP
    ✓ correlate_rdms: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "correlate_rdms", "function")
    descriptions = ["3 x 3", "12 x 12", "7 x 7"]
    cases = [(text, partial(_correlate_case, func, k)) for k, text in enumerate(descriptions)]
    return _run("correlate_rdms", cases)
