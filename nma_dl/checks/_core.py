"""The machinery of the self-checks: run cases in a sandbox, compare, print one line."""

from __future__ import annotations

import contextlib
import io
import random
import re
import signal
import sys
import threading
import time
import warnings
from dataclasses import dataclass

from nma_dl._validate import env_number

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
# The exercises' stubs raise NotImplementedError("Student exercise: ..."); a student's own bare
# `raise NotImplementedError` is a stub too, but torch's (an operator MPS lacks) is an error.
_STUB_PREFIX = "student exercise"

#: Environment variable that sets how many seconds one case of a check may run.
TIMEOUT_VAR = "NMA_DL_CHECK_TIMEOUT"
# The slowest check, all its cases, takes about 0.1 s on a laptop's CPU (the tutorials'
# solutions included): two minutes a case leaves room for the slowest hosted CPU.
_DEFAULT_TIMEOUT = 120.0
_NOTICE_AFTER = 10.0  # seconds a case runs before the student is told how to stop it
_MAX_OUTPUT = 4000  # characters kept of what the student's code prints (a loop may print GBs)


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


class _TimedOut(BaseException):
    """A case ran past its deadline.

    A BaseException, like KeyboardInterrupt, so that the student's ``except Exception`` cannot
    swallow it.
    """


# --------------------------------------------------------------------------- docstrings

_SHARED_SECTIONS = """    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``{arg}`` cannot be called at all{what}.
    ValueError
        If the environment variable ``NMA_DL_CHECK_TIMEOUT`` (the seconds a case may run, 120
        by default) is set to anything but a positive number up to 1e6.
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


def _is_stub(error):
    """Whether a NotImplementedError is the exercise's stub rather than a library's error."""
    message = str(error).strip()
    return not message or message.lower().startswith(_STUB_PREFIX)


def _origin(error):
    """Where ``error`` was raised: ``"forward, torch/nn/modules/linear.py line 125"``."""
    tb = error.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    code, line = tb.tb_frame.f_code, tb.tb_lineno
    parts = re.split(r"[\\/]", code.co_filename)
    libraries = [i for i, part in enumerate(parts) if part in ("site-packages", "dist-packages")]
    if libraries:  # a library's file, by its path inside the environment
        place = f"{'/'.join(parts[libraries[-1] + 1 :])} line {line}"
    elif re.search(r"[\\/]ipykernel_\d+[\\/]|^<ipython-input-", code.co_filename):
        place = f"line {line} of its notebook cell"  # the cell's file name tells nothing
    else:
        place = f"{parts[-1]} line {line}"
    return f"{code.co_name}, {place}"


def _call(what, func, *args, **kwargs):
    """Run student code; its exceptions become a verdict, never a traceback."""
    # Keep what the student's code prints (to show if the check is stopped), not the reference's.
    output = sys.stdout if isinstance(sys.stdout, _BoundedText) else None
    if output is not None:
        output.listening += 1
    try:
        return func(*args, **kwargs)
    except NotImplementedError as error:
        if _is_stub(error):
            raise _NotImplementedYet from None
        # The answer is written, but something it runs is not implemented (torch raises this
        # for an operator missing on a device, such as MPS): quote it, with where it came from.
        origin = _origin(error)
        where = f" (in {origin})" if origin else ""
        raise _Mismatch(f"{what} raised {_describe(error)}{where}") from None
    except Exception as error:  # any failure of the answer is reported, not raised
        raise _Mismatch(f"{what} raised {_describe(error)}") from None
    finally:
        if output is not None:
            output.listening -= 1
        if "torch" in sys.modules:
            _use_cpu()  # what follows in the case, the reference's part too, runs on the cpu


def _seed_all(seed):
    import numpy as np
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the student's code may use the global generators
    random.seed(seed)


class _BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters written and counts the rest.

    It stands for stdout and stderr during a check: a loop that prints without end must not fill
    the kernel's memory, yet its first lines help when the check is stopped. Only what is
    written while ``listening`` (while :func:`_call` runs the student's code) is kept; the
    reference's prints are dropped.
    """

    def __init__(self, limit=_MAX_OUTPUT):
        super().__init__()
        self._limit = limit
        self._parts = []
        self._kept = 0
        self.dropped = 0
        self.listening = 0

    def writable(self):
        """Whether the stream accepts writes: always."""
        return True

    def write(self, text):
        """Keep ``text`` while there is room, count what does not fit; return its length."""
        if not isinstance(text, str):  # as io.StringIO does
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if not self.listening:
            return len(text)
        room = self._limit - self._kept
        if room > 0:
            self._parts.append(text[:room])
            self._kept += min(room, len(text))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def getvalue(self):
        """Return the characters kept."""
        return "".join(self._parts)

    def report(self):
        """Return what the student's code printed, saying how much was left out ('' if nothing)."""
        text = self.getvalue().rstrip("\n")
        if not text and not self.dropped:
            return ""
        more = f"\n... and {self.dropped:,} more characters not shown." if self.dropped else ""
        return f"What your code printed:\n{text}{more}"


def _global_device_context():
    """Return the context that ``torch.set_default_device`` entered, or None if none is in use.

    ``torch.get_default_device`` (torch >= 2.3) cannot tell an explicit cpu from none, and
    setting cpu would slow every torch call. The context is kept in a module global up to torch
    2.2, in a thread-local since.
    """
    import torch

    holder = getattr(torch, "_GLOBAL_DEVICE_CONTEXT", None)
    context = getattr(holder, "device_context", holder)
    return context if hasattr(context, "device") else None


def _default_device():
    """Return the device given to ``torch.set_default_device``, or None if none is (cpu)."""
    return getattr(_global_device_context(), "device", None)


def _device_contexts():
    """Return the device contexts in effect, innermost last; None if torch's names have moved.

    ``torch.set_default_device`` and each ``with torch.device(...)`` block add one.
    """
    try:
        from torch.overrides import _get_current_function_mode_stack
        from torch.utils._device import DeviceContext
    except ImportError:
        return None
    return [mode for mode in _get_current_function_mode_stack() if isinstance(mode, DeviceContext)]


def _use_cpu():
    """Undo any ``torch.set_default_device``: the references run on the cpu, as the package."""
    import torch

    context = _global_device_context()
    if context is None:
        return
    # Inside a `with torch.device(...)` block entered after it, torch cannot undo it (it asserts
    # and leaves its stack broken): then the check runs as it is, and fails, but breaks nothing.
    contexts = _device_contexts()
    if contexts is None or contexts[-1:] == [context]:
        torch.set_default_device(None)


@contextlib.contextmanager
def _sandbox(output=None):
    """Restore random states, grad mode, default dtype and device; swallow output; close figures.

    What the student's code prints goes to ``output`` (a :class:`_BoundedText`, a new one by
    default), which keeps only its beginning.
    """
    import numpy as np
    import torch

    device = _default_device()
    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002 - saved to be restored, not used
    grad_enabled = torch.is_grad_enabled()
    default_dtype = torch.get_default_dtype()
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here, only tidied if in use
    figures = set(pyplot.get_fignums()) if pyplot else set()
    # CUDA generators only if the notebook has started CUDA: forking them would start it.
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    output = _BoundedText() if output is None else output
    _use_cpu()
    cpu = contextlib.nullcontext()
    if _default_device() is None and len(_device_contexts() or ()) == 1:
        from torch.utils._device import DeviceContext

        # A `with torch.device(...)` block: a cpu context replaces it until the end (its own
        # __enter__, which torch >= 2.3 needs to give the block back even if the student's code
        # calls set_default_device).
        cpu = DeviceContext("cpu")
    try:
        with (
            cpu,
            torch.random.fork_rng(devices=cuda),
            torch.enable_grad(),
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
            warnings.catch_warnings(),
            np.errstate(),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        if _default_device() != device:
            torch.set_default_device(device)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot:
            for number in set(pyplot.get_fignums()) - figures:
                pyplot.close(number)


def _importing(frame):
    """Whether ``frame`` or one of its callers runs the import machinery."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if "importlib" in filename and "_bootstrap" in filename:
            return True
        frame = frame.f_back
    return False


class _Watchdog:
    """Stop a case that runs past its deadline; say early on how to stop it by hand.

    The deadline is a SIGALRM timer, which only the main thread of a POSIX process can set (a
    notebook's cells run there). Elsewhere (Windows, a thread, a timer already in use) the case
    cannot be stopped from here, and the notice says so. The notice comes from a thread, so it
    shows even while the student's code is stuck in one long torch call.
    """

    def __init__(self, name, timeout, stream):
        self.name, self.timeout, self.stream = name, timeout, stream
        self.armed = False
        self.where = ""
        self._notice = None
        self._previous = None
        self.can_stop = self._install()

    def _install(self):
        if not hasattr(signal, "setitimer") or threading.current_thread() is not (
            threading.main_thread()
        ):
            return False
        try:
            if signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0):  # the notebook's own timer
                return False
            self._previous = signal.signal(signal.SIGALRM, self._alarm)
        except (ValueError, OSError):  # signals unavailable in this interpreter
            return False
        return True

    def _alarm(self, signum, frame):
        if not self.armed:  # a late alarm, once the case is over, is ignored
            return
        if _importing(frame):
            # An import stopped half-way leaves a broken module behind for the whole kernel
            # (torch imports parts of itself lazily, on first use): wait until it is done.
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            return
        self.armed = False
        raise _TimedOut

    def _say_still_running(self, started):
        seconds = time.monotonic() - started
        if self.can_stop:
            then = f"the check stops it after {self.timeout:g} s ({TIMEOUT_VAR} sets that)"
        else:
            then = "the check cannot stop it here (on Windows, or outside the main thread)"
        text = (
            f"… {self.name}: your code is still running ({self.where}, {seconds:.2g} s so far); "
            f"{then}. To stop it now: Kernel → Interrupt, or the ■ stop button."
        )
        with contextlib.suppress(Exception):  # a notice must never fail the check
            self.stream.write(text + "\n")
            self.stream.flush()

    def start(self, where):
        """Start the clock of one case (``where`` names it in the notice)."""
        self.where = where
        notice = threading.Timer(
            min(_NOTICE_AFTER, self.timeout / 4), self._say_still_running, (time.monotonic(),)
        )
        notice.daemon = True
        with contextlib.suppress(RuntimeError):  # no threads (Pyodide): no notice
            notice.start()
            self._notice = notice
        if self.can_stop:
            self.armed = True
            signal.setitimer(signal.ITIMER_REAL, self.timeout)

    def stop(self):
        """Stop the clock (the case is over)."""
        self.armed = False
        if self.can_stop:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if self._notice is not None:
            self._notice.cancel()
            self._notice = None

    def close(self):
        """Stop the clock and give SIGALRM back; safe to call twice."""
        self.stop()
        if self.can_stop:
            self.can_stop = False
            previous = signal.SIG_DFL if self._previous is None else self._previous
            signal.signal(signal.SIGALRM, previous)


def _run(name, cases, precheck=None):
    """Run ``(description, function)`` cases in the sandbox and print the verdict line.

    Each case is freshly seeded, runs on the cpu as default device, and is stopped after
    ``NMA_DL_CHECK_TIMEOUT`` seconds (120 by default) where that is possible. ``precheck``, if
    given, runs first (in the sandbox too), e.g. to make sure a class is a class. Returns the
    verdict as a :class:`CheckResult`. When a case is stopped, or interrupted (which still
    raises KeyboardInterrupt), the beginning of what the student's code printed is shown.
    """
    timeout = env_number(TIMEOUT_VAR, _DEFAULT_TIMEOUT, maximum=1e6, unit="seconds")
    stream = sys.stdout
    output = _BoundedText()
    watchdog = _Watchdog(name, timeout, stream)
    where = "before its cases"
    shown = ""
    try:
        try:
            with _sandbox(output):
                if precheck is not None:
                    watchdog.start(where)
                    precheck()
                    watchdog.stop()
                for index, (description, case) in enumerate(cases, 1):
                    where = f"case {index} of {len(cases)} ({description})"
                    _use_cpu()  # again: the student's code may have set a default device
                    _seed_all(_SEED + index)
                    watchdog.start(where)
                    try:
                        case()
                    except _Mismatch as mismatch:
                        raise _Mismatch(f"{where}: {mismatch}") from None
                    finally:
                        watchdog.stop()
        finally:
            watchdog.close()
    except _TimedOut:
        watchdog.close()  # in case the alarm came as the case ended, before close
        status = FAILED
        line = (
            f"✗ {name}: {where}: your code was still running after {timeout:g} s, so the check "
            f"stopped it: does a loop never end? (To allow longer, set the environment variable "
            f"{TIMEOUT_VAR}, e.g. os.environ[{TIMEOUT_VAR!r}] = '{4 * timeout:g}'.)"
        )
        shown = output.report()
    except KeyboardInterrupt:
        print(f"■ {name}: interrupted during {where}.", file=stream)
        if output.report():
            print(output.report(), file=stream)
        raise
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
    if shown:
        print(shown)
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
