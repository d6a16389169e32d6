"""The language of the package's messages: English (the default) or Japanese.

The Japanese notebooks call ``set_language("ja")`` in their setup cell; ``NMA_DL_LANG=ja`` in the
environment does the same for a whole session. What a student reads is then Japanese: the
self-checks' lines and hints, the widgets' captions and static stand-ins, the video tabs and the
data messages (downloads, the surrogate's warning). Argument errors (``ValueError``,
``TypeError``) stay English, like Python's own.

Each message is written once, in English, where it is used, and passed through :func:`tr`::

    print(tr("{name}: passed", name=name))

Its Japanese text lives in a catalog of ``nma_dl/_locale/`` (``{English: Japanese}``, one module
per area of the package); the course's tests fail on a message without its Japanese text, on a
translation whose ``{fields}`` differ from the English, and on a catalog entry no code uses.
"""

from __future__ import annotations

import os
import string
from importlib import import_module

__all__ = ["get_language", "set_language"]

LANGUAGES = ("en", "ja")
# The catalogs of nma_dl/_locale, one per area of the package.
CATALOGS = ("checks", "messages")

_chosen = None  # set by set_language; None: the environment decides
_catalog = None  # {English: Japanese}, loaded on first Japanese message


def _check(language, name):
    if not isinstance(language, str):
        raise TypeError(f"{name} must be a str, 'en' or 'ja', got {type(language).__name__}")
    if language.strip().lower() not in LANGUAGES:
        raise ValueError(
            f"{name} must be one of {', '.join(map(repr, LANGUAGES))}, got {language!r}"
        )
    return language.strip().lower()


def set_language(language):
    """Choose the language of the package's messages.

    Parameters
    ----------
    language : {"en", "ja"}
        English or Japanese. Overrides ``$NMA_DL_LANG``.

    Raises
    ------
    TypeError
        If ``language`` is not a str.
    ValueError
        If it is not one of these.

    Examples
    --------
    >>> from nma_dl import get_language, set_language
    >>> set_language("ja"); get_language()
    'ja'
    >>> set_language("en"); get_language()
    'en'
    """
    global _chosen
    _chosen = _check(language, "language")


def get_language():
    """Return the language of the package's messages.

    Returns
    -------
    {"en", "ja"}
        The one :func:`set_language` chose, else ``$NMA_DL_LANG``, else ``"en"``.

    Raises
    ------
    ValueError
        If ``$NMA_DL_LANG`` holds another value.
    """
    if _chosen is not None:
        return _chosen
    value = os.environ.get("NMA_DL_LANG", "").strip()
    return _check(value, "NMA_DL_LANG (the language of nma_dl's messages)") if value else "en"


def catalog():
    """Return the Japanese catalog: ``{English message: Japanese message}`` of every area."""
    global _catalog
    if _catalog is None:
        merged = {}
        for area in CATALOGS:
            merged.update(import_module(f"nma_dl._locale.{area}").MESSAGES)
        _catalog = merged
    return _catalog


def fields(message):
    """Return the names of the ``{fields}`` of a message, as :meth:`str.format` reads them."""
    return {name for _, name, _, _ in string.Formatter().parse(message) if name is not None}


def tr(message, /, **values):
    """Return ``message`` in the chosen language, with its ``{fields}`` filled from ``values``.

    Parameters
    ----------
    message : str
        The English text, a :meth:`str.format` template when ``values`` are given.
    **values
        The fields' values.

    Returns
    -------
    str
        The Japanese text when Japanese is chosen and the catalog has one, else the English.
    """
    text = message
    if get_language() == "ja":
        text = catalog().get(message, message)
    return text.format(**values) if values else text
