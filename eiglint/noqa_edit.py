"""``# noqa`` edits: the language server's quick fix and ``eiglint --add-noqa``.

:func:`noqa_insertion` is the edit that silences one finding: the comment goes at the end of the
finding's line, or of the last line of its statement when the line ends inside a multi-line
string or with a backslash continuation (a comment there would change the code; eiglint's
suppression honours a comment on any of the first, the flagged and the last line of a
statement, see :mod:`eiglint.suppress`). An existing ``# noqa: CODES`` gets the code appended,
other tools' codes kept; a line already silenced for the code is left alone.

:func:`add_noqa` applies it to every finding of a module and checks the result: it still
parses and every finding is now silenced, else the module is left unchanged. Running it twice
adds nothing the second time.
"""
from __future__ import annotations

import ast
import codecs
import io
import re
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass

from . import suppress
from .types import Finding

#: a noqa comment with a list of codes; the insertion point for another code is its end
_NOQA_CODES = re.compile(
    "#" + r"\s*noqa:\s*[A-Za-z]+[0-9]*(?:(?:\s*,\s*|\s+)[A-Za-z]+[0-9]*)*", re.IGNORECASE)


@dataclass(frozen=True)
class Insertion:
    line: int  # 0-based
    col: int  # 0-based, in characters
    text: str


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
    lines = _lines(text)
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


def _lines(text: str) -> list[str]:
    """Physical lines as :mod:`tokenize` counts them (``\\n``-separated; a ``\\r`` of
    ``\\r\\n`` is dropped); not :meth:`str.splitlines`, which also splits at form feeds."""
    return [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]


def apply(text: str, ins: Insertion) -> str:
    """``text`` with the insertion made (line endings kept)."""
    parts = text.split("\n")
    line = parts[ins.line]
    parts[ins.line] = line[: ins.col] + ins.text + line[ins.col:]
    return "\n".join(parts)


class NoqaError(Exception):
    """The edited module would not parse or not silence its findings (nothing is written)."""


def add_noqa(text: str, findings: Sequence[Finding]) -> tuple[str, int]:
    """(new text, number of codes added) silencing every finding of the module ``text``.

    Findings about the file itself (``kind == "file"``: a syntax error...) are not silenced.
    Raises :class:`NoqaError` when the result would not parse (or not silence a finding).
    """
    wanted = sorted({(f.line, f.code) for f in findings if f.kind != "file"})
    new, added = text, 0
    for line, code in wanted:
        ins = noqa_insertion(new, line, code)
        if ins is not None:
            new = apply(new, ins)
            added += 1
    if not added:
        return text, 0
    try:
        ast.parse(new)
    except (SyntaxError, ValueError) as exc:
        raise NoqaError(f"adding noqa comments would break the code ({exc}); not edited") \
            from None
    targets = [f for f in findings if f.kind != "file"]
    kept, _ = suppress.split(targets, new)
    if kept:
        raise NoqaError(f"line {kept[0].line}: a noqa comment would not silence {kept[0].code}; "
                        "not edited")
    return new, added


def add_noqa_file(path: str, findings: Sequence[Finding]) -> int:
    """Edit the file at ``path`` in place (its encoding, BOM and line endings kept); the number
    of codes added. Raises :class:`NoqaError` or :class:`OSError`."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        bom = data.startswith(codecs.BOM_UTF8)
        text = data[len(codecs.BOM_UTF8) if bom else 0:].decode(
            "utf-8" if encoding == "utf-8-sig" else encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        raise NoqaError(f"cannot decode: {exc}") from None
    new, added = add_noqa(text, findings)
    if added:
        out = new.encode("utf-8" if encoding == "utf-8-sig" else encoding)
        with open(path, "wb") as fh:
            fh.write((codecs.BOM_UTF8 if bom else b"") + out)
    return added
