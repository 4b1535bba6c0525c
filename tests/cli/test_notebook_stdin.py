"""Notebooks (one program over the code cells, positions per cell) and standard input: both
give the same findings as `eiglint` on the script."""
from __future__ import annotations

import json
from pathlib import Path

from eiglint.api import lint_file
from eiglint.notebook import load
from tests.cli.helpers import (
    FORUM,
    ROOT,
    assert_no_traceback,
    forum_expected,
    forum_lines,
    forum_notebook,
    parse_concise,
    run,
    write_notebook,
)

NB_LINE = (r"^(?P<path>[^:]+):cell (?P<cell>\d+):(?P<line>\d+):(?P<col>\d+): "
           r"(?P<code>\w+) (?P<msg>.*)$")


def parse_notebook(text: str) -> list[tuple[str, int, int, int, str, str]]:
    import re

    out = []
    for line in text.splitlines():
        m = re.match(NB_LINE, line)
        assert m, line
        out.append((m["path"], int(m["cell"]), int(m["line"]), int(m["col"]), m["code"],
                    m["msg"]))
    return out


def test_forum_notebook_same_findings_as_the_script(tmp_path: Path) -> None:
    _nb, where = forum_notebook(tmp_path / "forum.ipynb")
    proc = run("forum.ipynb", cwd=tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    got = parse_notebook(proc.stdout)
    expected = [("forum.ipynb", *where[ln], col, code) for ln, col, code in forum_expected()]
    assert [g[:5] for g in got] == expected
    # the messages are the script's, with line references said in cells
    script = parse_concise(run("examples/forum_example.py", cwd=ROOT).stdout)
    for (_, _, _, _, _, msg), (_, _, _, _, script_msg) in zip(got, script):
        src_line = int(script_msg.split("(line ")[1].split(")")[0])
        cell, line = where[src_line]
        assert msg == script_msg.replace(f"(line {src_line})", f"(cell {cell}, line {line})")
    assert proc.stderr.strip() == "Found 2 findings in 1 of 1 file."


def test_values_flow_from_cell_to_cell_and_magics_are_skipped(tmp_path: Path) -> None:
    write_notebook(tmp_path / "nb.ipynb", [
        ("markdown", "# title"),
        ("code", "%matplotlib inline\nimport torch\n!pip install nothing\nfiles = !ls\n"),
        ("code", "%%time\nL, V = torch.linalg.eig(A)\n"),
        ("code", "%%bash\nnot python (\n"),
        ("markdown", "text"),
        ("code", "torch?\nfor i in range(2):\n    %time f(i)\nloss = (V * V).real[0, 0]\n"),
        ("code", "ok = (V * V.conj()).real[0, 0]  # invariant\n"),
    ])
    proc = run("nb.ipynb", cwd=tmp_path)
    assert_no_traceback(proc)
    assert [g[:5] for g in parse_notebook(proc.stdout)] == [("nb.ipynb", 6, 4, 8, "EIG101")]
    assert "(cell 3, line 2)" in proc.stdout


def test_notebook_json_and_sarif_carry_the_cell(tmp_path: Path) -> None:
    nb, where = forum_notebook(tmp_path / "forum.ipynb")
    data = json.loads(run("--output-format", "json", "forum.ipynb", cwd=tmp_path).stdout)
    assert [(d["cell"], d["line"]) for d in data] == [where[ln] for ln in forum_lines()]
    sarif = json.loads(run("--output-format", "sarif", "forum.ipynb", cwd=tmp_path).stdout)
    results = sarif["runs"][0]["results"]
    assert [(r["properties"]["cell"], r["properties"]["cellLine"]) for r in results] \
        == [where[ln] for ln in forum_lines()]
    # the region is in the raw .ipynb: the JSON line holding the flagged source line
    raw = nb.read_text().splitlines()
    held = [raw[r["locations"][0]["physicalLocation"]["region"]["startLine"] - 1].strip()
            for r in results]
    assert [h[:10] for h in held] == ['"lossBadA ', '"lossBadB ']
    full = run("--output-format", "full", "forum.ipynb", cwd=tmp_path).stdout
    assert "lossBadA = (vecA * vecA).real[0, 0]" in full  # the cell's source line


def test_noqa_in_a_cell_and_discovery_of_notebooks(tmp_path: Path) -> None:
    write_notebook(tmp_path / "a.ipynb", [
        ("code", "import torch\nL, V = torch.linalg.eig(A)\n"),
        ("code", "x = (V * V).real[0, 0]  # noqa: EIG101\ny = (V * V).imag[0, 0]\n"),
    ])
    proc = run(".", cwd=tmp_path)
    assert [g[1:5] for g in parse_notebook(proc.stdout)] == [(2, 2, 5, "EIG101")]
    assert "1 finding suppressed" in proc.stderr


def test_broken_and_foreign_notebooks(tmp_path: Path) -> None:
    (tmp_path / "broken.ipynb").write_text('{"cells": [')
    write_notebook(tmp_path / "r.ipynb", [("code", "x <- (1 + \n")], language="R")
    write_notebook(tmp_path / "bad_cell.ipynb", [("code", "import torch\n"),
                                                  ("code", "def f(:\n")])
    proc = run(".", cwd=tmp_path)
    assert_no_traceback(proc)
    rows = proc.stdout.splitlines()
    assert len(rows) == 2
    assert rows[0].startswith("bad_cell.ipynb:cell 2:1:7: EIG901 ")
    assert rows[1].startswith("broken.ipynb:1:1: EIG902 not a valid notebook")


def test_notebook_program_line_map() -> None:
    prog = load(json.dumps({"cells": [
        {"cell_type": "markdown", "source": "x"},
        {"cell_type": "code", "source": ["a = 1\n", "b = 2"]},
        {"cell_type": "code", "source": "!ls\nc = 3\n"},
    ]}), "n.ipynb")
    assert prog.text == "a = 1\nb = 2\npass\nc = 3\n"
    assert prog.lines == [(2, 1), (2, 2), (3, 1), (3, 2)]


def test_stdin_same_as_the_file() -> None:
    data = FORUM.read_bytes()
    on_file = run("examples/forum_example.py", cwd=ROOT)
    via_stdin = run("--stdin-filename", "examples/forum_example.py", "-", cwd=ROOT, stdin=data)
    assert via_stdin.returncode == 1
    assert via_stdin.stdout == on_file.stdout
    assert via_stdin.stderr.strip() == "Found 2 findings in 1 of 1 file."
    # without a name, and with the name alone (no `-`)
    anonymous = run("-", cwd=ROOT, stdin=data)
    assert [r[1:4] for r in parse_concise(anonymous.stdout)] == forum_expected()
    assert all(r[0] == "<stdin>" for r in parse_concise(anonymous.stdout))
    named = run("--stdin-filename", "x.py", cwd=ROOT, stdin=data)
    assert [r[:4] for r in parse_concise(named.stdout)] == [
        ("x.py", *e) for e in forum_expected()]


def test_stdin_notebook_full_format_and_bad_input(tmp_path: Path) -> None:
    nb, where = forum_notebook(tmp_path / "forum.ipynb")
    proc = run("--stdin-filename", "forum.ipynb", "-", cwd=tmp_path, stdin=nb.read_bytes())
    assert [g[1:5] for g in parse_notebook(proc.stdout)] == [
        (*where[ln], col, code) for ln, col, code in forum_expected()]
    full = run("--output-format", "full", "--stdin-filename", "s.py", "-", cwd=tmp_path,
               stdin=FORUM.read_bytes())
    assert "lossBadA = (vecA * vecA).real[0, 0]" in full.stdout  # the source came from stdin
    broken = run("--stdin-filename", "b.py", "-", cwd=tmp_path, stdin=b"def f(:\n")
    assert broken.returncode == 1 and ": EIG901 " in broken.stdout
    assert_no_traceback(broken)
    mixed = run("-", "a.py", cwd=tmp_path, stdin=b"")
    assert mixed.returncode == 2
    assert_no_traceback(mixed)


def test_stdin_force_exclude_and_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.eiglint]\nextend-exclude = ["gen"]\n'
        '[tool.eiglint.per-file-ignores]\n"legacy/*" = ["EIG101"]\n')
    data = FORUM.read_bytes()
    assert run("--stdin-filename", "gen/a.py", "-", cwd=tmp_path, stdin=data).returncode == 1
    assert run("--force-exclude", "--stdin-filename", "gen/a.py", "-", cwd=tmp_path,
               stdin=data).returncode == 0
    assert run("--stdin-filename", "legacy/a.py", "-", cwd=tmp_path, stdin=data).returncode == 0


def test_api_lint_file_on_a_notebook(tmp_path: Path) -> None:
    nb, where = forum_notebook(tmp_path / "forum.ipynb")
    got = [(f.cell, f.line, f.col, f.code) for f in lint_file(str(nb))]
    assert got == [(*where[ln], col, code) for ln, col, code in forum_expected()]
