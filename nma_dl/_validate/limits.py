"""Limits on the work one call may ask for: memory and steps, each liftable from the environment.

A request above a limit (a typo, a stray ``** 5``) is refused before anything is allocated or
run, instead of exhausting a hosted kernel; the message says which environment variable lifts
the limit and what value would let the request through.
"""

import math
import os

__all__ = [
    "GRADIENT_STEP_COST",
    "MEMORY_LIMIT_VAR",
    "STEPS_LIMIT_VAR",
    "env_number",
    "validate_gradient_steps",
    "validate_memory",
    "validate_steps",
]

#: Environment variable that lifts the memory limit (in GB) of :func:`validate_memory`.
MEMORY_LIMIT_VAR = "NMA_DL_MAX_MEMORY_GB"
#: Environment variable that lifts the limit (a number of steps) of :func:`validate_steps`.
STEPS_LIMIT_VAR = "NMA_DL_MAX_STEPS"
_DEFAULT_MEMORY_GB = 4.0
_DEFAULT_STEPS = 10**7

#: What one gradient step (forward, loss, backward, update: dozens of tensor operations run from
#: Python) counts for in the limit of :func:`validate_steps`, whose step is about one iteration of
#: a plain Python loop: the default limit of 1e7 allows 1e5 gradient steps.
GRADIENT_STEP_COST = 100


def env_number(variable, default, *, maximum=math.inf, unit=""):
    """Read a positive number from the environment variable ``variable``, else ``default``.

    Parameters
    ----------
    variable : str
        Name of the environment variable.
    default : float
        Value used when the variable is unset or blank.
    maximum : float, default=inf
        Largest accepted value.
    unit : str, default=""
        What the number counts (``"seconds"``), for the error message.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the variable is set to anything but a finite number in ``(0, maximum]``; the message
        names the variable, quotes its value and says to unset it for the default.
    """
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= maximum):
        what = f"a positive number of {unit}" if unit else "a positive number"
        bound = f", at most {maximum:g}" if math.isfinite(maximum) else ""
        raise ValueError(
            f"the environment variable {variable} must be {what}{bound}, got {text!r}; "
            f"fix it, or unset it to use the default ({default:g})"
        )
    return value


def _how_to_lift(variable, value):
    """Say how to lift a limit: the environment variable, and a value that lets the call pass."""
    return (
        f"lift the limit with the environment variable {variable} "
        f"(os.environ[{variable!r}] = '{value}')"
    )


def validate_memory(n_bytes, what):
    """Refuse a request whose estimated memory exceeds the limit, before anything is allocated.

    The limit is 4 GB unless the environment variable ``NMA_DL_MAX_MEMORY_GB`` says otherwise
    (``os.environ["NMA_DL_MAX_MEMORY_GB"] = "32"`` in a notebook, before the call), so that an
    absurd size (a typo, a stray ``** 5``) answers at once instead of exhausting a hosted kernel.

    Parameters
    ----------
    n_bytes : float
        The estimate, in bytes.
    what : str
        The request, with the arguments at fault: ``"sample_grid(M=100000)"``.

    Raises
    ------
    ValueError
        ``"<what> would need about 80 GB of memory, above the limit of 4 GB; ..."``, with the
        way to lift the limit.
    """
    limit_gb = env_number(MEMORY_LIMIT_VAR, _DEFAULT_MEMORY_GB)
    if n_bytes > limit_gb * 1e9:
        lift = _how_to_lift(MEMORY_LIMIT_VAR, f"{max(2 * n_bytes / 1e9, 1):.0f}")
        raise ValueError(
            f"{what} would need about {n_bytes / 1e9:.3g} GB of memory, above the limit of "
            f"{limit_gb:g} GB; use smaller sizes, or, if the machine has the memory, {lift}"
        )


def validate_steps(n_steps, what):
    """Refuse a computation of more steps than the limit, before the first one runs.

    The limit is 10**7 steps (some seconds of a Python loop) unless the environment variable
    ``NMA_DL_MAX_STEPS`` says otherwise. ``n_steps`` is the number of steps the request would
    take, ``what`` the request as for :func:`validate_memory`: ``"run_LIF(T=1e12, dt=0.1)"``.

    Raises
    ------
    ValueError
        As :func:`validate_memory`, in steps: ``"<what> would take about 1e+13 steps, ..."``.
    """
    limit = env_number(STEPS_LIMIT_VAR, _DEFAULT_STEPS)
    if n_steps > limit:
        lift = _how_to_lift(STEPS_LIMIT_VAR, f"{2 * n_steps:.0f}")
        raise ValueError(
            f"{what} would take about {n_steps:.3g} steps, above the limit of {limit:.3g}; "
            f"use smaller sizes, or {lift}"
        )


def validate_gradient_steps(n_steps, what):
    """Refuse a training of more gradient steps than the limit allows, before the first one.

    ``n_steps`` is the number of gradient steps the training would take, ``what`` the request
    as for :func:`validate_memory`: ``"train(n_epochs=1000000000)"``.

    Raises
    ------
    ValueError
        From :func:`validate_steps`, each gradient step counted as :data:`GRADIENT_STEP_COST`.
    """
    validate_steps(
        GRADIENT_STEP_COST * n_steps,
        f"{what} ({n_steps:.3g} gradient steps, each counted as {GRADIENT_STEP_COST} steps)",
    )
