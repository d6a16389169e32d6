"""The published site in a real browser (headless Debian Chromium via Playwright).

Every test here is marked ``site`` (``make site`` runs them after ``make book``). The site is
the one ``make book`` built in ``_build/html`` (``SITECHECK_HTML`` names another build); when
there is none, it is built here with ``jupyter-book build .``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sitecheck  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parents[2]
# SITECHECK_HTML checks another build (e.g. one made in a copy of the repository) instead.
HTML = Path(os.environ.get("SITECHECK_HTML", ROOT / "_build" / "html")).resolve()


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.site)


def _build_book() -> None:
    env = dict(os.environ)
    # Kernels inherit the environment: with MPLBACKEND=Agg (set for the test session) they would
    # draw no inline figures, and the site would have none.
    env.pop("MPLBACKEND", None)
    env.setdefault("NMA_DL_DATA_SOURCE", "synthetic")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run(
        [str(jb), "build", ".", "--warningiserror", "--nitpick", "--keep-going"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0 or not (HTML / "index.html").is_file():
        pytest.fail(
            f"jupyter-book build failed ({proc.returncode}):\n"
            f"{(proc.stdout + proc.stderr)[-3000:]}"
        )


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built site: ``_build/html`` as ``make test`` left it, else built now."""
    if not (HTML / "index.html").is_file():
        _build_book()
    return HTML


@pytest.fixture(scope="session")
def browser():
    if not Path(sitecheck.CHROMIUM).exists():
        pytest.fail(
            f"{sitecheck.CHROMIUM} is missing: run `make chromium` (Debian's chromium package)"
        )
    with sitecheck.launch_browser() as b:
        yield b


@pytest.fixture(scope="session")
def ja_dir(html_dir) -> Path:
    """The Japanese site, ``_build/html/ja``: ``make book`` builds it after the English one."""
    ja = html_dir / "ja"
    if not (ja / "index.html").is_file():
        pytest.fail(f"no Japanese site in {ja}: build both sites with `make book`")
    return ja
