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
import socket
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
import torch

from nma_dl.data import (
    FILES,
    ORIBINNED1,
    ORIBINNED6_SPLIT,
    DataUnavailableError,
    fetch,
    files,
    load_data,
)

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
    """Everything in the cache except the surrogate folder."""
    return sorted(p.name for p in folder.iterdir() if p.name != "synthetic")


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
