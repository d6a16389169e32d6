"""nma_dl.plotting: what each figure draws, the course style, and input checks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

import nma_dl
from nma_dl import plotting


def _data_lines(ax):
    """Lines that carry data (not the grey reference lines)."""
    return [line for line in ax.get_lines() if line.get_color() != "0.7"]


# --------------------------------------------------------------------- style


def test_package_exports_the_plotting_names():
    for name in plotting.__all__:
        assert getattr(nma_dl, name) is getattr(plotting, name)


def test_use_course_style_applies_the_packaged_file_and_is_idempotent():
    mpl.rcdefaults()
    path = plotting.use_course_style()
    assert path.is_file() and path.name == "course.mplstyle"
    assert path.parent.name == "plotting" and path.parent.parent.name == "nma_dl"
    after_once = dict(mpl.rcParams)
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.spines.right"] is False
    assert mpl.rcParams["savefig.bbox"] == "tight"
    assert mpl.rcParams["figure.dpi"] == 100
    assert mpl.rcParams["font.size"] >= 12
    assert len(mpl.rcParams["axes.prop_cycle"]) >= 6

    assert plotting.use_course_style() == path
    assert dict(mpl.rcParams) == after_once


def test_style_file_fetches_nothing():
    text = plotting.STYLE_PATH.read_text()
    assert "http" not in text and "://" not in text


# --------------------------------------------------------------- data matrix


def test_plot_data_matrix_draws_a_pink_heatmap_with_percentile_limits_and_colorbar():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 300))
    X[0, 0] = 1e6  # one outlier must not set the colour scale
    fig, ax = plt.subplots()
    image = plotting.plot_data_matrix(X, ax)

    assert isinstance(image, AxesImage) and image in ax.get_images()
    assert image.get_cmap().name == "pink"
    assert image.get_clim() == pytest.approx(tuple(np.percentile(X, [1, 99])))
    assert image.colorbar is not None
    assert image.colorbar.ax.get_ylabel() == "normalized neural response"
    assert len(fig.axes) == 2  # the heatmap and its colorbar
    assert ax.get_aspect() == "auto"
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    np.testing.assert_array_equal(image.get_array(), X)


def test_plot_data_matrix_accepts_a_tensor():
    X = torch.arange(12.0, requires_grad=True).reshape(3, 4) * 1.0
    fig, ax = plt.subplots()
    image = plotting.plot_data_matrix(X, ax)
    np.testing.assert_allclose(image.get_array(), X.detach().numpy())


def test_plot_data_matrix_ignores_nan_for_the_colour_limits():
    X = np.arange(100.0).reshape(10, 10)
    X[3, 3] = np.nan
    fig, ax = plt.subplots()
    image = plotting.plot_data_matrix(X, ax)
    assert np.all(np.isfinite(image.get_clim()))


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "X, ax, error, words",
    [
        (np.zeros(5), "axes", ValueError, "2-D"),
        (np.zeros((2, 2, 2)), "axes", ValueError, "2-D"),
        (np.full((3, 3), np.nan), "axes", ValueError, "finite"),
        ([["a", "b"]], "axes", TypeError, "numeric"),
        (np.zeros((3, 3)), None, TypeError, "Axes"),
        (np.zeros((3, 3)), "not axes", TypeError, "Axes"),
    ],
)
def test_plot_data_matrix_rejects_bad_input(X, ax, error, words):
    if ax == "axes":
        _, ax = plt.subplots()
    with pytest.raises(error, match=words):
        plotting.plot_data_matrix(X, ax)


# ---------------------------------------------------------------- train loss


def test_plot_train_loss_draws_one_line_from_zero_with_labels():
    loss = np.linspace(5, 1, 50)
    fig, ax = plt.subplots()
    returned = plotting.plot_train_loss(loss, ax=ax)

    assert returned is ax
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), loss)
    np.testing.assert_allclose(line.get_xdata(), np.arange(50))
    assert ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0
    assert ax.get_ylim()[1] >= 5
    assert ax.get_xlabel() == "iterations of gradient descent"
    assert ax.get_ylabel() == "mean squared error"


def test_plot_train_loss_uses_current_axes_and_custom_label():
    fig, ax = plt.subplots()
    returned = plotting.plot_train_loss([3.0, 2.0, 1.0], ylabel="negative log likelihood")
    assert returned is ax
    assert ax.get_ylabel() == "negative log likelihood"


def test_plot_train_loss_accepts_tensors_and_lists_of_tensors():
    fig, ax = plt.subplots()
    losses = [torch.tensor(v, requires_grad=True) * 1 for v in (3.0, 2.0, 1.0)]
    plotting.plot_train_loss(losses, ax=ax)
    plotting.plot_train_loss(torch.tensor([4.0, 3.0]), ax=ax)
    first, second = ax.get_lines()
    np.testing.assert_allclose(first.get_ydata(), [3, 2, 1])
    np.testing.assert_allclose(second.get_ydata(), [4, 3])


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"train_loss": []}, ValueError, "empty"),
        ({"train_loss": np.ones((3, 3))}, ValueError, "one-dimensional"),
        ({"train_loss": [1.0, np.nan]}, ValueError, "finite"),
        ({"train_loss": ["low", "high"]}, TypeError, "numeric"),
        ({"train_loss": [1.0], "ylabel": 3}, TypeError, "ylabel"),
        ({"train_loss": [1.0], "ax": "axes"}, TypeError, "Axes"),
    ],
)
def test_plot_train_loss_rejects_bad_input(kwargs, error, words):
    with pytest.raises(error, match=words):
        plotting.plot_train_loss(**kwargs)


# ----------------------------------------------------------- decoded results


@pytest.fixture
def decoded():
    rng = np.random.default_rng(1)
    n_classes = 8
    orientations = rng.uniform(0, 360, size=(60, 1))  # a column, as load_data returns
    predicted = np.floor(orientations[:, 0] / (360 / n_classes)).astype(int)
    return {
        "train_loss": np.linspace(2.0, 0.2, 100),
        "test_loss": np.linspace(2.1, 0.5, 100),
        "test_labels": orientations,
        "predicted_test_labels": predicted,
        "n_classes": n_classes,
    }


def test_plot_decoded_results_draws_both_panels(decoded):
    fig = plotting.plot_decoded_results(**decoded)
    ax_loss, ax_pred = fig.axes
    assert len(fig.axes) == 2

    assert [line.get_label() for line in ax_loss.get_lines()] == ["train loss", "test loss"]
    legend = ax_loss.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["train loss", "test loss"]
    assert ax_loss.get_xlabel() == "iterations of gradient descent"
    assert ax_loss.get_ylabel() == "negative log likelihood"
    assert ax_loss.get_xlim()[0] == 0 and ax_loss.get_ylim()[0] == 0

    (points,) = _data_lines(ax_pred)
    assert points.get_marker() == "." and points.get_linestyle() == "None"
    np.testing.assert_allclose(points.get_xdata(), decoded["test_labels"][:, 0])
    np.testing.assert_allclose(points.get_ydata(), decoded["predicted_test_labels"])
    assert "orientation" in ax_pred.get_xlabel() and "°" in ax_pred.get_xlabel()
    assert ax_pred.get_ylabel() == "decoded orientation bin"


def test_plot_decoded_results_marks_every_bin(decoded):
    fig = plotting.plot_decoded_results(**decoded)
    ax_pred = fig.axes[1]
    labels = [t.get_text() for t in ax_pred.get_yticklabels()]
    assert len(labels) == 8
    assert labels[0] == "0° - 45°" and labels[-1] == "315° - 360°"
    np.testing.assert_allclose(ax_pred.get_yticks(), np.arange(8))
    # labelled every 90°, every bin edge a minor tick
    np.testing.assert_allclose(ax_pred.get_xticks(), [0, 90, 180, 270, 360])
    ticks = np.union1d(ax_pred.get_xticks(), ax_pred.get_xticks(minor=True))
    assert set(np.linspace(0, 360, 9)) <= set(ticks)  # (matplotlib hides minors under majors)
    assert ax_pred.get_xlim() == (0, 360)

    edges = [line for line in ax_pred.get_lines() if line.get_color() == "0.7"]
    assert sorted(line.get_xdata()[0] for line in edges) == pytest.approx(np.linspace(0, 360, 9))
    assert all(line.get_zorder() < 0 for line in edges)  # behind the predictions


def _overlapping_labels(ticks):
    boxes = [t.get_window_extent() for t in ticks if t.get_visible() and t.get_text()]
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]


@pytest.mark.parametrize("n_classes", [8, 20, 36])
def test_plot_decoded_results_tick_labels_do_not_overlap(decoded, n_classes):
    # with one label per bin edge, 20 bins wrote "0 18 36 54 72 90 ..." into one smudge
    decoded["n_classes"] = n_classes
    decoded["predicted_test_labels"] = np.floor(
        decoded["test_labels"][:, 0] / (360 / n_classes)
    ).astype(int)
    fig = plotting.plot_decoded_results(**decoded)
    fig.canvas.draw()
    ax_pred = fig.axes[1]
    assert _overlapping_labels(ax_pred.get_xticklabels()) == []
    if n_classes <= 20:  # one label per bin on the y-axis, as the tutorial's 20 bins
        assert _overlapping_labels(ax_pred.get_yticklabels()) == []


def test_plot_decoded_results_labels_the_loss_it_is_given(decoded):
    fig = plotting.plot_decoded_results(**decoded, ylabel="negative log likelihood + penalties")
    assert fig.axes[0].get_ylabel() == "negative log likelihood + penalties"
    with pytest.raises(TypeError, match="ylabel"):
        plotting.plot_decoded_results(**decoded, ylabel=None)


def test_plot_decoded_results_infers_n_classes_from_predictions(decoded):
    decoded["predicted_test_labels"] = np.array([0, 1, 2, 3] * 15)
    del decoded["n_classes"]
    fig = plotting.plot_decoded_results(**decoded)
    labels = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert labels == ["0° - 90°", "90° - 180°", "180° - 270°", "270° - 360°"]


def test_plot_decoded_results_accepts_tensors(decoded):
    decoded["test_labels"] = torch.tensor(decoded["test_labels"], dtype=torch.float32)
    decoded["predicted_test_labels"] = torch.tensor(decoded["predicted_test_labels"])
    decoded["train_loss"] = list(decoded["train_loss"])
    fig = plotting.plot_decoded_results(**decoded)
    (points,) = _data_lines(fig.axes[1])
    assert len(points.get_xdata()) == 60


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "change, error, words",
    [
        ({"predicted_test_labels": np.zeros(59, dtype=int)}, ValueError, "one entry per test"),
        ({"predicted_test_labels": np.full(60, -1)}, ValueError, "non-negative whole"),
        ({"predicted_test_labels": np.full(60, 0.5)}, ValueError, "non-negative whole"),
        ({"n_classes": 3}, ValueError, "n_classes"),
        ({"n_classes": 8.0}, TypeError, "n_classes"),
        ({"n_classes": True}, TypeError, "n_classes"),
        ({"test_labels": np.zeros((60, 2))}, ValueError, "test_labels"),
        ({"train_loss": []}, ValueError, "train_loss"),
        ({"test_loss": "falling"}, TypeError, "test_loss"),
    ],
)
def test_plot_decoded_results_rejects_bad_input(decoded, change, error, words):
    decoded.update(change)
    with pytest.raises(error, match=words):
        plotting.plot_decoded_results(**decoded)


# ------------------------------------------------------------- identity line


def test_identity_line_spans_the_union_of_limits_and_equalises_them():
    fig, ax = plt.subplots()
    ax.plot([0, 10], [-5, 3], "o")
    ax.set_xlim(0, 10)
    ax.set_ylim(-5, 3)
    line = plotting.identity_line(ax)

    assert isinstance(line, Line2D) and line in ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [-5, 10])
    np.testing.assert_allclose(line.get_ydata(), [-5, 10])
    assert ax.get_xlim() == ax.get_ylim() == (-5, 10)
    assert line.get_color() == "0.7"
    assert line.get_zorder() < ax.get_lines()[0].get_zorder()


def test_identity_line_defaults_to_current_axes_and_keeps_limits_fixed():
    fig, ax = plt.subplots()
    ax.set_xlim(1, 2)
    ax.set_ylim(0, 4)
    line = plotting.identity_line()
    assert line.axes is ax
    ax.plot([100], [100], "o")  # later data does not stretch the equal limits
    assert ax.get_xlim() == ax.get_ylim() == (0, 4)


@pytest.mark.bad_input
@pytest.mark.parametrize("ax", ["gca", 0, plt])
def test_identity_line_rejects_non_axes(ax):
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plotting.identity_line(ax)
