"""`eiglint rule CODE`, `eiglint rule --all` and docs/rules.md are one text, generated from
the rule records; this test fails when docs/rules.md drifts (regenerate with
`python scripts/gen_rules_md.py`)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from eiglint.ruledocs import find_rule, rules_markdown
from eiglint.rules import ALL_RULES
from tests.cli.helpers import ROOT, run

DOC = ROOT / "docs" / "rules.md"


def test_docs_rules_md_is_up_to_date() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), \
        "docs/rules.md is stale: run `python scripts/gen_rules_md.py`"


def test_generator_check_mode() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_rules_md.py"), "--check"],
                          check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_rule_all_prints_the_same_text() -> None:
    proc = run("rule", "--all")
    assert proc.returncode == 0
    assert proc.stdout == DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_is_documented(rule: object) -> None:
    from eiglint.rules.base import Rule

    assert isinstance(rule, Rule)
    text = rule.render()
    assert text.startswith(f"## {rule.code} ({rule.name})")
    assert "### What it does" in text and "### Why is this bad?" in text
    if rule.kind != "file":  # the analysis rules show the bad code and the invariant one
        assert "### Example" in text and "### Use instead" in text
    assert text in DOC.read_text(encoding="utf-8")
    assert f"[{rule.code}](#{rule.code.lower()}-{rule.name})" in DOC.read_text(encoding="utf-8")


def test_rule_command_by_code_or_name() -> None:
    proc = run("rule", "EIG101")
    assert proc.returncode == 0
    assert proc.stdout == find_rule("EIG101").render()  # type: ignore[union-attr]
    assert run("rule", "eig101").stdout == proc.stdout
    assert run("rule", "phase-dependent-real-imag").stdout == proc.stdout


def test_rule_command_errors() -> None:
    unknown = run("rule", "EIG123")
    assert unknown.returncode == 2 and "EIG123" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    missing = run("rule")
    assert missing.returncode == 2 and "--all" in missing.stderr
