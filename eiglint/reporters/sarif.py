"""``sarif``: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.

``tool.driver.rules`` lists every rule with its documentation (help text and Markdown) and a
``helpUri``; each result points at its rule by id and index, carries the trace as a code flow
(decomposition call -> each step that left the phase unpaired -> the finding) and, for
notebooks, the cell in ``properties.cell`` (lines are counted within the cell).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..rules import ALL_RULES
from ..types import Finding
from ._common import (
    DOCS_URL,
    TOOL_NAME,
    TOOL_VERSION,
    Context,
    relative_uri,
    rule_url,
    verdict_dict,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rules() -> list[dict[str, Any]]:
    out = []
    for rule in ALL_RULES:
        doc = rule.render()
        out.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": " ".join(rule.what.split())},
            "help": {"text": doc, "markdown": doc},
            "helpUri": rule_url(rule.code),
            "defaultConfiguration": {"level": LEVEL.get(rule.severity, "error")},
            "properties": {"tags": [rule.kind]},
        })
    return out


def _location(path: str, line: int, col: int, end_line: int = 0,
              end_col: int = 0) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(line, 1), "startColumn": max(col, 1)}
    if end_line >= line and end_line > 0:
        region["endLine"] = end_line
        if end_col > 0 and (end_line > line or end_col > col):
            region["endColumn"] = end_col
    return {"physicalLocation": {"artifactLocation": {"uri": relative_uri(path)},
                                 "region": region}}


def _result(f: Finding, index: dict[str, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL.get(f.severity, "error"),
        "message": {"text": f.message + (f" Help: {f.hint}" if f.hint else "")},
        "locations": [_location(f.path, f.line, f.col, f.end_line, f.end_col)],
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.trace:
        steps = []
        for step in f.trace:
            loc = _location(f.path, step.line, step.col)
            loc["message"] = {"text": step.note}
            steps.append({"location": loc})
        steps.append({"location": {**_location(f.path, f.line, f.col, f.end_line, f.end_col),
                                   "message": {"text": f.message}}})
        result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    props: dict[str, Any] = {"kind": f.kind}
    if f.cell is not None:
        props["cell"] = f.cell
        props["cellLine"] = f.line
    if f.expr:
        props["expr"] = f.expr
    if f.verdict is not None:
        props["verdict"] = verdict_dict(f.verdict)
    result["properties"] = props
    return result


def render(findings: Sequence[Finding], ctx: Context) -> str:
    rules = _rules()
    index = {r["id"]: i for i, r in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": TOOL_NAME,
                "version": TOOL_VERSION,
                "informationUri": DOCS_URL,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index) for f in findings],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
