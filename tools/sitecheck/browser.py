"""The site on a local HTTP server, the browser, and what one page load does."""

from __future__ import annotations

import contextlib
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .pages import _is_local, _is_network

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for the theme to show the left navigation
TIMEOUT_MS = 30_000
MATHJAX_TIMEOUT_MS = 20_000


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser hangs up on aborted loads; that is not a site error


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on 127.0.0.1 (free port); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def launch_browser(executable: str = CHROMIUM):
    """Headless Debian Chromium under Playwright; yields a Browser."""
    from playwright.sync_api import sync_playwright

    if not Path(executable).exists():
        raise FileNotFoundError(
            f"{executable} not found: install Debian's chromium (make chromium)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            browser.close()


class _PageWatch:
    """Console errors, uncaught exceptions and failed requests of one page load."""

    def __init__(self):
        self.console: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.third_party: list[str] = []

    def on_console(self, msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "") or ""
        if where and not _is_local(where):
            return  # an error from (or about) a blocked external resource
        if "ERR_BLOCKED_BY_CLIENT" in msg.text:
            return  # the load we aborted on purpose (the message names no local file)
        self.console.append(f"{msg.text[:200]} [{where.rsplit('/', 1)[-1] or 'page'}]")

    def on_pageerror(self, error):
        self.console.append(f"uncaught {error.name}: {error.message[:200]}")

    def on_requestfailed(self, request):
        if _is_local(request.url) and _is_network(request.url):
            self.failed.append(f"{request.url} ({request.failure})")

    def on_response(self, response):
        if _is_local(response.url) and response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def route(self, route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            self.external.append(url)
            if route.request.resource_type != "document":
                # A video player (an iframe: a document) loads when shown; anything else
                # (a badge image, a script, a font) would reach a third party unasked.
                self.third_party.append(url)
            route.abort("blockedbyclient")
