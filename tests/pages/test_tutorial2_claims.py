"""What Tutorial 2 (convolutional networks) says holds for what its cells compute.

The page's own cells are read from its source, so a change to a kernel, an image or a setting
on the page is tested as it stands: the edge kernel's signs on either side of the stripe, the
setup cell's silence, the restored bonus exercise and Bonus Think!, and the page's words to
students (no notes about the machines the course is tested on).
"""

import ast
import contextlib
import io
import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import nma_dl
from nma_dl import grating, simple_and_complex_cells

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "book" / "W1D5_DeepLearning" / "W1D5_Tutorial2.md"


@pytest.fixture(scope="module")
def cells():
    return _pages.cells(PAGE)


def _code(cells, marker):
    """The one code cell whose source contains ``marker``."""
    found = [c.source for c in cells if c.cell_type == "code" and marker in c.source]
    assert len(found) == 1, (marker, len(found))
    return found[0]


def _markdown_after(cells, marker):
    """The text of the markdown cells right after the code cell containing ``marker``."""
    index = next(i for i, c in enumerate(cells) if c.cell_type == "code" and marker in c.source)
    text = []
    for cell in cells[index + 1 :]:
        if cell.cell_type != "markdown":
            break
        text.append(cell.source)
    return " ".join(" ".join(text).split())


def _assignments(source):
    """Run only the assignments of a cell (its tensors), not its plotting."""
    namespace = {"torch": torch, "np": np}
    return _pages.run_cell(source, namespace, only=(ast.Assign,), filename=str(PAGE))


# --------------------------------------------------------------------------- Section 1


def test_the_edge_kernel_signs_are_those_the_text_gives(cells):
    source = _code(cells, "plot_convolution_step(image, kernel")
    ns = _assignments(source)
    image, kernel = ns["image"], ns["kernel"]
    out = F.conv2d(image[None, None], kernel[None, None], padding="same")[0, 0]
    # the diagonal stripe of ones: in each row, the first run of ones
    left_of, right_of = [], []
    for row in image:
        ones = torch.nonzero(row).flatten().tolist()
        run = [ones[0]]
        while run[-1] + 1 in ones:
            run.append(run[-1] + 1)
        left_of.append(run[0] - 1)
        right_of.append(run[-1] + 1)
    left = [out[i, j].item() for i, j in enumerate(left_of) if j >= 0]
    right = [out[i, j].item() for i, j in enumerate(right_of) if j < image.shape[1]]
    assert left and right
    assert all(v < 0 for v in left) and all(v > 0 for v in right), (left, right)
    assert kernel.sum() == 0  # "a uniform patch gives zero"

    text = _markdown_after(cells, "plot_convolution_step(image, kernel")
    positive = re.search(r"positive[^.]*?\b(left|right)\b", text)
    negative = re.search(r"negative[^.]*?\b(left|right)\b", text)
    assert positive and negative, text
    # the side of the stripe named after "positive" is where the output is positive
    assert positive.group(1) == "right", positive.group(0)
    assert negative.group(1) == "left", negative.group(0)
    assert "sum to zero" in text


# --------------------------------------------------------------------------- setup


def test_the_setup_cell_shows_no_output(cells, capsys):
    """A value left at the end of the setup cell (a style file's path) would be displayed."""
    setup = next(
        c.source
        for c in cells
        if c.cell_type == "code" and "nma-header" not in c.metadata.get("tags", [])
    )
    # with history, as in a notebook: the result is what the cell displays (a trailing ";"
    # displays nothing)
    result = _pages.run_in_ipython(setup)
    assert result.success, result.error_in_exec
    assert result.result is None, f"the setup cell displays {result.result!r}"
    assert "PosixPath" not in capsys.readouterr().out


# --------------------------------------------------------------------------- bonus


def test_the_bonus_coding_exercise_is_on_the_page(cells):
    stub = _code(cells, 'raise NotImplementedError("Student exercise: get the weights')
    assert "def conv_weights(layer)" in stub
    index = next(i for i, c in enumerate(cells) if c.source == stub)
    assert "exercise-stub" in cells[index].metadata["tags"]
    solution = cells[index + 1]
    assert "exercise-solution" in solution.metadata["tags"]
    assert solution.metadata["mystnb"]["image"]["alt"]
    assert cells[index + 2].source.strip() == "check_conv_weights(conv_weights)"
    assert "conv_weights" in nma_dl.__all__ and "check_conv_weights" in nma_dl.__all__
    from nma_dl.checks import check_conv_weights  # noqa: F401 - importable from checks


def test_the_weights_printed_have_the_shape_the_text_reads(cells):
    layer = nma_dl.ConvolutionalLayer(1, 6, 7, filters=nma_dl.filters(out_channels=6, K=7))
    assert tuple(nma_dl.conv_weights(layer).shape) == (6, 1, 7, 7)
    text = " ".join(c.source for c in cells if c.cell_type == "markdown")
    assert "6 output channels, each with one kernel per input channel (here 1" in " ".join(
        text.split()
    )


@pytest.fixture(scope="module")
def orientation_tuning():
    """The Bonus Think! cell: complex cells of 0 and 90 degrees and their sum, at the center."""
    angles = np.arange(-90, 90, 15)
    images = torch.stack([grating(angle) for angle in angles])
    tuning = {}
    for preferred in (0, 90):
        _, complex_ = simple_and_complex_cells(images, angle=preferred)
        tuning[preferred] = complex_[:, 24, 32].numpy()
    tuning["sum"] = tuning[0] + tuning[90]
    return angles, tuning


def test_the_cell_for_two_orientations_is_on_the_page(cells):
    source = _code(cells, 'tuning["their sum"]')
    assert "np.arange(-90, 90, 15)" in source and "(0, 90)" in source
    assert "complex_[:, 24, 32]" in source
    text = " ".join(" ".join(c.source for c in cells if c.cell_type == "markdown").split())
    assert "How might you build a cell that responds to more than one orientation?" in text


def test_the_sum_responds_to_both_orientations_and_half_as_much_between(orientation_tuning):
    angles, tuning = orientation_tuning
    at = {int(a): i for i, a in enumerate(angles)}
    peak0, peak90 = tuning[0].max(), tuning[90].max()
    # "each complex cell responds to its own orientation and hardly at all to the orthogonal one"
    assert angles[tuning[0].argmax()] == 0 and angles[tuning[90].argmax()] == -90
    assert tuning[0][at[-90]] < 0.01 * peak0 and tuning[90][at[0]] < 0.01 * peak90
    # "their sum responds to both, vertical and horizontal gratings alike"
    total = tuning["sum"]
    assert total[at[0]] == pytest.approx(total[at[-90]], rel=0.05)
    assert angles[total.argmax()] in (0, -90)
    # "about half as much to the diagonals, where each input gives about a quarter of its peak"
    for diagonal in (-45, 45):
        assert 0.45 < total[at[diagonal]] / total.max() < 0.6
        assert 0.2 < tuning[0][at[diagonal]] / peak0 < 0.3
        assert 0.2 < tuning[90][at[diagonal]] / peak90 < 0.3
    assert angles[total.argmin()] in (-45, 45)


# --------------------------------------------------------------------------- words to students

_MACHINE_NOTES = re.compile(
    r"test runner|test machine|2-core|two-core|other jobs|sandbox|\bCI\b|nbmake|pytest",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", ["W1D5_Tutorial2.md", "W1D5_Tutorial3.md"])
def test_the_page_says_nothing_about_our_machines(name):
    text = (PAGE.parent / name).read_text(encoding="utf-8")
    found = sorted({m.group(0) for m in _MACHINE_NOTES.finditer(text)})
    assert not found, f"{name} mentions {found}"


# ------------------------------------------------------------------- what a student reads


def _markdown(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")


def test_every_work_cited_has_a_link(cells):
    """A year in the text is a citation: it sits in the text of a link to the work."""
    text = _markdown(cells)
    outside_links = _LINK.sub(" ", text)
    years = re.findall(r"\b(?:19[5-9]\d|20[0-2]\d)\b", outside_links)
    assert not years, f"works cited without a link: {years}"
    targets = {target for _, target in _LINK.findall(text)}
    for wanted in (
        "https://en.wikipedia.org/wiki/Gabor_filter",
        "https://en.wikipedia.org/wiki/Difference_of_Gaussians",
        "https://arxiv.org/abs/1603.07285",  # Dumoulin and Visin, convolution arithmetic
        # Krizhevsky, Sutskever and Hinton 2012 (AlexNet), NeurIPS
        "https://papers.nips.cc/paper/2012/hash/c399862d3b9d6b76c8436e924a68c45b-Abstract.html",
    ):
        assert wanted in targets, wanted
    for label, target in _LINK.findall(text):
        if re.search(r"\b(?:19|20)\d\d\b", label):
            assert target.startswith("https://"), (label, target)


def test_no_remarks_for_readers_of_the_original_course(cells):
    text = " ".join(_markdown(cells).split())
    found = re.findall(r"[^.]*\boriginal (?:tutorial|course)[^.]*", text)
    assert not found, found


def test_the_bare_gratings_are_shown_before_their_activations(cells):
    index = {
        marker: next(
            i for i, c in enumerate(cells) if c.cell_type == "code" and marker in c.source
        )
        for marker in ("plot_gratings(", "plot_example_activations(")
    }
    assert index["plot_gratings("] < index["plot_example_activations("]
    gratings = cells[index["plot_gratings("]]
    assert "plot_gratings(stimuli, orientations)" in gratings.source
    assert gratings.metadata["mystnb"]["image"]["alt"]
    activations = cells[index["plot_example_activations("]].source
    assert "angles=orientations" in activations  # each row labelled with its grating's angle
    setup = next(
        c.source for c in cells if c.cell_type == "code" and "nma-header" not in _pages.tags(c)
    )
    assert "plot_gratings" in setup


# --------------------------------------------------------------------- Think! activations


@pytest.fixture(scope="module")
def section_3():
    """The page run up to Section 4: its variables and what each cell printed."""
    return _pages.run_page(PAGE, until="## Section 4", skip=("display_videos(",))


def test_think_asks_how_many_activations_a_channel_has(cells):
    text = _markdown(cells)
    heading = re.search(r"#### Think! [\d.]+: [^\n]*activations[^\n]*", text)
    assert heading, "no Think! about the number of activations"
    think = text[heading.start() :]
    think = think[: think.index("</details>")]
    question, answer = think.split("<details>")
    assert "channel" in question and "why" in question.lower()
    assert "padding" in answer
    assert "(H - K + 1)" in answer.replace("−", "-") or "H - K + 1" in answer.replace("−", "-")


def test_the_activations_per_channel_are_printed_as_the_answer_reads(cells, section_3):
    source = _code(cells, "without padding")
    printed = section_3.printed[source]
    ns = section_3.ns
    stimuli, layer = ns["stimuli"], ns["layer"]
    H, W = stimuli.shape[-2:]
    K = layer.conv.kernel_size[0]
    P = layer.conv.padding[0]
    assert (H, W, K, P) == (48, 64, 7, 3)
    with torch.no_grad():
        padded = layer(stimuli)
        bare = F.conv2d(stimuli, layer.conv.weight)
    assert tuple(padded.shape[-2:]) == (H, W)
    assert tuple(bare.shape[-2:]) == (H - K + 1, W - K + 1)
    # the cell prints both counts, and the answer quotes only those
    for rows, cols in ((H, W), (H - K + 1, W - K + 1)):
        assert f"{rows} x {cols} = {rows * cols}" in printed, printed
    answer = _markdown(cells)
    answer = answer[answer.index("#### Think! 3.1") :]
    answer = " ".join(answer[answer.index("<details>") : answer.index("</details>")].split())
    numbers = set(re.findall(r"\b\d+\b", answer))
    allowed = {str(n) for n in (H, W, K, P, H * W, H - K + 1, W - K + 1)}
    allowed |= {str((H - K + 1) * (W - K + 1)), "1", "2"}
    assert numbers <= allowed, numbers - allowed


# ------------------------------------------------------------------- Bonus: receptive fields


def _receptive_field_by_gradient(stack, size=64):
    """The width of the input patch that one central unit at the top of ``stack`` depends on.

    Max pooling passes a gradient to one input of each window only, so it is replaced by
    average pooling over the same window (the same receptive field) and every weight is made
    positive: no part of the patch can then cancel out.
    """
    layers = []
    for module in stack:
        if isinstance(module, torch.nn.MaxPool2d):
            module = torch.nn.AvgPool2d(module.kernel_size, module.stride)
        else:
            module = torch.nn.Conv2d(
                1, 1, module.kernel_size, stride=module.stride, padding=module.padding
            )
            torch.nn.init.constant_(module.weight, 1.0)
        layers.append(module)
    x = torch.zeros(1, 1, size, size, requires_grad=True)
    y = torch.nn.Sequential(*layers)(x)
    y[0, 0, y.shape[-2] // 2, y.shape[-1] // 2].backward()
    cols = torch.nonzero(x.grad[0, 0].abs().sum(dim=0)).flatten()
    return int(cols.max() - cols.min() + 1)


def test_the_receptive_field_is_computed_and_the_text_reads_it(cells):
    source = _code(cells, "jump *= ")
    ns = {"torch": torch, "np": np, "nn": torch.nn}
    out = io.StringIO()
    with _pages.isolated(), contextlib.redirect_stdout(out):
        _pages.run_cell(source, ns, filename=str(PAGE))
    stack = ns["stack"]
    assert [type(m).__name__ for m in stack] == ["Conv2d", "MaxPool2d", "Conv2d"]
    # the recursion of the cell and the gradient of one unit agree: 7 -> 8 -> 8 + 6 * 2
    assert ns["field"] == _receptive_field_by_gradient(stack) == 20
    last = out.getvalue().strip().splitlines()[-1]
    assert "20 x 20 pixels" in last, last
    text = _markdown(cells)
    bonus = text[text.index("### Bonus Section 1") : text.index("### Bonus Section 2")]
    bonus = " ".join(bonus.split())
    # the old count, 7 + (7 - 1) * 2 = 19, forgot the pooling window
    assert not re.search(r"= 19\b|\b19 pixels", bonus)
    assert "20 pixels" in bonus
