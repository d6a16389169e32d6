"""One exercise's verdict, written in the kernel and read back: the check's statuses, the
package's own answer, the token, the exercises a stopped run did not reach, the offline kernel."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest
from torch import nn

import nma_dl
from nma_dl.checks._tutorials import TUTORIALS
from nma_dl.grade import _inkernel
from nma_dl.grade._plan import CHECK, START, STUDENT, Step
from nma_dl.grade._run import (
    ERROR,
    NOT_REACHED,
    TIMEOUT,
    _stopped,
    kernel_environment,
    read_verdict,
)

# ------------------------------------------------------------------------- one exercise's verdict


def _verdict(tmp_path, value, name, defined=True):
    (exercise,) = [e for t in TUTORIALS.values() for e in t.exercises if e.name == name]
    path = tmp_path / f"{name}.json"
    spec = (exercise.name, exercise.check, exercise.argument)
    _inkernel.grade_one(value, defined, spec, str(path), "token123")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["token"] == "token123" and record["exercise"] == name
    return record["status"], record["message"]


def test_the_verdicts_written_in_the_kernel(tmp_path):
    def stub(rdm1, rdm2):
        raise NotImplementedError("Student exercise: correlate")

    assert _verdict(tmp_path, nn.NLLLoss(), "loss_choice")[0] == "pass"
    assert _verdict(tmp_path, ..., "loss_choice")[0] == "not implemented"
    assert _verdict(tmp_path, nn.MSELoss(), "loss_choice")[0] == "fail"
    assert _verdict(tmp_path, stub, "correlate_rdms")[0] == "not implemented"
    status, message = _verdict(tmp_path, None, "RDM", defined=False)
    assert status == "error" and message.startswith("RDM is not defined")
    status, message = _verdict(tmp_path, 3, "RDM")
    assert status == "error" and "check_RDM(RDM) raised TypeError" in message


def test_the_package_s_own_answer_fails(tmp_path):
    status, message = _verdict(tmp_path, nma_dl.RDM, "RDM")
    assert status == "fail" and "course package's own nma_dl.analysis.RDM" in message
    status, _ = _verdict(tmp_path, nma_dl.Net, "Net")
    assert status == "fail"


def test_the_kernel_refuses_other_hosts():
    for host in ("127.0.0.1", "::1", "localhost", b"localhost", "127.0.0.2"):
        assert _inkernel._is_local(host), host
    for host in ("192.0.2.1", "osf.io", "fe80::1%lo", "0.0.0.0"):
        assert not _inkernel._is_local(host), host
    connect = _inkernel._guard_connect(lambda self, address: "connected")
    assert connect(None, ("127.0.0.1", 80)) == "connected"
    assert connect(None, "/tmp/a.sock") == "connected"  # a Unix socket
    with pytest.raises(ConnectionRefusedError, match="without network"):
        connect(None, ("192.0.2.1", 80))
    lookup = _inkernel._guard_getaddrinfo(lambda host, *a: [host])
    assert lookup("localhost", 80) == ["localhost"]
    with pytest.raises(socket.gaierror, match="refused 'files.osf.io'"):
        lookup("files.osf.io", 443)


def test_output_past_the_budget_is_dropped_after_one_notice():
    class Stream:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

    stream, budget = Stream(), _inkernel._Budget(10)
    budget.cap(stream)
    budget.cap(stream)  # capped once only
    assert stream.write("12345678") == 8 and stream.write("abcdef") == 6
    assert stream.write("x" * 10**6) == 10**6
    assert stream.parts == ["12345678", f"ab\n{_inkernel.OUTPUT_CAPPED}\n"]


# ------------------------------------------------------------------------- the verdict's way back


def _check_step(tmp_path, name="RDM", token="abc"):
    (exercise,) = [e for e in TUTORIALS["W1D5_Tutorial3"].exercises if e.name == name]
    return Step(CHECK, "", None, exercise, tmp_path / f"{name}.json", token)


@pytest.mark.parametrize(
    "record, expected",
    [
        ({"token": "abc", "exercise": "RDM", "status": "pass", "message": "✓"}, ("pass", "✓")),
        ({"token": "xyz", "exercise": "RDM", "status": "pass", "message": "✓"}, "not the grader"),
        ({"token": "abc", "exercise": "RDM", "status": "passed", "message": "✓"}, "not the"),
        ({"token": "abc", "exercise": "train", "status": "pass", "message": "✓"}, "not the"),
        (["pass"], "not the grader's own"),
    ],
)
def test_a_verdict_counts_only_with_the_cell_s_token(tmp_path, record, expected):
    step = _check_step(tmp_path)
    step.result.write_text(json.dumps(record), encoding="utf-8")
    verdict = read_verdict(step)
    if isinstance(expected, tuple):
        assert verdict == expected and not step.result.exists()
    else:
        assert verdict[0] == ERROR and expected in verdict[1]


def test_a_check_that_wrote_nothing_is_an_error(tmp_path):
    assert read_verdict(_check_step(tmp_path), "NameError: name 'x'")[0] == ERROR
    assert "NameError" in read_verdict(_check_step(tmp_path), "NameError: name 'x'")[1]


def test_a_stopped_run_says_which_exercises_it_did_not_reach(tmp_path):
    rdm, corr = _check_step(tmp_path, "RDM"), _check_step(tmp_path, "correlate_rdms")
    steps = [Step(START, ""), Step(STUDENT, "", 0), rdm, Step(STUDENT, "", 1), corr]
    verdicts = {}
    _stopped(steps, 1, verdicts, TIMEOUT)  # the cell that sets RDM ran out of time
    assert verdicts["RDM"][0] == TIMEOUT and verdicts["correlate_rdms"][0] == NOT_REACHED
    verdicts = {"RDM": ("pass", "✓")}
    _stopped(steps, 4, verdicts, "kernel died")  # the kernel died as correlate_rdms was checked
    assert verdicts["RDM"] == ("pass", "✓") and verdicts["correlate_rdms"][0] == ERROR
    assert "kernel died" in verdicts["correlate_rdms"][1]
    verdicts = {}
    _stopped(steps, 1, verdicts, "kernel died")  # in the cell that sets RDM, before its check
    assert {name: value for name, (value, _) in verdicts.items()} == dict.fromkeys(
        ("RDM", "correlate_rdms"), NOT_REACHED
    )


def test_the_kernel_is_offline_and_on_synthetic_data_unless_told_otherwise():
    env = kernel_environment({"PATH": "/bin"})
    assert env["NMA_DL_DATA_SOURCE"] == "synthetic" and env["NMA_DL_CHECK_TIMEOUT"] == "30"
    assert env["https_proxy"] == env["HTTP_PROXY"] == "http://127.0.0.1:9"
    assert env["MPLBACKEND"] == "agg" and env["PIP_NO_INDEX"] == "1"
    env = kernel_environment({"NMA_DL_DATA_SOURCE": "osf", "NMA_DL_CHECK_TIMEOUT": "5"})
    assert env["NMA_DL_DATA_SOURCE"] == "osf" and env["NMA_DL_CHECK_TIMEOUT"] == "5"


def test_what_the_kernel_imports_of_the_grader_is_light():
    # The grader's first cell imports nma_dl.grade._inkernel into the student's kernel: neither
    # nbclient (the grader's, maybe not the kernel's) nor torch (the notebook's to import).
    code = "import sys, nma_dl.grade._inkernel; print({'nbclient', 'torch'} & set(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "set()"
