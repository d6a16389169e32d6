"""Property-based tests (hypothesis): statements that hold for every valid input, not just one.

Settings are small and derandomized (``derandomize=True``: the examples depend only on the test,
not on a random seed; no example database), so a CI run is deterministic and the file runs in
seconds.
"""

import random

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from torch import nn

from nma_dl.data import load_data
from nma_dl.data.stringer import get_data, train_test_split
from nma_dl.data.surrogate import generate
from nma_dl.data.toy import create_spiral_dataset, shuffle_and_split_data
from nma_dl.device import set_seed
from nma_dl.losses import cross_entropy_loss
from nma_dl.stimuli import stimulus_class
from nma_dl.training import evaluate_loss

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FEW = settings(SETTINGS, max_examples=10)

# Orientations in [0, 360) degrees, as float64 (a float32 just below 360 can round up to 360).
orientation = st.floats(min_value=0.0, max_value=360.0, exclude_max=True, allow_nan=False)
divisors_of_360 = st.sampled_from([d for d in range(2, 361) if 360 % d == 0])


@pytest.fixture(autouse=True)
def _keep_global_random_state():
    """set_seed and the draws below touch the global generators: restore them afterwards."""
    states = random.getstate(), np.random.get_state(), torch.get_rng_state()
    yield
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.set_rng_state(states[2])


# ---- stimuli.stimulus_class ---------------------------------------------------------------------


@SETTINGS
@given(st.lists(orientation, min_size=1, max_size=50), st.integers(1, 360))
def test_stimulus_class_is_in_range_and_monotone(angles, n_classes):
    ori = np.sort(np.array(angles, dtype=np.float64))
    classes = stimulus_class(ori, n_classes).numpy()
    assert classes.dtype == np.int64 and classes.shape == ori.shape
    assert ((0 <= classes) & (classes < n_classes)).all()
    assert (np.diff(classes) >= 0).all()  # non-decreasing in the angle
    # and each angle lies in the bin of its class
    edges = np.linspace(0, 360, n_classes + 1)
    assert ((edges[classes] <= ori) & (ori < edges[classes + 1])).all()


@SETTINGS
@given(st.lists(orientation, min_size=1, max_size=20), st.integers(1, 360))
def test_stimulus_class_is_the_same_for_a_column_tensor_and_an_array(angles, n_classes):
    ori = np.array(angles, dtype=np.float64)
    from_array = stimulus_class(ori, n_classes)
    from_column = stimulus_class(torch.from_numpy(ori)[:, None], n_classes)
    assert torch.equal(from_array, from_column)


# ---- data.load_data: binning --------------------------------------------------------------------


@pytest.fixture(scope="module")
def npz_path(tmp_path_factory):
    """One file path, rewritten by each example (a module-scoped folder suits hypothesis)."""
    return tmp_path_factory.mktemp("properties") / "oribinned1.npz"


def _write(path, resp, stimuli):
    np.savez(path, resp=resp.astype(np.float32), stimuli=stimuli.astype(np.float64))
    return path


responses = st.integers(1, 4).flatmap(
    lambda n_neurons: hnp.arrays(
        np.float32, (360, n_neurons), elements=st.floats(-10, 10, width=32)
    )
)


@SETTINGS
@given(resp=responses, bin_width=divisors_of_360)
def test_equal_bins_preserve_the_mean(npz_path, resp, bin_width):
    # One stimulus per degree, so every bin holds bin_width rows: the mean of the bin means is
    # the overall mean (with unequal bins only the count-weighted mean is, see the next test).
    stimuli = np.arange(360) + 0.5
    binned, binned_stimuli = load_data(bin_width, path=_write(npz_path, resp, stimuli))
    assert binned.shape == (360 // bin_width, resp.shape[1])
    np.testing.assert_allclose(binned.mean(0).numpy(), resp.mean(0, dtype=np.float64), atol=1e-4)
    np.testing.assert_allclose(binned_stimuli.mean().item(), 180.0, rtol=1e-6)
    np.testing.assert_allclose(  # the centre of each bin
        binned_stimuli[:, 0].numpy(), np.arange(0, 360, bin_width) + bin_width / 2, rtol=1e-6
    )


@SETTINGS
@given(
    data=st.data(),
    n_stimuli=st.integers(1, 60),
    bin_width=st.integers(2, 400),
)
def test_binning_preserves_the_count_weighted_mean(npz_path, data, n_stimuli, bin_width):
    # Any stimuli (kept 0.01 degree away from the integer bin edges, so the bin of each is
    # unambiguous): the bins' means weighted by how many stimuli each holds give back the
    # overall mean of the responses and of the orientations.
    degree = data.draw(hnp.arrays(np.int64, n_stimuli, elements=st.integers(0, 359)))
    fraction = data.draw(hnp.arrays(np.float64, n_stimuli, elements=st.floats(0.01, 0.99)))
    resp = data.draw(hnp.arrays(np.float32, (n_stimuli, 3), elements=st.floats(-10, 10, width=32)))
    stimuli = degree + fraction
    binned, binned_stimuli = load_data(bin_width, path=_write(npz_path, resp, stimuli))
    counts = np.bincount(degree // bin_width)
    counts = counts[counts > 0]  # the non-empty bins, in increasing order
    assert binned.shape == (len(counts), 3)
    weighted = (counts[:, None] * binned.numpy().astype(np.float64)).sum(0) / n_stimuli
    np.testing.assert_allclose(weighted, resp.mean(0, dtype=np.float64), atol=1e-4)
    weighted_stimuli = (counts * binned_stimuli[:, 0].numpy()).sum() / n_stimuli
    np.testing.assert_allclose(weighted_stimuli, stimuli.mean(), rtol=1e-5)
    # each bin's mean orientation lies inside its bin, and the bins come in increasing order
    bins = np.unique(degree // bin_width)
    lower, upper = bins * bin_width, (bins + 1) * bin_width
    assert ((lower <= binned_stimuli[:, 0].numpy()) & (binned_stimuli[:, 0].numpy() < upper)).all()


@SETTINGS
@given(
    resp=hnp.arrays(np.float32, (5, 2), elements=st.floats(-10, 10, width=32)),
    bin_width=st.floats(0.01, 1.0),
)
def test_bins_up_to_one_degree_return_the_rows_unchanged(npz_path, resp, bin_width):
    stimuli = np.array([3.5, 1.5, 200.5, 7.25, 359.0])
    binned, binned_stimuli = load_data(bin_width, path=_write(npz_path, resp, stimuli))
    assert torch.equal(binned, torch.from_numpy(resp))
    assert torch.equal(binned_stimuli[:, 0], torch.from_numpy(stimuli.astype(np.float32)))


# ---- training.evaluate_loss and losses.cross_entropy_loss ---------------------------------------


@SETTINGS
@given(
    n_inputs=st.integers(1, 5),
    n_rows=st.integers(1, 20),
    seed=st.integers(0, 2**31 - 1),
    data=st.data(),
)
def test_mse_evaluate_loss_is_non_negative_and_the_mean_square(n_inputs, n_rows, seed, data):
    torch.manual_seed(seed)
    net = nn.Linear(n_inputs, 1)
    finite = st.floats(-1e3, 1e3, width=32)
    inputs = data.draw(hnp.arrays(np.float32, (n_rows, n_inputs), elements=finite))
    labels = data.draw(hnp.arrays(np.float32, (n_rows, 1), elements=finite))
    inputs, labels = torch.from_numpy(inputs), torch.from_numpy(labels)
    loss = evaluate_loss(net, nn.MSELoss(), inputs, labels)
    assert loss >= 0
    with torch.no_grad():
        expected = ((net(inputs).double() - labels.double()) ** 2).mean().item()
    assert loss == pytest.approx(expected, rel=1e-4, abs=1e-6)


logits = st.tuples(st.integers(1, 16), st.integers(1, 8)).flatmap(
    lambda shape: st.tuples(
        hnp.arrays(np.float32, shape, elements=st.floats(-1e4, 1e4, width=32)),
        hnp.arrays(np.int64, shape[0], elements=st.integers(0, shape[1] - 1)),
    )
)


@SETTINGS
@given(logits, st.sampled_from([1.0, 1e-3, 10.0, 1e3]))
def test_cross_entropy_is_non_negative_and_matches_pytorch(batch, scale):
    # Finite logits of any size up to 1e7 (the naive log-sum-exp overflows from about 89).
    x, labels = torch.from_numpy(batch[0]) * scale, torch.from_numpy(batch[1])
    assume(torch.isfinite(x).all())
    ours = cross_entropy_loss(x, labels)
    theirs = nn.CrossEntropyLoss()(x, labels)
    assert torch.isfinite(ours) and ours.item() >= 0
    # float32 arithmetic: compare with a tolerance relative to the size of the logits
    tolerance = 1e-5 * max(1.0, x.abs().max().item())
    assert abs(ours.item() - theirs.item()) <= tolerance
    # and with float64, where both are far more precise
    exact = nn.CrossEntropyLoss()(x.double(), labels).item()
    assert abs(ours.item() - exact) <= tolerance


@SETTINGS
@given(st.integers(1, 10), st.floats(-1e4, 1e4, width=32))
def test_cross_entropy_of_equal_logits_is_log_of_the_class_count(n_classes, value):
    x = torch.full((3, n_classes), value)
    loss = cross_entropy_loss(x, torch.zeros(3, dtype=torch.long)).item()
    assert loss == pytest.approx(np.log(n_classes), abs=1e-5)


# ---- data.stringer: train_test_split and get_data -----------------------------------------------


@st.composite
def sizes_and_fractions(draw):
    n = draw(st.integers(2, 300))
    n_train = draw(st.integers(1, n - 1))
    # a fraction whose int(fraction * n) is n_train: the middle of [n_train / n, (n_train+1) / n)
    fraction = (n_train + 0.5) / n
    return n, fraction


@SETTINGS
@given(sizes_and_fractions(), st.integers(0, 2**31 - 1), st.integers(1, 4))
def test_train_test_split_partitions_the_rows(size_fraction, seed, n_neurons):
    n, fraction = size_fraction
    ids = torch.arange(n, dtype=torch.float32)
    resp = ids[:, None].repeat(1, n_neurons)  # every column holds the row's id
    stimuli = (ids * 10)[:, None]
    generator = torch.Generator().manual_seed(seed)
    resp_train, resp_test, stimuli_train, stimuli_test = train_test_split(
        resp, stimuli, fraction, generator=generator
    )
    train_ids, test_ids = resp_train[:, 0].long().tolist(), resp_test[:, 0].long().tolist()
    assert len(train_ids) == int(fraction * n)
    assert not set(train_ids) & set(test_ids)  # no overlap
    assert sorted(train_ids + test_ids) == list(range(n))  # union = all rows, each once
    assert torch.equal(stimuli_train[:, 0], resp_train[:, 0] * 10)  # rows stay paired
    assert torch.equal(stimuli_test[:, 0], resp_test[:, 0] * 10)


@SETTINGS
@given(st.integers(1, 50), st.integers(1, 30), st.integers(0, 2**32 - 1))
def test_get_data_returns_rows_of_its_inputs(n_stim, n_rows, seed):
    train_data = torch.randn(n_rows, 3, generator=torch.Generator().manual_seed(seed % 2**31))
    train_labels = torch.arange(n_rows, dtype=torch.float32)[:, None] * 3.0
    np.random.seed(seed)
    r, ori = get_data(n_stim, train_data, train_labels)
    assert r.shape == (n_stim, 3) and ori.shape == (n_stim, 1)
    rows = (ori[:, 0] / 3).round().long()
    assert ((0 <= rows) & (rows < n_rows)).all()
    assert torch.equal(r, train_data[rows])  # each drawn response goes with its orientation


# ---- device.set_seed ----------------------------------------------------------------------------


def _draws():
    return (
        random.random(),
        np.random.rand(3).tolist(),
        torch.rand(3).tolist(),
        torch.randn(2).tolist(),
    )


@SETTINGS
@given(
    st.one_of(st.integers(0, 2**32 - 1), st.sampled_from([0, 1, 2**31, 2**32 - 1])),
    st.sampled_from([int, np.int64, np.uint32]),
)
def test_set_seed_makes_draws_repeat(seed, kind):
    assert set_seed(kind(seed)) == seed
    first = _draws()
    _draws()  # move on, then seed again
    set_seed(kind(seed))
    assert _draws() == first


@FEW
@given(st.integers(0, 2**32 - 1))
def test_set_seed_without_torch_leaves_torch_alone(seed):
    torch.manual_seed(0)
    expected = torch.rand(2)
    torch.manual_seed(0)
    set_seed(seed, seed_torch=False)
    assert torch.equal(torch.rand(2), expected)


# ---- data.toy -----------------------------------------------------------------------------------


@SETTINGS
@given(st.integers(1, 12), st.integers(1, 200), st.floats(0, 1), st.integers(0, 2**31 - 1))
def test_spiral_sizes_and_labels(K, N, sigma, seed):
    X, y = create_spiral_dataset(K, sigma, N, generator=torch.Generator().manual_seed(seed))
    assert X.shape == (K * N, 2) and X.dtype == torch.float32
    assert y.shape == (K * N,) and y.dtype == torch.int64
    assert torch.equal(y, torch.arange(K).repeat_interleave(N))  # arm k in rows k*N..(k+1)*N-1
    assert torch.isfinite(X).all()
    again, _ = create_spiral_dataset(K, sigma, N, generator=torch.Generator().manual_seed(seed))
    assert torch.equal(X, again)  # the same generator seed gives the same points


@SETTINGS
@given(st.integers(1, 12), st.integers(2, 100))
def test_noiseless_spiral_points_lie_at_radius_t(K, N):
    X, _ = create_spiral_dataset(K, 0.0, N)
    t = torch.linspace(0, 1, N).repeat(K)
    torch.testing.assert_close(X.norm(dim=1), t, atol=1e-5, rtol=1e-5)


@SETTINGS
@given(st.integers(1, 200), st.floats(0, 0.99), st.integers(0, 2**31 - 1))
def test_shuffle_and_split_partitions_the_samples(n, test_fraction, seed):
    X = torch.arange(n, dtype=torch.float32)[:, None].repeat(1, 2)
    y = torch.arange(n)
    X_test, y_test, X_train, y_train = shuffle_and_split_data(X, y, seed, test_fraction)
    assert len(y_test) == int(test_fraction * n)
    assert sorted(y_test.tolist() + y_train.tolist()) == list(range(n))
    assert torch.equal(X_test[:, 0].long(), y_test) and torch.equal(X_train[:, 0].long(), y_train)


# ---- surrogate ----------------------------------------------------------------------------------


@FEW
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(360, 800))
def test_surrogate_is_deterministic_and_well_formed(seed, n_neurons, n_trials):
    first = generate(seed, n_neurons=n_neurons, n_trials=n_trials)
    second = generate(seed, n_neurons=n_neurons, n_trials=n_trials)
    for name in first:
        for key in first[name]:
            a, b = first[name][key], second[name][key]
            assert a.dtype == b.dtype and a.shape == b.shape
            assert a.tobytes() == b.tobytes()  # byte-identical
    one = first["oribinned1"]
    assert one["resp"].shape == (360, n_neurons) and np.isfinite(one["resp"]).all()
    k = np.arange(360)
    assert ((k <= one["stimuli"]) & (one["stimuli"] < k + 1)).all()  # bin k holds [k, k+1)
    six = first["oribinned6_split"]["stimuli"][:, 0]
    assert ((6 * k[:60] <= six) & (six < 6 * k[:60] + 6)).all()
