"""Source positions of libcst nodes, computed one top-level statement at a time.

libcst's ``PositionProvider`` generates the code of the whole module and records a range for
every node: on a large module that costs as much as parsing it, and the tracker needs the
position of a handful of nodes (its findings). :class:`Positions` answers the same question per
top-level statement: it finds the statement that holds the node (a walk over the node fields,
without code generation), learns where the statement starts (from :func:`parse_chunked`, else by
generating the code of the statements above it once), and generates that statement's code alone
with the position bookkeeping of ``PositionProvider`` (a leaner copy of it). The ranges are the
ones ``PositionProvider`` gives on the whole module (a test compares them on every fixture).

:func:`parse_chunked` parses a large module one top-level statement at a time (libcst's parser
holds the whole file's intermediate structures at once: 785 MB for a 50,000-line file, 270 MB
in chunks) and gives the first line of each statement's code, so that no statement above a
finding has to be generated again to learn where it starts.
"""
from __future__ import annotations

import contextlib
import dataclasses
import re
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple, Type, Union

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

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


#: nodes that only lay code out (and what they hold)
_LAYOUT = (cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.EmptyLine,
           cst.TrailingWhitespace, cst.Newline, cst.Comment)
_LAYOUT_TYPES = frozenset(_LAYOUT)

Span = Tuple[int, int, int, int]  # start line, start column, end line, end column


class _PositionState(CodegenState):
    """libcst's ``PositionProvidingCodegenState`` (what ``PositionProvider`` runs), leaner:
    plain tuples keyed by node id instead of ``CodeRange`` objects keyed by node (whose hash
    is a Python call), a newline search instead of a regular-expression split per token: the
    same ranges at a tenth of the cost (a test compares them on every fixture)."""

    def __init__(self, default_indent: str, default_newline: str, line: int) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.line = line
        self.column = 0
        self.stack: List[Tuple[int, int]] = []
        self.spans: Dict[int, Span] = {}

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = _NEWLINE.split(value)
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.stack.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.stack.pop()
        # the syntactic position, when the node recorded one, stays
        self.spans.setdefault(id(node), (line, column, self.line, self.column))

    @contextlib.contextmanager
    def record_syntactic_position(self, node: cst.CSTNode, *,
                                  start_node: Optional[cst.CSTNode] = None,
                                  end_node: Optional[cst.CSTNode] = None) -> Iterator[None]:
        line, column = self.line, self.column
        try:
            yield
        finally:
            end = (self.line, self.column)
            if start_node is not None:
                line, column = self.spans[id(start_node)][:2]
            if end_node is not None:
                end = self.spans[id(end_node)][2:]
            self.spans[id(node)] = (line, column, *end)


_NEWLINE = re.compile(r"\r\n?|\n")


class Positions:
    """A read-only mapping node -> :class:`CodeRange` (1-based lines, 0-based columns, as
    ``PositionProvider``), optionally with lines mapped through ``line_map`` (the original line
    of each line of a sliced module)."""

    def __init__(self, module: cst.Module, line_map: Sequence[int] = (),
                 starts: Optional[Dict[int, int]] = None) -> None:
        self.module = module
        self.line_map = tuple(line_map)
        self._owner: Optional[Dict[int, int]] = None  # id(node) -> index of its statement
        self._with_layout = False
        #: first line of a statement's code (leading lines too), by statement index: given
        #: by :func:`parse_chunked`, else learnt by generating the code of the ones above
        self._starts: Dict[int, int] = dict(starts or {})
        self._starts.setdefault(0, 1 + len(module.header))
        #: per statement: the spans of its nodes (lines of the file, before ``line_map``)
        self._ranges: Dict[int, Dict[int, Span]] = {}

    def get(self, node: cst.CSTNode) -> Optional[CodeRange]:
        index = self._owners(type(node) in _LAYOUT_TYPES).get(id(node))
        if index is None:
            return None
        span = self._statement(index).get(id(node))
        if span is None:
            return None
        return CodeRange(self._at(span[0], span[1]), self._at(span[2], span[3]))

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        r = self.get(node)
        if r is None:
            raise KeyError(node)
        return r

    def __contains__(self, node: object) -> bool:
        return isinstance(node, cst.CSTNode) and self.get(node) is not None

    def _owners(self, layout: bool = False) -> Dict[int, int]:
        """Statement index of every node; the header is -1, the footer ``len(body)``.

        Whitespace, comments and empty lines (half the nodes of a module, and never a node
        the tracker reports) are left out unless ``layout`` asks for them."""
        if self._owner is None or (layout and not self._with_layout):
            owner: Dict[int, int] = {}
            m = self.module
            parts = [(-1, h) for h in m.header] + list(enumerate(m.body)) + [
                (len(m.body), f) for f in m.footer]
            for index, top in parts:
                stack: List[cst.CSTNode] = [top]
                while stack:
                    n = stack.pop()
                    owner[id(n)] = index
                    stack.extend(c for c in _children(n) if layout or type(c) not in _LAYOUT_TYPES)
            self._owner, self._with_layout = owner, layout
        return self._owner

    def _start(self, index: int) -> int:
        if index < 0:
            return 1
        if index not in self._starts:
            # from the nearest statement above whose start is known (within one chunk of
            # :func:`parse_chunked` the statements follow each other directly)
            known = max(k for k in self._starts if k < index)
            line = self._starts[known]
            for k in range(known, index):
                line += self.module.code_for_node(self.module.body[k]).count("\n")
                self._starts[k + 1] = line
        return self._starts[index]

    def _statement(self, index: int) -> Dict[int, Span]:
        """The spans of one statement's nodes (the header is -1, the footer ``len(body)``):
        what ``PositionProvider`` does on the module, the statement's code generated alone
        from the line where it starts."""
        found = self._ranges.get(index)
        if found is None:
            m = self.module
            parts: Sequence[cst.CSTNode] = (
                m.header if index < 0 else m.footer if index == len(m.body) else
                (m.body[index],))
            state = _PositionState(m.default_indent, m.default_newline, self._start(index))
            for part in parts:
                part._codegen(state)
            found = self._ranges[index] = state.spans
        return found

    def _at(self, line: int, column: int) -> CodePosition:
        if self.line_map:
            line = self.line_map[min(max(line, 1), len(self.line_map)) - 1]
        return CodePosition(line, column)


#: below this many lines a module is parsed whole (chunks save nothing worth the bookkeeping)
MIN_CHUNKED_LINES = 2000


def parse_chunked(text: str, starts: Sequence[int] = (), min_lines: int = MIN_CHUNKED_LINES
                  ) -> Tuple[cst.Module, Dict[int, int]]:
    """The module of ``text`` and the first line of its statements' code, by index.

    ``starts``: lines where a top-level statement begins at the start of the line, after the
    end of the one before (the caller knows them from :mod:`ast`). The text is cut there and
    each chunk parsed on its own; the statements are then put into one module. Each node is
    the one the whole parse gives, except for comment lines between two chunks (the footer of
    the chunk above instead of the leading lines of the statement below; nothing reads them
    from the tracker's module) and the indentation and newline the module writes by default,
    which must then agree between the chunks: when they do not, or a chunk does not parse, or
    there is no point, the text is parsed whole (the same module libcst always gives)."""
    cuts = sorted({s for s in starts if s > 1})
    if len(cuts) < 2 or text.count("\n") < min_lines or "\r" in text:
        return cst.parse_module(text), {}
    offsets = [0]
    line, at = 1, 0
    for cut in cuts:
        while line < cut:
            at = text.find("\n", at) + 1
            if at == 0:
                return cst.parse_module(text), {}
            line += 1
        offsets.append(at)
    offsets.append(len(text))
    body: List[Union[cst.SimpleStatementLine, cst.BaseCompoundStatement]] = []
    first: Dict[int, int] = {}
    chunks: List[cst.Module] = []
    indents: Set[str] = set()
    for k in range(len(offsets) - 1):
        try:
            chunk = cst.parse_module(text[offsets[k]:offsets[k + 1]])
        except cst.ParserSyntaxError:
            return cst.parse_module(text), {}
        if any(isinstance(s, cst.BaseCompoundStatement) for s in chunk.body):
            indents.add(chunk.default_indent)
        first[len(body)] = 1 if k == 0 else cuts[k - 1]
        if k == 0:
            first[0] += len(chunk.header)
        body.extend(chunk.body)
        chunks.append(chunk)
    newlines = {c.default_newline for c in chunks}
    if len(indents) > 1 or len(newlines) > 1 or any(
            c.header or not c.body for c in chunks[1:]):
        return cst.parse_module(text), {}
    module = cst.Module(body=body, header=chunks[0].header, footer=chunks[-1].footer,
                        encoding=chunks[0].encoding,
                        default_indent=next(iter(indents), chunks[0].default_indent),
                        default_newline=chunks[0].default_newline,
                        has_trailing_newline=chunks[-1].has_trailing_newline)
    return module, first
