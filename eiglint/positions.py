"""Source positions of libcst nodes, computed one top-level statement at a time.

libcst's ``PositionProvider`` generates the code of the whole module and records a range for
every node: on a large module that costs as much as parsing it, and the tracker needs the
position of a handful of nodes (its findings). :class:`Positions` answers the same question per
top-level statement: it finds the statement that holds the node (a walk over the node fields,
without code generation), generates the code of the statements above it once to learn where it
starts, and runs ``PositionProvider`` on that statement alone. The ranges are the ones
``PositionProvider`` gives on the whole module (a test compares them on every fixture).
"""
from __future__ import annotations

import dataclasses
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Type

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

_FIELDS: Dict[Type[cst.CSTNode], Tuple[str, ...]] = {}


def _children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes held directly by ``node``'s fields (cheaper than ``node.children``, which
    runs a visitor)."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(node))
        _FIELDS[type(node)] = names
    for name in names:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (tuple, list)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


class Positions:
    """A read-only mapping node -> :class:`CodeRange` (1-based lines, 0-based columns, as
    ``PositionProvider``), optionally with lines mapped through ``line_map`` (the original line
    of each line of a sliced module)."""

    def __init__(self, module: cst.Module, line_map: Sequence[int] = ()) -> None:
        self.module = module
        self.line_map = tuple(line_map)
        self._owner: Optional[Dict[int, int]] = None  # id(node) -> index of its statement
        self._starts: List[int] = []  # first line of each statement's code (leading lines too)
        self._ranges: Dict[int, Dict[cst.CSTNode, CodeRange]] = {}

    def get(self, node: cst.CSTNode) -> Optional[CodeRange]:
        index = self._owners().get(id(node))
        if index is None:
            return None
        return self._statement(index).get(node)

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        r = self.get(node)
        if r is None:
            raise KeyError(node)
        return r

    def __contains__(self, node: object) -> bool:
        return isinstance(node, cst.CSTNode) and self.get(node) is not None

    def _owners(self) -> Dict[int, int]:
        """Statement index of every node; the header is -1, the footer ``len(body)``."""
        if self._owner is None:
            owner: Dict[int, int] = {}
            m = self.module
            parts = [(-1, h) for h in m.header] + list(enumerate(m.body)) + [
                (len(m.body), f) for f in m.footer]
            for index, top in parts:
                stack: List[cst.CSTNode] = [top]
                while stack:
                    n = stack.pop()
                    owner[id(n)] = index
                    stack.extend(_children(n))
            self._owner = owner
        return self._owner

    def _start(self, index: int) -> int:
        if index < 0:
            return 1
        if not self._starts:
            self._starts.append(1 + len(self.module.header))
        while len(self._starts) <= index:
            done = len(self._starts) - 1
            code = self.module.code_for_node(self.module.body[done])
            self._starts.append(self._starts[-1] + code.count("\n"))
        return self._starts[index]

    def _statement(self, index: int) -> Dict[cst.CSTNode, CodeRange]:
        ranges = self._ranges.get(index)
        if ranges is None:
            m = self.module
            if index < 0:
                alone = m.with_changes(body=(), footer=(), has_trailing_newline=True)
            elif index == len(m.body):
                alone = m.with_changes(header=(), body=(), has_trailing_newline=True)
            else:
                alone = m.with_changes(header=(), body=(m.body[index],), footer=(),
                                       has_trailing_newline=True)
            found = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
            shift = self._start(index) - 1
            ranges = {n: CodeRange(self._line(r.start, shift), self._line(r.end, shift))
                      for n, r in found.items() if n is not alone}
            self._ranges[index] = ranges
        return ranges

    def _line(self, p: CodePosition, shift: int) -> CodePosition:
        line = p.line + shift
        if self.line_map:
            line = self.line_map[min(max(line, 1), len(self.line_map)) - 1]
        return CodePosition(line, p.column)
