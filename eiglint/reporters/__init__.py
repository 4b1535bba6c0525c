"""Output formats, one module each. :func:`render` is the entry point for every front end
(the CLI, the runtime confirmation): findings in, text out."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Callable

from ..types import Finding
from . import concise, full, github, gitlab, jsonfmt, junit, pylint, sarif
from ._common import Context, SourceCache, rule_of

Renderer = Callable[[Sequence[Finding], Context], str]

FORMATS: dict[str, Renderer] = {
    "concise": concise.render,
    "full": full.render,
    "json": jsonfmt.render,
    "json-lines": jsonfmt.render_lines,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "pylint": pylint.render,
    "junit": junit.render,
}


def render(
    findings: Sequence[Finding],
    fmt: str = "concise",
    *,
    color: bool = False,
    sources: Mapping[str, str | bytes] | None = None,
) -> str:
    """Render ``findings`` (in the order given) in output format ``fmt``.

    ``color`` styles ``concise`` and ``full`` with ANSI colours; ``sources`` maps a path to
    its text or bytes for inputs that are not on disk (stdin). A finding's ``verdict`` (runtime
    confirmation) is shown by every format.
    """
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(FORMATS)}") \
            from None
    return renderer(findings, Context(color=color, sources=SourceCache(sources)))


def statistics(findings: Sequence[Finding]) -> str:
    """One line per code: count, code, rule name; most frequent first."""
    counts = Counter(f.code for f in findings)
    lines = []
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rule = rule_of(code)
        lines.append(f"{n:>5}  {code:<7} {rule.name if rule else ''}".rstrip() + "\n")
    return "".join(lines)


__all__ = ["FORMATS", "render", "statistics"]
