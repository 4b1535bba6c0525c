"""flake8 plugin: ``flake8 --select=EIG`` runs eiglint's analysis on each file flake8 checks.

Registered under ``flake8.extension`` as ``EIG`` (the code prefix). flake8 hands over one file
at a time, so facts that eiglint would gather from sibling modules (cross-module summaries) are
computed from that file alone. Selection (``--select``/``--ignore``/``--extend-ignore``),
``per-file-ignores`` and ``# noqa`` are flake8's business here; eiglint's own
``# eiglint: ignore[...]`` / ``# eiglint: skip-file`` comments and the ``extra-sources`` /
``invariant-functions`` of ``[tool.eiglint]`` (nearest pyproject.toml) still apply.
flake8 reports its own E999 for a file that does not parse, so EIG9xx file errors are not
repeated through the plugin.

A broken ``[tool.eiglint]`` (invalid TOML, unknown key, bad value), which ``eiglint`` rejects
with exit 2, stops flake8 the way flake8 stops on its own bad configuration: a
``flake8.exceptions.ExecutionError`` ("There was a critical error during execution of Flake8:"
and the same message as eiglint's, exit 1). It is checked once, when flake8 parses its options
(the configuration of the folder common to the paths given, as the CLI reads it), and again for
the nearest configuration of each file checked (a broken one then fails that file's check).
"""
from __future__ import annotations

import argparse
import ast
import importlib
import os
from collections.abc import Generator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from . import __version__
from .api import lint_source
from .config import ConfigError, common_start, load_settings
from .settings import Settings

Result = tuple[int, int, str, type[Any]]


@lru_cache(maxsize=64)
def _settings_for(folder: str) -> Settings:
    try:
        settings, _ = load_settings(None, folder)
    except ConfigError as exc:
        # the plugin only runs inside flake8; flake8 ships no type information
        flake8_exceptions: Any = importlib.import_module("flake8.exceptions")
        raise flake8_exceptions.ExecutionError(f"eiglint: error: {exc}") from None
    # let flake8 select and ignore; keep what eiglint was taught about the code base
    return replace(settings, select=("EIG",), ignore=(), extend_select=(),
                   per_file_ignores=())


class Plugin:
    name = "eiglint"
    version = __version__

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        """Read ``[tool.eiglint]`` before any file is checked: a broken one stops flake8."""
        _settings_for(common_start(list(getattr(options, "filenames", None) or ["."])))

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str) -> None:
        self.lines = lines
        self.filename = filename

    def run(self) -> Generator[Result, None, None]:
        folder = os.path.dirname(os.path.abspath(self.filename)) if self.filename not in (
            "stdin", "-", "") else os.getcwd()
        findings = lint_source("".join(self.lines), self.filename, _settings_for(folder))
        for f in findings:
            if f.kind == "file":
                continue
            # flake8 columns are 0-based (it adds 1 when printing)
            yield f.line, max(f.col - 1, 0), f"{f.code} {f.message}", type(self)


def findings_as_flake8(lines: list[str], filename: str) -> list[Result]:
    """What the plugin yields for a module (used by the tests)."""
    return list(Plugin(ast.parse("".join(lines)), lines, filename).run())
