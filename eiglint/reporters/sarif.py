"""``sarif``: SARIF 2.1.0 for GitHub code scanning and SARIF viewers.

``tool.driver.rules`` lists every rule with its documentation (help text and Markdown) and a
``helpUri``; each result points at its rule by id and index, carries the trace as a code flow
(decomposition call -> each step that left the phase unpaired -> the finding). A notebook
finding's regions are in the raw ``.ipynb`` (the line and column of the JSON string that holds
the flagged code, escapes counted as written); the message names the cell, and
``properties.cell`` / ``cellLine`` / ``cellColumn`` give the position within it.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..rules import ALL_RULES
from ..types import Finding, TraceStep
from ._common import (
    DOCS_URL,
    TOOL_NAME,
    TOOL_VERSION,
    Context,
    Span,
    cell_label,
    file_span,
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


def _location(path: str, span: Span) -> dict[str, Any]:
    line, col, end_line, end_col = span.line, span.col, span.end_line, span.end_col
    region: dict[str, Any] = {"startLine": max(line, 1), "startColumn": max(col, 1)}
    if end_line >= line and end_line > 0:
        region["endLine"] = end_line
        if end_col > 0 and (end_line > line or end_col > col):
            region["endColumn"] = end_col
    return {"physicalLocation": {"artifactLocation": {"uri": relative_uri(path)},
                                 "region": region}}


def _step_span(f: Finding, step: TraceStep, ctx: Context) -> Span:
    if f.cell is None or step.path:
        return Span(step.line, step.col)
    return file_span(replace(f, line=step.line, col=step.col, end_line=0,
                             cell=step.cell or f.cell), ctx)


def _result(f: Finding, index: dict[str, int], ctx: Context) -> dict[str, Any]:
    span = file_span(f, ctx)
    result: dict[str, Any] = {
        "ruleId": f.code,
        "level": LEVEL.get(f.severity, "error"),
        "message": {"text": cell_label(f) + f.message + (f" Help: {f.hint}" if f.hint else "")},
        "locations": [_location(f.path, span)],
    }
    if f.code in index:
        result["ruleIndex"] = index[f.code]
    if f.trace:
        steps = []
        for step in f.trace:
            loc = _location(step.path or f.path, _step_span(f, step, ctx))
            loc["message"] = {"text": step.note}
            steps.append({"location": loc})
        steps.append({"location": {**_location(f.path, span), "message": {"text": f.message}}})
        result["codeFlows"] = [{"threadFlows": [{"locations": steps}]}]
    props: dict[str, Any] = {"kind": f.kind}
    if f.cell is not None:
        props["cell"] = f.cell
        props["cellLine"] = f.line
        props["cellColumn"] = f.col
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
            "results": [_result(f, index, ctx) for f in findings],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
