"""The Japanese edition: catalogs up to date, code written once, glossary kept, notebooks fresh."""

import json
import re
from pathlib import Path

import course_ext
import jupytext
import nbformat
import nbtools
import polib
import pytest
import translate
import translate_book
import translate_glossary
import yaml

ROOT = translate.ROOT
PAGES = translate.pages()
TUTORIALS = [page for page in PAGES if nbtools.is_tutorial(page.stem)]
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


# ----------------------------------------------------------------------------- the real pages


def test_every_page_is_translated_current_and_kept_to_the_glossary():
    """What `make test` fails on when an English page changes after its translation."""
    problems = translate.check()
    assert not problems, "the Japanese edition lags behind:\n" + "\n".join(problems)


def test_the_japanese_notebooks_are_generated_from_the_current_catalogs():
    problems = translate_book.stale_notebooks()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_cutting_a_page_into_pieces_loses_nothing(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    assert "".join(piece.text for piece in translate.segment(text)) == text
    assert translate.passages(text), "a page without prose?"


@pytest.mark.parametrize("page", TUTORIALS, ids=str)
def test_a_japanese_page_has_the_english_code_cells(page):
    """Code written once: the same cells, sources and tags; only prose metadata differs."""
    english = jupytext.read(ROOT / page, fmt="md:myst")
    japanese = jupytext.reads(translate_book.japanese_page(page), fmt="md:myst")
    code = [(c.source, c.metadata.get("tags")) for c in english.cells if c.cell_type == "code"]
    assert code == [
        (c.source, c.metadata.get("tags")) for c in japanese.cells if c.cell_type == "code"
    ]
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in japanese.cells]
    assert english.metadata["kernelspec"] == japanese.metadata["kernelspec"]
    alts = [
        c.metadata["mystnb"]["image"]["alt"]
        for c in japanese.cells
        if "alt" in c.metadata.get("mystnb", {}).get("image", {})
    ]
    assert alts and all(JAPANESE.search(alt) for alt in alts)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_japanese_page_is_japanese_prose(page):
    japanese = jupytext.reads(translate_book.japanese_page(page), fmt="md:myst")
    prose = "\n".join(c.source for c in japanese.cells if c.cell_type == "markdown")
    h1 = next(line for line in prose.splitlines() if line.startswith("# "))
    assert JAPANESE.search(h1), h1
    verbatim = {
        e.msgid for e in polib.pofile(str(translate.catalog_path(page))) if "verbatim" in e.flags
    }
    for english, _ in translate.passages((ROOT / page).read_text(encoding="utf-8")):
        if len(english.split()) >= 6 and english not in verbatim:
            assert english not in prose, f"left in English: {english[:60]!r}"


def test_the_japanese_book_is_configured_in_japanese_and_reuses_the_english_runs(tmp_path):
    out = translate_book.write_book(tmp_path / "src")
    config = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    english = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["language"] == "ja"
    assert config["sphinx"]["config"]["course_language"] == "ja"
    assert Path(config["execute"]["cache"]) == ROOT / english["execute"]["cache"]
    assert JAPANESE.search(config["title"])
    toc = yaml.safe_load((out / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        assert JAPANESE.search(part["caption"])
        for chapter in part["chapters"]:
            page = out / f"{chapter['file']}.md"
            assert page.is_file()
            if "title" in chapter:  # the navigation says what the page's H1 says
                assert f"# {chapter['title']}\n" in page.read_text(encoding="utf-8")
    badges = (out / TUTORIALS[0]).read_text(encoding="utf-8")
    assert "notebooks/ja/student/" in badges and "notebooks/ja/solutions/" in badges
    assert "notebooks/student/" not in badges


@pytest.mark.parametrize("slug", nbtools.tutorial_slugs())
@pytest.mark.parametrize("flavour", ["student", "solutions"])
def test_a_japanese_notebook_is_the_english_one_in_japanese(slug, flavour):
    english = nbformat.read(ROOT / "notebooks" / flavour / f"{slug}.ipynb", as_version=4)
    japanese = nbformat.read(ROOT / "notebooks/ja" / flavour / f"{slug}.ipynb", as_version=4)
    assert len(english.cells) == len(japanese.cells)
    for en, ja in zip(english.cells, japanese.cells, strict=True):
        assert en.cell_type == ja.cell_type
        if ja.cell_type != "code":
            assert "notebooks/student/" not in ja.source
            assert "notebooks/solutions/" not in ja.source
            if nbtools.HEADER in ja.metadata.get("tags", []):
                assert "notebooks/ja/student/" in ja.source  # the badges open Japanese ones
            elif en.source.strip():
                assert JAPANESE.search(ja.source), ja.source[:80]
        elif nbtools.HEADER in ja.metadata.get("tags", []):
            assert ja.source == f"{en.source.rstrip()}\n{translate_book.SET_LANGUAGE}"
        else:
            assert ja.source == en.source


# ----------------------------------------------------------------------------- the machinery

PAGE = """---
kernelspec:
  name: python3
---

# Tutorial 9: A title

+++ {"tags": ["nma-header"]}

Exercises: <a href="x">badge</a>

```{code-cell} ipython3
---
mystnb:
  image:
    alt: A line that rises.
---
plot(x)  # code stays
```

A paragraph about `net` and $x^2$,
over two lines: see [the intro](intro.md).

```{admonition} Think! 1.1: Why?
:class: tip

- one
- two
```

$$
y = f(x)
$$
"""


def test_a_page_is_cut_into_its_passages():
    found = [text for text, _ in translate.passages(PAGE)]
    assert found == [
        "Tutorial 9: A title",
        "A line that rises.",
        "A paragraph about `net` and $x^2$,\nover two lines: see [the intro](intro.md).",
        "Think! 1.1: Why?",
        "- one\n- two",
    ]


def test_a_page_is_rendered_with_its_passages_replaced():
    table = {
        "Tutorial 9: A title": "チュートリアル 9: 題",
        "A line that rises.": "上がる線。",
        "Think! 1.1: Why?": "考えてみよう 1.1: なぜ?",
    }
    out = translate.render(PAGE, lambda text: table.get(text, text))
    assert "# チュートリアル 9: 題\n" in out
    assert "```{admonition} 考えてみよう 1.1: なぜ?\n:class: tip\n" in out
    assert "alt: 上がる線。" in out and "plot(x)  # code stays\n```" in out
    assert "$$\ny = f(x)\n$$" in out and "Exercises: <a href" in out


def _catalog(tmp_path, entries):
    po = polib.POFile()
    for msgid, msgstr in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return po


def test_a_changed_passage_keeps_its_old_translation_marked_fuzzy(tmp_path):
    po = _catalog(tmp_path, [("The loss falls.", "損失は下がります。"), ("Gone.", "消えた。")])
    found = [("The loss falls quickly.", 3), ("New text here.", 5)]
    merged = translate.merge(po, found, "book/x.md")
    changed, new = list(merged)
    assert "fuzzy" in changed.flags and changed.previous_msgid == "The loss falls."
    assert changed.msgstr == "損失は下がります。"
    assert new.msgstr == "" and not new.flags
    assert [e.msgid for e in merged] == ["The loss falls quickly.", "New text here."]
    stale = translate.entry_problems(changed)
    assert (
        "changed since it was translated" in stale[0] and "+ The loss falls quickly." in stale[0]
    )
    assert translate.entry_problems(new) == ["untranslated"]


def test_check_names_the_page_and_the_passage(tmp_path, monkeypatch):
    (tmp_path / translate.GLOSSARY).parent.mkdir(parents=True)
    (tmp_path / translate.GLOSSARY).write_text("english,japanese,note\n", encoding="utf-8")
    path = tmp_path / "x.po"
    po = _catalog(tmp_path, [("First passage of the page.", "")])
    path.write_text(str(po), encoding="utf-8")
    monkeypatch.setattr(
        translate,
        "catalogs",
        lambda root: {"book/x.md": (path, [("First passage of the page.", 7)])},
    )
    (tmp_path / "book/x.md").write_text("A page.\n", encoding="utf-8")
    assert translate.check(tmp_path) == ["book/x.md:7: untranslated: 'First passage of the page.'"]


@pytest.mark.parametrize(
    ("japanese", "problem"),
    [
        ("損失です。", "code of the English missing: `loss_fn`"),
        ("`loss_fn` の損失です。", "maths of the English missing: $x^2$"),
        ("`loss_fn` と $x^2$ [はじめに](other.md)", "link of the English missing: ](intro.md)"),
        ("`loss_fn` and $x^2$ [intro](intro.md)", "no Japanese in the translation"),
    ],
)
def test_a_translation_that_drops_code_maths_or_links_is_broken(japanese, problem):
    entry = polib.POEntry(msgid="Use `loss_fn` on $x^2$ (see [intro](intro.md)).", msgstr=japanese)
    assert any(p.startswith(problem) for p in translate.entry_problems(entry)), (
        translate.entry_problems(entry)
    )


def test_a_verbatim_passage_may_stay_as_it_is():
    entry = polib.POEntry(msgid="LeCun, Y. (1998). Gradient-based learning.", msgstr="x")
    entry.msgstr, entry.flags = entry.msgid, [translate.VERBATIM]
    assert translate.entry_problems(entry) == []


GLOSSARY = [
    translate_glossary.Term(
        re.compile(r"(?<![\w-])(?:receptive fields?)(?![\w-])", re.I), "受容野"
    )
]


def test_the_glossary_flags_a_term_translated_another_way():
    entries = [
        ("The receptive field grows.", "受容野 (receptive field) は大きくなります。", 3),
        ("Receptive fields overlap.", "受容域は重なります。", 9),
    ]
    assert translate_glossary.problems(GLOSSARY, "book/x.md", entries) == [
        "book/x.md:9: the glossary's '受容野' is missing for 'Receptive fields'"
    ]


def test_the_glossary_wants_the_english_at_first_use_only():
    first = ("The receptive field grows.", "受容野は大きくなります。", 3)
    later = ("A receptive field.", "受容野です。", 4)
    assert translate_glossary.problems(GLOSSARY, "p", [first, later]) == [
        "p:3: first use of '受容野' on the page: give the English in parentheses, 受容野 (...)"
    ]
    first = ("The receptive field grows.", "受容野（receptive field）は大きくなります。", 3)
    assert translate_glossary.problems(GLOSSARY, "p", [first, later]) == []


def test_a_term_in_code_or_a_link_target_is_not_prose():
    entries = [
        ("See `receptive_field` and [x](receptive field.md).", "`receptive_field` [x](…)", 1)
    ]
    assert translate_glossary.problems(GLOSSARY, "p", entries) == []


def test_the_glossary_file_is_one_translation_per_term():
    terms = translate_glossary.load(ROOT / translate.GLOSSARY)
    assert len(terms) >= 30
    japanese = [term.japanese for term in terms]
    assert len(set(japanese)) == len(japanese)
    assert all(JAPANESE.search(word) for word in japanese)


def test_fill_and_todo_round_trip(tmp_path, monkeypatch):
    path = tmp_path / "x.po"
    po = _catalog(tmp_path, [("One.", ""), ("Two.", "")])
    for entry in po:
        entry.occurrences = [("p", "1")]
    path.write_text(str(po), encoding="utf-8")
    monkeypatch.setattr(translate, "catalogs", lambda root: {"p": (path, [])})
    assert [item["english"] for item in translate.todo("p", tmp_path)] == ["One.", "Two."]
    assert translate.fill("p", {"1": "二。"}, tmp_path) == 1
    assert [e.msgstr for e in polib.pofile(str(path))] == ["", "二。"]
    assert json.dumps(translate.todo("p", tmp_path), ensure_ascii=False).count("english") == 1


# ----------------------------------------------------------------------------- the switch


@pytest.mark.parametrize(
    ("pagename", "language", "href"),
    [
        ("index", "en", "ja/index.html"),
        ("book/W1D5_DeepLearning/W1D5_Tutorial1", "en", "../../ja/book/W1D5_DeepLearning/"),
        ("book/W1D5_DeepLearning/W1D5_Tutorial1", "ja", "../../../book/W1D5_DeepLearning/"),
        ("book/intro", "ja", "../../book/intro.html"),
    ],
)
def test_the_language_switch_opens_the_same_page_in_the_other_site(pagename, language, href):
    other, url = course_ext.other_language(pagename, language)
    assert other == {"en": "ja", "ja": "en"}[language]
    assert url.startswith(href) and url.endswith(f"{pagename}.html")
    html = course_ext.language_switch_html(pagename, language)
    assert f'hreflang="{other}" lang="{other}"' in html
    assert 'aria-label="' in html and course_ext.LANGUAGE_NAMES[other] in html


def test_the_extension_and_the_tools_agree_on_the_japanese_notebooks():
    assert course_ext.JA_NOTEBOOKS == translate_book.JA_NOTEBOOKS.as_posix()
    page = "book/W1D5_DeepLearning/W1D5_Tutorial1"
    assert course_ext.student_path_for(page, "ja") == (
        f"{translate_book.STUDENT_DIR.as_posix()}/W1D5_DeepLearning/W1D5_Tutorial1.ipynb"
    )


def test_the_readme_offers_every_japanese_notebook():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    repo = nbtools.load_repository()
    for slug in nbtools.tutorial_slugs():
        for folder in (translate_book.STUDENT_DIR, translate_book.SOLUTIONS_DIR):
            assert repo.colab_url((folder / f"{slug}.ipynb").as_posix()) in readme, slug
        assert repo.kaggle_url((translate_book.STUDENT_DIR / f"{slug}.ipynb").as_posix()) in readme


@pytest.mark.slow
def test_the_built_japanese_site_is_japanese_and_its_search_finds_japanese_words():
    """The site `make book` built (before the slow tests in `make test`)."""
    html = ROOT / "_build" / "html" / "ja"
    if not (html / "searchindex.js").is_file():
        pytest.skip("no built Japanese site (make book)")
    index = json.loads(
        re.fullmatch(
            r"\s*Search\.setIndex\((.*)\)\s*;?\s*",
            (html / "searchindex.js").read_text(encoding="utf-8"),
            re.S,
        ).group(1)
    )
    for word in ("受容野", "過学習", "グレーティング", "デコード"):
        assert word in index["terms"], word
    page = (html / f"{TUTORIALS[0].with_suffix('.html')}").read_text(encoding="utf-8")
    assert '<html lang="ja"' in page
    assert "検索" in page and "ダウンロード" in page  # the theme speaks Japanese
    english = (ROOT / "_build/html" / TUTORIALS[0].with_suffix(".html")).read_text(
        encoding="utf-8"
    )
    assert 'hreflang="ja"' in english and 'hreflang="en"' in page


def test_the_text_after_an_admonition_is_prose_not_code():
    """A directive's closing fence closes it: it opens no code block that would hide the text."""
    page = "```{note}\nInside.\n```\n\nAfter the note.\n\n```{code-cell} ipython3\nx = 1\n```\n"
    assert [text for text, _ in translate.passages(page)] == ["Inside.", "After the note."]


def test_a_japanese_notebook_page_carries_the_english_outputs(tmp_path):
    page = TUTORIALS[0]
    text = translate_book.japanese_page(page)
    english = jupytext.read(ROOT / page, fmt="md:myst")
    for i, cell in enumerate(c for c in english.cells if c.cell_type == "code"):
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"run {i}\n")]
    ran = tmp_path / page.with_suffix(".ipynb")
    ran.parent.mkdir(parents=True)
    nbformat.write(english, ran)
    nb = nbformat.reads(translate_book.with_english_outputs(text, page, tmp_path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.outputs[0]["text"] for c in code] == [f"run {i}\n" for i in range(len(code))]
    alts = [
        c.metadata["mystnb"]["image"]["alt"]
        for c in code
        if "image" in c.get("metadata", {}).get("mystnb", {})
    ]
    assert alts and all(JAPANESE.search(alt) for alt in alts)  # the Japanese metadata stays
    last = max(i for i, c in enumerate(english.cells) if c.cell_type == "code")
    del english.cells[last]  # a stale English run
    nbformat.write(english, ran)
    with pytest.raises(ValueError, match="build English first"):
        translate_book.with_english_outputs(text, page, tmp_path)


def test_the_book_with_outputs_executes_nothing_and_has_notebook_pages(tmp_path):
    executed = tmp_path / "ran"
    with_code = [p for p in PAGES if "```{code-cell}" in (ROOT / p).read_text(encoding="utf-8")]
    for page in with_code:
        english = jupytext.read(ROOT / page, fmt="md:myst")
        (executed / page).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(english, executed / page.with_suffix(".ipynb"))
    out = translate_book.write_book(tmp_path / "src", executed=executed)
    config = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    assert set(TUTORIALS) <= set(with_code)
    for page in with_code:
        assert (out / page.with_suffix(".ipynb")).is_file() and not (out / page).exists()
    assert (out / "book/intro.md").is_file()


def test_the_japanese_book_takes_the_outputs_that_print_each_line_once():
    """The English site's downloads (course_ext fixed them), not MyST-NB's raw copies."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "translate.py pages _build/ja/src --outputs _build/html/_sources" in makefile
