"""environment.yml (conda) and pyproject.toml (pip) list the same dependencies.

pyproject.toml counts its ``dependencies`` and every optional extra (``book``, ``test``; the
self-reference ``nma-dl[book]`` is not a dependency). environment.yml counts its conda
``dependencies`` and the packages of its ``pip:`` section; ``python`` and ``pip`` themselves are
the environment's tooling, not dependencies. Names are compared normalised (PEP 503), with
conda's ``pytorch`` standing for pip's ``torch``, and version specifiers as sets (``>=1,<2`` is
``<2,>=1``); conda's one-``=`` form (``numpy=1.26``) reads as ``==1.26.*``.
"""

import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
CONDA_TO_PIP = {"pytorch": "torch"}
TOOLING = {"python", "pip"}
PACKAGE = "nma-dl"


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def conda_spec(line: str) -> tuple[str, SpecifierSet]:
    """``name`` and specifiers of a conda match spec such as ``jupyter-book>=1,<2``."""
    m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", line)
    if m is None:
        raise ValueError(f"not a conda package spec: {line!r}")
    name, spec = _name(m.group(1)), m.group(2).replace(" ", "")
    if re.fullmatch(r"=[^=<>!~,]+", spec):  # conda's fuzzy equality: numpy=1.26 is 1.26.*
        spec = f"=={spec[1:].removesuffix('.*')}.*"
    return CONDA_TO_PIP.get(name, name), SpecifierSet(spec)


def conda_dependencies(path: Path = ROOT / "environment.yml") -> dict[str, SpecifierSet]:
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    deps: dict[str, SpecifierSet] = {}
    for entry in env["dependencies"]:
        if isinstance(entry, dict):  # the pip: section, in pip's own syntax
            for line in entry.get("pip", []):
                req = Requirement(line)
                deps[_name(req.name)] = req.specifier
            continue
        name, spec = conda_spec(entry)
        if name not in TOOLING:
            assert name not in deps, f"environment.yml lists {name} twice"
            deps[name] = spec
    return deps


def pip_dependencies(path: Path = ROOT / "pyproject.toml") -> dict[str, SpecifierSet]:
    project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
    lines = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        lines += extra
    deps: dict[str, SpecifierSet] = {}
    for line in lines:
        req = Requirement(line)
        name = _name(req.name)
        if name == PACKAGE:  # nma-dl[book]: the test extra includes the book extra
            continue
        assert name not in deps or deps[name] == req.specifier, f"pyproject.toml: {name} twice"
        deps[name] = req.specifier
    return deps


def test_conda_specs_are_read_like_pip_specs():
    assert conda_spec("pytorch>=2.1") == ("torch", SpecifierSet(">=2.1"))
    assert conda_spec("jupyter-book>=1,<2") == ("jupyter-book", SpecifierSet("<2,>=1"))
    assert conda_spec("numpy=1.26") == ("numpy", SpecifierSet("==1.26.*"))
    assert conda_spec("PyYAML >=6") == ("pyyaml", SpecifierSet(">=6"))
    with pytest.raises(ValueError):
        conda_spec("not a spec!")


def test_environment_and_pyproject_list_the_same_dependencies():
    conda, pip = conda_dependencies(), pip_dependencies()
    assert pip, "no dependency read from pyproject.toml"
    only_pip = sorted(set(pip) - set(conda))
    only_conda = sorted(set(conda) - set(pip))
    assert not only_pip, f"in pyproject.toml, missing from environment.yml: {only_pip}"
    assert not only_conda, f"in environment.yml, missing from pyproject.toml: {only_conda}"
    differ = {name: (str(conda[name]), str(pip[name])) for name in pip if conda[name] != pip[name]}
    assert not differ, f"versions differ (environment.yml, pyproject.toml): {differ}"


def test_a_difference_is_caught(tmp_path):
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    changed = tmp_path / "environment.yml"
    changed.write_text(env.replace("pytorch>=2.1", "pytorch>=2.0"), encoding="utf-8")
    assert conda_dependencies(changed)["torch"] != pip_dependencies()["torch"]
    changed.write_text(env.replace("  - tqdm>=4.60\n", ""), encoding="utf-8")
    assert "tqdm" not in conda_dependencies(changed) and "tqdm" in pip_dependencies()


def test_the_version_is_written_once():
    """pyproject.toml holds the version; the package reads it and no file repeats it."""
    import nma_dl

    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    assert nma_dl.__version__ == version, "reinstall the package: its metadata is stale"
    literal = re.compile(r"__version__\s*=\s*[\"']")
    assert not any(
        literal.search(p.read_text(encoding="utf-8")) for p in ROOT.glob("nma_dl/**/*.py")
    )
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_licences_are_declared_and_shipped():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "BSD-3-Clause"  # SPDX expression (PEP 639), not a table
    for name in project["license-files"]:
        assert (ROOT / name).is_file(), name
    assert "BSD 3-Clause" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 4.0" in (ROOT / "LICENSE-content").read_text(
        encoding="utf-8"
    )
