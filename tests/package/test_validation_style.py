"""One way to validate (house round 3): the declarative checks, the bounds, and the trainers.

* :func:`nma_dl._validate.validate_params` declares a function's checks in one table, the way
  ``argument_validators`` does for the networks; the decorated trainers keep their signature,
  name and docstring;
* :class:`nma_dl._validate.Interval` is the one way to say a bound, for ints and reals, and the
  old keywords (``minimum``, ``bound``, ``exclusive``, ``below``) still say the same;
* ``train`` (and the steps it is built of) refuses complex and bool labels, naming them;
* the trainers' lines of progress come from one helper, byte for byte as before;
* the trainers' modules keep their function bodies short and their imports at the top.
"""

import ast
import inspect
import os
import pathlib
import pydoc
import subprocess
import sys
from numbers import Integral, Real

import numpy as np
import pytest
import torch
from torch import nn, optim

import nma_dl
from nma_dl import _validate as v
from nma_dl.encoding import train_encoder
from nma_dl.training import (
    decode_orientation,
    evaluate_loss,
    gradient_step,
    train,
    train_test_classification,
)

TRAINERS = [train, train_encoder, decode_orientation, train_test_classification]


def _message(call):
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    return type(caught.value), str(caught.value)


# --------------------------------------------------------------------------- validate_params


def _table_function():
    """A toy function checked by a table, recording what its body and `together` receive."""
    seen = {}

    def together(n, rate, **others):
        seen["together"] = (n, rate, sorted(others))
        v.require(n * rate < 10, "rate", "small enough that n * rate < 10", rate)

    @v.validate_params(
        {
            "n": v.Interval(Integral, 1, None),
            "rate": v.Interval(Real, 0, 1, closed="left"),
            "label": v.optional(v.instance_of(str, "a str or None")),
        },
        together=together,
    )
    def fit(n, rate=0.5, *, label=None):
        """Fit something."""
        seen["body"] = (n, rate, label)
        return n

    return fit, seen


def test_validate_params_gives_the_body_the_checked_values():
    fit, seen = _table_function()
    assert fit(np.int64(3), label="x") == 3
    assert seen["body"] == (3, 0.5, "x") and type(seen["body"][0]) is int
    assert type(seen["body"][1]) is float  # the default went through its check too
    assert seen["together"] == (3, 0.5, ["label"])


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda f: f(0), ValueError, "n must be an int >= 1, got 0"),
        (lambda f: f(2.0), TypeError, "n must be an int, got float 2.0"),
        (lambda f: f(2, 1), ValueError, "rate must be in [0, 1), got 1.0"),
        (lambda f: f(2, label=3), TypeError, "label must be a str or None, got int"),
        (
            lambda f: f(20, 0.9),
            ValueError,
            "rate must be small enough that n * rate < 10, got 0.9",
        ),
    ],
)
def test_validate_params_runs_the_table_then_together(call, error, message):
    fit, seen = _table_function()
    assert _message(lambda: call(fit)) == (error, message)
    assert "body" not in seen  # refused before the body ran


def test_validate_params_checks_in_the_tables_order():
    fit, _ = _table_function()
    assert _message(lambda: fit(0, 5, label=1))[1].startswith("n must")


def test_validate_params_leaves_a_wrong_call_to_python():
    fit, seen = _table_function()
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'n'"):
        fit()
    with pytest.raises(TypeError, match="unexpected keyword argument 'size'"):
        fit(1, size=2)


def test_validate_params_refuses_a_table_naming_no_parameter():
    with pytest.raises(TypeError, match="validate_params: f has no parameter 'nn'"):

        @v.validate_params({"nn": v.Interval(Integral, 1, None)})
        def f(n):
            return n


@pytest.mark.parametrize("trainer", TRAINERS, ids=lambda f: f.__name__)
def test_the_trainers_keep_their_name_docstring_and_signature(trainer):
    original = trainer.__wrapped__
    assert trainer.__name__ == original.__name__
    assert trainer.__doc__ == original.__doc__ and trainer.__doc__.strip()
    assert inspect.signature(trainer) == inspect.signature(original)
    assert trainer.__module__ == original.__module__
    text = pydoc.render_doc(trainer, renderer=pydoc.plaintext)  # what help() prints
    assert f"{trainer.__name__}(net," in text.replace("(\n    net,", "(net,")
    assert trainer.__doc__.strip().splitlines()[0] in text


# --------------------------------------------------------------------------- Interval


def _interval(kind, low=None, high=None, **kwargs):
    # Built in the test, not at collection: the copy before this change has no Interval.
    return v.Interval(kind, low, high, **kwargs)


@pytest.mark.parametrize(
    "bound, inside, outside, text",
    [
        ((Integral, 1), [1, 10**9], [0, -1], "an int >= 1"),
        ((Integral, 0, 9), [0, 9], [-1, 10], "an int in [0, 9]"),
        ((Integral, None, 5, {"closed": "neither"}), [4], [5], "an int < 5"),
        ((Real, 0, None, {"closed": "neither"}), [1e-300], [0, -1.0], "> 0"),
        ((Real, 0, None, {"closed": "left"}), [0.0], [-1e-300], ">= 0"),
        ((Real, 0, 1, {"closed": "left"}), [0, 0.5], [1.0], "in [0, 1)"),
        ((Real, 0, 1, {"closed": "neither"}), [0.5], [0, 1], "in (0, 1)"),
        ((Real, None, 1, {"closed": "both"}), [1.0], [1.5], "<= 1"),
        ((Real, 0.0, None, {"text": "positive"}), [0.0], [-1.0], "positive"),
    ],
)
def test_interval_says_its_bound_one_way(bound, inside, outside, text):
    kwargs = bound[-1] if isinstance(bound[-1], dict) else {}
    interval = _interval(*(b for b in bound if not isinstance(b, dict)), **kwargs)
    assert all(value in interval for value in inside)
    assert not any(value in interval for value in outside)
    assert str(interval) == text


def test_interval_checks_and_converts_like_validate_int_and_validate_real():
    assert _interval(Integral, 1)(np.int32(4), "n") == 4
    assert type(_interval(Real, 0)(1, "x")) is float
    assert _message(lambda: _interval(Integral, 2)(1, "n_classes")) == (
        ValueError,
        "n_classes must be an int >= 2, got 1",
    )
    assert _message(lambda: _interval(Real, 0)(float("nan"), "x")) == (
        ValueError,
        "x must be finite, got nan",
    )
    assert _message(lambda: _interval(Real, 0)(True, "x")) == (
        TypeError,
        "x must be a real number, got bool True",
    )


@pytest.mark.parametrize(
    "old, new",
    [
        ({"minimum": 1}, (1, None, None)),
        ({"minimum": 1, "bound": "a positive"}, (1, None, "a positive")),
        ({"minimum": 0, "maximum": 3, "bound": "0 to 3"}, (0, 3, "0 to 3")),
    ],
)
def test_validate_int_old_keywords_say_the_same_interval(old, new):
    interval = _interval(Integral, new[0], new[1], text=new[2])
    for value in (-1, 0, 1, 3, 4):
        try:
            expected = ("ok", v.validate_int(value, "n", interval))
        except ValueError as error:
            expected = ("error", str(error))
        try:
            got = ("ok", v.validate_int(value, "n", **old))
        except ValueError as error:
            got = ("error", str(error))
        assert got == expected


@pytest.mark.parametrize(
    "old, new",
    [
        ({"minimum": 0}, (0, None, "left")),
        ({"minimum": 0, "exclusive": True}, (0, None, "neither")),
        ({"minimum": 0, "below": 1}, (0, 1, "left")),
        ({"minimum": 0, "exclusive": True, "below": 1}, (0, 1, "neither")),
        ({"below": 1}, (None, 1, "left")),
    ],
)
def test_validate_real_old_keywords_say_the_same_interval(old, new):
    interval = _interval(Real, new[0], new[1], closed=new[2])
    for value in (-1, 0, 0.5, 1, 2):
        try:
            expected = ("ok", v.validate_real(value, "x", interval))
        except ValueError as error:
            expected = ("error", str(error))
        try:
            got = ("ok", v.validate_real(value, "x", **old))
        except ValueError as error:
            got = ("error", str(error))
        assert got == expected


def test_a_bound_is_said_one_way_at_a_time():
    with pytest.raises(TypeError, match="not both"):
        v.validate_int(1, "n", _interval(Integral, 1), minimum=1)
    with pytest.raises(TypeError, match="not both"):
        v.validate_real(1, "x", _interval(Real, 0), minimum=0)
    with pytest.raises(ValueError, match="closed must be one of"):
        _interval(Real, 0, 1, closed="open")
    with pytest.raises(TypeError, match="kind must be numbers.Integral or numbers.Real"):
        _interval(int, 0, 1)


# --------------------------------------------------------------------------- complex, bool labels


def _regression():
    torch.manual_seed(0)
    data = torch.randn(10, 3)
    return nn.Linear(3, 1), data, data.sum(1, keepdim=True)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "dtype", [torch.complex64, torch.complex128, torch.bool], ids=lambda d: str(d)
)
def test_train_refuses_complex_and_bool_train_labels(dtype, capsys):
    net, data, labels = _regression()
    before = [p.clone() for p in net.parameters()]
    with pytest.raises(TypeError) as caught:
        train(net, nn.MSELoss(), data, labels.to(dtype), 2, 1e-2)
    assert str(caught.value) == f"train_labels must hold real numbers, got dtype {dtype}"
    assert all(torch.equal(p, q) for p, q in zip(before, net.parameters(), strict=True))
    assert capsys.readouterr().out == ""  # refused before the first iteration
    for real in (torch.float64, torch.int64, torch.float16):  # real labels still train
        assert len(train(net, nn.MSELoss(), data, labels.to(real), 2, 1e-2)) == 2


@pytest.mark.bad_input
@pytest.mark.parametrize("dtype", [torch.complex64, torch.bool], ids=lambda d: str(d))
def test_train_refuses_complex_and_bool_test_labels_before_any_update(dtype):
    net, data, labels = _regression()
    before = [p.clone() for p in net.parameters()]
    with pytest.raises(TypeError, match=f"^test_labels must hold real numbers, got dtype {dtype}"):
        train(net, nn.MSELoss(), data, labels, 2, test_data=data, test_labels=labels.to(dtype))
    assert all(torch.equal(p, q) for p, q in zip(before, net.parameters(), strict=True))


@pytest.mark.bad_input
@pytest.mark.parametrize("dtype", [torch.complex64, torch.bool], ids=lambda d: str(d))
def test_the_steps_of_train_refuse_complex_and_bool_labels(dtype):
    net, data, labels = _regression()
    step = lambda: gradient_step(  # noqa: E731
        net, nn.MSELoss(), data, labels.to(dtype), optim.SGD(net.parameters(), lr=0.1)
    )
    message = f"labels must hold real numbers, got dtype {dtype}"
    assert _message(step) == (TypeError, message)
    assert _message(lambda: evaluate_loss(net, nn.MSELoss(), data, labels.to(dtype))) == (
        TypeError,
        message,
    )
    # Class indices keep their own check and message (bool ones are not class indices).
    torch.manual_seed(0)
    classifier, inputs = nn.Linear(2, 2), torch.randn(4, 2)
    with pytest.raises(TypeError, match=r"^labels must hold integer class indices"):
        train(classifier, nn.CrossEntropyLoss(), inputs, torch.tensor([True, False] * 2), 1)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "argument, dtype",
    [
        ("train_labels", torch.complex64),
        ("train_labels", torch.bool),
        ("test_labels", torch.bool),
        ("train_data", torch.complex64),
    ],
)
def test_train_encoder_refuses_complex_and_bool_responses_and_complex_images(argument, dtype):
    # The encoder's trainer had the same gap: a raw error of torch, or bool responses taken.
    torch.manual_seed(0)
    images, responses = torch.randn(6, 1, 2, 2), torch.randn(6, 3)
    net = nma_dl.ConvFC(3, b=4)
    before = [p.clone() for p in net.parameters()]
    arguments = {"train_data": images, "train_labels": responses}
    if argument.startswith("test"):
        arguments.update(test_data=images, test_labels=responses)
    arguments[argument] = arguments[argument].to(dtype)
    assert _message(lambda: train_encoder(net, **arguments, n_iter=2, verbose=False)) == (
        TypeError,
        f"{argument} must hold real numbers, got dtype {dtype}",
    )
    assert all(torch.equal(p, q) for p, q in zip(before, net.parameters(), strict=True))


# --------------------------------------------------------------------------- one log line


def test_the_trainers_log_lines_come_from_one_helper():
    from nma_dl.training import _log_line

    assert _log_line(1, 10, {"loss": 5.6512}) == "iteration 2/10 | loss: 5.651"
    assert (
        _log_line(9, 10, {"loss": 0.12345, "test_loss": 1.0})
        == "iteration 10/10 | loss: 0.123 | test_loss: 1.000"
    )
    assert (
        _log_line(0, 200, {"train loss": np.float64(0.5), "test loss": 2.0}, digits=4)
        == "iteration 1/200 | train loss: 0.5000 | test loss: 2.0000"
    )
    root = pathlib.Path(nma_dl.__file__).parent
    assert (root / "training.py").read_text().count('"iteration {i}/{n}"') == 1  # in _log_line
    assert '"iteration {' not in (root / "encoding.py").read_text()


# --------------------------------------------------------------------------- the modules' shape

_ROOT = pathlib.Path(nma_dl.__file__).parent
_MODULES = ["training.py", "encoding.py"] + [
    f"_validate/{path.name}" for path in sorted((_ROOT / "_validate").glob("*.py"))
]


def _functions(path):
    tree = ast.parse(path.read_text())
    return [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)]


def _body_lines(function):
    body = function.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    return body[-1].end_lineno - body[0].lineno + 1 if body else 0


@pytest.mark.parametrize("module", _MODULES)
def test_no_function_body_is_over_50_lines(module):
    long = {f.name: n for f in _functions(_ROOT / module) if (n := _body_lines(f)) > 50}
    assert long == {}


@pytest.mark.parametrize("module", _MODULES)
def test_each_import_inside_a_function_says_why(module):
    # The reason is a comment on the function's first import line, or on the line above it.
    lines = (_ROOT / module).read_text().splitlines()
    unexplained = []
    for function in _functions(_ROOT / module):
        imports = [
            node for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))
        ]
        if imports:
            first = min(node.lineno for node in imports)
            if "#" not in lines[first - 1] and not lines[first - 2].strip().startswith("#"):
                unexplained.append(f"{function.name}:{first}")
    assert unexplained == []


def test_training_keeps_no_argument_validators_of_its_own():
    source = (_ROOT / "training.py").read_text()
    for name in ("_validate_batch", "_validate_finite", "_validate_targets", "_class_labels"):
        assert f"def {name}(" not in source
    assert "def validate_class_labels(" in (_ROOT / "_validate" / "training.py").read_text()


def test_importing_the_package_still_imports_no_torch():
    code = "import sys, nma_dl, nma_dl._validate; print('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.stdout.strip() == "False", out.stderr
