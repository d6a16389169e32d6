"""Mini-batch classification on the spiral data: trainer, accuracy and decision map."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

from nma_dl.data.toy import (
    create_spiral_dataset,
    make_loaders,
    sample_grid,
    shuffle_and_split_data,
)
from nma_dl.models import Net
from nma_dl.plotting import plot_decision_map, plot_spiral
from nma_dl.training import accuracy, train_test_classification

SEED = 2021


def _spiral_loaders(n=1000, seed=SEED):
    torch.manual_seed(seed)
    X, y = create_spiral_dataset(4, 0.16, n)
    X_test, y_test, X_train, y_train = shuffle_and_split_data(X, y, seed=seed)
    loaders = make_loaders(X_train, y_train, X_test, y_test, batch_size=128, seed=seed)
    return loaders, (X_test, y_test)


@pytest.fixture(scope="module")
def trained(spiral_net):
    """The tutorial's run (conftest.py): Net('ReLU()', 2, [128], 4), Adam 1e-3, 100 epochs,
    batches of 128."""
    return spiral_net.net, spiral_net.accs, (spiral_net.X_test, spiral_net.y_test)


def test_the_tutorial_settings_reach_95_percent_on_test_data(trained):
    net, (train_acc, test_acc), _ = trained
    assert test_acc >= 95, test_acc
    assert train_acc >= 95, train_acc
    assert not net.training  # left in evaluation mode


def test_accuracy_counts_samples_and_matches_a_direct_computation(trained):
    net, (_, test_acc), (X_test, y_test) = trained
    loader = DataLoader(TensorDataset(X_test, y_test), batch_size=100)
    total, acc = accuracy(net, loader)
    direct = (net(X_test).argmax(1) == y_test).float().mean().item() * 100
    assert total == 800 and acc == pytest.approx(direct) and acc == pytest.approx(test_acc)


def test_training_is_deterministic_and_prints(capsys):
    results = []
    for _ in range(2):
        (train_loader, test_loader), _ = _spiral_loaders(n=100)
        torch.manual_seed(0)
        net = Net("ReLU()", 2, [16], 4)
        results.append(
            train_test_classification(
                net,
                nn.CrossEntropyLoss(),
                optim.Adam(net.parameters(), lr=1e-2),
                train_loader,
                test_loader,
                num_epochs=3,
                verbose=True,
            )
        )
    assert results[0] == results[1]
    out = capsys.readouterr().out
    assert "Accuracy on the 256 training samples" in out  # 320 with the last batch dropped
    assert "Accuracy on the 80 testing samples" in out


def test_training_plot_draws_one_loss_per_batch():
    (train_loader, test_loader), _ = _spiral_loaders(n=100)
    net = Net("ReLU()", 2, [8], 4)
    train_test_classification(
        net,
        nn.CrossEntropyLoss(),
        optim.SGD(net.parameters(), lr=0.1),
        train_loader,
        test_loader,
        num_epochs=2,
        verbose=False,
        training_plot=True,
    )
    (line,) = plt.gcf().axes[0].lines
    assert len(line.get_xdata()) == 2 * len(train_loader)


@pytest.mark.bad_input
def test_trainer_rejects_bad_arguments():
    (train_loader, test_loader), _ = _spiral_loaders(n=20)
    net = Net("ReLU()", 2, [4], 4)
    opt = optim.SGD(net.parameters(), lr=0.1)
    loss = nn.CrossEntropyLoss()
    cases = [
        (dict(net="net"), TypeError, "net must be a torch.nn.Module"),
        (dict(criterion=1), TypeError, "criterion must be callable"),
        (dict(optimizer="adam"), TypeError, "optimizer must be a torch.optim.Optimizer"),
        (dict(train_loader=[(1, 2)]), TypeError, "train_loader must be a torch.utils.data"),
        (dict(test_loader=None), TypeError, "test_loader must be a torch.utils.data"),
        (dict(num_epochs=0), ValueError, "num_epochs must be finite and > 0"),
        (dict(num_epochs=1.5), TypeError, "num_epochs must be an int"),
        (dict(verbose="yes"), TypeError, "verbose must be a bool"),
        (dict(training_plot=1), TypeError, "training_plot must be a bool"),
        (dict(device=0), TypeError, "device must be a str"),
        (dict(device="gpu0"), ValueError, "device must name a torch device"),
    ]
    base = dict(
        net=net,
        criterion=loss,
        optimizer=opt,
        train_loader=train_loader,
        test_loader=test_loader,
        num_epochs=1,
        verbose=False,
    )
    for change, error, match in cases:
        with pytest.raises(error, match=match):
            train_test_classification(**{**base, **change})


@pytest.mark.bad_input
def test_empty_loaders_are_reported():
    net = Net("ReLU()", 2, [4], 4)
    tiny = DataLoader(
        TensorDataset(torch.zeros(3, 2), torch.zeros(3)), batch_size=8, drop_last=True
    )
    with pytest.raises(ValueError, match="train_loader yielded no batch"):
        train_test_classification(
            net,
            nn.CrossEntropyLoss(),
            optim.SGD(net.parameters(), lr=1),
            tiny,
            tiny,
            verbose=False,
        )
    with pytest.raises(ValueError, match="at least one sample"):
        accuracy(net, tiny)


def test_decision_map_matches_the_network_and_marks_test_points(trained):
    net, _, (X_test, y_test) = trained
    M, x_max = 101, 2.0
    X_all = sample_grid(M, x_max)
    with torch.no_grad():
        y_pred = net(X_all)
    fig, ax = plt.subplots()
    image = plot_decision_map(X_all, y_pred, X_test[:0], y_test[:0], M=M, x_max=x_max, ax=ax)
    decision = np.asarray(image.get_array())
    assert decision.shape == (M, M)
    # row = x2 index (origin lower), column = x1 index: the grid point (x1, x2) = X_all[i*M + j]
    i, j = 70, 20
    assert decision[j, i] == y_pred[i * M + j].argmax().item()
    assert set(np.unique(decision)) <= {0, 1, 2, 3}
    # with test points: their cells get the strong colours 4..7
    image = plot_decision_map(X_all, y_pred, X_test, y_test, M=M, x_max=x_max, ax=ax)
    marked = np.asarray(image.get_array())
    assert set(np.unique(marked)) - {0, 1, 2, 3} == {4, 5, 6, 7}


def test_plot_spiral_scatter():
    X, y = create_spiral_dataset(4, 0.1, 10)
    ax = plot_spiral(X, y, title="spiral")
    (points,) = ax.collections
    assert len(points.get_offsets()) == 40 and ax.get_title() == "spiral"


@pytest.mark.bad_input
def test_plots_reject_bad_inputs():
    grid = sample_grid(10, 2.0)
    with pytest.raises(ValueError, match="X_all must hold M\\*M = 400"):
        plot_decision_map(grid, torch.zeros(100, 4), torch.zeros(1, 2), torch.zeros(1), M=20)
    with pytest.raises(ValueError, match="y_pred must have shape"):
        plot_decision_map(grid, torch.zeros(100), torch.zeros(1, 2), torch.zeros(1), M=10)
    with pytest.raises(ValueError, match="y_test must be < n_classes"):
        plot_decision_map(grid, torch.zeros(100, 2), torch.zeros(1, 2), torch.tensor([3]), M=10)
    with pytest.raises(ValueError, match="M must be an int >= 2"):
        plot_decision_map(grid, torch.zeros(100, 2), torch.zeros(1, 2), torch.zeros(1), M=1.5)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        plot_spiral(torch.zeros(5, 3), torch.zeros(5))
    with pytest.raises(ValueError, match="y must hold one label per point"):
        plot_spiral(torch.zeros(5, 2), torch.zeros(4))
    with pytest.raises(ValueError, match="class indices"):
        plot_spiral(torch.zeros(2, 2), torch.tensor([0.5, 1.0]))
