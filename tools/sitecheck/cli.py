"""The command line: ``python tools/sitecheck [_build/html] [--page P] [-v]``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from . import __doc__ as _package_doc
from .expected import default_root, is_sub_site
from .page import check_site
from .pages import leftover_pages, sub_sites
from .results import PageResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/sitecheck", description=_package_doc.splitlines()[0]
    )
    parser.add_argument("html_dir", nargs="?", default="_build/html", type=Path)
    parser.add_argument(
        "--root",
        type=Path,
        help="folder with _config.yml and _toc.yml (default: html_dir/../..; for the Japanese "
        "site _build/html/ja, _build/ja/src)",
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        help="where to save full-page screenshots (default: html_dir/../screenshots; the "
        "Japanese site's in its ja/)",
    )
    parser.add_argument(
        "--page", action="append", dest="pages", help="check only this page (repeatable)"
    )
    parser.add_argument(
        "--verbose", "-v", action="store_true", help="print the detail of every check"
    )
    return parser


def _reporter(verbose: bool):
    """Print each page's result as it comes: one line, axe's counts, and with ``verbose`` more."""

    def report(result: PageResult):
        print(result.summary(), f"[{result.seconds:.1f} s]", flush=True)
        print("   ", result.axe_line(), flush=True)
        if verbose:
            for c in result.checks:
                print(f"    {'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}")

    return report


def _sites(args) -> list[tuple[Path, Path | None, Path]]:
    """``(html_dir, root, screenshots)`` of each site to check: the one named, and with neither
    ``--page`` nor ``--root`` the other languages' sites it holds (``ja/``) after it."""
    html_dir = args.html_dir
    if is_sub_site(html_dir):  # _build/html/ja: screenshots beside _build/html's, in ja/
        shots = args.screenshots or html_dir.resolve().parents[1] / "screenshots" / html_dir.name
    else:
        shots = args.screenshots or html_dir.resolve().parent / "screenshots"
    sites = [(html_dir, args.root, shots)]
    if not (args.pages or args.root):
        sites += [(inner, None, shots / inner.name) for inner in sub_sites(html_dir)]
    return sites


def main(argv=None) -> int:
    """Check the site (and the sites of other languages it holds), print one line per page and a
    total; exit status 1 if any page failed."""
    parser = _parser()
    args = parser.parse_args(argv)
    root = args.root or default_root(args.html_dir)
    # A wrong folder is a typo, not a broken site: say so instead of a traceback.
    if not (args.html_dir / "index.html").is_file():
        parser.error(f"html_dir: no built site in {args.html_dir} (no index.html); run make book")
    if not (root / "_config.yml").is_file():
        parser.error(f"--root: no _config.yml in {root}; give the book's root folder")
    start = time.perf_counter()
    results = []
    for html_dir, site_root, screenshots in _sites(args):
        print(f"site {html_dir} (screenshots in {screenshots})", flush=True)
        results += check_site(
            html_dir,
            pages=args.pages,
            root=site_root,
            screenshots_dir=screenshots,
            report=_reporter(args.verbose),
        )
        stale = leftover_pages(html_dir)
        if stale and not args.pages:
            print(
                f"not checked, left over from an earlier build (not pages of this site): "
                f"{stale}; rebuild from an empty _build/html (make book) to drop them"
            )
    bad = [r for r in results if not r.ok]
    print(
        f"{len(results) - len(bad)}/{len(results)} pages passed "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 1 if bad or not results else 0
