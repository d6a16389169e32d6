"""What Tutorial 1 says about its data holds for the offline surrogate it is built with in CI.

The page states these things in prose, so the data it runs on must make them true: tuned neurons
with peaked tuning curves, a random decoder that is far off, and gradient descent that lowers the
training loss by an order of magnitude with the tutorial's settings.
"""

import numpy as np
import pytest
import torch
from torch import nn

from nma_dl import DeepNetReLU, get_data, load_data, set_seed, train, train_test_split


@pytest.fixture(scope="module")
def split():
    resp, stimuli = load_data(source="synthetic")
    set_seed(4)
    return resp, stimuli, train_test_split(resp, stimuli, train_fraction=0.6)


def test_shapes_printed_on_the_page(split):
    resp, stimuli, (resp_train, resp_test, stimuli_train, stimuli_test) = split
    assert tuple(resp.shape) == (360, 23589)
    assert (len(stimuli_train), len(stimuli_test)) == (216, 144)


def test_many_neurons_have_peaked_tuning_curves(split):
    resp = split[0].numpy()
    # A tuned neuron's curve rises well above its own bin-to-bin noise; smoothing over 15 bins
    # keeps the tuning and averages the noise away.
    kernel = np.ones(15) / 15
    smooth = np.stack(
        [np.convolve(np.r_[c[-7:], c, c[:7]], kernel, "valid") for c in resp.T[:2000]]
    )
    peak_to_trough = smooth.max(1) - smooth.min(1)
    noise = (resp.T[:2000] - smooth).std(1)
    # Smoothed pure noise spans about 1 noise s.d. over 360 bins, so 2 s.d. means real tuning.
    tuned = peak_to_trough > 2 * noise
    assert 0.5 < tuned.mean() < 0.95  # most, not all: some neurons are untuned


def test_untrained_decoder_is_far_off(split):
    _, _, (resp_train, _, stimuli_train, _) = split
    set_seed(1)
    net = DeepNetReLU(resp_train.shape[1], 200)
    r, ori = get_data(1, resp_train, stimuli_train)
    assert abs(net(r).item()) < 5 and ori.item() > 30  # "close to zero while the true one is far"


def test_gradient_descent_lowers_the_loss_tenfold(split, capsys):
    _, _, (resp_train, resp_test, stimuli_train, stimuli_test) = split
    set_seed(1)
    net = DeepNetReLU(resp_train.shape[1], 10)
    losses = train(net, nn.MSELoss(), resp_train, stimuli_train)
    assert len(losses) == 50
    assert losses[0] / losses[-1] >= 10
    with torch.no_grad():
        test_mse = nn.MSELoss()(net(resp_test), stimuli_test).item()
    assert test_mse < losses[0] / 10  # it generalises to held-out orientations too
