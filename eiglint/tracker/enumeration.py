"""Tables that enumerate the whole sign group: ``torch.tensor(list(product([1., -1.], repeat=3)))``.

Frame averaging (Puny et al.) multiplies the k columns of a real eigenvector (or singular
vector) matrix by every pattern of ``{+1, -1}^k`` and averages what a network computes on each
frame. A change of gauge ``V -> V diag(d)`` only *permutes* the frames (``V diag(d) diag(s)`` is
the frame of the pattern ``d * s``): the set of frames is invariant, so a reduction over the
pattern axis of anything computed frame by frame is invariant too. The algebra of characters
cannot say that (each frame alone carries the sign of its columns), and what follows the
enumeration (a network applied to all frames, an average over them) is beyond what eiglint
models, so a value multiplied by such a table is no longer followed: neither invariant nor a
finding. A partial enumeration (a filtered product, ``repeat=1`` broadcast over k columns, a
hand-written list of some patterns) is an ordinary array and the product stays covariant.
"""
from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

from .syntax import literal

#: the callables whose result, wrapped in a list, is the table of all sign patterns
PRODUCT = "itertools.product"

#: wrappers that keep the rows of an iterable (their order does not matter)
ROW_KEEPERS = frozenset({"builtins.list", "builtins.tuple", "builtins.sorted"})

Resolver = Callable[[cst.BaseExpression], Optional[str]]


def _is_sign_pair(node: cst.BaseExpression) -> bool:
    """A literal list or tuple holding exactly the two signs, ``[1, -1]`` / ``(-1.0, 1.0)``."""
    lit = literal(node)
    if not isinstance(lit, tuple) or len(lit) != 2:
        return False
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in lit):
        return False
    return sorted(float(v) for v in lit) == [-1.0, 1.0]


def _is_full_product(node: cst.BaseExpression, resolve: Resolver) -> bool:
    """``product(S, repeat=k)`` with ``k >= 2``, or ``product(S, S, ...)`` with two or more
    copies, ``S`` the two signs: every pattern of k signs, each once."""
    if not isinstance(node, cst.Call) or resolve(node.func) != PRODUCT:
        return False
    positional = [a for a in node.args if a.keyword is None]
    keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
    if any(a.star for a in node.args) or set(keywords) - {"repeat"}:
        return False
    if not positional or not all(_is_sign_pair(a.value) for a in positional):
        return False
    repeat = literal(keywords["repeat"]) if "repeat" in keywords else 1
    if not isinstance(repeat, int) or isinstance(repeat, bool):
        return False
    # with k = 1 the single sign would broadcast over all the columns: only a global flip,
    # a partial enumeration of the group
    return len(positional) * repeat >= 2


def full_sign_table(node: cst.BaseExpression, resolve: Resolver) -> bool:
    """Is ``node`` (the data given to an array constructor) the list of all sign patterns?

    ``list(product(...))``, ``tuple(...)``, ``sorted(...)``, ``[*product(...)]`` and
    ``[p for p in product(...)]`` (no condition: a filter keeps only part of the group)."""
    if isinstance(node, cst.Call) and resolve(node.func) in ROW_KEEPERS and len(node.args) == 1 \
            and node.args[0].keyword is None and not node.args[0].star:
        return _is_full_product(node.args[0].value, resolve)
    if isinstance(node, cst.List) and len(node.elements) == 1 and isinstance(
            node.elements[0], cst.StarredElement):
        return _is_full_product(node.elements[0].value, resolve)
    if isinstance(node, cst.ListComp) and node.for_in.inner_for_in is None \
            and not node.for_in.ifs and isinstance(node.for_in.target, cst.Name):
        elt, var = node.elt, node.for_in.target.value
        if isinstance(elt, cst.Call) and resolve(elt.func) in ROW_KEEPERS and len(elt.args) == 1:
            elt = elt.args[0].value
        return isinstance(elt, cst.Name) and elt.value == var and _is_full_product(
            node.for_in.iter, resolve)
    return False
