"""Session-wide guarantees for every test run.

* No network: outbound connections are refused except to loopback
  (``--allow-hosts`` from pytest-socket, set in ``pyproject.toml``), so a test
  that would reach OSF fails instead of silently depending on the internet.
* Offline data: ``NMA_DL_DATA_SOURCE=synthetic`` unless the caller chose
  otherwise, and a per-session cache folder so tests never touch a user's cache.
* A count of the bad inputs the suite fed to public functions (tests marked
  ``bad_input``), printed at the end of the run.
"""

import os

import matplotlib
import pytest

os.environ.setdefault("NMA_DL_DATA_SOURCE", "synthetic")
# Agg for this process only: an MPLBACKEND variable would leak into the Jupyter kernels that
# notebook tests start, and there it would suppress the inline figures.
matplotlib.use("Agg")


@pytest.fixture(scope="session", autouse=True)
def _data_cache(tmp_path_factory):
    """Point the data cache at a session folder unless one was given."""
    if "NMA_DL_DATA_DIR" in os.environ:
        yield os.environ["NMA_DL_DATA_DIR"]
        return
    path = tmp_path_factory.mktemp("nma_dl_data")
    os.environ["NMA_DL_DATA_DIR"] = str(path)
    yield str(path)
    del os.environ["NMA_DL_DATA_DIR"]


_bad_inputs = {"passed": 0, "failed": 0}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "bad_input: feeds invalid input and expects a clear ValueError/TypeError"
    )


def pytest_runtest_logreport(report):
    if report.when == "call" and "bad_input" in report.keywords:
        _bad_inputs["passed" if report.passed else "failed"] += 1


def pytest_terminal_summary(terminalreporter):
    total = _bad_inputs["passed"] + _bad_inputs["failed"]
    if total:
        terminalreporter.write_line(
            f"bad inputs tried: {total}, handled with a clear error: {_bad_inputs['passed']}"
        )
