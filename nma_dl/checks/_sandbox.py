"""The sandbox a check runs its cases in: seeds, bounded output, default device, a deadline.

A case runs freshly seeded, on the cpu whatever default device the notebook set, with what the
student's code prints kept to its beginning, and it is stopped at its deadline. Afterwards the
notebook finds its random states, grad mode, default dtype and device, NumPy's error settings
and its figures as they were.
"""

from __future__ import annotations

import contextlib
import io
import random
import signal
import sys
import threading
import time
import warnings

import numpy as np
import torch

from nma_dl._validate import env_number
from nma_dl.i18n import tr

try:  # private names of torch, which it may move: then a `with torch.device` block is kept
    from torch.overrides import _get_current_function_mode_stack
    from torch.utils._device import DeviceContext
except ImportError:  # pragma: no cover - a torch that has moved them
    _get_current_function_mode_stack = DeviceContext = None

_SEED = 2024  # case k is seeded with _SEED + k: the same cases whatever the notebook did before

#: Environment variable that sets how many seconds one case of a check may run.
TIMEOUT_VAR = "NMA_DL_CHECK_TIMEOUT"
# The slowest check, all its cases, takes about 0.1 s on a laptop's CPU (the tutorials'
# solutions included): two minutes a case leaves room for the slowest hosted CPU.
_DEFAULT_TIMEOUT = 120.0
_NOTICE_AFTER = 10.0  # seconds a case runs before the student is told how to stop it
_MAX_OUTPUT = 4000  # characters kept of what the student's code prints (a loop may print GBs)


class _TimedOut(BaseException):
    """A case ran past its deadline.

    A BaseException, like KeyboardInterrupt, so that the student's ``except Exception`` cannot
    swallow it.
    """


def _timeout():
    """Return the seconds one case may run: ``NMA_DL_CHECK_TIMEOUT``, 120 by default."""
    return env_number(TIMEOUT_VAR, _DEFAULT_TIMEOUT, maximum=1e6, unit="seconds")


def _seed_all(seed):
    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the student's code may use the global generators
    random.seed(seed)


# --------------------------------------------------------------------------- bounded output


class _BoundedText(io.TextIOBase):
    """A text stream that keeps the first ``limit`` characters written and counts the rest.

    It stands for stdout and stderr during a check: a loop that prints without end must not fill
    the kernel's memory, yet its first lines help when the check is stopped. Only what is
    written while ``listening`` (while the student's code runs, see ``_core._call``) is kept;
    the reference's prints are dropped.
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
        more = ""
        if self.dropped:
            more = tr("\n... and {count} more characters not shown.", count=f"{self.dropped:,}")
        return tr("What your code printed:\n{text}{more}", text=text, more=more)


# --------------------------------------------------------------------------- default device


def _global_device_context():
    """Return the context that ``torch.set_default_device`` entered, or None if none is in use.

    ``torch.get_default_device`` (torch >= 2.3) cannot tell an explicit cpu from none, and
    setting cpu would slow every torch call. The context is kept in a module global up to torch
    2.2, in a thread-local since.
    """
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
    if DeviceContext is None:
        return None
    return [mode for mode in _get_current_function_mode_stack() if isinstance(mode, DeviceContext)]


def _use_cpu():
    """Undo any ``torch.set_default_device``: the references run on the cpu, as the package."""
    context = _global_device_context()
    if context is None:
        return
    # Inside a `with torch.device(...)` block entered after it, torch cannot undo it (it asserts
    # and leaves its stack broken): then the check runs as it is, and fails, but breaks nothing.
    contexts = _device_contexts()
    if contexts is None or contexts[-1:] == [context]:
        torch.set_default_device(None)


def _cpu_block():
    """Return the context that runs the cases on the cpu inside a ``with torch.device`` block."""
    if _default_device() is None and len(_device_contexts() or ()) == 1:
        # A `with torch.device(...)` block: a cpu context replaces it until the end (its own
        # __enter__, which torch >= 2.3 needs to give the block back even if the student's code
        # calls set_default_device).
        return DeviceContext("cpu")
    return contextlib.nullcontext()


# --------------------------------------------------------------------------- the sandbox


def _open_figures():
    """Return the numbers of matplotlib's open figures (none if pyplot is not in use)."""
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here, only tidied if in use
    return set(pyplot.get_fignums()) if pyplot else set()


def _close_figures_but(figures):
    """Close the figures opened since ``figures`` were (the student's plots)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot:
        for number in set(pyplot.get_fignums()) - figures:
            pyplot.close(number)


@contextlib.contextmanager
def _sandbox(output=None):
    """Restore random states, grad mode, default dtype and device; swallow output; close figures.

    What the student's code prints goes to ``output`` (a :class:`_BoundedText`, a new one by
    default), which keeps only its beginning.
    """
    device = _default_device()
    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002 - saved to be restored, not used
    grad_enabled = torch.is_grad_enabled()
    default_dtype = torch.get_default_dtype()
    figures = _open_figures()
    # CUDA generators only if the notebook has started CUDA: forking them would start it.
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    output = _BoundedText() if output is None else output
    _use_cpu()
    cpu = _cpu_block()
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
        _close_figures_but(figures)


# --------------------------------------------------------------------------- the deadline


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

    ``where`` names the step that runs (``"case 2 of 3 (...)"``) in the notice; the caller keeps
    it up to date, and names it too when the step is stopped or interrupted.
    """

    def __init__(self, name, timeout, stream, where=""):
        self.name, self.timeout, self.stream = name, timeout, stream
        self.armed = False
        self.where = where
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

    def _still_running(self, seconds):
        """Return the notice that the case has run ``seconds`` so far, and how to stop it."""
        if self.can_stop:
            then = tr(
                "the check stops it after {timeout} s ({variable} sets that)",
                timeout=f"{self.timeout:g}",
                variable=TIMEOUT_VAR,
            )
        else:
            then = tr("the check cannot stop it here (on Windows, or outside the main thread)")
        return tr(
            "… {name}: your code is still running ({where}, {seconds} s so far); {then}. To stop "
            "it now: Kernel → Interrupt, or the ■ stop button.",
            name=self.name,
            where=self.where,
            seconds=f"{seconds:.2g}",
            then=then,
        )

    def _say_still_running(self, started):
        seconds = time.monotonic() - started
        with contextlib.suppress(Exception):  # a notice must never fail the check
            self.stream.write(self._still_running(seconds) + "\n")
            self.stream.flush()

    def start(self):
        """Start the clock of the step named by ``where``."""
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
