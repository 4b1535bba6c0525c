"""Values stored in place through a helper that fills its argument
(tests/fixtures/rules/realworld_inplace.py): the whole-module tracker follows them, and the
CLI's slice (eiglint.slicing) keeps the call that fills; a helper that rebinds its parameter
(``fill_copy``) changes nothing of the caller's."""
from __future__ import annotations

from eiglint.api import lint_file
from eiglint.tracker import analyze_text
from tests.conftest import FIXTURES

FIXTURE = FIXTURES / "rules" / "realworld_inplace.py"


def _helper_lines() -> dict:
    """Lines of the reads that follow ``fill(...)`` / ``fill_copy(...)`` in the fixture."""
    lines = FIXTURE.read_text().splitlines()
    return {name: next(i for i, ln in enumerate(lines, 1) if ln.startswith(f"{name} = "))
            for name in ("bad_fill", "ok6", "ok7")}


def _found(findings: list) -> dict:
    lines = _helper_lines()
    return {name: sorted(f.code for f in findings if f.line == line)
            for name, line in lines.items()}


def test_a_helper_that_fills_its_argument_changes_the_callers_object() -> None:
    got = _found(analyze_text(FIXTURE.read_text(), str(FIXTURE)))
    assert got == {"bad_fill": ["EIG203"], "ok6": [], "ok7": []}


def test_the_cli_slice_keeps_a_call_that_fills_its_argument() -> None:
    got = _found(lint_file(str(FIXTURE)))
    assert got == {"bad_fill": ["EIG203"], "ok6": [], "ok7": []}
