"""Compare representations: dissimilarity matrices (RSA), hidden activity, low-d embeddings.

Representational similarity analysis (RSA) summarises how a population, a brain area or a
network layer, represents a set of stimuli by its representational dissimilarity matrix
(:func:`RDM`): how different the population responses to every pair of stimuli are. Two
populations of any size can then be compared by correlating their matrices
(:func:`correlate_rdms`). :func:`get_hidden_activity` records a network's layers, and
:func:`reduce_dimensions` embeds responses in two dimensions (PCA, then t-SNE) to look at them.

Responses are (n_stimuli, n_units) NumPy arrays or CPU tensors; results are NumPy.
"""

import numpy as np
from scipy.stats import zscore

from nma_dl._validate import require, validate_instance, validate_int

__all__ = [
    "RDM",
    "correlate_rdms",
    "get_hidden_activity",
    "preferred_orientation",
    "reduce_dimensions",
]


def _matrix(value, name, what="(n_stimuli, n_units)"):
    """``value`` as a 2-D float64 array with at least one row and column, all finite."""
    import torch

    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    validate_instance(value, np.ndarray, name, "a NumPy array or a torch.Tensor")
    if value.ndim != 2 or 0 in value.shape:
        raise ValueError(f"{name} must be a 2-D array of shape {what}, got shape {value.shape}")
    if not (np.issubdtype(value.dtype, np.number) or value.dtype == bool):
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    if np.iscomplexobj(value):
        raise TypeError(f"{name} must hold real numbers, got dtype {value.dtype}")
    value = value.astype(np.float64)
    if not np.isfinite(value).all():
        row = int(np.nonzero(~np.isfinite(value).all(axis=1))[0][0])
        raise ValueError(f"{name} must be finite, got NaN or infinity in row {row}")
    return value


def RDM(resp):
    r"""Representational dissimilarity matrix: one minus the correlation of every two responses.

    Each row (the population response to one stimulus) is z-scored across units, with the
    :math:`1/N` standard deviation of :func:`scipy.stats.zscore`; then
    :math:`M = 1 - Z Z^\top / N`, which is one minus the Pearson correlation of the two rows.

    Parameters
    ----------
    resp : numpy.ndarray or torch.Tensor
        (n_stimuli, n_units) responses, one row per stimulus, at least two units.

    Returns
    -------
    numpy.ndarray
        (n_stimuli, n_stimuli) float64, symmetric, zero on the diagonal, values in [0, 2].

    Raises
    ------
    ValueError
        If ``resp`` is not 2-D, has fewer than two units, or a row is constant (its z-score,
        and so its correlation with anything, is undefined).
    """
    resp = _matrix(resp, "resp")
    n_units = resp.shape[1]
    require(n_units >= 2, "resp", "a response of at least 2 units per stimulus", n_units)
    constant = np.ptp(resp, axis=1) == 0
    if constant.any():
        row = int(np.nonzero(constant)[0][0])
        raise ValueError(
            f"resp row {row} is constant ({constant.sum()} such rows): a z-score, and so a "
            "correlation, needs responses that vary across units"
        )
    zresp = zscore(resp, axis=1)
    return 1 - zresp @ zresp.T / n_units


def correlate_rdms(rdm1, rdm2):
    """Pearson correlation of two RDMs over their entries above the diagonal.

    The diagonal is zero by construction and the lower triangle repeats the upper one, so only
    the strictly upper-triangular entries are compared.

    Parameters
    ----------
    rdm1, rdm2 : numpy.ndarray or torch.Tensor
        (n_stimuli, n_stimuli) matrices for the same stimuli, in the same order (n_stimuli >= 3).

    Returns
    -------
    float
        The correlation coefficient, in [-1, 1].

    Raises
    ------
    ValueError
        If a matrix is not square, the two differ in size, or the entries of one do not vary.
    """
    rdms = []
    for value, name in ((rdm1, "rdm1"), (rdm2, "rdm2")):
        value = _matrix(value, name, "(n_stimuli, n_stimuli)")
        if value.shape[0] != value.shape[1]:
            raise ValueError(f"{name} must be square (n_stimuli, n_stimuli), got {value.shape}")
        rdms.append(value)
    if rdms[0].shape != rdms[1].shape:
        raise ValueError(
            f"rdm1 and rdm2 must be for the same stimuli, got shapes {rdms[0].shape} and "
            f"{rdms[1].shape}"
        )
    n = rdms[0].shape[0]
    require(n >= 3, "rdm1", "at least 3 x 3 (2 pairs of stimuli to correlate)", n)
    upper = np.triu_indices(n, k=1)
    offdiag = [rdm[upper] for rdm in rdms]
    for values, name in zip(offdiag, ("rdm1", "rdm2"), strict=True):
        if np.ptp(values) == 0:
            raise ValueError(f"{name}'s entries above the diagonal are all equal: no correlation")
    return float(np.corrcoef(offdiag[0], offdiag[1])[0, 1])


def get_hidden_activity(net, stimuli, layer_labels):
    """Record what named layers of a network output for some stimuli.

    A forward hook on each layer copies its output during one forward pass; the hooks are
    removed afterwards, also when the pass fails. Gradients are not tracked.

    Parameters
    ----------
    net : torch.nn.Module
        The network; its layers are found by name, as in ``net.named_modules()`` (``'fc'``
        for ``net.fc``).
    stimuli : torch.Tensor
        What ``net`` takes, one stimulus per row (for :class:`~nma_dl.CNN`, (n, 48, 64)).
    layer_labels : list of str
        Names of the layers to record.

    Returns
    -------
    dict
        ``{label: (n_stimuli, n_units) float32 NumPy array}``, each layer's output flattened
        per stimulus, in the order of ``layer_labels``.

    Raises
    ------
    ValueError
        If a label names no layer of ``net`` (the message lists those it has).
    """
    import torch
    from torch import nn

    validate_instance(net, nn.Module, "net", "a torch.nn.Module")
    validate_instance(stimuli, torch.Tensor, "stimuli", "a torch.Tensor")
    if isinstance(layer_labels, str):
        raise TypeError(
            f"layer_labels must be a list of layer names, got the str {layer_labels!r} "
            f"(write [{layer_labels!r}])"
        )
    validate_instance(layer_labels, (list, tuple), "layer_labels", "a list of layer names")
    require(len(layer_labels) > 0, "layer_labels", "at least one layer name", layer_labels)
    modules = dict(net.named_modules())
    valid = [name for name in modules if name]
    for label in layer_labels:
        if not isinstance(label, str) or label not in modules or not label:
            raise ValueError(
                f"layer_labels: {label!r} is not a layer of {type(net).__name__}; its layers "
                f"are {', '.join(repr(name) for name in valid)}"
            )

    activity = {}

    def recorder(label):
        def hook(module, inputs, output):
            activity[label] = output.detach().flatten(start_dim=1).cpu().numpy()

        return hook

    handles = [modules[label].register_forward_hook(recorder(label)) for label in layer_labels]
    try:
        with torch.no_grad():
            net(stimuli)
    finally:
        for handle in handles:
            handle.remove()
    return {label: activity[label] for label in layer_labels}


def reduce_dimensions(resp, n_pca=20, random_state=0):
    """Embed responses in two dimensions: PCA to ``n_pca`` components, then t-SNE.

    PCA first makes t-SNE fast on thousands of units and removes some noise.

    Parameters
    ----------
    resp : numpy.ndarray or torch.Tensor
        (n_stimuli, n_units) responses, at least 5 stimuli and 2 units.
    n_pca : int, default=20
        Components kept by PCA (fewer if there are fewer units or stimuli).
    random_state : int, default=0
        Seed of both PCA and t-SNE, so an embedding can be drawn again identically.

    Returns
    -------
    numpy.ndarray
        (n_stimuli, 2) coordinates.
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from threadpoolctl import threadpool_limits

    resp = _matrix(resp, "resp")
    n_stimuli, n_units = resp.shape
    require(n_stimuli >= 5, "resp", "at least 5 stimuli (rows) to embed", n_stimuli)
    require(n_units >= 2, "resp", "at least 2 units (columns)", n_units)
    n_pca = validate_int(n_pca, "n_pca", minimum=2)
    random_state = validate_int(random_state, "random_state", minimum=0)
    n_components = min(n_pca, n_units, n_stimuli)
    # t-SNE needs perplexity < n_stimuli; sklearn's default (30) for the tutorial's 180 points
    perplexity = min(30.0, (n_stimuli - 1) / 3)
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=random_state)
    # One BLAS/OpenMP thread: for a few hundred points threads gain little, and on a busy
    # machine their busy-waiting made this 40 times slower (measured on 2 shared cores).
    with threadpool_limits(limits=1):
        lowd = PCA(n_components=n_components, random_state=random_state).fit_transform(resp)
        return tsne.fit_transform(lowd)


# --------------------------------------------------------------------------- preferred orientation
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) sorts neurons by their preferred
# orientation to make the decoder's input weights readable.


def preferred_orientation(resp, sigma=5, mode="wrap"):
    """Index of each neuron's peak response after smoothing its tuning curve.

    Each column of ``resp`` (a tuning curve over stimuli evenly spaced around the circle) is
    smoothed with a Gaussian of ``sigma`` stimuli along the stimulus axis
    (:func:`scipy.ndimage.gaussian_filter1d`), then ``argmax`` gives the stimulus of the peak.
    Orientation is circular, so the smoothing wraps around by default: 359° is a neighbour of 0°.
    The original course reflected at the ends instead (``mode="reflect"``), which drags peaks
    near 0° and 360° inwards and splits a neuron that prefers 0° between the two ends.

    Parameters
    ----------
    resp : numpy.ndarray or torch.Tensor
        (n_stimuli, n_neurons) responses, rows ordered by orientation (e.g. ``load_data()``'s).
    sigma : float, default=5
        Width of the Gaussian, in stimuli (degrees for 1-degree bins), > 0.
    mode : {"wrap", "reflect", "nearest", "mirror", "constant"}, default="wrap"
        How :func:`scipy.ndimage.gaussian_filter1d` extends the curves beyond the ends.

    Returns
    -------
    numpy.ndarray
        (n_neurons,) int64 row index of each neuron's smoothed peak; ``argsort()`` of it orders
        the neurons by preferred orientation.

    Examples
    --------
    >>> import numpy as np
    >>> resp = np.zeros((360, 2)); resp[10, 0] = 1; resp[350, 1] = 1
    >>> preferred_orientation(resp)
    array([ 10, 350])
    """
    from scipy.ndimage import gaussian_filter1d

    from nma_dl._validate import validate_real

    resp = _matrix(resp, "resp", "(n_stimuli, n_neurons)")
    sigma = validate_real(sigma, "sigma", minimum=0, exclusive=True)
    modes = ("wrap", "reflect", "nearest", "mirror", "constant")
    validate_instance(mode, str, "mode", f"one of {modes}")
    require(mode in modes, "mode", f"one of {modes}", mode)
    smoothed = gaussian_filter1d(resp, sigma, axis=0, mode=mode)
    return smoothed.argmax(axis=0).astype(np.int64)
