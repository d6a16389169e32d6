"""nma_dl.data.stringer: the split of the stimuli and the random draws of get_data.

The loaders of the data files are tested in test_data.py."""

import numpy as np
import pytest
import torch

from nma_dl.data.stringer import get_data, train_test_split


def _dataset(n=10, n_neurons=3):
    resp = torch.arange(n * n_neurons, dtype=torch.float32).reshape(n, n_neurons)
    stimuli = torch.linspace(0, 350, n).reshape(n, 1)
    return resp, stimuli


# ---- train_test_split ---------------------------------------------------------------------


def test_split_sizes_and_rows_stay_paired():
    resp, stimuli = _dataset(10)
    resp_train, resp_test, stimuli_train, stimuli_test = train_test_split(resp, stimuli)
    assert resp_train.shape == (6, 3) and resp_test.shape == (4, 3)  # int(0.6 * 10) = 6
    assert stimuli_train.shape == (6, 1) and stimuli_test.shape == (4, 1)
    # row k of resp is [3k, 3k+1, 3k+2] and goes with stimulus k
    rows = torch.cat([resp_train, resp_test])[:, 0].long() // 3
    assert sorted(rows.tolist()) == list(range(10))
    assert torch.equal(torch.cat([stimuli_train, stimuli_test]), stimuli[rows])


def test_split_follows_randperm_of_the_global_generator():
    resp, stimuli = _dataset(20)
    torch.manual_seed(4)
    order = torch.randperm(20)
    torch.manual_seed(4)
    resp_train, resp_test, stimuli_train, stimuli_test = train_test_split(resp, stimuli, 0.75)
    assert torch.equal(resp_train, resp[order[:15]])
    assert torch.equal(resp_test, resp[order[15:]])
    assert torch.equal(stimuli_test, stimuli[order[15:]])


def test_split_with_its_own_generator_leaves_global_state_alone():
    resp, stimuli = _dataset(12)
    torch.manual_seed(0)
    before = torch.get_rng_state()
    first = train_test_split(resp, stimuli, generator=torch.Generator().manual_seed(7))
    assert torch.equal(torch.get_rng_state(), before)
    second = train_test_split(resp, stimuli, generator=torch.Generator().manual_seed(7))
    assert all(torch.equal(a, b) for a, b in zip(first, second, strict=True))


def test_split_of_two_rows_keeps_one_for_each_set():
    resp, stimuli = _dataset(2)
    resp_train, resp_test, _, _ = train_test_split(resp, stimuli, train_fraction=0.99)
    assert (len(resp_train), len(resp_test)) == (1, 1)  # int(1.98) = 1


def test_split_size_is_truncated():
    resp, stimuli = _dataset(7)
    resp_train, resp_test, _, _ = train_test_split(resp, stimuli, train_fraction=0.5)
    assert (len(resp_train), len(resp_test)) == (3, 4)  # int(3.5) = 3


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"train_fraction": 0}, ValueError, r"train_fraction must be in \(0, 1\), got 0"),
        ({"train_fraction": 1.0}, ValueError, r"train_fraction must be in \(0, 1\)"),
        ({"train_fraction": float("nan")}, ValueError, r"train_fraction must be in \(0, 1\)"),
        ({"train_fraction": "0.6"}, TypeError, "train_fraction must be a number, got str"),
        ({"train_fraction": 0.05}, ValueError, "leaves 0 for training"),
        ({"generator": 4}, TypeError, "generator must be a torch.Generator or None, got int"),
    ],
)
def test_split_rejects_bad_options(kwargs, error, message):
    resp, stimuli = _dataset(10)
    with pytest.raises(error, match=message):
        train_test_split(resp, stimuli, **kwargs)


@pytest.mark.bad_input
def test_split_rejects_mismatched_or_non_tensor_data():
    resp, stimuli = _dataset(10)
    message = "resp and stimuli must have the same number of rows, got 10 and 9"
    with pytest.raises(ValueError, match=message):
        train_test_split(resp, stimuli[:9])
    with pytest.raises(TypeError, match="resp must be a torch.Tensor, got ndarray"):
        train_test_split(resp.numpy(), stimuli)


# ---- get_data -----------------------------------------------------------------------------


def test_get_data_draws_with_numpy_choice():
    resp, stimuli = _dataset(10)
    np.random.seed(1)
    expected = np.random.choice(10, 6)
    np.random.seed(1)
    r, ori = get_data(6, resp, stimuli)
    assert r.shape == (6, 3) and ori.shape == (6, 1)
    assert torch.equal(r, resp[expected])
    assert torch.equal(ori, stimuli[expected])
    assert r.dtype == torch.float32


def test_get_data_known_rows_for_seed_1():
    # np.random.seed(1); np.random.choice(10, 4) -> [5, 8, 9, 5] (repeats allowed)
    resp, stimuli = _dataset(10)
    np.random.seed(1)
    r, _ = get_data(4, resp, stimuli)
    assert (r[:, 0] // 3).long().tolist() == [5, 8, 9, 5]


def test_get_data_can_draw_more_than_it_has():
    resp, stimuli = _dataset(3)
    r, ori = get_data(50, resp, stimuli)
    assert r.shape == (50, 3)
    assert set((r[:, 0] // 3).long().tolist()) <= {0, 1, 2}


@pytest.mark.bad_input
def test_get_data_rejects_bad_input():
    resp, stimuli = _dataset(5)
    with pytest.raises(ValueError, match="n_stim must be an int >= 1, got 0"):
        get_data(0, resp, stimuli)
    with pytest.raises(TypeError, match="n_stim must be an int, got float"):
        get_data(2.0, resp, stimuli)
    with pytest.raises(ValueError, match="train_data and train_labels must have the same number"):
        get_data(1, resp, stimuli[:4])
    with pytest.raises(TypeError, match="train_labels must be a torch.Tensor, got list"):
        get_data(1, resp, [0.0] * 5)
    with pytest.raises(ValueError, match="at least one row"):
        get_data(1, resp[:0], stimuli[:0])


def test_one_dimensional_stimuli_are_accepted():
    resp, stimuli = _dataset(10)
    resp_train, _, stimuli_train, _ = train_test_split(resp, stimuli[:, 0])
    assert stimuli_train.shape == (6,) and resp_train.shape == (6, 3)
    _, ori = get_data(4, resp, stimuli[:, 0])
    assert ori.shape == (4,)


@pytest.mark.bad_input
@pytest.mark.parametrize("index", [(slice(None), 0), (Ellipsis, None)])  # (10,), (10, 3, 1)
def test_responses_must_be_a_matrix(index):
    resp, stimuli = _dataset(10)
    message = r"must have shape \(n_stimuli, n_neurons\), got shape"
    with pytest.raises(ValueError, match="resp " + message):
        train_test_split(resp[index], stimuli)
    with pytest.raises(ValueError, match="train_data " + message):
        get_data(1, resp[index], stimuli)


@pytest.mark.bad_input
def test_stimuli_must_be_a_column_or_a_vector():
    resp, stimuli = _dataset(10)
    message = r"must have shape \(n_stimuli, 1\) or \(n_stimuli,\), got shape \(10, 2\)"
    with pytest.raises(ValueError, match="stimuli " + message):
        train_test_split(resp, stimuli.repeat(1, 2))
    with pytest.raises(ValueError, match="train_labels " + message):
        get_data(1, resp, stimuli.repeat(1, 2))
