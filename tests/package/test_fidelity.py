"""The package reproduces the original Tutorial 1 procedure number for number.

The reference, ``tools/original.py``, restates step by step and independently of ``nma_dl``
what the original "Decoding neural responses" notebook does (seed 4, split
with ``torch.randperm``; seed 1, a ReLU network built from two ``nn.Linear``
layers, ``np.random.choice`` draws, full-batch ``optim.SGD``), on a small
generated data set. Every number must match exactly, not approximately.
"""

import numpy as np
import original  # tools/original.py, on pytest's pythonpath (pyproject.toml)
import pytest
import torch
from torch import nn

from nma_dl import (
    DeepNetReLU,
    get_data,
    set_seed,
    stimulus_class,
    train,
    train_test_split,
)

N_STIMULI, N_NEURONS = 40, 30


@pytest.fixture(scope="module")
def dataset():
    rng = np.random.default_rng(2024)
    stimuli = np.sort(rng.uniform(0, 360, N_STIMULI)).astype(np.float32)[:, None]
    tuning = np.cos(np.deg2rad(stimuli - rng.uniform(0, 360, N_NEURONS)))
    resp = (tuning + 0.3 * rng.standard_normal((N_STIMULI, N_NEURONS))).astype(np.float32)
    return torch.from_numpy(resp), torch.from_numpy(stimuli)


@pytest.fixture(scope="module")
def reference_split(dataset):
    return original.split(*dataset)


def test_split_is_the_original_one(dataset, reference_split):
    set_seed(4)
    ours = train_test_split(*dataset, train_fraction=0.6)
    assert [t.shape[0] for t in ours] == [24, 16, 24, 16]
    for mine, theirs in zip(ours, reference_split, strict=True):
        assert torch.equal(mine, theirs)


def test_initial_network_and_one_decoded_stimulus(reference_split):
    resp_train, _, stimuli_train, _ = reference_split
    np.random.seed(1)
    torch.manual_seed(1)
    ref = original.ReLUNet(N_NEURONS, 200)
    row = np.random.choice(stimuli_train.shape[0], 1)
    ref_out = ref(resp_train[row])

    set_seed(1)
    net = DeepNetReLU(N_NEURONS, 200)
    r, ori = get_data(1, resp_train, stimuli_train)
    for mine, theirs in zip(net.state_dict().values(), ref.state_dict().values(), strict=True):
        assert torch.equal(mine, theirs)
    assert torch.equal(ori, stimuli_train[row])
    assert torch.equal(net(r), ref_out)


def test_mean_squared_error_on_twenty_draws(reference_split):
    resp_train, _, stimuli_train, _ = reference_split
    np.random.seed(1)
    torch.manual_seed(1)
    ref = original.ReLUNet(N_NEURONS, 10)
    rows = np.random.choice(stimuli_train.shape[0], 20)
    ref_loss = nn.MSELoss()(ref(resp_train[rows]), stimuli_train[rows])

    set_seed(1)
    net = DeepNetReLU(N_NEURONS, 10)
    r, ori = get_data(20, resp_train, stimuli_train)
    assert torch.equal(nn.MSELoss()(net(r), ori), ref_loss)


def test_training_curve_and_printout(reference_split, capsys):
    resp_train, _, stimuli_train, _ = reference_split
    np.random.seed(1)
    torch.manual_seed(1)
    ref = original.ReLUNet(N_NEURONS, 10)
    ref_losses, ref_lines = original.gradient_descent(ref, resp_train, stimuli_train)

    set_seed(1)
    net = DeepNetReLU(N_NEURONS, 10)
    capsys.readouterr()
    losses = train(net, nn.MSELoss(), resp_train, stimuli_train)
    assert losses == ref_losses  # exact float equality, all 50 iterations
    assert capsys.readouterr().out.splitlines() == ref_lines
    for mine, theirs in zip(net.parameters(), ref.parameters(), strict=True):
        assert torch.equal(mine, theirs)


def test_bonus_classes_and_regularised_training_with_test_loss(reference_split, capsys):
    """The bonus tutorial's classes, L1/L2 penalty and test curve, restated."""
    resp_train, resp_test, stimuli_train, stimuli_test = reference_split
    n_classes, l2, l1 = 12, 1e-2, 5e-4

    y_train = original.stimulus_classes(stimuli_train, n_classes)
    y_test = original.stimulus_classes(stimuli_test, n_classes)
    assert torch.equal(stimulus_class(stimuli_train, n_classes), y_train)
    assert torch.equal(stimulus_class(stimuli_test, n_classes), y_test)

    def regularised(net, out, target):
        return original.penalized_nll(out, target, net[0].weight, l2, l1)

    torch.manual_seed(1)
    ref = original.classifier(N_NEURONS, 20, n_classes)
    ref_train, ref_test = original.train_with_test_loss(
        ref, regularised, resp_train, y_train, resp_test, y_test, n_epochs=20, lr=0.1
    )

    torch.manual_seed(1)
    net = original.classifier(N_NEURONS, 20, n_classes)
    train_loss, test_loss = train(
        net,
        nn.NLLLoss(),
        resp_train,
        y_train,
        n_epochs=20,
        learning_rate=0.1,
        test_data=resp_test,
        test_labels=y_test,
        penalty=lambda m: l1 * m[0].weight.abs().sum() + l2 * m[0].weight.square().sum(),
    )
    assert train_loss == ref_train
    assert test_loss == ref_test
