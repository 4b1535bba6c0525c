"""Loops and comprehensions over a sequence of known length, run item by item.

``for n, r in enumerate((2, 2, 2))`` or ``[svd(unfold(X, m))[0] for m, r in enumerate(ranks)]``
with ``ranks`` a literal tuple: each item is its own iteration, with the loop variables bound
to that item (``n`` is the literal ``0``, then ``1``, ...), so a mode product at axis ``n``
(HOSVD's ``moveaxis(tensordot(U.T, core, axes=(1, n)), 0, n)``) puts each factor's gauge on
its own axis of the core. A decomposition in the body gives each iteration its own member of
the family (:mod:`.families`): values kept from iteration ``i`` are labelled by it, so they
never pair with another iteration's. Loops over sequences of unknown length, or whose body
can leave early (``break``/``continue``), are iterated to a fixpoint as before.
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

import libcst as cst

from .. import domain as D
from ..values import Abs, Coll, DictVal, Seq
from .shared import AnalysisBase, Terminated
from .syntax import target_names

#: the most items a sequence may have to be run item by item, and the deepest nesting of
#: such runs (beyond, the fixpoint over the joined items is used)
MAX_UNROLLED_ITEMS = 8
MAX_UNROLL_DEPTH = 2


class UnrollMixin(AnalysisBase):

    def unrollable(self, value: Abs) -> Optional[Tuple[Abs, ...]]:
        """The items of ``value`` when it is a sequence short enough to run item by item."""
        if isinstance(value, Seq) and value.kind != "choice" and value.items \
                and len(value.items) <= MAX_UNROLLED_ITEMS \
                and self.unroll_depth < MAX_UNROLL_DEPTH:
            return value.items
        return None

    def _run_items(self, target: cst.BaseAssignTargetExpression, items: Sequence[Abs],
                   step: Callable[[int], None]) -> None:
        """``step(i)`` with ``target`` bound to item ``i``, for each item in turn (the loop
        variables vary: each iteration has its own index keys and family members)."""
        names = [n.value for n in target_names(target)]
        self.unroll_depth += 1
        try:
            for i, item in enumerate(items):
                self.loop_iteration += 1
                for name in names:
                    self.varying[name] = self.loop_iteration
                self.assign(target, item)
                step(i)
        finally:
            for name in names:
                self.varying.pop(name, None)
            self.unroll_depth -= 1

    def exec_unrolled(self, st: cst.For, items: Sequence[Abs]) -> None:
        """``for target in items: body`` with the items known one by one."""

        def step(i: int) -> None:
            self.exec_body(st.body)
            self.frame.restore(_labelled(self.frame.snapshot(), f"iteration {i}"))

        self._run_items(st.target, items, step)
        self.frame.restore(self.closed_products(st, self.frame.snapshot()))
        if st.orelse is not None:
            try:
                self.exec_body(st.orelse.body)
            except Terminated:
                pass

    def unrolled_comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression) -> Abs:
        """A list comprehension: ``[elt for target in items]`` (one ``for``, no condition)
        over a short sequence is the list of each item's element, each labelled by its item;
        any other is a collection of its joined elements."""
        if for_in.inner_for_in is not None or for_in.ifs:
            return Coll(self.comprehension(for_in, elt))
        saved = self.frame.snapshot()
        iterable = self.eval(for_in.iter)
        items = self.unrollable(iterable)
        if items is None:
            return Coll(self.comprehension(for_in, elt, iterable))
        out: List[Abs] = []

        def step(i: int) -> None:
            out.append(_member_label(self.eval(elt), f"item {i}"))
            self.frame.restore(dict(saved))

        try:
            self._run_items(for_in.target, items, step)
        finally:
            self.frame.restore(saved)
        return Seq(tuple(out), kind="list")


def _member_label(v: Abs, label: str) -> Abs:
    """``v`` with the members made in one iteration labelled by it; the items of lists and
    records of known shape too (what the iteration appended or stored), not the joined
    elements of collections (they stand for every iteration's)."""
    if isinstance(v, (D.Cov, D.Pending)):
        return D.iteration_member(v, label)
    if isinstance(v, Seq):
        return Seq(tuple(_member_label(x, label) for x in v.items), v.names, v.kind)
    if isinstance(v, DictVal):
        return DictVal(tuple((k, _member_label(x, label)) for k, x in v.items))
    return v


def _labelled(env: Dict[str, Abs], label: str) -> Dict[str, Abs]:
    """Variables after an iteration run on its own: its decompositions' values are that
    iteration's members from now on."""
    return {k: _member_label(v, label) for k, v in env.items()}
