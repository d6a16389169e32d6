"""The grader end to end: ``python -m nma_dl.grade`` on a class's submissions, in kernels.

The submissions are made at test time from the generated notebooks (``grade_fixtures.py``):
stubs, solutions, one wrong answer per exercise, the bad cases and a zip archive. The table must
equal ``expected_grades.csv`` cell by cell (the ``seconds`` column aside), the submissions must
be left untouched, and each notebook gets its notes: one test, one run of the grader (two to
four minutes on two cores with ``--jobs 2``). The notebooks that loop forever are graded apart,
with ``--timeout 10``.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from grade_fixtures import build, build_loop

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
EXPECTED = HERE / "expected_grades.csv"


def _snapshot(*paths):
    """``{path: sha256}`` of every file under ``paths``."""
    files = [p for path in paths for p in ([path] if path.is_file() else path.rglob("*"))]
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.is_file()}


def _grade(root, *arguments, env=None):
    command = [sys.executable, "-m", "nma_dl.grade", *arguments]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=1500)


def _rows(path):
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_grading_a_class(tmp_path):
    # One test, so that pytest-xdist never grades the class twice (on two workers)
    root = tmp_path
    folder, archive = build(root / "submissions")
    before = _snapshot(folder, archive)
    done = _grade(
        root,
        "submissions",
        archive.name,
        "--out",
        "grades.csv",
        "--feedback",
        "notes",
        "--jobs",
        "2",
    )
    graded = SimpleNamespace(root=root, done=done, before=before, after=_snapshot(folder, archive))
    _the_grades_are_the_expected_ones_cell_by_cell(graded)
    _the_run_says_what_it_found_and_sums_up(graded)
    _the_submissions_are_left_as_they_were(graded)
    _each_notebook_gets_its_notes_with_the_lines_its_checks_printed(graded)


def _the_grades_are_the_expected_ones_cell_by_cell(graded):
    assert graded.done.returncode == 0, graded.done.stderr[-3000:]
    rows, expected = _rows(graded.root / "grades.csv"), _rows(EXPECTED)
    assert [r["notebook"] for r in rows] == [r["notebook"] for r in expected]
    assert list(rows[0]) == [*expected[0].keys()][:-1] + ["seconds", "status"]
    differ = [
        f"{row['notebook']}: {column} is {row[column]!r}, expected {want[column]!r}"
        for row, want in zip(rows, expected, strict=True)
        for column in want
        if row[column] != want[column]
    ]
    assert not differ, "\n".join(differ)
    assert all(float(row["seconds"]) >= 0 for row in rows)


def _the_run_says_what_it_found_and_sums_up(graded):
    err, out = graded.done.stderr, graded.done.stdout
    assert "submissions/bad/spoofed.ipynb: W1D3_Tutorial1, by its code: graded" in err
    assert "submissions/wrong/W1D5_Tutorial3-RDM.ipynb: W1D5_Tutorial3, by its title" in err
    assert "submissions/bad/exits.ipynb: W1D3_Tutorial1, by its title: kernel died" in err
    assert "100%" in err  # the progress bar, on stderr
    assert "W1D5_Tutorial2  conv2d                  2 of 7" in out
    assert out.splitlines()[-1] == (
        "34 notebooks: 26 graded, 2 kernel died, 2 not a notebook, 1 no cells, "
        "1 output capped, 1 unknown tutorial, 1 unreadable"
    )


def _the_submissions_are_left_as_they_were(graded):
    assert graded.after == graded.before
    # The archive's member "../../escape.ipynb" was never written under its name
    places = [*graded.root.rglob("escape.ipynb"), *graded.root.parents]
    assert not [p for p in places if p.name == "escape.ipynb" or (p / "escape.ipynb").exists()]


def _each_notebook_gets_its_notes_with_the_lines_its_checks_printed(graded):
    notes = {p.name: p.read_text(encoding="utf-8") for p in (graded.root / "notes").iterdir()}
    assert len(notes) == len(_rows(EXPECTED))
    wrong = notes["submissions__wrong__W1D5_Tutorial3-RDM.md"]
    assert "- **RDM**: fail. ✗ RDM: case 1 of 3" in wrong
    assert "is each row z-scored across units (axis=1)?" in wrong  # the hint, not the answer
    assert "- **correlate_rdms**: not implemented. ○ correlate_rdms" in wrong
    assert "✓" not in notes["submissions__bad__spoofed.md"]  # printed by the notebook: ignored
    assert "Kernel died: the kernel died during code cell" in notes["submissions__bad__exits.md"]
    imported = notes["submissions__bad__imported.md"]
    assert "cross_entropy_loss is the course package's own" in imported
    assert "Not graded: unreadable (a symbolic link" in notes["class_export.zip_carol__link.md"]


def test_code_that_loops_forever_is_stopped_by_the_time_limits(tmp_path):
    build_loop(tmp_path / "loop")
    env = {**os.environ, "NMA_DL_CHECK_TIMEOUT": "3"}  # each case of a check: 3 s
    arguments = ("loop", "--out", "loop.csv", "--timeout", "10", "--feedback", "notes")
    done = _grade(tmp_path, *arguments, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    in_check, in_cell = _rows(tmp_path / "loop.csv")
    # The notebook's cells ran past its 10 s where max_pool's cell called it
    assert {
        k: in_cell[k] for k in ("conv2d", "ConvolutionalLayer", "max_pool", "conv_weights")
    } == {
        "conv2d": "not implemented",
        "ConvolutionalLayer": "not implemented",
        "max_pool": "timeout",
        "conv_weights": "not reached",
    }
    assert (in_cell["status"], in_cell["passed"], in_cell["total"]) == ("timeout", "0", "4")
    assert 10 <= float(in_cell["seconds"]) < 90
    assert re.search(r"W1D5_Tutorial2\.ipynb: .*timeout: code cell \d+ ran past its", done.stderr)
    # approximate_function loops only when its check calls it: the check stops it and says so
    assert (in_check["approximate_function"], in_check["status"]) == ("fail", "graded")
    notes = (tmp_path / "notes" / "loop__W1D3_Tutorial1.md").read_text(encoding="utf-8")
    assert "your code was still running after 3 s, so the check stopped it" in notes
