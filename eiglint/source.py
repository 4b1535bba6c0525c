"""A file's bytes before any analysis: decoding, the syntax gate, the EIG9xx file findings.

A leaf of the package (it imports only records, settings and the catalogue): the pipeline,
the worker pool, the project's module reader, the reporters and the runtime confirmation all
read source files the same way through it, and every "this file could not be analysed"
diagnostic is worded here once.
"""
from __future__ import annotations

import ast
import io
import os
import re
import symtable
import sys
import tokenize
import warnings
from dataclasses import dataclass
from typing import Optional, Tuple

from .catalogue import trigger_pattern
from .rules import files as file_rules
from .rules.base import Rule
from .settings import DEFAULT_SETTINGS, Settings
from .types import Finding


@dataclass(frozen=True)
class Decoded:
    text: str
    error: Optional[Finding] = None


def file_finding(path: str, rule: Rule, message: str, line: int = 1, col: int = 1) -> Finding:
    """A diagnostic about the file as a whole (kind ``file``: never deselected)."""
    return Finding(path=path, line=max(line, 1), col=max(col, 1), code=rule.code,
                   message=message, severity="error", kind="file")


def decode_source(data: bytes, path: str) -> Decoded:
    """Bytes -> text honouring PEP 263 coding cookies and a BOM; one EIG902 finding on failure."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Decoded("", file_finding(path, file_rules.DECODE_ERROR,
                                         "file contains a NUL byte; not a Python source file",
                                         line))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        reason = getattr(exc, "msg", exc)
        return Decoded("", file_finding(path, file_rules.DECODE_ERROR,
                                         f"cannot determine the encoding: {reason}"))
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = 1
        if isinstance(exc, UnicodeDecodeError):
            line = data[: exc.start].count(b"\n") + 1
        return Decoded("", file_finding(
            path, file_rules.DECODE_ERROR,
            f"not valid {encoding} (add a PEP 263 coding cookie if the file uses another "
            f"encoding): {exc.reason if isinstance(exc, UnicodeDecodeError) else exc}", line))
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text)


def read_text(path: str, limit: int) -> Optional[str]:
    """A file's text as the linter decodes it, or None when it is larger than ``limit`` bytes,
    unreadable or undecodable (for modules read on the side: imports, an editor's index)."""
    try:
        if os.path.getsize(path) > limit:
            return None
        with open(path, "rb") as fh:
            dec = decode_source(fh.read(), path)
    except OSError:
        return None
    return None if dec.error is not None else dec.text


def nul_in_text(path: str) -> Finding:
    """EIG902 for text (not bytes) that holds a NUL character."""
    return file_finding(path, file_rules.DECODE_ERROR,
                        "file contains a NUL byte; not a Python source file")


def too_large(path: str, size: int, settings: Settings) -> Finding:
    return file_finding(path, file_rules.TOO_COMPLEX,
                        f"file is {size / 1e6:.1f} MB, larger than the "
                        f"{settings.max_file_size / 1e6:.1f} "
                        "MB limit; not analysed")


def unreadable(path: str, exc: OSError) -> Finding:
    return file_finding(path, file_rules.UNREADABLE, f"cannot read: {exc.strerror or exc}")


def over_budget(path: str) -> Finding:
    """EIG903 when the analysis ran out of recursion depth or memory."""
    return file_finding(path, file_rules.TOO_COMPLEX,
                        "cannot analyse: the file exceeds eiglint's recursion or memory budget")


def internal_error(path: str, exc: BaseException) -> Finding:
    return file_finding(
        path, file_rules.INTERNAL_ERROR,
        f"internal error ({type(exc).__name__}: {exc}); please report it with this file "
        "(run with --debug for the traceback)")


#: the file name given to CPython's parser: never a real file. Given the path of an existing
#: file, CPython re-reads the offending line from disk to place the column, which is wrong
#: when the parsed text is not that file's (a notebook's joined cells, an editor's buffer).
_PARSED_TEXT = "<string>"


def parse(text: str, path: str) -> Tuple[Optional[ast.Module], Optional[Finding]]:
    """Parse with :mod:`ast` first: it rejects pathological nesting with a normal SyntaxError
    where libcst would crash, and it is 40x cheaper when the file is invalid anyway."""
    try:
        return ast.parse(text, filename=_PARSED_TEXT), None
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        rule = file_rules.SYNTAX_ERROR
        if "too many nested" in msg or "too complex" in msg:
            rule = file_rules.TOO_COMPLEX
        if rule is file_rules.SYNTAX_ERROR:
            msg += _newer_syntax_note(text, exc.lineno)
        return None, file_finding(
            path, rule,
            f"{'cannot parse' if rule is file_rules.SYNTAX_ERROR else 'cannot analyse'}: {msg}",
            exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError):
        return None, file_finding(path, file_rules.TOO_COMPLEX,
                                  "cannot analyse: expression nesting exceeds the parser's limits")
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        return None, file_finding(path, file_rules.DECODE_ERROR, f"cannot parse: {exc}")


#: statements that newer Pythons accept and older ones reject: (pattern on the stripped line,
#: the construct, the first Python that parses it)
NEWER_SYNTAX: Tuple[Tuple["re.Pattern[str]", str, Tuple[int, int]], ...] = (
    (re.compile(r"(async\s+)?def\s+\w+\s*\["), "type parameters (PEP 695)", (3, 12)),
    (re.compile(r"class\s+\w+\s*\["), "type parameters (PEP 695)", (3, 12)),
    (re.compile(r"type\s+\w+\s*(\[|=)"), "a `type` alias statement (PEP 695)", (3, 12)),
    (re.compile(r"except\s*\*"), "`except*` (PEP 654)", (3, 11)),
    (re.compile(r"(match|case)\s.*:\s*(#.*)?$"), "`match` statements (PEP 634)", (3, 10)),
    (re.compile(r"except\s+[^\s(:][^:]*,[^:]*:\s*(#.*)?$"),
     "`except` with several exceptions and no parentheses (PEP 758)", (3, 14)),
)


def _newer_syntax_note(text: str, lineno: Optional[int]) -> str:
    """`` (parsed by Python 3.11; ... needs Python 3.12)`` when the line of a syntax error
    holds a construct of a newer Python than the one running eiglint, else ``""``: the file
    may well be valid for the Python its project targets."""
    if not lineno:
        return ""
    lines = text.splitlines()
    if not 0 < lineno <= len(lines):
        return ""
    line = lines[lineno - 1].strip()
    running = sys.version_info[:2]
    for pattern, construct, since in NEWER_SYNTAX:
        if since > running and pattern.match(line):
            return (f" (parsed by Python {running[0]}.{running[1]}; {construct} needs Python "
                    f"{since[0]}.{since[1]})")
    return ""


def check_syntax(text: str, path: str) -> Optional[Finding]:
    """The syntax gate without an AST: :mod:`symtable` runs CPython's parser (and its
    compile-time checks) but builds no Python objects, at about half the cost of
    :func:`ast.parse`. Same diagnostics as :func:`parse`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            symtable.symtable(text, _PARSED_TEXT, "exec")
        return None
    except SyntaxError as exc:
        # the parser's own message where ast agrees; else a compile-time error such as
        # ``nonlocal`` at module level
        return parse(text, path)[1] or file_finding(
            path, file_rules.SYNTAX_ERROR, f"cannot compile: {exc.msg or 'invalid syntax'}",
            exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        return parse(text, path)[1]


def needs_analysis(text: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Cheap pre-filter: can this text produce a tracked value at all?"""
    return trigger_pattern(settings.extra_sources).search(text) is not None
