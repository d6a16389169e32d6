"""The machinery of the self-checks: run cases in a sandbox, compare, print one line."""

from __future__ import annotations

import contextlib
import io
import random
import sys
import warnings
from dataclasses import dataclass

PASSED = "passed"
NOT_IMPLEMENTED = "not implemented"
FAILED = "failed"

_STUB_TEXT = (
    "not implemented yet: fill in the exercise above (and delete its "
    "`raise NotImplementedError` line), then run this cell again."
)
_SEED = 2024  # case k is seeded with _SEED + k: the same cases whatever the notebook did before
_LIBRARIES = {"numpy", "torch", "pandas", "matplotlib"}
_MAX_MESSAGE = 160  # characters of an exception message quoted in the line


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one self-check, with the line it printed.

    Attributes
    ----------
    name : str
        The exercise checked, e.g. ``"train"``.
    status : {"passed", "not implemented", "failed"}
        The verdict.
    message : str
        The line the check printed.
    """

    name: str
    status: str
    message: str

    def __bool__(self):
        """Whether the answer passed."""
        return self.status == PASSED

    def _ipython_display_(self):
        """Display nothing: the check has printed its line already."""


class _NotImplementedYet(Exception):
    """The student's code still raises ``NotImplementedError``."""


class _Mismatch(Exception):
    """The answer differs from the reference; the message says how (a clause, no full stop)."""


# --------------------------------------------------------------------------- docstrings

_SHARED_SECTIONS = """    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``{arg}`` cannot be called at all{what}.
"""


def _documented(check):
    """Add the Returns and Raises sections that every check shares to ``check``'s docstring.

    They go before its Examples, if any. The argument named is the check's first parameter:
    ``func`` for a function, ``cls`` for a class.
    """
    import inspect

    arg = next(iter(inspect.signature(check).parameters))
    shared = _SHARED_SECTIONS.format(arg=arg, what=" (not a class)" if arg == "cls" else "")
    head, examples, tail = check.__doc__.partition("    Examples\n")
    ending = f"\n{examples}{tail}" if examples else "    "
    check.__doc__ = f"{head.rstrip()}\n\n{shared}{ending}"
    return check


# --------------------------------------------------------------------------- machinery


def _require_callable(value, argname, exercise, kind):
    # The one error a check raises: it was not given an answer at all (a typo, or a value).
    if not callable(value):
        raise TypeError(
            f"check_{exercise}({argname}): {argname} must be the {kind} you wrote, as in "
            f"check_{exercise}({exercise}); got {type(value).__name__} {_short_repr(value)}"
        )


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value):
    """Name the type of ``value`` for a message: ``None``, ``a float``, ``a numpy.ndarray``."""
    if value is None:
        return "None"
    cls = type(value)
    module = cls.__module__.split(".")[0]
    # Library types by their full name (a numpy.ndarray is no torch.Tensor); the student's own
    # classes, defined in the notebook's __main__, by their name alone.
    name = f"{module}.{cls.__name__}" if module in _LIBRARIES else cls.__name__
    if isinstance(value, (tuple, list)):
        return f"a {name} of {len(value)}"
    return f"a {name}"


def _describe(error):
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _call(what, func, *args, **kwargs):
    """Run student code; its exceptions become a verdict, never a traceback."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise _NotImplementedYet from None
    except Exception as error:  # any failure of the answer is reported, not raised
        raise _Mismatch(f"{what} raised {_describe(error)}") from None


def _seed_all(seed):
    import numpy as np
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the student's code may use the global generators
    random.seed(seed)


@contextlib.contextmanager
def _sandbox():
    """Restore random states, grad mode and default dtype; swallow output; close new figures."""
    import numpy as np
    import torch

    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002 - saved to be restored, not used
    grad_enabled = torch.is_grad_enabled()
    default_dtype = torch.get_default_dtype()
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here, only tidied if in use
    figures = set(pyplot.get_fignums()) if pyplot else set()
    # CUDA generators only if the notebook has started CUDA: forking them would start it.
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    try:
        with (
            torch.random.fork_rng(devices=cuda),
            torch.enable_grad(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot:
            for number in set(pyplot.get_fignums()) - figures:
                pyplot.close(number)


def _run(name, cases, precheck=None):
    """Run ``(description, function)`` cases in the sandbox and print the verdict line.

    Each case is freshly seeded. ``precheck``, if given, runs first (in the sandbox too), e.g. to
    make sure a class is a class. Returns the verdict as a :class:`CheckResult`.
    """
    try:
        with _sandbox():
            if precheck is not None:
                precheck()
            for index, (description, case) in enumerate(cases, 1):
                _seed_all(_SEED + index)
                try:
                    case()
                except _Mismatch as mismatch:
                    raise _Mismatch(
                        f"case {index} of {len(cases)} ({description}): {mismatch}"
                    ) from None
    except _NotImplementedYet:
        status, line = NOT_IMPLEMENTED, f"○ {name}: {_STUB_TEXT}"
    except _Mismatch as mismatch:
        text = str(mismatch)
        status, line = FAILED, f"✗ {name}: {text}{'' if text.endswith(('?', '.')) else '.'}"
    except Exception as error:  # an answer too odd to compare: still a verdict, not a traceback
        status = FAILED
        line = f"✗ {name}: could not compare your answer with the reference ({_describe(error)})."
    else:
        status, line = PASSED, f"✓ {name}: {len(cases)}/{len(cases)} cases match the reference."
    line = " ".join(line.split())  # exactly one line, whatever the messages held
    print(line)
    return CheckResult(name, status, line)


def _close(got, expected, rtol, atol):
    import torch

    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().cpu().to(expected.dtype), expected, rtol=rtol, atol=atol)
    )


def _same_layout(got, expected):
    """Whether ``got`` is a tensor of the shape and dtype of ``expected`` (values aside)."""
    import torch

    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and got.dtype == expected.dtype
    )


def _max_difference(got, expected):
    return (got.detach().cpu().double() - expected.double()).abs().max().item()


def _compare_tensor(got, expected, what, *, exact=False, rtol=1e-4, atol=1e-5):
    """Raise _Mismatch naming the first of type, shape, dtype and values that differs."""
    import torch

    if not isinstance(got, torch.Tensor):
        raise _Mismatch(f"{what} is {_kind(got)}, expected a torch.Tensor")
    if got.shape != expected.shape:
        shape = tuple(expected.shape)
        wanted = f"{shape} (a single number)" if not shape else f"{shape}"
        raise _Mismatch(f"{what} has shape {tuple(got.shape)}, expected {wanted}")
    if got.dtype != expected.dtype:
        raise _Mismatch(f"{what} has dtype {got.dtype}, expected {expected.dtype}")
    got = got.detach().cpu()
    if exact:
        if not torch.equal(got, expected):
            raise _Mismatch(f"{what} differs from the reference's")
        return
    if not torch.isfinite(got).all() and torch.isfinite(expected).all():
        raise _Mismatch(f"{what} holds NaN or infinite values where the reference's is finite")
    if not torch.allclose(got, expected, rtol=rtol, atol=atol):
        raise _Mismatch(
            f"{what} is off by {_max_difference(got, expected):.3g} (max abs difference)"
        )


def _two_numbers(got, expected, digits=4):
    """Format ``got`` and ``expected`` with the fewest digits (at least ``digits``) that differ.

    A message that says "0.9997, expected 0.9997" tells nothing: the digits grow until the two
    texts differ (17 significant digits tell any two different floats apart).
    """
    got, expected = float(got), float(expected)
    for places in range(digits, 18):
        got_text, expected_text = f"{got:.{places}g}", f"{expected:.{places}g}"
        if got_text != expected_text:
            return got_text, expected_text
    return repr(got), repr(expected)


def _ordinal(index):
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(index, f"{index}th")


def _unpack(got, names, call):
    """Check that ``got`` is a tuple of ``len(names)`` values and return it as a tuple."""
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        raise _Mismatch(f"{call} returned {_kind(got)}, expected the tuple ({', '.join(names)})")
    return tuple(got)


def _not_an_instance(value, exercise):
    import torch

    if isinstance(value, torch.nn.Module):
        raise _Mismatch(
            f"got a network object (an instance of {type(value).__name__}), not the class: "
            f"pass the class itself, check_{exercise}({exercise})"
        )


def _build(what, cls, *args, **kwargs):
    import torch

    net = _call(what, cls, *args, **kwargs)
    if not isinstance(net, torch.nn.Module):
        raise _Mismatch(f"the class made {_kind(net)}, expected a torch.nn.Module")
    return net


def _load_parameters(net, reference, what, hint=None):
    """Check the parameters' names and shapes, redraw them, copy them into ``reference``.

    ``hint(missing_names)`` may add a clause to the message when parameters are missing.
    """
    import torch

    got = {name: tuple(p.shape) for name, p in net.named_parameters()}
    wanted = {name: tuple(p.shape) for name, p in reference.named_parameters()}
    missing = [name for name in wanted if name not in got]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        extra = hint(missing) if hint else ""
        raise _Mismatch(f"{what} has no parameter {missing[0]}{more}{extra}")
    unexpected = [name for name in got if name not in wanted]
    if unexpected:
        raise _Mismatch(f"{what} has an unexpected parameter {unexpected[0]}")
    for name, shape in wanted.items():
        if got[name] != shape:
            raise _Mismatch(f"{what}'s {name} has shape {got[name]}, expected {shape}")
    values = dict(net.named_parameters())
    with torch.no_grad():
        # Redrawn wider than the default initialisation, so that outputs (not only hidden
        # pre-activations) take both signs and a misplaced activation shows.
        for name in sorted(values):
            values[name].normal_()
        for name, p in reference.named_parameters():
            if values[name].dtype != p.dtype:
                raise _Mismatch(
                    f"{what}'s {name} has dtype {values[name].dtype}, expected {p.dtype}"
                )
            p.copy_(values[name].detach().cpu())
