"""Tests of the self-checks (``nma_dl.checks``): what they accept, what they print, their limits.

A self-check prints exactly one line and returns a :class:`~nma_dl.checks.CheckResult` whose
message is that line; :func:`run_check` runs one and asserts as much, for every test here.
"""

import pytest

from nma_dl.checks import CheckResult


@pytest.fixture
def run_check(capsys):
    """``run_check(check, answer)``: the check's result and its one printed line.

    Fails the test if the check printed other than one line, printed a traceback, or returned
    something whose message is not that line.
    """

    def run(check, answer):
        capsys.readouterr()
        result = check(answer)
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and out.endswith("\n"), out
        assert "Traceback" not in out
        assert isinstance(result, CheckResult) and result.message == out.strip()
        return result, out.strip()

    return run
