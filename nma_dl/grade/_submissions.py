"""Find the notebooks to grade: files, folders searched recursively, and zip archives.

A learning platform exports a class's work as a zip of notebooks, one folder per student. Such an
archive is read member by member, and each notebook is written to a scratch folder under a name
of the grader's own (``zip<k>-<i>.ipynb``): no member name is ever used as a path, so a name such
as ``../../.bashrc`` cannot write outside the scratch folder, and every read is capped, so a
zip bomb stops at the caps below instead of filling the disk.

Nothing here reads a notebook's content: a submission is a name and where its bytes are, or
the reason it cannot be read, which becomes its row's status.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

#: Largest notebook read, in bytes: a notebook with all its figures is a few MB.
MAX_NOTEBOOK_BYTES = 50 * 2**20
#: Most bytes of notebooks read out of one archive, all members together.
MAX_ARCHIVE_BYTES = 2 * 2**30
#: Most members an archive may list.
MAX_ARCHIVE_MEMBERS = 10_000
# Folders that hold copies, not submissions: Jupyter's autosaves and macOS's resource forks.
_SKIPPED_FOLDERS = {".ipynb_checkpoints", "__MACOSX"}

TOO_LARGE, UNREADABLE = "too large", "unreadable"


@dataclass(frozen=True)
class Submission:
    """One notebook to grade, or one that cannot be read.

    Attributes
    ----------
    name : str
        How the grades name it: the path as given, a path under a folder as given, or
        ``archive.zip:member`` for a member of an archive.
    path : pathlib.Path or None
        The file that holds its bytes (a scratch copy for a member of an archive); None when
        ``problem`` is set.
    problem : str or None
        ``"too large"`` or ``"unreadable"`` when it cannot be read; None otherwise.
    detail : str
        Why, in a few words, when ``problem`` is set.
    """

    name: str
    path: Path | None
    problem: str | None = None
    detail: str = ""


def _is_notebook_name(name):
    return name.lower().endswith(".ipynb")


def _from_folder(folder, shown):
    """Notebooks under ``folder``, sorted; symbolic links and autosave copies are skipped."""
    found = []
    for root, dirs, files in os.walk(folder):  # followlinks=False: stay inside the folder
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_FOLDERS)
        for name in sorted(files):
            path = Path(root, name)
            if _is_notebook_name(name) and not path.is_symlink() and path.is_file():
                relative = path.relative_to(folder).as_posix()
                found.append(Submission(f"{shown.rstrip('/')}/{relative}", path))
    return found


def _member_problem(info):
    """Why an archive member cannot be a notebook we read, or None."""
    if stat.S_ISLNK(info.external_attr >> 16):
        return UNREADABLE, "a symbolic link, not a file"
    if info.flag_bits & 0x1:
        return UNREADABLE, "encrypted"
    if info.file_size > MAX_NOTEBOOK_BYTES:
        return TOO_LARGE, f"{info.file_size} bytes, more than {MAX_NOTEBOOK_BYTES}"
    return None


def _wanted_member(info):
    parts = info.filename.replace("\\", "/").split("/")
    if info.is_dir() or not _is_notebook_name(parts[-1]) or parts[-1].startswith("._"):
        return False
    return not _SKIPPED_FOLDERS.intersection(parts[:-1])


def _printable(name):
    # A member name is only ever shown: keep it on one line and readable.
    return "".join(c if c.isprintable() else "?" for c in name.replace("\\", "/"))


def _read_capped(archive, info, budget):
    """Return the member's bytes, or ``(problem, detail)``; read at most ``budget`` bytes."""
    limit = min(MAX_NOTEBOOK_BYTES, budget)
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)  # its declared size may lie: count what comes out
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        return UNREADABLE, f"cannot be extracted ({type(e).__name__}: {e})"
    if len(data) > limit:
        if limit < MAX_NOTEBOOK_BYTES:
            return TOO_LARGE, f"the archive holds more than {MAX_ARCHIVE_BYTES} bytes of notebooks"
        return TOO_LARGE, f"more than {MAX_NOTEBOOK_BYTES} bytes once extracted"
    return data


def _from_archive(path, shown, scratch, index):
    """Notebooks of the zip ``path``, each copied into ``scratch`` under a name of our own."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        return [Submission(shown, None, UNREADABLE, f"not a readable zip archive ({error})")]
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            detail = f"{len(members)} members, more than {MAX_ARCHIVE_MEMBERS}"
            return [Submission(shown, None, UNREADABLE, detail)]
        found, budget = [], MAX_ARCHIVE_BYTES
        members = sorted((m for m in members if _wanted_member(m)), key=lambda m: m.filename)
        for number, info in enumerate(members):
            name = f"{shown}:{_printable(info.filename)}"
            result = _member_problem(info) or _read_capped(archive, info, budget)
            if isinstance(result, tuple):
                found.append(Submission(name, None, *result))
                continue
            budget -= len(result)
            copy = Path(scratch, f"zip{index}-{number}.ipynb")
            copy.write_bytes(result)
            found.append(Submission(name, copy))
    return found


def collect(paths, scratch):
    """List the submissions named by ``paths``, in the order given.

    Parameters
    ----------
    paths : sequence of str or os.PathLike
        Notebooks, folders (searched recursively for ``.ipynb`` files, skipping symbolic links
        and ``.ipynb_checkpoints``) and ``.zip`` archives. A file that is neither a folder nor
        a ``.zip`` is taken as a notebook whatever its name, as the instructor named it.
    scratch : str or os.PathLike
        An existing folder for the notebooks extracted from archives.

    Returns
    -------
    list of Submission
        Folders' notebooks in sorted order, archives' members in sorted order.

    Raises
    ------
    TypeError
        If ``paths`` is a single string or path rather than a sequence of them, or holds
        something else.
    ValueError
        If ``paths`` is empty, or names something that does not exist or is not a file or a
        folder (a device, a socket).
    """
    if isinstance(paths, (str, bytes, os.PathLike)) or not hasattr(paths, "__iter__"):
        raise TypeError(f"paths must be a list of paths, got {type(paths).__name__}")
    paths = list(paths)
    if not paths:
        raise ValueError("paths must name at least one notebook, folder or zip archive")
    found = []
    for index, given in enumerate(paths):
        if not isinstance(given, (str, os.PathLike)):
            raise TypeError(f"paths must hold paths, got {type(given).__name__} {given!r}")
        shown, path = os.fspath(given), Path(given)
        if path.is_dir():
            found.extend(_from_folder(path, shown))
        elif path.is_file() and path.suffix.lower() == ".zip":
            found.extend(_from_archive(path, shown, scratch, index))
        elif path.is_file():
            found.append(Submission(shown, path))
        elif path.exists():
            raise ValueError(f"paths: {shown} is neither a file nor a folder")
        else:
            raise ValueError(f"paths: {shown} does not exist")
    return found


def read_bytes(submission):
    """Return the bytes of ``submission``, or ``(problem, detail)`` if it cannot be read."""
    try:
        with open(submission.path, "rb") as file:
            data = file.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as error:
        return UNREADABLE, f"cannot be read ({error.strerror or error})"
    if len(data) > MAX_NOTEBOOK_BYTES:
        return TOO_LARGE, f"more than {MAX_NOTEBOOK_BYTES} bytes"
    return data
