"""``full``: each finding with its source line, a caret under the expression, the trace from
the decomposition call through each step that left the phase unpaired, and a help line with
the invariant alternative (in the manner of rustc and ruff)::

    examples/forum_example.py:40:12: EIG101 ...
       |
    40 | lossBadA = (vecA * vecA).real[0, 0]
       |            ^^^^^^^^^^^^^^^^^^ EIG101
       |
       = trace:
         13:1  ...
       = help: ...
"""
from __future__ import annotations

from collections.abc import Sequence

import click

from ..types import Finding
from ._common import Context, position, verdict_text


def _caret_prefix(line: str, col: int) -> str:
    """Blanks up to column ``col`` that keep the tabs of ``line`` (so the caret aligns)."""
    return "".join("\t" if ch == "\t" else " " for ch in line[: max(col - 1, 0)])


def _one(f: Finding, ctx: Context) -> str:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if ctx.color else text  # type: ignore[arg-type]

    out: list[str] = [(f"{style(position(f), bold=True)}: {style(f.code, fg='red', bold=True)} "
                      f"{f.message}")]
    src: str | None = ctx.sources.line(f)
    gutter = len(str(f.line))
    bar = style(" " * gutter + " |", fg="blue", bold=True)
    if src is not None:
        if f.end_line == f.line and f.end_col > f.col:
            width = f.end_col - f.col
        else:
            width = max(len(src) - f.col + 1, 1)
        out.append(bar)
        out.append(f"{style(str(f.line), fg='blue', bold=True)} {style('|', fg='blue', bold=True)} "
                   f"{src}")
        carets = style("^" * width + " " + f.code, fg="red", bold=True)
        out.append(f"{bar} {_caret_prefix(src, f.col)}{carets}")
        out.append(bar)
    pad = " " * gutter + " "
    if f.trace:
        out.append(f"{pad}= {style('trace', bold=True)}:")
        for step in f.trace:
            out.append(f"{pad}    {step.line}:{step.col}  {step.note}")
    if f.hint:
        out.append(f"{pad}= {style('help', fg='cyan', bold=True)}: {f.hint}")
    if f.verdict is not None:
        out.append(f"{pad}= {verdict_text(f.verdict)}")
    return "\n".join(out) + "\n"


def render(findings: Sequence[Finding], ctx: Context) -> str:
    return "\n".join(_one(f, ctx) for f in findings)
