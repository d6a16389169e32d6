"""nma_dl.analysis (RDM, correlate_rdms, get_hidden_activity, reduce_dimensions), the range
helper tilt_range, the RSA figures and the tuning-curve widget."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from nma_dl import (
    CNN,
    RDM,
    correlate_rdms,
    get_hidden_activity,
    grating,
    plot_multiple_rdm,
    plot_rdm_rdm_correlations,
    plot_rdm_rows,
    plot_resp_lowd,
    plot_tuning,
    reduce_dimensions,
    tilt_range,
    tuning_widget,
)
from nma_dl.display import StaticFallback

RNG = np.random.default_rng(0)
RESP = RNG.normal(size=(9, 40)) * RNG.uniform(0.5, 3, size=(9, 1))


# --------------------------------------------------------------------------- RDM


def test_rdm_is_one_minus_the_correlation_of_the_rows():
    np.testing.assert_allclose(RDM(RESP), 1 - np.corrcoef(RESP), atol=1e-6)


def test_rdm_by_hand():
    resp = np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [1.0, 2.0, 3.5]])
    rdm = RDM(resp)
    assert rdm[0, 1] == pytest.approx(2.0)  # perfectly anti-correlated
    assert rdm[0, 2] == pytest.approx(1 - np.corrcoef(resp[0], resp[2])[0, 1])


def test_rdm_properties():
    rdm = RDM(RESP)
    assert rdm.shape == (9, 9) and rdm.dtype == np.float64
    np.testing.assert_allclose(rdm, rdm.T, atol=1e-12)
    np.testing.assert_allclose(np.diag(rdm), 0, atol=1e-12)
    assert rdm.min() >= -1e-12 and rdm.max() <= 2 + 1e-12


def test_rdm_ignores_a_positive_affine_change_of_one_stimulus():
    changed = RESP.copy()
    changed[3] = 7.5 * changed[3] - 40
    np.testing.assert_allclose(RDM(changed), RDM(RESP), atol=1e-10)


def test_rdm_takes_tensors():
    np.testing.assert_allclose(RDM(torch.tensor(RESP, dtype=torch.float32)), RDM(RESP), atol=1e-5)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "resp, error, message",
    [
        (np.zeros(5), ValueError, r"resp must be a 2-D array .* got shape \(5,\)"),
        (np.zeros((0, 4)), ValueError, "resp must be a 2-D array"),
        (np.ones((3, 1)), ValueError, "resp must be a response of at least 2 units"),
        ([[1.0, 2.0]], TypeError, "resp must be a NumPy array or a torch.Tensor, got list"),
        (np.array([["a", "b"], ["c", "d"]]), TypeError, "resp must hold real numbers"),
        (np.array([[1.0, np.nan], [1.0, 2.0]]), ValueError, "resp must be finite.* row 0"),
    ],
)
def test_rdm_rejects_bad_input(resp, error, message):
    with pytest.raises(error, match=message):
        RDM(resp)


@pytest.mark.bad_input
def test_rdm_names_a_constant_row_instead_of_returning_nan():
    resp = RESP.copy()
    resp[4] = 2.0
    with pytest.raises(ValueError, match="resp row 4 is constant"):
        RDM(resp)


# --------------------------------------------------------------------------- correlate_rdms


def test_correlate_rdms_is_the_correlation_of_the_upper_triangles():
    a, b = RDM(RESP), RDM(RESP + RNG.normal(size=RESP.shape))
    upper = np.triu_indices(9, k=1)
    assert correlate_rdms(a, b) == pytest.approx(np.corrcoef(a[upper], b[upper])[0, 1], abs=1e-12)
    assert correlate_rdms(a, b) == pytest.approx(correlate_rdms(b, a), abs=1e-12)
    assert correlate_rdms(a, a) == pytest.approx(1.0)
    assert isinstance(correlate_rdms(a, b), float)


def test_correlate_rdms_ignores_the_diagonal_and_the_lower_triangle():
    a, b = RDM(RESP), RDM(RESP[:, ::-1] ** 2)
    changed = b.copy()
    np.fill_diagonal(changed, 5.0)
    changed[np.tril_indices(9, k=-1)] = RNG.normal(size=36)
    assert correlate_rdms(a, changed) == correlate_rdms(a, b)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "rdm1, rdm2, message",
    [
        (
            np.eye(4),
            np.eye(5),
            r"rdm1 and rdm2 must be for the same stimuli.*\(4, 4\) and \(5, 5\)",
        ),
        (np.ones((3, 4)), np.ones((3, 4)), "rdm1 must be square"),
        (np.zeros(4), np.eye(4), "rdm1 must be a 2-D array"),
        (np.eye(2), np.eye(2), "rdm1 must be at least 3 x 3"),
        (1 - np.eye(4), RDM(RESP[:4]), "rdm1's entries above the diagonal are all equal"),
    ],
)
def test_correlate_rdms_rejects_bad_input(rdm1, rdm2, message):
    with pytest.raises(ValueError, match=message):
        correlate_rdms(rdm1, rdm2)


# --------------------------------------------------------------------------- get_hidden_activity


def _net():
    torch.manual_seed(0)
    return CNN(48, 64)


def _stimuli(oris=(-60.0, -10.0, 0.0, 30.0, 80.0)):
    return torch.stack([grating(a) for a in oris])


def test_hidden_activity_equals_a_manual_forward_pass():
    net, x = _net(), _stimuli()
    got = get_hidden_activity(net, x, ["pool", "fc", "conv"])
    assert list(got) == ["pool", "fc", "conv"]
    with torch.no_grad():
        conv = net.conv(x.unsqueeze(1))
        pool = net.pool(torch.relu(conv)).flatten(1)
        fc = net.fc(pool)  # before its ReLU: the hook sees the layer's own output
    for label, want in [("pool", pool), ("fc", fc), ("conv", conv.flatten(1))]:
        assert got[label].dtype == np.float32 and isinstance(got[label], np.ndarray)
        np.testing.assert_allclose(got[label], want.numpy(), rtol=1e-6, atol=1e-6)
    assert got["pool"].shape == (5, 288) and got["fc"].shape == (5, 10)


def test_hidden_activity_leaves_no_hooks_behind():
    net = _net()
    get_hidden_activity(net, _stimuli(), ["pool", "fc"])
    assert all(not m._forward_hooks for m in net.modules())
    with pytest.raises(ValueError, match="x must have shape"):
        get_hidden_activity(net, torch.zeros(2, 10, 10), ["pool", "fc"])
    assert all(not m._forward_hooks for m in net.modules())


def test_hidden_activity_works_for_any_module():
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    x = torch.randn(6, 3)
    got = get_hidden_activity(net, x, ["1"])
    np.testing.assert_allclose(got["1"], torch.relu(net[0](x)).detach().numpy())


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "labels, error, message",
    [
        (
            ["pool", "relu"],
            ValueError,
            r"'relu' is not a layer of CNN; its layers are 'conv', 'pool'",
        ),
        ([""], ValueError, "is not a layer of CNN"),
        ("pool", TypeError, r"layer_labels must be a list of layer names, got the str 'pool'"),
        ([], ValueError, "layer_labels must be at least one layer name"),
        ([3], ValueError, "3 is not a layer of CNN"),
    ],
)
def test_hidden_activity_rejects_bad_labels(labels, error, message):
    with pytest.raises(error, match=message):
        get_hidden_activity(_net(), _stimuli(), labels)


# --------------------------------------------------------------------------- tilt_range


def test_tilt_range_keeps_half_the_circle_and_subtracts_90():
    stimuli = torch.tensor([[10.0], [190.0], [179.5], [0.0], [359.0], [180.0]])
    resp = torch.arange(12.0).reshape(6, 2)
    kept, ori = tilt_range(resp, stimuli)
    assert torch.equal(ori, torch.tensor([-80.0, 89.5, -90.0]))
    assert torch.equal(kept, resp[[0, 2, 3]])


@pytest.mark.bad_input
def test_tilt_range_rejects_bad_input():
    with pytest.raises(ValueError, match=r"stimuli must include orientations in \[0, 180\)"):
        tilt_range(torch.zeros(2, 3), torch.tensor([200.0, 300.0]))
    with pytest.raises(ValueError, match="resp must have shape"):
        tilt_range(torch.zeros(2), torch.tensor([20.0, 30.0]))


# --------------------------------------------------------------------------- reduce_dimensions


def test_reduce_dimensions_is_seeded_and_2d():
    resp = RNG.normal(size=(40, 500))
    a, b = reduce_dimensions(resp), reduce_dimensions(resp)
    assert a.shape == (40, 2)
    np.testing.assert_array_equal(a, b)


@pytest.mark.bad_input
def test_reduce_dimensions_rejects_bad_input():
    with pytest.raises(ValueError, match="resp must be at least 5 stimuli"):
        reduce_dimensions(np.ones((4, 3)))
    with pytest.raises(ValueError, match="n_pca must be an int >= 2"):
        reduce_dimensions(RESP, n_pca=1)


# --------------------------------------------------------------------------- figures and widget


def _resp_dict():
    ori = np.linspace(-90, 90, 18, endpoint=False)
    v1 = np.exp(np.cos(np.deg2rad(2 * (ori[:, None] - RNG.uniform(-90, 90, 30)))))
    return {"V1 data": v1, "model 'fc' layer": RNG.normal(size=(18, 10))}, ori


def test_rsa_figures_have_a_panel_per_representation():
    resp_dict, ori = _resp_dict()
    rdms = {label: RDM(resp) for label, resp in resp_dict.items()}
    fig = plot_multiple_rdm(rdms)
    image = fig.axes[0].images[0]
    assert image.get_clim() == (0, 2) and fig.axes[-1].get_ylabel() == "dissimilarity"
    ax = plot_rdm_rdm_correlations({"model 'fc' layer": 0.4, "model 'pool' layer": -0.1})
    assert [p.get_height() for p in ax.patches] == [0.4, -0.1]
    fig = plot_rdm_rows([-75, -25, 25, 75], rdms, ori)
    assert len(fig.axes[0].lines) == 8  # a row and a marker per orientation
    fig = plot_tuning(resp_dict, ori, seed=1)
    assert [len(a.lines) for a in fig.axes] == [3, 3]
    fig = plot_resp_lowd(resp_dict, ori)
    assert fig.axes[0].collections[0].get_cmap().name == "twilight"


def test_plot_tuning_is_seeded_and_skips_silent_units():
    resp_dict, ori = _resp_dict()
    resp_dict["model 'fc' layer"][:, 2:] = 0.0  # only units 0 and 1 respond
    first = plot_tuning(resp_dict, ori, seed=3)
    again = plot_tuning(resp_dict, ori, seed=3)
    ys = [[tuple(line.get_ydata()) for line in ax.lines] for ax in first.axes]
    assert ys == [[tuple(line.get_ydata()) for line in ax.lines] for ax in again.axes]
    assert [t.get_text() for t in first.axes[1].get_legend().get_texts()] == ["unit 0", "unit 1"]


@pytest.mark.bad_input
def test_rsa_figures_reject_bad_input():
    resp_dict, ori = _resp_dict()
    with pytest.raises(ValueError, match="ori must have one orientation per stimulus"):
        plot_tuning(resp_dict, ori[:5])
    with pytest.raises(TypeError, match="rdm_dict must be a dict"):
        plot_multiple_rdm([np.eye(3)])
    with pytest.raises(ValueError, match="rdm_sim must have at least one entry"):
        plot_rdm_rdm_correlations({})
    with pytest.raises(ValueError, match="must be a square matrix"):
        plot_multiple_rdm({"a": np.ones((2, 3))})


def test_tuning_widget_draws_the_next_seed_on_click():
    resp_dict, ori = _resp_dict()
    result = tuning_widget(resp_dict, ori)
    assert isinstance(result, StaticFallback)
    assert "seed 0" in result.html and "data:image/png;base64," in result.html
    fig = result.widget.redraw()
    assert plt.get_fignums() == []  # closed: shown in the widget, not again at the cell's end
    expected = plot_tuning(resp_dict, ori, seed=1)
    for ax, ref in zip(fig.axes, expected.axes, strict=True):
        assert [tuple(line.get_ydata()) for line in ax.lines] == [
            tuple(line.get_ydata()) for line in ref.lines
        ]
