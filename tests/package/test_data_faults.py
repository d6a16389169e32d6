"""Downloads that go wrong, against a real HTTP server on 127.0.0.1.

The loader is pointed at the local server by monkeypatching ``osf_url`` and the
registry's MD5 (the real OSF addresses and checksums stay the defaults). For
every fault: ``source="osf"`` raises one clear error, ``source="auto"`` warns
once and falls back to the surrogate, nothing is left in the cache, and a later
good download works.
"""

import dataclasses
import hashlib
import io
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import filelock
import numpy as np
import pytest
import torch

from nma_dl.data import (
    DataUnavailableError,
    fetch,
    files,
    load_data,
)
from nma_dl.data.files import FILES, ORIBINNED1, ORIBINNED6_SPLIT

TIMEOUT = 0.5  # seconds the client waits for a silent server in these tests


def _npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


GOOD = {
    ORIBINNED1: _npz_bytes(
        resp=np.arange(12, dtype=np.float32).reshape(4, 3),
        stimuli=np.array([0.5, 90.5, 180.5, 270.5]),
    ),
    ORIBINNED6_SPLIT: _npz_bytes(
        resp_train=np.ones((2, 3), np.float32),
        resp_test=np.zeros((2, 3), np.float32),
        stimuli=np.array([[3.0], [9.0]]),
    ),
}


# --- a small configurable HTTP server ---


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        self.server.behaviour(self)

    def log_message(self, *args):  # keep the test output quiet
        pass


def send(body, status=200, content_type="application/octet-stream", length=None, send_bytes=None):
    """A behaviour answering ``body``; ``length``/``send_bytes`` fake a truncation."""

    def behaviour(handler):
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        if length != "omit":
            handler.send_header("Content-Length", str(len(body) if length is None else length))
        handler.end_headers()
        handler.wfile.write(body[:send_bytes])

    return behaviour


def stall(before_headers):
    """A behaviour that goes silent (until the test ends) before or after the headers."""

    def behaviour(handler):
        if not before_headers:
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b"PK\x03\x04")
            handler.wfile.flush()
        handler.server.stop.wait(10)

    return behaviour


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that time out and hang up are expected here


@pytest.fixture
def server():
    """A threaded HTTP server on 127.0.0.1 (free port), shut down after the test."""
    httpd = _Server(("127.0.0.1", 0), _Handler)
    httpd.requests, httpd.stop = [], threading.Event()
    httpd.behaviour = send(b"not configured", status=500)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stop.set()  # wake stalled handlers
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
        assert not thread.is_alive()


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def session_surrogate():
    """The full-size surrogate, generated once, shared by the fallback tests."""
    for name in FILES:
        fetch(name, source="synthetic")
    return files.data_dir() / "synthetic"


@pytest.fixture
def cache(tmp_path, monkeypatch, session_surrogate):
    """An empty cache folder whose ``synthetic/`` is the session's surrogate."""
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "synthetic").symlink_to(session_surrogate, target_is_directory=True)
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(folder))
    monkeypatch.setenv("NMA_DL_DOWNLOAD_TIMEOUT", str(TIMEOUT))
    monkeypatch.setattr(files, "_WARNED", set())
    return folder


def _real_files(folder):
    """Everything in the cache except the surrogate folder and the lock file."""
    return sorted(p.name for p in folder.iterdir() if p.name not in ("synthetic", ".nma_dl.lock"))


def _point_at(monkeypatch, port):
    url = f"http://127.0.0.1:{port}/download/{{}}/"
    monkeypatch.setattr(files, "osf_url", lambda osf_id: url.format(osf_id))
    for name, body in GOOD.items():
        monkeypatch.setitem(
            FILES, name, dataclasses.replace(FILES[name], md5=hashlib.md5(body).hexdigest())
        )
    return url.format(FILES[ORIBINNED1].osf_id)


@pytest.fixture
def local(server, cache, monkeypatch):
    """The loader pointed at ``server``."""
    url = _point_at(monkeypatch, server.server_address[1])
    return server, cache, url


def _surrogate_warnings(records):
    return [
        w for w in records if issubclass(w.category, UserWarning) and "SURROGATE" in str(w.message)
    ]


# --- the good path ---


@pytest.mark.parametrize("name", [ORIBINNED1, ORIBINNED6_SPLIT])
def test_good_file_is_downloaded_cached_and_reused(local, name):
    server, cache, _ = local
    server.behaviour = send(GOOD[name])
    path = fetch(name, source="osf")
    assert path == cache / name and path.read_bytes() == GOOD[name]
    assert len(server.requests) == 1 and server.requests[0].startswith(
        f"/download/{FILES[name].osf_id}/"
    )
    assert fetch(name, source="auto") == path  # from the cache
    assert len(server.requests) == 1
    assert _real_files(cache) == [name]


def test_downloaded_file_loads_with_the_tutorial_loader(local, capsys):
    server, cache, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    resp, stimuli = load_data(source="osf")
    assert resp.dtype == torch.float32 and resp.shape == (4, 3)
    np.testing.assert_array_equal(stimuli[:, 0].numpy(), [0.5, 90.5, 180.5, 270.5])
    load_data(source="osf")
    assert len(server.requests) == 1
    assert "SURROGATE" not in capsys.readouterr().out  # the real data carry no note


# --- faults ---

FAULTS = {
    "truncated": (send(GOOD[ORIBINNED1], send_bytes=200), "truncated: received 200 of"),
    "truncated_no_length": (send(GOOD[ORIBINNED1], length="omit", send_bytes=200), "hash"),
    "wrong_bytes": (send(bytes(len(GOOD[ORIBINNED1]))), "hash"),
    "html_200": (
        send(b"<!DOCTYPE html><html><body>OSF</body></html>", content_type="text/html"),
        "web page",
    ),
    "html_200_sniffed": (
        send(b"  <html><head></head></html>", content_type="application/zip"),
        "web page",
    ),
    "http_404": (send(b"missing", status=404), "404"),
    "http_500": (send(b"oops", status=500), "500"),
    "stall_before_headers": (stall(before_headers=True), "no data received for 0.5 s"),
    "stall_mid_body": (stall(before_headers=False), "no data received for 0.5 s"),
    "refused": (None, "refused"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_fault_is_reported_falls_back_and_leaves_no_file(local, monkeypatch, capsys, fault):
    server, cache, url = local
    behaviour, cause = FAULTS[fault]
    if behaviour is None:  # nothing listens on the port
        url = _point_at(monkeypatch, _closed_port())
    else:
        server.behaviour = behaviour

    started = time.monotonic()
    with pytest.raises(DataUnavailableError) as info:
        fetch(ORIBINNED1, source="osf")
    assert time.monotonic() - started < 5 * TIMEOUT + 2
    message = str(info.value)
    assert ORIBINNED1 in message and url in message and "NMA_DL_DATA_SOURCE=synthetic" in message
    assert cause.lower() in message.lower()
    assert _real_files(cache) == []

    capsys.readouterr()
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        first = fetch(ORIBINNED1, source="auto")
        second = fetch(ORIBINNED1, source="auto")
    assert first == second == cache / "synthetic" / ORIBINNED1
    (warning,) = _surrogate_warnings(records)
    assert (
        "could not be fetched" in str(warning.message)
        and cause.lower() in str(warning.message).lower()
    )
    assert capsys.readouterr().out.count("NOTE: using the offline SURROGATE") == 2
    assert _real_files(cache) == []

    # The server recovers: the next download works.
    if behaviour is None:
        _point_at(monkeypatch, server.server_address[1])
    server.behaviour = send(GOOD[ORIBINNED1])
    assert fetch(ORIBINNED1, source="osf").read_bytes() == GOOD[ORIBINNED1]
    assert _real_files(cache) == [ORIBINNED1]


def test_auto_warns_once_per_file(local):
    server, _, _ = local
    server.behaviour = send(b"gone", status=404)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        for _ in range(2):
            for name in FILES:
                fetch(name, source="auto")
    messages = [str(w.message) for w in _surrogate_warnings(records)]
    assert len(messages) == 2
    assert [name for name in FILES if any(name in message for message in messages)] == list(FILES)


def test_file_corrupted_in_the_cache_is_fetched_again(local):
    server, cache, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    path = fetch(ORIBINNED1, source="osf")
    path.write_bytes(b"X" * len(GOOD[ORIBINNED1]))  # same size, wrong bytes
    assert fetch(ORIBINNED1, source="osf").read_bytes() == GOOD[ORIBINNED1]
    assert len(server.requests) == 2

    # Corrupted again while OSF is down: the bad copy is dropped, not used.
    path.write_bytes(b"X")
    server.behaviour = send(b"oops", status=500)
    with pytest.raises(DataUnavailableError, match="500"):
        fetch(ORIBINNED1, source="osf")
    assert _real_files(cache) == []


def test_auto_uses_a_good_cached_file_without_the_network(local, monkeypatch):
    server, cache, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    fetch(ORIBINNED1, source="osf")
    _point_at(monkeypatch, _closed_port())  # OSF unreachable from now on
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fetch(ORIBINNED1, source="auto") == cache / ORIBINNED1


# --- reliability round 2 (issue 14, items 2-5; issue 13, item 8) ---
#
# Each test below failed on the code before the fix (see the note's table).


def _run_fetch_in_thread(name, source, limit):
    """Call fetch in a thread; return (finished within ``limit`` s, result or exception)."""
    outcome = {}

    def target():
        try:
            outcome["value"] = fetch(name, source=source)
        except BaseException as exc:
            outcome["value"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    return not thread.is_alive(), outcome.get("value")


@pytest.mark.bad_input
@pytest.mark.parametrize("source", ["osf", "auto"])
def test_read_only_cache_is_named_not_a_network_fault(local, monkeypatch, source):
    server, cache, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    cache.chmod(0o555)
    real_access = os.access
    # root ignores permission bits: make the folder read-only to it too, as the OS would.
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(cache) else real_access(p, mode)
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no fallback warning either
            with pytest.raises(files.CacheError) as info:
                fetch(ORIBINNED1, source=source)
    finally:
        cache.chmod(0o755)
    message = str(info.value)
    assert str(cache) in message and "NMA_DL_DATA_DIR" in message and "writable" in message
    assert server.requests == []  # refused before the network


@pytest.mark.bad_input
@pytest.mark.parametrize("source", ["osf", "auto"])
def test_cache_path_that_is_a_file_is_named(local, monkeypatch, tmp_path, source):
    server, _, _ = local
    a_file = tmp_path / "not_a_folder"
    a_file.write_text("x")
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(a_file))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="NMA_DL_DATA_DIR.*existing file"):
            fetch(ORIBINNED1, source=source)
    assert server.requests == []


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "variable, value",
    [
        ("NMA_DL_DOWNLOAD_TIMEOUT", "soon"),
        ("NMA_DL_DOWNLOAD_TIMEOUT", "-5"),
        ("NMA_DL_DOWNLOAD_TIMEOUT", "1e10"),
        ("NMA_DL_DOWNLOAD_DEADLINE", "nan"),
        ("NMA_DL_DOWNLOAD_DEADLINE", "0"),
        ("NMA_DL_DOWNLOAD_DEADLINE", "1e10"),
    ],
)
def test_bad_timeout_setting_is_named_even_in_auto_mode(local, monkeypatch, variable, value):
    server, _, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    monkeypatch.setenv(variable, value)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # before: a fallback warning (or nothing, for 1e10)
        with pytest.raises(ValueError) as info:
            fetch(ORIBINNED1, source="auto")
    message = str(info.value)
    assert variable in message and repr(value) in message and "unset it" in message
    assert server.requests == []


@pytest.mark.bad_input
def test_os_error_of_the_surrogate_generator_names_the_cache(tmp_path, monkeypatch):
    import errno

    from nma_dl.data import surrogate

    real_generate = surrogate.generate
    monkeypatch.setattr(
        surrogate, "generate", lambda seed, **kw: real_generate(seed, n_neurons=3, n_trials=400)
    )
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path / "cache"))

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", disk_full)
    with pytest.raises(files.CacheError) as info:
        fetch(ORIBINNED1, source="synthetic")
    message = str(info.value)
    assert "No space left" in message and "NMA_DL_DATA_DIR" in message
    assert str(tmp_path / "cache" / "synthetic") in message
    assert not [p for p in (tmp_path / "cache" / "synthetic").iterdir() if p.suffix == ".tmp"]


def endless(content_length=None, step=1 << 16):
    """A behaviour that sends zeros until the test ends (optionally announcing a length)."""

    def behaviour(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        if content_length is not None:
            handler.send_header("Content-Length", str(content_length))
        handler.end_headers()
        handler.server.sent = 0
        block = b"PK" + bytes(step - 2)
        while not handler.server.stop.is_set():
            handler.wfile.write(block)
            handler.server.sent += step

    return behaviour


def trickle(total=1000, every=0.05):
    """A behaviour that announces ``total`` bytes and sends one byte every ``every`` s."""

    def behaviour(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(total))
        handler.end_headers()
        for _ in range(total):
            if handler.server.stop.wait(every):
                return
            handler.wfile.write(b"P")
            handler.wfile.flush()

    return behaviour


def _small_cap(monkeypatch, max_bytes=100_000):
    if not hasattr(FILES[ORIBINNED1], "max_bytes"):  # the code before the fix: no cap at all
        return
    monkeypatch.setitem(
        FILES, ORIBINNED1, dataclasses.replace(FILES[ORIBINNED1], max_bytes=max_bytes)
    )


def test_huge_content_length_is_refused_before_writing(local, monkeypatch):
    server, cache, _ = local
    _small_cap(monkeypatch)
    server.behaviour = endless(content_length=10**12)
    finished, result = _run_fetch_in_thread(ORIBINNED1, "osf", limit=10)
    assert finished, "the download of an announced 1e12 bytes did not stop"
    assert isinstance(result, DataUnavailableError)
    assert "Content-Length" in str(result) and "1000000000000" in str(result)
    assert _real_files(cache) == []


def test_endless_stream_is_stopped_past_the_known_size(local, monkeypatch):
    server, cache, _ = local
    _small_cap(monkeypatch)
    server.behaviour = endless(content_length=None)
    finished, result = _run_fetch_in_thread(ORIBINNED1, "osf", limit=10)
    assert finished, "an endless answer was written on and on"
    assert isinstance(result, DataUnavailableError) and "more than 100000 bytes" in str(result)
    assert _real_files(cache) == []


def test_slow_server_is_abandoned_at_the_deadline(local, monkeypatch):
    server, cache, _ = local
    server.behaviour = trickle()  # 20 bytes/s: 50 s for the file, never silent for 0.5 s
    monkeypatch.setenv("NMA_DL_DOWNLOAD_DEADLINE", "1")
    started = time.monotonic()
    finished, result = _run_fetch_in_thread(ORIBINNED1, "osf", limit=8)
    assert finished, "a 20 byte/s server held the download past the deadline"
    assert time.monotonic() - started < 1 + TIMEOUT + 2
    assert isinstance(result, DataUnavailableError)
    assert "longer than 1 s" in str(result) and "NMA_DL_DOWNLOAD_DEADLINE" in str(result)
    assert _real_files(cache) == []


def test_download_shows_progress_and_says_what_happens_next(local, capsys):
    server, _, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    fetch(ORIBINNED1, source="auto")
    captured = capsys.readouterr()
    (line,) = [line for line in captured.out.splitlines() if line.startswith("Downloading")]
    assert ORIBINNED1 in line and "at most 300 s" in line and "surrogate is used instead" in line
    assert f"{len(GOOD[ORIBINNED1])}" in captured.err or "B/s" in captured.err  # the tqdm bar


def test_fallback_warning_points_at_the_callers_line(local):
    server, _, _ = local
    server.behaviour = send(b"gone", status=404)
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always")
        load_data(source="auto")  # through stringer._read_npz and files.fetch
    (warning,) = _surrogate_warnings(records)
    assert warning.filename == __file__


def _child(code, env):
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env={**os.environ, **env},
        cwd=os.sep,  # the installed package (or PYTHONPATH), not the folder
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


_POINT_CHILD_AT = """
    import dataclasses, hashlib, sys
    from nma_dl.data import fetch, files
    from nma_dl.data.files import FILES, ORIBINNED1
    files.osf_url = lambda osf_id: "http://127.0.0.1:{port}/download/" + osf_id + "/"
    FILES[ORIBINNED1] = dataclasses.replace(FILES[ORIBINNED1], md5="{md5}")
"""


def test_download_killed_with_sigkill_leaves_nothing_after_the_next_start(local):
    import signal

    server, cache, _ = local
    server.behaviour = stall(before_headers=False)  # the child hangs mid-body
    code = (
        _POINT_CHILD_AT.format(
            port=server.server_address[1], md5=hashlib.md5(GOOD[ORIBINNED1]).hexdigest()
        )
        + "\n    fetch(ORIBINNED1, source='osf')\n"
    )
    child = _child(code, {"NMA_DL_DATA_DIR": str(cache), "NMA_DL_DOWNLOAD_TIMEOUT": "30"})
    try:
        give_up = time.monotonic() + 60
        while not _real_files(cache) and time.monotonic() < give_up:
            assert child.poll() is None, child.communicate()
            time.sleep(0.05)
        time.sleep(0.2)
        leftovers = _real_files(cache)
        assert leftovers, "the child never started writing"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.communicate()
    assert _real_files(cache) == leftovers and ORIBINNED1 not in leftovers  # killed mid-way

    server.stop.set()  # release the stalled handler
    server.stop = threading.Event()
    server.behaviour = send(GOOD[ORIBINNED1])
    assert fetch(ORIBINNED1, source="osf").read_bytes() == GOOD[ORIBINNED1]
    assert _real_files(cache) == [ORIBINNED1]  # the temporary of the killed download is gone


def test_cache_files_get_the_users_umask(local, tmp_path, monkeypatch):
    from nma_dl.data import surrogate

    server, cache, _ = local
    server.behaviour = send(GOOD[ORIBINNED1])
    old = os.umask(0o027)  # not the usual 0o022: the value is read, not assumed
    try:
        path = fetch(ORIBINNED1, source="osf")
        real_generate = surrogate.generate
        monkeypatch.setattr(
            surrogate,
            "generate",
            lambda seed, **kw: real_generate(seed, n_neurons=3, n_trials=400),
        )
        monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path / "other"))
        synthetic = fetch(ORIBINNED1, source="synthetic")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o640  # before: 0o600
    assert synthetic.stat().st_mode & 0o777 == 0o640
    assert (synthetic.parent / f"{ORIBINNED1}.json").stat().st_mode & 0o777 == 0o640


def test_concurrent_processes_generate_the_surrogate_once(tmp_path):
    counter = tmp_path / "generations.txt"
    code = f"""
        import time
        from nma_dl.data import fetch, surrogate
        from nma_dl.data.files import FILES
        real = surrogate.generate
        def counted(seed, **kwargs):
            with open({str(counter)!r}, "a") as log:
                log.write("generated\\n")
            time.sleep(1)  # as slow as the real one, so that the processes overlap
            return real(seed, n_neurons=4, n_trials=400)
        surrogate.generate = counted
        import numpy as np
        for name in FILES:
            with np.load(fetch(name, source="synthetic")) as npz:
                print(name, {{key: npz[key].shape for key in npz.files}})
    """
    env = {"NMA_DL_DATA_DIR": str(tmp_path / "cache")}
    children = [_child(code, env) for _ in range(4)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 4, outputs
    assert counter.read_text().count("generated") == 1  # before: 4
    shapes = {out.count("(360, 4)") for out, _ in outputs}
    assert shapes == {1}  # every process read a whole, valid file


def test_concurrent_loads_of_a_missing_file_download_it_once(local):
    server, cache, _ = local
    body = GOOD[ORIBINNED1]

    def slow_good(handler):
        time.sleep(0.5)  # long enough for the others to arrive while it downloads
        send(body)(handler)

    server.behaviour = slow_good
    code = (
        _POINT_CHILD_AT.format(port=server.server_address[1], md5=hashlib.md5(body).hexdigest())
        + "\n    print(hashlib.md5(fetch(ORIBINNED1, source='osf').read_bytes()).hexdigest())\n"
    )
    env = {"NMA_DL_DATA_DIR": str(cache), "NMA_DL_DOWNLOAD_TIMEOUT": "30"}
    children = [_child(code, env) for _ in range(8)]
    outputs = [child.communicate(timeout=180) for child in children]
    assert [child.returncode for child in children] == [0] * 8, outputs
    assert len(server.requests) == 1  # before: 7 or 8 downloads
    assert {out.split()[-1] for out, _ in outputs} == {hashlib.md5(body).hexdigest()}
    assert _real_files(cache) == [ORIBINNED1]


def test_without_a_lock_only_old_temporaries_are_removed(local, monkeypatch):
    server, cache, _ = local
    # A platform without fcntl nor msvcrt, where filelock has only its soft lock (a file whose
    # presence locks, which a killed process would leave behind): the cache locks nothing.
    monkeypatch.setattr(filelock, "FileLock", filelock.SoftFileLock)
    old, fresh = cache / f".{ORIBINNED1}.old.part", cache / f".{ORIBINNED1}.fresh.part"
    for path in (old, fresh):
        path.write_bytes(b"partial")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    unrelated = cache / "tmp_user_file.part"  # not ours: never touched
    unrelated.write_bytes(b"mine")
    server.behaviour = send(GOOD[ORIBINNED1])
    assert fetch(ORIBINNED1, source="osf").read_bytes() == GOOD[ORIBINNED1]
    assert not old.exists() and fresh.exists() and unrelated.exists()
    assert not (cache / ".nma_dl.lock").exists()  # no lock file without a lock
