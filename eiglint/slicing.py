"""Slicing: the part of a module the tracker has to see, found with :mod:`ast`.

libcst costs ~40x more than :mod:`ast` per line, and a module that names a decomposition often
does so in a small part of it: one method of a large test class, a few entries of a table of
thousands (``torch/testing/_internal/common_methods_invocations.py``: 1.4 MB, 14 s of libcst for
three entries that name ``torch.svd``). The tracker only needs

* the **charged units**: statements (and, inside classes, members) that name a decomposition in
  code, or use a name that a charged unit binds, or (members) read an attribute a charged member
  stores or can receive a charged value (a method a charged unit calls, the constructor and
  fields of a class it uses), forward to a fixpoint; and
* what those depend on: the units that bind the module-level names they read and the attributes
  and members they use (backward, to a fixpoint), and every plain import statement.

Everything else is blanked: whole statements and class members become empty lines, and the
entries of a large list/tuple/set/dict display that can hold no tracked value become ``...``
(padded to the same columns where later code on the line needs it). The empty lines are then
dropped and :attr:`Slice.line_map` gives each remaining line its original number, so findings
and traces keep their positions (suppression comments are read from the original text).

Why this is sound for the tracker: a value only becomes gauge-carrying at a decomposition call,
which the tracker recognises by name, and reaches other code only through names, attributes and
calls. A unit that is neither charged nor a dependency of a charged unit evaluates to values that
carry no gauge, whether the tracker sees it or not, and a function body that carries no gauge
produces no finding on its own. Names are resolved with their scopes: a parameter ``op`` of a
function is not the module-level ``op``. The test suite checks that findings are identical with
slicing on and off on every fixture; so does a full-tree comparison on real packages (README).
"""
from __future__ import annotations

import ast
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

#: displays with at least this many entries have their uninteresting entries blanked
MIN_DISPLAY = 16
#: single-line entries shorter than this stay
MIN_ENTRY_CHARS = 24
#: the replacement of a blanked display entry: evaluates to an untracked value, like any
#: entry that names no decomposition and no charged name
_PLACEHOLDER = "..."


Pos = Tuple[int, int]  # (line, UTF-8 column) as :mod:`ast` gives them


@dataclass
class _Frame:
    """A function scope while it is scanned."""

    bound: Set[str]
    globals: Set[str] = field(default_factory=set)
    nonlocals: Set[str] = field(default_factory=set)
    loads: List[Tuple[Pos, str]] = field(default_factory=list)
    stores: List[Tuple[Pos, str]] = field(default_factory=list)
    mutates: List[Tuple[Pos, str]] = field(default_factory=list)
    #: (position, name, function): a name passed to a call of a bare function name
    passes: List[Tuple[Pos, str, str]] = field(default_factory=list)


class _Occurrences:
    """Every identifier use of a module in one pass, sorted by position: free names read,
    attribute names, attributes stored. Per-unit sets are then cut out by position.

    Scope-aware: inside a function, a name that the function binds (parameter, assignment,
    loop target, import, nested definition) is local unless declared ``global``, and is not a
    use of the module-level name.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.names: List[Tuple[Pos, str]] = []
        self.attrs: List[Tuple[Pos, str]] = []
        self.stored: List[Tuple[Pos, str]] = []
        #: module-level names bound (class bodies count as module level: over-approximate)
        self.binds: List[Tuple[Pos, str]] = []
        #: free names whose object is changed in place: ``d[k] = v``, ``o.x = v``,
        #: ``lst.append(v)``, ``cfg.data[k] = v`` (see :func:`_mutator`)
        self.mutated: List[Tuple[Pos, str]] = []
        self._modules = _module_imports(tree)
        #: names passed to calls of bare function names, and the module-level functions
        #: that change one of their parameters in place (``def fill(d, v): d[k] = v``)
        self._passes: List[Tuple[Pos, str, str]] = []
        self._fills: Set[str] = set()
        self._scan(tree, [])
        # ``fill(d, V)``: ``d`` changes in place
        self.mutated.extend((p, n) for p, n, f in self._passes
                            if f in self._fills and n not in self._modules)
        for lst in (self.names, self.attrs, self.stored, self.binds, self.mutated):
            lst.sort()
        self._name_pos = [p for p, _ in self.names]
        self._attr_pos = [p for p, _ in self.attrs]
        self._stored_pos = [p for p, _ in self.stored]
        self._bind_pos = [p for p, _ in self.binds]
        self._mutated_pos = [p for p, _ in self.mutated]

    def _mutate(self, target: ast.AST, frames: List["_Frame"]) -> None:
        """``target``'s object changes in place: so does every object it is reached from
        (``cfg.data[k] = v`` changes ``cfg.data`` and ``cfg``). Not a module
        (``torch.nn.init.zeros_(w)``, ``torch.backends.cudnn.enabled = False``)."""
        node = target
        chain: List[Tuple[Pos, str]] = []
        while True:
            t = type(node)
            if t is ast.Name:
                name = node.id  # type: ignore[attr-defined]
                if name in self._modules:
                    return
                pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
                (frames[-1].mutates if frames else self.mutated).append((pos, name))
                self.stored.extend(chain)
                return
            if t is ast.Attribute:
                chain.append(((node.lineno, node.col_offset),  # type: ignore[attr-defined]
                              node.attr))  # type: ignore[attr-defined]
            elif t is not ast.Subscript and t is not ast.Starred:
                return  # the result of a call, a literal: nothing named changes
            node = node.value  # type: ignore[attr-defined]

    def _scan(self, node: ast.AST, frames: List["_Frame"]) -> None:
        t = type(node)
        if t is ast.Name:
            name = node.id  # type: ignore[attr-defined]
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            load = type(node.ctx) is ast.Load  # type: ignore[attr-defined]
            if frames:
                if load:
                    frames[-1].loads.append((pos, name))
                else:
                    frames[-1].stores.append((pos, name))
            elif load:
                self.names.append((pos, name))
            else:
                self.binds.append((pos, name))
            return
        if t is ast.Attribute:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            self.attrs.append((pos, node.attr))  # type: ignore[attr-defined]
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                self.stored.append((pos, node.attr))  # type: ignore[attr-defined]
                self._mutate(node.value, frames)  # type: ignore[attr-defined]
            self._scan(node.value, frames)  # type: ignore[attr-defined]
            return
        if t is ast.Subscript and type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
            self._mutate(node.value, frames)  # type: ignore[attr-defined]
        elif t is ast.Call and type(node.func) is ast.Attribute and _mutator(  # type: ignore
                node.func.attr):  # type: ignore[attr-defined]
            self._mutate(node.func.value, frames)  # type: ignore[attr-defined]
        elif t is ast.Call and type(node.func) is ast.Name:  # type: ignore[attr-defined]
            func = node.func.id  # type: ignore[attr-defined]
            for a in [*node.args, *(k.value for k in node.keywords)]:  # type: ignore
                if type(a) is ast.Starred:
                    a = a.value
                if type(a) is ast.Name:
                    item = ((a.lineno, a.col_offset), a.id, func)
                    (frames[-1].passes if frames else self._passes).append(item)
        if t is ast.Global or t is ast.Nonlocal:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            names = node.names  # type: ignore[attr-defined]
            if t is ast.Global:
                self.binds.extend((pos, n) for n in names)
            if frames:
                (frames[-1].globals if t is ast.Global else frames[-1].nonlocals).update(names)
            return
        if t is ast.Import or t is ast.ImportFrom:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            locals_ = [(a.asname or a.name).split(".")[0]
                       for a in node.names]  # type: ignore[attr-defined]
            if frames:
                frames[-1].bound.update(locals_)
            else:
                self.binds.extend((pos, n) for n in locals_)
            return
        if t is ast.ExceptHandler and frames and node.name:  # type: ignore[attr-defined]
            frames[-1].bound.add(node.name)  # type: ignore[attr-defined]
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.ClassDef:
            name = node.name  # type: ignore[attr-defined]
            if frames:
                frames[-1].bound.add(name)
            else:
                self.binds.append(((node.lineno, node.col_offset), name))  # type: ignore
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.Lambda:
            self._function(node, t is ast.Lambda, frames)
            return
        if t is ast.ClassDef and frames:
            # a class inside a function: its body binds class attributes, not the function's
            # locals, and every name it reads stays a use of the enclosing scopes
            for n in [*node.decorator_list, *node.bases, *node.keywords]:  # type: ignore
                self._scan(n, frames)
            body = _Frame(set())
            frames.append(body)
            for n in node.body:  # type: ignore[attr-defined]
                self._scan(n, frames)
            frames.pop()
            frames[-1].loads.extend(body.loads)
            frames[-1].mutates.extend(body.mutates)
            frames[-1].passes.extend(body.passes)
            self.binds.extend((p, n) for p, n in body.stores if n in body.globals)
            return
        for f in node._fields:
            if f == "ctx":
                continue
            v = getattr(node, f, None)
            if type(v) is list:
                for c in v:
                    if isinstance(c, ast.AST):
                        self._scan(c, frames)
            elif isinstance(v, ast.AST):
                self._scan(v, frames)

    def _function(self, node: ast.AST, is_lambda: bool, frames: List["_Frame"]) -> None:
        """Decorators, defaults and annotations in the enclosing scope; the body in a new one,
        whose names the function does not bind are then uses of the enclosing scope's."""
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        outer: List[ast.AST] = [*getattr(node, "decorator_list", []), *args.defaults,
                                *(d for d in args.kw_defaults if d is not None)]
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if not is_lambda:
            outer.extend(a.annotation for a in params if a is not None and a.annotation)
            if node.returns is not None:  # type: ignore[attr-defined]
                outer.append(node.returns)  # type: ignore[attr-defined]
        for n in outer:
            self._scan(n, frames)
        names = {a.arg for a in params if a is not None}
        frame = _Frame(set(names))
        frames.append(frame)
        raw = node.body  # type: ignore[attr-defined]
        for n in ([raw] if is_lambda else raw):
            self._scan(n, frames)
        frames.pop()
        local = frame.bound | {n for _, n in frame.stores}
        local -= frame.globals | frame.nonlocals
        parent = frames[-1] if frames else None
        for pos, name in frame.loads:
            if name not in local:
                if parent is not None:
                    parent.loads.append((pos, name))
                else:
                    self.names.append((pos, name))
        for pos, name in frame.mutates:
            if name not in local:
                (parent.mutates if parent is not None else self.mutated).append((pos, name))
        for pos, name, func in frame.passes:
            if name not in local:
                (parent.passes if parent is not None else self._passes).append((pos, name, func))
        if parent is None and not is_lambda and any(n in names for _, n in frame.mutates):
            self._fills.add(node.name)  # type: ignore[attr-defined]
        for pos, name in frame.stores:
            if name in frame.globals:
                self.binds.append((pos, name))
            elif name in frame.nonlocals and parent is not None:
                parent.stores.append((pos, name))

    @staticmethod
    def _cut(pos: List[Pos], items: List[Tuple[Pos, str]], start: Pos, end: Pos,
             skips: Sequence[Tuple[Pos, Pos]]) -> FrozenSet[str]:
        lo, hi = bisect_left(pos, start), bisect_left(pos, end)
        if not skips:
            return frozenset(name for _, name in items[lo:hi])
        out: Set[str] = set()
        gaps = sorted(skips)
        k = 0
        for p, name in items[lo:hi]:  # both sorted: one merge pass
            while k < len(gaps) and gaps[k][1] <= p:
                k += 1
            if k < len(gaps) and gaps[k][0] <= p:
                continue
            out.add(name)
        return frozenset(out)

    def binds_within(self, start: Pos, end: Pos) -> FrozenSet[str]:
        return self._cut(self._bind_pos, self.binds, start, end, ())

    def mutated_within(self, start: Pos, end: Pos) -> FrozenSet[str]:
        return self._cut(self._mutated_pos, self.mutated, start, end, ())

    def within(self, start: Pos, end: Pos, skips: Sequence[Tuple[Pos, Pos]] = ()
               ) -> Tuple[FrozenSet[str], FrozenSet[str], FrozenSet[str]]:
        """(free names, attributes, stored attributes) used between two positions."""
        return (self._cut(self._name_pos, self.names, start, end, skips),
                self._cut(self._attr_pos, self.attrs, start, end, skips),
                self._cut(self._stored_pos, self.stored, start, end, skips))


@dataclass
class Unit:
    """A top-level statement, or a member of a top-level class."""

    node: ast.stmt
    start: int
    end: int
    names: FrozenSet[str]
    attrs: FrozenSet[str]
    defs: FrozenSet[str]  # module-level names bound (top level) / member name (members)
    stored: FrozenSet[str]  # attributes stored (on anything)
    seeded: bool
    mutated: FrozenSet[str] = frozenset()  # free names whose object it changes in place
    owner: Optional[int] = None  # index of the class unit a member belongs to
    members: List[int] = field(default_factory=list)
    is_import: bool = False
    #: kept whenever its class is (class attributes, implicit dunders, and ``forward``, which
    #: ``nn.Module.__call__`` calls)
    always: bool = False


def _span(node: ast.AST) -> Tuple[Pos, Pos]:
    """Start (its first decorator included) and end of a node."""
    start = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
    for d in getattr(node, "decorator_list", []):
        start = min(start, (d.lineno, d.col_offset))
    end = (getattr(node, "end_lineno", None) or start[0],
           getattr(node, "end_col_offset", None) or 0)
    return start, end


@dataclass
class Slice:
    """The text the tracker analyses, and what was left out (for ``--explain-skips``)."""

    text: str
    units: int
    kept: int
    blanked_entries: int
    #: original line number of each line of ``text``
    line_map: Tuple[int, ...] = ()
    #: lines of ``text`` where its top-level statements begin (see :func:`statement_starts`)
    starts: Tuple[int, ...] = ()

    def summary(self) -> str:
        """What was left out ("" when nothing was)."""
        if self.kept == self.units and not self.blanked_entries:
            return ""
        out = f"{self.kept} of {self.units} statements"
        if self.blanked_entries:
            out += f", {self.blanked_entries} table entries blanked"
        return out


def build(tree: ast.Module, text: str, seeds: Sequence[Pos], charged_imports: FrozenSet[str],
          min_display: int = MIN_DISPLAY) -> Optional[Slice]:
    """The slice of a module for the tracker, or None when no unit can hold a tracked value.

    ``seeds``: sorted positions where the module names a decomposition in code or imports
    something charged (the pre-filter finds them); ``charged_imports``: the local names that
    such imports bind.
    """
    occ = _Occurrences(tree)

    def seeded(start: Pos, end: Pos) -> bool:
        i = bisect_left(seeds, start)
        return i < len(seeds) and seeds[i] < end

    units = _units(tree, occ, seeded, charged_imports)
    blanked: Dict[int, List[ast.AST]] = {}

    def blank(i: int, entries: List[ast.AST]) -> None:
        u = units[i]
        blanked[i] = entries
        skips = [_span(n) for n in entries]
        u.names, u.attrs, _ = occ.within(*_span(u.node), skips)

    charged: Set[int] = set()
    live: List[Set[str]] = [set(), set()]  # names and attributes charged units bind

    def boring(n: ast.AST) -> bool:
        start, end = _span(n)
        if seeded(start, end):
            return False
        ns, at, st = occ.within(start, end)
        return not (ns & live[0] or at & live[1] or st & live[1])

    for _ in range(2):  # blanking entries shrinks what charged units use: once more
        charged, names, attrs = _forward(units)
        if not charged:
            return None
        live[:] = [names, attrs]

        # blank the entries of large tables that cannot hold a tracked value
        for i in charged:
            u = units[i]
            if not u.members:
                entries = _boring_entries(u.node, min_display, boring)
                if entries and len(entries) != len(blanked.get(i, ())):
                    blank(i, entries)
    # the tables of units kept only as dependencies (their entries' values carry no gauge),
    # and what only their blanked entries used is no dependency
    kept: Set[int] = set()
    for _ in range(2):
        kept = _backward(units, charged)
        for i in kept - charged:
            u = units[i]
            if i not in blanked and not u.members:
                entries = _boring_entries(u.node, min_display, boring)
                if entries:
                    blank(i, entries)
    edits = [_pos(n) for entries in blanked.values() for n in entries]
    sl = _render(text, units, kept, edits)
    row = {ln: k for k, ln in enumerate(sl.line_map, start=1)}
    sl.starts = tuple(row[ln] for ln in statement_starts(tree) if ln in row)
    return sl


def statement_starts(tree: ast.Module) -> List[int]:
    """Lines where a top-level statement begins (its first decorator) after the end of the one
    before: the places where the module's text can be cut into statements
    (:func:`eiglint.positions.parse_chunked`)."""
    out: List[int] = []
    end = 0
    for node in tree.body:
        start = _span(node)[0][0]
        if start > end:
            out.append(start)
        end = max(end, getattr(node, "end_lineno", None) or start)
    return out


def _units(tree: ast.Module, occ: _Occurrences, seeded: Callable[[Pos, Pos], bool],
           charged_imports: FrozenSet[str]) -> List[Unit]:
    units: List[Unit] = []
    for node in tree.body:
        (start, end) = _span(node)
        names, attrs, stored = occ.within(start, end)
        is_import = isinstance(node, (ast.Import, ast.ImportFrom))
        defs = occ.binds_within(start, end)
        u = Unit(node, start[0], end[0], names, attrs, defs, stored,
                 seeded(start, end) or (is_import and bool(defs & charged_imports)),
                 mutated=occ.mutated_within(start, end), is_import=is_import)
        idx = len(units)
        units.append(u)
        if isinstance(node, ast.ClassDef):
            # the class itself: decorators, bases, keywords (members are units of their own)
            head_end = _span(node.body[0])[0]
            u.names, u.attrs, _ = occ.within(start, head_end)
            u.stored = frozenset()
            for member in node.body:
                ms, me = _span(member)
                mnames, mattrs, mstored = occ.within(ms, me)
                name = member.name if isinstance(
                    member, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) else ""
                # a member binds its name; class attributes and fields bind theirs
                mdefs = frozenset({name}) if name else occ.binds_within(ms, me)
                u.members.append(len(units))
                units.append(Unit(member, ms[0], me[0], mnames, mattrs, mdefs, mstored,
                                  seeded(ms, me), occ.mutated_within(ms, me), owner=idx,
                                  always=not name or _dunder(name) or name == "forward"
                                  or ms[0] == start[0]))
    return units


def _forward(units: List[Unit]) -> Tuple[Set[int], Set[str], Set[str]]:
    """Units that can hold a tracked value, with the names and attributes they bind.

    A unit is charged when it names a decomposition, reads a name that a charged unit binds,
    or, for class members, reads an attribute that a charged member stores or can receive a
    charged value: a member that a charged unit calls or reads (``obj.fit(V)``), the
    constructor and fields of a class a charged unit uses (``Basis(V)``).
    """
    charged: Set[int] = {i for i, u in enumerate(units) if u.seeded}
    names: Set[str] = set()  # bound by charged units
    attrs: Set[str] = set()
    used_names: Set[str] = set()  # used by charged units
    used_attrs: Set[str] = set()
    class_of = {getattr(u.node, "name", ""): i for i, u in enumerate(units)
                if u.owner is None and u.members}
    # a charged unit that changes an object in place (``d[k] = v``, ``lst.append(v)``:
    # ``Unit.mutated``, never a module) charges the name it reaches it by; so does calling a
    # module-level function that changes a global in place
    changes: Dict[str, Set[str]] = {}
    for u in units:
        if u.owner is None and _is_def(u.node) and u.mutated:
            changes.setdefault(getattr(u.node, "name", ""), set()).update(u.mutated)
    while True:
        for i in charged:
            u = units[i]
            names |= u.mutated
            for f in u.names & changes.keys():
                names |= changes[f]
            if u.owner is None:
                names |= u.defs
            else:
                names.add(getattr(units[u.owner].node, "name", ""))
                attrs |= {d for d in u.defs if not _dunder(d)}
            attrs |= u.stored
            used_names |= u.names
            used_attrs |= u.attrs
        # ``super().__init__(v)`` or ``x.__call__`` name no particular class: dunders are
        # reached through the class (``receiving``), not by their attribute name
        used_attrs = {a for a in used_attrs if not _dunder(a)}
        receiving = {m for c in used_names if c in class_of
                     for m in units[class_of[c]].members if units[m].always}
        grew = False
        for i, u in enumerate(units):
            if i in charged:
                continue
            # attributes carry charge between members only: code outside a class reaches a
            # charged object through a charged name, or as a parameter of a function that
            # a charged unit calls (kept by the backward pass, analysed at that call)
            if (u.names & names) or any(m in charged for m in u.members) or (
                    u.owner is not None and (u.attrs & attrs or i in receiving or (
                        u.defs & used_attrs and _is_def(u.node)))):
                charged.add(i)
                grew = True
        if not grew:
            return charged, names, attrs


def _module_imports(tree: ast.Module) -> FrozenSet[str]:
    """Names that module-level imports bind (also under ``if``/``try``/``with``)."""
    out: Set[str] = set()
    todo: List[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.AsyncWith)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(node, block, []))
        elif isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)
    return frozenset(out)


#: methods that change their receiver in place (the tracker's container methods, and more)
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault",
                      "__setitem__", "put", "appendleft", "extendleft", "register_buffer",
                      "register_parameter", "setflags", "fill", "sort", "resize", "itemset"})


def _mutator(method: str) -> bool:
    """Can ``x.method(...)`` change ``x``? Known mutators, and in-place tensor methods
    (``copy_``, ``mul_``): a trailing underscore, not a dunder."""
    return method in MUTATORS or (method.endswith("_") and not method.endswith("__"))


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _is_def(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))


def _backward(units: List[Unit], charged: Set[int]) -> Set[int]:
    """Charged units, every plain import, and everything they depend on (to a fixpoint)."""
    kept: Set[int] = set(charged) | {i for i, u in enumerate(units) if u.is_import}
    for i in list(kept):
        o = units[i].owner
        if o is not None:
            kept.add(o)
    need_names: Set[str] = set()
    need_attrs: Set[str] = set()
    frontier = list(kept)
    while frontier:
        for i in frontier:
            need_names |= units[i].names
            need_attrs |= units[i].attrs
        frontier = []
        for i, u in enumerate(units):
            if i in kept:
                continue
            if u.owner is None:
                hit = bool(u.defs & need_names) or bool(u.stored & need_attrs)
            else:
                hit = (u.owner in kept and u.always) or bool((u.defs | u.stored) & need_attrs)
            if hit:
                kept.add(i)
                frontier.append(i)
                if u.owner is not None and u.owner not in kept:
                    kept.add(u.owner)  # a kept member keeps its class (bases, decorators)
                    frontier.append(u.owner)
    return kept


def _render(text: str, units: List[Unit], kept: Set[int],
            edits: List[Tuple[int, int, int, int]]) -> Slice:
    lines = text.splitlines(keepends=True)
    keep = [False] * (len(lines) + 2)
    for i in kept:
        u = units[i]
        if u.owner is None:
            for ln in range(u.start, min(u.end, len(lines)) + 1):
                keep[ln] = True
    replace: Dict[int, str] = {}
    for i in kept:
        u = units[i]
        if not u.members:
            continue
        dropped = [m for m in u.members if m not in kept]
        for m in dropped:
            for ln in range(units[m].start, units[m].end + 1):
                keep[ln] = False
        for m in u.members:  # a kept member sharing a line with a dropped one
            if m in kept:
                for ln in range(units[m].start, units[m].end + 1):
                    keep[ln] = True
        if len(dropped) == len(u.members):  # the class body must not become empty
            first = lines[units[u.members[0]].start - 1]
            replace[units[u.members[0]].start] = first[: len(first) - len(first.lstrip())] + "pass"
    out = [line if keep[ln] else replace.get(ln, "") for ln, line in enumerate(lines, start=1)]
    for l1, c1, l2, c2 in sorted(edits, reverse=True):
        _blank_entry(out, l1, c1, l2, c2)
    # drop the lines left empty (libcst tokenizes an empty line at a cost): positions are
    # mapped back through ``line_map``
    compact: List[str] = []
    line_map: List[int] = []
    for ln, line in enumerate(out, start=1):
        if line.strip():
            compact.append(line if line.endswith("\n") else line + "\n")
            line_map.append(ln)
    return Slice("".join(compact), len(units), len(kept), len(edits), tuple(line_map))


def _blank_entry(lines: List[str], l1: int, c1: int, l2: int, c2: int) -> None:
    """Replace the text from (l1, c1) to (l2, c2) (1-based lines, UTF-8 byte columns as
    :mod:`ast` gives them) by the placeholder, keeping every later position unchanged."""
    first, last = lines[l1 - 1], lines[l2 - 1]
    a = _char_col(first, c1)
    b = _char_col(last, c2)
    rest = last[b:]
    # (line endings need no care: compaction ends every non-empty line with one)
    pad = " " * (b - a - len(_PLACEHOLDER) if l1 == l2 else b)
    tail = pad + rest if _pad_needed(rest) else rest
    if l1 == l2:
        lines[l1 - 1] = first[:a] + _PLACEHOLDER + tail
        return
    lines[l1 - 1] = first[:a] + _PLACEHOLDER
    for ln in range(l1, l2 - 1):
        lines[ln] = ""
    lines[l2 - 1] = tail


def _pad_needed(rest: str) -> bool:
    """Whether the text after a blanked entry must keep its column: not when it is only
    closing brackets, commas, colons, other placeholders and a comment (no expression the
    tracker could report)."""
    return _CLOSERS.fullmatch(rest) is None


_CLOSERS = re.compile(r"(?:[\s,:)\]}]|\.\.\.)*(#[^\n]*)?\r?\n?")


def _char_col(line: str, byte_col: int) -> int:
    if line.isascii():
        return byte_col
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


def _boring_entries(stmt: ast.stmt, min_display: int, boring: Callable[[ast.AST], bool]
                    ) -> List[ast.AST]:
    """Entries of large displays in a statement (function bodies included) that cannot hold a
    tracked value.

    Entries shorter than the placeholder stay (nothing to gain)."""
    out: List[ast.AST] = []
    stack: List[ast.AST] = [stmt]
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Lambda):
            continue
        pairs: List[Tuple[ast.AST, ...]] = []
        if isinstance(n, (ast.List, ast.Tuple, ast.Set)):
            pairs = [(e,) for e in n.elts if not isinstance(e, ast.Starred)]
        elif isinstance(n, ast.Dict):
            pairs = [(k, v) for k, v in zip(n.keys, n.values) if k is not None]
        if len(pairs) < min_display:
            stack.extend(ast.iter_child_nodes(n))
            continue
        for pair in pairs:
            if _long_enough(pair[0], pair[-1]) and all(boring(e) for e in pair):
                out.extend(pair)
            else:
                stack.extend(pair)
        if isinstance(n, ast.Dict):
            stack.extend(v for k, v in zip(n.keys, n.values) if k is None)
        else:
            stack.extend(e for e in getattr(n, "elts", []) if isinstance(e, ast.Starred))
    return out


def _long_enough(first: ast.AST, last: ast.AST) -> bool:
    """Worth blanking: short entries (a shape ``(3, 4)``, a number) cost libcst little, and
    keeping them keeps their exact values."""
    l1, c1, _, _ = _pos(first)
    _, _, l2, c2 = _pos(last)
    return l2 > l1 or c2 - c1 >= MIN_ENTRY_CHARS


def _pos(n: ast.AST) -> Tuple[int, int, int, int]:
    (l1, c1), (l2, c2) = _span(n)
    return l1, c1, l2, c2
