"""Notebook findings in the formats code hosts read (github, gitlab, sarif, junit, pylint) point
at the raw `.ipynb` line and column that hold the flagged code, escapes counted as written; the
human formats keep `nb.ipynb:cell N:line:col`. The notebooks are written the way Jupyter
writes them (nbformat's json.dumps: indent=1, sort_keys, ensure_ascii=False, trailing newline,
"source" as a list of lines each ending with "\\n" but the last)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import assert_no_traceback, run

FLAGGED = "(V * V).real"
#: a line with quotes, backslashes, a tab, non-ASCII and an astral character before the code
TRICKY = 'note = "say \\"hi\\" \\\\ é\t😀"; loss = (V * V).real.sum()'
#: the column of the flagged code in its cell line (code points, 1-based)
COL = TRICKY.index(FLAGGED) + 1


def _lines(src: str) -> list[str]:
    return src.splitlines(keepends=True)


def jupyter_notebook(path: Path, single_string: bool = False, ascii_only: bool = False) -> Path:
    cells: list[dict[str, Any]] = [
        {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": ["# Spectra\n", "text"]},
        {"cell_type": "code", "execution_count": 1, "id": "c2", "metadata": {}, "outputs": [],
         "source": "import torch\nA = torch.randn(4, 4)\nL, V = torch.linalg.eig(A)"},
        {"cell_type": "code", "execution_count": 2, "id": "c3", "metadata": {},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": ["(V * V).real\n"]}],
         "source": f'x = 1\n{TRICKY}\nprint(note)'},
    ]
    if not single_string:
        for cell in cells:
            cell["source"] = _lines(cell["source"]) if isinstance(cell["source"], str) \
                else cell["source"]
    nb = {"cells": cells,
          "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                      "name": "python3"},
                       "language_info": {"name": "python", "version": "3.11.4"}},
          "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=ascii_only) + "\n",
                    encoding="utf-8")
    return path


def raw_position(path: Path, needle: str, after: str) -> tuple[int, int]:
    """(line, col) in the file of the first `needle` after `after` (found in the raw text,
    independently of eiglint)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(needle, text.index(after))
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


CASES = [pytest.param(False, False, id="jupyter-list"),
         pytest.param(True, False, id="single-string-source"),
         pytest.param(False, True, id="ascii-escaped")]


def _expected(nb: Path) -> tuple[int, int, int, int]:
    # the source literal of cell 3 starts after '"x = 1' (list or single string alike)
    line, col = raw_position(nb, FLAGGED, '"x = 1')
    return line, col, line, col + len(FLAGGED)


@pytest.mark.parametrize(("single", "ascii_only"), CASES)
def test_code_host_formats_point_at_the_raw_notebook(tmp_path: Path, single: bool,
                                                     ascii_only: bool) -> None:
    nb = jupyter_notebook(tmp_path / "nb.ipynb", single, ascii_only)
    line, col, end_line, end_col = _expected(nb)
    assert line > 20 and col > 40  # the tricky line is deep in the raw JSON, far to the right
    concise = run("nb.ipynb", cwd=tmp_path)
    assert_no_traceback(concise)
    assert concise.stdout.startswith(f"nb.ipynb:cell 3:2:{COL}: EIG101 "), concise.stdout

    github = run("--output-format", "github", "nb.ipynb", cwd=tmp_path).stdout
    assert github.startswith(f"::error file=nb.ipynb,line={line},col={col},endLine={end_line},"
                             f"endColumn={end_col},title=EIG101::cell 3, line 2, col {COL}: ")

    gitlab = json.loads(run("--output-format", "gitlab", "nb.ipynb", cwd=tmp_path).stdout)
    assert gitlab[0]["location"] == {"path": "nb.ipynb",
                                     "lines": {"begin": line, "end": end_line}}
    assert f"cell 3, line 2, col {COL}: " in gitlab[0]["description"]

    sarif = json.loads(run("--output-format", "sarif", "nb.ipynb", cwd=tmp_path).stdout)
    result = sarif["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}
    assert result["properties"]["cell"] == 3
    assert (result["properties"]["cellLine"], result["properties"]["cellColumn"]) == (2, COL)
    assert result["message"]["text"].startswith(f"cell 3, line 2, col {COL}: ")
    # the trace starts at the decomposition, in cell 2: its raw line too
    flow = result["codeFlows"][0]["threadFlows"][0]["locations"]
    eig_line, eig_col = raw_position(nb, "torch.linalg.eig", '"import torch')
    first = flow[0]["location"]["physicalLocation"]["region"]
    assert first["startLine"] == eig_line
    assert first["startColumn"] <= eig_col

    junit = ET.fromstring(run("--output-format", "junit", "nb.ipynb", cwd=tmp_path).stdout)
    case = junit.find("testsuite/testcase")
    assert case is not None and case.get("line") == str(line)
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert failure.get("message", "").startswith(f"cell 3, line 2, col {COL}: ")
    assert failure.text.startswith(f"nb.ipynb:cell 3:2:{COL}: EIG101 ")

    pylint = run("--output-format", "pylint", "nb.ipynb", cwd=tmp_path).stdout
    assert pylint.startswith(f"nb.ipynb:{line}: [EIG101] cell 3, line 2, col {COL}: ")


def test_the_raw_line_really_holds_the_flagged_code(tmp_path: Path) -> None:
    """Decode the JSON literal on the reported line from the reported column: it reads the
    flagged code (so an annotation lands on it in a diff)."""
    nb = jupyter_notebook(tmp_path / "nb.ipynb", ascii_only=True)
    github = run("--output-format", "github", "nb.ipynb", cwd=tmp_path).stdout
    props = dict(p.split("=") for p in github.split("::")[1].split(" ", 1)[1].split(","))
    raw_line = nb.read_text().splitlines()[int(props["line"]) - 1]
    start, end = int(props["col"]) - 1, int(props["endColumn"]) - 1
    assert raw_line[start:end] == FLAGGED
    # and the literal before the column decodes to the source line up to the flagged code
    literal = raw_line[raw_line.index('"'):start] + '"'
    assert json.loads(literal) == TRICKY[:TRICKY.index(FLAGGED)]


def test_stdin_notebook_uses_the_raw_bytes(tmp_path: Path) -> None:
    nb = jupyter_notebook(tmp_path / "nb.ipynb")
    line, col, _, _ = _expected(nb)
    proc = run("--output-format", "github", "--stdin-filename", "nb.ipynb", "-", cwd=tmp_path,
               stdin=nb.read_bytes())
    assert f"file=nb.ipynb,line={line},col={col}," in proc.stdout
