"""EIG9xx: a file that could not be analysed, or an internal error of eiglint."""
from __future__ import annotations

from .base import Rule


def _file_rule(code: str, name: str, summary: str, what: str, why: str) -> Rule:
    return Rule(code=code, name=name, kind="file", severity="error", summary=summary,
                what=what, why=why, example="", instead="")


SYNTAX_ERROR = _file_rule(
    "EIG901", "syntax-error", "The file is not valid Python.",
    "Reported once per file that eiglint reads and cannot parse; the other files are still "
    "linted. eiglint parses a file only when its text names a decomposition or imports a "
    "project name that can hold a decomposition's vectors: any other file can hold no tracked "
    "value, so it is not parsed at all and its syntax errors are left to the general linter "
    "(ruff, flake8, the interpreter). `--check-syntax` (`check-syntax = true` in "
    "`[tool.eiglint]`) checks every file. When the offending line uses syntax of a newer "
    "Python than the one running eiglint (`def f[T]()`, `type X = ...`, `except*`, ...), the "
    "message says which Python parsed it: the file may be valid for the Python its project "
    "targets; run eiglint under that Python.",
    "eiglint cannot follow values through code it cannot parse.")
DECODE_ERROR = _file_rule(
    "EIG902", "decode-error", "The file cannot be decoded.",
    "Reported when the bytes are not valid in the file's encoding (UTF-8 unless a PEP 263 "
    "coding cookie says otherwise), or when the file contains NUL bytes.",
    "Python itself would refuse to run such a file.")
TOO_COMPLEX = _file_rule(
    "EIG903", "too-complex", "The file is too deeply nested or too large to analyse.",
    "Reported when an expression nests deeper than the parser supports, the analysis exceeds "
    "its recursion, memory or time budget, or the file is larger than the size limit.",
    "eiglint bounds the work per file so that one pathological file cannot stall a CI run.")
UNREADABLE = _file_rule(
    "EIG904", "unreadable-file", "The file could not be read.",
    "Reported when the operating system refuses to read a file (permissions, a broken link, a "
    "directory named like a module).",
    "Nothing can be checked in a file that cannot be read.")
INTERNAL_ERROR = _file_rule(
    "EIG999", "internal-error", "eiglint failed on this file (a bug in eiglint).",
    "Reported when the analysis itself raises. Please report it with the file, or a reduced "
    "version of it; `--debug` shows the traceback.",
    "An internal error must never hide the findings of the other files.")

RULES = (SYNTAX_ERROR, DECODE_ERROR, TOO_COMPLEX, UNREADABLE, INTERNAL_ERROR)
