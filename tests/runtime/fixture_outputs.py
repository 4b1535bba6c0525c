"""Driver of the fixture confirmation (``test_fixture_findings_confirmed.py``), run by
``eiglint confirm FILES -- python -m pytest -q -s tests/runtime/fixture_outputs.py``.

The rule fixtures compute values and keep them in module globals; nothing prints them, so
none of their flagged values would reach an *output* of a run. This driver makes the module
values the fixtures' outputs: it imports each fixture (through confirm's import hook, so the
probes are in place), prints every numeric global, then calls every zero-argument function
the fixture defines and prints what it returns. A failing fixture fails its own test (pytest
reports it to confirm like any failing test). ``EIGLINT_FIXTURES`` lists the files
(``os.pathsep``-separated).
"""
from __future__ import annotations

import ast
import importlib
import os
import runpy
import sys
from typing import Any

import pytest

from eiglint.runtime.probes import has_main_guard

FILES = [p for p in os.environ.get("EIGLINT_FIXTURES", "").split(os.pathsep) if p]


def _show(name: str, value: Any) -> None:
    mod = type(value).__module__ or ""
    if mod.startswith("torch") and hasattr(value, "detach") and hasattr(value, "is_complex"):
        t = value.detach().cpu()
        if t.is_complex():
            t = t.resolve_conj()
            print(name, "re", t.real.tolist(), "im", t.imag.tolist())
        else:
            print(name, t.tolist())
    elif mod.startswith("numpy") and hasattr(value, "dtype"):
        import numpy as np

        a = np.asarray(value)
        if a.dtype.kind == "c":
            print(name, "re", a.real.tolist(), "im", a.imag.tolist())
        elif a.dtype.kind in "biuf":
            print(name, a.tolist())
    elif isinstance(value, (bool, int, float)):
        print(name, repr(value))
    elif isinstance(value, complex):
        print(name, "re", value.real, "im", value.imag)
    elif isinstance(value, (tuple, list)) and len(value) < 64:
        for i, item in enumerate(value):
            _show(f"{name}[{i}]", item)


def _functions(path: str) -> list[str]:
    """The fixture's top-level functions that take no arguments (by its syntax tree)."""
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            a = node.args
            if len(a.posonlyargs) + len(a.args) <= len(a.defaults) and all(
                    d is not None for d in a.kw_defaults):
                out.append(node.name)
    return out


def _has_main_block(path: str) -> bool:
    """Whether the fixture has a top-level ``if __name__ == "__main__":`` block."""
    with open(path, encoding="utf-8") as fh:
        return has_main_guard(ast.parse(fh.read()))


MAIN = "__main__"
CASES = [(p, "") for p in FILES] + [(p, f) for p in FILES for f in _functions(p)] + [
    (p, MAIN) for p in FILES if _has_main_block(p)]


def _import(path: str) -> Any:
    folder, name = os.path.split(os.path.abspath(path))
    modname = os.path.splitext(name)[0]
    sys.path.insert(0, folder)
    try:
        if modname in sys.modules and getattr(sys.modules[modname], "__file__", None) and \
                os.path.samefile(sys.modules[modname].__file__, path):
            return sys.modules[modname]
        sys.modules.pop(modname, None)
        return importlib.import_module(modname)
    finally:
        sys.path.remove(folder)


@pytest.mark.parametrize(("path", "function"), CASES,
                         ids=[os.path.basename(p) + (f":{f}" if f else "") for p, f in CASES])
def test_fixture_outputs(path: str, function: str) -> None:
    """The module's values (``function`` empty), what one zero-argument function of it
    returns, or its ``__main__`` block's output (``function`` ``__main__``): each in a test
    of its own, so that one failing check does not hide the next."""
    name = os.path.basename(path)
    if function == MAIN:
        # the import system finds the module (confirm's hook gives it its probes); the block
        # prints what it computes
        folder, base = os.path.split(os.path.abspath(path))
        sys.path.insert(0, folder)
        try:
            runpy.run_module(os.path.splitext(base)[0], run_name="__main__")
        finally:
            sys.path.remove(folder)
        return
    mod = _import(path)
    if not function:
        for key in sorted(vars(mod)):
            if not key.startswith("_"):
                _show(f"{name}:{key}", vars(mod)[key])
        return
    _show(f"{name}:{function}()", getattr(mod, function)())
