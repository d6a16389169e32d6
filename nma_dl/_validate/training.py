"""Checks of what a training takes: the network, the loss, a batch, its labels, the loaders.

Each is called before the forward pass, so that a wrong argument is named at once instead of
failing deep in torch (or, worse, passing silently: labels broadcast against the output, an
optimizer over another network's parameters).
"""

from collections.abc import Callable

from nma_dl._validate._core import _torch, validate_instance
from nma_dl._validate.arrays import validate_not_meta, validate_real_dtype, validate_tensor
from nma_dl._validate.samples import validate_rows, validate_same_rows

__all__ = [
    "validate_batch",
    "validate_callable",
    "validate_class_labels",
    "validate_class_scores",
    "validate_labels",
    "validate_linear_layer",
    "validate_loader",
    "validate_loader_batch",
    "validate_network",
    "validate_optimizer",
    "validate_parameters",
    "validate_scalar",
    "validate_targets",
]


def validate_network(net, name="net"):
    """Return ``net``, the argument named ``name``, if it is a :class:`torch.nn.Module`.

    Raises
    ------
    TypeError
        ``"net must be a torch.nn.Module, got str"``.
    """
    nn = _torch().nn

    return validate_instance(net, nn.Module, name, "a torch.nn.Module")


def validate_callable(value, name):
    """Return ``value`` if it is callable (a loss function, a penalty).

    Raises
    ------
    TypeError
        ``"loss_fn must be callable, got str"``.
    """
    return validate_instance(value, Callable, name, "callable")


def validate_linear_layer(net, layer):
    """Check that ``net`` is a module with a linear layer named ``layer`` (penalised weights).

    Parameters
    ----------
    net : object
        The argument.
    layer : str
        The attribute that must be a :class:`torch.nn.Linear` (``"in_layer"``, ``"out_layer"``).

    Raises
    ------
    TypeError
        ``"net must be a torch.nn.Module, got str"``, or ``"net must have a linear layer
        net.in_layer (its weights are penalised)"``.
    """
    validate_network(net)
    if not isinstance(getattr(net, layer, None), _torch().nn.Linear):
        raise TypeError(f"net must have a linear layer net.{layer} (its weights are penalised)")


def validate_parameters(net, *, finite=True):
    """Refuse a network with meta parameters or, if ``finite``, with NaN or inf in them.

    Parameters
    ----------
    net : torch.nn.Module
        The network (the argument ``net``).
    finite : bool, default=True
        Also refuse NaN and inf in a floating-point parameter.

    Raises
    ------
    ValueError
        Naming the parameter (``net.out_layer.weight``): a meta tensor has no values; a
        non-finite one was typically left so by a training that diverged.
    """
    for pname, param in net.named_parameters():
        if param.is_meta:
            raise ValueError(
                f"net must have parameters with values, but net.{pname} is a meta tensor "
                "(built with device='meta'); build the network on 'cpu' or 'cuda', or give it "
                "values with net.to_empty(device='cpu') and an initialisation"
            )
        if finite and param.is_floating_point() and not param.isfinite().all():
            raise ValueError(
                f"net's parameters must be finite, but net.{pname} holds nan or inf: a network "
                "left so by a training that diverged? Build a new one"
            )


def validate_batch(net, loss_fn, data, labels, penalty, names=("data", "labels")):
    """Check the arguments of one gradient step or loss evaluation before the forward pass.

    Parameters
    ----------
    net, loss_fn, data, labels, penalty
        As for :func:`nma_dl.gradient_step`.
    names : tuple of str, default=("data", "labels")
        The names of ``data`` and ``labels``.

    Raises
    ------
    TypeError, ValueError
        Naming the argument at fault (see :func:`validate_rows` and :func:`validate_labels`).
    """
    validate_network(net)
    validate_callable(loss_fn, "loss_fn")
    validate_instance(penalty, (Callable, type(None)), "penalty", "callable or None")
    validate_rows(data, names[0])
    validate_rows(labels, names[1])
    validate_labels(data, labels, loss_fn, names)
    validate_parameters(net, finite=False)


def validate_labels(data, labels, loss_fn, names):
    """Check that ``labels`` has a row per row of ``data`` and a dtype ``loss_fn`` can take.

    Class indices (for ``nn.CrossEntropyLoss`` and ``nn.NLLLoss``) are checked against the
    network's output later (:func:`validate_class_labels`); any other loss needs real numbers:
    complex labels make torch fail naming no argument, and bool ones would pass silently.

    Raises
    ------
    ValueError
        If the numbers of rows differ.
    TypeError
        ``"train_labels must hold real numbers, got dtype torch.bool"``.
    """
    validate_same_rows(data, labels, names)
    _, classification = _loss_kinds()
    if not isinstance(loss_fn, classification):
        validate_real_dtype(labels, names[1])


def _loss_kinds():
    """Return the losses whose targets have the output's shape, and those taking class indices."""
    nn = _torch().nn

    return (nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss, nn.HuberLoss), (
        nn.CrossEntropyLoss,
        nn.NLLLoss,
    )


def validate_optimizer(optimizer, net):
    """Refuse an optimizer that updates none of the network's parameters.

    Built over another module's parameters, it updates nothing of ``net``: the loss never
    changes and no error says why.

    Raises
    ------
    ValueError
        ``"optimizer must update the network's parameters (build it from net.parameters()),
        ..."``.
    """
    own = {id(p) for p in net.parameters()}
    theirs = [p for group in optimizer.param_groups for p in group["params"]]
    if own and theirs and not any(id(p) in own for p in theirs):
        raise ValueError(
            "optimizer must update the network's parameters (build it from net.parameters()), "
            "but its parameters are not the network's"
        )


def validate_scalar(value, name):
    """Check that a function given as an argument (``loss_fn``, ``penalty``) returned a scalar.

    Raises
    ------
    ValueError
        ``"loss_fn must return a scalar tensor, got (3, 1)"``.
    """
    torch = _torch()

    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        got = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
        raise ValueError(f"{name} must return a scalar tensor, got {got}")


def validate_targets(loss_fn, output, labels):
    """Check that ``labels`` can be the targets of ``loss_fn`` for the network's ``output``.

    Caught here because torch would broadcast (n,) against (n, 1) to (n, n) with only a
    warning, or fail with an error that does not say which argument is wrong.

    Raises
    ------
    ValueError, TypeError
        Naming ``labels``: not the output's shape for a regression loss, not class indices for
        a classification loss (:func:`validate_class_labels`), or a shape that a custom loss
        would broadcast against the output's to a wrong loss.
    """
    torch = _torch()

    regression, classification = _loss_kinds()
    if isinstance(loss_fn, regression) and labels.shape != output.shape:
        raise ValueError(
            f"labels must have the network output's shape {tuple(output.shape)} for "
            f"{type(loss_fn).__name__}, got {tuple(labels.shape)}"
        )
    if isinstance(loss_fn, classification):
        validate_class_labels(labels, output, loss_fn)
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


def validate_class_labels(labels, scores, loss_fn=None):
    """Return labels as an (n,) int64 tensor of class indices for the (n, C) class ``scores``.

    Two uses, one check. With ``loss_fn`` (``nn.CrossEntropyLoss`` or ``nn.NLLLoss``), the
    labels are its targets, held to what it takes: an integer dtype, shape (n,), and its
    ``ignore_index`` ignored (scores of another rank than 2 are left to torch). Without, they are
    those of :func:`nma_dl.accuracy`: shape (n,) or (n, 1), whole numbers of any dtype.

    Parameters
    ----------
    labels : torch.Tensor
        The labels.
    scores : torch.Tensor
        The network's output, one row of class scores per sample.
    loss_fn : torch.nn.Module, optional
        The classification loss the labels are targets of.

    Returns
    -------
    torch.Tensor
        The labels as class indices (unchanged where torch's check is left to do).

    Raises
    ------
    TypeError
        For ``loss_fn``, if the labels are not integers.
    ValueError
        If the scores are not (n, C), the labels' shape is wrong, a label is not whole or it
        lies outside ``[0, C)``.
    """
    torch = _torch()

    if loss_fn is not None:
        if not isinstance(scores, torch.Tensor) or scores.ndim != 2:
            _validate_integer_targets(labels, type(loss_fn).__name__)
            return labels  # (N, C, d1, ...) outputs: let torch check them
        labels = _loss_targets(labels, scores, type(loss_fn).__name__)
        whose = f"outputs of the network ({type(loss_fn).__name__})"
    else:
        labels = _accuracy_labels(labels, scores)
        whose = "scores of the network"
    n_classes = scores.shape[1]
    ignored = getattr(loss_fn, "ignore_index", None)
    counted = labels[labels != ignored] if ignored is not None else labels
    if counted.numel() and (counted.min() < 0 or counted.max() >= n_classes):
        raise ValueError(
            f"labels must be class indices in [0, {n_classes - 1}] for the {n_classes} {whose}, "
            f"got values from {counted.min().item()} to {counted.max().item()}"
        )
    return labels


def _validate_integer_targets(labels, loss_name):
    """Check that ``labels`` hold the int64 (or uint8) class indices ``loss_name`` takes.

    Raises
    ------
    TypeError
        ``"labels must hold integer class indices (e.g. torch.int64) for NLLLoss, got dtype
        torch.float32"``, or ``"labels must hold int64 class indices ..."`` for other ints.
    """
    torch = _torch()

    if labels.dtype.is_floating_point or labels.dtype.is_complex or labels.dtype == torch.bool:
        raise TypeError(
            f"labels must hold integer class indices (e.g. torch.int64) for {loss_name}, got "
            f"dtype {labels.dtype}"
        )
    # torch's NLLLoss and CrossEntropyLoss take int64 (or uint8) targets and raise a raw
    # RuntimeError on int8, int16 or int32 ones.
    if labels.dtype not in (torch.int64, torch.uint8):
        raise TypeError(
            f"labels must hold int64 class indices for {loss_name}, got dtype {labels.dtype} "
            "(convert with labels.long())"
        )


def _loss_targets(labels, scores, loss_name):
    """Return the targets of a classification loss: integers, one per row of (n, C) scores."""
    _validate_integer_targets(labels, loss_name)
    n, n_classes = scores.shape
    if tuple(labels.shape) != (n,):
        raise ValueError(
            f"labels must have shape ({n},): one class index per row of the output of shape "
            f"{(n, n_classes)} for {loss_name}, got {tuple(labels.shape)}"
            + (" (use labels.reshape(-1))" if labels.numel() == n else "")
        )
    return labels


def _accuracy_labels(labels, scores):
    """Return the labels of a batch of :func:`nma_dl.accuracy` as (n,) int64 class indices."""
    torch = _torch()

    n = len(labels) if labels.ndim else 0
    if not isinstance(scores, torch.Tensor) or scores.ndim != 2 or scores.shape[0] != n:
        got = tuple(scores.shape) if isinstance(scores, torch.Tensor) else type(scores)
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
    return labels.long()


def validate_class_scores(output, n_classes):
    """Check that the network's ``output`` has a column per class (``n_classes`` of them).

    With fewer columns than classes, ``nll_loss`` fails with "Target 2 is out of bounds".

    Raises
    ------
    ValueError
        Naming ``n_classes`` and the number of outputs.
    """
    torch = _torch()

    if isinstance(output, torch.Tensor) and output.ndim == 2 and output.shape[1] < n_classes:
        raise ValueError(
            f"n_classes must be at most the number of the network's outputs (one log "
            f"probability per class), {output.shape[1]}, got {n_classes}; build the network "
            f"with {n_classes} outputs, or pass n_classes={output.shape[1]}"
        )


def validate_loader(loader, name):
    """Return ``loader`` if it is a :class:`torch.utils.data.DataLoader`.

    Raises
    ------
    TypeError
        ``"train_loader must be a torch.utils.data.DataLoader, got list"``.
    """
    DataLoader = _torch().utils.data.DataLoader

    return validate_instance(loader, DataLoader, name, "a torch.utils.data.DataLoader")


def validate_loader_batch(inputs, labels, loader):
    """Check that a batch of the DataLoader argument ``loader`` is a pair of tensors with values.

    Raises
    ------
    TypeError, ValueError
        Naming ``"inputs of a batch of <loader>"`` or ``"labels of a batch of <loader>"``.
    """
    for value, name in ((inputs, "inputs"), (labels, "labels")):
        name = f"{name} of a batch of {loader}"
        validate_tensor(value, name)
        validate_not_meta(value, name)
