"""Fit a network by gradient descent, one small piece at a time.

:func:`gradient_step` is one iteration (forward, loss, clear gradients,
backward, update) and :func:`evaluate_loss` measures a loss without training.
:func:`train` loops over them for full-batch gradient descent, the way the
decoding tutorial does, or over mini-batches reshuffled every epoch
(``batch_size=``), the way the encoding-model tutorial does. Trainers with
other needs (a DataLoader, a progress bar, another optimizer) reuse the two
pieces::

    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    for data, labels in loader:
        gradient_step(net, loss_fn, data, labels, optimizer)

A *penalty* is any function of the network that returns a scalar tensor
added to the loss, e.g. an L2 penalty on the input weights::

    penalty = lambda net: 1e-2 * net.in_layer.weight.square().sum()

:func:`decode_orientation` trains the bonus tutorial's classifier of orientation bins the way
the original course does (its encoder's trainer, :func:`nma_dl.train_encoder`, is in
:mod:`nma_dl.encoding`).
"""

import math
from collections.abc import Callable

import torch
from torch import nn, optim

from nma_dl._validate import (
    require,
    validate_device,
    validate_dtype,
    validate_instance,
    validate_int,
    validate_linear_layer,
    validate_pair,
    validate_penalties,
    validate_real,
    validate_real_dtype,
    validate_responses,
    validate_same_rows,
    validate_steps,
    validate_tensor,
)
from nma_dl.device import module_device

__all__ = [
    "accuracy",
    "decode_orientation",
    "evaluate_loss",
    "gradient_step",
    "train",
    "train_test_classification",
]


def _validate_batch(net, loss_fn, data, labels, penalty, names=("data", "labels")):
    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    validate_instance(loss_fn, Callable, "loss_fn", "callable")
    validate_instance(penalty, (Callable, type(None)), "penalty", "callable or None")
    for value, name in zip((data, labels), names, strict=True):
        validate_tensor(value, name)
        if value.ndim == 0 or len(value) == 0:
            raise ValueError(f"{name} must have at least one row, got shape {tuple(value.shape)}")
        _validate_values(value, name)
    validate_same_rows(data, labels, names)
    _validate_parameters(net, finite=False)


_POSITIVE = "finite and > 0"
_TRAIN, _TEST = ("train_data", "train_labels"), ("test_data", "test_labels")
_BATCH = ("inputs of a batch of train_loader", "labels of a batch of train_loader")

#: What one gradient step (forward, loss, backward, update: dozens of tensor operations run from
#: Python) counts for in the limit of :func:`nma_dl._validate.validate_steps`, whose step is about
#: one iteration of a plain Python loop: the default limit of 1e7 allows 1e5 gradient steps.
_STEP_COST = 100


def _validate_gradient_steps(n_steps, what):
    """Refuse a training of more than the limit's gradient steps before the first one."""
    validate_steps(
        _STEP_COST * n_steps,
        f"{what} ({n_steps:.3g} gradient steps, each counted as {_STEP_COST} steps)",
    )


def _validate_values(value, name):
    # A meta tensor has a shape but no numbers: every reduction or copy of it fails deep in torch.
    if value.is_meta:
        raise ValueError(
            f"{name} must hold numbers, got a meta tensor (device='meta': a shape without "
            f"values); make it on 'cpu' or 'cuda' instead"
        )


def _validate_parameters(net, *, finite=True):
    """Refuse a network with meta parameters or, if ``finite``, with NaN or inf in them."""
    for pname, param in net.named_parameters():
        if param.is_meta:
            raise ValueError(
                f"net must have parameters with values, but net.{pname} is a meta tensor "
                "(built with device='meta'); build the network on 'cpu' or 'cuda', or give it "
                "values with net.to_empty(device='cpu') and an initialisation"
            )
        if finite and param.is_floating_point() and not torch.isfinite(param).all():
            raise ValueError(
                f"net's parameters must be finite, but net.{pname} holds nan or inf: a network "
                "left so by a training that diverged? Build a new one"
            )


def _validate_finite(value, name, where=""):
    """Refuse NaN and inf in a floating-point tensor, naming the first bad row or column.

    A column of a 2-d tensor that is NaN or inf in every row (while the others are not) is
    named as such: it is typically a neuron that never varies, z-scored (0 / 0).
    """
    if not value.is_floating_point():
        return
    bad = ~torch.isfinite(value)
    if not bad.any():
        return
    if value.ndim == 2 and len(value) > 1:
        whole = bad.all(dim=0)
        columns = whole.nonzero()[:, 0].tolist()
        if columns and not whole.all():
            col, others = columns[0], len(columns) - 1
            kind = "nan" if torch.isnan(value[:, col]).any() else "inf"
            more = f" (and {others} other column{'s' * (others > 1)})" if others else ""
            raise ValueError(
                f"{name} must be finite, got {kind} in every row of column {col}{more}{where}: "
                f"a neuron that never varies, z-scored (0 / 0 = nan)? Drop such columns from "
                f"the training and test data first, e.g. keep = {name}.isfinite().all(0), "
                f"then {name}[:, keep]"
            )
    rows = bad.reshape(len(value), -1).any(dim=1)
    row = int(rows.nonzero()[0, 0])
    kind = "nan" if torch.isnan(value[row]).any() else "inf"
    column = f", column {int(bad[row].nonzero()[0, 0])}" if value.ndim == 2 else ""
    raise ValueError(
        f"{name} must be finite, got {kind} in row {row}{column}{where}: training on it would "
        "make the loss and every weight NaN; drop or fix those rows first"
    )


def _forward(net, data, name):
    """Return ``net(data)``; a failure caused by the data (shape, dtype, device) names ``name``."""
    try:
        return net(data)
    except ValueError as error:  # the network's own check of its input, e.g. a wrong width
        raise ValueError(f"{name} does not fit the network: {error}") from error
    except (RuntimeError, TypeError) as error:
        # torch's own message ("mat1 and mat2 must have the same dtype") names no argument.
        ref = next((p for p in net.parameters() if p.is_floating_point()), None)
        if ref is None:
            raise
        if data.device != ref.device:
            raise ValueError(
                f"{name} must be on the network's device {ref.device}, got {data.device} "
                f"(move it with {name}.to({str(ref.device)!r}))"
            ) from error
        try:
            validate_dtype(data, name, ref.dtype)
        except TypeError as clear:
            raise clear from error
        raise


class _NonFiniteLoss(ValueError):
    """The loss of a step is NaN or inf (training diverged, or the data are not finite)."""

    def __init__(self, value):
        self.value = value
        super().__init__(
            f"the loss is {value}: gradient descent has diverged (try a smaller learning rate) "
            "or the data or labels hold NaN or inf; no update was made"
        )


def _validate_optimizer(optimizer, net):
    # An optimizer built over another module's parameters updates nothing of net: the loss
    # never changes and no error says why.
    own = {id(p) for p in net.parameters()}
    theirs = [p for group in optimizer.param_groups for p in group["params"]]
    if own and theirs and not any(id(p) in own for p in theirs):
        raise ValueError(
            "optimizer must update the network's parameters (build it from net.parameters()), "
            "but its parameters are not the network's"
        )


def _validate_scalar(value, name):
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        got = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
        raise ValueError(f"{name} must return a scalar tensor, got {got}")


# Losses whose targets must match the output's shape, and losses that take class indices.
_REGRESSION_LOSSES = (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss)
_CLASS_LOSSES = (nn.CrossEntropyLoss, nn.NLLLoss)


def _validate_targets(loss_fn, output, labels):
    # Caught here because torch would broadcast (n,) against (n, 1) to (n, n) with only a
    # warning, or fail with an error that does not say which argument is wrong.
    if isinstance(loss_fn, _REGRESSION_LOSSES) and labels.shape != output.shape:
        raise ValueError(
            f"labels must have the network output's shape {tuple(output.shape)} for "
            f"{type(loss_fn).__name__}, got {tuple(labels.shape)}"
        )
    if isinstance(loss_fn, _CLASS_LOSSES):
        _validate_class_targets(loss_fn, output, labels)
    elif isinstance(output, torch.Tensor) and labels.is_floating_point():
        # A custom loss: (n, 1) - (n,) silently becomes an (n, n) matrix and a wrong number.
        try:
            both = tuple(torch.broadcast_shapes(output.shape, labels.shape))
        except RuntimeError:
            return
        if both not in (tuple(output.shape), tuple(labels.shape)):
            raise ValueError(
                f"labels of shape {tuple(labels.shape)} and the network output of shape "
                f"{tuple(output.shape)} would broadcast to {both} in loss_fn, a wrong loss; "
                f"give labels the output's shape, e.g. labels.reshape{tuple(output.shape)}"
            )


def _validate_class_targets(loss_fn, output, labels):
    name = type(loss_fn).__name__
    if labels.dtype.is_floating_point or labels.dtype.is_complex or labels.dtype == torch.bool:
        raise TypeError(
            f"labels must hold integer class indices (e.g. torch.int64) for {name}, got dtype "
            f"{labels.dtype}"
        )
    if not isinstance(output, torch.Tensor) or output.ndim != 2:
        return  # (N, C, d1, ...) outputs: let torch check them
    n, n_classes = output.shape
    if tuple(labels.shape) != (n,):
        raise ValueError(
            f"labels must have shape ({n},): one class index per row of the output of shape "
            f"{(n, n_classes)} for {name}, got {tuple(labels.shape)}"
            + (" (use labels.reshape(-1))" if labels.numel() == n else "")
        )
    ignored = getattr(loss_fn, "ignore_index", None)
    counted = labels[labels != ignored] if ignored is not None else labels
    if counted.numel() and (counted.min() < 0 or counted.max() >= n_classes):
        raise ValueError(
            f"labels must be class indices in [0, {n_classes - 1}] for the {n_classes} outputs "
            f"of the network ({name}), got values from {counted.min().item()} to "
            f"{counted.max().item()}"
        )


def _loss(net, loss_fn, data, labels, penalty, name="data"):
    output = _forward(net, data, name)
    _validate_targets(loss_fn, output, labels)
    loss = loss_fn(output, labels)
    _validate_scalar(loss, "loss_fn")
    if penalty is not None:
        extra = penalty(net)
        _validate_scalar(extra, "penalty")
        loss = loss + extra
    return loss


def gradient_step(net, loss_fn, data, labels, optimizer, penalty=None):
    """Take one step of gradient descent on a batch of data.

    Parameters
    ----------
    net : torch.nn.Module
        The network whose parameters ``optimizer`` updates.
    loss_fn : callable
        ``loss_fn(output, labels)`` returns a scalar tensor, e.g. ``nn.MSELoss()``.
    data : torch.Tensor
        Inputs, one row per sample.
    labels : torch.Tensor
        Targets, as many rows as ``data``.
    optimizer : torch.optim.Optimizer
        Optimizer over ``net.parameters()``.
    penalty : callable, optional
        ``penalty(net)`` returns a scalar tensor added to the loss (regularization).

    Returns
    -------
    float
        The loss before the update (penalty included).

    Raises
    ------
    ValueError
        If the loss is NaN or inf (nothing is updated then), if ``optimizer`` holds none of
        ``net``'s parameters, or if the labels cannot be targets of ``loss_fn`` (class indices
        out of range, a shape that would broadcast to a wrong loss).
    """
    return _gradient_step(net, loss_fn, data, labels, optimizer, penalty, ("data", "labels"))


def _gradient_step(net, loss_fn, data, labels, optimizer, penalty, names):
    """:func:`gradient_step`, its errors naming the data and labels ``names``."""
    _validate_batch(net, loss_fn, data, labels, penalty, names)
    validate_instance(optimizer, optim.Optimizer, "optimizer", "a torch.optim.Optimizer")
    loss = _loss(net, loss_fn, data, labels, penalty, names[0])  # errors of the data first
    _validate_optimizer(optimizer, net)
    if not torch.isfinite(loss.detach()).all():
        raise _NonFiniteLoss(loss.item())
    optimizer.zero_grad()  # gradients accumulate in PyTorch unless cleared
    loss.backward()
    optimizer.step()
    return loss.item()


def evaluate_loss(net, loss_fn, data, labels, penalty=None):
    """Loss of a network on some data, without tracking gradients.

    Parameters
    ----------
    net, loss_fn, data, labels, penalty
        As in :func:`gradient_step`.

    Returns
    -------
    float
        The loss (penalty included).
    """
    return _evaluate_loss(net, loss_fn, data, labels, penalty, ("data", "labels"))


def _evaluate_loss(net, loss_fn, data, labels, penalty, names):
    """:func:`evaluate_loss`, its errors naming the data and labels ``names``."""
    _validate_batch(net, loss_fn, data, labels, penalty, names)
    with torch.no_grad():
        return _loss(net, loss_fn, data, labels, penalty, names[0]).item()


def train(
    net,
    loss_fn,
    train_data,
    train_labels,
    n_epochs=50,
    learning_rate=1e-4,
    *,
    test_data=None,
    test_labels=None,
    penalty=None,
    momentum=0.0,
    batch_size=None,
    generator=None,
):
    """Fit a network by gradient descent, full-batch (default) or with mini-batches.

    Each iteration (epoch) computes the loss on all of ``train_data``,
    clears the old gradients, backpropagates and updates every parameter
    with ``torch.optim.SGD``. With ``batch_size``, an epoch instead shuffles
    the training rows and takes one such step per mini-batch of that many
    rows (the last one may be smaller). Progress is printed when the
    iteration number is a multiple of ``n_epochs // 5`` (five lines when
    ``n_epochs`` is a multiple of 5; every iteration when ``n_epochs < 10``).

    Parameters
    ----------
    net : torch.nn.Module
        The network to train; its parameters change in place.
    loss_fn : callable
        ``loss_fn(output, labels)`` returns a scalar tensor, e.g. ``nn.MSELoss()``.
    train_data : torch.Tensor
        Inputs, one row per sample, e.g. (n_train, n_neurons) responses.
    train_labels : torch.Tensor
        Targets with as many rows, e.g. (n_train, 1) orientations.
    n_epochs : int, default=50
        Number of iterations of gradient descent.
    learning_rate : float, default=1e-4
        Step size of SGD.
    test_data, test_labels : torch.Tensor, optional
        Held-out data; if given, the test loss is measured after every update
        and returned too.
    penalty : callable, optional
        ``penalty(net)`` returns a scalar tensor added to the loss (train and test).
    momentum : float, default=0.0
        Momentum of SGD (0: plain gradient descent).
    batch_size : int, optional
        Rows per mini-batch, the rows reshuffled every epoch; ``None`` (default): full batch,
        one step per epoch and no random numbers drawn.
    generator : torch.Generator, optional
        Source of the shuffles when ``batch_size`` is given; torch's global generator (seed it
        with :func:`nma_dl.set_seed`) if omitted.

    Raises
    ------
    ValueError
        Before training, if the data or labels hold NaN or inf (naming the row); during it, if
        the loss becomes NaN or inf (naming the iteration: try a smaller learning rate).

    Returns
    -------
    train_loss : list of float
        The training loss at each iteration, before that iteration's update; with
        ``batch_size``, the mean over the epoch's mini-batches, each weighted by its rows.
    test_loss : list of float
        Only if ``test_data`` is given: the test loss after each epoch's update(s).

    Examples
    --------
    >>> from nma_dl import DeepNetReLU, set_seed
    >>> seed = set_seed(0)
    Random seed 0 has been set.
    >>> r = torch.randn(20, 5)
    >>> net = DeepNetReLU(5, 10)
    >>> train_loss = train(net, nn.MSELoss(), r, r.sum(1, keepdim=True), 10, learning_rate=1e-2)
    iteration 2/10 | loss: 5.651
    iteration 4/10 | loss: 5.410
    iteration 6/10 | loss: 5.180
    iteration 8/10 | loss: 4.954
    iteration 10/10 | loss: 4.729
    """
    n_epochs, learning_rate, momentum, batch_size = _train_arguments(
        net,
        loss_fn,
        (train_data, train_labels),
        (test_data, test_labels),
        penalty,
        n_epochs,
        learning_rate,
        momentum,
        batch_size,
        generator,
    )
    optimizer = optim.SGD(net.parameters(), lr=learning_rate, momentum=momentum)
    report_every = max(n_epochs // 5, 1)
    train_loss, test_loss = [], []
    for i in range(n_epochs):
        try:
            if batch_size is None:
                loss = _gradient_step(
                    net, loss_fn, train_data, train_labels, optimizer, penalty, _TRAIN
                )
            else:
                loss = _minibatch_epoch(
                    net,
                    loss_fn,
                    train_data,
                    train_labels,
                    optimizer,
                    penalty,
                    batch_size,
                    generator,
                )
        except _NonFiniteLoss as error:  # the data are finite (checked): the steps diverged
            raise _diverged(error.value, i, n_epochs, learning_rate) from None
        train_loss.append(loss)
        line = f"iteration {i + 1}/{n_epochs} | loss: {loss:.3f}"
        if test_data is not None:
            test_loss.append(_evaluate_loss(net, loss_fn, test_data, test_labels, penalty, _TEST))
            line += f" | test_loss: {test_loss[-1]:.3f}"
        if (i + 1) % report_every == 0:
            print(line)
    return train_loss if test_data is None else (train_loss, test_loss)


def _train_arguments(
    net, loss_fn, train, test, penalty, n_epochs, learning_rate, momentum, batch_size, generator
):
    """Check :func:`train`'s arguments; return its numbers as the types it uses."""
    _validate_batch(net, loss_fn, *train, penalty, _TRAIN)
    validate_pair(*test, _TEST)
    if test[0] is not None:
        _validate_batch(net, loss_fn, *test, penalty, _TEST)
    for value, name in zip((*train, *test), (*_TRAIN, *_TEST), strict=True):
        if value is not None:
            _validate_finite(value, name)
    _validate_parameters(net)
    n_epochs = validate_int(n_epochs, "n_epochs", minimum=1, bound=_POSITIVE)
    learning_rate = validate_real(learning_rate, "learning_rate", minimum=0, exclusive=True)
    momentum = validate_real(momentum, "momentum", minimum=0, below=1)
    if batch_size is not None:
        batch_size = validate_int(
            batch_size, "batch_size", minimum=1, bound="a positive int or None"
        )
    validate_instance(
        generator, (torch.Generator, type(None)), "generator", "a torch.Generator or None"
    )
    per_epoch = 1 if batch_size is None else -(-len(train[0]) // batch_size)
    what = f"train(n_epochs={n_epochs}" + (")" if batch_size is None else f", {batch_size=})")
    _validate_gradient_steps(n_epochs * per_epoch, what)
    return n_epochs, learning_rate, momentum, batch_size


def _diverged(value, i, n_epochs, learning_rate):
    """Return the error for a loss that became NaN or inf at iteration ``i``."""
    return ValueError(
        f"the training loss became {value} at iteration {i + 1}/{n_epochs} with "
        f"learning_rate={learning_rate!r}: gradient descent diverged; try a smaller "
        f"learning_rate (e.g. {learning_rate / 10:g})"
    )


def _minibatch_epoch(net, loss_fn, data, labels, optimizer, penalty, batch_size, generator):
    """One pass over the rows in a fresh random order; the row-weighted mean loss."""
    order = torch.randperm(len(data), generator=generator).to(data.device)
    total = 0.0
    for start in range(0, len(data), batch_size):
        rows = order[start : start + batch_size]
        loss = _gradient_step(net, loss_fn, data[rows], labels[rows], optimizer, penalty, _TRAIN)
        total += loss * len(rows)
    return total / len(data)


# ---------------------------------------------------------------------------
# Classification with mini-batches (tutorial "Biological vs. artificial neural networks")
# ---------------------------------------------------------------------------


def _validate_loader(loader, name):
    validate_instance(loader, torch.utils.data.DataLoader, name, "a torch.utils.data.DataLoader")


def _input_dtype(net):
    """Return the dtype the inputs are cast to: the weights', float32 if there are none."""
    return next((p.dtype for p in net.parameters() if p.is_floating_point()), torch.float32)


def _validate_loader_batch(inputs, labels, loader):
    """Check that a batch of ``loader`` is a pair of tensors with values."""
    for value, name in ((inputs, "inputs"), (labels, "labels")):
        name = f"{name} of a batch of {loader}"
        validate_tensor(value, name)
        _validate_values(value, name)


def _class_labels(labels, outputs):
    """Labels of a batch as an (n,) int64 tensor, checked against the (n, C) outputs."""
    n = len(labels) if labels.ndim else 0
    if not isinstance(outputs, torch.Tensor) or outputs.ndim != 2 or outputs.shape[0] != n:
        got = tuple(outputs.shape) if isinstance(outputs, torch.Tensor) else type(outputs)
        raise ValueError(
            f"net must return one row of class scores per sample, shape ({n}, n_classes), "
            f"got {got}"
        )
    if not (labels.ndim == 1 or (labels.ndim == 2 and labels.shape[1] == 1)):
        raise ValueError(
            f"labels must have shape (n,) or (n, 1): one class index per sample, got "
            f"{tuple(labels.shape)}"
        )
    labels = labels.reshape(-1)
    if labels.is_floating_point():
        fractional = labels != labels.round()  # NaN counts too
        if fractional.any():
            raise ValueError(
                "labels must be whole numbers (class indices), got "
                f"{labels[fractional][0].item():g}"
            )
    labels = labels.long()
    n_classes = outputs.shape[1]
    if n and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(
            f"labels must be class indices in [0, {n_classes - 1}] for the {n_classes} scores "
            f"of the network, got values from {labels.min().item()} to {labels.max().item()}"
        )
    return labels


def accuracy(net, data_loader, device="cpu"):
    """Measure the share of correctly classified samples, in percent, and how many there were.

    The predicted class of a sample is the index of its largest output. Runs without tracking
    gradients and does not change the network's mode (call ``net.eval()`` first if it matters).

    Parameters
    ----------
    net : torch.nn.Module
        Maps a batch of inputs to one score per class.
    data_loader : torch.utils.data.DataLoader
        Yields ``(inputs, labels)`` batches; inputs are cast to the network's floating dtype
        (float32 for the usual network), labels to long.
    device : str or torch.device, default="cpu"
        Where the batches go; ``net`` must already be there.

    Returns
    -------
    total : int
        Number of samples seen.
    acc : float
        Percentage of them whose predicted class equals the label, in [0, 100].

    Raises
    ------
    ValueError
        If the network's output is not one row of scores per sample, or labels are not one
        whole class index in ``[0, n_classes)`` per sample (shape ``(n,)`` or ``(n, 1)``).
    """
    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    _validate_loader(data_loader, "data_loader")
    device = validate_device(device)
    _validate_parameters(net, finite=False)
    dtype = _input_dtype(net)
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in data_loader:
            _validate_loader_batch(inputs, labels, "data_loader")
            outputs = net(inputs.to(device).to(dtype))
            labels = _class_labels(labels.to(device), outputs)
            predicted = outputs.argmax(dim=1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    if total == 0:
        raise ValueError("data_loader must yield at least one sample, got none")
    return total, 100 * correct / total


def _epoch_bar(num_epochs, enabled):
    """Iterate over the epochs with a progress bar: a widget in a notebook, text elsewhere.

    The widget is wrapped in a :class:`~nma_dl.display.StaticFallback`, so the book's static
    page shows one plain line instead of a progress bar frozen at 0 %.
    """
    from tqdm.auto import tqdm

    if not enabled:
        return range(num_epochs)
    from tqdm.notebook import tqdm_notebook

    if issubclass(tqdm, tqdm_notebook):
        from IPython.display import display

        from nma_dl.display import StaticFallback

        bar = tqdm(range(num_epochs), desc="epochs", display=False)
        display(
            StaticFallback(
                bar.container,
                f"<p>Trained for {num_epochs} epochs (a live progress bar in a notebook).</p>",
            )
        )
        return bar
    return tqdm(range(num_epochs), desc="epochs")


def train_test_classification(
    net,
    criterion,
    optimizer,
    train_loader,
    test_loader,
    num_epochs=1,
    verbose=True,
    training_plot=False,
    device="cpu",
):
    """Train a classifier with mini-batches, then measure its accuracy on train and test data.

    For each epoch, each batch of ``train_loader`` takes one :func:`gradient_step` (forward,
    loss, clear gradients, backward, update) with the network in training mode
    (``net.train()``). Then the network is switched to evaluation mode (``net.eval()``) and its
    accuracy is measured on both loaders. A progress bar counts the epochs.

    Parameters
    ----------
    net : torch.nn.Module
        Maps a batch of inputs to one score (logit) per class.
    criterion : callable
        ``criterion(outputs, labels)``, e.g. ``nn.CrossEntropyLoss()``.
    optimizer : torch.optim.Optimizer
        Over ``net.parameters()``, e.g. ``optim.Adam(net.parameters(), lr=1e-3)``.
    train_loader, test_loader : torch.utils.data.DataLoader
        Yield ``(inputs, labels)`` batches; inputs are cast to the network's floating dtype
        (float32 for the usual network), labels to long.
    num_epochs : int, default=1
        Passes over the training data; ``num_epochs * len(train_loader)`` gradient steps are
        refused above the limit of :func:`nma_dl._validate.validate_steps` (1e5 steps by
        default: each counts as 100 of its steps).
    verbose : bool, default=True
        Print both accuracies at the end and show the progress bar.
    training_plot : bool, default=False
        Draw the training loss of every batch (a new figure).
    device : str or torch.device, default="cpu"
        Where the batches go; ``net`` must already be there.

    Returns
    -------
    train_acc, test_acc : float
        Accuracies in percent.
    """
    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    validate_instance(criterion, Callable, "criterion", "callable")
    validate_instance(optimizer, optim.Optimizer, "optimizer", "a torch.optim.Optimizer")
    _validate_loader(train_loader, "train_loader")
    _validate_loader(test_loader, "test_loader")
    num_epochs = validate_int(num_epochs, "num_epochs", minimum=1, bound=_POSITIVE)
    validate_instance(verbose, bool, "verbose", "a bool", show_value=True)
    validate_instance(training_plot, bool, "training_plot", "a bool", show_value=True)
    device = validate_device(device)
    try:
        n_batches = len(train_loader)
    except TypeError:  # an iterable-style data set need not know its length
        n_batches = 1
    _validate_gradient_steps(
        num_epochs * n_batches,
        f"train_test_classification(num_epochs={num_epochs}) over {n_batches} batches",
    )
    _validate_parameters(net)
    dtype = _input_dtype(net)

    net.train()
    training_losses = []
    for _ in _epoch_bar(num_epochs, verbose):
        for inputs, labels in train_loader:
            _validate_loader_batch(inputs, labels, "train_loader")
            inputs = inputs.to(device).to(dtype)
            _validate_finite(inputs, "inputs", " of a batch of train_loader")
            labels = labels.to(device)
            if labels.is_floating_point():
                _validate_finite(labels, "labels", " of a batch of train_loader")
            labels = labels.long()
            training_losses.append(
                _gradient_step(net, criterion, inputs, labels, optimizer, None, _BATCH)
            )
    if not training_losses:
        raise ValueError(
            "train_loader yielded no batch: is the data set smaller than one batch "
            "with drop_last=True?"
        )

    net.eval()
    train_total, train_acc = accuracy(net, train_loader, device)
    test_total, test_acc = accuracy(net, test_loader, device)
    if verbose:
        print(f"Accuracy on the {train_total} training samples: {train_acc:0.2f}")
        print(f"Accuracy on the {test_total} testing samples: {test_acc:0.2f}")
    if training_plot:
        import matplotlib.pyplot as plt

        from nma_dl.plotting.decoding import plot_train_loss

        _, ax = plt.subplots()
        plot_train_loss(training_losses, ax=ax, ylabel="training loss")
        ax.set_xlabel("batch")
    return train_acc, test_acc


def decode_orientation(
    net,
    n_classes,
    loss_fn,
    train_data,
    train_labels,
    test_data,
    test_labels,
    n_iter=1000,
    L2_penalty=0,
    L1_penalty=0,
):
    """Train a classifier of orientation bins and report its accuracy on the test set.

    The orientations are binned with :func:`nma_dl.stimulus_class` (classes 0 to
    ``n_classes - 1``), then ``n_iter`` full-batch steps of plain gradient descent
    (``optim.SGD``, learning rate 0.1) minimise ``loss_fn``; the test loss is measured after
    every step (without building a graph). The losses at 5 evenly spaced steps and the fraction
    of test stimuli classified correctly are printed together when training ends.

    With both penalties 0, ``loss_fn(output, classes)`` is called (e.g. ``nn.NLLLoss()``);
    otherwise ``loss_fn(output, classes, net.in_layer.weight, L2_penalty, L1_penalty)``
    (e.g. :func:`nma_dl.regularized_loss`), as in the original.

    Parameters
    ----------
    net : torch.nn.Module
        Classifier returning (n, n_classes) log probabilities, with an ``in_layer``; trained in
        place on the device of its parameters (the data are moved there).
    n_classes : int
        Number of orientation bins, at least 2.
    loss_fn : callable
        Loss function, see above.
    train_data, test_data : torch.Tensor
        (n, n_neurons) responses.
    train_labels, test_labels : torch.Tensor
        (n, 1) or (n,) orientations in degrees, in [0, 360] (360 is class 0, as 0).
    n_iter : int, default=1000
        Number of gradient descent steps; above the limit of
        :func:`nma_dl._validate.validate_steps` (1e5 by default: a step counts as 100 of its
        steps) a ValueError says so before the first one.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0.

    Returns
    -------
    train_loss, test_loss : list of float
        The loss after each step, on the training and test set.
    predicted_test_labels : torch.Tensor
        (n_test,) int64 decoded class of each test stimulus, on the CPU.

    Raises
    ------
    ValueError
        Before training, if the responses or orientations hold NaN or inf (naming the row, or
        the column of a neuron that is NaN throughout: a neuron that never varies, z-scored),
        if a data set is empty or the network's parameters are not finite; during it, if the
        training loss becomes NaN or inf (naming the iteration; no step is taken with it).
    """
    from nma_dl.stimuli import stimulus_class

    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    n_classes = validate_int(n_classes, "n_classes", minimum=2, bound="an int >= 2")
    validate_instance(loss_fn, object, "loss_fn", "callable")
    require(callable(loss_fn), "loss_fn", "callable", type(loss_fn).__name__)
    validate_responses(train_data, train_labels, _TRAIN)
    validate_responses(test_data, test_labels, _TEST)
    n_iter = validate_int(n_iter, "n_iter", minimum=1)
    L2_penalty, L1_penalty = validate_penalties(L2_penalty, L1_penalty)
    regularized = L2_penalty > 0 or L1_penalty > 0
    if regularized:
        validate_linear_layer(net, "in_layer")
    train_labels, test_labels = _decoding_data(
        net, (train_data, train_labels, test_data, test_labels), n_iter
    )

    device = module_device(net)
    train_classes = stimulus_class(train_labels, n_classes).to(device)
    test_classes = stimulus_class(test_labels, n_classes).to(device)
    train_data, test_data = train_data.to(device), test_data.to(device)

    def loss_of(output, classes):
        if regularized:
            return loss_fn(output, classes, net.in_layer.weight, L2_penalty, L1_penalty)
        return loss_fn(output, classes)

    optimizer = optim.SGD(net.parameters(), lr=0.1, foreach=True)
    train_loss, test_loss = [], []
    every = max(n_iter // 5, 1)
    log = []  # printed in one go at the end: one output box in a notebook, not one per line
    for i in range(n_iter):
        output = _forward(net, train_data, "train_data")
        if i == 0:
            _validate_class_scores(output, n_classes)
        loss = loss_of(output, train_classes)
        _validate_scalar(loss, "loss_fn")
        value = loss.item()
        if not math.isfinite(value):  # checked before the step: the weights stay finite
            if log:
                print("\n".join(log))
            raise ValueError(
                f"the training loss became {value} at iteration {i + 1}/{n_iter}: gradient "
                f"descent (learning rate 0.1) diverged; use smaller penalties (L2_penalty="
                f"{L2_penalty!r}, L1_penalty={L1_penalty!r}), responses of a smaller scale "
                "(z-scored), or a loss_fn that stays finite"
            )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss.append(value)
        with torch.no_grad():  # no graph: nothing is differentiated on the test set
            test_loss.append(loss_of(_forward(net, test_data, "test_data"), test_classes).item())
        if (i + 1) % every == 0:
            log.append(
                f"iteration {i + 1}/{n_iter} | loss: {train_loss[-1]:.3f} | "
                f"test_loss: {test_loss[-1]:.3f}"
            )
    with torch.no_grad():
        predicted = net(test_data).argmax(dim=1).cpu()
    frac_correct = (predicted == test_classes.cpu()).double().mean().item()
    log.append(f">>> fraction correct = {frac_correct:.3f}")
    print("\n".join(log))
    return train_loss, test_loss, predicted


def _decoding_data(net, tensors, n_iter):
    """Check :func:`decode_orientation`'s data beyond their shapes; return its orientations.

    bfloat16 orientations, which NumPy cannot hold, come back as float32 (exactly).
    """
    names = (*_TRAIN, *_TEST)
    for value, name in zip(tensors, names, strict=True):
        _validate_values(value, name)
        if len(value) == 0:
            raise ValueError(
                f"{name} must hold at least one stimulus, got shape {tuple(value.shape)}"
            )
    _validate_gradient_steps(n_iter, f"decode_orientation(n_iter={n_iter})")
    _validate_parameters(net)
    for value, name in zip(tensors, names, strict=True):
        if name.endswith("_labels"):
            validate_real_dtype(value, name)
        _validate_finite(value, name)
    labels = []
    for value, name in zip(tensors[1::2], names[1::2], strict=True):
        outside = ~((value >= 0) & (value <= 360))
        if outside.any():
            raise ValueError(
                f"{name} must be orientations in [0, 360] degrees, got "
                f"{value[outside][0].item()!r} ({int(outside.sum())} value(s) outside)"
            )
        labels.append(value.float() if value.dtype == torch.bfloat16 else value)
    return labels


def _validate_class_scores(output, n_classes):
    # With fewer columns than classes, nll_loss fails with "Target 2 is out of bounds".
    if isinstance(output, torch.Tensor) and output.ndim == 2 and output.shape[1] < n_classes:
        raise ValueError(
            f"n_classes must be at most the number of the network's outputs (one log "
            f"probability per class), {output.shape[1]}, got {n_classes}; build the network "
            f"with {n_classes} outputs, or pass n_classes={output.shape[1]}"
        )
