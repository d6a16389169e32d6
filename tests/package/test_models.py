"""nma_dl.models: DeepNet and DeepNetReLU, by hand-set weights."""

import copy
import inspect
import io
import pickle

import numpy as np
import pytest
import torch
from torch import nn

from nma_dl.models import DeepNet, DeepNetReLU


def _set_weights(net):
    """in: 2 inputs -> 2 hidden units; out: 1 output, all chosen by hand."""
    with torch.no_grad():
        net.in_layer.weight.copy_(torch.tensor([[1.0, 2.0], [-1.0, 0.5]]))
        net.in_layer.bias.copy_(torch.tensor([0.0, -1.0]))
        net.out_layer.weight.copy_(torch.tensor([[3.0, 2.0]]))
        net.out_layer.bias.copy_(torch.tensor([0.5]))
    return net


R = torch.tensor([[1.0, 1.0], [2.0, -1.0]])
# hidden before ReLU: row 1 -> [3, -1.5], row 2 -> [0, -3.5]


def test_layers_and_shapes():
    net = DeepNet(5, 3)
    assert isinstance(net, nn.Module)
    assert isinstance(net.in_layer, nn.Linear) and isinstance(net.out_layer, nn.Linear)
    assert net.in_layer.weight.shape == (3, 5)
    assert net.out_layer.weight.shape == (1, 3)
    assert [name for name, _ in net.named_parameters()] == [
        "in_layer.weight",
        "in_layer.bias",
        "out_layer.weight",
        "out_layer.bias",
    ]


def test_deepnet_is_linear_by_hand():
    out = _set_weights(DeepNet(2, 2))(R)
    # row 1: 3*3 + 2*(-1.5) + 0.5 = 6.5; row 2: 3*0 + 2*(-3.5) + 0.5 = -6.5
    assert out.shape == (2, 1)
    assert torch.equal(out, torch.tensor([[6.5], [-6.5]]))


def test_deepnet_relu_clips_hidden_units_by_hand():
    out = _set_weights(DeepNetReLU(2, 2))(R)
    # row 1: 3*3 + 2*0 + 0.5 = 9.5; row 2: 0 + 0 + 0.5 = 0.5
    assert torch.equal(out, torch.tensor([[9.5], [0.5]]))


def test_relu_net_is_a_deepnet_with_the_same_layers():
    assert issubclass(DeepNetReLU, DeepNet)
    torch.manual_seed(3)
    plain = DeepNet(4, 6)
    torch.manual_seed(3)
    relu = DeepNetReLU(4, 6)
    for a, b in zip(plain.parameters(), relu.parameters(), strict=True):
        assert torch.equal(a, b)


def test_initialisation_order_matches_two_linear_layers():
    torch.manual_seed(0)
    net = DeepNetReLU(7, 3)
    torch.manual_seed(0)
    first, second = nn.Linear(7, 3), nn.Linear(3, 1)
    assert torch.equal(net.in_layer.weight, first.weight)
    assert torch.equal(net.out_layer.bias, second.bias)


def test_single_vector_gives_one_output():
    out = DeepNetReLU(4, 3)(torch.zeros(4))
    assert out.shape == (1,)
    assert out.dtype == torch.float32


@pytest.mark.bad_input
@pytest.mark.parametrize("args", [(2.0, 3), (2, "3"), (True, 3)])
def test_sizes_must_be_ints(args):
    with pytest.raises(TypeError, match="must be an int"):
        DeepNet(*args)


@pytest.mark.bad_input
@pytest.mark.parametrize("args, name", [((0, 3), "n_inputs"), ((2, -1), "n_hidden")])
def test_sizes_must_be_positive(args, name):
    with pytest.raises(ValueError, match=f"{name} must be a positive int"):
        DeepNetReLU(*args)


@pytest.mark.bad_input
@pytest.mark.parametrize("cls", [DeepNet, DeepNetReLU])
def test_forward_checks_input_width(cls):
    net = cls(4, 3)
    with pytest.raises(ValueError, match=r"r must have shape .*n_inputs=4.*\(2, 5\)"):
        net(torch.zeros(2, 5))
    with pytest.raises(ValueError, match="r must have shape"):
        net(torch.tensor(1.0))


@pytest.mark.bad_input
def test_forward_needs_a_tensor():
    with pytest.raises(TypeError, match="r must be a torch.Tensor, got list"):
        DeepNet(2, 2)([1.0, 2.0])


# ---- the source the tutorial shows, and the checks kept out of it ----------------------------


@pytest.mark.parametrize(
    "method",
    [DeepNet.__init__, DeepNet.forward, DeepNetReLU.forward],
    ids=lambda m: m.__qualname__,
)
def test_shown_source_holds_only_the_model(method):
    # The decoding tutorial prints inspect.getsource(DeepNet.__init__) and (DeepNet.forward).
    source = inspect.getsource(method)
    for word in ("raise", "check", "isinstance", "Error", "assert", "if "):
        assert word not in source, f"{method.__qualname__} shows {word!r}"


def test_init_source_is_what_a_student_writes():
    lines = [line.strip() for line in inspect.getsource(DeepNet.__init__).splitlines()]
    assert lines == [
        "def __init__(self, n_inputs, n_hidden):",
        "super().__init__()",
        "self.in_layer = nn.Linear(n_inputs, n_hidden)",
        "self.out_layer = nn.Linear(n_hidden, 1)",
    ]
    forward = inspect.getsource(DeepNet.forward).splitlines()
    assert [line.strip() for line in forward[-2:]] == [
        "h = self.in_layer(r)",
        "return self.out_layer(h)",
    ]


def test_signatures_name_the_arguments():
    assert list(inspect.signature(DeepNet).parameters) == ["n_inputs", "n_hidden"]
    assert list(inspect.signature(DeepNetReLU.forward).parameters) == ["self", "r"]


@pytest.mark.bad_input
def test_input_is_checked_however_the_network_is_called_or_copied():
    net = DeepNetReLU(3, 2)
    copies = [net, copy.deepcopy(net), pickle.loads(pickle.dumps(net))]
    buffer = io.BytesIO()
    torch.save(net, buffer)
    buffer.seek(0)
    copies.append(torch.load(buffer, weights_only=False))
    for each in copies:
        with pytest.raises(ValueError, match=r"r must have shape .*n_inputs=3"):
            each(r=torch.zeros(2, 4))
        with pytest.raises(TypeError, match="r must have the network's dtype torch.float32"):
            each(torch.zeros(2, 3, dtype=torch.float64))
        assert each(torch.zeros(2, 3)).shape == (2, 1)


@pytest.mark.bad_input
def test_a_wrong_call_gets_pythons_own_message():
    with pytest.raises(TypeError, match=r"__init__\(\) missing 1 required positional argument"):
        DeepNet(3)
    with pytest.raises(TypeError, match=r"forward\(\) missing 1 required positional argument"):
        DeepNet(3, 2)()


def test_numpy_sizes_become_ints():
    net = DeepNet(np.int64(3), np.int64(2))
    assert type(net.in_layer.in_features) is int and net.in_layer.out_features == 2
