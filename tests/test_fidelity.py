"""The package reproduces the original Tutorial 1 procedure number for number.

The reference below restates, step by step and independently of ``nma_dl``,
what the original "Decoding neural responses" notebook does (seed 4, split
with ``torch.randperm``; seed 1, a ReLU network built from two ``nn.Linear``
layers, ``np.random.choice`` draws, full-batch ``optim.SGD``), on a small
generated data set. Every number must match exactly, not approximately.
"""

import numpy as np
import pytest
import torch
from torch import nn, optim

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


class _ReferenceReLUNet(nn.Module):
    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_in, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, x):
        return self.out_layer(torch.relu(self.in_layer(x)))


def _reference_split(resp, stimuli):
    np.random.seed(4)
    torch.manual_seed(4)
    n_train = int(0.6 * resp.shape[0])
    shuffled = torch.randperm(resp.shape[0])
    train_rows, test_rows = shuffled[:n_train], shuffled[n_train:]
    return resp[train_rows], resp[test_rows], stimuli[train_rows], stimuli[test_rows]


def _reference_gd(net, data, labels, n_epochs=50, lr=1e-4):
    opt = optim.SGD(net.parameters(), lr=lr)
    mse = nn.MSELoss()
    history, printed = [], []
    for epoch in range(1, n_epochs + 1):
        loss = mse(net(data), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        history.append(loss.item())
        if epoch % (n_epochs // 5) == 0:
            printed.append(f"iteration {epoch}/{n_epochs} | loss: {loss.item():.3f}")
    return history, printed


@pytest.fixture(scope="module")
def reference_split(dataset):
    return _reference_split(*dataset)


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
    ref = _ReferenceReLUNet(N_NEURONS, 200)
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
    ref = _ReferenceReLUNet(N_NEURONS, 10)
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
    ref = _ReferenceReLUNet(N_NEURONS, 10)
    ref_losses, ref_lines = _reference_gd(ref, resp_train, stimuli_train)

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

    def as_classes(ori):
        edges = np.linspace(0, 360, n_classes + 1)
        return torch.tensor(np.digitize(ori.squeeze(), edges)) - 1

    y_train, y_test = as_classes(stimuli_train), as_classes(stimuli_test)
    assert torch.equal(stimulus_class(stimuli_train, n_classes), y_train)
    assert torch.equal(stimulus_class(stimuli_test, n_classes), y_test)

    def make_net():
        return nn.Sequential(
            nn.Linear(N_NEURONS, 20), nn.ReLU(), nn.Linear(20, n_classes), nn.LogSoftmax(dim=1)
        )

    def regularised(out, target, weights):
        loss = nn.NLLLoss()(out, target)
        loss += l1 * torch.abs(weights).sum() + l2 * torch.square(weights).sum()
        return loss

    torch.manual_seed(1)
    ref = make_net()
    opt = optim.SGD(ref.parameters(), lr=0.1)
    ref_train, ref_test = [], []
    for _ in range(20):
        loss = regularised(ref(resp_train), y_train, ref[0].weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
        ref_train.append(loss.item())
        ref_test.append(regularised(ref(resp_test), y_test, ref[0].weight).item())

    torch.manual_seed(1)
    net = make_net()
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
