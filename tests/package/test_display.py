"""Every dependency visible: the display module, imports at the top, the package's map, glossary.

* :mod:`nma_dl.display` holds the machinery that shows a widget in a notebook and a static stand-in
  on the book's pages; :mod:`nma_dl.widgets` and :mod:`nma_dl.videos` build on it, and the videos
  no longer need the widgets (nor torch).
* The display, widget and video modules import at the top, so what each needs is read in its
  first lines; an import left inside a function says why in a comment.
* The package docstring's map puts each module and each name it mentions where the code has it,
  and its glossary names only arguments that the functions it cites really take.
"""

import ast
import importlib
import inspect
import pathlib
import re
import subprocess
import sys

import nma_dl

ROOT = pathlib.Path(nma_dl.__file__).parent


def _run(code):
    """Run ``code`` in a fresh interpreter and return what it printed (it must exit cleanly)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.split()


# ------------------------------------------------------------------ the display module


def test_the_display_machinery_lives_in_nma_dl_display():
    display = importlib.import_module("nma_dl.display")
    for name in ("StaticFallback", "figure_html", "show_figure"):
        assert getattr(display, name).__module__ == "nma_dl.display", name
    # Plumbing, not the course's API: nma_dl exports none of it (the list in
    # tests/package/test_package.py).
    assert display.__all__ == [] and "display" in nma_dl._MODULES
    assert not {"StaticFallback", "figure_html", "show_figure"} & set(nma_dl.__all__)
    # Light: the videos import it, and nothing of it needs torch or ipywidgets.
    code = "import sys, nma_dl.display; print('torch' in sys.modules, 'ipywidgets' in sys.modules)"
    assert _run(code) == ["False", "False"]


def test_widgets_still_offers_static_fallback_where_the_trainers_import_it():
    # nma_dl.training (train_test_classification's progress widget) imports it from there.
    widgets = importlib.import_module("nma_dl.widgets")
    display = importlib.import_module("nma_dl.display")
    assert widgets.StaticFallback is display.StaticFallback


def test_videos_need_neither_the_widgets_nor_torch():
    code = (
        "import sys, nma_dl.videos; print('nma_dl.widgets' in sys.modules, 'torch' in sys.modules)"
    )
    assert _run(code) == ["False", "False"]


def test_import_nma_dl_stays_free_of_torch_and_matplotlib():
    code = "import sys, nma_dl; print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    assert _run(code) == ["False", "False"]


# ------------------------------------------------------------------ imports at the top

MODULES_IMPORTING_AT_THE_TOP = ["display.py", "widgets.py", "videos.py"]


def _function_level_imports(path):
    """``(line, statement)`` of each import inside a function that no comment explains.

    The comment is on the import's line or right above it (``# ... because ...``).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, (ast.Import, ast.ImportFrom)):
                line = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2].strip()
                if "#" not in line and not above.startswith("#"):
                    found.append((inner.lineno, line.strip()))
    return sorted(set(found))  # ast.walk meets a nested function's imports twice


def test_imports_are_at_the_top_or_say_why_not(tmp_path):
    # The rule itself: an unexplained import in a function is found, an explained one is not.
    probe = tmp_path / "m.py"
    probe.write_text(
        "import os\n\n\ndef f():\n    import json\n\n    # torch only when called: the import "
        "of the package stays light\n    import math\n    return json, math, os\n"
    )
    assert _function_level_imports(probe) == [(5, "import json")]
    found = {
        name: _function_level_imports(ROOT / name) if (ROOT / name).is_file() else "missing"
        for name in MODULES_IMPORTING_AT_THE_TOP
    }
    assert found == {name: [] for name in MODULES_IMPORTING_AT_THE_TOP}


# ------------------------------------------------------------------ the package's map


def _section(start, end):
    """The package docstring from the words ``start`` up to the words ``end``."""
    doc = nma_dl.__doc__
    return doc[doc.index(start) : doc.index(end)]


def _map():
    return _section("Where things live", "Names are loaded lazily").split("Glossary")[0]


def _glossary():
    return _section("Glossary", "Names are loaded lazily")


def _bullets(text):
    """The text of each ``* ...`` bullet, its continuation lines joined."""
    return [" ".join(b.split()) for b in re.split(r"^\* ", text, flags=re.M)[1:]]


def _module_exists(dotted):
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _map_entries(text):
    """``(module, word)`` for each module the map ``text`` names and each public name after it.

    In a bullet, a subpackage quoted with its slash (data/) opens a list of its modules, quoted
    by their last name (files); a public name belongs to the module quoted last before it.
    """
    entries = []
    for bullet in _bullets(text):
        package = module = None
        for quoted, word in re.findall(r"``([\w./]+)``|\b(\w+)\b", bullet):
            if quoted.endswith("/"):
                package = module = quoted.rstrip("/")
            elif quoted:
                module = f"{package}.{quoted}" if package else quoted
                entries.append((module, None))
            elif word in nma_dl._WHERE:
                entries.append((module, word))
    return entries


def test_the_map_names_only_modules_that_exist_and_every_exported_one():
    named = {module for module, word in _map_entries(_map()) if word is None}
    assert [m for m in sorted(named) if not _module_exists(m)] == []
    assert set(nma_dl._MODULES) - named == set()


def test_the_map_puts_each_name_it_mentions_in_the_module_that_defines_it():
    # The rule sees the stale line this map replaced (decode_orientation is in training.py).
    stale = (
        "* ``encoding``: its gratings and its two trainers, decode_orientation, train_encoder\n"
    )
    assert ("encoding", "decode_orientation") in _map_entries(stale)
    misplaced = [
        f"{word} is in {nma_dl._WHERE[word]}, not {module}"
        for module, word in _map_entries(_map())
        if word is not None and nma_dl._WHERE[word] != module
    ]
    assert misplaced == []


# ------------------------------------------------------------------ the glossary


def _parameters():
    """``{public callable: its parameter names}``, but for the self-checks (``func``, ``cls``)."""
    found = {}
    for name, module in nma_dl._WHERE.items():
        if module.startswith("checks."):
            continue
        value = getattr(nma_dl, name)
        if callable(value):
            try:
                found[name] = set(inspect.signature(value).parameters)
            except (TypeError, ValueError):  # a builtin without a signature
                continue
    return found


def test_the_glossary_cites_only_functions_that_take_the_argument():
    params = _parameters()
    claims = re.findall(r"((?:``\w+``, )*``\w+``) \(in ([^)]*)\)", " ".join(_glossary().split()))
    assert len(claims) >= 8
    wrong = [
        f"{function} has no argument {term}"
        for terms, functions in claims
        for term in re.findall(r"``(\w+)``", terms)
        for function in re.findall(r"``(\w+)``", functions)
        if term not in params.get(function, ())
    ]
    assert wrong == []


def test_the_glossary_names_only_real_arguments_and_public_names():
    arguments = set().union(*_parameters().values())
    quoted = set(re.findall(r"``([A-Za-z_]\w*)``", _glossary()))
    assert quoted - arguments - set(nma_dl.__all__) == set()


def test_the_glossary_notes_the_names_kept_from_the_original_course():
    glossary = _glossary()
    for kept in ("num_epochs", "criterion", "L2_penalty"):
        (line,) = [b for b in _bullets(glossary) if f"``{kept}``" in b]
        assert "the course's name" in line, line
    for consistent in ("n_epochs", "loss_fn", "penalty", "generator", "seed"):
        assert f"* ``{consistent}``" in glossary or f"; ``{consistent}``" in glossary


def _private_functions():
    """``(module path, function name, parameter names)`` for each private function of nma_dl."""
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node.name.startswith("_") and not node.name.startswith("__"):
                    arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                    yield path.name, node.name, {a.arg for a in arguments}


def test_private_functions_use_the_glossary_s_own_names_not_the_course_s():
    # A together-check receives the public function's arguments by name, so it keeps them.
    bound_to_public = {"_check_classification_together"}
    kept = {"num_epochs", "criterion"}
    wrong = [
        f"{module}:{name} takes {sorted(params & kept)}"
        for module, name, params in _private_functions()
        if params & kept and name not in bound_to_public
    ]
    assert wrong == []
    # The scan sees the names it forbids: training.py's batch loop took both before.
    assert any(name == "_train_batches" for _, name, _ in _private_functions())
