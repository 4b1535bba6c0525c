"""``pylint``: ``path:line: [CODE] message``, the pylint parseable format many tools read.

The format is read by tools (CI plugins, editors) that open ``path`` at ``line``, so a notebook
finding gives the raw ``.ipynb`` line that holds the flagged code and names the cell (and the
line and column within it) in the message.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Finding
from ._common import Context, cell_label, file_span, message_with_verdict


def render(findings: Sequence[Finding], ctx: Context) -> str:
    out = []
    for f in findings:
        out.append(f"{f.path}:{file_span(f, ctx).line}: [{f.code}] "
                   f"{cell_label(f)}{message_with_verdict(f)}\n")
    return "".join(out)
