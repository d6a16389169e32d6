"""Self-checks for the coding exercises: run a student's answer and compare it with the package's.

Each exercise of the tutorials is followed by a one-line cell such as ``check_train(train)``. The
check runs the student's function (or builds the student's class) on a few small seeded cases,
does the same with the package's reference version, its *twin* (here :func:`nma_dl.train`), and
prints one line:

* ``✓ train: 3/3 cases match the reference.``
* ``○ train: not implemented yet: …`` while the exercise still raises ``NotImplementedError``;
* ``✗ train: case 2 of 3 (…): …`` naming the first difference found (type, shape, dtype, size of
  the error) with, for common slips, a hint that points at the problem without giving the answer.

A check never raises because an answer is wrong, whatever the answer does (raise, return
``None``, print, plot, draw random numbers): the exception's type and message become the printed
line. It raises :class:`TypeError` only when given something that cannot be called at all, such
as ``check_train(3)``. It leaves the notebook as it found it: the random states of torch, NumPy
and :mod:`random` are restored (and every case is seeded, so the verdict never depends on them),
whatever the student's code prints is swallowed, and figures it opens are closed.

Every check returns a :class:`CheckResult`, true when the answer passed. A notebook shows nothing
for it, since the line is already printed.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import numbers
import random
import sys
import warnings
from dataclasses import dataclass
from functools import partial

__all__ = [
    "CheckResult",
    "check_DeepNetReLU",
    "check_Net",
    "check_approximate_function",
    "check_cross_entropy_loss",
    "check_shuffle_and_split_data",
    "check_train",
]

PASSED = "passed"
NOT_IMPLEMENTED = "not implemented"
FAILED = "failed"

_STUB_TEXT = (
    "not implemented yet: fill in the exercise above (and delete its "
    "`raise NotImplementedError` line), then run this cell again."
)
_SEED = 2024  # case k is seeded with _SEED + k: the same cases whatever the notebook did before
_LIBRARIES = {"numpy", "torch", "pandas", "matplotlib"}
_MAX_MESSAGE = 160  # characters of an exception message quoted in the line


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one self-check, with the line it printed.

    Attributes
    ----------
    name : str
        The exercise checked, e.g. ``"train"``.
    status : {"passed", "not implemented", "failed"}
        The verdict.
    message : str
        The line the check printed.
    """

    name: str
    status: str
    message: str

    def __bool__(self):
        """Whether the answer passed."""
        return self.status == PASSED

    def _ipython_display_(self):
        """Display nothing: the check has printed its line already."""


class _NotImplementedYet(Exception):
    """The student's code still raises ``NotImplementedError``."""


class _Mismatch(Exception):
    """The answer differs from the reference; the message says how (a clause, no full stop)."""


# --------------------------------------------------------------------------- machinery


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
        return f"a {name} of {len(value)}"
    return f"a {name}"


def _describe(error):
    lines = str(error).strip().splitlines()
    message = lines[0] if lines else ""
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 3] + "..."
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _call(what, func, *args, **kwargs):
    """Run student code; its exceptions become a verdict, never a traceback."""
    try:
        return func(*args, **kwargs)
    except NotImplementedError:
        raise _NotImplementedYet from None
    except Exception as error:  # any failure of the answer is reported, not raised
        raise _Mismatch(f"{what} raised {_describe(error)}") from None


def _seed_all(seed):
    import numpy as np
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - the student's code may use the global generators
    random.seed(seed)


@contextlib.contextmanager
def _sandbox():
    """Restore random states, grad mode and default dtype; swallow output; close new figures."""
    import numpy as np
    import torch

    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002 - saved to be restored, not used
    grad_enabled = torch.is_grad_enabled()
    default_dtype = torch.get_default_dtype()
    pyplot = sys.modules.get("matplotlib.pyplot")  # never imported here, only tidied if in use
    figures = set(pyplot.get_fignums()) if pyplot else set()
    # CUDA generators only if the notebook has started CUDA: forking them would start it.
    cuda = list(range(torch.cuda.device_count())) if torch.cuda.is_initialized() else []
    try:
        with (
            torch.random.fork_rng(devices=cuda),
            torch.enable_grad(),
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        torch.set_grad_enabled(grad_enabled)
        torch.set_default_dtype(default_dtype)
        pyplot = sys.modules.get("matplotlib.pyplot")
        if pyplot:
            for number in set(pyplot.get_fignums()) - figures:
                pyplot.close(number)


def _run(name, body):
    """Run ``body`` in the sandbox, print the verdict line and return it as a CheckResult."""
    try:
        with _sandbox():
            n_cases = body()
    except _NotImplementedYet:
        status, line = NOT_IMPLEMENTED, f"○ {name}: {_STUB_TEXT}"
    except _Mismatch as mismatch:
        text = str(mismatch)
        status, line = FAILED, f"✗ {name}: {text}{'' if text.endswith(('?', '.')) else '.'}"
    except Exception as error:  # an answer too odd to compare: still a verdict, not a traceback
        status = FAILED
        line = f"✗ {name}: could not compare your answer with the reference ({_describe(error)})."
    else:
        status, line = PASSED, f"✓ {name}: {n_cases}/{n_cases} cases match the reference."
    line = " ".join(line.split())  # exactly one line, whatever the messages held
    print(line)
    return CheckResult(name, status, line)


def _run_cases(cases):
    """Run ``(description, function)`` cases, each freshly seeded; return how many passed."""
    for index, (description, case) in enumerate(cases, 1):
        _seed_all(_SEED + index)
        try:
            case()
        except _Mismatch as mismatch:
            raise _Mismatch(f"case {index} of {len(cases)} ({description}): {mismatch}") from None
    return len(cases)


def _close(got, expected, rtol, atol):
    import torch

    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().cpu().to(expected.dtype), expected, rtol=rtol, atol=atol)
    )


def _same_layout(got, expected):
    """Whether ``got`` is a tensor of the shape and dtype of ``expected`` (values aside)."""
    import torch

    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and got.dtype == expected.dtype
    )


def _max_difference(got, expected):
    return (got.detach().cpu().double() - expected.double()).abs().max().item()


def _compare_tensor(got, expected, what, *, exact=False, rtol=1e-4, atol=1e-5):
    """Raise _Mismatch naming the first of type, shape, dtype and values that differs."""
    import torch

    if not isinstance(got, torch.Tensor):
        raise _Mismatch(f"{what} is {_kind(got)}, expected a torch.Tensor")
    if got.shape != expected.shape:
        shape = tuple(expected.shape)
        wanted = f"{shape} (a single number)" if not shape else f"{shape}"
        raise _Mismatch(f"{what} has shape {tuple(got.shape)}, expected {wanted}")
    if got.dtype != expected.dtype:
        raise _Mismatch(f"{what} has dtype {got.dtype}, expected {expected.dtype}")
    got = got.detach().cpu()
    if exact:
        if not torch.equal(got, expected):
            raise _Mismatch(f"{what} differs from the reference's")
        return
    if not torch.isfinite(got).all() and torch.isfinite(expected).all():
        raise _Mismatch(f"{what} holds NaN or infinite values where the reference's is finite")
    if not torch.allclose(got, expected, rtol=rtol, atol=atol):
        raise _Mismatch(
            f"{what} is off by {_max_difference(got, expected):.3g} (max abs difference)"
        )


def _ordinal(index):
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(index, f"{index}th")


def _unpack(got, names, call):
    """Check that ``got`` is a tuple of ``len(names)`` values and return it as a tuple."""
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        raise _Mismatch(f"{call} returned {_kind(got)}, expected the tuple ({', '.join(names)})")
    return tuple(got)


def _not_an_instance(value, exercise):
    import torch

    if isinstance(value, torch.nn.Module):
        raise _Mismatch(
            f"got a network object (an instance of {type(value).__name__}), not the class: "
            f"pass the class itself, check_{exercise}({exercise})"
        )


def _build(what, cls, *args, **kwargs):
    import torch

    net = _call(what, cls, *args, **kwargs)
    if not isinstance(net, torch.nn.Module):
        raise _Mismatch(f"the class made {_kind(net)}, expected a torch.nn.Module")
    return net


def _load_parameters(net, reference, what, hint=None):
    """Check the parameters' names and shapes, redraw them, copy them into ``reference``.

    ``hint(missing_names)`` may add a clause to the message when parameters are missing.
    """
    import torch

    got = {name: tuple(p.shape) for name, p in net.named_parameters()}
    wanted = {name: tuple(p.shape) for name, p in reference.named_parameters()}
    missing = [name for name in wanted if name not in got]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        extra = hint(missing) if hint else ""
        raise _Mismatch(f"{what} has no parameter {missing[0]}{more}{extra}")
    unexpected = [name for name in got if name not in wanted]
    if unexpected:
        raise _Mismatch(f"{what} has an unexpected parameter {unexpected[0]}")
    for name, shape in wanted.items():
        if got[name] != shape:
            raise _Mismatch(f"{what}'s {name} has shape {got[name]}, expected {shape}")
    values = dict(net.named_parameters())
    with torch.no_grad():
        # Redrawn wider than the default initialisation, so that outputs (not only hidden
        # pre-activations) take both signs and a misplaced activation shows.
        for name in sorted(values):
            values[name].normal_()
        for name, p in reference.named_parameters():
            if values[name].dtype != p.dtype:
                raise _Mismatch(
                    f"{what}'s {name} has dtype {values[name].dtype}, expected {p.dtype}"
                )
            p.copy_(values[name].detach().cpu())


# --------------------------------------------------------------------------- decoding tutorial

# (n_inputs, n_hidden, shape of the input): a batch, a batch of one, and one stimulus alone
_DEEPNET_CASES = [(5, 4, (6, 5)), (3, 8, (1, 3)), (7, 2, (7,))]


def _deepnet_case(cls, n_inputs, n_hidden, shape):
    import torch

    from nma_dl import DeepNetReLU

    what = f"DeepNetReLU({n_inputs}, {n_hidden})"
    net = _build(what, cls, n_inputs, n_hidden)
    reference = DeepNetReLU(n_inputs, n_hidden)
    _load_parameters(net, reference, "the network")
    # Scaled up so that many hidden pre-activations, and some outputs, are negative.
    r = 2 * torch.randn(shape)
    with torch.no_grad():
        expected = reference(r)
        got = _call("its forward", net, r.clone())
        try:
            _compare_tensor(got, expected, "the output")
        except _Mismatch as mismatch:
            linear = reference.out_layer(reference.in_layer(r))
            if _close(got, linear, 1e-4, 1e-5):
                hint = (
                    "; it equals the output of the same network without an activation "
                    "function: where does the non-linearity go?"
                )
            elif _close(got, torch.relu(expected), 1e-4, 1e-5):
                hint = (
                    "; it is never negative, unlike the reference's: which layer does the "
                    "ReLU belong to?"
                )
            else:
                hint = ""
            raise _Mismatch(f"{mismatch}{hint}") from None


def check_DeepNetReLU(cls):
    """Check the class of Coding Exercise 2.2 of the decoding tutorial.

    Builds ``cls(n_inputs, n_hidden)`` for three sizes, checks its parameters (``in_layer`` and
    ``out_layer``, their shapes), gives it random weights, copies them into
    :class:`nma_dl.DeepNetReLU` and compares the two outputs on random responses (a batch, a
    batch of one, a single stimulus).

    Parameters
    ----------
    cls : type
        The student's ``DeepNetReLU`` class.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``cls`` cannot be called at all (not a class).

    Examples
    --------
    >>> check_DeepNetReLU(DeepNetReLU)  # doctest: +SKIP
    ✓ DeepNetReLU: 3/3 cases match the reference.
    """
    _require_callable(cls, "cls", "DeepNetReLU", "class")

    def body():
        _not_an_instance(cls, "DeepNetReLU")
        cases = [
            (
                f"DeepNetReLU({n_in}, {n_hidden}), an input of shape {shape}",
                partial(_deepnet_case, cls, n_in, n_hidden, shape),
            )
            for n_in, n_hidden, shape in _DEEPNET_CASES
        ]
        return _run_cases(cases)

    return _run("DeepNetReLU", body)


# (n_samples, n_inputs, n_hidden, n_epochs, learning_rate); n_epochs a multiple of 5, as the
# exercise's progress print divides by n_epochs // 5
_TRAIN_CASES = [(8, 5, 4, 5, 1e-2), (12, 3, 6, 10, 1e-3), (6, 4, 3, 15, 5e-2)]


def _same_losses(got, expected):
    return [
        math.isclose(g, e, rel_tol=1e-4, abs_tol=1e-6) for g, e in zip(got, expected, strict=True)
    ]


def _losses_hint(got, expected):
    """Name the first iteration whose loss differs, and what the pattern suggests."""
    n = len(expected)
    first = _same_losses(got, expected).index(False)
    worst = max(abs(g - e) for g, e in zip(got, expected, strict=True))
    where = f"the loss of iteration {first + 1} is off by {abs(got[first] - expected[first]):.3g}"
    shifted = all(_same_losses(got[:-1], expected[1:]))
    if n > 1 and shifted:
        return f"{where}: each loss is the one after that iteration's update"
    if first == 0:
        return f"{where}: the very first loss differs, so look at the output and the loss"
    if n > 1 and max(got) - min(got) <= 1e-6 * max(1.0, abs(got[0])):
        return f"{where}: the loss never changes, so are the parameters updated?"
    agree = "the first iteration agrees" if first == 1 else f"the first {first} iterations agree"
    return (
        f"{where} (max abs difference {worst:.3g}): {agree}, so look at what carries over from "
        "one iteration to the next"
    )


def _train_case(func, n_samples, n_inputs, n_hidden, n_epochs, learning_rate):
    import torch

    from nma_dl import DeepNetReLU
    from nma_dl import train as reference

    data = torch.randn(n_samples, n_inputs)
    labels = torch.randn(n_samples, 1)
    net = DeepNetReLU(n_inputs, n_hidden)
    reference_net = copy.deepcopy(net)  # the same initial state for both
    expected = reference(
        reference_net,
        torch.nn.MSELoss(),
        data,
        labels,
        n_epochs=n_epochs,
        learning_rate=learning_rate,
    )
    call = "train"
    got = _call(
        call,
        func,
        net,
        torch.nn.MSELoss(),
        data.clone(),
        labels.clone(),
        n_epochs=n_epochs,
        learning_rate=learning_rate,
    )
    if not isinstance(got, (list, tuple)):
        raise _Mismatch(
            f"{call} returned {_kind(got)}, expected a list with the loss of each iteration"
        )
    if len(got) != n_epochs:
        raise _Mismatch(f"{call} returned {len(got)} losses for {n_epochs} iterations")
    for value in got:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise _Mismatch(
                f"the list of losses holds {_kind(value)}, expected plain numbers (Python floats)"
            )
    got = [float(value) for value in got]
    if not all(_same_losses(got, expected)):
        raise _Mismatch(_losses_hint(got, expected))
    reference_values = dict(reference_net.named_parameters())
    for name, p in net.named_parameters():
        wanted = reference_values[name].detach()
        if not torch.allclose(p.detach(), wanted, rtol=1e-4, atol=1e-6):
            raise _Mismatch(
                f"the losses match, but after training the network's {name} is off by "
                f"{_max_difference(p, wanted):.3g}: is the network given to train updated once "
                "per iteration, and only then?"
            )


def check_train(func):
    """Check the function of Coding Exercise 3.2 of the decoding tutorial.

    Trains two copies of the same :class:`nma_dl.DeepNetReLU` on small random data with
    ``nn.MSELoss``, one with ``func`` and one with :func:`nma_dl.train`, and compares the losses
    returned (their number, type and values) and the parameters after training.

    Parameters
    ----------
    func : callable
        The student's ``train(net, loss_fn, train_data, train_labels, n_epochs, learning_rate)``.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``func`` cannot be called at all.

    Examples
    --------
    >>> check_train(train)  # doctest: +SKIP
    ✓ train: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "train", "function")

    def body():
        cases = [
            (
                f"{n_epochs} epochs, learning_rate={lr:g}, {n} samples",
                partial(_train_case, func, n, n_in, n_hidden, n_epochs, lr),
            )
            for n, n_in, n_hidden, n_epochs, lr in _TRAIN_CASES
        ]
        return _run_cases(cases)

    return _run("train", body)


# --------------------------------------------------------------------------- MLP tutorial


def _approximation_data(case):
    import torch

    if case == "sine":  # the tutorial's own: ten samples of a sine on [0, 2 pi]
        x = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
        return x, torch.sin(x)
    if case == "random":  # uneven spacing, and a curve that does not start at 0
        x = (torch.cumsum(0.3 + torch.rand(6), 0) - 1).view(-1, 1)
        return x, torch.randn(6, 1)
    return torch.tensor([[-1.0], [2.0]]), torch.tensor([[0.5], [3.0]])  # one ReLU


def _approximation_case(func, case):
    from nma_dl import approximate_function as reference

    x_train, y_train = _approximation_data(case)
    names = ("y_hat", "relu_acts", "x")
    expected = reference(x_train, y_train)
    got = _unpack(
        _call("approximate_function", func, x_train.clone(), y_train.clone()),
        names,
        "approximate_function",
    )
    # Checked from cause to effect: the axis, then the ReLUs on it, then their weighted sum.
    for index in (2, 1, 0):
        what = f"{names[index]} ({_ordinal(index + 1)} returned value)"
        try:
            _compare_tensor(got[index], expected[index], what, rtol=1e-4, atol=1e-4)
        except _Mismatch as mismatch:
            hint = ""
            if index == 0 and _same_layout(got[0], expected[0]):
                hint = "; x and relu_acts match, so look at the combination weights and the sum"
            raise _Mismatch(f"{mismatch}{hint}") from None


def check_approximate_function(func):
    """Check the function of Coding Exercise 1 of the MLP tutorial.

    Calls ``func(x_train, y_train)`` on training points of shape ``(n, 1)`` (the tutorial's
    ten samples of a sine, six uneven random points, two points) and compares the three
    returned tensors ``(y_hat, relu_acts, x)`` with those of :func:`nma_dl.approximate_function`.

    Parameters
    ----------
    func : callable
        The student's ``approximate_function(x_train, y_train)``.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``func`` cannot be called at all.

    Examples
    --------
    >>> check_approximate_function(approximate_function)  # doctest: +SKIP
    ✓ approximate_function: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "approximate_function", "function")
    descriptions = {
        "sine": "10 samples of a sine",
        "random": "6 unevenly spaced random points",
        "two": "2 points",
    }

    def body():
        cases = [
            (text, partial(_approximation_case, func, case)) for case, text in descriptions.items()
        ]
        return _run_cases(cases)

    return _run("approximate_function", body)


# (actv, input_feature_num, hidden_unit_nums, output_feature_num, shape of the input); PReLU
# has a parameter per activation module, so a module shared by several layers shows.
_NET_CASES = [
    ("ReLU()", 3, [4, 5], 2, (6, 3)),
    ("LeakyReLU(0.1)", 4, [6], 3, (3, 2, 2)),
    ("PReLU()", 2, [5, 3, 4], 1, (5, 2)),
    ("Tanh()", 3, [], 2, (4, 3)),
]


def _shared_activation_hint(missing):
    if all(".Activation_" in name for name in missing):
        return ": does every hidden layer get an activation module of its own?"
    return ""


def _net_case(cls, actv, n_in, hidden, n_out, shape):
    import torch

    from nma_dl import Net, parse_activation

    what = f"Net({actv!r}, {n_in}, {hidden}, {n_out})"
    net = _build(
        what,
        cls,
        actv=actv,
        input_feature_num=n_in,
        hidden_unit_nums=list(hidden),
        output_feature_num=n_out,
    )
    reference = Net(actv, n_in, list(hidden), n_out)
    _load_parameters(net, reference, "the network", _shared_activation_hint)
    x = 2 * torch.randn(shape)
    with torch.no_grad():
        expected = reference(x)
        got = _call("its forward", net, x.clone())
        try:
            _compare_tensor(got, expected, "the output")
        except _Mismatch as mismatch:
            hint = ""
            if _close(got, parse_activation(actv)(expected), 1e-4, 1e-5):
                hint = "; it went through the activation after the last layer too"
            raise _Mismatch(f"{mismatch}{hint}") from None


def check_Net(cls):
    """Check the class of Coding Exercise 2 of the MLP tutorial.

    Builds ``cls(actv=…, input_feature_num=…, hidden_unit_nums=…, output_feature_num=…)`` for
    four configurations (ReLU, LeakyReLU, PReLU with three hidden layers, Tanh with none),
    checks its parameters' names and shapes against :class:`nma_dl.Net`, gives it random
    weights, copies them into the reference and compares the outputs, one input being
    image-shaped.

    Parameters
    ----------
    cls : type
        The student's ``Net`` class.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``cls`` cannot be called at all (not a class).

    Examples
    --------
    >>> check_Net(Net)  # doctest: +SKIP
    ✓ Net: 4/4 cases match the reference.
    """
    _require_callable(cls, "cls", "Net", "class")

    def body():
        _not_an_instance(cls, "Net")
        cases = [
            (
                f"Net({actv!r}, {n_in}, {hidden}, {n_out}), an input of shape {shape}",
                partial(_net_case, cls, actv, n_in, hidden, n_out, shape),
            )
            for actv, n_in, hidden, n_out, shape in _NET_CASES
        ]
        return _run_cases(cases)

    return _run("Net", body)


def _cross_entropy_data(case):
    import torch

    if case == "tutorial":
        x = torch.tensor([[10.0, 1.0, -1.0, -20.0], [10.0, 10.0, 2.0, -10.0]])
        return x, torch.tensor([0, 1])
    if case == "random":
        return 3 * torch.randn(4, 3), torch.randint(0, 3, (4,))
    return 1000 * torch.randn(5, 6), torch.randint(0, 6, (5,))  # exp() of these overflows


def _cross_entropy_case(func, case):
    import torch

    from nma_dl import cross_entropy_loss as reference

    x, labels = _cross_entropy_data(case)
    n = len(labels)
    x_ref = x.clone().requires_grad_(True)
    expected = reference(x_ref, labels)
    (expected_grad,) = torch.autograd.grad(expected, x_ref)
    x_student = x.clone().requires_grad_(True)
    got = _call("cross_entropy_loss", func, x_student, labels.clone())
    try:
        _compare_tensor(got, expected.detach(), "the loss")
    except _Mismatch as mismatch:
        hint = ""
        if isinstance(got, torch.Tensor) and got.shape == expected.shape:
            value, wanted = float(got.detach()), float(expected)
            if case == "large" and not math.isfinite(value):
                hint = "; with large logits an exponential overflows (see the log-sum-exp trick)"
            elif math.isclose(value, n * wanted, rel_tol=1e-3):
                hint = f"; it is {n} times the reference's: is it the mean over the batch?"
            elif math.isclose(value, -wanted, rel_tol=1e-3):
                hint = "; it has the opposite sign"
        elif isinstance(got, torch.Tensor) and tuple(got.shape) == (n,):
            hint = ": one loss per sample, where the average over the batch is wanted"
        raise _Mismatch(f"{mismatch}{hint}") from None
    if not got.requires_grad:
        raise _Mismatch(
            "the loss is right but not connected to x (it has no gradient): compute it with "
            "torch operations on x only"
        )
    try:
        (grad,) = torch.autograd.grad(got, x_student)
    except RuntimeError as error:
        raise _Mismatch(f"its gradient could not be computed ({_describe(error)})") from None
    _compare_tensor(grad, expected_grad, "the gradient of the loss with respect to x")


def check_cross_entropy_loss(func):
    """Check the function of Coding Exercise 2.1 of the MLP tutorial.

    Calls ``func(x, labels)`` on the tutorial's two samples, on random logits and on logits in
    the thousands (which overflow a literal ``exp``), and compares the loss (a 0-d tensor), and
    its gradient with respect to ``x``, with :func:`nma_dl.cross_entropy_loss`.

    Parameters
    ----------
    func : callable
        The student's ``cross_entropy_loss(x, labels)``.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``func`` cannot be called at all.

    Examples
    --------
    >>> check_cross_entropy_loss(cross_entropy_loss)  # doctest: +SKIP
    ✓ cross_entropy_loss: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "cross_entropy_loss", "function")
    descriptions = {
        "tutorial": "2 samples, 4 classes",
        "random": "4 samples, 3 classes",
        "large": "5 samples, 6 classes, logits in the thousands",
    }

    def body():
        cases = [
            (text, partial(_cross_entropy_case, func, case)) for case, text in descriptions.items()
        ]
        return _run_cases(cases)

    return _run("cross_entropy_loss", body)


_SPLIT_NAMES = ("X_test", "y_test", "X_train", "y_train")
_SPLIT_CASES = [(10, 2021), (23, 0), (7, 5)]  # (samples, seed)


def _split_case(func, n, seed):
    import torch

    from nma_dl import shuffle_and_split_data as reference

    # Every sample's features and label identify it, so any mix-up shows.
    X = torch.arange(2 * n, dtype=torch.float32).reshape(n, 2)
    y = torch.arange(n)
    expected = reference(X, y, seed)
    call = f"shuffle_and_split_data(X, y, seed={seed})"
    got = _unpack(_call(call, func, X.clone(), y.clone(), seed=seed), _SPLIT_NAMES, call)
    for index, name in enumerate(_SPLIT_NAMES):
        value, wanted = got[index], expected[index]
        if not isinstance(value, torch.Tensor):
            raise _Mismatch(f"{name} is {_kind(value)}, expected a torch.Tensor")
        if value.shape != wanted.shape:
            hint = ""
            if index == 0 and value.shape[:1] == expected[2].shape[:1]:
                hint = ": the test set should be the smaller part, returned first"
            raise _Mismatch(
                f"{name} ({_ordinal(index + 1)} returned value) has {len(value)} samples, "
                f"expected {len(wanted)}{hint}"
            )
    # The split must depend on the seed alone, not on the global random state.
    _seed_all(_SEED - 1)
    again = _unpack(_call(call, func, X.clone(), y.clone(), seed=seed), _SPLIT_NAMES, call)
    if not all(
        isinstance(b, torch.Tensor) and a.shape == b.shape and torch.equal(a, b)
        for a, b in zip(got, again, strict=True)
    ):
        raise _Mismatch(
            f"two calls with seed={seed} gave different splits: draw the permutation from the "
            "seeded generator"
        )
    if torch.equal(got[0], X[: len(got[0])]) and not torch.equal(got[0], expected[0]):
        raise _Mismatch("X_test holds the first samples in their original order: shuffle first")
    for index, name in enumerate(_SPLIT_NAMES):
        _compare_tensor(
            got[index],
            expected[index],
            f"{name} ({_ordinal(index + 1)} returned value)",
            exact=True,
        )


def check_shuffle_and_split_data(func):
    """Check the function of Coding Exercise 2.3 of the MLP tutorial.

    Calls ``func(X, y, seed=…)`` for three sizes and seeds and compares the four returned
    tensors ``(X_test, y_test, X_train, y_train)`` with those of
    :func:`nma_dl.shuffle_and_split_data`, exactly; it also calls ``func`` twice with the same
    seed from different global random states, which must give the same split.

    Parameters
    ----------
    func : callable
        The student's ``shuffle_and_split_data(X, y, seed)``.

    Returns
    -------
    CheckResult
        True when all cases match; a notebook displays nothing for it.

    Raises
    ------
    TypeError
        If ``func`` cannot be called at all.

    Examples
    --------
    >>> check_shuffle_and_split_data(shuffle_and_split_data)  # doctest: +SKIP
    ✓ shuffle_and_split_data: 3/3 cases match the reference.
    """
    _require_callable(func, "func", "shuffle_and_split_data", "function")

    def body():
        cases = [
            (f"{n} samples, seed={seed}", partial(_split_case, func, n, seed))
            for n, seed in _SPLIT_CASES
        ]
        return _run_cases(cases)

    return _run("shuffle_and_split_data", body)
