"""The Japanese book and notebooks, made from the English pages and the catalogs.

Part of ``tools/translate.py`` (which says how the catalogs work):

* :func:`write_book` writes a Jupyter Book root (``_build/ja/src``): ``_config.yml`` (the
  English one in Japanese: ``language: ja``, the title translated, ``course_language: ja`` for
  the language switch, execution off), ``_toc.yml`` (captions and titles translated) and every
  page (:func:`japanese_page`). ``make book`` builds it into ``_build/html/ja``. Nothing runs:
  a page with code becomes a notebook whose code cells carry the outputs of the English build's
  run of the same cells (:func:`with_english_outputs`). MyST-NB's
  own cache cannot do this: it hashes the cells' metadata too, where the Japanese alt texts
  live, and would hand back the English ones.
* :func:`notebook_plan` lists the Japanese student and with-solutions notebooks
  (``notebooks/ja/{student,solutions}/``), generated from the Japanese pages by the English
  pipeline (``tools/nbtools.py``); their install cell ends with ``nma_dl.set_language("ja")``,
  so the package's messages are Japanese there.
"""

from __future__ import annotations

import copy
import json
import posixpath
import re
from pathlib import Path

import nbtools
import nbtools_summary
import translate
import yaml

JA_NOTEBOOKS = Path("notebooks/ja")
STUDENT_DIR = JA_NOTEBOOKS / "student"
SOLUTIONS_DIR = JA_NOTEBOOKS / "solutions"
SET_LANGUAGE = 'nma_dl.set_language("ja")  # nma_dl のメッセージを日本語で表示します'
# Texts the English notebook pipeline writes (nbtools, nbtools_summary), looked up in _site.
GENERATED_TEXTS = (
    "Exercises:",
    "With solutions:",
    "Click for solution",
    "**Exercise** (solved in the next cell).",
    "The exercise as the student notebook poses it",
)


def site_translator(root: Path = translate.ROOT):
    """English -> Japanese for the site's own texts (``book/_locale/ja/_site.po``)."""
    return translate.translator(root / translate.LOCALE / f"{translate.SITE_CATALOG}.po")


def _ja_paths(text: str) -> str:
    for folder in (nbtools.STUDENT_DIR, nbtools.SOLUTIONS_DIR):
        name = folder.name
        text = text.replace(f"{folder.as_posix()}/", f"{(JA_NOTEBOOKS / name).as_posix()}/")
    return text


def _generated_in_japanese(text: str, site) -> str:
    for english in GENERATED_TEXTS:
        text = text.replace(english, site(english))
    return text


def japanese_page(page: Path, root: Path = translate.ROOT) -> str:
    """The Japanese text of ``page`` (``book/...md``): its passages from the catalog.

    The badge cell of a tutorial opens the Japanese notebooks under Japanese labels; everything
    else that is not a passage (code cells, front matter, maths) is the English page's.
    """
    english = (root / page).read_text(encoding="utf-8")
    text = translate.render(english, translate.translator(translate.catalog_path(page, root)))
    site = site_translator(root)
    out, header = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("+++"):
            header = translate.HEADER_TAG in line
        elif line.startswith("```"):
            header = False
        elif header and "<a href=" in line:
            line = _generated_in_japanese(_ja_paths(line), site)
        out.append(line)
    return "".join(out)


def with_english_outputs(text: str, page: Path, executed: Path) -> str:
    """The Japanese page ``text`` as a notebook, its code cells holding the English outputs.

    ``executed`` is the English site's folder of executed notebooks, ``_build/html/_sources``:
    the notebooks it offers for download, each printed line once (``course_ext`` fixes them;
    MyST-NB's own ``jupyter_execute`` copies hold some lines twice, which the page would show).

    Raises
    ------
    ValueError
        If the English run is missing or its cells are not the page's (build English first).
    """
    import jupytext
    import nbformat

    nb = jupytext.reads(text, fmt="md:myst")
    path = executed / page.with_suffix(".ipynb")
    ran = nbformat.read(path, as_version=4) if path.is_file() else None
    english = [c for c in ran.cells if c.cell_type == "code"] if ran else []
    mine = [c for c in nb.cells if c.cell_type == "code"]
    if [c.source for c in english] != [c.source for c in mine]:
        raise ValueError(f"{page}: no run of its code cells in {path}: build English first")
    for cell, done in zip(mine, english, strict=True):
        cell.outputs, cell.execution_count = done.outputs, done.execution_count
    for key in ("kernelspec", "language_info", "widgets"):
        if key in ran.metadata:
            nb.metadata[key] = ran.metadata[key]
    return nbformat.writes(nb)


def _has_code(text: str) -> bool:
    return "```{code-cell}" in text


# A link to another page: [text](relative/path.md) or (...md#anchor).
_PAGE_LINK = re.compile(
    r"\]\((?P<path>(?![a-z][a-z0-9+.-]*:)[^()\s#]+)\.md(?P<anchor>#[^()\s]*)?\)"
)


def _links_to_notebooks(text: str, page: Path, notebooks: set[Path]) -> str:
    """Point the page's links at the pages that became notebooks (``.ipynb``)."""

    def target(match):
        linked = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), match["path"])))
        if linked.with_suffix(".md") not in notebooks:
            return match[0]
        return f"]({match['path']}.ipynb{match['anchor'] or ''})"

    return _PAGE_LINK.sub(target, text)


def _config(root: Path, executed: Path | None) -> dict:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    site = site_translator(root)
    config["title"] = site(config["title"])
    config["execute"]["cache"] = str(root / config["execute"]["cache"])
    if executed is not None:
        config["execute"]["execute_notebooks"] = "off"  # the outputs are the English run's
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {
        name: str(root / folder) for name, folder in sphinx["local_extensions"].items()
    }
    sphinx["config"]["language"] = "ja"
    sphinx["config"]["course_language"] = "ja"
    return config


def _toc(root: Path) -> dict:
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    site = site_translator(root)
    for part in toc.get("parts", []):
        if part.get("caption"):
            part["caption"] = site(part["caption"])
        for chapter in part.get("chapters", []):
            if "title" in chapter:
                page = Path(f"{chapter['file']}.md")
                chapter["title"] = translate.translator(translate.catalog_path(page, root))(
                    chapter["title"]
                )
    return toc


def write_book(out: Path, root: Path = translate.ROOT, executed: Path | None = None) -> Path:
    """Write the Japanese book's root into ``out``; return ``out``.

    With ``executed`` (the English site's ``_sources`` folder) a page with code cells
    is written as a notebook holding the English outputs, and the book executes nothing;
    without it every page is MyST Markdown, executed when built.
    """
    out.mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 1000}
    files = {
        Path("_config.yml"): yaml.safe_dump(_config(root, executed), **dump),
        Path("_toc.yml"): yaml.safe_dump(_toc(root), **dump),
    }
    texts = {page: japanese_page(page, root) for page in translate.pages(root)}
    notebooks = {p for p, text in texts.items() if executed is not None and _has_code(text)}
    for page, text in texts.items():
        text = _links_to_notebooks(text, page, notebooks)
        if page in notebooks:
            (out / page).unlink(missing_ok=True)
            files[page.with_suffix(".ipynb")] = with_english_outputs(text, page, executed)
        else:
            (out / page.with_suffix(".ipynb")).unlink(missing_ok=True)
            files[page] = text
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")  # unchanged files keep their time stamps
    return out


def _in_japanese(nb, site):
    """The English pipeline's notebook ``nb`` made Japanese: its links, labels and install."""
    nb = copy.deepcopy(nb)
    for cell in nb["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            source = _generated_in_japanese(_ja_paths(source), site)
            source = source.replace(
                f"{nbtools_summary.HEADING}\n\n{nbtools_summary.TEXT}",
                f"## {site(nbtools_summary.HEADING[3:])}\n\n{site(nbtools_summary.TEXT)}",
            )
        elif nbtools.HEADER in cell.get("metadata", {}).get("tags", []):
            source = f"{source.rstrip()}\n{SET_LANGUAGE}"
        cell["source"] = source
    return nb


def notebook_plan(root: Path = translate.ROOT) -> dict[Path, str]:
    """Every Japanese notebook with the text it should contain."""
    import jupytext
    import nbformat

    repo = nbtools.load_repository(root)
    version = nbtools.load_version(root)
    site = site_translator(root)
    out = {}
    for slug in nbtools.tutorial_slugs(root):
        page = nbtools.SOURCE_DIR / f"{slug}.md"
        source = jupytext.reads(japanese_page(page, root), fmt="md:myst")
        for folder, view in (
            (STUDENT_DIR, nbtools.student_notebook),
            (SOLUTIONS_DIR, nbtools.solutions_notebook),
        ):
            nb = json.loads(nbtools._dump(view(source, repo, slug, version)))
            nb = nbformat.from_dict(_in_japanese(nb, site))
            for i, cell in enumerate(nb.cells):  # ids from the Japanese text, as nbtools does
                cell.id = nbtools._cell_id(cell.cell_type, i, cell.source)
            out[root / folder / f"{slug}.ipynb"] = nbtools._dump(nb)
    return out


def stale_notebooks(root: Path = translate.ROOT) -> list[str]:
    """Japanese notebooks that differ from what :func:`write_notebooks` would write."""
    planned = notebook_plan(root)
    problems = []
    for path, text in planned.items():
        rel = path.relative_to(root)
        if not path.is_file():
            problems.append(f"{rel}: missing (run `python tools/translate.py notebooks`)")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{rel}: stale (run `python tools/translate.py notebooks`)")
    for path in sorted((root / JA_NOTEBOOKS).rglob("*.ipynb")):
        if path not in planned and ".ipynb_checkpoints" not in path.parts:
            problems.append(f"{path.relative_to(root)}: generated from no tutorial (delete it)")
    return problems


def write_notebooks(root: Path = translate.ROOT) -> list[Path]:
    """Write every Japanese notebook that changed; return the paths written."""
    return nbtools.build(root, notebook_plan(root))
