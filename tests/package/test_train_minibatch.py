"""nma_dl.training.train with mini-batches: reshuffled each epoch; full batch as before."""

import pytest
import torch
from torch import nn, optim

from nma_dl.training import evaluate_loss, train


def _problem(n=20, seed=0):
    generator = torch.Generator().manual_seed(seed)
    data = torch.randn(n, 3, generator=generator)
    labels = data @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    return data, labels


def _net(seed=3):
    torch.manual_seed(seed)
    return nn.Linear(3, 1)


def _hand_loop(net, data, labels, n_epochs, lr, momentum, batch_size, seed):
    """The same training written out: one permutation per epoch, one SGD step per slice."""
    generator = torch.Generator().manual_seed(seed)
    optimizer = optim.SGD(net.parameters(), lr=lr, momentum=momentum)
    epoch_losses = []
    for _ in range(n_epochs):
        order = torch.randperm(len(data), generator=generator)
        total = 0.0
        for start in range(0, len(data), batch_size):
            rows = order[start : start + batch_size]
            loss = nn.MSELoss()(net(data[rows]), labels[rows])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(rows)
        epoch_losses.append(total / len(data))
    return epoch_losses


@pytest.mark.parametrize("batch_size", [1, 6, 20, 50])
def test_minibatches_match_a_hand_loop(capsys, batch_size):
    data, labels = _problem()
    net, ref = _net(), _net()
    losses = train(
        net,
        nn.MSELoss(),
        data,
        labels,
        n_epochs=4,
        learning_rate=0.01,
        momentum=0.9,
        batch_size=batch_size,
        generator=torch.Generator().manual_seed(7),
    )
    expected = _hand_loop(ref, data, labels, 4, 0.01, 0.9, batch_size, seed=7)
    assert losses == pytest.approx(expected, rel=1e-6)
    assert torch.allclose(net.weight, ref.weight, atol=1e-6)
    assert len(losses) == 4  # one value per epoch, however many steps


def test_every_epoch_draws_a_new_order():
    data, labels = _problem(n=12)
    seen = []

    class Recorder(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 1)

        def forward(self, x):
            seen.append(x[:, 0].clone())
            return self.lin(x)

    train(
        Recorder(),
        nn.MSELoss(),
        data,
        labels,
        n_epochs=3,
        learning_rate=1e-3,
        batch_size=12,
        generator=torch.Generator().manual_seed(0),
    )
    # each epoch sees every row once, and the three orders differ
    for order in seen:
        assert torch.equal(order.sort().values, data[:, 0].sort().values)
    assert not torch.equal(seen[0], seen[1]) and not torch.equal(seen[1], seen[2])


def test_steps_per_epoch(capsys):
    data, labels = _problem(n=25)
    calls = []
    net = nn.Linear(3, 1)
    net.register_forward_hook(lambda m, i, o: calls.append(len(i[0])))
    train(net, nn.MSELoss(), data, labels, n_epochs=2, learning_rate=1e-3, batch_size=10)
    assert calls == [10, 10, 5, 10, 10, 5]


def test_global_generator_makes_runs_repeat(capsys):
    data, labels = _problem()
    runs = []
    for _ in range(2):
        net = _net()
        torch.manual_seed(11)
        runs.append(train(net, nn.MSELoss(), data, labels, n_epochs=3, batch_size=4))
    assert runs[0] == runs[1]


def test_full_batch_default_is_unchanged_and_draws_nothing(capsys):
    data, labels = _problem(n=16)
    net, ref = _net(), _net()
    torch.manual_seed(0)
    before = torch.get_rng_state()
    losses = train(net, nn.MSELoss(), data, labels, n_epochs=5, learning_rate=0.05, momentum=0.5)
    assert torch.equal(torch.get_rng_state(), before)
    optimizer = optim.SGD(ref.parameters(), lr=0.05, momentum=0.5)
    expected = []
    for _ in range(5):
        loss = nn.MSELoss()(ref(data), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        expected.append(loss.item())
    assert losses == expected  # bit for bit
    assert torch.equal(net.weight, ref.weight)


def test_minibatches_with_test_data(capsys):
    data, labels = _problem(n=30)
    test_data, test_labels = _problem(n=10, seed=1)
    net = _net()
    train_loss, test_loss = train(
        net,
        nn.MSELoss(),
        data,
        labels,
        n_epochs=10,
        learning_rate=0.05,
        batch_size=8,
        test_data=test_data,
        test_labels=test_labels,
    )
    assert len(train_loss) == len(test_loss) == 10
    assert test_loss[-1] == evaluate_loss(net, nn.MSELoss(), test_data, test_labels)
    assert test_loss[-1] < test_loss[0]


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch_size": 0}, ValueError, "batch_size must be a positive int or None, got 0"),
        ({"batch_size": 2.0}, TypeError, "batch_size must be an int, got float"),
        ({"batch_size": True}, TypeError, "batch_size must be an int, got bool"),
        ({"generator": 3}, TypeError, "generator must be a torch.Generator or None, got int"),
    ],
)
def test_minibatch_options_are_checked(kwargs, error, message):
    data, labels = _problem(n=4)
    with pytest.raises(error, match=message):
        train(nn.Linear(3, 1), nn.MSELoss(), data, labels, **kwargs)
