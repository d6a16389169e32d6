"""What the self-checks' lines say: the original course's answers, got/expected pairs, hints.

A student who copies the original Neuromatch solution of an exercise whose answer this course
changed is told so, and why; a number shown next to the expected one differs from it on screen;
a ReLU moved to the output layer of DeepNetReLU gets a hint.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from scipy.ndimage import gaussian_filter1d
from test_checks import WRONG, run
from torch import nn

import nma_dl
from nma_dl.checks import (
    check_correlate_rdms,
    check_cross_entropy_loss,
    check_DeepNetReLU,
    check_preferred_orientation,
    check_shuffle_and_split_data,
)

ORIGINAL = "that is the original course's answer"


def _fails_with(capsys, check, answer, fragments, absent=()):
    result, line = run(capsys, check, answer)
    assert not result and line.startswith("✗ "), line
    for fragment in fragments:
        assert fragment in line, line
    for fragment in absent:
        assert fragment not in line, line
    return line


# ----------------------------------------------------------------------- the original's answers
# Restatements of the original course's solutions: preferred_orientation smoothed with
# gaussian_filter1d's default boundary (mode="reflect") with a fixed width of 5 stimuli, then took
# the argmax over stimuli; cross_entropy_loss gathered the right class's logit in a loop and
# computed -x[label] + log(sum(exp(x))) as written, then averaged.


def preferred_orientation_original(resp, sigma=5):
    return gaussian_filter1d(resp, 5, axis=0).argmax(axis=0)


def preferred_orientation_original_numpy(resp, sigma=5):
    return gaussian_filter1d(np.asarray(resp), sigma, axis=0).argmax(axis=0)


def cross_entropy_original(x, labels):
    x_of_labels = torch.zeros(len(labels))
    for i, label in enumerate(labels):
        x_of_labels[i] = x[i, label]
    losses = -x_of_labels + torch.log(torch.sum(torch.exp(x), axis=1))
    return torch.mean(losses)


def cross_entropy_log_of_softmax(x, labels):
    probabilities = torch.softmax(x, dim=1)
    return -torch.log(probabilities[torch.arange(len(labels)), labels]).mean()


def cross_entropy_exp_over_sum(x, labels):
    e = torch.exp(x)
    return -torch.log(e[torch.arange(len(labels)), labels] / e.sum(dim=1)).mean()


@pytest.mark.parametrize(
    "answer", [preferred_orientation_original, preferred_orientation_original_numpy]
)
def test_the_original_preferred_orientation_is_named(capsys, answer):
    _fails_with(
        capsys,
        check_preferred_orientation,
        answer,
        ["case 1 of 3", ORIGINAL, "mode='reflect'", "asks for mode='wrap'", "circular"],
    )


def preferred_orientation_nearest(resp, sigma=5):
    return gaussian_filter1d(np.asarray(resp), sigma, axis=0, mode="nearest").argmax(axis=0)


def preferred_orientation_unsmoothed(resp, sigma=5):
    return np.asarray(resp).argmax(axis=0)


def preferred_orientation_list(resp, sigma=5):
    return nma_dl.preferred_orientation(resp).tolist()


def preferred_orientation_first_seven(resp, sigma=5):
    return nma_dl.preferred_orientation(resp)[:7]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        # Agrees with reflecting on the first draw, not on all: not the original's answer.
        (preferred_orientation_nearest, ["indices differ", "smooth with mode='wrap'"]),
        (preferred_orientation_unsmoothed, ["smooth the tuning curves"]),
        (preferred_orientation_list, ["it returned a list of 8, expected a NumPy array"]),
        (preferred_orientation_first_seven, ["an array of shape (7,), expected (8,)"]),
    ],
)
def test_another_wrong_preferred_orientation_gets_the_generic_hint(capsys, answer, fragments):
    _fails_with(capsys, check_preferred_orientation, answer, fragments, absent=[ORIGINAL])


@pytest.mark.parametrize(
    "answer", [cross_entropy_original, cross_entropy_log_of_softmax, cross_entropy_exp_over_sum]
)
def test_the_original_cross_entropy_is_named(capsys, answer):
    _fails_with(
        capsys,
        check_cross_entropy_loss,
        answer,
        ["case 3 of 3", "NaN or infinite", ORIGINAL, "log-sum-exp", "overflows float32 to inf"],
    )


def cross_entropy_sum(x, labels):
    return nma_dl.cross_entropy_loss(x, labels) * len(labels)


def cross_entropy_wrong_sign(x, labels):
    return -nma_dl.cross_entropy_loss(x, labels)


def cross_entropy_original_sum(x, labels):
    return cross_entropy_original(x, labels) * len(labels)


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        (cross_entropy_sum, ["case 1 of 3", "2 times"]),
        (cross_entropy_wrong_sign, ["case 1 of 3", "opposite sign"]),
        (cross_entropy_original_sum, ["case 1 of 3", "2 times"]),
    ],
)
def test_another_wrong_cross_entropy_gets_the_generic_hint(capsys, answer, fragments):
    _fails_with(capsys, check_cross_entropy_loss, answer, fragments, absent=[ORIGINAL])


def test_the_course_answers_still_pass(capsys):
    for check, name in [
        (check_preferred_orientation, "preferred_orientation"),
        (check_cross_entropy_loss, "cross_entropy_loss"),
    ]:
        result, line = run(capsys, check, getattr(nma_dl, name))
        assert result, line


# --------------------------------------------------------------------------- got and expected


@pytest.mark.parametrize(
    ("got", "expected", "texts"),
    [
        (0.99966, 0.99965, ("0.99966", "0.99965")),
        (0.9997, 0.5, ("0.9997", "0.5")),
        (1.0000001, 1.0, ("1.0000001", "1")),
        (-0.0, 0.0, ("-0", "0")),
        (2.0, 2.0, ("2.0", "2.0")),  # never asked for, but no endless loop
    ],
)
def test_two_numbers_differ_on_screen(got, expected, texts):
    from nma_dl.checks._core import _two_numbers

    assert _two_numbers(got, expected) == texts


def test_two_numbers_tell_any_two_floats_apart():
    from nma_dl.checks._core import _two_numbers

    a = 0.1 + 0.2
    got, expected = _two_numbers(a, 0.3)
    assert got != expected and float(got) == a and float(expected) == 0.3


def correlate_slightly_off(rdm1, rdm2):
    return nma_dl.correlate_rdms(rdm1, rdm2) + 5e-6  # agrees with the reference to 4 digits


def shuffle_one_feature(X, y, seed):
    X_test, y_test, X_train, y_train = nma_dl.shuffle_and_split_data(X, y, seed)
    return X_test[:, :1], y_test, X_train, y_train


def shuffle_scalar_test_set(X, y, seed):
    X_test, y_test, X_train, y_train = nma_dl.shuffle_and_split_data(X, y, seed)
    return X_test.sum(), y_test, X_train, y_train


# A got/expected pair in a line: "is 0.99966, expected 0.99965", "has shape (2, 1), expected
# (2, 2)", "has 8 samples, expected 2".
PAIR = re.compile(
    r"\b(?:is|has|shape) (?P<got>\([^()]*\)|[-+\w.]*\w)(?: samples)?, expected "
    r"(?:an array of shape |a NumPy array of shape )?(?P<expected>\([^()]*\)|[-+\w.]*\w)"
)

PAIRED = {
    "correlate_rdms off by 5e-6": (
        check_correlate_rdms,
        correlate_slightly_off,
        "the correlation",
    ),
    "shuffle keeping one feature": (
        check_shuffle_and_split_data,
        shuffle_one_feature,
        "X_test (1st returned value) has shape (2, 1), expected (2, 2)",
    ),
    "shuffle summing the test set": (
        check_shuffle_and_split_data,
        shuffle_scalar_test_set,
        "X_test (1st returned value) has shape (), expected (2, 2)",
    ),
    "preferred_orientation cut short": (
        check_preferred_orientation,
        preferred_orientation_first_seven,
        "shape (7,), expected (8,)",
    ),
}


@pytest.mark.parametrize("variant", PAIRED)
def test_a_got_expected_pair_differs_on_screen(capsys, variant):
    check, answer, fragment = PAIRED[variant]
    line = _fails_with(capsys, check, answer, [fragment])
    pairs = PAIR.findall(line)
    assert pairs, line
    for got, expected in pairs:
        assert got != expected, line


def test_the_correlation_shows_the_digits_that_differ(capsys):
    line = _fails_with(capsys, check_correlate_rdms, correlate_slightly_off, ["case 1 of 3"])
    got, expected = re.search(r"the correlation is (\S+), expected (\S+?)\.?$", line).groups()
    assert got != expected
    assert f"{float(got):.4g}" == f"{float(expected):.4g}"  # the case this is about


@pytest.mark.parametrize("variant", WRONG)
def test_no_wrong_answer_shows_a_pair_that_looks_the_same(capsys, variant):
    check, answer, _ = WRONG[variant]
    _, line = run(capsys, check, answer)
    for got, expected in PAIR.findall(line):
        assert got != expected, line


# --------------------------------------------------------------------------- DeepNetReLU


class DeepNetReLUOnlyOnOutput(nn.Module):
    """The ReLU moved from the hidden layer to the output: relu(out(in(r)))."""

    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, r):
        return torch.relu(self.out_layer(self.in_layer(r)))


class DeepNetReLUOnBoth(DeepNetReLUOnlyOnOutput):
    def forward(self, r):
        return torch.relu(self.out_layer(torch.relu(self.in_layer(r))))


def test_a_relu_moved_to_the_output_gets_a_hint(capsys):
    line = _fails_with(
        capsys,
        check_DeepNetReLU,
        DeepNetReLUOnlyOnOutput,
        ["case 1 of 3", "the output is off by", "moved from the hidden layer to the output"],
        absent=["torch.relu", "self.", "never negative"],
    )
    assert len(line.splitlines()) == 1


def test_a_relu_on_both_layers_keeps_its_own_hint(capsys):
    _fails_with(
        capsys,
        check_DeepNetReLU,
        DeepNetReLUOnBoth,
        ["never negative"],
        absent=["moved from the hidden layer"],
    )
