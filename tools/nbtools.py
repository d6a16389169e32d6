"""The notebook pipeline: one MyST source per tutorial, three views of it.

An authoring tool of the repository, not part of the ``nma_dl`` package students install.

The book has one folder per course day, ``book/<day>/`` (``book/W1D5_DeepLearning/``, ...).
Each tutorial of a day is written once, as a MyST Markdown notebook
``book/<day>/<WxDy>_Tutorial<n>.md``; the other pages of a day (chapter intro, outro, further
reading) get no notebooks. ``<slug>`` below is a tutorial's path under ``book/`` without suffix,
e.g. ``W1D5_DeepLearning/W1D5_Tutorial1``. From each tutorial this module derives

* the **reference** notebook ``notebooks/reference/<slug>.ipynb``: the Jupytext pair of the
  source (solutions in place), which instructors execute with nbmake;
* the **student** notebook ``notebooks/student/<slug>.ipynb``: every solution cell becomes a
  collapsed ``<details>`` block in Markdown (the stub shown, the answer one click away), and a
  last cell shows which exercises pass (``nma_dl.checks.summary``, ``tools/nbtools_summary.py``);
* the **with solutions** notebook ``notebooks/solutions/<slug>.ipynb``: the solutions as code and
  each stub as folded Markdown, so it runs top to bottom under a plain *Run all* (Colab and Kaggle
  ignore the ``raises-exception`` tag that lets nbmake and the book step over a stub);
* the header of all of them: Open-in-Colab / Open-in-Kaggle badges built from the repository URL
  in ``_config.yml`` and a cell that installs the release ``v<version>`` of ``nma_dl`` (the
  version in ``pyproject.toml``) once per kernel, then checks the import and the version. In
  the source (so on the site) that cell is folded behind its first comment line; in the student
  and with-solutions notebooks it is a Colab form titled by that line, and so are the code cells
  of the tutorial's ``Setup`` section (``tools/nbtools_colab.py``).

The student and with-solutions notebooks are for Jupyter and Colab, which do not know MyST:
their Markdown has the directives (``{admonition}``, ``{note}``, ...) turned into plain Markdown
(:func:`myst_to_markdown`, in ``tools/nbtools_myst.py``: markdown-it-py finds the fences). The
reference notebook stays the exact Jupytext pair of its source.

The tutorials are the documents of ``_toc.yml`` under ``book/`` whose file name matches
:data:`TUTORIAL_GLOB`. Exercises are marked by cell tags (see :data:`STUB_TAGS` and
:data:`SOLUTION_TAGS`). Generation is idempotent: ``python tools/nbtools.py build`` twice changes
nothing, and ``python tools/nbtools.py check`` lists what is stale.

Executing a notebook (:func:`execute`, ``python tools/nbtools.py run``) is in
``tools/nbtools_run.py``. Jupytext, nbformat and PyYAML are needed here (the ``book`` extra of
the package; Jupytext brings markdown-it-py and mdit-py-plugins).
"""

from __future__ import annotations

import argparse
import copy
import fnmatch
import hashlib
import json
import posixpath
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# Two parts of the pipeline have modules of their own, next to this one (tools/ is on the import
# path of these scripts and of the tests); their names are offered here too.
from nbtools_colab import fold_setup_cells
from nbtools_myst import myst_to_markdown
from nbtools_run import Run as Run
from nbtools_run import _run_command
from nbtools_run import execute as execute
from nbtools_run import text_outputs as text_outputs
from nbtools_summary import with_summary

STUB = "exercise-stub"
SOLUTION = "exercise-solution"
HEADER = "nma-header"
# Tags the book build relies on: the stub's error is expected and its trace hidden; the
# solution's code is folded behind a toggle while its prints and figures stay visible.
STUB_TAGS = (STUB, "raises-exception", "remove-output")
SOLUTION_TAGS = (SOLUTION, "hide-input")

ROOT = Path(__file__).resolve().parent.parent
# Sources: book/<day>/<name>.md; the tutorials among them also get the two generated notebooks.
SOURCE_DIR = Path("book")
TUTORIAL_GLOB = "W*_Tutorial*"
REFERENCE_DIR = Path("notebooks/reference")
STUDENT_DIR = Path("notebooks/student")
SOLUTIONS_DIR = Path("notebooks/solutions")

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
KAGGLE_BADGE = "https://kaggle.com/static/images/open-in-kaggle.svg"
PACKAGE_NAME = "nma-dl"

# What _config.yml may say: a github.com repository and a branch name (they end up in URLs and
# in the install cell's shell line, so anything else is refused rather than quoted around).
_REPO_URL = re.compile(r"https://github\.com/[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
_REF = re.compile(r"(?!-)(?!.*\.\.)(?!.*//)[A-Za-z0-9._/-]{1,100}(?<![./])")
_VERSION = re.compile(r"\d+\.\d+\.\d+")
# Cell metadata the generated notebooks keep: the exercise markup and the figures' alt text.
CELL_METADATA = ("tags", "mystnb")

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}
JUPYTEXT_META = {
    "default_lexer": "ipython3",
    "text_representation": {"extension": ".md", "format_name": "myst"},
}


@dataclass(frozen=True)
class Repository:
    """Where the generated notebooks are published (from ``_config.yml``)."""

    url: str
    branch: str = "main"

    def __post_init__(self):
        if not isinstance(self.url, str) or not _REPO_URL.fullmatch(self.url):
            raise ValueError(
                "repository url must be https://github.com/<owner>/<name> (letters, digits, "
                f"'.', '_', '-'); got {self.url!r}"
            )
        if not isinstance(self.branch, str) or not _REF.fullmatch(self.branch):
            raise ValueError(
                "repository branch must be a plain git ref (letters, digits, '.', '_', '-', '/'; "
                f"no '..', no leading '-'); got {self.branch!r}"
            )

    @property
    def slug(self) -> str:
        """``owner/name`` part of a GitHub URL."""
        prefix = "https://github.com/"
        if not self.url.startswith(prefix):
            raise ValueError(f"repository url must start with {prefix!r}, got {self.url!r}")
        return self.url[len(prefix) :].strip("/")

    def colab_url(self, path: str | Path) -> str:
        return f"https://colab.research.google.com/github/{self.slug}/blob/{self.branch}/{path}"

    def kaggle_url(self, path: str | Path) -> str:
        raw = f"https://raw.githubusercontent.com/{self.slug}/{self.branch}/{path}"
        return f"https://kaggle.com/kernels/welcome?src={raw}"

    def install_spec(self, version: str) -> str:
        """pip requirement for release ``version``: the repository at tag ``v<version>``."""
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            raise ValueError(f"version must look like 1.2.3; got {version!r}")
        return f"{PACKAGE_NAME} @ git+{self.url}@v{version}"


def load_repository(root: Path = ROOT) -> Repository:
    """Read the repository URL and branch from the book's ``_config.yml``."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    if "url" not in repo:
        raise ValueError("_config.yml has no repository.url: the badges need it")
    url = repo["url"].rstrip("/") if isinstance(repo["url"], str) else repo["url"]
    return Repository(url=url, branch=repo.get("branch", "main"))


def load_version(root: Path = ROOT) -> str:
    """The package version, from ``pyproject.toml`` (the one place it is written)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    version = project.get("version")
    if not isinstance(version, str) or not _VERSION.fullmatch(version):
        raise ValueError(f"pyproject.toml: project.version must look like 1.2.3; got {version!r}")
    return version


def toc_entries(toc: dict) -> list[dict]:
    """Every entry of a parsed ``_toc.yml`` that names a document, depth first, in order.

    The one walk over the table of contents: :func:`toc_documents` and :func:`toc_titles`
    read what they need from its entries.
    """
    entries: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if any(isinstance(node.get(key), str) for key in ("root", "file")):
                entries.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return entries


def _document(name: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", name)


def toc_documents(toc: dict) -> list[str]:
    """Every document a parsed ``_toc.yml`` names (its root, then each ``file``), in order."""
    docs = [
        _document(entry[key])
        for entry in toc_entries(toc)
        for key in ("root", "file")
        if isinstance(entry.get(key), str)
    ]
    return list(dict.fromkeys(docs))


def is_tutorial(slug: str) -> bool:
    """Whether a document under ``book/`` (``<day>/<name>``) is a tutorial, with notebooks."""
    return fnmatch.fnmatchcase(Path(slug).name, TUTORIAL_GLOB)


def tutorial_slugs(root: Path = ROOT) -> list[str]:
    """Slugs (``<day>/<name>``) of the tutorials listed in ``_toc.yml``, in its order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    prefix = SOURCE_DIR.as_posix() + "/"
    slugs = [doc[len(prefix) :] for doc in toc_documents(toc) if doc.startswith(prefix)]
    return [slug for slug in slugs if is_tutorial(slug)]


# --------------------------------------------------------------------------- cells


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _cell_id(kind: str, index: int, source: str) -> str:
    # Deterministic ids keep regeneration idempotent (nbformat would draw random ones).
    digest = hashlib.sha1(f"{kind}:{index}:{source}".encode()).hexdigest()
    return digest[:12]


# The install cell; @VERSION@ and @SPEC@ (shell-quoted) are filled in by install_source(). Its
# first line is a complete sentence: the book folds the cell behind it (install_toggle()).
INSTALL_TEMPLATE = r"""
# Set up: install the course package nma_dl (once per kernel).
# Colab and Kaggle do not ship it: this installs the release this notebook was made
# for (an older nma_dl is upgraded). pip leaves the torch, NumPy, IPython and
# ipywidgets already installed as they are.
import importlib
import importlib.metadata
import re

NMA_DL_VERSION = "@VERSION@"


def _release(version):
    return tuple(int(n) for n in re.findall(r"\d+", version.split("+")[0])[:3])


try:
    _installed = importlib.metadata.version("nma-dl")
except importlib.metadata.PackageNotFoundError:
    _installed = None
if _installed is None or _release(_installed) < _release(NMA_DL_VERSION):
    %pip install --quiet --upgrade @SPEC@
    importlib.invalidate_caches()
try:
    import nma_dl
except ImportError as error:
    raise RuntimeError(
        f"nma_dl {NMA_DL_VERSION} could not be installed ({error}): "
        "read pip's message above, then run this cell again."
    ) from None
if _release(nma_dl.__version__) < _release(NMA_DL_VERSION):
    raise RuntimeError(
        f"nma_dl {NMA_DL_VERSION} is needed, this kernel has {nma_dl.__version__}: restart "
        "the runtime (the old version is still loaded) and run this cell again."
    )
"""


def install_source(repo: Repository, version: str) -> str:
    """The install cell: release ``v<version>`` of ``nma_dl``, once per kernel, then verified.

    It installs when ``nma_dl`` is missing or older than ``version`` and leaves a newer or equal
    one alone (a clone installed with ``pip install -e .``). pip only adds what is missing, so the
    kernel's torch, NumPy, IPython, ipykernel and ipywidgets stay as they are (the package asks
    for floors that Colab and Kaggle meet). ``%pip`` does not fail the cell when pip fails, hence
    the check of the import and the version after it, which stops *Run all* with a clear message.
    """
    import shlex

    spec = shlex.quote(repo.install_spec(version))
    return INSTALL_TEMPLATE.replace("@VERSION@", version).replace("@SPEC@", spec).strip()


def install_toggle(source: str) -> str:
    """The text of the toggle that folds the install cell on the site: its first comment line."""
    first = source.strip().splitlines()[0] if source.strip() else ""
    if not first.startswith("#"):
        raise ValueError(f"source: the install cell must open with a comment line; got {first!r}")
    return first.lstrip("#").strip()


def header_cells(
    repo: Repository, slug: str, *, student: bool, version: str = "0.0.0", fold: bool = False
):
    """Badge cell and install cell that open every view of a tutorial.

    With ``fold`` (the source and its reference notebook, which the book renders) the install
    cell is tagged ``hide-input`` and its toggle reads as its first comment line (MyST-NB's
    per-cell ``code_prompt_show``), so the site shows one line where the notebook has thirty.
    The student and with-solutions notebooks fold it as a Colab form (:func:`fold_setup_cells`).
    """
    import nbformat

    student_path = (STUDENT_DIR / f"{slug}.ipynb").as_posix()
    solutions_path = (SOLUTIONS_DIR / f"{slug}.ipynb").as_posix()

    def badges(path):
        return (
            f'<a href="{repo.colab_url(path)}" target="_blank">'
            f'<img alt="Open In Colab" src="{COLAB_BADGE}"/></a> '
            f'<a href="{repo.kaggle_url(path)}" target="_blank">'
            f'<img alt="Open in Kaggle" src="{KAGGLE_BADGE}"/></a>'
        )

    if student:
        text = badges(student_path)
    else:
        text = f"Exercises: {badges(student_path)}\n\nWith solutions: {badges(solutions_path)}"
    install = install_source(repo, version)
    meta = {"tags": [HEADER]}
    install_meta = copy.deepcopy(meta)
    if fold:
        install_meta = {
            "mystnb": {"code_prompt_show": install_toggle(install)},
            "tags": [HEADER, "hide-input"],
        }
    return [
        nbformat.v4.new_markdown_cell(text, metadata=copy.deepcopy(meta)),
        nbformat.v4.new_code_cell(install, metadata=install_meta),
    ]


def with_header(
    nb, repo: Repository, slug: str, *, student: bool, version: str = "0.0.0", fold: bool = False
):
    """Return a copy of ``nb`` whose header cells are fresh, placed after the title cell.

    ``fold`` folds the install cell on the site (see :func:`header_cells`).
    """
    import nbformat

    nb = copy.deepcopy(nb)
    cells = [c for c in nb.cells if HEADER not in _tags(c)]
    at = 0
    if cells and cells[0].cell_type == "markdown" and cells[0].source.lstrip().startswith("# "):
        # The badges go right under the title: split the title off the prose that follows it.
        title, _, rest = cells[0].source.strip().partition("\n")
        if rest.strip():
            cells[:1] = [
                nbformat.v4.new_markdown_cell(title, metadata=copy.deepcopy(cells[0].metadata)),
                nbformat.v4.new_markdown_cell(rest.strip()),
            ]
        at = 1
    header = header_cells(repo, slug, student=student, version=version, fold=fold)
    nb.cells = cells[:at] + header + cells[at:]
    return nb


def check_exercise_tags(nb, name: str = "notebook") -> list[str]:
    """Problems with the exercise markup: each stub needs its tags and a solution right after."""
    problems = []
    cells = nb.cells
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if STUB in tags:
            missing = [t for t in STUB_TAGS if t not in tags]
            if missing:
                problems.append(f"{name}: stub cell {i} lacks tags {missing}")
            if 'NotImplementedError("Student exercise' not in cell.source:
                problems.append(
                    f"{name}: stub cell {i} does not raise "
                    'NotImplementedError("Student exercise: ...")'
                )
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if nxt is None or SOLUTION not in _tags(nxt):
                problems.append(f"{name}: stub cell {i} is not followed by an {SOLUTION} cell")
        if SOLUTION in tags:
            missing = [t for t in SOLUTION_TAGS if t not in tags]
            if missing:
                problems.append(f"{name}: solution cell {i} lacks tags {missing}")
            if cell.cell_type != "code":
                problems.append(f"{name}: solution cell {i} is not a code cell")
    return problems


def solution_block(source: str) -> str:
    """Markdown that hides a solution behind one click in Colab, Kaggle and Jupyter."""
    # A blank line after <summary> lets the renderers parse the fenced code inside the HTML block.
    return (
        "<details>\n<summary>Click for solution</summary>\n\n"
        f"```python\n{source.rstrip()}\n```\n\n</details>"
    )


# A Markdown link to another page of the book: [text](relative/path.md) or (...md#anchor).
_PAGE_LINK = re.compile(r"\]\((?P<path>(?![a-z][a-z0-9+.-]*:)[^()\s#]+)\.md(?:#[^()\s]*)?\)")


def page_links_for_jupyter(text: str, repo: Repository, slug: str, flavour: Path) -> str:
    """Point links between book pages at something a hosted notebook can open.

    A relative ``page.md`` link works on the site but not in Colab or Kaggle. A link to a
    tutorial opens that tutorial's notebook of the same ``flavour`` (student or solutions) in
    Colab; a link to any other page opens its source on GitHub, which renders it. Anchors are
    dropped: neither target knows the site's section ids.
    """

    def target(match):
        page = posixpath.normpath(posixpath.join(posixpath.dirname(slug), match["path"]))
        if page.startswith("../"):
            raise ValueError(f"{slug}: link {match[0]!r} leaves the book")
        if is_tutorial(posixpath.basename(page)):
            url = repo.colab_url((flavour / f"{page}.ipynb").as_posix())
        else:
            url = f"{repo.url}/blob/{repo.branch}/{SOURCE_DIR.as_posix()}/{page}.md"
        return f"]({url})"

    return _PAGE_LINK.sub(target, text)


def _markdown_for_jupyter(nb, repo: Repository, slug: str, flavour: Path):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text = myst_to_markdown(cell.source)
            cell.source = page_links_for_jupyter(text, repo, slug, flavour)
    return nb


def _finish(nb):
    """Strip outputs and give cells deterministic ids and stable metadata."""
    nb = copy.deepcopy(nb)
    nb.nbformat, nb.nbformat_minor = 4, 5
    # The lexer is what jupytext needs to write `{code-cell} ipython3` back into the source.
    nb.metadata = {
        "jupytext": {"default_lexer": "ipython3"},  # what `jupytext --sync` writes there
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
    }
    for i, cell in enumerate(nb.cells):
        cell.pop("attachments", None)
        cell.id = _cell_id(cell.cell_type, i, cell.source)
        # Tags (the exercise markup) and mystnb (alt text): the metadata the jupytext pairing
        # keeps (jupytext.toml), so `jupytext --sync` changes nothing.
        meta = {
            key: copy.deepcopy(cell.metadata[key]) for key in CELL_METADATA if key in cell.metadata
        }
        cell.metadata = meta
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def reference_notebook(source_nb, repo: Repository, slug: str, version: str = "0.0.0"):
    """The Jupytext pair of the source: every cell, solutions in place, no outputs."""
    return _finish(with_header(source_nb, repo, slug, student=False, version=version, fold=True))


def stub_block(source: str) -> str:
    """Markdown that shows a stub, folded, in the notebook with solutions."""
    return (
        "**Exercise** (solved in the next cell).\n\n"
        "<details>\n<summary>The exercise as the student notebook poses it</summary>\n\n"
        f"```python\n{source.rstrip()}\n```\n\n</details>"
    )


def solutions_notebook(source_nb, repo: Repository, slug: str, version: str = "0.0.0"):
    """Solutions as code, stubs as folded Markdown: runs top to bottom under a plain Run all.

    Colab and Kaggle ignore ``raises-exception``, so a stub left as code would stop *Run all*
    at the first exercise. The solution cells lose their tags (nothing is hidden here).
    """
    nb = with_header(source_nb, repo, slug, student=False, version=version)
    nb = _one_side(nb, fold=STUB, keep=SOLUTION, block=stub_block)
    return fold_setup_cells(_finish(_markdown_for_jupyter(nb, repo, slug, SOLUTIONS_DIR)), HEADER)


def _one_side(nb, fold: str, keep: str, block):
    """Fold one side of each exercise into Markdown and keep the other as plain code.

    Cells tagged ``fold`` become ``block(source)`` Markdown; those tagged ``keep`` keep only that
    tag (so nothing hides them or expects an error); every other cell stays as it is.
    """
    import nbformat

    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if fold in tags:
            cells.append(nbformat.v4.new_markdown_cell(block(cell.source)))
            continue
        if keep in tags:
            cell = copy.deepcopy(cell)
            cell.metadata["tags"] = [keep]
        cells.append(cell)
    nb.cells = cells
    return nb


def student_notebook(source_nb, repo: Repository, slug: str, version: str = "0.0.0"):
    """Solutions replaced by collapsed Markdown, stubs keep only their tag; then the summary."""
    nb = with_header(source_nb, repo, slug, student=True, version=version)
    nb = with_summary(_one_side(nb, fold=SOLUTION, keep=STUB, block=solution_block), slug)
    return fold_setup_cells(_finish(_markdown_for_jupyter(nb, repo, slug, STUDENT_DIR)), HEADER)


def run_all_problems(nb, name: str = "notebook") -> list[str]:
    """Cells that stop a plain *Run all* (which ignores tags) of a with-solutions notebook."""
    return [
        f"{name}: cell {i} is tagged raises-exception; a plain Run all stops there"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and "raises-exception" in _tags(cell)
    ]


# --------------------------------------------------------------------------- files


def _dump(nb) -> str:
    import nbformat

    # nbformat's own writer (sources as lists of lines), as jupytext writes the pair: a
    # `jupytext --sync` of an unchanged source rewrites the reference notebook byte for byte.
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def _source_text(nb) -> str:
    import jupytext

    nb = copy.deepcopy(nb)
    nb.metadata = {"jupytext": copy.deepcopy(JUPYTEXT_META), "kernelspec": dict(KERNELSPEC)}
    for cell in nb.cells:
        # In the order the paired notebook has them (sorted keys), so a sync moves nothing.
        cell.metadata = {key: cell.metadata[key] for key in sorted(cell.metadata)}
    return jupytext.writes(nb, fmt="md:myst")


def _cells_signature(nb) -> list[tuple]:
    # MyST-NB's cell options too: the install cell's toggle text lives there.
    return [
        (
            c.cell_type,
            c.source.strip(),
            tuple(_tags(c)),
            json.dumps(c.metadata.get("mystnb"), sort_keys=True),
        )
        for c in nb.cells
    ]


def plan(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file with the text it should contain (sources with fresh headers too)."""
    import jupytext

    repo = load_repository(root)
    version = load_version(root)
    out: dict[Path, str] = {}
    for slug in tutorial_slugs(root):
        src_path = root / SOURCE_DIR / f"{slug}.md"
        source = jupytext.read(src_path, fmt="md:myst")
        fresh = with_header(source, repo, slug, student=False, version=version, fold=True)
        if (
            _cells_signature(fresh) != _cells_signature(source)
            or any(list(c.metadata) != sorted(c.metadata) for c in source.cells)
            or "formats:" in src_path.read_text(encoding="utf-8").split("---")[1]
        ):
            out[src_path] = _source_text(fresh)
        views = (
            (REFERENCE_DIR, reference_notebook),
            (STUDENT_DIR, student_notebook),
            (SOLUTIONS_DIR, solutions_notebook),
        )
        for folder, view in views:
            out[root / folder / f"{slug}.ipynb"] = _dump(view(source, repo, slug, version))
    return out


def _h1(path: Path) -> str | None:
    """The first level-1 heading of a Markdown page, outside its front matter and code."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---", 3) + 4 :]
    fence = None
    for line in text.splitlines():
        m = re.match(r"\s*(`{3,}|~{3,})", line)
        if m:
            fence = None if fence and m.group(1).startswith(fence) else (fence or m.group(1))
            continue
        if fence is None and line.startswith("# "):
            return line[2:].strip()
    return None


def toc_titles(toc: dict) -> dict[str, str]:
    """``title:`` of each ``_toc.yml`` entry that sets one, by document."""
    return {
        _document(entry["file"]): entry["title"]
        for entry in toc_entries(toc)
        if isinstance(entry.get("file"), str) and isinstance(entry.get("title"), str)
    }


def layout_problems(root: Path = ROOT) -> list[str]:
    """Titles that disagree with the table of contents.

    A tutorial's H1 is ``Tutorial <n>: ...`` with the ``<n>`` of its file name, and a ``title:``
    in ``_toc.yml`` is the H1 of its page, so the navigation and the page say the same.
    """
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    titles = toc_titles(toc)
    problems = []
    for doc in toc_documents(toc):
        path = root / f"{doc}.md"
        if not path.is_file():
            continue  # the book build reports missing pages
        h1 = _h1(path)
        rel = path.relative_to(root)
        if doc in titles and titles[doc] != h1:
            problems.append(f"{rel}: H1 {h1!r} differs from its _toc.yml title {titles[doc]!r}")
        m = re.search(r"_Tutorial(\d+)$", doc)
        prefix = SOURCE_DIR.as_posix() + "/"
        if m and doc.startswith(prefix) and is_tutorial(doc[len(prefix) :]):
            if not (h1 or "").startswith(f"Tutorial {m.group(1)}: "):
                problems.append(f"{rel}: H1 {h1!r} does not start with 'Tutorial {m.group(1)}: '")
    return problems


def stale(root: Path = ROOT) -> list[str]:
    """Generated files that differ from what ``build`` would write, and markup problems."""
    import jupytext

    problems = layout_problems(root)
    for slug in tutorial_slugs(root):
        nb = jupytext.read(root / SOURCE_DIR / f"{slug}.md", fmt="md:myst")
        problems += check_exercise_tags(nb, f"{slug}.md")
        problems += run_all_problems(
            solutions_notebook(nb, load_repository(root), slug, load_version(root)),
            (SOLUTIONS_DIR / f"{slug}.ipynb").as_posix(),
        )
    planned = plan(root)
    for path, text in planned.items():
        rel = path.relative_to(root)
        if not path.exists():
            problems.append(f"{rel}: missing")
        elif path.suffix == ".md" or path.read_text(encoding="utf-8") != text:
            problems.append(f"{rel}: stale (run `python tools/nbtools.py build`)")
    for folder in (REFERENCE_DIR, STUDENT_DIR, SOLUTIONS_DIR):
        for path in sorted((root / folder).rglob("*.ipynb")):
            if path not in planned and ".ipynb_checkpoints" not in path.parts:
                rel = path.relative_to(root)
                problems.append(f"{rel}: generated from no tutorial of _toc.yml (delete it)")
    return problems


def build(root: Path = ROOT, planned: dict[Path, str] | None = None) -> list[Path]:
    """Write every generated file (of ``planned``, else :func:`plan`) that changed."""
    written = []
    for path, text in (plan(root) if planned is None else planned).items():
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/nbtools.py", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="regenerate headers, reference and student notebooks")
    sub.add_parser("check", help="list stale generated files and markup problems (exit 1 if any)")
    run = sub.add_parser("run", help="execute one notebook, print timing and peak memory as JSON")
    run.add_argument("notebook")
    args = parser.parse_args(argv)
    if args.command == "run":
        if not Path(args.notebook).is_file():
            parser.error(f"notebook: no file {args.notebook}")
        return _run_command(args.notebook)
    if args.command == "build":
        written = build()
        for path in written:
            print(f"wrote {path.relative_to(ROOT)}")
        problems = stale()
        print(f"{len(written)} file(s) written; {len(tutorial_slugs())} tutorial(s) checked")
    else:
        problems = stale()
    print("all generated notebooks are up to date" if not problems else "\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
