"""Finding the submissions: folders searched recursively, files as given, zip archives read
safely (no path from a member's name, every read capped), and the arguments refused clearly."""

from __future__ import annotations

import os
import zipfile

import pytest

from nma_dl.grade import _submissions
from nma_dl.grade._submissions import TOO_LARGE, UNREADABLE, collect, read_bytes


def _names(found):
    return [(s.name, s.problem) for s in found]


def test_a_folder_is_searched_recursively_in_order(tmp_path):
    root = tmp_path / "class"
    for name in ("b/two.ipynb", "a/one.IPYNB", "top.ipynb", "a/notes.txt", "a/zip.zip"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("{}")
    for skipped in (".ipynb_checkpoints/top-checkpoint.ipynb", "__MACOSX/._top.ipynb"):
        (root / skipped).parent.mkdir(parents=True, exist_ok=True)
        (root / skipped).write_text("{}")
    os.symlink(root / "top.ipynb", root / "link.ipynb")
    os.symlink(tmp_path, root / "loop")  # a link to a folder above: never followed
    found = collect([str(root)], tmp_path)
    assert [s.name.removeprefix(str(root)) for s in found] == [
        "/top.ipynb",
        "/a/one.IPYNB",
        "/b/two.ipynb",
    ]
    assert all(s.problem is None and s.path.is_file() for s in found)


def test_a_file_given_by_name_is_a_submission_whatever_its_name(tmp_path):
    (tmp_path / "alice.json").write_text("{}")
    found = collect([tmp_path / "alice.json"], tmp_path)
    assert _names(found) == [(str(tmp_path / "alice.json"), None)]


def _zip(path, members):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def test_member_names_never_become_paths(tmp_path):
    scratch, outside = tmp_path / "scratch", tmp_path / "outside"
    scratch.mkdir()
    archive = _zip(
        tmp_path / "class.zip",
        [
            ("../outside/evil.ipynb", "{}"),
            ("/etc/evil2.ipynb", "{}"),
            ("a\\..\\..\\evil3.ipynb", "{}"),
            ("ok/\x1bname.ipynb", "{}"),
            ("__MACOSX/ok/._name.ipynb", "fork"),
            ("ok/readme.md", "words"),
            ("ok/", ""),
        ],
    )
    found = collect([archive], scratch)
    shown = str(archive)
    assert _names(found) == [
        (f"{shown}:../outside/evil.ipynb", None),
        (f"{shown}:/etc/evil2.ipynb", None),
        (f"{shown}:a/../../evil3.ipynb", None),
        (f"{shown}:ok/?name.ipynb", None),
    ]
    assert sorted(p.name for p in scratch.iterdir()) == [f"zip0-{i}.ipynb" for i in range(4)]
    assert all(s.path.parent == scratch for s in found)
    assert not outside.exists() and not (tmp_path / "evil3.ipynb").exists()


def test_links_encrypted_members_and_broken_archives_are_unreadable(tmp_path):
    link = zipfile.ZipInfo("carol/link.ipynb")
    link.external_attr = (0o120777 << 16) | 0x20
    with zipfile.ZipFile(tmp_path / "class.zip", "w") as archive:
        archive.writestr(link, "/etc/passwd")
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 but nothing more")
    found = collect([tmp_path / "class.zip", tmp_path / "broken.zip"], tmp_path)
    assert [(s.problem, s.detail.split(" (")[0]) for s in found] == [
        (UNREADABLE, "a symbolic link, not a file"),
        (UNREADABLE, "not a readable zip archive"),
    ]
    secret = zipfile.ZipInfo("dave/secret.ipynb")  # zipfile writes no encrypted member: as read
    secret.flag_bits |= 0x1
    assert _submissions._member_problem(secret) == (UNREADABLE, "encrypted")


def test_every_read_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(_submissions, "MAX_NOTEBOOK_BYTES", 1000)
    monkeypatch.setattr(_submissions, "MAX_ARCHIVE_BYTES", 2500)
    archive = _zip(
        tmp_path / "bomb.zip",
        [
            ("big.ipynb", b"0" * 5000),  # its header says so: not even read
            ("a.ipynb", b"1" * 900),
            ("b.ipynb", b"2" * 900),
            ("c.ipynb", b"3" * 900),  # the archive's budget is spent
        ],
    )
    found = collect([archive], tmp_path)
    assert [s.problem for s in found] == [None, None, TOO_LARGE, TOO_LARGE]
    assert "archive holds more than 2500 bytes" in found[3].detail
    assert "more than 1000" in found[2].detail
    (tmp_path / "large.ipynb").write_bytes(b"x" * 1001)
    (single,) = collect([tmp_path / "large.ipynb"], tmp_path)
    assert read_bytes(single) == (TOO_LARGE, "more than 1000 bytes")


def test_a_member_whose_header_lies_about_its_size_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(_submissions, "MAX_NOTEBOOK_BYTES", 1000)
    archive = _zip(tmp_path / "liar.zip", [("liar.ipynb", b"x" * 50_000)])
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("liar.ipynb")
        info.file_size = 10  # what a forged header would claim
        result = _submissions._read_capped(opened, info, 10**9)
    assert isinstance(result, tuple) and result[0] in {TOO_LARGE, UNREADABLE}


def test_an_archive_of_too_many_members_is_refused_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(_submissions, "MAX_ARCHIVE_MEMBERS", 3)
    archive = _zip(tmp_path / "many.zip", [(f"{i}.ipynb", "{}") for i in range(4)])
    (found,) = collect([archive], tmp_path)
    assert found.problem == UNREADABLE and found.detail == "4 members, more than 3"


def test_a_file_that_cannot_be_read_is_unreadable(tmp_path):
    (tmp_path / "gone.ipynb").write_text("{}")
    (found,) = collect([tmp_path / "gone.ipynb"], tmp_path)
    (tmp_path / "gone.ipynb").unlink()
    assert read_bytes(found)[0] == UNREADABLE


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "paths, error, match",
    [
        ("class.zip", TypeError, "paths must be a list of paths, got str"),
        (3, TypeError, "paths must be a list of paths, got int"),
        ([], ValueError, "paths must name at least one"),
        ([3], TypeError, "paths must hold paths, got int 3"),
        (["nowhere.ipynb"], ValueError, "paths: nowhere.ipynb does not exist"),
        (["/dev/null"], ValueError, "neither a file nor a folder"),
    ],
)
def test_bad_paths_are_refused_naming_the_argument(tmp_path, monkeypatch, paths, error, match):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error, match=match):
        collect(paths, tmp_path)
