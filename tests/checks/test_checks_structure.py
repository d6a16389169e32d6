"""The self-checks package reads in one sitting (issue "House round 3").

* One helper, ``checks._compare._hinted``, adds to a mismatch the hint of the first typical
  mistake the answer shows; the modules of the checks no longer catch mismatches to do it.
* Imports stand at the top of each module, each name from the module that defines it;
  ``import nma_dl.checks`` still loads no torch.
* No module of the package over 400 lines, no function over 50.

What the checks print is pinned word for word in test_check_messages.
"""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest
import torch

import nma_dl.checks

CHECKS = pathlib.Path(nma_dl.checks.__file__).parent
MODULES = sorted(CHECKS.glob("*.py"))


def _tree(path):
    return ast.parse(path.read_text(encoding="utf-8"))


def _functions(tree):
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    ]


# --------------------------------------------------------------------------- the hint helper


def _raise_in(got, hints, message="the output is off by 1", **kwargs):
    # Imported here, not above, so that only these tests fail where the helper is missing.
    from nma_dl.checks._compare import _hinted
    from nma_dl.checks._core import _Mismatch

    with pytest.raises(_Mismatch) as caught, _hinted(got, hints, **kwargs):
        raise _Mismatch(message)
    return str(caught.value)


def test_hinted_adds_the_hint_of_the_first_mistake_that_fits():
    got = torch.tensor([1.0, -2.0])
    hints = [
        (torch.tensor([5.0, 5.0]), "; not this one"),
        (lambda value: bool((value < 0).any()), "; it has a negative value"),
        (got.clone(), "; nor this one, though it fits too"),
    ]
    assert _raise_in(got, hints) == "the output is off by 1; it has a negative value"


def test_hinted_compares_candidates_with_same_by_default_close_tensors():
    got = torch.tensor([1.0, 2.0])
    assert _raise_in(got, [(got + 1e-7, ": close")]) == "the output is off by 1: close"
    assert _raise_in(got, [(got[:1], ": other shape")]) == "the output is off by 1"
    assert _raise_in(None, [(got, ": not a tensor")]) == "the output is off by 1"
    near = _raise_in(0.5, [(0.5 + 1e-9, ": near")], same=lambda a, b: abs(a - b) < 1e-6)
    assert near == "the output is off by 1: near"


def test_hinted_reads_its_hints_only_on_a_mismatch():
    from nma_dl.checks._compare import _hinted

    read = []

    def mistakes():
        read.append(True)
        yield (lambda _: True), "; always"

    with _hinted(1.0, mistakes()):
        pass  # the answer matched: no candidate is computed
    assert read == []
    assert _raise_in(1.0, mistakes()) == "the output is off by 1; always" and read == [True]
    with pytest.raises(ZeroDivisionError), _hinted(1.0, mistakes()):
        1 / 0  # noqa: B018 - any other error is not a mismatch, and goes through untouched


def test_no_module_of_a_check_catches_a_mismatch_to_add_a_hint():
    # Catching a mismatch `as` something is what adding to its message takes.
    for path in MODULES:
        if path.name in ("_core.py", "_compare.py"):
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ExceptHandler) and node.name:
                assert ast.unparse(node.type) != "_Mismatch", f"{path.name} line {node.lineno}"


# --------------------------------------------------------------------------- imports


def test_imports_stand_at_the_top_or_say_why_not():
    for path in MODULES:
        lines = path.read_text(encoding="utf-8").splitlines()
        for function in _functions(_tree(path)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    said = (
                        "#" in lines[node.lineno - 1] or lines[node.lineno - 2].strip()[:1] == "#"
                    )
                    assert said, f"{path.name} line {node.lineno}: {ast.unparse(node)}"


def test_names_are_imported_from_the_module_that_defines_them():
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.module in ("nma_dl", "nma_dl.checks"):
                names = [alias.name for alias in node.names]
                assert path.name == "__init__.py", f"{path.name} line {node.lineno}: {names}"


def test_importing_the_checks_loads_no_torch():
    code = "import sys, nma_dl.checks as c; print(len(c.__all__), 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, torch_loaded = out.stdout.split()
    assert int(n) > 15 and torch_loaded == "False"


# --------------------------------------------------------------------------- sizes


def test_no_module_is_over_400_lines():
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in MODULES}
    assert max(lengths.values()) <= 400, lengths


def test_no_function_is_over_50_lines():
    for path in MODULES:
        for function in _functions(_tree(path)):
            length = function.end_lineno - function.lineno + 1
            name = getattr(function, "name", "a lambda")
            assert length <= 50, f"{path.name}: {name} has {length} lines"
