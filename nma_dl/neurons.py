r"""A leaky integrate-and-fire (LIF) neuron and its frequency-current (f-I) curve.

Below threshold the membrane potential :math:`V_m` of the LIF neuron obeys

.. math::

    C_m \frac{dV_m}{dt} = -\frac{V_m}{R_m} + I,

integrated here with Euler steps of ``dt`` milliseconds,
:math:`V_m^{n+1} = V_m^{n} + \frac{dt}{C_m}\big(-V_m^{n}/R_m + I\big)`, from :math:`V_m = 0`.
When :math:`V_m` reaches the threshold :math:`V_{th}` the neuron spikes: that sample is raised by
``V_spike`` (to draw the spike) and the potential is then held at the reset value 0 for the
refractory period :math:`\tau_{ref}`, after which integration resumes from 0 (also when
:math:`\tau_{ref}` is shorter than a time step).
"""

from __future__ import annotations

import torch

from nma_dl._validate import (
    require,
    validate_not_meta,
    validate_real,
    validate_real_dtype,
    validate_steps,
    validate_tensor,
)

__all__ = ["run_LIF", "spike_count", "fi_curve"]


def _real(value, name, **bounds):
    """:func:`~nma_dl._validate.validate_real` that also takes a one-element tensor."""
    if isinstance(value, torch.Tensor):
        validate_not_meta(value, name)
        if value.numel() != 1:
            raise ValueError(
                f"{name} must be a single number, got a tensor of shape {tuple(value.shape)}"
            )
        value = value.item()
    return validate_real(value, name, **bounds)


_POSITIVE = {"minimum": 0, "exclusive": True}
_NON_NEGATIVE = {"minimum": 0}


# I is the course's (and the physicists') name for the input current.
def run_LIF(I, T=50, dt=0.1, tau_ref=10, Rm=1, Cm=10, Vth=1, V_spike=0.5):  # noqa: E741
    """Simulate a LIF neuron driven by a constant current.

    Parameters
    ----------
    I : float
        Input current (mA), a real number (or a one-element tensor).
    T : float, default=50
        Simulated duration (ms), > 0.
    dt : float, default=0.1
        Time step (ms), > 0 and <= ``T``.
    tau_ref : float, default=10
        Refractory period (ms), >= 0.
    Rm : float, default=1
        Membrane resistance (kOhm), > 0.
    Cm : float, default=10
        Membrane capacitance (uF), > 0.
    Vth : float, default=1
        Spike threshold (V), > 0.
    V_spike : float, default=0.5
        Height added to the sample where a spike happens (V), >= 0.

    Returns
    -------
    time : torch.Tensor
        float32 time points ``0, dt, …, T`` (``torch.arange(0, T + dt, dt)``).
    Vm : torch.Tensor
        float32 membrane potential at each of them.

    Raises
    ------
    ValueError
        Before the first step, when ``T / dt`` exceeds the limit of
        :func:`nma_dl._validate.validate_steps` (10**7 steps, some seconds of the Python loop;
        environment variable ``NMA_DL_MAX_STEPS``); after the last, when the potential
        overflowed to NaN (a huge ``|I|``, or ``dt`` far above ``Rm * Cm``).
    """
    I = _real(I, "I")  # noqa: E741
    T = _real(T, "T", **_POSITIVE)
    dt = _real(dt, "dt", **_POSITIVE)
    require(dt <= T, "dt", f"<= T ({T!r} ms)", dt)
    validate_steps(T / dt, f"run_LIF(T={T!r}, dt={dt!r}) (T / dt time steps)")
    tau_ref = _real(tau_ref, "tau_ref", **_NON_NEGATIVE)
    Rm = _real(Rm, "Rm", **_POSITIVE)
    Cm = _real(Cm, "Cm", **_POSITIVE)
    Vth = _real(Vth, "Vth", **_POSITIVE)
    V_spike = _real(V_spike, "V_spike", **_NON_NEGATIVE)

    time = torch.arange(0, T + dt, dt)
    times = time.tolist()
    vm = [0.0] * len(times)
    t_rest = 0.0  # integration resumes only for t > t_rest
    spiked = False  # after a spike, integration restarts from the reset value 0
    for i in range(1, len(times)):
        t = times[i]
        if t > t_rest:
            v = 0.0 if spiked else vm[i - 1]
            vm[i] = v + dt / Cm * (-v / Rm + I)
            spiked = vm[i] >= Vth
            if spiked:
                vm[i] += V_spike
                t_rest = t + tau_ref
    Vm = torch.tensor(vm, dtype=torch.float32)
    # NaN comes only from an overflow: a potential of -inf meets a leak of +inf (inf - inf).
    # Euler steps grow without bound once dt > 2 * Rm * Cm, or overflow at once for a huge I.
    if torch.isnan(Vm).any():
        raise ValueError(
            f"run_LIF diverged: the membrane potential overflowed to nan with I={I!r}, "
            f"dt={dt!r}, Rm={Rm!r}, Cm={Cm!r}; the Euler steps stay bounded only for "
            f"dt < 2 * Rm * Cm ({2 * Rm * Cm!r} ms) and |I| * Rm and |I| * dt / Cm far "
            f"below 1e308: use a smaller dt or |I|"
        )
    return time, Vm


def spike_count(Vm, Vth=1):
    """Count the spikes in a trace from :func:`run_LIF`: the samples above threshold.

    Parameters
    ----------
    Vm : torch.Tensor
        Membrane potential, one value per time point.
    Vth : float, default=1
        Spike threshold (V).

    Returns
    -------
    int
        Number of samples above ``Vth``.

    Raises
    ------
    TypeError
        If ``Vm`` holds bools or complex numbers.
    ValueError
        If ``Vm`` is a meta tensor or holds NaN (neither above nor below the threshold).
    """
    validate_tensor(Vm, "Vm")
    validate_not_meta(Vm, "Vm")
    validate_real_dtype(Vm, "Vm")
    Vth = _real(Vth, "Vth")
    if Vm.is_floating_point() and torch.isnan(Vm).any():
        raise ValueError(
            "Vm must not hold nan, got a trace with nan: a nan sample is neither above nor "
            "below Vth, so its spikes cannot be counted"
        )
    return int((Vm > Vth).sum().item())


def fi_curve(currents, *, Rm=1, tau_ref=1, T=1000, dt=1, Cm=10, Vth=1):
    """Count the spikes of a LIF neuron for each constant current in ``currents``.

    The defaults are those of the tutorial's interactive demo: one second simulated in 1 ms steps.

    Parameters
    ----------
    currents : sequence of float or torch.Tensor
        Input currents (mA), at least one.
    Rm, tau_ref, T, dt, Cm, Vth : float
        As in :func:`run_LIF`.

    Returns
    -------
    list of int
        One spike count per current.

    Raises
    ------
    ValueError
        Before the first simulation, when ``len(currents) * T / dt`` exceeds the limit of
        :func:`nma_dl._validate.validate_steps` (10**7 steps; ``NMA_DL_MAX_STEPS``), or when
        ``currents`` is empty or a meta tensor.
    """
    if isinstance(currents, torch.Tensor):
        validate_not_meta(currents, "currents")
        currents = currents.reshape(-1).tolist()
    try:
        currents = list(currents)
    except TypeError:
        raise TypeError(
            f"currents must be a sequence of real numbers, got {type(currents).__name__}"
        ) from None
    if not currents:
        raise ValueError("currents must hold at least one current, got an empty sequence")
    T_, dt_ = _real(T, "T", **_POSITIVE), _real(dt, "dt", **_POSITIVE)
    validate_steps(
        len(currents) * T_ / dt_,
        f"fi_curve of {len(currents)} currents with T={T_!r}, dt={dt_!r} "
        "(len(currents) * T / dt time steps)",
    )
    counts = []
    for k, current in enumerate(currents):
        _, Vm = run_LIF(
            _real(current, f"currents[{k}]"), T=T, dt=dt, tau_ref=tau_ref, Rm=Rm, Cm=Cm, Vth=Vth
        )
        counts.append(spike_count(Vm, Vth))
    return counts
