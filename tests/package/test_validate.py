"""nma_dl._validate: each check on hand-picked values, and the exact message of each error."""

import math
import os
import subprocess
import sys
from collections.abc import Callable

import numpy as np
import pytest
import torch

from nma_dl import _validate as v


def _message(call):
    """The message of the TypeError or ValueError that ``call()`` raises."""
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    return type(caught.value), str(caught.value)


# ---- the two primitives ---------------------------------------------------------------------


def test_validate_instance_returns_the_value_unchanged():
    value = [1, 2]
    assert v.validate_instance(value, list, "x", "a list") is value
    assert v.validate_instance(None, (str, type(None)), "title", "a str or None") is None
    assert v.validate_instance(len, Callable, "f", "callable") is len


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "x must be a str, got int"),
        ({"show_value": True}, "x must be a str, got int 5"),
        ({"sep": ";"}, "x must be a str; got int"),
    ],
)
def test_validate_instance_message(kwargs, message):
    assert _message(lambda: v.validate_instance(5, str, "x", "a str", **kwargs)) == (
        TypeError,
        message,
    )


def test_bool_is_a_number_only_when_asked_for():
    assert not v.is_instance(True, int)
    assert not v.is_instance(False, (int, float))
    assert v.is_instance(True, bool) and v.is_instance(True, (bool, int))
    assert v.is_instance(3, int) and v.is_instance(np.int64(3), np.integer)
    assert _message(lambda: v.validate_instance(True, (int, float), "Rm", "a number")) == (
        TypeError,
        "Rm must be a number, got bool",
    )


def test_require_passes_or_names_the_value():
    assert v.require(True, "fs", "0 or 1", 2) is None
    assert _message(lambda: v.require(False, "train_fraction", "in (0, 1)", 0)) == (
        ValueError,
        "train_fraction must be in (0, 1), got 0",
    )
    assert _message(lambda: v.require(False, "fs", "0 or 1", "1", sep=";")) == (
        ValueError,
        "fs must be 0 or 1; got '1'",
    )


# ---- numbers --------------------------------------------------------------------------------


def test_validate_int_converts_numpy_ints_and_checks_both_bounds():
    assert v.validate_int(np.int64(7), "n") == 7 and type(v.validate_int(np.int64(7), "n")) is int
    assert v.validate_int(0, "n", minimum=0, maximum=0, bound="0") == 0
    assert v.validate_int(-5, "n") == -5  # no bound given, none checked


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "value, kwargs, error, message",
    [
        (2.0, {}, TypeError, "n must be an int, got float 2.0"),
        (True, {}, TypeError, "n must be an int, got bool True"),
        ("3", {"expected": "an integer"}, TypeError, "n must be an integer, got str '3'"),
        (0, {"minimum": 1}, ValueError, "n must be an int >= 1, got 0"),
        (0, {"minimum": 1, "bound": "a positive int"}, ValueError,
         "n must be a positive int, got 0"),
        (2**32, {"minimum": 0, "maximum": 2**32 - 1, "bound": "in [0, 2**32)"}, ValueError,
         "n must be in [0, 2**32), got 4294967296"),
    ],
)  # fmt: skip
def test_validate_int_messages(value, kwargs, error, message):
    assert _message(lambda: v.validate_int(value, "n", **kwargs)) == (error, message)


def test_validate_size():
    assert v.validate_size(1, "n_hidden") == 1
    assert _message(lambda: v.validate_size(0, "n_hidden")) == (
        ValueError,
        "n_hidden must be a positive int, got 0",
    )
    assert _message(lambda: v.validate_size(1.5, "n_hidden")) == (
        TypeError,
        "n_hidden must be an int, got float 1.5",
    )


def test_validate_widths_reads_any_iterable_once():
    assert v.validate_widths([3, np.int64(4)], "h") == [3, 4]
    assert v.validate_widths((n for n in (2, 1)), "h") == [2, 1]
    assert v.validate_widths([], "h") == []


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "value, error, message",
    [
        (5, TypeError, "h must be a list of ints (one width per hidden layer), got int 5"),
        ("32", TypeError, "h must be a list of ints (one width per hidden layer), got str '32'"),
        ([3, 0], ValueError, "h[1] must be a positive int, got 0"),
        ([3.0], TypeError, "h[0] must be an int, got float 3.0"),
    ],
)
def test_validate_widths_messages(value, error, message):
    assert _message(lambda: v.validate_widths(value, "h")) == (error, message)


def test_validate_seed_bounds():
    assert v.validate_seed(0) == 0 and v.validate_seed(2**32 - 1) == 2**32 - 1
    assert v.MAX_SEED == 2**32
    assert _message(lambda: v.validate_seed(-1)) == (
        ValueError,
        "seed must be an int >= 0, got -1",
    )
    assert _message(lambda: v.validate_seed(2**32)) == (
        ValueError,
        "seed must be in [0, 2**32), got 4294967296",
    )
    assert _message(lambda: v.validate_seed(1.5)) == (
        TypeError,
        "seed must be an int >= 0, got float 1.5",
    )


def test_validate_number_leaves_the_value_alone():
    assert v.validate_number(2, "lr") == 2 and type(v.validate_number(2, "lr")) is int
    assert math.isnan(v.validate_number(float("nan"), "lr"))  # ranges are checked with require
    assert _message(lambda: v.validate_number("0.1", "lr")) == (
        TypeError,
        "lr must be a number, got str '0.1'",
    )
    assert _message(lambda: v.validate_number(None, "bin_width", "a number of degrees")) == (
        TypeError,
        "bin_width must be a number of degrees, got NoneType None",
    )


def test_validate_real_converts_and_bounds():
    assert v.validate_real(2, "sigma") == 2.0 and type(v.validate_real(2, "sigma")) is float
    assert v.validate_real(0, "sigma", minimum=0.0) == 0.0
    assert v.validate_real(np.float32(0.5), "x", minimum=0, exclusive=True) == 0.5
    assert v.validate_real(0, "momentum", minimum=0, below=1) == 0.0
    assert v.validate_real(0.999, "momentum", minimum=0, below=1) == 0.999
    assert v.validate_real(-5, "x", below=1) == -5.0


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "value, kwargs, error, message",
    [
        ("1", {}, TypeError, "s must be a real number, got str '1'"),
        (False, {}, TypeError, "s must be a real number, got bool False"),
        (float("inf"), {}, ValueError, "s must be finite, got inf"),
        (-1, {"minimum": 0.0}, ValueError, "s must be >= 0.0, got -1.0"),
        (0, {"minimum": 0, "exclusive": True}, ValueError, "s must be > 0, got 0.0"),
        (1, {"minimum": 0, "below": 1}, ValueError, "s must be in [0, 1), got 1.0"),
        (-0.1, {"minimum": 0, "below": 1}, ValueError, "s must be in [0, 1), got -0.1"),
        (
            0,
            {"minimum": 0, "exclusive": True, "below": 1},
            ValueError,
            "s must be in (0, 1), got 0.0",
        ),
        (2, {"below": 2}, ValueError, "s must be < 2, got 2.0"),
    ],
)
def test_validate_real_messages(value, kwargs, error, message):
    assert _message(lambda: v.validate_real(value, "s", **kwargs)) == (error, message)


# ---- arrays and tensors ---------------------------------------------------------------------


def test_validate_tensor():
    t = torch.zeros(2)
    assert v.validate_tensor(t, "r") is t
    assert _message(lambda: v.validate_tensor([1.0], "r")) == (
        TypeError,
        "r must be a torch.Tensor, got list",
    )
    assert _message(lambda: v.validate_tensor(np.zeros(2), "x", "a torch.Tensor of logits")) == (
        TypeError,
        "x must be a torch.Tensor of logits, got ndarray",
    )


@pytest.mark.parametrize("shape", [(0,), (5,), (5, 1)])
def test_validate_column_accepts_vectors_and_columns(shape):
    v.validate_column(np.zeros(shape), "ori")
    v.validate_column(torch.zeros(shape), "ori")


@pytest.mark.bad_input
@pytest.mark.parametrize("shape", [(), (2, 2), (3, 1, 1)])
def test_validate_column_message(shape):
    for value in (np.zeros(shape), torch.zeros(shape)):
        assert _message(lambda value=value: v.validate_column(value, "ori")) == (
            ValueError,
            f"ori must have shape (n,) or (n, 1), got {shape}",
        )


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.uint8])
def test_validate_real_dtype_accepts_real_numbers(dtype):
    v.validate_real_dtype(np.zeros(2, dtype), "x")
    v.validate_real_dtype(torch.from_numpy(np.zeros(2, dtype)), "x")


@pytest.mark.bad_input
def test_validate_real_dtype_messages():
    cases = [
        (np.zeros(2, bool), "x must hold real numbers, got dtype bool"),
        (np.zeros(2, complex), "x must hold real numbers, got dtype complex128"),
        (np.array(["a"]), "x must hold real numbers, got dtype <U1"),
        (torch.zeros(2, dtype=torch.bool), "x must hold real numbers, got dtype torch.bool"),
        (
            torch.zeros(2, dtype=torch.complex64),
            "x must hold real numbers, got dtype torch.complex64",
        ),
    ]
    for value, message in cases:
        assert _message(lambda value=value: v.validate_real_dtype(value, "x")) == (
            TypeError,
            message,
        )


def test_validate_same_rows():
    v.validate_same_rows(torch.zeros(3, 2), [0, 1, 2], ("data", "labels"))
    assert _message(lambda: v.validate_same_rows(torch.zeros(3), torch.zeros(2), ("a", "b"))) == (
        ValueError,
        "a and b must have the same number of rows, got 3 and 2",
    )


def test_validate_responses_accepts_columns_and_vectors():
    v.validate_responses(torch.zeros(4, 3), torch.zeros(4, 1))
    v.validate_responses(torch.zeros(4, 3), torch.zeros(4), ("train_data", "train_labels"))


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "resp, stimuli, error, message",
    [
        (np.zeros((4, 3)), torch.zeros(4), TypeError, "resp must be a torch.Tensor, got ndarray"),
        (torch.zeros(4, 3), [0.0] * 4, TypeError, "stimuli must be a torch.Tensor, got list"),
        (torch.tensor(1.0), torch.zeros(4), ValueError,
         "resp must have one row per stimulus, got a 0-d tensor"),
        (torch.zeros(4), torch.zeros(4), ValueError,
         "resp must have shape (n_stimuli, n_neurons), got shape (4,)"),
        (torch.zeros(4, 3), torch.zeros(4, 2), ValueError,
         "stimuli must have shape (n_stimuli, 1) or (n_stimuli,), got shape (4, 2)"),
        (torch.zeros(4, 3), torch.zeros(3), ValueError,
         "resp and stimuli must have the same number of rows, got 4 and 3"),
    ],
)  # fmt: skip
def test_validate_responses_messages(resp, stimuli, error, message):
    assert _message(lambda: v.validate_responses(resp, stimuli)) == (error, message)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "X, y, nonempty, error, message",
    [
        ([[0.0]], torch.zeros(1), False, TypeError, "X must be a torch.Tensor, got list"),
        (torch.zeros(1, 2), None, False, TypeError, "y must be a torch.Tensor, got NoneType"),
        (torch.tensor(0.0), torch.zeros(1), False, ValueError,
         "X needs a sample dimension, got a 0-d tensor"),
        (torch.zeros(3, 2), torch.zeros(2), False, ValueError,
         "X and y must have as many samples, got 3 (X) and 2 (y)"),
        (torch.zeros(0, 2), torch.zeros(0), True, ValueError,
         "X must hold at least one sample, got shape (0, 2)"),
    ],
)  # fmt: skip
def test_validate_samples_messages(X, y, nonempty, error, message):
    assert _message(lambda: v.validate_samples(X, y, nonempty=nonempty)) == (error, message)


def test_validate_samples_accepts_an_empty_set_unless_told():
    v.validate_samples(torch.zeros(0, 2), torch.zeros(0))


def test_validate_device():
    assert v.validate_device("cpu") == torch.device("cpu")
    assert v.validate_device(torch.device("cpu")) == torch.device("cpu")
    assert _message(lambda: v.validate_device(0)) == (
        TypeError,
        "device must be a str such as 'cpu' or a torch.device, got int",
    )
    assert _message(lambda: v.validate_device("gpu")) == (
        ValueError,
        "device must name a torch device such as 'cpu' or 'cuda', got 'gpu'",
    )


def test_the_module_does_not_import_torch():
    # The display modules (plotting, widgets, videos) use these checks without torch.
    code = "import sys, nma_dl._validate; assert 'torch' not in sys.modules"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=env)


# ---- numbers from the environment -----------------------------------------------------------


def test_env_number_reads_the_variable_else_the_default(monkeypatch):
    monkeypatch.delenv("NMA_DL_TEST_NUMBER", raising=False)
    assert v.env_number("NMA_DL_TEST_NUMBER", 4.0) == 4.0
    monkeypatch.setenv("NMA_DL_TEST_NUMBER", "  ")
    assert v.env_number("NMA_DL_TEST_NUMBER", 4.0) == 4.0
    monkeypatch.setenv("NMA_DL_TEST_NUMBER", " 2.5 ")
    assert v.env_number("NMA_DL_TEST_NUMBER", 4.0) == 2.5
    monkeypatch.setenv("NMA_DL_TEST_NUMBER", "60")
    assert v.env_number("NMA_DL_TEST_NUMBER", 4.0, maximum=60) == 60.0


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("text", "maximum", "unit", "message"),
    [
        (
            "many",
            math.inf,
            "",
            "the environment variable NMA_DL_TEST_NUMBER must be a positive "
            "number, got 'many'; fix it, or unset it to use the default (4)",
        ),
        ("0", math.inf, "", "must be a positive number, got '0'"),
        ("nan", 10, "seconds", "must be a positive number of seconds, at most 10, got 'nan'"),
        ("11", 10, "seconds", "must be a positive number of seconds, at most 10, got '11'"),
        ("-inf", 10, "", "must be a positive number, at most 10, got '-inf'"),
    ],
)
def test_env_number_names_the_variable_its_value_and_the_fix(
    monkeypatch, text, maximum, unit, message
):
    monkeypatch.setenv("NMA_DL_TEST_NUMBER", text)
    kind, got = _message(
        lambda: v.env_number("NMA_DL_TEST_NUMBER", 4.0, maximum=maximum, unit=unit)
    )
    assert kind is ValueError and message in got


@pytest.mark.bad_input
def test_validate_dtype_names_the_argument_whose_dtype_and_the_fix():
    v.validate_dtype(torch.zeros(2), "x", torch.float32)  # passes silently
    kind, got = _message(
        lambda: v.validate_dtype(
            torch.zeros(2, dtype=torch.float64), "s", torch.float32, "the layer's"
        )
    )
    assert kind is TypeError
    assert got == (
        "s must have the layer's dtype torch.float32, got torch.float64 "
        "(convert with s.to(torch.float32))"
    )


@pytest.mark.bad_input
def test_validate_pair_wants_both_or_neither_and_names_the_one_given():
    v.validate_pair(None, None, ("test_data", "test_labels"))
    v.validate_pair(1, 2, ("test_data", "test_labels"))
    for first, second, given in ((1, None, "test_data"), (None, 2, "test_labels")):
        assert _message(
            lambda a=first, b=second: v.validate_pair(a, b, ("test_data", "test_labels"))
        ) == (
            ValueError,
            f"give both test_data and test_labels, or neither; got {given} only",
        )


@pytest.mark.bad_input
def test_validate_linear_layer_wants_a_module_with_that_linear_layer():
    from torch import nn

    net = nn.Module()
    net.in_layer = nn.Linear(3, 2)
    v.validate_linear_layer(net, "in_layer")
    assert _message(lambda: v.validate_linear_layer("net", "in_layer")) == (
        TypeError,
        "net must be a torch.nn.Module, got str",
    )
    assert _message(lambda: v.validate_linear_layer(net, "out_layer")) == (
        TypeError,
        "net must have a linear layer net.out_layer (its weights are penalised)",
    )


@pytest.mark.bad_input
def test_validate_penalties_returns_floats_and_names_the_bad_one():
    assert v.validate_penalties(0, np.float32(1e-3)) == (0.0, pytest.approx(1e-3))
    assert _message(lambda: v.validate_penalties(-1, 0)) == (
        ValueError,
        "L2_penalty must be >= 0, got -1.0",
    )
    assert _message(lambda: v.validate_penalties(0, math.inf)) == (
        ValueError,
        "L1_penalty must be finite, got inf",
    )
