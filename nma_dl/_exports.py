"""Lazy re-exports (PEP 562): a package names its modules, and their ``__all__`` are its names.

A public name is written once, in the ``__all__`` of the module that defines it. A package
(``nma_dl``, ``nma_dl.models``, ...) lists the modules it re-exports; :func:`lazy_exports` reads
their ``__all__`` from the source files, without importing them, so ``import nma_dl`` stays
instant and imports neither torch nor matplotlib. A name is imported on first use.
"""

import ast
import pathlib
import re
import sys
from importlib import import_module

# A module's ``__all__`` is one literal list at the top level, as ruff formats it.
_ALL = re.compile(r"^__all__ = (\[.*?\])$", re.S | re.M)


def public_names(path):
    """Return the names of the ``__all__`` list of the module at ``path``.

    Parameters
    ----------
    path : pathlib.Path
        A module's source file.

    Returns
    -------
    list of str

    Raises
    ------
    ImportError
        If the file has no ``__all__ = [...]`` list, or more than one.
    """
    found = _ALL.findall(path.read_text(encoding="utf-8"))
    if len(found) != 1:
        raise ImportError(f"{path} must assign one literal __all__ list, found {len(found)}")
    return ast.literal_eval(found[0])


def lazy_exports(package, modules):
    """Map each name of the modules' ``__all__`` to its module, and load it on first use.

    Parameters
    ----------
    package : str
        The package's ``__name__``; its ``__init__`` calls this.
    modules : sequence of str
        Its modules, relative and dotted (``"data.files"``).

    Returns
    -------
    where : dict
        ``{public name: module}``.
    getattr_, dir_ : callable
        The package's ``__getattr__`` and ``__dir__`` (PEP 562).

    Raises
    ------
    ImportError
        If two modules export the same name.
    """
    folder = pathlib.Path(sys.modules[package].__file__).parent
    where = {}
    for module in modules:
        path = folder.joinpath(*module.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        for name in public_names(path):
            if name in where:
                raise ImportError(f"{name!r} is exported by both {where[name]} and {module}")
            where[name] = module

    def getattr_(name):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        vars(sys.modules[package])[name] = value  # cache: later lookups skip this function
        return value

    def dir_():
        return sorted(set(vars(sys.modules[package])) | set(where))

    return where, getattr_, dir_
