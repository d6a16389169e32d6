"""The leaky integrate-and-fire neuron, checked against spike times worked out by hand."""

import math

import pytest
import torch

from nma_dl.neurons import fi_curve, run_LIF, spike_count


def test_spike_times_by_hand():
    # Cm = 10, Rm = 1, dt = 1: V[n] = V[n-1] + (1.5 - V[n-1]) / 10,
    # so from 0, V[n] = 1.5 (1 - 0.9**n).
    # 0.9**10 = 0.349 > 1/3 > 0.9**11 = 0.314: the first spike is at n = 11 (t = 11 ms). V is then
    # held at 0 while t <= 11 + 10 = 21 and restarts at t = 22, so every cycle lasts 21 ms:
    # spikes at 11, 32, 53, 74 and 95 ms within T = 100 ms.
    time, Vm = run_LIF(1.5, T=100, dt=1, tau_ref=10, Rm=1, Cm=10, Vth=1, V_spike=0.5)
    assert len(time) == len(Vm) == 101
    assert time[Vm > 1].tolist() == [11.0, 32.0, 53.0, 74.0, 95.0]
    assert spike_count(Vm) == 5
    assert Vm[11].item() == pytest.approx(1.5 * (1 - 0.9**11) + 0.5, rel=1e-6)
    assert Vm[10].item() == pytest.approx(1.5 * (1 - 0.9**10), rel=1e-6)
    assert torch.all(Vm[12:22] == 0)  # refractory: held at the reset value


def test_defaults_and_time_axis():
    time, Vm = run_LIF(1.5)
    assert time.dtype == Vm.dtype == torch.float32
    assert len(time) == len(torch.arange(0, 50 + 0.1, 0.1))
    assert Vm[0] == 0
    assert spike_count(Vm) == 2


@pytest.mark.parametrize("current", [0.0, 0.9, -1.0])
def test_no_spikes_below_rheobase(current):
    # The steady state is Rm * I: below Vth = 1 the neuron never fires.
    _, Vm = run_LIF(current, T=500, dt=0.5)
    assert spike_count(Vm) == 0
    assert Vm.max().item() < 1


def test_tensor_current_is_accepted():
    _, a = run_LIF(torch.tensor(1.5), T=100, dt=1)
    _, b = run_LIF(1.5, T=100, dt=1)
    assert torch.equal(a, b)


def test_fi_curve_rises_with_current_and_linearises_for_huge_resistance():
    currents = torch.linspace(0, 2, 10)
    counts = fi_curve(currents)
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] > 0
    # Rm -> infinity, tau_ref small: a perfect integrator, rate ~ I / (Cm * Vth), a rectified line.
    big = fi_curve([0.5, 1.0, 2.0], Rm=1e6, tau_ref=0)
    assert big[0] > 0
    assert big[1] == pytest.approx(2 * big[0], rel=0.1)
    assert big[2] == pytest.approx(2 * big[1], rel=0.15)


def test_longer_refractory_period_caps_the_rate():
    short = fi_curve([2.0], tau_ref=1)[0]
    long = fi_curve([2.0], tau_ref=50)[0]
    assert long < short
    assert long <= math.ceil(1000 / 50)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"I": "1"}, TypeError, "I must be a real number"),
        ({"I": float("inf")}, ValueError, "I must be finite"),
        ({"I": torch.ones(2)}, ValueError, "I must be a single number"),
        ({"I": 1, "T": 0}, ValueError, "T must be > 0"),
        ({"I": 1, "dt": -0.1}, ValueError, "dt must be > 0"),
        ({"I": 1, "T": 1, "dt": 2}, ValueError, "dt must be <= T"),
        ({"I": 1, "tau_ref": -1}, ValueError, "tau_ref must be >= 0"),
        ({"I": 1, "Rm": 0}, ValueError, "Rm must be > 0"),
        ({"I": 1, "Cm": None}, TypeError, "Cm must be a real number"),
        ({"I": 1, "Vth": True}, TypeError, "Vth must be a real number"),
        ({"I": 1, "V_spike": -0.5}, ValueError, "V_spike must be >= 0"),
    ],
)
def test_run_lif_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        run_LIF(**kwargs)


@pytest.mark.bad_input
def test_spike_count_and_fi_curve_reject_bad_arguments():
    with pytest.raises(TypeError, match="Vm must be a torch.Tensor"):
        spike_count([0.0, 2.0])
    with pytest.raises(TypeError, match="currents must be a sequence"):
        fi_curve(1.0)
    with pytest.raises(ValueError, match="currents must hold at least one"):
        fi_curve([])
    with pytest.raises(TypeError, match=r"currents\[1\] must be a real number"):
        fi_curve([1.0, "x"])
