"""Figures of the encoding-model tutorial: RDMs, their rows and correlations, tuning, t-SNE.

They compare how V1 and the layers of a network represent gratings of every orientation.

Each function takes a dict ``{label: array}`` with one entry per representation (``'V1 data'``,
``"model 'pool' layer"``, ...) and draws one panel per entry, in the dict's order. Orientations
are tilts from vertical, -90 to 90 degrees; colours for them use the cyclic map ``twilight``,
so -90 and 90 (the same orientation) get the same colour.
"""

import matplotlib.pyplot as plt
import numpy as np

from nma_dl._validate import validate_instance
from nma_dl.plotting.style import _as_vector, _to_numpy

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


def plot_multiple_rdm(rdm_dict):
    """Show dissimilarity matrices side by side, on the common colour range 0 to 2.

    Parameters
    ----------
    rdm_dict : dict
        ``{label: (n_stimuli, n_stimuli) RDM}``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    rdms = _validate_dict(rdm_dict, "rdm_dict")
    fig, axs = _panels(len(rdms))
    for ax, (label, rdm) in zip(axs, rdms.items(), strict=True):
        if rdm.ndim != 2 or rdm.shape[0] != rdm.shape[1]:
            raise ValueError(f"rdm_dict[{label!r}] must be a square matrix; got shape {rdm.shape}")
        image = ax.imshow(rdm, vmin=0, vmax=2, cmap="viridis")
        ax.set(title=label, xlabel="stimulus", ylabel="stimulus", xticks=[], yticks=[])
    fig.colorbar(image, ax=axs.tolist(), label="dissimilarity", shrink=0.8)
    return fig


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
    # rows are categories: distinct colours (on the cyclic map, -75 and 75 would look alike)
    colors = plt.get_cmap("tab10")(np.arange(len(ori_list)) % 10)
    fig, axs = _panels(len(rdms))
    for ax, (label, rdm) in zip(axs, rdms.items(), strict=True):
        if rdm.shape != (n, n):
            raise ValueError(f"rdm_dict[{label!r}] must have shape {(n, n)}; got {rdm.shape}")
        for ori, color in zip(ori_list, colors, strict=True):
            row = int(np.argmin(np.abs(rdm_oris - ori)))
            ax.plot(rdm_oris[order], rdm[row, order], color=color, label=f"{ori:g}°")
            ax.axvline(rdm_oris[row], color=color, ls="--", lw=0.8)
        ax.set(title=label, xlabel="stimulus orientation (°)", ylim=(0, 2), xticks=_ORI_TICKS)
    axs[0].set_ylabel("dissimilarity")
    axs[-1].legend(title="row of", loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    return fig


def plot_tuning(resp_dict, ori, n_units=3, seed=0):
    """Tuning curves of a few randomly chosen units of each representation.

    Units whose response never changes (e.g. silent ReLUs) are not drawn from.

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

    Returns
    -------
    matplotlib.figure.Figure
    """
    resps = _validate_dict(resp_dict, "resp_dict")
    rng = np.random.default_rng(seed)
    fig, axs = _panels(len(resps))
    for ax, (label, resp) in zip(axs, resps.items(), strict=True):
        x = _validate_ori(ori, resp.shape[0])
        order = np.argsort(x)
        varying = np.flatnonzero(np.ptp(resp, axis=0) > 0)
        units = np.sort(rng.choice(varying, min(n_units, len(varying)), replace=False))
        for unit in units:
            ax.plot(x[order], resp[order, unit], label=f"unit {unit}")
        ax.set(title=label, xlabel="stimulus orientation (°)", xticks=_ORI_TICKS)
        ax.legend(fontsize="small")
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
