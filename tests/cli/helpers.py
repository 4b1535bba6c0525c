"""Helpers shared by the CLI and integration tests: run the real command, build inputs."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FORUM = ROOT / "examples" / "forum_example.py"


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(ROOT) + os.pathsep + e.get("PYTHONPATH", "")
    e.pop("NO_COLOR", None)
    e.pop("FORCE_COLOR", None)
    return e


def run(*args: str | Path, cwd: str | Path | None = None,
        stdin: bytes | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """``python -m eiglint ARGS`` in a subprocess (the real entry point, real exit codes)."""
    proc = subprocess.run(
        [sys.executable, "-m", "eiglint", *map(str, args)], check=False, cwd=cwd, input=stdin,
        capture_output=True, timeout=timeout, env=env())
    return subprocess.CompletedProcess(proc.args, proc.returncode,
                                       proc.stdout.decode("utf-8", "replace"),
                                       proc.stderr.decode("utf-8", "replace"))


def assert_no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


def forum_lines() -> tuple[int, int]:
    """Line numbers of the two ill-defined losses in the forum example."""
    lines = FORUM.read_text().splitlines()
    bad = [n for n, text in enumerate(lines, 1)
           if text.startswith(("lossBadA = ", "lossBadB = "))]
    assert len(bad) == 2, bad
    return bad[0], bad[1]


def forum_expected() -> list[tuple[int, int, str]]:
    """(line, col, code) the forum example must produce: the `(` of each `lossBad` right side."""
    lines = FORUM.read_text().splitlines()
    return [(n, lines[n - 1].index("(") + 1, "EIG101") for n in forum_lines()]


def parse_concise(text: str) -> list[tuple[str, int, int, str, str]]:
    """``path:line:col: CODE message`` lines -> tuples (the notebook form is not accepted)."""
    out = []
    for line in text.splitlines():
        path, ln, col, rest = line.split(":", 3)
        code, message = rest.strip().split(" ", 1)
        out.append((path, int(ln), int(col), code, message))
    return out


def write_notebook(path: Path, cells: Sequence[tuple[str, str]],
                   language: str = "python") -> Path:
    """Write an nbformat-4 notebook; ``cells`` are (cell_type, source) pairs."""
    nb: dict[str, Any] = {
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True),
             **({"execution_count": None, "outputs": []} if kind == "code" else {})}
            for kind, src in cells
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": language,
                                    "name": "python3"},
                     "language_info": {"name": language}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, indent=1))
    return path


def forum_notebook(path: Path) -> tuple[Path, dict[int, tuple[int, int]]]:
    """The forum example as a notebook: a markdown cell first, then one code cell per
    blank-line separated block, with IPython magics mixed in. Returns the notebook and, for
    each line of the script, its (cell, line within the cell)."""
    script = FORUM.read_text().splitlines()
    # the module docstring becomes the markdown cell (a string cannot span cells)
    quotes = [n for n, text in enumerate(script, 1) if '"""' in text]
    body_start = quotes[1] + 1 if script[0].startswith('"""') and len(quotes) > 1 else 1
    blocks: list[list[tuple[int, str]]] = [[]]
    for n, text in enumerate(script, 1):
        if n < body_start:
            continue
        if not text.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((n, text))
    if not blocks[-1]:
        blocks.pop()
    cells: list[tuple[str, str]] = [("markdown", "# The forum example\nAs a notebook.")]
    where: dict[int, tuple[int, int]] = {}
    for k, block in enumerate(blocks):
        prefix: list[str] = []
        if k == 1:
            prefix = ["%matplotlib inline", "!pip --version"]
        if k == 2:
            cells.append(("markdown", "Some prose between the cells."))
        lines = prefix + [text for _, text in block]
        cells.append(("code", "\n".join(lines) + "\n"))
        for offset, (n, _) in enumerate(block, len(prefix) + 1):
            where[n] = (len(cells), offset)
    cells.append(("code", "%%bash\necho not python at all (\n"))
    return write_notebook(path, cells), where
