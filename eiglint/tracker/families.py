"""Families of sources: a decomposition evaluated once per loop iteration or comprehension item
is a new decomposition each time (``[eigh(H(k))[1][:, 0] for k in ks]``, a Tucker factor per
mode). Its outputs carry the member marker :data:`eiglint.domain.MEMBER` (this iteration's
gauge: values of one iteration pair with each other); an element read back from the container
is labelled by the index or view it was read at, so ``vdot(states[i], states[i + 1])`` carries
two gauges and a product of overlaps along an open chain keeps its end points' gauges.
"""
from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Set

import libcst as cst

from .. import domain as D
from ..values import Abs, Coll, DictVal, Seq
from .shared import AnalysisBase


class FamiliesMixin(AnalysisBase):

    def per_iteration(self, value: Abs, sources: Iterable[int]) -> Abs:
        """An output of a decomposition: inside a loop or comprehension of this analysis, the
        current iteration's member of the family."""
        sids: FrozenSet[int] = frozenset(sources)
        if self.varying and sids and isinstance(value, (D.Cov, D.Pending)):
            return D.as_member(value, sids)
        return value

    def member_view(self, value: Abs, label: str) -> Abs:
        """``value`` (a container of per-iteration values) as read at ``label``."""
        if isinstance(value, Coll):
            return Coll(self.member_view(value.elem, label))
        if isinstance(value, Seq):
            return Seq(tuple(self.member_view(v, label) for v in value.items), value.names,
                       value.kind)
        if isinstance(value, DictVal):
            # a record per iteration (`summaries.append({"core": core, ...})`)
            return DictVal(tuple((k, self.member_view(v, label)) for k, v in value.items))
        if isinstance(value, (D.Cov, D.Pending)):
            return D.member_read(value, label)
        return value

    def carried(self, env: Dict[str, Abs]) -> Dict[str, Abs]:
        """Variables at the end of a loop iteration, as the next iteration sees them: a value
        of this iteration's decomposition is the previous member there (``prev = v`` then
        ``vdot(prev, v)`` pairs two different states). Containers keep their members."""
        return {k: D.member_read(v, "prev") if isinstance(v, (D.Cov, D.Pending)) else v
                for k, v in env.items()}

    def closed_products(self, loop: cst.CSTNode, env: Dict[str, Abs]) -> Dict[str, Abs]:
        """``env`` after ``loop`` with the products it accumulates over a closed chain
        (``p *= vdot(s[i], s[(i + 1) % n])``, ``p = p * link``) made invariant: around the whole
        loop the links telescope to nothing."""
        names = self.syntax_memo.get(("products", id(loop)))
        if names is None:
            # a pure function of the loop's text, asked at every run of the loop
            names = self.syntax_memo[("products", id(loop))] = _product_accumulators(loop)
        out = dict(env)
        for name in names:
            v = out.get(name)
            if isinstance(v, D.Cov) and D.closed_chain(v):
                out[name] = D.Inv(ndim=0)
        return out


def _product_accumulators(loop: cst.CSTNode) -> FrozenSet[str]:
    """Names a loop body multiplies into themselves: ``p *= x`` or ``p = p * x``."""
    found: Set[str] = set()

    class _Visitor(cst.CSTVisitor):
        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            if isinstance(node.operator, cst.MultiplyAssign) and isinstance(node.target,
                                                                             cst.Name):
                found.add(node.target.value)

        def visit_Assign(self, node: cst.Assign) -> None:
            v = node.value
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) \
                    and isinstance(v, cst.BinaryOperation) \
                    and isinstance(v.operator, cst.Multiply):
                name = node.targets[0].target.value
                if any(isinstance(side, cst.Name) and side.value == name
                       for side in (v.left, v.right)):
                    found.add(name)

    loop.visit(_Visitor())
    return frozenset(found)
