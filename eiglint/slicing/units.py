"""Units of a module (top-level statements, members of top-level classes) and the two
fixpoints over them: which units can hold a tracked value (forward), and what those depend on
(backward)."""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Set, Tuple

from .occurrences import Occurrences, Pos


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


def span(node: ast.AST) -> Tuple[Pos, Pos]:
    """Start (its first decorator included) and end of a node."""
    start = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0))
    for d in getattr(node, "decorator_list", []):
        start = min(start, (d.lineno, d.col_offset))
    end = (getattr(node, "end_lineno", None) or start[0],
           getattr(node, "end_col_offset", None) or 0)
    return start, end


def units_of(tree: ast.Module, occ: Occurrences, seeded: Callable[[Pos, Pos], bool],
           charged_imports: FrozenSet[str]) -> List[Unit]:
    units: List[Unit] = []
    for node in tree.body:
        (start, end) = span(node)
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
            head_end = span(node.body[0])[0]
            u.names, u.attrs, _ = occ.within(start, head_end)
            u.stored = frozenset()
            for member in node.body:
                ms, me = span(member)
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


def forward(units: List[Unit]) -> Tuple[Set[int], Set[str], Set[str]]:
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


def _dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _is_def(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))


def backward(units: List[Unit], charged: Set[int]) -> Set[int]:
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
