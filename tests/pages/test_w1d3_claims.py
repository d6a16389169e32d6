"""What W1D3 Tutorial 1 says about its figures holds: the alt text of each figure describes what
the plotting function draws, the ReLU curves can be told apart, the training curve is the loss of
every batch, the page speaks to students only, and the bonus keeps the original's references."""

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
