"""Compare representations: dissimilarity matrices (RSA), hidden activity, low-d embeddings.

Representational similarity analysis (RSA) summarises how a population, a brain area or a
network layer, represents a set of stimuli by its representational dissimilarity matrix
(:func:`RDM`): how different the population responses to every pair of stimuli are. Two
populations of any size can then be compared by correlating their matrices
(:func:`correlate_rdms`). :func:`get_hidden_activity` records a network's layers, and
:func:`reduce_dimensions` embeds responses in two dimensions (PCA, then t-SNE) to look at them.

Responses are (n_stimuli, n_units) NumPy arrays or CPU tensors; results are NumPy.
"""

from numbers import Integral, Real

import numpy as np
import threadpoolctl  # qualified at each call, so that tests can spy on threadpool_limits
import torch
from scipy.ndimage import gaussian_filter1d
from scipy.stats import zscore
from torch import nn

from nma_dl._validate import (
    Interval,
    check_array,
    require,
    tensor_to_numpy,
    validate_instance,
    validate_int,
    validate_memory,
    validate_not_meta,
    validate_real,
    validate_steps,
)

__all__ = [
    "RDM",
    "correlate_rdms",
    "get_hidden_activity",
    "preferred_orientation",
    "reduce_dimensions",
]


def _matrix(value, name, what="(n_stimuli, n_units)"):
    """``value`` as a 2-D float64 array with at least one row and column, all finite.

    Tensors of any float dtype are taken (bfloat16 and float16 convert exactly); a meta tensor,
    which has no values, is refused (:func:`~nma_dl._validate.check_array`).
    """
    return check_array(
        value,
        name,
        expected="a NumPy array or a torch.Tensor",
        ndim=2,
        shape=f"a 2-D array of shape {what}",
        finite=True,
        copy=True,
    )


#: Above this many stimuli RDM computes z @ z.T on one BLAS thread (see RDM): half the
#: smallest number of rows seen to crash the threaded product.
_SYRK_THREADS_MAX_ROWS = 2**13

#: RDM and correlate_rdms leave values whose largest magnitude is within 2**-256 .. 2**256
#: as they are: their squares, summed, stay far from overflow and underflow.
_SAFE_EXPONENT = 256


def _scaled_to_one(values, axis=None):
    """``values`` divided by a power of two near their largest magnitude, where that is extreme.

    Correlations and z-scores ignore the scale, and multiplying by a power of two is exact, so
    they come out the same, bit for bit; but the squares of values near 1e200 overflow to inf
    and those of values near 1e-200 vanish. Values (each slice along ``axis``) whose largest
    magnitude is within ``2**±256`` are returned unchanged.
    """
    largest = np.max(np.abs(values), axis=axis, keepdims=True)
    exponent = np.frexp(largest)[1]
    exponent[np.abs(exponent) <= _SAFE_EXPONENT] = 0
    if not exponent.any():
        return values
    return np.ldexp(values, -exponent)


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
        and so its correlation with anything, is undefined); if ``resp`` is a meta tensor; or
        if the result would need more memory than the limit of
        :func:`nma_dl._validate.validate_memory` (4 GB, about 22,000 stimuli; environment
        variable ``NMA_DL_MAX_MEMORY_GB``), which is what ``RDM(resp.T)`` (neurons as rows)
        asks for.
    TypeError
        If ``resp`` holds complex numbers, strings or objects.

    Notes
    -----
    Above 8,192 stimuli the product :math:`Z Z^\top` runs on one BLAS thread: OpenBLAS's
    threaded version of it crashes the process on large matrices (from 16,000 stimuli of
    1,000 units on a 2-core machine).

    The correlation ignores the scale of each row, so a row whose largest value is far from
    1 (beyond :math:`2^{\pm 256}`, about :math:`10^{\pm 77}`) is first divided by a power of
    two near it: exact, and it keeps the squares of the z-score from overflowing to inf (or
    vanishing) for values near :math:`10^{200}`.
    """
    resp = _matrix(resp, "resp")
    n_stimuli, n_units = resp.shape
    require(n_units >= 2, "resp", "a response of at least 2 units per stimulus", n_units)
    hint = (
        "; rows are stimuli and columns units: did you pass `resp.T`?"
        if n_stimuli > n_units
        else ""
    )
    # The (n_stimuli, n_stimuli) result, and the z-scores with their temporaries.
    validate_memory(
        8.0 * (n_stimuli**2 + 3 * resp.size),
        f"RDM(resp) of resp with shape {resp.shape} (a {n_stimuli} x {n_stimuli} matrix, one "
        f"row and column per stimulus{hint})",
    )
    constant = np.ptp(resp, axis=1) == 0
    if constant.any():
        row = int(np.nonzero(constant)[0][0])
        raise ValueError(
            f"resp row {row} is constant ({constant.sum()} such rows): a z-score, and so a "
            "correlation, needs responses that vary across units"
        )
    zresp = zscore(_scaled_to_one(resp, axis=1), axis=1)
    if n_stimuli > _SYRK_THREADS_MAX_ROWS:
        # OpenBLAS's threaded z @ z.T (syrk) segfaults on large matrices: measured on 2 cores,
        # from 16,000 rows of 1,000 units or 21,000 of 180 (numpy issue 19685). On one thread
        # it runs; its last bits may differ from the threaded product's.
        with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
            similarity = zresp @ zresp.T
    else:
        similarity = zresp @ zresp.T
    # In place: the n_stimuli^2 result is the one big array (same operations, same numbers).
    similarity /= n_units
    return np.subtract(1, similarity, out=similarity)


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

    Notes
    -----
    Entries far from 1 in size (beyond ``2**±256``, about ``1e±77``) are first divided by a
    power of two, as in :func:`RDM`: the correlation is the same, without overflow.
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
    first, second = (_scaled_to_one(values) for values in offdiag)
    return float(np.corrcoef(first, second)[0, 1])


def get_hidden_activity(net, stimuli, layer_labels):
    """Record what named layers of a network output for some stimuli.

    A forward hook on each layer copies its output during one forward pass; the hooks are
    removed afterwards, also when the pass fails. Gradients are not tracked.

    The pass runs in evaluation mode (``net.eval()``): dropout is off and batch normalization
    uses its running statistics instead of those of ``stimuli`` (which a pass in training mode
    would also update), so the same stimuli always give the same activity and recording leaves
    the network as it was. Each module's own mode is restored afterwards.

    Parameters
    ----------
    net : torch.nn.Module
        The network; its layers are found by name, as in ``net.named_modules()`` (``'fc'``
        for ``net.fc``).
    stimuli : torch.Tensor
        What ``net`` takes, one stimulus per row (for :class:`~nma_dl.CNN`, (n, 48, 64)): a
        batch of one stimulus is ``stimulus[None]``.
    layer_labels : list of str
        Names of the layers to record. Each must run exactly once in ``net``'s forward pass
        and output one tensor with a row per stimulus.

    Returns
    -------
    dict
        ``{label: (n_stimuli, n_units) NumPy array}``, each layer's output flattened per
        stimulus, in the order of ``layer_labels``, of the layer's dtype (float32 for the
        course's networks; bfloat16 becomes float32). The arrays are copies: an in-place
        operation after the layer (``nn.ReLU(inplace=True)``) does not change them.

    Raises
    ------
    ValueError
        If a label names no layer of ``net`` (the message lists those it has); if a layer
        does not run in the forward pass, or runs more than once (a module used twice, such as
        one ``nn.ReLU`` applied after several layers: its calls differ, so none of them is
        "the" activity; record the layers around it, or give each use its own module); if
        a layer's output has no row per stimulus (a 1-D ``stimuli`` holding one stimulus);
        if ``stimuli`` or ``net``'s parameters are meta tensors; or if ``net`` fails on
        ``stimuli`` with a RuntimeError (shapes that do not fit, or ``stimuli`` on another
        device than ``net``: the message says which, and quotes torch's).
    TypeError
        If a layer outputs something else than one tensor (a tuple, as ``nn.LSTM`` does), or
        ``net`` fails on ``stimuli`` of another dtype than its parameters' (bfloat16
        stimuli for a float32 network).
    """
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
    _validate_net_input(net, stimuli)

    labels = list(dict.fromkeys(layer_labels))  # a label given twice is recorded once
    calls = {label: [] for label in labels}

    def recorder(label):
        def hook(module, inputs, output):
            # A copy: an in-place operation later in the pass must not change the record.
            calls[label].append(
                output.detach().clone() if isinstance(output, torch.Tensor) else type(output)
            )

        return hook

    handles = [modules[label].register_forward_hook(recorder(label)) for label in labels]
    modes = {module: module.training for module in net.modules()}
    try:
        net.eval()
        with torch.no_grad():
            net(stimuli)
    except RuntimeError as error:
        if isinstance(error, torch.OutOfMemoryError):
            raise
        raise _failure(net, stimuli, error) from error
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            module.training = training
    return {label: _recorded(calls[label], label, net, stimuli) for label in labels}


def _validate_net_input(net, stimuli):
    """Refuse what can hold no activity at all: meta tensors, a 0-d tensor."""
    validate_not_meta(stimuli, "stimuli")
    if stimuli.ndim == 0:
        raise ValueError("stimuli must hold one stimulus per row, got a 0-d tensor")
    if any(p.is_meta for p in net.parameters()):
        raise ValueError(
            f"net must hold numbers, but {type(net).__name__} has meta parameters (built on "
            f"device='meta': shapes without values); build it on 'cpu' or 'cuda' instead"
        )


def _failure(net, stimuli, error):
    """Return the clear error for a RuntimeError of ``net(stimuli)``, naming the one at fault.

    Only a failed pass is diagnosed: a network may move or convert its input itself.
    """
    parameters = list(net.parameters())
    devices = {p.device for p in parameters}
    dtypes = {p.dtype for p in parameters if p.is_floating_point()}
    if len(devices) == 1 and stimuli.device not in devices:
        (device,) = devices
        return ValueError(
            f"stimuli must be on net's device {device}, got {stimuli.device} (move it with "
            f"stimuli.to({str(device)!r})); {type(net).__name__} failed with: {error}"
        )
    if len(dtypes) == 1 and stimuli.dtype not in dtypes:
        (dtype,) = dtypes
        return TypeError(
            f"stimuli must have the network's dtype {dtype}, got {stimuli.dtype} (convert with "
            f"stimuli.to({dtype})); {type(net).__name__} failed with: {error}"
        )
    return ValueError(
        f"net ({type(net).__name__}) could not run on stimuli of shape "
        f"{tuple(stimuli.shape)} and dtype {stimuli.dtype}: {error}"
    )


def _recorded(calls, label, net, stimuli):
    """Return the one output a layer gave in the pass, as an (n_stimuli, n_units) array."""
    if not calls:
        raise ValueError(
            f"layer_labels: {label!r} did not run in {type(net).__name__}'s forward pass "
            f"(a layer that forward never calls has no output to record)"
        )
    if len(calls) > 1:
        raise ValueError(
            f"layer_labels: {label!r} ran {len(calls)} times in one forward pass (the same "
            f"module used {len(calls)} times), each with another output; record a layer that "
            f"runs once, or give each use its own module"
        )
    (output,) = calls
    if not isinstance(output, torch.Tensor):
        raise TypeError(
            f"layer_labels: {label!r} outputs a {output.__name__}, not a tensor; record a "
            f"layer that outputs one tensor (one of its sublayers, or the layer after it)"
        )
    n_stimuli = len(stimuli)
    if output.ndim < 2 or len(output) != n_stimuli:
        raise ValueError(
            f"stimuli must hold one stimulus per row: layer {label!r} output shape "
            f"{tuple(output.shape)} for stimuli of shape {tuple(stimuli.shape)}, not one row "
            f"per stimulus (for a single stimulus, pass stimulus[None])"
        )
    return tensor_to_numpy(output.flatten(start_dim=1), f"the output of layer {label!r}")


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

    Raises
    ------
    ValueError
        If ``resp`` has fewer than 5 rows or 2 columns, NaN or inf, or rows that are all the
        same (no spread: nothing to embed; a layer whose ReLUs are all silent gives this).
    TypeError
        If ``resp`` holds complex numbers, strings or objects.

    Notes
    -----
    t-SNE depends on the distances between the rows, not on their scale, but sklearn computes
    in float32: rows whose spread (the largest range of a column) is far from 1, beyond
    ``2**±32`` (about ``1e±10``), are first centered and divided by a power of two near their
    spread. Without that, spreads beyond about ``1e±15`` gave garbage, and beyond about
    ``1e±37`` (or no spread at all) crashed the process.
    """
    # deferred: sklearn adds about a second to the import, which RDM and the checks never need
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    resp = _matrix(resp, "resp")
    n_stimuli, n_units = resp.shape
    require(n_stimuli >= 5, "resp", "at least 5 stimuli (rows) to embed", n_stimuli)
    require(n_units >= 2, "resp", "at least 2 units (columns)", n_units)
    n_pca = validate_int(n_pca, "n_pca", Interval(Integral, 2))
    random_state = validate_int(random_state, "random_state", Interval(Integral, 0))
    resp = _with_unit_spread(resp)
    n_components = min(n_pca, n_units, n_stimuli)
    # t-SNE needs perplexity < n_stimuli; sklearn's default (30) for the tutorial's 180 points
    perplexity = min(30.0, (n_stimuli - 1) / 3)
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=random_state)
    # One BLAS/OpenMP thread: for a few hundred points threads gain little, and on a busy
    # machine their busy-waiting made this 40 times slower (measured on 2 shared cores).
    with threadpoolctl.threadpool_limits(limits=1):
        lowd = PCA(n_components=n_components, random_state=random_state).fit_transform(resp)
        return tsne.fit_transform(lowd)


#: reduce_dimensions leaves responses whose spread is within 2**-32 .. 2**32 as they are: there
#: t-SNE gives the same result, bit for bit, at every power-of-two scale (measured: from 2**-40
#: to 2**35), so rescaling would change nothing.
_TSNE_SAFE_EXPONENT = 32


def _with_unit_spread(resp):
    """Refuse identical rows; center and rescale rows whose spread t-SNE's float32 cannot hold.

    sklearn's t-SNE divides its PCA start by the spread of the first component, in float32:
    zero, or rounded to zero, it spreads NaN through the Barnes-Hut tree and the process dies
    (a segfault). Responses with a spread within 2**±32 are returned as they are.
    """
    upper, lower = resp.max(axis=0), resp.min(axis=0)
    if np.array_equal(upper, lower):
        raise ValueError(
            f"resp's rows are all the same ({resp.shape[0]} copies of one response): no spread, "
            f"so no distances to embed (a layer whose units are all silent, dead ReLUs, gives "
            f"this; record another layer, or check the network)"
        )
    with np.errstate(over="ignore"):
        spread = float(np.max(upper - lower))  # inf only for values beyond about ±9e307
    exponent = np.frexp(spread)[1] if np.isfinite(spread) else 1025
    if abs(exponent) <= _TSNE_SAFE_EXPONENT:
        return resp
    # Centering first keeps a constant column of 1e300 from overflowing when scaled up; the
    # halves keep the center of ±1.7e308 from overflowing.
    return np.ldexp(resp - (upper / 2 + lower / 2), -exponent)


# --------------------------------------------------------------------------- preferred orientation
# The bonus decoding/encoding tutorial (W1D5 Tutorial 4) sorts neurons by their preferred
# orientation to make the decoder's input weights readable.


#: Multiply-adds of the smoothing filter that count as one step of validate_steps, whose default
#: limit of 1e7 steps stands for some seconds: the filter does about 1e9 of them a second.
_FILTER_OPS_PER_STEP = 1000


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
        Width of the Gaussian, in stimuli (degrees for 1-degree bins), > 0. The filter does
        ``n_stimuli * n_neurons * (8 sigma + 1)`` multiply-adds; above the limit of
        :func:`nma_dl._validate.validate_steps` (1e7 steps, a step counting as 1000 of them:
        some seconds; ``NMA_DL_MAX_STEPS``) or of
        :func:`nma_dl._validate.validate_memory` for its kernel, a ValueError names ``sigma``
        before anything runs. sigma=5 on 360 x 23,589 responses is 3.5e5 steps.
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
    resp = _matrix(resp, "resp", "(n_stimuli, n_neurons)")
    sigma = validate_real(sigma, "sigma", Interval(Real, 0, closed="neither"))
    modes = ("wrap", "reflect", "nearest", "mirror", "constant")
    validate_instance(mode, str, "mode", f"one of {modes}")
    require(mode in modes, "mode", f"one of {modes}", mode)
    # gaussian_filter1d's kernel has 2 * round(4 sigma) + 1 taps (truncate=4), each applied to
    # every value: sigma=1e6 meant minutes of work, and sigma=1e9 a 64 GB kernel.
    taps = 2 * int(4 * sigma + 0.5) + 1
    what = (
        f"preferred_orientation(sigma={sigma:g}) (a Gaussian of {taps:.3g} taps over "
        f"{resp.shape[0]} stimuli x {resp.shape[1]} neurons; sigma is in stimuli)"
    )
    # The kernel and scipy's temporaries of its size, and the line buffer of each column.
    validate_memory(40.0 * taps + 8.0 * (resp.shape[0] + taps), what)
    validate_steps(resp.size * taps / _FILTER_OPS_PER_STEP, what)
    smoothed = gaussian_filter1d(resp, sigma, axis=0, mode=mode)
    return smoothed.argmax(axis=0).astype(np.int64)
