"""nma_dl.models.cnn.CNN: layers, parameter count, forward by hand, training on the tilt task."""

import numpy as np
import pytest
import torch

from nma_dl import CNN, filters, grating


def test_layers_and_parameter_count():
    net = CNN(48, 64)
    assert sum(p.numel() for p in net.parameters()) == 3201  # 6*49+6 + 288*10+10 + 10+1
    assert net.dims == (6, 6, 8)
    assert (net.conv.kernel_size, net.conv.padding) == ((7, 7), (3, 3))
    assert net.fc.in_features == 288 and net.out.in_features == 10
    assert torch.equal(net.conv.weight, filters(6, 7))
    assert torch.equal(net.conv.bias, torch.zeros(6))
    assert all(p.requires_grad for p in net.parameters())


@pytest.mark.parametrize("h, w, fc_in", [(48, 64, 288), (17, 30, 6 * 2 * 3), (8, 8, 6)])
def test_pooled_size_is_floor_h_over_8_by_floor_w_over_8(h, w, fc_in):
    net = CNN(h, w)
    assert net.fc.in_features == fc_in
    assert net(torch.randn(2, h, w)).shape == (2, 1)


def test_forward_by_hand():
    torch.manual_seed(0)
    net = CNN(48, 64)
    x = torch.randn(3, 48, 64)
    with torch.no_grad():
        conv = torch.nn.functional.conv2d(x[:, None], net.conv.weight, net.conv.bias, padding=3)
        pooled = torch.nn.functional.max_pool2d(torch.relu(conv), 8).reshape(3, -1)
        hidden = torch.relu(pooled @ net.fc.weight.T + net.fc.bias)
        want = torch.sigmoid(hidden @ net.out.weight.T + net.out.bias)
        got = net(x)
    torch.testing.assert_close(got, want)
    assert ((got > 0) & (got < 1)).all()


def test_the_trained_network_classifies_fresh_gratings(tilt_cnn):
    """The tutorial's recipe (conftest.py); measured: about 99 % correct on 300 fresh gratings."""
    net, losses = tilt_cnn.net, tilt_cnn.losses
    assert losses[-1] < losses[0] / 10
    test_ori = np.random.default_rng(1).uniform(-90, 90, 300)
    with torch.no_grad():
        p = net(torch.stack([grating(a) for a in test_ori])).squeeze(1).numpy()
    assert ((p > 0.5) == (test_ori > 0)).mean() >= 0.9


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "args, error, message",
    [
        ((0, 64), ValueError, "h_in"),
        ((48, 7), ValueError, "w_in must be at least 8 pixels"),
        ((48.0, 64), TypeError, "h_in"),
    ],
)
def test_constructor_rejects_bad_sizes(args, error, message):
    with pytest.raises(error, match=message):
        CNN(*args)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "x, error, message",
    [
        (np.zeros((2, 48, 64)), TypeError, "x must be a torch.Tensor"),
        (
            torch.zeros(2, 48, 64, dtype=torch.float64),
            TypeError,
            "x must have the network's dtype",
        ),
        (torch.zeros(48, 64), ValueError, r"x must have shape \(n_images, h_in, w_in\)"),
        (torch.zeros(2, 1, 48, 64), ValueError, "x must have shape"),
        (torch.zeros(2, 32, 64), ValueError, r"got shape \(2, 32, 64\)"),
    ],
)
def test_forward_rejects_bad_input(x, error, message):
    with pytest.raises(error, match=message):
        CNN(48, 64)(x)
