"""``gitlab``: GitLab Code Quality report (a JSON list of Code Climate issues).

Each issue has a fingerprint that does not depend on line numbers (path, code, message and the
flagged expression, plus an occurrence counter), so moving code does not make GitLab report
the same finding as fixed and new. A notebook finding's lines are those of the raw ``.ipynb``
that hold the flagged code; the description names the cell and the line within it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from ..types import Finding
from ._common import Context, cell_label, file_span, message_with_verdict

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def render(findings: Sequence[Finding], ctx: Context) -> str:
    seen: dict[tuple[str, str, str, str], int] = {}
    issues: list[dict[str, Any]] = []
    for f in findings:
        key = (f.path, f.code, f.message, f.expr)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        digest = hashlib.sha256("\0".join((*key, str(occurrence))).encode("utf-8")).hexdigest()
        span = file_span(f, ctx)
        issues.append({
            "type": "issue",
            "check_name": f.code,
            "description": f"{f.code} {cell_label(f)}{message_with_verdict(f)}",
            "categories": ["Bug Risk"],
            "severity": SEVERITY.get(f.severity, "major"),
            "fingerprint": digest,
            "location": {"path": f.path,
                         "lines": {"begin": span.line, "end": max(span.end_line, span.line)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
