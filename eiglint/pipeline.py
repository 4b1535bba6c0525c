"""One file through the linter: decode, pre-filter, syntax gate, tracker, select, suppress.

Every way of linting a file ends here: the public :mod:`eiglint.api` (in this process) and the
worker pool of :mod:`eiglint.parallel` (one call per file). A notebook is turned into one
program by the pure :mod:`eiglint.notebook` and linted as a module; its findings are then said
in cell terms. The tracker (and with it libcst) is imported only when a file gets that far.
Nothing here raises for bad input: it becomes an EIG9xx finding (:mod:`eiglint.source`).

The syntax gate (EIG901) applies where eiglint reads the code: a file whose text names no
decomposition and imports no charged project name can hold no tracked value, so it is not
parsed at all (most files of a large tree; ruff, flake8 and the interpreter report their syntax
errors). ``Settings.check_syntax`` (``--check-syntax``) brings the gate back for every file.
"""
from __future__ import annotations

import os
import traceback
from typing import Dict, Iterable, List, Optional, Sequence, Union

from . import notebook, prefilter, slicing, suppress
from .project import Project
from .rules import files as file_rules
from .settings import DEFAULT_SETTINGS, Settings
from .source import (
    check_syntax,
    decode_source,
    internal_error,
    nul_in_text,
    over_budget,
    parse,
    too_large,
    unreadable,
)
from .timings import phase
from .types import Finding


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
            return select([too_large(path, len(source), settings)], settings)
        dec = decode_source(source, path)
        if dec.error is not None:
            return select([dec.error], settings)
        text = dec.text
    else:
        text = source
        if "\x00" in text:
            return select([nul_in_text(path)], settings)
        if len(text) > settings.max_file_size:
            return select([too_large(path, len(text), settings)], settings)
    if suppress.skips_file(text):
        _note(explain, path, "skipped: `# eiglint: skip-file`")
        return []
    return _unsuppressed(_analyse(text, path, settings, debug, project, explain), text,
                         suppressed)


def lint_data(data: bytes, path: str, settings: Settings = DEFAULT_SETTINGS, debug: bool = False,
              suppressed: Optional[List[Finding]] = None,
              project: Optional[Project] = None,
              explain: Optional[Dict[str, str]] = None) -> List[Finding]:
    """Lint the bytes of a file named ``path`` (stdin, editors): notebooks by their suffix."""
    if path.endswith(".ipynb"):
        _note(explain, path, "analysed: notebook (its code cells as one program)")
        return lint_notebook(data, path, settings, debug, suppressed)
    return lint_source(data, path, settings, debug, suppressed, project, explain)


def lint_file(path: str, settings: Settings = DEFAULT_SETTINGS, debug: bool = False,
              suppressed: Optional[List[Finding]] = None,
              project: Optional[Project] = None,
              explain: Optional[Dict[str, str]] = None) -> List[Finding]:
    """Lint one file; a ``.ipynb`` notebook is linted as one program over its code cells."""
    try:
        size = os.path.getsize(path)
        if size > settings.max_file_size:
            return [too_large(path, size, settings)]
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return [unreadable(path, exc)]
    return lint_data(data, path, settings, debug, suppressed, project, explain)


def lint_notebook(data: Union[bytes, str], path: str, settings: Settings = DEFAULT_SETTINGS,
                  debug: bool = False, suppressed: Optional[List[Finding]] = None
                  ) -> List[Finding]:
    """Lint a notebook as one program; findings carry their cell and the line within it."""
    prog = notebook.load(data, path)
    if prog.error is not None:
        return select([prog.error], settings)
    if prog.foreign or not prog.text.strip():
        return []
    silenced: List[Finding] = []
    found = lint_source(prog.text, path, settings, debug, suppressed=silenced)
    if suppressed is not None:
        suppressed.extend(notebook.map_finding(f, prog) for f in silenced)
    out = [notebook.map_finding(f, prog) for f in found]
    out.sort(key=Finding.sort_key)
    return out


def select(findings: Iterable[Finding], settings: Settings) -> List[Finding]:
    """The selected findings, sorted (file diagnostics are always kept)."""
    out = [f for f in findings if f.kind == "file" or settings.is_selected_for(f.code, f.path)]
    out.sort(key=Finding.sort_key)
    return out


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
    with phase("pre-filter"):
        index = prefilter.index_for(project or Project((), settings))
        # None: the text names a decomposition or imports a charged project name, so the file
        # is parsed and analysed; else nothing in it can hold a tracked value
        early = index.decide_text(text, path, hit)
    if early is not None and settings.prefilter:
        # not parsed at all: its syntax errors are the general linter's business (ruff,
        # flake8, the interpreter), unless ``--check-syntax`` asks for the gate everywhere
        with phase("syntax"):
            err = check_syntax(text, path) if settings.check_syntax and \
                settings.is_selected_for(file_rules.SYNTAX_ERROR.code, path) else None
        if err is not None:
            _note(explain, path, f"not analysed: {err.code} {err.message}")
            return select([err], settings)
        _note(explain, path, early.reason)
        return []
    with phase("parse"):
        tree, err = parse(text, path)
    if err is not None:
        if early is not None and not settings.check_syntax:
            # the pre-filter is off: the same files as with it on get the syntax gate
            _note(explain, path, early.reason)
            return []
        _note(explain, path, f"not analysed: {err.code} {err.message}")
        return select([err], settings)
    assert tree is not None
    line_map: Sequence[int] = ()
    starts: Sequence[int] = slicing.statement_starts(tree)
    if settings.prefilter:
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
            starts = decision.slice.starts
    else:
        _note(explain, path, "analysed: the pre-filter is off")
    try:
        from .tracker import analyze_text  # libcst is loaded only for files analysed

        with phase("analysis"):
            findings = analyze_text(text, path, settings, project, line_map, starts)
    except (RecursionError, MemoryError):
        findings = [over_budget(path)]
    except Exception as exc:  # an internal error must never lose the run
        if debug:
            traceback.print_exc()
        findings = [internal_error(path, exc)]
    return select(findings, settings)


def _note(explain: Optional[Dict[str, str]], path: str, reason: str) -> None:
    if explain is not None:
        explain[path] = reason
