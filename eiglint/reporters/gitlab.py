"""``gitlab``: GitLab Code Quality report (a JSON list of Code Climate issues).

Each issue has a fingerprint that does not depend on line numbers (path, code, message and the
flagged expression, plus an occurrence counter), so moving code does not make GitLab report
the same finding as fixed and new.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from ..types import Finding
from ._common import Context, message_with_verdict

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: Sequence[Finding], ctx: Context) -> str:
    seen: dict[tuple[str, str, str, str], int] = {}
    issues: list[dict[str, Any]] = []
    for f in findings:
        key = (f.path, f.code, f.message, f.expr)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        cell = f"cell {f.cell}: " if f.cell is not None else ""
        issues.append({
            "type": "issue",
            "check_name": f.code,
            "description": f"{f.code} {cell}{message_with_verdict(f)}",
            "categories": ["Bug Risk"],
            "severity": SEVERITY.get(f.severity, "major"),
            "fingerprint": digest,
            "location": {"path": f.path,
                         "lines": {"begin": f.line, "end": max(f.end_line, f.line)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
