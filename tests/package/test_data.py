"""nma_dl.data: registry, source selection, surrogate cache, loaders and CLI.

The download path against a local HTTP server is in test_data_faults.py.
"""

import dataclasses
import json
import os
import pathlib
import subprocess
import sys
import textwrap

import numpy as np
import pooch
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from nma_dl.data import (
    DataUnavailableError,
    data_dir,
    fetch,
    files,
    load_data,
    load_data_split,
    osf_url,
    surrogate,
)
from nma_dl.data.files import FILES, ORIBINNED1, ORIBINNED6_SPLIT, main

REPO = pathlib.Path(__file__).resolve().parents[2]


def _write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


@pytest.fixture
def tiny_cache(tmp_path, monkeypatch):
    """An empty cache and a tiny, call-counting surrogate generator."""
    calls = []
    real_generate = surrogate.generate

    def tiny_generate(seed=surrogate.SEED, **kwargs):
        calls.append(seed)
        return real_generate(seed, n_neurons=5, n_trials=400)

    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(surrogate, "generate", tiny_generate)
    return tmp_path / "cache", calls


# --- registry, URL, folders, sources ---


def test_registry_holds_the_two_osf_files():
    assert FILES[ORIBINNED1].osf_id == "683xc"
    assert FILES[ORIBINNED1].md5 == "436599dfd8ebe6019f066c38aed20580"
    assert FILES[ORIBINNED6_SPLIT].osf_id == "p3aeb"
    assert FILES[ORIBINNED6_SPLIT].md5 == "b3f7245c6221234a676b71a1f43c3bb5"
    assert all(name == entry.name for name, entry in FILES.items())


def test_osf_url_uses_the_download_form():
    assert osf_url("683xc") == "https://osf.io/download/683xc/"
    assert osf_url(FILES[ORIBINNED6_SPLIT].osf_id) == "https://osf.io/download/p3aeb/"


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "osf_id, error", [(683, TypeError), ("", ValueError), ("68/xc", ValueError)]
)
def test_osf_url_refuses_bad_ids(osf_id, error):
    with pytest.raises(error, match="osf_id"):
        osf_url(osf_id)


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.delenv("NMA_DL_DATA_DIR")
    assert data_dir() == pathlib.Path(pooch.os_cache("nma_dl"))


@pytest.mark.bad_input
@pytest.mark.parametrize("source", ["zenodo", "", "OSF-mirror"])
def test_unknown_source_lists_the_accepted_values(source):
    with pytest.raises(ValueError, match="auto, osf, synthetic"):
        fetch(ORIBINNED1, source=source)


@pytest.mark.bad_input
def test_unknown_source_from_the_environment_is_named(monkeypatch):
    monkeypatch.setenv("NMA_DL_DATA_SOURCE", "ftp")
    with pytest.raises(ValueError, match="NMA_DL_DATA_SOURCE.*auto, osf, synthetic"):
        load_data()


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "name, source, error",
    [(1, None, TypeError), ("resp.npz", None, ValueError), (ORIBINNED1, 2, TypeError)],
)
def test_fetch_refuses_bad_arguments(name, source, error):
    with pytest.raises(error):
        fetch(name, source=source)


@pytest.mark.bad_input
def test_bad_download_timeout_is_named(monkeypatch):
    monkeypatch.setenv("NMA_DL_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="NMA_DL_DOWNLOAD_TIMEOUT"):
        files._timeout()
    monkeypatch.setenv("NMA_DL_DOWNLOAD_TIMEOUT", "2.5")
    assert files._timeout() == 2.5
    monkeypatch.delenv("NMA_DL_DOWNLOAD_TIMEOUT")
    assert files._timeout() == 60


def test_source_is_case_insensitive(tiny_cache):
    assert fetch(ORIBINNED1, source=" Synthetic ").parent.name == "synthetic"


# --- the surrogate in the cache ---


def test_synthetic_never_touches_the_network(tiny_cache, monkeypatch, capsys):
    def no_network(*args, **kwargs):
        raise AssertionError("the synthetic source must not download")

    monkeypatch.setattr(files, "_download", no_network)
    monkeypatch.setattr(pooch, "retrieve", no_network)
    path = fetch(ORIBINNED1, source="synthetic")
    assert path == tiny_cache[0] / "synthetic" / ORIBINNED1
    assert "NOTE: using the offline SURROGATE" in capsys.readouterr().out


def test_surrogate_files_are_written_once_and_reused(tiny_cache, capsys):
    cache, calls = tiny_cache
    first = fetch(ORIBINNED1, source="synthetic")
    second = fetch(ORIBINNED6_SPLIT, source="synthetic")
    again = fetch(ORIBINNED1, source="synthetic")
    assert calls == [surrogate.SEED]  # one generation wrote both files
    assert first == again and second.parent == first.parent
    assert sorted(p.name for p in (cache / "synthetic").iterdir()) == sorted(
        [ORIBINNED1, ORIBINNED1 + ".json", ORIBINNED6_SPLIT, ORIBINNED6_SPLIT + ".json"]
    )
    assert not list(cache.glob("*.npz"))  # never where the real files go
    assert capsys.readouterr().out.count("SURROGATE") == 3  # every use is announced
    with np.load(first) as npz:
        expected = surrogate.generate(surrogate.SEED)["oribinned1"]
        np.testing.assert_array_equal(npz["resp"], expected["resp"])


def test_a_damaged_or_outdated_surrogate_is_rebuilt(tiny_cache, monkeypatch):
    cache, calls = tiny_cache
    path = fetch(ORIBINNED1, source="synthetic")
    path.write_bytes(path.read_bytes()[:100])  # damaged
    fetch(ORIBINNED1, source="synthetic")
    assert len(calls) == 2
    with np.load(path) as npz:
        assert npz["resp"].shape == (360, 5)
    monkeypatch.setattr(surrogate, "VERSION", surrogate.VERSION + 1)  # new model
    fetch(ORIBINNED6_SPLIT, source="synthetic")
    assert len(calls) == 3
    sidecar = json.loads((cache / "synthetic" / (ORIBINNED6_SPLIT + ".json")).read_text())
    assert sidecar["version"] == surrogate.VERSION and sidecar["seed"] == surrogate.SEED
    assert not [p for p in (cache / "synthetic").iterdir() if p.name.endswith(".tmp")]


def test_a_failed_surrogate_write_leaves_no_file(tiny_cache, monkeypatch):
    cache, _ = tiny_cache

    def broken_savez(file, **arrays):
        file.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        fetch(ORIBINNED1, source="synthetic")
    assert list((cache / "synthetic").iterdir()) == []


# --- loaders ---


@pytest.fixture
def tiny_oribinned1(tmp_path):
    stimuli = np.array([0.5, 1.2, 3.7, 5.9, 6.0, 11.5, 350.0, 359.9])
    resp = np.array(
        [[1, 10], [2, 20], [3, 30], [6, 60], [5, 50], [7, 70], [-4, 0], [8, -8]], dtype=np.float32
    )
    return _write_npz(tmp_path / "tiny.npz", resp=resp, stimuli=stimuli), resp, stimuli


def test_bin_width_6_averages_by_hand(tiny_oribinned1):
    path, _, _ = tiny_oribinned1
    resp, stimuli = load_data(6, path=path)
    # Edges 0, 6, ..., 360: bins [0, 6) -> rows 0-3, [6, 12) -> rows 4-5, [348, 354) -> row 6,
    # [354, 360) -> row 7.
    expected_stimuli = [(0.5 + 1.2 + 3.7 + 5.9) / 4, (6.0 + 11.5) / 2, 350.0, 359.9]
    expected_resp = [[3, 30], [6, 60], [-4, 0], [8, -8]]
    assert resp.dtype == torch.float32 and stimuli.dtype == torch.float32
    assert stimuli.shape == (4, 1) and resp.shape == (4, 2)
    np.testing.assert_allclose(stimuli[:, 0].numpy(), expected_stimuli, rtol=1e-6)
    np.testing.assert_allclose(resp.numpy(), expected_resp, rtol=1e-6)


def test_one_bin_of_360_degrees_is_the_overall_mean(tiny_oribinned1):
    path, raw, stimuli = tiny_oribinned1
    resp, binned = load_data(360, path=path)
    np.testing.assert_allclose(resp.numpy(), raw.mean(0, keepdims=True), rtol=1e-6)
    np.testing.assert_allclose(binned.item(), stimuli.mean(), rtol=1e-6)


@pytest.mark.parametrize("bin_width", [1, 0.5, 1.0])
def test_bin_width_up_to_1_keeps_the_rows(tiny_oribinned1, bin_width):
    path, raw, stimuli = tiny_oribinned1
    resp, out = load_data(bin_width, path=str(path))
    np.testing.assert_array_equal(resp.numpy(), raw)
    np.testing.assert_allclose(out[:, 0].numpy(), stimuli.astype(np.float32))


@settings(max_examples=30, deadline=None)
@given(
    stimuli=st.lists(st.floats(0, 359.99), min_size=1, max_size=40),
    bin_width=st.floats(1.01, 400),
)
def test_binning_keeps_one_row_per_occupied_bin_and_the_weighted_mean(
    tmp_path_factory, stimuli, bin_width
):
    stimuli = np.array(stimuli)
    raw = np.arange(2 * len(stimuli), dtype=np.float32).reshape(-1, 2)
    path = _write_npz(tmp_path_factory.mktemp("bins") / "f.npz", resp=raw, stimuli=stimuli)
    resp, out = load_data(bin_width, path=path)
    edges = np.arange(0, 360 + bin_width, bin_width)
    labels, counts = np.unique(np.digitize(stimuli, edges), return_counts=True)
    assert resp.shape == (len(labels), 2) and out.shape == (len(labels), 1)
    assert np.all(np.diff(out[:, 0].numpy()) > 0)  # bins come in increasing order
    weighted = (resp.numpy() * counts[:, None]).sum(0) / counts.sum()
    np.testing.assert_allclose(weighted, raw.mean(0), rtol=1e-4)


def test_load_data_from_the_cache_has_the_tutorial_shapes():
    resp, stimuli = load_data()  # the test session uses the surrogate
    assert resp.shape == (360, 23589) and stimuli.shape == (360, 1)
    assert resp.dtype == torch.float32 and stimuli.dtype == torch.float32
    resp6, stimuli6 = load_data(bin_width=6)
    assert resp6.shape == (60, 23589) and stimuli6.shape == (60, 1)


def test_load_data_split_from_the_cache_has_the_tutorial_shapes():
    resp_train, resp_test, stimuli = load_data_split()
    assert resp_train.shape == resp_test.shape == (60, 23589)
    assert stimuli.shape == (60, 1)
    assert {t.dtype for t in (resp_train, resp_test, stimuli)} == {torch.float32}


@pytest.mark.parametrize("stimuli_shape", [(3,), (3, 1)])
def test_load_data_split_from_a_local_file(tmp_path, stimuli_shape):
    train = np.arange(6, dtype=np.float64).reshape(3, 2)
    stimuli = np.array([3.0, 9.0, 15.0]).reshape(stimuli_shape)
    path = _write_npz(tmp_path / "split.npz", resp_train=train, resp_test=-train, stimuli=stimuli)
    resp_train, resp_test, out = load_data_split(path=path)
    assert (
        out.shape == (3, 1) and resp_train.dtype == resp_test.dtype == out.dtype == torch.float32
    )
    np.testing.assert_array_equal(resp_test.numpy(), -train)


@pytest.mark.bad_input
@pytest.mark.parametrize("bin_width", [True, "6", None, [6], torch.tensor(6)])
def test_bin_width_must_be_a_number(tiny_oribinned1, bin_width):
    with pytest.raises(TypeError, match="bin_width"):
        load_data(bin_width, path=tiny_oribinned1[0])


@pytest.mark.bad_input
@pytest.mark.parametrize("bin_width", [0, -6, 0.0, float("nan"), float("inf")])
def test_bin_width_must_be_positive_and_finite(tiny_oribinned1, bin_width):
    with pytest.raises(ValueError, match="bin_width"):
        load_data(bin_width, path=tiny_oribinned1[0])


@pytest.mark.bad_input
def test_missing_keys_are_named(tmp_path):
    path = _write_npz(tmp_path / "wrong.npz", responses=np.zeros((2, 2)), stimuli=np.zeros(2))
    with pytest.raises(ValueError, match=r"lacks the key\(s\) \['resp'\]"):
        load_data(path=path)
    with pytest.raises(ValueError, match=r"\['resp_train', 'resp_test'\]"):
        load_data_split(path=path)


@pytest.mark.bad_input
def test_inconsistent_shapes_are_refused(tmp_path):
    flat = _write_npz(tmp_path / "flat.npz", resp=np.zeros(4), stimuli=np.zeros(4))
    with pytest.raises(ValueError, match="n_stimuli"):
        load_data(path=flat)
    rows = _write_npz(tmp_path / "rows.npz", resp=np.zeros((4, 2)), stimuli=np.zeros(3))
    with pytest.raises(ValueError, match="n_stimuli"):
        load_data(path=rows)
    split = _write_npz(
        tmp_path / "split.npz",
        resp_train=np.zeros((3, 2)),
        resp_test=np.zeros((3, 4)),
        stimuli=np.zeros(3),
    )
    with pytest.raises(ValueError, match="same shape"):
        load_data_split(path=split)


@pytest.mark.bad_input
def test_pickled_objects_are_never_loaded(tmp_path):
    path = _write_npz(
        tmp_path / "evil.npz", resp=np.array([{"a": 1}], dtype=object), stimuli=np.zeros(1)
    )
    with pytest.raises(ValueError, match="allow_pickle"):
        load_data(path=path)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "resp, dtype",
    [
        (np.full((2, 2), "a"), "<U1"),
        (np.ones((2, 2), complex), "complex128"),
        (np.ones((2, 2), bool), "bool"),
    ],
)
def test_non_numeric_arrays_are_refused(tmp_path, resp, dtype):
    path = _write_npz(tmp_path / "text.npz", resp=resp, stimuli=np.zeros(2))
    with pytest.raises(TypeError, match=f"resp must hold real numbers .*got dtype {dtype}"):
        load_data(path=path)


@pytest.mark.bad_input
def test_shape_errors_name_the_path_and_the_key(tmp_path):
    flat = _write_npz(tmp_path / "flat.npz", resp=np.zeros(4), stimuli=np.zeros(4))
    with pytest.raises(ValueError, match=r"path '.*flat\.npz': expected resp of shape"):
        load_data(path=flat)
    split = _write_npz(
        tmp_path / "split.npz", resp_train=np.zeros(3), resp_test=np.zeros(3), stimuli=np.zeros(3)
    )
    with pytest.raises(ValueError, match="expected resp_train of shape"):
        load_data_split(path=split)


@pytest.mark.bad_input
def test_data_dir_must_not_be_a_file(monkeypatch, tmp_path):
    afile = tmp_path / "cache.txt"
    afile.write_text("not a folder")
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(afile))
    with pytest.raises(ValueError, match="NMA_DL_DATA_DIR must name a folder"):
        data_dir()
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path / "not-yet-created"))
    assert data_dir() == tmp_path / "not-yet-created"  # a folder to be created is fine


@pytest.mark.bad_input
def test_bad_paths_are_refused(tmp_path, tiny_oribinned1):
    with pytest.raises(TypeError, match="path"):
        load_data(path=3)
    with pytest.raises(FileNotFoundError, match="not a file"):
        load_data(path=tmp_path / "absent.npz")
    with pytest.raises(ValueError, match="either path or source"):
        load_data_split(path=tiny_oribinned1[0], source="osf")


# --- command line and import ---


def test_prepare_prints_both_paths(tiny_cache, capsys):
    assert main(["prepare", "--source", "synthetic"]) == 0
    lines = capsys.readouterr().out.splitlines()
    paths = [pathlib.Path(line) for line in lines if not line.startswith("NOTE")]
    assert [p.name for p in paths] == [ORIBINNED1, ORIBINNED6_SPLIT]
    assert all(p.is_file() for p in paths)


def test_prepare_reports_unavailable_data(monkeypatch, capsys):
    def offline(*args):
        raise OSError("no route to host")

    monkeypatch.setattr(files, "_download", offline)
    assert main(["prepare", "--source", "osf"]) == 1
    err = capsys.readouterr().err
    assert (
        ORIBINNED1 in err and "no route to host" in err and "NMA_DL_DATA_SOURCE=synthetic" in err
    )


@pytest.mark.bad_input
@pytest.mark.parametrize("argv", [[], ["download"], ["prepare", "--source", "zenodo"]])
def test_prepare_refuses_bad_command_lines(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def _run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_importing_makes_no_network_call():
    result = _run_python(
        """
        import socket
        calls = []
        def record(*args, **kwargs):
            calls.append(args)
            raise OSError("network used")
        socket.socket.connect = record
        socket.create_connection = record
        socket.getaddrinfo = record
        import nma_dl.data
        print("network calls:", len(calls))
        """,
        NMA_DL_DATA_SOURCE="auto",
    )
    assert result.returncode == 0, result.stderr
    assert "network calls: 0" in result.stdout


def test_module_runs_as_a_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "nma_dl.data", "prepare"],
        cwd=REPO,
        env={**os.environ, "NMA_DL_DATA_SOURCE": "synthetic"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert f"synthetic{os.sep}{ORIBINNED6_SPLIT}" in result.stdout


def test_error_names_file_url_and_remedy():
    error = DataUnavailableError(ORIBINNED1, osf_url("683xc"), OSError("boom"))
    text = str(error)
    assert ORIBINNED1 in text and "https://osf.io/download/683xc/" in text
    assert "OSError: boom" in text and "NMA_DL_DATA_SOURCE=synthetic" in text
    assert isinstance(error, RuntimeError) and error.url.endswith("683xc/")
    assert dataclasses.is_dataclass(FILES[ORIBINNED1])


@pytest.mark.bad_input
def test_prepare_names_a_bad_setting_instead_of_falling_back(monkeypatch, capsys):
    monkeypatch.setenv("NMA_DL_DOWNLOAD_TIMEOUT", "forever")
    assert main(["prepare", "--source", "auto"]) == 1  # before: 0, with the surrogate
    err = capsys.readouterr().err
    assert "NMA_DL_DOWNLOAD_TIMEOUT" in err and "'forever'" in err
