"""The self-checks of the exercises: pass right answers, explain wrong ones, never raise.

Each check is run on the package's twin, on the tutorial's solution cell and on its stub cell
(both taken from the book's sources), and on plausible wrong answers: the printed line must say
which, in one line, without a traceback. The checks must leave the random states and matplotlib
as they found them, and raise TypeError only when given something that is not callable.
"""

from __future__ import annotations

import inspect
import random
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from _exercises import EXERCISES, namespace
from torch import nn, optim

import nma_dl
from nma_dl import checks
from nma_dl.checks import (
    CheckResult,
    check_approximate_function,
    check_conv2d,
    check_conv_weights,
    check_ConvFC,
    check_ConvolutionalLayer,
    check_correlate_rdms,
    check_cross_entropy_loss,
    check_DeepNetReLU,
    check_DeepNetSoftmax,
    check_max_pool,
    check_Net,
    check_preferred_orientation,
    check_RDM,
    check_regularized_loss,
    check_shuffle_and_split_data,
    check_train,
)

CHECKS = {
    "DeepNetReLU": check_DeepNetReLU,
    "train": check_train,
    "approximate_function": check_approximate_function,
    "Net": check_Net,
    "cross_entropy_loss": check_cross_entropy_loss,
    "shuffle_and_split_data": check_shuffle_and_split_data,
    "RDM": check_RDM,
    "correlate_rdms": check_correlate_rdms,
    "conv2d": check_conv2d,
    "ConvolutionalLayer": check_ConvolutionalLayer,
    "max_pool": check_max_pool,
    "conv_weights": check_conv_weights,
    "preferred_orientation": check_preferred_orientation,
    "DeepNetSoftmax": check_DeepNetSoftmax,
    "regularized_loss": check_regularized_loss,
    "ConvFC": check_ConvFC,
}
PAIRS = [(exercise, name) for exercise in EXERCISES for name in exercise.names]
PAIR_IDS = [f"{exercise.id.split(':')[0]}:{name}" for exercise, name in PAIRS]


# --------------------------------------------------------------------------- right answers


@pytest.mark.parametrize("name", CHECKS)
def test_the_reference_passes(run_check, name):
    result, line = run_check(CHECKS[name], getattr(nma_dl, name))
    assert result and result.status == checks.PASSED
    assert line.startswith(f"✓ {name}: ") and line.endswith("cases match the reference.")


@pytest.mark.parametrize(("exercise", "name"), PAIRS, ids=PAIR_IDS)
def test_the_tutorial_solution_passes(run_check, exercise, name):
    result, line = run_check(CHECKS[name], namespace(exercise)[name])
    assert result, line


@pytest.mark.parametrize(("exercise", "name"), PAIRS, ids=PAIR_IDS)
def test_the_tutorial_stub_is_not_implemented(run_check, exercise, name):
    assert exercise.stub is not None, f"{exercise.id} has no stub cell before its solution"
    result, line = run_check(CHECKS[name], namespace(exercise, stub=True)[name])
    assert not result and result.status == checks.NOT_IMPLEMENTED
    assert line.startswith(f"○ {name}: not implemented yet: fill in the exercise above")


def test_every_exercise_has_a_check():
    assert {name for _, name in PAIRS} == set(CHECKS)


def test_the_checks_are_fast():
    """Under 0.5 s each on a CPU (best of 3, after a first run that imports what it needs)."""
    for name, check in CHECKS.items():
        reference = getattr(nma_dl, name)
        check(reference)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            check(reference)
            times.append(time.perf_counter() - start)
        assert min(times) < 0.5, (name, times)


def test_a_notebook_displays_nothing_for_the_result():
    result = CheckResult("train", checks.PASSED, "✓ train")
    assert result._ipython_display_() is None  # IPython calls this instead of showing a repr
    assert bool(result) and not CheckResult("train", checks.FAILED, "✗ train")


# --------------------------------------------------------------------------- wrong answers
# Plausible mistakes, one per function or class; each is listed below with what the line says.


class DeepNetReLUNoReLU(nn.Module):
    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, r):
        return self.out_layer(self.in_layer(r))


class DeepNetReLUOnOutput(DeepNetReLUNoReLU):
    def forward(self, r):
        return torch.relu(self.out_layer(torch.relu(self.in_layer(r))))


class DeepNetReLUSigmoid(DeepNetReLUNoReLU):
    def forward(self, r):
        return self.out_layer(torch.sigmoid(self.in_layer(r)))


class DeepNetReLUSqueezed(DeepNetReLUNoReLU):
    def forward(self, r):
        return self.out_layer(torch.relu(self.in_layer(r))).squeeze(-1)


class DeepNetReLUNone(DeepNetReLUNoReLU):
    def forward(self, r):
        torch.relu(self.in_layer(r))


class DeepNetReLURaises(DeepNetReLUNoReLU):
    def forward(self, r):
        raise ValueError("shapes do not match")


class DeepNetReLURenamed(nn.Module):
    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.hidden = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, r):
        return self.out_layer(torch.relu(self.hidden(r)))


class NotAModule:
    def __init__(self, n_inputs, n_hidden):
        pass


def train_no_zero_grad(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    train_loss = []
    for _ in range(n_epochs):
        loss = loss_fn(net(train_data), train_labels)
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
    return train_loss


def train_loss_after_step(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    train_loss = []
    for _ in range(n_epochs):
        loss = loss_fn(net(train_data), train_labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            train_loss.append(loss_fn(net(train_data), train_labels).item())
    return train_loss


def train_no_step(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    train_loss = []
    for _ in range(n_epochs):
        loss = loss_fn(net(train_data), train_labels)
        optimizer.zero_grad()
        loss.backward()
        train_loss.append(loss.item())
    return train_loss


def train_tensors(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    optimizer = optim.SGD(net.parameters(), lr=learning_rate)
    train_loss = []
    for _ in range(n_epochs):
        loss = loss_fn(net(train_data), train_labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss.append(loss)
    return train_loss


def train_prints_plots_and_draws(
    net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4
):
    """Right losses, but noisy: prints, opens a figure, draws from every global generator."""
    losses = nma_dl.train(net, loss_fn, train_data, train_labels, n_epochs, learning_rate)
    print("my own progress line")
    plt.figure()
    torch.rand(3), np.random.rand(3), random.random()
    return losses


def train_returns_none(net, loss_fn, train_data, train_labels, n_epochs=50, learning_rate=1e-4):
    nma_dl.train(net, loss_fn, train_data, train_labels, n_epochs, learning_rate)


def train_wrong_signature(net, loss_fn, train_data, train_labels, n_epochs=50):
    return nma_dl.train(net, loss_fn, train_data, train_labels, n_epochs)


def approximate_function_wrong_bias(x_train, y_train):
    n_relus = x_train.shape[0] - 1
    x = torch.linspace(x_train.min().item(), x_train.max().item(), 1000)
    b = x_train[:n_relus, 0]  # sign flipped
    relu_acts = torch.relu(x[None, :] + b[:, None])
    slopes = (y_train[1:, 0] - y_train[:-1, 0]) / (x_train[1:, 0] - x_train[:-1, 0])
    weights = slopes - torch.cat([torch.zeros(1), slopes[:-1]])
    return weights @ relu_acts, relu_acts, x


def approximate_function_slopes_as_weights(x_train, y_train):
    n_relus = x_train.shape[0] - 1
    x = torch.linspace(x_train.min().item(), x_train.max().item(), 1000)
    relu_acts = torch.relu(x[None, :] - x_train[:n_relus, 0][:, None])
    slopes = (y_train[1:, 0] - y_train[:-1, 0]) / (x_train[1:, 0] - x_train[:-1, 0])
    return slopes @ relu_acts, relu_acts, x


def approximate_function_only_y_hat(x_train, y_train):
    return nma_dl.approximate_function(x_train, y_train)[0]


def approximate_function_numpy(x_train, y_train):
    y_hat, relu_acts, x = nma_dl.approximate_function(x_train, y_train)
    return y_hat.numpy(), relu_acts, x


class NetSharedActivation(nn.Module):
    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__()
        self.input_feature_num = input_feature_num
        self.mlp = nn.Sequential()
        activation = nma_dl.parse_activation(actv)  # one module for every layer
        in_num = input_feature_num
        for i, out_num in enumerate(hidden_unit_nums):
            self.mlp.add_module(f"Linear_{i}", nn.Linear(in_num, out_num))
            self.mlp.add_module(f"Activation_{i}", activation)
            in_num = out_num
        self.mlp.add_module("Output_Linear", nn.Linear(in_num, output_feature_num))

    def forward(self, x):
        return self.mlp(x.reshape(-1, self.input_feature_num))


class NetAlwaysReLU(NetSharedActivation):
    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__("ReLU()", input_feature_num, hidden_unit_nums, output_feature_num)


class NetActivationOnOutput(nma_dl.Net):
    def forward(self, x):
        return self.mlp[-2](super().forward(x)) if len(self.mlp) > 1 else super().forward(x)


class NetSquareLayers(nn.Module):
    def __init__(self, actv, input_feature_num, hidden_unit_nums, output_feature_num):
        super().__init__()
        self.input_feature_num = input_feature_num
        self.mlp = nn.Sequential()
        in_num = input_feature_num
        for i, _ in enumerate(hidden_unit_nums):
            self.mlp.add_module(f"Linear_{i}", nn.Linear(in_num, in_num))  # forgot out_num
            self.mlp.add_module(f"Activation_{i}", nma_dl.parse_activation(actv))
        self.mlp.add_module("Output_Linear", nn.Linear(in_num, output_feature_num))

    def forward(self, x):
        return self.mlp(x.reshape(-1, self.input_feature_num))


class NetForwardNone(nma_dl.Net):
    def forward(self, x):
        self.mlp(x.reshape(-1, self.input_feature_num))


def cross_entropy_sum(x, labels):
    x_of_labels = x[torch.arange(len(labels)), labels]
    m = x.max(dim=1).values
    return ((m - x_of_labels) + torch.log(torch.exp(x - m[:, None]).sum(dim=1))).sum()


def cross_entropy_naive(x, labels):
    x_of_labels = x[torch.arange(len(labels)), labels]
    return (-x_of_labels + torch.log(torch.exp(x).sum(dim=1))).mean()


def cross_entropy_per_sample(x, labels):
    x_of_labels = x[torch.arange(len(labels)), labels]
    m = x.max(dim=1).values
    return (m - x_of_labels) + torch.log(torch.exp(x - m[:, None]).sum(dim=1))


def cross_entropy_float(x, labels):
    return nma_dl.cross_entropy_loss(x, labels).item()


def cross_entropy_detached(x, labels):
    return nma_dl.cross_entropy_loss(x, labels).detach()


def cross_entropy_wrong_sign(x, labels):
    return -nma_dl.cross_entropy_loss(x, labels)


def shuffle_ignores_seed(X, y, seed):
    order = torch.randperm(X.shape[0])
    X, y = X[order], y[order]
    test_size = int(0.2 * X.shape[0])
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def shuffle_swapped(X, y, seed):
    X_test, y_test, X_train, y_train = nma_dl.shuffle_and_split_data(X, y, seed)
    return X_train, y_train, X_test, y_test


def shuffle_not_shuffled(X, y, seed):
    test_size = int(0.2 * X.shape[0])
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def shuffle_test_at_the_end(X, y, seed):
    order = torch.randperm(X.shape[0], generator=torch.Generator().manual_seed(seed))
    X, y = X[order], y[order]
    train_size = X.shape[0] - int(0.2 * X.shape[0])
    return X[train_size:], y[train_size:], X[:train_size], y[:train_size]


def shuffle_unpaired(X, y, seed):
    generator = torch.Generator().manual_seed(seed)
    X = X[torch.randperm(X.shape[0], generator=generator)]
    y = y[torch.randperm(X.shape[0], generator=generator)]  # a second, different order
    test_size = int(0.2 * X.shape[0])
    return X[:test_size], y[:test_size], X[test_size:], y[test_size:]


def shuffle_three_values(X, y, seed):
    return nma_dl.shuffle_and_split_data(X, y, seed)[:3]


def raises_value_error(*args, **kwargs):
    raise ValueError("operands could not be broadcast together\nwith shapes (3,) (4,)")


def returns_none(*args, **kwargs):
    return None


# (check, answer, fragments the line must contain)
WRONG = {
    "DeepNetReLU without ReLU": (
        check_DeepNetReLU,
        DeepNetReLUNoReLU,
        ["case 1 of 3", "the output is off by", "without an activation function"],
    ),
    "DeepNetReLU with ReLU on the output": (
        check_DeepNetReLU,
        DeepNetReLUOnOutput,
        ["the output is off by", "never negative"],
    ),
    "DeepNetReLU with a sigmoid": (check_DeepNetReLU, DeepNetReLUSigmoid, ["off by"]),
    "DeepNetReLU output squeezed": (
        check_DeepNetReLU,
        DeepNetReLUSqueezed,
        ["the output has shape (6,), expected (6, 1)"],
    ),
    "DeepNetReLU forward returns None": (
        check_DeepNetReLU,
        DeepNetReLUNone,
        ["the output is None, expected a torch.Tensor"],
    ),
    "DeepNetReLU forward raises": (
        check_DeepNetReLU,
        DeepNetReLURaises,
        ["its forward raised ValueError: shapes do not match"],
    ),
    "DeepNetReLU renamed layer": (
        check_DeepNetReLU,
        DeepNetReLURenamed,
        [
            "(DeepNetReLU(5, 4), an input of shape (6, 5))",
            "the network has no parameter in_layer.weight",
        ],
    ),
    "DeepNetReLU not a module": (
        check_DeepNetReLU,
        NotAModule,
        ["the class made a NotAModule, expected a torch.nn.Module"],
    ),
    "DeepNetReLU instance instead of class": (
        check_DeepNetReLU,
        nma_dl.DeepNetReLU(3, 2),
        ["not the class", "check_DeepNetReLU(DeepNetReLU)"],
    ),
    "train without zero_grad": (
        check_train,
        train_no_zero_grad,
        ["case 1 of 3", "the loss of iteration 3 is off by", "the first 2 iterations agree"],
    ),
    "train records the loss after the step": (
        check_train,
        train_loss_after_step,
        ["the loss of iteration 1", "the one after that iteration's update"],
    ),
    "train without step": (check_train, train_no_step, ["the loss never changes"]),
    "train returns tensors": (
        check_train,
        train_tensors,
        ["holds a torch.Tensor, expected plain numbers"],
    ),
    "train returns None": (
        check_train,
        train_returns_none,
        ["train returned None, expected a list"],
    ),
    "train without learning_rate": (
        check_train,
        train_wrong_signature,
        ["train raised TypeError", "learning_rate"],
    ),
    "approximate_function with the wrong bias sign": (
        check_approximate_function,
        approximate_function_wrong_bias,
        ["case 1 of 3 (10 samples of a sine)", "relu_acts (2nd returned value) is off by"],
    ),
    "approximate_function weights the slopes": (
        check_approximate_function,
        approximate_function_slopes_as_weights,
        ["y_hat (1st returned value) is off by", "combination weights"],
    ),
    "approximate_function returns y_hat only": (
        check_approximate_function,
        approximate_function_only_y_hat,
        ["returned a torch.Tensor, expected the tuple (y_hat, relu_acts, x)"],
    ),
    "approximate_function returns NumPy": (
        check_approximate_function,
        approximate_function_numpy,
        ["y_hat (1st returned value) is a numpy.ndarray, expected a torch.Tensor"],
    ),
    "Net sharing one activation": (
        check_Net,
        NetSharedActivation,
        ["case 3 of 4", "no parameter mlp.Activation_1.weight", "of its own"],
    ),
    "Net always ReLU": (
        check_Net,
        NetAlwaysReLU,
        [
            "case 2 of 4 (Net('LeakyReLU(0.1)', 4, [6], 3), an input of shape (3, 2, 2))",
            "the output is off by",
        ],
    ),
    "Net with an activation on the output": (
        check_Net,
        NetActivationOnOutput,
        ["case 1 of 4", "after the last layer too"],
    ),
    "Net with square layers": (
        check_Net,
        NetSquareLayers,
        ["the network's mlp.Linear_0.weight has shape (3, 3), expected (4, 3)"],
    ),
    "Net forward returns None": (check_Net, NetForwardNone, ["the output is None"]),
    "cross_entropy_loss sums": (
        check_cross_entropy_loss,
        cross_entropy_sum,
        ["case 1 of 3 (2 samples, 4 classes)", "the loss is off by", "2 times", "mean"],
    ),
    "cross_entropy_loss overflows": (
        check_cross_entropy_loss,
        cross_entropy_naive,
        ["case 3 of 3", "NaN or infinite", "log-sum-exp"],
    ),
    "cross_entropy_loss per sample": (
        check_cross_entropy_loss,
        cross_entropy_per_sample,
        ["the loss has shape (2,), expected () (a single number)", "one loss per sample"],
    ),
    "cross_entropy_loss returns a float": (
        check_cross_entropy_loss,
        cross_entropy_float,
        ["the loss is a float, expected a torch.Tensor"],
    ),
    "cross_entropy_loss detached": (
        check_cross_entropy_loss,
        cross_entropy_detached,
        ["not connected to x"],
    ),
    "cross_entropy_loss wrong sign": (
        check_cross_entropy_loss,
        cross_entropy_wrong_sign,
        ["opposite sign"],
    ),
    "shuffle ignoring the seed": (
        check_shuffle_and_split_data,
        shuffle_ignores_seed,
        ["case 1 of 3 (10 samples, seed=2021)", "two calls with seed=2021 gave different splits"],
    ),
    "shuffle swapping train and test": (
        check_shuffle_and_split_data,
        shuffle_swapped,
        ["X_test (1st returned value) has 8 samples, expected 2", "smaller part"],
    ),
    "shuffle that does not shuffle": (
        check_shuffle_and_split_data,
        shuffle_not_shuffled,
        ["original order"],
    ),
    "shuffle taking the test set at the end": (
        check_shuffle_and_split_data,
        shuffle_test_at_the_end,
        ["X_test (1st returned value) differs from the reference's"],
    ),
    "shuffle separating samples from labels": (
        check_shuffle_and_split_data,
        shuffle_unpaired,
        ["X_test and y_test are no longer paired"],
    ),
    "shuffle returning three values": (
        check_shuffle_and_split_data,
        shuffle_three_values,
        ["returned a tuple of 3, expected the tuple (X_test, y_test, X_train, y_train)"],
    ),
}


# ---- the representational similarity exercises (RDM, correlate_rdms)


def _zscored(resp, **kwargs):
    from scipy.stats import zscore

    return zscore(resp, axis=kwargs.pop("axis", 1), **kwargs)


def rdm_without_one_minus(resp):
    z = _zscored(resp)
    return z @ z.T / resp.shape[1]


def rdm_with_ddof_1(resp):
    z = _zscored(resp, ddof=1)
    return 1 - z @ z.T / resp.shape[1]


def rdm_without_dividing_by_n(resp):
    z = _zscored(resp)
    return 1 - z @ z.T


def rdm_zscored_per_unit(resp):
    z = _zscored(resp, axis=0)
    return 1 - z @ z.T / resp.shape[1]


WRONG.update(
    {
        "RDM without one minus": (
            check_RDM,
            rdm_without_one_minus,
            ["case 1 of 3", "one minus it"],
        ),
        "RDM with the 1/(N-1) standard deviation": (
            check_RDM,
            rdm_with_ddof_1,
            ["the RDM is off by", "1/N standard deviation"],
        ),
        "RDM not divided by N": (check_RDM, rdm_without_dividing_by_n, ["divide it by N"]),
        "RDM z-scored per unit": (check_RDM, rdm_zscored_per_unit, ["axis=1"]),
    }
)


def correlate_with_the_diagonal(rdm1, rdm2):
    return np.corrcoef(rdm1.ravel(), rdm2.ravel())[0, 1]


def correlate_whole_matrix(rdm1, rdm2):
    upper = np.triu_indices(rdm1.shape[0], k=1)
    return np.corrcoef(rdm1[upper], rdm2[upper])


WRONG.update(
    {
        "correlate_rdms with the diagonal": (
            check_correlate_rdms,
            correlate_with_the_diagonal,
            ["it includes the diagonal"],
        ),
        "correlate_rdms returning the matrix": (
            check_correlate_rdms,
            correlate_whole_matrix,
            ["shape (2, 2), expected a single number", "[0, 1] entry"],
        ),
    }
)


# ---- the convolution tutorial


def conv2d_flipped(image, kernel):
    return nma_dl.conv2d(image, kernel.flip(0, 1))


def conv2d_unpadded(image, kernel):
    return torch.nn.functional.conv2d(image[None, None], kernel[None, None])[0, 0]


class LayerKeepsRandomBias(nn.Module):
    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2)
        if filters is not None:
            self.conv.weight = nn.Parameter(filters)

    def forward(self, s):
        return self.conv(s)


class LayerWithoutPadding(LayerKeepsRandomBias):
    def __init__(self, c_in=1, c_out=6, K=7, filters=None):
        super().__init__(c_in, c_out, K, filters)
        self.conv.padding = (0, 0)
        if filters is not None:
            self.conv.bias = nn.Parameter(torch.zeros(c_out))


def max_pool_average(x, K):
    H, W = x.shape[-2:]
    blocks = x[..., : H // K * K, : W // K * K].reshape(*x.shape[:-2], H // K, K, W // K, K)
    return blocks.mean(dim=(-3, -1))


def max_pool_wrong_blocks(x, K):
    H, W = x.shape[-2:]
    blocks = x[..., : H // K * K, : W // K * K].reshape(*x.shape[:-2], H // K, W // K, K, K)
    return blocks.amax(dim=(-2, -1))


WRONG.update(
    {
        "conv2d with a flipped kernel": (check_conv2d, conv2d_flipped, ["cross-correlation"]),
        "conv2d without padding": (
            check_conv2d,
            conv2d_unpadded,
            ["the output has shape (3, 4), expected (5, 6)", "pad with K // 2 zeros"],
        ),
        "ConvolutionalLayer keeping the random bias": (
            check_ConvolutionalLayer,
            LayerKeepsRandomBias,
            ["its conv.bias differs", "the biases should all be zero"],
        ),
        "ConvolutionalLayer without padding": (
            check_ConvolutionalLayer,
            LayerWithoutPadding,
            ["the output has shape (2, 6, 6, 10)", "padding K // 2"],
        ),
        "max_pool averaging": (check_max_pool, max_pool_average, ["mean of each block"]),
        "max_pool with blocks that are not squares": (
            check_max_pool,
            max_pool_wrong_blocks,
            ["neighbouring pixels"],
        ),
    }
)
# ---- the bonus tutorial (W1D5 Tutorial 4)


def preferred_orientation_reflecting(resp, sigma=5):
    from scipy.ndimage import gaussian_filter1d

    return gaussian_filter1d(np.asarray(resp), sigma, axis=0).argmax(axis=0)


def preferred_orientation_unsmoothed(resp, sigma=5):
    return np.asarray(resp).argmax(axis=0)


def regularized_loss_swapped(output, target, weights, L2_penalty=0, L1_penalty=0):
    loss = nn.NLLLoss()(output, target)
    return loss + L1_penalty * weights.square().sum() + L2_penalty * weights.abs().sum()


def regularized_loss_without_l1(output, target, weights, L2_penalty=0, L1_penalty=0):
    return nn.NLLLoss()(output, target) + L2_penalty * weights.square().sum()


class DeepNetSoftmaxProbabilities(nma_dl.DeepNetSoftmax):
    def forward(self, r):
        return torch.softmax(self.out_layer(torch.relu(self.in_layer(r))), dim=1)


class ConvFCWithoutLinear(nn.Module):
    def __init__(self, n_neurons, c_in=1, c_out=6, K=7, b=12 * 16, filters=None):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel_size=K, padding=K // 2)

    def forward(self, s):
        return self.conv(s).flatten(1)


WRONG.update(
    {
        "preferred_orientation reflecting at the ends": (
            check_preferred_orientation,
            preferred_orientation_reflecting,
            ["indices differ", "mode='wrap'"],
        ),
        "preferred_orientation without smoothing": (
            check_preferred_orientation,
            preferred_orientation_unsmoothed,
            ["smooth the tuning curves"],
        ),
        "regularized_loss with the penalties swapped": (
            check_regularized_loss,
            regularized_loss_swapped,
            ["the loss is off by", "swapped"],
        ),
        "regularized_loss without L1": (
            check_regularized_loss,
            regularized_loss_without_l1,
            ["the L1 term is missing"],
        ),
        "DeepNetSoftmax returning probabilities": (
            check_DeepNetSoftmax,
            DeepNetSoftmaxProbabilities,
            ["the output is off by", "their logarithm"],
        ),
        "ConvFC without the linear layer": (
            check_ConvFC,
            ConvFCWithoutLinear,
            ["no parameter out_layer", "self.out_layer"],
        ),
    }
)
WRONG.update(
    {
        f"{name} raising ValueError": (
            check,
            raises_value_error,
            ["case 1 of", "raised ValueError: operands could not be broadcast together"],
        )
        for name, check in CHECKS.items()
    }
)
WRONG.update(
    {
        f"{name} returning None": (check, returns_none, ["case 1 of", "None"])
        for name, check in CHECKS.items()
    }
)


@pytest.mark.parametrize("variant", WRONG)
def test_a_wrong_answer_fails_with_a_hint(run_check, variant):
    check, answer, fragments = WRONG[variant]
    result, line = run_check(check, answer)
    assert not result and result.status == checks.FAILED
    assert line.startswith("✗ "), line
    for fragment in fragments:
        assert fragment in line, line


def test_noise_of_the_answer_is_swallowed_and_tidied(run_check):
    before = plt.get_fignums()
    result, line = run_check(check_train, train_prints_plots_and_draws)
    assert result, line
    assert "my own progress line" not in line and "iteration" not in line
    assert plt.get_fignums() == before


# --------------------------------------------------------------------------- state and errors


def _states():
    return (
        torch.random.get_rng_state(),
        np.random.get_state()[1].copy(),
        random.getstate(),
        torch.is_grad_enabled(),
    )


def _assert_same_states(a, b):
    assert torch.equal(a[0], b[0]), "torch's random state changed"
    assert np.array_equal(a[1], b[1]), "NumPy's random state changed"
    assert a[2:] == b[2:], "Python's random state or the grad mode changed"


ANSWERS = [
    *[(check, getattr(nma_dl, name)) for name, check in CHECKS.items()],
    (check_train, train_prints_plots_and_draws),
    (check_shuffle_and_split_data, shuffle_ignores_seed),
    (check_DeepNetReLU, DeepNetReLURaises),
]


@pytest.mark.parametrize(("check", "answer"), ANSWERS)
def test_the_random_state_is_left_alone(capsys, check, answer):
    torch.manual_seed(123)
    np.random.seed(123)
    random.seed(123)
    before = _states()
    check(answer)
    _assert_same_states(before, _states())


@pytest.mark.parametrize(("check", "answer"), ANSWERS)
def test_the_verdict_does_not_depend_on_the_random_state(run_check, check, answer):
    lines = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        np.random.seed(seed)
        random.seed(seed)
        lines.append(run_check(check, answer)[1])
    assert lines[0] == lines[1]


def test_the_grad_mode_is_left_alone(run_check):
    with torch.no_grad():
        result, line = run_check(check_train, nma_dl.train)  # needs gradients inside
        assert torch.is_grad_enabled() is False
    assert result, line


@pytest.mark.parametrize("name", CHECKS)
@pytest.mark.parametrize("value", [3, "train", None, [1, 2]], ids=["int", "str", "None", "list"])
def test_a_non_callable_raises_type_error(capsys, name, value):
    argument = next(iter(inspect.signature(CHECKS[name]).parameters))  # func or cls
    with pytest.raises(TypeError, match=rf"check_{name}\({argument}\): {argument} must be"):
        CHECKS[name](value)
    assert capsys.readouterr().out == ""


def test_every_check_documents_its_result_and_errors_once():
    # The shared sections come from one text (checks._core._documented), in numpydoc order.
    import nma_dl.checks as checks

    names = [name for name in checks.__all__ if name.startswith("check_")]
    assert len(names) >= 15
    for name in names:
        check = getattr(checks, name)
        doc = inspect.getdoc(check)
        arg = next(iter(inspect.signature(check).parameters))
        assert doc.count("Returns\n-------\nCheckResult") == 1, name
        assert f"If ``{arg}`` cannot be called at all" in doc, name
        order = [doc.index(s) for s in ("Parameters\n", "Returns\n", "Raises\n")]
        if "Examples\n" in doc:
            order.append(doc.index("Examples\n"))
        assert order == sorted(order), name
