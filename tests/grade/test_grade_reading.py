"""Reading a submitted notebook: what is not one, which tutorial it is (by its title, by its
code), where each exercise is set, and the cells the grader plans around it."""

from __future__ import annotations

import json

import pytest
from grade_fixtures import DAYS, NOTEBOOKS, load, notebook_bytes

from nma_dl.checks._tutorials import TUTORIALS
from nma_dl.grade._detect import (
    Cell,
    NotANotebook,
    anchors,
    bindings,
    detect_tutorial,
    parse_notebook,
    title,
)
from nma_dl.grade._plan import CHECK, START, STUDENT, plan

KINDS = ("student", "solutions", "reference")


def _bytes(kind, tutorial):
    return (NOTEBOOKS / kind / DAYS[tutorial] / f"{tutorial}.ipynb").read_bytes()


# ------------------------------------------------------------------------------ reading notebooks


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("key", list(TUTORIALS))
def test_every_generated_notebook_is_found_by_its_title(kind, key):
    cells = parse_notebook(_bytes(kind, key))
    assert detect_tutorial(cells) == (TUTORIALS[key], "title")


def test_two_tutorials_numbered_1_are_told_apart_by_their_whole_title():
    w1d3, w1d5 = TUTORIALS["W1D3_Tutorial1"], TUTORIALS["W1D5_Tutorial1"]
    assert w1d3.title.startswith("Tutorial 1:") and w1d5.title.startswith("Tutorial 1:")
    found = {
        detect_tutorial(parse_notebook(_bytes("student", t.notebook)))[0] for t in (w1d3, w1d5)
    }
    assert found == {w1d3, w1d5}


@pytest.mark.parametrize("key", list(TUTORIALS))
@pytest.mark.parametrize("summary_cell", [True, False])
def test_without_its_title_a_notebook_is_found_by_its_code(key, summary_cell):
    notebook = load("student", key)
    notebook["cells"][0]["source"] = "# My homework"  # renamed by the student
    if not summary_cell:  # deleted too: the exercises the code defines and checks decide
        notebook["cells"] = [c for c in notebook["cells"] if "summary(" not in c["source"]]
    cells = parse_notebook(json.dumps(notebook).encode())
    assert detect_tutorial(cells) == (TUTORIALS[key], "code")


def test_the_summary_cell_names_the_tutorial():
    cells = [Cell("code", "def RDM(resp):\n    pass"), Cell("code", 'summary("W1D5_Tutorial2")')]
    assert detect_tutorial(cells) == (TUTORIALS["W1D5_Tutorial2"], "code")
    cells.append(Cell("code", 'nma_dl.checks.summary("W1D5_Tutorial3")'))  # two: the code decides
    assert detect_tutorial(cells) == (TUTORIALS["W1D5_Tutorial3"], "code")


def test_a_notebook_of_no_tutorial_or_of_two_is_unknown():
    other = parse_notebook(notebook_bytes(("markdown", "# Another course"), ("code", "x = 1")))
    assert detect_tutorial(other) == (None, "")
    both = parse_notebook(
        notebook_bytes(
            ("code", "def RDM(resp):\n    pass"), ("code", "def conv2d(a, b):\n    pass")
        )
    )
    assert detect_tutorial(both) == (None, "")  # one exercise each of two tutorials: a tie


def test_the_title_is_the_first_level_1_heading():
    assert (
        title([Cell("markdown", "intro\n#  Tutorial 3:   A  title  ##\n")])
        == "Tutorial 3: A title"
    )
    assert title([Cell("markdown", "## Section"), Cell("code", "# a comment")]) is None
    heading = "# " + TUTORIALS["W1D5_Tutorial3"].title.upper()  # case does not matter
    assert detect_tutorial([Cell("markdown", heading)]) == (TUTORIALS["W1D5_Tutorial3"], "title")
    above = [Cell("markdown", "# Alice Smith, group 4"), Cell("markdown", heading)]
    assert detect_tutorial(above) == (TUTORIALS["W1D5_Tutorial3"], "title")


@pytest.mark.parametrize(
    "data, why",
    [
        (b"\xff\xfe not text", "not JSON"),
        (b"this is not a notebook {", "not JSON"),
        (b"[1, 2]", "JSON list"),
        (b'{"metadata": {}}', "without a list of cells"),
        (b'{"cells": {"a": 1}}', "without a list of cells"),
        (b'{"cells": [3]}', "a cell is int"),
        (b'{"cells": [{"cell_type": "code", "source": 3}]}', "source is int"),
        (b"[" * 100_000, "not JSON"),  # nested too deep for the parser
    ],
)
def test_what_is_not_a_notebook_says_why(data, why):
    with pytest.raises(NotANotebook, match=why):
        parse_notebook(data)


def test_sources_as_lists_and_nbformat_3_are_read():
    cells = parse_notebook(b'{"cells": [{"cell_type": "code", "source": ["a = 1\\n", "b = 2"]}]}')
    assert cells == [Cell("code", "a = 1\nb = 2")]
    old = {"worksheets": [{"cells": [{"cell_type": "code", "input": "x = 1"}]}], "nbformat": 3}
    assert parse_notebook(json.dumps(old).encode()) == [Cell("code", "x = 1")]


@pytest.mark.bad_input
def test_parse_notebook_wants_bytes():
    with pytest.raises(TypeError, match="data must be bytes"):
        parse_notebook("{}")


# ------------------------------------------------------------------------ where exercises are set


def test_bindings_see_module_level_names_but_not_function_locals():
    source = """\
%pip install something
import numpy as np
from torch import nn as neural
def RDM(resp):
    inner = 1
class Net(nn.Module):
    pass
a, (b, *c) = 1, (2, 3)
x: int = 1
for i in range(2):
    if i:
        loss_fn = nn.MSELoss()
with open("f") as handle:
    pass
try:
    pass
except ValueError as problem:
    fixed = 1
(y := 2)
obj.attr = 3
"""
    defined, imported = bindings(source)
    assert defined == {
        *"RDM Net a b c x i loss_fn handle problem fixed y".split(),
    }
    assert imported == {"np", "neural"}


def test_a_cell_with_a_syntax_error_is_read_line_by_line():
    defined, imported = bindings("def RDM(resp)\n    return\nloss_fn = nn.NLLLoss(\n")
    assert defined == {"RDM", "loss_fn"} and imported == set()


def test_an_exercise_is_set_by_the_last_cell_that_binds_its_name():
    tutorial = TUTORIALS["W1D5_Tutorial4"]
    code = [
        "from nma_dl import DeepNetReLU",
        "loss_fn = nn.MSELoss()",  # not the exercise yet: a later cell chooses again
        "class DeepNetSoftmax(nn.Module):\n    pass\nloss_fn = ...",
        "from mine import preferred_orientation",
    ]
    assert anchors(code, tutorial) == {
        "preferred_orientation": 3,
        "DeepNetSoftmax": 2,
        "loss_choice": 2,
        "regularized_loss": None,
        "ConvFC": None,
    }


def test_the_plan_checks_each_exercise_right_after_the_cell_that_sets_it(tmp_path):
    tutorial = TUTORIALS["W1D5_Tutorial3"]
    code = ["import numpy as np", "def RDM(resp):\n    return resp", "print(1)"]
    steps = plan(code, tutorial, tmp_path, 1000)
    assert [(s.kind, s.cell, s.exercise and s.exercise.name) for s in steps] == [
        (START, None, None),
        (STUDENT, 0, None),
        (STUDENT, 1, None),
        (CHECK, None, "RDM"),
        (STUDENT, 2, None),
        (CHECK, None, "correlate_rdms"),  # set nowhere: checked at the end
    ]
    checks = [s for s in steps if s.kind == CHECK]
    assert len({s.token for s in checks}) == 2 and all(len(s.token) == 32 for s in checks)
    for step in steps:
        if step.kind != STUDENT:
            compile(step.source, "<cell>", "exec")  # valid Python, as the kernel runs it
    assert checks[0].token in checks[0].source and str(checks[0].result) in checks[0].source
    assert checks[0].result.parent == tmp_path
