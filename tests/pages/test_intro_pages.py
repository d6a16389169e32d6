"""The home page and the W1D5 introduction say truly what the book holds.

The navigation (``_toc.yml``) is the list of pages; the home page must name and link every
tutorial in it and promise what each W1D5 tutorial teaches. Which tutorials use the recordings
is read from their code cells (calls of ``load_data`` and ``load_data_split``), and both pages
must say the same. Pages speak to students, so none of them mentions the machines the course is
built on.
"""

import ast
import re
from pathlib import Path

import _pages  # tests/: the one reader and runner of the book's pages
import pytest
import yaml

from nma_dl.data.files import ORIBINNED1, ORIBINNED6_SPLIT

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
HOME = BOOK / "intro.md"
DAY = BOOK / "W1D5_DeepLearning"
DAY_INTRO = DAY / "chapter_intro.md"


def _prose(path):
    """A page's text as one line of words, so a sentence matches across line breaks."""
    return " ".join(path.read_text(encoding="utf-8").split())


def _toc_tutorials():
    """(caption of the day, file relative to book/, title) of every tutorial in _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = []
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            if "title" in chapter and Path(chapter["file"]).name.startswith("W"):
                relative = Path(chapter["file"]).relative_to("book").as_posix() + ".md"
                found.append((part["caption"], relative, chapter["title"]))
    return found


def _tutorial_number(relative):
    return int(re.search(r"_Tutorial(\d+)$", Path(relative).stem).group(1))


def _called(path):
    """Names of the functions the code cells of a tutorial call (IPython magics skipped)."""
    names = set()
    for cell in _pages.cells(path):
        if cell.cell_type != "code" or "nma-header" in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        names |= {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
    return names


def _numbers(listed):
    """{1, 3, 4} for "1, 3 and 4"."""
    return {int(n) for n in re.findall(r"\d+", listed)}


def test_toc_lists_the_four_w1d5_tutorials():
    w1d5 = [t for t in _toc_tutorials() if t[0].startswith("W1D5")]
    assert [_tutorial_number(f) for _, f, _ in w1d5] == [1, 2, 3, 4]


@pytest.mark.parametrize("caption, relative, title", _toc_tutorials())
def test_home_page_links_every_tutorial_of_the_navigation(caption, relative, title):
    assert f"[{title}]({relative})" in _prose(HOME)


def test_home_page_does_not_say_a_tutorial_is_missing():
    assert "not yet part" not in _prose(HOME).lower()
    assert "not yet" not in _prose(DAY_INTRO).lower()


def test_what_you_will_learn_covers_every_w1d5_tutorial():
    text = HOME.read_text(encoding="utf-8")
    section = text.split("## What you will learn", 1)[1].split("\n## ", 1)[0]
    w1d5 = " ".join(section.split("In **W1D5**:", 1)[1].split()).lower()
    for topic in [
        "decoder",  # Tutorial 1
        "gradient descent",
        "convolution",  # Tutorial 2
        "gabor",
        "pooling",
        "encoding model",  # Tutorial 3
        "representational similarity analysis",
        "bonus",  # Tutorial 4
        "classification loss",
        "l1",
    ]:
        assert topic in w1d5, topic


@pytest.mark.parametrize(
    "page, claim",
    [
        (HOME, r"Tutorials ([\d, ]+ and \d+) of W1D5 use recordings"),
        (DAY_INTRO, r"Tutorials ([\d, ]+ and \d+) use recordings"),
    ],
    ids=["intro.md", "chapter_intro.md"],
)
def test_pages_name_the_tutorials_that_load_the_recordings(page, claim):
    tutorials = {
        _tutorial_number(f): _called(BOOK / f)
        for caption, f, _ in _toc_tutorials()
        if caption.startswith("W1D5")
    }
    loading = {n for n, calls in tutorials.items() if calls & {"load_data", "load_data_split"}}
    assert loading == {1, 3, 4}  # what the sentences are written for
    text = _prose(page)
    assert "every tutorial of the day uses" not in text.lower()
    match = re.search(claim, text)
    assert match, f"{page.name} does not say which tutorials use the recordings"
    assert _numbers(match.group(1)) == loading
    for n in set(tutorials) - loading:
        assert f"Tutorial {n} needs no recordings" in text or (
            f"Tutorial {n} uses no recordings" in text
        )


def test_day_intro_names_the_files_each_tutorial_loads():
    tutorials = {
        _tutorial_number(f): _called(BOOK / f)
        for caption, f, _ in _toc_tutorials()
        if caption.startswith("W1D5")
    }
    split = {n for n, calls in tutorials.items() if "load_data_split" in calls}
    assert split == {4}
    intro = _prose(DAY_INTRO)
    assert f"All three load `{ORIBINNED1}`" in intro
    for n in split:
        assert f"Tutorial {n} also loads `{ORIBINNED6_SPLIT}`" in intro


@pytest.mark.parametrize(
    "page", [HOME, DAY_INTRO, DAY / "W1D5_Tutorial1.md"], ids=lambda p: p.name
)
def test_pages_do_not_talk_about_our_machines(page):
    text = _prose(page).lower()
    for phrase in [
        "test runner",
        "2-core",
        "two-core",
        "other jobs",
        "sandbox",
        "our machine",
        " ci ",
        "continuous integration",
        "in well under a minute",
    ]:
        assert phrase not in text, phrase


# --- the W1D5 introduction: its lecturer, its open question, its time budget ---


def test_day_intro_names_the_lecturer_of_its_video():
    intro = _prose(DAY_INTRO)
    section = intro[intro.index("## Intro video") :]
    # the original day's introduction names Aude Oliva as the lecturer of this video
    assert "IZvcy0Myb3M" in section and "Aude Oliva" in section


def test_day_intro_raises_the_taskonomy_question_with_links():
    intro = _prose(DAY_INTRO)
    assert "taskonomy" in intro.lower()
    assert "](https://arxiv.org/abs/1804.08328)" in intro  # Zamir et al. (2018), Taskonomy
    assert "](further_reading.md)" in intro


def _main_activities(n):
    """Coding exercises, Think!s, interactive demos and videos of Tutorial n before its bonus."""
    text = (DAY / f"W1D5_Tutorial{n}.md").read_text(encoding="utf-8").split("\n## Bonus")[0]
    headings = re.findall(r"^#+ .*$", text, flags=re.MULTILINE)
    tasks = [h for h in headings if re.search(r"Coding Exercise|Think!|Interactive demo", h)]
    return len(tasks) + text.count("display_videos([")


def test_day_intro_time_budget_is_the_books_own_and_covers_each_tutorial():
    intro = _prose(DAY_INTRO)
    section = intro[intro.index("## Time") : intro.index("## Intro video")]
    assert "original" not in section.lower()
    budget = {
        int(n): int(minutes)
        for minutes, n in re.findall(r"(\d+)(?: minutes)? for Tutorial (\d)", section)
    }
    assert set(budget) == {1, 2, 3}, section
    for n, minutes in budget.items():
        # at least ten minutes for each exercise, Think!, demo and video of the main sections
        assert minutes >= 10 * _main_activities(n), (n, minutes, _main_activities(n))
    assert budget[2] > 40  # Tutorial 2 gained three coding exercises beyond a 40-minute plan


W1D3_INTRO = BOOK / "W1D3_MultiLayerPerceptrons" / "chapter_intro.md"
W1D3_PAGE = BOOK / "W1D3_MultiLayerPerceptrons" / "W1D3_Tutorial1.md"


def test_w1d3_intro_time_budget_is_that_of_the_tutorials_sections():
    intro = _prose(W1D3_INTRO)
    assert "original" not in intro.lower()
    estimates = re.findall(r"\*Estimated time: about ([^*]+)\.\*", _prose(W1D3_PAGE))
    assert estimates == ["35 minutes", "1 hour 20 minutes"]
    assert "Section 1 takes about 35 minutes and Section 2 about 80" in intro


def test_home_page_credits_each_day_to_its_neuromatch_course():
    home = _prose(HOME)
    credits = home[home.index("## Credits") :]
    # W1D3 comes from Neuromatch Academy's Deep Learning course, W1D5 from its Computational
    # Neuroscience course
    assert "](https://deeplearning.neuromatch.io/)" in credits
    assert "](https://compneuro.neuromatch.io/)" in credits
    assert "Deep Learning days of" not in home
