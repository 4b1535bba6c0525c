"""Each rule's documentation carries valid and invalid snippets (Fixit style): the invalid ones
must raise the rule, the valid ones must raise nothing."""
from __future__ import annotations

import pytest

from eiglint.api import lint_source
from eiglint.rules import ALL_RULES, OPT_IN
from eiglint.settings import DEFAULT_SETTINGS, Settings

CASES = [(r.code, i, s, True) for r in ALL_RULES for i, s in enumerate(r.invalid)] + [
    (r.code, i, s, False) for r in ALL_RULES for i, s in enumerate(r.valid)]


@pytest.mark.parametrize("code,i,snippet,invalid", CASES,
                         ids=[f"{c}-{'invalid' if bad else 'valid'}-{i}" for c, i, _, bad in CASES])
def test_rule_snippet(code: str, i: int, snippet: str, invalid: bool) -> None:
    settings = Settings(extend_select=(code,)) if code in OPT_IN else DEFAULT_SETTINGS
    codes = [f.code for f in lint_source(snippet, "snippet.py", settings)]
    if invalid:
        assert code in codes, codes
    else:
        assert codes == [], codes


def test_every_analysis_rule_documents_examples() -> None:
    for r in ALL_RULES:
        if r.kind != "file":
            assert r.invalid and r.valid, r.code
            assert r.what.strip() and r.why.strip() and r.example.strip() and r.instead.strip()
