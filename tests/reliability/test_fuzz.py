"""Fuzzing: generated programs never make the analyser raise or report an internal error, and
its findings are deterministic; random and mutated bytes never make the reader raise."""
from __future__ import annotations

import ast
from typing import List

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eiglint.api import lint_data, lint_source
from tests.conftest import FIXTURES, fixture_files

FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

VARS = ["V", "W", "U", "S", "X", "Y", "Z", "vals", "out"]
IMPORTS = [
    "import torch", "import numpy as np", "import scipy.linalg as sla", "import jax.numpy as jnp",
    "from torch.linalg import eigh as E", "from numpy.linalg import svd", "import torch as T",
    "from scipy.sparse.linalg import eigsh", "from sklearn.utils.extmath import randomized_svd",
]
SOURCES = [
    "vals, {v} = torch.linalg.eig(A)", "vals, {v} = np.linalg.eigh(A)",
    "U, S, {v} = torch.linalg.svd(A)", "{v} = torch.linalg.eigh(A).eigenvectors",
    "{v} = E(A)[1]", "_, {v} = sla.eig(A)", "{v} = svd(A)[0]", "{v} = A.svd()[2]",
    "{v} = jnp.linalg.eigh(A)[1]", "{v} = eigsh(A, k=3)[1]", "{v} = T.lobpcg(A)[1]",
    "{v} = randomized_svd(A, 3, flip_sign=False)[0]", "res = torch.linalg.eig(A)\n{v} = res[1]",
    "decomp = torch.linalg.eigh\n{v} = decomp(A)[1]", "{v} = torch.randn(3, 3)",
]
EXPRS = [
    "{a} * {a}.conj()", "{a}.real", "{a}.imag", "{a}.abs()", "{a}[:, 0] > 0", "{a} @ {b}",
    "{a}.sum(-1)", "torch.exp({a})", "{a}.T", "({a}, {b})", "[x * 2 for x in {a}]",
    "{{k: {a} for k in range(2)}}", "{a} if cond else {b}", "{a} + 1", "{a} ** 2",
    "{a} / {a}[0]", "torch.angle({a})", "{a}.mT @ {a}", "{a}[..., ::-1]", "np.sign({a})",
    "torch.cat([{a}, {b}], -1)", "{a}.clone().detach()", "model({a})", "helper({a})",
    "Box({a}).get()", "sorted({a})", "max({a})", "{a}.mean(0).sum()", "-{a}",
    "{a}.view_as_real()", "{a}.numpy()", "list(map(abs, {a}))", "(lambda t: t.sum())({a})",
    "{a} == {b}", "not {a}", "{a}[idx]", "{a}.unsqueeze(0).expand(2, -1, -1)",
]


@st.composite
def statement(draw: st.DrawFn, depth: int = 0) -> List[str]:
    a, b, t = draw(st.sampled_from(VARS)), draw(st.sampled_from(VARS)), draw(
        st.sampled_from(VARS))
    kinds = ["source", "assign", "assign", "aug", "swap", "expr", "del", "walrus"]
    if depth < 3:
        kinds += ["if", "for", "while", "try", "with", "def", "class", "comp"]
    kind = draw(st.sampled_from(kinds))
    e = draw(st.sampled_from(EXPRS)).format(a=a, b=b)
    body = lambda: [  # noqa: E731
        "    " + line for s in draw(st.lists(statement(depth + 1), min_size=1, max_size=3))
        for line in s]
    if kind == "source":
        return draw(st.sampled_from(SOURCES)).format(v=t).split("\n")
    if kind == "assign":
        return [f"{t} = {e}"]
    if kind == "aug":
        return [f"{t} {draw(st.sampled_from(['+=', '*=', '-=', '@=']))} {a}"]
    if kind == "swap":
        return [f"{a}, {b} = {b}, {a}"]
    if kind == "expr":
        return [e]
    if kind == "del":
        return [f"del {a}"]
    if kind == "walrus":
        return [f"if ({t} := {e}) is not None:", f"    print({t})"]
    if kind == "if":
        return [f"if {a}.sum() > 0:", *body(), "else:", *body()]
    if kind == "for":
        return [f"for i, {t} in enumerate({a}):", *body()]
    if kind == "while":
        return [f"while {a} is not None:", *body(), "    break"]
    if kind == "try":
        return ["try:", *body(), "except Exception as exc:", f"    {t} = exc", "finally:",
                f"    print({a})"]
    if kind == "with":
        return ["with torch.no_grad():", *body()]
    if kind == "def":
        name = draw(st.sampled_from(["helper", "f", "g"]))
        return [f"def {name}({a}, *args, k=1, **kw):", *body(), f"    return {e}"]
    if kind == "class":
        return ["class Box:", f"    def __init__(self, {a}):", f"        self.v = {a}",
                "    def get(self):", f"        return self.v.real if self.v is not None "
                f"else {b}", "    @property", "    def p(self):", "        return self.v"]
    return [f"{t} = [({e}) for {a} in range(3) if {a}]"]


@st.composite
def program(draw: st.DrawFn) -> str:
    imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=5, unique=True))
    stmts = draw(st.lists(statement(), min_size=1, max_size=12))
    lines = ["import torch", "import numpy as np", *imports]
    lines += [line for s in stmts for line in s]
    return "\n".join(lines) + "\n"


@FUZZ
@given(program())
def test_generated_programs_never_break_the_analyser(src: str) -> None:
    ast.parse(src)  # the generator only makes valid Python
    first = lint_source(src, "fuzz.py")
    assert not [f for f in first if f.kind == "file"], (src, first)
    assert lint_source(src, "fuzz.py") == first


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_never_make_the_reader_raise(data: bytes) -> None:
    out = lint_data(data, "random.py")
    assert all(f.code != "EIG999" for f in out), out
    assert lint_data(data, "random.py") == out


_SEEDS = [p.read_bytes() for p in fixture_files("rules")[:40]] + [
    (FIXTURES / "project" / "pkg" / "train.py").read_bytes()]


@FUZZ
@given(st.sampled_from(_SEEDS),
       st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["del", "ins", "set"]),
                          st.binary(min_size=1, max_size=4)), min_size=1, max_size=6))
def test_mutated_real_files_never_make_the_reader_raise(seed: bytes, edits: list) -> None:
    data = bytearray(seed)
    for pos, op, chunk in edits:
        pos = pos % (len(data) + 1)
        if op == "del":
            del data[pos:pos + len(chunk)]
        elif op == "ins":
            data[pos:pos] = chunk
        else:
            data[pos:pos + len(chunk)] = chunk
    out = lint_data(bytes(data), "mutated.py")
    assert all(f.code != "EIG999" for f in out), (bytes(data), out)
    assert lint_data(bytes(data), "mutated.py") == out


@pytest.mark.parametrize("data", [
    b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nx = 1\n",  # BOM + conflicting cookie
    b"# -*- coding: no-such-codec -*-\nx = 1\n",
    b"\xff\xfe\x00\x00",
    b"x = '\\N{NOT A NAME}'\n",
    b"\r\r\r\n\x0c\x0b",
    b"def f(:\n" * 5000,
    b"x = " + b"[" * 200 + b"]" * 200 + b"\n",
    b"if 1:\n" + b"".join(b" " * i + b"if 1:\n" for i in range(1, 120)) + b" " * 120 + b"x\n",
])
def test_reader_edge_cases(data: bytes) -> None:
    out = lint_data(data, "edge.py")
    assert all(f.code != "EIG999" for f in out)
    assert all(f.kind == "file" for f in out)
