"""Observable outputs of a run, flattened into comparable leaves.

A finding is only confirmed when its gauge dependence reaches something the run *exposes*
(issue 19). What a run exposes, one leaf per key:

``return[i]...``   the return value of snippet entry ``i`` (a called function), deep: tensors,
                   arrays, scalars, containers, dataclasses and named tuples (paths like
                   ``return[0].loss`` or ``return[0][2]``)
``exit[i]``        how entry ``i`` (or the command) ended: ``ok``, ``exit N``, ``raised Type``
``stdout[i]: 'text'`` a line of what entry ``i`` printed, keyed by its text with the
                   numbers masked; its numbers compared with the precision they were
                   printed with
``grad[n][j]``     ``.grad`` of the ``j``-th leaf tensor of the ``n``-th backward pass, right
                   after it (leaves in the order of a walk of the autograd graph)
``autograd.grad[n]`` the result of the ``n``-th ``torch.autograd.grad`` call
``test ID``        the outcome of one pytest test phase (``passed``/``failed``/``skipped``)
``stdout of test ID: 'text'`` what a pytest test printed (pytest captures it)

Leaves are the value records of :mod:`~eiglint.runtime.record` (arrays compared with the
dtype-aware tolerances of :func:`~eiglint.runtime.compare.compare`), or ``printed`` records
for numbers parsed from standard output.
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterator
from typing import Any

#: a number as ``print`` / torch / numpy write it (``-1.5e-03``, ``2.``, ``.5``, ``1e+05``)
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])")
#: lines of standard output compared (from the start)
MAX_LINES = 2000


def flatten(key: str, rec: dict[str, Any], out: dict[str, dict[str, Any]]) -> None:
    """Add the leaves of value record ``rec`` under ``key`` to ``out``."""
    if rec.get("k") == "seq":
        keys = rec.get("keys")
        items = rec.get("items", [])
        out[key + "#len"] = {"k": "scalar", "dtype": "int", "data": int(rec.get("len", 0))}
        for i, item in enumerate(items):
            sub = f"{key}.{keys[i]}" if keys and i < len(keys) and rec.get("type") in (
                "dataclass", "object") else (f"{key}[{keys[i]}]" if keys and i < len(keys)
                                              else f"{key}[{i}]")
            flatten(sub, item, out)
        return
    out[key] = rec


def _printed_unit(token: str) -> float:
    """The resolution a number was printed with: 1e-4 for ``0.1235``, 1e-3·10^e for
    ``1.235e+05``, 1 for ``12``."""
    mant, _, exp = token.lower().partition("e")
    decimals = len(mant.split(".", 1)[1]) if "." in mant else 0
    unit = 10.0 ** -decimals
    if exp:
        try:
            unit *= 10.0 ** int(exp)
        except (ValueError, OverflowError):
            return math.inf
    return unit


def stdout_leaves(text: str, out: dict[str, dict[str, Any]], key: str = "stdout") -> None:
    """Leaves of standard output, one per line, keyed by the line's text with its numbers
    masked (and its occurrence among equal texts), so that a line inserted under one gauge
    (a failure report) does not shift every later line: the numbers of the line
    (``KEY: text#``) are compared at the precision they were printed with."""
    lines = text.splitlines()
    out[f"{key}#lines"] = {"k": "scalar", "dtype": "int", "data": len(lines)}
    seen: dict[str, int] = {}
    for line in lines[:MAX_LINES]:
        tokens = _NUMBER.findall(line)
        masked = _NUMBER.sub("#", line).rstrip()
        n = seen.get(masked, 0)
        seen[masked] = n + 1
        short = masked if len(masked) <= 60 else masked[:57] + "..."
        name = f"{key}: {short!r}" + (f" ({n + 1})" if n else "")
        if len(masked) > 60:
            name += f" [{zlib.crc32(masked.encode('utf-8', 'replace')):08x}]"
        if not tokens:
            out[name] = {"k": "other", "type": "str", "text": masked}
            continue
        values = []
        for t in tokens:
            try:
                values.append(float(t))
            except ValueError:
                values.append(math.nan)
        out[name] = {"k": "printed", "data": values, "unit": [_printed_unit(t) for t in tokens]}


def exit_leaf(info: dict[str, Any]) -> dict[str, Any]:
    """How an entry ended, as a text leaf (the exception type, not its message)."""
    status = info.get("status", "ok")
    if status == "exit":
        text = f"exit {info.get('code')}"
    elif status == "error":
        text = "raised " + str(info.get("error", "")).split(":", 1)[0]
    else:
        text = str(status)
    return {"k": "other", "type": "str", "text": text}


def compare_printed(a: dict[str, Any], b: dict[str, Any]) -> tuple[bool, float, int]:
    """(changed, largest change relative to the value, number of numbers that changed) of
    two lines' numbers: a change counts beyond 1.5 units of the last printed digit plus a
    relative 1e-6 (two runs that differ by rounding noise can print a different last
    digit)."""
    xa, xb = a.get("data", []), b.get("data", [])
    if len(xa) != len(xb):
        return True, math.inf, max(len(xa), len(xb))
    ua, ub = a.get("unit", []), b.get("unit", [])
    worst, n = 0.0, 0
    for i, (x, y) in enumerate(zip(xa, xb)):
        if math.isnan(x) or math.isnan(y):
            if math.isnan(x) != math.isnan(y):
                n += 1
                worst = math.inf
            continue
        if math.isinf(x) or math.isinf(y):
            if x != y:
                n += 1
                worst = math.inf
            continue
        unit = max(ua[i] if i < len(ua) else 0.0, ub[i] if i < len(ub) else 0.0)
        d = abs(x - y)
        if d > 1.5 * unit + 1e-6 * max(abs(x), abs(y)):
            n += 1
            scale = max(abs(x), abs(y))
            worst = max(worst, d / scale if scale > 0 else d)
    return n > 0, worst, n


def keys_in_order(*maps: dict[str, Any]) -> Iterator[str]:
    seen: set[str] = set()
    for m in maps:
        for k in m:
            if k not in seen:
                seen.add(k)
                yield k


__all__ = ["compare_printed", "exit_leaf", "flatten", "keys_in_order", "stdout_leaves"]
