"""Every fixture file states its expected findings inline (``# expect: CODE``); the analysis
must report exactly those (line and code), no more and no fewer."""
from __future__ import annotations

from pathlib import Path

import pytest

from eiglint.api import lint_file
from eiglint.rules import OPT_IN
from eiglint.settings import DEFAULT_SETTINGS, Settings
from tests.conftest import expected_findings, fixture_files

FILES = fixture_files("rules")


def _settings(path: Path) -> Settings:
    """An opt-in rule's own fixtures run with it selected (by its code)."""
    code = path.stem.split("_")[0].upper()
    return Settings(extend_select=(code,)) if code in OPT_IN else DEFAULT_SETTINGS


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fixture_findings(path: Path) -> None:
    text = path.read_text()
    expected = expected_findings(text)
    got = {(f.line, f.code) for f in lint_file(str(path), _settings(path))}
    missing = sorted(expected - got)
    extra = sorted(got - expected)
    assert not missing and not extra, f"missing={missing} unexpected={extra}"


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    from eiglint.rules import ALL_RULES

    positive = set()
    for path in FILES:
        positive |= {code for _, code in expected_findings(path.read_text())}
    negatives = {p.stem.split("_")[0].upper() for p in FILES if p.stem.endswith("_ok")}
    for rule in ALL_RULES:
        if rule.kind == "file":
            continue
        assert rule.code in positive, f"no positive fixture for {rule.code}"
        assert rule.code in negatives, f"no negative fixture file {rule.code.lower()}_ok.py"


@pytest.mark.parametrize("code", OPT_IN)
def test_opt_in_rules_are_off_by_default(code: str) -> None:
    path = next(p for p in FILES if p.stem == f"{code.lower()}_bad")
    assert expected_findings(path.read_text())
    assert [f for f in lint_file(str(path)) if f.code == code] == []
    assert [f for f in lint_file(str(path), Settings(select=("EIG",))) if f.code == code] == []
