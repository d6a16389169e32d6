"""What the bonus tutorial (W1D5 Tutorial 4) says holds for the offline surrogate it is built with.

The page's own code cells run here, in order, from the setup cell to the end of Section 2.2
(exercise stubs and videos left out), so the numbers tested are those the
page prints; its prose is read with jupytext and checked against them.
"""

import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nma_dl import plot_decoded_results, stimulus_class

PAGE = Path(__file__).resolve().parents[2] / "book/W1D5_DeepLearning/W1D5_Tutorial4.md"


@pytest.fixture(scope="module")
def cells():
    return _pages.cells(PAGE)


@pytest.fixture(scope="module")
def text(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


def _code(cells, needle):
    """The source of the one code cell (stubs left out) that contains ``needle``."""
    found = [
        c.source
        for c in cells
        if c.cell_type == "code"
        and needle in c.source
        and "exercise-stub" not in c.metadata.get("tags", [])
    ]
    assert len(found) == 1, f"{len(found)} code cells contain {needle!r}"
    return found[0]


def _section(text, start, end):
    """The Markdown from the heading ``start`` up to the next ``end``."""
    i = text.index(start)
    return text[i : text.index(end, i + len(start))]


@pytest.fixture(scope="module")
def page():
    """The page run up to Section 2.3 (regularisation and the encoder: not needed, and slow),
    its videos left out: its variables, and its printed text and figures by cell."""
    return _pages.run_page(PAGE, until="### Section 2.3", skip=("display_videos(",))


# ----------------------------------------------------------------------------------- setup


def test_no_notes_about_our_machines(text):
    for words in ("as ours", "other jobs", "0.07 s", "0.14 s", "twice as long"):
        assert words not in text
    threads = [s for s in re.split(r"(?<=\.)\s", text) if "thread" in s]
    assert len(threads) == 1, threads  # one sentence of advice, no more
    assert "single CPU thread" in threads[0]


# ----------------------------------------------------------------------- Section 1.1: weights


def test_each_weight_figure_says_how_its_neurons_are_ordered(cells, page):
    figures = page.figures
    unsorted = _code(cells, "visualize_weights(W_in, W_out")
    assert figures[unsorted][0].axes[0].get_xlabel() == "neurons, in recorded order"
    sorted_ = _code(cells, "visualize_weights(W_in[:, isort], W_out)")
    assert figures[sorted_][0].axes[0].get_xlabel() == "neurons sorted by preferred orientation"
    # the alt text of the unsorted figure does not call it sorted either
    cell = next(c for c in cells if c.source == unsorted)
    alt = cell.metadata["mystnb"]["image"]["alt"]
    assert "sorted" not in alt and "recorded order" in alt


def test_the_single_output_weight_column_has_no_x_ticks(cells, page):
    fig = page.figures[_code(cells, "visualize_weights(W_in, W_out")][0]
    ax_out = fig.axes[1]
    assert list(ax_out.get_xticks()) == []
    assert all(float(t).is_integer() for t in ax_out.get_yticks())  # hidden units, whole


def test_think_1_1_asks_the_originals_questions(text):
    think = _section(text, "#### Think! 1.1", "</details>")
    questions = think[: think.index("<details>")]
    assert "output weights" in questions and "close to zero" in questions  # W_out ~ 0 units
    assert "180°" in questions  # two groups of neurons
    assert "activates no hidden unit" in questions


def test_units_left_out_started_with_an_output_weight_at_or_below_zero(cells, page):
    ns, printed = page.ns, page.printed
    table = printed[_code(cells, "W_out_start")]
    w_start = ns["W_out_start"].numpy()
    w_end = ns["W_out"][0]
    largest_h = ns["h"].max(axis=1)
    moved = ns["moved"].numpy()
    left_out = np.abs(w_end) < 0.5
    assert 0 < left_out.sum() < len(w_end)  # the table shows some such units
    for k in range(len(w_end)):  # one printed row per unit, with the numbers tested here
        assert re.search(rf"^\s*{k} \|\s+{w_start[k]:.2f} \|\s+{w_end[k]:.2f} \|", table, re.M)
    # "their output weight started below zero or close to it"
    assert np.all(w_start[left_out] < 0.05)
    # "the others' input weights stayed close to their random start ... activity stays small"
    assert moved[left_out].max() < 0.25 * moved[~left_out].min()
    assert largest_h[left_out].max() < 0.25 * largest_h[~left_out].min()
    # "the units with a positive output weight ... took on the job, and their weights grew"
    grew = w_start > 0.05
    assert np.all(w_end[grew] > 2 * w_start[grew])
    # "at the start every decoded angle was close to 0°, far below the true ones"
    with torch.no_grad():
        first = ns["start"](ns["resp_train"])
    assert first.abs().max() < 5 and ns["stimuli_train"].mean() > 100
    # "the last line says that every orientation activates at least one unit"
    fewest = int((ns["h"] > 0).sum(axis=0).min())
    assert fewest >= 1
    assert table.strip().splitlines()[-1].endswith(f": {fewest}")


# -------------------------------------------------------------------- Section 2.1: the errors


def test_think_2_1_asks_about_bias_variance_and_a_fix(text):
    think = _section(text, "#### Think! 2.1", "</details>")
    questions = think[: think.index("<details>")]
    assert "harder to decode" in questions
    assert "variance" in questions and "biased" in questions
    assert "change the network" in questions
    answer = think[think.index("<details>") :]
    assert "cosine" in answer and "sine" in answer and "atan2" in answer  # the sin/cos decoder


def test_errors_near_the_wrap_are_a_bias_towards_the_middle(cells, page):
    ns, printed = page.ns, page.printed
    error, ori = ns["error"], ns["true_ori"]
    lines = printed[_code(cells, "near_0, near_360")].splitlines()
    near_0, near_360 = ori < 30, ori > 330
    middle = ~(near_0 | near_360)
    assert error[near_0].mean() > 0 and f"{error[near_0].mean():+6.1f}" in lines[0]
    assert error[near_360].mean() < 0 and f"{error[near_360].mean():+6.1f}" in lines[1]
    # "the errors are largest near 0° and 360°"
    for where in (near_0, near_360):
        assert error[where].abs().mean() > 2 * error[middle].abs().mean()
    # "the closer the stimulus is to the wrap, the larger the error"
    assert error[ori < 10].mean() > error[(ori >= 10) & (ori < 30)].mean()
    assert error[ori > 350].mean() < error[(ori > 330) & (ori <= 350)].mean()
    # the answer's sin/cos decoder: 1° and 359° have the same cosine and nearly the same sine
    a, b = np.deg2rad(1.0), np.deg2rad(359.0)
    assert np.cos(a) == pytest.approx(np.cos(b)) and abs(np.sin(a) - np.sin(b)) < 0.04


# ----------------------------------------------------------------- Section 2.2: classification


def test_exercise_2_2_asks_for_what_its_stub_leaves_out(cells):
    start = next(i for i, c in enumerate(cells) if "#### Coding Exercise 2.2" in c.source)
    end = next(i for i in range(start, len(cells)) if cells[i].cell_type == "code")
    instructions = "\n".join(c.source for c in cells[start:end])  # the text above the stub
    stub = next(
        c.source
        for c in cells
        if "exercise-stub" in c.metadata.get("tags", []) and "class DeepNetSoftmax" in c.source
    )
    blanks = [line.split("=")[0].strip() for line in stub.splitlines() if line.endswith("...")]
    assert blanks == ["h", "logp"]  # only forward is left out ...
    assert "Complete `forward`" in instructions
    # ... the network and the loss are given, and the text says so instead of asking for them
    assert "net = DeepNetSoftmax(n_neurons, 20, n_classes)" in stub and "n_classes = 20" in stub
    assert "loss_fn = nn.NLLLoss()" in stub and "n_iter=1000" in stub
    assert "Then create" not in instructions and "written for you" in instructions
    assert "20 hidden" in instructions and "20 classes" in instructions


def test_the_classifier_prints_its_log_and_errs_by_one_bin_at_most(cells, page):
    ns, printed, figures = page.ns, page.printed, page.figures
    solution = _code(cells, "logp = self.logprob(self.out_layer(h))")
    log = [line for line in printed[solution].splitlines() if line.startswith("iteration")]
    assert len(log) == 5  # "prints the losses at five of those steps"
    n_classes = ns["n_classes"]
    bins_off = ns["bins_off"]
    counts = torch.bincount(bins_off).tolist()
    assert len(counts) == 2 and counts[1] > 0  # every mistake is into a neighbouring bin
    line = printed[_code(cells, "bins_off")].strip()
    assert line.startswith(f"bins of {360 / n_classes:.0f}°") and line.endswith(str(counts))
    # the decoded-results figure's tick labels can be read: none overlaps another
    fig = figures[solution][0]
    fig.canvas.draw()
    for ax in fig.axes:
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            boxes = [t.get_window_extent() for t in ticks if t.get_visible() and t.get_text()]
            for i, box in enumerate(boxes):
                assert not any(box.overlaps(other) for other in boxes[i + 1 :])


def test_the_bins_named_in_the_text_are_the_classifiers(cells, page, text):
    n_classes = page.ns["n_classes"]
    width = 360 / n_classes
    assert "355" not in text  # the old sentence named a 5° bin that does not exist
    sentence = text[text.index("The classifier makes mistakes too") :].split("Its input")[0]
    # the bins the sentence names are labels of the classifier's figure
    fig = plot_decoded_results([1.0], [1.0], [1.0], [0], n_classes)
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    plt.close(fig)
    first, last = labels[0], labels[-1]
    assert (first, last) == (f"0° - {width:.0f}°", f"{360 - width:.0f}° - 360°")
    assert first in sentence and last in sentence and "1°" in sentence
    # a grating at 1° is in the first bin, and the last bin is one bin from it around the circle
    assert stimulus_class(torch.tensor([[1.0]]), n_classes).item() == 0
    assert stimulus_class(torch.tensor([[359.0]]), n_classes).item() == n_classes - 1
    off = abs(0 - (n_classes - 1))
    assert min(off, n_classes - off) == 1 and "one bin off" in sentence


# ------------------------------------------------------------------ Section 2.3: regularisation


def test_regularised_runs_label_their_loss_with_the_penalties(cells):
    runs = [c.source for c in cells if c.cell_type == "code" and "L2_penalty=1e-2" in c.source]
    assert len(runs) == 2  # the stub and the solution
    for source in runs:
        call = source[source.index("plot_decoded_results(") :]
        assert 'ylabel="negative log likelihood + penalties"' in call
    plain = _code(cells, "logp = self.logprob(self.out_layer(h))")
    assert "ylabel" not in plain  # the default, "negative log likelihood", is true there
