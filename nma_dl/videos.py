"""Lecture videos: one tab per host in a notebook, plain links on the book's pages.

Building the player makes no request: the embedded iframes only load in a
browser, and the static page shows links instead of players, so reading the
book fetches nothing from the video hosts.
"""

import html as html_lib
from urllib.parse import quote

import ipywidgets
from IPython.display import IFrame, display

from nma_dl._validate import check_instance, require
from nma_dl.widgets import StaticFallback

__all__ = ["display_videos", "SOURCES"]

# source -> (player URL, watch-page URL, name on the static link); "{id}" is the video id.
SOURCES = {
    "Youtube": (
        "https://www.youtube.com/embed/{id}",
        "https://youtube.com/watch?v={id}",
        "YouTube",
    ),
    "Bilibili": (
        "https://player.bilibili.com/player.html?bvid={id}&page=1",
        "https://www.bilibili.com/video/{id}",
        "Bilibili",
    ),
    "Osf": (
        "https://mfr.ca-1.osf.io/render?url=https://osf.io/download/{id}/?direct%26mode=render",
        "https://osf.io/{id}",
        "OSF",
    ),
}


_PAIRS = "a list of (source, id) pairs, e.g. [('Youtube', 'JAdukDCQALA')]"


def _check_video_ids(video_ids):
    check_instance(video_ids, (list, tuple), "video_ids", _PAIRS, sep=";")
    if not video_ids:
        raise ValueError("video_ids must name at least one video; got an empty list")
    for index, pair in enumerate(video_ids):
        is_pair = isinstance(pair, tuple) and len(pair) == 2
        if not (is_pair and all(isinstance(part, str) for part in pair)):
            raise TypeError(
                f"video_ids[{index}] must be a (source, id) tuple of two str; got {pair!r}"
            )
        source, video_id = pair
        if source not in SOURCES:
            raise ValueError(
                f"video_ids[{index}] has unknown source {source!r}; "
                f"accepted sources are {', '.join(map(repr, SOURCES))}"
            )
        if not video_id.strip():
            raise ValueError(f"video_ids[{index}] has an empty id for source {source!r}")


def _check_pixels(value, name):
    check_instance(value, int, name, "an int (pixels)", sep=";")
    require(value > 0, name, "positive", value, sep=";")


def _video_tab(source, video_id, width, height, fs):
    """Build an Output widget holding the 'available at' line and the player of one video."""
    player_url, watch_url, _ = SOURCES[source]
    safe_id = quote(video_id, safe="")
    # YouTube reads its options from the query string; the other players take none.
    options = {"fs": int(fs), "rel": 0} if source == "Youtube" else {}
    player = IFrame(player_url.format(id=safe_id), width, height, **options)

    # Outputs are set directly rather than captured with `with out:`, which only
    # captures inside a running kernel; this builds the same tab anywhere.
    out = ipywidgets.Output()
    out.outputs = (
        {
            "output_type": "stream",
            "name": "stdout",
            "text": f"Video available at {watch_url.format(id=safe_id)}\n",
        },
        {
            "output_type": "display_data",
            "data": {
                "text/html": player._repr_html_(),
                "text/plain": f"{source} video {video_id}",
            },
            "metadata": {},
        },
    )
    return out


def _links_html(video_ids):
    items = []
    for source, video_id in video_ids:
        _, watch_url, label = SOURCES[source]
        href = html_lib.escape(watch_url.format(id=quote(video_id, safe="")), quote=True)
        items.append(f'<a href="{href}" target="_blank" rel="noopener">Watch on {label}</a>')
    return '<p class="nma-video-links">' + " | ".join(items) + "</p>"


def display_videos(video_ids, W=730, H=410, fs=1):
    """Display a lecture video hosted on several sites, one tab per site.

    In a notebook each tab holds an embedded player and a line with the video's
    address. On the static book page the widget cannot run, so plain "Watch on
    ..." links to the video pages are shown instead.

    Parameters
    ----------
    video_ids : list of (str, str)
        ``(source, id)`` pairs, in tab order; source is one of ``'Youtube'``,
        ``'Bilibili'`` or ``'Osf'``, e.g.
        ``[('Youtube', 'JAdukDCQALA'), ('Bilibili', 'BV1m5411h7V5')]``.
    W, H : int, default=730, 410
        Width and height of the players, in pixels.
    fs : {0, 1} or bool, default=1
        Whether the YouTube player offers a full-screen button.

    Returns
    -------
    videos : nma_dl.widgets.StaticFallback
        What was displayed: the ``ipywidgets.Tab`` (``videos.widget``) with its
        static links (``videos.html``). Assign it (``videos = display_videos(...)``)
        or end the line with ``;`` so a notebook does not show it a second time.
    """
    _check_video_ids(video_ids)
    _check_pixels(W, "W")
    _check_pixels(H, "H")
    require(isinstance(fs, int) and fs in (0, 1), "fs", "0 or 1", fs, sep=";")  # True/False pass

    tab = ipywidgets.Tab(
        children=[_video_tab(source, video_id, W, H, fs) for source, video_id in video_ids]
    )
    for i, (source, _) in enumerate(video_ids):
        tab.set_title(i, source)  # works on ipywidgets 7 (Colab) and 8; ``titles=`` is 8 only
    videos = StaticFallback(tab, _links_html(video_ids))
    display(videos)
    return videos
