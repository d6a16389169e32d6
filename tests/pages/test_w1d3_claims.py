"""What W1D3 Tutorial 1 says about its figures holds: the alt text of each figure describes what
the plotting function draws, the ReLU curves can be told apart, the training curve is the loss of
every batch, the page speaks to students only, and the bonus keeps the original's references."""

import html
import math
import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nma_dl.models.mlp import approximate_function
from nma_dl.plotting import plot_function_approximation
from nma_dl.plotting.style import use_course_style

PAGE = Path(__file__).resolve().parents[2] / "book/W1D3_MultiLayerPerceptrons/W1D3_Tutorial1.md"


@pytest.fixture(autouse=True)
def _course_style():
    """The page's figures are drawn in the course style; restore matplotlib's defaults after."""
    with plt.rc_context():
        use_course_style()
        yield
    plt.close("all")


def _cells():
    return _pages.cells(PAGE)


def _alt_of_cell_with(code):
    """The alt text of the one code cell that has an alt text and contains ``code``."""
    alts = [
        cell["metadata"]["mystnb"]["image"]["alt"]
        for cell in _cells()
        if cell["cell_type"] == "code"
        and code in cell["source"]
        and "alt" in cell["metadata"].get("mystnb", {}).get("image", {})
    ]
    assert len(alts) == 1, alts
    return " ".join(alts[0].split()).lower()


def _prose():
    return "\n".join(c["source"] for c in _cells() if c["cell_type"] == "markdown")


def _wcag_contrast(color, background):
    """WCAG 2.1 contrast ratio of two colours, computed here independently of the package."""

    def luminance(c):
        rgb = np.array(matplotlib.colors.to_rgb(c))
        rgb = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return rgb @ [0.2126, 0.7152, 0.0722]

    high, low = sorted([luminance(color), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _look(line):
    """What tells a line apart: its colour, line style and dash pattern (custom dashes all
    report the line style '--')."""
    dashes = getattr(line, "_unscaled_dash_pattern", None)
    return (matplotlib.colors.to_hex(line.get_color()), line.get_linestyle(), str(dashes))


def _sine_figure():
    """The figure of Coding Exercise 1: ten samples of a sine, nine ReLUs."""
    x_train = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
    y_hat, relu_acts, x = approximate_function(x_train, torch.sin(x_train))
    return plot_function_approximation(x, relu_acts, y_hat)


# --- the function-approximation figure ---


def test_function_approximation_panels_are_stacked_and_draw_no_points():
    fig = _sine_figure()
    top, bottom = fig.axes
    assert top.get_position().y0 > bottom.get_position().y1  # one above the other
    assert abs(top.get_position().x0 - bottom.get_position().x0) < 1e-6  # not side by side
    assert len(top.lines) == 9 and len(bottom.lines) == 2
    for ax in (top, bottom):
        assert not ax.collections  # no scatter of training points
        assert all(line.get_marker() in (None, "None", "", " ") for line in ax.lines)
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["truth", "estimated"]


def test_function_approximation_alt_text_says_what_is_drawn():
    alt = _alt_of_cell_with("plot_function_approximation(x, relu_acts, y_hat)")
    assert "top" in alt and "bottom" in alt and "nine" in alt
    assert "truth" in alt and "estimated" in alt and "sine" in alt
    for wrong in ("left", "right", "training point", "points"):
        assert wrong not in alt, wrong


def test_every_relu_curve_has_its_own_colour_and_line_style():
    fig = _sine_figure()
    top = fig.axes[0]
    styles = [_look(line) for line in top.lines]
    assert len(set(styles)) == len(styles) == 9, styles
    # ReLU 1 and ReLU 9 shared a colour when the 8-colour cycle wrapped around
    assert styles[0] != styles[8]
    # the legend shows each line as drawn
    legend = top.get_legend()
    drawn = [_look(handle) for handle in legend.legend_handles]
    assert drawn == styles


@pytest.mark.parametrize("n_train", [2, 10, 30, 60])
def test_relu_curves_stay_distinct_and_readable_on_white(n_train):
    x_train = torch.linspace(0, 1, n_train).view(-1, 1)
    y_hat, relu_acts, x = approximate_function(x_train, x_train**2)
    fig = plot_function_approximation(x, relu_acts, y_hat, target=np.square)
    top, bottom = fig.axes
    assert matplotlib.colors.to_hex(fig.get_facecolor()) == "#ffffff"
    styles = [_look(line) for line in top.lines]
    assert len(set(styles)) == len(styles) == n_train - 1
    for line in top.lines + bottom.lines:
        assert _wcag_contrast(line.get_color(), "white") >= 3.0, line.get_color()
    truth, estimated = bottom.lines
    assert _look(truth) != _look(estimated)


def test_contrast_ratio_of_known_pairs():
    from nma_dl.plotting.classification import _contrast_ratio

    for color in ["#0072B2", "#D55E00", "#F0E442", "C1", "0.5"]:
        assert _contrast_ratio(color, "white") == pytest.approx(_wcag_contrast(color, "white"))
    assert _contrast_ratio("black", "white") == pytest.approx(21.0)
    assert _contrast_ratio("white", "white") == pytest.approx(1.0)
    assert _contrast_ratio("#F0E442", "white") < 3  # the course cycle's yellow is left out


# --- the training curve ---


@pytest.fixture(scope="module")
def training_figure(spiral_net):
    """The page's training run (seeds, split, loaders, network, optimiser; conftest.py) with
    what its plot shows."""
    return {
        "xlabel": spiral_net.xlabel,
        "ylabel": spiral_net.ylabel,
        "loss": spiral_net.loss,
        "accs": spiral_net.accs,
    }


def test_training_plot_is_the_loss_of_every_batch(training_figure):
    assert training_figure["xlabel"] == "batch"
    assert training_figure["ylabel"] == "training loss"
    # 3200 training points, batches of 128 with the last incomplete one dropped: 25 per epoch
    assert training_figure["loss"].size == 25 * 100


def test_training_curve_numbers_in_alt_text_and_prose(training_figure):
    loss = training_figure["loss"]
    assert abs(loss[0] - math.log(4)) < 0.05  # "starts near 1.4", "log 4 ≈ 1.39"
    assert 0.1 <= loss[-100:].mean() <= 0.2  # "to between 0.1 and 0.2 at the end"
    assert np.all(np.diff(loss) != 0) and np.any(np.diff(loss) > 0)  # noisy, not monotone
    _, test_acc = training_figure["accs"]
    assert test_acc > 95  # "more than 95 % of the test points right"


def test_training_alt_text_says_loss_against_batch():
    alt = _alt_of_cell_with("training_plot=True")
    assert "loss" in alt and "batch" in alt and "2500" in alt
    assert "1.4" in alt and "0.1" in alt and "0.2" in alt
    assert "accuracy" not in alt and "against epoch" not in alt and "percent" not in alt


# --- a page for students ---


def test_no_notes_about_our_machines():
    text = PAGE.read_text(encoding="utf-8").lower()
    for phrase in (
        "test machine",
        "test runner",
        "sandbox",
        "other jobs",
        "our 2-core",
        "our machine",
        "ci ",
    ):
        assert phrase not in text, phrase


def test_one_statement_only_about_how_long_training_takes():
    lines = [
        line
        for line in _prose().splitlines()
        if not line.startswith(("#", "*Estimated time"))  # headings and the original's budget
    ]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(" ".join(lines).split()))
    timing = [
        s
        for s in sentences
        if re.search(r"\b(seconds|minutes?|hours?)\b", s)
        # the LIF simulation's duration and the pod discussion are not timings of the code
        and not re.search(r"simulated for|discuss", s)
    ]
    assert len(timing) == 1, timing
    assert "100 epochs" in timing[0]
    assert not re.search(r"\d+ (seconds|minutes)", timing[0])  # no measurement of one machine


# --- the original's references in the bonus ---


@pytest.mark.parametrize(
    "link",
    [
        "https://doi.org/10.1007/s00422-007-0189-6",  # Lapicque (1907), English translation
        "https://doi.org/10.1007/s00422-007-0190-0",  # Brunel & van Rossum (2007)
        "http://www.gatsby.ucl.ac.uk/~dayan/book/",  # Dayan & Abbott, Theoretical Neuroscience
        "https://compneuro.neuromatch.io/tutorials/W2D3_BiologicalNeuronModels/student/W2D3_Tutorial1.html",
        "https://github.com/NeuromatchAcademy/course-content/blob/main/tutorials/W2D3_BiologicalNeuronModels/W2D3_Tutorial1.ipynb",
    ],
)
def test_bonus_links_the_original_references(link):
    prose = _prose()
    assert f"]({link})" in prose, link
    bonus = prose[prose.index("## Bonus") :]
    assert link in bonus  # where the original has them: the LIF section of the bonus


# --- the f-I curve of the bonus: what bends it ---


def _fi_widget_alt():
    """The alt text of the f-I widget's static figure, as the book shows it."""
    from IPython.core.formatters import DisplayFormatter

    from nma_dl.widgets import lif_fi_widget

    data, _ = DisplayFormatter().format(lif_fi_widget())
    alt = re.search(r'alt="([^"]+)"', data["text/html"]).group(1)
    return " ".join(html.unescape(alt).split())


def _charging_time(current, Rm=1.0, Cm=10.0, Vth=1.0):
    """Time (ms) for the membrane to charge from the reset value 0 to threshold."""
    return Rm * Cm * math.log(current * Rm / (current * Rm - Vth))


def test_fi_curve_is_bent_by_the_charging_time_not_the_refractory_period():
    tau_ref = 1.0  # the widget's default, as drawn on the page
    (count,) = nma_dl_fi_curve([2.0], Rm=1, tau_ref=tau_ref)
    # one second simulated: the count is the rate in spikes per second
    assert count == 125
    period = tau_ref + _charging_time(2.0)  # about 7.9 ms
    assert abs(1000 / period - count) < 2
    # the refractory period is one eighth of each interspike interval: the cap it sets,
    # 1000 / tau_ref spikes per second, is eight times the rate reached at 2 mA
    assert count < (1000 / tau_ref) / 5
    alt = _fi_widget_alt()
    assert not re.search(r"refractory period (?:caps|limits|bends|saturates)", alt), alt
    assert "charg" in alt and "125" in alt, alt


def test_fi_prose_explains_the_bend_with_the_charging_time():
    prose = " ".join(_prose().split())
    demo = prose[prose.index("### Interactive demo") : prose.index("#### Think!: Similarities")]
    counts = nma_dl_fi_curve(np.linspace(0, 2, 10), Rm=1, tau_ref=1)  # the widget's currents
    count = counts[-1]
    assert f"{count} spikes at 2 mA" in demo
    # "silent up to 1 mA, fires 43 spikes at 1.1 mA" (the next current drawn, 10/9 mA)
    assert counts[:5] == [0] * 5 and f"{counts[5]} spikes at 1.1 mA" in demo
    assert "\\ln" in demo and "tau_{ref}" in demo  # the interval formula, refractory term included
    assert not re.search(r"refractory period (?:caps|limits|bends|saturates)", demo)
    # with the longest refractory period of the sentence, it does dominate: the count drops
    (long_tau,) = nma_dl_fi_curve([2.0], Rm=1, tau_ref=10)
    assert f"{long_tau}" in demo and long_tau < count / 2


def nma_dl_fi_curve(currents, **kwargs):
    from nma_dl.neurons import fi_curve

    return fi_curve(currents, **kwargs)


def test_lif_membrane_prose_matches_the_simulation():
    from nma_dl.neurons import run_LIF

    time, vm = run_LIF(1.5)
    spikes = time[vm > 1].tolist()
    # "fires when it crosses 1 V after about 11 ms, stays at 0 for 10 ms and charges again"
    assert abs(spikes[0] - 10 * math.log(1.5 / 0.5)) < 0.5 and round(spikes[0]) == 11
    assert abs(spikes[1] - spikes[0] - (10 + spikes[0])) < 0.5
    assert "after about 11 ms, stays at 0 for 10 ms" in " ".join(_prose().split())


def test_cross_entropy_prose_matches_the_numbers():
    from nma_dl import cross_entropy_loss

    x = torch.tensor([[10.0, 1.0, -1.0, -20.0], [10.0, 10.0, 2.0, -10.0]])
    labels = torch.tensor([0, 1])
    ours = cross_entropy_loss(x, labels).item()
    theirs = torch.nn.CrossEntropyLoss()(x, labels).item()
    assert abs(ours - theirs) < 1e-6  # "agree to within 10^-6"
    per_sample = torch.nn.CrossEntropyLoss(reduction="none")(x, labels)
    assert per_sample[0] < 1e-3 and abs(per_sample[1] - math.log(2)) < 1e-3
    # the literal formula, with exp of the raw logits, is no worse on these small logits ...
    literal = (-x[torch.arange(2), labels] + torch.log(torch.exp(x).sum(dim=1))).mean().item()
    assert abs(literal - theirs) < 1e-6
    # ... and breaks a thousandfold up
    big = 1000 * x
    literal_big = (-big[torch.arange(2), labels] + torch.log(torch.exp(big).sum(dim=1))).mean()
    assert not torch.isfinite(literal_big)
    assert torch.isfinite(cross_entropy_loss(big, labels))


# --- the page points to where the day's other topics are taught ---

W1D3_PAGES = [PAGE, PAGE.parent / "chapter_intro.md"]
NEXT_TUTORIAL = (
    "https://deeplearning.neuromatch.io/tutorials/W1D3_MultiLayerPerceptrons/student/"
    "W1D3_Tutorial2.html"
)


@pytest.mark.parametrize("page", W1D3_PAGES, ids=lambda p: p.name)
def test_w1d3_does_not_call_itself_unfinished(page):
    text = " ".join(page.read_text(encoding="utf-8").split()).lower()
    for phrase in ("not yet in this book", "not yet", "the day has one tutorial", "roadmap"):
        assert phrase not in text, phrase


@pytest.mark.parametrize("page", W1D3_PAGES, ids=lambda p: p.name)
def test_w1d3_links_where_the_next_topics_are_taught(page):
    text = page.read_text(encoding="utf-8")
    assert f"]({NEXT_TUTORIAL})" in text  # Neuromatch Academy's "Deep MLPs"


def test_dropout_and_batch_norm_point_to_where_they_are_taught():
    text = PAGE.read_text(encoding="utf-8")
    assert "](https://d2l.ai/chapter_multilayer-perceptrons/dropout.html)" in text
    assert "](https://d2l.ai/chapter_convolutional-modern/batch-norm.html)" in text


# --- what the prose says about the spiral classifier holds for the page's seeds ---


def test_test_split_covers_all_four_arms(spiral_net):
    # "The 800 test points cover all four arms"
    counts = torch.bincount(spiral_net.y_test.long(), minlength=4)
    assert counts.sum() == 800 and (counts > 100).all(), counts


def test_decision_map_outside_the_data_is_a_few_wedges(spiral_net):
    """Think! 2.3.2's answer: outside the disc of the data the regions stop following the arms
    and become a few large wedges that stretch straight out to the edge of the map."""
    radius = spiral_net.X_test.norm(dim=1).max().item()
    assert radius < 1.3  # the data lie within a disc of radius about 1.2
    angles = torch.linspace(0, 2 * math.pi, 73)[:-1]
    radii = torch.linspace(1.4, 2 * math.sqrt(2), 40)
    straight = 0
    with torch.no_grad():
        for angle in angles:
            points = torch.stack([radii * torch.cos(angle), radii * torch.sin(angle)], dim=1)
            classes = spiral_net.net(points).argmax(dim=1)
            straight += int((classes == classes[0]).all())
        # along each ray out of the disc the class mostly stays the same: wedges, not spirals
        assert straight >= 0.8 * len(angles), straight
        circle = torch.linspace(0, 2 * math.pi, 721)[:-1]
        points = 1.8 * torch.stack([torch.cos(circle), torch.sin(circle)], dim=1)
        classes = spiral_net.net(points).argmax(dim=1)
    changes = int((classes != classes.roll(1)).sum())
    assert 2 <= changes <= 8, changes  # "a few large wedges"
