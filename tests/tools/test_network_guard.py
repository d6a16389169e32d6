"""The test session itself refuses network connections (except loopback)."""

import socket

import pytest


def test_outbound_connection_is_blocked():
    # 192.0.2.1 is TEST-NET-1 (RFC 5737): never routable, so only the guard can answer.
    with pytest.raises(Exception) as info:
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    assert "socket" in type(info.value).__name__.lower() or "blocked" in str(info.value).lower()


def test_loopback_is_allowed():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        client = socket.create_connection(server.getsockname(), timeout=1)
        client.close()
    finally:
        server.close()
