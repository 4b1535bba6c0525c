"""The rule reference: ``eiglint rule CODE``, ``eiglint rule --all`` and ``docs/rules.md``.

All three print the same text, generated from the rule records in :mod:`eiglint.rules`
(``scripts/gen_rules_md.py`` writes the file; a test fails when the file drifts).
"""
from __future__ import annotations

from .rules import ALL_RULES, RULES_BY_CODE, Rule

_KIND = {
    "phase": "complex phase",
    "sign": "real sign",
    "file": "file",
}

HEADER = """\
# Rules

<!-- Generated from the rule records in eiglint/rules/ by `python scripts/gen_rules_md.py`
     (the same text as `eiglint rule --all`). Do not edit by hand: tests/cli fails on drift. -->

Codes `EIG1xx` flag code that depends on the arbitrary complex phase `e^{i phi}` of
eigenvectors or singular vectors (`torch.linalg.eig`, and complex `eigh`/`svd`); codes `EIG2xx`
flag code that depends on their arbitrary sign (real `eigh`/`svd`); codes `EIG9xx` report
files that could not be analysed. Select or ignore a whole group by its prefix (`EIG2`).
"""


def find_rule(key: str) -> Rule | None:
    """A rule by code (any case) or kebab-case name."""
    rule = RULES_BY_CODE.get(key.strip().upper())
    if rule is not None:
        return rule
    return next((r for r in ALL_RULES if r.name == key.strip().lower()), None)


def rules_with_prefix(prefix: str) -> list[Rule]:
    """The rules whose code starts with ``prefix`` (any case): ``EIG2`` is the sign family."""
    key = prefix.strip().upper()
    return [r for r in ALL_RULES if key and r.code.startswith(key)]


def rule_list(rules: list[Rule]) -> str:
    """One line per rule: code, name, summary (``eiglint rule EIG2``)."""
    width = max(len(r.name) for r in rules)
    return "".join(f"{r.code}  {r.name:<{width}}  {r.summary}\n" for r in rules)


def anchor(rule: Rule) -> str:
    """The Markdown heading anchor of a rule (GitHub's slug of ``## CODE (name)``)."""
    return f"{rule.code}-{rule.name}".lower()


def rules_markdown() -> str:
    rows = ["| Code | Name | Gauge | Severity | Summary |", "| --- | --- | --- | --- | --- |"]
    for r in ALL_RULES:
        rows.append(f"| [{r.code}](#{anchor(r)}) | {r.name} | {_KIND.get(r.kind, r.kind)} | "
                    f"{r.severity} | {r.summary} |")
    parts = [HEADER, "\n".join(rows), ""]
    parts.extend(r.render() for r in ALL_RULES)
    return "\n".join(parts).rstrip("\n") + "\n"
