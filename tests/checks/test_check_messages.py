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
from test_checks import WRONG
from torch import nn

import nma_dl
from nma_dl.checks import (
    check_conv2d,
    check_conv_weights,
    check_ConvolutionalLayer,
    check_correlate_rdms,
    check_cross_entropy_loss,
    check_DeepNetReLU,
    check_DeepNetSoftmax,
    check_max_pool,
    check_preferred_orientation,
    check_RDM,
    check_regularized_loss,
    check_shuffle_and_split_data,
    check_train,
)

ORIGINAL = "that is the original course's answer"


def _fails_with(run_check, check, answer, fragments, absent=()):
    result, line = run_check(check, answer)
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
def test_the_original_preferred_orientation_is_named(run_check, answer):
    _fails_with(
        run_check,
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
def test_another_wrong_preferred_orientation_gets_the_generic_hint(run_check, answer, fragments):
    _fails_with(run_check, check_preferred_orientation, answer, fragments, absent=[ORIGINAL])


def test_the_original_cross_entropy_is_named(run_check):
    _fails_with(
        run_check,
        check_cross_entropy_loss,
        cross_entropy_original,
        ["case 3 of 3", "NaN or infinite", ORIGINAL, "log-sum-exp", "overflows float32 to inf"],
    )


# Other ways to compute the loss that break on large logits, told why without being called the
# original's (issue "Content round 3", tests/checks/test_content3_checks.py).
@pytest.mark.parametrize("answer", [cross_entropy_log_of_softmax, cross_entropy_exp_over_sum])
def test_another_overflowing_cross_entropy_is_not_called_the_original(run_check, answer):
    _fails_with(
        run_check,
        check_cross_entropy_loss,
        answer,
        ["case 3 of 3", "NaN or infinite", "log-sum-exp"],
        absent=[ORIGINAL],
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
def test_another_wrong_cross_entropy_gets_the_generic_hint(run_check, answer, fragments):
    _fails_with(run_check, check_cross_entropy_loss, answer, fragments, absent=[ORIGINAL])


def test_the_course_answers_still_pass(run_check):
    for check, name in [
        (check_preferred_orientation, "preferred_orientation"),
        (check_cross_entropy_loss, "cross_entropy_loss"),
    ]:
        result, line = run_check(check, getattr(nma_dl, name))
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
def test_a_got_expected_pair_differs_on_screen(run_check, variant):
    check, answer, fragment = PAIRED[variant]
    line = _fails_with(run_check, check, answer, [fragment])
    pairs = PAIR.findall(line)
    assert pairs, line
    for got, expected in pairs:
        assert got != expected, line


def test_the_correlation_shows_the_digits_that_differ(run_check):
    line = _fails_with(run_check, check_correlate_rdms, correlate_slightly_off, ["case 1 of 3"])
    got, expected = re.search(r"the correlation is (\S+), expected (\S+?)\.?$", line).groups()
    assert got != expected
    assert f"{float(got):.4g}" == f"{float(expected):.4g}"  # the case this is about


@pytest.mark.parametrize("variant", WRONG)
def test_no_wrong_answer_shows_a_pair_that_looks_the_same(run_check, variant):
    check, answer, _ = WRONG[variant]
    _, line = run_check(check, answer)
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


def test_a_relu_moved_to_the_output_gets_a_hint(run_check):
    line = _fails_with(
        run_check,
        check_DeepNetReLU,
        DeepNetReLUOnlyOnOutput,
        ["case 1 of 3", "the output is off by", "moved from the hidden layer to the output"],
        absent=["torch.relu", "self.", "never negative"],
    )
    assert len(line.splitlines()) == 1


def test_a_relu_on_both_layers_keeps_its_own_hint(run_check):
    _fails_with(
        run_check,
        check_DeepNetReLU,
        DeepNetReLUOnBoth,
        ["never negative"],
        absent=["moved from the hidden layer"],
    )


# ----------------------------------------------------------------------- every line, to the byte
# Every hint of every check, and the plain line where no hint fits, pinned word for word: the
# checks share one way of guessing the mistake behind a mismatch, and no change to that may
# change what a student reads. The answers are those of test_checks.WRONG and the ones below,
# each reaching a hint (or a fallback) that WRONG does not.


def rdm_scaled(resp):
    return 1.5 * nma_dl.RDM(resp)  # a zero diagonal, yet no mistake a hint knows


def rdm_two_rows(resp):
    return nma_dl.RDM(resp)[:2]


def preferred_orientation_argsort(resp, sigma=5):
    return nma_dl.preferred_orientation(resp).argsort()


def preferred_orientation_shifted(resp, sigma=5):
    return (nma_dl.preferred_orientation(resp) + 1) % 360


def conv2d_doubled(image, kernel):
    return 2 * nma_dl.conv2d(image, kernel)


class LayerIgnoringFilters(nn.Module):
    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2)
        nn.init.zeros_(self.conv.bias)

    def forward(self, s):
        return self.conv(s)


class LayerWithoutConv(nn.Module):
    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__()
        self.layer = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2)

    def forward(self, s):
        return self.layer(s)


class LayerDoubled(nma_dl.ConvolutionalLayer):
    def forward(self, s):
        return 2 * super().forward(s)


def max_pool_identity(x, K):
    return x


def conv_weights_parameter(layer):
    return layer.conv.weight


def conv_weights_biases(layer):
    return layer.conv.bias.detach()


def conv_weights_flat(layer):
    return layer.conv.weight.detach().flatten()


def conv_weights_doubled(layer):
    return 2 * layer.conv.weight.detach()


def cross_entropy_plus_one(x, labels):
    return nma_dl.cross_entropy_loss(x, labels) + 1


def cross_entropy_wrong_gradient(x, labels):
    return nma_dl.cross_entropy_loss(x, labels).detach() + 2 * (x - x.detach()).sum()


def regularized_loss_without_l2(output, target, weights, L2_penalty=0, L1_penalty=0):
    return nn.NLLLoss()(output, target) + L1_penalty * weights.abs().sum()


def regularized_loss_norm(output, target, weights, L2_penalty=0, L1_penalty=0):
    penalty = L2_penalty * weights.square().sum().sqrt() + L1_penalty * weights.abs().sum()
    return nn.NLLLoss()(output, target) + penalty


def regularized_loss_plus_one(output, target, weights, L2_penalty=0, L1_penalty=0):
    return nma_dl.regularized_loss(output, target, weights, L2_penalty, L1_penalty) + 1


def regularized_loss_detached(output, target, weights, L2_penalty=0, L1_penalty=0):
    return nma_dl.regularized_loss(output, target, weights, L2_penalty, L1_penalty).detach()


class DeepNetSoftmaxScores(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        return self.out_layer(torch.relu(self.in_layer(r)))


class DeepNetSoftmaxOverStimuli(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        return torch.log_softmax(self.out_layer(torch.relu(self.in_layer(r))), dim=0)


class DeepNetSoftmaxDoubled(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        return 2 * super().forward(r)


def train_doubled_losses(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    losses = nma_dl.train(net, loss_fn, train_data, train_labels, n_epochs, learning_rate)
    return [2 * loss for loss in losses]


HINTED = {
    "RDM scaled": (check_RDM, rdm_scaled),
    "RDM of two stimuli": (check_RDM, rdm_two_rows),
    "preferred_orientation argsort": (check_preferred_orientation, preferred_orientation_argsort),
    "preferred_orientation shifted": (check_preferred_orientation, preferred_orientation_shifted),
    "conv2d doubled": (check_conv2d, conv2d_doubled),
    "ConvolutionalLayer ignoring the filters": (check_ConvolutionalLayer, LayerIgnoringFilters),
    "ConvolutionalLayer without self.conv": (check_ConvolutionalLayer, LayerWithoutConv),
    "ConvolutionalLayer doubled": (check_ConvolutionalLayer, LayerDoubled),
    "max_pool identity": (check_max_pool, max_pool_identity),
    "conv_weights parameter": (check_conv_weights, conv_weights_parameter),
    "conv_weights biases": (check_conv_weights, conv_weights_biases),
    "conv_weights flat": (check_conv_weights, conv_weights_flat),
    "conv_weights doubled": (check_conv_weights, conv_weights_doubled),
    "cross_entropy_loss plus one": (check_cross_entropy_loss, cross_entropy_plus_one),
    "cross_entropy_loss wrong gradient": (check_cross_entropy_loss, cross_entropy_wrong_gradient),
    "regularized_loss without L2": (check_regularized_loss, regularized_loss_without_l2),
    "regularized_loss with the norm": (check_regularized_loss, regularized_loss_norm),
    "regularized_loss plus one": (check_regularized_loss, regularized_loss_plus_one),
    "regularized_loss detached": (check_regularized_loss, regularized_loss_detached),
    "DeepNetSoftmax scores": (check_DeepNetSoftmax, DeepNetSoftmaxScores),
    "DeepNetSoftmax over the stimuli": (check_DeepNetSoftmax, DeepNetSoftmaxOverStimuli),
    "DeepNetSoftmax doubled": (check_DeepNetSoftmax, DeepNetSoftmaxDoubled),
    "train doubling the losses": (check_train, train_doubled_losses),
}
# Raising answers stop before any comparison: test_checks pins what their lines say.
HINTED.update(
    {
        variant: (check, answer)
        for variant, (check, answer, _) in WRONG.items()
        if not variant.endswith("raising ValueError")
    }
)


# The line each answer gets, as the checks printed it before their hint code was shared.
LINES = {
    "RDM scaled": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 1 (max abs difference)."
    ),
    "RDM of two stimuli": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM has shape (2, 3), expected (3, 3)."
    ),
    "preferred_orientation argsort": (
        "✗ preferred_orientation: case 1 of 3 (8 noisy tuning curves, draw 0): 8 of 8 "
        "indices differ: return the preferred orientations, not their argsort."
    ),
    "preferred_orientation shifted": (
        "✗ preferred_orientation: case 1 of 3 (8 noisy tuning curves, draw 0): 8 of 8 "
        "indices differ."
    ),
    "conv2d doubled": (
        "✗ conv2d: case 1 of 4 (a (5, 6) image, a (3, 3) kernel): the output is off by 8.34 "
        "(max abs difference)."
    ),
    "ConvolutionalLayer ignoring the filters": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): its "
        "conv.weight differs from the reference's: use the given filters as the weights."
    ),
    "ConvolutionalLayer without self.conv": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): the "
        "layer has no parameter conv.weight (call the Conv2d self.conv)."
    ),
    "ConvolutionalLayer doubled": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): the "
        "output is off by 12.4 (max abs difference)."
    ),
    "max_pool identity": (
        "✗ max_pool: case 1 of 4 (an input of shape (6, 8), K = 2): the output has shape (6, "
        "8), expected (3, 4)."
    ),
    "conv_weights parameter": (
        "✗ conv_weights: case 1 of 3 (a layer with the 6 example filters of 7 x 7): the "
        "tensor still requires gradients: take it out of the autograd graph, so that it can "
        "be plotted."
    ),
    "conv_weights biases": (
        "✗ conv_weights: case 1 of 3 (a layer with the 6 example filters of 7 x 7): the "
        "result has shape (6,), expected (6, 1, 7, 7); these are the biases (one per "
        "channel), not the kernels."
    ),
    "conv_weights flat": (
        "✗ conv_weights: case 1 of 3 (a layer with the 6 example filters of 7 x 7): the "
        "result has shape (294,), expected (6, 1, 7, 7); keep the weight's shape (c_out, "
        "c_in, K, K), as plot_weights expects."
    ),
    "conv_weights doubled": (
        "✗ conv_weights: case 1 of 3 (a layer with the 6 example filters of 7 x 7): the "
        "result differs from the reference's; keep the weight's shape (c_out, c_in, K, K), "
        "as plot_weights expects."
    ),
    "cross_entropy_loss plus one": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is off by 1 (max "
        "abs difference)."
    ),
    "cross_entropy_loss wrong gradient": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the gradient of the loss "
        "with respect to x is off by 2.25 (max abs difference)."
    ),
    "regularized_loss without L2": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "off by 0.142 (max abs difference); the L2 term is missing."
    ),
    "regularized_loss with the norm": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "off by 0.105 (max abs difference); the L2 penalty is the sum of squares, not the "
        "norm."
    ),
    "regularized_loss plus one": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "off by 1 (max abs difference)."
    ),
    "regularized_loss detached": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the penalties "
        "are not connected to weights (no gradient)."
    ),
    "DeepNetSoftmax scores": (
        "✗ DeepNetSoftmax: case 1 of 3 (DeepNetSoftmax(6, 4, 3)): the output is off by 11 "
        "(max abs difference); the scores are not normalised into log probabilities."
    ),
    "DeepNetSoftmax over the stimuli": (
        "✗ DeepNetSoftmax: case 1 of 3 (DeepNetSoftmax(6, 4, 3)): the output is off by 14.2 "
        "(max abs difference); normalised over the stimuli: each row (dim=1) should sum to "
        "1."
    ),
    "DeepNetSoftmax doubled": (
        "✗ DeepNetSoftmax: case 1 of 3 (DeepNetSoftmax(6, 4, 3)): the output is off by 21.1 "
        "(max abs difference)."
    ),
    "train doubling the losses": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): the loss of "
        "iteration 1 is off by 2.41: the very first loss differs, so look at the output and "
        "the loss."
    ),
    "DeepNetReLU without ReLU": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "output is off by 13 (max abs difference); it equals the output of the same network "
        "without an activation function: where does the non-linearity go?"
    ),
    "DeepNetReLU with ReLU on the output": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "output is off by 11.3 (max abs difference); it is never negative, unlike the "
        "reference's: which layer does the ReLU belong to?"
    ),
    "DeepNetReLU with a sigmoid": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "output is off by 7.66 (max abs difference)."
    ),
    "DeepNetReLU output squeezed": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "output has shape (6,), expected (6, 1)."
    ),
    "DeepNetReLU forward returns None": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "output is None, expected a torch.Tensor."
    ),
    "DeepNetReLU forward raises": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): its "
        "forward raised ValueError: shapes do not match."
    ),
    "DeepNetReLU renamed layer": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the "
        "network has no parameter in_layer.weight (and 1 more)."
    ),
    "DeepNetReLU not a module": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the class "
        "made a NotAModule, expected a torch.nn.Module."
    ),
    "DeepNetReLU instance instead of class": (
        "✗ DeepNetReLU: got a network object (an instance of DeepNetReLU), not the class: "
        "pass the class itself, check_DeepNetReLU(DeepNetReLU)."
    ),
    "train without zero_grad": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): the loss of "
        "iteration 3 is off by 0.0394 (max abs difference 0.217): the first 2 iterations "
        "agree, so look at what carries over from one iteration to the next."
    ),
    "train records the loss after the step": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): the loss of "
        "iteration 1 is off by 0.0405: each loss is the one after that iteration's update."
    ),
    "train without step": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): the loss of "
        "iteration 2 is off by 0.0405: the loss never changes, so are the parameters "
        "updated?"
    ),
    "train returns tensors": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): the list of losses "
        "holds a torch.Tensor, expected plain numbers (Python floats)."
    ),
    "train returns None": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): train returned "
        "None, expected a list with the loss of each iteration."
    ),
    "train without learning_rate": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): train raised "
        "TypeError: train_wrong_signature() got an unexpected keyword argument "
        "'learning_rate'."
    ),
    "approximate_function with the wrong bias sign": (
        "✗ approximate_function: case 1 of 3 (10 samples of a sine): relu_acts (2nd returned "
        "value) is off by 11.2 (max abs difference)."
    ),
    "approximate_function weights the slopes": (
        "✗ approximate_function: case 1 of 3 (10 samples of a sine): y_hat (1st returned "
        "value) is off by 2.84 (max abs difference); x and relu_acts match, so look at the "
        "combination weights and the sum."
    ),
    "approximate_function returns y_hat only": (
        "✗ approximate_function: case 1 of 3 (10 samples of a sine): approximate_function "
        "returned a torch.Tensor, expected the tuple (y_hat, relu_acts, x)."
    ),
    "approximate_function returns NumPy": (
        "✗ approximate_function: case 1 of 3 (10 samples of a sine): y_hat (1st returned "
        "value) is a numpy.ndarray, expected a torch.Tensor."
    ),
    "Net sharing one activation": (
        "✗ Net: case 3 of 4 (Net('PReLU()', 2, [5, 3, 4], 1), an input of shape (5, 2)): the "
        "network has no parameter mlp.Activation_1.weight (and 1 more): does every hidden "
        "layer get an activation module of its own?"
    ),
    "Net always ReLU": (
        "✗ Net: case 2 of 4 (Net('LeakyReLU(0.1)', 4, [6], 3), an input of shape (3, 2, 2)): "
        "the output is off by 0.886 (max abs difference)."
    ),
    "Net with an activation on the output": (
        "✗ Net: case 1 of 4 (Net('ReLU()', 3, [4, 5], 2), an input of shape (6, 3)): the "
        "output is off by 4.67 (max abs difference); it went through the activation after "
        "the last layer too."
    ),
    "Net with square layers": (
        "✗ Net: case 1 of 4 (Net('ReLU()', 3, [4, 5], 2), an input of shape (6, 3)): the "
        "network's mlp.Linear_0.weight has shape (3, 3), expected (4, 3)."
    ),
    "Net forward returns None": (
        "✗ Net: case 1 of 4 (Net('ReLU()', 3, [4, 5], 2), an input of shape (6, 3)): the "
        "output is None, expected a torch.Tensor."
    ),
    "cross_entropy_loss sums": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is off by 0.347 "
        "(max abs difference); it is 2 times the reference's: is it the mean over the batch?"
    ),
    "cross_entropy_loss overflows": (
        "✗ cross_entropy_loss: case 3 of 3 (5 samples, 6 classes, logits in the thousands): "
        "the loss holds NaN or infinite values where the reference's is finite; that is the "
        "original course's answer (the formula computed as written); this course asks for "
        "the log-sum-exp trick because exp() of a logit above about 88.7 overflows float32 "
        "to inf (and below about -104 underflows to 0), so logits in the thousands give inf "
        "or NaN."
    ),
    "cross_entropy_loss per sample": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss has shape (2,), "
        "expected () (a single number): one loss per sample, where the average over the "
        "batch is wanted."
    ),
    "cross_entropy_loss returns a float": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is a float, "
        "expected a torch.Tensor."
    ),
    "cross_entropy_loss detached": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is right but not "
        "connected to x (it has no gradient): compute it with torch operations on x only."
    ),
    "cross_entropy_loss wrong sign": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is off by 0.693 "
        "(max abs difference); it has the opposite sign."
    ),
    "shuffle ignoring the seed": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): two calls with "
        "seed=2021 gave different splits: draw the permutation from the seeded generator."
    ),
    "shuffle swapping train and test": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): X_test (1st returned "
        "value) has 8 samples, expected 2: the test set should be the smaller part, returned "
        "first."
    ),
    "shuffle that does not shuffle": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): X_test holds the "
        "first samples in their original order: shuffle first."
    ),
    "shuffle taking the test set at the end": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): X_test (1st returned "
        "value) differs from the reference's: it holds the last 20 % of the shuffled samples, "
        "where the test set is the first 20 %."
    ),
    "shuffle separating samples from labels": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): X_test and y_test are "
        "no longer paired: samples carry the labels of other samples, so X and y were shuffled "
        "in different orders: shuffle both with the same permutation."
    ),
    "shuffle returning three values": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): "
        "shuffle_and_split_data(X, y, seed=2021) returned a tuple of 3, expected the tuple "
        "(X_test, y_test, X_train, y_train)."
    ),
    "RDM without one minus": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 3 (max abs difference): "
        "it is the correlation itself; the dissimilarity is one minus it."
    ),
    "RDM with the 1/(N-1) standard deviation": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 0.25 (max abs "
        "difference): the z-scores should use the 1/N standard deviation (zscore's default)."
    ),
    "RDM not divided by N": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 3 (max abs difference): "
        "Z Z^T is a sum over the N units; divide it by N."
    ),
    "RDM z-scored per unit": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is off by 1.05 (max abs "
        "difference): its diagonal is not 0; is each row z-scored across units (axis=1)?"
    ),
    "correlate_rdms with the diagonal": (
        "✗ correlate_rdms: case 1 of 3 (3 x 3): the correlation is 0.99967, expected "
        "0.99965: it includes the diagonal; use only the entries above it."
    ),
    "correlate_rdms returning the matrix": (
        "✗ correlate_rdms: case 1 of 3 (3 x 3): the correlation has shape (2, 2), expected a "
        "single number (did you keep the whole np.corrcoef matrix instead of its [0, 1] "
        "entry?)."
    ),
    "conv2d with a flipped kernel": (
        "✗ conv2d: case 1 of 4 (a (5, 6) image, a (3, 3) kernel): the output is off by 13.8 "
        "(max abs difference); it equals the result with the kernel flipped: PyTorch's "
        "convolution does not flip it (it is a cross-correlation)."
    ),
    "conv2d without padding": (
        "✗ conv2d: case 1 of 4 (a (5, 6) image, a (3, 3) kernel): the output has shape (3, "
        "4), expected (5, 6); it equals the unpadded ('valid') result: pad with K // 2 zeros "
        "on each side."
    ),
    "ConvolutionalLayer keeping the random bias": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): its "
        "conv.bias differs from the reference's: the biases should all be zero."
    ),
    "ConvolutionalLayer without padding": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): the "
        "output has shape (2, 6, 6, 10), expected (2, 6, 12, 16); with padding K // 2 the "
        "output keeps the input's height and width."
    ),
    "max_pool averaging": (
        "✗ max_pool: case 1 of 4 (an input of shape (6, 8), K = 2): the output is off by "
        "2.07 (max abs difference); it equals the mean of each block, not its maximum."
    ),
    "max_pool with blocks that are not squares": (
        "✗ max_pool: case 1 of 4 (an input of shape (6, 8), K = 2): the output is off by "
        "1.45 (max abs difference); the shape is right but not the values: does each block "
        "hold K x K neighbouring pixels? (reshape to (..., H // K, K, W // K, K))."
    ),
    "preferred_orientation reflecting at the ends": (
        "✗ preferred_orientation: case 1 of 3 (8 noisy tuning curves, draw 0): 2 of 8 "
        "indices differ: that is the original course's answer (gaussian_filter1d's default, "
        "mode='reflect'); this course asks for mode='wrap' because orientation is circular "
        "(359° is next to 0°), and reflecting at the ends moves peaks near 0° and 360°."
    ),
    "preferred_orientation without smoothing": (
        "✗ preferred_orientation: case 1 of 3 (8 noisy tuning curves, draw 0): 8 of 8 "
        "indices differ: smooth the tuning curves before taking the argmax."
    ),
    "regularized_loss with the penalties swapped": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "off by 0.0372 (max abs difference); the two penalties are swapped."
    ),
    "regularized_loss without L1": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "off by 0.00517 (max abs difference); the L1 term is missing."
    ),
    "DeepNetSoftmax returning probabilities": (
        "✗ DeepNetSoftmax: case 1 of 3 (DeepNetSoftmax(6, 4, 3)): the output is off by 21.1 "
        "(max abs difference); these are probabilities: the loss nn.NLLLoss wants their "
        "logarithm."
    ),
    "ConvFC without the linear layer": (
        "✗ ConvFC: case 1 of 3 (ConvFC(5, c_out=6, K=7) on 12 x 16 images): the network has "
        "no parameter out_layer.weight (and 1 more) (add the linear layer self.out_layer)."
    ),
    "DeepNetReLU returning None": (
        "✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape (6, 5)): the class "
        "made None, expected a torch.nn.Module."
    ),
    "train returning None": (
        "✗ train: case 1 of 3 (5 epochs, learning_rate=0.01, 8 samples): train returned "
        "None, expected a list with the loss of each iteration."
    ),
    "approximate_function returning None": (
        "✗ approximate_function: case 1 of 3 (10 samples of a sine): approximate_function "
        "returned None, expected the tuple (y_hat, relu_acts, x)."
    ),
    "Net returning None": (
        "✗ Net: case 1 of 4 (Net('ReLU()', 3, [4, 5], 2), an input of shape (6, 3)): the "
        "class made None, expected a torch.nn.Module."
    ),
    "cross_entropy_loss returning None": (
        "✗ cross_entropy_loss: case 1 of 3 (2 samples, 4 classes): the loss is None, "
        "expected a torch.Tensor."
    ),
    "shuffle_and_split_data returning None": (
        "✗ shuffle_and_split_data: case 1 of 3 (10 samples, seed=2021): "
        "shuffle_and_split_data(X, y, seed=2021) returned None, expected the tuple (X_test, "
        "y_test, X_train, y_train)."
    ),
    "RDM returning None": (
        "✗ RDM: case 1 of 3 (3 stimuli, 4 units): the RDM is None, expected a NumPy array."
    ),
    "correlate_rdms returning None": (
        "✗ correlate_rdms: case 1 of 3 (3 x 3): the correlation is None, expected a NumPy array."
    ),
    "conv2d returning None": (
        "✗ conv2d: case 1 of 4 (a (5, 6) image, a (3, 3) kernel): the output is None, "
        "expected a torch.Tensor."
    ),
    "ConvolutionalLayer returning None": (
        "✗ ConvolutionalLayer: case 1 of 3 (the example filters, 2 images of 12 x 16): the "
        "class made None, expected a torch.nn.Module."
    ),
    "max_pool returning None": (
        "✗ max_pool: case 1 of 4 (an input of shape (6, 8), K = 2): the output is None, "
        "expected a torch.Tensor."
    ),
    "conv_weights returning None": (
        "✗ conv_weights: case 1 of 3 (a layer with the 6 example filters of 7 x 7): the "
        "result is None, expected a torch.Tensor."
    ),
    "preferred_orientation returning None": (
        "✗ preferred_orientation: case 1 of 3 (8 noisy tuning curves, draw 0): it returned "
        "None, expected a NumPy array of shape (8,) (one index per neuron, the argmax over "
        "stimuli)."
    ),
    "DeepNetSoftmax returning None": (
        "✗ DeepNetSoftmax: case 1 of 3 (DeepNetSoftmax(6, 4, 3)): the class made None, "
        "expected a torch.nn.Module."
    ),
    "regularized_loss returning None": (
        "✗ regularized_loss: case 1 of 4 (L2_penalty=0.01, L1_penalty=0.0005): the loss is "
        "None, expected a torch.Tensor."
    ),
    "ConvFC returning None": (
        "✗ ConvFC: case 1 of 3 (ConvFC(5, c_out=6, K=7) on 12 x 16 images): the class made "
        "None, expected a torch.nn.Module."
    ),
}


def test_every_answer_has_its_line():
    assert set(HINTED) == set(LINES)


@pytest.mark.parametrize("variant", HINTED)
def test_the_line_is_word_for_word_the_same(run_check, variant):
    check, answer = HINTED[variant]
    assert run_check(check, answer)[1] == LINES[variant]
