"""The JavaScript the checks run in a page: one function per file of ``js/``.

Each file holds one function expression (``() => {...}``, ``async (arg) => {...}``) that
``page.evaluate(script(name), arg)`` calls in the page. Kept as ``.js`` files, they are read,
linted and edited as JavaScript; each is read once per run.
"""

from __future__ import annotations

import functools
from pathlib import Path

JS_DIR = Path(__file__).resolve().parent / "js"


@functools.cache
def script(name: str) -> str:
    """The source of ``js/<name>.js``."""
    return (JS_DIR / f"{name}.js").read_text(encoding="utf-8")
