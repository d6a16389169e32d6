"""The pages of a build, and where a URL of the served site leads."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from .expected import Site

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Folders of the build that hold assets, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads", "_panels_static"}
# Pages Sphinx writes besides the documents (Jupyter Book's root index.html is a redirect).
GENERATED_PAGES = {"index.html", "genindex.html", "search.html", "py-modindex.html"}
# Folders of the English build that hold the site of another language (``make book`` copies the
# Japanese build into ``_build/html/ja``): {folder: language}. Their pages belong to that site,
# checked on its own, never as English pages nor as leftovers of the English build.
SUB_SITES = {"ja": "ja"}


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


@functools.lru_cache(maxsize=8)
def _built_pages_cached(html_dir: Path, mtime: float) -> frozenset[str] | None:
    return built_pages(html_dir)


def sub_sites(html_dir: Path) -> list[Path]:
    """The sites of other languages inside this build (``ja/``), each a built site of its own."""
    html_dir = Path(html_dir)
    return [html_dir / name for name in SUB_SITES if (html_dir / name / "index.html").is_file()]


def _html_files(html_dir: Path) -> list[str]:
    html_dir = Path(html_dir)
    inner = {p.name for p in sub_sites(html_dir)}
    files = []
    for path in html_dir.rglob("*.html"):
        rel = path.relative_to(html_dir)
        if rel.parts[0] in NOT_PAGES or (len(rel.parts) > 1 and rel.parts[0] in inner):
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


def _url_to_file(site: Site, base: str, url: str) -> Path | None:
    """The file a URL of the served folder names (this site's or the other language's).

    ``base`` is the URL of this site, the served folder's URL + :attr:`Site.prefix`; None when
    the URL is not on the server.
    """
    root = base[: len(base) - len(site.prefix)]
    if not url.startswith(root):
        return None
    path = unquote(urlsplit(url).path)[len(urlsplit(root).path) :]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site.serve_root / path


def _page_of(site: Site, base: str, url: str) -> str | None:
    """The page of this site (relative to its folder) that a URL opens; None for any other."""
    file = _url_to_file(site, base, url)
    if file is None or not file.is_relative_to(site.html_dir):
        return None
    return file.relative_to(site.html_dir).as_posix()


def is_built_page(site: Site, file: Path) -> bool:
    """Whether an HTML file of the served folder is a page of the build of the site holding it.

    A file under a language's folder (``ja/``) is judged by that site's own search index.
    """
    folder = site.serve_root
    for inner in sub_sites(site.serve_root):
        if file.is_relative_to(inner):
            folder = inner
    index = folder / "searchindex.js"
    if folder == site.html_dir:
        built = site.built
    else:
        built = _built_pages_cached(folder, index.stat().st_mtime if index.is_file() else 0.0)
    return built is None or file.relative_to(folder).as_posix() in built
