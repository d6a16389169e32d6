"""nma_dl.i18n: the language switch, and a Japanese text for every message the package prints."""

import ast
import pathlib
import re

import pytest

import nma_dl
from nma_dl import i18n
from nma_dl.i18n import fields, tr

PACKAGE = pathlib.Path(nma_dl.__file__).parent
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _english_after(monkeypatch):
    monkeypatch.delenv("NMA_DL_LANG", raising=False)
    yield
    i18n._chosen = None


def _messages():
    """Every ``tr("literal", ...)`` of the package: ``(message, "file:line")``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "tr"
                and node.args
            ):
                first = node.args[0]
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{where}: tr() takes a literal English message, so that its Japanese text "
                    "can be looked up and tested"
                )
                found.append((first.value, where))
    return found


MESSAGES = _messages()


def test_the_package_passes_its_messages_through_tr():
    assert len(MESSAGES) >= 1


def test_every_message_has_its_japanese_text():
    catalog = i18n.catalog()
    missing = [f"{where}: {message!r}" for message, where in MESSAGES if message not in catalog]
    assert not missing, "messages without Japanese text:\n" + "\n".join(missing)


def test_every_translation_has_the_fields_of_its_message_and_is_japanese():
    wrong = []
    for english, japanese in i18n.catalog().items():
        if fields(english) != fields(japanese):
            wrong.append(f"{english!r}: fields {fields(english)} vs {fields(japanese)}")
        if not JAPANESE.search(japanese) and JAPANESE.search(english) is None:
            if re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", re.sub(r"`[^`]*`|\{[^}]*\}", "", english)):
                wrong.append(f"{english!r}: its 'translation' has no Japanese: {japanese!r}")
    assert not wrong, "\n".join(wrong)


def test_no_catalog_entry_is_left_without_its_message():
    used = {message for message, _ in MESSAGES}
    stale = sorted(set(i18n.catalog()) - used)
    assert not stale, "catalog entries no code uses (remove them):\n" + "\n".join(stale)


def test_english_is_the_default_and_the_message_itself():
    assert nma_dl.get_language() == "en"
    assert tr("{n} neurons", n=3) == "3 neurons"


def test_japanese_is_chosen_by_set_language_and_by_the_environment(monkeypatch):
    monkeypatch.setitem(i18n.catalog(), "{n} neurons", "{n} 個のニューロン")
    nma_dl.set_language("ja")
    assert tr("{n} neurons", n=3) == "3 個のニューロン"
    nma_dl.set_language("en")
    assert tr("{n} neurons", n=3) == "3 neurons"
    i18n._chosen = None
    monkeypatch.setenv("NMA_DL_LANG", "ja")
    assert nma_dl.get_language() == "ja"
    assert tr("{n} neurons", n=3) == "3 個のニューロン"
    nma_dl.set_language("en")  # the call wins over the environment
    assert tr("{n} neurons", n=3) == "3 neurons"


def test_a_message_without_japanese_text_falls_back_to_english():
    nma_dl.set_language("ja")
    assert tr("no such message {x}", x=1) == "no such message 1"


@pytest.mark.bad_input
@pytest.mark.parametrize("value", ["fr", "", "japanese"])
def test_set_language_refuses_other_languages(value):
    with pytest.raises(ValueError, match=r"language must be one of 'en', 'ja', got"):
        nma_dl.set_language(value)


@pytest.mark.bad_input
@pytest.mark.parametrize("value", [None, 1, b"ja"])
def test_set_language_refuses_what_is_not_a_str(value):
    with pytest.raises(TypeError, match=r"language must be a str, 'en' or 'ja', got"):
        nma_dl.set_language(value)


@pytest.mark.bad_input
def test_a_wrong_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("NMA_DL_LANG", "de")
    with pytest.raises(ValueError, match=r"NMA_DL_LANG .*got 'de'"):
        nma_dl.get_language()


def test_the_setting_is_case_and_space_tolerant():
    nma_dl.set_language(" JA ")
    assert nma_dl.get_language() == "ja"
