"""Where a notebook finding is in the raw ``.ipynb`` file, for the formats code hosts read.

A finding in a notebook is positioned in its cell (cell number, line and column within the
cell's source). GitHub annotations, GitLab Code Quality, SARIF, JUnit and pylint name the
``.ipynb`` file itself, so they need the position in the raw JSON: the line of the file that
holds the JSON string literal with the flagged code, and the column inside that literal,
counting the escapes (``\\"``, ``\\\\``, ``\\n``, ``\\uXXXX``, surrogate pairs) as the characters
they are in the file.

Jupyter writes ``"source"`` as a list of strings, one per source line, so a cell's line N is
on its own line of the file. A ``"source"`` given as one string (valid nbformat too) sits on
one line of the file: every line of the cell maps to that line, at the column of the code inside
the literal (after the escaped ``\\n`` of the lines before it).

The file is walked with :func:`json.decoder.scanstring` and ``JSONDecoder.raw_decode`` (the C
scanner): only the cells' ``source`` literals are looked at; outputs are skipped as whole values.
"""
from __future__ import annotations

import bisect
import json
import re
from typing import Callable

#: a JSON string literal: (raw offset of its first character after the quote, decoded value)
Fragment = tuple[int, str]

_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
#: ``scanstring(text, i)`` decodes the string literal whose opening quote is at ``i - 1``
scanstring: Callable[[str, int], tuple[str, int]] = (
    json.decoder.scanstring)  # type: ignore[attr-defined]  # (not in typeshed)


def _ws(text: str, i: int) -> int:
    m = _WS.match(text, i)
    return m.end() if m else i


def _skip(text: str, i: int) -> int:
    end: int = _DECODER.raw_decode(text, i)[1]
    return end


def _members(text: str, i: int, brackets: str, element: Callable[[int], int]) -> int:
    """Walk the object or array opening at ``text[i]`` (``brackets`` ``{}`` or ``[]``);
    ``element(start)`` returns the end of one member."""
    if text[i] != brackets[0]:
        raise ValueError(f"{brackets[0]!r} expected")
    i = _ws(text, i + 1)
    if text[i] == brackets[1]:
        return i + 1
    while True:
        i = _ws(text, element(i))
        if text[i] == brackets[1]:
            return i + 1
        if text[i] != ",":
            raise ValueError("',' expected")
        i = _ws(text, i + 1)


def _object(text: str, i: int, member: Callable[[str, int], int]) -> int:
    """Walk the object at ``text[i]``; ``member(key, start)`` returns the end of the value."""

    def element(j: int) -> int:
        if text[j] != '"':
            raise ValueError("key expected")
        key, j = scanstring(text, j + 1)
        j = _ws(text, j)
        if text[j] != ":":
            raise ValueError("':' expected")
        return member(key, _ws(text, j + 1))

    return _members(text, i, "{}", element)


def _array(text: str, i: int, item: Callable[[int], int]) -> int:
    """Walk the array at ``text[i]``; ``item(start)`` returns the end of the element."""
    return _members(text, i, "[]", item)


def _source(text: str, i: int, out: list[Fragment]) -> int:
    if text[i] == '"':
        value, end = scanstring(text, i + 1)
        out.append((i + 1, value))
        return end

    def string(j: int) -> int:
        if text[j] != '"':
            return _skip(text, j)
        value, end = scanstring(text, j + 1)
        out.append((j + 1, value))
        return end

    return _array(text, i, string)


def source_fragments(text: str) -> dict[int, list[Fragment]]:
    """Cell number (1-based over all cells, as in findings) -> the literals of its source."""
    cells: dict[int, list[Fragment]] = {}

    def cell(i: int) -> int:
        fragments: list[Fragment] = []
        cells[len(cells) + 1] = fragments

        def member(key: str, j: int) -> int:
            return _source(text, j, fragments) if key == "source" else _skip(text, j)

        return _object(text, i, member) if text[i] == "{" else _skip(text, i)

    def top(key: str, i: int) -> int:
        return _array(text, i, cell) if key == "cells" else _skip(text, i)

    _object(text, _ws(text, 0), top)
    return cells


class RawNotebook:
    """The raw text of one notebook and the literals of its cells' sources."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cells = source_fragments(text)
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, cell: int, line: int, col: int) -> tuple[int, int] | None:
        """(line, column) in the file, both 1-based, of column ``col`` of line ``line`` of
        cell ``cell``; None when the cell has no such position."""
        fragments = self.cells.get(cell)
        if not fragments:
            return None
        source = "".join(value for _, value in fragments)
        start = 0
        for _ in range(line - 1):
            start = source.find("\n", start) + 1
            if start == 0:
                return None
        target = start + max(col, 1) - 1
        if target > len(source):
            return None
        offset = 0
        for raw, value in fragments:
            if target < offset + len(value) or (raw, value) == fragments[-1]:
                return self._raw_line_col(self._raw_offset(raw, value, target - offset))
            offset += len(value)
        return None

    def _raw_offset(self, raw: int, value: str, index: int) -> int:
        """Offset in the file of character ``index`` of the literal starting at ``raw``."""
        p = raw
        text = self.text
        for ch in value[:index]:
            if text[p] != "\\":
                p += 1
            elif text[p + 1] == "u":
                p += 12 if ord(ch) > 0xFFFF else 6  # an astral character: a surrogate pair
            else:
                p += 2
        return p

    def _raw_line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def load_raw(data: str | bytes | None) -> RawNotebook | None:
    """The raw notebook, or None when it is not readable JSON of the expected shape."""
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        return RawNotebook(text.lstrip("\ufeff"))
    except (ValueError, IndexError, UnicodeDecodeError, RecursionError):
        return None
