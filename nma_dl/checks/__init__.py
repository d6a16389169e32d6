"""Self-checks for the coding exercises: run a student's answer and compare it with the package's.

Each exercise of the tutorials is followed by a one-line cell such as ``check_train(train)``. The
check runs the student's function (or builds the student's class) on a few small seeded cases,
does the same with the package's reference version, its *twin* (here :func:`nma_dl.train`), and
prints one line:

* ``✓ train: 3/3 cases match the reference.``
* ``○ train: not implemented yet: …`` while the exercise still raises ``NotImplementedError``,
  and ``○ train: not finished yet: …`` once that line is deleted while a ``...`` placeholder of
  the stub is left (returned, or reaching an operation), naming it and its line where it can;
* ``✗ train: case 2 of 3 (…): …`` naming the first difference found (type, shape, dtype, size of
  the error) with, for common slips, a hint that points at the problem without giving the answer.

A check never raises because an answer is wrong, whatever the answer does (raise, return
``None``, print, plot, draw random numbers): the exception's type and message become the printed
line. It raises :class:`TypeError` only when given something that cannot be called at all, such
as ``check_train(3)``. It leaves the notebook as it found it: the random states of torch, NumPy
and :mod:`random` are restored (and every case is seeded, so the verdict never depends on them),
and so are the grad mode, the default dtype, NumPy's error settings and the default device (the
cases run on the cpu whatever ``torch.set_default_device`` said); whatever the student's code
prints is swallowed (its first 4,000 characters kept, the rest only counted), and figures it
opens are closed.

Each case may run for ``NMA_DL_CHECK_TIMEOUT`` seconds (an environment variable; 120 by default,
far above what any answer needs). After 10 seconds a line says how to stop it by hand; at the
deadline the case is stopped, and the line says so, followed by the beginning of what the
student's code printed. Interrupting the kernel shows the same before the KeyboardInterrupt. The
deadline needs the main thread of a POSIX kernel (Linux, macOS, Colab): on Windows, or in another
thread, only the line that says how to stop it is printed.

Every check returns a :class:`CheckResult`, true when the answer passed. A notebook shows nothing
for it, since the line is already printed. The kernel keeps each exercise's latest verdict:
:func:`summary` lists a tutorial's exercises with ✓ / ✗ / ○ and says what to do next (the last
cell of each student notebook calls it).
"""

from nma_dl._exports import lazy_exports
from nma_dl.checks._result import FAILED, NOT_IMPLEMENTED, PASSED, CheckResult

# Each name is written once, in the __all__ of its module (nma_dl._exports).
_WHERE, __getattr__, __dir__ = lazy_exports(
    __name__,
    (
        "analysis",
        "convolution",
        "data",
        "losses",
        "models",
        "training",
        "_summary",  # summary() and its result: torch-free, and not exported by nma_dl itself
    ),
)
__all__ = sorted(_WHERE) + ["FAILED", "NOT_IMPLEMENTED", "PASSED", "CheckResult"]
