"""What the grader hands back and how it is called: the table, the notes, the summary, the
settings, and the command line's exit statuses and messages (no kernel needed here)."""

from __future__ import annotations

import csv
import math

import pytest
from grade_fixtures import notebook_bytes

from nma_dl.checks._tutorials import TUTORIALS
from nma_dl.grade._cli import main
from nma_dl.grade._grader import grade, validate_settings
from nma_dl.grade._report import (
    NotebookGrade,
    exercise_columns,
    notes,
    notes_name,
    summary,
    write_csv,
)

# -------------------------------------------------------------------------- table, notes, summary


def _grades():
    w1d3, t4 = TUTORIALS["W1D3_Tutorial1"], TUTORIALS["W1D5_Tutorial4"]
    return [
        NotebookGrade(
            "t4.ipynb",
            t4,
            "title",
            "graded",
            {
                e.name: ("pass" if i == 2 else "fail", f"line {i}")
                for i, e in enumerate(t4.exercises)
            },
            12.34,
        ),
        NotebookGrade(
            "=HYPERLINK(1).ipynb",
            w1d3,
            "code",
            "timeout",
            {e.name: ("not reached", "stopped") for e in w1d3.exercises},
            900.0,
            "code cell 3 ran past its time limit",
        ),
        NotebookGrade("broken.ipynb", status="not a notebook", detail="not JSON"),
    ]


def test_the_table_has_the_exercises_of_the_tutorials_present_in_course_order(tmp_path):
    grades = _grades()
    columns = exercise_columns(grades)
    expected = [
        e.name for key in ("W1D3_Tutorial1", "W1D5_Tutorial4") for e in TUTORIALS[key].exercises
    ]
    assert columns == expected
    path = tmp_path / "grades.csv"
    write_csv(grades, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "notebook",
        "tutorial",
        *expected,
        "passed",
        "total",
        "seconds",
        "status",
    ]
    assert rows[0]["loss_choice"] == "pass" and rows[0]["Net"] == "" and rows[0]["passed"] == "1"
    assert (
        rows[0]["total"] == "5" and rows[0]["seconds"] == "12.3" and rows[0]["status"] == "graded"
    )
    assert rows[1]["notebook"] == "'=HYPERLINK(1).ipynb"  # never a formula in a spreadsheet
    assert rows[1]["Net"] == "not reached" and rows[1]["status"] == "timeout"
    assert rows[2]["tutorial"] == rows[2]["passed"] == rows[2]["total"] == ""
    assert not list(tmp_path.glob("*.part"))


def test_notes_name_the_verdicts_and_never_collide():
    taken = set()
    given = ("a/b.ipynb", "a__b.ipynb", "../../x.IPYNB", "", "a/b", "c.zip:../../d.ipynb")
    names = [notes_name(n, taken) for n in given]
    assert names == ["a__b.md", "a__b-2.md", "x.md", "notebook.md", "a__b-3.md", "c.zip__d.md"]
    t4, timeout, broken = (notes(g) for g in _grades())
    assert "- **loss_choice**: pass. line 2" in t4 and "1 of 5 exercises pass." in t4
    assert "Timeout: code cell 3 ran past its time limit." in timeout
    assert "Not graded: not a notebook (not JSON)." in broken


def test_the_summary_counts_passes_per_exercise_and_rows_per_status():
    text = summary(_grades())
    assert "W1D5_Tutorial4  loss_choice" in text and "1 of 1" in text
    assert text.splitlines()[-1] == "3 notebooks: 1 graded, 1 timeout, 1 not a notebook"


# ------------------------------------------------------------------------- settings, command line


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "settings, error, match",
    [
        ((0, 1, 1000), ValueError, "timeout must be between"),
        ((math.nan, 1, 1000), ValueError, "timeout"),
        ((math.inf, 1, 1000), ValueError, "timeout"),
        (("900", 1, 1000), TypeError, "timeout must be a number"),
        ((True, 1, 1000), TypeError, "timeout"),
        ((10, 0, 1000), ValueError, "jobs must be between 1 and 64"),
        ((10, 1.5, 1000), TypeError, "jobs must be an int"),
        ((10, 1, 10), ValueError, "output_limit"),
    ],
)
def test_bad_settings_are_refused_naming_them(settings, error, match):
    with pytest.raises(error, match=match):
        validate_settings(*settings)


def _broken_folder(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "a.ipynb").write_bytes(b"not json")
    (folder / "b.ipynb").write_bytes(
        notebook_bytes(("markdown", "# Another course"), ("code", "1"))
    )
    (folder / "c.ipynb").write_bytes(notebook_bytes(("markdown", "# Tutorial 3: only words")))
    return folder


def test_notebooks_that_need_no_kernel_get_their_row(tmp_path):
    rows = grade([_broken_folder(tmp_path)])
    assert [(g.notebook.rsplit("/", 1)[1], g.status) for g in rows] == [
        ("a.ipynb", "not a notebook"),
        ("b.ipynb", "unknown tutorial"),
        ("c.ipynb", "no cells"),
    ]


def test_the_command_grades_and_exits_0_whatever_the_grades(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    _broken_folder(tmp_path)
    assert main(["class", "--out", "g.csv", "--feedback", "notes"]) == 0
    rows = list(csv.DictReader((tmp_path / "g.csv").open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["not a notebook", "unknown tutorial", "no cells"]
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == [
        "class__a.md",
        "class__b.md",
        "class__c.md",
    ]
    out, err = capsys.readouterr()
    assert "3 notebooks: 1 not a notebook, 1 unknown tutorial, 1 no cells" in out
    assert "class/a.ipynb: not a notebook (not JSON (JSONDecodeError))" in err


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "argv, match",
    [
        ([], "the following arguments are required"),
        (["x.ipynb", "--timeout", "0"], "--timeout must be between"),
        (["x.ipynb", "--timeout", "soon"], "invalid float value"),
        (["x.ipynb", "--jobs", "0"], "--jobs must be between"),
        (["missing.ipynb"], "missing.ipynb does not exist"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tmp_path, monkeypatch, capsys, argv, match):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.ipynb").write_bytes(b"{}")
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--out", "g.csv"] if argv else argv)
    assert stop.value.code == 2 and match in capsys.readouterr().err


def test_the_command_exits_1_when_it_cannot_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert main(["empty", "--out", "g.csv"]) == 1
    assert "no notebooks found in empty" in capsys.readouterr().err
    (tmp_path / "x.ipynb").write_bytes(b"{}")
    assert main(["x.ipynb", "--out", "no/such/folder/g.csv"]) == 1
    assert "cannot write the output" in capsys.readouterr().err
    (tmp_path / "file").write_text("")
    assert main(["x.ipynb", "--out", "g.csv", "--feedback", "file"]) == 1
    assert "cannot write the output" in capsys.readouterr().err
