"""Stores: assignment targets, attribute and subscript stores, in-place writes, unpacking.
"""
from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Sequence

import libcst as cst

from .. import domain as D
from .. import semantics
from ..domain import Index, Value
from ..values import TENSOR_TYPES, Abs, ClassVal, Coll, DictVal, Instance, ObjVal, Seq, as_value
from .joins import broadcast_to, elem_of, join_abs, sources_of
from .partial import cleared_positions
from .shared import AnalysisBase
from .syntax import literal


class StoresMixin(AnalysisBase):

    def assign(self, target: cst.CSTNode, value: Abs) -> None:
        if isinstance(target, cst.Name):
            self.frame.bind(target.value, value)
            self.frame.rebound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            star = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            items = self.unpack(value, len(elements), target)
            if star:
                si = star[0]
                n_after = len(elements) - si - 1
                if isinstance(value, Seq):
                    vals = list(value.items)
                    head, mid = vals[:si], vals[si: len(vals) - n_after]
                    tail = vals[len(vals) - n_after:] if n_after else []
                    for e, v in zip(elements[:si], head):
                        self.assign(e.value, v)
                    self.assign(elements[si].value, Seq(tuple(mid), kind="list"))
                    for e, v in zip(elements[si + 1:], tail):
                        self.assign(e.value, v)
                    return
                for i, e in enumerate(elements):
                    self.assign(e.value, Coll(items[i]) if i == si else items[i])
                return
            for e, v in zip(elements, items):
                self.assign(e.value, v)
        elif isinstance(target, cst.Attribute):
            self.store_attribute(target, value)
        elif isinstance(target, cst.Subscript):
            self.assign_subscript(target, value)
        elif isinstance(target, cst.StarredElement):
            self.assign(target.value, Coll(value))

    def store_path(self, node: cst.CSTNode, value: Abs) -> None:
        """The object that ``node`` (a name, attribute or subscript) reads was changed in place
        and now holds ``value``: update where it lives. A local name is updated (and marked
        changed in place, see :class:`Frame`); a module-level or enclosing object changed by a
        function may be changed at any time: its value is joined with the new one."""
        if isinstance(node, cst.Name):
            name = node.value
            f = self.frame
            if f.is_module or (name in f.vars and name not in f.global_names):
                f.vars[name] = value
                f.mutated.add(name)
            elif name in f.closure:
                f.closure[name] = join_abs(f.closure[name], value)
            elif name in f.globals:
                f.globals[name] = join_abs(f.globals[name], value)
        elif isinstance(node, cst.Attribute):
            self.store_attribute(node, value)
        elif isinstance(node, cst.Subscript):
            self.assign_subscript(node, value)

    def exposed_attribute(self, target: cst.Attribute, rhs: cst.BaseExpression,
                          value: Abs) -> None:
        """``self.components_ = vh`` / ``data.x = pe``: a public attribute of ``self`` or of a
        parameter reaches the caller (reported at the stored expression)."""
        name = target.attr.value
        if not name.startswith("_") and isinstance(target.value, cst.Name) and (
                target.value.value in self.frame.params and not self.frame.is_module):
            self.expose(rhs, value, f"is stored on `{target.value.value}.{name}`")

    def store_attribute(self, target: cst.Attribute, value: Abs, refix: bool = False) -> None:
        """``obj.name = value``. An instance's attributes join every value stored anywhere in
        its class (flow-insensitive). With ``refix`` (the value was computed from the attribute
        itself: ``self.n = where(flip, -self.n, self.n)``, ``self.n[flip] *= -1``) a gauge-free
        value over a gauge-carrying one is a sign convention that some method applies: whether
        it ran before a use is not known, so the attribute is no longer followed."""
        obj = self.eval(target.value)
        name = target.attr.value
        if isinstance(obj, Instance):
            cls = obj.cls
            old = cls.attrs.get(name)
            if refix and old is not None and isinstance(value, D.Inv) and D.is_charged(
                    as_value(old)):
                cls.attrs[name] = D.unknown(as_value(old))
                return
            cls.attrs[name] = join_abs(old, value) if name in cls.attrs else value
        elif isinstance(obj, ClassVal):
            obj.class_attrs[name] = value
        elif isinstance(obj, ObjVal):
            self.store_path(target.value, obj.with_attr(name, value))
        elif isinstance(obj, D.Inv) and obj.const is None and obj.ndim is None \
                and sources_of(value):
            # a gauge-carrying value stored on an object of unknown type (a DGL graph's
            # `g.ndata`, a config namespace): the object now holds it
            self.store_path(target.value, ObjVal(((name, value),)))

    def assign_subscript(self, target: cst.Subscript, value: Abs) -> None:
        base = target.value
        cur = self.eval(base)
        if isinstance(base, cst.Name) and self.column_vars:
            col = self.column_update(target, cur, as_value(value))
            if col is not None:
                self.column_updates[base.value] = col
                self.store_path(base, col)
                return
        new = self.subscript_store(cur, target, value)
        if new is not None:
            self.store_path(base, new)

    def subscript_store(self, cur: Abs, target: cst.Subscript, value: Abs) -> Optional[Abs]:
        """The value of ``cur`` after ``cur[...] = value`` (``target`` gives the index), or None
        when eiglint does not follow it."""
        key = literal(target.slice[0].slice.value) if len(target.slice) == 1 and isinstance(
            target.slice[0].slice, cst.Index) else None
        if isinstance(cur, D.Inv) and isinstance(key, str) and cur.ndim is None \
                and cur.const is None and sources_of(value):
            # a string key: a mapping of unknown type (`g.ndata`, a DataFrame), not an array
            cur = DictVal(())
        if isinstance(cur, DictVal):
            items = [(k, v) for k, v in cur.items if k != key]
            if key is not None:
                items.append((key, value))
                new: Abs = DictVal(tuple(items))
            else:
                new = Coll(join_abs(as_value(cur), value))
        elif isinstance(cur, (Seq, Coll)):
            new = Coll(join_abs(elem_of(cur), value))
        elif isinstance(cur, TENSOR_TYPES) and self._whole(target) and isinstance(
                value, TENSOR_TYPES) and not isinstance(cur, D.Broken):
            # `out[...] = v`, `buf[:] = v`: every entry is overwritten
            new = broadcast_to(value, D.ndim_of(cur))
        elif isinstance(cur, D.Inv) and D.is_charged(as_value(value)):
            new = self.write_into(cur, target, as_value(value))
        elif isinstance(cur, D.Inv) and isinstance(as_value(value), D.Broken):
            # a value eiglint no longer follows, written into the array: neither is the array
            new = D.Broken(D.value_kind(as_value(value)))
        elif isinstance(cur, D.Inv) and not D.is_charged(as_value(value)):
            val = as_value(value)
            idx = [self.text(el.slice, 60) for el in target.slice]
            # `S = zeros((m, n)); S[:k, :k] = diag(s)` or `S[i, i] = s[i]`: still diagonal
            diagonal = (cur.const == 0 or cur.diagonal) and isinstance(val, D.Inv) and (
                val.diagonal or (len(idx) == 2 and idx[0] == idx[1]))
            new = D.Inv(ndim=cur.ndim, is_complex=cur.is_complex, diagonal=diagonal)
        elif isinstance(cur, TENSOR_TYPES):
            part = as_value(self.subscript_of(cur, target))
            val = as_value(value)
            if isinstance(cur, D.Cov) and ((isinstance(val, D.Inv) and val.const == 0) or (
                    isinstance(val, D.Cov) and isinstance(part, D.Cov)
                    and D._same_charge(part, val))):
                # zeroing entries, or writing back values with the same gauge
                new = replace(cur, frame=False, diagonal=False)
            elif isinstance(cur, D.Cov) and isinstance(val, D.Inv) and cleared_positions(
                    cur, target) is not None:
                # gauge-free entries written over literal columns of a covariant array
                # (`W[:, 0] = abs(W[:, 0])`, NNDSVD's first component): the others keep theirs
                axis, spec = cleared_positions(cur, target) or (0, "")
                new = D.clear_column(cur, axis, spec)
            elif D.is_charged(cur) or D.is_charged(val) or isinstance(val, D.Broken):
                # a part of the array now carries another gauge than the rest: which part is
                # not tracked, so the array is no longer followed (and not reported)
                new = D.Broken(D.value_kind(cur if D.is_charged(cur) else val))
            else:
                new = cur
        else:
            return None
        return new

    @staticmethod
    def _whole(target: cst.Subscript) -> bool:
        """``x[:]``, ``x[...]``, ``x[:, :]``: the index selects every entry."""
        for el in target.slice:
            s = el.slice
            if isinstance(s, cst.Slice):
                if s.lower is not None or s.upper is not None or s.step is not None:
                    return False
            elif not (isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis)):
                return False
        return True

    def write_into(self, cur: D.Inv, target: cst.Subscript, val: Value) -> Value:
        """A gauge-carrying value written into part of a gauge-free array of known rank.

        Into zeros (``pe = zeros((n, k)); pe[:, :m] = V[:, 1:m + 1]``) the array is covariant:
        the written entries carry the value's charge, the zeros any. A prefix slice (``:m``)
        keeps each position, an integer index leaves the charge a residual (``pe[:, 0] =
        V[:, 1]``), another slice or a list index shifts positions (a new alignment named
        after the write). Into any other array, the entries not written carry nothing: the
        charges are kept per element (layout lost), with labels naming the write. None of it
        applies (the array is no longer followed) when the value does not fit the index."""
        n = cur.ndim
        if n is None or not isinstance(val, D.Cov):
            return D.Broken(D.value_kind(val))
        token = "w[" + self.text(target, 200) + "]"
        if cur.const != 0:
            return D.placed(val, token, n)
        kinds: List[str] = []
        for el in target.slice:
            s = el.slice
            if isinstance(s, cst.Slice):
                prefix = (s.lower is None or literal(s.lower) == 0) and (
                    s.step is None or literal(s.step) == 1)
                kinds.append("slice" if prefix else "shift")
            elif isinstance(s, cst.Index) and isinstance(s.value, cst.Ellipsis):
                kinds.append("ellipsis")
            elif isinstance(s, cst.Index):
                iv = as_value(self.eval(s.value))
                if D.is_charged(iv) or isinstance(iv, D.Broken) or (
                        isinstance(s.value, cst.Name) and s.value.value == "None"):
                    return D.Broken(D.value_kind(val))
                scalar = isinstance(literal(s.value), int) or (
                    isinstance(iv, D.Inv) and iv.ndim == 0)
                kinds.append("int" if scalar else "shift")
            else:
                return D.Broken(D.value_kind(val))
        if kinds.count("ellipsis") > 1:
            return D.Broken(D.value_kind(val))
        consuming = len(kinds) - kinds.count("ellipsis")
        if consuming > n:
            return D.Broken(D.value_kind(val))
        expanded: List[str] = []
        for k in kinds:
            expanded.extend(["slice"] * (n - consuming) if k == "ellipsis" else [k])
        expanded += ["slice"] * (n - len(expanded))
        kept = [i for i, k in enumerate(expanded) if k != "int"]
        if val.ndim > len(kept) or val.elem:
            return D.Broken(D.value_kind(val))
        axes: List[D.Charge] = [() for _ in range(n)]
        for pos, c in zip(kept[len(kept) - val.ndim:], val.axes):
            axes[pos] = c if expanded[pos] == "slice" else D.retoken_charge(
                c, D.TokenFn(token + "({})"))
        return D.make_cov(axes, val.residual, (), False, 1, val.steps)

    def unpack(self, value: Abs, n: int, node: cst.CSTNode) -> List[Abs]:
        if isinstance(value, Seq):
            if len(value.items) == n:
                return list(value.items)
            # a length eiglint did not expect (a variant it does not know): which item goes
            # where is unknown, so none of them is tracked
            e = as_value(elem_of(value))
            return [D.Broken(D.value_kind(e)) if D.is_charged(e) or isinstance(e, D.Broken)
                    else e] * n
        if isinstance(value, Coll):
            return [value.elem] * n
        if isinstance(value, DictVal):
            return [D.INV] * n
        if isinstance(value, D.Cov):
            return [self.index_value(value, [Index("int", str(i))]) for i in range(n)]
        if isinstance(value, (D.Pending, D.Broken)):
            return [value] * n
        return [D.INV] * n

    def iterate(self, value: Abs, node: cst.CSTNode) -> Abs:
        """The value of one iterate of ``for x in value``."""
        if isinstance(value, Coll):
            elem = self.member_view(value.elem, self.text(node, 200))
            if isinstance(elem, D.Cov) and any(semantics.EACH in k[2] for k, _ in elem.residual):
                # one column per iteration (`for v in V.unbind(-1)`): a key of its own
                each = D.TokenFn("{}#" + str(self.loop_iteration))
                res = D.norm_charge({(k[0], k[1], each(k[2]) if semantics.EACH in k[2] else k[2]): e
                                     for k, e in elem.residual})
                return replace(elem, residual=res)
            return elem
        if isinstance(value, Seq):
            return elem_of(value)
        if isinstance(value, DictVal):
            return D.INV
        if isinstance(value, D.Cov):
            key = f"iter@{self.node_key(node)}#{self.loop_iteration}"
            return self.index_value(value, [Index("int", key)])
        if isinstance(value, D.Pending):
            return self.post(node, D.index(value, [Index("int", "iter")]), [value])
        return value if isinstance(value, D.Broken) else D.INV

    def index_value(self, v: Value, items: Sequence[Index]) -> Value:
        return D.index(v, items)

