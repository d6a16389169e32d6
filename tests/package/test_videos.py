"""nma_dl.videos: a tab per video host, lazy players (YouTube without cookies), links below."""

import re

import ipywidgets
import pytest

import nma_dl
from nma_dl import videos
from nma_dl.display import StaticFallback

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
        "Watch video JAdukDCQALA on YouTube (opens in a new tab)": (
            "https://youtube.com/watch?v=JAdukDCQALA"
        ),
        "Watch video BV1m5411h7V5 on Bilibili (opens in a new tab)": (
            "https://www.bilibili.com/video/BV1m5411h7V5"
        ),
    }


def _iframes(html):
    return re.findall(r"<iframe [^>]*>", html)


def test_static_html_has_lazy_players_in_tabs_then_the_links(shown):
    html = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")]).html
    assert "<img" not in html and "<script" not in html
    players = _iframes(html)
    assert len(players) == 3 and all('loading="lazy"' in p for p in players)
    srcs = [re.search(r'src="([^"]+)"', p).group(1) for p in players]
    assert srcs == [
        "https://www.youtube-nocookie.com/embed/JAdukDCQALA?fs=1&amp;rel=0",
        "https://player.bilibili.com/player.html?bvid=BV1m5411h7V5&amp;page=1&amp;autoplay=0",
        "https://mfr.ca-1.osf.io/render?url=https://osf.io/download/ab12c/?direct%26mode=render",
    ]
    assert "youtube.com/embed" not in html  # only the privacy-enhanced host
    labels = re.findall(r"<label for=[^>]+>([^<]+)</label>", html)
    assert labels == ["YouTube", "Bilibili", "OSF"]
    assert html.count('type="radio"') == 3 and html.count(" checked>") == 1
    # The links come after the tabs.
    assert html.index("on YouTube (opens in a new tab)") > html.rindex("<iframe")
    assert 'href="https://osf.io/ab12c"' in html and "Watch video ab12c on OSF" in html


def test_static_html_is_deterministic_and_distinct_per_video_set(shown):
    a = videos.display_videos(VIDEO_IDS).html
    assert videos.display_videos(VIDEO_IDS).html == a
    other = videos.display_videos([("Youtube", "pzA1GpxodnM")]).html
    key = re.search(r'name="(nma-videos-[0-9a-f]+)"', a).group(1)
    assert key not in other


def test_player_src():
    assert videos.player_src("Youtube", "abc", fs=0) == (
        "https://www.youtube-nocookie.com/embed/abc?fs=0&rel=0"
    )
    assert videos.player_src("Bilibili", "BV1") == (
        "https://player.bilibili.com/player.html?bvid=BV1&page=1&autoplay=0"
    )
    with pytest.raises(ValueError, match="unknown source 'Vimeo'"):
        videos.player_src("Vimeo", "1")


def test_notebook_view_is_the_tab_then_the_links(shown):
    box = videos.display_videos(VIDEO_IDS).widget
    tab, links = box.children
    assert isinstance(tab, ipywidgets.Tab) and isinstance(links, ipywidgets.HTML)
    assert "on YouTube (opens in a new tab)" in links.value
    assert "on Bilibili (opens in a new tab)" in links.value


def test_tab_has_one_titled_output_per_video(shown):
    tab = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")]).widget.children[0]
    assert isinstance(tab, ipywidgets.Tab)
    assert len(tab.children) == 3
    assert all(isinstance(child, ipywidgets.Output) for child in tab.children)
    assert [tab.get_title(i) for i in range(3)] == ["Youtube", "Bilibili", "Osf"]


def test_each_tab_holds_its_player_and_address(shown):
    result = videos.display_videos(VIDEO_IDS + [("Osf", "ab12c")], W=640, H=360)
    youtube, bilibili, osf = result.widget.children[0].children

    assert _printed(youtube) == "Video available at https://youtube.com/watch?v=JAdukDCQALA\n"
    assert (
        'src="https://www.youtube-nocookie.com/embed/JAdukDCQALA?fs=1&amp;rel=0"'
        in _player_html(youtube)
    )
    assert _printed(bilibili) == "Video available at https://www.bilibili.com/video/BV1m5411h7V5\n"
    assert (
        'src="https://player.bilibili.com/player.html?bvid=BV1m5411h7V5&amp;page=1&amp;autoplay=0"'
        in _player_html(bilibili)
    )
    assert _printed(osf) == "Video available at https://osf.io/ab12c\n"
    assert (
        "https://mfr.ca-1.osf.io/render?url=https://osf.io/download/ab12c/?direct%26mode=render"
        in _player_html(osf)
    )
    for output in (youtube, bilibili, osf):
        player = _player_html(output)
        assert player.count("<iframe") == 1 and 'loading="lazy"' in player
        assert 'width="640"' in player and 'height="360"' in player


def test_default_size_and_fullscreen_switch(shown):
    (youtube,) = videos.display_videos([VIDEO_IDS[0]], fs=0).widget.children[0].children
    player = _player_html(youtube)
    assert 'width="730"' in player and 'height="410"' in player
    assert "?fs=0&amp;rel=0" in player


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


def _contrast(fg, bg):
    """WCAG contrast ratio of two ``#rrggbb`` colours."""

    def luminance(colour):
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_of_a_hand_computed_pair():
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#528fe4", "#ced6dd") == pytest.approx(2.2, abs=0.05)  # the case


def test_links_name_their_video_and_keep_contrast_in_any_theme():
    html = videos._links_html(VIDEO_IDS)
    names = re.findall(r"<a [^>]*>([^<]+)</a>", html)
    assert len(set(names)) == len(names) == len(VIDEO_IDS)  # no two links read the same
    assert all("(opens in a new tab)" in name for name in names)
    style = re.search(r'<p class="nma-video-links" style="([^"]+)"', html).group(1)
    background = re.search(r"background:(#[0-9a-f]{6})", style).group(1)
    text = re.search(r"(?<![-\w])color:(#[0-9a-f]{6})", style).group(1)
    link = re.search(r'<a [^>]*style="color:(#[0-9a-f]{6})"', html).group(1)
    assert _contrast(text, background) >= 4.5 and _contrast(link, background) >= 4.5
