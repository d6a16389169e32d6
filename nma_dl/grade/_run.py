"""Run one notebook's plan in a fresh Jupyter kernel and collect the verdict of each exercise.

The kernel is started for this notebook alone, in a temporary working folder that holds a copy
of it, with the grader's Python, the notebook's own kernel name ignored (a student's notebook
may name any kernel). Its output goes nowhere: the grader stores none of what the cells print,
only counts it (the kernel itself drops what passes the cap, see
:func:`nma_dl.grade._inkernel.start`). Every cell runs, errors or not, so that an exercise left
as a stub does not stop the ones after it; the run stops only when the notebook's time is up or
its kernel dies, and the kernel (with any process it started) is killed at the end.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import subprocess
from dataclasses import dataclass, field
from time import monotonic

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async

from nma_dl.grade._inkernel import ERROR, FAIL, NOT_IMPLEMENTED, OUTPUT_CAPPED, PASS
from nma_dl.grade._plan import CHECK, START, STUDENT

NOT_REACHED, TIMEOUT = "not reached", "timeout"
GRADED, CAPPED = "graded", "output capped"
KERNEL_DIED, GRADER_ERROR = "kernel died", "grader error"
VERDICTS = (PASS, FAIL, NOT_IMPLEMENTED, ERROR)

#: Seconds a check cell may run: a check stops the student's code after NMA_DL_CHECK_TIMEOUT
#: seconds a case (30 under the grader), so this is only reached by code that blocks signals.
CHECK_CELL_LIMIT = 150
_START_LIMIT = 120  # seconds for the kernel to start and run the grader's first cell
_GRACE = 30  # seconds past a cell's limit before the grader stops waiting on nbclient
_MAX_VERDICT_BYTES = 64_000


@dataclass
class Outcome:
    """What running a notebook gave.

    Attributes
    ----------
    status : str
        ``"graded"``, ``"output capped"``, ``"timeout"``, ``"kernel died"`` or
        ``"grader error"``.
    verdicts : dict
        ``{exercise name: (value, message)}`` for every exercise of the tutorial.
    detail : str
        What stopped the run, if anything.
    """

    status: str
    verdicts: dict = field(default_factory=dict)
    detail: str = ""


class _CountingClient(NotebookClient):
    """A notebook client that counts the outputs instead of storing them."""

    printed = 0
    capped = False
    asked_exit = False  # the last cell called exit() or quit(): the kernel is going away

    error = ""  # the last cell's error, "Name: message", if it raised

    def note_reply(self, cell, cell_index, execute_reply):
        """Note the cell's error and whether it asked the kernel to exit (on_cell_executed)."""
        content = (execute_reply or {}).get("content", {})
        self.error = ""
        if content.get("status") == "error":
            self.error = f"{content.get('ename', '')}: {content.get('evalue', '')}"[:300]
        payload = content.get("payload") or []
        self.asked_exit = any(
            isinstance(p, dict) and p.get("source") == "ask_exit" and not p.get("keepkernel")
            for p in payload
        )

    def output(self, outs, msg, display_id, cell_index):
        """Count the characters of one output; keep nothing."""
        content = msg.get("content", {})
        parts = [content.get("text", "")] + list((content.get("data") or {}).values())
        size = sum(len(part) if isinstance(part, str) else len(str(part)) for part in parts)
        self.printed += size
        if OUTPUT_CAPPED in str(content.get("text", "")) or self.printed > self.output_limit:
            self.capped = True
        return None


def kernel_environment(base=None):
    """Return the environment of a grading kernel: offline, synthetic data, no drawing.

    ``NMA_DL_DATA_SOURCE`` is ``synthetic`` and ``NMA_DL_CHECK_TIMEOUT`` 30 s unless ``base``
    (by default ``os.environ``) sets them; proxies that lead nowhere keep pip, curl and urllib
    in child processes offline; matplotlib draws nothing (``MPLBACKEND=agg``).
    """
    env = dict(os.environ if base is None else base)
    env.setdefault("NMA_DL_DATA_SOURCE", "synthetic")
    env.setdefault("NMA_DL_CHECK_TIMEOUT", "30")
    nowhere = "http://127.0.0.1:9"  # the discard port: refused at once
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        env[name] = env[name.upper()] = nowhere
    env["no_proxy"] = env["NO_PROXY"] = "localhost,127.0.0.1,::1"
    env["PIP_NO_INDEX"] = "1"
    env["MPLBACKEND"] = "agg"
    env.pop("JPY_SESSION_NAME", None)
    return env


def read_verdict(step, cell_error=""):
    """Return the ``(value, message)`` a check cell wrote, or an error if it wrote none.

    ``cell_error`` is the error the check cell raised, if any: the reason it wrote nothing.
    """
    try:
        with open(step.result, "rb") as file:
            record = json.loads(file.read(_MAX_VERDICT_BYTES))
        os.remove(step.result)
    except (OSError, ValueError) as error:
        why = cell_error or type(error).__name__
        return ERROR, f"the check could not run ({why}): did the notebook break the kernel?"
    fields = ("token", "exercise", "status", "message")
    if (
        not isinstance(record, dict)
        or any(not isinstance(record.get(key), str) for key in fields)
        or record["token"] != step.token
        or record["exercise"] != step.exercise.name
        or record["status"] not in VERDICTS
    ):
        return ERROR, "the check's verdict was not the grader's own: it is ignored"
    return record["status"], record["message"]


def _stopped(steps, index, verdicts, why):
    """Fill in the exercises left without a verdict when the run stopped at ``steps[index]``."""
    step = steps[index]
    running = set()
    if step.kind == CHECK:
        running = {step.exercise.name}
    elif step.kind == STUDENT:  # the exercises this cell sets were about to be checked
        after = steps[index + 1 :]
        running = {s.exercise.name for s in after[: _checks_run_of(after)]}
    for other in steps:
        name = other.exercise.name if other.kind == CHECK else None
        if name is None or name in verdicts:
            continue
        if name in running and why == TIMEOUT:
            verdicts[name] = TIMEOUT, "The notebook's time ran out while this exercise ran."
        elif name in running and step.kind == CHECK:
            verdicts[name] = ERROR, "The kernel died while the check ran this exercise's code."
        else:
            verdicts[name] = NOT_REACHED, f"The run stopped before this exercise ({why})."


def _checks_run_of(steps):
    count = 0
    while count < len(steps) and steps[count].kind == CHECK:
        count += 1
    return count


def _where(step):
    if step.kind == STUDENT:
        return f"code cell {step.cell + 1}"
    return f"the check of {step.exercise.name}" if step.kind == CHECK else "the grader's start"


async def _run_steps(client, steps, timeout):
    """Run ``steps`` in ``client``'s kernel; return ``(status, verdicts, detail)``.

    The student's cells share ``timeout`` seconds; the grader's own cells have their own limits,
    so that a slow check never eats into the notebook's time.
    """
    verdicts, left = {}, timeout
    for index, step in enumerate(steps):
        limit = {STUDENT: left, CHECK: CHECK_CELL_LIMIT, START: _START_LIMIT}[step.kind]
        started = monotonic()
        if step.kind == CHECK:
            step.result.parent.mkdir(parents=True, exist_ok=True)  # in case a cell removed it
        try:
            if limit <= 0:
                raise CellTimeoutError("no time left")
            client.timeout = max(1, math.ceil(limit))
            run = client.async_execute_cell(client.nb.cells[index], index)
            await asyncio.wait_for(run, limit + _GRACE)
            if client.asked_exit:
                raise DeadKernelError("the cell called exit()")
        except (CellTimeoutError, asyncio.TimeoutError):
            _stopped(steps, index, verdicts, TIMEOUT)
            return TIMEOUT, verdicts, f"{_where(step)} ran past its time limit"
        except DeadKernelError:
            _stopped(steps, index, verdicts, KERNEL_DIED)
            return KERNEL_DIED, verdicts, f"the kernel died during {_where(step)}"
        if step.kind == STUDENT:
            left -= monotonic() - started
        if step.kind == START and client.error:
            return GRADER_ERROR, {}, f"the grader's first cell failed ({client.error})"
        if step.kind == CHECK:
            verdicts[step.exercise.name] = read_verdict(step, client.error)
    if client.capped:
        return CAPPED, verdicts, f"its cells printed more than {client.output_limit} characters"
    return GRADED, verdicts, ""


async def _shut_down(client):
    """Kill the kernel and its process group, whatever state it is in."""
    try:
        if client.kc is not None:
            client.kc.stop_channels()
        if client.km is not None and client.km.has_kernel:
            await ensure_async(client.km.shutdown_kernel(now=True))
    except Exception:  # a kernel already dead or half started
        pass
    finally:
        if client.km is not None:
            await ensure_async(client.km.cleanup_resources())


async def run_notebook(steps, workdir, timeout, output_limit, env):
    """Run ``steps`` in a fresh kernel started in ``workdir``.

    Parameters
    ----------
    steps : list of nma_dl.grade._plan.Step
        The plan (:func:`nma_dl.grade._plan.plan`).
    workdir : pathlib.Path
        The kernel's working folder.
    timeout : float
        Seconds the student's cells may run in all.
    output_limit : int
        Characters of output past which the row says ``output capped``.
    env : dict
        The kernel's environment (:func:`kernel_environment`).

    Returns
    -------
    Outcome
    """
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s.source) for s in steps])
    client = _CountingClient(
        notebook,
        kernel_name="python3",
        allow_errors=True,
        startup_timeout=_START_LIMIT,
        record_timing=False,
        iopub_timeout=10,
    )
    client.output_limit = output_limit
    client.on_cell_executed = client.note_reply
    client.km = client.create_kernel_manager()
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        await client.async_start_new_kernel(cwd=str(workdir), env=env, **quiet)
        await client.async_start_new_kernel_client()
        status, verdicts, detail = await _run_steps(client, steps, timeout)
    except (RuntimeError, OSError) as error:  # the kernel could not start, or its client
        return Outcome(GRADER_ERROR, {}, f"could not run a kernel: {error}")
    finally:
        await _shut_down(client)
    return Outcome(status, verdicts, detail)
