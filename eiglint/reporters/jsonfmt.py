"""``json``: a list of finding objects; ``json-lines``: one object per line.

Keys: file, line, column, end_line, end_column, cell (notebooks, else null), code, name,
message, severity, kind (phase/sign/file), expr, hint, trace [{line, column, note}], verdict
(null, or {status, max_change, runs, reason} after runtime confirmation), url.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ..types import Finding
from ._common import Context, rule_of, rule_url, verdict_dict


def finding_dict(f: Finding) -> dict[str, Any]:
    rule = rule_of(f.code)
    return {
        "file": f.path,
        "line": f.line,
        "column": f.col,
        "end_line": f.end_line or None,
        "end_column": f.end_col or None,
        "cell": f.cell,
        "code": f.code,
        "name": rule.name if rule else None,
        "message": f.message,
        "severity": f.severity,
        "kind": f.kind,
        "expr": f.expr or None,
        "hint": f.hint or None,
        "trace": [{"line": s.line, "column": s.col, "note": s.note} for s in f.trace],
        "verdict": verdict_dict(f.verdict),
        "url": rule_url(f.code),
    }


def render(findings: Sequence[Finding], ctx: Context) -> str:
    return json.dumps([finding_dict(f) for f in findings], indent=2, ensure_ascii=False) + "\n"


def render_lines(findings: Sequence[Finding], ctx: Context) -> str:
    return "".join(json.dumps(finding_dict(f), ensure_ascii=False) + "\n" for f in findings)
