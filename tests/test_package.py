"""The top-level package: every advertised name resolves to one definition."""

import importlib
import subprocess
import sys

import pytest

import nma_dl


@pytest.mark.parametrize("name", nma_dl.__all__)
def test_every_public_name_resolves_to_its_module(name):
    value = getattr(nma_dl, name)
    module = importlib.import_module(f"nma_dl.{nma_dl._WHERE[name]}")
    assert getattr(module, name) is value


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = nma_dl.nope


def test_names_are_defined_once():
    assert len(nma_dl.__all__) == len(set(nma_dl.__all__))


def test_import_is_light():
    code = "import sys, nma_dl; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imports_of(path, modules):
    """Which of ``modules`` the module at ``path`` imports (at any depth in its code)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if node.module == "nma_dl" and alias.name in nma_dl._WHERE:
                    found.add(f"nma_dl.{nma_dl._WHERE[alias.name]}")  # the defining module
                elif f"{node.module}.{alias.name}" in modules:
                    found.add(f"{node.module}.{alias.name}")  # from a package import a module
                else:
                    found.add(node.module)
    return found & modules


def test_modules_import_downward_only():
    # The import graph between nma_dl's modules has no cycle, so the modules stand in floors,
    # each above what it uses; the private checks module stands below everything.
    import graphlib
    import pathlib

    root = pathlib.Path(nma_dl.__file__).parent
    paths = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: _imports_of(path, set(paths)) - {name} for name, path in paths.items()}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle
    assert graph["nma_dl._validate"] == set()
