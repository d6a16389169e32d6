"""Lecture videos: one tab per host (YouTube | Bilibili), in notebooks and on the book's pages.

As the original course does, each video is embedded once per host, one tab per
host, with "Watch on ..." links below. In a notebook the tabs are an
``ipywidgets.Tab``; on the static site (where no kernel runs the widget) the
same players sit in tabs made of plain HTML and CSS, no script. YouTube is
embedded from its privacy-enhanced host ``youtube-nocookie.com``, and every
player is an ``<iframe loading="lazy">``: building the player or the book makes
no request, and a browser loads a player only when its tab is shown.
"""

import hashlib
import html as html_lib
from urllib.parse import quote

import ipywidgets
from IPython.display import display

from nma_dl._validate import require, validate_instance
from nma_dl.display import StaticFallback
from nma_dl.i18n import tr

__all__ = ["display_videos"]

# source -> (player URL, watch-page URL, name on the static link); "{id}" is the video id.
SOURCES = {
    "Youtube": (
        "https://www.youtube-nocookie.com/embed/{id}",
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


def _validate_video_ids(video_ids):
    validate_instance(video_ids, (list, tuple), "video_ids", _PAIRS, sep=";")
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


def _validate_pixels(value, name):
    validate_instance(value, int, name, "an int (pixels)", sep=";")
    require(value > 0, name, "positive", value, sep=";")


def player_src(source, video_id, fs=1):
    """Address of the embedded player of one video (what its iframe's ``src`` is).

    Parameters
    ----------
    source : {'Youtube', 'Bilibili', 'Osf'}
        The host.
    video_id : str
        The video's id on that host (URL-quoted here).
    fs : {0, 1}, default=1
        Whether the YouTube player offers a full-screen button.

    Returns
    -------
    str
        The URL, e.g. ``https://www.youtube-nocookie.com/embed/<id>?fs=1&rel=0``.
    """
    _validate_video_ids([(source, video_id)])
    player_url = SOURCES[source][0].format(id=quote(video_id, safe=""))
    # YouTube reads its options from the query string; the Bilibili player must not autoplay.
    if source == "Youtube":
        return f"{player_url}?fs={int(fs)}&rel=0"
    if source == "Bilibili":
        return f"{player_url}&autoplay=0"
    return player_url


def _iframe(source, video_id, width, height, fs):
    src = html_lib.escape(player_src(source, video_id, fs), quote=True)
    title = html_lib.escape(
        tr("{source} video {video_id}", source=SOURCES[source][2], video_id=video_id), quote=True
    )
    return (
        f'<iframe src="{src}" width="{width}" height="{height}" loading="lazy" '
        f'title="{title}" frameborder="0" allow="encrypted-media; picture-in-picture" '
        "allowfullscreen></iframe>"
    )


def _video_tab(source, video_id, width, height, fs):
    """Build an Output widget holding the 'available at' line and the player of one video."""
    _, watch_url, _ = SOURCES[source]
    safe_id = quote(video_id, safe="")

    # Outputs are set directly rather than captured with `with out:`, which only
    # captures inside a running kernel; this builds the same tab anywhere.
    out = ipywidgets.Output()
    out.outputs = (
        {
            "output_type": "stream",
            "name": "stdout",
            "text": tr("Video available at {url}", url=watch_url.format(id=safe_id)) + "\n",
        },
        {
            "output_type": "display_data",
            "data": {
                "text/html": _iframe(source, video_id, width, height, fs),
                "text/plain": tr("{source} video {video_id}", source=source, video_id=video_id),
            },
            "metadata": {},
        },
    )
    return out


# The links carry their own colours: a page's dark mode shows outputs on a light grey
# (#ced6dd), where its own light-blue link colour has a contrast of 2.2:1. Dark text on white is
# above WCAG's 4.5:1 whatever the page around it (#0b4f9c on #fff: 8.0:1; #1f2328: 15.8:1).
_LINKS_STYLE = "background:#ffffff;color:#1f2328;padding:.2em .4em;border-radius:.2em"
_LINK_COLOR = "#0b4f9c"


def _links_html(video_ids):
    items = []
    for source, video_id in video_ids:
        _, watch_url, label = SOURCES[source]
        href = html_lib.escape(watch_url.format(id=quote(video_id, safe="")), quote=True)
        # Named after the video (one page has several) and saying it leaves the page.
        name = html_lib.escape(
            tr(
                "Watch video {video_id} on {label} (opens in a new tab)",
                video_id=video_id,
                label=label,
            )
        )
        items.append(
            f'<a href="{href}" target="_blank" rel="noopener" '
            f'style="color:{_LINK_COLOR}">{name}</a>'
        )
    return f'<p class="nma-video-links" style="{_LINKS_STYLE}">' + " | ".join(items) + "</p>"


# Tabs without a script: one radio button per host; the checked one shows its panel.
_TABS_CSS = (
    ".nma-videos > input{{position:absolute;opacity:0}}"
    ".nma-videos > label{{display:inline-block;padding:.3em 1em;border:1px solid #ccc;"
    "border-bottom:none;cursor:pointer;margin-right:.2em}}"
    ".nma-videos > .nma-video-panel{{display:none;border-top:1px solid #ccc;padding-top:.5em}}"
    ".nma-videos > .nma-video-panel iframe{{max-width:100%}}"
    "{checked}{{display:block}}"
    "{selected}{{font-weight:bold;background:#eee}}"
)


def _tabs_html(video_ids, width, height, fs):
    """Build the static page's view: the players in tabs of plain HTML and CSS, then links."""
    # A name derived from the videos: deterministic (a notebook run twice shows the same
    # HTML) and distinct for different videos on one page.
    key = "nma-videos-" + hashlib.sha1(repr(video_ids).encode()).hexdigest()[:10]
    n = len(video_ids)
    checked = ",".join(
        f"#{key}-{i}:checked ~ .nma-video-panel:nth-of-type({i + 1})" for i in range(n)
    )
    selected = ",".join(f"#{key}-{i}:checked + label" for i in range(n))
    parts = [f'<div class="nma-videos" id="{key}">']
    parts.append("<style>" + _TABS_CSS.format(checked=checked, selected=selected) + "</style>")
    for i, (source, _) in enumerate(video_ids):
        label = html_lib.escape(SOURCES[source][2])
        check = " checked" if i == 0 else ""
        parts.append(f'<input type="radio" name="{key}" id="{key}-{i}"{check}>')
        parts.append(f'<label for="{key}-{i}">{label}</label>')
    for source, video_id in video_ids:
        parts.append(
            f'<div class="nma-video-panel">{_iframe(source, video_id, width, height, fs)}</div>'
        )
    parts.append("</div>")
    parts.append(_links_html(video_ids))
    return "\n".join(parts)


def display_videos(video_ids, W=730, H=410, fs=1):
    """Display a lecture video hosted on several sites, one tab per site, links below.

    In a notebook each tab of an ``ipywidgets.Tab`` holds an embedded player and a
    line with the video's address. On the static book page, where the widget
    cannot run, the same players sit in tabs of plain HTML and CSS. Either way the
    "Watch on ..." links follow the tabs, and every player is a lazy-loaded iframe
    (YouTube's from ``youtube-nocookie.com``): nothing is requested until a
    browser shows it.

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
    videos : nma_dl.display.StaticFallback
        What was displayed: a ``VBox`` of the ``ipywidgets.Tab`` and the links
        (``videos.widget``; the tab is ``videos.widget.children[0]``) with the
        static tabs and links (``videos.html``). Assign it
        (``videos = display_videos(...)``) or end the line with ``;`` so a notebook
        does not show it a second time.
    """
    _validate_video_ids(video_ids)
    _validate_pixels(W, "W")
    _validate_pixels(H, "H")
    require(isinstance(fs, int) and fs in (0, 1), "fs", "0 or 1", fs, sep=";")  # True/False pass

    tab = ipywidgets.Tab(
        children=[_video_tab(source, video_id, W, H, fs) for source, video_id in video_ids]
    )
    for i, (source, _) in enumerate(video_ids):
        tab.set_title(i, source)  # works on ipywidgets 7 (Colab) and 8; ``titles=`` is 8 only
    box = ipywidgets.VBox([tab, ipywidgets.HTML(_links_html(video_ids))])
    videos = StaticFallback(box, _tabs_html(video_ids, W, H, fs))
    display(videos)
    return videos
