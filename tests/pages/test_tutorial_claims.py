"""What Tutorial 1 says about its data holds on every data set it may run on.

The page is built on the offline surrogate, but students load the real recordings, which give
other numbers. So every test here that reads data takes ``data_draw`` (tests/pages/conftest.py):
the surrogate drawn with three seeds, and the real recordings where they are available. A sentence
that states an outcome of the data (which decoder wins, how many errors are large) must be
printed by the cell above it, from the numbers, and the tests check that the printed verdict is
the one those numbers give; the prose only points at it.

The tests at the end run the page's own code cells (solutions in place) through Section 3 and
hold its prose, alt texts, links and exercise stub to what the page shows.
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
DECODERS = ("linear regression", "deep network")


@pytest.fixture(scope="module")
def split(data_draw):
    resp, stimuli = load_data()
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


def test_gradient_descent_lowers_the_loss_tenfold(split):
    _, _, (resp_train, resp_test, stimuli_train, stimuli_test) = split
    set_seed(1)
    net = DeepNetReLU(resp_train.shape[1], 10)
    losses = train(net, nn.MSELoss(), resp_train, stimuli_train)
    assert len(losses) == 50
    assert losses[0] / losses[-1] >= 10
    with torch.no_grad():
        test_mse = nn.MSELoss()(net(resp_test), stimuli_test).item()
    assert test_mse < losses[0] / 10  # it generalises to held-out orientations too


def _half_corr(r):
    """Correlation of the first and second half of each column (each neuron's tuning curve)."""
    a, b = r[:180] - r[:180].mean(0), r[180:] - r[180:].mean(0)
    return (a * b).sum(0) / (a.norm(dim=0) * b.norm(dim=0))


def test_half_curve_correlation_separates_repeating_from_untuned_neurons(split):
    # The page counts neurons whose tuning repeats after 180° with r > 0.3, saying noise gives
    # r ≈ 0 ± 0.07: check that threshold on pure noise of the page's size, and that the count is
    # neither none nor all of the neurons.
    resp = split[0]
    noise = torch.randn(360, 5000, generator=torch.Generator().manual_seed(0))
    assert abs(_half_corr(noise).std().item() - 1 / 180**0.5) < 0.01
    assert (_half_corr(noise) > 0.3).float().mean() < 1e-3
    share = (_half_corr(resp) > 0.3).float().mean().item()
    assert 0.1 < share < 0.9


def test_a_direction_tuned_curve_has_anticorrelated_halves():
    # The page says a curve with one peak per turn is not counted: half a turn on, it is low
    # where it was high, so its halves correlate negatively. True of von Mises curves of any
    # width, and well below zero for the surrogate's widths (kappa from 1 to 4).
    theta = torch.deg2rad(torch.arange(360.0, dtype=torch.float64))[:, None]
    preferred = torch.deg2rad(torch.linspace(0, 359, 40, dtype=torch.float64))[None, :]
    for kappa in (0.5, 1.0, 2.0, 4.0, 10.0):
        r = _half_corr(torch.exp(kappa * (torch.cos(theta - preferred) - 1)))
        assert (r < 0).all(), kappa
        if 1 <= kappa <= 4:
            assert (r < -0.4).all(), kappa


# --------------------------------------------------------------------------- the page itself


@pytest.fixture(scope="module")
def page(data_draw):
    """The page's code cells run, solutions in place, up to its Summary (once per data set).

    Its namespace, the printed text of each cell (keyed by its source) and the prose that
    follows each code cell, up to the next one.
    """
    return _pages.run_page(PAGE, until="## Summary")


@pytest.fixture(scope="module")
def text():
    """The page's Markdown, as one line of words."""
    cells = _pages.cells(PAGE)
    return _pages.prose(" ".join(c.source for c in cells if c.cell_type == "markdown"))


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


def _alt(needle):
    """The alt text of the one code cell (stubs left out) whose source contains ``needle``."""
    found = [
        c
        for c in _pages.cells(PAGE)
        if c.cell_type == "code" and needle in c.source and _pages.STUB not in _pages.tags(c)
    ]
    assert len(found) == 1, f"{len(found)} code cells contain {needle!r}"
    return _pages.prose(found[0].metadata["mystnb"]["image"]["alt"])


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


def test_the_repeating_share_is_explained_beside_the_surrogates_tuned_share(page, data_draw, text):
    # The note says the surrogate was built with 55 % orientation-tuned neurons; the cell prints
    # a smaller share that repeat after 180°. The prose after the cell says why the two differ:
    # the test counts only tuning that stands out from the noise, and never a curve with one
    # peak per turn (test_a_direction_tuned_curve_has_anticorrelated_halves).
    assert "of which 55 % are orientation tuned" in text
    source = _cell(page, "share")
    found = re.search(
        r"(\d+)% of the neurons respond alike to orientations 180° apart", page.printed[source]
    )
    assert found, page.printed[source]
    share = int(found.group(1))
    half_corr = page.ns["half_corr"]
    assert share == round(100 * (half_corr > 0.3).float().mean().item())
    prose = page.after[source]
    for words in (
        "The two numbers count different things",
        "55 % is how the surrogate was made",
        "stands out from the noise of its curve",
        "one peak per turn",
        "cannot be much larger than the share of neurons tuned to orientation",
    ):
        assert words in prose, words
    if data_draw != "osf":
        assert share < 55  # what "cannot be much larger" leads a reader of the note to expect


def test_untrained_decoder_is_off_by_about_the_orientation_itself(page):
    # Section 3.1 prints the untrained network's MSE, its root, the mean squared orientation of
    # the same stimuli, and the root-mean-square error of always answering the mean. The prose
    # explains from the maths why the first is about the third (outputs near zero) and why it is
    # about twice the constant guess (angles spread over 0–360°): check both on the printed text.
    source = _cell(page, "guess_rms")
    printed = page.printed[source]
    mse = float(re.search(r"mean squared error: ([\d.]+)", printed).group(1))
    rms = float(re.search(r"root-mean-square error: ([\d.]+)°", printed).group(1))
    squared = float(re.search(r"mean squared orientation: ([\d.]+)", printed).group(1))
    guess = float(re.search(r"the mean: root-mean-square error ([\d.]+)°", printed).group(1))
    assert rms == pytest.approx(mse**0.5, abs=0.06)
    assert mse == pytest.approx(squared, rel=0.02)
    assert 150 < rms < 250  # "about two hundred degrees"
    assert 1.7 < rms / guess < 2.3  # "about twice"
    assert 360 / 3**0.5 == pytest.approx(207.8, abs=0.05)  # the prose's 208°
    assert 360 / 12**0.5 == pytest.approx(103.9, abs=0.05)  # the prose's 104°
    prose = page.after[source]
    for words in (
        "misses each stimulus by about its whole orientation",
        r"$360^\circ/\sqrt{3} \approx 208^\circ$",
        r"$360^\circ/\sqrt{12} \approx 104^\circ$",
        "do worse than a constant guess",
    ):
        assert words in prose, words
    assert "no better than guessing" not in prose


def test_the_loss_curve_alt_text_describes_the_curve(page):
    # "stays near its starting value for the first few iterations, then falls steeply and levels
    # off close to zero": the first three iterations lose little, the steepest fall comes after
    # them, and the last ten iterations end near zero on an axis that starts at zero.
    alt = _alt("def train(")
    assert "stays near its starting value for the first few iterations" in alt
    assert "then falls steeply and levels off close to zero" in alt
    assert "steeply at first" not in alt
    loss = np.asarray(page.ns["train_loss"])
    assert len(loss) == 50
    total = loss[0] - loss[-1]
    assert loss[0] - loss[3] < 0.15 * total
    assert int(np.argmax(-np.diff(loss))) >= 3
    assert loss[0] - loss[15] > 0.7 * total
    assert loss[-1] < 0.02 * loss[0] and loss[-10] - loss[-1] < 0.05 * loss[0]


def test_the_scatter_plot_alt_text_describes_the_plot(page):
    alt = _alt("identity_line(ax)")
    assert "most dots lie near the line" in alt
    errors = (page.ns["decoded"] - page.ns["stimuli_test"]).abs().squeeze()
    assert (errors < 30).float().mean() > 0.5  # "most dots lie near the line"


def _errors(page):
    ns = page.ns
    return {
        name: (ns[key] - ns["stimuli_test"]).abs().squeeze()
        for name, key in zip(DECODERS, ("decoded_linear", "decoded"), strict=True)
    }


def _verdict(verdict, values, fmt):
    """The line the page should print for ``values`` ({decoder: value}): the lower one wins."""
    (a, x), (b, y) = values.items()
    if x == y:
        return f"{verdict}: neither, both have {fmt.format(x)}"
    low, high = (a, b) if x < y else (b, a)
    return f"{verdict}: {low} ({fmt.format(values[low])} vs {fmt.format(values[high])})"


def test_section_3_prints_the_verdicts_its_numbers_give(page):
    # Section 3 ends by comparing the two decoders on the held-out stimuli. Which one wins by
    # each measure depends on the data, so the cell prints it, and the prose only points at it.
    errors = _errors(page)
    rms = {name: e.square().mean().sqrt().item() for name, e in errors.items()}
    median = {name: e.median().item() for name, e in errors.items()}
    large = {name: int((e > 90).sum()) for name, e in errors.items()}
    source = _cell(page, "n_large")
    lines = page.printed[source].splitlines()
    for name in DECODERS:
        line = next(ln for ln in lines if ln.strip().startswith(f"{name}:"))
        assert f"root-mean-square error {rms[name]:5.1f}°" in line, line
        assert f"median error {median[name]:5.1f}°" in line, line
        assert f"{large[name]} errors larger than 90°" in line, line
    assert _verdict("lower root-mean-square error", rms, "{:.1f}°") in lines
    assert _verdict("lower median error", median, "{:.1f}°") in lines
    assert _verdict("fewer errors larger than 90°", large, "{:d}") in lines
    prose = page.after[source]
    assert "the measures need not agree" in prose
    assert "It has the lower root-mean-square error of the two decoders" not in prose
    assert "the deep network makes fewer errors larger than 90°" not in prose


def test_section_3_prints_how_much_of_the_squared_error_comes_from_the_wrap(page):
    # The prose says what a share far above a sixth would mean; the cell prints the shares.
    stimuli_test = page.ns["stimuli_test"]
    near = ((stimuli_test < 30) | (stimuli_test > 330)).squeeze()
    source = _cell(page, "near_wrap")
    printed = page.printed[source]
    assert f"test stimuli within 30° of 0° or 360°: {int(near.sum())} of {len(near)}" in printed
    for name, e in _errors(page).items():
        share = (e[near].square().sum() / e.square().sum()).item()
        assert f"{name} {share:.0%}" in printed, (name, share, printed)
    prose = page.after[source]
    assert "a sixth of the circle" in prose
    assert "dominated by the few stimuli near the wrap-around" not in prose


def test_the_page_speaks_to_students_who_never_saw_the_original(text):
    for words in (
        "original tutorial",
        "original course",
        "0.17°",
        "139.00°",
        "42949",
    ):
        assert words not in text, words
    assert "The slides shown in this tutorial's videos are on OSF" in text
    # the one result of the real recordings the page quotes, said as a reported measurement
    assert text.count("2–3°") == 2
    assert "On the real recordings, linear regression has been reported to decode" in text


LINKS = {
    "the Stringer et al. paper": "https://doi.org/10.1016/j.cell.2021.03.042",
    "its free bioRxiv preprint": "https://www.biorxiv.org/content/10.1101/679324v2",
    "reduced-rank regression": "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3444519/",
    "the universal approximation theorem": (
        "https://en.wikipedia.org/wiki/Universal_approximation_theorem"
    ),
    "the XOR problem": (
        "https://medium.com/@jayeshbahire/the-xor-problem-in-neural-networks-50006411840b"
    ),
    "Nielsen's chapter 4": "http://neuralnetworksanddeeplearning.com/chap4.html",
    "automatic differentiation": "https://en.wikipedia.org/wiki/Automatic_differentiation",
    "nn.Module": "https://pytorch.org/docs/stable/generated/torch.nn.Module.html",
    "optim.SGD": "https://pytorch.org/docs/stable/optim.html#torch.optim.SGD",
    "Python generators": "https://wiki.python.org/moin/Generators",
}


@pytest.mark.parametrize("url", LINKS.values(), ids=LINKS.keys())
def test_the_links_of_the_original_are_on_the_page(url):
    # MyST link syntax: [words](url), with words.
    text = PAGE.read_text(encoding="utf-8")
    assert re.search(r"\[[^\]]+\]\(" + re.escape(url) + r"\)", text), url


def test_exercise_3_2_stub_leaves_one_placeholder_per_step():
    # The stub raises first, then leaves the output and each of the three steps (clear the
    # gradients, back-propagate, update) as a placeholder line under a comment that names it.
    [stub] = [
        c.source
        for c in _pages.cells(PAGE)
        if _pages.STUB in _pages.tags(c) and c.source.lstrip().startswith("def train(")
    ]
    loop = stub[stub.index("for i in range(n_epochs):") :].splitlines()[1:]
    body = [ln.strip() for ln in loop if ln.strip()]
    first_code = next(ln for ln in body if not ln.startswith("#"))
    assert first_code.startswith('raise NotImplementedError("Student exercise: ')
    assert "out = ...  #" in stub
    placeholders = [i for i, ln in enumerate(body) if ln == "..."]
    assert len(placeholders) == 3, body
    for i, step in zip(placeholders, ("clear", "back-propagate", "update"), strict=True):
        assert body[i - 1].startswith("#") and step in body[i - 1].lower(), body[i - 1]
    for call in ("zero_grad", "backward", "step()"):
        assert call not in stub, call  # the stub does not give the answer away


def test_video_1_and_its_slides_are_on_the_page():
    # The first video (decoding with a feed-forward network in PyTorch) with its Bilibili twin,
    # shown like the page's other videos and before Section 1; the slides as a plain link, so
    # the page requests nothing from OSF until a reader clicks.
    text = PAGE.read_text(encoding="utf-8")
    video = 'display_videos([("Youtube", "SlrbMvvBOzM"), ("Bilibili", "BV1Xa4y1a7Jz")]);'
    assert video in text
    assert text.index(video) < text.index("## Section 1:")
    assert "<https://osf.io/vb7c4/>" in text
    assert "iframe" not in text.lower()
