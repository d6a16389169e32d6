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
* Accessibility (WCAG 2.1 AA, checked by ``tools/sitecheck/`` with axe-core): formulas are kept
  out of the Tab order (MathJax's ``inTabOrder`` menu setting), ``book/_static/course.css`` gives
  every control a visible focus style and long formulas a scroll bar (``course.js`` makes a
  formula box that scrolls focusable, so a keyboard can scroll it); on a phone a figure stops
  shrinking at half its natural width, where its labels stay legible, and scrolls sideways in
  a focusable box of its own (``course.js``); the Colab/Kaggle badges of
  a tutorial's header are served from the site's own ``_static/badges/`` (the notebooks keep the
  badge addresses of Colab and Kaggle, which only they can resolve), and the solution toggles
  lose the theme's ``aria-label`` ("Toggle hidden content"), so a screen reader announces what
  they show ("Show code cell source"); ``book/_templates/`` overrides the theme's
  search field and colour-mode button for the same reason (label in name).
* Two languages: the English site (``_build/html``) and the Japanese one (``_build/html/ja``,
  built from ``tools/translate.py``'s pages with ``course_language: ja``). Every page of each
  (Sphinx's search and index pages too) has, in the article's header bar, a link to the same
  page in the other language (``<nav>`` named "Language" / "言語"; the link's text is the
  language's own name, marked with ``lang`` and ``hreflang``; ``book/_templates/sections/``),
  and declares it in its head (``<link rel="alternate" hreflang>``); the Japanese pages' Colab
  buttons open the Japanese student notebooks (``notebooks/ja/student/``).
* The executed notebook a page offers for download (``_sources/<page>.ipynb``) holds each
  printed line once, as the page shows it (:func:`one_output_each`; MyST-NB's stream merging
  leaves a copy of the later streams behind, see :func:`repeated_streams`).

The extension is self-contained: it imports nothing from ``nma_dl`` (whose installed copy may be
a student's) nor from ``tools/``; the layout constants below are those of ``tools/nbtools.py``,
and ``tests/tools/test_course_ext.py`` fails if the two ever disagree.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import sys
from pathlib import Path, PurePosixPath

# Same values as tools/nbtools.py (SOURCE_DIR, STUDENT_DIR, TUTORIAL_GLOB).
SOURCE_DIR = "book"
STUDENT_DIR = "notebooks/student"
# Same value as tools/translate_book.py (JA_NOTEBOOKS): the Japanese notebooks' folder.
JA_NOTEBOOKS = "notebooks/ja"
# Each site's language, the other one, the other site's root from this one's, and the names
# that the switch shows ({code: (own name, the switch's label in this site's language)}).
LANGUAGES = {
    "en": ("ja", "ja/", "Language"),
    "ja": ("en", "../", "言語"),
}
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
TUTORIAL_GLOB = "W*_Tutorial*"

MATHJAX_SCRIPT = "mathjax/tex-mml-chtml.js"
# MathJax makes every formula a Tab stop (for its context menu) unless told otherwise.
MATHJAX_OPTIONS = {"menuOptions": {"settings": {"inTabOrder": False}}}

# The book's own static files (CSS, badge images), next to this folder.
STATIC_DIR = Path(__file__).resolve().parent.parent / "_static"
CSS_FILE = "course.css"
# Copies of two theme components (search field, colour-mode button) whose accessible names no
# longer hide their visible text.
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "_templates"
# After the page's MathJax configuration (an inline script, priority 500), before MathJax itself
# (deferred): it hooks MathJax's pageReady to make scrolling formula boxes focusable.
JS_FILE = "course.js"
JS_PRIORITY = 510
# Same addresses as tools/nbtools.py (COLAB_BADGE, KAGGLE_BADGE) -> the site's copies.
BADGES = {
    "https://colab.research.google.com/assets/colab-badge.svg": "badges/open-in-colab.svg",
    "https://kaggle.com/static/images/open-in-kaggle.svg": "badges/open-in-kaggle.svg",
}
# sphinx-book-theme's label of a hidden cell's toggle, which hides the toggle's visible text.
TOGGLE_LABEL = ' aria-label="Toggle hidden content"'


def _mathjax_root() -> Path:
    import mathjax  # the django-static-mathjax distribution

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


def student_path_for(pagename: str, language: str = "en") -> str | None:
    """Repository path of the student notebook for a tutorial page, else ``None``.

    ``language`` ``"ja"``: the Japanese student notebook (``notebooks/ja/student/...``).
    """
    prefix = SOURCE_DIR + "/"
    slug = pagename[len(prefix) :]
    if not pagename.startswith(prefix) or not fnmatch.fnmatchcase(
        PurePosixPath(slug).name, TUTORIAL_GLOB
    ):
        return None
    folder = STUDENT_DIR if language == "en" else f"{JA_NOTEBOOKS}/student"
    return f"{folder}/{slug}.ipynb"


def other_language(pagename: str, language: str) -> tuple[str, str]:
    """``(language, relative URL)`` of the same page in the other language's site."""
    other, root, _ = LANGUAGES[language]
    up = "../" * pagename.count("/")
    return other, f"{up}{root}{pagename}.html"


def language_switch_html(pagename: str, language: str) -> str:
    """The ``<nav>`` that opens a page: a link to the same page in the other language."""
    other, href = other_language(pagename, language)
    label = LANGUAGES[language][2]
    return (
        f'<nav class="course-language" aria-label="{label}">'
        f'<a href="{href}" hreflang="{other}" lang="{other}">{LANGUAGE_NAMES[other]}</a></nav>\n'
    )


def add_language_switch(app, pagename, templatename, context, doctree):
    """Give the page its language switch (shown by ``book/_templates/sections/header-article``,
    in the article's header bar) and name its translation in the head."""
    language = app.config.course_language
    if language not in LANGUAGES:
        return
    other, href = other_language(pagename, language)
    context["course_language_switch"] = language_switch_html(pagename, language)
    alternate = f'<link rel="alternate" hreflang="{other}" href="{href}" />\n'
    context["metatags"] = context.get("metatags", "") + alternate


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
    language = getattr(getattr(app, "config", None), "course_language", "en")
    target = student_path_for(pagename, language)
    # The Japanese book's pages with code are notebooks (tools/translate_book.py).
    source = f"{pagename}{context.get('page_source_suffix') or '.md'}"
    if target is None:
        # No notebook is generated for this page: Colab cannot open its source.
        _drop_source_buttons(buttons, source)
    else:
        _retarget(buttons, source, target)


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
    # Merged into what the configuration has (MyST adds its processHtmlClass later).
    mathjax = dict(config.mathjax3_config or {})
    options = dict(mathjax.get("options") or {})
    menu = dict(options.get("menuOptions") or {})
    menu["settings"] = {
        **(menu.get("settings") or {}),
        **MATHJAX_OPTIONS["menuOptions"]["settings"],
    }
    options["menuOptions"] = menu
    mathjax["options"] = options
    config.mathjax3_config = mathjax


def add_static_files(app, config):
    """Serve ``book/_static`` (course.css, the badges) as the site's ``_static``; templates of
    ``book/_templates`` override the theme's components of the same name."""
    if str(STATIC_DIR) not in [str(p) for p in config.html_static_path]:
        config.html_static_path.append(str(STATIC_DIR))
    if str(TEMPLATES_DIR) not in [str(p) for p in config.templates_path]:
        config.templates_path.insert(0, str(TEMPLATES_DIR))


def local_badges_and_labels(app, pagename, templatename, context, doctree):
    """Badge images from the site itself; toggles named by their own text."""
    body = context.get("body")
    if not isinstance(body, str):
        return
    pathto = context.get("pathto")
    for url, local in BADGES.items():
        if url in body:
            target = pathto(f"_static/{local}", 1) if pathto else f"_static/{local}"
            body = body.replace(url, target)
    context["body"] = body.replace(f"<summary{TOGGLE_LABEL}>", "<summary>")


# ---------------------------------------------------------------- downloadable notebooks
# With nb_merge_streams (_config.yml) MyST-NB 1.x (myst_nb.core.utils.coalesce_streams) shows a
# cell's printed text as one box per stream by appending the later stream outputs' text to the
# first one *in place*: the notebook it then writes (_build/jupyter_execute/<page>.ipynb, which
# sphinx-book-theme copies to _sources/ for the download button) has the first output holding
# everything and the later ones still there, so their lines appear twice.

# What coalesce_streams erases: text a carriage return overwrites, a character a backspace
# deletes. Both stay within a line, so the erasing commutes with cutting the text at newlines.
_OVERWRITTEN = re.compile(r".*\r(?=[^\n])")
_BACKSPACED = re.compile(r"[^\n]\x08")


def _text(output: dict) -> str:
    text = output.get("text", "")
    return "".join(text) if isinstance(text, list) else str(text)


def _shown(text: str) -> str:
    """``text`` as a terminal shows it: backspaced and overwritten characters gone."""
    while True:
        shorter = _BACKSPACED.sub("", text)
        if shorter == text:
            return _OVERWRITTEN.sub("", text)
        text = shorter


def _is_stream(output: dict, name=None) -> bool:
    return output.get("output_type") == "stream" and name in (None, output.get("name"))


def _merged_into_first(first: dict, later: list[dict]) -> bool:
    """Whether ``first`` ends with the text MyST-NB appended to it for the ``later`` outputs."""
    appended = "".join(t.rstrip() + "\n" for t in map(_text, later) if t.rstrip())
    return _shown(_text(first)).endswith(_shown(appended))


def one_output_each(outputs: list[dict]) -> list[dict]:
    """A cell's outputs with each printed line once, as the page shows them.

    The later outputs of a stream whose text MyST-NB appended to the first are dropped (the
    page shows the first, merged, where the stream began); consecutive outputs of one stream are
    joined, as Jupyter shows them. Any other output stays as it is. Idempotent.
    """
    drop = set()
    for name in dict.fromkeys(o.get("name") for o in outputs if _is_stream(o)):
        at = [i for i, o in enumerate(outputs) if _is_stream(o, name)]
        if len(at) > 1 and _merged_into_first(outputs[at[0]], [outputs[i] for i in at[1:]]):
            drop.update(at[1:])
    kept: list[dict] = []
    for i, output in enumerate(outputs):
        if i in drop:
            continue
        if kept and _is_stream(output) and _is_stream(kept[-1], output.get("name")):
            text = _text(kept[-1]) + _text(output)
            kept[-1] = {**kept[-1], "text": text.splitlines(keepends=True)}
        else:
            kept.append(output)
    return kept


def repeated_streams(nb: dict) -> list[int]:
    """Indices of the code cells where a stream output repeats lines an earlier one has."""
    found = []
    for index, cell in enumerate(nb.get("cells", [])):
        earlier: dict = {}
        for output in cell.get("outputs", []):
            if not _is_stream(output):
                continue
            text = _shown(_text(output)).rstrip()
            seen = earlier.setdefault(output.get("name"), [])
            # Whole lines only: "1" printed after "10" repeats nothing.
            if text and any(f"\n{text}\n" in f"\n{before}\n" for before in seen):
                found.append(index)
                break
            seen.append(text)
    return found


def _downloads(html_dir: Path) -> list[Path]:
    return sorted((Path(html_dir) / "_sources").rglob("*.ipynb"))


def download_problems(html_dir: Path) -> list[str]:
    """One line per cell of a built site's downloadable notebooks that prints a line twice."""
    problems = []
    for path in _downloads(html_dir):
        nb = json.loads(path.read_text(encoding="utf-8"))
        rel = path.relative_to(html_dir).as_posix()
        problems += [f"{rel}: cell {i} repeats printed text" for i in repeated_streams(nb)]
    return problems


def fix_downloads(html_dir: Path) -> list[Path]:
    """Rewrite the downloadable notebooks with each cell's output once; return those changed."""
    changed = []
    for path in _downloads(html_dir):
        nb = json.loads(path.read_text(encoding="utf-8"))
        before = json.dumps(nb, sort_keys=True)
        for cell in nb.get("cells", []):
            if cell.get("outputs"):
                cell["outputs"] = one_output_each(cell["outputs"])
        if json.dumps(nb, sort_keys=True) != before:
            # nbformat's own layout, so the file reads as the one MyST-NB wrote.
            text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def one_output_per_download(app, exception):
    """After the pages are written (and their notebooks copied to _sources/): fix those."""
    if exception is None and app.builder.format == "html":
        fix_downloads(Path(app.outdir))


def setup(app):
    app.add_config_value("course_language", "en", "html", [str])
    app.connect("html-page-context", add_language_switch)
    app.connect("config-inited", use_local_mathjax)
    app.connect("config-inited", add_static_files)
    app.add_css_file(CSS_FILE)
    app.add_js_file(JS_FILE, priority=JS_PRIORITY)
    app.connect("html-page-context", local_badges_and_labels)
    # After sphinx-book-theme (priority 501) has built its header buttons.
    app.connect("html-page-context", retarget_launch_buttons, priority=900)
    app.connect("html-page-context", dedupe_scripts, priority=1000)
    app.connect("build-finished", copy_mathjax)
    app.connect("build-finished", one_output_per_download)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    # python book/_ext/course_ext.py _build/html: list the cells that print a line twice.
    found = download_problems(Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html"))
    print("\n".join(found) or "every downloadable notebook prints each line once")
    sys.exit(1 if found else 0)
