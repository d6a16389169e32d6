"""The self-checks in Japanese: after ``set_language("ja")`` every line a student reads is.

Each check is run on the answers of test_checks (right, unimplemented, wrong in many ways) and
on the choices of a loss, first in English and then in Japanese. The Japanese line must hold
Japanese, start like the English one (mark and exercise), keep its numbers, shapes and code
names, and hold no English sentence outside code and quotes (a student's own exception message
aside). ``set_language("en")`` gives the English line back, byte for byte. ``summary()``, the
notice of a long case and the line of a stopped one speak Japanese too.
"""

from __future__ import annotations

import io
import re

import pytest
import torch
import torch.nn.functional as F
from test_checks import CHECKS, WRONG
from torch import nn

import nma_dl
from nma_dl import i18n
from nma_dl._locale.checks import MESSAGES
from nma_dl.checks import _core, _sandbox, _summary, check_loss_choice, summary
from nma_dl.checks._tutorials import TUTORIALS

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
# A run of four English words: a sentence left untranslated.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]+(?: [A-Za-z]+){3,}\b")
# What the Japanese must keep of the English: numbers, and names with a dot or an underscore.
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
CODE_NAME = re.compile(r"\b[A-Za-z_]\w*(?:\.\w+)+|\b\w*_\w*\b")
# The exception a student's code raised is quoted as it is, in whatever language it speaks.
QUOTED_ERROR = re.compile(r"\b[A-Z]\w*(?:Error|Exception): .*?(?= が発生しました)")

# The English pieces of the checks' messages, between their {fields}: none may be left in a
# Japanese line (a fragment such as "the output" is too short to be an English run).
PIECES = sorted(
    {
        piece.strip(" ,;:")
        for message in MESSAGES
        for piece in re.split(r"\{[^}]*\}", message)
        if sum(bool(re.search("[A-Za-z]", word)) for word in piece.split()) >= 2
    }
)


@pytest.fixture(autouse=True)
def _english_after(monkeypatch):
    monkeypatch.delenv("NMA_DL_LANG", raising=False)
    yield
    i18n._chosen = None


def _english_runs(text):
    """Return the runs of 4+ English words of ``text`` outside `code`, quotes and errors."""
    text = QUOTED_ERROR.sub(" ", text)
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", " ", text)
    return ENGLISH_RUN.findall(text)


def _both(run_check, check, answer):
    """Return the line of ``check(answer)`` in English, then in Japanese."""
    nma_dl.set_language("en")
    _, english = run_check(check, answer)
    nma_dl.set_language("ja")
    result, japanese = run_check(check, answer)
    return result, english, japanese


def _assert_no_english(japanese):
    """No English sentence, message piece or ordinal ("1st") is left in ``japanese``."""
    assert not _english_runs(japanese), (_english_runs(japanese), japanese)
    text = QUOTED_ERROR.sub(" ", japanese)
    left = [piece for piece in PIECES if piece in text]
    assert not left, (left, japanese)
    assert not re.search(r"(?<!\w)\d+(?:st|nd|rd|th)(?![A-Za-z])", text), japanese
    assert not re.search(r"[,;] ?[\u3040-\u30ff\u4e00-\u9fff]", text), japanese  # English commas


def _assert_japanese(english, japanese):
    """The Japanese line says what the English says, in Japanese."""
    assert JAPANESE.search(japanese), japanese
    head = english.split(": ", 1)[0]  # "✗ train": the mark and the exercise
    assert japanese.startswith(f"{head}: "), (english, japanese)
    _assert_no_english(japanese)
    for token in NUMBER.findall(english) + CODE_NAME.findall(english):
        assert token in japanese, (token, english, japanese)


# --------------------------------------------------------------------------- every verdict


@pytest.mark.parametrize("name", CHECKS)
def test_a_right_answer_passes_in_japanese(run_check, name):
    result, english, japanese = _both(run_check, CHECKS[name], getattr(nma_dl, name))
    assert result and english.endswith("cases match the reference.")
    _assert_japanese(english, japanese)
    count = re.search(r"\d+/\d+", english).group()
    assert japanese == f"✓ {name}: {count} ケースが参照実装と一致しました。"


def _stub(*args, **kwargs):
    raise NotImplementedError("Student exercise: fill in the function")


@pytest.mark.parametrize("name", CHECKS)
def test_an_unimplemented_answer_is_told_so_in_japanese(run_check, name):
    result, english, japanese = _both(run_check, CHECKS[name], _stub)
    assert not result and english.startswith(f"○ {name}: not implemented yet")
    _assert_japanese(english, japanese)
    assert japanese.startswith(f"○ {name}: まだ実装されていません: ")
    assert "`raise NotImplementedError`" in japanese


@pytest.mark.parametrize("variant", WRONG)
def test_a_wrong_answer_gets_its_hint_in_japanese(run_check, variant):
    check, answer, _ = WRONG[variant]
    result, english, japanese = _both(run_check, check, answer)
    assert not result and english.startswith("✗ ")
    _assert_japanese(english, japanese)
    if "case 1 of" in english:
        assert re.search(r"ケース 1/\d+（", japanese), japanese
    assert japanese.endswith(("。", "？", "）")), japanese


class NLLLossDoubled(nn.NLLLoss):
    def forward(self, input, target):
        return 2 * super().forward(input, target)


LOSSES = {
    "reduction none": nn.NLLLoss(reduction="none"),
    "reduction sum": nn.NLLLoss(reduction="sum"),
    "class weights": nn.NLLLoss(weight=torch.ones(20)),
    "cross-entropy": nn.CrossEntropyLoss(),
    "mse": nn.MSELoss(),
    "log-softmax layer": nn.LogSoftmax(dim=1),
    "another loss": nn.L1Loss(),
    "a module": nn.ReLU(),
    "the class": nn.NLLLoss,
    "another class": nn.CrossEntropyLoss,
    "a module class": nn.Linear,
    "nll_loss": F.nll_loss,
    "cross_entropy": F.cross_entropy,
    "a function": lambda output, target: output.sum(),
    "None": None,
    "a subclass giving another value": NLLLossDoubled(),
}


@pytest.mark.parametrize("variant", LOSSES)
def test_a_wrong_loss_is_told_why_in_japanese(run_check, variant):
    result, english, japanese = _both(run_check, check_loss_choice, LOSSES[variant])
    assert not result
    _assert_japanese(english, japanese)


def _unfinished(*args, **kwargs):
    return ...


@pytest.mark.parametrize("check", [CHECKS["RDM"], CHECKS["train"], check_loss_choice])
def test_a_placeholder_left_in_the_answer_is_named_in_japanese(run_check, check):
    answer = ... if check is check_loss_choice else _unfinished
    result, english, japanese = _both(run_check, check, answer)
    assert not result and "not finished yet" in english
    _assert_japanese(english, japanese)
    assert "まだ完成していません" in japanese and "`...`" in japanese


def test_english_comes_back_byte_for_byte(run_check):
    check, answer, _ = WRONG["DeepNetReLU with ReLU on the output"]
    _, before = run_check(check, answer)
    nma_dl.set_language("ja")
    _, japanese = run_check(check, answer)
    nma_dl.set_language("en")
    _, after = run_check(check, answer)
    assert after == before != japanese
    assert after.startswith("✗ DeepNetReLU: case 1 of 3 (DeepNetReLU(5, 4), an input of shape")


def test_the_environment_variable_chooses_japanese_too(run_check, monkeypatch):
    monkeypatch.setenv("NMA_DL_LANG", "ja")
    _, line = run_check(CHECKS["RDM"], nma_dl.RDM)
    assert line == "✓ RDM: 3/3 ケースが参照実装と一致しました。"


# --------------------------------------------------------------------------- notices, summary()


def test_a_long_case_and_a_stopped_one_are_told_in_japanese():
    nma_dl.set_language("ja")
    watchdog = _sandbox._Watchdog("train", 120.0, io.StringIO(), where="ケース 1/3（…）")
    try:
        for can_stop in (True, False):
            watchdog.can_stop = can_stop
            notice = watchdog._still_running(12.3)
            assert notice.startswith(
                "… train: コードがまだ実行中です（ケース 1/3（…）、経過 12 秒）"
            )
            _assert_no_english(notice)
    finally:
        watchdog.close()
    stopped = _core._stopped("train", "ケース 1/3（…）", 120.0)
    assert stopped.startswith("✗ train: ケース 1/3（…）: 120 秒")
    assert "os.environ['NMA_DL_CHECK_TIMEOUT'] = '480'" in stopped
    _assert_no_english(stopped)
    output = _sandbox._BoundedText(limit=5)
    output.listening = 1
    output.write("hello, world")
    assert output.report() == (
        "あなたのコードが出力した内容:\nhello\n...（ほかに 7 文字ありますが、表示していません）"
    )


@pytest.fixture
def kernel(monkeypatch):
    """A fresh kernel for summary(): no check has run yet."""
    monkeypatch.setattr(_summary, "_LATEST", {})


def _summary_of(capsys, *args):
    capsys.readouterr()
    summary(*args)
    return capsys.readouterr().out


def _width(text):
    return sum(2 if JAPANESE.match(char) or char in "（）、。" else 1 for char in text)


def test_summary_speaks_japanese(kernel, run_check, capsys):
    nma_dl.set_language("ja")
    out = _summary_of(capsys)
    assert out.startswith("このカーネルではまだセルフチェックを 1 つも実行していないため")
    assert "# チュートリアル 3: 規範的なエンコーディングモデルの構築と評価" in out
    run_check(CHECKS["DeepNetReLU"], WRONG["DeepNetReLU with ReLU on the output"][1])
    run_check(CHECKS["train"], _stub)
    lines = _summary_of(capsys, "W1D5_Tutorial1").splitlines()
    assert lines[0] == (
        "チュートリアル 1: 神経応答のデコーディング（W1D5_Tutorial1）: "
        "2 個の演習のうち 0 個が合格です。"
    )
    failed = lines[1].split("DeepNetReLU", 1)[1].strip()
    assert failed.startswith("出力が参照実装から") and failed.endswith("…")  # no "ケース 1/3"
    assert _width(failed) <= 57, failed
    assert lines[2].split("train", 1)[1].strip() == "まだ実装されていません"
    assert lines[3].startswith(
        "次: `DeepNetReLU`（✗）— 上にあるチェックの行（ヒント）を読み直して"
    )
    for line in lines:
        _assert_no_english(line)
    lines = _summary_of(capsys, "W1D5_Tutorial2").splitlines()
    assert lines[1].split("conv2d", 1)[1].strip() == "まだチェックしていません"
    assert lines[-1] == (
        "次: `conv2d`（○）— 演習に取り組み、そのセルとチェック `check_conv2d(conv2d)` を"
        "実行してください。"
    )
    for line in lines:
        _assert_no_english(line)
    run_check(CHECKS["RDM"], nma_dl.RDM)
    out = _summary_of(capsys)
    assert out.startswith("このカーネルでは複数のチュートリアルのチェックを実行しています。")
    assert '  nma_dl.checks.summary("W1D5_Tutorial3")  # チェック済み: RDM' in out


def test_summary_of_a_finished_tutorial_in_japanese(kernel, run_check, capsys):
    nma_dl.set_language("ja")
    for name in ("RDM", "correlate_rdms"):
        run_check(CHECKS[name], getattr(nma_dl, name))
    out = _summary_of(capsys)
    assert out.splitlines()[-1] == "2 個の演習すべてが合格です。"


def test_the_japanese_titles_stand_for_the_english_ones():
    for tutorial in TUTORIALS.values():
        assert _summary._title(tutorial) == tutorial.title  # English: the title itself
    nma_dl.set_language("ja")
    for tutorial in TUTORIALS.values():
        title = _summary._title(tutorial)
        assert JAPANESE.search(title) and title.split(":")[0][-1] == tutorial.title[9]
