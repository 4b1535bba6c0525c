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
from bisect import bisect_left
from typing import Dict, FrozenSet, List, Optional, Sequence, Set

from .occurrences import MUTATORS, Occurrences, Pos
from .render import MIN_ENTRY_CHARS, PLACEHOLDER, Slice, boring_entries, pos, render
from .units import Unit, backward, forward, span, units_of

#: displays with at least this many entries have their uninteresting entries blanked
MIN_DISPLAY = 16


def build(tree: ast.Module, text: str, seeds: Sequence[Pos], charged_imports: FrozenSet[str],
          min_display: int = MIN_DISPLAY) -> Optional[Slice]:
    """The slice of a module for the tracker, or None when no unit can hold a tracked value.

    ``seeds``: sorted positions where the module names a decomposition in code or imports
    something charged (the pre-filter finds them); ``charged_imports``: the local names that
    such imports bind.
    """
    occ = Occurrences(tree)

    def seeded(start: Pos, end: Pos) -> bool:
        i = bisect_left(seeds, start)
        return i < len(seeds) and seeds[i] < end

    units = units_of(tree, occ, seeded, charged_imports)
    blanked: Dict[int, List[ast.AST]] = {}

    def blank(i: int, entries: List[ast.AST]) -> None:
        u = units[i]
        blanked[i] = entries
        skips = [span(n) for n in entries]
        u.names, u.attrs, _ = occ.within(*span(u.node), skips)

    charged: Set[int] = set()
    live: List[Set[str]] = [set(), set()]  # names and attributes charged units bind

    def boring(n: ast.AST) -> bool:
        start, end = span(n)
        if seeded(start, end):
            return False
        ns, at, st = occ.within(start, end)
        return not (ns & live[0] or at & live[1] or st & live[1])

    for _ in range(2):  # blanking entries shrinks what charged units use: once more
        charged, names, attrs = forward(units)
        if not charged:
            return None
        live[:] = [names, attrs]

        # blank the entries of large tables that cannot hold a tracked value
        for i in charged:
            u = units[i]
            if not u.members:
                entries = boring_entries(u.node, min_display, boring)
                if entries and len(entries) != len(blanked.get(i, ())):
                    blank(i, entries)
    # the tables of units kept only as dependencies (their entries' values carry no gauge),
    # and what only their blanked entries used is no dependency
    kept: Set[int] = set()
    for _ in range(2):
        kept = backward(units, charged)
        for i in kept - charged:
            u = units[i]
            if i not in blanked and not u.members:
                entries = boring_entries(u.node, min_display, boring)
                if entries:
                    blank(i, entries)
    edits = [pos(n) for entries in blanked.values() for n in entries]
    sl = render(text, units, kept, edits)
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
        start = span(node)[0][0]
        if start > end:
            out.append(start)
        end = max(end, getattr(node, "end_lineno", None) or start)
    return out


__all__ = ["MIN_DISPLAY", "MIN_ENTRY_CHARS", "MUTATORS", "PLACEHOLDER", "Pos", "Slice", "Unit",
           "build", "statement_starts"]
