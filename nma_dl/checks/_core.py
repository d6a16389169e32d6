"""The machinery of the self-checks: run the cases, turn what happens into one printed line.

A check builds its cases, each a function that raises :class:`_Mismatch` at the first
difference from the reference, and hands them to :func:`_run`, which runs them in the sandbox
(:mod:`nma_dl.checks._sandbox`) and prints the verdict. The student's code is only ever called
through :func:`_call`, which turns whatever it raises into a mismatch or a "not implemented
yet". How answers are compared, and hinted at, is :mod:`nma_dl.checks._compare`.
"""

from __future__ import annotations

import inspect
import re
import sys
import sysconfig
from pathlib import Path

from nma_dl.checks._result import FAILED, NOT_IMPLEMENTED, PASSED, CheckResult
from nma_dl.checks._sandbox import (
    _SEED,
    TIMEOUT_VAR,
    _BoundedText,
    _sandbox,
    _seed_all,
    _TimedOut,
    _timeout,
    _use_cpu,
    _Watchdog,
)
from nma_dl.checks._summary import _record
from nma_dl.i18n import tr

_LIBRARIES = {"numpy", "torch", "pandas", "matplotlib"}
_MAX_MESSAGE = 160  # characters of an exception message quoted in the line
# The exercises' stubs raise NotImplementedError("Student exercise: ..."); a student's own bare
# `raise NotImplementedError` is a stub too, but torch's (an operator MPS lacks) is an error.
_STUB_PREFIX = "student exercise"


class _NotImplementedYet(Exception):
    """The student's code still raises ``NotImplementedError``."""


class _Mismatch(Exception):
    """The answer differs from the reference; the message says how (a clause, no full stop)."""


class _Placeholder(Exception):
    """A ``...`` placeholder of the stub is still in the answer; the message says where."""


# --------------------------------------------------------------------------- docstrings

_SHARED_SECTIONS = """    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``{arg}`` cannot be called at all{what}.
    ValueError
        If the environment variable ``NMA_DL_CHECK_TIMEOUT`` (the seconds a case may run, 120
        by default) is set to anything but a positive number up to 1e6.
"""


def _documented(check, what=None):
    """Add the Returns and Raises sections that every check shares to ``check``'s docstring.

    They go before its Examples, if any. The argument named is the check's first parameter:
    ``func`` for a function, ``cls`` for a class. ``what`` ends the sentence on the TypeError
    (by default, for a class, that it is not one).
    """
    arg = next(iter(inspect.signature(check).parameters))
    if what is None:
        what = " (not a class)" if arg == "cls" else ""
    shared = _SHARED_SECTIONS.format(arg=arg, what=what)
    head, examples, tail = check.__doc__.partition("    Examples\n")
    ending = f"\n{examples}{tail}" if examples else "    "
    check.__doc__ = f"{head.rstrip()}\n\n{shared}{ending}"
    return check


# --------------------------------------------------------------------------- wording


def _require_callable(value, argname, exercise, kind):
    # The one error a check raises: it was not given an answer at all (a typo, or a value).
    if not callable(value):
        raise TypeError(
            f"check_{exercise}({argname}): {argname} must be the {kind} you wrote, as in "
            f"check_{exercise}({exercise}); got {type(value).__name__} {_short_repr(value)}"
        )


def _short_repr(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value):
    """Name the type of ``value`` for a message: ``None``, ``a float``, ``a numpy.ndarray``."""
    if value is None:
        return "None"
    cls = type(value)
    module = cls.__module__.split(".")[0]
    # Library types by their full name (a numpy.ndarray is no torch.Tensor); the student's own
    # classes, defined in the notebook's __main__, by their name alone.
    name = f"{module}.{cls.__name__}" if module in _LIBRARIES else cls.__name__
    if isinstance(value, (tuple, list)):
        return tr("a {type} of {count}", type=name, count=len(value))
    return tr("a {type}", type=name)


def _describe(error):
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _is_stub(error):
    """Whether a NotImplementedError is the exercise's stub rather than a library's error."""
    message = str(error).strip()
    return not message or message.lower().startswith(_STUB_PREFIX)


def _origin(error):
    """Where ``error`` was raised: ``"forward, torch/nn/modules/linear.py line 125"``."""
    tb = error.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    return _place(tb.tb_frame.f_code, tb.tb_lineno)


def _place(code, line):
    """Name a line of code: ``"forward, line 3 of its notebook cell"``, ``"name, file line 3"``."""
    parts = re.split(r"[\\/]", code.co_filename)
    libraries = [i for i, part in enumerate(parts) if part in ("site-packages", "dist-packages")]
    if libraries:  # a library's file, by its path inside the environment
        place = tr("{file} line {line}", file="/".join(parts[libraries[-1] + 1 :]), line=line)
    elif re.search(r"[\\/]ipykernel_\d+[\\/]|^<ipython-input-", code.co_filename):
        place = tr("line {line} of its notebook cell", line=line)  # its file name tells nothing
    else:
        place = tr("{file} line {line}", file=parts[-1], line=line)
    return tr("{function}, {place}", function=code.co_name, place=place)


def _in(place):
    """Return `` (in <place>)`` to end a message with where it happened, or "" if unknown."""
    return tr(" (in {place})", place=place) if place else ""


def _two_numbers(got, expected, digits=4):
    """Format ``got`` and ``expected`` with the fewest digits (at least ``digits``) that differ.

    A message that says "0.9997, expected 0.9997" tells nothing: the digits grow until the two
    texts differ (17 significant digits tell any two different floats apart).
    """
    got, expected = float(got), float(expected)
    for places in range(digits, 18):
        got_text, expected_text = f"{got:.{places}g}", f"{expected:.{places}g}"
        if got_text != expected_text:
            return got_text, expected_text
    return repr(got), repr(expected)


def _ordinal(index):
    return {1: tr("1st"), 2: tr("2nd"), 3: tr("3rd")}.get(index) or tr("{index}th", index=index)


def _returned_value(name, index):
    """Name the ``index``-th value a function returned: ``"y_hat (1st returned value)"``."""
    return tr("{name} ({ordinal} returned value)", name=name, ordinal=_ordinal(index))


# --------------------------------------------------------------------------- placeholders
# A stub whose `raise NotImplementedError` line was deleted still holds its `...` placeholders:
# the Ellipsis then reaches an operation (a TypeError that names no placeholder) or is returned.

_PACKAGE = Path(__file__).resolve().parent.parent  # nma_dl: the checks' and references' code
_STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def _is_students(code):
    """Whether ``code`` is the student's: not a library's, the standard library's or nma_dl's."""
    filename = code.co_filename
    if filename.startswith("<frozen") or re.search(r"[\\/](site|dist)-packages[\\/]", filename):
        return False
    if filename.startswith("<"):  # "<ipython-input-3-…>", "<string>": code typed in
        return True
    try:
        path = Path(filename).resolve()
    except (OSError, ValueError):  # a name no file system has: not a file of ours
        return True
    return not (path.is_relative_to(_PACKAGE) or path.is_relative_to(_STDLIB))


def _ellipsis_name(frame):
    """Return the name of a local, or of an attribute of ``self``, of ``frame`` that is ``...``."""
    local = dict(frame.f_locals)
    for name, value in local.items():
        if value is Ellipsis:
            return name
    attributes = getattr(local.get("self"), "__dict__", {})
    for name, value in attributes.items():
        if value is Ellipsis:
            return f"self.{name}"
    return None


def _placeholder_in(error):
    """Return where a ``...`` left in the student's code made ``error``, or None if none did."""
    frames = []  # the student's frames of the traceback, innermost first
    tb = error.__traceback__
    while tb is not None:
        if _is_students(tb.tb_frame.f_code):
            frames.insert(0, (tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    for frame, line in frames:
        name = _ellipsis_name(frame)
        if name is not None:
            where = _in(_place(frame.f_code, line))
            return tr("`{name}` is still the placeholder `...`{where}", name=name, where=where)
    # Python and torch name the Ellipsis' type in their messages: "..., not ellipsis".
    if re.search(r"\bellipsis\b", str(error), flags=re.IGNORECASE):
        where = _in(_place(frames[0][0].f_code, frames[0][1])) if frames else ""
        return tr("an operation got the placeholder `...`{where}", where=where)
    return None


def _returned_placeholder(what, result):
    """Raise _Placeholder if ``result``, or one of the values it holds, is ``...``."""
    if result is Ellipsis:
        raise _Placeholder(tr("{what} returned the placeholder `...`", what=what))
    if isinstance(result, (tuple, list)):
        for index, value in enumerate(result[:10], 1):
            if value is Ellipsis:
                raise _Placeholder(
                    tr(
                        "{what} returned the placeholder `...` as its {ordinal} value",
                        what=what,
                        ordinal=_ordinal(index),
                    )
                )


# --------------------------------------------------------------------------- running


def _raised(what, error, where=""):
    return tr("{what} raised {error}{where}", what=what, error=_describe(error), where=where)


def _call(what, func, *args, **kwargs):
    """Run student code; its exceptions become a verdict, never a traceback."""
    # Keep what the student's code prints (to show if the check is stopped), not the reference's.
    output = sys.stdout if isinstance(sys.stdout, _BoundedText) else None
    if output is not None:
        output.listening += 1
    try:
        result = func(*args, **kwargs)
    except NotImplementedError as error:
        if _is_stub(error):
            raise _NotImplementedYet from None
        # The answer is written, but something it runs is not implemented (torch raises this
        # for an operator missing on a device, such as MPS): quote it, with where it came from.
        where = _in(_origin(error))
        raise _Mismatch(_raised(what, error, where)) from None
    except Exception as error:  # any failure of the answer is reported, not raised
        placeholder = _placeholder_in(error)
        if placeholder is not None:
            raise _Placeholder(placeholder) from None
        raise _Mismatch(_raised(what, error)) from None
    finally:
        if output is not None:
            output.listening -= 1
        _use_cpu()  # what follows in the case, the reference's part too, runs on the cpu
    _returned_placeholder(what, result)
    return result


def _run_cases(cases, precheck, watchdog):
    """Run ``precheck`` and each case, seeded, on the cpu and on the clock of ``watchdog``."""
    if precheck is not None:
        watchdog.start()
        precheck()
        watchdog.stop()
    for index, (description, case) in enumerate(cases, 1):
        where = {"index": index, "count": len(cases), "description": description}
        watchdog.where = tr("case {index} of {count} ({description})", **where)
        _use_cpu()  # again: the student's code may have set a default device
        _seed_all(_SEED + index)
        watchdog.start()
        try:
            case()
        except _Mismatch as mismatch:
            raise _Mismatch(f"{watchdog.where}: {mismatch}") from None
        finally:
            watchdog.stop()


def _verdict(name, error):
    """Return the status and line of a check that ``error`` ended (the answer's, or an odd one)."""
    if isinstance(error, _NotImplementedYet):
        return NOT_IMPLEMENTED, tr(
            "○ {name}: not implemented yet: fill in the exercise above (and delete its "
            "`raise NotImplementedError` line), then run this cell again.",
            name=name,
        )
    if isinstance(error, _Placeholder):
        return NOT_IMPLEMENTED, tr(
            "○ {name}: not finished yet: {problem}: replace each `...` of the exercise with "
            "your code, then run this cell again.",
            name=name,
            problem=error,
        )
    if isinstance(error, _Mismatch):
        text = str(error)
        if text.endswith(("?", ".", "？", "。")):  # a question, or a sentence already ended
            return FAILED, f"✗ {name}: {text}"
        return FAILED, tr("✗ {name}: {problem}.", name=name, problem=text)
    # An answer too odd to compare: still a verdict, not a traceback.
    return FAILED, tr(
        "✗ {name}: could not compare your answer with the reference ({error}).",
        name=name,
        error=_describe(error),
    )


def _stopped(name, where, timeout):
    """Return the line of a check whose case ``where`` ran past its deadline."""
    return tr(
        "✗ {name}: {where}: your code was still running after {timeout} s, so the check "
        "stopped it: does a loop never end? (To allow longer, set the environment variable "
        "{variable}, e.g. os.environ[{quoted}] = '{longer}'.)",
        name=name,
        where=where,
        timeout=f"{timeout:g}",
        variable=TIMEOUT_VAR,
        quoted=repr(TIMEOUT_VAR),
        longer=f"{4 * timeout:g}",
    )


def _run(name, cases, precheck=None):
    """Run ``(description, function)`` cases in the sandbox and print the verdict line.

    Each case is freshly seeded, runs on the cpu as default device, and is stopped after
    ``NMA_DL_CHECK_TIMEOUT`` seconds (120 by default) where that is possible. ``precheck``, if
    given, runs first (in the sandbox too), e.g. to make sure a class is a class. Returns the
    verdict as a :class:`CheckResult`. When a case is stopped, or interrupted (which still
    raises KeyboardInterrupt), the beginning of what the student's code printed is shown.
    """
    timeout = _timeout()
    stream = sys.stdout
    output = _BoundedText()
    watchdog = _Watchdog(name, timeout, stream, where=tr("before its cases"))
    shown = ""
    try:
        try:
            with _sandbox(output):
                _run_cases(cases, precheck, watchdog)
        finally:
            watchdog.close()
    except _TimedOut:
        watchdog.close()  # in case the alarm came as the case ended, before close
        status, line = FAILED, _stopped(name, watchdog.where, timeout)
        shown = output.report()
    except KeyboardInterrupt:
        text = tr("■ {name}: interrupted during {where}.", name=name, where=watchdog.where)
        print(text, file=stream)
        if output.report():
            print(output.report(), file=stream)
        raise
    except Exception as error:
        status, line = _verdict(name, error)
    else:
        status, count = PASSED, len(cases)
        line = tr("✓ {name}: {count}/{count} cases match the reference.", name=name, count=count)
    line = " ".join(line.split())  # exactly one line, whatever the messages held
    print(line)
    if shown:
        print(shown)
    result = CheckResult(name, status, line)
    _record(result)  # the kernel's latest verdict of this exercise, for summary()
    return result
