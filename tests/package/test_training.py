"""nma_dl.training: one step by hand, the training loop, its printout and its checks."""

import math

import pytest
import torch
from torch import nn, optim

from nma_dl.models import DeepNetReLU
from nma_dl.training import evaluate_loss, gradient_step, train

X = torch.tensor([[1.0], [2.0]])
Y = torch.tensor([[0.0], [0.0]])


def _scalar_net(w=2.0):
    """y = w x, no bias: small enough to differentiate by hand."""
    net = nn.Linear(1, 1, bias=False)
    with torch.no_grad():
        net.weight.fill_(w)
    return net


def _linear_problem(n=64, seed=0):
    generator = torch.Generator().manual_seed(seed)
    data = torch.randn(n, 3, generator=generator)
    labels = data @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    return data, labels


def test_gradient_step_by_hand():
    net = _scalar_net(2.0)
    optimizer = optim.SGD(net.parameters(), lr=0.1)
    # L = mean((w x)^2) = (4 + 16) / 2 = 10;  dL/dw = mean(2 w x^2) = (4 + 16) / 2 = 10
    assert gradient_step(net, nn.MSELoss(), X, Y, optimizer) == 10.0
    assert net.weight.item() == 1.0
    # the old gradient is cleared: L = 2.5, dL/dw = 5, w -> 1 - 0.5
    assert gradient_step(net, nn.MSELoss(), X, Y, optimizer) == 2.5
    assert net.weight.item() == 0.5


def test_gradient_step_adds_the_penalty():
    net = _scalar_net(2.0)
    optimizer = optim.SGD(net.parameters(), lr=0.25)
    # L = 10 + w^2 = 14;  dL/dw = 10 + 2 w = 14;  w -> 2 - 0.25 * 14
    penalty = lambda n: n.weight.square().sum()  # noqa: E731
    loss = gradient_step(net, nn.MSELoss(), X, Y, optimizer, penalty=penalty)
    assert loss == 14.0
    assert net.weight.item() == -1.5


def test_evaluate_loss_changes_nothing():
    net = _scalar_net(2.0)
    assert evaluate_loss(net, nn.MSELoss(), X, Y) == 10.0
    assert evaluate_loss(net, nn.MSELoss(), X, Y, penalty=lambda n: n.weight.abs().sum()) == 12.0
    assert net.weight.item() == 2.0
    assert net.weight.grad is None


def test_train_lowers_the_loss_and_prints_five_lines(capsys):
    data, labels = _linear_problem()
    torch.manual_seed(0)
    losses = train(nn.Linear(3, 1), nn.MSELoss(), data, labels, n_epochs=100, learning_rate=0.1)
    assert len(losses) == 100
    assert all(type(loss) is float for loss in losses)
    assert losses[-1] < losses[0] / 10
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" |")[0] for line in lines] == [
        f"iteration {i}/100" for i in (20, 40, 60, 80, 100)
    ]
    assert lines[-1] == f"iteration 100/100 | loss: {losses[-1]:.3f}"


def test_train_defaults_are_the_course_ones(capsys):
    data, labels = _linear_problem(n=8)
    torch.manual_seed(1)
    net = DeepNetReLU(3, 4)
    losses = train(net, nn.MSELoss(), data, labels)
    assert len(losses) == 50  # n_epochs=50
    assert len(capsys.readouterr().out.splitlines()) == 5
    # learning_rate=1e-4: the first step moves each weight by 1e-4 times its gradient
    torch.manual_seed(1)
    ref = DeepNetReLU(3, 4)
    nn.MSELoss()(ref(data), labels).backward()
    ref_weight = ref.in_layer.weight - 1e-4 * ref.in_layer.weight.grad
    torch.manual_seed(1)
    one = DeepNetReLU(3, 4)
    train(one, nn.MSELoss(), data, labels, n_epochs=1)
    assert torch.allclose(one.in_layer.weight, ref_weight, rtol=0, atol=1e-7)


@pytest.mark.parametrize("n_epochs, n_lines", [(1, 1), (3, 3), (7, 7), (10, 5), (12, 6), (50, 5)])
def test_train_progress_rule(capsys, n_epochs, n_lines):
    data, labels = _linear_problem(n=4)
    train(nn.Linear(3, 1), nn.MSELoss(), data, labels, n_epochs=n_epochs, learning_rate=0.01)
    assert len(capsys.readouterr().out.splitlines()) == n_lines


def test_train_with_test_data_returns_both_curves(capsys):
    data, labels = _linear_problem(n=32, seed=1)
    test_data, test_labels = _linear_problem(n=16, seed=2)
    net = nn.Linear(3, 1)
    train_loss, test_loss = train(
        net,
        nn.MSELoss(),
        data,
        labels,
        n_epochs=20,
        learning_rate=0.1,
        test_data=test_data,
        test_labels=test_labels,
    )
    assert len(train_loss) == len(test_loss) == 20
    # the test loss is measured after each update
    assert test_loss[-1] == evaluate_loss(net, nn.MSELoss(), test_data, test_labels)
    assert test_loss[-1] < test_loss[0]
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == f"iteration 20/20 | loss: {train_loss[-1]:.3f} | test_loss: {test_loss[-1]:.3f}"


def test_train_penalty_and_momentum_match_a_hand_loop(capsys):
    data, labels = _linear_problem(n=16)

    def penalty(net):
        return 0.01 * net.weight.square().sum() + 0.001 * net.weight.abs().sum()

    torch.manual_seed(5)
    net = nn.Linear(3, 1)
    losses = train(
        net,
        nn.MSELoss(),
        data,
        labels,
        n_epochs=10,
        learning_rate=0.05,
        penalty=penalty,
        momentum=0.9,
    )
    torch.manual_seed(5)
    ref = nn.Linear(3, 1)
    optimizer = optim.SGD(ref.parameters(), lr=0.05, momentum=0.9)
    expected = []
    for _ in range(10):
        loss = nn.MSELoss()(ref(data), labels) + penalty(ref)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.item())
    assert losses == expected
    assert torch.equal(net.weight, ref.weight)


def test_train_works_with_classification_labels(capsys):
    data = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.1], [0.1, 1.0]])
    labels = torch.tensor([0, 1, 0, 1])
    net = nn.Sequential(nn.Linear(2, 2), nn.LogSoftmax(dim=1))
    losses = train(net, nn.NLLLoss(), data, labels, n_epochs=50, learning_rate=0.5)
    assert losses[-1] < losses[0]


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_epochs": 0}, ValueError, "n_epochs must be finite and > 0, got 0"),
        ({"n_epochs": 2.5}, TypeError, "n_epochs must be an int, got float"),
        ({"n_epochs": True}, TypeError, "n_epochs must be an int, got bool"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be > 0, got 0.0"),
        ({"learning_rate": -0.1}, ValueError, "learning_rate must be > 0, got -0.1"),
        ({"learning_rate": math.inf}, ValueError, "learning_rate must be finite"),
        ({"learning_rate": math.nan}, ValueError, "learning_rate must be finite"),
        ({"learning_rate": "0.1"}, TypeError, "learning_rate must be a real number, got str"),
        ({"momentum": 1.0}, ValueError, r"momentum must be in \[0, 1\), got 1.0"),
        ({"momentum": -0.5}, ValueError, r"momentum must be in \[0, 1\), got -0.5"),
        ({"momentum": math.nan}, ValueError, "momentum must be finite, got nan"),
        ({"momentum": None}, TypeError, "momentum must be a real number"),
        ({"penalty": 0.1}, TypeError, "penalty must be callable or None, got float"),
        ({"test_data": X}, ValueError, "give both test_data and test_labels"),
        (
            {"test_data": X, "test_labels": Y[:1]},
            ValueError,
            "test_data and test_labels must have the same number of rows, got 2 and 1",
        ),
    ],
)
def test_train_rejects_bad_options(kwargs, error, message):
    with pytest.raises(error, match=message):
        train(_scalar_net(), nn.MSELoss(), X, Y, **kwargs)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "args, error, message",
    [
        (("net", nn.MSELoss(), X, Y), TypeError, "net must be a torch.nn.Module, got str"),
        ((None, nn.MSELoss(), X, Y), TypeError, "net must be a torch.nn.Module"),
        ((_scalar_net(), "mse", X, Y), TypeError, "loss_fn must be callable, got str"),
        (
            (_scalar_net(), nn.MSELoss(), [[1.0]], Y),
            TypeError,
            "train_data must be a torch.Tensor, got list",
        ),
        (
            (_scalar_net(), nn.MSELoss(), X, Y[:1]),
            ValueError,
            "train_data and train_labels must have the same number of rows, got 2 and 1",
        ),
        (
            (_scalar_net(), nn.MSELoss(), X[:0], Y[:0]),
            ValueError,
            "train_data must have at least one row",
        ),
        (
            (_scalar_net(), nn.MSELoss(), torch.tensor(1.0), Y),
            ValueError,
            r"train_data must have at least one row, got shape \(\)",
        ),
    ],
)
def test_train_rejects_bad_data(args, error, message):
    with pytest.raises(error, match=message):
        train(*args)


@pytest.mark.bad_input
def test_loss_and_penalty_must_be_scalars():
    net = _scalar_net()
    with pytest.raises(ValueError, match=r"loss_fn must return a scalar tensor, got \(2, 1\)"):
        evaluate_loss(net, nn.MSELoss(reduction="none"), X, Y)
    with pytest.raises(ValueError, match="penalty must return a scalar tensor, got float"):
        evaluate_loss(net, nn.MSELoss(), X, Y, penalty=lambda n: 0.5)


@pytest.mark.bad_input
def test_gradient_step_needs_an_optimizer():
    net = _scalar_net()
    with pytest.raises(TypeError, match="optimizer must be a torch.optim.Optimizer, got float"):
        gradient_step(net, nn.MSELoss(), X, Y, 0.1)
    with pytest.raises(ValueError, match="data and labels must have the same number of rows"):
        gradient_step(net, nn.MSELoss(), X, Y[:1], optim.SGD(net.parameters(), lr=0.1))
