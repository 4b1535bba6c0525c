"""``github``: workflow commands that GitHub Actions turns into pull-request annotations.

``::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=CODE::message`` (endLine/endColumn
when the finding has an end); warnings and infos use ``::warning`` / ``::notice``. A notebook
finding points at the raw ``.ipynb`` line and column of the flagged code (where the annotation
lands in the pull request's diff) and names the cell in the message.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Finding
from ._common import Context, cell_label, file_span, message_with_verdict

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: Sequence[Finding], ctx: Context) -> str:
    out = []
    for f in findings:
        span = file_span(f, ctx)
        props = [f"file={escape_property(f.path)}", f"line={span.line}", f"col={span.col}"]
        if span.end_line:
            props.append(f"endLine={span.end_line}")
            if span.end_col:
                props.append(f"endColumn={span.end_col}")
        props.append(f"title={escape_property(f.code)}")
        message = escape_data(cell_label(f) + message_with_verdict(f))
        out.append(f"::{_COMMAND.get(f.severity, 'error')} {','.join(props)}::{message}\n")
    return "".join(out)
