"""The offline surrogate: layout of the real files, determinism, and the
data-dependent statements the tutorials make about the real recordings."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from nma_dl.data import fetch, load_data, load_data_split, surrogate
from nma_dl.data.files import FILES, ORIBINNED1
from nma_dl.models import DeepNetReLU


@pytest.fixture(scope="module")
def files():
    """The default surrogate as written to the (session) cache by nma_dl.data."""
    contents = {}
    for name, entry in FILES.items():
        with np.load(fetch(name, source="synthetic"), allow_pickle=False) as npz:
            contents[entry.surrogate_key] = {key: npz[key] for key in npz.files}
    return contents


@pytest.fixture(scope="module")
def oribinned1():
    return load_data(source="synthetic")


def _smooth(curves, width=15):
    """Circular moving average along axis 0 (orientation)."""
    half = width // 2
    padded = np.concatenate([curves[-half:], curves, curves[:half]])
    cumsum = np.concatenate(
        [np.zeros((1, curves.shape[1])), np.cumsum(padded, 0, dtype=np.float64)]
    )
    return (cumsum[width:] - cumsum[:-width]) / width


def _prominence(curves):
    smoothed = _smooth(curves)
    return smoothed.max(axis=0) - np.median(smoothed, axis=0)


def test_layout_matches_the_real_files(files):
    one, split = files["oribinned1"], files["oribinned6_split"]
    assert set(one) == {"resp", "stimuli"}
    assert set(split) == {"resp_train", "resp_test", "stimuli"}
    assert one["resp"].shape == (360, 23589) and one["resp"].dtype == np.float32
    assert one["stimuli"].shape == (360,) and one["stimuli"].dtype == np.float64
    for key in ("resp_train", "resp_test"):
        assert split[key].shape == (60, 23589) and split[key].dtype == np.float32
    assert split["stimuli"].shape == (60, 1) and split["stimuli"].dtype == np.float64
    assert all(np.isfinite(array).all() for part in files.values() for array in part.values())


def test_stimuli_are_mean_orientations_inside_their_bins(files):
    np.testing.assert_array_equal(np.floor(files["oribinned1"]["stimuli"]), np.arange(360))
    np.testing.assert_array_equal(
        np.floor(files["oribinned6_split"]["stimuli"][:, 0] / 6), np.arange(60)
    )


def test_responses_are_z_scored_over_trials(files):
    resp = files["oribinned1"]["resp"]
    # Bins hold about 11 trials each, so the mean over bins is close to the trial mean 0.
    assert np.abs(resp.mean(axis=0)).max() < 0.1
    assert 0.2 < np.sqrt((resp**2).mean()) < 0.7


def test_same_seed_gives_identical_arrays_and_another_seed_does_not():
    first = surrogate.generate(7, n_neurons=300)
    second = surrogate.generate(7, n_neurons=300)
    other = surrogate.generate(8, n_neurons=300)
    for key, part in first.items():
        for name, array in part.items():
            assert array.tobytes() == second[key][name].tobytes()
    assert not np.array_equal(first["oribinned1"]["resp"], other["oribinned1"]["resp"])


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_neurons=st.integers(1, 12),
    n_trials=st.integers(360, 1200),
)
def test_any_size_gives_the_layout_and_finite_values(seed, n_neurons, n_trials):
    files = surrogate.generate(seed, n_neurons=n_neurons, n_trials=n_trials)
    assert files["oribinned1"]["resp"].shape == (360, n_neurons)
    assert files["oribinned6_split"]["resp_test"].shape == (60, n_neurons)
    assert all(np.isfinite(array).all() for part in files.values() for array in part.values())
    np.testing.assert_array_equal(np.floor(files["oribinned1"]["stimuli"]), np.arange(360))


def test_description_is_a_readable_paragraph():
    text = surrogate.SURROGATE_DESCRIPTION
    assert isinstance(text, str) and 300 < len(text) < 1500
    for word in ("SURROGATE", "simulated", "z-scored", "180", "360"):
        assert word in text


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"seed": 1.5}, TypeError),
        ({"seed": True}, TypeError),
        ({"seed": -1}, ValueError),
        ({"n_neurons": "10"}, TypeError),
        ({"n_neurons": 0}, ValueError),
        ({"n_trials": 359}, ValueError),
    ],
)
def test_bad_arguments_are_refused(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        surrogate.generate(**kwargs)


# --- The statements the tutorials make about the data hold for the surrogate. ---


def test_many_neurons_have_a_clear_tuning_peak(oribinned1):
    resp = oribinned1[0].numpy()
    prominence = _prominence(resp)
    # Control: the same responses with the orientations shuffled have no tuning.
    shuffled = np.random.default_rng(0).permuted(resp, axis=0)
    assert (prominence > 0.5).mean() > 0.4
    assert (_prominence(shuffled) > 0.5).mean() < 0.05


def test_population_response_is_structured_by_orientation(oribinned1):
    resp = oribinned1[0].numpy()

    def lag_correlation(lag):
        return np.mean(
            [np.corrcoef(resp[k], resp[(k + lag) % 360])[0, 1] for k in range(0, 360, 3)]
        )

    near, orthogonal, opposite = lag_correlation(1), lag_correlation(90), lag_correlation(180)
    assert near > 0.3  # similar gratings evoke similar population responses
    assert orthogonal < 0  # orthogonal gratings drive different neurons
    assert opposite > 0.15  # most neurons are orientation (not direction) tuned


@pytest.mark.parametrize("init_seed", [1, 7])
def test_deep_relu_decoder_learns_like_on_the_real_data(oribinned1, init_seed):
    """The tutorial's training run: initial MSE about 4e4, falling fast."""
    resp, stimuli = oribinned1
    torch.manual_seed(4)
    order = torch.randperm(resp.shape[0])
    train = order[: int(0.6 * resp.shape[0])]
    torch.manual_seed(init_seed)  # the tutorial uses 1; others show it is not luck
    net = DeepNetReLU(resp.shape[1], 10)
    optimizer = torch.optim.SGD(net.parameters(), lr=1e-4)
    losses = []
    for _ in range(50):
        loss = nn.functional.mse_loss(net(resp[train]), stimuli[train])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert 3e4 < losses[0] < 6e4
    # Observed about 300x on the default surrogate; 10x is what the tutorial relies on.
    assert losses[0] / losses[-1] > 10


def test_train_and_test_tuning_curves_agree_but_differ():
    resp_train, resp_test, stimuli = load_data_split(source="synthetic")
    train, test = resp_train.numpy(), resp_test.numpy()
    a, b = train - train.mean(0), test - test.mean(0)
    per_neuron = (a * b).sum(0) / np.sqrt((a * a).sum(0) * (b * b).sum(0))
    assert np.median(per_neuron) > 0.4
    assert (per_neuron > 0.8).mean() > 0.15
    assert 0.5 < np.corrcoef(train.ravel(), test.ravel())[0, 1] < 0.95
    assert np.abs(train - test).mean() > 0.05  # independent trial halves: not identical


def test_the_seed_setting_draws_another_surrogate_in_its_own_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NMA_DL_SURROGATE_SEED", raising=False)
    default_resp, _ = load_data(source="synthetic")
    monkeypatch.setenv("NMA_DL_SURROGATE_SEED", "7")
    other_resp, _ = load_data(source="synthetic")
    assert "drawn with seed 7" in capsys.readouterr().out
    assert (tmp_path / "synthetic").is_dir() and (tmp_path / "synthetic-seed7").is_dir()
    assert default_resp.shape == other_resp.shape
    assert not torch.equal(default_resp, other_resp)
    expected = surrogate.generate(7)["oribinned1"]["resp"]
    np.testing.assert_array_equal(other_resp.numpy(), expected)


@pytest.mark.parametrize("value", ["-1", "1.5", "seven", "٣"])
def test_a_seed_setting_that_is_not_a_whole_number_is_refused(monkeypatch, value):
    monkeypatch.setenv("NMA_DL_SURROGATE_SEED", value)
    with pytest.raises(ValueError, match=r"NMA_DL_SURROGATE_SEED must be a whole number"):
        fetch(ORIBINNED1, source="synthetic")
