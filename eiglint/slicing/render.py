"""The slice's text: kept units verbatim, the rest blanked, large tables' boring entries
replaced by a placeholder, empty lines dropped (with the map back to the original lines)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, Dict, List, Set, Tuple

from .units import Unit, span

#: single-line entries shorter than this stay
MIN_ENTRY_CHARS = 24
#: the replacement of a blanked display entry: evaluates to an untracked value, like any
#: entry that names no decomposition and no charged name
PLACEHOLDER = "..."


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

def render(text: str, units: List[Unit], kept: Set[int],
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
    pad = " " * (b - a - len(PLACEHOLDER) if l1 == l2 else b)
    tail = pad + rest if _pad_needed(rest) else rest
    if l1 == l2:
        lines[l1 - 1] = first[:a] + PLACEHOLDER + tail
        return
    lines[l1 - 1] = first[:a] + PLACEHOLDER
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


def boring_entries(stmt: ast.stmt, min_display: int, boring: Callable[[ast.AST], bool]
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
    l1, c1, _, _ = pos(first)
    _, _, l2, c2 = pos(last)
    return l2 > l1 or c2 - c1 >= MIN_ENTRY_CHARS


def pos(n: ast.AST) -> Tuple[int, int, int, int]:
    (l1, c1), (l2, c2) = span(n)
    return l1, c1, l2, c2
