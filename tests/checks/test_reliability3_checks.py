"""The self-checks are a bounded sandbox (issue "Reliability round 3").

* What the student's code prints is kept up to a few kB, the rest counted: a loop that prints
  without end cannot fill the kernel's memory.
* Each case has a deadline (``NMA_DL_CHECK_TIMEOUT`` seconds): an endless loop is stopped, with
  what it printed shown; a notice says early on how to interrupt; KeyboardInterrupt still stops
  the check, showing the prints; outside the main thread or without ``signal.setitimer``
  (Windows) the check degrades to the notice.
* A default device set with ``torch.set_default_device`` (or a ``with torch.device(...)`` block)
  is left as it was, and the references run on the cpu whatever it is.
* A ``NotImplementedError`` that is not the exercise's stub (torch raises it for an operator MPS
  lacks) is quoted with where it came from, not called "not implemented yet".

Whatever could hang or exhaust memory on the code before these fixes runs in a subprocess.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
import uuid

import numpy as np
import pytest
import torch
from torch import nn

import nma_dl
from nma_dl import checks
from nma_dl.checks import check_DeepNetReLU, check_train

TIMEOUT_VAR = "NMA_DL_CHECK_TIMEOUT"


def _python(code, timeout=120, **env):
    """Run ``code`` in a fresh interpreter; return its stdout (asserting a clean exit)."""
    import os

    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, **env},
        )
    except subprocess.TimeoutExpired as error:
        pytest.fail(f"the check did not return within {timeout} s: {error}")
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _first_call_sleeps(seconds):
    """A right ``train`` that takes ``seconds`` on its first call only."""
    calls = []

    def train(*args, **kwargs):
        if not calls:
            time.sleep(seconds)
        calls.append(1)
        return nma_dl.train(*args, **kwargs)

    return train


@pytest.fixture(autouse=True)
def _warm(capsys):
    """Run one check first: its first run imports what it needs, which takes seconds."""
    check_train(nma_dl.train)
    capsys.readouterr()


# --------------------------------------------------------------------------- 1. bounded output


def test_printing_200_mb_keeps_the_memory_bounded():
    out = _python(
        """
        import json, resource
        import nma_dl
        from nma_dl.checks import check_train

        check_train(nma_dl.train)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        def train(*args, **kwargs):
            line = "x" * 9_999
            for _ in range(20_000):  # 200 MB in all
                print(line)
            return nma_dl.train(*args, **kwargs)

        result = check_train(train)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"grew_kb": after - before, "status": result.status}))
        """
    )
    *lines, last = out.strip().splitlines()
    report = json.loads(last)
    assert report["status"] == checks.PASSED, out
    assert report["grew_kb"] < 50_000, f"peak memory grew by {report['grew_kb']} kB"
    assert lines[-1].startswith("✓ train: ") and "xxxx" not in out  # prints stay hidden


# --------------------------------------------------------------------------- 2. the deadline


def test_an_endless_loop_is_stopped_showing_the_beginning_of_its_prints():
    out = _python(
        f"""
        import os, signal, time
        import nma_dl
        from nma_dl.checks import check_train

        check_train(nma_dl.train)
        os.environ[{TIMEOUT_VAR!r}] = "1"
        before = signal.getsignal(signal.SIGALRM)

        def train(*args, **kwargs):
            i, end = 0, time.monotonic() + 30  # endless, as far as a 1 s deadline can tell
            while time.monotonic() < end:
                try:
                    print("step", i, "x" * 50)
                    time.sleep(0.001)
                except Exception:  # a student's catch-all does not keep it running
                    pass
                i += 1

        result = check_train(train)
        print("STATUS", result.status)
        print("RESTORED", signal.getsignal(signal.SIGALRM) is before,
              signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0))
        del os.environ[{TIMEOUT_VAR!r}]
        print("AFTER", check_train(nma_dl.train).status)
        """,
        timeout=90,
    )
    assert "✗ train: case 1 of 3" in out, out[:3000]
    assert "still running after 1 s, so the check stopped it" in out
    assert f"{TIMEOUT_VAR}" in out
    assert "What your code printed:\nstep 0 xxx" in out
    assert "more characters not shown." in out
    assert "iteration 1/5" not in out  # the reference's own prints are not the student's
    assert "STATUS failed" in out and "RESTORED True True" in out and "AFTER passed" in out


def test_the_deadline_waits_for_an_import_to_finish(tmp_path, monkeypatch, capsys):
    # Stopping an import half-way leaves a broken module behind (torch imports parts of itself
    # lazily); the deadline lets it finish, then stops the case.
    name = f"slow_module_{uuid.uuid4().hex}"
    (tmp_path / f"{name}.py").write_text("import time\ntime.sleep(1.5)\nDONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv(TIMEOUT_VAR, "0.5")

    def train(*args, **kwargs):
        __import__(name)
        time.sleep(3)

    result = check_train(train)
    assert result.status == checks.FAILED
    assert "still running after 0.5 s" in result.message, result.message
    assert sys.modules[name].DONE is True


def test_a_notice_says_early_how_to_stop_a_long_case(monkeypatch, capsys):
    monkeypatch.setenv(TIMEOUT_VAR, "4")  # the notice comes after a quarter of it
    result = check_train(_first_call_sleeps(1.6))
    out = capsys.readouterr().out
    assert result, out
    notice, verdict = out.strip().splitlines()
    assert notice.startswith("… train: your code is still running (case 1 of 3")
    assert "the check stops it after 4 s" in notice and "Kernel → Interrupt" in notice
    assert verdict == result.message


def test_outside_the_main_thread_the_check_degrades_to_a_notice(monkeypatch, capsys):
    monkeypatch.setenv(TIMEOUT_VAR, "2")
    handler = signal.getsignal(signal.SIGALRM)
    results = []
    thread = threading.Thread(target=lambda: results.append(check_train(_first_call_sleeps(1))))
    thread.start()
    thread.join(30)
    out = capsys.readouterr().out
    assert results and results[0], out
    assert "still running" in out and "the check cannot stop it here" in out
    assert "Kernel → Interrupt" in out
    assert signal.getsignal(signal.SIGALRM) is handler


def test_without_setitimer_as_on_windows_the_check_degrades_to_a_notice(monkeypatch, capsys):
    monkeypatch.setenv(TIMEOUT_VAR, "2")
    monkeypatch.delattr(signal, "setitimer")
    result = check_train(_first_call_sleeps(1))
    out = capsys.readouterr().out
    assert result, out
    assert "still running" in out and "the check cannot stop it here" in out


def test_keyboard_interrupt_still_stops_the_check_showing_the_prints(capsys):
    torch.manual_seed(5)
    np.random.seed(5)
    random.seed(5)
    state = (torch.random.get_rng_state(), np.random.get_state()[1].copy(), random.getstate())

    def train(*args, **kwargs):
        print("epoch 1, loss 0.25")
        raise KeyboardInterrupt  # what Kernel -> Interrupt raises in the student's loop

    with pytest.raises(KeyboardInterrupt):
        check_train(train)
    out = capsys.readouterr().out
    assert "■ train: interrupted during case 1 of 3" in out
    assert "What your code printed:\nepoch 1, loss 0.25" in out
    assert torch.equal(torch.random.get_rng_state(), state[0])
    assert np.array_equal(np.random.get_state()[1], state[1]) and random.getstate() == state[2]


def test_a_real_interrupt_shows_the_prints_and_raises():
    out = _python(
        """
        import _thread, threading, time
        import nma_dl
        from nma_dl.checks import check_train

        check_train(nma_dl.train)

        def train(*args, **kwargs):
            print("about to wait")
            end = time.monotonic() + 30
            while time.monotonic() < end:  # short sleeps: interrupt_main wakes no sleep
                time.sleep(0.01)

        threading.Timer(0.5, _thread.interrupt_main).start()  # the stop button
        try:
            check_train(train)
        except KeyboardInterrupt:
            print("RAISED KeyboardInterrupt")
        """,
        timeout=90,
    )
    assert "■ train: interrupted during case 1 of 3" in out, out
    assert "What your code printed:\nabout to wait" in out
    assert out.strip().endswith("RAISED KeyboardInterrupt")


@pytest.mark.parametrize("value", ["0", "-5", "abc", "nan", "inf", "1e9"])
def test_the_timeout_variable_must_be_a_positive_number(monkeypatch, value):
    monkeypatch.setenv(TIMEOUT_VAR, value)
    with pytest.raises(ValueError, match=f"{TIMEOUT_VAR} must be a positive number of seconds"):
        check_train(nma_dl.train)


def test_the_default_deadline_is_far_above_the_slowest_check():
    from test_checks import CHECKS

    from nma_dl.checks import _sandbox

    slowest = 0.0
    for name, check in CHECKS.items():
        times = []
        for _ in range(2):  # the best of two, as the machine may be busy
            start = time.perf_counter()
            check(getattr(nma_dl, name))
            times.append(time.perf_counter() - start)
        slowest = max(slowest, min(times))
    # A whole check, all its cases, takes about 0.1 s; the deadline is per case.
    assert _sandbox._DEFAULT_TIMEOUT >= max(60.0, 100 * slowest), slowest
    assert "120" in check_train.__doc__ and TIMEOUT_VAR in check_train.__doc__


# --------------------------------------------------------------------------- 3. default device


def test_a_default_device_set_in_the_notebook_is_kept_and_not_used(capsys):
    try:
        torch.set_default_device("meta")
        result = check_train(nma_dl.train)
        assert torch.empty(0).device.type == "meta"
    finally:
        torch.set_default_device(None)
    assert result, result.message
    assert torch.empty(0).device.type == "cpu"


def test_a_default_device_set_by_the_answer_is_undone(capsys):
    def train(*args, **kwargs):
        losses = nma_dl.train(*args, **kwargs)
        torch.set_default_device("meta")  # a stray line of the student's
        return losses

    try:
        result = check_train(train)
        device = torch.empty(0).device.type
    finally:
        torch.set_default_device(None)
    assert result, result.message
    assert device == "cpu"


def test_a_device_block_around_the_check_is_kept_and_not_used(capsys):
    with torch.device("meta"):
        result = check_DeepNetReLU(nma_dl.DeepNetReLU)
        assert torch.empty(0).device.type == "meta"
    assert result, result.message
    assert torch.empty(0).device.type == "cpu"


def test_numpy_error_settings_of_the_answer_are_undone(capsys):
    before = np.geterr()

    def train(*args, **kwargs):
        np.seterr(all="raise")
        return nma_dl.train(*args, **kwargs)

    try:
        assert check_train(train)
        after = np.geterr()
    finally:
        np.seterr(**before)
    assert after == before


# ------------------------------------------------------------------------- 4. NotImplementedError


class _NoForward(nn.Module):
    """A network whose forward was never written: torch's own NotImplementedError."""

    def __init__(self, n_inputs, n_hidden):
        super().__init__()
        self.in_layer = nn.Linear(n_inputs, n_hidden)
        self.out_layer = nn.Linear(n_hidden, 1)


def test_a_library_not_implemented_error_is_quoted_not_called_a_stub(capsys):
    def mps(*args, **kwargs):
        raise NotImplementedError(
            "The operator 'aten::_foo' is not currently implemented for the MPS device."
        )

    def meta(*args, **kwargs):
        return torch.zeros(1, device="meta").tolist()  # raised by torch's C++ code

    result = check_train(mps)
    assert result.status == checks.FAILED
    assert "train raised NotImplementedError: The operator 'aten::_foo'" in result.message
    assert "MPS device" in result.message and "(in mps, test_reliability3_checks.py" in (
        result.message
    )
    result = check_train(meta)
    assert result.status == checks.FAILED and "Cannot copy out of meta tensor" in result.message
    result = check_DeepNetReLU(_NoForward)
    assert result.status == checks.FAILED
    assert 'missing the required "forward" function' in result.message
    assert "torch/nn/modules/module.py line" in result.message

    # The stubs are still stubs: the book's wording, and a student's bare raise.
    def stub(*args, **kwargs):
        raise NotImplementedError("Student exercise: write the gradient descent iteration")

    def bare(*args, **kwargs):
        raise NotImplementedError

    for answer in (stub, bare):
        assert check_train(answer).status == checks.NOT_IMPLEMENTED
