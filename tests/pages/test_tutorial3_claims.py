"""What Tutorial 3 (normative encoding models) says holds on every data set it may run on.

The network is trained on gratings, so its accuracy and its layers do not depend on the
recordings; V1 does. Every test that reads the recordings takes ``data_draw``
(tests/pages/conftest.py): the surrogate drawn with three seeds, and the real recordings where
they are available. Which layer is more V1-like, and which representation groups the gratings by
their side of vertical, are outcomes of the data: the page prints them from its numbers, and the
tests check that the printed verdicts are the ones those numbers give, whatever they are.
"""

import ast
import inspect
import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from nma_dl import CNN, RDM, correlate_rdms, grating, load_data, plot_architecture, tilt_range

PAGE = Path(__file__).resolve().parents[2] / "book" / "W1D5_DeepLearning" / "W1D5_Tutorial3.md"


def test_held_out_accuracy_and_where_it_errs(tilt_cnn):
    # Trained on gratings only: the same network on every data set.
    net = tilt_cnn.net
    test_ori = np.random.default_rng(2021).uniform(-90, 90, 500)  # the page's test set
    with torch.no_grad():
        p = net(torch.stack([grating(a) for a in test_ori])).squeeze(1).numpy()
    wrong = (p > 0.5) != (test_ori > 0)
    assert wrong.mean() <= 0.05  # >= 95 % leaves room for other torch builds
    # what the page expects of its mistakes: close to vertical or close to horizontal
    assert np.all(np.minimum(np.abs(test_ori[wrong]), 90 - np.abs(test_ori[wrong])) < 10)


@pytest.fixture(scope="module")
def v1_stimuli(data_draw):
    """The V1 stimuli as tilts, from the data set of the draw."""
    resp_v1, ori_v1 = tilt_range(*load_data())
    return resp_v1, ori_v1.numpy()


def test_the_stimuli_are_half_the_circle_as_tilts(v1_stimuli):
    resp_v1, ori = v1_stimuli
    assert len(ori) == 180 and -90 <= ori.min() < -89 and 89 < ori.max() < 90
    assert np.all(np.diff(ori) > 0)  # ordered by tilt, one per 1° bin, as the page's RDMs are
    assert resp_v1.shape[0] == 180


@pytest.fixture(scope="module")
def page(data_draw):
    """The page's code cells run, solutions in place, up to its Summary (once per data set)."""
    return _pages.run_page(PAGE, until="## Summary")


def _cell(page, assigned):
    """The one code cell of the page that assigns ``assigned`` at its top level."""
    found = [
        source
        for source in page.printed
        for node in ast.parse(_pages.as_python(source)).body
        if isinstance(node, ast.Assign)
        and any(
            isinstance(name, ast.Name) and name.id == assigned
            for target in node.targets
            for name in ast.walk(target)  # a name, or one of a tuple of names
        )
    ]
    assert len(found) == 1, f"expected one cell assigning {assigned}, found {len(found)}"
    return found[0]


def _rdms(page):
    """The RDM of V1 and of each layer, recomputed with the package's RDM."""
    return {label: RDM(resp) for label, resp in page.ns["resp_dict"].items()}


def test_the_page_prints_where_its_mistakes_lie(page):
    source = _cell(page, "correct")
    printed = page.printed[source]
    test_ori, correct = page.ns["test_ori"], page.ns["correct"]
    assert f"held-out accuracy: {correct.mean():.1%} of 500 fresh gratings" in printed
    wrong = test_ori[~correct]
    if len(wrong):
        off = np.minimum(np.abs(wrong), 90 - np.abs(wrong)).max()
        assert f"every mistake lies within {off:.1f}° of vertical or of horizontal" in printed
    prose = page.after[source]
    assert "The few mistakes, if any, lie close to vertical" not in prose


def test_the_page_prints_which_layer_is_more_v1_like_by_rsa(page):
    # Section 2.2: the RDM correlation of each layer with V1, and the verdict they give.
    rdms = _rdms(page)
    rdm_v1 = rdms.pop("V1 data")
    corr = {label: correlate_rdms(rdm_v1, rdm) for label, rdm in rdms.items()}
    assert set(corr) == {"model 'pool' layer", "model 'fc' layer"}
    source = _cell(page, "best")
    lines = page.printed[source].splitlines()
    for label, value in corr.items():
        assert f"{label}: RDM correlation with V1 = {value:.3f}" in lines
    best, other = sorted(corr, key=corr.get, reverse=True)
    verdict = f"more V1-like by this measure: {best} ({corr[best]:.3f} vs {corr[other]:.3f})"
    assert verdict in lines, (verdict, lines)
    prose = page.after[source]
    assert "on the offline surrogate it is the 'pool' layer" not in prose
    assert "names the layer whose RDM correlates better with V1's" in prose


def test_the_page_prints_which_representation_groups_gratings_by_side(page):
    # Section 2.1: for gratings 20° apart, how many times more dissimilar a pair on opposite
    # sides of vertical is than a pair on the same side, and which representation it is largest
    # for. The fc layer is trained on the side, so its ratio is large on every data set; V1's is
    # what the data say.
    ori = page.ns["ori"]
    steps = np.abs(np.arange(180)[:, None] - np.arange(180)[None, :])
    pairs = np.minimum(steps, 180 - steps) == 20
    same_side = (ori > 0)[:, None] == (ori > 0)[None, :]
    ratio = {}
    source = _cell(page, "side_ratio")
    lines = page.printed[source].splitlines()
    for label, rdm in _rdms(page).items():
        same, opposite = rdm[pairs & same_side].mean(), rdm[pairs & ~same_side].mean()
        ratio[label] = opposite / same
        line = f"{label:>18}: {same:.2f} | {opposite:.2f}, {ratio[label]:.1f} times as dissimilar"
        assert line in lines, (line, lines)
    strongest = max(ratio, key=ratio.get)
    verdict = (
        f"groups gratings by side most strongly: {strongest} "
        f"({ratio[strongest]:.1f} times; V1 data: {ratio['V1 data']:.1f} times)"
    )
    assert verdict in lines, (verdict, lines)
    assert ratio["model 'fc' layer"] > 5  # trained on the side: the same on every data set
    prose = page.after[source]
    assert "A ratio near 1 means the representation does not care" in prose


def test_the_discussions_leave_the_verdicts_to_the_printed_lines():
    text = _pages.prose(PAGE.read_text(encoding="utf-8"))
    for words in (
        "by a wide margin",
        "as it may for V1 here",
        "This is the conclusion of Section 2.2 reached without a number",
        "and this block structure is not in V1",
    ):
        assert words not in text, words


def test_the_page_speaks_to_students_who_never_saw_the_original():
    text = _pages.prose(PAGE.read_text(encoding="utf-8"))
    for words in ("original course", "original tutorial", "(The original", "as the original"):
        assert words not in text, words
    assert "The slides shown in this tutorial's videos are on OSF: <https://osf.io/kwyvp>" in text


# --------------------------------------------------------------------------- the page itself

PAGE = Path(__file__).resolve().parents[2] / "book" / "W1D5_DeepLearning" / "W1D5_Tutorial3.md"


def test_the_page_makes_no_claim_about_how_fast_training_is_here():
    """Training takes seconds to a minute on a CPU: "a few seconds" was not true everywhere."""
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert "a few seconds" not in text
    assert not re.search(r"\d+ (seconds|s) on (one|two) threads?", text)
    assert "from several seconds to a minute, depending on the machine" in text


def test_the_architecture_diagram_shows_the_shapes_of_the_trained_network():
    cells = _pages.cells(PAGE)
    [cell] = [c for c in cells if c.cell_type == "code" and "plot_architecture(net" in c.source]
    alt = " ".join(cell.metadata["mystnb"]["image"]["alt"].split())
    notes = {"conv": "then ReLU", "fc": "then ReLU", "out": "then sigmoid"}
    assert f"in_forward = {notes!r}".replace("'", '"') in cell.source
    fig = plot_architecture(CNN(48, 64), (48, 64), notes=notes)
    try:
        texts = [" ".join(t.get_text().split()) for t in fig.axes[0].texts]
    finally:
        plt.close(fig)
    # every shape and layer the alt text names is in the figure, in the alt text's order
    said = [
        "one image, 48 × 64",
        "reshape to 1 × 48 × 64",
        "output 6 × 48 × 64",
        "output 6 × 6 × 8",
        "flatten to 288",
        "output 10",
        "output 1",
    ]
    position = 0
    for words in said:
        position = alt.index(words, position)  # ValueError: missing, or out of order
    flat = " | ".join(texts)
    shapes = ["48 × 64", "reshape to 1 × 48 × 64", "6 × 48 × 64", "6 × 6 × 8"]
    for shape in [*shapes, "flatten to 288", "10", "1"]:
        assert shape in flat, shape
    assert texts.index("10") < texts.index("1")
    for words in ("6 filters of 1 × 7 × 7", "max over 8 × 8 patches", "288 → 10", "10 → 1"):
        assert words in alt and words in flat, words
    # the forward pass really applies what the notes say, after those layers
    source = inspect.getsource(CNN.forward)
    assert "torch.relu(self.conv(x))" in source and "torch.relu(self.fc(x))" in source
    assert "torch.sigmoid(self.out(x))" in source
