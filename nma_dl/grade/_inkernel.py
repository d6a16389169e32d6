"""What the grader runs inside a student's kernel: the offline start, and one check at a time.

Nothing here imports nbclient, torch or NumPy at import time: this module is imported into the
student's kernel, freshly (see :func:`nma_dl.grade._plan.check_cell`), after the student's code has
had every chance to redefine or monkeypatch names of ``nma_dl``.

* :func:`start` runs as the kernel's first cell: it refuses connections to any host but this
  machine (the student's code, and the data loader, then fail fast instead of waiting on the
  network), caps what the cells print, and closes the figures after each cell, as the inline
  backend does.
* :func:`grade_one` calls one self-check on the student's value and writes its verdict, with the
  grader's token, to a JSON file outside the notebook's working folder: the grader reads that
  file, never what the cell printed, so a student's ``print("✓ RDM passed")`` counts for nothing.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import sys
import types

#: The verdicts of an exercise written by :func:`grade_one` (the grader adds "not reached" and
#: "timeout", which only it can see).
PASS, FAIL, NOT_IMPLEMENTED, ERROR = "pass", "fail", "not implemented", "error"
_FROM_CHECK = {"passed": PASS, "failed": FAIL, "not implemented": NOT_IMPLEMENTED}
_MAX_MESSAGE = 600  # characters kept of a line: a student's exception message may be huge
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_NO_NETWORK = "the grader runs notebooks without network access"
#: The line after which the kernel drops what the notebook prints.
OUTPUT_CAPPED = "[nma_dl.grade: output capped here]"


# --------------------------------------------------------------------------- the first cell


def _is_local(host):
    """Whether ``host`` (a name or an address) is this machine."""
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).split("%")[0]  # an IPv6 scope suffix
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guard_connect(connect):
    def guarded(self, address, *args, **kwargs):
        # AF_UNIX paths are strings or bytes; internet addresses are (host, port, ...) tuples.
        if isinstance(address, tuple) and not _is_local(address[0]):
            raise ConnectionRefusedError(f"{_NO_NETWORK} (refused {address[0]!r})")
        return connect(self, address, *args, **kwargs)

    return guarded


def _guard_getaddrinfo(getaddrinfo):
    def guarded(host, *args, **kwargs):
        # A name lookup would wait on DNS before the connection is refused: refuse it at once.
        if host is not None and not _is_local(host):
            raise socket.gaierror(socket.EAI_NONAME, f"{_NO_NETWORK} (refused {host!r})")
        return getaddrinfo(host, *args, **kwargs)

    return guarded


def _close_figures(*_):
    # The inline backend closes a cell's figures after drawing them; under Agg nothing does, and
    # a notebook's figures would pile up in memory. Only if the notebook has imported pyplot.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


class _Budget:
    """Characters the notebook's stdout and stderr may still write, together."""

    def __init__(self, limit):
        self.left = limit

    def cap(self, stream):
        """Make ``stream`` drop what it is given once the budget is spent, after a notice."""
        write = stream.write
        if getattr(write, "_nma_dl_cap", None) is self:
            return

        def capped(text, *args, **kwargs):
            if self.left <= 0:
                return len(text)  # dropped: the cell runs on, nothing is sent or kept
            kept = text[: self.left]
            self.left -= len(text)
            write(kept if self.left > 0 else f"{kept}\n{OUTPUT_CAPPED}\n", *args, **kwargs)
            return len(text)

        capped._nma_dl_cap = self
        stream.write = capped

    def cap_streams(self, *_):
        """Cap ``sys.stdout`` and ``sys.stderr`` as they are now (a pre_run_cell hook)."""
        for stream in (sys.stdout, sys.stderr):
            try:
                self.cap(stream)
            except (AttributeError, TypeError):  # a stream of the student's own (StringIO)
                pass


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the grader always runs an IPython kernel
        return None
    return get_ipython()


def start(output_limit):
    """Prepare the kernel before the student's first cell: no network, bounded output.

    Connections (``socket.connect``, ``connect_ex``) to any host but this machine are refused,
    and so are name lookups of other hosts. Child processes are kept offline by the proxy
    variables the grader sets in the kernel's environment (pip, curl and urllib honour them).
    Once the notebook's ``sys.stdout`` and ``sys.stderr`` have written ``output_limit``
    characters, the rest is dropped after the line :data:`OUTPUT_CAPPED`: a loop that prints
    without end still runs, without flooding the grader or the kernel's memory. Figures are
    closed after each cell.

    Parameters
    ----------
    output_limit : int
        Characters the notebook may print in all.
    """
    if getattr(socket.socket.connect, "_nma_dl_guard", False):
        return
    for method in ("connect", "connect_ex"):
        guarded = _guard_connect(getattr(socket.socket, method))
        guarded._nma_dl_guard = True
        setattr(socket.socket, method, guarded)
    socket.getaddrinfo = _guard_getaddrinfo(socket.getaddrinfo)
    budget = _Budget(output_limit)
    shell = _shell()
    if shell is None:
        budget.cap_streams()
        return
    # IPython (9) wraps each stream's write for every cell, to keep the cell's output in its
    # history, and unwraps it afterwards: the cap goes on top of that wrapper at the start of
    # each cell, so that what is dropped is neither sent nor kept in the kernel's memory.
    shell.events.register("pre_run_cell", budget.cap_streams)
    shell.events.register("post_run_cell", _close_figures)


# --------------------------------------------------------------------------- one check


def _short(text):
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "..."


def _package_own(value):
    """Whether ``value`` is a function or class of nma_dl itself, not the student's answer."""
    if not isinstance(value, (type, types.FunctionType)):
        return False  # an instance (Tutorial 4's loss_fn) is the student's choice whatever it is
    module = getattr(value, "__module__", None)
    return isinstance(module, str) and (module == "nma_dl" or module.startswith("nma_dl."))


def _verdict(value, defined, exercise):
    """Return ``(status, line)`` for the student's ``value`` of ``exercise``."""
    _, check, argument = exercise
    if not defined:
        return ERROR, (
            f"{argument} is not defined when the exercise is checked: its cell was deleted, "
            f"renamed or stopped before defining it."
        )
    if _package_own(value):
        return FAIL, (
            f"{argument} is the course package's own {value.__module__}.{value.__name__}, "
            f"imported rather than written: write the exercise's code in the notebook."
        )
    import nma_dl.checks  # fresh: the grading cell removed the student's copy of nma_dl first

    try:
        result = getattr(nma_dl.checks, check)(value)
    except (Exception, SystemExit) as error:  # the check refused the value (e.g. not callable)
        return ERROR, f"{check}({argument}) raised {type(error).__name__}: {_short(error)}"
    if type(result) is not nma_dl.checks.CheckResult or result.status not in _FROM_CHECK:
        return ERROR, f"{check} returned {type(result).__name__}, not its verdict"
    return _FROM_CHECK[result.status], _short(result.message)


def grade_one(value, defined, exercise, path, token):
    """Check the student's ``value`` for ``exercise`` and write the verdict to ``path``.

    Parameters
    ----------
    value : object
        The value of the exercise's global in the student's namespace (ignored if not defined).
    defined : bool
        Whether that global exists.
    exercise : tuple of str
        ``(name, check, argument)``: the exercise, its check's name in :mod:`nma_dl.checks`,
        the global it takes.
    path : str
        Where to write the verdict, as JSON ``{"token", "exercise", "status", "message"}``.
    token : str
        The grader's random token for this cell, written back so the grader knows the file is
        the cell's own.
    """
    status, message = _verdict(value, defined, exercise)
    record = {"token": token, "exercise": exercise[0], "status": status, "message": message}
    partial = f"{path}.part"
    with open(partial, "w", encoding="utf-8") as file:
        json.dump(record, file)
    os.replace(partial, path)  # the grader never sees half a file
