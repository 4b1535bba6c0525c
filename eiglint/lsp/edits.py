"""Text helpers of the language server: the ``# noqa`` quick fix, the edits of a fix, and LSP
position units.

Pure functions over source text (no LSP types), so they are tested on their own.
"""
from __future__ import annotations

import difflib
import io
import re
import tokenize
from dataclasses import dataclass

from .. import suppress

#: a noqa comment with a list of codes; the insertion point for another code is its end
_NOQA_CODES = re.compile(
    "#" + r"\s*noqa:\s*[A-Za-z]+[0-9]*(?:(?:\s*,\s*|\s+)[A-Za-z]+[0-9]*)*", re.IGNORECASE)


@dataclass(frozen=True)
class Insertion:
    line: int  # 0-based
    col: int  # 0-based, in characters
    text: str


@dataclass(frozen=True)
class LineEdit:
    """Replace lines ``start`` to ``end`` (0-based, ``end`` excluded) by ``text``."""

    start: int
    end: int
    text: str


def line_edits(original: str, fixed: str) -> list[LineEdit]:
    """The smallest whole-line edits that turn ``original`` into ``fixed`` (a fix inserts a
    few lines; the editor keeps its cursor and folds elsewhere)."""
    old = original.splitlines(keepends=True)
    new = fixed.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False
                                                       ).get_opcodes():
        if tag != "equal":
            edits.append(LineEdit(i1, i2, "".join(new[j1:j2])))
    return edits


def _logical_line(text: str, line: int) -> tuple[int, int, list[tokenize.TokenInfo]]:
    """(first, last) physical line (1-based) of the logical line holding ``line``, and its
    comment tokens; ``(line, line, [])`` when the text does not tokenize."""
    first: int | None = None
    comments: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comments.append(tok)
                continue
            if tok.type in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING):
                continue
            if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if first is not None and first <= line <= tok.start[0]:
                    return first, tok.start[0], comments
                first, comments = None, []
                continue
            if first is None:
                first = tok.start[0]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return line, line, []


def noqa_insertion(text: str, line: int, code: str) -> Insertion | None:
    """The edit that silences ``code`` reported on ``line`` (1-based) with ``# noqa``.

    The comment goes at the end of that line, or of the last line of its statement when the
    line ends inside a multi-line string or with a backslash continuation (a comment there
    would change the code). An existing ``# noqa: CODES`` on the chosen line gets the code
    appended; None when the line is already silenced for that code.
    """
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    _first, last, comments = _logical_line(text, line)
    target = line
    body = lines[line - 1]
    own_comment = next((c for c in comments if c.start[0] == line), None)
    if own_comment is None and (last > line and (body.rstrip().endswith("\\")
                                                  or _ends_inside_string(text, line))):
        target = last
    comment = next((c for c in comments if c.start[0] == target), None)
    physical = lines[target - 1]
    if comment is not None:
        codes, _ = suppress.parse_comment(comment.string)
        if codes is None or any(code.upper().startswith(c) for c in codes):
            return None  # already silenced
        m = _NOQA_CODES.search(comment.string)
        if m is not None:
            return Insertion(target - 1, comment.start[1] + m.end(), f", {code}")
    return Insertion(target - 1, len(physical.rstrip()), f"  # noqa: {code}")


def _ends_inside_string(text: str, line: int) -> bool:
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.start[0] > line:
                return False
            if tok.start[0] <= line < tok.end[0] and tok.type != tokenize.NL:
                return True
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return False
    return False


# --------------------------------------------------------------------------- position units


def to_client_units(line_text: str, col: int, encoding: str) -> int:
    """A 0-based character column of ``line_text`` in the negotiated LSP position encoding
    (``utf-16`` by default, ``utf-8`` or ``utf-32``)."""
    prefix = line_text[:col]
    if encoding == "utf-8":
        return len(prefix.encode("utf-8")) + max(col - len(line_text), 0)
    if encoding == "utf-32":
        return col
    return len(prefix.encode("utf-16-le")) // 2 + max(col - len(line_text), 0)


def from_client_units(line_text: str, units: int, encoding: str) -> int:
    """The inverse of :func:`to_client_units`: a 0-based character column."""
    if encoding == "utf-32":
        return units
    count = 0
    for i, ch in enumerate(line_text):
        if count >= units:
            return i
        count += len(ch.encode("utf-8")) if encoding == "utf-8" else (2 if ord(ch) > 0xFFFF else 1)
    return len(line_text) + max(units - count, 0)
