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


def test_linear_baseline_and_deep_network_errors_are_dominated_by_the_wrap(split, capsys):
    # Section 3 closes with both decoders' test errors and says: RMS several times the median,
    # the big errors near 0°/360° where orientation wraps around.
    _, _, (resp_train, resp_test, stimuli_train, stimuli_test) = split
    set_seed(1)
    net = DeepNetReLU(resp_train.shape[1], 10)
    train(net, nn.MSELoss(), resp_train, stimuli_train)
    with torch.no_grad():
        decoded = net(resp_test)
    mean_resp, mean_ori = resp_train.mean(dim=0), stimuli_train.mean()
    w = torch.linalg.pinv((resp_train - mean_resp).double()) @ (stimuli_train - mean_ori).double()
    decoded_linear = ((resp_test - mean_resp).double() @ w + mean_ori).float()
    near_wrap = ((stimuli_test < 30) | (stimuli_test > 330)).squeeze()
    for prediction in (decoded_linear, decoded):
        error = (prediction - stimuli_test).abs().squeeze()
        assert error.square().mean().sqrt() > 2 * error.median()
        assert error[near_wrap].mean() > 3 * error[~near_wrap].mean()


def test_half_curve_correlation_separates_repeating_from_untuned_neurons(split):
    # The page counts neurons whose tuning repeats after 180° with r > 0.3, saying noise gives
    # r ≈ 0 ± 0.07: check that threshold on pure noise of the page's size, and that the count is
    # neither none nor all of the surrogate's neurons.
    resp = split[0]
    noise = torch.randn(360, 5000, generator=torch.Generator().manual_seed(0))

    def half_corr(r):
        a, b = r[:180] - r[:180].mean(0), r[180:] - r[180:].mean(0)
        return (a * b).sum(0) / (a.norm(dim=0) * b.norm(dim=0))

    assert abs(half_corr(noise).std().item() - 1 / 180**0.5) < 0.01
    assert (half_corr(noise) > 0.3).float().mean() < 1e-3
    share = (half_corr(resp) > 0.3).float().mean().item()
    assert 0.1 < share < 0.9
