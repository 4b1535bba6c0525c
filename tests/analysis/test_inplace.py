"""Values stored in place through a helper that fills its argument: the whole-module tracker
follows them, and the CLI's slice (eiglint.slicing) keeps the call that fills."""
from __future__ import annotations

import textwrap

from eiglint.api import lint_source
from eiglint.tracker import analyze_text

FILL = textwrap.dedent('''
    import numpy as np

    rng = np.random.default_rng(0)
    A = rng.standard_normal((5, 5))
    w, V = np.linalg.eigh(A + A.T)


    def fill(store, x):
        store["pe"] = x[:, 1:3]


    def fill_copy(store, x):
        store = dict(store)
        store["pe"] = x[:, 1:3]


    d = {}
    fill(d, V)
    bad = np.maximum(d["pe"], 0)
    d2 = {}
    fill(d2, V ** 2)
    ok = np.maximum(d2["pe"], 0)
    d3 = {"pe": np.ones((5, 2))}
    fill_copy(d3, V)
    ok2 = np.maximum(d3["pe"], 0)
''')


def test_a_helper_that_fills_its_argument_changes_the_callers_object() -> None:
    got = {(f.line, f.code) for f in analyze_text(FILL, "fill.py")}
    assert got == {(20, "EIG203")}


def test_the_cli_slice_keeps_a_call_that_fills_its_argument() -> None:
    got = {(f.line, f.code) for f in lint_source(FILL, "fill.py")}
    assert got == {(20, "EIG203")}
