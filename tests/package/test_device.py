"""nma_dl.device: device choice (CUDA, MPS and CPU mocked) and seeding."""

import random

import numpy as np
import pytest
import torch

from nma_dl.device import seed_worker, set_device, set_seed


def _fake_hardware(monkeypatch, cuda, mps):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)


@pytest.mark.parametrize(
    "cuda, mps, expected, words",
    [
        (True, True, "cuda", "CUDA"),  # CUDA wins over MPS
        (True, False, "cuda", "CUDA"),
        (False, True, "mps", "MPS"),
        (False, False, "cpu", "CPU"),
    ],
)
def test_set_device_picks_best_and_prints_one_line(
    monkeypatch, capsys, cuda, mps, expected, words
):
    _fake_hardware(monkeypatch, cuda, mps)
    assert set_device() == expected
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert words in lines[0]


def test_set_device_on_cpu_says_how_to_get_a_gpu(monkeypatch, capsys):
    _fake_hardware(monkeypatch, False, False)
    set_device()
    line = capsys.readouterr().out.strip()
    for words in ["Colab", "Runtime", "Change runtime type", "Kaggle", "Settings", "Accelerator"]:
        assert words in line
    assert "also run on the CPU" in line


def test_set_device_without_mps_backend(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.delattr(torch.backends, "mps")
    assert set_device() == "cpu"


def test_set_seed_repeats_every_generator(capsys):
    assert set_seed(123) == 123
    first = (random.random(), np.random.rand(3), torch.rand(3))
    set_seed(123)
    second = (random.random(), np.random.rand(3), torch.rand(3))
    assert first[0] == second[0]
    np.testing.assert_array_equal(first[1], second[1])
    assert torch.equal(first[2], second[2])
    assert capsys.readouterr().out.splitlines() == [
        "Random seed 123 has been set.",
        "Random seed 123 has been set.",
    ]


def test_set_seed_matches_numpy_and_torch_seeding():
    set_seed(4)
    ours = (np.random.rand(2), torch.randperm(10))
    np.random.seed(4)
    torch.manual_seed(4)
    np.testing.assert_array_equal(ours[0], np.random.rand(2))
    assert torch.equal(ours[1], torch.randperm(10))


def test_set_seed_makes_cudnn_deterministic(monkeypatch):
    monkeypatch.setattr(torch.backends.cudnn, "benchmark", True)
    monkeypatch.setattr(torch.backends.cudnn, "deterministic", False)
    set_seed(0)
    assert torch.backends.cudnn.benchmark is False
    assert torch.backends.cudnn.deterministic is True


def test_set_seed_without_torch_leaves_torch_alone():
    torch.manual_seed(99)
    expected = torch.rand(2)
    torch.manual_seed(99)
    set_seed(5, seed_torch=False)
    assert torch.equal(torch.rand(2), expected)


def test_set_seed_none_draws_and_returns_a_usable_seed(capsys):
    np.random.seed(0)
    seed = set_seed()
    assert isinstance(seed, int) and 0 <= seed < 2**32
    assert seed == np.random.RandomState(0).choice(2**32)
    assert capsys.readouterr().out == f"Random seed {seed} has been set.\n"


def test_set_seed_accepts_numpy_ints_and_the_bounds():
    assert set_seed(np.int64(7)) == 7
    assert set_seed(0) == 0
    assert set_seed(2**32 - 1) == 2**32 - 1


@pytest.mark.bad_input
@pytest.mark.parametrize("seed", [1.5, "4", True, [1]])
def test_set_seed_rejects_non_int(seed):
    with pytest.raises(TypeError, match="seed must be an int"):
        set_seed(seed)


@pytest.mark.bad_input
@pytest.mark.parametrize("seed", [-1, 2**32])
def test_set_seed_rejects_out_of_range(seed):
    with pytest.raises(ValueError, match=r"seed must be in \[0, 2\*\*32\)"):
        set_seed(seed)


@pytest.mark.bad_input
def test_set_seed_rejects_non_bool_seed_torch():
    with pytest.raises(TypeError, match="seed_torch must be a bool"):
        set_seed(1, seed_torch="yes")


def test_seed_worker_seeds_numpy_and_random_from_torch():
    torch.manual_seed(2**32 + 11)  # initial_seed is reduced modulo 2**32
    seed_worker(0)
    drawn = (np.random.rand(), random.random())
    np.random.seed(11)
    random.seed(11)
    assert drawn == (np.random.rand(), random.random())


@pytest.mark.bad_input
def test_seed_worker_rejects_bad_ids():
    with pytest.raises(TypeError, match="worker_id must be an int"):
        seed_worker("0")
    with pytest.raises(ValueError, match="worker_id must be >= 0"):
        seed_worker(-1)


def test_module_device_is_that_of_the_parameters_or_the_cpu():
    from torch import nn

    from nma_dl.device import module_device

    assert module_device(nn.Linear(2, 2)) == torch.device("cpu")
    assert module_device(nn.ReLU()) == torch.device("cpu")  # no parameters
    net = nn.Linear(2, 2).to(torch.float64)
    assert module_device(net).type == "cpu"
    if torch.cuda.is_available():
        assert module_device(nn.Linear(2, 2).cuda()).type == "cuda"
