"""Slicing (eiglint.slicing): the tracker sees only what can hold a tracked value, and reports
exactly what it reports on the whole module, at the same positions."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from eiglint import prefilter
from eiglint.project import Project
from eiglint.settings import DEFAULT_SETTINGS
from eiglint.slicing import Slice
from eiglint.tracker import analyze_text
from tests.conftest import FIXTURES

Row = Tuple[int, int, str, str]


def _slice(text: str, path: str = "<mod>") -> Optional[Slice]:
    idx = prefilter.ChargeIndex(Project((), DEFAULT_SETTINGS))
    hit = prefilter.find_word(text, idx.words)
    d = idx.decide(ast.parse(text), text, path, hit)
    return d.slice if d.analyse else None


def _rows(text: str, line_map: Tuple[int, ...] = ()) -> List[Row]:
    return [(f.line, f.col, f.code, f.message)
            for f in analyze_text(text, "<mod>", DEFAULT_SETTINGS, None, line_map)]


def _same(text: str) -> Slice:
    sl = _slice(text)
    assert sl is not None
    full = _rows(text)
    assert full, "the example must have findings"
    assert _rows(sl.text, sl.line_map) == full
    return sl


BIG_CLASS = textwrap.dedent('''
    import torch

    def helper(v):
        return v.sum(1)

    def unrelated(op):
        return op + 1

    class Suite:
        def setup(self):
            self.n = 3

    ''') + "\n".join(
    f"    def case_{i}(self):\n        return torch.ones({i}).sum()\n" for i in range(40)) + \
    textwrap.dedent('''
        def spectral(self, a):
            w, v = torch.linalg.eigh(a)
            self.basis = v
            return helper(v)

        def reads(self):
            return self.basis[0] > 0
    ''').replace("\n", "\n    ") + "\n"


def test_large_class_keeps_only_the_charged_members_and_their_callees() -> None:
    sl = _same(BIG_CLASS)
    assert "def spectral" in sl.text and "def reads" in sl.text and "def helper" in sl.text
    assert "case_7" not in sl.text and "def unrelated" not in sl.text
    assert sl.kept < sl.units


TABLE = "import torch\n\nOPS = [\n" + "".join(
    f"    dict(name='op{i}', value=A * {i}, skips=('long text here',)),\n"
    for i in range(30)) + textwrap.dedent('''\
        dict(name='eigh', value=torch.linalg.eigh(A)[1].sum(1)),
        dict(name="é-unicode", value=torch.linalg.svd(A)[0][0] > 0),
    ]
    ''')


def test_table_entries_that_cannot_hold_a_value_are_blanked_and_positions_kept() -> None:
    sl = _same(TABLE)
    assert sl.blanked_entries >= 30
    assert "op7" not in sl.text and "torch.linalg.eigh" in sl.text
    lines = _rows(TABLE)
    assert {r[0] for r in lines} == {34, 35}


def test_a_parameter_is_not_the_module_level_name_it_shadows() -> None:
    text = textwrap.dedent('''
        import torch
        op = torch.linalg.eigh(A)[1]
        bad = op.sum(1)

        def unrelated(op):
            return op * 2
    ''')
    sl = _same(text)
    assert "def unrelated" not in sl.text


def test_module_with_decompositions_named_only_in_shadowed_scopes_is_skipped() -> None:
    text = textwrap.dedent('''
        def go(eigh):
            return eigh + 1
    ''')
    assert _slice(text) is None


def test_values_reach_fields_of_a_class_through_its_constructor() -> None:
    text = textwrap.dedent('''
        from dataclasses import dataclass
        import torch

        @dataclass
        class Basis:
            vectors: torch.Tensor

            def mean_vector(self):
                return self.vectors.mean(-1)

            def unrelated(self):
                return 1

        def make(a):
            return Basis(torch.linalg.eigh(a)[1])
    ''')
    sl = _same(text)
    assert "def mean_vector" in sl.text


def test_one_line_class_and_semicolons_survive() -> None:
    text = "import torch\nclass C: pass\nx = 1; v = torch.linalg.eigh(A)[1]; y = v.sum(1)\n"
    _same(text)


@pytest.mark.parametrize("path", sorted((FIXTURES / "rules").glob("*.py")) + sorted(
    (FIXTURES / "parity").glob("*.py")), ids=lambda p: p.name)
def test_every_fixture_gives_the_same_findings_on_its_slice(path: Path) -> None:
    text = path.read_text()
    sl = _slice(text, str(path))
    if sl is None:
        assert _rows(text) == []
        return
    assert _rows(sl.text, sl.line_map) == _rows(text)


def test_blanked_entries_before_a_kept_one_on_the_same_line_keep_its_column() -> None:
    entries = ", ".join(f"dict(name='entry-{i:02d}', w=1)" for i in range(20))
    text = f"import torch\nT = [{entries}, torch.linalg.eigh(A)[1][0] > 0]\n"
    sl = _same(text)
    assert sl.blanked_entries == 20 and "entry-05" not in sl.text


def test_array_api_namespace_calls_are_seeds() -> None:
    """``xp`` is a parameter: the decomposition is known by the namespace method alone."""
    text = textwrap.dedent('''
        def check(xp, X):
            w, V = xp.linalg.eigh(X.T + X)
            return V.sum(1)
    ''')
    idx = prefilter.ChargeIndex(Project((), DEFAULT_SETTINGS))
    hit = prefilter.find_word(text, idx.words)
    assert idx.decide(ast.parse(text), text, "<mod>", hit).analyse
    _same(text)


def test_a_decomposition_named_only_in_a_decorator_is_a_seed() -> None:
    """Seeds are looked for only on the lines that name one; a decorator sits above its
    ``def``, outside the function's own line range."""
    text = "import torch\n\n@torch.linalg.eigh\ndef f(a):\n    return a\n"
    sl = _slice(text)
    assert sl is not None and "def f" in sl.text


def test_an_import_after_a_semicolon_is_seen(tmp_path: Path) -> None:
    """Seeds and imports are looked for on the lines that hold the word ``import`` at all."""
    pkg = tmp_path / "pk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "spec.py").write_text("import torch\n\ndef vecs(a):\n"
                                 "    return torch.linalg.eigh(a)[1]\n")
    user = pkg / "user.py"
    user.write_text("x = 1; from pk.spec import vecs\n\nbad = vecs(A)[0] > 0\n")
    from eiglint.api import lint_file
    assert [(f.line, f.code) for f in lint_file(str(user))] == [(3, "EIG203")]


@pytest.mark.parametrize("store, read", [
    ("d = {}\nd['pe'] = V[:, 1:3]", "d['pe']"),
    ("lst = []\nlst.append(V[:, 0])", "lst[0]"),
    ("class O:\n    pass\n\n\no = O()\no.pe = V[:, 2]", "o.pe"),
    ("cfg = {'data': {}}\ncfg['data']['pe'] = V[:, 1]", "cfg['data']['pe']"),
    ("def keep(x):\n    CACHE['pe'] = x\n\n\nCACHE = {}\nkeep(V[:, 0])", "CACHE['pe']"),
    ("buf = np.zeros((5, 2))\nbuf[:] = V[:, :2]", "buf"),
    ("def fill(store, x):\n    store['pe'] = x[:, 1:3]\n\n\nd = {}\nfill(d, V)", "d['pe']"),
    ("def fill(store, x):\n    store.append(x)\n\n\nd = []\nfill(x=V, store=d)", "d[0]"),
], ids=["dict", "append", "attribute", "nested", "global-from-function", "slice-store",
        "helper-fills-argument", "helper-fills-keyword-argument"])
def test_objects_changed_in_place_by_a_charged_statement_stay_in_the_slice(
        store: str, read: str) -> None:
    """A statement that stores a charged value into an object (``d[k] = v``, ``o.x = v``,
    ``lst.append(v)``) charges the name of that object: later readers are kept. (The tracker
    itself does not follow the last three yet; the slice must not be the reason.)"""
    text = ("import numpy as np\n\nrng = np.random.default_rng(0)\n"
            "A = rng.standard_normal((5, 5))\n"
            f"w, V = np.linalg.eigh(A + A.T)\n{store}\nfeat = np.maximum({read}, 0)\n")
    sl = _slice(text)
    assert sl is not None and f"feat = np.maximum({read}, 0)" in sl.text
    assert _rows(sl.text, sl.line_map) == _rows(text)


def test_modules_are_not_objects_changed_in_place() -> None:
    """``torch.nn.init.zeros_(w)`` and ``torch.backends.x = ...`` in a charged statement do
    not charge ``torch`` (every later statement would be kept); ``w`` is charged."""
    text = textwrap.dedent('''
        import torch
        from torch import nn

        A = torch.randn(4, 4, dtype=torch.float64)
        w = torch.empty(4, 4, dtype=torch.float64)
        _, V = torch.linalg.eigh(A + A.T)
        nn.init.zeros_(w); w.add_(V); torch.backends.flag = V
        unrelated = torch.ones(3)
        other = nn.Linear(4, 4)
        feat = torch.relu(w)
    ''')
    sl = _slice(text)
    assert sl is not None
    assert "feat = torch.relu(w)" in sl.text
    assert "unrelated" not in sl.text and "other" not in sl.text
    assert _rows(sl.text, sl.line_map) == _rows(text)


def test_a_call_charges_only_the_arguments_its_function_changes_in_place() -> None:
    text = textwrap.dedent('''
        import numpy as np

        rng = np.random.default_rng(0)
        A = rng.standard_normal((5, 5))
        w, V = np.linalg.eigh(A + A.T)
        table = {'a': 1}


        def look(store, x):
            return store['a'] * x


        def fill(store, x):
            store['pe'] = x


        out = look(table, V)
        box = {}
        fill(box, V)
        other = table['a'] + 1
        feat = np.maximum(box['pe'], 0) + out
    ''')
    sl = _slice(text)
    assert sl is not None
    assert "feat = np.maximum(box['pe'], 0) + out" in sl.text and "other" not in sl.text
    assert _rows(sl.text, sl.line_map) == _rows(text)
