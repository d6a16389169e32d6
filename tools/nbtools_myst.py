"""MyST directives turned into the Markdown that Jupyter, Colab and Kaggle render.

Part of the notebook pipeline (``tools/nbtools.py``, which re-exports :func:`myst_to_markdown`):
the student and with-solutions notebooks are for frontends that do not know MyST.

The fences are found by markdown-it-py, the parser MyST itself is built on (with the colon
fences of mdit-py-plugins; both come with Jupytext), so a fence opens, nests and closes here as
it does on the site: a directive shown inside a code block stays an example, and a directive
inside another one is converted when its parent's body is.
"""

from __future__ import annotations

import functools
import re

# Admonitions become a quoted block under a bold title; the book renders the directive itself
# from the source.
_ADMONITIONS = {
    "note": "Note",
    "tip": "Tip",
    "hint": "Hint",
    "important": "Important",
    "warning": "Warning",
    "caution": "Caution",
    "attention": "Attention",
    "danger": "Danger",
    "error": "Error",
    "seealso": "See also",
}
_CODE = ("code-block", "code", "sourcecode")
# A directive's opening line: the fence at the start of the line, then {name} and its argument.
_DIRECTIVE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z-]+)\}\s*(?P<arg>.*?)\s*$")
_OPTION = re.compile(r"^:[\w-]+:.*$")


@functools.cache
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin

    return MarkdownIt("commonmark").use(colon_fence_plugin)


def _fences(lines: list[str]):
    """``(first line, line after, body lines)`` of each outermost fence, in order."""
    # A newline after every line, so each body line of a token's content ends with one.
    for token in _parser().parse("".join(f"{line}\n" for line in lines)):
        if token.type in ("fence", "colon_fence") and token.level == 0 and token.map:
            start, end = token.map
            yield start, end, lines[start + 1 : start + 1 + token.content.count("\n")]


def _quote(title: str, body: str) -> list[str]:
    lines = [f"> **{title}**" if title else ">"]
    body_lines = body.strip("\n").splitlines()
    if body_lines:
        lines.append(">")
        lines += [f"> {line}".rstrip() for line in body_lines]
    return lines


def _directive_markdown(name: str, arg: str, inner: str) -> list[str]:
    """The Markdown lines of one directive, its body ``inner`` already converted."""
    if name == "math":
        return ["$$", inner.strip("\n"), "$$"]
    if name in _CODE:
        return [f"```{arg}", inner.strip("\n"), "```"]
    if name == "dropdown":
        summary = arg or "Details"
        return [
            f"<details>\n<summary>{summary}</summary>",
            "",
            inner.strip("\n"),
            "",
            "</details>",
        ]
    if name in _ADMONITIONS:
        return _quote(_ADMONITIONS[name] + (f": {arg}" if arg else ""), inner)
    # {admonition} Title, and directives unknown here: their content stays readable, not raw.
    return _quote(arg, inner)


def myst_to_markdown(text: str) -> str:
    """Turn MyST directives of a Markdown cell into Markdown that Jupyter and Colab render.

    Admonitions (``{admonition} Title``, ``{note}``, ``{warning}``, ...) and ``{dropdown}``
    become a quoted block under a bold title (``{dropdown}`` a ``<details>`` block),
    ``{math}`` a ``$$`` block and ``{code-block}``/``{code}`` a fenced block; a directive's
    ``:option:`` lines are dropped. Directives nest. Text outside directives is left alone, and
    so is a fence that is not a directive (a code block, even one that shows MyST markup).
    """
    if not isinstance(text, str):
        raise TypeError(f"text: expected a cell's Markdown as a str, got {type(text).__name__}")
    lines = text.splitlines()
    out: list[str] = []
    done = 0  # lines before this one are copied or converted
    for start, end, body in _fences(lines):
        m = _DIRECTIVE_OPEN.match(lines[start])
        if not m:
            continue
        options = 0
        while options < len(body) and _OPTION.match(body[options]):
            options += 1
        inner = myst_to_markdown("\n".join(body[options:]))
        out += lines[done:start] + _directive_markdown(m["name"], m["arg"], inner)
        done = end
    out += lines[done:]
    result = "\n".join(out)
    return result + ("\n" if text.endswith("\n") and not result.endswith("\n") else "")
