"""Unit tests of the bonus tutorial's helpers (W1D5 Tutorial 4): hand-computed cases and errors."""

import math

import matplotlib
import numpy as np
import pytest
import torch

from nma_dl import (
    ConvFC,
    DeepNetSoftmax,
    decode_orientation,
    filters,
    grating_stimuli,
    penalty_terms,
    plot_encoder_tuning,
    plot_prediction,
    plot_training_curves,
    preferred_orientation,
    regularized_loss,
    regularized_MSE_loss,
    stimulus_class,
    train_encoder,
    visualize_hidden_units,
    visualize_weights,
)

matplotlib.use("Agg")


# --------------------------------------------------------------------------- preferred orientation


def test_preferred_orientation_finds_planted_peaks():
    theta = np.deg2rad(np.arange(360))[:, None]
    planted = np.array([0, 45, 200, 359])
    resp = np.exp(3 * (np.cos(theta - np.deg2rad(planted)) - 1))
    np.testing.assert_array_equal(preferred_orientation(resp), planted)
    assert preferred_orientation(torch.tensor(resp, dtype=torch.float32)).dtype == np.int64


def test_preferred_orientation_wraps_where_reflecting_does_not():
    # a neuron whose peak straddles 0: most of its bump is at 350-359, a spike at 2
    resp = np.zeros((360, 1))
    resp[350:360, 0] = 1.0
    resp[0:3, 0] = 1.0
    resp[2, 0] = 1.5
    wrapped = preferred_orientation(resp, sigma=5)
    reflected = preferred_orientation(resp, sigma=5, mode="reflect")
    assert wrapped[0] >= 350  # the bump's centre of mass, across the wrap
    assert reflected[0] != wrapped[0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"resp": np.zeros(5)}, ValueError, "resp must be a 2-D"),
        ({"resp": [[1, 2]], "sigma": 0}, ValueError, "sigma"),
        ({"resp": [[1, 2]], "sigma": float("nan")}, ValueError, "sigma"),
        ({"resp": [[1.0, 2.0]], "mode": "circular"}, ValueError, "mode"),
    ],
)
def test_preferred_orientation_bad_input(kwargs, error, match):
    if isinstance(kwargs["resp"], list):
        kwargs["resp"] = np.asarray(kwargs["resp"], dtype=float)
    with pytest.raises(error, match=match):
        preferred_orientation(**kwargs)


# --------------------------------------------------------------------------- losses


def test_regularized_loss_by_hand():
    output = torch.log(torch.tensor([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]))
    target = torch.tensor([0, 2])
    weights = torch.tensor([[1.0, -2.0], [0.5, 0.0]])
    nll = -(math.log(0.5) + math.log(0.8)) / 2
    expected = nll + 0.1 * (1 + 4 + 0.25) + 0.01 * (1 + 2 + 0.5)
    got = regularized_loss(output, target, weights, L2_penalty=0.1, L1_penalty=0.01)
    assert got.item() == pytest.approx(expected, rel=1e-6)
    assert regularized_loss(output, target, weights).item() == pytest.approx(nll, rel=1e-6)


def test_regularized_loss_gradient_is_2_l2_w_plus_l1_sign():
    w = torch.tensor([[0.5, -1.0, 2.0]], requires_grad=True)
    output = torch.log_softmax(torch.zeros(1, 2), dim=1)
    regularized_loss(output, torch.tensor([1]), w, 0.3, 0.2).backward()
    torch.testing.assert_close(w.grad, 2 * 0.3 * w.detach() + 0.2 * torch.sign(w.detach()))


def test_regularized_mse_loss_by_hand():
    out, target = torch.tensor([[1.0, 2.0]]), torch.tensor([[0.0, 0.0]])
    w = torch.tensor([3.0, -4.0])
    assert regularized_MSE_loss(out, target).item() == pytest.approx(2.5)
    got = regularized_MSE_loss(out, target, w, L2_penalty=0.5, L1_penalty=0.25).item()
    assert got == pytest.approx(2.5 + 0.5 * 25 + 0.25 * 7)


def test_penalty_terms_float32_agrees_with_float64():
    gen = torch.Generator().manual_seed(0)
    w = 0.01 * torch.randn(2000, 1152, generator=gen)
    got = penalty_terms(w, 5e-4, 1e-6).item()
    w64 = w.double()
    expected = (5e-4 * w64.square().sum() + 1e-6 * w64.abs().sum()).item()
    assert got == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    ("penalties", "match"),
    [((-1e-3, 0), "L2_penalty must be >= 0"), ((0, float("nan")), "L1_penalty must be finite")],
)
def test_penalties_refuse_negative_and_nan(penalties, match):
    output, target = torch.log_softmax(torch.zeros(2, 3), dim=1), torch.tensor([0, 1])
    with pytest.raises(ValueError, match=match):
        regularized_loss(output, target, torch.ones(2, 2), *penalties)
    with pytest.raises(ValueError, match=match):
        regularized_MSE_loss(torch.zeros(2), torch.zeros(2), torch.ones(2), *penalties)


def test_losses_refuse_weights_that_are_not_tensors():
    output, target = torch.log_softmax(torch.zeros(2, 3), dim=1), torch.tensor([0, 1])
    with pytest.raises(TypeError, match="weights must be a torch.Tensor"):
        regularized_loss(output, target, [[1.0, 2.0]], 0.1, 0.1)
    with pytest.raises(ValueError, match="same shape"):
        regularized_MSE_loss(torch.zeros(2, 3), torch.zeros(3, 2))


# --------------------------------------------------------------------------- models


def test_deepnetsoftmax_outputs_log_probabilities():
    torch.manual_seed(0)
    net = DeepNetSoftmax(6, 4, 5)
    logp = net(torch.randn(3, 6))
    assert logp.shape == (3, 5)
    torch.testing.assert_close(logp.exp().sum(dim=1), torch.ones(3))


def test_deepnetsoftmax_initial_weights_follow_the_seed_like_the_original():
    torch.manual_seed(1)
    net = DeepNetSoftmax(8, 4, 3)
    torch.manual_seed(1)
    in_layer, out_layer = torch.nn.Linear(8, 4), torch.nn.Linear(4, 3)
    assert torch.equal(net.in_layer.weight, in_layer.weight)
    assert torch.equal(net.out_layer.bias, out_layer.bias)


@pytest.mark.parametrize("n_classes", [1, 0, 2.5])
def test_deepnetsoftmax_refuses_fewer_than_two_classes(n_classes):
    with pytest.raises((ValueError, TypeError), match="n_classes"):
        DeepNetSoftmax(5, 3, n_classes)


def test_convfc_shapes_and_parameter_count():
    net = ConvFC(50, filters=filters())
    assert net(torch.zeros(4, 1, 12, 16)).shape == (4, 50)
    n_parameters = sum(p.numel() for p in net.parameters())
    assert n_parameters == 6 * 49 + 6 + 1152 * 50 + 50
    assert net.out_layer.weight.shape == (50, 1152)
    assert torch.equal(net.conv.weight, filters()) and not net.conv.bias.any()
    assert net.conv.weight.requires_grad  # the filters stay trainable


def test_convfc_weights_are_small_and_seeded():
    torch.manual_seed(0)
    a = ConvFC(2000)
    torch.manual_seed(0)
    b = ConvFC(2000)
    assert torch.equal(a.out_layer.weight, b.out_layer.weight)
    assert a.out_layer.weight.std().item() == pytest.approx(0.01, rel=0.02)


def test_convfc_bad_input():
    with pytest.raises(ValueError, match="filters must have shape"):
        ConvFC(5, filters=torch.zeros(6, 1, 5, 5))
    with pytest.raises(ValueError, match="H \\* W = b = 192"):
        ConvFC(5)(torch.zeros(2, 1, 10, 10))


# --------------------------------------------------------------------------- stimuli


def test_stimulus_class_edges():
    ori = torch.tensor([[0.0], [17.99], [18.0], [359.999]])
    assert stimulus_class(ori, 20).tolist() == [0, 0, 1, 19]
    # 360 degrees is 0 degrees: class 0, never the non-existent class 20
    assert stimulus_class(torch.tensor([360.0, 0.0]), 20).tolist() == [0, 0]


def test_grating_stimuli_repeat_every_180_degrees():
    orientations, images = grating_stimuli()
    assert images.shape == (60, 1, 12, 16) and images.dtype == torch.float32
    assert orientations[0] == -180 and orientations[-1] == 174
    assert torch.equal(images[:30], images[30:])


# --------------------------------------------------------------------------- trainers


def _classification_data(n=60, n_neurons=30, seed=0):
    gen = torch.Generator().manual_seed(seed)
    stimuli = torch.rand(n, 1, generator=gen) * 360
    preferred = torch.rand(n_neurons, generator=gen) * 360
    resp = torch.cos(torch.deg2rad(stimuli - preferred)) + 0.1 * torch.randn(
        n, n_neurons, generator=gen
    )
    return resp, stimuli


def test_decode_orientation_returns_the_originals_outputs(capsys):
    resp, stimuli = _classification_data()
    torch.manual_seed(0)
    net = DeepNetSoftmax(30, 8, 4)
    train_loss, test_loss, predicted = decode_orientation(
        net, 4, regularized_loss, resp[:40], stimuli[:40], resp[40:], stimuli[40:], n_iter=50,
        L2_penalty=1e-3, L1_penalty=1e-4,
    )  # fmt: skip
    assert len(train_loss) == len(test_loss) == 50
    assert predicted.shape == (20,) and predicted.dtype == torch.int64
    assert train_loss[-1] < train_loss[0]
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 6 and printed[-1].startswith(">>> fraction correct = ")
    accuracy = (predicted == stimulus_class(stimuli[40:], 4)).double().mean().item()
    assert printed[-1] == f">>> fraction correct = {accuracy:.3f}"


class _Writes:
    """A stand-in for ``sys.stdout`` that keeps every ``write`` call apart."""

    def __init__(self):
        self.calls = []

    def write(self, text):
        self.calls.append(text)
        return len(text)

    def flush(self):
        pass


def test_decode_orientation_prints_its_log_in_one_go(monkeypatch):
    # One write, so a notebook shows the log in one output box, whatever the time between lines.
    resp, stimuli = _classification_data()
    writes = _Writes()
    monkeypatch.setattr("sys.stdout", writes)
    torch.manual_seed(0)
    decode_orientation(
        DeepNetSoftmax(30, 8, 4), 4, torch.nn.NLLLoss(), resp[:40], stimuli[:40], resp[40:],
        stimuli[40:], n_iter=10,
    )  # fmt: skip
    logs = [text for text in writes.calls if text.strip()]
    assert len(logs) == 1
    lines = logs[0].splitlines()
    assert len(lines) == 6 and lines[0].startswith("iteration 2/10 | loss: ")
    assert lines[-1].startswith(">>> fraction correct = ")


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"n_classes": 1}, ValueError, "n_classes"),
        ({"train_labels": torch.zeros(39, 1)}, ValueError, "same number of rows"),
        ({"L2_penalty": -1.0}, ValueError, "L2_penalty"),
        ({"L1_penalty": float("nan")}, ValueError, "L1_penalty"),
        ({"loss_fn": 3}, ValueError, "loss_fn"),
    ],
)
def test_decode_orientation_bad_input(change, error, match):
    resp, stimuli = _classification_data()
    kwargs = {
        "net": DeepNetSoftmax(30, 8, 4),
        "n_classes": 4,
        "loss_fn": regularized_loss,
        "train_data": resp[:40],
        "train_labels": stimuli[:40],
        "test_data": resp[40:],
        "test_labels": stimuli[40:],
        "n_iter": 2,
    }
    kwargs.update(change)
    with pytest.raises(error, match=match):
        decode_orientation(**kwargs)


def _encoding_data(n_neurons=40):
    gen = torch.Generator().manual_seed(1)
    _, images = grating_stimuli()
    resp = torch.randn(60, n_neurons, generator=gen)
    return images, resp, resp + 0.1 * torch.randn(60, n_neurons, generator=gen)


def test_train_encoder_records_test_loss_at_the_originals_iterations():
    images, resp_train, resp_test = _encoding_data()
    torch.manual_seed(0)
    net = ConvFC(40, filters=filters())
    train_loss, test_loss = train_encoder(
        net, images, resp_train, images, resp_test, learning_rate=0.01, n_iter=40, verbose=False
    )
    assert train_loss.shape == test_loss.shape == (40,)
    measured = np.flatnonzero(~np.isnan(test_loss)).tolist()
    assert measured == [0, 3, 7, 11, 15, 19, 23, 27, 31, 35, 39]
    assert np.isfinite(train_loss).all() and train_loss[-1] < train_loss[0]


def test_train_encoder_prints_its_log_in_one_go(monkeypatch):
    images, resp_train, resp_test = _encoding_data()
    writes = _Writes()
    monkeypatch.setattr("sys.stdout", writes)
    torch.manual_seed(0)
    train_loss, test_loss = train_encoder(
        ConvFC(40, filters=filters()), images, resp_train, images, resp_test,
        learning_rate=0.01, n_iter=20,
    )  # fmt: skip
    logs = [text for text in writes.calls if text.strip()]
    assert len(logs) == 1
    lines = logs[0].splitlines()
    measured = np.flatnonzero(~np.isnan(test_loss))
    assert len(lines) == len(measured) == 11
    for line, i in zip(lines, measured, strict=True):
        assert line == (
            f"iteration {i + 1}/20 | train loss: {train_loss[i]:.4f} | "
            f"test loss: {test_loss[i]:.4f}"
        )


def test_train_encoder_prints_the_log_so_far_when_training_fails(monkeypatch, capsys):
    images, resp_train, _ = _encoding_data()
    torch.manual_seed(0)
    net = ConvFC(40, filters=filters())
    calls = []

    def failing_step(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("stop")
        return 0.0

    monkeypatch.setattr("nma_dl.encoding._penalty_and_step", failing_step)
    with pytest.raises(RuntimeError, match="stop"):
        train_encoder(net, images, resp_train, learning_rate=0.01, n_iter=10)
    assert capsys.readouterr().out.startswith("iteration 1/10 | train loss: ")


def test_train_encoder_distinct_images_give_the_full_batch_numbers():
    # The package runs the 30 distinct gratings once; a plain loop runs all 60: same losses.
    # (lr 2 suits 23 589 neurons, whose mean makes the gradients small; 40 neurons need less.)
    images, resp_train, _ = _encoding_data()
    torch.manual_seed(0)
    net = ConvFC(40, filters=filters())
    state = {k: v.clone() for k, v in net.state_dict().items()}
    deduplicated, _ = train_encoder(
        net, images, resp_train, learning_rate=0.01, n_iter=10, verbose=False
    )
    net.load_state_dict(state)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    for i in range(10):
        loss = regularized_MSE_loss(net(images), resp_train, net.out_layer.weight, 5e-4, 1e-6)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        assert loss.item() == pytest.approx(deduplicated[i], rel=1e-5)


def _plain_sgd(net, images, labels, learning_rate, n_iter, L2_penalty=5e-4, L1_penalty=1e-6):
    """The textbook loop: autograd through the whole loss, then ``optim.SGD`` with momentum."""
    trainable = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(trainable, lr=learning_rate, momentum=0.9)
    losses = []
    for _ in range(n_iter):
        loss = regularized_MSE_loss(
            net(images), labels, net.out_layer.weight, L2_penalty, L1_penalty
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return np.array(losses)


@pytest.mark.parametrize("block_elements", [1152 * 3, 1152 * 7, 1 << 18])
@pytest.mark.parametrize(
    ("L2_penalty", "L1_penalty"), [(5e-4, 1e-6), (0, 0), (0, 1e-3), (1e-2, 0)]
)
def test_train_encoder_blockwise_step_equals_autograd_and_sgd(
    monkeypatch, block_elements, L2_penalty, L1_penalty
):
    # Blocks of 3 and 7 rows split 40 neurons into 14 and 6 blocks, the last one shorter.
    import nma_dl.encoding

    monkeypatch.setattr(nma_dl.encoding, "_BLOCK_ELEMENTS", block_elements)
    images, resp_train, _ = _encoding_data()
    torch.manual_seed(0)
    net = ConvFC(40, filters=filters())
    state = {k: v.clone() for k, v in net.state_dict().items()}
    package, _ = train_encoder(
        net, images, resp_train, learning_rate=0.01, n_iter=8, L2_penalty=L2_penalty,
        L1_penalty=L1_penalty, verbose=False,
    )  # fmt: skip
    trained = {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    plain = _plain_sgd(net, images, resp_train, 0.01, 8, L2_penalty, L1_penalty)
    np.testing.assert_allclose(package, plain, rtol=1e-5)
    for name, value in net.state_dict().items():
        torch.testing.assert_close(trained[name], value, rtol=1e-4, atol=1e-6, msg=name)
    assert not torch.equal(trained["out_layer.weight"], state["out_layer.weight"])


def test_train_encoder_trains_a_net_that_is_only_its_linear_layer():
    class Linear(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.out_layer = torch.nn.Linear(12 * 16, 40)

        def forward(self, x):
            return self.out_layer(x.flatten(1))

    images, resp_train, _ = _encoding_data()
    torch.manual_seed(0)
    net = Linear()
    net.out_layer.bias.requires_grad_(False)  # nothing but the weights is trained
    state = {k: v.clone() for k, v in net.state_dict().items()}
    package, _ = train_encoder(net, images, resp_train, learning_rate=0.1, n_iter=5, verbose=False)
    trained = net.out_layer.weight.detach().clone()
    net.load_state_dict(state)
    plain = _plain_sgd(net, images, resp_train, 0.1, 5)
    np.testing.assert_allclose(package, plain, rtol=1e-5)
    torch.testing.assert_close(trained, net.out_layer.weight.detach(), rtol=1e-4, atol=1e-6)


def test_train_encoder_leaves_a_frozen_linear_layer_alone_and_cleans_up():
    images, resp_train, _ = _encoding_data()
    net = ConvFC(40, filters=filters())
    before = net.out_layer.weight.detach().clone()
    net.out_layer.weight.requires_grad_(False)
    train_encoder(net, images, resp_train, learning_rate=0.01, n_iter=3, verbose=False)
    assert torch.equal(net.out_layer.weight, before)  # as optim.SGD skips a frozen weight
    assert not net.out_layer.weight.requires_grad
    net.out_layer.weight.requires_grad_(True)
    train_encoder(net, images, resp_train, learning_rate=0.01, n_iter=3, verbose=False)
    assert not torch.equal(net.out_layer.weight, before)
    assert net.out_layer.weight.requires_grad  # given back to autograd
    assert isinstance(net.out_layer, torch.nn.Linear)  # the stand-in is gone


def test_train_encoder_cleans_up_after_an_error(monkeypatch):
    import nma_dl.encoding

    def fail(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(nma_dl.encoding, "_penalty_and_step", fail)
    images, resp_train, _ = _encoding_data()
    net = ConvFC(40, filters=filters())
    layer = net.out_layer
    with pytest.raises(RuntimeError, match="interrupted"):
        train_encoder(net, images, resp_train, n_iter=2, verbose=False)
    assert net.out_layer is layer and layer.weight.requires_grad


def test_train_encoder_refuses_a_net_that_does_not_call_its_linear_layer():
    class Functional(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.out_layer = torch.nn.Linear(12 * 16, 40)

        def forward(self, x):
            layer = self.out_layer
            return torch.nn.functional.linear(x.flatten(1), layer.weight, layer.bias)

    images, resp_train, _ = _encoding_data()
    net = Functional()
    with pytest.raises(TypeError, match=r"call net.out_layer"):
        train_encoder(net, images, resp_train, n_iter=2, verbose=False)
    assert isinstance(net.out_layer, torch.nn.Linear) and net.out_layer.weight.requires_grad


@pytest.mark.parametrize("shape", [(30, 24), (2, 5, 24), (24,)])
@pytest.mark.parametrize("bias", [True, False])
def test_stand_in_computes_what_the_linear_layer_does(shape, bias):
    from nma_dl.encoding import _StandIn

    torch.manual_seed(0)
    layer = torch.nn.Linear(24, 7, bias=bias)
    x = torch.randn(shape, requires_grad=True)
    expected = layer(x)
    (grad_expected,) = torch.autograd.grad(expected.square().sum(), x)
    stand_in = _StandIn(layer)
    got = stand_in(x)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected)
    (grad_got,) = torch.autograd.grad(got.square().sum(), x)
    torch.testing.assert_close(grad_got, grad_expected)
    torch.testing.assert_close(stand_in.inputs, x.detach().reshape(-1, 24))
    torch.testing.assert_close(stand_in.grad_output, 2 * expected.detach().reshape(-1, 7))


def test_blockwise_penalty_value_agrees_with_float64_at_full_size():
    # 23 589 x 1 152 float32 weights, the tutorial's size: summing block by block with torch.dot
    # must not lose what a single float32 reduction can (see the module docstring).
    from nma_dl.encoding import _BLOCK_ELEMENTS, _penalty_and_step

    gen = torch.Generator().manual_seed(0)
    w = 0.01 * torch.randn(23589, 1152, generator=gen)
    scratch = torch.empty(_BLOCK_ELEMENTS // 1152, 1152)
    got = _penalty_and_step(w, 5e-4, 1e-6, scratch)
    w64 = w.double()
    l1 = _penalty_and_step(w, 0, 1.0, scratch)
    l2 = _penalty_and_step(w, 1.0, 0, scratch)
    assert l2 == pytest.approx(w64.square().sum().item(), rel=1e-6)
    assert l1 == pytest.approx(w64.abs().sum().item(), rel=1e-6)
    assert got == pytest.approx(5e-4 * l2 + 1e-6 * l1, rel=1e-12)


def test_train_encoder_bad_input():
    images, resp_train, resp_test = _encoding_data()
    net = ConvFC(40)
    with pytest.raises(ValueError, match="test_data and test_labels"):
        train_encoder(net, images, resp_train, images, n_iter=1)
    with pytest.raises(ValueError, match="same number of rows"):
        train_encoder(net, images, resp_train[:10], n_iter=1)
    with pytest.raises(ValueError, match="L2_penalty"):
        train_encoder(net, images, resp_train, L2_penalty=-1, n_iter=1)
    with pytest.raises(TypeError, match="out_layer"):
        train_encoder(torch.nn.Conv2d(1, 1, 1), images, resp_train, n_iter=1)


# --------------------------------------------------------------------------- plots


def test_weight_and_training_plots():
    import matplotlib.pyplot as plt

    fig = visualize_weights(np.zeros((10, 30)), np.ones((1, 10)))
    assert len(fig.axes) == 4  # two heat maps and their colour bars
    fig = visualize_hidden_units(np.zeros((10, 30)), np.ones((10, 36)), np.arange(36) * 10)
    assert len(fig.axes) == 5  # weights, activity, their colour bars, the tuning curves
    loss = np.linspace(2, 1, 20)
    test = np.full(20, np.nan)
    test[[0, 9, 19]] = [2.1, 1.5, 1.2]
    fig = plot_training_curves(loss, test)
    assert len(fig.axes[0].lines) == 2
    fig = plot_encoder_tuning(np.arange(60) * 6, np.zeros((60, 8)), np.ones((60, 8)), [0, 7])
    assert len(fig.axes) == 5
    _, ax = plt.subplots()
    plot_prediction(ax, np.zeros(60), np.ones(60), np.ones(60))
    assert len(ax.lines) == 3
    plt.close("all")


def test_visualize_weights_labels_the_order_of_the_neurons():
    import matplotlib.pyplot as plt

    fig = visualize_weights(np.zeros((10, 30)), np.ones((1, 10)))
    assert fig.axes[0].get_xlabel() == "neurons sorted by preferred orientation"
    fig = visualize_weights(
        np.zeros((10, 30)), np.ones((1, 10)), xlabel="neurons, in recorded order"
    )
    assert fig.axes[0].get_xlabel() == "neurons, in recorded order"
    with pytest.raises(TypeError, match="xlabel"):
        visualize_weights(np.zeros((10, 30)), np.ones((1, 10)), xlabel=3)
    plt.close("all")


def test_visualize_weights_ticks_mean_something():
    import matplotlib.pyplot as plt

    # one output: a single column, no x-ticks; hidden units are whole numbers
    fig = visualize_weights(np.zeros((10, 30)), np.ones((1, 10)))
    ax_in, ax_out = fig.axes[0], fig.axes[1]
    assert list(ax_out.get_xticks()) == []
    for ticks in (ax_in.get_yticks(), ax_out.get_yticks()):
        assert all(float(t).is_integer() for t in ticks)
    # twenty outputs: whole-numbered output units within the matrix
    fig = visualize_weights(np.zeros((20, 30)), np.ones((20, 20)))
    ax_out = fig.axes[1]
    ticks = [t for t in ax_out.get_xticks() if -0.5 <= t <= 19.5]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
    assert ax_out.get_xlabel() == "output unit"
    plt.close("all")


def test_plots_bad_input():
    with pytest.raises(ValueError, match="W_out must have one column per hidden unit"):
        visualize_weights(np.zeros((10, 30)), np.ones((1, 9)))
    with pytest.raises(ValueError, match="test_loss must have one entry per iteration"):
        plot_training_curves(np.ones(5), np.ones(4))
    with pytest.raises(ValueError, match="neurons must be indices"):
        plot_encoder_tuning(np.arange(3), np.zeros((3, 2)), np.zeros((3, 2)), [5])
