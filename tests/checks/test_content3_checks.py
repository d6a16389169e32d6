"""The self-checks name the common mistakes precisely (issue "Content round 3").

* DeepNetSoftmax computed as the log of a softmax is told why it gives -inf, and what to use.
* cross_entropy_loss: only the original course's formula (exp, then the log of the sum) is
  called the original's; another answer that overflows or underflows gets a neutral explanation.
* shuffle_and_split_data tells rows of X and y shuffled apart from a permutation made another way.
* A stub whose ``raise NotImplementedError`` was deleted but whose ``...`` remain is told so, by
  every check, never with a confusing TypeError.
* Hints for slips that got a bare number: smoothing across neurons, maxima for indices, a Net
  without activations or with other layer names, DeepNetSoftmax without its ReLU, a ReLU in
  ConvFC, conv2d windows cut from the unpadded image, max_pool over the wrong axes.
* check_loss_choice: the loss of Tutorial 4's Coding Exercise 2.2.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from _exercises import EXERCISES, namespace
from scipy.ndimage import gaussian_filter1d
from test_check_messages import ORIGINAL, cross_entropy_exp_over_sum, cross_entropy_original
from torch import nn

import nma_dl
from nma_dl import checks
from nma_dl.checks import (
    check_conv2d,
    check_ConvFC,
    check_cross_entropy_loss,
    check_DeepNetSoftmax,
    check_loss_choice,
    check_max_pool,
    check_Net,
    check_preferred_orientation,
    check_shuffle_and_split_data,
)


def _fails_with(run_check, check, answer, fragments, absent=()):
    result, line = run_check(check, answer)
    assert not result and result.status == checks.FAILED and line.startswith("✗ "), line
    for fragment in fragments:
        assert fragment in line, line
    for fragment in absent:
        assert fragment not in line, line
    return line


# --------------------------------------------------------------------------- 1. DeepNetSoftmax


def _scores(net, r):
    return net.out_layer(torch.relu(net.in_layer(r)))


class DeepNetSoftmaxLogOfSoftmax(nma_dl.DeepNetSoftmax):
    """What the text writes mathematically: the log of the softmax, in two steps."""

    def forward(self, r):
        return torch.log(torch.softmax(_scores(self, r), dim=1))


class DeepNetSoftmaxLogOfRelu(nma_dl.DeepNetSoftmax):
    """Infinite whatever the scale of the input: no underflow to explain."""

    def forward(self, r):
        return torch.log(torch.relu(_scores(self, r)))


def test_the_log_of_a_softmax_is_told_it_underflows(run_check):
    _fails_with(
        run_check,
        check_DeepNetSoftmax,
        DeepNetSoftmaxLogOfSoftmax,
        ["NaN or infinite", "underflows to 0", "log(0) = -inf", "torch.log_softmax"],
    )


def test_an_output_infinite_for_another_reason_gets_no_underflow_hint(run_check):
    _fails_with(
        run_check,
        check_DeepNetSoftmax,
        DeepNetSoftmaxLogOfRelu,
        ["NaN or infinite"],
        absent=["underflow", "log_softmax"],
    )


# --------------------------------------------------------------------------- 2. cross-entropy


def cross_entropy_log_of_softmax(x, labels):
    probabilities = torch.softmax(x, dim=1)
    return -torch.log(probabilities[torch.arange(len(labels)), labels]).mean()


def cross_entropy_log_softmax_naive(x, labels):
    # exp and the sum over the classes computed as written, then divided: no shift at all
    e = torch.exp(x)
    return -(torch.log(e / e.sum(dim=1, keepdim=True))[torch.arange(len(labels)), labels]).mean()


def test_the_original_formula_is_still_named_the_original(run_check):
    _fails_with(
        run_check,
        check_cross_entropy_loss,
        cross_entropy_original,
        ["case 3 of 3", ORIGINAL, "log-sum-exp"],
    )


def test_the_log_of_a_softmax_is_not_called_the_original(run_check):
    _fails_with(
        run_check,
        check_cross_entropy_loss,
        cross_entropy_log_of_softmax,
        ["case 3 of 3", "underflows to 0", "log(0) = -inf", "log-sum-exp", "log_softmax"],
        absent=[ORIGINAL, "original"],
    )


@pytest.mark.parametrize("answer", [cross_entropy_exp_over_sum, cross_entropy_log_softmax_naive])
def test_an_exp_over_a_sum_is_not_called_the_original(run_check, answer):
    _fails_with(
        run_check,
        check_cross_entropy_loss,
        answer,
        ["case 3 of 3", "overflows float32 to inf", "log-sum-exp", "log_softmax"],
        absent=[ORIGINAL, "original"],
    )


# --------------------------------------------------------------------------- 3. shuffle


def _split(X, y, order):
    test_size = int(0.2 * X.shape[0])
    X, y = X[order], y[order]
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def shuffle_apart(X, y, seed):
    generator = torch.Generator().manual_seed(seed)
    X_order = torch.randperm(X.shape[0], generator=generator)
    y_order = torch.randperm(X.shape[0], generator=generator)  # a second, different order
    test_size = int(0.2 * X.shape[0])
    X, y = X[X_order], y[y_order]
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def shuffle_numpy(X, y, seed):
    np.random.seed(seed)  # the mistake under test: NumPy's generator
    return _split(X, y, torch.as_tensor(np.random.permutation(X.shape[0])))


def shuffle_other_generator(X, y, seed):
    return _split(X, y, torch.randperm(X.shape[0], generator=torch.Generator().manual_seed(7)))


def shuffle_test_at_the_end(X, y, seed):
    order = torch.randperm(X.shape[0], generator=torch.Generator().manual_seed(seed))
    X, y = X[order], y[order]
    train_size = X.shape[0] - int(0.2 * X.shape[0])
    return X[train_size:], y[train_size:], X[:train_size], y[:train_size]


def test_x_and_y_shuffled_apart_are_told_they_are_no_longer_paired(run_check):
    _fails_with(
        run_check,
        check_shuffle_and_split_data,
        shuffle_apart,
        ["no longer paired", "same permutation"],
        absent=["differs from the reference's", "torch.randperm"],
    )


@pytest.mark.parametrize("answer", [shuffle_numpy, shuffle_other_generator])
def test_another_permutation_is_told_where_the_split_comes_from(run_check, answer):
    _fails_with(
        run_check,
        check_shuffle_and_split_data,
        answer,
        ["paired right", "another permutation", "torch.randperm(N, generator=generator)"],
        absent=["no longer paired"],
    )


def test_the_test_set_taken_at_the_end_is_told_so(run_check):
    _fails_with(
        run_check,
        check_shuffle_and_split_data,
        shuffle_test_at_the_end,
        ["X_test (1st returned value) differs", "last 20 %"],
        absent=["another permutation", "no longer paired"],
    )


# --------------------------------------------------------------------------- 4. placeholders


def _without_raise(source):
    return re.sub(r"^\s*raise NotImplementedError\(.*\)\s*$", "", source, flags=re.MULTILINE)


STUBS = [
    (exercise, name)
    for exercise in EXERCISES
    if exercise.stub is not None
    for name in exercise.names
]


@pytest.mark.parametrize(
    ("exercise", "name"), STUBS, ids=[f"{e.id.split(':')[0]}:{n}" for e, n in STUBS]
)
def test_a_stub_without_its_raise_is_told_a_placeholder_remains(run_check, exercise, name):
    stub = _without_raise(exercise.stub)
    assert stub != exercise.stub, exercise.id
    answer = namespace(replace(exercise, stub=stub), stub=True)[name]
    result, line = run_check(getattr(checks, f"check_{name}"), answer)
    assert result.status == checks.NOT_IMPLEMENTED, line
    assert line.startswith(f"○ {name}: not finished yet: "), line
    assert "placeholder `...`" in line and "replace each `...`" in line, line
    assert "Error" not in line and "ellipsis" not in line, line


def cross_entropy_unfinished(x, labels):
    losses = -torch.log_softmax(x, dim=1)[torch.arange(len(labels)), labels]  # noqa: F841
    avg_loss = ...
    return avg_loss


def shuffle_unfinished(X, y, seed):
    generator = torch.Generator().manual_seed(seed)
    shuffled_indices = torch.randperm(X.shape[0], generator=generator)
    X, y = X[shuffled_indices], y[shuffled_indices]
    test_size = ...
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


class DeepNetSoftmaxUnfinished(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        h = ...
        return self.logprob(self.out_layer(h))


def test_a_returned_placeholder_is_named(run_check):
    result, line = run_check(check_cross_entropy_loss, cross_entropy_unfinished)
    assert result.status == checks.NOT_IMPLEMENTED
    assert "cross_entropy_loss returned the placeholder `...`" in line, line


def test_the_placeholder_variable_and_its_line_are_named(run_check):
    result, line = run_check(check_shuffle_and_split_data, shuffle_unfinished)
    assert result.status == checks.NOT_IMPLEMENTED
    assert "`test_size` is still the placeholder `...`" in line, line
    assert "in shuffle_unfinished, test_content3_checks.py line" in line, line
    result, line = run_check(check_DeepNetSoftmax, DeepNetSoftmaxUnfinished)
    assert result.status == checks.NOT_IMPLEMENTED
    assert "`h` is still the placeholder `...`" in line and "in forward" in line, line


def max_pool_with_ellipsis_indexing(x, K):
    return nma_dl.max_pool(x[..., :, :], K)  # `...` used as an index: no placeholder


def test_ellipsis_as_an_index_is_no_placeholder(run_check):
    result, line = run_check(check_max_pool, max_pool_with_ellipsis_indexing)
    assert result, line


def test_an_error_without_a_placeholder_is_quoted_as_before(run_check):
    def cross_entropy_typo(x, labels):
        return torch.logsumexp(x, dim="classes")

    line = _fails_with(run_check, check_cross_entropy_loss, cross_entropy_typo, ["raised"])
    assert "placeholder" not in line


# --------------------------------------------------------------------------- 5. hints


def preferred_smoothed_across_neurons(resp, sigma=5):
    return gaussian_filter1d(np.asarray(resp), sigma, axis=1, mode="wrap").argmax(axis=0)


def preferred_maxima(resp, sigma=5):
    return gaussian_filter1d(np.asarray(resp), sigma, axis=0, mode="wrap").max(axis=0)


def test_smoothing_across_neurons_gets_a_hint(run_check):
    _fails_with(
        run_check,
        check_preferred_orientation,
        preferred_smoothed_across_neurons,
        ["indices differ", "across the neurons"],
        absent=["axis=0"],
    )


def test_maxima_instead_of_their_indices_get_a_hint(run_check):
    _fails_with(
        run_check,
        check_preferred_orientation,
        preferred_maxima,
        ["the largest smoothed responses", "not where they are"],
        absent=["argmax("],
    )


class NetWithoutActivation(nma_dl.Net):
    def forward(self, x):
        x = x.reshape(-1, self.input_feature_num)
        for layer in self.mlp:
            if isinstance(layer, nn.Linear):
                x = layer(x)
        return x


class NetOwnNames(nn.Module):
    """The layers in a ModuleList of its own: a sound network, other names than the stub's."""

    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__()
        self.input_feature_num = input_feature_num
        sizes = [input_feature_num, *hidden_unit_nums]
        pairs = zip(sizes, sizes[1:], strict=False)
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in pairs)
        self.acts = nn.ModuleList(nma_dl.parse_activation(actv) for _ in hidden_unit_nums)
        self.out = nn.Linear(sizes[-1], output_feature_num)

    def forward(self, x):
        x = x.reshape(-1, self.input_feature_num)
        for layer, act in zip(self.hidden, self.acts, strict=True):
            x = act(layer(x))
        return self.out(x)


def test_a_net_without_activations_gets_a_hint(run_check):
    _fails_with(
        run_check, check_Net, NetWithoutActivation, ["case 1 of 4", "without its activations"]
    )


def test_a_net_with_its_own_layer_names_is_told_the_stubs_names(run_check):
    _fails_with(
        run_check,
        check_Net,
        NetOwnNames,
        ["no parameter mlp.Linear_0.weight", "self.mlp", "Linear_0", "Output_Linear"],
    )


class DeepNetSoftmaxWithoutReLU(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        return self.logprob(self.out_layer(self.in_layer(r)))


class ConvFCHiddenReLU(nma_dl.ConvFC):
    def forward(self, s):
        return self.out_layer(torch.relu(self.conv(s)).flatten(start_dim=1))


class ConvFCOutputReLU(nma_dl.ConvFC):
    def forward(self, s):
        return torch.relu(super().forward(s))


def test_a_softmax_net_without_its_relu_gets_a_hint(run_check):
    _fails_with(run_check, check_DeepNetSoftmax, DeepNetSoftmaxWithoutReLU, ["without the ReLU"])


@pytest.mark.parametrize("answer", [ConvFCHiddenReLU, ConvFCOutputReLU])
def test_a_relu_in_convfc_gets_a_hint(run_check, answer):
    _fails_with(run_check, check_ConvFC, answer, ["off by", "ReLU", "no non-linearity"])


def conv2d_windows_of_the_image(image, kernel):
    K_h, K_w = kernel.shape
    H, W = image.shape
    padded = F.pad(image, (K_w // 2, K_w // 2, K_h // 2, K_h // 2))  # noqa: F841 - the slip
    out = torch.zeros_like(image)
    for i in range(H):
        for j in range(W):
            out[i, j] = (image[i : i + K_h, j : j + K_w] * kernel).sum()
    return out


def conv2d_interior_only(image, kernel):
    K_h, K_w = kernel.shape
    H, W = image.shape
    out = torch.zeros_like(image)
    for i in range(H - K_h + 1):
        for j in range(W - K_w + 1):
            out[i, j] = (image[i : i + K_h, j : j + K_w] * kernel).sum()
    return out


def conv2d_centred_interior(image, kernel):
    K_h, K_w = kernel.shape
    H, W = image.shape
    out = torch.zeros_like(image)
    for i in range(K_h // 2, H - K_h // 2):
        for j in range(K_w // 2, W - K_w // 2):
            window = image[i - K_h // 2 : i + K_h // 2 + 1, j - K_w // 2 : j + K_w // 2 + 1]
            out[i, j] = (window * kernel).sum()
    return out


@pytest.mark.parametrize(
    "answer", [conv2d_windows_of_the_image, conv2d_interior_only, conv2d_centred_interior]
)
def test_windows_of_the_unpadded_image_get_a_hint(run_check, answer):
    _fails_with(run_check, check_conv2d, answer, ["unpadded image", "padded image"])


def max_pool_axes_from_the_front(x, K):
    H, W = x.shape[-2:]
    x = x[..., : H // K * K, : W // K * K]
    return x.reshape(*x.shape[:-2], H // K, K, W // K, K).amax(dim=(1, 3))


def max_pool_over_the_blocks(x, K):
    H, W = x.shape[-2:]
    x = x[..., : H // K * K, : W // K * K]
    return x.reshape(*x.shape[:-2], H // K, K, W // K, K).amax(dim=(-4, -2))


def test_max_over_axes_counted_from_the_front_gets_a_hint(run_check):
    _fails_with(
        run_check,
        check_max_pool,
        max_pool_axes_from_the_front,
        ["case 2 of 4", "counted from the front"],
    )


def test_max_over_the_wrong_axes_gets_a_hint(run_check):
    _fails_with(
        run_check,
        check_max_pool,
        max_pool_over_the_blocks,
        ["case 1 of 4", "the two axes of length K"],
        absent=["dim="],
    )


# --------------------------------------------------------------------------- 6. check_loss_choice


class MyNLLLoss(nn.NLLLoss):
    """A subclass that changes nothing: as good as nn.NLLLoss()."""


class NLLLossDoubled(nn.NLLLoss):
    def forward(self, input, target):
        return 2 * super().forward(input, target)


def my_loss(output, target):
    return F.nll_loss(output, target)


def test_the_loss_for_log_probabilities_passes(run_check):
    for loss_fn in (nn.NLLLoss(), MyNLLLoss(), nn.NLLLoss(reduction="mean")):
        result, line = run_check(check_loss_choice, loss_fn)
        assert result and result.status == checks.PASSED, line
        assert line.startswith("✓ loss_choice: ") and line.endswith("cases match the reference.")


@pytest.mark.parametrize(
    ("reduction", "fragments"),
    [("none", ["one loss per stimulus", "one number"]), ("sum", ["sum over the batch", "mean"])],
)
def test_another_reduction_is_explained(run_check, reduction, fragments):
    _fails_with(
        run_check,
        check_loss_choice,
        nn.NLLLoss(reduction=reduction),
        [f"reduction='{reduction}'", "decode_orientation", *fragments],
    )


@pytest.mark.parametrize(
    ("loss_fn", "fragments"),
    [
        (
            nn.CrossEntropyLoss(),
            ["applies log_softmax itself", "raw scores", "the same number here"],
        ),
        (nn.MSELoss(), ["one-hot", "class indices", "classification"]),
        (nn.LogSoftmax(dim=1), ["the network's last layer", "not a loss"]),
        (nn.L1Loss(), ["L1Loss", "class indices"]),
        (F.cross_entropy, ["applies log_softmax itself", "raw scores"]),
        (my_loss, ["a function", "loss object"]),
    ],
    ids=["CrossEntropyLoss", "MSELoss", "LogSoftmax", "L1Loss", "F.cross_entropy", "function"],
)
def test_another_loss_is_told_why_it_is_not_the_one(run_check, loss_fn, fragments):
    _fails_with(run_check, check_loss_choice, loss_fn, fragments, absent=["NLLLoss", "nll_loss"])


def test_the_function_form_of_the_loss_is_told_to_be_an_object(run_check):
    _fails_with(run_check, check_loss_choice, F.nll_loss, ["function form", "loss object"])


def test_the_class_without_parentheses_is_told_so(run_check):
    _fails_with(run_check, check_loss_choice, nn.NLLLoss, ["the class", "parentheses"])
    _fails_with(
        run_check, check_loss_choice, nn.CrossEntropyLoss, ["raw scores"], absent=["NLLLoss"]
    )


def test_none_and_the_placeholder_are_explained(run_check):
    result, line = run_check(check_loss_choice, ...)
    assert result.status == checks.NOT_IMPLEMENTED, line
    assert line.startswith("○ loss_choice: not finished yet: ") and "`...`" in line, line
    _fails_with(run_check, check_loss_choice, None, ["loss_fn is None"], absent=["NLLLoss"])


def test_a_subclass_that_changes_the_value_fails(run_check):
    _fails_with(
        run_check, check_loss_choice, NLLLossDoubled(), ["case 1 of", "the loss is off by"]
    )


def test_class_weights_are_explained(run_check):
    weighted = nn.NLLLoss(weight=torch.linspace(0.5, 2, 20))
    _fails_with(run_check, check_loss_choice, weighted, ["weight"])


@pytest.mark.parametrize("value", [3, "NLLLoss"])
def test_a_value_that_is_no_loss_at_all_raises_type_error(capsys, value):
    with pytest.raises(TypeError, match=r"check_loss_choice\(loss_fn\): loss_fn must be"):
        check_loss_choice(value)
    assert capsys.readouterr().out == ""


def test_the_loss_check_leaves_the_random_state_alone(run_check):
    torch.manual_seed(5)
    np.random.seed(5)
    random.seed(5)
    before = (torch.random.get_rng_state(), np.random.get_state()[1].copy(), random.getstate())
    lines = {run_check(check_loss_choice, nn.NLLLoss(reduction="sum"))[1] for _ in range(2)}
    assert len(lines) == 1
    assert torch.equal(before[0], torch.random.get_rng_state())
    assert np.array_equal(before[1], np.random.get_state()[1]) and before[2] == random.getstate()


def test_check_loss_choice_is_exported():
    assert nma_dl.check_loss_choice is check_loss_choice
    assert "check_loss_choice" in checks.__all__ and "check_loss_choice" in nma_dl.__all__
