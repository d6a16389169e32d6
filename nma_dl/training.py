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

import contextlib
import html
import math
from collections.abc import Callable
from numbers import Integral, Real

import torch
from IPython.display import display
from torch import optim
from tqdm.auto import tqdm
from tqdm.notebook import tqdm_notebook

from nma_dl._validate import (
    Interval,
    instance_of,
    optional,
    require,
    validate_batch,
    validate_callable,
    validate_class_labels,
    validate_class_scores,
    validate_device,
    validate_dtype,
    validate_finite,
    validate_gradient_steps,
    validate_labels,
    validate_linear_layer,
    validate_loader,
    validate_loader_batch,
    validate_network,
    validate_optimizer,
    validate_orientations,
    validate_pair,
    validate_parameters,
    validate_params,
    validate_real_dtype,
    validate_response_matrix,
    validate_rows,
    validate_same_rows,
    validate_scalar,
    validate_stimuli,
    validate_targets,
)
from nma_dl.device import module_device
from nma_dl.display import StaticFallback
from nma_dl.i18n import tr
from nma_dl.stimuli import stimulus_class

__all__ = [
    "accuracy",
    "decode_orientation",
    "evaluate_loss",
    "gradient_step",
    "train",
    "train_test_classification",
]

_TRAIN, _TEST = ("train_data", "train_labels"), ("test_data", "test_labels")
_BATCH = ("inputs of a batch of train_loader", "labels of a batch of train_loader")
# The words of the old messages "n_epochs must be finite and > 0, got 0" (and num_epochs).
_POSITIVE = "finite and > 0"
_check_optimizer = instance_of(optim.Optimizer, "a torch.optim.Optimizer")


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
            tr(
                "the loss is {value}: gradient descent has diverged (try a smaller learning "
                "rate) or the data or labels hold NaN or inf; no update was made",
                value=value,
            )
        )


def _loss(net, loss_fn, data, labels, penalty, name="data"):
    output = _forward(net, data, name)
    validate_targets(loss_fn, output, labels)
    loss = loss_fn(output, labels)
    validate_scalar(loss, "loss_fn")
    if penalty is not None:
        extra = penalty(net)
        validate_scalar(extra, "penalty")
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
    TypeError
        If the labels are complex or bool (but for class indices, which must be integers).
    """
    return _gradient_step(net, loss_fn, data, labels, optimizer, penalty, ("data", "labels"))


def _gradient_step(net, loss_fn, data, labels, optimizer, penalty, names):
    """:func:`gradient_step`, its errors naming the data and labels ``names``."""
    validate_batch(net, loss_fn, data, labels, penalty, names)
    _check_optimizer(optimizer, "optimizer")
    loss = _loss(net, loss_fn, data, labels, penalty, names[0])  # errors of the data first
    validate_optimizer(optimizer, net)
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
    validate_batch(net, loss_fn, data, labels, penalty, names)
    with torch.no_grad():
        return _loss(net, loss_fn, data, labels, penalty, names[0]).item()


def _log_line(i, n_total, losses, digits=3):
    """Return a trainer's line of progress, ``"iteration 2/10 | loss: 5.651 | test_loss: ..."``.

    ``losses`` maps each label to its value, printed with ``digits`` decimals. The trainers keep
    the words and decimals of their tutorials' printed output (:func:`train` and
    :func:`decode_orientation`: ``loss``, ``test_loss``, 3 decimals;
    :func:`nma_dl.train_encoder`, after the original course: ``train loss``, ``test loss``, 4).
    """
    values = (f"{label}: {value:.{digits}f}" for label, value in losses.items())
    return " | ".join((tr("iteration {i}/{n}", i=i + 1, n=n_total), *values))


def _check_train_together(
    net, loss_fn, train_data, train_labels, test_data, test_labels, n_epochs, batch_size, **others
):
    """Check what :func:`train`'s arguments must satisfy together, before the first step."""
    validate_labels(train_data, train_labels, loss_fn, _TRAIN)
    validate_pair(test_data, test_labels, _TEST)
    if test_data is not None:
        validate_labels(test_data, test_labels, loss_fn, _TEST)
    validate_parameters(net, finite=False)
    tensors = (train_data, train_labels, test_data, test_labels)
    for value, name in zip(tensors, (*_TRAIN, *_TEST), strict=True):
        if value is not None:
            validate_finite(value, name)
    validate_parameters(net)
    per_epoch = 1 if batch_size is None else -(-len(train_data) // batch_size)
    what = f"train(n_epochs={n_epochs}" + (")" if batch_size is None else f", {batch_size=})")
    validate_gradient_steps(n_epochs * per_epoch, what)


@validate_params(
    {
        "net": validate_network,
        "loss_fn": validate_callable,
        "train_data": validate_rows,
        "train_labels": validate_rows,
        "n_epochs": Interval(Integral, 1, None, text=_POSITIVE),
        "learning_rate": Interval(Real, 0, None, closed="neither"),
        "test_data": optional(validate_rows),
        "test_labels": optional(validate_rows),
        "penalty": instance_of((Callable, type(None)), "callable or None"),
        "momentum": Interval(Real, 0, 1, closed="left"),
        "batch_size": optional(Interval(Integral, 1, None, text="a positive int or None")),
        "generator": instance_of((torch.Generator, type(None)), "a torch.Generator or None"),
    },
    together=_check_train_together,
)
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
    TypeError
        Before training, if ``train_labels`` or ``test_labels`` are complex or bool (a loss
        of class indices, such as ``nn.CrossEntropyLoss``, wants integers instead).

    Returns
    -------
    train_loss : list of float
        The training loss at each iteration, before that iteration's update; with
        ``batch_size``, the mean over the epoch's mini-batches, each weighted by its rows.
    test_loss : list of float
        Only if ``test_data`` is given: the test loss after each epoch's update(s).

    Examples
    --------
    >>> from torch import nn
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
        losses = {"loss": loss}
        if test_data is not None:
            test_loss.append(_evaluate_loss(net, loss_fn, test_data, test_labels, penalty, _TEST))
            losses["test_loss"] = test_loss[-1]
        if (i + 1) % report_every == 0:
            print(_log_line(i, n_epochs, losses))
    return train_loss if test_data is None else (train_loss, test_loss)


def _diverged(value, i, n_epochs, learning_rate):
    """Return the error for a loss that became NaN or inf at iteration ``i``."""
    return ValueError(
        tr(
            "the training loss became {value} at iteration {i}/{n} with "
            "learning_rate={learning_rate!r}: gradient descent diverged; try a smaller "
            "learning_rate (e.g. {smaller:g})",
            value=value,
            i=i + 1,
            n=n_epochs,
            learning_rate=learning_rate,
            smaller=learning_rate / 10,
        )
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


def _input_dtype(net):
    """Return the dtype the inputs are cast to: the weights', float32 if there are none."""
    return next((p.dtype for p in net.parameters() if p.is_floating_point()), torch.float32)


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
    validate_network(net)
    validate_loader(data_loader, "data_loader")
    device = validate_device(device)
    validate_parameters(net, finite=False)
    dtype = _input_dtype(net)
    correct = total = 0
    with torch.no_grad():
        for inputs, labels in data_loader:
            validate_loader_batch(inputs, labels, "data_loader")
            outputs = net(inputs.to(device).to(dtype))
            labels = validate_class_labels(labels.to(device), outputs)
            predicted = outputs.argmax(dim=1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    if total == 0:
        raise ValueError("data_loader must yield at least one sample, got none")
    return total, 100 * correct / total


_REDRAW_SECONDS = 0.5  # a bar redraws at most this often: a widget's update is a message


def _progress_bar(n_steps, unit, enabled=True):
    """Return a tqdm bar over ``range(n_steps)``: a widget in a notebook, text on stderr elsewhere.

    The widget is wrapped in a :class:`~nma_dl.display.StaticFallback`, so the book's static
    page shows one plain line instead of a progress bar frozen at 0 %. Not ``enabled``, it is
    tqdm's silent bar (it only iterates). Use it as a context manager, so that the bar closes
    also when training fails.
    """
    if not enabled:
        return tqdm(range(n_steps), disable=True)
    if issubclass(tqdm, tqdm_notebook):
        bar = tqdm(range(n_steps), desc=unit, mininterval=_REDRAW_SECONDS, display=False)
        line = tr(
            "Trained for {n_steps} {unit} (a live progress bar in a notebook).",
            n_steps=n_steps,
            unit=unit,
        )
        display(StaticFallback(bar.container, f"<p>{html.escape(line)}</p>"))
        return bar
    return tqdm(range(n_steps), desc=unit, mininterval=_REDRAW_SECONDS)


@contextlib.contextmanager
def _printed_at_end(verbose):
    """Collect a log's lines and print them in one go on leaving, also after an error.

    One ``print`` makes one output box in a notebook, instead of one box per line.
    """
    log = []
    try:
        yield log
    finally:
        if verbose and log:
            print("\n".join(log))


def _show_losses(bar, i, n_steps, losses):
    """Put ``losses`` in ``bar`` at every 1 % of the steps and at the last one (drawn later)."""
    if i % max(n_steps // 100, 1) == 0 or i == n_steps - 1:
        bar.set_postfix(losses, refresh=False)


def _epoch_bar(n_epochs, enabled):
    """Iterate over the epochs with a progress bar (:func:`_progress_bar`)."""
    return _progress_bar(n_epochs, tr("epochs"), enabled)


def _check_classification_together(net, train_loader, num_epochs, **others):
    """Check what :func:`train_test_classification`'s arguments must satisfy together."""
    try:
        n_batches = len(train_loader)
    except TypeError:  # an iterable-style data set need not know its length
        n_batches = 1
    validate_gradient_steps(
        num_epochs * n_batches,
        f"train_test_classification(num_epochs={num_epochs}) over {n_batches} batches",
    )
    validate_parameters(net)


@validate_params(
    {
        "net": validate_network,
        "criterion": validate_callable,
        "optimizer": _check_optimizer,
        "train_loader": validate_loader,
        "test_loader": validate_loader,
        "num_epochs": Interval(Integral, 1, None, text=_POSITIVE),
        "verbose": instance_of(bool, "a bool", show_value=True),
        "training_plot": instance_of(bool, "a bool", show_value=True),
        "device": validate_device,
    },
    together=_check_classification_together,
)
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
    net.train()
    training_losses = _train_batches(
        net, criterion, optimizer, train_loader, num_epochs, verbose, device
    )
    net.eval()
    train_total, train_acc = accuracy(net, train_loader, device)
    test_total, test_acc = accuracy(net, test_loader, device)
    if verbose:
        print(
            tr(
                "Accuracy on the {n} training samples: {accuracy:0.2f}",
                n=train_total,
                accuracy=train_acc,
            )
        )
        print(
            tr(
                "Accuracy on the {n} testing samples: {accuracy:0.2f}",
                n=test_total,
                accuracy=test_acc,
            )
        )
    if training_plot:
        _plot_training_losses(training_losses)
    return train_acc, test_acc


def _train_batches(net, loss_fn, optimizer, train_loader, n_epochs, verbose, device):
    """Take a gradient step per batch of ``train_loader``, for each epoch; return the losses."""
    dtype = _input_dtype(net)
    training_losses = []
    for _ in _epoch_bar(n_epochs, verbose):
        for inputs, labels in train_loader:
            validate_loader_batch(inputs, labels, "train_loader")
            inputs = inputs.to(device).to(dtype)
            validate_finite(inputs, "inputs", " of a batch of train_loader")
            labels = labels.to(device)
            if labels.is_floating_point():
                validate_finite(labels, "labels", " of a batch of train_loader")
            labels = labels.long()
            training_losses.append(
                _gradient_step(net, loss_fn, inputs, labels, optimizer, None, _BATCH)
            )
    if not training_losses:
        raise ValueError(
            "train_loader yielded no batch: is the data set smaller than one batch "
            "with drop_last=True?"
        )
    return training_losses


def _plot_training_losses(training_losses):
    """Draw the training loss of every batch, in a new figure."""
    # Imported here, not at the top: a training without a plot needs no pyplot (a slow import,
    # which also picks a display backend).
    from nma_dl.plotting.decoding import _plot_batch_losses

    _plot_batch_losses(training_losses)


# ---------------------------------------------------------------------------
# Decoding orientation bins (the bonus tutorial)
# ---------------------------------------------------------------------------


def _check_loss_function(loss_fn, name):
    # A ValueError, as decode_orientation has always raised for a loss_fn that is not callable.
    require(callable(loss_fn), name, "callable", type(loss_fn).__name__)
    return loss_fn


def _check_responses(value, name):
    validate_response_matrix(value, name)
    return validate_stimuli(value, name)


def _check_orientations(value, name):
    validate_orientations(value, name)
    return validate_stimuli(value, name)


def _check_decoding_together(
    net, train_data, train_labels, test_data, test_labels, n_iter, L2_penalty, L1_penalty, **others
):
    """Check what :func:`decode_orientation`'s arguments must satisfy together."""
    validate_same_rows(train_data, train_labels, _TRAIN)
    validate_same_rows(test_data, test_labels, _TEST)
    if L2_penalty > 0 or L1_penalty > 0:
        validate_linear_layer(net, "in_layer")
    validate_gradient_steps(n_iter, f"decode_orientation(n_iter={n_iter})")
    validate_parameters(net)
    tensors = (train_data, train_labels, test_data, test_labels)
    for value, name in zip(tensors, (*_TRAIN, *_TEST), strict=True):
        if name.endswith("_labels"):
            validate_real_dtype(value, name)
        validate_finite(value, name)
    for value, name in ((train_labels, "train_labels"), (test_labels, "test_labels")):
        outside = ~((value >= 0) & (value <= 360))
        if outside.any():
            raise ValueError(
                f"{name} must be orientations in [0, 360] degrees, got "
                f"{value[outside][0].item()!r} ({int(outside.sum())} value(s) outside)"
            )


@validate_params(
    {
        "net": validate_network,
        "n_classes": Interval(Integral, 2, None),
        "loss_fn": _check_loss_function,
        "train_data": _check_responses,
        "train_labels": _check_orientations,
        "test_data": _check_responses,
        "test_labels": _check_orientations,
        "n_iter": Interval(Integral, 1, None),
        "L2_penalty": Interval(Real, 0, None, closed="left"),
        "L1_penalty": Interval(Real, 0, None, closed="left"),
        "progress": instance_of(bool, "a bool", show_value=True),
    },
    together=_check_decoding_together,
)
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
    *,
    progress=True,
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
    progress : bool, default=True
        Show a progress bar of the iterations with the latest losses: a widget in a notebook
        (a plain line on the book's static page), a line on stderr elsewhere. It prints nothing
        to stdout and changes no number.

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
    regularized = L2_penalty > 0 or L1_penalty > 0
    # stimulus_class bins with NumPy, which has no bfloat16: such orientations go as float32,
    # which holds them exactly.
    train_labels, test_labels = (
        value.float() if value.dtype == torch.bfloat16 else value
        for value in (train_labels, test_labels)
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
    # The log is printed in one go on leaving (one output box in a notebook, not one per line),
    # after the bar has closed.
    with _printed_at_end(True) as log, _progress_bar(n_iter, tr("iterations"), progress) as steps:
        for i in steps:
            output = _forward(net, train_data, "train_data")
            if i == 0:
                validate_class_scores(output, n_classes)
            loss = loss_of(output, train_classes)
            validate_scalar(loss, "loss_fn")
            value = loss.item()
            if not math.isfinite(value):  # checked before the step: the weights stay finite
                raise _decoder_diverged(value, i, n_iter, L2_penalty, L1_penalty)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            train_loss.append(value)
            with torch.no_grad():  # no graph: nothing is differentiated on the test set
                test_output = _forward(net, test_data, "test_data")
                test_loss.append(loss_of(test_output, test_classes).item())
            losses = {"loss": train_loss[-1], "test_loss": test_loss[-1]}
            _show_losses(steps, i, n_iter, losses)
            if (i + 1) % every == 0:
                log.append(_log_line(i, n_iter, losses))
        with torch.no_grad():
            predicted = net(test_data).argmax(dim=1).cpu()
        frac_correct = (predicted == test_classes.cpu()).double().mean().item()
        log.append(tr(">>> fraction correct = {fraction:.3f}", fraction=frac_correct))
    return train_loss, test_loss, predicted


def _decoder_diverged(value, i, n_iter, L2_penalty, L1_penalty):
    """Return the error for a training loss of :func:`decode_orientation` that is NaN or inf."""
    return ValueError(
        tr(
            "the training loss became {value} at iteration {i}/{n}: gradient descent (learning "
            "rate 0.1) diverged; use smaller penalties (L2_penalty={L2_penalty!r}, "
            "L1_penalty={L1_penalty!r}), responses of a smaller scale (z-scored), or a loss_fn "
            "that stays finite",
            value=value,
            i=i + 1,
            n=n_iter,
            L2_penalty=L2_penalty,
            L1_penalty=L1_penalty,
        )
    )
