"""The syntax gate applies where eiglint reads the code (issue: a cold run was mostly the gate).

A file whose text names no decomposition and imports no charged project name can hold no
tracked value: it is not parsed, so its syntax errors are left to ruff, flake8 or the
interpreter. Files eiglint analyses get EIG901 as before. ``--check-syntax`` (or
``check-syntax = true``) brings the gate back for every file.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from eiglint.api import lint_source
from eiglint.settings import DEFAULT_SETTINGS
from tests.cli.helpers import FORUM, assert_no_traceback, forum_expected, parse_concise, run

PLAIN = b"def f(:\n    return 1\n"  # invalid, and no decomposition in sight
ANALYSED = b"import torch\nw, v = torch.linalg.eigh(A)\ndef f(:\n    return v\n"
DEEP_PLAIN = b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n"


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "plain.py").write_bytes(PLAIN)
    (tmp_path / "analysed.py").write_bytes(ANALYSED)
    (tmp_path / "deep_plain.py").write_bytes(DEEP_PLAIN)
    (tmp_path / "zz_forum.py").write_bytes(FORUM.read_bytes())
    return tmp_path


def _codes(stdout: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path, _ln, _col, code, _msg in parse_concise(stdout):
        out.setdefault(path, []).append(code)
    return out


def test_default_gates_only_the_files_it_analyses(tree: Path) -> None:
    proc = run("--isolated", "--no-cache", ".", cwd=tree)
    assert_no_traceback(proc)
    assert _codes(proc.stdout) == {"analysed.py": ["EIG901"], "zz_forum.py": ["EIG101"] * 2}
    rows = parse_concise(proc.stdout)
    assert [r[1:4] for r in rows if r[0] == "zz_forum.py"] == forum_expected()
    assert [r[1:4] for r in rows if r[0] == "analysed.py"] == [(3, 7, "EIG901")]
    why = run("--isolated", "--no-cache", "--explain-skips", ".", cwd=tree).stderr
    assert "plain.py: skipped: no decomposition name" in why
    assert "analysed.py: not analysed: EIG901 cannot parse" in why


def test_check_syntax_gates_every_file(tree: Path) -> None:
    proc = run("--isolated", "--no-cache", "--check-syntax", ".", cwd=tree)
    assert_no_traceback(proc)
    assert _codes(proc.stdout) == {"analysed.py": ["EIG901"], "deep_plain.py": ["EIG903"],
                                   "plain.py": ["EIG901"], "zz_forum.py": ["EIG101"] * 2}
    # deselecting EIG901 still skips the parse of files that cannot hold a tracked value
    ignored = run("--isolated", "--no-cache", "--check-syntax", "--ignore", "EIG901", ".",
                  cwd=tree)
    assert _codes(ignored.stdout) == {"analysed.py": ["EIG901"], "zz_forum.py": ["EIG101"] * 2}


def test_check_syntax_from_the_configuration(tree: Path) -> None:
    (tree / "pyproject.toml").write_text("[tool.eiglint]\ncheck-syntax = true\n")
    assert _codes(run("--no-cache", "plain.py", cwd=tree).stdout) == {"plain.py": ["EIG901"]}
    (tree / "pyproject.toml").write_text("[tool.eiglint]\ncheck-syntax = false\n")
    assert _codes(run("--no-cache", "plain.py", cwd=tree).stdout) == {}
    (tree / "pyproject.toml").write_text("[tool.eiglint]\ncheck-syntax = 'yes'\n")
    bad = run("--no-cache", "plain.py", cwd=tree)
    assert bad.returncode == 2 and "check-syntax" in bad.stderr
    assert_no_traceback(bad)


def test_the_prefilter_off_gates_the_same_files(tree: Path) -> None:
    """``--no-prefilter`` checks that the pre-filter changes no finding: EIG901 included."""
    on = run("--isolated", "--no-cache", ".", cwd=tree)
    off = run("--isolated", "--no-cache", "--no-prefilter", ".", cwd=tree)
    assert on.stdout == off.stdout and on.stdout
    on = run("--isolated", "--no-cache", "--check-syntax", ".", cwd=tree)
    off = run("--isolated", "--no-cache", "--check-syntax", "--no-prefilter", ".", cwd=tree)
    assert _codes(on.stdout) == _codes(off.stdout)


def test_the_api_and_stdin_follow_the_setting() -> None:
    """The language server and the library lint text through the api with their settings."""
    assert lint_source(PLAIN, "plain.py") == []
    (gated,) = lint_source(PLAIN, "plain.py", replace(DEFAULT_SETTINGS, check_syntax=True))
    assert gated.code == "EIG901" and gated.line == 1
    assert [f.code for f in lint_source(ANALYSED, "analysed.py")] == ["EIG901"]
    assert run("--isolated", "--stdin-filename", "p.py", "-", stdin=PLAIN).stdout == ""
    proc = run("--isolated", "--check-syntax", "--stdin-filename", "p.py", "-", stdin=PLAIN)
    assert proc.returncode == 1 and ": EIG901 " in proc.stdout


NEWER = b"import torch\nw, v = torch.linalg.eigh(A)\n\ndef first[T](x: T) -> T:\n    return x\n"


def test_newer_syntax_says_which_python_parsed_it() -> None:
    found = lint_source(NEWER, "newer.py")
    if sys.version_info < (3, 12):
        (f,) = found
        assert f.code == "EIG901" and f.line == 4
        assert f"(parsed by Python {sys.version_info[0]}.{sys.version_info[1]}; type " \
               "parameters (PEP 695) needs Python 3.12)" in f.message
    else:  # the running Python reads it: no syntax error at all
        assert [x.code for x in found if x.code.startswith("EIG9")] == []
    # an ordinary syntax error says nothing about versions
    (plain,) = lint_source(ANALYSED, "analysed.py")
    assert "parsed by Python" not in plain.message
