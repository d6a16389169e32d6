"""Security checks over everything a student runs: the package, the tutorial sources and the
generated notebooks; and over the authoring tools (``tools/``) that build and check them.

* no dynamic code: no call of the builtins ``eval``/``exec``, nor ``compile(..., "exec")``;
* no pickle: ``np.load`` never enables ``allow_pickle``, ``torch.load`` always passes
  ``weights_only=True``, and nothing calls ``pickle.load``/``loads`` (or dill, joblib, ...);
* no telemetry: no content-review or feedback widgets, analytics tags or form back-ends;
* no remote matplotlib style: ``plt.style.use`` never gets a URL.

The checks read code with :mod:`ast` (so ``net.eval()`` or ``ast.literal_eval`` are not
mistaken for ``eval``). Notebook code cells are parsed after IPython magics (``%pip``, ``!ls``)
are replaced by ``pass``; fenced Python blocks in Markdown cells (the folded solutions of the
student notebooks) are checked too. Each check is first shown to catch a planted violation.
"""

import ast
import json
import pathlib
import re
import textwrap

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------
# Collecting the code
# ---------------------------------------------------------------------------------------------

# Cell magics whose body is Python; other cell magics (%%bash, %%html, ...) are reported.
_PYTHON_CELL_MAGICS = {"capture", "time", "timeit", "prun", "debug"}
_MAGIC_LINE = re.compile(r"^(\s*)(?:[A-Za-z_][\w, ]*=\s*)?[%!]")
_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*\{?(?:code-cell\}?\s*)?(python3?|ipython3?|py)?\b.*$")


def strip_magics(source):
    """``source`` with each IPython magic or shell line replaced by ``pass`` (same indent).

    Returns None for a cell magic whose body is not Python (e.g. ``%%bash``).
    """
    lines = source.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
        if magic not in _PYTHON_CELL_MAGICS:
            return None
        lines[0] = ""
    out = []
    for line in lines:
        match = _MAGIC_LINE.match(line)
        out.append(f"{match.group(1)}pass" if match else line)
    return "\n".join(out)


def fenced_python(markdown):
    """The Python code of the fenced blocks (```python ... ```) of a Markdown text."""
    blocks, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match.group(3):
            fence, body = match.group(2), []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                body.append(lines[i])
                i += 1
            blocks.append(textwrap.dedent("\n".join(body)))
        i += 1
    return blocks


def notebook_code(cells, where):
    """(label, code) of the code cells and of fenced Python in the Markdown cells."""
    pieces = []
    for index, cell in enumerate(cells):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code":
            pieces.append((f"{where} cell {index}", strip_magics(source)))
        elif cell["cell_type"] == "markdown":
            for number, block in enumerate(fenced_python(source)):
                pieces.append(
                    (f"{where} cell {index} (Markdown code {number})", strip_magics(block))
                )
    return pieces


def _myst_cells(path):
    """Cells of a MyST Markdown notebook, read as Jupytext does."""
    import jupytext

    return jupytext.read(path)["cells"]


def collect_code(root=ROOT):
    """(label, code) for every Python file of the package, the tools and the book's extension
    (``book/_ext``), and every notebook."""
    pieces = []
    python = [
        p for folder in ("nma_dl", "tools", "book") for p in sorted((root / folder).rglob("*.py"))
    ]
    for path in python:
        pieces.append((str(path.relative_to(root)), path.read_text(encoding="utf-8")))
    for path in sorted((root / "book").rglob("*.md")):
        pieces += notebook_code(_myst_cells(path), str(path.relative_to(root)))
    for path in sorted((root / "notebooks").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        pieces += notebook_code(cells, str(path.relative_to(root)))
    return pieces


def text_files(root=ROOT):
    """Every text file students or readers get: package, book, notebooks, book config."""
    paths = [root / "_config.yml", root / "_toc.yml", root / "README.md"]
    for folder, pattern in (("nma_dl", "*"), ("book", "*"), ("notebooks", "*.ipynb")):
        paths += [
            p
            for p in (root / folder).rglob(pattern)
            if p.is_file()
            and p.suffix
            in {".py", ".md", ".ipynb", ".yml", ".mplstyle", ".html", ".css", ".js", ".txt"}
            and ".ipynb_checkpoints" not in p.parts
            and "__pycache__" not in p.parts
        ]
    return [p for p in paths if p.is_file()]


# ---------------------------------------------------------------------------------------------
# The checkers: each takes Python source and returns a list of findings ("line N: what")
# ---------------------------------------------------------------------------------------------


def _const(node):
    return node.value if isinstance(node, ast.Constant) else None


def _dotted(node):
    """'a.b.c' for a Name/Attribute chain, else ''."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _aliases(tree, module):
    """Names under which ``module`` is imported (``import numpy as np`` -> {'numpy', 'np'})."""
    names = {module}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module:
                    names.add(alias.asname or alias.name)
    return names


def _keyword(call, name, position=None):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and len(call.args) > position:
        return call.args[position]
    return None


def _has_star_kwargs(call):
    return any(keyword.arg is None for keyword in call.keywords)


def find_dynamic_code(source):
    """Calls of the builtins eval/exec, compile(..., 'exec'/'single'/'eval'), and their aliases."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "builtins":
            for alias in node.names:
                if alias.name in {"eval", "exec", "compile", "*"}:
                    found.append(f"line {node.lineno}: from builtins import {alias.name}")
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name in {
            "eval",
            "exec",
            "builtins.eval",
            "builtins.exec",
            "__builtins__.eval",
            "__builtins__.exec",
        }:
            found.append(f"line {node.lineno}: {name}(...)")
        elif name in {"compile", "builtins.compile", "__builtins__.compile"}:
            mode = _keyword(node, "mode", 2)
            if (
                mode is None
                or _const(mode) in {"exec", "single", "eval"}
                or not isinstance(mode, ast.Constant)
            ):
                shown = ast.unparse(mode) if mode else "?"
                found.append(f"line {node.lineno}: {name}(..., mode={shown})")
        elif (
            name == "getattr" and len(node.args) >= 2 and _const(node.args[1]) in {"eval", "exec"}
        ):
            found.append(f"line {node.lineno}: getattr(..., {_const(node.args[1])!r})")
    return found


_PICKLE_MODULES = {"pickle", "cPickle", "_pickle", "dill", "cloudpickle", "joblib", "shelve"}


def find_pickle_loading(source):
    """np.load enabling allow_pickle, torch.load without weights_only=True, pickle.load & co."""
    tree = ast.parse(source)
    numpy, torch = _aliases(tree, "numpy") | {"np"}, _aliases(tree, "torch")
    found = []
    for node in ast.walk(tree):
        module = node.module if isinstance(node, ast.ImportFrom) else None
        if module and module.split(".")[0] in _PICKLE_MODULES:
            names = sorted(alias.name for alias in node.names)
            if set(names) & {"load", "loads", "Unpickler", "open", "*"}:
                found.append(f"line {node.lineno}: from {module} import {', '.join(names)}")
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "torch"
            and any(alias.name == "load" for alias in node.names)
        ):
            found.append(f"line {node.lineno}: from torch import load (cannot check weights_only)")
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        head, _, attr = name.rpartition(".")
        if attr == "load" and head in numpy:
            allow = _keyword(node, "allow_pickle", 2)
            if _has_star_kwargs(node) or (allow is not None and _const(allow) is not False):
                found.append(f"line {node.lineno}: {name}(...) may enable allow_pickle")
        elif attr == "load" and head in torch:
            weights_only = _keyword(node, "weights_only")
            if weights_only is None or _const(weights_only) is not True:
                found.append(f"line {node.lineno}: {name}(...) without weights_only=True")
        elif head.split(".")[0] in _PICKLE_MODULES and attr in {
            "load",
            "loads",
            "Unpickler",
            "open",
        }:
            found.append(f"line {node.lineno}: {name}(...)")
        elif attr == "read_pickle":
            found.append(f"line {node.lineno}: {name}(...)")
    return found


_TELEMETRY = re.compile(
    r"content_review|feedback|google[-_]?analytics|googletagmanager|gtag|airtable|vibecheck|"
    r"datatops|mixpanel|segment\.io|hotjar|plausible\.io|matomo|posthog",
    re.IGNORECASE,
)


# Command-line options whose name holds a flagged word: the grader's --feedback writes the
# checks' lines for the instructor into a local folder, nothing leaves the machine.
_OPTIONS = {"--feedback"}


def find_telemetry_in_code(source):
    """Telemetry in code: names, imports and non-docstring strings (comments and docstrings are
    prose, where a word like "feedback" is harmless)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(_const(body[0].value), str):
                docstrings.add(id(body[0].value))
    found = []
    for node in ast.walk(tree):
        texts = []
        if isinstance(node, ast.Name):
            texts = [node.id]
        elif isinstance(node, ast.Attribute):
            texts = [node.attr]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            texts = [node.name]
        elif isinstance(node, ast.Import):
            texts = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            texts = [node.module or ""] + [alias.name for alias in node.names]
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value not in _OPTIONS
        ):
            texts = [node.value]
        for text in texts:
            match = _TELEMETRY.search(text)
            if match:
                line = getattr(node, "lineno", "?")
                found.append(f"line {line}: {match.group(0)!r} in {text[:60]!r}")
    return found


# In any text (prose included): only names that cannot appear innocently.
_TRACKERS = re.compile(
    r"content_review|google-analytics\.com|googletagmanager|gtag\(|airtable\.com|vibecheck|"
    r"datatops|google_analytics_id|analytics_id",
    re.IGNORECASE,
)


def find_trackers_in_text(text):
    return [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for m in _TRACKERS.finditer(text)
    ]


def find_remote_styles(source):
    """plt.style.use / matplotlib.style.use / style.use with a URL (or a list holding one)."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if not (name == "style.use" or name.endswith(".style.use") or name.endswith("rc_file")):
            continue
        for arg in list(node.args) + [k.value for k in node.keywords]:
            values = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
            for value in values:
                text = _const(value)
                if isinstance(value, ast.JoinedStr):
                    text = ast.unparse(value)
                if isinstance(text, str) and re.search(r"://|^www\.", text):
                    found.append(f"line {node.lineno}: {name}({text!r})")
    return found


CODE_CHECKS = {
    "dynamic code (eval/exec/compile)": find_dynamic_code,
    "pickle loading": find_pickle_loading,
    "telemetry": find_telemetry_in_code,
    "remote matplotlib style": find_remote_styles,
}

# ---------------------------------------------------------------------------------------------
# Each checker catches a planted violation and lets the safe look-alikes through
# ---------------------------------------------------------------------------------------------

PLANTED = [
    (find_dynamic_code, 'eval("1")'),
    (find_dynamic_code, 'x = exec("import os")'),
    (find_dynamic_code, 'code = compile("print(1)", "<s>", "exec")'),
    (find_dynamic_code, 'code = compile(src, "<s>", mode="single")'),
    (find_dynamic_code, "import builtins\nbuiltins.eval('2')"),
    (find_dynamic_code, "from builtins import exec as run"),
    (find_dynamic_code, "getattr(__builtins__, 'eval')('3')"),
    (find_dynamic_code, "def f(s):\n    return [eval(s) for _ in range(2)]"),
    (find_pickle_loading, 'import numpy as np\nnp.load("f.npz", allow_pickle=True)'),
    (find_pickle_loading, 'import numpy as xp\nxp.load("f.npy", None, True)'),
    (find_pickle_loading, 'import numpy\nnumpy.load("f.npy", **options)'),
    (find_pickle_loading, 'import torch\ntorch.load("model.pt")'),
    (find_pickle_loading, 'import torch\ntorch.load("model.pt", weights_only=False)'),
    (find_pickle_loading, "import pickle\nwith open('f', 'rb') as f:\n    data = pickle.load(f)"),
    (find_pickle_loading, "import pickle\npickle.loads(b'...')"),
    (find_pickle_loading, "from pickle import loads"),
    (find_pickle_loading, "import joblib\njoblib.load('x.joblib')"),
    (find_pickle_loading, "import pandas as pd\npd.read_pickle('x.pkl')"),
    (find_telemetry_in_code, 'content_review(f"{feedback_prefix}_Video")'),
    (find_telemetry_in_code, "from vibecheck import DatatopsContentReviewContainer"),
    (find_telemetry_in_code, 'url = "https://www.google-analytics.com/collect"'),
    (find_telemetry_in_code, 'display(HTML(\'<script>gtag("config", "G-1")</script>\'))'),
    (find_telemetry_in_code, 'requests.post("https://api.airtable.com/v0/app/feedback", json={})'),
    (
        find_remote_styles,
        # Split so that repository-wide greps for remote styles do not flag this planted case.
        "import matplotlib.pyplot as plt\nplt.style.use(" + '"https://example.org/x/y.mplstyle")',
    ),
    (
        find_remote_styles,
        'import matplotlib\nmatplotlib.style.use(["default", "http://x.org/a.mplstyle"])',
    ),
    (find_remote_styles, 'plt.style.use(f"https://example.org/{name}.mplstyle")'),
]

SAFE = [
    (find_dynamic_code, "net.eval()\nmodel.eval()"),
    (find_dynamic_code, "import ast\nast.literal_eval('1')\nast.parse('x', mode='eval')"),
    (find_dynamic_code, "import re\nre.compile('a+')"),
    (
        find_pickle_loading,
        'import numpy as np\nnp.load("f.npz")\nnp.load("f.npz", allow_pickle=False)',
    ),
    (find_pickle_loading, 'import torch\ntorch.load("m.pt", weights_only=True)'),
    (find_pickle_loading, "import json\njson.load(open('f.json'))"),
    (
        find_telemetry_in_code,
        '"""Neurons are wired with feedback everywhere."""\n# feedback loops\nx = 1',
    ),
    (
        find_remote_styles,
        'plt.style.use("nma_dl/styles/course.mplstyle")\nplt.style.use(str(PATH))',
    ),
]


def _ids(cases):
    return [f"{check.__name__}: {source[:40]}" for check, source in cases]


@pytest.mark.parametrize("check, source", PLANTED, ids=_ids(PLANTED))
def test_checker_catches_a_planted_violation(check, source):
    assert check(source), f"{check.__name__} missed: {source!r}"


@pytest.mark.parametrize("check, source", SAFE, ids=_ids(SAFE))
def test_checker_lets_safe_code_through(check, source):
    assert check(source) == []


def test_the_graders_feedback_option_is_no_telemetry_but_a_feedback_form_is():
    assert find_telemetry_in_code('parser.add_argument("--feedback", dest="notes_dir")') == []
    assert find_telemetry_in_code('post("https://example.org/feedback", data=answers)')


def test_trackers_in_prose_are_caught_but_the_word_feedback_is_not():
    assert find_trackers_in_text('<script async src="https://www.googletagmanager.com/gtag/js">')
    assert find_trackers_in_text("html:\n  google_analytics_id: G-XXXX\n")
    assert find_trackers_in_text("content_review(f'{feedback_prefix}_Video')")
    assert find_trackers_in_text("Real neurons are wired with feedback everywhere.") == []


def test_magics_are_neutralised_and_notebook_code_is_found(tmp_path):
    # the install cell of every notebook: a %pip line inside an except block
    cell = 'try:\n    import nma_dl\nexcept ImportError:\n    %pip install nma-dl\n!ls\neval("1")'
    stripped = strip_magics(cell)
    ast.parse(stripped)  # valid Python once the magics are gone
    assert find_dynamic_code(stripped) == ["line 6: eval(...)"]
    assert strip_magics("%%bash\necho hi") is None
    assert strip_magics("%%capture\nx = 1").strip() == "x = 1"
    assert strip_magics("files = !ls\n") == "pass"

    notebook = {
        "cells": [
            {"cell_type": "code", "source": ["%pip install x\n", "net.eval()\n", 'exec("1")\n']},
            {"cell_type": "code", "source": 'content_review(f"{feedback_prefix}_Video")'},
            {
                "cell_type": "markdown",
                "source": "Solution:\n\n```python\nimport pickle\npickle.load(f)\n```\n",
            },
        ]
    }
    path = tmp_path / "notebooks" / "student" / "planted.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(notebook))
    myst = tmp_path / "book" / "planted.md"
    myst.parent.mkdir()
    myst.write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  name: python3\n  display_name: Python 3\n---\n\n# Planted\n\n"
        "```{code-cell} ipython3\nimport matplotlib.pyplot as plt\n"
        "plt.style.use("
        "'https://example.org/s.mplstyle')\n```\n"
    )
    (tmp_path / "nma_dl").mkdir()
    (tmp_path / "nma_dl" / "bad.py").write_text('import torch\nstate = torch.load("m.pt")\n')
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "bad_tool.py").write_text('import pickle\npickle.loads(b"")\n')
    findings = _scan(tmp_path)
    kinds = {kind for kind, _, _ in findings}
    assert kinds == set(CODE_CHECKS), findings
    assert any("planted.ipynb cell 2 (Markdown code 0)" in where for _, where, _ in findings)
    assert ("pickle loading", "tools/bad_tool.py", "line 2: pickle.loads(...)") in findings


# ---------------------------------------------------------------------------------------------
# The real checks
# ---------------------------------------------------------------------------------------------


def _scan(root):
    findings = []
    for where, code in collect_code(root):
        if code is None:
            findings.append(("non-Python cell magic", where, "cannot be checked"))
            continue
        try:
            ast.parse(code)
        except SyntaxError as error:
            findings.append(("unparsable code", where, f"line {error.lineno}: {error.msg}"))
            continue
        for kind, check in CODE_CHECKS.items():
            findings += [(kind, where, finding) for finding in check(code)]
    return findings


@pytest.fixture(scope="module")
def findings():
    return _scan(ROOT)


def test_the_scan_sees_the_package_the_tools_and_the_notebooks():
    where = [label for label, _ in collect_code()]
    assert "nma_dl/__init__.py" in where and len([w for w in where if w.startswith("nma_dl/")]) > 5
    assert {
        "tools/nbtools.py",
        "tools/sitecheck/__init__.py",
        "tools/benchmark_notebooks.py",
    } <= set(where)
    assert "book/_ext/course_ext.py" in where
    assert any(label.startswith("book/W1D5_DeepLearning/W1D5_Tutorial1.md") for label in where)
    assert any(label.startswith("notebooks/student/") for label in where)
    assert any(label.startswith("notebooks/reference/") for label in where)


@pytest.mark.parametrize("kind", list(CODE_CHECKS) + ["non-Python cell magic", "unparsable code"])
def test_no_violation_anywhere(findings, kind):
    mine = [f"{where}: {what}" for k, where, what in findings if k == kind]
    assert not mine, f"{kind}:\n" + "\n".join(mine)


def test_no_tracker_in_any_text():
    hits = [
        f"{path.relative_to(ROOT)} {hit}"
        for path in text_files()
        for hit in find_trackers_in_text(path.read_text("utf-8"))
    ]
    assert not hits, "\n".join(hits)


def test_book_config_sets_no_analytics():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    html = config.get("html") or {}
    assert not html.get("google_analytics_id")
    assert not (html.get("analytics") or {})
    sphinx_config = (config.get("sphinx") or {}).get("config") or {}
    theme = sphinx_config.get("html_theme_options") or {}
    assert not theme.get("analytics")


def test_data_is_loaded_without_pickle_at_run_time(tmp_path):
    # Beyond the static check: a file that needs pickle is refused by load_data.
    import numpy as np

    from nma_dl.data import load_data

    path = tmp_path / "evil.npz"
    np.savez(path, resp=np.array([[object()]], dtype=object), stimuli=np.zeros(1))
    with pytest.raises(ValueError, match="allow_pickle=False"):
        load_data(path=path)


# The one shell line of the course: the install cell's %pip. Nothing from _config.yml may reach
# it unchecked (a branch such as `main"; curl … | sh` once could): a github.com URL, a release
# tag and single quotes around the requirement, in every generated notebook and tutorial source.
_PIP_LINE = re.compile(
    r"%pip install --quiet --upgrade "
    r"'nma-dl @ git\+https://github\.com/[A-Za-z0-9-]+/[A-Za-z0-9._-]+@v\d+\.\d+\.\d+'"
)


def test_every_install_cell_runs_one_quoted_pip_line_at_a_release_tag():
    sources = sorted(ROOT.glob("notebooks/*/*/*.ipynb")) + sorted(
        ROOT.glob("book/*/W*_Tutorial*.md")
    )
    assert sources
    for path in sources:
        text = path.read_text("utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(
                "".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code"
            )
        pip_lines = [
            line.strip() for line in text.splitlines() if "%pip" in line or "!pip" in line
        ]
        assert len(pip_lines) == 1, f"{path.relative_to(ROOT)}: {pip_lines}"
        assert _PIP_LINE.fullmatch(pip_lines[0]), f"{path.relative_to(ROOT)}: {pip_lines[0]}"
