"""Families of sources: a decomposition evaluated once per loop iteration or comprehension item
is a new decomposition each time (``[eigh(H(k))[1][:, 0] for k in ks]``, a Tucker factor per
mode). Its outputs carry the member marker :data:`eiglint.domain.MEMBER` (this iteration's
gauge: values of one iteration pair with each other); an element read back from the container
is labelled by the index or view it was read at, so ``vdot(states[i], states[i + 1])`` carries
two gauges and a product of overlaps along an open chain keeps its end points' gauges.

The label of a read is index arithmetic where the index is a loop variable plus a constant
(``states[i + 1]``, ``states[(i + 1) % n]``, ``states[i - 1]``), a constant (``states[-1]``),
or the position in a view iterated in step with others (``zip(states, states[1:])``,
``np.roll(states, -1)``, ``states[1:] + states[:1]``): :func:`eiglint.domain.telescope`
decides from it whether a product of links closes. Any other index keeps its text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from .. import domain as D
from ..values import Abs, Coll, DictVal, Seq
from .shared import AnalysisBase, Span
from .syntax import dotted, literal, target_names


@dataclass(frozen=True)
class _View:
    """An iterated view of a family: member ``(position + offset)``, modulo the family's
    length when ``cyclic``; ``length`` is the view's own length."""

    family: str
    offset: int
    length: D.Extent
    cyclic: bool = False
    flat: bool = False


class FamiliesMixin(AnalysisBase):

    def per_iteration(self, value: Abs, sources: Iterable[int]) -> Abs:
        """An output of a decomposition: inside a loop or comprehension of this analysis, the
        current iteration's member of the family."""
        sids: FrozenSet[int] = frozenset(sources)
        if self.varying and sids and isinstance(value, (D.Cov, D.Pending)):
            return D.as_member(value, sids)
        return value

    def note_span(self, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
        """Record what the loop variable of ``for target in iterable`` runs over (``range``,
        ``enumerate``); any other loop makes its variables unknown."""
        for n in target_names(target):
            self.spans.pop(n.value, None)
        call = iterable if isinstance(iterable, cst.Call) else None
        name = dotted(call.func) if call is not None and isinstance(
            call.func, (cst.Name, cst.Attribute)) else ""
        if call is None or any(a.keyword is not None or a.star for a in call.args):
            return
        span: Optional[Span] = None
        var = target
        if name == "range" and 1 <= len(call.args) <= 2:
            first = _int(call.args[0].value) if len(call.args) == 2 else 0
            if first is not None:
                span = Span(first, call.args[-1].value)
        elif name == "enumerate" and len(call.args) == 1 and isinstance(target, cst.Tuple) \
                and target.elements:
            var = target.elements[0].value
            span = Span(0, counted=self.text(call.args[0].value, 200))
        if span is not None and isinstance(var, cst.Name):
            self.spans[var.value] = span

    def note_length(self, st: cst.Assign) -> None:
        """``m = len(states)``: ``m`` counts the members of ``states``."""
        v = st.value
        counted = None
        if isinstance(v, cst.Call) and isinstance(v.func, cst.Name) and v.func.value == "len" \
                and len(v.args) == 1:
            counted = self.text(v.args[0].value, 200)
        for t in st.targets:
            if isinstance(t.target, cst.Name):
                if counted is not None and len(st.targets) == 1:
                    self.lengths[t.target.value] = counted
                else:
                    self.lengths.pop(t.target.value, None)

    def read_label(self, container: cst.BaseExpression, index: cst.BaseExpression) -> str:
        """The label of ``container[index]``: its index arithmetic, or else its text."""
        family = self.text(container, 200)
        arith = self._arith(index)
        if arith is not None:
            var, offset, mod = arith
            span = self.spans.get(var)
            read = D.ChainRead(
                family, var, offset, span.start if span else 0,
                self._span_stop(span, family) if span else None,
                self._extent(mod, family) if mod is not None else None)
            if mod is None or read.modulus is not None:
                label = D.chain_read_label(read)
                if label is not None:
                    return label
        return self.text(index, 200)

    def zip_labels(self, node: cst.Call, args: Sequence[cst.BaseExpression],
                   members: Sequence[Abs]) -> List[str]:
        """The labels of the members ``zip(*args)`` reads at one position: index arithmetic
        when every argument is a view of one family, else the arguments' texts. ``members``:
        an element of each argument."""
        views = [_view(self, a) for a in args]
        family = {v.family for v in views if v is not None}
        flat = any(v is not None and v.flat and not (
            isinstance(m, (D.Inv, D.Cov)) and m.ndim == 0) for v, m in zip(views, members))
        if not views or None in views or len(family) != 1 or flat:
            return [self.text(a, 200) for a in args]
        stop = D.Extent(D.FAMILY_LENGTH, min(v.length.delta for v in views if v is not None))
        whole = D.Extent(D.FAMILY_LENGTH)
        labels: List[str] = []
        for a, v in zip(args, views):
            assert v is not None
            label = D.chain_read_label(D.ChainRead(v.family, f"zip{self.node_key(node)}",
                                                   v.offset, 0, stop,
                                                   whole if v.cyclic else None))
            labels.append(label if label is not None else self.text(a, 200))
        return labels

    def _arith(self, ex: cst.BaseExpression) -> Optional[
            Tuple[str, int, Optional[cst.BaseExpression]]]:
        """``ex`` as ``(loop variable + offset) % modulus`` (variable ``""``: a constant)."""
        k = _int(ex)
        if k is not None:
            return "", k, None
        if isinstance(ex, cst.Name):
            return (ex.value, 0, None) if ex.value in self.spans else None
        if not isinstance(ex, cst.BinaryOperation):
            return None
        if isinstance(ex.operator, cst.Modulo):
            inner = self._arith(ex.left)
            return (inner[0], inner[1], ex.right) if inner and inner[0] and inner[2] is None \
                else None
        sign = 1 if isinstance(ex.operator, cst.Add) else -1 if isinstance(
            ex.operator, cst.Subtract) else 0
        left, right = self._arith(ex.left), _int(ex.right)
        if sign and left is not None and left[2] is None and right is not None:
            return left[0], left[1] + sign * right, None
        if sign == 1 and _int(ex.left) is not None:
            r = self._arith(ex.right)
            k = _int(ex.left)
            if r is not None and r[2] is None and k is not None:
                return r[0], r[1] + k, None
        return None

    def _span_stop(self, span: Span, family: str) -> Optional[D.Extent]:
        if span.counted is not None:
            return D.Extent(D.FAMILY_LENGTH) if span.counted == family else None
        return self._extent(span.stop, family) if span.stop is not None else None

    def _extent(self, ex: cst.BaseExpression, family: str) -> Optional[D.Extent]:
        """A length written as ``ex`` (``len(states) - 1``, ``n`` with ``n = len(states)``,
        ``m``): in terms of ``family``'s own length where it counts that family."""
        k = _int(ex)
        if k is not None:
            return D.Extent("", k)
        if isinstance(ex, cst.BinaryOperation) and isinstance(ex.operator,
                                                              (cst.Add, cst.Subtract)):
            base, k = self._extent(ex.left, family), _int(ex.right)
            if base is None or k is None:
                return None
            return D.Extent(base.symbol, base.delta + (k if isinstance(ex.operator, cst.Add)
                                                       else -k))
        if isinstance(ex, cst.Call) and isinstance(ex.func, cst.Name) \
                and ex.func.value == "len" and len(ex.args) == 1:
            counted = self.text(ex.args[0].value, 200)
            return D.Extent(D.FAMILY_LENGTH if counted == family else f"len({counted})")
        if isinstance(ex, cst.Name):
            alias = self.lengths.get(ex.value)
            return D.Extent(D.FAMILY_LENGTH if alias == family else ex.value)
        return None

    def part_view(self, value: Abs) -> Abs:
        """``value`` (a collection) sliced: its items no longer cover a loop's whole range."""
        if isinstance(value, Coll):
            return Coll(self.part_view(value.elem))
        if isinstance(value, Seq):
            return Seq(tuple(self.part_view(v) for v in value.items), value.names, value.kind)
        if isinstance(value, (D.Cov, D.Pending)):
            return D.part_of_range(value)
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
            product = D.telescope(v) if isinstance(v, D.Cov) else None
            if product is not None:
                out[name] = product
        return out


def _int(node: cst.BaseExpression) -> Optional[int]:
    v = literal(node)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _view(a: FamiliesMixin, node: cst.BaseExpression) -> Optional[_View]:
    """``node`` as a view of a family: ``states``, ``states[1:]``, ``states[:-1]``, the
    rotations ``states[1:] + states[:1]`` and ``np.roll(states, -1)`` (axis 0)."""
    whole = D.Extent(D.FAMILY_LENGTH)
    if isinstance(node, (cst.Name, cst.Attribute)):
        return _View(a.text(node, 200), 0, whole)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 \
            and isinstance(node.slice[0].slice, cst.Slice) \
            and isinstance(node.value, (cst.Name, cst.Attribute)):
        sl = node.slice[0].slice
        lo = _int(sl.lower) if sl.lower is not None else 0
        hi = _int(sl.upper) if sl.upper is not None else 0
        if sl.step is not None or lo is None or hi is None or lo < 0 or hi > 0:
            return None
        return _View(a.text(node.value, 200), lo, D.Extent(D.FAMILY_LENGTH, hi - lo))
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        tail, head = _view(a, node.left), _slice_head(a, node.right)
        if tail is not None and head is not None and not tail.cyclic \
                and (tail.family, tail.offset) == head and tail.length.delta == -tail.offset:
            return _View(tail.family, tail.offset, whole, cyclic=True)
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, (cst.Name, cst.Attribute)) \
            and dotted(node.func).rsplit(".", 1)[-1] == "roll":
        pos = [x for x in node.args if x.keyword is None]
        kw = {x.keyword.value: x.value for x in node.args if x.keyword is not None}
        shift_node = pos[1].value if len(pos) > 1 else kw.get("shift", kw.get("shifts"))
        axis_node = pos[2].value if len(pos) > 2 else kw.get("axis", kw.get("dims"))
        base = _view(a, pos[0].value) if pos else None
        shift = _int(shift_node) if shift_node is not None else None
        if base is None or base.offset or base.cyclic or shift is None or (
                axis_node is not None and _int(axis_node) != 0):
            return None
        # without an axis, `roll` shifts the flattened array: a rotation of the members only
        # where each member is a scalar
        return _View(base.family, -shift, whole, cyclic=True, flat=axis_node is None)
    return None


def _slice_head(a: FamiliesMixin, node: cst.BaseExpression) -> Optional[Tuple[str, int]]:
    """``states[:k]`` as ``(family, k)``."""
    if isinstance(node, cst.Subscript) and len(node.slice) == 1 \
            and isinstance(node.slice[0].slice, cst.Slice) \
            and isinstance(node.value, (cst.Name, cst.Attribute)):
        sl = node.slice[0].slice
        k = _int(sl.upper) if sl.upper is not None else None
        if sl.lower is None and sl.step is None and k is not None and k > 0:
            return a.text(node.value, 200), k
    return None


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
