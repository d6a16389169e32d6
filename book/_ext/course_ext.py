"""Sphinx glue for the course book, a local extension of the book (not of the package).

Declared in ``_config.yml`` under ``sphinx: local_extensions: {course_ext: book/_ext}``. Three
things the theme cannot do on its own:

* The Colab launch button of a tutorial page (``book/<day>/<WxDy>_Tutorial<n>``) opens the
  generated **student** notebook (``notebooks/student/<day>/<WxDy>_Tutorial<n>.ipynb``), not the
  MyST source the page was built from. The other pages of a day (chapter intro, outro) have no
  notebook: their Colab button, which would open the Markdown source, is removed.
* MathJax is served from the site itself (copied from the ``django-static-mathjax`` wheel), so
  equations render offline, in CI's browser check and for readers behind a firewall.
* Inline scripts added twice (sphinx-thebe's) are dropped once.

The extension is self-contained: it imports nothing from ``nma_dl`` (whose installed copy may be
a student's) nor from ``tools/``; the layout constants below are those of ``tools/nbtools.py``,
and ``tests/test_course_ext.py`` fails if the two ever disagree.
"""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path, PurePosixPath

# Same values as tools/nbtools.py (SOURCE_DIR, STUDENT_DIR, TUTORIAL_GLOB).
SOURCE_DIR = "book"
STUDENT_DIR = "notebooks/student"
TUTORIAL_GLOB = "W*_Tutorial*"

MATHJAX_SCRIPT = "mathjax/tex-mml-chtml.js"


def _mathjax_root() -> Path:
    import mathjax  # the django-static-mathjax distribution

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def student_path_for(pagename: str) -> str | None:
    """Repository path of the student notebook for a tutorial page, else ``None``."""
    prefix = SOURCE_DIR + "/"
    slug = pagename[len(prefix) :]
    if not pagename.startswith(prefix) or not fnmatch.fnmatchcase(
        PurePosixPath(slug).name, TUTORIAL_GLOB
    ):
        return None
    return f"{STUDENT_DIR}/{slug}.ipynb"


def _retarget(node, source_suffix: str, target: str) -> None:
    if isinstance(node, dict):
        url = node.get("url")
        if (
            isinstance(url, str)
            and "colab.research.google.com" in url
            and url.endswith(source_suffix)
        ):
            node["url"] = url[: -len(source_suffix)] + target
        for value in node.values():
            _retarget(value, source_suffix, target)
    elif isinstance(node, list):
        for item in node:
            _retarget(item, source_suffix, target)


def _opens_source(button, source_suffix: str) -> bool:
    url = button.get("url") if isinstance(button, dict) else None
    return (
        isinstance(url, str) and "colab.research.google.com" in url and url.endswith(source_suffix)
    )


def _drop_source_buttons(buttons: list, source_suffix: str) -> None:
    """Remove Colab buttons that open the page's source, and a launch group left empty."""
    for button in list(buttons):
        if _opens_source(button, source_suffix):
            buttons.remove(button)
        elif isinstance(button, dict) and isinstance(button.get("buttons"), list):
            _drop_source_buttons(button["buttons"], source_suffix)
            if not button["buttons"]:
                buttons.remove(button)


def retarget_launch_buttons(app, pagename, templatename, context, doctree):
    """Point the Colab button of a tutorial page at its student notebook; drop it elsewhere."""
    buttons = context.get("header_buttons", [])
    target = student_path_for(pagename)
    if target is None:
        # No notebook is generated for this page: Colab cannot open its MyST source.
        _drop_source_buttons(buttons, f"{pagename}.md")
    else:
        _retarget(buttons, f"{pagename}.md", target)


def copy_mathjax(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    src = _mathjax_root()
    dest = Path(app.outdir) / "_static" / "mathjax"
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src / "tex-mml-chtml.js", dest / "tex-mml-chtml.js")
    # The combined component fetches its fonts (and nothing else) relative to its own URL.
    shutil.copytree(
        src / "output" / "chtml" / "fonts", dest / "output" / "chtml" / "fonts", dirs_exist_ok=True
    )


def dedupe_scripts(app, pagename, templatename, context, doctree):
    """Drop repeated inline scripts (sphinx-thebe's is added twice: a JS redeclaration error)."""
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ in how "no file" is spelt (None or ""), so compare what the page shows.
        attributes = sorted(getattr(script, "attributes", {}).items())
        key = (getattr(script, "filename", str(script)) or "", repr(attributes))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


def use_local_mathjax(app, config):
    config.mathjax_path = MATHJAX_SCRIPT


def setup(app):
    app.connect("config-inited", use_local_mathjax)
    # After sphinx-book-theme (priority 501) has built its header buttons.
    app.connect("html-page-context", retarget_launch_buttons, priority=900)
    app.connect("html-page-context", dedupe_scripts, priority=1000)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
