"""What Tutorial 1 says about its data holds for the offline surrogate it is built with.

The page states these things in prose, so the data it runs on must make them true: tuned neurons
with peaked tuning curves, a random decoder that is far off, and gradient descent that lowers the
training loss by an order of magnitude with the tutorial's settings.

The tests at the end run the page's own code cells (solutions in place) through Section 3 and
hold its prose to what those cells print and plot: the sample tuning curves, the untrained
decoder against a constant guess, and the deep network against linear regression.
"""

import ast
import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import numpy as np
import pytest
import torch
from torch import nn

from nma_dl import DeepNetReLU, get_data, load_data, set_seed, train, train_test_split

PAGE = Path(__file__).resolve().parents[2] / "book" / "W1D5_DeepLearning" / "W1D5_Tutorial1.md"


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


# --------------------------------------------------------------------------- the page itself


@pytest.fixture(scope="module")
def page():
    """The page's code cells run, solutions in place, up to its Summary (once per session).

    Its namespace, the printed text of each cell (keyed by its source) and the prose that
    follows each code cell, up to the next one.
    """
    return _pages.run_page(PAGE, until="## Summary")


def _cell(page, assigned):
    """The one code cell of the page that assigns ``assigned`` at its top level."""
    found = [
        source
        for source in page.printed
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == assigned for t in node.targets)
    ]
    assert len(found) == 1, f"expected one cell assigning {assigned}, found {len(found)}"
    return found[0]


def test_sample_tuning_curves_peak_twice_180_degrees_apart(page):
    # Section 1 says each plotted curve "has two peaks, 180° apart": smoothed over 15 bins, the
    # highest point rises well above the curve's noise, and 180° (±20°) away it rises again to at
    # least 60 % of that height. The curves are the neurons the figure cell picked.
    resp, half_corr = page.ns["resp_all"].numpy(), page.ns["half_corr"].numpy()
    ineurons = np.asarray(page.ns["ineurons"])
    assert len(ineurons) == 3
    kernel = np.ones(15) / 15
    for neuron in ineurons:
        curve = resp[:, neuron]
        smooth = np.convolve(np.r_[curve[-7:], curve, curve[:7]], kernel, "valid")
        base, peak = np.median(smooth), int(smooth.argmax())
        opposite = smooth[[(peak + 180 + d) % 360 for d in range(-20, 21)]].max()
        assert smooth[peak] - base > 3 * (curve - smooth).std(), f"neuron {neuron}: no clear peak"
        assert opposite - base > 0.6 * (smooth[peak] - base), f"neuron {neuron}: one peak"
    assert (half_corr[ineurons] > 0.6).all()  # drawn from the neurons the prose says
    prose = page.after[_cell(page, "ineurons")] + page.after[_cell(page, "half_corr")]
    assert "two peaks, 180° apart" in prose


def test_untrained_decoder_does_twice_as_badly_as_a_constant_guess(page):
    # Section 3.1 prints the untrained network's MSE, its root, and the root-mean-square error of
    # always answering the mean training orientation; the prose says "about two hundred degrees,
    # roughly twice" the constant guess, which does better.
    source = _cell(page, "guess_rms")
    text = page.printed[source]
    mse = float(re.search(r"mean squared error: ([\d.]+)", text).group(1))
    rms = float(re.search(r"root-mean-square error: ([\d.]+)°", text).group(1))
    guess = float(re.search(r"the mean: root-mean-square error ([\d.]+)°", text).group(1))
    assert rms == pytest.approx(mse**0.5, abs=0.06)
    assert 150 < rms < 250  # "about two hundred degrees"
    assert 1.7 < rms / guess < 2.3  # "roughly twice"
    prose = page.after[source]
    assert "about two hundred degrees, roughly twice the error" in prose
    assert "do worse than a constant guess" in prose
    assert "no better than guessing" not in prose


def test_deep_network_has_the_lower_rms_but_the_higher_median_error(page):
    # Section 3 ends by comparing the two decoders on the held-out stimuli; the prose says the
    # deep network wins on root-mean-square error and loses on the median, and that the squared
    # errors of either decoder come mostly from the stimuli near the wrap-around.
    ns = page.ns
    stimuli_test = ns["stimuli_test"]
    errors = {
        name: (ns[key] - stimuli_test).abs().squeeze()
        for name, key in [("linear", "decoded_linear"), ("deep", "decoded")]
    }
    rms = {name: e.square().mean().sqrt().item() for name, e in errors.items()}
    median = {name: e.median().item() for name, e in errors.items()}
    assert rms["deep"] < rms["linear"]
    assert median["deep"] > median["linear"]
    assert (errors["deep"] > 90).sum() < (errors["linear"] > 90).sum()  # "fewer errors > 90°"
    source = _cell(page, "decoded_linear")
    for name, label in [("linear", "linear regression"), ("deep", "deep network")]:
        line = next(ln for ln in page.printed[source].splitlines() if label in ln)
        assert f"{rms[name]:5.1f}°" in line and f"{median[name]:5.1f}°" in line
    near_wrap = ((stimuli_test < 30) | (stimuli_test > 330)).squeeze()
    for e in errors.values():
        assert e[near_wrap].square().sum() > 0.5 * e.square().sum()
    prose = page.after[source]
    assert "It has the lower root-mean-square error of the two decoders, but the higher" in prose
    assert "higher median error" in prose
    assert "the deep network makes fewer errors larger than 90°" in prose
    assert "dominated by the few stimuli near the wrap-around" in prose


def test_video_1_and_the_slides_of_the_original_are_on_the_page():
    # The original's first video (decoding with a feed-forward network in PyTorch) with its
    # Bilibili twin, shown like the page's other videos and before Section 1; the slides as a
    # plain link, so the page requests nothing from OSF until a reader clicks.
    text = PAGE.read_text(encoding="utf-8")
    video = 'display_videos([("Youtube", "SlrbMvvBOzM"), ("Bilibili", "BV1Xa4y1a7Jz")]);'
    assert video in text
    assert text.index(video) < text.index("## Section 1:")
    assert "<https://osf.io/vb7c4/>" in text
    assert "iframe" not in text.lower()
