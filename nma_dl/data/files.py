"""Data files on disk: the registry, downloads from OSF, the cache and the surrogate fallback.

The course downloads two preprocessed files of the mouse V1 recordings of Stringer et al. (2021)
(:data:`FILES`; :mod:`nma_dl.data.stringer` reads them). :func:`fetch` returns the local path of
one of them, from where ``source`` says (argument ``source``, else the environment variable
``NMA_DL_DATA_SOURCE``, else ``"auto"``):

``"osf"``
    Download from OSF with pooch (MD5-checked, cached, written atomically).
    If that fails, raise :class:`DataUnavailableError`.
``"auto"``
    Like ``"osf"``, but if anything fails warn once and use the offline
    surrogate of :mod:`nma_dl.data.surrogate`.
``"synthetic"``
    Use the surrogate and never touch the network.

Whenever the surrogate is used a line starting with ``NOTE:`` is printed, so
anyone reading the output knows the numbers are simulated.

Other environment variables: ``NMA_DL_DATA_DIR`` (cache folder; default
``pooch.os_cache("nma_dl")``) and ``NMA_DL_DOWNLOAD_TIMEOUT`` (seconds without
data before a download gives up; default 60).

Command line: ``python -m nma_dl.data prepare [--source auto|osf|synthetic]``
(:func:`main`) fetches both files into the cache once and prints their paths.
"""

import argparse
import dataclasses
import hashlib
import json
import math
import os
import pathlib
import socket
import sys
import tempfile
import urllib.error
import urllib.request
import warnings

import numpy as np
import pooch

from nma_dl._validate import check_instance, require
from nma_dl.data import surrogate

__all__ = [
    "FILES",
    "ORIBINNED1",
    "ORIBINNED6_SPLIT",
    "SOURCES",
    "DataFile",
    "DataUnavailableError",
    "DownloadError",
    "data_dir",
    "fetch",
    "main",
    "osf_url",
]

SOURCES = ("auto", "osf", "synthetic")
ORIBINNED1 = "W3D4_stringer_oribinned1.npz"
ORIBINNED6_SPLIT = "W3D4_stringer_oribinned6_split.npz"


@dataclasses.dataclass(frozen=True)
class DataFile:
    """One data file: where it lives on OSF, its checksum and its contents.

    Attributes
    ----------
    name : str
        File name, in the cache and on OSF.
    osf_id : str
        OSF id of the file (see :func:`osf_url`).
    md5 : str
        MD5 checksum of the real file.
    keys : tuple of str
        The arrays the ``.npz`` file holds.
    surrogate_key : str
        Its entry in the result of :func:`nma_dl.data.surrogate.generate`.
    """

    name: str
    osf_id: str
    md5: str
    keys: tuple
    surrogate_key: str


#: The registry: every file the course downloads, in one place.
FILES = {
    ORIBINNED1: DataFile(
        ORIBINNED1, "683xc", "436599dfd8ebe6019f066c38aed20580", ("resp", "stimuli"), "oribinned1"
    ),
    ORIBINNED6_SPLIT: DataFile(
        ORIBINNED6_SPLIT,
        "p3aeb",
        "b3f7245c6221234a676b71a1f43c3bb5",
        ("resp_train", "resp_test", "stimuli"),
        "oribinned6_split",
    ),
}

_DEFAULT_TIMEOUT = 60.0
_CHUNK = 1 << 20
# Files already warned about in this process (auto mode warns once per file).
_WARNED = set()


class DataUnavailableError(RuntimeError):
    """The real data could not be fetched and the source forbids the surrogate.

    The message names the file, the address, the cause and what to do.

    Parameters
    ----------
    name : str
        The data file.
    url : str
        Where it was downloaded from.
    cause : Exception
        What went wrong.

    Attributes
    ----------
    name, url, cause
        As given.
    """

    def __init__(self, name, url, cause):
        self.name, self.url, self.cause = name, url, cause
        super().__init__(
            f"Could not download the data file {name!r} from {url} "
            "(source 'osf': no fallback to the surrogate).\n"
            f"Cause: {_describe(cause)}\n"
            "What to do: check the internet connection and retry later (OSF is "
            "sometimes briefly unavailable), or set NMA_DL_DATA_SOURCE=synthetic "
            "(or pass source='synthetic') to use the offline surrogate of the data."
        )


class DownloadError(OSError):
    """The server answered, but not with the whole file (web page, truncation)."""


def osf_url(osf_id):
    """Download address of an OSF file.

    Parameters
    ----------
    osf_id : str
        The file's OSF id, five lowercase letters or digits (e.g. ``"683xc"``).

    Returns
    -------
    str
        ``https://osf.io/download/<osf_id>/``. (Since OSF's 2025 redesign the
        older form ``https://osf.io/<osf_id>/download`` may answer a web page.)
    """
    check_instance(osf_id, str, "osf_id", "a str", show_value=True)
    well_formed = osf_id.isascii() and osf_id.isalnum() and len(osf_id) == 5
    require(well_formed, "osf_id", "5 letters or digits like '683xc'", osf_id)
    return f"https://osf.io/download/{osf_id}/"


def data_dir():
    """Folder of the data cache: ``$NMA_DL_DATA_DIR``, else the user cache.

    Returns
    -------
    pathlib.Path
        The folder (it is created when something is first written to it).
    """
    folder = os.environ.get("NMA_DL_DATA_DIR", "").strip()
    if folder:
        path = pathlib.Path(folder).expanduser()
        if path.exists() and not path.is_dir():
            raise ValueError(
                f"NMA_DL_DATA_DIR must name a folder (the data cache), got {folder!r}, which "
                "is an existing file; point it at a folder or unset it"
            )
        return path
    return pathlib.Path(pooch.os_cache("nma_dl"))


def _source(source):
    if source is None:
        source = os.environ.get("NMA_DL_DATA_SOURCE", "").strip() or "auto"
        origin = "NMA_DL_DATA_SOURCE"
    else:
        origin = "source"
    check_instance(source, str, origin, "a str", show_value=True)
    require(
        source.strip().lower() in SOURCES, origin, f"one of {', '.join(SOURCES)}", source, sep=";"
    )
    return source.strip().lower()


def _timeout():
    text = os.environ.get("NMA_DL_DOWNLOAD_TIMEOUT", "").strip()
    if not text:
        return _DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(
            f"NMA_DL_DOWNLOAD_TIMEOUT must be a positive number of seconds, got {text!r}"
        )
    return value


def _describe(exc):
    return f"{type(exc).__name__}: {exc}"


def _md5(path):
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _looks_like_html(head):
    start = head.lstrip()[:15].lower()
    return start.startswith(b"<!doctype html") or start.startswith(b"<html")


class _Downloader:
    """A pooch downloader built on urllib, with a timeout and an HTML check.

    ``timeout`` is how long the connection may stay silent (connecting or
    waiting for the next bytes), not a limit on the whole download.
    """

    def __init__(self, timeout):
        self.timeout = timeout

    def __call__(self, url, output_file, pooch_obj=None, check_only=False):
        try:
            self._download(url, output_file)
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (TimeoutError, socket.timeout)):
                raise self._timed_out() from exc
            raise
        except TimeoutError as exc:
            raise self._timed_out() from exc

    def _timed_out(self):
        return TimeoutError(
            f"no data received for {self.timeout:g} s (set NMA_DL_DOWNLOAD_TIMEOUT to wait longer)"
        )

    def _download(self, url, output_file):
        request = urllib.request.Request(url, headers={"User-Agent": "nma_dl (python urllib)"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            content_type = response.headers.get("Content-Type", "")
            declared = response.headers.get("Content-Length")
            chunk = response.read(_CHUNK)
            if "text/html" in content_type.lower() or _looks_like_html(chunk):
                # The hash check would fail too, but this says why.
                raise DownloadError(
                    f"OSF answered a web page (HTML, Content-Type {content_type!r}) instead of "
                    "the data file; the download link may have changed or OSF may be "
                    "busy or down"
                )
            received = 0
            with open(output_file, "wb") as out:
                while chunk:
                    out.write(chunk)
                    received += len(chunk)
                    chunk = response.read(_CHUNK)
            if declared is not None and received != int(declared):
                raise DownloadError(f"download truncated: received {received} of {declared} bytes")


def _download(entry):
    """Path of the verified real file in the cache, downloading it if needed."""
    folder = data_dir()
    target = folder / entry.name
    if target.is_file():
        if _md5(target) == entry.md5:
            return target
        # Corrupted or replaced on disk: drop it so a failed download leaves no bad file.
        print(f"The cached {entry.name} does not match its MD5 checksum; downloading it again.")
        target.unlink(missing_ok=True)
    path = pooch.retrieve(
        osf_url(entry.osf_id),
        known_hash=f"md5:{entry.md5}",
        fname=entry.name,
        path=folder,
        downloader=_Downloader(_timeout()),
        progressbar=False,
    )
    return pathlib.Path(path)


def _atomic_write(path, write):
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
        os.replace(handle.name, path)
    except BaseException:
        if os.path.exists(handle.name):
            os.remove(handle.name)
        raise


def _surrogate_path(name):
    """Path of the surrogate file, generating both surrogate files if needed.

    They live in ``<cache>/synthetic/`` so they are never mistaken for the real
    files. A JSON sidecar records the generator version, seed and MD5; a file
    whose sidecar does not match is rebuilt.
    """
    folder = data_dir() / "synthetic"
    # "nma_dl.surrogate" was the generator's module name before layout v2; the stamp keeps it so
    # that caches written before stay valid.
    stamp = {"generator": "nma_dl.surrogate", "version": surrogate.VERSION, "seed": surrogate.SEED}

    def is_valid(entry):
        """Whether the surrogate file of ``entry`` exists and matches its sidecar."""
        npz, sidecar = folder / entry.name, folder / f"{entry.name}.json"
        try:
            recorded = json.loads(sidecar.read_text())
            return recorded == {**stamp, "md5": _md5(npz)}
        except (OSError, ValueError):
            return False

    missing = [entry for entry in FILES.values() if not is_valid(entry)]
    if missing:
        files = surrogate.generate(surrogate.SEED)
        for entry in missing:
            npz, arrays = folder / entry.name, files[entry.surrogate_key]
            _atomic_write(npz, lambda handle, arrays=arrays: np.savez(handle, **arrays))
            sidecar = json.dumps({**stamp, "md5": _md5(npz)}, indent=1).encode()
            _atomic_write(
                folder / f"{entry.name}.json", lambda handle, text=sidecar: handle.write(text)
            )
    print(
        "NOTE: using the offline SURROGATE of the Stringer et al. 2021 V1 data (simulated, not "
        f"the real recordings) for {name}; numbers and figures differ from the real data."
    )
    return folder / name


def fetch(name, source=None):
    """Local path of a data file: the real one from OSF or the surrogate.

    Parameters
    ----------
    name : str
        A file of the registry :data:`FILES`: ``"W3D4_stringer_oribinned1.npz"``
        or ``"W3D4_stringer_oribinned6_split.npz"``.
    source : {"auto", "osf", "synthetic"} or None, default=None
        Where the data come from; ``None`` reads ``NMA_DL_DATA_SOURCE``
        (default ``"auto"``). See the module docstring.

    Returns
    -------
    pathlib.Path
        The cached real file, or ``<cache>/synthetic/<name>`` for the surrogate.

    Raises
    ------
    DataUnavailableError
        With ``source="osf"``, when the download fails for any reason (no
        connection, HTTP error, timeout, web page instead of the file, wrong
        checksum). Nothing partial is left in the cache.
    """
    check_instance(name, str, "name", "a str", show_value=True)
    require(name in FILES, "name", f"one of {', '.join(FILES)}", name, sep=";")
    source = _source(source)
    if source == "synthetic":
        return _surrogate_path(name)
    entry = FILES[name]
    try:
        return _download(entry)
    except Exception as exc:  # any failure: the caller's source decides what happens
        url = osf_url(entry.osf_id)
        if source == "osf":
            raise DataUnavailableError(name, url, exc) from exc
        if name not in _WARNED:
            _WARNED.add(name)
            warnings.warn(
                f"The real Stringer et al. (2021) data file {name} could not be fetched from "
                f"{url} ({_describe(exc)}). Using the offline SURROGATE instead: simulated "
                "data, so results will differ from the real recordings. Set "
                "NMA_DL_DATA_SOURCE=osf to make this an error, or =synthetic to skip the "
                "download.",
                UserWarning,
                stacklevel=2,
            )
        return _surrogate_path(name)


def main(argv=None):
    """Command line: ``python -m nma_dl.data prepare [--source ...]``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 when both files are ready, 1 when the data are unavailable.
    """
    parser = argparse.ArgumentParser(
        prog="python -m nma_dl.data",
        description="Fetch the course's data files into the cache (or generate the surrogate).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    prepare = commands.add_parser("prepare", help="fetch both files once and print their paths")
    prepare.add_argument(
        "--source", choices=SOURCES, default=None, help="default: $NMA_DL_DATA_SOURCE, else auto"
    )
    args = parser.parse_args(argv)
    try:
        for name in FILES:
            print(fetch(name, args.source))
    except DataUnavailableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
