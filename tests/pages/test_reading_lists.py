"""The Deep learning day keeps every reference of the original course (its further_reading.md:
intro, tutorials, both outro videos, PyTorch) with a link, and its outro says what each of its
two videos is about."""

import re
from pathlib import Path

import jupytext
import pytest

DAY = Path(__file__).resolve().parents[2] / "book/W1D5_DeepLearning"

# (first author as the list spells it, the link of the original's entry: its DOI where it has one)
ORIGINAL_REFERENCES = [
    # PyTorch
    ("Paszke", "https://openreview.net/forum?id=BJJsrmfCZ"),
    # reviews
    ("Richards", "https://doi.org/10.1038/s41593-019-0520-2"),
    ("Lindsay", "https://doi.org/10.1162/jocn_a_01544"),
    # the day's introduction
    ("Cichy", "https://doi.org/10.1038/srep27755"),
    ("Hasson", "https://doi.org/10.1016/j.neuron.2019.12.002"),
    ("Heuer", "https://doi.org/10.1016/j.cortex.2019.04.011"),
    ("Zhou B, Khosla", "https://arxiv.org/abs/1412.6856"),
    ("Zhou B, Bau", "https://doi.org/10.1109/TPAMI.2018.2858759"),
    # the tutorials: data set, encoding models, comparisons with the brain, deep learning
    ("Stringer", "https://doi.org/10.1016/j.cell.2021.03.042"),
    ("Batty", "https://openreview.net/forum?id=HkEI22jeg"),
    ("Cadena", "https://doi.org/10.1371/journal.pcbi.1006897"),
    (
        "McIntosh",
        "https://papers.nips.cc/paper/2016/hash/a1d33d0dfec820b41b54430b50e96b5c-Abstract.html",
    ),
    ("Walker", "https://doi.org/10.1038/s41593-019-0517-x"),
    ("Güçlü", "https://doi.org/10.1523/JNEUROSCI.5023-14.2015"),
    ("Khaligh-Razavi", "https://doi.org/10.1371/journal.pcbi.1003915"),
    ("Kriegeskorte N, Mur", "https://doi.org/10.3389/neuro.06.004.2008"),
    ("Mohsenzadeh", "https://doi.org/10.1038/s41598-020-61409-0"),
    ("Yamins", "https://doi.org/10.1073/pnas.1403112111"),
    ("Goh", "https://doi.org/10.23915/distill.00006"),
    ("He K", "https://doi.org/10.1109/CVPR.2016.90"),
    ("Ioffe", "https://proceedings.mlr.press/v37/ioffe15.html"),
    (
        "Li H",
        "https://papers.nips.cc/paper/2018/hash/a41b3bb3e6b050b6c9067c67f663b915-Abstract.html",
    ),
    ("Nielsen", "http://neuralnetworksanddeeplearning.com/chap4.html"),
    ("Olah C (2014). Conv nets", "https://colah.github.io/posts/2014-07-Conv-Nets-Modular/"),
    # outro, first video
    ("Jozwik", "https://doi.org/10.3389/fpsyg.2017.01726"),
    ("Kriegeskorte N, Douglas", "https://doi.org/10.1038/s41593-018-0210-5"),
    ("Kietzmann", "https://doi.org/10.1073/pnas.1905544116"),
    (
        "Kubilius",
        "https://papers.nips.cc/paper/2019/hash/7813d1590d28a7dd372ad54b5d29d033-Abstract.html",
    ),
    ("Lillicrap", "https://doi.org/10.1038/s41583-020-0277-3"),
    ("Nili", "https://doi.org/10.1371/journal.pcbi.1003553"),
    ("Schrimpf M, Kubilius J, Hong", "https://doi.org/10.1101/407007"),
    ("Spoerer", "https://doi.org/10.1371/journal.pcbi.1008215"),
    ("Storrs", "https://doi.org/10.1162/jocn_a_01755"),
    ("Tang", "https://doi.org/10.1073/pnas.1719397115"),
    # outro, second video
    ("Chambers", "https://doi.org/10.1109/TNSRE.2020.3029121"),
]


def _entries():
    """The list items of the reading list, each as one string."""
    text = (DAY / "further_reading.md").read_text(encoding="utf-8")
    return [item for item in re.split(r"\n(?=- )", text) if item.startswith("- ")]


@pytest.mark.parametrize("author, link", ORIGINAL_REFERENCES, ids=lambda v: v[:24])
def test_every_reference_of_the_original_is_listed_with_its_link(author, link):
    entries = [e for e in _entries() if e[2:].startswith(author)]
    assert entries, f"no entry by {author}"
    assert any(f"]({link})" in e for e in entries), f"{author}: no link to {link}"


def test_every_entry_has_a_link_and_a_year():
    for entry in _entries():
        assert re.search(r"\]\(https?://[^)\s]+\)", entry), entry[:80]
        assert re.search(r"\((19|20)\d\d\)", entry), entry[:80]


def test_outro_sections_of_the_reading_list_hold_their_papers():
    text = (DAY / "further_reading.md").read_text(encoding="utf-8")
    first = text.index("## Outro, first video")
    second = text.index("## Outro, second video")
    assert first < text.index("Kietzmann") < second < text.index("Chambers")


def _outro_cells():
    return jupytext.read(DAY / "W1D5_Outro.md")["cells"]


def test_outro_describes_each_of_its_two_videos():
    cells = _outro_cells()
    video_cells = [i for i, c in enumerate(cells) if "display_videos([" in c["source"]]
    assert len(video_cells) == 2
    ids = [re.findall(r'"Youtube", "([\w-]+)"', cells[i]["source"]) for i in video_cells]
    assert ids == [["pzA1GpxodnM"], ["nWlgIclpyt4"]]
    first, second = video_cells
    before_first = cells[first - 1]
    before_second = cells[second - 1]
    assert before_first["cell_type"] == before_second["cell_type"] == "markdown"
    assert "### Video 1" in before_first["source"]
    text = " ".join(before_second["source"].split()).lower()
    assert "### video 2" in text
    # the second video: pose estimation of infants to judge their neuromotor risk
    for word in ("pose", "infant", "neuromotor", "chambers"):
        assert word in text, word
    assert "](further_reading.md)" in before_second["source"]


# --- free copies of paywalled papers ---

# A paywalled paper's entry gives, next to its DOI, a free copy: the author's postprint in PMC or
# Europe PMC, a preprint on arXiv or bioRxiv, or a repository copy (the original course's list
# gave these). Walker et al. (2019) and Schrimpf et al. (2020, Neuron), Yamins & DiCarlo (2016),
# Felleman & Van Essen (1991), Adelson & Bergen (1985), Cybenko (1989) and Hornik (1991) are
# paywalled or partly so, but no free copy is known to us with certainty: they are left out here.
FREE_COPIES = [
    ("Richards", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7115933/"),
    ("Lindsay", "https://arxiv.org/abs/2001.07092"),
    ("Stringer", "https://www.biorxiv.org/content/10.1101/679324v2"),
    ("Yamins DLK, Hong", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4060707/"),
    ("Kriegeskorte N, Douglas", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC6706072/"),
    (
        "Lillicrap",
        "https://ora.ox.ac.uk/objects/uuid:862189c1-0088-4f78-b17a-2748c2019209",
    ),
    ("Storrs", "https://repository.ubn.ru.nl/bitstream/handle/2066/237374/1/237374.pdf"),
    ("Chambers", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8011647/"),
    ("He K", "https://arxiv.org/abs/1512.03385"),
]


@pytest.mark.parametrize("author, free", FREE_COPIES, ids=lambda v: v[:24])
def test_paywalled_papers_have_a_free_copy_next_to_the_doi(author, free):
    (entry,) = [e for e in _entries() if e[2:].startswith(author)]
    assert "](https://doi.org/" in entry, f"{author}: no DOI"
    assert f"]({free})" in entry, f"{author}: no link to its free copy {free}"
    # next to the DOI: in the same line of links, after it
    assert entry.index("](https://doi.org/") < entry.index(f"]({free})")


# --- what the entries say about the tutorials holds ---


def _entry(author):
    (entry,) = [e for e in _entries() if e[2:].startswith(author)]
    return " ".join(entry.split())


def _page_text(n):
    return (DAY / f"W1D5_Tutorial{n}.md").read_text(encoding="utf-8")


def _sections_using_momentum(n):
    """The sections ("Section 1.2", "Bonus Section 2") of Tutorial n that train with momentum
    or write its update: where it appears with a value or as an argument, not merely named."""
    found = []
    section = None
    for line in _page_text(n).splitlines():
        heading = re.match(r"#{2,4} ((?:Bonus )?Section [\d.]+)", line)
        if heading:
            section = heading.group(1)
        if re.search(r"momentum(?:=\S|\W{0,4}0\.\d)", line) and section not in found:
            found.append(section)
    return found


def test_goh_entry_says_where_the_tutorials_use_momentum():
    entry = _entry("Goh")
    where = {n: _sections_using_momentum(n) for n in (1, 2, 3, 4)}
    # Tutorial 1's gradient descent has no momentum (it names momentum as a trick it does not
    # need); Tutorials 3 and 4 train with it
    assert not where[1] and not where[2] and where[3] and where[4]
    for n, sections in where.items():
        assert (f"Tutorial {n}" in entry) == bool(sections), n
        for section in sections:
            assert section in entry, (n, section)


def test_stringer_entry_does_not_claim_every_tutorial():
    entry = _entry("Stringer")
    assert "every tutorial" not in entry.lower()
    assert "Tutorials 1, 3 and 4" in entry and "Tutorial 2" in entry


def test_taskonomy_is_listed():
    entry = _entry("Zamir")
    assert "Taskonomy" in entry and "](https://arxiv.org/abs/1804.08328)" in entry
    assert "(2018)" in entry


# --- every work cited on a page has a link there and an entry in the reading list ---

BOOK = DAY.parent
READING_LIST = DAY / "further_reading.md"
PAGES = sorted(p for p in BOOK.rglob("*.md") if p != READING_LIST and not p.name.startswith("."))

_UPPER = "A-ZÀ-ÖØ-Þ"
_NAME = rf"(?:(?:van|de|von|der|den) )?[{_UPPER}][\w'’-]+"
# "Stringer et al. (2021)", "Yamins and DiCarlo (2016", "Kriegeskorte, Mur and Bandettini, 2008",
# "Felleman and Van Essen 1991", "Chambers et al., 2020", "Lapicque (1907)", "Zamir and
# colleagues ([2018](...))"
_MORE = rf"(?:, {_NAME}(?: {_NAME})?)*,? (?:and|&) {_NAME}(?: {_NAME})?"  # ", B and C D"
CITATION = re.compile(
    rf"(?P<first>{_NAME})"
    rf"(?P<rest> et al\.| and colleagues|{_MORE})?"
    r"(?:['’]s)?,? \(?\[?(?P<year>(?:18|19|20)\d\d)\b"
)
# capitalised words before a year that are not authors
NOT_AUTHORS = {"Press", "Academy", "NeurIPS", "ICLR", "ICML", "CVPR", "Summer", "Version"}


def _prose_of(page):
    """A page's Markdown without its code cells (citations are made in prose)."""
    text = page.read_text(encoding="utf-8")
    return re.sub(r"```\{code-cell\}.*?\n```", "", text, flags=re.DOTALL)


def citations(text):
    """(first author's surname, year, start, end) of each author-year citation in ``text``."""
    found = []
    for m in CITATION.finditer(text):
        first = m.group("first").split()[-1]
        if first in NOT_AUTHORS:
            continue
        found.append((first, m.group("year"), m.start(), m.end()))
    return found


def _listed(first, year):
    """Whether the reading list has an entry whose first author is ``first``, of ``year``."""
    for entry in _entries():
        head = entry[2:].split("(", 1)[0]
        authors = head.split(",")[0].split()
        if first in authors and f"({year})" in entry:
            return True
    return False


@pytest.mark.parametrize(
    "text, expected",
    [
        ("as Stringer et al. (2021) discuss", [("Stringer", "2021")]),
        ("(Felleman and Van Essen 1991, *Cerebral Cortex* 1)", [("Felleman", "1991")]),
        ("reviewed by Yamins and DiCarlo (2016, *Nature Neuroscience* 19)", [("Yamins", "2016")]),
        ("(Kriegeskorte, Mur and Bandettini, 2008)", [("Kriegeskorte", "2008")]),
        ("(Chambers et al., 2020, listed under", [("Chambers", "2020")]),
        ("Louis Édouard Lapicque (1907), long", [("Lapicque", "1907")]),
        (
            "from Stringer, Michaelos, Tsyboulski, Lindo and Pachitariu (2021),",
            [("Stringer", "2021")],
        ),
        ("(Dumoulin & Visin 2016)", [("Dumoulin", "2016")]),
        ("Zamir and colleagues ([2018](https://arxiv.org/abs/1804.08328))", [("Zamir", "2018")]),
        ("Wang, Tarr and Wehbe ([2019](https://neurips.cc/))", [("Wang", "2019")]),
        ("goes back to Louis Édouard [Lapicque (1907)](https://doi.org/)", [("Lapicque", "1907")]),
        ("Peter Dayan and Laurence F. Abbott's book (MIT Press, 2001)", []),
        ("seed 2021 and 100 epochs; Cell 184", []),
    ],
)
def test_citations_are_found(text, expected):
    assert [(first, year) for first, year, _, _ in citations(" ".join(text.split()))] == expected


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(BOOK).as_posix())
def test_every_cited_work_is_in_the_reading_list(page):
    text = " ".join(_prose_of(page).split())
    missing = sorted({(a, y) for a, y, _, _ in citations(text) if not _listed(a, y)})
    assert not missing, f"{page.name} cites works missing from further_reading.md: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(BOOK).as_posix())
def test_every_citation_has_a_link_where_it_is_made(page):
    """The citation, or the words right after it, link to the work (or to the reading list)."""
    text = " ".join(_prose_of(page).split())
    unlinked = []
    for first, year, start, end in citations(text):
        near = text[max(0, start - 2) : end + 120]
        if not re.search(r"\]\((?:https?://|[\w./-]*further_reading\.md)", near):
            unlinked.append(f"{first} {year}: {text[start : end + 40]!r}")
    assert not unlinked, f"{page.name} cites without a link:\n" + "\n".join(unlinked)
