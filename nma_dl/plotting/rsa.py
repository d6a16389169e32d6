"""Figures of the encoding-model tutorial: RDMs, their rows and correlations, tuning, t-SNE.

They compare how V1 and the layers of a network represent gratings of every orientation.

Each function takes a dict ``{label: array}`` with one entry per representation (``'V1 data'``,
``"model 'pool' layer"``, ...) and draws one panel per entry, in the dict's order. Orientations
are tilts from vertical, -90 to 90 degrees; colours for them use the cyclic map ``twilight``,
so -90 and 90 (the same orientation) get the same colour. Orientation axes are ticked in
degrees ("−45°"); an RDM's axes too, when it is given the orientation of its stimuli.
"""

import matplotlib.pyplot as plt
import numpy as np

from nma_dl._validate import validate_instance
from nma_dl.plotting.style import (
    _as_vector,
    _degrees,
    _orientation_ticks,
    _sorted_orientations,
    _to_numpy,
    class_colors,
)

__all__ = [
    "plot_multiple_rdm",
    "plot_rdm_rdm_correlations",
    "plot_rdm_rows",
    "plot_resp_lowd",
    "plot_tuning",
]

#: A cyclic colour map: tilts of -90 and +90 degrees are the same orientation.
ORI_CMAP = "twilight"
_ORI_TICKS = np.linspace(-90, 90, 5)
_ORI_LABELS = [_degrees(v) for v in _ORI_TICKS]

# Words in a label that name recorded data, whose columns are neurons (a layer's are units).
_RECORDED = ("v1", "data", "neuron")


def _validate_dict(value, name):
    validate_instance(value, dict, name, "a dict {label: array}", sep=";")
    if not value:
        raise ValueError(f"{name} must have at least one entry; got an empty dict")
    return {label: _to_numpy(v, f"{name}[{label!r}]") for label, v in value.items()}


def _panels(n, size=4.0):
    fig, axs = plt.subplots(1, n, figsize=(size * n, size), squeeze=False)
    return fig, axs[0]


def _validate_ori(ori, n_rows, name="ori"):
    ori = _as_vector(ori, name)
    if len(ori) != n_rows:
        raise ValueError(
            f"{name} must have one orientation per stimulus ({n_rows}); got {len(ori)}"
        )
    return ori


def plot_multiple_rdm(rdm_dict, ori=None):
    """Show dissimilarity matrices side by side, on the common colour range 0 to 2.

    Parameters
    ----------
    rdm_dict : dict
        ``{label: (n_stimuli, n_stimuli) RDM}``.
    ori : array-like, optional
        (n_stimuli,) orientation in degrees of each row (and column) of the RDMs, sorted
        (non-decreasing). If given, both axes are ticked with a few round orientations
        ("−90°", "−45°", ...); by default they have no ticks.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rdms = _validate_dict(rdm_dict, "rdm_dict")
    if ori is not None:
        n = next(iter(rdms.values())).shape[0]
        ori = _sorted_orientations(ori, "ori", n, "stimulus")
    fig, axs = _panels(len(rdms))
    for ax, (label, rdm) in zip(axs, rdms.items(), strict=True):
        if rdm.ndim != 2 or rdm.shape[0] != rdm.shape[1]:
            raise ValueError(f"rdm_dict[{label!r}] must be a square matrix; got shape {rdm.shape}")
        if ori is not None and rdm.shape[0] != len(ori):
            raise ValueError(
                f"rdm_dict[{label!r}] must have one row per orientation of ori ({len(ori)}); "
                f"got shape {rdm.shape}"
            )
        image = ax.imshow(rdm, vmin=0, vmax=2, cmap="viridis")
        ax.set_title(label)
        _rdm_axes(ax, ori, first=ax is axs[0])
    fig.colorbar(image, ax=axs.tolist(), label="dissimilarity", shrink=0.8)
    return fig


def _rdm_axes(ax, ori, first):
    """Label an RDM's axes: by orientation when it is known, else just "stimulus".

    With orientations, only the first panel writes them along its y-axis: every panel has the
    same, and the labels would run into the panel on their left.
    """
    if ori is None:
        ax.set(xlabel="stimulus", ylabel="stimulus", xticks=[], yticks=[])
        return
    positions, labels = _orientation_ticks(ori)
    ax.set_xticks(positions, labels)
    ax.set_yticks(positions, labels if first else [])
    ax.set_xlabel("stimulus orientation (°)")
    if first:
        ax.set_ylabel("stimulus orientation (°)")


def plot_rdm_rdm_correlations(rdm_sim):
    """One bar per model layer: the correlation of its RDM with the data's.

    Parameters
    ----------
    rdm_sim : dict
        ``{label: correlation}``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    validate_instance(rdm_sim, dict, "rdm_sim", "a dict {label: correlation}", sep=";")
    if not rdm_sim:
        raise ValueError("rdm_sim must have at least one entry; got an empty dict")
    values = _as_vector(list(rdm_sim.values()), "rdm_sim")
    fig, ax = plt.subplots(figsize=(2 + 1.5 * len(values), 4))
    ax.bar(range(len(values)), values)
    ax.set_xticks(range(len(values)), list(rdm_sim), rotation=20, ha="right")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylabel("correlation with the\nV1 data's RDM")
    return ax


def plot_rdm_rows(ori_list, rdm_dict, rdm_oris):
    """Rows of each RDM: how a response differs from the responses to all other stimuli.

    For each orientation in ``ori_list``, the row of the stimulus nearest to it is drawn
    against orientation, and a dashed line marks the orientation itself.

    Parameters
    ----------
    ori_list : sequence of float
        Tilts (degrees) whose rows to show, e.g. ``[-75, -25, 25, 75]``.
    rdm_dict : dict
        ``{label: (n_stimuli, n_stimuli) RDM}``.
    rdm_oris : array-like
        (n_stimuli,) orientation of each row and column of the RDMs.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rdms = _validate_dict(rdm_dict, "rdm_dict")
    ori_list = _as_vector(ori_list, "ori_list")
    n = next(iter(rdms.values())).shape[0]
    rdm_oris = _validate_ori(rdm_oris, n, "rdm_oris")
    order = np.argsort(rdm_oris)
    # Rows are categories: distinct colours (on the cyclic map, -75 and 75 would look alike),
    # readable on white (tab10's orange has 2.4:1).
    colors = class_colors(len(ori_list))
    fig, axs = _panels(len(rdms))
    for ax, (label, rdm) in zip(axs, rdms.items(), strict=True):
        if rdm.shape != (n, n):
            raise ValueError(f"rdm_dict[{label!r}] must have shape {(n, n)}; got {rdm.shape}")
        for ori, color in zip(ori_list, colors, strict=True):
            row = int(np.argmin(np.abs(rdm_oris - ori)))
            ax.plot(rdm_oris[order], rdm[row, order], color=color, label=_degrees(ori))
            ax.axvline(rdm_oris[row], color=color, ls="--", lw=0.8)
        ax.set(title=label, xlabel="stimulus orientation (°)", ylim=(0, 2))
        ax.set_xticks(_ORI_TICKS, _ORI_LABELS)
    axs[0].set_ylabel("dissimilarity")
    axs[-1].legend(title="row of", loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    return fig


def _unit_word(label, neuron_panels):
    """'neuron' for a panel of recorded neurons, 'unit' for a network layer's panel."""
    if neuron_panels is None:
        neuron = any(word in str(label).lower() for word in _RECORDED)
    else:
        neuron = label in neuron_panels
    return "neuron" if neuron else "unit"


def plot_tuning(resp_dict, ori, n_units=3, seed=0, neuron_panels=None):
    """Tuning curves of a few randomly chosen neurons or units of each representation.

    Units whose response never changes (e.g. silent ReLUs) are not drawn from. The legend
    below a panel of recorded data names its curves "neuron 12", that of a network layer
    "unit 3".

    Parameters
    ----------
    resp_dict : dict
        ``{label: (n_stimuli, n_units) responses}``.
    ori : array-like
        (n_stimuli,) orientation of each stimulus.
    n_units : int, default=3
        Curves per panel (all units if a representation has fewer).
    seed : int or None, default=0
        Seed of the random choice; ``None`` draws a new set every call.
    neuron_panels : collection of str, optional
        The labels whose columns are recorded neurons. By default, every label that mentions
        "V1", "data" or "neuron" (any case), such as ``'V1 data'``; the others are layers.

    Returns
    -------
    matplotlib.figure.Figure
    """
    resps = _validate_dict(resp_dict, "resp_dict")
    if neuron_panels is not None:
        kinds = (list, tuple, set, frozenset)
        validate_instance(neuron_panels, kinds, "neuron_panels", "a list of labels", sep=";")
    rng = np.random.default_rng(seed)
    fig, axs = _panels(len(resps))
    for ax, (label, resp) in zip(axs, resps.items(), strict=True):
        x = _validate_ori(ori, resp.shape[0])
        order = np.argsort(x)
        varying = np.flatnonzero(np.ptp(resp, axis=0) > 0)
        units = np.sort(rng.choice(varying, min(n_units, len(varying)), replace=False))
        word = _unit_word(label, neuron_panels)
        for unit in units:
            ax.plot(x[order], resp[order, unit], label=f"{word} {unit}")
        ax.set(title=label, xlabel="stimulus orientation (°)")
        ax.set_xticks(_ORI_TICKS, _ORI_LABELS)
        # Below the panel, not over its curves (they span the whole panel).
        ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=1)
    axs[0].set_ylabel("response")
    fig.tight_layout()
    return fig


def plot_resp_lowd(resp_dict, ori, n_pca=20, random_state=0):
    """Each representation embedded in 2-D (PCA, then t-SNE), points coloured by orientation.

    Parameters
    ----------
    resp_dict : dict
        ``{label: (n_stimuli, n_units) responses}``.
    ori : array-like
        (n_stimuli,) orientation of each stimulus, -90 to 90 degrees.
    n_pca, random_state : int
        As in :func:`nma_dl.reduce_dimensions`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    # deferred: nma_dl.analysis imports torch, which the other figures here never need
    from nma_dl.analysis import reduce_dimensions

    resps = _validate_dict(resp_dict, "resp_dict")
    fig, axs = _panels(len(resps), size=4.5)
    for ax, (label, resp) in zip(axs, resps.items(), strict=True):
        x = _validate_ori(ori, resp.shape[0])
        try:
            lowd = reduce_dimensions(resp, n_pca=n_pca, random_state=random_state)
        except ValueError as error:
            if not str(error).startswith("resp"):
                raise
            # reduce_dimensions names its own argument; here it is an entry of resp_dict
            raise ValueError(f"resp_dict[{label!r}]: {error}") from None
        points = ax.scatter(lowd[:, 0], lowd[:, 1], c=x, cmap=ORI_CMAP, vmin=-90, vmax=90, s=12)
        ax.set(title=label, xlabel="dimension 1", ylabel="dimension 2")
        ax.set(xticks=[], yticks=[])
    fig.colorbar(points, ax=axs.tolist(), ticks=_ORI_TICKS, label="stimulus orientation (°)")
    return fig
