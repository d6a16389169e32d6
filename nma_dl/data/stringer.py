"""The mouse V1 recordings of Stringer et al. (2021): load them and draw the decoding problem.

The tutorials use two preprocessed files of the recordings in *High-precision coding in visual
cortex* (Stringer, Michaelos, Tsyboulski, Lindo & Pachitariu, Cell 184, 2021): the responses of
23,589 neurons to gratings, averaged in 1-degree bins (:func:`load_data`) or in 6-degree bins for
two independent halves of the trials (:func:`load_data_split`). Where the files come from (OSF,
the cache, or the offline surrogate) is :mod:`nma_dl.data.files`' business.

Then :func:`train_test_split` shuffles the stimuli into a training and a test set, and
:func:`get_data` draws random stimuli, with replacement, and their responses.
"""

import collections
import math
import os
import pathlib
import tokenize
import zipfile
import zlib
from numbers import Integral, Real

import numpy as np
import torch

from nma_dl._validate import (
    Interval,
    require,
    validate_instance,
    validate_int,
    validate_memory,
    validate_number,
    validate_real,
    validate_real_dtype,
    validate_responses,
)
from nma_dl.data.files import FILES, ORIBINNED1, ORIBINNED6_SPLIT, fetch

__all__ = ["get_data", "load_data", "load_data_split", "tilt_range", "train_test_split"]

# What zipfile and numpy raise on a damaged or crafted archive: a bad zip, a short read, a
# header that does not parse (SyntaxError, TokenError), bad compressed data (zlib.error), an
# unknown compression method (NotImplementedError), an encrypted member (RuntimeError).
_DAMAGED = (
    zipfile.BadZipFile,
    ValueError,
    OSError,
    EOFError,
    SyntaxError,
    tokenize.TokenError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
)


def _refuse_ambiguous(archive, path, name):
    """Refuse an archive where one array name could mean two members (then which one is read?).

    ``np.load`` reads ``npz["resp"]`` from a member ``resp`` if there is one, else ``resp.npy``,
    and of two members of the same name the last; the header checked must be the data read.
    """
    counts = collections.Counter(member.filename for member in archive.infolist())
    clashes = [
        f"both {key!r} and {key + '.npy'!r} are members"
        for key in sorted(counts)
        if not key.endswith(".npy") and key + ".npy" in counts
    ]
    clashes += [
        f"the member {key!r} appears {n} times" for key, n in sorted(counts.items()) if n > 1
    ]
    if clashes:
        raise ValueError(
            f"path {str(path)!r} is ambiguous ({'; '.join(clashes)}): a {name} file has exactly "
            f"one member per array ({', '.join(k + '.npy' for k in FILES[name].keys)}), so this "
            "one is refused rather than read from another member than the one checked"
        )


def _npz_headers(archive):
    """``{key: (member, shape, dtype)}`` of the arrays of an open ``.npz``, from their headers.

    Nothing is loaded, so an absurd shape is caught before it costs memory; the data are read
    later from the very ``member`` (a :class:`zipfile.ZipInfo`) whose header was checked.
    """
    headers = {}
    for member in archive.infolist():
        if not member.filename.endswith(".npy"):
            continue
        with archive.open(member) as npy:
            version = np.lib.format.read_magic(npy)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(npy)
            else:
                shape, _, dtype = np.lib.format.read_array_header_2_0(npy)
        headers[member.filename[: -len(".npy")]] = (member, shape, dtype)
    return headers


def _open_npz(handle, path, name):
    """Open the ``.npz`` archive of the open file ``handle``; return it and its arrays' headers.

    A file that is not an ``.npz`` (a ``.npy``, text, a damaged zip) gets a ValueError naming it.
    """
    expected = list(FILES[name].keys)

    def refuse(what):
        return ValueError(
            f"path {str(path)!r} {what}; expected a {name} file: an .npz (zip) archive with the "
            f"arrays {expected}"
        )

    start = handle.read(8)
    handle.seek(0)
    if start.startswith(b"\x93NUMPY"):
        raise refuse("is a single .npy array, not an .npz archive")
    if not zipfile.is_zipfile(handle):
        kind = "is empty" if not start else "is not an .npz archive (not a zip file)"
        raise refuse(kind)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except _DAMAGED as exc:
        raise refuse(f"is damaged ({type(exc).__name__}: {exc})") from None
    try:
        _refuse_ambiguous(archive, path, name)
        try:
            headers = _npz_headers(archive)
        except _DAMAGED as exc:
            raise refuse(f"is damaged ({type(exc).__name__}: {exc})") from None
        missing = [key for key in expected if key not in headers]
        if missing:
            raise ValueError(
                f"path {str(path)!r} lacks the key(s) {missing}: a {name} file has keys "
                f"{expected}, this one has {sorted(headers)}"
            )
    except BaseException:
        archive.close()
        raise
    return archive, headers


def _read_npz(path, name, source, check_shapes):
    """Arrays of a data file (given ``path``, else fetched), keys, dtypes and shapes checked.

    ``check_shapes(shapes, path)`` runs on the shapes of the headers before anything is loaded.
    The file is opened once: the arrays are read from the members whose headers were checked.
    """
    if path is None:
        path = fetch(name, source)
    elif source is not None:
        raise ValueError("give either path or source, not both (a local path needs no source)")
    else:
        validate_instance(path, (str, os.PathLike), "path", "a str or path-like", show_value=True)
    path = pathlib.Path(path)
    if not path.is_file():  # a folder, or a FIFO that would block the read: never opened
        raise FileNotFoundError(f"path {str(path)!r} is not a file")
    with open(path, "rb") as handle:
        archive, headers = _open_npz(handle, path, name)
        with archive:
            return _read_members(archive, headers, path, name, check_shapes)


def _read_members(archive, headers, path, name, check_shapes):
    """Read the arrays of the members in ``headers``, after checking dtypes, shapes and size."""
    expected = FILES[name].keys
    for key in expected:
        _, shape, dtype = headers[key]
        if dtype.hasobject:  # object arrays need pickle, which is never enabled
            raise ValueError(
                f"path {str(path)!r}: {key} cannot be read with allow_pickle=False (it holds "
                "Python objects, not numbers); expected a numeric array"
            )
        if dtype.kind == "b" or not (
            np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)
        ):
            raise TypeError(
                f"path {str(path)!r}: {key} must hold real numbers (int or float), got dtype "
                f"{dtype}"
            )
    check_shapes({key: headers[key][1] for key in expected}, path)
    # Loaded as float32 tensors later: the arrays as stored plus that copy.
    n_bytes = sum(math.prod(headers[key][1]) * (headers[key][2].itemsize + 4) for key in expected)
    shapes = ", ".join(f"{key} {headers[key][1]}" for key in expected)
    validate_memory(n_bytes, f"path {str(path)!r} (arrays {shapes})")
    arrays = {}
    try:
        for key in expected:
            # As np.load reads a member of an .npz, but from the member checked above.
            with archive.open(headers[key][0]) as npy:
                arrays[key] = np.lib.format.read_array(npy, allow_pickle=False)
    except _DAMAGED as exc:
        raise ValueError(
            f"path {str(path)!r} is damaged: reading its arrays failed ({type(exc).__name__}: "
            f"{exc})"
        ) from None
    return arrays


def _validate_rows(resp_shape, stimuli_shape, path, resp_name="resp"):
    if len(resp_shape) != 2 or math.prod(stimuli_shape) != resp_shape[0]:
        raise ValueError(
            f"path {str(path)!r}: expected {resp_name} of shape (n_stimuli, n_neurons) and "
            f"stimuli holding n_stimuli orientations, got shapes {tuple(resp_shape)} and "
            f"{tuple(stimuli_shape)}"
        )


def _validate_oribinned1(shapes, path):
    _validate_rows(shapes["resp"], shapes["stimuli"], path)


def _validate_split(shapes, path):
    _validate_rows(shapes["resp_train"], shapes["stimuli"], path, "resp_train")
    if tuple(shapes["resp_test"]) != tuple(shapes["resp_train"]):
        raise ValueError(
            f"path {str(path)!r}: resp_train and resp_test must have the same shape, got "
            f"{tuple(shapes['resp_train'])} and {tuple(shapes['resp_test'])}"
        )


def _tensor(array):
    return torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))


def load_data(bin_width=1, *, path=None, source=None):
    """Responses of V1 neurons to gratings, averaged in 1-degree bins or wider.

    The file holds, for each 1-degree bin of grating orientation, every
    neuron's response averaged over the trials in the bin (responses were
    z-scored over trials, so expect negative values), and the mean orientation
    of those trials.

    Parameters
    ----------
    bin_width : float, default=1
        Width of the orientation bins in degrees. Values above 1 average the
        rows further: orientations are binned with ``np.digitize`` against the
        edges ``0, bin_width, ..., 360``, and each non-empty bin (in increasing
        order) gives one row with the mean response and the mean orientation.
        Values up to 1 return the file's rows unchanged.
    path : str or path-like, optional
        A local copy of ``W3D4_stringer_oribinned1.npz``; if omitted the file is
        fetched (see :func:`fetch`).
    source : {"auto", "osf", "synthetic"} or None, default=None
        Where to fetch from when ``path`` is omitted.

    Returns
    -------
    resp : torch.Tensor
        (n_stimuli, n_neurons) float32, one row per orientation bin.
    stimuli : torch.Tensor
        (n_stimuli, 1) float32, mean orientation of each bin in degrees.

    Examples
    --------
    >>> resp, stimuli = load_data(source="synthetic")  # doctest: +ELLIPSIS
    NOTE: using the offline SURROGATE of the Stringer et al. 2021 V1 data ...
    >>> resp.shape, stimuli.shape
    (torch.Size([360, 23589]), torch.Size([360, 1]))
    """
    bin_width = validate_real(bin_width, "bin_width", Interval(Real, 0, closed="neither"))
    data = _read_npz(path, ORIBINNED1, source, _validate_oribinned1)
    resp, stimuli = data["resp"], data["stimuli"].reshape(-1)
    if bin_width > 1:
        bins = np.digitize(stimuli, np.arange(0, 360 + bin_width, bin_width))
        labels = np.unique(bins)
        stimuli = np.array([stimuli[bins == label].mean() for label in labels])
        resp = np.array([resp[bins == label].mean(axis=0) for label in labels])
    return _tensor(resp), _tensor(stimuli)[:, None]


def load_data_split(*, path=None, source=None):
    """Responses in 6-degree bins, averaged separately over two halves of the trials.

    Parameters
    ----------
    path : str or path-like, optional
        A local copy of ``W3D4_stringer_oribinned6_split.npz``; if omitted the
        file is fetched (see :func:`fetch`).
    source : {"auto", "osf", "synthetic"} or None, default=None
        Where to fetch from when ``path`` is omitted.

    Returns
    -------
    resp_train : torch.Tensor
        (n_stimuli, n_neurons) float32, mean responses over one half of the trials.
    resp_test : torch.Tensor
        (n_stimuli, n_neurons) float32, the same over the other half.
    stimuli : torch.Tensor
        (n_stimuli, 1) float32, mean orientation of each bin in degrees.
    """
    data = _read_npz(path, ORIBINNED6_SPLIT, source, _validate_split)
    resp_train, resp_test, stimuli = data["resp_train"], data["resp_test"], data["stimuli"]
    return _tensor(resp_train), _tensor(resp_test), _tensor(stimuli.reshape(-1, 1))


def train_test_split(resp, stimuli, train_fraction=0.6, generator=None):
    """Shuffle the stimuli and split them into a training and a test set.

    The first ``int(train_fraction * n)`` rows of ``torch.randperm(n)`` go to
    the training set, the rest to the test set. Seed PyTorch first (e.g.
    ``set_seed(4)``) to get the same split every time.

    Parameters
    ----------
    resp : torch.Tensor
        (n_stimuli, n_neurons) neural responses.
    stimuli : torch.Tensor
        (n_stimuli, 1) or (n_stimuli,) stimulus orientations.
    train_fraction : float, default=0.6
        Fraction of the stimuli used for training, in (0, 1).
    generator : torch.Generator, optional
        Source of the permutation, a CPU generator; PyTorch's global generator if omitted.

    Returns
    -------
    resp_train, resp_test, stimuli_train, stimuli_test : torch.Tensor
        The rows of ``resp`` and ``stimuli`` in each set, in shuffled order.

    Raises
    ------
    ValueError
        Also when the two sets would not fit in memory (a tensor made with ``expand`` holds
        rows that take no memory until they are copied), as
        :func:`nma_dl._validate.validate_memory` says.
    """
    validate_responses(resp, stimuli)
    validate_number(train_fraction, "train_fraction")
    require(0 < train_fraction < 1, "train_fraction", "in (0, 1)", train_fraction)
    validate_instance(
        generator, (torch.Generator, type(None)), "generator", "a torch.Generator or None"
    )
    if generator is not None and generator.device.type != "cpu":
        raise ValueError(
            f"generator must be a CPU torch.Generator (the permutation is drawn on the CPU), got "
            f"one on {generator.device}; use torch.Generator() or torch.Generator(device='cpu')"
        )
    n_stimuli = len(resp)
    n_train = int(train_fraction * n_stimuli)
    if not 0 < n_train < n_stimuli:
        raise ValueError(
            f"train_fraction={train_fraction!r} of {n_stimuli} stimuli leaves {n_train} for "
            f"training and {n_stimuli - n_train} for testing; both sets need at least one"
        )
    # The permutation (int64) and the rows copied into the two sets: a tensor made with
    # expand() or on the meta device may have rows that take no memory, its copies would.
    row_bytes = 8 + sum(math.prod(t.shape[1:]) * t.element_size() for t in (resp, stimuli))
    validate_memory(
        n_stimuli * row_bytes,
        f"train_test_split of {n_stimuli} stimuli (resp of shape {tuple(resp.shape)})",
    )
    order = torch.randperm(n_stimuli, generator=generator)
    itrain, itest = order[:n_train], order[n_train:]
    return resp[itrain], resp[itest], stimuli[itrain], stimuli[itest]


def get_data(n_stim, train_data, train_labels):
    """Draw random stimuli, with replacement, and their responses.

    The rows are drawn with ``np.random.choice``, so seeding NumPy (e.g. with
    ``set_seed``) fixes which ones.

    Parameters
    ----------
    n_stim : int
        Number of stimuli to draw, at least 1.
    train_data : torch.Tensor
        (n_train, n_neurons) neural responses.
    train_labels : torch.Tensor
        (n_train, 1) orientations of the stimuli of each row of ``train_data``.

    Returns
    -------
    r : torch.Tensor
        (n_stim, n_neurons) responses to the drawn stimuli.
    ori : torch.Tensor
        (n_stim, 1) their orientations.

    Raises
    ------
    ValueError
        Also when the rows drawn would not fit in memory (``n_stim=10**9``), before anything is
        drawn, as :func:`nma_dl._validate.validate_memory` says.
    """
    n_stim = validate_int(n_stim, "n_stim", Interval(Integral, 1))
    validate_responses(train_data, train_labels, ("train_data", "train_labels"))
    if len(train_labels) == 0:
        raise ValueError("train_labels must have at least one row to draw from, got 0")
    # Before drawing: the row indices (int64) and the rows copied out of both tensors.
    row_bytes = 8 + sum(
        math.prod(t.shape[1:]) * t.element_size() for t in (train_data, train_labels)
    )
    validate_memory(
        n_stim * row_bytes,
        f"get_data(n_stim={n_stim}) ({n_stim} rows of {math.prod(train_data.shape[1:])} "
        "responses)",
    )
    # The legacy global generator on purpose: after set_seed(...) it draws the rows the original
    # course drew, so the tutorial's numbers match it.
    istim = np.random.choice(len(train_labels), n_stim)  # noqa: NPY002
    return train_data[istim], train_labels[istim]


def tilt_range(resp, stimuli):
    """Keep the stimuli between 0 and 180 degrees and express them as tilts from vertical.

    The encoding-model tutorial labels a grating by its tilt, -90 to 90 degrees, negative to
    the left. Gratings 180 degrees apart have the same orientation, so the half of the recording
    with orientations in [0, 180) is kept and 90 is subtracted, as in the original course.

    Parameters
    ----------
    resp : torch.Tensor
        (n_stimuli, n_neurons) responses, e.g. from :func:`load_data`.
    stimuli : torch.Tensor
        (n_stimuli, 1) or (n_stimuli,) orientations in degrees, 0 to 360: floats, or signed ints
        of 16 bits or more (an int8 cannot hold 180, an unsigned int a negative tilt).

    Returns
    -------
    resp : torch.Tensor
        The rows whose orientation is in [0, 180).
    ori : torch.Tensor
        (n_kept,) their orientations minus 90 degrees, in [-90, 90).

    Examples
    --------
    >>> resp_v1, ori = tilt_range(*load_data(source="synthetic"))  # doctest: +ELLIPSIS
    NOTE: using the offline SURROGATE ...
    >>> resp_v1.shape, round(ori.min().item()), round(ori.max().item())
    (torch.Size([180, 23589]), -90, 89)
    """
    validate_responses(resp, stimuli)
    validate_real_dtype(stimuli, "stimuli")
    if not stimuli.is_floating_point() and not (
        stimuli.is_signed() and torch.iinfo(stimuli.dtype).bits >= 16
    ):
        # Compared with 180, then 90 is subtracted: an int8 wraps at 128, an unsigned int at 0.
        raise TypeError(
            f"stimuli must hold floats or signed ints of at least 16 bits (orientations up to "
            f"360, tilts down to -90), got dtype {stimuli.dtype}; convert with stimuli.float()"
        )
    if stimuli.is_meta:
        raise ValueError(
            "stimuli must hold values, got a meta tensor (a shape without data): which rows to "
            "keep depends on the orientations"
        )
    stimuli = stimuli.reshape(-1)
    keep = (stimuli >= 0) & (stimuli < 180)
    if not keep.any():
        raise ValueError("stimuli must include orientations in [0, 180) degrees, got none")
    return resp[keep], stimuli[keep] - 90
