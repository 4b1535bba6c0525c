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

import importlib
import inspect
import os
import sys
from typing import Any

import pytest

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


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(p) for p in FILES])
def test_fixture_outputs(path: str) -> None:
    folder, name = os.path.split(os.path.abspath(path))
    modname = os.path.splitext(name)[0]
    sys.path.insert(0, folder)
    sys.modules.pop(modname, None)
    try:
        mod = importlib.import_module(modname)
        for key in sorted(vars(mod)):
            if not key.startswith("_"):
                _show(f"{name}:{key}", vars(mod)[key])
        for key, fn in sorted(vars(mod).items()):
            if inspect.isfunction(fn) and fn.__module__ == modname and not key.startswith(
                    "_") and not any(p.default is p.empty and p.kind in (
                        p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                    for p in inspect.signature(fn).parameters.values()):
                _show(f"{name}:{key}()", fn())
    finally:
        sys.path.remove(folder)
        sys.modules.pop(modname, None)
