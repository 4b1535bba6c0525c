"""The one entry point every front end uses: lint source text, files or trees.

The CLI, the flake8 plugin, pre-commit, the language server, the runtime confirmation and the
tests are thin adapters over :func:`lint_source` and :func:`lint_paths`. Linting never imports
or executes the linted code.
"""
from __future__ import annotations

import ast
import io
import os
import symtable
import tokenize
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import discovery, prefilter, suppress
from .catalogue import trigger_pattern
from .project import Project
from .rules import files as file_rules
from .rules.base import Rule
from .settings import DEFAULT_SETTINGS, Settings
from .timings import phase
from .types import FilePlan, Finding


class PathError(Exception):
    """A path given by the user does not exist (the CLI exits 2)."""


@dataclass
class LintResult:
    findings: List[Finding] = field(default_factory=list)
    files: int = 0
    analysed: int = 0
    #: findings silenced by suppression comments (noqa, ``# eiglint: ignore[...]``)
    suppressed: List[Finding] = field(default_factory=list)
    #: per file linted (not cached): (path, seconds, phase -> seconds); see eiglint.timings
    timings: List[Tuple[str, float, Dict[str, float]]] = field(default_factory=list)


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
        reason = getattr(exc, "msg", exc)
        return Decoded("", _file_finding(path, file_rules.DECODE_ERROR,
                                          f"cannot determine the encoding: {reason}"))
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


def _parse(text: str, path: str) -> Tuple[Optional[ast.Module], Optional[Finding]]:
    """Parse with :mod:`ast` first: it rejects pathological nesting with a normal SyntaxError
    where libcst would crash, and it is 40x cheaper when the file is invalid anyway."""
    try:
        return ast.parse(text, filename=path), None
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        rule = file_rules.SYNTAX_ERROR
        if "too many nested" in msg or "too complex" in msg:
            rule = file_rules.TOO_COMPLEX
        return None, _file_finding(
            path, rule,
            f"{'cannot parse' if rule is file_rules.SYNTAX_ERROR else 'cannot analyse'}: {msg}",
            exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError):
        return None, _file_finding(path, file_rules.TOO_COMPLEX,
                                   "cannot analyse: expression nesting exceeds the parser's limits")
    except ValueError as exc:  # e.g. source code string cannot contain null bytes
        return None, _file_finding(path, file_rules.DECODE_ERROR, f"cannot parse: {exc}")


def _check_syntax(text: str, path: str) -> Optional[Finding]:
    """The syntax gate without an AST: :mod:`symtable` runs CPython's parser (and its
    compile-time checks) but builds no Python objects, at about half the cost of
    :func:`ast.parse`. Same diagnostics as :func:`_parse`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            symtable.symtable(text, path, "exec")
        return None
    except SyntaxError as exc:
        # the parser's own message where ast agrees; else a compile-time error such as
        # ``nonlocal`` at module level
        return _parse(text, path)[1] or _file_finding(
            path, file_rules.SYNTAX_ERROR, f"cannot compile: {exc.msg or 'invalid syntax'}",
            exc.lineno or 1, exc.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        return _parse(text, path)[1]


def _gate(text: str, path: str) -> Optional[Finding]:
    return _parse(text, path)[1]


def needs_analysis(text: str, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Cheap pre-filter: can this text produce a tracked value at all?"""
    return trigger_pattern(settings.extra_sources).search(text) is not None


def lint_source(
    source: Union[str, bytes],
    path: str = "<stdin>",
    settings: Settings = DEFAULT_SETTINGS,
    debug: bool = False,
    suppressed: Optional[List[Finding]] = None,
    project: Optional[Project] = None,
    explain: Optional[Dict[str, str]] = None,
) -> List[Finding]:
    """Lint one module given as text or bytes. Never raises for bad input.

    Findings silenced by suppression comments are left out (and appended to ``suppressed``
    when a list is given); a module with ``# eiglint: skip-file`` gives nothing.
    """
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
    if suppress.skips_file(text):
        _note(explain, path, "skipped: `# eiglint: skip-file`")
        return []
    return _unsuppressed(_analyse(text, path, settings, debug, project, explain), text,
                         suppressed)


def _unsuppressed(findings: List[Finding], text: str,
                  suppressed: Optional[List[Finding]]) -> List[Finding]:
    kept, silenced = suppress.split(findings, text)
    if suppressed is not None:
        suppressed.extend(silenced)
    return kept


def _analyse(text: str, path: str, settings: Settings, debug: bool,
             project: Optional[Project] = None,
             explain: Optional[Dict[str, str]] = None) -> List[Finding]:
    if project is None and os.path.isfile(path):
        # a single file still sees the modules next to it and in its package
        project = Project([path], settings)
    if not text.strip():
        _note(explain, path, "skipped: empty")
        return []
    hit = prefilter.find_word(text, prefilter.trigger_words(tuple(settings.extra_sources)))
    if PREFILTER:
        with phase("pre-filter"):
            index = prefilter.index_for(project or Project((), settings))
            early = index.decide_text(text, path, hit)
        if early is not None:
            # nothing here can hold a tracked value: only the syntax gate, at its cheapest,
            # and not at all when syntax errors are not wanted (``--ignore EIG901``: ruff
            # and flake8 report them too)
            with phase("syntax"):
                err = _check_syntax(text, path) if settings.is_selected_for(
                    file_rules.SYNTAX_ERROR.code, path) else None
            if err is not None:
                _note(explain, path, f"not analysed: {err.code} {err.message}")
                return _select([err], settings)
            _note(explain, path, early.reason)
            return []
    with phase("parse"):
        tree, err = _parse(text, path)
    if err is not None:
        _note(explain, path, f"not analysed: {err.code} {err.message}")
        return _select([err], settings)
    assert tree is not None
    line_map: Sequence[int] = ()
    if PREFILTER:
        try:
            with phase("slice"):
                decision = index.decide_parsed(tree, text, path, hit)
        except RecursionError:  # a very deep expression: the tracker reports it
            decision = prefilter.Decision(True, "analysed: too deep to slice")
        del tree
        _note(explain, path, decision.reason)
        if not decision.analyse:
            return []
        if decision.slice is not None:
            text, line_map = decision.slice.text, decision.slice.line_map
    else:
        _note(explain, path, "analysed: the pre-filter is off")
    try:
        from .tracker import analyze_text

        with phase("analysis"):
            findings = analyze_text(text, path, settings, project, line_map)
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


#: off only to check that the pre-filter changes no finding (tests, ``--no-prefilter``)
PREFILTER = True


def _note(explain: Optional[Dict[str, str]], path: str, reason: str) -> None:
    if explain is not None:
        explain[path] = reason


def _too_large(path: str, size: int, settings: Settings) -> Finding:
    return _file_finding(path, file_rules.TOO_COMPLEX,
                         f"file is {size / 1e6:.1f} MB, larger than the "
                         f"{settings.max_file_size / 1e6:.1f} "
                         "MB limit; not analysed")


def _select(findings: Iterable[Finding], settings: Settings) -> List[Finding]:
    out = [f for f in findings if f.kind == "file" or settings.is_selected_for(f.code, f.path)]
    out.sort(key=Finding.sort_key)
    return out


def lint_file(path: str, settings: Settings = DEFAULT_SETTINGS, debug: bool = False,
              suppressed: Optional[List[Finding]] = None,
              project: Optional[Project] = None,
              explain: Optional[Dict[str, str]] = None) -> List[Finding]:
    """Lint one file; a ``.ipynb`` notebook is linted as one program over its code cells."""
    try:
        size = os.path.getsize(path)
        if size > settings.max_file_size:
            return [_too_large(path, size, settings)]
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [_file_finding(path, file_rules.UNREADABLE,
                              f"cannot read: {exc.strerror or exc}")]
    return lint_data(data, path, settings, debug, suppressed, project, explain)


def lint_data(data: bytes, path: str, settings: Settings = DEFAULT_SETTINGS, debug: bool = False,
              suppressed: Optional[List[Finding]] = None,
              project: Optional[Project] = None,
              explain: Optional[Dict[str, str]] = None) -> List[Finding]:
    """Lint the bytes of a file named ``path`` (stdin, editors): notebooks by their suffix."""
    if path.endswith(".ipynb"):
        from .notebook import lint_notebook

        _note(explain, path, "analysed: notebook (its code cells as one program)")
        return lint_notebook(data, path, settings, debug, suppressed)
    return lint_source(data, path, settings, debug, suppressed, project, explain)


def discover(paths: Sequence[str], exclude: Sequence[str] = (),
             settings: Settings = DEFAULT_SETTINGS) -> List[str]:
    """Expand directories into ``*.py`` and ``*.ipynb`` files; explicit files are always kept
    (unless ``settings.force_exclude``). See :mod:`eiglint.discovery` for what the walk skips
    (excluded and git-ignored paths, virtualenvs, symlinked folders: loops cannot hang it).
    Raises :class:`PathError` naming the first missing path.
    """
    for p in paths:
        if not os.path.exists(p) and not os.path.islink(p):
            raise PathError(p)
    return discovery.collect(paths, settings, exclude)


def lint_paths(
    paths: Sequence[str],
    settings: Settings = DEFAULT_SETTINGS,
    exclude: Sequence[str] = (),
    debug: bool = False,
    jobs: Optional[int] = None,
    cache_dir: Optional[str] = None,
    timeout: Optional[float] = None,
    explain: Optional[Dict[str, str]] = None,
) -> LintResult:
    """Lint files and folders. ``jobs=None`` lints in this process; ``jobs=N`` uses N worker
    processes (a crash or a hang on one file becomes a diagnostic; see
    :mod:`eiglint.parallel`). ``cache_dir`` enables the result cache (:mod:`eiglint.cache`).
    ``explain`` receives, per file, why it was or was not analysed."""
    from . import parallel
    from .cache import Cache

    files = discover(paths, exclude, settings)
    result = LintResult(files=len(files))
    outcomes = parallel.lint_files(
        files, settings, debug, jobs, Cache(cache_dir, debug) if cache_dir else None,
        parallel.DEFAULT_FILE_TIMEOUT if timeout is None else timeout)
    for out in outcomes:
        result.findings.extend(out.findings)
        result.suppressed.extend(out.suppressed)
        result.analysed += out.analysed
        if explain is not None:
            explain[out.path] = out.reason + (" (cached)" if out.cached else "")
        if not out.cached:
            result.timings.append((out.path, out.seconds, out.phases))
    result.findings.sort(key=Finding.sort_key)
    result.suppressed.sort(key=Finding.sort_key)
    return result


def plan_fixes(findings: Sequence[Finding],
               read: Optional[Dict[str, str]] = None) -> List[FilePlan]:
    """The unsafe fixes of ``findings``: per file, the text with each decomposition whose
    vectors the findings' values came from canonicalised (see :mod:`eiglint.fixes`), and the
    decompositions that get no fix, with the reason. ``read`` maps paths to their current text
    (an editor's buffers); other files are read from disk. Nothing is written."""
    from .fixes import plan_fixes as plan

    return plan(findings, read)
