"""nma_dl.videos: a tab per video host in a notebook, plain links on the static page."""

import re

import ipywidgets
import pytest

import nma_dl
from nma_dl import videos
from nma_dl.widgets import StaticFallback

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VIDEO_IDS = [("Youtube", "JAdukDCQALA"), ("Bilibili", "BV1m5411h7V5")]


@pytest.fixture
def shown(monkeypatch):
    """Record what display_videos displays instead of printing it."""
    displayed = []
    monkeypatch.setattr(videos, "display", lambda *objs, **kw: displayed.extend(objs))
    return displayed


def _player_html(output):
    (html,) = [
        o["data"]["text/html"] for o in output.outputs if o["output_type"] == "display_data"
    ]
    return html


def _printed(output):
    return "".join(o["text"] for o in output.outputs if o["output_type"] == "stream")


def test_package_exports_display_videos():
    assert nma_dl.display_videos is videos.display_videos


def test_displays_and_returns_a_tab_with_its_static_links(shown):
    result = videos.display_videos(VIDEO_IDS)

    assert shown == [result]
    assert isinstance(result, StaticFallback)
    bundle = result._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == result.widget.model_id
    assert "text/plain" in bundle

    html = bundle["text/html"]
    links = dict(
        (text, href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    )
    assert links == {
        "Watch on YouTube": "https://youtube.com/watch?v=JAdukDCQALA",
        "Watch on Bilibili": "https://www.bilibili.com/video/BV1m5411h7V5",
    }


def test_static_html_makes_no_external_request(shown):
    html = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")]).html
    assert "<iframe" not in html and "<img" not in html and "<script" not in html
    assert "src=" not in html
    assert 'href="https://osf.io/ab12c"' in html and "Watch on OSF" in html


def test_tab_has_one_titled_output_per_video(shown):
    tab = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")]).widget
    assert isinstance(tab, ipywidgets.Tab)
    assert len(tab.children) == 3
    assert all(isinstance(child, ipywidgets.Output) for child in tab.children)
    assert [tab.get_title(i) for i in range(3)] == ["Youtube", "Bilibili", "Osf"]


def test_each_tab_holds_its_player_and_address(shown):
    result = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")], W=640, H=360)
    youtube, bilibili, osf = result.widget.children

    assert _printed(youtube) == "Video available at https://youtube.com/watch?v=JAdukDCQALA\n"
    assert 'src="https://www.youtube.com/embed/JAdukDCQALA?fs=1&rel=0"' in _player_html(youtube)
    assert _printed(bilibili) == "Video available at https://www.bilibili.com/video/BV1m5411h7V5\n"
    assert (
        'src="https://player.bilibili.com/player.html?bvid=BV1m5411h7V5&amp;page=1"'
        in _player_html(bilibili)
    )
    assert _printed(osf) == "Video available at https://osf.io/ab12c\n"
    assert (
        "https://mfr.ca-1.osf.io/render?url=https://osf.io/download/ab12c/?direct%26mode=render"
        in _player_html(osf)
    )
    for output in (youtube, bilibili, osf):
        player = _player_html(output)
        assert player.count("<iframe") == 1
        assert 'width="640"' in player and 'height="360"' in player


def test_default_size_and_fullscreen_switch(shown):
    (youtube,) = videos.display_videos([VIDEO_IDS[0]], fs=0).widget.children
    player = _player_html(youtube)
    assert 'width="730"' in player and 'height="410"' in player
    assert "?fs=0&rel=0" in player


def test_ids_are_escaped_in_urls_and_html(shown):
    result = videos.display_videos([("Youtube", 'a"b<c>')])
    assert 'a"b<c>' not in result.html
    assert "a%22b%3Cc%3E" in result.html


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "video_ids, error, words",
    [
        ("JAdukDCQALA", TypeError, "list of \\(source, id\\) pairs"),
        ({"Youtube": "JAdukDCQALA"}, TypeError, "list of \\(source, id\\) pairs"),
        ([], ValueError, "at least one video"),
        (["JAdukDCQALA"], TypeError, r"video_ids\[0\] must be a \(source, id\) tuple"),
        ([("Youtube",)], TypeError, r"video_ids\[0\]"),
        ([("Youtube", "a", "b")], TypeError, r"video_ids\[0\]"),
        ([("Youtube", 123)], TypeError, r"video_ids\[0\]"),
        ([VIDEO_IDS[0], ("Vimeo", "1")], ValueError, r"video_ids\[1\] has unknown source 'Vimeo'"),
        ([("youtube", "JAdukDCQALA")], ValueError, "'Youtube', 'Bilibili', 'Osf'"),
        ([("Bilibili", "  ")], ValueError, "empty id"),
    ],
)
def test_rejects_bad_video_ids(shown, video_ids, error, words):
    with pytest.raises(error, match=words):
        videos.display_videos(video_ids)
    assert shown == []


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"W": "730"}, TypeError, "W must be an int"),
        ({"H": 410.0}, TypeError, "H must be an int"),
        ({"W": 0}, ValueError, "W must be positive"),
        ({"H": -1}, ValueError, "H must be positive"),
        ({"fs": 2}, ValueError, "fs must be 0 or 1"),
        ({"fs": "1"}, ValueError, "fs must be 0 or 1"),
    ],
)
def test_rejects_bad_sizes(shown, kwargs, error, words):
    with pytest.raises(error, match=words):
        videos.display_videos(VIDEO_IDS, **kwargs)
    assert shown == []
