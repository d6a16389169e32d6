"""What the pages must show, from the book root and the executed notebooks."""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nbtools import toc_documents  # tools/nbtools.py, the one reader of _toc.yml

from .language import book_file, default_root, is_sub_site, notebooks_folder, verbatim_passages
from .pages import built_pages

SOLUTION, STUB = "exercise-solution", "exercise-stub"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REMOVED_OUTPUT_TAGS = {"remove-output", "remove_output", "remove-cell", "remove_cell"}
REMOVED_CELL_TAGS = {"remove-cell", "remove_cell"}
# A tutorial page: book/<day>/<WxDy>_Tutorial<n>.html; its notebooks are named <day>/<WxDy>_...
TUTORIAL_PAGE = re.compile(r"book/([^/]+/W\d+D\d+_Tutorial\d+)\.html")
PLT_SHOW = re.compile(r"^\s*(?:plt|pyplot|matplotlib\.pyplot)\.show\(", re.MULTILINE)
LABEL_STYLE = Path("nma_dl/plotting/course.mplstyle")  # under the book root
LABEL_KEYS = (
    "font.size",
    "axes.labelsize",
    "axes.titlesize",
    "xtick.labelsize",
    "ytick.labelsize",
    "legend.fontsize",
    "figure.titlesize",
)
DEFAULT_LABEL_PT, DEFAULT_DPI = 10.0, 100.0  # matplotlib's tick labels; the course's dpi


@dataclass(frozen=True)
class Site:
    """What the pages must show, from the book root and the executed notebooks."""

    html_dir: Path
    repo_url: str
    branch: str
    toc_docs: tuple[str, ...]
    executed_dir: Path
    mime_priority: tuple[str, ...]
    cache_dir: Path | None = None  # jupyter-cache of the build (execute.cache in _config.yml)
    built: frozenset[str] | None = None  # pages this build wrote (None: no searchindex.js)
    root: Path | None = None  # the book root (_config.yml): a path a page must never show
    merge_streams: bool = False  # nb_merge_streams of _config.yml: one box per stream and cell
    label_pt: float = DEFAULT_LABEL_PT  # smallest font of the course's matplotlib style
    language: str = "en"  # course_language of _config.yml: the language of the site's prose
    # The folder the server serves: the English site, which holds the other language's site in
    # a folder (``ja/``), so that the language switch leads from one to the other. None: html_dir.
    serve_dir: Path | None = None
    verbatim: tuple[str, ...] = ()  # passages that stay in English on purpose (language.py)
    notebooks: str = "notebooks"  # the repository folder of this language's notebooks

    @property
    def serve_root(self) -> Path:
        """The folder the server serves (the English site's, for either language)."""
        return self.serve_dir or self.html_dir

    @property
    def prefix(self) -> str:
        """The site's folder in the served one: ``""`` (English) or ``"ja/"``."""
        if self.serve_dir is None or self.serve_dir == self.html_dir:
            return ""
        return self.html_dir.relative_to(self.serve_dir).as_posix() + "/"

    def machine_paths(self) -> list[str]:
        """Folders of the build machine whose paths a page must not show (deep ones only)."""
        import os

        found = []
        for folder in (self.root, self.html_dir, Path.home(), Path(sys.prefix), os.getcwd()):
            if folder is None:
                continue
            text = str(Path(folder).resolve())
            if len(Path(text).parts) >= 3 and text not in found:  # never "/" or "/home"
                found.append(text)
        return found

    @property
    def repo_slug(self) -> str:
        return self.repo_url.removeprefix("https://github.com/").strip("/")

    # Built here from the URL and branch, independently of tools/nbtools.py (the code under test).
    def colab(self, path: str) -> str:
        return (
            f"https://colab.research.google.com/github/{self.repo_slug}/blob/{self.branch}/{path}"
        )

    def kaggle(self, path: str) -> str:
        raw = f"https://raw.githubusercontent.com/{self.repo_slug}/{self.branch}/{path}"
        return f"https://kaggle.com/kernels/welcome?src={raw}"

    def tutorial_slug(self, page: str) -> str | None:
        """``<day>/<WxDy>_Tutorial<n>`` of the page ``book/<slug>.html`` if ``_toc.yml`` has it."""
        m = TUTORIAL_PAGE.fullmatch(page)
        return m.group(1) if m and f"book/{m.group(1)}" in self.toc_docs else None

    def tutorial_slugs(self) -> list[str]:
        """Slugs of the tutorials of ``_toc.yml``."""
        return [s for s in (self.tutorial_slug(f"{doc}.html") for doc in self.toc_docs) if s]

    def notebook_links(self, slug: str) -> dict[str, str]:
        student = f"{self.notebooks}/student/{slug}.ipynb"
        solutions = f"{self.notebooks}/solutions/{slug}.ipynb"
        return {
            "Colab (student)": self.colab(student),
            "Kaggle (student)": self.kaggle(student),
            "Colab (solutions)": self.colab(solutions),
            "Kaggle (solutions)": self.kaggle(solutions),
        }

    def executed_notebook(self, slug: str) -> Path:
        return self.executed_dir / "book" / f"{slug}.ipynb"


def _mime_priority(config: dict) -> tuple[str, ...]:
    overrides = [
        tuple(o)
        for o in config.get("sphinx", {}).get("config", {}).get("nb_mime_priority_overrides", [])
    ]
    try:
        from myst_nb.core.render import get_mime_priority

        return tuple(get_mime_priority("html", overrides))
    except ImportError:  # the order of MyST-NB 1.x, with the overrides applied
        base = {
            WIDGET_VIEW: 10,
            "application/javascript": 20,
            "text/html": 30,
            "image/svg+xml": 40,
            "image/png": 50,
            "image/gif": 60,
            "image/jpeg": 70,
            "text/markdown": 80,
            "text/latex": 90,
            "text/plain": 100,
        }
        for builder, mime, prio in overrides:
            if builder in ("*", "html"):
                base[mime] = prio
        return tuple(
            m for m, p in sorted(base.items(), key=lambda kv: kv[1] or 0) if p is not None
        )


def load_site(html_dir: Path, root: Path | None = None, executed_dir: Path | None = None) -> Site:
    """Read ``_config.yml`` and ``_toc.yml`` from ``root`` (default: :func:`default_root`).

    ``executed_dir`` defaults to ``jupyter_execute`` beside the build's ``html``: the English
    build's ``_build/jupyter_execute``, the Japanese one's ``_build/ja/_build/jupyter_execute``.
    """
    import yaml

    html_dir = Path(html_dir).resolve()
    sub = is_sub_site(html_dir)
    root = Path(root) if root else default_root(html_dir)
    if executed_dir is None and sub:
        executed_dir = root.parent / "_build" / "jupyter_execute"
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    language = sphinx_config.get("course_language", "en")
    return Site(
        html_dir=html_dir,
        repo_url=repo["url"].rstrip("/"),
        branch=repo.get("branch", "main"),
        toc_docs=tuple(toc_documents(toc)),
        executed_dir=Path(executed_dir) if executed_dir else html_dir.parent / "jupyter_execute",
        mime_priority=_mime_priority(config),
        cache_dir=root / (config.get("execute") or {}).get("cache", "_build/.jupyter_cache"),
        built=built_pages(html_dir),
        root=Path(root).resolve(),
        merge_streams=bool(sphinx_config.get("nb_merge_streams", False)),
        label_pt=smallest_font_pt(book_file(LABEL_STYLE, root, html_dir)),
        language=language,
        serve_dir=html_dir.parent if sub else None,
        verbatim=verbatim_passages(language, root, html_dir),
        notebooks=notebooks_folder(language),
    )


def smallest_font_pt(style: Path) -> float:
    """The smallest font size (pt) a matplotlib style file sets among :data:`LABEL_KEYS`.

    Sizes given by name (``small``) are relative to ``font.size`` as matplotlib scales them.
    Without the file, matplotlib's default tick labels (10 pt).
    """
    scale = {"xx-small": 0.579, "x-small": 0.694, "small": 0.833, "medium": 1.0}
    scale |= {"large": 1.2, "x-large": 1.44, "xx-large": 1.728, "larger": 1.2, "smaller": 0.833}
    try:
        lines = Path(style).read_text(encoding="utf-8").splitlines()
    except OSError:
        return DEFAULT_LABEL_PT
    values = {}
    for line in lines:
        key, sep, value = line.split("#", 1)[0].partition(":")
        if sep and key.strip() in LABEL_KEYS:
            values[key.strip()] = value.strip()
    base = float(values.get("font.size", DEFAULT_LABEL_PT))
    sizes = []
    for value in values.values():
        try:
            sizes.append(float(value))
        except ValueError:
            if value in scale:
                sizes.append(base * scale[value])
    return min(sizes) if sizes else DEFAULT_LABEL_PT


def png_dpi(data: bytes) -> float | None:
    """The resolution a PNG records (its ``pHYs`` chunk, in dots per inch), or None."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        if kind == b"pHYs" and length >= 9 and pos + 17 <= len(data):
            per_metre = int.from_bytes(data[pos + 8 : pos + 12], "big")
            metre_unit = data[pos + 16] == 1
            return per_metre * 0.0254 if metre_unit and per_metre else None
        if kind in (b"IDAT", b"IEND"):
            return None  # pHYs, when there is one, comes before the image data
        pos += 12 + length
    return None


@dataclass
class CellExpectation:
    index: int  # position in the executed notebook
    tags: tuple[str, ...]
    figures: int
    widgets: int  # outputs that are widgets (shown through their text/html fallback)
    outputs: int  # outputs the page shows
    calls_show: bool  # the source calls plt.show()
    first_line: str = ""  # the first line of the source
    prompt: str = ""  # the label of its toggle when folded (mystnb.code_prompt_show), if set


def _chosen_mime(data: dict, priority: tuple[str, ...]) -> str | None:
    return next((m for m in priority if m in data), None)


def shown_outputs(outputs: list[dict], merge_streams: bool) -> list[dict]:
    """The outputs the page shows, in order: with ``merge_streams`` MyST-NB shows each stream
    (stdout, stderr) once, where it first appears, holding all its text."""
    if not merge_streams:
        return list(outputs)
    shown, seen = [], set()
    for out in outputs:
        if out.get("output_type") == "stream":
            if out.get("name") in seen:
                continue
            seen.add(out.get("name"))
        shown.append(out)
    return shown


@functools.lru_cache(maxsize=32)
def _executed_notebook_text(path: Path, mtime: float, cache_dir: Path | None) -> str:
    return json.dumps(executed_notebook(path, cache_dir))


def executed_notebook(path: Path, cache_dir: Path | None = None) -> dict:
    """The executed notebook MyST-NB rendered, as a dict.

    MyST-NB writes ``_build/jupyter_execute/<doc>.ipynb``, but when the notebook came from the
    jupyter-cache (``execute_notebooks: cache``, a second build) it writes it without outputs;
    the outputs it rendered are then those of the cache record, merged in here the same way.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    if code and not any(c.get("outputs") for c in code) and cache_dir and Path(cache_dir).is_dir():
        import nbformat
        from jupyter_cache import get_cache

        try:
            _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.from_dict(nb))
        except KeyError:  # not in the cache: the outputs are really empty
            return nb
        nb = json.loads(nbformat.writes(merged))
    return nb


def notebook_cells(
    path: Path,
    priority: tuple[str, ...],
    cache_dir: Path | None = None,
    merge_streams: bool = False,
) -> list[CellExpectation]:
    """One entry per code cell that the page shows, in order."""
    nb = json.loads(_executed_notebook_text(Path(path), Path(path).stat().st_mtime, cache_dir))
    cells = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = tuple(cell.get("metadata", {}).get("tags", []))
        if REMOVED_CELL_TAGS & set(tags):
            continue
        source = "".join(cell.get("source", ""))
        figures = widgets = shown = 0
        if not REMOVED_OUTPUT_TAGS & set(tags):
            for out in shown_outputs(cell.get("outputs", []), merge_streams):
                kind = out.get("output_type")
                if kind in ("stream", "error"):
                    shown += 1
                    continue
                data = out.get("data", {})
                mime = _chosen_mime(data, priority)
                if mime is None:
                    continue
                shown += 1
                widgets += WIDGET_VIEW in data
                if mime.startswith("image/"):
                    figures += 1
                elif mime == "text/html":
                    html = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    figures += len(re.findall(r"<img\b[^>]*\bsrc=[\"']data:image/", html, re.I))
        # A cell that stops with an error (an exercise stub) never reaches its plt.show().
        raised = any(o.get("output_type") == "error" for o in cell.get("outputs", []))
        calls_show = (
            bool(PLT_SHOW.search(source)) and not raised and not REMOVED_OUTPUT_TAGS & set(tags)
        )
        first = source.strip().splitlines()[0] if source.strip() else ""
        prompt = cell.get("metadata", {}).get("mystnb", {}).get("code_prompt_show", "")
        cells.append(CellExpectation(i, tags, figures, widgets, shown, calls_show, first, prompt))
    return cells
