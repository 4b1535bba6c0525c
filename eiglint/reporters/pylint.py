"""``pylint``: ``path:line: [CODE] message``, the pylint parseable format many tools read.

A notebook finding keeps the line within its cell and names the cell in the message.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Finding
from ._common import Context, message_with_verdict


def render(findings: Sequence[Finding], ctx: Context) -> str:
    out = []
    for f in findings:
        cell = f"cell {f.cell}: " if f.cell is not None else ""
        out.append(f"{f.path}:{f.line}: [{f.code}] {cell}{message_with_verdict(f)}\n")
    return "".join(out)
