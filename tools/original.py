"""The original course's procedures, restated plainly: what the package must reproduce.

Each function here does what a notebook of the original course (Neuromatch Academy's "Deep
learning" day) does, step by step, in plain PyTorch and NumPy and independently of ``nma_dl``
(the networks to train are handed in: built here, or the package's where the original's class
is the package's). They are the one reference for

* ``tests/package/test_fidelity.py``: Tutorial 1 (split, ReLU network, draws, full-batch gradient
  descent) and the bonus tutorial's classes and regularised training, number for number;
* ``tests/package/test_t4_fidelity.py`` and ``tools/t4_speed.py`` (``make speed``): the bonus
  tutorial's classifiers and encoder, their losses and accuracies, and how long they take.

Nothing here is tuned: a restatement is only useful if it stays what the original does, so a
change to one of these functions must be a change in what the original course does.
"""

import numpy as np
import torch
from torch import nn, optim

# --------------------------------------------------------------------------- Tutorial 1


class ReLUNet(nn.Module):
    """The original's deep network: ``nn.Linear``, ReLU, ``nn.Linear`` to one output."""

    def __init__(self, n_in, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_in, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)

    def forward(self, x):
        return self.out_layer(torch.relu(self.in_layer(x)))


def split(resp, stimuli):
    """The original's train/test split: seed 4, ``torch.randperm``, 60 % for training."""
    np.random.seed(4)  # noqa: NPY002 (the original seeds NumPy's global generator)
    torch.manual_seed(4)
    n_train = int(0.6 * resp.shape[0])
    shuffled = torch.randperm(resp.shape[0])
    train_rows, test_rows = shuffled[:n_train], shuffled[n_train:]
    return resp[train_rows], resp[test_rows], stimuli[train_rows], stimuli[test_rows]


def gradient_descent(net, data, labels, n_epochs=50, lr=1e-4):
    """The original's ``train``: full-batch ``optim.SGD`` on the MSE, five lines printed.

    Returns the loss of every iteration and the lines the original prints (not printed here).
    """
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


# --------------------------------------------------------------------------- the bonus tutorial


def stimulus_classes(ori, n_classes):
    """The original's classes: ``np.digitize`` over ``n_classes`` equal bins of [0, 360)."""
    edges = np.linspace(0, 360, n_classes + 1)
    return torch.tensor(np.digitize(ori.squeeze(), edges)) - 1


def classifier(n_in, n_hidden, n_classes):
    """The bonus tutorial's classifier as layers: linear, ReLU, linear, log-softmax."""
    return nn.Sequential(
        nn.Linear(n_in, n_hidden), nn.ReLU(), nn.Linear(n_hidden, n_classes), nn.LogSoftmax(dim=1)
    )


def penalized_nll(out, target, weights, L2_penalty, L1_penalty):
    """The bonus tutorial's classification loss, its penalties added as ``loss += L1 + L2``.

    :func:`regularized_loss` is the same loss summed as ``loss + L2 + L1``; each comparison
    keeps the order it was written with, as floating-point sums depend on it.
    """
    loss = nn.NLLLoss()(out, target)
    loss += L1_penalty * torch.abs(weights).sum() + L2_penalty * torch.square(weights).sum()
    return loss


def train_with_test_loss(net, loss_fn, train_data, train_labels, test_data, test_labels,
                         n_epochs, lr):  # fmt: skip
    """The bonus tutorial's ``train``: ``optim.SGD``, the test loss after every step.

    ``loss_fn(net, out, labels)`` is the loss of the outputs ``out`` (penalties included).
    Returns the training and the test loss of every iteration.
    """
    opt = optim.SGD(net.parameters(), lr=lr)
    train_loss, test_loss = [], []
    for _ in range(n_epochs):
        loss = loss_fn(net, net(train_data), train_labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        train_loss.append(loss.item())
        test_loss.append(loss_fn(net, net(test_data), test_labels).item())
    return train_loss, test_loss


def regularized_loss(output, target, weights, L2_penalty=0, L1_penalty=0):
    """The original's classification loss, penalties through autograd (``loss + L2 + L1``)."""
    loss = nn.NLLLoss()(output, target)
    return loss + L2_penalty * (weights**2).sum() + L1_penalty * weights.abs().sum()


def regularized_MSE_loss(output, target, weights=None, L2_penalty=0, L1_penalty=0):
    """The original's encoding loss, penalties through autograd."""
    loss = nn.MSELoss()(output, target)
    if weights is not None:
        loss = loss + L2_penalty * torch.square(weights).sum() + L1_penalty * weights.abs().sum()
    return loss


def decode(net, loss_fn, train_data, train_classes, test_data, test_classes, n_iter,
           L2_penalty=0, L1_penalty=0):  # fmt: skip
    """The original's ``train`` (lr 0.1, test loss every step with a graph) and scoring."""
    optimizer = optim.SGD(net.parameters(), lr=0.1)
    regularized = L2_penalty != 0 or L1_penalty != 0
    train_loss, test_loss = [], []
    for _ in range(n_iter):
        out = net(train_data)
        if regularized:
            loss = loss_fn(out, train_classes, net.in_layer.weight, L2_penalty, L1_penalty)
        else:
            loss = loss_fn(out, train_classes)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
        out_test = net(test_data)
        if regularized:
            loss_test = loss_fn(
                out_test, test_classes, net.in_layer.weight, L2_penalty, L1_penalty
            )
        else:
            loss_test = loss_fn(out_test, test_classes)
        test_loss.append(loss_test.item())
    predicted = net(test_data).detach().cpu().argmax(dim=1)  # the original's np.argmax
    frac_correct = float((predicted == test_classes.cpu()).sum() / len(test_classes))
    return train_loss, test_loss, predicted, frac_correct


def encode(net, train_data, train_labels, test_data, test_labels, learning_rate=2,
           n_iter=200, L2_penalty=5e-4, L1_penalty=1e-6):  # fmt: skip
    """The original encoder's ``train`` (its ``self.optimizer`` bug left out)."""
    optimizer = optim.SGD(net.parameters(), lr=learning_rate, momentum=0.9)
    train_loss = np.nan * np.zeros(n_iter)
    test_loss = np.nan * np.zeros(n_iter)
    for i in range(n_iter):
        y_pred = net(train_data)
        weights = net.out_layer.weight
        loss = regularized_MSE_loss(y_pred, train_labels, weights, L2_penalty, L1_penalty)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss[i] = loss.item()
        if (i + 1) % (n_iter // 10) == 0 or i == 0:
            y_pred = net(test_data)
            loss = regularized_MSE_loss(y_pred, test_labels, weights, L2_penalty, L1_penalty)
            test_loss[i] = loss.item()
    return train_loss, test_loss


def max_relative_difference(a, b):
    """Largest ``|a - b| / |b|`` over the entries where both are recorded (not NaN)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    recorded = ~np.isnan(b)
    if not np.array_equal(recorded, ~np.isnan(a)):
        return float("inf")
    return float(np.max(np.abs(a[recorded] - b[recorded]) / np.abs(b[recorded])))
