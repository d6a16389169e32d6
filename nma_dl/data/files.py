"""Data files on disk: the registry, downloads from OSF, the cache and the surrogate fallback.

The course downloads two preprocessed files of the mouse V1 recordings of Stringer et al. (2021)
(:data:`FILES`; :mod:`nma_dl.data.stringer` reads them). :func:`fetch` returns the local path of
one of them, from where ``source`` says (argument ``source``, else the environment variable
``NMA_DL_DATA_SOURCE``, else ``"auto"``):

``"osf"``
    Download from OSF (MD5-checked, cached, written atomically). The download is ours, not
    ``pooch.retrieve``: pooch has no deadline for a whole download, no cap on the bytes a server
    sends and no lock between processes, which the course needs; pooch only names the cache.
    If that fails, raise :class:`DataUnavailableError`.
``"auto"``
    Like ``"osf"``, but if anything fails warn once and use the offline
    surrogate of :mod:`nma_dl.data.surrogate`.
``"synthetic"``
    Use the surrogate and never touch the network.

Whenever the surrogate is used a line starting with ``NOTE:`` is printed, so
anyone reading the output knows the numbers are simulated.

Other environment variables: ``NMA_DL_DATA_DIR`` (cache folder; default
``pooch.os_cache("nma_dl")``), ``NMA_DL_SURROGATE_SEED`` (seed of the surrogate; default
:data:`nma_dl.data.surrogate.SEED`; the course's tests redraw it to check that what the pages
say does not hang on one draw), ``NMA_DL_DOWNLOAD_TIMEOUT`` (seconds without
data before a download gives up; default 60, at most 3600) and
``NMA_DL_DOWNLOAD_DEADLINE`` (seconds a whole download may take; default 300,
at most 86400). A wrong value of any of them, or a cache folder that cannot be
written, is an error of the local configuration: it is raised (a
:class:`ValueError` or :class:`CacheError` naming the setting, its value and
the fix) whatever the source, never mistaken for a network fault.

A download shows a progress bar (tqdm) after one line that says what happens
if it fails. It is refused when the server announces more than the file's
``max_bytes``, stopped when more arrives, and abandoned after the deadline; it
streams into a temporary ``.<name>.<random>.part`` file that is checked (MD5)
and renamed into place, so the cache never holds a partial file. Temporary
files that a killed process left behind are removed at the next download.
One lock file per cache folder (``.nma_dl.lock``, a :mod:`filelock` lock: ``flock`` on
POSIX, ``msvcrt`` on Windows, released by the kernel when its process dies) makes concurrent
processes download a file, or generate the surrogate, once: the others wait and then read the
finished file (after two seconds of waiting, one line says for what, where and for how long at
most).
Cache files get the permissions of the user's umask. Only regular files are opened in
the cache: a directory, FIFO, socket or device where a cache file belongs is a
:class:`CacheError` that names it and says to remove it (a FIFO would block the read), and so
is a symbolic link in place of the lock file (never followed). A surrogate file that is
present and valid is used even where the other one is missing and the folder is read-only (a
shared cache).

Command line: ``python -m nma_dl.data prepare [--source auto|osf|synthetic]``
(:func:`main`) fetches both files into the cache once and prints their paths.
"""

import argparse
import contextlib
import dataclasses
import hashlib
import json
import os
import pathlib
import socket
import stat
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings

import filelock
import numpy as np
import pooch
from tqdm.auto import tqdm

from nma_dl._validate import env_number, require, validate_instance
from nma_dl.data import surrogate
from nma_dl.i18n import tr

__all__ = ["DataUnavailableError", "data_dir", "fetch", "osf_url"]

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
    max_bytes : int
        Upper bound on the file's size: a server announcing or sending more is
        refused. Twice the size of its arrays stored as float64 (the real files
        hold float32, about half of that again).
    """

    name: str
    osf_id: str
    md5: str
    keys: tuple
    surrogate_key: str
    max_bytes: int = 2**30


#: The registry: every file the course downloads, in one place.
FILES = {
    ORIBINNED1: DataFile(
        ORIBINNED1,
        "683xc",
        "436599dfd8ebe6019f066c38aed20580",
        ("resp", "stimuli"),
        "oribinned1",
        max_bytes=2 * 8 * 361 * 23589,  # (360, 23589) responses and 360 orientations
    ),
    ORIBINNED6_SPLIT: DataFile(
        ORIBINNED6_SPLIT,
        "p3aeb",
        "b3f7245c6221234a676b71a1f43c3bb5",
        ("resp_train", "resp_test", "stimuli"),
        "oribinned6_split",
        max_bytes=2 * 8 * 121 * 23589,  # two (60, 23589) halves and 60 orientations
    ),
}

_DEFAULT_TIMEOUT = 60.0
_MAX_TIMEOUT = 3600.0
_DEFAULT_DEADLINE = 300.0
_MAX_DEADLINE = 86400.0
_CHUNK = 1 << 20
_LOCK_NAME = ".nma_dl.lock"
# Seconds a process waits for another one generating the surrogate, and after how many seconds
# of waiting for the lock it says so (once); it tries the lock every _LOCK_POLL seconds.
_SURROGATE_LOCK_WAIT = 600.0
_WAIT_NOTICE_AFTER = 2.0
_LOCK_POLL = 0.05
_MAX_SIDECAR_BYTES = 1 << 16  # a sidecar holds a few short fields
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
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
            tr(
                "Could not download the data file {name!r} from {url} "
                "(source 'osf': no fallback to the surrogate).\n"
                "Cause: {cause}\n"
                "What to do: check the internet connection and retry later (OSF is "
                "sometimes briefly unavailable), or set NMA_DL_DATA_SOURCE=synthetic "
                "(or pass source='synthetic') to use the offline surrogate of the data.",
                name=name,
                url=url,
                cause=_describe(cause),
            )
        )


class DownloadError(OSError):
    """The server answered, but not with the whole file (web page, truncation)."""


class CacheError(OSError):
    """The data cache folder cannot be used (not writable, disk full, a lock never released).

    A fault of the local configuration, not of the network: it is raised whatever the source,
    with the folder, the setting ``NMA_DL_DATA_DIR`` and what to do in the message.
    """


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
    validate_instance(osf_id, str, "osf_id", "a str", show_value=True)
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
    validate_instance(source, str, origin, "a str", show_value=True)
    require(
        source.strip().lower() in SOURCES, origin, f"one of {', '.join(SOURCES)}", source, sep=";"
    )
    return source.strip().lower()


def surrogate_seed():
    """Seed of the offline surrogate: ``$NMA_DL_SURROGATE_SEED``, else the default.

    Returns
    -------
    int
        A seed >= 0; :data:`nma_dl.data.surrogate.SEED` when the variable is unset or blank.

    Raises
    ------
    ValueError
        If the variable holds anything but a whole number >= 0.
    """
    text = os.environ.get("NMA_DL_SURROGATE_SEED", "").strip()
    if not text:
        return surrogate.SEED
    if not (text.isascii() and text.isdigit()):
        raise ValueError(
            f"NMA_DL_SURROGATE_SEED must be a whole number >= 0 (the seed of the offline "
            f"surrogate), got {text!r}; unset it for the default seed {surrogate.SEED}"
        )
    return int(text)


def _surrogate_folder(cache, seed):
    """``<cache>/synthetic`` for the default seed, ``<cache>/synthetic-seed<N>`` for another."""
    return cache / ("synthetic" if seed == surrogate.SEED else f"synthetic-seed{seed}")


def _timeout():
    return env_number(
        "NMA_DL_DOWNLOAD_TIMEOUT", _DEFAULT_TIMEOUT, maximum=_MAX_TIMEOUT, unit="seconds"
    )


def _deadline():
    return env_number(
        "NMA_DL_DOWNLOAD_DEADLINE", _DEFAULT_DEADLINE, maximum=_MAX_DEADLINE, unit="seconds"
    )


def _cache_error(folder, exc, doing, fix=None):
    """Build the CacheError for an OSError ``exc`` raised while ``doing`` in ``folder``.

    ``fix`` replaces the usual advice (make the folder writable) where the cause is another.
    """
    fix = fix or tr(
        "make the folder writable (and free some disk space), or point NMA_DL_DATA_DIR at a "
        "writable folder, e.g. os.environ['NMA_DL_DATA_DIR'] = '/tmp/nma_dl'"
    )
    what = tr("{doing} failed with {error}", doing=doing, error=_describe(exc))
    return _local_fault(folder, what, fix)


def _local_fault(folder, what, fix):
    """Build the CacheError saying that ``folder`` cannot be used because ``what``, and ``fix``."""
    setting = os.environ.get("NMA_DL_DATA_DIR", "").strip()
    where = (
        f"NMA_DL_DATA_DIR={setting!r}"
        if setting
        else tr("the default cache (NMA_DL_DATA_DIR unset)")
    )
    return CacheError(
        tr(
            "the data cache folder {folder!r} ({where}) cannot be used: {what}. This is a "
            "problem of this machine, not of the network. What to do: {fix}",
            folder=str(folder),
            where=where,
            what=what,
            fix=fix,
        )
    )


def _kind_of(mode):
    """Say what a file of this ``st_mode`` is, in words ("a directory", "a named pipe (FIFO)")."""
    kinds = (
        (stat.S_ISDIR, tr("a directory")),
        (stat.S_ISFIFO, tr("a named pipe (FIFO)")),
        (stat.S_ISSOCK, tr("a socket")),
        (stat.S_ISCHR, tr("a character device")),
        (stat.S_ISBLK, tr("a block device")),
        (stat.S_ISREG, tr("a file")),
        # from os.lstat: only the lock file is never followed
        (stat.S_ISLNK, tr("a symbolic link")),
    )
    return next((words for test, words in kinds if test(mode)), tr("no regular file"))


def _in_the_way(folder, path, mode, keeps_folder=False):
    """Build the CacheError for ``path``, of a wrong kind (``mode``) where a file belongs.

    ``keeps_folder``: a folder belongs there instead (the cache folder itself).
    """
    kind = _kind_of(mode)
    remove = "shutil.rmtree" if stat.S_ISDIR(mode) else "os.remove"
    if keeps_folder:
        keeps, why = tr("a folder"), tr("nothing can be stored in it")
    else:
        keeps = tr("a file")
        why = tr("it is never opened (a FIFO or a device could block the call) nor replaced")
    what = tr(
        "{path!r} is {kind} where the cache keeps {keeps} ({name}), so {why}",
        path=str(path),
        kind=kind,
        keeps=keeps,
        name=path.name,
        why=why,
    )
    fix = tr(
        "remove it, e.g. {remove}({path!r}), then retry, or point NMA_DL_DATA_DIR at "
        "another folder",
        remove=remove,
        path=str(path),
    )
    return _local_fault(folder, what, fix)


def _check_regular(folder, path):
    """Raise the CacheError of :func:`_in_the_way` if ``path`` exists and is no regular file.

    Returns
    -------
    bool
        Whether ``path`` exists (a dangling link counts as absent: it is replaced).
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # a file in place of the folder: said later
        return False
    except OSError as exc:
        raise _cache_error(folder, exc, tr("reading {name}", name=path.name)) from exc
    if not stat.S_ISREG(mode):
        raise _in_the_way(folder, path, mode)
    return True


def _open_regular(folder, path):
    """Open the regular file ``path`` to read it (binary), never opening anything else.

    The kind is checked before opening (:func:`_check_regular`: a device is not even opened) and
    again on the open file, opened non-blocking: a FIFO swapped in meanwhile is refused instead
    of blocking. A missing file raises :class:`FileNotFoundError`, as :func:`open` does.
    """
    if not _check_regular(folder, path):
        raise FileNotFoundError(2, "No such file or directory", str(path))
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no FIFOs to open
    descriptor = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise _in_the_way(folder, path, mode)
        if nonblocking:
            os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def _writable(folder, doing=None):
    """Create ``folder`` if needed and check that files can be made in it (``doing``: what for)."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:  # absent (created below) or unreadable (said below)
        mode = stat.S_IFDIR
    if not stat.S_ISDIR(mode):
        raise _in_the_way(folder.parent, folder, mode, keeps_folder=True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(13, "Permission denied (the folder is read-only)", str(folder))
    except OSError as exc:
        raise _cache_error(folder, exc, doing or tr("writing")) from exc
    return folder


def _umask_mode():
    """Permissions of a new file under the user's umask (temporary files get 0600)."""
    try:  # Linux says it without changing it (os.umask is briefly 0 for every thread)
        with open("/proc/self/status") as status:
            lines = [line for line in status if line.startswith("Umask:")]
        mask = int(lines[0].split()[1], 8)
    except (OSError, IndexError, ValueError):
        mask = os.umask(0)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def _cache_lock(folder, wait, what):
    """Hold the cache folder's lock file; wait at most ``wait`` seconds for it.

    Yields whether a real lock is held: False where the operating system locks no files (then
    :mod:`filelock` has only its soft lock, a file whose mere presence locks, which a killed
    process would leave behind for every later one to wait on). The lock itself is the kernel's
    (``flock``, or ``msvcrt`` on Windows): it dies with its process, so a killed download blocks
    no one. After :data:`_WAIT_NOTICE_AFTER` seconds of waiting, one line says for what
    (``what``, the file that another process is downloading or preparing), where, and for how
    long at most.
    """
    if not issubclass(filelock.FileLock, (filelock.UnixFileLock, filelock.WindowsFileLock)):
        yield False
        return
    path = folder / _LOCK_NAME
    _check_regular(folder, path)  # a FIFO or folder in its place is named, never opened
    # A link: filelock 4 refuses to follow it (ELOOP), filelock 3 truncates (O_TRUNC) its target.
    if path.is_symlink():
        raise _in_the_way(folder, path, os.lstat(path).st_mode)
    lock = filelock.FileLock(path)
    try:
        try:
            lock.acquire(timeout=min(wait, _WAIT_NOTICE_AFTER), poll_interval=_LOCK_POLL)
        except filelock.Timeout:
            if wait <= _WAIT_NOTICE_AFTER:
                raise
            print(
                tr(
                    "Waiting for another process that is downloading or preparing {what} in "
                    "{folder!r} (it holds the lock file {lock}); waiting at most {wait:g} s.",
                    what=what,
                    folder=str(folder),
                    lock=_LOCK_NAME,
                    wait=wait,
                ),
                flush=True,
            )
            lock.acquire(timeout=wait - _WAIT_NOTICE_AFTER, poll_interval=_LOCK_POLL)
    except filelock.Timeout as exc:
        raise _lock_taken(folder, wait, what) from exc
    except OSError as exc:
        doing = tr("opening the lock file {lock}", lock=_LOCK_NAME)
        raise _cache_error(folder, exc, doing) from exc
    try:
        yield True
    finally:
        lock.release()


def _lock_taken(folder, wait, what):
    """Build the CacheError for a lock still taken after ``wait`` s, by one preparing ``what``."""
    return _local_fault(
        folder,
        tr(
            "waiting {wait:g} s for the lock file {lock} failed (it stayed taken)",
            wait=wait,
            lock=_LOCK_NAME,
        ),
        tr(
            "another process (another notebook or a python -m nma_dl.data prepare) still "
            "holds the lock while downloading or preparing {what}; let it finish, or stop it, "
            "then retry",
            what=what,
        ),
    )


def _is_temporary(path):
    """Whether ``path`` is a temporary file of this module (download or atomic write)."""
    name = path.name
    return name.endswith((".part", ".tmp")) and any(
        name.startswith(f".{entry}.") for entry in FILES
    )


def _remove_stale(folder, locked, older_than):
    """Delete temporary files a killed process left in ``folder`` (and its ``synthetic/``).

    With the lock held nobody else is writing, so every temporary is stale; without a lock
    only those older than ``older_than`` seconds are.
    """
    now = time.time()
    for sub in (folder, _surrogate_folder(folder, surrogate_seed())):
        try:
            candidates = [p for p in sub.iterdir() if _is_temporary(p)]
        except OSError:
            continue
        for path in candidates:
            with contextlib.suppress(OSError):
                if locked or now - path.stat().st_mtime > older_than:
                    path.unlink()


def _user_stacklevel():
    """Stack level of the first caller outside nma_dl, for :func:`warnings.warn` in the caller."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    return level


def _describe(exc):
    return f"{type(exc).__name__}: {exc}"


def _md5(path):
    digest = hashlib.md5()
    with _open_regular(path.parent, path) as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _looks_like_html(head):
    start = head.lstrip()[:15].lower()
    return start.startswith(b"<!doctype html") or start.startswith(b"<html")


def _open_url(url, timeout):
    request = urllib.request.Request(url, headers={"User-Agent": "nma_dl (python urllib)"})
    return urllib.request.urlopen(request, timeout=timeout)


def _stream(entry, url, out, timeout, deadline):
    """Write the file at ``url`` into ``out``; return its MD5. Bounded in size and time.

    ``timeout`` is how long the connection may stay silent (connecting or waiting for the next
    bytes); ``deadline`` bounds the whole download (checked between reads, so the total wait is
    at most ``deadline + timeout``).
    """
    started = time.monotonic()
    try:
        with _open_url(url, min(timeout, deadline)) as response:
            declared, chunk = _first_chunk(entry, response)
            digest, received = _copy(entry, response, chunk, out, declared, started, deadline)
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise _silent_for(timeout) from exc
        raise
    except TimeoutError as exc:
        if getattr(exc, "nma_dl_deadline", False):  # the whole download's, from _copy
            raise
        raise _silent_for(timeout) from exc
    if declared is not None and received != declared:
        raise DownloadError(
            tr(
                "download truncated: received {received} of {declared} bytes",
                received=received,
                declared=declared,
            )
        )
    return digest.hexdigest()


def _first_chunk(entry, response):
    """Check the answer's headers and first bytes: ``(announced size or None, first chunk)``.

    Raises
    ------
    DownloadError
        Before anything is written, when the server announces more than ``entry.max_bytes``
        or answers a web page.
    """
    content_type = response.headers.get("Content-Type", "")
    declared = response.headers.get("Content-Length")
    declared = int(declared) if declared and declared.strip().isdigit() else None
    if declared is not None and declared > entry.max_bytes:
        raise DownloadError(
            tr(
                "the server announces {declared} bytes (Content-Length), far above the "
                "size of {name} (at most {max_bytes} bytes); refused before writing anything",
                declared=declared,
                name=entry.name,
                max_bytes=entry.max_bytes,
            )
        )
    chunk = response.read1(_CHUNK)
    if "text/html" in content_type.lower() or _looks_like_html(chunk):
        # The hash check would fail too, but this says why.
        raise DownloadError(
            tr(
                "OSF answered a web page (HTML, Content-Type {content_type!r}) instead of "
                "the data file; the download link may have changed or OSF may be "
                "busy or down",
                content_type=content_type,
            )
        )
    return declared, chunk


def _copy(entry, response, chunk, out, declared, started, deadline):
    """Write ``chunk`` and the rest of ``response`` into ``out``, with a progress bar.

    Returns
    -------
    tuple
        ``(MD5 digest object, number of bytes received)``.

    Raises
    ------
    DownloadError
        When more than ``entry.max_bytes`` arrive.
    CacheError
        When ``out`` cannot be written (disk full).
    TimeoutError
        When the download has taken more than ``deadline`` seconds since ``started``.
    """
    digest, received = hashlib.md5(), 0
    with tqdm(total=declared, unit="B", unit_scale=True, desc=entry.name, leave=False) as bar:
        while chunk:
            received += len(chunk)
            if received > entry.max_bytes:
                raise DownloadError(
                    tr(
                        "the server sent more than {max_bytes} bytes, far above the size of "
                        "{name}; stopped",
                        max_bytes=entry.max_bytes,
                        name=entry.name,
                    )
                )
            try:
                out.write(chunk)
            except OSError as exc:  # disk full: a local fault, not the network's
                doing = tr("writing the download")
                raise _cache_error(pathlib.Path(out.name).parent, exc, doing) from exc
            digest.update(chunk)
            bar.update(len(chunk))
            if time.monotonic() - started > deadline:
                raise _took_longer(deadline, received)
            chunk = response.read1(_CHUNK)
    return digest, received


def _took_longer(deadline, received):
    """Return the TimeoutError of a download that took longer than ``deadline`` seconds."""
    error = TimeoutError(
        tr(
            "the download took longer than {deadline:g} s ({received} bytes received; "
            "set NMA_DL_DOWNLOAD_DEADLINE to wait longer)",
            deadline=deadline,
            received=received,
        )
    )
    error.nma_dl_deadline = True  # told apart from a silent connection's (_stream)
    return error


def _silent_for(timeout):
    return TimeoutError(
        tr(
            "no data received for {timeout:g} s (set NMA_DL_DOWNLOAD_TIMEOUT to wait longer)",
            timeout=timeout,
        )
    )


def _is_cached(target, entry):
    return _check_regular(target.parent, target) and _md5(target) == entry.md5


def _download(entry, folder, timeout, deadline, on_failure):
    """Path of the verified real file in the cache, downloading it if needed.

    ``on_failure`` says in the announcement line what happens if the download fails.
    """
    target = folder / entry.name
    if _is_cached(target, entry):
        return target
    _writable(folder)
    wait = deadline + timeout + 30
    what = tr("{name} (a download from OSF)", name=entry.name)
    with _cache_lock(folder, wait, what) as locked:
        _remove_stale(folder, locked, older_than=deadline + timeout)
        if _check_regular(folder, target):
            if _md5(target) == entry.md5:  # another process has just downloaded it
                return target
            # Corrupted or replaced on disk: drop it so a failed download leaves no bad file.
            print(
                tr(
                    "The cached {name} does not match its MD5 checksum; downloading it again.",
                    name=entry.name,
                )
            )
            target.unlink(missing_ok=True)
        url = osf_url(entry.osf_id)
        print(
            tr(
                "Downloading {name} from {url} (at most {deadline:g} s); {on_failure}.",
                name=entry.name,
                url=url,
                deadline=deadline,
                on_failure=on_failure,
            )
        )
        try:
            handle = tempfile.NamedTemporaryFile(
                dir=folder, prefix=f".{entry.name}.", suffix=".part", delete=False
            )
        except OSError as exc:
            raise _cache_error(folder, exc, tr("creating the download file")) from exc
        try:
            with handle:
                _check_md5(entry, _stream(entry, url, handle, timeout, deadline))
            os.chmod(handle.name, _umask_mode())
            os.replace(handle.name, target)
        finally:
            with contextlib.suppress(OSError):
                os.remove(handle.name)
    return target


def _check_md5(entry, md5):
    """Raise a DownloadError if ``md5``, the hash of the downloaded bytes, is not the file's."""
    if md5 != entry.md5:
        raise DownloadError(
            tr(
                "the downloaded bytes do not match the registry's MD5 hash of {name} "
                "(expected {expected}, got {md5})",
                name=entry.name,
                expected=entry.md5,
                md5=md5,
            )
        )


def _atomic_write(path, write):
    """Call ``write(file)`` on a temporary file next to ``path``, then rename it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            write(handle)
        os.chmod(handle.name, _umask_mode())
        os.replace(handle.name, path)
    except BaseException:
        if os.path.exists(handle.name):
            os.remove(handle.name)
        raise


def _surrogate_path(name, folder=None):
    """Path of the surrogate file, generating the surrogate files if it is missing.

    They live in ``<cache>/synthetic/`` so they are never mistaken for the real
    files. A JSON sidecar records the generator version, seed and MD5; a file
    whose sidecar does not match is rebuilt. Concurrent processes generate them once
    (under the cache's lock); an OSError while writing becomes a :class:`CacheError`.
    A valid file is used even where the other one is missing and the folder is read-only
    (a shared cache prepared by an instructor), and nothing but a regular file is opened: a
    directory or FIFO in place of a file is a :class:`CacheError` saying to remove it.
    """
    cache = data_dir() if folder is None else folder
    seed = surrogate_seed()
    folder = _surrogate_folder(cache, seed)
    # "nma_dl.surrogate" was the generator's module name before layout v2; the stamp keeps it so
    # that caches written before stay valid.
    stamp = {"generator": "nma_dl.surrogate", "version": surrogate.VERSION, "seed": seed}

    def is_valid(entry):
        """Whether the surrogate file of ``entry`` exists and matches its sidecar."""
        npz, sidecar = folder / entry.name, folder / f"{entry.name}.json"
        for path in (npz, sidecar):  # something in the way: said, never rebuilt around
            _check_regular(folder, path)
        try:
            with _open_regular(folder, sidecar) as handle:
                text = handle.read(_MAX_SIDECAR_BYTES + 1)
            if len(text) > _MAX_SIDECAR_BYTES:  # not a sidecar of ours
                return False
            return json.loads(text) == {**stamp, "md5": _md5(npz)}
        except CacheError:  # swapped in since the check above
            raise
        except (OSError, ValueError):
            return False

    if not is_valid(FILES[name]):
        doing = tr(
            "writing the surrogate {name} (absent or out of date in this folder)", name=name
        )
        _writable(folder, doing)
        wait = _SURROGATE_LOCK_WAIT
        what = tr("the offline surrogate of the data ({name})", name=name)
        with _cache_lock(cache if os.access(cache, os.W_OK) else folder, wait, what) as locked:
            _remove_stale(cache, locked, older_than=wait)
            # Another process may have generated them while this one waited for the lock.
            missing = [entry for entry in FILES.values() if not is_valid(entry)]
            if missing:
                _write_surrogates(folder, missing, stamp)
    _print_surrogate_note(name, seed)
    return folder / name


def _print_surrogate_note(name, seed):
    """Print the line saying that the surrogate (drawn with ``seed``) stands in for ``name``."""
    drawn = "" if seed == surrogate.SEED else tr(", drawn with seed {seed}", seed=seed)
    print(
        tr(
            "NOTE: using the offline SURROGATE of the Stringer et al. 2021 V1 data (simulated, "
            "not the real recordings{drawn}) for {name}; numbers and figures differ from the "
            "real data.",
            drawn=drawn,
            name=name,
        )
    )


def _write_surrogates(folder, missing, stamp):
    """Generate the surrogate and write the files of ``missing`` into ``folder``, with sidecars.

    Each ``.npz`` and its JSON sidecar (``stamp`` and the file's MD5) is written atomically; an
    OSError while writing becomes a :class:`CacheError`.
    """
    files = surrogate.generate(stamp["seed"])
    try:
        for entry in missing:
            npz, arrays = folder / entry.name, files[entry.surrogate_key]
            _atomic_write(npz, lambda handle, arrays=arrays: np.savez(handle, **arrays))
            sidecar = json.dumps({**stamp, "md5": _md5(npz)}, indent=1).encode()
            _atomic_write(
                folder / f"{entry.name}.json", lambda handle, text=sidecar: handle.write(text)
            )
    except OSError as exc:
        raise _cache_error(folder, exc, tr("writing the surrogate")) from exc


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
        connection, HTTP error, timeout, deadline, web page or oversized answer
        instead of the file, wrong checksum). Nothing partial is left in the cache.
    ValueError
        When a setting (``NMA_DL_DATA_DIR``, ``NMA_DL_DOWNLOAD_TIMEOUT``,
        ``NMA_DL_DOWNLOAD_DEADLINE``) has a wrong value, whatever the source.
    CacheError
        When the cache folder cannot be written, whatever the source.
    """
    validate_instance(name, str, "name", "a str", show_value=True)
    require(name in FILES, "name", f"one of {', '.join(FILES)}", name, sep=";")
    source = _source(source)
    folder = data_dir()
    if source == "synthetic":
        return _surrogate_path(name, folder)
    # Local settings first: a wrong one is the user's to fix, never a reason to fall back.
    timeout, deadline = _timeout(), _deadline()
    entry = FILES[name]
    on_failure = (
        tr("if it fails, the offline surrogate is used instead")
        if source == "auto"
        else tr("if it fails, an error says why (source 'osf')")
    )
    try:
        return _download(entry, folder, timeout, deadline, on_failure)
    except CacheError:
        raise
    except Exception as exc:  # any failure of the download: the caller's source decides
        url = osf_url(entry.osf_id)
        if source == "osf":
            raise DataUnavailableError(name, url, exc) from exc
        if name not in _WARNED:
            _WARNED.add(name)
            warnings.warn(
                tr(
                    "The real Stringer et al. (2021) data file {name} could not be fetched from "
                    "{url} ({cause}). Using the offline SURROGATE instead: simulated data, so "
                    "results will differ from the real recordings. Set NMA_DL_DATA_SOURCE=osf "
                    "to make this an error, or =synthetic to skip the download.",
                    name=name,
                    url=url,
                    cause=_describe(exc),
                ),
                UserWarning,
                stacklevel=_user_stacklevel(),
            )
        return _surrogate_path(name, folder)


def main(argv=None):
    """Command line: ``python -m nma_dl.data prepare [--source ...]``.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 when both files are ready, 1 when the data are unavailable or the local
        configuration (a setting, the cache folder) is wrong.
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
    except (DataUnavailableError, CacheError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
