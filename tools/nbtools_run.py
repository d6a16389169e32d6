"""Executing notebooks: in a fresh kernel, with the first error and the printed text.

Part of the notebook pipeline (``tools/nbtools.py``, which re-exports these names and runs
:func:`_run_command` as ``python tools/nbtools.py run <notebook>``); the notebook tests and
``tools/benchmark_notebooks.py`` use it.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the working folder of a notebook given as cells


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


# Lines that report elapsed time or speed (tqdm bars, timers) legitimately differ between runs.
_TIMING = re.compile(r"\d+(\.\d+)?\s*(it/s|s/it)|\d+:\d+|elapsed|seconds|wall", re.IGNORECASE)


@dataclass
class Run:
    """Result of executing a notebook: the executed notebook and the first error, if any."""

    notebook: object
    error: dict | None  # {"cell": index, "ename": ..., "evalue": ..., "tags": [...]}
    seconds: float


def execute(
    nb, *, timeout: int = 600, cwd: str | Path | None = None, stop_on_error: bool = True
) -> Run:
    """Execute ``nb`` (a notebook or a path) in a fresh ``python3`` kernel.

    Cells tagged ``raises-exception`` may fail (as in nbmake and the book build). With
    ``stop_on_error`` the run stops at the first other failing cell and reports it.
    """
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    if isinstance(nb, (str, Path)):
        cwd = cwd or Path(nb).parent
        nb = nbformat.read(nb, as_version=4)
    nb = copy.deepcopy(nb)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd or ROOT)}},
        allow_errors=not stop_on_error,
    )
    error = None
    start = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        index = next(
            (
                i
                for i, c in enumerate(nb.cells)
                if c.cell_type == "code"
                and any(o.get("output_type") == "error" for o in c.get("outputs", []))
            ),
            None,
        )
        cell = nb.cells[index] if index is not None else None
        out = next(o for o in cell.outputs if o.get("output_type") == "error") if cell else {}
        error = {
            "cell": index,
            "ename": out.get("ename", exc.ename),
            "evalue": out.get("evalue", str(exc)),
            "tags": _tags(cell) if cell else [],
        }
    return Run(notebook=nb, error=error, seconds=time.perf_counter() - start)


def text_outputs(nb) -> list[str]:
    """Printed text and text/plain results of every code cell, minus timing lines."""
    lines = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text = out.get("text", "")
            elif out.get("output_type") in ("execute_result", "display_data"):
                text = out.get("data", {}).get("text/plain", "")
                # Reprs of figures and widgets carry memory addresses; their content is the image.
                text = re.sub(r" at 0x[0-9a-f]+", "", text)
            elif out.get("output_type") == "error":
                text = f"{out.get('ename')}: {out.get('evalue')}"
            else:
                continue
            text = text if isinstance(text, str) else "".join(text)
            lines += [
                f"[{i}] {line}"
                for line in text.splitlines()
                if line.strip() and not _TIMING.search(line)
            ]
    return lines


def _run_command(path: str) -> int:
    """Execute one notebook and print JSON: seconds, first error and the kernel's peak RSS."""
    import resource

    run = execute(Path(path))
    # The kernel is this process's child and has exited: its peak RSS is in RUSAGE_CHILDREN (KiB).
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    )
    print(
        json.dumps(
            {
                "notebook": path,
                "seconds": round(run.seconds, 2),
                "peak_rss_mb": round(peak_kib / 1024, 1),
                "error": run.error,
                "text": text_outputs(run.notebook),
            }
        )
    )
    return 0 if run.error is None else 1
