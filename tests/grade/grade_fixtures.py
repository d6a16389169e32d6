"""Submissions for the grader's tests, made at test time from the generated notebooks.

:func:`build` writes a folder of notebooks as a class would hand them in: student notebooks as
distributed (all stubs), the with-solutions notebooks of the two cheapest tutorials, one
notebook per exercise with only that exercise filled in, wrongly (``grade_wrong_answers.py``;
the other exercises stay stubs), the bad cases (not JSON, no cells, no tutorial, a kernel that
exits, output without end, files deleted, a check cell edited to print a fake pass with the
checks monkeypatched and a fake nma_dl written beside the notebook, the package's own function
imported as the answer, the title edited away) and a zip archive as a learning platform exports
it. :func:`build_loop` writes the two that loop forever, graded apart with a short
``--timeout``.

The notebooks under ``notebooks/`` are only read.

Run as a script (``python tests/grade/grade_fixtures.py DIR``) to build the folders by hand.
"""

from __future__ import annotations

import ast
import json
import sys
import zipfile
from pathlib import Path

from grade_wrong_answers import WRONG

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
DAYS = {
    "W1D3_Tutorial1": "W1D3_MultiLayerPerceptrons",
    "W1D5_Tutorial1": "W1D5_DeepLearning",
    "W1D5_Tutorial2": "W1D5_DeepLearning",
    "W1D5_Tutorial3": "W1D5_DeepLearning",
    "W1D5_Tutorial4": "W1D5_DeepLearning",
}
# Whole stub notebooks of three tutorials; the wrong answers leave the stubs of all five.
STUBS = ("W1D3_Tutorial1", "W1D5_Tutorial2", "W1D5_Tutorial4")
SOLUTIONS = ("W1D3_Tutorial1", "W1D5_Tutorial2")

# --------------------------------------------------------------------------- reading


def load(kind, tutorial):
    """The generated notebook ``notebooks/<kind>/<day>/<tutorial>.ipynb``, as a dict."""
    path = NOTEBOOKS / kind / DAYS[tutorial] / f"{tutorial}.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:  # one string per source, as the edits below expect
        if isinstance(cell["source"], list):
            cell["source"] = "".join(cell["source"])
    return notebook


def _defines(source, name):
    tree = ast.parse(source)
    return any(
        isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == name
        for node in tree.body
    )


def stub_index(notebook, name):
    """Index of the stub cell of the exercise that defines ``name``."""
    for index, cell in enumerate(notebook["cells"]):
        if "exercise-stub" in cell["metadata"].get("tags", []) and _defines(cell["source"], name):
            return index
    raise LookupError(f"no stub cell defines {name}: have the notebooks changed?")


def check_index(notebook, name):
    """Index of the code cell that calls ``check_<name>(``."""
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and cell["source"].lstrip().startswith(f"check_{name}("):
            return index
    raise LookupError(f"no cell calls check_{name}: have the notebooks changed?")


def imports_index(notebook):
    """Index of the setup cell, the one that imports from nma_dl (after the install cell)."""
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code" and "from nma_dl import" in cell["source"]:
            return index
    raise LookupError("no cell imports from nma_dl")


def code_cell(source):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": source}  # fmt: skip


def markdown_cell(source):
    return {"cell_type": "markdown", "metadata": {}, "source": source}


def notebook_bytes(*cells):
    """A notebook file's bytes, from ``(cell type, source)`` pairs."""
    cells = [{"cell_type": kind, "metadata": {}, "source": source} for kind, source in cells]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}).encode()


def save(notebook, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- submissions


def wrong_notebook(exercise):
    """The student notebook of the exercise's tutorial with only ``exercise`` filled in wrongly."""
    tutorial, source = WRONG[exercise]
    notebook = load("student", tutorial)
    if exercise == "loss_choice":
        after = stub_index(notebook, "DeepNetSoftmax") + 1
        notebook["cells"].insert(after, code_cell(source))
    else:
        cell = notebook["cells"][stub_index(notebook, exercise)]
        cell["source"], cell["metadata"] = source, {}
    return notebook


def _with_cell(notebook, index, source):
    notebook["cells"].insert(index, code_cell(source))
    return notebook


_PRINTS = 'for _ in range(1000):  # a gigabyte\n    print("x" * 1_000_000)\n'
_DELETES = """\
import os
import shutil

# The working folder, the notebook in it, and whatever lies beside it
shutil.rmtree(os.path.dirname(os.getcwd()))
"""
_SPOOFS = """\
import sys

import nma_dl.checks
from nma_dl.checks import CheckResult


def fake_check(*args, **kwargs):
    print("✓ passed")
    return CheckResult("Net", "passed", "✓ Net: 4/4 cases match the reference.")


# Every check of the kernel's nma_dl now says "passed", whatever it is given
for module in list(sys.modules.values()):
    if getattr(module, "__name__", "").startswith("nma_dl.checks") and hasattr(module, "_run"):
        module._run = lambda name, cases, precheck=None: CheckResult(name, "passed", f"✓ {name}")
nma_dl.checks.check_Net = check_Net = fake_check
"""
_FAKE_PACKAGE = """\
from pathlib import Path

# A fake nma_dl in the working folder, which comes first in sys.path: its grade_one says "pass"
fake = Path("nma_dl/grade")
fake.mkdir(parents=True)
Path("nma_dl/__init__.py").write_text("")
(fake / "__init__.py").write_text("")
(fake / "_inkernel.py").write_text(
    "import json\\n"
    "def grade_one(value, defined, exercise, path, token):\\n"
    "    record = {'token': token, 'exercise': exercise[0], 'status': 'pass', 'message': 'ok'}\\n"
    "    open(path, 'w').write(json.dumps(record))\\n"
)
"""


def bad_notebooks():
    """``{file name: notebook dict or bytes}``: the submissions that go wrong on purpose."""

    def w1d3():
        return load("student", "W1D3_Tutorial1")

    exits = w1d3()
    _with_cell(exits, check_index(exits, "Net") + 1, "import os\n\nos._exit(1)\n")
    quits = w1d3()
    _with_cell(quits, imports_index(quits) + 1, "exit()\n")
    prints = w1d3()
    _with_cell(prints, imports_index(prints) + 1, _PRINTS)
    deletes = w1d3()
    _with_cell(deletes, imports_index(deletes) + 1, _DELETES)
    spoofed = w1d3()
    spoofed["cells"][check_index(spoofed, "approximate_function")]["source"] = (
        'print("✓ approximate_function: 3/3 cases match the reference.")\n'
    )
    _with_cell(spoofed, imports_index(spoofed) + 1, _SPOOFS)
    _with_cell(spoofed, imports_index(spoofed) + 2, _FAKE_PACKAGE)
    spoofed["cells"][0]["source"] = "# My homework\n"  # found by its code, not its title
    imported = w1d3()
    cell = imported["cells"][stub_index(imported, "cross_entropy_loss")]
    cell["source"] = "from nma_dl import cross_entropy_loss\n"
    unknown = {"cells": [markdown_cell("# Homework of another course"), code_cell("1 + 1")],
               "metadata": {}, "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    return {
        "not_json.ipynb": b"this is not a notebook {",
        "no_cells.ipynb": {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5},
        "unknown.ipynb": unknown,
        "exits.ipynb": exits,
        "quits.ipynb": quits,
        "prints.ipynb": prints,
        "deletes.ipynb": deletes,
        "spoofed.ipynb": spoofed,
        "imported.ipynb": imported,
    }


def _write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
        return path
    return save(content, path)


def build_zip(path):
    """A zip as a platform exports it, with a traversal name, a link and macOS's copies."""
    solution = json.dumps(load("solutions", "W1D5_Tutorial2"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("alice/W1D5_Tutorial2.ipynb", solution)
        archive.writestr("../../escape.ipynb", "not JSON: must not be written anywhere")
        archive.writestr("__MACOSX/alice/._W1D5_Tutorial2.ipynb", "resource fork")
        archive.writestr("bob/readme.txt", "not a notebook, not graded")
        link = zipfile.ZipInfo("carol/link.ipynb")
        link.external_attr = (0o120777 << 16) | 0x20  # a symbolic link
        archive.writestr(link, "/etc/passwd")
    return path


def build(folder):
    """Write the submissions folder ``folder`` and ``class_export.zip`` beside it.

    Returns
    -------
    tuple of pathlib.Path
        The folder and the archive.
    """
    folder = Path(folder)
    for tutorial in STUBS:
        save(load("student", tutorial), folder / "stubs" / f"{tutorial}.ipynb")
    for tutorial in SOLUTIONS:
        save(load("solutions", tutorial), folder / "solutions" / f"{tutorial}.ipynb")
    for exercise, (tutorial, _) in WRONG.items():
        save(wrong_notebook(exercise), folder / "wrong" / f"{tutorial}-{exercise}.ipynb")
    for name, content in bad_notebooks().items():
        _write(folder / "bad" / name, content)
    return folder, build_zip(folder.parent / "class_export.zip")


def build_loop(folder):
    """A folder of two notebooks that loop forever: one in a cell, one only when checked.

    In ``W1D5_Tutorial2.ipynb`` the cell of max_pool calls it, and it never returns: the
    notebook's time runs out there. In ``W1D3_Tutorial1.ipynb``, approximate_function is only
    defined, never called by the notebook: the loop starts in its check, which stops it.
    """
    looping = '    """Waits for something that never comes."""\n    while True:\n        pass\n'
    notebook = load("student", "W1D5_Tutorial2")
    cell = notebook["cells"][stub_index(notebook, "max_pool")]
    cell["source"] = f"def max_pool(x, K):\n{looping}\n\npooled = max_pool(torch.zeros(8, 8), 2)\n"
    save(notebook, Path(folder) / "W1D5_Tutorial2.ipynb")
    notebook = load("student", "W1D3_Tutorial1")
    cell = notebook["cells"][stub_index(notebook, "approximate_function")]
    cell["source"] = f"def approximate_function(x_train, y_train):\n{looping}"
    return save(notebook, Path(folder) / "W1D3_Tutorial1.ipynb").parent


if __name__ == "__main__":
    print(*build(Path(sys.argv[1]) / "submissions"), build_loop(Path(sys.argv[1]) / "loop"))
