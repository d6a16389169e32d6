"""Tests of the book's pages: what they say, what their cells compute, how their notebooks run.

Pages are read and run through ``tests/_pages.py`` (and their exercises through
``tests/_exercises.py``), each once per session. A whole notebook run (minutes in a Jupyter
kernel) is shared too, across pytest-xdist's workers: :func:`shared_run`.

What a page says about the data must hold for the real recordings, which students load, not only
for the one surrogate the book is built with here: the claims tests take :func:`data_draw`, which
runs them on the surrogate drawn with three seeds (the default and two others, those two with
the slow tests) and on the real recordings where they are available.
"""

import hashlib
import json
import os

import nbformat
import pytest
from filelock import FileLock

from nma_dl.data import DataUnavailableError, fetch, surrogate

# The surrogate's seeds the claims tests run on, then the real recordings ("osf").
DRAWS = (
    pytest.param(surrogate.SEED, id=f"surrogate-seed{surrogate.SEED}"),
    pytest.param(1, id="surrogate-seed1", marks=pytest.mark.slow),
    pytest.param(2, id="surrogate-seed2", marks=pytest.mark.slow),
    pytest.param("osf", id="osf"),
)


@pytest.fixture(scope="module", params=DRAWS)
def data_draw(request):
    """The data set of a claims test: the surrogate with one seed, or the real recordings.

    Sets ``NMA_DL_DATA_SOURCE`` (and ``NMA_DL_SURROGATE_SEED``) for the module's tests, so
    ``load_data()`` and the pages run by ``_pages.run_page`` read that data set; yields the seed,
    or ``"osf"``. The real recordings are used only when ``NMA_DL_DATA_SOURCE=osf`` was set for
    the session (the publishing workflow does) and they can be fetched; skipped otherwise, with
    the reason.
    """
    draw = request.param
    saved = {k: os.environ.get(k) for k in ("NMA_DL_DATA_SOURCE", "NMA_DL_SURROGATE_SEED")}
    if draw == "osf":
        if saved["NMA_DL_DATA_SOURCE"] != "osf":
            pytest.skip(
                "the real recordings are used only with NMA_DL_DATA_SOURCE=osf "
                "(they are downloaded from OSF; the publishing workflow sets it)"
            )
        try:
            fetch("W3D4_stringer_oribinned1.npz", source="osf")
        except DataUnavailableError as exc:
            pytest.skip(f"the real recordings could not be fetched: {exc}")
        os.environ.pop("NMA_DL_SURROGATE_SEED", None)
    else:
        os.environ["NMA_DL_DATA_SOURCE"] = "synthetic"
        os.environ["NMA_DL_SURROGATE_SEED"] = str(draw)
    try:
        yield draw
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


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
