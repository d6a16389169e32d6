"""Check the built course site in a real browser: every page, as a reader sees it.

Usage, for a person::

    python tools/sitecheck.py _build/html            # screenshots in _build/screenshots/
    python tools/sitecheck.py _build/html --verbose  # also the detail of passing checks

and from the test suite (``tests/test_site.py``)::

    results = check_site(Path("_build/html"))

The site is served by a static HTTP server on 127.0.0.1 (a free port) and opened in headless
Debian Chromium (``/usr/bin/chromium``) driven by Playwright; no browser is ever downloaded.
Requests to any other host (the video players, ...) are aborted by a route, so a run is fast,
offline and deterministic; their failures and the console messages they cause are expected and
ignored. Everything a page loads from the site itself must load, and it loads nothing else but
the lazy video players: no image, script or font from a third party.

Checks on every page (a check with nothing to look at on a page passes, saying so):

``console``    no JavaScript error (console error or uncaught exception) from the site's own files;
``requests``   every request to the site succeeded (no failed load, no HTTP status >= 400), and
               none went to a third party except a video player's frame;
``mathjax``    MathJax (served from ``_static/mathjax``) finished typesetting, every ``.math``
               element holds rendered output, no TeX error, and the page text outside code has no
               raw ``$...$``, ``$$``, ``\\(``, ``\\[`` or ``\\begin{...}`` left;
``figures``    every local image loaded (``naturalWidth > 0``) and each code cell shows as many
               figures as its executed notebook produced, where a *figure* is an output whose
               rendered MIME type (MyST-NB's priority order with this book's overrides) is an
               image, plus each ``<img src="data:image/...">`` inside a rendered ``text/html``
               output (the static fallback of a widget). A cell that calls ``plt.show()`` must have
               produced at least one figure: an empty notebook output is a broken build (for
               instance ``MPLBACKEND=Agg`` inherited by the kernel), not a match;
``solutions``  the page has one solution cell (tag ``exercise-solution``) per solution in the
               notebook; each solution's code is hidden on load, its outputs stay visible, and
               clicking its toggle shows the code;
``stubs``      exercise stubs (tag ``exercise-stub``) show no output and nothing on the page shows
               an error trace;
``launch``     the Colab launch button of a tutorial page ``book/<day>/<WxDy>_Tutorial<n>.html``
               opens ``notebooks/student/<slug>.ipynb`` (``<slug>`` = ``<day>/<WxDy>_Tutorial<n>``)
               and the page's badges open the student and the with-solutions
               (``notebooks/solutions/``) notebooks in Colab and Kaggle, all under
               ``repository.url``/``branch`` of ``_config.yml``; no Colab/Kaggle/GitHub link of the
               page points anywhere else in the repository;
``nav``        the left navigation is visible and links every file of ``_toc.yml``;
``widgets``    outputs of widgets show their static fallback, non-empty and once, and no output
               shows a raw widget repr (``Tab(children=...``), widget JSON or "Loading widget";
``videos``     each lecture video block (``display_videos``) has as many tabs as lazy-loaded
               players (``loading="lazy"``) and "Watch on" links after it; each player's ``src``
               is the expected player address (YouTube only from ``youtube-nocookie.com``), read
               from the page while the request itself is blocked like any other external one;
               the first tab's player shows on load and clicking a tab shows its player only;
``links``      every same-site ``href``/``src`` names a file that exists, a link to a page names a
               page of *this* build (one of its documents, listed in ``searchindex.js``, or one of
               Sphinx's own pages), not a leftover of an earlier build with another layout, and
               every ``#anchor`` of a same-site link, on the page itself or on another page,
               exists in its target page;
``axe``        axe-core (``axe-playwright-python``'s copy; WCAG 2.1 A and AA rules, best
               practices and experimental rules such as label-content-name-mismatch) finds no
               critical or serious violation inside the article (``article.bd-article``), in
               light and dark mode, at 1280 and 375 px wide; violations in the theme around it
               (header, sidebars) are counted apart and printed, not failed
               (``PageResult.axe_line``);
``alt``        every ``<img>`` in the article has alt text, and it is not a file name or path;
``mobile``     at 375 px the page does not scroll sideways and nothing in the article (formula,
               image, table, code, frame) sticks out of the screen or is clipped, unless a
               scrollable box holds it;
``keyboard``   Tab reaches every solution toggle and Enter opens it; no formula is a Tab stop;
               every Tab stop in the article shows a visible focus style (outline or shadow);
``paths``      no output or text of the article shows a path of the machine that built the site:
               a ``PosixPath(``/``WindowsPath(`` repr, the book root, the home folder, the Python
               prefix, a ``site-packages`` folder, or an absolute path under ``/home/``,
               ``/work/``, ``/tmp/``, ``/root/``, ``/Users/``, ... (code cells' source excluded);
``streams``    no code cell shows two output boxes of the same stream in a row (a training log
               printed line by line is one box: ``nb_merge_streams`` in ``_config.yml``);
``install``    the install cell of a tutorial (tag ``nma-header``) is folded on load behind a
               toggle that reads as its first comment line, and the toggle shows its code;
``labels``     at 375 px, the smallest text of each figure in a cell output (the tick labels of
               the course's matplotlib style: ``nma_dl/plotting/course.mplstyle``) renders at
               least :data:`LABEL_MIN_PX` CSS px tall: its size in the PNG (points x the PNG's
               dpi / 72) x rendered width / natural width; a figure shown at that scale that is
               wider than the column scrolls in its own focusable, labelled box (``course.js``).

Text is the reader's: code (``pre``/``code``) and rendered equations are left out of the raw-TeX
search, so a ``$`` in a code cell is fine, while a ``$`` pair in prose (``costs $5 or $6``) would
be reported. The expected outputs of a tutorial are those of its executed notebook
(``_build/jupyter_execute``), or of the build's jupyter-cache record when MyST-NB took the outputs
from the cache and wrote that notebook without them.

The pages checked are those of this build; HTML files left in the folder by an earlier build
(``jupyter-book build`` never deletes them; ``make book`` starts from an empty ``_build/html``)
are not pages of the site, and ``main`` lists them.

A full-page screenshot of each page (as loaded, before any toggle is clicked) is saved under
``screenshots/<page>.png``. The expected values come from the built site's neighbours: the book
root (``_config.yml``, ``_toc.yml``) and ``_build/jupyter_execute`` (MyST-NB's executed notebooks).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from nbtools import toc_documents  # tools/nbtools.py, the one reader of _toc.yml

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for the theme to show the left navigation
TIMEOUT_MS = 30_000
MATHJAX_TIMEOUT_MS = 20_000

CHECKS = (
    "console",
    "requests",
    "mathjax",
    "figures",
    "solutions",
    "stubs",
    "launch",
    "nav",
    "widgets",
    "videos",
    "links",
    "axe",
    "alt",
    "mobile",
    "keyboard",
    "paths",
    "streams",
    "install",
    "labels",
)
SOLUTION, STUB = "exercise-solution", "exercise-stub"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
REMOVED_OUTPUT_TAGS = {"remove-output", "remove_output", "remove-cell", "remove_cell"}
REMOVED_CELL_TAGS = {"remove-cell", "remove_cell"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Folders of the build that hold assets, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", "_panels_static"}
# Pages Sphinx writes besides the documents (Jupyter Book's root index.html is a redirect).
GENERATED_PAGES = {"index.html", "genindex.html", "search.html", "py-modindex.html"}
# A tutorial page: book/<day>/<WxDy>_Tutorial<n>.html; its notebooks are named <day>/<WxDy>_...
TUTORIAL_PAGE = re.compile(r"book/([^/]+/W\d+D\d+_Tutorial\d+)\.html")

# Raw math left in reader-visible text (code excluded): $...$, $$, \( \) \[ \], \begin{...}.
RAW_MATH = re.compile(
    r"\$\$|(?<![\w$\\])\$(?=\S)[^$\n]{1,300}?(?<=\S)\$(?![\w$])|\\[()\[\]]|\\begin\{[a-zA-Z*]+\}"
)
# What a widget looks like when no fallback was rendered.
RAW_WIDGET = re.compile(
    r"\b(?:Tab|VBox|HBox|Box|GridBox|Accordion|Stack|Output|interactive|IntSlider|FloatSlider|"
    r"FloatLogSlider|IntRangeSlider|FloatRangeSlider|SelectionSlider|Dropdown|Button|"
    r"ToggleButtons?|Checkbox|Label|HTML|HTMLMath|Image|Video|Play|Text|Textarea|"
    r"BoundedFloatText|BoundedIntText|RadioButtons|Select|SelectMultiple)"
    r"\((?:children|value|layout|description|outputs|options|style)="
    r"|IPY_MODEL_|application/vnd\.jupyter\.widget|\"model_id\"|Loading widget"
)
# The players display_videos embeds (nma_dl/videos.py), as their iframe's src attribute.
VIDEO_PLAYER = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/[\w-]+\?fs=[01]&rel=0"
    r"|https://player\.bilibili\.com/player\.html\?bvid=\w+&page=1&autoplay=0"
    r"|https://mfr\.ca-1\.osf\.io/render\?url=https://osf\.io/download/\w+/\?direct%26mode=render"
)
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|\b\w+Error: |NotImplementedError")
PLT_SHOW = re.compile(r"^\s*(?:plt|pyplot|matplotlib\.pyplot)\.show\(", re.MULTILINE)
HEADER = "nma-header"  # the badge and install cells tools/nbtools.py puts under a title
# A path of the machine that built the site, in what a reader sees: a pathlib repr, or an
# absolute path under a folder that holds homes, checkouts, temporary files or environments.
# Not preceded by a word character, '.', ':' or '/', so no URL (https://x.org/home/...) and no
# fraction (1/home) matches; "site-packages"/"dist-packages" only name installed packages.
BUILD_PATH = re.compile(
    r"\b(?:Posix|Windows|PurePosix|PureWindows)Path\("
    r"|(?<![\w.:/~-])/(?:home|work|tmp|root|Users|opt|srv|mnt|private|var/folders|var/tmp)"
    r"/[^\s'\"<>),]*"
    r"|[^\s'\"<>(]*\b(?:site|dist)-packages\b"
    r"|\b[A-Za-z]:\\(?:Users|Windows)\\"
)
# Labels of a figure narrower than this (CSS px, at 375 px) are unreadable on a phone: 8 CSS px
# is 6 pt, the least that journals allow for text in a printed figure (5-7 pt).
LABEL_MIN_PX = 8.0
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


# --------------------------------------------------------------------------- results


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


def _verdict(name: str, problems: list[str], passed: str) -> Check:
    """The end of every check: fail with its problems joined, or pass with ``passed``."""
    if problems:
        return Check(name, False, "; ".join(problems))
    return Check(name, True, passed)


@dataclass
class PageResult:
    """Outcome of every check on one page (``page`` is relative to the site root)."""

    page: str
    checks: list[Check] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: float = 0.0
    axe: list = field(default_factory=list)  # one AxeCount per view (mode and width)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def summary(self) -> str:
        passed = sum(c.ok for c in self.checks)
        line = f"{'PASS' if self.ok else 'FAIL'} {self.page}: {passed}/{len(self.checks)} checks"
        if not self.ok:
            line += "; failed: " + "; ".join(f"{c.name} ({c.detail})" for c in self.failed)
        return line

    def axe_line(self) -> str:
        """axe-core's critical/serious violations of each view, content and theme apart."""
        if not self.axe:
            return f"axe {self.page}: not run"
        views = []
        for c in self.axe:
            text = (
                f"{c.view} content {c.content_nodes} theme {c.theme_nodes} minor {c.minor_nodes}"
            )
            if c.content or c.theme:
                text += " (" + ", ".join(c.content + [f"theme: {t}" for t in c.theme]) + ")"
            views.append(text)
        return f"axe {self.page}: " + "; ".join(views)


# --------------------------------------------------------------------------- what to expect


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
        student = f"notebooks/student/{slug}.ipynb"
        solutions = f"notebooks/solutions/{slug}.ipynb"
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
    """Read ``_config.yml`` and ``_toc.yml`` from ``root`` (default: ``html_dir/../..``)."""
    import yaml

    html_dir = Path(html_dir).resolve()
    root = Path(root) if root else html_dir.parents[1]
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    repo = config.get("repository") or {}
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
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
        label_pt=smallest_font_pt(root / LABEL_STYLE),
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
        cells.append(CellExpectation(i, tags, figures, widgets, shown, calls_show, first))
    return cells


# --------------------------------------------------------------------------- serving


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the browser hangs up on aborted loads; that is not a site error


@contextlib.contextmanager
def serve(directory: Path):
    """Serve ``directory`` over HTTP on 127.0.0.1 (free port); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def launch_browser(executable: str = CHROMIUM):
    """Headless Debian Chromium under Playwright; yields a Browser."""
    from playwright.sync_api import sync_playwright

    if not Path(executable).exists():
        raise FileNotFoundError(
            f"{executable} not found: install Debian's chromium (make chromium)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            headless=True,
            args=["--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield browser
        finally:
            browser.close()


# --------------------------------------------------------------------------- pages


def built_pages(html_dir: Path) -> frozenset[str] | None:
    """The pages this build wrote: its documents and Sphinx's own pages; None without an index.

    Sphinx lists the documents of a build in ``searchindex.js`` (``docnames``); HTML files of
    documents that an earlier build had (a renamed tutorial, say) stay in the folder but are not
    listed.
    """
    html_dir = Path(html_dir)
    index = html_dir / "searchindex.js"
    if not index.is_file():
        return None
    text = index.read_text(encoding="utf-8")
    m = re.fullmatch(r"\s*Search\.setIndex\((.*)\)\s*;?\s*", text, re.S)
    if m is None:
        raise ValueError(f"{index}: not a Sphinx search index")
    docnames = json.loads(m.group(1))["docnames"]
    generated = {p for p in GENERATED_PAGES if (html_dir / p).is_file()}
    return frozenset({f"{doc}.html" for doc in docnames} | generated)


def _html_files(html_dir: Path) -> list[str]:
    html_dir = Path(html_dir)
    files = []
    for path in html_dir.rglob("*.html"):
        rel = path.relative_to(html_dir)
        if rel.parts[0] in NOT_PAGES:
            continue
        files.append(rel.as_posix())
    return sorted(files)


def site_pages(html_dir: Path) -> list[str]:
    """Every HTML page of this build (asset folders and leftovers excluded), relative, sorted."""
    built = built_pages(html_dir)
    return [p for p in _html_files(html_dir) if built is None or p in built]


def leftover_pages(html_dir: Path) -> list[str]:
    """HTML files an earlier build left in the folder: not pages of this build."""
    built = built_pages(html_dir)
    return [] if built is None else [p for p in _html_files(html_dir) if p not in built]


def _redirect_target(path: Path) -> str | None:
    m = re.search(
        r"<meta[^>]+http-equiv=[\"']refresh[\"'][^>]*url=([^\"'>\s]+)",
        path.read_text(encoding="utf-8", errors="replace")[:2000],
        re.I,
    )
    return m.group(1) if m else None


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript", "chrome-error"):
        return True
    return parts.hostname in LOCAL_HOSTS


def _is_network(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https", "ws", "wss")


@functools.lru_cache(maxsize=256)
def _ids_in(path: Path, mtime: float) -> frozenset[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    return frozenset(re.findall(r"\b(?:id|name)=[\"']([^\"']+)[\"']", text))


# Everything the checks need from the loaded page, in one round trip.
_FACTS_JS = r"""
() => {
  const cleanText = (root, drop) => {
    if (!root) return "";
    const clone = root.cloneNode(true);
    clone.querySelectorAll(drop).forEach(e => e.remove());
    return clone.textContent;
  };
  const imgInfo = img => ({src: img.currentSrc || img.src, w: img.naturalWidth,
                           complete: img.complete});
  const article = document.querySelector("article.bd-article") || document.querySelector("main")
                  || document.body;
  const cells = [...document.querySelectorAll("div.cell")].map(cell => {
    const outputAreas = [...cell.querySelectorAll(".cell_output")];
    const outputs = outputAreas.flatMap(o => [...o.children]).map(o => ({
      cls: o.className || o.tagName.toLowerCase(),
      tag: o.tagName.toLowerCase(),
      html: o.outerHTML.length > 20000 ? o.outerHTML.slice(0, 20000) : o.outerHTML,
      text: o.textContent,
      height: o.getBoundingClientRect().height,
      imgs: (o.tagName === "IMG" ? [o] : [...o.querySelectorAll("img")]).map(imgInfo),
      links: o.querySelectorAll("a[href], iframe, svg, canvas, video").length,
      stream: o.matches(".output.stream") ? "stdout" : o.matches(".output.stderr") ? "stderr"
              : null,
      traceback: o.matches(".traceback, .error, .output_error")
                 || !!o.querySelector(".traceback, .ansi-red-fg, .ansi-red-intense-fg"),
    }));
    return {classes: [...cell.classList], outputs,
            outputText: outputAreas.map(o => o.textContent).join("\n")};
  });
  const refs = [];
  for (const [sel, attr] of [["a[href]", "href"], ["link[href]", "href"], ["img[src]", "src"],
                             ["script[src]", "src"], ["iframe[src]", "src"],
                             ["source[src]", "src"]]) {
    for (const el of document.querySelectorAll(sel)) {
      const raw = el.getAttribute(attr);
      if (!raw || raw.startsWith("javascript:") || raw.startsWith("mailto:")) continue;
      let url; try { url = new URL(raw, location.href).href; } catch (e) { url = raw; }
      refs.push({tag: el.tagName.toLowerCase(), raw, url, rel: el.getAttribute("rel") || ""});
    }
  }
  const anchors = [...document.querySelectorAll("a[href]")].map(a => ({
    href: a.href, title: a.getAttribute("title") || "", text: a.textContent.trim().slice(0, 80),
    launch: !!a.closest(".dropdown-launch-buttons"),
    repoButton: a.matches(".btn-source-repository-button"),
    inArticle: !!a.closest("article.bd-article"),
  }));
  const nav = document.querySelector("nav.bd-docs-nav");
  const navBox = nav ? nav.getBoundingClientRect() : null;
  const maths = [...document.querySelectorAll(".math")];
  return {
    url: location.href,
    mathCount: maths.length,
    mathUnrendered: maths.filter(m => !m.querySelector("mjx-container"))
                         .map(m => m.textContent.trim().slice(0, 80)),
    mathErrors: [...document.querySelectorAll("mjx-merror")]
                  .map(e => (e.getAttribute("data-mjx-error") || e.textContent).slice(0, 120)),
    text: cleanText(article, "pre, code, script, style, textarea, mjx-container, svg, "
                             + ".cell_input, .highlight"),
    images: [...document.images].map(img => ({...imgInfo(img),
                                              inOutput: !!img.closest(".cell_output")})),
    cells,
    refs,
    anchors,
    nav: nav ? {visible: navBox.width > 0 && navBox.height > 0
                         && getComputedStyle(nav).visibility !== "hidden",
                links: [...nav.querySelectorAll("a[href]")].map(a => a.href)} : null,
    tracebacks: document.querySelectorAll(".cell_output .traceback, .output.traceback").length,
  };
}
"""

_SETTLE_JS = r"""
async (timeoutMs) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const t0 = Date.now();
  // Images: load even those marked lazy, then wait for each to finish (or fail).
  for (const img of document.images) img.loading = "eager";
  await Promise.race([
    Promise.all([...document.images].map(img => img.complete ? null :
      new Promise(r => { img.addEventListener("load", r); img.addEventListener("error", r); }))),
    sleep(timeoutMs)]);
  if (!document.querySelector(".math")) return {math: "none"};
  if (![...document.scripts].some(s => /mathjax/i.test(s.src))) {
    return {math: "not loaded (no MathJax script)"};
  }
  // The page's load event has fired, so the deferred MathJax script has run (or failed to load)
  // and has defined MathJax.startup; a short grace period, not the full timeout.
  const t1 = Date.now();
  const ready = () => window.MathJax && MathJax.startup && MathJax.startup.promise;
  while (!ready() && Date.now() - t1 < 300) await sleep(50);
  if (!ready()) return {math: "not loaded"};
  const done = await Promise.race([MathJax.startup.promise.then(() => "done", e => "failed: " + e),
                                   sleep(timeoutMs).then(() => "timeout")]);
  return {math: done, version: MathJax.version};
}
"""


class _PageWatch:
    """Console errors, uncaught exceptions and failed requests of one page load."""

    def __init__(self):
        self.console: list[str] = []
        self.failed: list[str] = []
        self.external: list[str] = []
        self.third_party: list[str] = []

    def on_console(self, msg):
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "") or ""
        if where and not _is_local(where):
            return  # an error from (or about) a blocked external resource
        if "ERR_BLOCKED_BY_CLIENT" in msg.text:
            return  # the load we aborted on purpose (the message names no local file)
        self.console.append(f"{msg.text[:200]} [{where.rsplit('/', 1)[-1] or 'page'}]")

    def on_pageerror(self, error):
        self.console.append(f"uncaught {error.name}: {error.message[:200]}")

    def on_requestfailed(self, request):
        if _is_local(request.url) and _is_network(request.url):
            self.failed.append(f"{request.url} ({request.failure})")

    def on_response(self, response):
        if _is_local(response.url) and response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def route(self, route):
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            self.external.append(url)
            if route.request.resource_type != "document":
                # A video player (an iframe: a document) loads when shown; anything else
                # (a badge image, a script, a font) would reach a third party unasked.
                self.third_party.append(url)
            route.abort("blockedbyclient")


def _url_to_file(site: Site, base: str, url: str) -> Path | None:
    """The file a same-site URL names, or None when the URL is not on the site."""
    if not url.startswith(base):
        return None
    path = unquote(urlsplit(url).path)[len(urlsplit(base).path) :]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site.html_dir / path


def _page_of(site: Site, base: str, url: str) -> str | None:
    file = _url_to_file(site, base, url)
    return file.relative_to(site.html_dir).as_posix() if file else None


# --------------------------------------------------------------------------- the checks


def _check_console(watch: _PageWatch) -> Check:
    if watch.console:
        return Check(
            "console", False, f"{len(watch.console)} error(s): " + " | ".join(watch.console[:3])
        )
    return Check("console", True, f"no errors ({len(watch.external)} external request(s) blocked)")


def _check_requests(watch: _PageWatch) -> Check:
    failed = list(dict.fromkeys(watch.failed))
    problems = []
    if failed:
        problems.append(f"{len(failed)} failed: " + " | ".join(failed[:3]))
    third = list(dict.fromkeys(watch.third_party))
    if third:
        problems.append(
            f"{len(third)} third-party request(s) before any click: " + " | ".join(third[:3])
        )
    return _verdict("requests", problems, "all local requests succeeded, none to a third party")


def _check_mathjax(facts: dict, settle: dict) -> Check:
    problems = []
    if facts["mathCount"]:
        if settle.get("math") != "done":
            problems.append(f"MathJax {settle.get('math')}")
        if facts["mathUnrendered"]:
            problems.append(
                f"{len(facts['mathUnrendered'])} of {facts['mathCount']} equations not rendered, "
                f"first: {facts['mathUnrendered'][0]!r}"
            )
        if facts["mathErrors"]:
            problems.append(f"TeX errors: {facts['mathErrors'][:3]}")
    raw = list(dict.fromkeys(m.group(0) for m in RAW_MATH.finditer(facts["text"])))
    if raw:
        problems.append(f"raw TeX in the text: {raw[:5]}")
    if not facts["mathCount"]:
        return _verdict("mathjax", problems, "no math on the page, no raw TeX")
    return _verdict(
        "mathjax",
        problems,
        f"{facts['mathCount']} equations rendered (MathJax {settle.get('version')})",
    )


def _local_image(img: dict) -> bool:
    return _is_local(img["src"]) or img["src"].startswith("data:")


def _check_figures(
    facts: dict, expected: list[CellExpectation] | None, cells_match: bool
) -> Check:
    problems = []
    broken = [
        i["src"].rsplit("/", 1)[-1][:60]
        for i in facts["images"]
        if _local_image(i) and i["w"] == 0
    ]
    if broken:
        problems.append(f"{len(broken)} image(s) did not load: {broken[:3]}")
    shown = sum(1 for i in facts["images"] if i["inOutput"] and _local_image(i))
    if expected is None:
        if problems:
            return Check("figures", False, "; ".join(problems))
        return Check(
            "figures", True, f"{shown} figure(s), no notebook on this page; all images loaded"
        )
    want = sum(c.figures for c in expected)
    silent = [c.index for c in expected if c.calls_show and c.figures == 0]
    if silent:
        problems.append(
            f"notebook cell(s) {silent} call plt.show() but produced no figure "
            "(matplotlib without the inline backend in the kernel? e.g. MPLBACKEND=Agg)"
        )
    if shown != want:
        problems.append(f"page shows {shown} figure(s), the executed notebook produced {want}")
    if cells_match:
        for exp, cell in zip(expected, facts["cells"], strict=True):
            got = sum(1 for o in cell["outputs"] for i in o["imgs"] if _local_image(i))
            if got != exp.figures:
                problems.append(
                    f"notebook cell {exp.index}: {got} figure(s) on the page, "
                    f"{exp.figures} expected"
                )
    return _verdict("figures", problems, f"{shown}/{want} figures shown and loaded")


def _check_solutions(page, facts: dict, expected: list[CellExpectation] | None) -> Check:
    want = sum(SOLUTION in c.tags for c in expected) if expected is not None else None
    cells = page.locator(f"div.cell.tag_{SOLUTION}")
    n = cells.count()
    problems = []
    if want is not None and n != want:
        problems.append(f"page has {n} solution cell(s), the notebook {want}")
    if n == 0 and not problems:
        return Check("solutions", True, "no solutions on this page")
    for k in range(n):
        cell = cells.nth(k)
        code = cell.locator(".cell_input")
        if code.count() == 0:
            problems.append(f"solution {k + 1}: no code")
            continue
        if code.first.is_visible():
            problems.append(f"solution {k + 1}: code visible on load")
            continue
        outputs = cell.locator(".cell_output")
        if outputs.count() and not outputs.first.is_visible():
            problems.append(
                f"solution {k + 1}: outputs hidden on load (only the code should fold)"
            )
        toggle = cell.locator("summary")
        if toggle.count() == 0 or not toggle.first.is_visible():
            problems.append(f"solution {k + 1}: hidden but no visible toggle to show it")
            continue
        toggle.first.scroll_into_view_if_needed()
        toggle.first.click()
        try:
            code.first.wait_for(state="visible", timeout=2000)
        except Exception:
            problems.append(f"solution {k + 1}: code still hidden after clicking its toggle")
    return _verdict(
        "solutions", problems, f"{n} solution(s) hidden on load, shown by their toggle"
    )


def _check_stubs(facts: dict) -> Check:
    problems = []
    stubs = [c for c in facts["cells"] if f"tag_{STUB}" in c["classes"]]
    for k, cell in enumerate(stubs, 1):
        if any(o["traceback"] for o in cell["outputs"]) or ERROR_TEXT.search(cell["outputText"]):
            problems.append(f"stub {k} shows an error trace")
        elif cell["outputs"]:
            problems.append(
                f"stub {k} shows {len(cell['outputs'])} output(s) (tag remove-output missing?)"
            )
    others = facts["tracebacks"] - sum(1 for c in stubs for o in c["outputs"] if o["traceback"])
    if others > 0:
        problems.append(f"{others} error trace(s) elsewhere on the page")
    return _verdict("stubs", problems, f"{len(stubs)} stub(s), no error trace")


_NOTEBOOK_LINK = re.compile(
    r"colab\.research\.google\.com|kaggle\.com/kernels|raw\.githubusercontent\.com"
)


def _check_launch(site: Site, page_name: str, facts: dict) -> Check:
    problems = []
    slug = site.tutorial_slug(page_name)
    allowed = set()
    for tutorial in site.tutorial_slugs():
        allowed |= set(site.notebook_links(tutorial).values())
    anchors = facts["anchors"]
    repo_buttons = [a["href"] for a in anchors if a["repoButton"]]
    if any(h.rstrip("/") != site.repo_url for h in repo_buttons):
        problems.append(f"repository button points at {repo_buttons}, not {site.repo_url}")
    notebook_links = [a for a in anchors if _NOTEBOOK_LINK.search(a["href"])]
    stray = sorted({a["href"] for a in notebook_links if a["href"] not in allowed})
    if slug is not None:
        expected = site.notebook_links(slug)
        launch = [
            a["href"] for a in anchors if a["launch"] and "colab.research.google.com" in a["href"]
        ]
        if not launch:
            problems.append("no Colab launch button")
        elif any(h != expected["Colab (student)"] for h in launch):
            problems.append(
                f"Colab launch button opens {launch[0]}, expected {expected['Colab (student)']}"
            )
        body = {a["href"] for a in notebook_links if a["inArticle"]}
        missing = [name for name, url in expected.items() if url not in body]
        if missing:
            problems.append(f"badges missing in the page: {', '.join(missing)}")
        others = sorted(
            {a["href"] for a in notebook_links if a["inArticle"]} - set(expected.values())
        )
        if others:
            problems.append(f"badges for another notebook: {others[:2]}")
    if stray:
        problems.append(f"notebook links outside {site.repo_url}@{site.branch}: {stray[:2]}")
    if slug is None:
        return _verdict("launch", problems, "not a tutorial page; no stray notebook links")
    return _verdict(
        "launch",
        problems,
        "launch button and 4 badges point at notebooks/student|solutions/"
        f"{slug}.ipynb on {site.branch}",
    )


def _check_nav(site: Site, base: str, facts: dict) -> Check:
    nav = facts["nav"]
    if nav is None:
        return Check("nav", False, "no left navigation (nav.bd-docs-nav)")
    linked = {_page_of(site, base, h.split("#")[0]) for h in nav["links"]}
    want = [f"{doc}.html" for doc in site.toc_docs]
    missing = [w for w in want if w not in linked]
    problems = []
    if missing:
        problems.append(f"navigation lacks {missing}")
    if not nav["visible"]:
        problems.append("navigation not visible at desktop width")
    return _verdict("nav", problems, f"lists all {len(want)} _toc.yml entries")


def _widget_output_ok(o: dict) -> bool:
    return (
        bool(o["text"].strip() or o["links"] or any(i["w"] > 0 for i in o["imgs"]))
        and o["height"] > 0
    )


def _check_widgets(
    facts: dict, expected: list[CellExpectation] | None, cells_match: bool
) -> Check:
    problems = []
    for k, cell in enumerate(facts["cells"]):
        m = RAW_WIDGET.search(cell["outputText"])
        if m:
            problems.append(f"code cell {k + 1}: raw widget text {m.group(0)!r}")
    n_widgets = 0
    if expected is not None and cells_match:
        for exp, cell in zip(expected, facts["cells"], strict=True):
            if not exp.widgets:
                continue
            n_widgets += exp.widgets
            outs = cell["outputs"]
            if len(outs) < exp.outputs:
                problems.append(
                    f"notebook cell {exp.index}: {len(outs)} output(s) on the page, "
                    f"{exp.outputs} expected"
                )
            empty = [o for o in outs if not _widget_output_ok(o)]
            if empty:
                problems.append(
                    f"notebook cell {exp.index}: empty widget output ({empty[0]['cls']})"
                )
            htmls = [o["html"] for o in outs if "text_html" in o["cls"]]
            if len(htmls) != len(set(htmls)):
                problems.append(
                    f"notebook cell {exp.index}: the same widget fallback is shown "
                    f"{len(htmls) - len(set(htmls)) + 1} times (displayed and also returned?)"
                )
    elif expected is not None:
        n_widgets = sum(c.widgets for c in expected)
    return _verdict(
        "widgets",
        problems,
        (
            f"{n_widgets} widget(s) shown by their static fallback"
            if n_widgets
            else "no widgets, no raw widget text"
        ),
    )


_VIDEOS_JS = r"""
() => {
  const players = root => [...root.querySelectorAll("iframe")].map(f => ({
    src: f.getAttribute("src"), loading: f.getAttribute("loading"),
    shown: f.getBoundingClientRect().height > 0}));
  return {
    blocks: [...document.querySelectorAll(".nma-videos")].map(b => {
      const next = b.nextElementSibling;
      return {
        labels: [...b.querySelectorAll(":scope > label")].map(l => l.getAttribute("for")),
        players: players(b),
        links: next && next.matches(".nma-video-links")
               ? next.querySelectorAll("a[href]").length : 0,
      };
    }),
    stray: [...document.querySelectorAll("iframe")].filter(f => !f.closest(".nma-videos"))
             .map(f => f.getAttribute("src")),
  };
}
"""


def _check_videos(page) -> Check:
    """Players of display_videos: tabs, lazy iframes, expected src, links; tabs switch."""
    facts = page.evaluate(_VIDEOS_JS)
    problems = []
    if facts["stray"]:
        problems.append(f"player outside a video block: {facts['stray'][0]}")
    n_players = 0
    for k, block in enumerate(facts["blocks"], start=1):
        players, labels = block["players"], block["labels"]
        n_players += len(players)
        if not players or len(players) != len(labels) or block["links"] != len(players):
            problems.append(
                f"video block {k}: {len(labels)} tab(s), {len(players)} player(s), "
                f"{block['links']} link(s) after it"
            )
            continue
        for p in players:
            if p["loading"] != "lazy":
                problems.append(f"video block {k}: player not lazy-loaded: {p['src']}")
            if not VIDEO_PLAYER.fullmatch(p["src"] or ""):
                problems.append(f"video block {k}: unexpected player src {p['src']}")
        shown = [i for i, p in enumerate(players) if p["shown"]]
        if shown != [0]:
            problems.append(f"video block {k}: players {shown} shown on load, expected [0]")
        for i, label in enumerate(labels[1:], start=1):
            page.click(f'label[for="{label}"]')
            now = page.evaluate(_VIDEOS_JS)["blocks"][k - 1]["players"]
            if [j for j, p in enumerate(now) if p["shown"]] != [i]:
                problems.append(f"video block {k}: tab {i + 1} does not show its player")
    if not facts["blocks"]:
        return _verdict("videos", problems, "no videos")
    return _verdict(
        "videos",
        problems,
        f"{len(facts['blocks'])} video block(s), {n_players} lazy player(s) with their links",
    )


def _check_links(site: Site, base: str, facts: dict) -> Check:
    missing, leftovers, anchors, n = [], [], [], 0
    for ref in facts["refs"]:
        url = ref["url"]
        if not _is_local(url) or not url.startswith(base):
            continue
        if "preconnect" in ref["rel"] or "dns-prefetch" in ref["rel"]:
            continue
        n += 1
        target = _url_to_file(site, base, url.split("#")[0])
        if target is None or not target.is_file():
            missing.append(ref["raw"])
            continue
        page = target.relative_to(site.html_dir).as_posix()
        if target.suffix == ".html" and site.built is not None and page not in site.built:
            leftovers.append(ref["raw"])
            continue
        frag = unquote(urlsplit(url).fragment)
        if ref["tag"] == "a" and frag and target.suffix == ".html":
            if frag not in _ids_in(target, target.stat().st_mtime):
                anchors.append(ref["raw"])
    problems = []
    if missing:
        problems.append(f"{len(missing)} link(s) to missing files: {sorted(set(missing))[:3]}")
    if leftovers:
        problems.append(
            f"{len(leftovers)} link(s) to pages that are not part of this build (left over "
            f"from an earlier one): {sorted(set(leftovers))[:3]}"
        )
    if anchors:
        problems.append(f"{len(anchors)} link(s) to missing anchors: {sorted(set(anchors))[:3]}")
    return _verdict("links", problems, f"{n} same-site links and resources resolve")


def _check_paths(site: Site, facts: dict) -> Check:
    """No output nor prose of the page shows a path of the machine that built it."""
    texts = [("text", facts["text"])]
    texts += [(f"code cell {k + 1}", c["outputText"]) for k, c in enumerate(facts["cells"])]
    roots = site.machine_paths()
    found = []
    for where, text in texts:
        hits = [m.group(0) for m in BUILD_PATH.finditer(text)]
        hits += [r for r in roots if r in text and not any(r in h for h in hits)]
        found += [f"{where}: {h[:80]!r}" for h in dict.fromkeys(hits)]
    if found:
        return Check(
            "paths", False, f"{len(found)} path(s) of the build machine: " + "; ".join(found[:4])
        )
    return Check(
        "paths",
        True,
        f"no path of the build machine in {len(facts['cells'])} cell(s)' outputs or the text",
    )


def _check_streams(facts: dict) -> Check:
    """One output box per stream and cell: never two boxes of the same stream in a row."""
    problems, boxes = [], 0
    for k, cell in enumerate(facts["cells"], 1):
        kinds = [o.get("stream") for o in cell["outputs"]]
        boxes += sum(1 for kind in kinds if kind)
        split = [a for a, b in zip(kinds, kinds[1:], strict=False) if a and a == b]
        if split:
            problems.append(f"code cell {k}: {len(split) + 1} {split[0]} boxes in a row")
    if problems:
        return Check(
            "streams",
            False,
            "printed text split into several boxes (nb_merge_streams in _config.yml?): "
            + "; ".join(problems[:3]),
        )
    return Check("streams", True, f"{boxes} stream box(es), none split")


def _check_install(page, facts: dict, expected: list[CellExpectation] | None) -> Check:
    """The install cell of a tutorial is folded behind its first comment line."""
    if expected is None:
        return Check("install", True, "no notebook on this page, no install cell")
    installs = [c for c in expected if HEADER in c.tags]
    if not installs:
        return Check("install", False, f"no install cell (tag {HEADER}) in the notebook")
    want = installs[0].first_line.lstrip("#").strip()
    cells = page.locator(f"div.cell.tag_{HEADER}")
    if cells.count() == 0:
        return Check("install", False, f"no install cell (tag {HEADER}) on the page")
    cell = cells.first
    code = cell.locator(".cell_input")
    toggle = cell.locator("summary")
    problems = []
    if code.count() == 0:
        problems.append("install cell has no code")
    elif code.first.is_visible():
        problems.append("install cell's code visible on load (not folded)")
    if toggle.count() == 0 or not toggle.first.is_visible():
        problems.append("install cell has no visible toggle")
    else:
        shown = " ".join(toggle.first.inner_text().split())
        if shown != want:
            problems.append(f"install toggle reads {shown[:80]!r}, not its first line {want!r}")
        elif code.count():
            toggle.first.scroll_into_view_if_needed()
            toggle.first.click()
            try:
                code.first.wait_for(state="visible", timeout=2000)
            except Exception:
                problems.append("install cell's code still hidden after clicking its toggle")
    if problems:
        return Check("install", False, "; ".join(problems))
    return Check(
        "install", True, f"install cell folded behind {want!r}; its toggle shows the code"
    )


def _image_bytes(site: Site, base: str, src: str) -> bytes | None:
    if src.startswith("data:"):
        import base64

        head, _, body = src.partition(",")
        try:
            return base64.b64decode(body) if head.endswith(";base64") else None
        except ValueError:
            return None
    path = _url_to_file(site, base, src.split("#")[0].split("?")[0])
    return path.read_bytes() if path is not None and path.is_file() else None


def _check_labels(site: Site, base: str, figures: list[dict]) -> Check:
    """At 375 px: each figure's smallest text is at least LABEL_MIN_PX CSS px tall."""
    small, unreachable, sizes = [], [], []
    for k, fig in enumerate(figures, 1):
        if not fig["natural"] or not fig["shown"]:
            continue  # a figure that did not load: the figures check reports it
        dpi = png_dpi(_image_bytes(site, base, fig["src"]) or b"") or DEFAULT_DPI
        size = site.label_pt * dpi / 72 * fig["shown"] / fig["natural"]
        sizes.append(size)
        name = (
            fig["src"].rsplit("/", 1)[-1][:40]
            if not fig["src"].startswith("data:")
            else f"inline image {k}"
        )
        if size < LABEL_MIN_PX - 1e-6:
            small.append(
                f"{name}: labels {size:.1f} px ({fig['shown']:.0f} of {fig['natural']} px wide)"
            )
        if fig["scrolls"] and not fig["focusable"]:
            unreachable.append(f"{name}: its box scrolls but is no labelled Tab stop")
    problems = []
    if small:
        problems.append(
            f"{len(small)} of {len(sizes)} figure(s) with labels under {LABEL_MIN_PX:g} px at "
            f"375 px: " + "; ".join(small[:3])
        )
    problems += unreachable[:3]
    if not sizes:
        return _verdict("labels", problems, "no figures")
    return _verdict(
        "labels",
        problems,
        f"{len(sizes)} figure(s), smallest labels {min(sizes):.1f} px at 375 px "
        f"({site.label_pt:g} pt in the style)",
    )


# --------------------------------------------------------------------------- accessibility

# Where axe looks and what it counts: WCAG 2.1 A and AA rules, plus axe's best practices and
# experimental rules (label-content-name-mismatch, WCAG 2.5.3, is one); "critical" and
# "serious" ones inside the article fail.
A11Y_VIEWS = (("light", 1280), ("dark", 1280), ("light", 375), ("dark", 375))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice", "experimental"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
AXE_FAILING = {"critical", "serious"}
ARTICLE = "article.bd-article"
MOBILE_HEIGHT = 800
MAX_TAB_STOPS = 600
# An alt text that is a file name or path (``../../_images/578d...png``), not a description.
FILE_NAME_ALT = re.compile(r"^\S*(?:/|\.(?:png|jpe?g|gif|svg|webp)$)\S*$|^[0-9a-f]{16,}$", re.I)


def _axe_script() -> str:
    """axe-core's script as shipped by ``axe-playwright-python`` (nothing is downloaded)."""
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


_AXE_RUN_JS = r"""
async ([options, article]) => {
  const results = await axe.run(document, options);
  const where = (target) => {
    if (target.length !== 1) return false;  // inside an iframe or shadow root: not ours
    let el = null;
    try { el = document.querySelector(target[0]); } catch (e) { return false; }
    return !!(el && el.closest(article));
  };
  return results.violations.map(v => ({
    id: v.id, impact: v.impact || "minor", help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), content: where(n.target),
                              html: (n.html || "").slice(0, 120)})),
  }));
}
"""

_ALT_JS = r"""
(article) => Array.from(document.querySelectorAll(article + " img")).map(img => ({
  src: (img.getAttribute("src") || "").slice(0, 80),
  alt: img.getAttribute("alt"),
}))
"""

# At a phone's width: the page must not scroll sideways, and nothing in the article may stick
# out of the screen unless a scrollable box holds it (a long formula in a scrolling container).
_MOBILE_JS = r"""
(article) => {
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const scrolls = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + Array.from(el.classList).slice(0, 2).join(".") : "");
  const clipped = [];
  const root = document.querySelector(article);
  if (root) {
    for (const el of root.querySelectorAll("mjx-container, img, table, pre, iframe, figure, p")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if ((r.right > width + 1 || r.left < -1) && !scrolls(el)) {
        clipped.push(`${name(el)} ${Math.round(r.width)} px wide`);
      }
    }
    for (const el of root.querySelectorAll('mjx-container[display="true"]')) {
      // A formula wider than its own box is cut off unless that box (or a parent) scrolls.
      if (el.scrollWidth > el.clientWidth + 1 && !scrolls(el)) {
        clipped.push(`formula ${el.scrollWidth} px in a ${el.clientWidth} px box, no scrolling`);
      }
    }
  }
  return {overflow: Math.max(doc.scrollWidth, document.body.scrollWidth) - width, clipped};
}
"""

# Each figure of a cell output at the current width: natural and rendered width, and whether the
# box around it scrolls sideways (and is then a labelled Tab stop). Measured after two frames, so
# course.js has fitted the figures to the column.
_LABELS_JS = r"""
async (article) => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  await frame(); await frame();
  const root = document.querySelector(article) || document.body;
  return [...root.querySelectorAll(".cell_output img")].map(img => {
    let box = null;
    for (let a = img.parentElement; a && a !== root; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      const scrolling = o === "auto" || o === "scroll";
      if (scrolling && a.scrollWidth > a.clientWidth + 1) { box = a; break; }
    }
    return {src: img.currentSrc || img.src, natural: img.naturalWidth,
            shown: img.getBoundingClientRect().width, scrolls: !!box,
            focusable: !!box && box.tabIndex >= 0 && !!box.getAttribute("aria-label")};
  });
}
"""

# What has the keyboard focus after a Tab, and whether it shows that it has.
_FOCUS_JS = r"""
([article, mark]) => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (e) => {
    const s = getComputedStyle(e);
    return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ||
      (s.boxShadow && s.boxShadow !== "none");
  };
  // Focus inside a frame matches none of the frame's own :focus rules: its box shows it.
  const visible = shows(el) || (el.tagName === "IFRAME" && !!el.parentElement &&
                                shows(el.parentElement));
  let id = el.getAttribute(mark);
  if (!id) { id = String(Math.random()).slice(2); el.setAttribute(mark, id); }
  return {
    id, tag: el.tagName.toLowerCase(), visible,
    content: !!el.closest(article),
    // A formula box that scrolls sideways must be a stop (a keyboard scrolls it); no other.
    math: !!el.closest("mjx-container, .math") &&
          !(el.matches("mjx-container, div.math") && el.scrollWidth > el.clientWidth + 1),
    toggle: !!el.closest("div.cell.tag_exercise-solution") && el.tagName === "SUMMARY",
    label: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
  };
}
"""


def _new_context(browser, mode: str, width: int):
    context = browser.new_context(
        viewport={"width": width, "height": VIEWPORT["height"] if width > 600 else MOBILE_HEIGHT},
        color_scheme=mode,
        service_workers="block",
    )
    # The theme reads the reader's choice from localStorage before it paints.
    context.add_init_script(f"localStorage.setItem('mode', '{mode}');")
    return context


def _open(browser, base: str, page_name: str, mode: str, width: int, watch: _PageWatch):
    context = _new_context(browser, mode, width)
    context.route("**/*", watch.route)  # offline, like every other load of the check
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base + page_name, wait_until="load")
    page.evaluate(_SETTLE_JS, MATHJAX_TIMEOUT_MS)
    return context, page


@dataclass
class AxeCount:
    """Violations of one view of a page: failing (critical/serious) and all, theme and content."""

    view: str
    content: list[str] = field(default_factory=list)  # "rule (impact) xN" of failing ones
    theme: list[str] = field(default_factory=list)
    content_nodes: int = 0
    theme_nodes: int = 0
    minor_nodes: int = 0


def axe_view(page) -> list[dict]:
    """Run axe-core on the open page; each violation's nodes say whether they are content."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_script())
    return page.evaluate(_AXE_RUN_JS, [AXE_OPTIONS, ARTICLE])


def count_axe(view: str, violations: list[dict]) -> AxeCount:
    count = AxeCount(view)
    for v in violations:
        for where in ("content", "theme"):
            nodes = [n for n in v["nodes"] if n["content"] == (where == "content")]
            if not nodes:
                continue
            if v["impact"] not in AXE_FAILING:
                count.minor_nodes += len(nodes)
                continue
            getattr(count, where).append(f"{v['id']} ({v['impact']}) x{len(nodes)}")
            setattr(count, f"{where}_nodes", getattr(count, f"{where}_nodes") + len(nodes))
    return count


def _check_alt(images: list[dict]) -> Check:
    bad = []
    for img in images:
        alt = (img["alt"] or "").strip()
        if not alt:
            bad.append(f"no alt text: {img['src'][:50]}")
        elif FILE_NAME_ALT.search(alt):
            bad.append(f"alt text is a file name: {alt[:50]!r}")
    if bad:
        return Check("alt", False, f"{len(bad)} of {len(images)} image(s): " + "; ".join(bad[:3]))
    return Check("alt", True, f"{len(images)} image(s) in the article, each with alt text")


def _check_mobile(mobile: dict) -> Check:
    problems = []
    if mobile["overflow"] > 1:
        problems.append(f"page scrolls sideways by {mobile['overflow']} px at 375 px")
    if mobile["clipped"]:
        problems.append(
            f"{len(mobile['clipped'])} clipped element(s) at 375 px: "
            + "; ".join(mobile["clipped"][:3])
        )
    return _verdict("mobile", problems, "no horizontal overflow or clipped content at 375 px")


def _check_keyboard(page) -> Check:
    """Tab through the page: solution toggles reached and opened by Enter; no formula a stop."""
    mark = "data-sitecheck-stop"
    stops: list[dict] = []
    seen: set[str] = set()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(_FOCUS_JS, [ARTICLE, mark])
        if stop is None:
            continue
        if stop["tag"] == "iframe" and not stop["visible"]:
            # The page marks a frame's box from its window's blur event, a moment later.
            page.wait_for_timeout(100)
            stop = page.evaluate(_FOCUS_JS, [ARTICLE, mark])
        if stop["id"] in seen:
            break  # back at the start: every stop visited
        seen.add(stop["id"])
        stops.append(stop)
    toggles = page.locator(f"div.cell.tag_{SOLUTION} summary")
    n_toggles = toggles.count()
    reached = [s for s in stops if s["toggle"]]
    problems = []
    if len(reached) < n_toggles:
        problems.append(
            f"{n_toggles - len(reached)} of {n_toggles} solution toggle(s) not in the Tab order"
        )
    for k, stop in enumerate(reached, 1):
        toggle = page.locator(f"[{mark}='{stop['id']}']")
        cell = toggle.locator("xpath=ancestor::div[contains(@class, 'cell')][1]")
        code = cell.locator(".cell_input").first
        toggle.focus()
        page.keyboard.press("Enter")
        try:
            code.wait_for(state="visible", timeout=2000)
        except Exception:
            problems.append(f"solution toggle {k}: Enter does not show the code")
    math = [s for s in stops if s["math"]]
    if math:
        problems.append(f"{len(math)} formula(s) in the Tab order")
    unseen = [s for s in stops if s["content"] and not s["visible"]]
    if unseen:
        problems.append(
            f"{len(unseen)} stop(s) in the article without a visible focus style: "
            + ", ".join(f"{s['tag']} {s['label']!r}" for s in unseen[:3])
        )
    theme_unseen = sum(1 for s in stops if not s["content"] and not s["visible"])
    detail = (
        f"{len(stops)} Tab stops ({sum(s['content'] for s in stops)} in the article), "
        f"{len(math)} formula(s), {n_toggles} solution toggle(s) reached and opened by Enter, "
        f"{theme_unseen} theme stop(s) without a visible focus style"
    )
    if problems:
        return Check("keyboard", False, "; ".join(problems) + f" [{detail}]")
    return Check("keyboard", True, detail)


def check_accessibility(
    browser, base: str, page_name: str, watch: _PageWatch, site: Site | None = None
) -> dict:
    """The accessibility checks of one page, in light and dark mode, at 1280 and 375 px.

    Returns the checks ``axe``, ``alt``, ``mobile``, ``keyboard`` and (given the ``site``)
    ``labels`` by name, and one ``AxeCount`` per view under ``"counts"``.
    """
    counts, checks = [], {}
    for mode, width in A11Y_VIEWS:
        context, page = _open(browser, base, page_name, mode, width, watch)
        try:
            counts.append(count_axe(f"{mode} {width}px", axe_view(page)))
            if (mode, width) == A11Y_VIEWS[0]:
                checks["alt"] = _check_alt(page.evaluate(_ALT_JS, ARTICLE))
                checks["keyboard"] = _check_keyboard(page)
            if width < 600 and mode == "light":
                checks["mobile"] = _check_mobile(page.evaluate(_MOBILE_JS, ARTICLE))
                if site is not None:
                    figures = page.evaluate(_LABELS_JS, ARTICLE)
                    checks["labels"] = _check_labels(site, base, figures)
        finally:
            context.close()
    failing = [c for c in counts if c.content]
    summary = ", ".join(
        f"{c.view}: {c.content_nodes} content/{c.theme_nodes} theme" for c in counts
    )
    if failing:
        detail = "; ".join(f"{c.view}: {', '.join(c.content)}" for c in failing)
        checks["axe"] = Check(
            "axe", False, f"critical/serious in the article: {detail} [{summary}]"
        )
    else:
        checks["axe"] = Check("axe", True, f"no critical/serious in the article [{summary}]")
    checks["counts"] = counts
    return checks


# --------------------------------------------------------------------------- one page, the site


def check_page(
    browser, site: Site, base: str, page_name: str, screenshot: Path | None = None
) -> PageResult:
    """Open one page and run every check on it."""
    start = time.perf_counter()
    result = PageResult(page_name)
    watch = _PageWatch()
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/*", watch.route)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("requestfailed", watch.on_requestfailed)
    page.on("response", watch.on_response)
    url = base + page_name
    try:
        redirect = _redirect_target(site.html_dir / page_name)
        page.goto(url, wait_until="load")
        if redirect:
            # A redirect page (index.html): it must lead to a page of the site, checked on its own.
            target = _page_of(site, base, urljoin(url, redirect)) or redirect
            ok = (site.html_dir / target).is_file()
            try:
                page.wait_for_url(lambda u: u != url, timeout=5000)
                page.wait_for_load_state("load")
            except Exception:
                ok = False
            result.checks = [
                _check_console(watch),
                _check_requests(watch),
                Check("redirect", ok, f"to {target}"),
            ]
            return result
        settle = page.evaluate(_SETTLE_JS, MATHJAX_TIMEOUT_MS)
        facts = page.evaluate(_FACTS_JS)
        slug = site.tutorial_slug(page_name)
        expected = None
        if slug is not None:
            nb = site.executed_notebook(slug)
            expected = (
                notebook_cells(nb, site.mime_priority, site.cache_dir, site.merge_streams)
                if nb.is_file()
                else None
            )
        cells_match = expected is not None and len(expected) == len(facts["cells"])
        checks = {
            "paths": _check_paths(site, facts),
            "streams": _check_streams(facts),
            "mathjax": _check_mathjax(facts, settle),
            "figures": _check_figures(facts, expected, cells_match),
            "stubs": _check_stubs(facts),
            "launch": _check_launch(site, page_name, facts),
            "nav": _check_nav(site, base, facts),
            "widgets": _check_widgets(facts, expected, cells_match),
            "links": _check_links(site, base, facts),
        }
        if slug is not None and expected is None:
            checks["figures"] = Check(
                "figures", False, f"no executed notebook {site.executed_notebook(slug)}"
            )
        elif expected is not None and not cells_match:
            checks["figures"].ok = False
            checks["figures"].detail = (
                f"page shows {len(facts['cells'])} code cells, the executed notebook "
                f"{len(expected)}; " + checks["figures"].detail
            )
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
            result.screenshot = screenshot
        checks["solutions"] = _check_solutions(
            page, facts, expected
        )  # clicks: after the screenshot
        checks["videos"] = _check_videos(page)
        checks["install"] = _check_install(page, facts, expected)
        a11y = check_accessibility(browser, base, page_name, watch, site)
        result.axe = a11y.pop("counts")
        checks.update(a11y)
        page.wait_for_timeout(50)  # let late console errors arrive
        checks["console"] = _check_console(watch)
        checks["requests"] = _check_requests(watch)
        result.checks = [checks[name] for name in CHECKS]
    except Exception as exc:  # a page that cannot even be opened fails every check
        result.checks = [
            Check("load", False, f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        ]
    finally:
        context.close()
        result.seconds = time.perf_counter() - start
    return result


def check_site(
    html_dir,
    *,
    pages=None,
    root=None,
    executed_dir=None,
    screenshots_dir=None,
    browser=None,
    report=None,
) -> list[PageResult]:
    """Check every page of the built site (or only ``pages``); return one result per page.

    ``root`` holds ``_config.yml`` and ``_toc.yml`` (default: ``html_dir/../..``); ``executed_dir``
    MyST-NB's executed notebooks (default: ``html_dir/../jupyter_execute``). With
    ``screenshots_dir`` a full-page PNG of each page is saved there as ``<page>.png``. Pass an open
    Playwright ``browser`` to reuse it; ``report`` is called with each result as it comes.
    """
    site = load_site(Path(html_dir), root, executed_dir)
    pages = list(pages) if pages is not None else site_pages(site.html_dir)
    results = []
    with contextlib.ExitStack() as stack:
        if browser is None:
            browser = stack.enter_context(launch_browser())
        base = stack.enter_context(serve(site.html_dir))
        for name in pages:
            shot = (
                Path(screenshots_dir) / (name.removesuffix(".html") + ".png")
                if screenshots_dir
                else None
            )
            result = check_page(browser, site, base, name, shot)
            results.append(result)
            if report:
                report(result)
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html_dir", nargs="?", default="_build/html", type=Path)
    parser.add_argument(
        "--root", type=Path, help="folder with _config.yml and _toc.yml (default: html_dir/../..)"
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="where to save full-page screenshots (default: html_dir/../screenshots)",
    )
    parser.add_argument(
        "--page", action="append", dest="pages", help="check only this page (repeatable)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="print the detail of every check"
    )
    args = parser.parse_args(argv)
    screenshots = args.screenshots or args.html_dir.resolve().parent / "screenshots"

    def report(result: PageResult):
        print(result.summary(), f"[{result.seconds:.1f} s]", flush=True)
        print("   ", result.axe_line(), flush=True)
        if args.verbose:
            for c in result.checks:
                print(f"    {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")

    start = time.perf_counter()
    results = check_site(
        args.html_dir, pages=args.pages, root=args.root, screenshots_dir=screenshots, report=report
    )
    bad = [r for r in results if not r.ok]
    stale = leftover_pages(args.html_dir)
    if stale and not args.pages:
        print(
            f"not checked, left over from an earlier build (not pages of this site): {stale}; "
            "rebuild from an empty _build/html (make book) to drop them"
        )
    print(
        f"{len(results) - len(bad)}/{len(results)} pages passed "
        f"in {time.perf_counter() - start:.1f} s; "
        f"screenshots in {screenshots}"
    )
    return 1 if bad or not results else 0


if __name__ == "__main__":
    sys.exit(main())
