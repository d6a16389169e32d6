"""Japanese messages outside the checks: data, widgets, videos, device, progress bars.

With ``set_language("ja")`` each kind of message a student reads is produced for real and must
hold Japanese while keeping its names and numbers; ``set_language("en")`` gives the English back.
"""

import contextlib
import io
import re
import urllib.error
import warnings

import ipywidgets
import pytest
import torch
from tqdm.notebook import tqdm_notebook

import nma_dl
import nma_dl.training
from nma_dl import DeepNetSoftmax, i18n, regularized_loss
from nma_dl import device as device_module
from nma_dl.data import DataUnavailableError, fetch, files, surrogate
from nma_dl.data.files import ORIBINNED1, CacheError
from nma_dl.training import decode_orientation, train_test_classification
from nma_dl.videos import display_videos
from nma_dl.widgets import lif_fi_widget, tuning_widget

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _japanese(monkeypatch):
    """Run each test in Japanese (whatever $NMA_DL_LANG says); English again afterwards."""
    monkeypatch.delenv("NMA_DL_LANG", raising=False)
    nma_dl.set_language("ja")
    yield
    i18n._chosen = None


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder and a tiny surrogate (fast to generate)."""
    real_generate = surrogate.generate

    def tiny_generate(seed=surrogate.SEED, **kwargs):
        return real_generate(seed, n_neurons=5, n_trials=400)

    monkeypatch.setenv("NMA_DL_DATA_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(surrogate, "generate", tiny_generate)
    monkeypatch.setattr(files, "_WARNED", set())
    return tmp_path / "cache"


def _offline(monkeypatch):
    """Make every download fail as without a connection (no socket is opened)."""

    def refuse(url, timeout):
        raise urllib.error.URLError("no network in the tests")

    monkeypatch.setattr(files, "_open_url", refuse)


# --------------------------------------------------------------------------- data


def test_the_surrogate_note_is_japanese_and_keeps_its_names(cache, capsys):
    fetch(ORIBINNED1, source="synthetic")
    note = capsys.readouterr().out
    assert JAPANESE.search(note) and "シミュレーション" in note
    assert note.startswith("NOTE: ") and "SURROGATE" in note
    assert ORIBINNED1 in note and "Stringer et al. 2021" in note
    nma_dl.set_language("en")
    fetch(ORIBINNED1, source="synthetic")
    english = capsys.readouterr().out
    assert english.startswith("NOTE: using the offline SURROGATE of the Stringer et al. 2021")
    assert not JAPANESE.search(english)


def test_the_seed_of_a_redrawn_surrogate_is_said_in_japanese(cache, monkeypatch, capsys):
    monkeypatch.setenv("NMA_DL_SURROGATE_SEED", "7")
    fetch(ORIBINNED1, source="synthetic")
    assert "シード 7 で生成" in capsys.readouterr().out


def test_a_failed_download_is_announced_and_warned_in_japanese(cache, monkeypatch, capsys):
    _offline(monkeypatch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fetch(ORIBINNED1, source="auto")
    printed = capsys.readouterr().out
    announcement = printed.splitlines()[0]
    assert announcement.startswith(f"{ORIBINNED1} を https://osf.io/download/683xc/ から")
    assert "最大 300 秒" in announcement and "代替データを使います" in announcement
    [warning] = [w for w in caught if issubclass(w.category, UserWarning)]
    text = str(warning.message)
    assert JAPANESE.search(text) and "取得できませんでした" in text
    assert ORIBINNED1 in text and "URLError" in text and "NMA_DL_DATA_SOURCE=osf" in text
    assert "NOTE: " in printed  # and the surrogate is used, saying so


def test_data_unavailable_error_is_japanese_with_name_address_and_cause(cache, monkeypatch):
    _offline(monkeypatch)
    with pytest.raises(DataUnavailableError) as raised:
        fetch(ORIBINNED1, source="osf")
    text = str(raised.value)
    assert "ダウンロードできませんでした" in text and "対処法" in text
    assert repr(ORIBINNED1) in text and "https://osf.io/download/683xc/" in text
    assert "原因: URLError" in text and "NMA_DL_DATA_SOURCE=synthetic" in text
    nma_dl.set_language("en")
    with pytest.raises(DataUnavailableError, match=r"^Could not download the data file"):
        fetch(ORIBINNED1, source="osf")


def test_a_folder_in_place_of_a_cache_file_is_named_in_japanese(cache):
    in_the_way = cache / "synthetic" / ORIBINNED1
    in_the_way.mkdir(parents=True)
    with pytest.raises(CacheError) as raised:
        fetch(ORIBINNED1, source="synthetic")
    text = str(raised.value)
    assert "ディレクトリ" in text and "対処法" in text and "使えません" in text
    assert repr(str(in_the_way)) in text and "shutil.rmtree" in text


class _Endless:
    """A server's answer that never ends: chunks of bytes, forever."""

    headers = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read1(self, size):
        return b"x" * 10


def test_the_deadline_is_told_apart_from_a_silent_connection_in_japanese(monkeypatch):
    monkeypatch.setattr(files, "_open_url", lambda url, timeout: _Endless())
    entry = files.FILES[ORIBINNED1]
    with pytest.raises(TimeoutError) as raised, contextlib.redirect_stderr(io.StringIO()):
        files._stream(entry, "https://example.invalid/", io.BytesIO(), 5.0, 1e-9)
    text = str(raised.value)
    assert "ダウンロードに 1e-09 秒より長くかかりました" in text
    assert "NMA_DL_DOWNLOAD_DEADLINE" in text and "受信できませんでした" not in text


# --------------------------------------------------------------------------- widgets, videos


def test_a_widgets_static_fallback_is_japanese_with_its_numbers():
    html = lif_fi_widget(Rm=2.0, tau_ref=5.0).html
    assert "Rm = 2 kOhm、tau_ref = 5 ms のときの静的な図です" in html
    assert "Colab、Kaggle または Jupyter" in html
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert "LIF ニューロン" in alt and "毎秒 200 スパイク" in alt
    nma_dl.set_language("en")
    html = lif_fi_widget(Rm=2.0, tau_ref=5.0).html
    assert "Static figure for Rm = 2 kOhm and tau_ref = 5 ms." in html
    assert not JAPANESE.search(html)


def test_the_tuning_widgets_button_and_caption_are_japanese():
    gen = torch.Generator().manual_seed(0)
    resp = {"V1": torch.randn(12, 4, generator=gen)}
    widget = tuning_widget(resp, torch.linspace(0, 330, 12), n_units=2, seed=3)
    assert widget.widget.children[0].description == "別のランダムな組を描く"
    assert "チューニング曲線" in widget.html and "(シード 3): V1" in widget.html


def test_the_video_tabs_and_links_are_japanese_with_the_hosts_names(capsys):
    videos = display_videos([("Youtube", "JAdukDCQALA"), ("Bilibili", "BV1m5411h7V5")])
    capsys.readouterr()
    assert "動画 JAdukDCQALA を YouTube で見る (新しいタブで開きます)" in videos.html
    assert "動画 BV1m5411h7V5 を Bilibili で見る" in videos.html
    assert 'title="YouTube の動画 JAdukDCQALA"' in videos.html
    tab = videos.widget.children[0]
    assert isinstance(tab, ipywidgets.Tab)
    assert [tab.get_title(i) for i in range(2)] == ["Youtube", "Bilibili"]  # names unchanged
    first = tab.children[0].outputs[0]["text"]
    assert first == "動画はこちらで見られます: https://youtube.com/watch?v=JAdukDCQALA\n"
    nma_dl.set_language("en")
    videos = display_videos([("Youtube", "JAdukDCQALA")])
    capsys.readouterr()
    assert "Watch video JAdukDCQALA on YouTube (opens in a new tab)" in videos.html
    assert not JAPANESE.search(videos.html)


# --------------------------------------------------------------------------- device, progress


@pytest.mark.parametrize(
    "cuda, mps, expected",
    [
        (False, False, "GPU が見つかりません: CPU で実行します。"),
        (True, False, "このノートブックでは GPU (CUDA) が有効です。"),
        (False, True, "このノートブックでは Apple GPU (MPS) が有効です。"),
    ],
    ids=["cpu", "cuda", "mps"],
)
def test_set_device_says_its_line_in_japanese(monkeypatch, capsys, cuda, mps, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(device_module, "_mps_available", lambda: mps)
    nma_dl.set_device()
    assert capsys.readouterr().out.startswith(expected)


def test_set_device_and_set_seed_speak_english_again(monkeypatch, capsys):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(device_module, "_mps_available", lambda: False)
    nma_dl.set_seed(4)
    assert capsys.readouterr().out == "乱数シード 4 を設定しました。\n"
    nma_dl.set_language("en")
    nma_dl.set_device()
    nma_dl.set_seed(4)
    printed = capsys.readouterr().out
    assert printed.startswith("No GPU found: running on the CPU.")
    assert printed.endswith("Random seed 4 has been set.\n")


def test_the_epochs_bar_and_the_accuracies_are_japanese(monkeypatch, capsys):
    made, shown = [], []

    class Recording(tqdm_notebook):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(nma_dl.training, "tqdm", Recording)
    monkeypatch.setattr(nma_dl.training, "display", shown.append)
    data = torch.utils.data.TensorDataset(torch.randn(8, 3), torch.arange(8) % 2)
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    net = torch.nn.Linear(3, 2)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    train_test_classification(net, torch.nn.CrossEntropyLoss(), optimizer, loader, loader, 3)
    [bar] = made
    assert bar.desc == "エポック"
    line = "3 エポックの学習を行いました (ノートブックでは進捗バーがその場で表示されます)。"
    assert shown[0].html == f"<p>{line}</p>"
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("訓練サンプル 8 個での正解率: ")
    assert printed[1].startswith("テストサンプル 8 個での正解率: ")


def test_decode_orientations_bar_and_result_are_japanese(capsys):
    gen = torch.Generator().manual_seed(0)
    stimuli = torch.rand(20, 1, generator=gen) * 360
    resp = torch.randn(20, 6, generator=gen)
    torch.manual_seed(0)
    net = DeepNetSoftmax(6, 4, 4)
    decode_orientation(
        net, 4, regularized_loss, resp, stimuli, resp, stimuli, n_iter=10, L2_penalty=1e-3
    )
    printed = capsys.readouterr()
    assert "反復: 100%" in printed.err and "10/10" in printed.err
    assert ">>> 正解率 = " in printed.out
    assert "反復 10/10 | loss: " in printed.out  # the log line keeps its code names


def test_a_diverging_training_is_said_in_japanese_with_its_numbers():
    net = torch.nn.Linear(2, 1)
    data = torch.tensor([[1e30, 1e30]] * 4)
    with pytest.raises(ValueError) as raised:
        nma_dl.train(net, torch.nn.MSELoss(), data, torch.zeros(4, 1), 10, 1e30)
    text = str(raised.value)
    assert "勾配降下法が発散しています" in text
    assert "learning_rate=1e+30" in text and "(例: 1e+29)" in text
