"""The one entry point every front end uses: lint source text, files or trees.

The CLI, the flake8 plugin, pre-commit, the language server, the runtime confirmation and the
tests are thin adapters over :func:`lint_source` and :func:`lint_paths`. Linting never imports
or executes the linted code.

This module is the public surface only: nothing inside eiglint imports it except the front
ends. One file goes through :mod:`eiglint.pipeline`; many go through the worker pool of
:mod:`eiglint.parallel`; reading and decoding a file is :mod:`eiglint.source`.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from . import discovery, parallel
from .cache import Cache
from .pipeline import lint_data, lint_file, lint_source
from .settings import DEFAULT_SETTINGS, Settings
from .source import Decoded, decode_source, needs_analysis, read_text
from .types import FilePlan, Finding

__all__ = ["Decoded", "LintResult", "PathError", "decode_source", "discover", "lint_data",
           "lint_file", "lint_paths", "lint_source", "needs_analysis", "plan_fixes", "read_text"]


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
    #: seconds of the serial work before the first file is linted, by step (eiglint.timings)
    setup: Dict[str, float] = field(default_factory=dict)


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
    t0 = time.perf_counter()
    files = discover(paths, exclude, settings)
    result = LintResult(files=len(files))
    result.setup["discovery"] = time.perf_counter() - t0
    stats = parallel.RunStats()
    outcomes = parallel.lint_files(
        files, settings, debug, jobs, Cache(cache_dir, debug) if cache_dir else None,
        parallel.DEFAULT_FILE_TIMEOUT if timeout is None else timeout, stats=stats)
    result.setup.update(stats.setup)
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
