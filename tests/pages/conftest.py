"""Tests of the book's pages: what they say, what their cells compute, how their notebooks run.

Pages are read and run through ``tests/_pages.py`` (and their exercises through
``tests/_exercises.py``), each once per session. A whole notebook run (minutes in a Jupyter
kernel) is shared too, across pytest-xdist's workers: :func:`shared_run`.
"""

import hashlib
import json
import os

import nbformat
import pytest
from filelock import FileLock


@pytest.fixture(scope="session")
def shared_run(tmp_path_factory):
    """``shared_run(key, execute)``: ``execute()`` once per test session, its result shared.

    ``execute`` returns an executed notebook and its error (a dict, or None). The first test to
    ask for ``key`` runs it; under pytest-xdist the other workers wait for that run (a file lock)
    and read it from the folder all the session's workers share.
    """
    done = {}
    # A worker's basetemp is a folder in the session's own: its parent is shared, and new.
    workers = os.environ.get("PYTEST_XDIST_WORKER")
    shared = tmp_path_factory.getbasetemp().parent if workers else None

    def run(key, execute):
        if key in done:
            return done[key]
        if shared is None:
            done[key] = execute()
            return done[key]
        path = shared / f"notebook-run-{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
        with FileLock(f"{path}.lock"):
            if not path.is_file():
                notebook, error = execute()
                saved = {"notebook": nbformat.writes(notebook), "error": error}
                path.write_text(json.dumps(saved), encoding="utf-8")
            saved = json.loads(path.read_text(encoding="utf-8"))
        done[key] = nbformat.reads(saved["notebook"], as_version=4), saved["error"]
        return done[key]

    return run
