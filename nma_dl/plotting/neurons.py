"""Figures of single neurons: a LIF neuron's membrane potential and its frequency-current curve."""

from numbers import Real

from nma_dl._validate import Interval, validate_real
from nma_dl.plotting.style import _as_vector, _axes_or_current

__all__ = ["plot_fi_curve", "plot_lif_membrane"]


def plot_lif_membrane(time, Vm, ax=None):
    """Plot the membrane potential of a LIF neuron against time.

    Parameters
    ----------
    time : array-like of shape (n,)
        Time points (ms), e.g. from :func:`nma_dl.run_LIF`.
    Vm : array-like of shape (n,)
        Membrane potential (V) at each of them.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn in.
    """
    ax = _axes_or_current(ax)
    time = _as_vector(time, "time")
    Vm = _as_vector(Vm, "Vm")
    if time.size != Vm.size:
        raise ValueError(f"Vm must have one value per time point ({time.size}), got {Vm.size}")
    ax.plot(time, Vm)
    ax.set(title="LIF neuron output", xlabel="time (ms)", ylabel="membrane potential (V)")
    return ax


def plot_fi_curve(currents, spike_counts, ax=None, ylim=150):
    """Plot a frequency-current curve: spikes in one second against the input current.

    Parameters
    ----------
    currents, spike_counts : array-like of the same length
        Input currents (mA) and the spike count for each.
    ax : matplotlib.axes.Axes, optional
        Axes to draw in; the current axes by default.
    ylim : float, default=150
        Top of the y axis, fixed so that curves drawn for different parameters compare.

    Returns
    -------
    ax : matplotlib.axes.Axes
        The axes drawn in.
    """
    ax = _axes_or_current(ax)
    currents = _as_vector(currents, "currents")
    spike_counts = _as_vector(spike_counts, "spike_counts")
    if currents.size != spike_counts.size:
        raise ValueError(
            f"spike_counts must have one value per current ({currents.size}), "
            f"got {spike_counts.size}"
        )
    ylim = validate_real(ylim, "ylim", Interval(Real, 0, closed="neither"))
    ax.plot(currents, spike_counts, marker="o")
    ax.set(
        title="LIF neuron: transfer function",
        xlabel="I (mA)",
        ylabel="spike count",
        xlim=(0, currents.max() if currents.max() > 0 else 1),
        ylim=(0, ylim),
    )
    return ax
