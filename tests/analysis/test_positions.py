"""Positions computed per top-level statement are exactly libcst's whole-module positions."""
from __future__ import annotations

import ast
from typing import Callable

import libcst as cst
import pytest
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

from eiglint.positions import Positions, parse_chunked
from eiglint.slicing import statement_starts
from tests.conftest import FIXTURES

ODD = {
    "header_and_footer.py": ("#!/usr/bin/env python\n# header\n\nimport torch\n\n\nx = 1\n"
                             "# footer\n"),
    "no_trailing_newline.py": "import torch\ndef f(a):\n    return a.real",
    "semicolons_and_continuations.py": "a = 1; b = (2 +\n    3)\nc = \\\n  4\n",
    "decorated_and_nested.py": ("import functools\n\n\n@functools.lru_cache()\n# note\ndef f(x):\n"
                                "    class C:\n        y = [x,\n             x]\n    return C\n"),
    "crlf.py": "x = 1\r\nif x:\r\n    y = x\r\n",
    "empty.py": "",
}


def _sources() -> list:
    files = sorted((FIXTURES / "rules").glob("*.py")) + sorted((FIXTURES / "parity").glob("*.py"))
    return [(p.name, p.read_text()) for p in files] + sorted(ODD.items())


@pytest.mark.parametrize("name, text", _sources(), ids=lambda v: v if len(v) < 60 else "")
def test_every_node_has_the_whole_module_position(name: str, text: str) -> None:
    module = cst.parse_module(text)
    want = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    got = Positions(module)
    nodes = [n for n in want if n is not module]
    assert nodes or not text.strip()
    for node in reversed(nodes):  # any order: each statement is computed when first asked
        assert got.get(node) == want[node], (name, module.code_for_node(node)[:60])
    assert got.get(module) is None and got.get(cst.Name("unseen")) is None


def test_line_map_sends_lines_to_the_original_file() -> None:
    module = cst.parse_module("import torch\nv = torch.ones(2)\nw = v.real\n")
    stmt = module.body[2]
    got = Positions(module, line_map=(3, 10, 42))[stmt]
    assert got == CodeRange(CodePosition(42, 0), CodePosition(42, 10))


def _syntactic(module: cst.Module, positions: Callable[[cst.CSTNode], object]) -> list:
    """(kind, position) of every expression and statement, in code order."""
    kinds = (cst.BaseExpression, cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    order = wrapper.resolve(PositionProvider)  # code order of the nodes
    return [(type(n).__name__, positions(n)) for n in order if isinstance(n, kinds)]


@pytest.mark.parametrize("name, text", _sources(), ids=lambda v: v if len(v) < 60 else "")
def test_a_module_parsed_in_chunks_has_the_same_statements_and_positions(name: str,
                                                                          text: str) -> None:
    whole = cst.parse_module(text)
    want = MetadataWrapper(whole, unsafe_skip_copy=True).resolve(PositionProvider)
    tree = ast.parse(text)
    module, starts = parse_chunked(text, statement_starts(tree), min_lines=0)
    got = Positions(module, starts=starts)
    assert len(module.body) == len(whole.body)
    assert [whole.code_for_node(s.with_changes(leading_lines=())) for s in whole.body] == \
        [module.code_for_node(s.with_changes(leading_lines=())) for s in module.body]
    assert _syntactic(module, got.get) == _syntactic(whole, want.get)


def test_chunks_are_used_on_a_long_module_and_kept_apart_from_comments() -> None:
    text = "import torch\n" + "".join(f"# c{i}\n\ndef f{i}(a):\n    return a.real\n\n"
                                      for i in range(3))
    module, starts = parse_chunked(text, statement_starts(ast.parse(text)), min_lines=0)
    assert starts == {0: 1, 1: 4, 2: 9, 3: 14}
    # a node of the last function is where the whole parse puts it
    got = Positions(module, starts=starts)[module.body[3]]
    assert got == CodeRange(CodePosition(14, 0), CodePosition(15, 17))
    # unequal default indentation: parsed whole (the same module libcst gives)
    mixed = "def f(a):\n  return a\ndef g(a):\n    return a\n"
    module, starts = parse_chunked(mixed, [1, 3], min_lines=0)
    assert starts == {} and module.code == mixed
