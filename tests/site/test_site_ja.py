"""The Japanese site (``_build/html/ja``), checked in a real browser like the English one.

``test_every_japanese_page_passes`` opens every page of the Japanese site and runs every check
of ``tools/sitecheck/`` on it, those of the English pages (console, requests, MathJax, figures,
..., axe-core in light and dark mode at 1280 and 375 px, keyboard, no build paths, legible
labels) and those of a translation: ``<html lang="ja">``, the language switch back to the same
English page, no prose left in English. The whole ``_build/html`` is served, so the links from
one site to the other resolve. Screenshots go to ``_build/screenshots/ja/``.

The deliberate-break test copies the built site to a temporary folder and breaks one Japanese
page on purpose (its ``lang``, its switch, an English paragraph), expecting each matching check
to report it. The pure rule for English prose is tested in ``tests/tools/test_sitecheck.py``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import sitecheck  # tools/, on pytest's pythonpath (pyproject.toml)

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("SITECHECK_HTML", ROOT / "_build" / "html")).resolve()
SCREENSHOTS = HTML.parent / "screenshots" / "ja"
LANGUAGE_CHECKS = ("lang", "switch", "prose")


@pytest.mark.site
def test_every_japanese_page_passes(ja_dir, browser, capsys):
    results = sitecheck.check_site(ja_dir, screenshots_dir=SCREENSHOTS, browser=browser)
    lines = [f"{r.summary()} [{r.seconds:.1f} s]\n    {r.axe_line()}" for r in results]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with capsys.disabled():
        print("\n" + "\n".join(lines))

    pages = {r.page for r in results}
    assert pages == set(sitecheck.site_pages(ja_dir)), "every Japanese page was opened"
    assert not sitecheck.leftover_pages(ja_dir), "HTML left over from an earlier Japanese build"
    site = sitecheck.load_site(ja_dir)
    assert site.language == "ja" and site.prefix == "ja/"
    assert {f"{doc}.html" for doc in site.toc_docs} <= pages, "every _toc.yml entry has a page"
    english = set(sitecheck.site_pages(ja_dir.parent))
    assert pages == english, f"pages of one site only: {sorted(pages ^ english)}"
    assert any(site.tutorial_slug(p) for p in pages), "at least one tutorial page was checked"
    for r in results:
        if sitecheck.pages._redirect_target(ja_dir / r.page) is None:
            assert {c.name for c in r.checks} >= set(LANGUAGE_CHECKS), r.summary()
    failed = [r.summary() for r in results if not r.ok]
    assert not failed, "Japanese pages with problems:\n" + "\n".join(failed)


# --------------------------------------------------------------------------- deliberate breaks

ENGLISH = "This paragraph was left in English by mistake, untranslated."


def break_lang(text: str) -> str:
    """The page without its language: ``<html>`` with no ``lang``."""
    return re.sub(r'(<html\b[^>]*?) lang="ja"', r"\1", text, count=1)


def break_switch_href(text: str) -> str:
    """The switch leads to another page of the English site (the head's alternate stays)."""
    return re.sub(
        r'(<nav class="course-language"[^>]*><a href=")([^"]*?)([^/"]+\.html)"',
        r'\1\2no_such_page.html" tabindex="-1"',
        text,
        count=1,
    )


def break_english_paragraph(text: str) -> str:
    """A paragraph left in English atop the article."""
    m = re.search(r'<article class="bd-article"[^>]*>\s*', text)
    assert m is not None, "no article on the page"
    return text[: m.end()] + f"<p>{ENGLISH}</p>" + text[m.end() :]


BREAKS = [
    # (function, check that must fail, text its detail must contain)
    (break_lang, "lang", '<html lang="">'),
    (break_switch_href, "switch", "no_such_page.html"),
    (break_switch_href, "switch", "not reached by Tab"),
    (break_english_paragraph, "prose", ENGLISH),
]


@pytest.mark.site
def test_deliberate_breaks_of_a_japanese_page_are_caught(ja_dir, browser, tmp_path):
    """One page load: the breaks touch different checks, each must report its own."""
    copy = tmp_path / "_build" / "html"
    shutil.copytree(ja_dir.parent, copy)
    site = sitecheck.load_site(ja_dir)
    page = f"{site.toc_docs[0]}.html"  # the root page: prose, no notebook, quick to load
    path = copy / "ja" / page
    text = path.read_text(encoding="utf-8")
    for brk in dict.fromkeys(b for b, _, _ in BREAKS):
        after = brk(text)
        assert after != text, f"{brk.__name__} changed nothing"
        text = after
    path.write_text(text, encoding="utf-8")

    [result] = sitecheck.check_site(
        copy / "ja",
        pages=[page],
        root=site.root,
        executed_dir=site.executed_dir,
        browser=browser,
    )
    print(result.summary())
    for brk, check, expected in BREAKS:
        caught = result.check(check)
        assert not caught.ok, f"{check} did not catch {brk.__name__}: {caught.detail}"
        assert expected in caught.detail, f"{check} did not report {brk.__name__}: {caught.detail}"
    for name in set(sitecheck.CHECKS) - {"lang", "switch", "prose", "links", "axe"}:
        assert result.check(name).ok, f"{name} failed on breaks it does not check"
