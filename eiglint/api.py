"""The one entry point every front end uses: lint source text, files or trees.

The CLI, the flake8 plugin, pre-commit, the language server, the runtime confirmation and the
tests are thin adapters over :func:`lint_source` and :func:`lint_paths`. Linting never imports
or executes the linted code.
"""
from __future__ import annotations

import ast
import io
import os
import tokenize
import traceback
from dataclasses import dataclass, field
from typing import Iterable, Iterator, List, Optional, Sequence, Union

from .catalogue import trigger_pattern
from .rules import files as file_rules
from .rules.base import Rule
from .settings import DEFAULT_SETTINGS, Settings
from .types import Finding

SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", "venv", "env"})


class PathError(Exception):
    """A path given by the user does not exist (the CLI exits 2)."""


@dataclass
class LintResult:
    findings: List[Finding] = field(default_factory=list)
    files: int = 0
    analysed: int = 0


@dataclass(frozen=True)
class Decoded:
    text: str
    error: Optional[Finding] = None


def _file_finding(path: str, rule: Rule, message: str, line: int = 1, col: int = 1) -> Finding:
    return Finding(path=path, line=max(line, 1), col=max(col, 1), code=rule.code,
                   message=message, severity="error", kind="file")


def decode_source(data: bytes, path: str) -> Decoded:
    """Bytes -> text honouring PEP 263 coding cookies and a BOM; one EIG902 finding on failure."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return Decoded("", _file_finding(path, file_rules.DECODE_ERROR,
                                          "file contains a NUL byte; not a Python source file",
                                          line))
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        return Decoded("", _file_finding(path, file_rules.DECODE_ERROR,
                                          f"cannot determine the encoding: {exc.msg if hasattr(exc, 'msg') else exc}"))
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        line = 1
        if isinstance(exc, UnicodeDecodeError):
            line = data[: exc.start].count(b"\n") + 1
        return Decoded("", _file_finding(
            path, file_rules.DECODE_ERROR,
            f"not valid {encoding} (add a PEP 263 coding cookie if the file uses another "
            f"encoding): {exc.reason if isinstance(exc, UnicodeDecodeError) else exc}", line))
    if text.startswith("\ufeff"):
        text = text[1:]
    return Decoded(text)


def _gate(text: str, path: str) -> Optional[Finding]:
    """Parse with :mod:`ast` first: it rejects pathological nesting with a normal SyntaxError
    where libcst would crash, and it is 40x cheaper when the file is invalid anyway."""
    try:
        ast.parse(text, filename=path)
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        rule = file_rules.SYNTAX_ERROR
        if "too many nested" in msg or "too complex" in msg:
            rule = file_rules.TOO_COMPLEX
        return _file_finding(path, rule, f"{'cannot parse' if rule is file_rules.SYNTAX_ERROR else 'cannot analyse'}: {msg}",
                             exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError):
        return _file_finding(path, file_rules.TOO_COMPLEX,
                             "cannot analyse: expression nesting exceeds the parser's limits")
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        return _file_finding(path, file_rules.DECODE_ERROR, f"cannot parse: {exc}")
    return None


def needs_analysis(text: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Cheap pre-filter: can this text produce a tracked value at all?"""
    return trigger_pattern(settings.extra_sources).search(text) is not None


def lint_source(
    source: Union[str, bytes],
    path: str = "<stdin>",
    settings: Settings = DEFAULT_SETTINGS,
    debug: bool = False,
) -> List[Finding]:
    """Lint one module given as text or bytes. Never raises for bad input."""
    if isinstance(source, bytes):
        if len(source) > settings.max_file_size:
            return _select([_too_large(path, len(source), settings)], settings)
        dec = decode_source(source, path)
        if dec.error is not None:
            return _select([dec.error], settings)
        text = dec.text
    else:
        text = source
        if "\x00" in text:
            return _select([_file_finding(path, file_rules.DECODE_ERROR,
                                          "file contains a NUL byte; not a Python source file")],
                           settings)
        if len(text) > settings.max_file_size:
            return _select([_too_large(path, len(text), settings)], settings)
    if not text.strip() or not needs_analysis(text, settings):
        # still reject files that do not parse, so CI learns about them
        err = _gate(text, path) if text.strip() else None
        return _select([err] if err else [], settings)
    err = _gate(text, path)
    if err is not None:
        return _select([err], settings)
    try:
        from .tracker import analyze_text

        findings = analyze_text(text, path, settings)
    except (RecursionError, MemoryError):
        findings = [_file_finding(path, file_rules.TOO_COMPLEX,
                                  "cannot analyse: the file exceeds eiglint's recursion or memory "
                                  "budget")]
    except Exception as exc:  # an internal error must never lose the run
        if debug:
            traceback.print_exc()
        findings = [_file_finding(
            path, file_rules.INTERNAL_ERROR,
            f"internal error ({type(exc).__name__}: {exc}); please report it with this file "
            "(run with --debug for the traceback)")]
    return _select(findings, settings)


def _too_large(path: str, size: int, settings: Settings) -> Finding:
    return _file_finding(path, file_rules.TOO_COMPLEX,
                         f"file is {size / 1e6:.1f} MB, larger than the {settings.max_file_size / 1e6:.1f} "
                         "MB limit; not analysed")


def _select(findings: Iterable[Finding], settings: Settings) -> List[Finding]:
    out = [f for f in findings if f.kind == "file" or settings.is_selected(f.code)]
    out.sort(key=Finding.sort_key)
    return out


def lint_file(path: str, settings: Settings = DEFAULT_SETTINGS, debug: bool = False) -> List[Finding]:
    try:
        size = os.path.getsize(path)
        if size > settings.max_file_size:
            return [_too_large(path, size, settings)]
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [_file_finding(path, file_rules.UNREADABLE,
                              f"cannot read: {exc.strerror or exc}")]
    return lint_source(data, path, settings, debug)


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> List[str]:
    """Expand directories into ``*.py`` files (sorted); explicit files are always kept.

    Skips hidden folders, virtualenvs (any folder with ``pyvenv.cfg``), ``__pycache__`` and
    ``site-packages``; follows no symlinked directories (so loops cannot hang the walk).
    Raises :class:`PathError` naming the first missing path.
    """
    out: List[str] = []
    seen = set()
    for p in paths:
        if not os.path.exists(p) and not os.path.islink(p):
            raise PathError(p)
        if os.path.isdir(p):
            for f in _walk(p, exclude):
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        elif p not in seen:
            seen.add(p)
            out.append(p)
    return out


def _excluded(name: str, rel: str, exclude: Sequence[str]) -> bool:
    import fnmatch

    return any(fnmatch.fnmatch(name, pat) or fnmatch.fnmatch(rel, pat) for pat in exclude)


def _walk(root: str, exclude: Sequence[str]) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        keep = []
        for d in sorted(dirnames):
            full = os.path.join(dirpath, d)
            if d.startswith(".") or d in SKIP_DIRS or os.path.islink(full):
                continue
            if os.path.exists(os.path.join(full, "pyvenv.cfg")):
                continue
            if exclude and _excluded(d, os.path.relpath(full, root), exclude):
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            if f.endswith(".py") and not f.startswith("."):
                full = os.path.join(dirpath, f)
                if exclude and _excluded(f, os.path.relpath(full, root), exclude):
                    continue
                yield full


def lint_paths(
    paths: Sequence[str],
    settings: Settings = DEFAULT_SETTINGS,
    exclude: Sequence[str] = (),
    debug: bool = False,
) -> LintResult:
    files = discover(paths, exclude)
    result = LintResult(files=len(files))
    for f in files:
        result.findings.extend(lint_file(f, settings, debug))
    result.findings.sort(key=Finding.sort_key)
    return result

