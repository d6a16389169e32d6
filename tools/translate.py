"""The Japanese edition: translation catalogs of the book's pages, and the Japanese pages.

The English pages (``book/**/*.md``) are the one source of the code. Each page's prose is cut
into passages (a heading, a paragraph, a list, an admonition's title, a figure's alt text, a
toggle's label); a passage's Japanese text lives in a gettext catalog,
``book/_locale/ja/<page>.po`` (``msgid`` the English passage, ``msgstr`` its Japanese), which
translators' tools (Poedit, Weblate, ``msgfmt``) read. The Japanese page is the English page with
each passage replaced: its code cells are the English cells, so the Japanese build reuses the
English build's executed outputs (MyST-NB's cache is keyed on the code), and the notebooks are
generated from it like the English ones.

A translation cannot fall silently behind: ``update`` (after an English page changes) keeps the
translation of an unchanged passage, marks the translation of a changed one *fuzzy* (with the
previous English beside it) and adds a new one untranslated; ``check`` (run by ``make test``)
names the page and each passage that is untranslated, fuzzy or broken (a code span, an equation
or a link of the English missing from the Japanese).

    python tools/translate.py update          # merge the English pages into the catalogs
    python tools/translate.py check           # exit 1, naming page and passage, if stale
    python tools/translate.py todo PAGE       # the passages left to translate, as JSON
    python tools/translate.py fill PAGE FILE  # set translations from {index: Japanese} JSON
    python tools/translate.py pages [OUT] [--outputs DIR]  # the Japanese book (_build/ja/src)
    python tools/translate.py notebooks       # write the Japanese notebooks (notebooks/ja/)
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
import translate_glossary as glossary
import yaml
from nbtools_summary import HEADING as SUMMARY_HEADING
from nbtools_summary import TEXT as SUMMARY_TEXT

ROOT = Path(__file__).resolve().parents[1]
LOCALE = Path("book/_locale/ja")
GLOSSARY = Path("book/_locale/glossary.csv")
SITE_CATALOG = "_site"  # the texts that are not on a page: the toc's captions, the site title
# Values of a code cell's metadata that are prose: the figure's alt text, the toggle's label.
META_KEYS = (("mystnb", "image", "alt"), ("mystnb", "figure", "caption"))
META_KEYS += (("mystnb", "code_prompt_show"), ("mystnb", "code_prompt_hide"))
HEADER_TAG = "nma-header"
# Texts of the generated notebooks (badge labels, the student's summary cell).
EXTRA_TEXTS = ("Exercises:", "With solutions:", SUMMARY_HEADING.lstrip("# "), SUMMARY_TEXT)
EXTRA_TEXTS += (
    "Click for solution",
    "**Exercise** (solved in the next cell).",
    "The exercise as the student notebook poses it",
)
# A flag for a passage that stays as it is in Japanese (a reference's title, a name).
VERBATIM = "verbatim"

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,}|:{3,})(?P<rest>.*)$")
_DIRECTIVE = re.compile(r"^(?P<head>(?:`{3,}|:{3,})\{(?P<name>[\w-]+)\}\s*)(?P<text>.*?)\s*$")
# Directives whose body is code or maths, never prose.
_RAW_DIRECTIVES = {"code-cell", "code-block", "code", "math", "raw", "glue", "eval-rst"}
_HEADING = re.compile(r"^(?P<head>#{1,6}\s+)(?P<text>.+?)\s*$")
_SUMMARY = re.compile(r"^(?P<head>\s*<summary[^>]*>)(?P<text>.*?)(?P<tail></summary>\s*)$")
_STRUCTURE = re.compile(r"^(\+\+\+|\(\S+\)=\s*$|\$\$|</?details>\s*$|<!--|:[\w-]+:)")
_LETTERS = re.compile(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]")


@dataclass
class Piece:
    """A stretch of a page: ``text`` kept as it is, or a passage to translate (``unit``)."""

    text: str
    unit: bool = False
    line: int = 0  # where it starts, 1-based
    meta: bool = False  # a code cell's metadata block (YAML), whose prose values translate


def _closes(line: str, fence: str) -> bool:
    return line.strip() == fence or (line.startswith(fence) and not line[len(fence) :].strip())


def _split_head(line: str, n: int, pattern: re.Pattern, pieces: list[Piece]) -> bool:
    """A line whose ``text`` group is a passage (a heading, a title): three pieces."""
    m = pattern.match(line)
    if not m or not _LETTERS.search(m["text"]):
        return False
    pieces.append(Piece(line[: m.start("text")], line=n))
    pieces.append(Piece(m["text"], unit=True, line=n))
    pieces.append(Piece(line[m.end("text") :] + "\n", line=n))
    return True


def segment(text: str) -> list[Piece]:
    """Cut a MyST page into pieces; their texts joined give the page back exactly."""
    lines = text.splitlines(keepends=True)
    pieces: list[Piece] = []
    i = 0
    if lines and lines[0].strip() == "---":  # front matter
        end = next(k for k in range(1, len(lines)) if lines[k].strip() == "---")
        pieces.append(Piece("".join(lines[: end + 1]), line=1))
        i = end + 1
    header = False  # inside the generated badge cell
    open_fences: list[str] = []  # the fences of the directives whose body this line is in
    while i < len(lines):
        line, n = lines[i], i + 1
        bare = line.rstrip("\n")
        closing = open_fences and _closes(bare.strip(), open_fences[-1])
        if closing:
            open_fences.pop()  # a directive's closing fence, not a code block's opening one
        if bare.startswith("+++"):
            header = HEADER_TAG in bare
        # The badge cell ends at the install cell.
        header = header and not (_FENCE.match(bare) and not bare.startswith("+++"))
        if closing or header or not bare.strip() or bare.startswith("+++"):
            pieces.append(Piece(line, line=n))
            i += 1
            continue
        fence = _FENCE.match(bare.lstrip())  # a fence may be indented (in a list item)
        directive = _DIRECTIVE.match(bare.lstrip())
        if fence and (not directive or directive["name"] in _RAW_DIRECTIVES):
            i = _raw_block(lines, i, fence["fence"], pieces, code=bool(directive))
            continue
        if directive:
            if not _split_head(bare, n, _DIRECTIVE, pieces):
                pieces.append(Piece(line, line=n))
            open_fences.append(_FENCE.match(bare.lstrip())["fence"])
            i += 1
            continue
        if bare.lstrip().startswith("$$"):
            i = _math_block(lines, i, pieces)
            continue
        if _split_head(bare, n, _HEADING, pieces) or _split_head(bare, n, _SUMMARY, pieces):
            i += 1
            continue
        if _STRUCTURE.match(bare) or not _LETTERS.search(bare):
            pieces.append(Piece(line, line=n))
            i += 1
            continue
        i = _paragraph(lines, i, pieces)
    return pieces


def _math_block(lines, i, pieces):
    """A display equation, ``$$...$$`` on one line or a ``$$`` block, kept as it is."""
    end = i
    if lines[i].count("$$") < 2:
        end = next((k for k in range(i + 1, len(lines)) if "$$" in lines[k]), i)
    pieces.append(Piece("".join(lines[i : end + 1]), line=i + 1))
    return end + 1


def _raw_block(lines, i, fence, pieces, code):
    """A fenced block kept as it is; a code cell's metadata block as its own piece."""
    end = next((k for k in range(i + 1, len(lines)) if _closes(lines[k].rstrip(), fence)), None)
    end = len(lines) - 1 if end is None else end
    if code and i + 1 < end and lines[i + 1].strip() == "---":
        close = next(k for k in range(i + 2, end) if lines[k].strip() == "---")
        pieces.append(Piece(lines[i], line=i + 1))
        pieces.append(Piece("".join(lines[i + 1 : close + 1]), line=i + 2, meta=True))
        pieces.append(Piece("".join(lines[close + 1 : end + 1]), line=close + 2))
    else:
        pieces.append(Piece("".join(lines[i : end + 1]), line=i + 1))
    return end + 1


def _paragraph(lines, i, pieces):
    """Consecutive prose lines, up to a blank line or a line of structure: one passage."""
    start = i
    while i < len(lines):
        bare = lines[i].rstrip("\n")
        if i > start and (
            not bare.strip()
            or _FENCE.match(bare.lstrip())
            or _HEADING.match(bare)
            or _SUMMARY.match(bare)
            or bare.lstrip().startswith(("+++", "$$"))
            or _STRUCTURE.match(bare)
        ):
            break
        i += 1
    block = "".join(lines[start:i])
    body = block.rstrip("\n")
    pieces.append(Piece(body, unit=True, line=start + 1))
    pieces.append(Piece(block[len(body) :], line=i))
    return i


# ----------------------------------------------------------------------------- metadata


def _meta_values(block: str):
    """``(path, value)`` of each prose value in a code cell's YAML metadata block."""
    meta = yaml.safe_load(block.strip().strip("-")) or {}
    for path in META_KEYS:
        node = meta
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str) and _LETTERS.search(node):
            yield path, node


def _translated_meta(block: str, translate) -> str:
    meta = yaml.safe_load(block.strip().strip("-")) or {}
    for path, value in list(_meta_values(block)):
        node = meta
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = translate(value)
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
    return f"---\n{dumped}---\n"


def passages(text: str) -> list[tuple[str, int]]:
    """Every passage of a page to translate, ``(English, line)``, in page order."""
    found = []
    for piece in segment(text):
        if piece.unit:
            found.append((piece.text, piece.line))
        elif piece.meta:
            found += [(value, piece.line) for _, value in _meta_values(piece.text)]
    return found


def render(text: str, translate) -> str:
    """The page with each passage replaced by ``translate(passage)``."""
    out = []
    for piece in segment(text):
        if piece.unit:
            out.append(translate(piece.text))
        elif piece.meta:
            out.append(_translated_meta(piece.text, translate))
        else:
            out.append(piece.text)
    return "".join(out)


# ----------------------------------------------------------------------------- catalogs


def pages(root: Path = ROOT) -> list[Path]:
    """The book's pages, relative to the root, in the order of ``_toc.yml``."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    docs = [toc["root"]]
    for part in toc.get("parts", []):
        docs += [chapter["file"] for chapter in part.get("chapters", [])]
    return [Path(f"{doc}.md") for doc in docs]


def catalog_path(page: Path, root: Path = ROOT) -> Path:
    """Where the catalog of ``page`` (``book/<day>/<page>.md``) lives."""
    return root / LOCALE / page.relative_to("book").with_suffix(".po")


def site_passages(root: Path = ROOT) -> list[tuple[str, int]]:
    """Texts of the site that are not on a page: the title and the toc's part captions."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [(config["title"], 0)]
    found += [(part["caption"], 0) for part in toc.get("parts", []) if part.get("caption")]
    return found + [(text, 0) for text in EXTRA_TEXTS]


def _load(path: Path) -> polib.POFile:
    if path.is_file():
        return polib.pofile(str(path), wrapwidth=99)
    po = polib.POFile(wrapwidth=99)
    po.metadata = {
        "Project-Id-Version": "dl4neuro course",
        "Language": "ja",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return po


def merge(po: polib.POFile, found: list[tuple[str, int]], source: str) -> polib.POFile:
    """Bring ``po`` up to date with the passages ``found`` in ``source`` (msgmerge's rules).

    A passage already in the catalog keeps its translation. A new passage takes the translation
    of the most similar passage that left the catalog, marked fuzzy with that passage as its
    previous msgid, when the two are alike (difflib ratio >= 0.6); otherwise it is untranslated.
    Entries whose passage left the page are dropped.
    """
    old = {entry.msgid: entry for entry in po if not entry.obsolete}
    wanted = list(dict.fromkeys(text for text, _ in found))
    gone = [entry for msgid, entry in old.items() if msgid not in wanted and entry.msgstr]
    fresh = polib.POFile(wrapwidth=99)
    fresh.metadata = po.metadata
    for text in wanted:
        lines = [line for t, line in found if t == text]
        occurrences = [(source, str(line)) for line in lines]
        entry = old.get(text)
        if entry is None:
            entry = polib.POEntry(msgid=text, msgstr="")
            close = _closest(text, gone)
            if close is not None:
                entry.msgstr = close.msgstr
                entry.flags.append("fuzzy")
                entry.previous_msgid = close.msgid
        entry.occurrences = occurrences
        fresh.append(entry)
    return fresh


def _closest(text, entries):
    best, score = None, 0.6
    for entry in entries:
        ratio = difflib.SequenceMatcher(None, text, entry.msgid, autojunk=False).ratio()
        if ratio >= score:
            best, score = entry, ratio
    return best


def catalogs(root: Path = ROOT) -> dict[str, tuple[Path, list[tuple[str, int]]]]:
    """``{name: (catalog path, passages)}`` of every page and of the site."""
    out = {}
    for page in pages(root):
        text = (root / page).read_text(encoding="utf-8")
        out[page.as_posix()] = (catalog_path(page, root), passages(text))
    out[SITE_CATALOG] = (root / LOCALE / f"{SITE_CATALOG}.po", site_passages(root))
    return out


def update(root: Path = ROOT) -> list[Path]:
    """Merge every page into its catalog; return the catalogs written."""
    written = []
    for name, (path, found) in catalogs(root).items():
        po = merge(_load(path), found, name)
        text = str(po) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


# ----------------------------------------------------------------------------- checks

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_MATH = re.compile(r"(?<!\\)\$\$?[^$]+?\$\$?")
_LINK = re.compile(r"\]\(([^)\s]+)\)|\{[\w:-]+\}`[^`]*`|href=\"([^\"]+)\"")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _tokens(pattern: re.Pattern, text: str) -> set[str]:
    return {m.group(0) for m in pattern.finditer(text)}


def entry_problems(entry: polib.POEntry) -> list[str]:
    """What is wrong with one translation, each as a short phrase (empty: nothing)."""
    if not entry.msgstr:
        return ["untranslated"]
    if "fuzzy" in entry.flags:
        previous = entry.previous_msgid or ""
        diff = [
            d
            for d in difflib.ndiff(previous.splitlines(), entry.msgid.splitlines())
            if d[:1] in "+-"
        ]
        return ["the English changed since it was translated:\n      " + "\n      ".join(diff)]
    problems = []
    english = _CODE_SPAN.sub("", entry.msgid)
    for label, pattern, source, target in (
        ("code", _CODE_SPAN, entry.msgid, entry.msgstr),
        ("maths", _MATH, english, _CODE_SPAN.sub("", entry.msgstr)),
        ("link", _LINK, entry.msgid, entry.msgstr),
    ):
        missing = _tokens(pattern, source) - _tokens(pattern, target)
        if missing:
            problems.append(f"{label} of the English missing: {', '.join(sorted(missing))}")
    if VERBATIM not in entry.flags and not _JAPANESE.search(entry.msgstr):
        problems.append("no Japanese in the translation (flag it 'verbatim' if it is a name)")
    return problems


def check(root: Path = ROOT, page: str | None = None) -> list[str]:
    """Every stale, missing or broken translation, naming its page and passage.

    Also where a translation leaves the glossary (:mod:`translate_glossary`). ``page`` limits
    the check to one catalog (``book/intro.md``, ``_site``).
    """
    problems = []
    for name, (path, found) in catalogs(root).items():
        if page is not None and name != page:
            continue
        rel = path.relative_to(root)
        if not path.is_file():
            problems.append(f"{name}: no Japanese catalog ({rel}); run `translate.py update`")
            continue
        po = _load(path)
        entries = {entry.msgid: entry for entry in po if not entry.obsolete}
        for text, line in found:
            entry = entries.get(text)
            if entry is None:
                problems.append(f"{name}:{line}: passage not in {rel} (run `translate.py update`)")
                continue
            for problem in entry_problems(entry):
                problems.append(f"{name}:{line}: {problem}: {_short(text)}")
        extra = set(entries) - {text for text, _ in found}
        problems += [f"{rel}: passage no longer in {name}: {_short(t)}" for t in sorted(extra)]
        headings = _heading_lines(root, name)
        done = [
            (text, entries[text].msgstr, line, line in headings)
            for text, line in found
            if text in entries
            and not entry_problems(entries[text])
            and VERBATIM not in entries[text].flags
        ]
        problems += glossary.problems(glossary.load(root / GLOSSARY), name, done)
    return list(dict.fromkeys(problems))


def _heading_lines(root: Path, name: str) -> set[int]:
    """Lines of a page that are headings; every text of the site's catalog is a title (0)."""
    if name == SITE_CATALOG:
        return {0}
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return {n for n, line in enumerate(lines, 1) if _HEADING.match(line)}


def _short(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def translator(path: Path, *, strict: bool = False):
    """A function English passage -> Japanese from the catalog at ``path``.

    An untranslated or fuzzy passage stays English (``check`` reports it), unless ``strict``.
    """
    po = _load(path)
    table = {e.msgid: e.msgstr for e in po if e.msgstr and "fuzzy" not in e.flags}

    def translate(text: str) -> str:
        if text in table:
            return table[text]
        if strict:
            raise KeyError(f"{path.name}: no translation of {_short(text)}")
        return text

    return translate


# ----------------------------------------------------------------------------- commands


def todo(page: str, root: Path = ROOT) -> list[dict]:
    """The passages of ``page`` left to translate: ``[{index, line, english, previous?}]``."""
    path, found = catalogs(root)[page]
    po = _load(path)
    out = []
    for index, entry in enumerate(e for e in po if not e.obsolete):
        if entry.msgstr and "fuzzy" not in entry.flags:
            continue
        item = {"index": index, "line": int(entry.occurrences[0][1]), "english": entry.msgid}
        if "fuzzy" in entry.flags:
            item["previous_english"] = entry.previous_msgid
            item["previous_japanese"] = entry.msgstr
        out.append(item)
    return out


def fill(page: str, translations: dict, root: Path = ROOT) -> int:
    """Set the translations ``{index: Japanese}`` (or ``{index: {"ja", "verbatim"}}``)."""
    path, _ = catalogs(root)[page]
    po = _load(path)
    entries = [e for e in po if not e.obsolete]
    for key, value in translations.items():
        entry = entries[int(key)]
        verbatim = isinstance(value, dict) and value.get("verbatim")
        entry.msgstr = value["ja"] if isinstance(value, dict) else value
        entry.previous_msgid = None
        entry.flags = [f for f in entry.flags if f not in ("fuzzy", VERBATIM)]
        if verbatim:
            entry.flags.append(VERBATIM)
    path.write_text(str(po) + "\n", encoding="utf-8")
    return len(translations)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/translate.py", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="merge the English pages into the catalogs")
    chk = sub.add_parser("check", help="name every untranslated, fuzzy or broken passage (exit 1)")
    chk.add_argument("--page", help="only this page (book/intro.md, _site)")
    one = sub.add_parser("todo", help="passages of a page left to translate, as JSON")
    one.add_argument("page", help="e.g. book/intro.md, or _site")
    two = sub.add_parser("fill", help="set translations from a JSON file {index: Japanese}")
    two.add_argument("page")
    two.add_argument("file")
    sub.add_parser("notebooks", help="write the Japanese student and solutions notebooks")
    out = sub.add_parser("pages", help="write the Japanese book")
    out.add_argument("out", nargs="?", default="_build/ja/src")
    out.add_argument(
        "--outputs", help="the English site's executed notebooks (_build/html/_sources)"
    )
    args = parser.parse_args(argv)
    if args.command == "update":
        for path in update():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    import translate_book  # imports this module: only once it is loaded

    if args.command == "todo":
        print(json.dumps(todo(args.page), ensure_ascii=False, indent=1))
        return 0
    if args.command == "fill":
        data = json.loads(Path(args.file).read_text(encoding="utf-8"))
        print(f"{fill(args.page, data)} passage(s) set in {args.page}")
        return 0
    if args.command == "pages":
        executed = ROOT / args.outputs if args.outputs else None
        print(translate_book.write_book(ROOT / args.out, executed=executed))
        return 0
    if args.command == "notebooks":
        for path in translate_book.write_notebooks():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    problems = check(page=args.page)
    if args.page is None:
        problems += translate_book.stale_notebooks()
    print("\n".join(problems) if problems else "every page is translated and up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
