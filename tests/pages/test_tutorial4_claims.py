"""What the bonus tutorial (W1D5 Tutorial 4) says holds for what its cells print, on all data.

The page's own code cells run here, in order, from the setup cell to the end (exercise stubs and
videos left out), so the numbers tested are those the page prints; its prose is read with
jupytext and checked against them. The page runs once per data set of ``data_draw`` (the
surrogate drawn with three seeds, and the real recordings where available): a sentence about
the data must hold on each, or say what to look at in the lines printed above it.
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
def page(data_draw):
    """The whole page run on the data set of ``data_draw``, its videos left out: its variables,
    and its printed text, figures and following prose by cell."""
    return _pages.run_page(PAGE, skip=("display_videos(",))


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
    sorted_ = _code(cells, "visualize_weights(W_in[:, isort], W_out, preferred=")
    assert figures[sorted_][0].axes[0].get_xlabel() == "neurons sorted by preferred orientation"
    ticks = [t.get_text() for t in figures[sorted_][0].axes[0].get_xticklabels()]
    assert ticks and all(t.endswith("°") for t in ticks), ticks  # ticked by that orientation
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
    # "their input weights moved much less from their random start than those of the units that
    # took on the job ... their activity stays small"
    assert moved[left_out].max() < 0.5 * moved[~left_out].min()
    assert largest_h[left_out].max() < 0.5 * largest_h[~left_out].min()
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
    instructions = " ".join("\n".join(c.source for c in cells[start:end]).split())
    index = next(
        i
        for i, c in enumerate(cells)
        if "exercise-stub" in c.metadata.get("tags", []) and "class DeepNetSoftmax" in c.source
    )
    stub, solution = cells[index].source, cells[index + 1].source
    assert "exercise-solution" in cells[index + 1].metadata["tags"]
    # the network is written out but for its last step; the student creates it, chooses the loss
    blanks = [line.split("=")[0].strip() for line in stub.splitlines() if "..." in line]
    assert sorted(blanks) == ["logp", "loss_fn", "net"], blanks
    for given in ("self.logprob = nn.LogSoftmax(dim=1)", "h = torch.relu(self.in_layer(r))"):
        assert given in stub and given in solution
    raised = stub.index('raise NotImplementedError("Student exercise: create the network and')
    assert raised < stub.index("net = DeepNetSoftmax(...)")
    # the placeholder is set before the raise, so that until the student chooses, the check
    # after the exercise reads "not finished yet", not a verdict on Section 1's MSELoss
    assert stub.index("loss_fn = ...") < raised
    assert "NLLLoss" not in stub and "CrossEntropyLoss" not in stub  # the choice is the student's
    assert "net = DeepNetSoftmax(n_neurons, 20, n_classes).to(DEVICE)" in solution
    assert "loss_fn = nn.NLLLoss()" in solution and "n_iter=1000" in solution
    # the text asks for both, and names the losses to choose from with what each one takes
    assert "Create `net`" in instructions and "choose `loss_fn`" in instructions
    assert "20 hidden units" in instructions and "`n_classes = 20` classes" in instructions
    assert "`nn.CrossEntropyLoss()` takes raw scores" in instructions
    assert "`nn.NLLLoss()` takes log probabilities" in instructions
    assert "written for you" not in instructions
    # LogSoftmax is explained before the student meets it
    assert "nn.LogSoftmax(dim=1)" in instructions and "log probabilities" in instructions


def test_the_choice_of_loss_is_checked_after_the_network(cells):
    code = [c.source.strip() for c in cells if c.cell_type == "code"]
    at = code.index("check_DeepNetSoftmax(DeepNetSoftmax)")
    assert code[at + 1] == "check_loss_choice(loss_fn)"
    setup = next(
        c.source for c in cells if c.cell_type == "code" and "nma-header" not in _pages.tags(c)
    )
    assert "check_loss_choice," in setup


def test_the_classifier_prints_its_log_and_errs_by_one_bin_at_most(cells, page):
    ns, printed, figures = page.ns, page.printed, page.figures
    solution = _code(cells, "logp = self.logprob(self.out_layer(h))")
    log = [line for line in printed[solution].splitlines() if line.startswith("iteration")]
    assert len(log) == 5  # "prints the losses at five of those steps"
    n_classes = ns["n_classes"]
    bins_off = ns["bins_off"]
    counts = torch.bincount(bins_off).tolist()
    assert len(counts) == 2 and counts[1] > 0  # every mistake is into a neighbouring bin
    line = printed[_code(cells, "counts = torch.bincount(bins_off)")].strip().splitlines()[0]
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


# ------------------------------------------------------------- verdicts printed, not written


def _fraction_correct(printed):
    """The fraction correct that ``decode_orientation`` printed at the end of its log."""
    return float(re.search(r">>> fraction correct = ([\d.]+)", printed).group(1))


def test_the_smoothing_comparison_says_what_to_look_at(cells, page, text):
    source = _code(cells, 'mode="reflect"')
    lines = page.printed[source].splitlines()
    resp = page.ns["resp_all"].numpy()
    from scipy.ndimage import gaussian_filter1d

    wrapped = gaussian_filter1d(resp, 5, axis=0, mode="wrap").argmax(axis=0)
    reflected = gaussian_filter1d(resp, 5, axis=0, mode="reflect").argmax(axis=0)
    changed = wrapped != reflected
    assert lines[0].startswith(f"{changed.mean():.1%} of the neurons")
    at_ends = np.isin(reflected[changed], [0, 359]).mean()
    assert lines[1] == f"of those, {at_ends:.0%} sit at 0 or 359 (2 of the 360 orientations: 0.6%)"
    after = page.after[source].strip()
    assert "The first line" in after and "the second" in after
    assert "Several percent" not in text and "most of them to the very ends" not in text


def test_the_largest_errors_of_both_decoders_are_printed(cells, page, text):
    source = _code(cells, "counts = torch.bincount(bins_off)")
    lines = page.printed[source].strip().splitlines()
    width = 360 / page.ns["n_classes"]
    largest = page.ns["error"].abs().max().item()
    assert lines[1] == (
        f"squared-error decoder: largest error {largest:.0f}°, {largest / width:.1f} bin widths"
    )
    after = page.after[source].strip()
    assert "the first line says how far they go" in after
    assert "largest error, on the second line" in after
    # no size of an error the page does not print, in its text or in a figure's alt text
    alts = " ".join(str(c.metadata.get("mystnb", "")) for c in cells if c.cell_type == "code")
    assert "hundreds of degrees" not in text and "hundreds of degrees" not in alts


def test_the_overfitting_sentence_tells_what_to_compare(text):
    assert "stops falling long before" not in text
    section = " ".join(_section(text, "### Section 2.3", "#### Coding Exercise 2.3").split())
    assert "the test loss at the last step of Exercise 2.2's log" in section


def test_the_accuracies_are_printed_side_by_side(cells, page, text):
    plain = page.printed[_code(cells, "logp = self.logprob(self.out_layer(h))")]
    penalised = page.printed[_code(cells, "L2 = L2_penalty * torch.square(weights).sum()")]
    source = _code(cells, "accuracy_reg =")
    lines = page.printed[source].splitlines()
    assert lines == [
        f"classified correctly without penalties: {_fraction_correct(plain):.3f}",
        f"classified correctly with penalties:    {_fraction_correct(penalised):.3f}",
    ]
    after = page.after[source].strip()
    assert after.startswith("Compare the two lines.")
    assert "If the penalised network classifies more of the test stimuli correctly" in after
    assert "over-fitted" in after and "does worse" in after  # both outcomes are read
    assert not re.search(r"accuracy (rises|rose|is higher)|more accurate", text)


def test_think_2_3_asks_what_errors_remain(cells, page, text):
    think = _section(text, "#### Think! 2.3", "</details>")
    assert "What errors are still being made?" in think
    assert "<details>" in think
    source = _code(cells, "bins_off_reg =")
    lines = page.printed[source].splitlines()
    ns = page.ns
    true_class = stimulus_class(ns["stimuli_test"], ns["n_classes"])
    off = (ns["predicted_test_labels"] - true_class).abs()  # the penalised classifier's
    off = torch.minimum(off, ns["n_classes"] - off)
    assert lines[0] == f"test stimuli 0, 1, 2, ... bins off: {torch.bincount(off).tolist()}"
    width = 360 / ns["n_classes"]
    within = ns["stimuli_test"].squeeze(1) % width
    to_edge = torch.minimum(within, width - within)
    wrong = off > 0
    assert lines[1] == (
        f"distance to the nearest bin edge: {to_edge[wrong].mean():.1f}° on average for the "
        f"{int(wrong.sum())} mistakes, {to_edge[~wrong].mean():.1f}° for the others"
    )
    # the discussion reads the two distances whichever is larger
    assert "If the mistaken stimuli lie closer to an edge than the others" in " ".join(
        think.split()
    )


def test_sparsity_is_counted_not_claimed(cells, page, text):
    assert "claims" not in text
    assert "Are the penalised weights sparser?" in text
    source = _code(cells, "W_in_reg = ")
    lines = page.printed[source].splitlines()
    ns = page.ns
    for line, weights in zip(lines, (ns["W_in_nll"], ns["W_in_reg"]), strict=True):
        assert line.endswith(f"{(np.abs(weights) < 1e-3).mean():.1%}")
    assert page.after[source].strip().startswith("The two lines answer the question")
    summary = " ".join(text[text.index("## Summary") :].split())
    assert "smaller and sparser" not in summary
    assert "counted whether they make the weights sparser" in summary


def test_the_filter_change_is_read_relative_to_the_filters(cells, page, text):
    from nma_dl import filters

    source = _code(cells, "relative change of the filters")
    lines = page.printed[source].splitlines()
    start = filters(out_channels=6, K=7)
    change = page.ns["weights"] - start
    assert f"largest change of a filter weight during training: {change.abs().max():.3f}" in lines
    relative = (change.norm() / start.norm()).item()
    assert f"relative change of the filters: {relative:.2f}" in lines
    each = change.flatten(1).norm(dim=1) / start.flatten(1).norm(dim=1)
    assert "relative change of each filter: " + " ".join(f"{c:.2f}" for c in each) in lines
    after = page.after[source].strip()
    assert "A relative change far below 1 means" in after and "near 1 or above" in after
    assert "which kept their shape, and which did training rebuild?" in after
    assert "hardly moved" not in text


def test_the_argument_b_of_convfc_is_explained(text):
    exercise = " ".join(_section(text, "#### Coding Exercise 3.2", "help(train_encoder)").split())
    assert "The argument `b` is the number of pixels of one image" in exercise
    assert "`12 * 16`" in exercise


def test_no_remarks_for_readers_of_the_original_course(text):
    flat = " ".join(text.split())
    found = re.findall(r"[^.]*\b(?:original (?:tutorial|course)|the original's)[^.]*", flat)
    assert not found, found
