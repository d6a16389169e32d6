"""The figures of W1D3 Tutorial 1 and W1D5 Tutorials 2 to 4 say what they show.

One colour per class in every figure of the classification tutorial (and a legend naming the
classes); ten curves that can be told apart, with a legend clear of them and no empty panel;
weight maps ticked with the preferred orientation they are sorted by; RDMs ticked with the
stimulus orientations; V1 panels that speak of neurons; activation rows labelled with their
grating's angle, and a figure of the gratings alone. Every colour a line or point is drawn in
has a WCAG contrast of at least 3:1 against the figure's white background (the figures carry
their own opaque white, so a dark page theme shows them on white too).
"""

import matplotlib

matplotlib.use("Agg")

import colorsys

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex, to_rgb

from nma_dl import create_spiral_dataset, grating, plotting, sample_grid
from nma_dl.plotting import (
    plot_decision_map,
    plot_encoder_tuning,
    plot_example_activations,
    plot_multiple_rdm,
    plot_rdm_rows,
    plot_spiral,
    plot_tuning,
    style,
    visualize_hidden_units,
    visualize_weights,
)
from nma_dl.plotting.style import use_course_style


# Looked up when a test runs, so that each test of a name the package lacks fails on its own.
def class_colors(n):
    return style.class_colors(n)


def plot_gratings(*args, **kwargs):
    return plotting.plot_gratings(*args, **kwargs)


@pytest.fixture(autouse=True)
def _course_style():
    """Draw in the course style, as the pages do; restore matplotlib's settings after."""
    with plt.rc_context():
        use_course_style()
        yield
    plt.close("all")


def _contrast(color, background="white"):
    """WCAG 2.1 contrast ratio, computed here independently of the package."""

    def luminance(c):
        rgb = np.array(to_rgb(c))
        rgb = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return rgb @ [0.2126, 0.7152, 0.0722]

    high, low = sorted([luminance(color), luminance(background)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hue(color):
    return colorsys.rgb_to_hsv(*to_rgb(color))[0]


def _overlaps(a, b):
    """Whether two artists' boxes on the canvas overlap (by more than a pixel)."""
    box_a, box_b = a.get_window_extent(), b.get_window_extent()
    width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
    height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
    return width > 1 and height > 1


def _panels(fig):
    """The axes that draw data (not colour bars)."""
    return [
        ax
        for ax in fig.axes
        if (ax.images or ax.lines or ax.collections) and ax.get_label() != "<colorbar>"
    ]


def _legend_texts(legend):
    return [text.get_text() for text in legend.get_texts()]


# ------------------------------------------------------------------ 1. one colour per class


@pytest.mark.parametrize("n", [1, 4, 10, 12, 40, 360])
def test_class_colors_are_distinct_readable_and_the_same_for_every_count(n):
    colors = class_colors(n)
    assert len(colors) == n
    assert len({to_hex(c) for c in colors}) == n
    assert all(_contrast(c) >= 3.0 for c in colors)
    assert colors == class_colors(max(n, 10))[:n]  # class k's colour does not depend on n


def test_the_first_classes_get_the_course_palette():
    # the colour-blind-safe colours of the course's cycle that are readable on white
    assert [to_hex(c) for c in class_colors(4)] == ["#0072b2", "#d55e00", "#009e73", "#cc79a7"]


@pytest.fixture
def spiral():
    X, y = create_spiral_dataset(4, 0.16, 50)
    return X, y


def _spiral_colors(ax, y):
    """The colour of each class's points in a plot_spiral axes."""
    (points,) = ax.collections
    faces = points.get_facecolors()
    y = np.asarray(y)
    if len(faces) == 1:
        faces = np.repeat(faces, len(y), axis=0)
    per_class = {}
    for k in np.unique(y):
        colors = {to_hex(c) for c in faces[y == k]}
        assert len(colors) == 1, colors
        per_class[int(k)] = colors.pop()
    return per_class


def _decision_map(X, y, M=40):
    X_all = sample_grid(M, 2.0)
    # a map that predicts the class of the nearest training point: every class has a region
    distances = torch.cdist(X_all, X)
    y_pred = torch.nn.functional.one_hot(y[distances.argmin(1)], 4).float()
    fig, ax = plt.subplots(figsize=(6, 6))
    image = plot_decision_map(X_all, y_pred, X[::5], y[::5], M=M, ax=ax)
    return fig, ax, image


def test_spiral_and_decision_map_draw_class_k_in_the_same_colour(spiral):
    X, y = spiral
    fig, ax = plt.subplots()
    plot_spiral(X, y, ax=ax)
    spiral_colors = _spiral_colors(ax, y)
    expected = {k: to_hex(c) for k, c in enumerate(class_colors(4))}
    assert spiral_colors == expected  # before: tab10, class 3 red

    _, ax_map, image = _decision_map(X, y)
    cmap = image.get_cmap()
    strong = {k: to_hex(cmap(image.norm(4 + k))) for k in range(4)}
    assert strong == expected  # before: the cycle's colours, class 3 pink
    for k in range(4):  # regions: a lighter shade of the same hue
        light = cmap(image.norm(k))
        assert _hue(light) == pytest.approx(_hue(expected[k]), abs=0.02)
        assert _contrast(light) < _contrast(expected[k])


def test_decision_map_points_have_their_class_colour_and_a_dark_edge(spiral):
    X, y = spiral
    _, ax, image = _decision_map(X, y)
    (points,) = ax.collections
    faces = [to_hex(c) for c in points.get_facecolors()]
    assert faces == [to_hex(class_colors(4)[k]) for k in y[::5].tolist()]
    edge = points.get_edgecolors()[0]
    cmap = image.get_cmap()
    for k in range(4):  # the edge stands out on every region, the points' colours too
        assert _contrast(edge, cmap(image.norm(k))) >= 3.0
    np.testing.assert_allclose(points.get_offsets(), X[::5].numpy(), atol=1e-6)


def _class_legend_colors(legend):
    return [to_hex(handle.get_markerfacecolor()) for handle in legend.legend_handles]


@pytest.mark.parametrize("figure", ["spiral", "decision map"])
def test_class_figures_name_the_classes_in_a_legend_beside_the_data(spiral, figure):
    X, y = spiral
    if figure == "spiral":
        fig, ax = plt.subplots(figsize=(5, 5))
        plot_spiral(X, y, ax=ax)
    else:
        fig, ax, _ = _decision_map(X, y)
    legend = ax.get_legend()
    assert legend is not None
    assert _legend_texts(legend) == ["class 0", "class 1", "class 2", "class 3"]
    assert _class_legend_colors(legend) == [to_hex(c) for c in class_colors(4)]
    fig.canvas.draw()
    assert not _overlaps(legend, ax.patch)  # the legend covers no point


def test_spiral_legend_lists_the_classes_present():
    X = torch.zeros(3, 2)
    plot_spiral(X, torch.tensor([0, 2, 2]))
    assert _legend_texts(plt.gca().get_legend()) == ["class 0", "class 2"]


# ----------------------------------------------- 2. ten tuning curves, told apart, with a legend


def _hidden_units_figure(n_hidden=10, **kwargs):
    rng = np.random.default_rng(0)
    stimuli = np.arange(360.0)
    centres = rng.uniform(0, 360, n_hidden)
    h = np.maximum(np.cos(np.deg2rad(stimuli[None] - centres[:, None])), 0)
    return visualize_hidden_units(rng.normal(0, 0.01, (n_hidden, 50)), h, stimuli, **kwargs)


def _look(line):
    return (to_hex(line.get_color()), line.get_linestyle())


def test_hidden_unit_curves_have_ten_distinct_readable_colours_and_a_legend():
    fig = _hidden_units_figure()
    (curves,) = [ax for ax in fig.axes if len(ax.lines) == 10]
    colors = [to_hex(line.get_color()) for line in curves.lines]
    assert len(set(colors)) == 10, colors  # before: the 8-colour cycle wrapped around
    assert all(_contrast(c) >= 3.0 for c in colors)  # before: the cycle's yellow, 1.3:1
    legend = curves.get_legend()
    assert legend is not None
    # every unit named once, with its line as drawn (the entries read by rows: 0 to 4, 5 to 9)
    named = dict(zip(_legend_texts(legend), map(_look, legend.legend_handles), strict=True))
    assert named == {f"unit {k}": _look(line) for k, line in enumerate(curves.lines)}
    assert _legend_texts(legend)[:2] == ["unit 0", "unit 5"]  # column by column
    fig.canvas.draw()
    assert not _overlaps(legend, curves.patch)  # below the curves, not over them
    assert to_hex(fig.get_facecolor()) == "#ffffff" and fig.get_facecolor()[3] == 1


def test_hidden_units_figure_has_no_empty_panel():
    fig = _hidden_units_figure()
    assert all(ax.get_visible() and ax.axison for ax in fig.axes)  # before: one quarter blank
    panels = _panels(fig)
    assert len(panels) == 3  # the weights, the activity map, the tuning curves
    assert all(not ax.axison or ax.has_data() for ax in fig.axes)


def test_encoder_tuning_legend_sits_outside_every_panel():
    rng = np.random.default_rng(1)
    stimuli = np.arange(60) * 6.0
    resp = rng.normal(size=(60, 20))
    for y_pred in (None, resp * 0.5):
        fig = plot_encoder_tuning(stimuli, resp, resp + 0.1, list(range(10)), y_pred=y_pred)
        assert all(ax.get_legend() is None for ax in fig.axes)  # before: over panel 1's curves
        (legend,) = fig.legends
        expected = ["train", "test"] + ([] if y_pred is None else ["prediction"])
        assert _legend_texts(legend) == expected
        fig.canvas.draw()
        assert not any(_overlaps(legend, ax.patch) for ax in fig.axes)
        for ax in fig.axes:  # "y" (the yellow of the training curve) had 2.0:1
            for line in ax.lines:
                assert _contrast(line.get_color()) >= 3.0, line.get_color()


# ----------------------------------------- 3. weight maps ticked with the preferred orientation


def _sorted_preferences(n_neurons=200):
    rng = np.random.default_rng(2)
    preferred = rng.integers(1, 359, n_neurons)
    preferred[:2] = 0, 359  # as on the page, whose 23 589 neurons cover every degree
    return np.sort(preferred).astype(float)


def _orientation_ticks(ax, axis="x"):
    get = ax.get_xticklabels if axis == "x" else ax.get_yticklabels
    ticks = ax.get_xticks() if axis == "x" else ax.get_yticks()
    return list(ticks), [t.get_text() for t in get()]


@pytest.mark.parametrize("draw", ["weights", "hidden units"])
def test_sorted_weights_are_ticked_with_the_preferred_orientation(draw):
    preferred = _sorted_preferences()
    W = np.zeros((10, len(preferred)))
    if draw == "weights":
        fig = visualize_weights(W, np.ones((1, 10)), preferred=preferred)
    else:
        h = np.ones((10, 36))
        fig = visualize_hidden_units(W, h, np.arange(36) * 10.0, preferred=preferred)
    ax = fig.axes[0]
    ticks, labels = _orientation_ticks(ax)
    assert labels == ["0°", "90°", "180°", "270°", "360°"]
    # each tick stands at the first neuron whose preferred orientation reaches it; 360°, one
    # degree past the last neuron's, at the last one
    expected = [int(np.searchsorted(preferred, v)) for v in (0, 90, 180, 270)]
    assert ticks == [*expected, len(preferred) - 1]
    assert ax.get_xlabel() == "neurons sorted by preferred orientation"


def test_weights_keep_neuron_indices_without_preferences():
    fig = visualize_weights(np.zeros((10, 30)), np.ones((1, 10)))
    _, labels = _orientation_ticks(fig.axes[0])
    assert labels and not any("°" in label for label in labels)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "preferred, words",
    [
        (np.arange(29.0), "one preferred orientation per column"),
        (np.arange(30.0)[::-1], "sorted"),
        (np.full(30, np.nan), "finite"),
    ],
)
def test_preferred_orientations_must_match_the_sorted_columns(preferred, words):
    with pytest.raises(ValueError, match=words):
        visualize_weights(np.zeros((10, 30)), np.ones((1, 10)), preferred=preferred)
    with pytest.raises(ValueError, match=words):
        visualize_hidden_units(np.zeros((10, 30)), np.ones((10, 4)), preferred=preferred)


def test_preferred_orientation_from_the_pages_tensors():
    # the page's stimuli are a (360, 1) tensor, indexed by the sorted peak positions
    stimuli = torch.arange(360.0).reshape(-1, 1)
    peaks = np.random.default_rng(3).integers(0, 360, 100)
    isort = peaks.argsort()
    fig = visualize_weights(np.zeros((10, 100)), np.ones((1, 10)), preferred=stimuli[peaks[isort]])
    assert "90°" in _orientation_ticks(fig.axes[0])[1]


# ------------------------------------------------- 4. Tutorial 3: neurons, and RDMs' orientations


def _responses():
    rng = np.random.default_rng(4)
    ori = np.linspace(-90, 90, 36, endpoint=False)
    v1 = np.exp(np.cos(np.deg2rad(2 * (ori[:, None] - rng.uniform(-90, 90, 30)))))
    layers = {
        "model 'pool' layer": rng.normal(size=(36, 20)),
        "model 'fc' layer": rng.normal(size=(36, 10)),
    }
    return {"V1 data": v1, **layers}, ori


def test_tuning_says_neuron_for_v1_and_unit_for_the_layers():
    resp_dict, ori = _responses()
    fig = plot_tuning(resp_dict, ori, seed=0)
    words = [{text.split()[0] for text in _legend_texts(ax.get_legend())} for ax in _panels(fig)]
    assert words == [{"neuron"}, {"unit"}, {"unit"}]
    fig.canvas.draw()
    for ax in _panels(fig):  # each legend below its panel, over no curve
        assert not _overlaps(ax.get_legend(), ax.patch)


def test_tuning_can_be_told_which_panels_are_neurons():
    resp_dict, ori = _responses()
    fig = plot_tuning(resp_dict, ori, seed=0, neuron_panels=["model 'fc' layer"])
    first = [_legend_texts(ax.get_legend())[0].split()[0] for ax in _panels(fig)]
    assert first == ["unit", "unit", "neuron"]


def test_rdms_are_ticked_with_the_stimulus_orientations():
    resp_dict, ori = _responses()
    rdms = {label: np.corrcoef(resp) for label, resp in resp_dict.items()}
    fig = plot_multiple_rdm(rdms, ori=ori)
    first = _panels(fig)[0]
    for ax in _panels(fig):
        for axis in ("x", "y") if ax is first else ("x",):
            ticks, labels = _orientation_ticks(ax, axis)
            assert labels == ["−90°", "−45°", "0°", "45°"]  # 90° lies 5° past the last, 85°
            assert ticks == [int(np.searchsorted(ori, v)) for v in (-90, -45, 0, 45)]
        assert ax.get_xlabel() == "stimulus orientation (°)"
    assert first.get_ylabel() == "stimulus orientation (°)"


def test_binned_orientations_get_the_round_ticks_at_their_ends():
    # the page's tilts are bin means, -89.5° to 89.5°: -90° and 90° still label the ends
    ori = np.arange(180) - 89.5
    fig = plot_multiple_rdm({"V1 data": np.eye(180), "model 'fc' layer": np.eye(180)}, ori=ori)
    first, second = _panels(fig)
    ticks, labels = _orientation_ticks(first, "y")
    assert labels == ["−90°", "−45°", "0°", "45°", "90°"]
    assert ticks == [0, 45, 90, 135, 179]
    # the y-axis is written once, on the left: the panels share it
    assert second.get_ylabel() == "" and not any(_orientation_ticks(second, "y")[1])
    assert _orientation_ticks(second, "x")[1] == labels


def test_rdms_without_orientations_are_drawn_as_before():
    resp_dict, ori = _responses()
    fig = plot_multiple_rdm({label: np.corrcoef(r) for label, r in resp_dict.items()})
    ax = _panels(fig)[0]
    assert list(ax.get_xticks()) == [] and ax.get_xlabel() == "stimulus"


@pytest.mark.bad_input
def test_rdm_orientations_must_be_one_per_row_and_sorted():
    rdms = {"a": np.eye(4)}
    with pytest.raises(ValueError, match="ori must have one orientation per stimulus"):
        plot_multiple_rdm(rdms, ori=[0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match="ori must be sorted"):
        plot_multiple_rdm(rdms, ori=[0.0, 2.0, 1.0, 3.0])


def test_rdm_rows_tick_orientations_in_degrees_in_readable_colours():
    resp_dict, ori = _responses()
    rdms = {label: np.corrcoef(resp) for label, resp in resp_dict.items()}
    fig = plot_rdm_rows([-75, -25, 25, 75], rdms, ori)
    for ax in _panels(fig):
        ticks, labels = _orientation_ticks(ax)
        assert labels == ["−90°", "−45°", "0°", "45°", "90°"]
        assert all(_contrast(line.get_color()) >= 3.0 for line in ax.lines)  # tab:orange: 2.4


# --------------------------------------------- 5. Tutorial 2: the gratings, and rows' angles


def _gratings(angles):
    return torch.stack([grating(angle) for angle in angles]).unsqueeze(1)


def test_activation_rows_are_labelled_with_their_angle():
    angles = np.linspace(-90, 90, 5)
    stimuli = _gratings(angles)
    act = torch.randn(5, 6, 48, 64)
    fig = plot_example_activations(stimuli, act, [0, 3], angles=angles)
    first_column = [ax for ax in fig.axes if ax.images and ax.get_subplotspec().colspan.start == 0]
    assert [ax.get_ylabel() for ax in first_column] == ["−90°", "−45°", "0°", "45°", "90°"]
    fig = plot_example_activations(stimuli, act, [0, 3])  # without angles: as before
    assert all(ax.get_ylabel() == "" for ax in fig.axes if ax.images)


@pytest.mark.bad_input
def test_activation_angles_must_be_one_per_row():
    with pytest.raises(ValueError, match="angles must have one angle per stimulus"):
        plot_example_activations(_gratings([0, 45]), torch.zeros(2, 6, 48, 64), [0], angles=[0])


def test_plot_gratings_draws_each_grating_alone_titled_with_its_angle():
    angles = np.linspace(-90, 90, 5)
    stimuli = _gratings(angles)
    fig = plot_gratings(stimuli, angles=angles)
    assert len(fig.axes) == 5  # one panel per grating, nothing else
    assert [ax.get_title() for ax in fig.axes] == ["−90°", "−45°", "0°", "45°", "90°"]
    for ax, image in zip(fig.axes, stimuli[:, 0], strict=True):
        (shown,) = ax.images
        assert shown.get_cmap().name == "gray"
        np.testing.assert_array_equal(shown.get_array(), image.numpy())
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    low, high = fig.axes[0].images[0].get_clim()
    assert low == -high  # zero, the mean of a grating, is mid-grey


def test_plot_gratings_without_angles_and_in_rows():
    stimuli = _gratings(np.arange(0, 180, 15))  # 12 gratings
    fig = plot_gratings(stimuli[:, 0])
    assert len(fig.axes) == 12 and all(ax.get_title() == "" for ax in fig.axes)
    rows = {round(ax.get_position().y0, 3) for ax in fig.axes}
    assert 1 < len(rows) <= 3  # wrapped, every row filled


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "stimuli, angles, error, words",
    [
        (torch.zeros(2, 3, 8, 8), None, ValueError, "stimuli"),
        (torch.zeros(8), None, ValueError, "stimuli"),
        (torch.zeros(2, 8, 8), [0.0], ValueError, "angles"),
        (torch.zeros(2, 8, 8), [0.0, float("nan")], ValueError, "angles"),
        ("gratings", None, TypeError, "stimuli"),
    ],
)
def test_plot_gratings_rejects_bad_input(stimuli, angles, error, words):
    with pytest.raises(error, match=words):
        plot_gratings(stimuli, angles=angles)
