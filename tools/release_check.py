"""Before a release: the pushed tag, the package version and every notebook's pin agree.

Run by ``.github/workflows/release.yml`` when a tag ``v*`` is pushed, before anything is built::

    python tools/release_check.py v0.1.0 [--notes release-notes.md]

A release is the git tag ``v<version>`` (CONTRIBUTING.md: Releasing), so it checks that

* the tag is ``v<major>.<minor>.<patch>`` and ``<version>`` is ``project.version`` in
  ``pyproject.toml``, the one place the version is written (``nma_dl.__version__`` reads it from
  the installed package);
* every generated notebook (``notebooks/**/*.ipynb``) and every tutorial source
  (``book/<day>/W*_Tutorial*.md``, the site's pages) has an install cell that pins that version:
  ``NMA_DL_VERSION = "<version>"`` and the git tag ``@v<version>`` (``tools/nbtools.py`` writes
  both; ``make notebooks`` refreshes them). A notebook pinning another tag would install another
  release in Colab;
* ``CHANGELOG.md`` has a section ``## <version>`` that no longer says "unreleased".

With ``--notes FILE`` that changelog section is written to ``FILE``: the release's notes.
Exit status 0 when all agree; 1 with one line for each disagreement, saying what to do.
Standard library only: the release job runs it before installing anything.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_GLOB = "notebooks/**/*.ipynb"
# The tutorial sources are book/<day>/<name>.md matching nbtools.TUTORIAL_GLOB.
SOURCE_GLOB = "book/*/W*_Tutorial*.md"

_TAG = re.compile(r"v(\d+\.\d+\.\d+)")
# The two pins of the install cell (nbtools.INSTALL_TEMPLATE): the version it checks for and the
# git tag pip installs ('nma-dl @ git+https://github.com/<owner>/<name>@v<version>').
_VERSION_LINE = re.compile(r'^NMA_DL_VERSION = "([^"\n]*)"', re.MULTILINE)
_TAG_PIN = re.compile(r"git\+https://[^\s'\"@]+@v([^\s'\"]+)")
_SECTION = re.compile(r"^## (.*)$", re.MULTILINE)


class ReleaseError(ValueError):
    """A tag that cannot be a release, or a repository file the check cannot read."""


def tag_version(tag: str) -> str:
    """The version a release tag names: ``"v1.2.3"`` -> ``"1.2.3"``."""
    match = _TAG.fullmatch(tag.strip())
    if not match:
        raise ReleaseError(
            f"tag {tag!r} is not a release tag: it must be v<major>.<minor>.<patch>"
        )
    return match.group(1)


def package_version(root: Path = ROOT) -> str:
    """``project.version`` of ``pyproject.toml``."""
    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        return str(project["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ReleaseError(f"pyproject.toml: no project.version to compare with ({exc})") from None


def _code(path: Path) -> str:
    """The text to search for pins: a notebook's code cells, a Markdown source whole."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text).get("cells", [])
    sources = (c.get("source", "") for c in cells if c.get("cell_type") == "code")
    return "\n".join(s if isinstance(s, str) else "".join(s) for s in sources)


def pinned_files(root: Path = ROOT) -> list[Path]:
    """The generated notebooks and the tutorial sources, each of which has an install cell."""
    return sorted(root.glob(NOTEBOOK_GLOB)) + sorted(root.glob(SOURCE_GLOB))


def pins(path: Path) -> tuple[list[str], list[str]]:
    """The versions ``path``'s install cell pins: ``NMA_DL_VERSION`` values, git tags."""
    code = _code(path)
    return _VERSION_LINE.findall(code), _TAG_PIN.findall(code)


def pin_problems(version: str, root: Path = ROOT) -> list[str]:
    """One line for each notebook or source whose install cell does not pin ``version``."""
    files = pinned_files(root)
    if not any(f.suffix == ".ipynb" for f in files):
        return [f"no generated notebooks ({NOTEBOOK_GLOB}): run `make notebooks` and commit them"]
    problems = []
    for path in files:
        name = path.relative_to(root).as_posix()
        versions, tags = pins(path)
        if not versions or not tags:
            problems.append(
                f"{name}: no install cell pinning a version (NMA_DL_VERSION and the git tag "
                "@v<version>): run `make notebooks` and commit"
            )
            continue
        other = sorted({v for v in versions + tags if v != version})
        if other:
            problems.append(
                f"{name} pins {', '.join(other)}, not {version}: run `make notebooks` and commit"
            )
    return problems


def changelog_section(version: str, root: Path = ROOT) -> str:
    """``CHANGELOG.md``'s section for ``version``, which must no longer say "unreleased"."""
    path = root / "CHANGELOG.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReleaseError(f"CHANGELOG.md cannot be read ({exc})") from None
    headings = list(_SECTION.finditer(text))
    for i, heading in enumerate(headings):
        title = heading.group(1).strip()
        words = title.split()
        # '## 1.2.3 (2025-01-31)', also '## [1.2.3] - 2025-01-31' or '## v1.2.3'
        if not words or words[0].strip("[]").removeprefix("v") != version:
            continue
        if "unreleased" in title.lower():
            raise ReleaseError(
                f"CHANGELOG.md still calls {version} unreleased ({title!r}): put the date in its "
                "heading (CONTRIBUTING.md: Releasing)"
            )
        end = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        return text[heading.end() : end].strip() + "\n"
    raise ReleaseError(f"CHANGELOG.md has no section '## {version}': add it with the date")


def check(tag: str, root: Path = ROOT) -> tuple[list[str], str | None]:
    """Every disagreement between ``tag`` and the repository, and the release notes if none."""
    try:
        version = tag_version(tag)
    except ReleaseError as exc:
        return [str(exc)], None
    problems = []
    try:
        package = package_version(root)
    except ReleaseError as exc:
        problems.append(str(exc))
    else:
        if package != version:
            problems.append(
                f"tag {tag} is not the package version: pyproject.toml says {package} (tag "
                f"v{package}, or bump project.version, run `make notebooks` and tag again)"
            )
    problems += pin_problems(version, root)
    notes = None
    try:
        notes = changelog_section(version, root)
    except ReleaseError as exc:
        problems.append(str(exc))
    return problems, (None if problems else notes)


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/release_check.py",
        description="Check that a release tag agrees with the package version, the version "
        "every notebook pins and the changelog.",
    )
    parser.add_argument("tag", help="the pushed tag, e.g. v0.1.0 ($GITHUB_REF_NAME)")
    parser.add_argument("--notes", type=Path, help="write the changelog section here")
    args = parser.parse_args(argv)
    problems, notes = check(args.tag, root)
    if problems:
        print(f"error: release {args.tag} does not agree with the repository:", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    if args.notes is not None:
        args.notes.write_text(notes, encoding="utf-8")
    count = len(pinned_files(root))
    print(f"{args.tag}: pyproject.toml, the changelog and {count} notebooks and sources agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
