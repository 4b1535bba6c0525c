"""One rule ranks random draws, module functions and generator methods alike: the size is the
``size``/``shape`` keyword or the positional argument the draw's signature puts it at."""
from __future__ import annotations

from typing import Optional

import libcst as cst
import pytest

from eiglint.tracker.qualnames import draw_rank


def _rank(call: str) -> Optional[int]:
    node = cst.parse_expression(call)
    assert isinstance(node, cst.Call)
    name = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
    args = [a.value for a in node.args if a.keyword is None]
    kws = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    return draw_rank(name, args, kws)


@pytest.mark.parametrize("call, rank", [
    ("rng.standard_normal((3, 50))", 2),
    ("np.random.standard_normal((3, 50))", 2),
    ("rng.standard_normal(n - 1)", 1),
    ("rng.normal(0, 1, size=8)", 1),
    ("rng.uniform(0, 1, (n, m))", 2),
    ("rs.randn(3, 4)", 2),
    ("np.random.randn(5)", 1),
    ("rng.exponential(1.0, 5)", 1),  # the size is the second argument
    ("np.random.poisson(2.0, (4, 4))", 2),
    ("rng.exponential(1.0)", None),
])
def test_draw_rank(call: str, rank: Optional[int]) -> None:
    assert _rank(call) == rank
