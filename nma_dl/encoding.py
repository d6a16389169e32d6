"""The bonus tutorial's encoding model: its gratings and its trainer.

:func:`grating_stimuli` draws the images the model sees, and :func:`train_encoder` fits a
convolutional encoding model (:class:`nma_dl.ConvFC`) to the responses of every neuron at once,
with L2 and L1 penalties on its linear weights. (The tutorial's classifier of orientation bins is
trained by :func:`nma_dl.decode_orientation`, beside the other trainers in
:mod:`nma_dl.training`.)

The trainer follows the original course's procedure (optimizer, learning rate, iterations, which
losses are recorded and when) and prints the same numbers, faster. With 23 589 neurons the linear
layer has 27 M weights, and the original spent most of each step outside the matrix products,
differentiating the penalties through autograd and allocating a fresh gradient for them. Here

* the gratings 180° apart, which are the same image, go through the network once;
* the linear layer's product is taken as ``W x^T`` (neurons by stimuli), the faster layout on a
  CPU for a few stimuli and many neurons (:class:`_StandIn`);
* the linear layer's weights are stepped outside autograd, block by block of rows that fit in a
  core's cache (:func:`_penalty_and_step`): the weight gradient's product is written straight
  into the momentum, then the penalties' gradients ``2 lambda_2 w`` and ``lambda_1 sign(w)``
  are added and the weights updated. The other parameters take ``optim.SGD``'s step;
* the penalties' values come from ``torch.dot`` on each block, added up in float64;
* test passes run under :func:`torch.no_grad`, and everything stays float32.

How much each of these saves, and the floor the trainer is compared with, are measured by
``tools/t4_speed.py`` (``make speed``) and reported in CONTRIBUTING.md's benchmark section; that
script also checks that every recorded loss agrees with the original's to 1e-4 (relative).
"""

import contextlib
import math
from numbers import Integral, Real

import numpy as np
import torch
from torch import nn, optim

from nma_dl._validate import (
    Interval,
    instance_of,
    optional,
    validate_finite,
    validate_gradient_steps,
    validate_int,
    validate_linear_layer,
    validate_memory,
    validate_pair,
    validate_parameters,
    validate_params,
    validate_real,
    validate_real_dtype,
    validate_same_rows,
    validate_steps,
    validate_stimuli,
)
from nma_dl.device import module_device
from nma_dl.i18n import tr
from nma_dl.stimuli import GRATING_FULL_SIZE, grating
from nma_dl.training import (
    _diverged,
    _forward,
    _log_line,
    _NonFiniteLoss,
    _printed_at_end,
    _progress_bar,
    _show_losses,
)

__all__ = ["grating_stimuli", "train_encoder"]


# Rows of the encoder's weights updated together: about 1 MiB of float32 per block on a CPU, so
# that a block of the weights, of their momentum and a scratch block stay in a core's cache while
# every operation of the step runs over them, and memory is crossed once per step instead of about
# twenty times. On a GPU, the whole matrix at once.
_BLOCK_ELEMENTS = 1 << 18


class _StandIn(nn.Module):
    """Takes the place of ``net.out_layer`` (a ``nn.Linear``) while :func:`train_encoder` runs.

    Same weights, same result up to rounding, but the product is taken as ``W x^T`` (neurons by
    stimuli), which a CPU runs faster for a few stimuli and many neurons. It records its input
    and, on backward, its output's gradient: what :func:`_penalty_and_step` needs to step the
    weights. (:func:`nma_dl.decode_orientation` keeps the original's layout: with the L1
    penalty's ``sign(w)``, the changed rounding would change its result; see CONTRIBUTING.md.)
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


def _check_encoder(net, name):
    validate_linear_layer(net, "out_layer")
    return net


def _check_encoder_together(
    net, train_data, train_labels, test_data, test_labels, n_iter, **others
):
    """Check what :func:`train_encoder`'s arguments must satisfy together."""
    validate_pair(test_data, test_labels, ("test_data", "test_labels"))
    validate_same_rows(train_data, train_labels, ("train_data", "train_labels"))
    if test_data is not None:
        validate_same_rows(test_data, test_labels, ("test_data", "test_labels"))
    validate_gradient_steps(n_iter, f"train_encoder(n_iter={n_iter})")
    validate_parameters(net)
    names = ("train_data", "train_labels", "test_data", "test_labels")
    for value, name in zip((train_data, train_labels, test_data, test_labels), names, strict=True):
        if value is None:
            continue
        # Complex values fail unnamed deep in torch (torch.unique, mse_loss) and bool responses
        # would pass silently; other dtypes of images are named by the forward pass.
        if name.endswith("_labels") or value.is_complex():
            validate_real_dtype(value, name)
        validate_finite(value, name)


@validate_params(
    {
        "net": _check_encoder,
        "train_data": validate_stimuli,
        "train_labels": validate_stimuli,
        "test_data": optional(validate_stimuli),
        "test_labels": optional(validate_stimuli),
        "learning_rate": Interval(Real, 0, None, closed="neither"),
        "n_iter": Interval(Integral, 1, None),
        "L2_penalty": Interval(Real, 0, None, closed="left"),
        "L1_penalty": Interval(Real, 0, None, closed="left"),
        "verbose": instance_of((bool, np.bool_), "a bool"),
        "progress": instance_of((bool, np.bool_), "a bool"),
    },
    together=_check_encoder_together,
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
    *,
    progress=True,
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
    training ends. The numbers are the original's, to float32 rounding (see the module
    docstring for how it is faster). While training, ``net.out_layer`` is replaced by a stand-in
    with the same weights that records the layer's input and output gradient (so ``net``'s
    forward must call ``net.out_layer(...)``), and ``net.out_layer.weight`` does not require a
    gradient (its ``.grad`` is never filled). Both are given back afterwards; a weight that was
    frozen is left as it is.

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
        Number of steps; above the limit of :func:`nma_dl._validate.validate_steps` (1e5 by
        default: a step counts as 100 of its steps) a ValueError says so before the first one.
    L2_penalty, L1_penalty : float, default=5e-4, 1e-6
        Finite and >= 0.
    verbose : bool, default=True
        Whether to print the losses of those steps (in one go, at the end).
    progress : bool, default=True
        Show a progress bar of the steps with the latest losses: a widget in a notebook (a plain
        line on the book's static page), a line on stderr elsewhere. It prints nothing to stdout
        and changes no number.

    Returns
    -------
    train_loss, test_loss : numpy.ndarray
        (n_iter,) float64; ``test_loss`` is NaN where it was not measured (everywhere when no
        test set is given).

    Raises
    ------
    ValueError
        Before training, if the images or responses hold NaN or inf (naming the row, or the
        column of a neuron that is NaN throughout: a neuron that never varies, z-scored), if a
        data set is empty, if the responses do not have the network output's shape, or if the
        network's parameters are not finite; during it, if the training loss becomes NaN or inf
        (naming the iteration: try a smaller learning rate).
    TypeError
        Before training, if the images are complex or the responses complex or bool.
    """
    penalties = (L2_penalty, L1_penalty)
    device = module_device(net)
    # Gratings 180 degrees apart are the same image: the network sees each distinct image once.
    train = _Batch(train_data.to(device), train_labels.to(device), ("train_data", "train_labels"))
    test = None
    if test_data is not None:
        test = _Batch(test_data.to(device), test_labels.to(device), ("test_data", "test_labels"))
    weight = net.out_layer.weight
    trained = weight.requires_grad  # a frozen weight is not stepped
    momentum = torch.zeros_like(weight, memory_format=torch.contiguous_format)
    rows = len(weight) if weight.device.type != "cpu" else _BLOCK_ELEMENTS // weight.shape[1]
    scratch = weight.new_empty(max(1, min(rows, len(weight))), weight.shape[1])
    others = [p for p in net.parameters() if p is not weight and p.requires_grad]
    optimizer = optim.SGD(others, lr=learning_rate, momentum=0.9, foreach=True) if others else None
    train_loss, test_loss = np.full(n_iter, np.nan), np.full(n_iter, np.nan)
    every = max(n_iter // 10, 1)
    losses = {}  # the latest of each, for the bar: the test loss is measured now and then
    # The bar closes first (the innermost), before the log is printed.
    with (
        _printed_at_end(verbose) as log,
        _standing_in(net) as stand_in,
        _progress_bar(n_iter, tr("iterations"), progress) as steps,
    ):
        for i in steps:
            step = (momentum, stand_in, learning_rate) if trained else None
            try:
                train_loss[i] = _encoder_step(
                    net, train, optimizer, weight, penalties, scratch, step
                )
            except _NonFiniteLoss as error:  # the data are finite (checked): the steps diverged
                raise _diverged(error.value, i, n_iter, learning_rate) from None
            losses["train loss"] = train_loss[i]
            if i == 0 or (i + 1) % every == 0:
                if test is not None:
                    test_loss[i] = _test_loss(net, test, weight, penalties, scratch)
                    losses["test loss"] = test_loss[i]
                log.append(_log_line(i, n_iter, losses, digits=4))
            _show_losses(steps, i, n_iter, losses)
    return train_loss, test_loss


def _encoder_step(net, train, optimizer, weight, penalties, scratch, step):
    """Take one step of :func:`train_encoder`; return the loss of the weights before it.

    A NaN or inf mean squared error raises :class:`nma_dl.training._NonFiniteLoss` before the
    step; a penalty that overflows raises it after.
    """
    loss = train.loss(net)
    value = loss.item()
    if not math.isfinite(value):
        raise _NonFiniteLoss(value)
    if optimizer is not None:
        optimizer.zero_grad()
    loss.backward()
    penalty = _penalty_and_step(weight, *penalties, scratch, step)
    if optimizer is not None:
        optimizer.step()
    if not math.isfinite(value + penalty):
        raise _NonFiniteLoss(value + penalty)
    return value + penalty


def _test_loss(net, test, weight, penalties, scratch):
    """Return the loss on the test set, penalties included, without building a graph."""
    with torch.no_grad():
        loss = test.loss(net).item()
    return loss + _penalty_and_step(weight, *penalties, scratch)


@contextlib.contextmanager
def _standing_in(net):
    """Put a :class:`_StandIn` in the place of ``net.out_layer``, its weight frozen to autograd.

    The layer and its weight's ``requires_grad`` are given back on leaving, even on an error.
    """
    layer = net.out_layer
    trained = layer.weight.requires_grad
    stand_in = _StandIn(layer)
    layer.weight.requires_grad_(False)
    net.out_layer = stand_in
    try:
        yield stand_in
    finally:
        net.out_layer = layer
        layer.weight.requires_grad_(trained)


class _Batch:
    """Images and responses, with each distinct image kept once and the index of its copies."""

    def __init__(self, data, labels, names):
        self.distinct, self.copies = _distinct(data)
        self.labels = labels
        self.names = names

    def loss(self, net):
        """Mean squared error of ``net``'s predictions for all the images."""
        # index_select: on a CPU its backward sums the duplicates' gradients 5x faster than
        # that of out[copies].
        prediction = _forward(net, self.distinct, self.names[0]).index_select(0, self.copies)
        if prediction.shape != self.labels.shape:  # else mse_loss broadcasts, or fails unnamed
            raise ValueError(
                f"{self.names[1]} must have the network output's shape "
                f"{tuple(prediction.shape)} (n_stimuli, n_neurons), got "
                f"{tuple(self.labels.shape)}"
            )
        return nn.functional.mse_loss(prediction, self.labels)


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

    Raises
    ------
    ValueError
        Before anything is drawn, when the images would need more memory than the limit of
        :func:`nma_dl._validate.validate_memory` (about 8 bytes a pixel, 4 GB by default) or
        more than 1e5 gratings would be drawn (the limit of
        :func:`nma_dl._validate.validate_steps`, a grating counting as 100 of its steps).
    """
    n_stimuli = validate_int(n_stimuli, "n_stimuli", Interval(Integral, 1, None))
    res = validate_real(res, "res", Interval(Real, 0, None, closed="neither"))
    validate_steps(
        _GRATING_COST * n_stimuli,
        f"grating_stimuli(n_stimuli={n_stimuli}) (a Python loop drawing n_stimuli gratings, "
        f"each counted as {_GRATING_COST} steps)",
    )
    height, width = (round(n * res) for n in GRATING_FULL_SIZE)
    # Each float32 image twice (the list, then the stack), and one grating's float64 temporaries.
    validate_memory(
        8.0 * height * width * n_stimuli + 64.0 * height * width,
        f"grating_stimuli(n_stimuli={n_stimuli}, res={res!r}) ({n_stimuli} image"
        f"{'s' * (n_stimuli > 1)} of {height} x {width} pixels)",
    )
    orientations = np.linspace(0, 360, n_stimuli + 1)[:-1] - 180
    images = torch.stack([grating(float(ori), res=res) for ori in orientations]).unsqueeze(1)
    return orientations, images


#: What drawing one grating (a dozen NumPy operations) counts for in the limit of
#: :func:`nma_dl._validate.validate_steps`: the default limit of 1e7 allows 1e5 gratings.
_GRATING_COST = 100
