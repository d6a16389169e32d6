"""Trainers of the bonus decoding/encoding tutorial: an orientation classifier and an encoder.

:func:`decode_orientation` trains a classifier of orientation bins (e.g.
:class:`nma_dl.DeepNetSoftmax`) by full-batch gradient descent and scores it on a test set.
:func:`train_encoder` fits a convolutional encoding model (:class:`nma_dl.ConvFC`) to the
responses of every neuron at once, with L2 and L1 penalties on its linear weights, and
:func:`grating_stimuli` draws the images that model sees.

Both follow the original course's procedure (optimizer, learning rate, iterations, which losses
are recorded and when) and print the same numbers, but faster. With 23 589 neurons the encoder's
linear layer has 27 M weights, and the original spent most of each iteration outside the matrix
products: differentiating ``(w**2).sum()`` and ``w.abs().sum()`` through autograd, which makes
several 27 M-element temporaries, allocating a fresh 109 MB gradient every step (whose page
faults cost more than the product that fills it), then stepping the optimizer over it. Here

* the gratings 180° apart, which are the same image, go through the network once;
* the linear layer's product is taken as ``W x^T`` (neurons by stimuli), which MKL runs faster
  than ``x W^T`` for 30 stimuli and 23 589 neurons (:class:`_StandIn`);
* the linear layer's weights are stepped outside autograd, block by block of about 1 MiB of rows
  (:func:`_penalty_and_step`): the weight gradient's product is written straight into the
  momentum (``addmm_`` with ``beta=0.9``), the penalties' gradients ``2 lambda_2 w`` and
  ``lambda_1 sign(w)`` are added to it, and the weights updated, all while the block is in the
  core's cache. The other parameters (convolution, bias) take ``optim.SGD``'s ``foreach`` step;
* the penalties' values come from ``torch.dot`` on each block, added up in float64: they agree
  with float64 to 5e-8, while ``torch.linalg.vector_norm`` over the 27 M float32 values was off
  by 1.2 % (L1) on this CPU;
* test passes run under :func:`torch.no_grad`, and everything stays float32.

``tools/t4_speed.py`` measures the gain against a plain restatement of the original and checks
that every recorded loss agrees to 1e-4 (relative).
"""

import numpy as np
import torch
from torch import nn, optim

from nma_dl._validate import (
    check_instance,
    check_int,
    check_pair,
    check_real,
    check_responses,
    check_same_rows,
    check_tensor,
    require,
)

__all__ = ["decode_orientation", "grating_stimuli", "train_encoder"]


def _check_net(net, layer):
    check_instance(net, nn.Module, "net", "a torch.nn.Module")
    if not isinstance(getattr(net, layer, None), nn.Linear):
        raise TypeError(f"net must have a linear layer net.{layer} (its weights are penalised)")


def _penalties(L2_penalty, L1_penalty):
    return (
        check_real(L2_penalty, "L2_penalty", minimum=0),
        check_real(L1_penalty, "L1_penalty", minimum=0),
    )


def _device(net):
    parameter = next(net.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")


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
        Number of gradient descent steps.
    L2_penalty, L1_penalty : float, default=0
        Finite and >= 0.

    Returns
    -------
    train_loss, test_loss : list of float
        The loss after each step, on the training and test set.
    predicted_test_labels : torch.Tensor
        (n_test,) int64 decoded class of each test stimulus, on the CPU.
    """
    from nma_dl.stimuli import stimulus_class

    check_instance(net, nn.Module, "net", "a torch.nn.Module")
    n_classes = check_int(n_classes, "n_classes", minimum=2, bound="an int >= 2")
    check_instance(loss_fn, object, "loss_fn", "callable")
    require(callable(loss_fn), "loss_fn", "callable", type(loss_fn).__name__)
    check_responses(train_data, train_labels, ("train_data", "train_labels"))
    check_responses(test_data, test_labels, ("test_data", "test_labels"))
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    L2_penalty, L1_penalty = _penalties(L2_penalty, L1_penalty)
    regularized = L2_penalty > 0 or L1_penalty > 0
    if regularized:
        _check_net(net, "in_layer")

    device = _device(net)
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
        loss = loss_of(net(train_data), train_classes)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        train_loss.append(loss.item())
        with torch.no_grad():  # no graph: nothing is differentiated on the test set
            test_loss.append(loss_of(net(test_data), test_classes).item())
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


# Rows of the encoder's weights updated together: about 1 MiB of float32 per block on a CPU, so
# that a block of the weights, of their momentum and a scratch block stay in a core's cache while
# every operation of the step runs over them, and memory is crossed once per step instead of about
# twenty times. On a GPU, the whole matrix at once.
_BLOCK_ELEMENTS = 1 << 18


class _StandIn(nn.Module):
    """Takes the place of ``net.out_layer`` (a ``nn.Linear``) while :func:`train_encoder` runs.

    Same weights, same result up to rounding, but the product is taken as ``W x^T`` (neurons by
    stimuli): for 30 stimuli and 23 589 neurons MKL takes 6.7 ms for it instead of 11.0 ms for
    ``x W^T``, and 21.6 ms instead of 26.1 ms forward and backward. It records its input and, on
    backward, its output's gradient: what :func:`_penalty_and_step` needs to step the weights.

    (The classifiers would train 1.19x faster this way too, but the L1 penalty's ``sign(w)``
    turns the changed rounding into a different trajectory: 0.854 instead of the original's
    0.875 of the test set classified correctly. :func:`decode_orientation` keeps the original's
    products.)
    """

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.inputs = self.grad_output = None

    def __getattr__(self, name):
        """Read what the stand-in lacks (``weight``, ``in_features``, ...) from the layer."""
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(super().__getattr__("layer"), name)

    def forward(self, x):
        weight, bias, shape = self.weight, self.bias, x.shape
        x = x.reshape(-1, self.layer.in_features)
        self.inputs = x.detach()
        if bias is None:
            y = torch.mm(weight, x.t()).t()
        else:
            y = torch.addmm(bias[:, None], weight, x.t()).t()
        y = y.reshape(*shape[:-1], self.layer.out_features)
        if torch.is_grad_enabled():
            if not y.requires_grad:  # nothing before the layer is trained
                y.requires_grad_()
            y.register_hook(self._record)
        return y

    def _record(self, grad):
        self.grad_output = grad.reshape(-1, self.layer.out_features)


def _penalty_and_step(weight, L2_penalty, L1_penalty, scratch, step=None):
    """Return the penalties' value on ``weight`` and, given ``step``, take an SGD step first.

    ``step = (momentum, stand_in, learning_rate)`` does for ``weight`` what ``loss.backward()``
    then ``optim.SGD(momentum=0.9).step()`` do with the loss of :func:`train_encoder`: gradient
    ``g = G^T X + 2 L2 w + L1 sign(w)`` (``X`` the layer's input, ``G`` its output's gradient,
    as recorded by the :class:`_StandIn`), ``m <- 0.9 m + g``, ``w <- w - lr m``; the value
    returned is that before the step. It all runs block by block of ``len(scratch)`` rows, the
    gradient's product written straight into the momentum, so no 27 M-element gradient is
    allocated and each block crosses memory once. Each block's sums are taken by ``torch.dot``
    and added up in float64.
    """
    rows = len(scratch)
    n_blocks = -(-len(weight) // rows)
    squares, absolutes = weight.new_zeros(n_blocks), weight.new_zeros(n_blocks)
    if step is not None:
        momentum, stand_in, learning_rate = step
        if stand_in.grad_output is None:
            raise TypeError("train_encoder needs net's forward to call net.out_layer(...)")
        grad_t, inputs = stand_in.grad_output.t(), stand_in.inputs
        stand_in.grad_output = None  # each step needs its own
    with torch.no_grad():
        for k, start in enumerate(range(0, len(weight), rows)):
            w, flat = weight[start : start + rows], weight[start : start + rows].reshape(-1)
            if step is not None:
                m = momentum[start : start + rows]
                m.addmm_(grad_t[start : start + rows], inputs, beta=0.9)  # m starts at zero
            if L2_penalty:
                torch.dot(flat, flat, out=squares[k])
                if step is not None:
                    m.add_(w, alpha=2 * L2_penalty)  # d/dw lambda_2 w^2
            if L1_penalty:
                sign = torch.sign(w, out=scratch[: len(w)])
                torch.dot(flat, sign.reshape(-1), out=absolutes[k])  # |w| = w sign(w)
                if step is not None:
                    m.add_(sign, alpha=L1_penalty)  # d/dw lambda_1 |w|
            if step is not None:
                w.add_(m, alpha=-learning_rate)
    return (
        L2_penalty * squares.double().sum().item() + L1_penalty * absolutes.double().sum().item()
    )


def train_encoder(
    net,
    train_data,
    train_labels,
    test_data=None,
    test_labels=None,
    learning_rate=2,
    n_iter=200,
    L2_penalty=5e-4,
    L1_penalty=1e-6,
    verbose=True,
):
    r"""Fit an encoding model to neural responses by full-batch gradient descent with momentum.

    The loss is that of :func:`nma_dl.regularized_MSE_loss` with ``weights =
    net.out_layer.weight``:

    .. math::

        L = \mathrm{MSE}(\text{net}(s), r) + \lambda_2\sum W^2 + \lambda_1\sum |W|,

    minimised with ``optim.SGD(momentum=0.9)``. As in the original, the training loss is the
    loss of each step's weights, and the test loss (the same expression on the test responses,
    with the weights after the step) is measured after the first step and every
    ``n_iter // 10`` steps; those steps' losses are printed together, one line each, when
    training ends. The numbers are the original's, to float32 rounding, about five times
    faster (see the module docstring): the linear layer's weights are
    updated by hand, gradient, penalties and momentum together, a block of about 1 MiB of rows
    at a time while the block is in the CPU's cache, instead of through autograd and the
    optimizer. For that, ``net.out_layer`` is replaced while training by a stand-in with the
    same weights that records the layer's input and output gradient (so ``net``'s forward must
    call ``net.out_layer(...)``), and ``net.out_layer.weight`` does not require a gradient (its
    ``.grad`` is never filled). Both are given back afterwards; a weight that was frozen is
    left as it is.

    Parameters
    ----------
    net : torch.nn.Module
        Model with a linear ``out_layer`` (e.g. :class:`nma_dl.ConvFC`), trained in place on
        the device of its parameters (the data are moved there).
    train_data : torch.Tensor
        (n_stimuli, c_in, H, W) images.
    train_labels : torch.Tensor
        (n_stimuli, n_neurons) responses to them.
    test_data, test_labels : torch.Tensor, optional
        The same for the test set; both or neither.
    learning_rate : float, default=2
        Learning rate, > 0 (the original's call; its function's defaults, 10 and 500 steps,
        were never used).
    n_iter : int, default=200
        Number of steps.
    L2_penalty, L1_penalty : float, default=5e-4, 1e-6
        Finite and >= 0.
    verbose : bool, default=True
        Whether to print the losses of those steps (in one go, at the end).

    Returns
    -------
    train_loss, test_loss : numpy.ndarray
        (n_iter,) float64; ``test_loss`` is NaN where it was not measured (everywhere when no
        test set is given).
    """
    _check_net(net, "out_layer")
    check_tensor(train_data, "train_data")
    check_tensor(train_labels, "train_labels")
    check_same_rows(train_data, train_labels, ("train_data", "train_labels"))
    check_pair(test_data, test_labels, ("test_data", "test_labels"))
    if test_data is not None:
        check_tensor(test_data, "test_data")
        check_tensor(test_labels, "test_labels")
        check_same_rows(test_data, test_labels, ("test_data", "test_labels"))
    learning_rate = check_real(learning_rate, "learning_rate", minimum=0, exclusive=True)
    n_iter = check_int(n_iter, "n_iter", minimum=1)
    L2_penalty, L1_penalty = _penalties(L2_penalty, L1_penalty)
    check_instance(verbose, (bool, np.bool_), "verbose", "a bool")

    device = _device(net)
    train_data, train_labels = train_data.to(device), train_labels.to(device)
    if test_data is not None:
        test_data, test_labels = test_data.to(device), test_labels.to(device)
    # Gratings 180 degrees apart are the same image: run the network once per distinct image
    # and copy its output to the duplicates. With the tutorial's 60 gratings this halves every
    # matrix product; the numbers are the same up to rounding. (index_select, because on a CPU
    # its backward sums the duplicates' gradients 5x faster than that of out[copies].)
    train_distinct, train_copies = _distinct(train_data)
    if test_data is not None:
        test_distinct, test_copies = _distinct(test_data)
    # The linear layer's weights (27 M of them in the tutorial) are stepped by _penalty_and_step,
    # outside autograd, from what a stand-in for the layer records; every other parameter by the
    # usual optimizer.
    layer = net.out_layer
    weight, trained = layer.weight, layer.weight.requires_grad
    momentum = torch.zeros_like(weight, memory_format=torch.contiguous_format)
    rows = len(weight) if weight.device.type != "cpu" else _BLOCK_ELEMENTS // weight.shape[1]
    scratch = weight.new_empty(max(1, min(rows, len(weight))), weight.shape[1])
    others = [p for p in net.parameters() if p is not weight and p.requires_grad]
    optimizer = optim.SGD(others, lr=learning_rate, momentum=0.9, foreach=True) if others else None
    mse = nn.MSELoss()
    train_loss = np.full(n_iter, np.nan)
    test_loss = np.full(n_iter, np.nan)
    every = max(n_iter // 10, 1)
    stand_in = _StandIn(layer)
    weight.requires_grad_(False)
    net.out_layer = stand_in
    log = []  # printed in one go at the end: one output box in a notebook, not one per line
    try:
        for i in range(n_iter):
            loss = mse(net(train_distinct).index_select(0, train_copies), train_labels)
            if optimizer is not None:
                optimizer.zero_grad()
            loss.backward()
            step = (momentum, stand_in, learning_rate) if trained else None  # frozen: not stepped
            penalty = _penalty_and_step(weight, L2_penalty, L1_penalty, scratch, step)
            if optimizer is not None:
                optimizer.step()
            train_loss[i] = loss.item() + penalty
            if i == 0 or (i + 1) % every == 0:
                line = f"iteration {i + 1}/{n_iter} | train loss: {train_loss[i]:.4f}"
                if test_data is not None:
                    with torch.no_grad():
                        test = mse(
                            net(test_distinct).index_select(0, test_copies), test_labels
                        ).item()
                    test_loss[i] = test + _penalty_and_step(
                        weight, L2_penalty, L1_penalty, scratch
                    )
                    line += f" | test loss: {test_loss[i]:.4f}"
                log.append(line)
    finally:
        net.out_layer = layer
        weight.requires_grad_(trained)
        if verbose and log:  # also the lines so far when training stops on an error
            print("\n".join(log))
    return train_loss, test_loss


def _distinct(data):
    """Return the distinct rows of ``data`` and, for each row, the index of its copy."""
    distinct, copies = torch.unique(data.flatten(1), dim=0, return_inverse=True)
    return distinct.reshape(len(distinct), *data.shape[1:]), copies


def grating_stimuli(n_stimuli=60, res=0.025):
    """Gratings at ``n_stimuli`` orientations evenly spaced from -180°, as a batch of images.

    The encoding model's inputs: with the defaults, 60 orientations -180, -174, ..., 174° and
    12 x 16-pixel images (:func:`nma_dl.grating` at ``res=0.025``). A grating and the one 180°
    away are the same image, so a model of these images predicts the same response to both.

    Parameters
    ----------
    n_stimuli : int, default=60
        Number of orientations, spaced ``360 / n_stimuli`` degrees apart.
    res : float, default=0.025
        Resolution passed to :func:`nma_dl.grating`.

    Returns
    -------
    orientations : numpy.ndarray
        (n_stimuli,) float64 orientations in degrees.
    images : torch.Tensor
        (n_stimuli, 1, H, W) float32 images.
    """
    from nma_dl.stimuli import grating

    n_stimuli = check_int(n_stimuli, "n_stimuli", minimum=1)
    orientations = np.linspace(0, 360, n_stimuli + 1)[:-1] - 180
    images = torch.stack([grating(float(ori), res=res) for ori in orientations]).unsqueeze(1)
    return orientations, images
