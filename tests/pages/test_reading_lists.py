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
