"""Check the built course site in a real browser: every page, as a reader sees it.

Usage, for a person::

    python tools/sitecheck _build/html            # screenshots in _build/screenshots/
    python tools/sitecheck _build/html --verbose  # also the detail of passing checks

and from the test suite (``tests/site/test_site.py``)::

    results = check_site(Path("_build/html"))

The site is served by a static HTTP server on 127.0.0.1 (a free port) and opened in headless
Debian Chromium (``/usr/bin/chromium``) driven by Playwright; no browser is ever downloaded.
Requests to any other host (the video players, ...) are aborted by a route, so a run is fast,
offline and deterministic; their failures and the console messages they cause are expected and
ignored. Everything a page loads from the site itself must load, and it loads nothing else but
the lazy video players: no image, script or font from a third party.

Checks on every page (a check with nothing to look at on a page passes, saying so):

``console``    no JavaScript error (console error or uncaught exception) from the site's own files;
``requests``   every request to the site succeeded (no failed load, no HTTP status >= 400), and
               none went to a third party except a video player's frame;
``mathjax``    MathJax (served from ``_static/mathjax``) finished typesetting, every ``.math``
               element holds rendered output, no TeX error, and the page text outside code has no
               raw ``$...$``, ``$$``, ``\\(``, ``\\[`` or ``\\begin{...}`` left;
``figures``    every local image loaded (``naturalWidth > 0``) and each code cell shows as many
               figures as its executed notebook produced, where a *figure* is an output whose
               rendered MIME type (MyST-NB's priority order with this book's overrides) is an
               image, plus each ``<img src="data:image/...">`` inside a rendered ``text/html``
               output (the static fallback of a widget). A cell that calls ``plt.show()`` must have
               produced at least one figure: an empty notebook output is a broken build (for
               instance ``MPLBACKEND=Agg`` inherited by the kernel), not a match;
``solutions``  the page has one solution cell (tag ``exercise-solution``) per solution in the
               notebook; each solution's code is hidden on load, its outputs stay visible, and
               clicking its toggle shows the code;
``stubs``      exercise stubs (tag ``exercise-stub``) show no output and nothing on the page shows
               an error trace;
``launch``     the Colab launch button of a tutorial page ``book/<day>/<WxDy>_Tutorial<n>.html``
               opens ``notebooks/student/<slug>.ipynb`` (``<slug>`` = ``<day>/<WxDy>_Tutorial<n>``)
               and the page's badges open the student and the with-solutions
               (``notebooks/solutions/``) notebooks in Colab and Kaggle, all under
               ``repository.url``/``branch`` of ``_config.yml``; no Colab/Kaggle/GitHub link of the
               page points anywhere else in the repository;
``nav``        the left navigation is visible and links every file of ``_toc.yml``;
``widgets``    outputs of widgets show their static fallback, non-empty and once, and no output
               shows a raw widget repr (``Tab(children=...``), widget JSON or "Loading widget";
``videos``     each lecture video block (``display_videos``) has as many tabs as lazy-loaded
               players (``loading="lazy"``) and "Watch on" links after it; each player's ``src``
               is the expected player address (YouTube only from ``youtube-nocookie.com``), read
               from the page while the request itself is blocked like any other external one;
               the first tab's player shows on load and clicking a tab shows its player only;
``links``      every same-site ``href``/``src`` names a file that exists, a link to a page names a
               page of *this* build (one of its documents, listed in ``searchindex.js``, or one of
               Sphinx's own pages), not a leftover of an earlier build with another layout, and
               every ``#anchor`` of a same-site link, on the page itself or on another page,
               exists in its target page;
``axe``        axe-core (``axe-playwright-python``'s copy; WCAG 2.1 A and AA rules, best
               practices and experimental rules such as label-content-name-mismatch) finds no
               critical or serious violation inside the article (``article.bd-article``), in
               light and dark mode, at 1280 and 375 px wide; violations in the theme around it
               (header, sidebars) are counted apart and printed, not failed
               (``PageResult.axe_line``);
``alt``        every ``<img>`` in the article has alt text, and it is not a file name or path;
``mobile``     at 375 px the page does not scroll sideways and nothing in the article (formula,
               image, table, code, frame) sticks out of the screen or is clipped, unless a
               scrollable box holds it;
``keyboard``   Tab reaches every solution toggle and Enter opens it; no formula is a Tab stop;
               every Tab stop in the article shows a visible focus style (outline or shadow);
``paths``      no output or text of the article shows a path of the machine that built the site:
               a ``PosixPath(``/``WindowsPath(`` repr, the book root, the home folder, the Python
               prefix, a ``site-packages`` folder, or an absolute path under ``/home/``,
               ``/work/``, ``/tmp/``, ``/root/``, ``/Users/``, ... (code cells' source excluded);
``streams``    no code cell shows two output boxes of the same stream in a row (a training log
               printed line by line is one box: ``nb_merge_streams`` in ``_config.yml``);
``install``    the install cell of a tutorial (tag ``nma-header``) is folded on load behind a
               toggle that reads as its first comment line, and the toggle shows its code;
``labels``     at 375 px, the smallest text of each figure in a cell output (the tick labels of
               the course's matplotlib style: ``nma_dl/plotting/course.mplstyle``) renders at
               least :data:`LABEL_MIN_PX` CSS px tall: its size in the PNG (points x the PNG's
               dpi / 72) x rendered width / natural width; a figure shown at that scale that is
               wider than the column scrolls in its own focusable, labelled box (``course.js``).
``lang``       ``<html lang>`` is the site's language (``course_language`` of its ``_config.yml``);
``switch``     the page has one language switch (``nav.course-language``), whose one link, named
               for a screen reader, reached by Tab, with ``hreflang`` and ``lang`` the other
               language, opens the same page in the other site (``ja/<page>`` from an English
               page, ``<page>`` from ``ja/<page>``), an existing file; so does the head's
               ``<link rel="alternate" hreflang>``;
``prose``      on a translated page, no paragraph, list item, definition, heading, admonition title
               or figure caption of the article is left in English: with code, printed output and
               maths removed, a text with no Japanese character and a run of five English words
               (:func:`english_run`) fails, unless its catalog keeps it in English on purpose
               (flag ``verbatim`` in ``book/_locale/<lang>/**/*.po``: the references).

Text is the reader's: code (``pre``/``code``) and rendered equations are left out of the raw-TeX
search, so a ``$`` in a code cell is fine, while a ``$`` pair in prose (``costs $5 or $6``) would
be reported. The expected outputs of a tutorial are those of its executed notebook
(``_build/jupyter_execute``), or of the build's jupyter-cache record when MyST-NB took the outputs
from the cache and wrote that notebook without them.

The pages checked are those of this build; HTML files left in the folder by an earlier build
(``jupyter-book build`` never deletes them; ``make book`` starts from an empty ``_build/html``)
are not pages of the site, and the command line lists them.

The Japanese site (``_build/html/ja``, copied there by ``make book``) is a site of its own: not
pages of the English one, nor leftovers. ``check_site(Path("_build/html/ja"))`` checks it, page
by page, with every check, its book root being ``_build/ja/src`` (``_config.yml``, ``_toc.yml``)
and its executed notebooks ``_build/ja/_build/jupyter_execute``. Either site is checked with the
whole ``_build/html`` served, so links from one to the other resolve.

A full-page screenshot of each page (as loaded, before any toggle is clicked) is saved under
``screenshots/<page>.png``. The expected values come from the built site's neighbours: the book
root (``_config.yml``, ``_toc.yml``) and ``_build/jupyter_execute`` (MyST-NB's executed notebooks).

The parts, each small enough to read at once:

``expected.py``       what the pages must show (:class:`Site`, from ``_config.yml``, ``_toc.yml``
                      and the executed notebooks: :func:`notebook_cells`);
``pages.py``          the pages of a build and where a same-site URL leads;
``browser.py``        the local HTTP server, the browser and what one page load does
                      (:class:`_PageWatch`);
``checks.py``         the checks that read the page's facts (``js/facts.js``, one round trip);
``clicks.py``         the checks that click (solutions, videos, install cell);
``accessibility.py``  axe-core, alt text, a phone's width, the keyboard, figure labels;
``language.py``       the language of a page, its switch, prose left untranslated;
``page.py``           one page, every check (:func:`check_page`); the site (:func:`check_site`);
``cli.py``            the command line (``__main__.py`` runs it);
``results.py``        :class:`Check` and :class:`PageResult`;
``js/*.js``           the JavaScript run in the page, one function per file (``scripts.py``
                      reads them).
"""

from __future__ import annotations

from .accessibility import (
    A11Y_VIEWS,
    ARTICLE,
    AXE_OPTIONS,
    LABEL_MIN_PX,
    axe_view,
    check_accessibility,
    count_axe,
)
from .accessibility import _check_labels as _check_labels
from .browser import CHROMIUM, launch_browser, serve
from .checks import _check_paths as _check_paths
from .checks import _check_streams as _check_streams
from .cli import main
from .expected import (
    DEFAULT_DPI,
    DEFAULT_LABEL_PT,
    LABEL_STYLE,
    CellExpectation,
    Site,
    default_root,
    executed_notebook,
    is_sub_site,
    load_site,
    notebook_cells,
    png_dpi,
    shown_outputs,
    smallest_font_pt,
)
from .language import (
    ENGLISH_RUN,
    JAPANESE,
    MIN_ENGLISH_WORDS,
    english_run,
    is_verbatim,
    markdown_text,
    verbatim_passages,
)
from .language import _check_lang as _check_lang
from .language import _check_prose as _check_prose
from .language import _check_switch as _check_switch
from .page import CHECKS, check_page, check_site
from .pages import SUB_SITES, built_pages, leftover_pages, site_pages, sub_sites
from .results import AxeCount, Check, PageResult
from .scripts import JS_DIR, script

__all__ = [
    "A11Y_VIEWS",
    "ARTICLE",
    "AXE_OPTIONS",
    "CHECKS",
    "CHROMIUM",
    "DEFAULT_DPI",
    "DEFAULT_LABEL_PT",
    "ENGLISH_RUN",
    "JAPANESE",
    "JS_DIR",
    "LABEL_MIN_PX",
    "LABEL_STYLE",
    "MIN_ENGLISH_WORDS",
    "SUB_SITES",
    "AxeCount",
    "CellExpectation",
    "Check",
    "PageResult",
    "Site",
    "axe_view",
    "built_pages",
    "check_accessibility",
    "check_page",
    "check_site",
    "count_axe",
    "default_root",
    "english_run",
    "executed_notebook",
    "is_sub_site",
    "is_verbatim",
    "leftover_pages",
    "load_site",
    "main",
    "markdown_text",
    "notebook_cells",
    "png_dpi",
    "script",
    "serve",
    "shown_outputs",
    "site_pages",
    "smallest_font_pt",
    "sub_sites",
    "verbatim_passages",
    "launch_browser",
]
