"""Bad input never produces a traceback: one diagnostic per broken file, the rest still linted."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.cli.helpers import FORUM, assert_no_traceback, forum_expected, parse_concise, run

EIG = "import torch\nL, V = torch.linalg.eig(A)\n"

#: file name -> (bytes, expected codes reported for it)
BAD: dict[str, tuple] = {
    "syntax.py": (b"import torch\ndef f(:\n    torch.linalg.eig(A)\n", ["EIG901"]),
    "latin1_no_cookie.py": (b"import torch\nname = 'caf\xe9'\n" + EIG.encode(), ["EIG902"]),
    "nul.py": (b"import torch\nx = 1\x00\n" + EIG.encode(), ["EIG902"]),
    "deep.py": (EIG.encode() + b"x = " + b"(" * 3000 + b"1" + b")" * 3000 + b"\n", ["EIG903"]),
    "empty.py": (b"", []),
    # files that name no decomposition are decoded but not parsed: their syntax is the
    # general linter's business (``--check-syntax`` checks it: test_syntax_gate.py)
    "syntax_plain.py": (b"def f(:\n    return 1\n", []),
    "latin1_plain.py": (b"name = 'caf\xe9'\n", ["EIG902"]),
    "deep_plain.py": (b"x = " + b"[" * 3000 + b"]" * 3000 + b"\n", []),
    # a coding cookie is honoured: the file is decoded and analysed normally
    "latin1_cookie.py": (b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n" + EIG.encode()
                         + b"loss = (V * V).real[0, 0]\n", ["EIG101"]),
    # libcst recurses once per operand: past its budget the file is reported, not crashed on
    "long_sum.py": (EIG.encode() + b"s = " + b" + ".join([b"a"] * 5000) + b"\n", ["EIG903"]),
}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    for name, (data, _) in BAD.items():
        (tmp_path / name).write_bytes(data)
    shutil.copy(FORUM, tmp_path / "zz_forum.py")
    return tmp_path


def test_one_diagnostic_per_broken_file_and_the_rest_linted(tree: Path) -> None:
    proc = run(".", cwd=tree)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    rows = parse_concise(proc.stdout)
    by_file: dict[str, list] = {}
    for path, _ln, _col, code, _ in rows:
        by_file.setdefault(path, []).append(code)
    for name, (_, codes) in BAD.items():
        assert by_file.get(name, []) == codes, (name, by_file.get(name))
    assert [(ln, col, code) for path, ln, col, code, _ in rows if path == "zz_forum.py"] == \
        forum_expected()
    assert proc.stderr.strip() == f"Found {len(rows)} findings in {len(by_file)} of " \
                                  f"{len(BAD) + 1} files."


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_broken_file_alone(tree: Path, name: str) -> None:
    proc = run(name, cwd=tree)
    assert_no_traceback(proc)
    codes = [code for _, _, _, code, _ in parse_concise(proc.stdout)]
    assert codes == BAD[name][1]
    assert proc.returncode == (1 if codes else 0)


def test_syntax_error_position_and_message(tree: Path) -> None:
    (row,) = parse_concise(run("syntax.py", cwd=tree).stdout)
    assert row[1:4] == (2, 7, "EIG901")
    assert "cannot parse" in row[4]


def test_decode_error_names_the_line(tree: Path) -> None:
    (row,) = parse_concise(run("latin1_no_cookie.py", cwd=tree).stdout)
    assert row[1] == 2 and "coding cookie" in row[4]


def test_unreadable_file_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    target = tmp_path / "gone.py"
    (tmp_path / "dangling.py").symlink_to(target)
    proc = run("dangling.py", cwd=tmp_path)
    assert_no_traceback(proc)
    assert proc.returncode == 1
    assert [r[3] for r in parse_concise(proc.stdout)] == ["EIG904"]


def test_missing_path_among_others(tree: Path) -> None:
    proc = run("zz_forum.py", "missing_dir/", cwd=tree)
    assert proc.returncode == 2
    assert "missing_dir/" in proc.stderr
    assert_no_traceback(proc)
