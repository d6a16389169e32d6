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
        nma_dl.nope


def test_names_are_defined_once():
    assert len(nma_dl.__all__) == len(set(nma_dl.__all__))


def test_import_is_light():
    code = "import sys, nma_dl; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
