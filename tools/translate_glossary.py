"""The course's glossary (English -> Japanese), and the check that the pages keep to it.

``book/_locale/glossary.csv`` lists one term a row: ``english`` (a regular expression over the
English, case-insensitive, matched as whole words: it names the term's forms), ``japanese`` (its
one translation). The check, part of ``python tools/translate.py check``:

* a passage whose English uses a term has the term's Japanese in its translation, so a term is
  never translated two ways across the pages;
* on each page, the first translation that uses a term gives the English in parentheses,
  ``活性化関数 (activation function)``, as Japanese textbooks do (after one of its uses in
  that passage).

Code spans, equations and link targets are not prose: a term there is not counted. A passage
flagged ``verbatim`` (a reference's title) is left out.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

_NOT_PROSE = re.compile(r"(`+).+?\1|\$\$?[^$]+?\$\$?|\]\([^)]*\)|<[^>]+>", re.S)


@dataclass(frozen=True)
class Term:
    """One row of the glossary."""

    english: re.Pattern
    japanese: str


def load(path: Path) -> list[Term]:
    """The glossary's terms, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Term(re.compile(rf"(?<![\w-])(?:{row['english']})(?![\w-])", re.I), row["japanese"])
        for row in rows
    ]


def prose(text: str) -> str:
    """``text`` without its code spans, equations, link targets and HTML tags, on one line."""
    return " ".join(_NOT_PROSE.sub(" ", text).split())


def problems(terms: list[Term], page: str, entries: list[tuple]) -> list[str]:
    """Where one page's translations ``[(English, Japanese, line[, heading])]`` leave the glossary.

    A heading (``heading`` true: a title, a caption) uses the glossary's words but carries no
    gloss: the first use in the text below it does.
    """
    found = []
    introduced = set()
    for english, japanese, line, *heading in entries:
        for term in terms:
            if not term.english.search(prose(english)):
                continue
            if term.japanese not in japanese:
                found.append(
                    f"{page}:{line}: the glossary's {term.japanese!r} is missing for "
                    f"{term.english.search(prose(english)).group(0)!r}"
                )
                continue
            if term.japanese in introduced or any(heading):
                continue
            introduced.add(term.japanese)
            # Any use in the passage may carry the gloss, also after the compound the term
            # opens or sits in (規範的エンコーディングモデル (normative encoding model),
            # 畳み込みニューラルネットワーク (...)) and after **bold**.
            glossed = (
                re.match(r"[\u30a0-\u30ff\u4e00-\u9fff]*\**\s*[(（]([^)）]*)[)）]", after)
                for after in japanese.split(term.japanese)[1:]
            )
            if not any(g and term.english.search(g.group(1)) for g in glossed):
                found.append(
                    f"{page}:{line}: first use of {term.japanese!r} on the page: give the "
                    f"English in parentheses, {term.japanese} (...)"
                )
    return found
