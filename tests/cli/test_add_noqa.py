"""`eiglint --add-noqa` (as ruff has): every finding silenced by a `# noqa: CODE` where eiglint's
suppression honours it, merged into existing noqa comments, never inside a string, the code
unchanged otherwise; idempotent. And `eiglint rule PREFIX` lists a family of rules."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

from eiglint.rules import ALL_RULES
from tests.cli.helpers import FORUM, assert_no_traceback, run, write_notebook

SOURCE = '''\
import torch

L, V = torch.linalg.eigh(A)
x = V.sum()  # noqa: E501
y = (V > 0)  # the mask
t = (V > 0).any() or g("""doc
# noqa in a string is not a comment""")
z = 1 + \\
    V.sum()
w = [V[0] > 0,
     V[1] > 0]  # noqa: EIG203
u = V.sum() + (V < 0).sum()
'''

EXPECTED = '''\
import torch

L, V = torch.linalg.eigh(A)
x = V.sum()  # noqa: E501, EIG205
y = (V > 0)  # the mask  # noqa: EIG203
t = (V > 0).any() or g("""doc
# noqa in a string is not a comment""")  # noqa: EIG203
z = 1 + \\
    V.sum()  # noqa: EIG205
w = [V[0] > 0,
     V[1] > 0]  # noqa: EIG203
u = V.sum() + (V < 0).sum()  # noqa: EIG203, EIG205
'''


def _strings(text: str) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(text))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_add_noqa_silences_everything_and_is_idempotent(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(SOURCE)
    shutil.copy(FORUM, tmp_path / "forum.py")
    before = run("--no-cache", ".", cwd=tmp_path)
    assert before.returncode == 1
    codes = [ln.split(" ")[1] for ln in before.stdout.splitlines()]
    assert len(codes) == 8, before.stdout  # 2 in the forum example, 6 in m.py

    first = run("--no-cache", "--add-noqa", ".", cwd=tmp_path)
    assert_no_traceback(first)
    assert first.returncode == 0
    assert first.stdout == ""
    assert "Added 8 noqa codes in 2 files." in first.stderr
    text = (tmp_path / "m.py").read_text()
    assert text == EXPECTED
    assert _strings(text) == _strings(SOURCE)  # the string holding "noqa" is untouched
    forum = (tmp_path / "forum.py").read_text()
    assert forum.count("  # noqa: EIG101\n") == 2

    after = run("--no-cache", ".", cwd=tmp_path)
    assert after.returncode == 0 and after.stdout == ""
    assert "10 findings suppressed" in after.stderr  # with the 2 silenced before

    again = run("--no-cache", "--add-noqa", ".", cwd=tmp_path)
    assert again.returncode == 0
    assert "Added 0 noqa codes in 0 files." in again.stderr
    assert (tmp_path / "m.py").read_text() == EXPECTED
    assert (tmp_path / "forum.py").read_text() == forum


def test_line_endings_encoding_and_bom_are_kept(tmp_path: Path) -> None:
    crlf = "import torch\r\nL, V = torch.linalg.eigh(A)\r\ny = V.sum()\r\n"
    (tmp_path / "crlf.py").write_bytes(crlf.encode())
    latin = "# -*- coding: latin-1 -*-\nimport torch\nL, V = torch.linalg.eigh(A)\n" \
            "nom = 'é'; y = V.sum()\n"
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + crlf.replace("\r\n", "\n").encode())
    proc = run("--no-cache", "--add-noqa", ".", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Added 3 noqa codes in 3 files." in proc.stderr
    assert (tmp_path / "crlf.py").read_bytes() == \
        crlf.replace("y = V.sum()\r\n", "y = V.sum()  # noqa: EIG205\r\n").encode()
    assert (tmp_path / "latin.py").read_bytes() == latin.replace(
        "y = V.sum()\n", "y = V.sum()  # noqa: EIG205\n").encode("latin-1")
    assert (tmp_path / "bom.py").read_bytes().startswith(b"\xef\xbb\xbfimport torch\n")
    assert run("--no-cache", ".", cwd=tmp_path).returncode == 0


def test_stdin_and_notebooks_are_not_edited(tmp_path: Path) -> None:
    proc = run("--add-noqa", "-", cwd=tmp_path, stdin=FORUM.read_bytes())
    assert proc.returncode == 2 and "standard input" in proc.stderr
    nb = write_notebook(tmp_path / "nb.ipynb", [("code", FORUM.read_text())])
    data = nb.read_bytes()
    proc = run("--no-cache", "--add-noqa", "nb.ipynb", cwd=tmp_path)
    assert proc.returncode == 0
    assert "nb.ipynb: not edited" in proc.stderr
    assert nb.read_bytes() == data


def test_rule_prefix_lists_the_family() -> None:
    sign = run("rule", "EIG2")
    assert sign.returncode == 0
    listed = [ln.split()[0] for ln in sign.stdout.splitlines()]
    assert listed == [r.code for r in ALL_RULES if r.code.startswith("EIG2")]
    assert len(listed) >= 5
    assert run("rule", "eig2").stdout == sign.stdout
    every = run("rule", "EIG")
    assert [ln.split()[0] for ln in every.stdout.splitlines()] == [r.code for r in ALL_RULES]
    for unknown in ("EIG7", "XYZ1", "EIG2x"):
        proc = run("rule", unknown)
        assert proc.returncode == 2, unknown
        assert f"unknown rule or prefix {unknown!r}" in proc.stderr
        assert_no_traceback(proc)
