"""``nma_dl.checks.summary``: where a student stands in a tutorial, and never an answer.

Every self-check records its latest verdict in the kernel; ``summary(tutorial)`` lists the
tutorial's exercises in page order with ✓ / ✗ / ○ and says what to do next. Without a name it
infers the tutorial from the checks run so far, and says so when it cannot.
"""

import inspect

import _exercises
import numpy as np
import pytest

import nma_dl
from nma_dl.checks import (
    FAILED,
    NOT_IMPLEMENTED,
    PASSED,
    CheckResult,
    _summary,
    check_correlate_rdms,
    check_RDM,
    summary,
)
from nma_dl.checks._tutorials import TUTORIALS

T3, T4 = "W1D5_Tutorial3", "W1D5_Tutorial4"


@pytest.fixture(autouse=True)
def kernel(monkeypatch):
    """A fresh kernel: no check has run yet (the verdicts it records, by exercise)."""
    latest = {}
    monkeypatch.setattr(_summary, "_LATEST", latest)
    return latest


def _ran(name, status, message=None):
    """Record a verdict as a check would, with a line like the checks' own."""
    mark = {PASSED: "✓", FAILED: "✗", NOT_IMPLEMENTED: "○"}[status]
    _summary._record(CheckResult(name, status, message or f"{mark} {name}: 3/3 cases match."))


def _printed(capsys, *args):
    capsys.readouterr()
    result = summary(*args)
    return result, capsys.readouterr().out


def _stub(resp):
    raise NotImplementedError("Student exercise: compute the RDM")


# --------------------------------------------------------------------------- recording


def test_every_check_records_its_latest_verdict(kernel, run_check):
    first, _ = run_check(check_RDM, _stub)
    assert kernel == {"RDM": first} and first.status == NOT_IMPLEMENTED
    again, _ = run_check(check_RDM, nma_dl.RDM)
    assert kernel == {"RDM": again} and again.status == PASSED  # the latest, not the first


def test_a_check_that_raises_records_nothing(kernel):
    with pytest.raises(TypeError):
        check_RDM(3)
    assert kernel == {}


# --------------------------------------------------------------------------- the list


def test_the_list_marks_each_exercise_in_page_order(capsys):
    _ran("preferred_orientation", PASSED)
    _ran(
        "DeepNetSoftmax",
        FAILED,
        "✗ DeepNetSoftmax: case 2 of 3 (a batch of 5): the output's shape is (5, 4), "
        "expected (5, 3).",
    )
    _ran("loss_choice", NOT_IMPLEMENTED, "○ loss_choice: not implemented yet: fill in ...")
    _, out = _printed(capsys, T4)
    assert out.splitlines() == [
        "Tutorial 4: Diving deeper into decoding and encoding (bonus) (W1D5_Tutorial4): "
        "1 of 5 exercises pass.",
        "  ✓ preferred_orientation",
        "  ✗ DeepNetSoftmax         the output's shape is (5, 4), expected (5, 3).",
        "  ○ loss_choice            not implemented yet",
        "  ○ regularized_loss       not checked yet",
        "  ○ ConvFC                 not checked yet",
        "Next: `DeepNetSoftmax` (✗) — re-read its check's line above (its hint), fix the "
        "exercise, then run its cell and `check_DeepNetSoftmax(DeepNetSoftmax)` again.",
    ]


def test_a_long_pointer_is_cut_at_a_word(capsys):
    line = (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 3 (max abs difference): "
        "it is the correlation itself; the dissimilarity is one minus it."
    )
    _ran("RDM", FAILED, line)
    _, out = _printed(capsys, T3)
    shown = out.splitlines()[1]
    assert shown == "  ✗ RDM             the RDM is off by 3 (max abs difference): it is the…"
    assert shown.split(maxsplit=2)[2].removesuffix("…") in line


def test_the_placeholder_verdict_is_named_as_not_finished(capsys):
    _ran("RDM", NOT_IMPLEMENTED, "○ RDM: not finished yet: `M` is still the placeholder `...`")
    _, out = _printed(capsys, T3)
    assert out.splitlines()[1] == "  ○ RDM             not finished yet"


def test_summary_returns_the_marks_and_a_notebook_shows_nothing_more(capsys):
    _ran("RDM", PASSED)
    result, _ = _printed(capsys, T3)
    assert result.tutorial == T3
    assert result.exercises == (("RDM", PASSED), ("correlate_rdms", _summary.NOT_RUN))
    assert not result
    assert result._ipython_display_() is None  # IPython calls this instead of showing a repr
    _ran("correlate_rdms", PASSED)
    assert summary(T3)


# --------------------------------------------------------------------------- what next


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        (
            {"RDM": PASSED, "correlate_rdms": FAILED},
            "Next: `correlate_rdms` (✗) — re-read its check's line above (its hint), fix the "
            "exercise, then run its cell and `check_correlate_rdms(correlate_rdms)` again.",
        ),
        (
            {"RDM": NOT_IMPLEMENTED, "correlate_rdms": FAILED},  # page order, not the worst
            "Next: `RDM` (○) — finish the exercise (fill in each `...`, delete its `raise "
            "NotImplementedError` line), then run its cell and `check_RDM(RDM)` again.",
        ),
        (
            {},
            "Next: `RDM` (○) — do the exercise, then run its cell and its check, "
            "`check_RDM(RDM)`.",
        ),
        ({"RDM": PASSED, "correlate_rdms": PASSED}, "All 2 exercises pass."),
    ],
    ids=["failed", "not-implemented-first", "nothing-run", "all-pass"],
)
def test_the_last_line_says_what_to_do_next(capsys, verdicts, expected):
    for name, status in verdicts.items():
        _ran(name, status)
    _, out = _printed(capsys, T3)
    assert out.splitlines()[-1] == expected


def test_the_check_of_an_exercise_with_another_variable_names_that_variable(capsys):
    _ran("preferred_orientation", PASSED)
    _ran("DeepNetSoftmax", PASSED)
    _, out = _printed(capsys, T4)
    assert "`check_loss_choice(loss_fn)`" in out.splitlines()[-1]


# --------------------------------------------------------------------------- which tutorial


def test_the_tutorial_is_inferred_from_the_checks_run(capsys):
    _ran("correlate_rdms", FAILED, "✗ correlate_rdms: case 1 of 3 (3 x 3): off.")
    result, out = _printed(capsys)
    assert result.tutorial == T3
    assert out.startswith(f"{TUTORIALS[T3].title} ({T3}): 0 of 2 exercises pass.\n")


def test_checks_of_two_tutorials_make_it_ambiguous(capsys):
    _ran("RDM", PASSED)
    _ran("train", FAILED)
    result, out = _printed(capsys)
    assert result is None
    assert out.splitlines() == [
        "Checks of more than one tutorial have run in this kernel: name the one to list.",
        '  nma_dl.checks.summary("W1D5_Tutorial1")  # checked: train',
        '  nma_dl.checks.summary("W1D5_Tutorial3")  # checked: RDM',
    ]


def test_no_check_run_yet_says_so_and_how_to_name_the_tutorial(capsys):
    result, out = _printed(capsys)
    assert result is None
    lines = out.splitlines()
    assert lines[0].startswith("No self-check has run in this kernel yet")
    assert lines[1:] == [
        f'  nma_dl.checks.summary("{name}")  # {tutorial.title}'
        for name, tutorial in TUTORIALS.items()
    ]


def test_a_check_of_no_tutorial_is_left_out_of_the_inference(capsys):
    _ran("not_an_exercise", PASSED)
    _ran("RDM", PASSED)
    result, _ = _printed(capsys)
    assert result.tutorial == T3


@pytest.mark.parametrize("name", [T3, f"W1D5_DeepLearning/{T3}.ipynb", f"{T3}.md"])
def test_the_notebook_may_be_named_by_its_file(capsys, name):
    result, _ = _printed(capsys, name)
    assert result.tutorial == T3


def test_a_bad_name_is_refused_with_the_valid_ones(capsys):
    with pytest.raises(ValueError, match="W1D5_Tutorial9") as caught:
        summary("W1D5_Tutorial9")
    for name in TUTORIALS:
        assert repr(name) in str(caught.value)
    with pytest.raises(TypeError, match="tutorial must be a str"):
        summary(3)
    assert capsys.readouterr().out == ""


# --------------------------------------------------------------------------- no answer


def _wrong_rdm(resp):
    return np.corrcoef(resp)  # the correlation itself: the check's hint names this slip


def test_the_summary_never_prints_an_answer(capsys):
    # Real checks of wrong answers; nothing of the solutions' code reaches the summary.
    results = [check_RDM(_wrong_rdm), check_correlate_rdms(lambda rdm1, rdm2: 0.5)]
    _, out = _printed(capsys, T3)
    solutions = [e for e in _exercises.EXERCISES if e.source.endswith(f"{T3}.md")]
    code = [inspect.getsource(nma_dl.RDM), inspect.getsource(nma_dl.correlate_rdms)]
    code += [e.solution for e in solutions]
    lines = {line.strip() for text in code for line in text.splitlines() if len(line) > 12}
    assert solutions and lines
    assert not [line for line in lines if line in out]
    # Each line of an exercise holds only its mark, its name and the start of its check's line.
    for result, shown in zip(results, out.splitlines()[1:3], strict=True):
        mark, name, pointer = shown.split(maxsplit=2)
        assert (mark, name) == ("✗", result.name)
        assert pointer.removesuffix("…") in result.message


def test_summary_is_exported_by_the_checks_without_torch():
    import nma_dl.checks

    assert nma_dl.checks.summary is summary and "summary" in nma_dl.checks.__all__
    assert "summary" not in nma_dl.__all__  # reached through the checks only
