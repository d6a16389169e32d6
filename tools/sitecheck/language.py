"""The two languages of the site: each page's ``lang``, its language switch, prose left in English.

The English site is served from its folder's root and holds the Japanese site in ``ja/``
(:data:`SUB_SITES`); each page opens with a ``<nav class="course-language">`` whose one link
leads to the same page in the other site (``book/_ext/course_ext.py``). On a Japanese page the
code, the printed output and the figures stay English; the prose must not.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .pages import SUB_SITES, _url_to_file
from .results import Check, _verdict

# The repository this tool belongs to: its book is the default source of the English files a
# translated site reads (the catalogs, the matplotlib style) when the build is a copy elsewhere.
REPO = Path(__file__).resolve().parents[2]
LOCALE = Path("book/_locale")
# Each language's folder in the served one.
FOLDERS = {"en": "", **{language: f"{folder}/" for folder, language in SUB_SITES.items()}}
SWITCH = "nav.course-language"

# Kana, kanji (with extension A) and the CJK punctuation and half-width kana blocks: a text with
# one of them has been translated, whatever English names or terms it keeps beside them.
JAPANESE = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
MIN_ENGLISH_WORDS = 5
# A word of letters (with inner apostrophes: don't), not glued to a digit or an underscore, so
# that an identifier left in prose (W1D5, conv_1) is no word.
_WORD = r"(?<![\w'’])[A-Za-z]+(?:['’][A-Za-z]+)*(?![\w'’])"
# Words in one sentence: spaces and the punctuation inside a sentence between them; a full stop,
# a digit or a symbol ends the run, so a list of numbers and units is no sentence.
ENGLISH_RUN = re.compile(rf"{_WORD}(?:[\s,;:()\"“”‘’/–—-]+{_WORD}){{{MIN_ENGLISH_WORDS - 1},}}")
# What Markdown adds to a verbatim passage that the page does not show.
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+|[*_`]", re.M)


def english_run(text: str) -> str | None:
    """The first run of :data:`MIN_ENGLISH_WORDS` or more English words of a prose text that
    has no Japanese character; None when it has one, or no such run.

    ``text`` is an element's prose with code and maths removed: a heading such as
    ``"W1D5: PyTorch"``, a name or a short label in English are no untranslated passage, a
    sentence is. A Japanese sentence that keeps English terms has Japanese characters.
    """
    if JAPANESE.search(text):
        return None
    m = ENGLISH_RUN.search(text)
    return m.group(0) if m else None


def _squash(text: str) -> str:
    """Letters and digits only, lower case: a passage as the page shows it or as Markdown."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def markdown_text(markdown: str) -> str:
    """The text a Markdown passage shows: links' texts without their URLs, no list or emphasis
    marks (enough to recognise the passage on the page)."""
    return _MD_MARK.sub("", _MD_LINK.sub(r"\1", markdown))


def book_file(relative: Path, root: Path, html_dir: Path) -> Path:
    """A file of the English book: under ``root``, the book of the served build
    (``_build/html/../..``), or this tool's repository; the first that exists (else ``root``'s).

    The Japanese book (``_build/ja/src``) has the pages, not the book's other files.
    """
    html_dir = Path(html_dir).resolve()
    serve_root = html_dir.parent if is_sub_site(html_dir) else html_dir
    roots = [Path(root), *serve_root.parents[1:2], REPO]
    return next((r / relative for r in roots if (r / relative).exists()), Path(root) / relative)


def is_sub_site(html_dir: Path) -> bool:
    """Whether ``html_dir`` is another language's site inside a build (``_build/html/ja``)."""
    html_dir = Path(html_dir).resolve()
    return html_dir.name in SUB_SITES and (html_dir.parent / "index.html").is_file()


def default_root(html_dir: Path) -> Path:
    """The book root of a build: ``html_dir/../..``; for ``_build/html/ja``, ``_build/ja/src``.

    The Japanese book is written to ``_build/ja/src`` and built there (``make book``), so its
    ``_config.yml``, ``_toc.yml`` and executed notebooks (``_build/ja/_build``) live there.
    """
    html_dir = Path(html_dir).resolve()
    if is_sub_site(html_dir):
        return html_dir.parents[1] / html_dir.name / "src"
    return html_dir.parents[1]


def notebooks_folder(language: str) -> str:
    """The repository folder of a language's notebooks (``notebooks``, ``notebooks/ja``)."""
    return "notebooks" if language == "en" else f"notebooks/{language}"


def verbatim_passages(language: str, root: Path, html_dir: Path) -> tuple[str, ...]:
    """The passages the catalogs of ``language`` keep in English on purpose (flag ``verbatim``:
    a reference's authors and title), squashed (:func:`_squash`) for finding them on a page."""
    if language == "en":
        return ()
    folder = book_file(LOCALE / language, root, html_dir)
    return _verbatim_in(folder) if folder.is_dir() else ()


@functools.cache
def _verbatim_in(folder: Path) -> tuple[str, ...]:
    import polib

    found = []
    for path in sorted(folder.rglob("*.po")):
        for entry in polib.pofile(str(path)):
            if "verbatim" in entry.flags:
                found.append(_squash(markdown_text(entry.msgstr or entry.msgid)))
    return tuple(p for p in found if p)


def is_verbatim(text: str, verbatim: tuple[str, ...]) -> bool:
    """Whether a page's text is (part of) a passage kept in English on purpose."""
    key = _squash(text)
    return bool(key) and any(key in passage for passage in verbatim)


def switch_names(page) -> list[str]:
    """The accessible names of the language switch's links, as the browser computes them.

    Playwright's ARIA snapshot names each link as a screen reader would (``aria-label``,
    ``aria-labelledby``, else its text); ``- link "日本語":``, or ``- link`` without a name.
    """
    nav = page.locator(SWITCH)
    if nav.count() == 0:
        return []
    snapshot = nav.first.aria_snapshot()
    return [m.group(1) or "" for m in re.finditer(r'- link(?: "((?:[^"\\]|\\.)*)")?', snapshot)]


def _check_lang(site, facts: dict) -> Check:
    """``<html lang>`` names the site's language (``ja-JP`` would do for ``ja``)."""
    lang = facts["lang"]
    if lang.split("-")[0].lower() != site.language:
        return Check("lang", False, f'<html lang="{lang}">, the site is {site.language!r}')
    return Check("lang", True, f'<html lang="{lang}">')


def _check_prose(site, facts: dict) -> Check:
    """No paragraph, list item, heading or caption of a translated page left in English."""
    if site.language == "en":
        return Check("prose", True, "an English page: its prose is the source")
    left, kept = [], 0
    for item in facts["prose"]:
        if english_run(item["text"]) is None:
            continue
        if is_verbatim(item["text"], site.verbatim):
            kept += 1  # a reference, kept in English on purpose
            continue
        left.append(f"{item['tag']}: {item['text'][:120]!r}")
    left = list(dict.fromkeys(left))  # a caption's paragraph is found twice
    if left:
        return Check("prose", False, f"{len(left)} passage(s) in English: " + "; ".join(left[:4]))
    return Check(
        "prose",
        True,
        f"{len(facts['prose'])} passages of prose, none in English "
        f"({kept} reference(s) kept in English on purpose)",
    )


def _other_language(site) -> str:
    return next(lang for lang in FOLDERS if lang != site.language)


def _switch_target_problems(site, base: str, page_name: str, link: dict, what: str) -> list:
    """Where a link of the switch (or the head's alternate) leads: the same page, other site."""
    other = _other_language(site)
    want = site.serve_root / FOLDERS[other] / page_name
    target = _url_to_file(site, base, link["url"].split("#")[0])
    problems = []
    if target != want:
        shown = target.relative_to(site.serve_root) if target else link["raw"]
        problems.append(
            f"{what} {link['raw']!r} opens {shown}, not {want.relative_to(site.serve_root)}"
        )
    elif not want.is_file():
        problems.append(f"{what} {link['raw']!r}: no such page {FOLDERS[other]}{page_name}")
    if link["hreflang"] != other:
        problems.append(f'{what}: hreflang="{link["hreflang"]}", not "{other}"')
    return problems


def _check_switch(
    site, base: str, page_name: str, facts: dict, names: list[str], stops: list | None
) -> Check:
    """The language switch: one link to the same page in the other site, named, by keyboard."""
    switches = facts["switches"]
    if len(switches) != 1 or len(switches[0]["links"]) != 1:
        found = [len(s["links"]) for s in switches]
        return Check("switch", False, f"{len(switches)} switch(es) with {found} link(s), not 1")
    link = switches[0]["links"][0]
    problems = _switch_target_problems(site, base, page_name, link, "switch")
    if link["lang"] != _other_language(site):
        problems.append(f'switch: lang="{link["lang"]}", not "{_other_language(site)}"')
    if not (names and names[0].strip()):
        problems.append("switch link without an accessible name")
    if not switches[0]["label"]:
        problems.append("switch <nav> without a label")
    alternates = [a for a in facts["alternates"] if a["hreflang"] == _other_language(site)]
    if not alternates:
        problems.append(f'no <link rel="alternate" hreflang="{_other_language(site)}">')
    for alt in alternates:
        problems += _switch_target_problems(site, base, page_name, alt, "alternate")
    if stops is not None and not any(s.get("langSwitch") for s in stops):
        problems.append("switch not reached by Tab")
    return _verdict(
        "switch",
        problems,
        f"{link['text']!r} (named {names[0]!r}) opens {FOLDERS[_other_language(site)]}"
        f"{page_name}" + (", reached by Tab" if stops is not None else ", keyboard not tried"),
    )
