"""The checks that click: solution and install toggles, video tabs."""

from __future__ import annotations

import re

from .expected import SOLUTION, CellExpectation
from .results import Check, _verdict
from .scripts import script

# The players display_videos embeds (nma_dl/videos.py), as their iframe's src attribute.
VIDEO_PLAYER = re.compile(
    r"https://www\.youtube-nocookie\.com/embed/[\w-]+\?fs=[01]&rel=0"
    r"|https://player\.bilibili\.com/player\.html\?bvid=\w+&page=1&autoplay=0"
    r"|https://mfr\.ca-1\.osf\.io/render\?url=https://osf\.io/download/\w+/\?direct%26mode=render"
)
HEADER = "nma-header"  # the badge and install cells tools/nbtools.py puts under a title


def _check_solutions(page, facts: dict, expected: list[CellExpectation] | None) -> Check:
    want = sum(SOLUTION in c.tags for c in expected) if expected is not None else None
    cells = page.locator(f"div.cell.tag_{SOLUTION}")
    n = cells.count()
    problems = []
    if want is not None and n != want:
        problems.append(f"page has {n} solution cell(s), the notebook {want}")
    if n == 0 and not problems:
        return Check("solutions", True, "no solutions on this page")
    for k in range(n):
        cell = cells.nth(k)
        code = cell.locator(".cell_input")
        if code.count() == 0:
            problems.append(f"solution {k + 1}: no code")
            continue
        if code.first.is_visible():
            problems.append(f"solution {k + 1}: code visible on load")
            continue
        outputs = cell.locator(".cell_output")
        if outputs.count() and not outputs.first.is_visible():
            problems.append(
                f"solution {k + 1}: outputs hidden on load (only the code should fold)"
            )
        toggle = cell.locator("summary")
        if toggle.count() == 0 or not toggle.first.is_visible():
            problems.append(f"solution {k + 1}: hidden but no visible toggle to show it")
            continue
        toggle.first.scroll_into_view_if_needed()
        toggle.first.click()
        try:
            code.first.wait_for(state="visible", timeout=2000)
        except Exception:
            problems.append(f"solution {k + 1}: code still hidden after clicking its toggle")
    return _verdict(
        "solutions", problems, f"{n} solution(s) hidden on load, shown by their toggle"
    )


def _check_videos(page) -> Check:
    """Players of display_videos: tabs, lazy iframes, expected src, links; tabs switch."""
    facts = page.evaluate(script("videos"))
    problems = []
    if facts["stray"]:
        problems.append(f"player outside a video block: {facts['stray'][0]}")
    n_players = 0
    for k, block in enumerate(facts["blocks"], start=1):
        players, labels = block["players"], block["labels"]
        n_players += len(players)
        if not players or len(players) != len(labels) or block["links"] != len(players):
            problems.append(
                f"video block {k}: {len(labels)} tab(s), {len(players)} player(s), "
                f"{block['links']} link(s) after it"
            )
            continue
        for p in players:
            if p["loading"] != "lazy":
                problems.append(f"video block {k}: player not lazy-loaded: {p['src']}")
            if not VIDEO_PLAYER.fullmatch(p["src"] or ""):
                problems.append(f"video block {k}: unexpected player src {p['src']}")
        shown = [i for i, p in enumerate(players) if p["shown"]]
        if shown != [0]:
            problems.append(f"video block {k}: players {shown} shown on load, expected [0]")
        for i, label in enumerate(labels[1:], start=1):
            page.click(f'label[for="{label}"]')
            now = page.evaluate(script("videos"))["blocks"][k - 1]["players"]
            if [j for j, p in enumerate(now) if p["shown"]] != [i]:
                problems.append(f"video block {k}: tab {i + 1} does not show its player")
    if not facts["blocks"]:
        return _verdict("videos", problems, "no videos")
    return _verdict(
        "videos",
        problems,
        f"{len(facts['blocks'])} video block(s), {n_players} lazy player(s) with their links",
    )


def _check_install(
    page, facts: dict, expected: list[CellExpectation] | None, translated: bool = False
) -> Check:
    """The install cell of a tutorial is folded behind its first comment line.

    On a ``translated`` page the code stays English and the toggle reads as the translation of
    that line: the label its notebook gives it (``mystnb.code_prompt_show``), not the English.
    """
    if expected is None:
        return Check("install", True, "no notebook on this page, no install cell")
    installs = [c for c in expected if HEADER in c.tags]
    if not installs:
        return Check("install", False, f"no install cell (tag {HEADER}) in the notebook")
    want = installs[0].first_line.lstrip("#").strip()
    if translated:
        if installs[0].prompt in ("", want):
            return Check("install", False, f"install toggle left in English: {want!r}")
        want = installs[0].prompt
    cells = page.locator(f"div.cell.tag_{HEADER}")
    if cells.count() == 0:
        return Check("install", False, f"no install cell (tag {HEADER}) on the page")
    cell = cells.first
    code = cell.locator(".cell_input")
    toggle = cell.locator("summary")
    problems = []
    if code.count() == 0:
        problems.append("install cell has no code")
    elif code.first.is_visible():
        problems.append("install cell's code visible on load (not folded)")
    if toggle.count() == 0 or not toggle.first.is_visible():
        problems.append("install cell has no visible toggle")
    else:
        shown = " ".join(toggle.first.inner_text().split())
        if shown != want:
            problems.append(f"install toggle reads {shown[:80]!r}, not {want!r}")
        elif code.count():
            toggle.first.scroll_into_view_if_needed()
            toggle.first.click()
            try:
                code.first.wait_for(state="visible", timeout=2000)
            except Exception:
                problems.append("install cell's code still hidden after clicking its toggle")
    if problems:
        return Check("install", False, "; ".join(problems))
    return Check(
        "install", True, f"install cell folded behind {want!r}; its toggle shows the code"
    )
