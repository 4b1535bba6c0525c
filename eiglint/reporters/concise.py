"""``concise``: one line per finding, ``path:line:col: CODE message`` (flake8's contract)."""
from __future__ import annotations

from collections.abc import Sequence

import click

from ..types import Finding
from ._common import Context, message_with_verdict, position


def render(findings: Sequence[Finding], ctx: Context) -> str:
    out = []
    for f in findings:
        where, code = position(f), f.code
        if ctx.color:
            where, code = click.style(where, bold=True), click.style(code, fg="red", bold=True)
        out.append(f"{where}: {code} {message_with_verdict(f)}\n")
    return "".join(out)
