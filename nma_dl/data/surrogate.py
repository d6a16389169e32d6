"""Offline surrogate of the Stringer et al. (2021) mouse V1 orientation data.

The tutorials decode grating orientation from the responses of 23,589 neurons
recorded in mouse primary visual cortex (V1). The real recordings are two files
on OSF. When they cannot be downloaded (no internet, OSF down, a continuous
integration run) the course uses the files made here instead: same keys, same
shapes, same dtypes, but simulated numbers.

How the surrogate is made. We simulate an experiment of 4000 trials; on each
trial a drifting grating is shown at a random direction between 0 and 360
degrees. Each of the 23,589 simulated neurons has a tuning curve: a von Mises
bump ``baseline + gain * exp(kappa * (cos(m * (theta - preferred)) - 1))``.
Most neurons (55 %) are *orientation* tuned (``m = 2``: period 180 degrees, so
they respond equally to a grating and to the same grating drifting the other
way, and their tuning curve has two peaks); some (15 %) are *direction* tuned
(``m = 1``: one peak per turn); the rest (30 %) are untuned and respond with
noise only. Preferred angles, gains, widths (``kappa``) and baselines differ
from neuron to neuron. Every trial adds independent Gaussian noise (standard
deviation 1, in the same units as the gain) to each neuron's tuning curve value.
As in the real files, responses are z-scored per neuron over trials and then
averaged over the trials whose orientation falls in the same bin: 1-degree bins
for ``oribinned1`` and 6-degree bins for ``oribinned6_split``, where the trials
are first split at random into two independent halves (``resp_train`` and
``resp_test``).

To stay fast we never build the 4000 x 23,589 trial matrix. Averaging ``n``
independent Gaussian noise values gives one Gaussian value with ``1 / n`` of
the variance, so we draw the noise of each (half, 1-degree bin) group directly,
and we evaluate each tuning curve at the mean orientation of the group (a
curve changes very little within one degree). The 1-degree and 6-degree files
are then exact averages of these groups, so both files come from one and the
same simulated experiment. Everything is drawn from one seeded random generator:
the same seed gives byte-identical arrays.

The simulated numbers are *not* the real recordings: use them to run the code,
not to draw conclusions about mouse V1.
"""

from numbers import Integral

import numpy as np

from nma_dl._validate import Interval, validate_int

__all__ = ["SURROGATE_DESCRIPTION"]

#: Number of neurons in the real files (and in the surrogate).
N_NEURONS = 23589
#: Number of simulated trials (the real experiment showed about 4000 gratings).
N_TRIALS = 4000
#: Seed of the surrogate written by :mod:`nma_dl.data.files`.
SEED = 2021
#: Bumped whenever the model below changes, so stale cached files are rebuilt.
VERSION = 1

# Model parameters (see the module docstring).
_FRACTION_ORIENTATION = 0.55  # period 180 degrees, two peaks
_FRACTION_DIRECTION = 0.15  # period 360 degrees, one peak
_KAPPA_RANGE = (1.0, 4.0)  # half width at half height of about 17 to 36 degrees
_GAIN_MEDIAN = 0.8  # peak response above baseline, in units of the noise sd
_GAIN_LOG_SD = 0.6
_BASELINE_RANGE = (0.5, 1.5)
_NOISE_SD = 1.0

SURROGATE_DESCRIPTION = (
    "The offline SURROGATE imitates the Stringer et al. (2021) recordings: "
    f"{N_TRIALS} simulated trials show gratings at random directions in [0, 360) "
    f"degrees to {N_NEURONS} simulated V1 neurons. "
    f"{_FRACTION_ORIENTATION:.0%} of the neurons are orientation tuned (a von Mises "
    "bump that repeats every 180 degrees, so two peaks), "
    f"{_FRACTION_DIRECTION:.0%} are direction tuned (one peak per 360 degrees) and "
    "the rest are untuned; preferred angles, gains, widths and baselines vary from "
    "neuron to neuron, and every trial adds independent Gaussian noise. As in the "
    "real files, each neuron's responses are z-scored over trials and then averaged "
    "over trials in 1-degree bins (or 6-degree bins, separately for two independent "
    "halves of the trials: train and test). The numbers are simulated, not recorded."
)


def _count(value, name, minimum):
    return validate_int(
        value, name, Interval(Integral, minimum, None, text=f">= {minimum}"), expected="an integer"
    )


def _tuning(theta_deg, preferred_deg, kappa, period_deg, gain, baseline):
    """Von Mises tuning curves, shape (n_angles, n_neurons), float32."""
    cycles = np.float32(360.0) / period_deg.astype(np.float32)  # m = 1 or 2
    phase = (
        np.deg2rad(theta_deg.astype(np.float32))[:, None]
        - np.deg2rad(preferred_deg.astype(np.float32))[None, :]
    )
    bump = np.exp(kappa.astype(np.float32) * (np.cos(cycles * phase) - np.float32(1.0)))
    return baseline.astype(np.float32) + gain.astype(np.float32) * bump


def generate(seed=SEED, *, n_neurons=N_NEURONS, n_trials=N_TRIALS):
    """Simulate one experiment and return the contents of both data files.

    Parameters
    ----------
    seed : int, default=SEED
        Seed of the random generator; the same seed gives identical arrays.
    n_neurons : int, default=23589
        Number of simulated neurons (smaller values make quick tests).
    n_trials : int, default=4000
        Number of simulated trials, at least 360 so that every 1-degree bin
        receives a trial (the first 360 trials cover one bin each).

    Returns
    -------
    dict
        ``{"oribinned1": {"resp", "stimuli"}, "oribinned6_split": {"resp_train",
        "resp_test", "stimuli"}}`` with the real files' layout:

        - ``resp``: (360, n_neurons) float32, mean z-scored response per 1-degree bin;
        - ``stimuli`` of ``oribinned1``: (360,) float64, mean orientation of the
          trials in each bin (bin ``k`` holds angles in ``[k, k + 1)``);
        - ``resp_train`` and ``resp_test``: (60, n_neurons) float32, the same for
          6-degree bins, from two independent halves of the trials;
        - ``stimuli`` of ``oribinned6_split``: (60, 1) float64, mean orientation
          of all trials in each 6-degree bin.

    Examples
    --------
    >>> files = generate(n_neurons=50)
    >>> files["oribinned1"]["resp"].shape
    (360, 50)
    >>> files["oribinned6_split"]["stimuli"].shape
    (60, 1)
    """
    seed = _count(seed, "seed", 0)
    n_neurons = _count(n_neurons, "n_neurons", 1)
    n_trials = _count(n_trials, "n_trials", 360)
    rng = np.random.default_rng(seed)
    # The draws, in this order, are the generator's stream: the trials, the neurons, the noise.
    counts, angle_sums, group_angle = _trial_groups(rng, n_trials)
    signal = _tuning(group_angle, *_neurons(rng, n_neurons))
    z_sums = _z_scored_sums(rng, signal, counts, n_trials)
    del signal
    return _binned_files(
        z_sums.reshape(2, 360, n_neurons), counts.reshape(2, 360), angle_sums.reshape(2, 360)
    )


def _trial_groups(rng, n_trials):
    """Draw the trials' directions and gather them in (half, 1-degree bin) groups.

    Returns
    -------
    tuple of numpy.ndarray
        ``(counts, angle_sums, group_angle)``, each of shape (720,): the number of trials of
        each group, the sum of their directions and their mean direction (the bin's centre for
        an empty group). Group ``g = half * 360 + bin``: rows 0-359 are half 0, rows 360-719
        half 1.
    """
    # Trials: one per 1-degree bin first, alternating between the two halves, so
    # no 1-degree bin and no (half, 6-degree bin) is ever empty; the rest uniform.
    n_extra = n_trials - 360
    theta = np.concatenate([np.arange(360) + rng.random(360), 360.0 * rng.random(n_extra)])
    extra_half = np.zeros(n_extra, dtype=np.int64)
    extra_half[rng.permutation(n_extra)[: n_extra // 2]] = 1
    half = np.concatenate([np.arange(360) % 2, extra_half])
    group = half * 360 + np.floor(theta).astype(np.int64)
    counts = np.bincount(group, minlength=720).astype(np.float64)
    angle_sums = np.bincount(group, weights=theta, minlength=720)
    # An empty group contributes nothing; give it the bin centre to avoid 0 / 0.
    centres = np.tile(np.arange(360) + 0.5, 2)
    group_angle = np.divide(angle_sums, counts, out=centres, where=counts > 0)
    return counts, angle_sums, group_angle


def _neurons(rng, n_neurons):
    """Draw each neuron's type, preferred angle, width, gain and baseline.

    Returns
    -------
    tuple of numpy.ndarray
        ``(preferred, kappa, period, gain, baseline)``, each of shape (n_neurons,), in the
        order :func:`_tuning` takes them; an untuned neuron has gain 0.
    """
    kind = rng.random(n_neurons)
    period = np.where(kind < _FRACTION_ORIENTATION, 180.0, 360.0)
    tuned = kind < _FRACTION_ORIENTATION + _FRACTION_DIRECTION
    preferred = 360.0 * rng.random(n_neurons)
    kappa = rng.uniform(*_KAPPA_RANGE, n_neurons)
    gain = np.exp(np.log(_GAIN_MEDIAN) + _GAIN_LOG_SD * rng.standard_normal(n_neurons))
    gain = np.where(tuned, gain, 0.0)
    baseline = rng.uniform(*_BASELINE_RANGE, n_neurons)
    return preferred, kappa, period, gain, baseline


def _z_scored_sums(rng, signal, counts, n_trials):
    """Draw the noise and return, per group, the sum of its trials' z-scored responses.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator, for the noise.
    signal : numpy.ndarray
        (720, n_neurons) float32 tuning-curve values at each group's mean direction.
    counts : numpy.ndarray
        (720,) trials per group.
    n_trials : int
        Number of trials in all.

    Returns
    -------
    numpy.ndarray
        (720, n_neurons) float32 sums, each trial's response z-scored per neuron over trials.
    """
    # Sum of the responses of the trials in each group: n * f(angle) + noise sum,
    # where the sum of n unit Gaussians is one Gaussian with variance n.
    n = counts.astype(np.float32)[:, None]
    noise = rng.standard_normal(signal.shape, dtype=np.float32)
    sums = n * signal + np.float32(_NOISE_SD) * np.sqrt(n) * noise
    del noise

    # z-score per neuron over trials: trial mean from the sums, trial variance =
    # variance of the tuning signal over trials + noise variance.
    mean = sums.sum(axis=0, dtype=np.float64) / n_trials
    signal_mean = (n * signal).sum(axis=0, dtype=np.float64) / n_trials
    signal_var = (n * signal * signal).sum(axis=0, dtype=np.float64) / n_trials - signal_mean**2
    sd = np.sqrt(np.maximum(signal_var, 0.0) + _NOISE_SD**2)
    return (sums - n * mean.astype(np.float32)) / sd.astype(np.float32)


def _binned_files(z_sums, counts, angle_sums):
    """Average the groups into the two files' bins.

    Parameters
    ----------
    z_sums : numpy.ndarray
        (2, 360, n_neurons) sums of z-scored responses per (half, 1-degree bin).
    counts, angle_sums : numpy.ndarray
        (2, 360) trials and sums of their directions per (half, 1-degree bin).

    Returns
    -------
    dict
        The contents of both files, as :func:`generate` returns them.
    """
    n_neurons = z_sums.shape[-1]
    # File 1: all trials, 1-degree bins.
    bin_counts = counts.sum(axis=0)
    oribinned1 = {
        "resp": (z_sums.sum(axis=0) / bin_counts[:, None]).astype(np.float32),
        "stimuli": angle_sums.sum(axis=0) / bin_counts,
    }
    # File 2: 6-degree bins, each half on its own.
    z6 = z_sums.reshape(2, 60, 6, n_neurons).sum(axis=2)
    counts6 = counts.reshape(2, 60, 6).sum(axis=2)
    resp6 = (z6 / counts6[:, :, None]).astype(np.float32)
    stimuli6 = angle_sums.reshape(2, 60, 6).sum(axis=(0, 2)) / counts6.sum(axis=0)
    oribinned6_split = {
        "resp_train": resp6[0],
        "resp_test": resp6[1],
        "stimuli": stimuli6[:, None],
    }
    return {"oribinned1": oribinned1, "oribinned6_split": oribinned6_split}
