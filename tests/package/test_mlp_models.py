"""Multi-layer perceptrons: the safe activation parser, Net, and the hand-built ReLU network."""

import math

import matplotlib

matplotlib.use("Agg")

import pytest
import torch
from torch import nn

from nma_dl.models import (
    Net,
    activation_names,
    approximate_function,
    parse_activation,
)
from nma_dl.plotting import plot_function_approximation

# ------------------------------------------------------------------ parse_activation


@pytest.mark.parametrize(
    "spec, cls, attrs",
    [
        ("ReLU()", nn.ReLU, {}),
        ("ReLU", nn.ReLU, {}),
        ("nn.ReLU()", nn.ReLU, {}),
        ("  Tanh( )  ", nn.Tanh, {}),
        ("LeakyReLU(0.1)", nn.LeakyReLU, {"negative_slope": 0.1}),
        ("LeakyReLU(negative_slope=-0.2)", nn.LeakyReLU, {"negative_slope": -0.2}),
        ("ELU(alpha=2, inplace=False)", nn.ELU, {"alpha": 2}),
        ("Softplus(beta=2)", nn.Softplus, {"beta": 2}),
        ("GELU(approximate='tanh')", nn.GELU, {"approximate": "tanh"}),
        ("Sigmoid()", nn.Sigmoid, {}),
    ],
)
def test_accepted_strings(spec, cls, attrs):
    module = parse_activation(spec)
    assert type(module) is cls
    for name, value in attrs.items():
        assert getattr(module, name) == value


def test_every_call_returns_a_new_module():
    assert parse_activation("PReLU()") is not parse_activation("PReLU()")


def test_accepted_names_are_torch_activations_only():
    names = activation_names()
    assert {"ReLU", "LeakyReLU", "Tanh", "Sigmoid", "ELU", "GELU"} <= set(names)
    assert "MultiheadAttention" not in names and "Linear" not in names
    for name in names:
        assert issubclass(getattr(nn, name), nn.Module)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "spec, why",
    [
        ("__import__('os').system('echo pwned')", "expected a name"),
        ("__import__('os')", "not a torch.nn activation"),
        ("eval('1')", "not a torch.nn activation"),
        ("os.system('ls')", "expected a name"),
        ("Linear(2, 3)", "not a torch.nn activation"),
        ("MultiheadAttention(4, 2)", "not a torch.nn activation"),
        ("Relu()", "not a torch.nn activation"),
        ("ReLU(", "not valid Python"),
        ("", "not valid Python"),
        ("ReLU(); import os", "not valid Python"),
        ("LeakyReLU(x)", "literal"),
        ("LeakyReLU(1 + 2j if True else 0)", "literal"),
        ("LeakyReLU(**{'negative_slope': 0.1})", "literal"),
        ("LeakyReLU([0.1])", "single numbers"),
        ("LeakyReLU(1e999)", "finite"),
        ("LeakyReLU(0.1) + 1", "expected a name"),
        ("ReLU()()", "expected a name"),
        ("LeakyReLU(0.1, 2, 3, 4)", "does not accept these arguments"),
        ("Threshold()", "does not accept these arguments"),
        ("ReLU(" + "0," * 300 + ")", "longer than 200"),
    ],
)
def test_rejected_strings_list_the_accepted_names(spec, why):
    with pytest.raises(ValueError, match=why) as info:
        parse_activation(spec)
    assert "Accepted names: " in str(info.value) and "LeakyReLU" in str(info.value)
    assert str(info.value).startswith("spec must look like")
    with pytest.raises(ValueError, match="^actv must look like"):  # Net names its own argument
        Net(spec, 2, [4], 1)


@pytest.mark.bad_input
def test_parser_never_runs_code(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    attacks = [
        f"__import__('pathlib').Path('{marker}').touch()",
        f"LeakyReLU(__import__('pathlib').Path('{marker}').touch())",
        f"LeakyReLU(negative_slope=open('{marker}', 'w'))",
        "LeakyReLU((lambda: open('ran', 'w'))())",
    ]
    for spec in attacks:
        with pytest.raises(ValueError):
            parse_activation(spec)
    assert not marker.exists() and not (tmp_path / "ran").exists()


@pytest.mark.bad_input
@pytest.mark.parametrize("spec", [None, 1, nn.ReLU(), nn.ReLU, b"ReLU()"])
def test_non_strings_are_a_type_error(spec):
    with pytest.raises(TypeError, match="spec must be a str"):
        parse_activation(spec)


# ------------------------------------------------------------------ Net


def test_the_tutorial_example_shape_and_layers():
    net = Net(
        actv="LeakyReLU(0.1)",
        input_feature_num=2,
        hidden_unit_nums=[100, 10, 5],
        output_feature_num=1,
    )
    assert net(torch.zeros((100, 2))).shape == (100, 1)
    names = [name for name, _ in net.mlp.named_children()]
    assert names == [
        "Linear_0",
        "Activation_0",
        "Linear_1",
        "Activation_1",
        "Linear_2",
        "Activation_2",
        "Output_Linear",
    ]
    assert all(isinstance(net.mlp[i], nn.LeakyReLU) for i in (1, 3, 5))
    assert net.mlp.Activation_0 is not net.mlp.Activation_1
    assert [net.mlp[i].out_features for i in (0, 2, 4, 6)] == [100, 10, 5, 1]


@pytest.mark.parametrize("actv", ["ReLU()", "Tanh()", "LeakyReLU(0.1)", "ELU()", "Sigmoid()"])
@pytest.mark.parametrize(
    "shape, features, expected",
    [
        ((7,), 1, (7, 3)),  # 1-D input: one feature per sample
        ((7, 2), 2, (7, 3)),  # 2-D input
        ((5, 1, 28, 28), 784, (5, 3)),  # images are flattened
        ((4, 3, 8, 8), 192, (4, 3)),  # colour images
        ((6,), 6, (1, 3)),  # one sample given as a vector
    ],
)
def test_shapes_for_many_inputs_and_activations(actv, shape, features, expected):
    torch.manual_seed(0)
    net = Net(actv, features, [16, 8], 3)
    out = net(torch.randn(shape))
    assert out.shape == expected and torch.isfinite(out).all()


def test_no_hidden_layer_is_a_linear_model():
    net = Net("ReLU()", 3, [], 2)
    assert [name for name, _ in net.mlp.named_children()] == ["Output_Linear"]
    x = torch.randn(4, 3)
    torch.testing.assert_close(net(x), net.mlp.Output_Linear(x))


def test_seeded_construction_is_reproducible():
    torch.manual_seed(1)
    a = Net("ReLU()", 2, [128], 4)
    torch.manual_seed(1)
    b = Net("ReLU()", 2, [128], 4)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


def test_net_trains_end_to_end():
    torch.manual_seed(0)
    net = Net("ReLU()", 1, [32], 1)
    x = torch.linspace(-1, 1, 64).unsqueeze(1)
    y = x.abs()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    for _ in range(300):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
    assert loss.item() < 1e-3


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "args, error, match",
    [
        (("ReLU", 0, [4], 1), ValueError, "input_feature_num must be a positive int"),
        (("ReLU", 2.0, [4], 1), TypeError, "input_feature_num must be an int"),
        (("ReLU", 2, 4, 1), TypeError, "hidden_unit_nums must be a list of ints"),
        (("ReLU", 2, "44", 1), TypeError, "hidden_unit_nums must be a list of ints"),
        (("ReLU", 2, [4, 0], 1), ValueError, r"hidden_unit_nums\[1\] must be a positive int"),
        (("ReLU", 2, [4, 2.5], 1), TypeError, r"hidden_unit_nums\[1\] must be an int"),
        (("ReLU", 2, [4], True), TypeError, "output_feature_num must be an int"),
        (("Nope()", 2, [4], 1), ValueError, "Accepted names"),
        ((nn.ReLU(), 2, [4], 1), TypeError, "actv must be a str"),
    ],
)
def test_net_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        Net(*args)


@pytest.mark.bad_input
def test_forward_rejects_inputs_of_the_wrong_size():
    net = Net("ReLU()", 3, [4], 1)
    with pytest.raises(ValueError, match="whole number of samples of 3 features"):
        net(torch.zeros(4, 2))
    with pytest.raises(ValueError, match="whole number of samples"):
        net(torch.zeros(0, 3))
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        net([[0.0, 0.0, 0.0]])
    with pytest.raises(
        TypeError, match="x must have the network's dtype torch.float32, got torch.int64"
    ):
        net(torch.zeros(4, 3, dtype=torch.long))
    with pytest.raises(
        TypeError, match="got torch.float64 \\(convert with x.to\\(torch.float32\\)\\)"
    ):
        net(torch.zeros(4, 3, dtype=torch.float64))
    assert net.double()(torch.zeros(4, 3, dtype=torch.float64)).dtype == torch.float64


# ------------------------------------------------------------------ approximate_function


def test_relu_sum_interpolates_the_sine_through_its_samples():
    x_train = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
    y_train = torch.sin(x_train)
    y_hat, relu_acts, x = approximate_function(x_train, y_train)
    assert y_hat.shape == (1000,) and relu_acts.shape == (9, 1000) and x.shape == (1000,)
    assert x[0] == 0 and x[-1] == pytest.approx(2 * math.pi)
    # every ReLU has slope one right of its kink at a training point, and is zero left of it
    for i in range(9):
        kink = x_train[i, 0]
        assert torch.all(relu_acts[i][x <= kink] == 0)
        torch.testing.assert_close(relu_acts[i][x > kink], x[x > kink] - kink)
    # piecewise linear interpolation: error at most of the order h^2 / 8 of the sine
    h = 2 * math.pi / 9
    assert (y_hat - torch.sin(x)).abs().max() <= h**2 / 8 + 1e-4
    # and exact at the training points
    y_at, _, _ = approximate_function(x_train, y_train, n_points=10)
    torch.testing.assert_close(y_at, y_train.view(-1), atol=1e-5, rtol=0)


def test_plot_function_approximation_draws_both_panels():
    x_train = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
    y_hat, relu_acts, x = approximate_function(x_train, torch.sin(x_train))
    fig = plot_function_approximation(x, relu_acts, y_hat)
    top, bottom = fig.axes
    assert len(top.lines) == 9 and len(bottom.lines) == 2
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["truth", "estimated"]


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "x_train, y_train, match",
    [
        ([0.0, 1.0], torch.zeros(2), "x_train must be a torch.Tensor"),
        (torch.zeros(1), torch.zeros(1), "at least 2 points"),
        (torch.arange(3.0), torch.zeros(4), "one value per x_train point"),
        (torch.tensor([0.0, 2.0, 1.0]), torch.zeros(3), "strictly increasing"),
        (torch.tensor([0.0, float("nan")]), torch.zeros(2), "finite"),
        (torch.zeros(3, 2), torch.zeros(3), r"x_train must have shape \(n,\) or \(n, 1\)"),
        (torch.arange(3.0), torch.zeros(1, 3), r"y_train must have shape"),
        (torch.arange(3.0) + 0j, torch.zeros(3), "x_train must hold real numbers"),
    ],
)
def test_approximate_function_rejects_bad_inputs(x_train, y_train, match):
    with pytest.raises((TypeError, ValueError), match=match):
        approximate_function(x_train, y_train)


@pytest.mark.bad_input
def test_plot_function_approximation_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="relu_acts must have shape"):
        plot_function_approximation(torch.zeros(5), torch.zeros(3, 4), torch.zeros(5))
    with pytest.raises(ValueError, match="y_hat must have one value per x"):
        plot_function_approximation(torch.zeros(5), torch.zeros(3, 5), torch.zeros(4))


def test_net_takes_its_widths_from_any_iterable_once():
    net = Net("ReLU()", 2, (width for width in (3, 4)), 2)
    widths = [layer.out_features for layer in net.mlp if isinstance(layer, torch.nn.Linear)]
    assert widths == [3, 4, 2]


def test_net_shows_only_the_model():
    import inspect

    for method in (Net.__init__, Net.forward):
        source = inspect.getsource(method)
        assert "raise" not in source and "check" not in source
