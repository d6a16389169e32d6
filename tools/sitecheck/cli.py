"""The command line: ``python tools/sitecheck [_build/html] [--page P] [-v]``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from . import __doc__ as _package_doc
from .page import check_site
from .pages import leftover_pages
from .results import PageResult


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python tools/sitecheck", description=_package_doc.splitlines()[0]
    )
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


def main(argv=None) -> int:
    """Check the site, print one line per page and a total; exit status 1 if any page failed."""
    parser = _parser()
    args = parser.parse_args(argv)
    root = args.root or args.html_dir.resolve().parent.parent
    # A wrong folder is a typo, not a broken site: say so instead of a traceback.
    if not (args.html_dir / "index.html").is_file():
        parser.error(f"html_dir: no built site in {args.html_dir} (no index.html); run make book")
    if not (root / "_config.yml").is_file():
        parser.error(f"--root: no _config.yml in {root}; give the book's root folder")
    screenshots = args.screenshots or args.html_dir.resolve().parent / "screenshots"
    start = time.perf_counter()
    results = check_site(
        args.html_dir,
        pages=args.pages,
        root=args.root,
        screenshots_dir=screenshots,
        report=_reporter(args.verbose),
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
