"""Jupyter notebooks: lint the code cells as one program, report positions per cell.

The code cells are joined in order (values flow from cell to cell, as in a kernel run top to
bottom). IPython syntax is neutralised line for line, so positions survive: a line magic
(``%matplotlib inline``), a shell escape (``!pip install``, ``files = !ls``) or a help request
(``obj?``) becomes ``pass`` at the same indentation; a cell that starts with a cell magic is
skipped unless the magic runs its body as Python (``%%time``, ``%%timeit``, ``%%capture``, ...).
Cells are numbered from 1 over *all* cells, markdown included, as Jupyter shows them.
"""
from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .rules import files as file_rules
from .settings import DEFAULT_SETTINGS, Settings
from .types import Finding

#: cell magics whose body is ordinary Python
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy"})

_LINE_MAGIC = re.compile(r"^\s*(?:[%!?]|[A-Za-z_][\w.]*\?{1,2}\s*$)")
#: "line N" in a message refers to the joined program; it is rewritten to the cell's terms
_LINE_REF = re.compile(r"\bline (\d+)\b")
_ASSIGN_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.,\s\[\]]*=\s*[!%][^=]")


@dataclass
class Program:
    """The code cells of a notebook as one module, with the way back to cells."""

    text: str = ""
    #: virtual line (index + 1) -> (cell number, line within the cell)
    lines: list[tuple[int, int]] = field(default_factory=list)
    #: cell number -> its original source
    cells: dict[int, str] = field(default_factory=dict)
    error: Finding | None = None
    #: the notebook's kernel is not Python: nothing to lint
    foreign: bool = False

    def locate(self, line: int) -> tuple[int | None, int]:
        if not self.lines:
            return None, line
        idx = min(max(line, 1), len(self.lines)) - 1
        return self.lines[idx]


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(str(s) for s in src)
    return str(src)


def _neutralise(source: str) -> str | None:
    """Python for one cell with IPython syntax replaced line for line; None to skip the cell."""
    lines = source.split("\n")
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if name not in PYTHON_CELL_MAGICS:
            return None
    try:
        ast.parse(source)
        return source
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        pass
    out = []
    continued = False
    for ln in lines:
        magic = continued or ln.lstrip().startswith("%%") or bool(
            _LINE_MAGIC.match(ln) or _ASSIGN_MAGIC.match(ln))
        if magic:
            indent = ln[: len(ln) - len(ln.lstrip())]
            out.append(indent + "pass")
            continued = ln.rstrip().endswith("\\")
        else:
            out.append(ln)
            continued = False
    return "\n".join(out)


def _language(meta: Any) -> Any:
    """The notebook's language from its metadata (None when it does not say)."""
    if not isinstance(meta, dict):
        return None
    for key, field_name in (("language_info", "name"), ("kernelspec", "language")):
        sub = meta.get(key)
        if isinstance(sub, dict) and sub.get(field_name):
            return sub[field_name]
    return None


def _error(path: str, message: str) -> Program:
    return Program(error=Finding(path=path, line=1, col=1, code=file_rules.DECODE_ERROR.code,
                                 message=message, severity="error", kind="file"))


def load(data: bytes | str, path: str) -> Program:
    """Parse a notebook (nbformat 4) into a :class:`Program`; a broken notebook gives EIG902."""
    try:
        nb = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return _error(path, f"not a valid notebook (JSON): {exc}")
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return _error(path, "not a notebook in nbformat 4 (no list of cells)")
    lang = _language(nb.get("metadata"))
    if isinstance(lang, str) and lang.lower() not in ("python", "python3", "ipython"):
        return Program(foreign=True)
    prog = Program()
    chunks: list[str] = []
    for number, cell in enumerate(nb["cells"], 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        prog.cells[number] = source
        code = _neutralise(source)
        if code is None:
            continue
        if not code.endswith("\n"):
            code += "\n"
        chunks.append(code)
        prog.lines.extend((number, k) for k in range(1, code.count("\n") + 1))
    prog.text = "".join(chunks)
    return prog


def _map_finding(f: Finding, prog: Program) -> Finding:
    cell, line = prog.locate(f.line)
    end_line = f.end_line
    if end_line:
        end_cell, end_line = prog.locate(end_line)
        if end_cell != cell:
            end_line = 0
    trace = []
    for step in f.trace:
        step_cell, step_line = prog.locate(step.line)
        note = step.note if step_cell == cell else f"cell {step_cell}: {step.note}"
        trace.append(replace(step, line=step_line, note=note, cell=step_cell))
    message = _LINE_REF.sub(lambda m: _cell_line(prog, int(m.group(1)), cell), f.message)
    return replace(f, line=line, end_line=end_line, cell=cell, trace=tuple(trace),
                   message=message)


def _cell_line(prog: Program, line: int, cell: int | None) -> str:
    """``line N`` of the joined program, said in the notebook's terms."""
    ref_cell, ref_line = prog.locate(line)
    return f"line {ref_line}" if ref_cell == cell else f"cell {ref_cell}, line {ref_line}"


def lint_notebook(
    data: bytes | str,
    path: str,
    settings: Settings = DEFAULT_SETTINGS,
    debug: bool = False,
    suppressed: list[Finding] | None = None,
) -> list[Finding]:
    """Lint a notebook as one program; findings carry their cell and the line within it."""
    from .api import _select, lint_source  # the notebook front end sits on top of the api

    prog = load(data, path)
    if prog.error is not None:
        return _select([prog.error], settings)
    if prog.foreign or not prog.text.strip():
        return []
    silenced: list[Finding] = []
    found = lint_source(prog.text, path, settings, debug, suppressed=silenced)
    if suppressed is not None:
        suppressed.extend(_map_finding(f, prog) for f in silenced)
    out = [_map_finding(f, prog) for f in found]
    out.sort(key=Finding.sort_key)
    return out


def cell_sources(data: bytes | str, path: str = "") -> dict[int, str]:
    """Cell number -> original source of each code cell (for reporters that show code)."""
    return load(data, path).cells
