"""A diagram of a network's architecture: its layers as boxes, with the shape of what flows.

:func:`plot_architecture` draws the layers of a network top to bottom, in the order its forward
pass calls them, each box naming the layer and what it does (``6 filters of 7 × 7``,
``max over 8 × 8``, ``288 → 10``), the shape of its output beside it. A column stays legible
however many layers there are, on a phone too. The shapes are not typed in:
one input is passed through the network and each layer's input and output are recorded with
forward hooks, so the diagram shows what the model computes. A reshape between two layers (the
flattening before a fully connected layer) labels the arrow between them.
"""

from numbers import Integral

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

# _torch, not a top-level import: nma_dl.plotting loads without torch
from nma_dl._validate import Interval, _torch, validate_instance, validate_int

__all__ = ["plot_architecture"]

# In inches (the axes' data units): one box per layer, a column of them.
_BOX_WIDTH, _BOX_HEIGHT, _GAP, _SHAPES_WIDTH = 3.0, 1.15, 0.6, 2.2


def _shape_text(shape):
    return " × ".join(str(n) for n in shape)


def _describe(module):
    """Say what a layer does, in a few words, from its own settings."""
    nn = _torch().nn

    def pair(value):
        return value if isinstance(value, tuple) else (value, value)

    if isinstance(module, nn.Conv2d):
        k_h, k_w = pair(module.kernel_size)
        return f"{module.out_channels} filters\nof {module.in_channels} × {k_h} × {k_w}"
    if isinstance(module, nn.MaxPool2d):
        k_h, k_w = pair(module.kernel_size)
        return f"max over\n{k_h} × {k_w} patches"
    if isinstance(module, nn.Linear):
        return f"fully connected\n{module.in_features} → {module.out_features}"
    return type(module).__name__


def _trace(net, input_shape):
    """Run one zero input through ``net`` and record its top-level layers as they are called.

    Returns a list of ``(name, module, input shape, output shape)``, batch axis dropped.
    """
    torch = _torch()

    calls, handles = [], []

    def record(name):
        def hook(module, inputs, output):
            if isinstance(output, torch.Tensor) and inputs and isinstance(inputs[0], torch.Tensor):
                calls.append((name, module, tuple(inputs[0].shape[1:]), tuple(output.shape[1:])))

        return hook

    for name, module in net.named_children():
        handles.append(module.register_forward_hook(record(name)))
    parameter = next(net.parameters(), None)
    dtype = parameter.dtype if parameter is not None else torch.float32
    device = parameter.device if parameter is not None else "cpu"
    try:
        with torch.no_grad():
            net(torch.zeros((1, *input_shape), dtype=dtype, device=device))
    except (TypeError, ValueError, RuntimeError) as error:
        raise ValueError(
            f"input_shape must be the shape of one input of net, without the batch axis; "
            f"{type(net).__name__} could not run on an input of shape {input_shape}: {error}"
        ) from None
    finally:
        for handle in handles:
            handle.remove()
    return calls


def plot_architecture(net, input_shape, notes=None):
    """Draw a network as a column of boxes, one per layer, with the shape of each layer's output.

    Parameters
    ----------
    net : torch.nn.Module
        The network. Its direct children (``net.conv``, ``net.pool``, ...) are the layers
        drawn, in the order its forward pass calls them; a child that is not called is left
        out.
    input_shape : sequence of int
        Shape of one input, without the batch axis: ``(48, 64)`` for the gratings of the
        encoding-model tutorial's :class:`nma_dl.CNN`.
    notes : dict, optional
        ``{layer name: text}``, a last line for a layer's box, for what the forward pass does
        outside the layers (``{"conv": "then ReLU"}``).

    Returns
    -------
    matplotlib.figure.Figure
        The figure: an "input" box, then one box per layer below it, with its name and what it
        does, and its output's shape to its right; an arrow between consecutive boxes,
        labelled with the new shape when the forward pass reshapes the tensor between them.

    Raises
    ------
    TypeError
        If ``net`` is not a ``torch.nn.Module``, ``input_shape`` not a sequence of ints or
        ``notes`` not a dict.
    ValueError
        If ``input_shape`` has a size below 1 or is not a shape ``net`` can run on, if
        ``notes`` names a layer the diagram does not show, or if the forward pass calls no
        layer of ``net``.

    Examples
    --------
    >>> from nma_dl import CNN
    >>> fig = plot_architecture(CNN(48, 64), (48, 64), notes={"conv": "then ReLU"})
    """
    nn = _torch().nn

    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    validate_instance(
        input_shape, (tuple, list), "input_shape", "a tuple of ints such as (48, 64)"
    )
    input_shape = tuple(
        validate_int(
            n,
            "input_shape",
            Interval(Integral, 1, None, text="ints >= 1"),
            expected="a tuple of ints",
        )
        for n in input_shape
    )
    notes = {} if notes is None else validate_instance(notes, dict, "notes", "a dict {name: text}")
    calls = _trace(net, input_shape)
    if not calls:
        raise ValueError(
            f"net must call at least one of its layers (its direct children) in forward; "
            f"{type(net).__name__}'s forward called none"
        )
    unknown = sorted(set(notes) - {name for name, *_ in calls})
    if unknown:
        raise ValueError(
            f"notes must name layers of the diagram ({', '.join(n for n, *_ in calls)}); "
            f"got {', '.join(map(str, unknown))}"
        )
    boxes, arrows = _layout(calls, input_shape, notes)
    return _draw(boxes, arrows)


def _layout(calls, input_shape, notes):
    """Return the boxes ``(name, what it does, output shape)`` and the arrows' labels."""
    boxes = [("input", "one image" if len(input_shape) == 2 else "one input", input_shape)]
    arrows = []  # the label of each arrow: a reshape between two boxes, or ""
    previous = input_shape
    for name, module, shape_in, shape_out in calls:
        reshaped = shape_in != previous
        verb = "flatten to " if len(shape_in) == 1 else "reshape to "
        arrows.append(verb + _shape_text(shape_in) if reshaped else "")
        text = _describe(module)
        if name in notes:
            text += f"\n{notes[name]}"
        boxes.append((name, text, shape_out))
        previous = shape_out
    return boxes, arrows


def _draw(boxes, arrows):
    """Draw the boxes in a column, top to bottom, each output shape to the right of its box."""
    step = _BOX_HEIGHT + _GAP
    height = len(boxes) * step - _GAP + 0.7
    fig, ax = plt.subplots(figsize=(_BOX_WIDTH + _SHAPES_WIDTH + 0.3, height))
    middle = _BOX_WIDTH / 2
    for index, (name, text, shape) in enumerate(boxes):
        top = -index * step
        ax.add_patch(
            FancyBboxPatch(
                (0, top - _BOX_HEIGHT),
                _BOX_WIDTH,
                _BOX_HEIGHT,
                boxstyle="round,pad=0.04",
                facecolor="#e8eef7" if index else "#eeeeee",
                edgecolor="0.3",
                linewidth=1.2,
            )
        )
        ax.text(middle, top - 0.1, name, ha="center", va="top", fontweight="bold")
        ax.text(middle, top - 0.38, text, ha="center", va="top", fontsize=12)
        ax.text(_BOX_WIDTH + 0.3, top - _BOX_HEIGHT / 2, _shape_text(shape), va="center")
    for index, label in enumerate(arrows):
        start = -index * step - _BOX_HEIGHT - 0.06
        ax.add_patch(
            FancyArrowPatch(
                (middle, start),
                (middle, start - _GAP + 0.12),
                arrowstyle="-|>",
                mutation_scale=16,
                color="0.3",
            )
        )
        if label:
            y = start - _GAP / 2 + 0.03
            ax.text(middle + 0.15, y, label, va="center", fontsize=12, style="italic")
    ax.text(_BOX_WIDTH + 0.3, 0.25, "output shape", va="bottom", fontsize=12, color="0.3")
    ax.set(xlim=(-0.1, _BOX_WIDTH + _SHAPES_WIDTH + 0.2), ylim=(-height + 0.6, 0.6))
    ax.set_aspect("equal")
    ax.axis("off")
    return fig
