"""Reliability round 3 for the losses and the LIF neuron: odd tensors give a clear error.

Meta tensors (a shape without values) give a ValueError naming the argument; bool, int and
complex tensors where floating-point numbers are needed give a TypeError saying which dtype was
expected; results that were silently wrong (a meta or complex penalty, int8 squares that wrap
around, NaN from an empty batch or a diverged simulation, a NaN trace counted as silent) are
refused. Valid input gives the same numbers as before (the self-checks and twins compare them).

Every test here failed before the fix: with a raw torch error (``NotImplementedError``,
``RuntimeError``, ``IndexError``) or with no error at all.
"""

import numpy as np
import pytest
import torch

from nma_dl.losses import (
    cross_entropy_loss,
    penalty_terms,
    regularized_loss,
    regularized_MSE_loss,
)
from nma_dl.neurons import fi_curve, run_LIF, spike_count

bad_input = pytest.mark.bad_input

_META = "must hold numbers, got a meta tensor"


def _meta(shape, dtype=torch.float32):
    return torch.empty(shape, dtype=dtype, device="meta")


def _log_probs():
    return torch.log_softmax(torch.tensor([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]]), dim=1)


_TARGET = torch.tensor([0, 2])
_WEIGHTS = torch.tensor([[0.5, -1.0], [2.0, 0.25]])


# --------------------------------------------------------------------------- cross_entropy_loss


@bad_input
@pytest.mark.parametrize(
    "x, labels, name",
    [
        (_meta((2, 3)), torch.tensor([0, 1]), "x"),
        (torch.zeros(2, 3), _meta(2, torch.long), "labels"),
    ],
    ids=["x", "labels"],
)
def test_cross_entropy_loss_refuses_meta_tensors(x, labels, name):
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        cross_entropy_loss(x, labels)


# --------------------------------------------------------------------------- penalty_terms


@bad_input
@pytest.mark.parametrize("penalties", [(0.1, 0.01), (0, 0)], ids=["penalised", "zero"])
@pytest.mark.parametrize("dtype", [torch.bool, torch.int64, torch.int8, torch.complex64], ids=str)
def test_penalty_terms_refuses_weights_that_are_not_floating_point(dtype, penalties):
    # bool: abs_cpu was not implemented; int8: 20 ** 2 wrapped to -112; complex: w ** 2 is
    # not |w| ** 2. Zero penalties returned a zero of that dtype, refused too.
    weights = torch.tensor([[20, 0], [1, 1]]).to(dtype)
    with pytest.raises(TypeError, match=rf"weights must hold floating-point .*{dtype}"):
        penalty_terms(weights, *penalties)


@bad_input
def test_penalty_terms_suggests_a_conversion_except_for_complex_weights():
    with pytest.raises(TypeError, match=r"convert with weights\.float\(\)"):
        penalty_terms(torch.ones(2, dtype=torch.long), 0.1)
    with pytest.raises(TypeError) as info:
        penalty_terms(torch.ones(2, dtype=torch.complex64), 0.1)
    assert "float()" not in str(info.value)  # it would drop the imaginary part


@bad_input
def test_penalty_terms_refuses_meta_weights():
    with pytest.raises(ValueError, match=rf"^weights {_META}"):
        penalty_terms(_meta((3, 4)), 0.1, 0.01)


# --------------------------------------------------------------------------- regularized_loss


@bad_input
@pytest.mark.parametrize(
    "dtype", [torch.complex64, torch.int64, torch.int32, torch.bool, torch.uint8], ids=str
)
def test_regularized_loss_refuses_output_that_is_not_floating_point(dtype):
    output = _log_probs().to(dtype)
    with pytest.raises(TypeError, match=rf"output must hold floating-point log prob.*{dtype}"):
        regularized_loss(output, _TARGET, _WEIGHTS, 0.1)


@bad_input
@pytest.mark.parametrize(
    "dtype", [torch.float32, torch.float16, torch.bool, torch.complex64], ids=str
)
def test_regularized_loss_refuses_target_that_is_not_integer(dtype):
    with pytest.raises(TypeError, match=rf"target must hold integer class indices.*{dtype}"):
        regularized_loss(_log_probs(), _TARGET.to(dtype), _WEIGHTS, 0.1)


@bad_input
@pytest.mark.parametrize(
    "output, target, weights, name",
    [
        (_meta((2, 3)), _TARGET, _WEIGHTS, "output"),
        (_log_probs(), _meta(2, torch.long), _WEIGHTS, "target"),
        (_log_probs(), _TARGET, _meta((2, 2)), "weights"),
    ],
    ids=["output", "target", "weights"],
)
def test_regularized_loss_refuses_meta_tensors(output, target, weights, name):
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        regularized_loss(output, target, weights, 0.1, 0.01)


@bad_input
@pytest.mark.parametrize("bad", [3, -1, -100], ids=["3", "-1", "-100 (ignore_index)"])
def test_regularized_loss_refuses_classes_out_of_range(bad):
    # IndexError on the CPU before, a device-side assert on a GPU; -100 was silently dropped
    with pytest.raises(ValueError, match=r"target must lie in \[0, 2\] for the 3 classes"):
        regularized_loss(_log_probs(), torch.tensor([0, bad]), _WEIGHTS, 0.1)


@bad_input
@pytest.mark.parametrize(
    "output, target, match",
    [
        (_log_probs(), _TARGET[:, None], r"target must have shape \(2,\).*got shape \(2, 1\)"),
        (_log_probs(), torch.tensor([0, 1, 2]), r"target must have shape \(2,\)"),
        (_log_probs()[0, 0], torch.tensor(0), r"output must have shape \(n, n_classes\)"),
        (torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), "output must hold at least one"),
        (torch.zeros(2, 0), _TARGET, "output must have at least one class"),
    ],
    ids=["target (n, 1)", "target rows", "output 0-d", "empty batch", "no class"],
)
def test_regularized_loss_refuses_shapes_naming_the_argument(output, target, match):
    with pytest.raises(ValueError, match=match):
        regularized_loss(output, target, _WEIGHTS, 0.1)


def test_regularized_loss_takes_other_integer_targets_like_cross_entropy_loss():
    # int32 classes raised "expected target dtype to be Long or Byte"
    expected = regularized_loss(_log_probs(), _TARGET, _WEIGHTS, 0.1, 0.01)
    got = regularized_loss(_log_probs(), _TARGET.int(), _WEIGHTS, 0.1, 0.01)
    assert torch.equal(got, expected)


# --------------------------------------------------------------------------- regularized_MSE_loss


@bad_input
@pytest.mark.parametrize("dtype", [torch.complex64, torch.bool], ids=str)
@pytest.mark.parametrize("name", ["output", "target"])
def test_regularized_mse_loss_refuses_complex_and_bool(name, dtype):
    args = {"output": torch.ones(2, 2), "target": torch.zeros(2, 2)}
    args[name] = args[name].to(dtype)
    with pytest.raises(TypeError, match=rf"^{name} must hold real numbers, got dtype {dtype}"):
        regularized_MSE_loss(**args)


@bad_input
def test_regularized_mse_loss_refuses_two_integer_tensors():
    ints = torch.ones(2, 2, dtype=torch.long)
    with pytest.raises(TypeError, match=r"output must hold floating-point predictions"):
        regularized_MSE_loss(ints, ints.clone())


@bad_input
@pytest.mark.parametrize(
    "output, target, weights, name",
    [
        (_meta((2, 2)), torch.zeros(2, 2), None, "output"),
        (torch.zeros(2, 2), _meta((2, 2)), None, "target"),
        (_meta((2, 2)), _meta((2, 2)), None, "output"),
        (torch.zeros(2, 2), torch.zeros(2, 2), _meta((2, 2)), "weights"),
    ],
    ids=["output", "target", "both", "weights"],
)
def test_regularized_mse_loss_refuses_meta_tensors(output, target, weights, name):
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        regularized_MSE_loss(output, target, weights, 0.1)


@bad_input
def test_regularized_mse_loss_refuses_empty_tensors():
    # the mean of nothing was nan
    with pytest.raises(ValueError, match=r"output must hold at least one value"):
        regularized_MSE_loss(torch.zeros(0, 3), torch.zeros(0, 3))


@bad_input
def test_regularized_mse_loss_refuses_complex_weights():
    with pytest.raises(TypeError, match="weights must hold floating-point"):
        regularized_MSE_loss(torch.ones(2), torch.zeros(2), torch.ones(2, dtype=torch.complex64))


# --------------------------------------------------------------------------- spike_count


@bad_input
@pytest.mark.parametrize("dtype", [torch.complex64, torch.bool], ids=str)
def test_spike_count_refuses_complex_and_bool_traces(dtype):
    with pytest.raises(TypeError, match=rf"^Vm must hold real numbers, got dtype {dtype}"):
        spike_count(torch.tensor([0.0, 1.5, 0.2]).to(dtype))


@bad_input
@pytest.mark.parametrize(
    "Vm, Vth, name",
    [(_meta(5), 1, "Vm"), (torch.zeros(5), torch.tensor(1.0, device="meta"), "Vth")],
    ids=["Vm", "Vth"],
)
def test_spike_count_refuses_meta_tensors(Vm, Vth, name):
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        spike_count(Vm, Vth)


@bad_input
def test_spike_count_refuses_nan_in_the_trace():
    # a nan sample was counted as no spike
    with pytest.raises(ValueError, match="Vm must not hold nan"):
        spike_count(torch.tensor([0.0, float("nan"), 1.5]))


# --------------------------------------------------------------------------- run_LIF, fi_curve


@bad_input
@pytest.mark.parametrize("name", ["I", "T", "dt", "tau_ref", "Rm", "Cm", "Vth", "V_spike"])
def test_run_lif_refuses_meta_numbers(name):
    kwargs = {"I": 1.5, name: torch.tensor(1.0, device="meta")}
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        run_LIF(**kwargs)


@bad_input
@pytest.mark.parametrize(
    "kwargs",
    [
        {"I": -1.0, "T": 10, "dt": 1, "Cm": 1e-310},  # dt / Cm overflows
        {"I": -1.5e308, "T": 30, "dt": 15},  # V reaches -inf, then the leak +inf
    ],
    ids=["tiny Cm", "huge negative I"],
)
def test_run_lif_refuses_a_simulation_that_overflows_to_nan(kwargs):
    with pytest.raises(ValueError, match=r"run_LIF diverged.*dt < 2 \* Rm \* Cm"):
        run_LIF(**kwargs)


@bad_input
def test_fi_curve_refuses_meta_currents():
    # "Cannot copy out of meta tensor" before
    with pytest.raises(ValueError, match=rf"^currents {_META}"):
        fi_curve(_meta(4))


@bad_input
@pytest.mark.parametrize(
    "currents, kwargs, name",
    [
        ([torch.tensor(1.0, device="meta")], {}, r"currents\[0\]"),
        ([1.0], {"Rm": torch.tensor(1.0, device="meta")}, "Rm"),
        ([1.0], {"T": torch.tensor(100.0, device="meta")}, "T"),
    ],
    ids=["a meta current", "Rm", "T"],
)
def test_fi_curve_refuses_meta_numbers(currents, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} {_META}"):
        fi_curve(currents, **kwargs)


@bad_input
def test_fi_curve_stops_on_a_diverging_simulation():
    with pytest.raises(ValueError, match="run_LIF diverged"):
        fi_curve(np.array([-1.0]), T=10, Cm=1e-310)
