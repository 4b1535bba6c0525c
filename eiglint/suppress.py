"""Suppression comments: ``# noqa``, ``# noqa: CODE[,CODE]``, ``# eiglint: ignore[CODE]`` and
the file-level ``# eiglint: skip-file``.

A line comment silences a finding reported on that line, or on any line of the same logical
line (a statement spanning several lines may carry the comment on its first or its last line).
Codes are prefixes, as in flake8: ``# noqa: EIG1`` silences every complex-phase rule. Only real
comments count (found with :mod:`tokenize`), never text inside strings.
"""
from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from .types import Finding

_CODE = r"[A-Za-z]+[0-9]*"
_NOQA = re.compile(
    rf"#\s*noqa(?::\s*(?P<codes>{_CODE}(?:(?:\s*,\s*|\s+){_CODE})*))?(?!\w)",
    re.IGNORECASE,
)
_IGNORE = re.compile(
    rf"#\s*eiglint:\s*ignore(?:\[\s*(?P<codes>{_CODE}(?:\s*,\s*{_CODE})*)\s*,?\s*\])?(?![\w\[])"
)
_SKIP_FILE = re.compile(r"#\s*eiglint:\s*skip-file\b")
_CODES_SPLIT = re.compile(r"[\s,]+")

#: None means "every code"
Codes = Optional[frozenset[str]]


@dataclass(frozen=True)
class Suppressions:
    #: physical line -> codes silenced on it (None = all)
    by_line: dict[int, Codes]
    #: physical line -> (first, last) line of its logical line, for lines of multi-line statements
    spans: dict[int, tuple[int, int]]
    skip_file: bool = False

    def silences(self, finding: Finding) -> bool:
        line = finding.line
        first, last = self.spans.get(line, (line, line))
        return any(_covers(self.by_line.get(n, frozenset()), finding.code)
                   for n in {line, first, last})


def _covers(codes: Codes, code: str) -> bool:
    if codes is None:
        return True
    return any(code.upper().startswith(c) for c in codes)


def _merge(a: Codes, b: Codes) -> Codes:
    if a is None or b is None:
        return None
    return a | b


def _codes(text: str | None) -> Codes:
    if text is None:
        return None
    return frozenset(c.upper() for c in _CODES_SPLIT.split(text.strip()) if c)


def parse_comment(comment: str) -> tuple[Codes, bool]:
    """(codes silenced by this comment or an empty set, whether it says skip-file)."""
    found: Codes = frozenset()
    for m in _NOQA.finditer(comment):  # a bare noqa (with or without colon) silences all
        found = _merge(found, _codes(m.group("codes")))
    for m in _IGNORE.finditer(comment):
        found = _merge(found, _codes(m.group("codes")))
    return found, bool(_SKIP_FILE.search(comment))


def _may_contain(text: str) -> bool:
    lowered = text.lower()
    return "noqa" in lowered or "eiglint:" in text


def scan(text: str) -> Suppressions:
    """Find the suppression comments of a module (cheap when it has none)."""
    if not _may_contain(text):
        return Suppressions({}, {})
    by_line: dict[int, Codes] = {}
    spans: dict[int, tuple[int, int]] = {}
    skip = False
    try:
        tokens: Iterable[tokenize.TokenInfo] = list(
            tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        tokens = ()
        # the file does not tokenize (it is reported as a syntax error): read comments by line
        for n, line in enumerate(text.splitlines(), 1):
            if "#" in line:
                codes, sk = parse_comment(line[line.index("#"):])
                skip = skip or sk
                if codes != frozenset():
                    by_line[n] = _merge(by_line.get(n, frozenset()), codes)
        return Suppressions(by_line, spans, skip)
    first: int | None = None
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            codes, sk = parse_comment(tok.string)
            skip = skip or sk
            if codes != frozenset():
                n = tok.start[0]
                by_line[n] = _merge(by_line.get(n, frozenset()), codes)
        if tok.type in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT,
                        tokenize.ENCODING):
            continue
        if tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if first is not None:
                last = tok.start[0]
                if last > first:
                    for n in range(first, last + 1):
                        spans[n] = (first, last)
            first = None
            continue
        if first is None:
            first = tok.start[0]
    return Suppressions(by_line, spans, skip)


def split(findings: Sequence[Finding], text: str,
          sup: Suppressions | None = None) -> tuple[list[Finding], list[Finding]]:
    """(kept, silenced) findings of one module whose source is ``text``."""
    if not findings:
        return [], []
    if sup is None:
        sup = scan(text)
    if not sup.by_line:
        return list(findings), []
    kept: list[Finding] = []
    silenced: list[Finding] = []
    for f in findings:
        (silenced if sup.silences(f) else kept).append(f)
    return kept, silenced


def skips_file(text: str) -> bool:
    """Does the module carry a ``# eiglint: skip-file`` comment?"""
    return "skip-file" in text and scan(text).skip_file
