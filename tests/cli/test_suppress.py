"""Suppression comments: `# noqa`, `# noqa: CODES` (prefixes), multi-line statements,
`# eiglint: ignore[CODES]`, `# eiglint: skip-file`, and `--show-suppressed`."""
from __future__ import annotations

from pathlib import Path

import pytest

from eiglint.api import lint_source
from eiglint.suppress import parse_comment, scan
from tests.cli.helpers import parse_concise, run

HEAD = "import torch\nL, V = torch.linalg.eig(A)\n"
BAD = "loss = (V * V).real[0, 0]"


def lines_of(source: str) -> list:
    return [(f.line, f.code) for f in lint_source(source, "m.py")]


def test_the_unsuppressed_line_is_a_finding() -> None:
    assert lines_of(HEAD + BAD + "\n") == [(3, "EIG101")]


@pytest.mark.parametrize("comment", [
    "# noqa", "# NOQA", "#noqa", "# noqa:EIG101", "# noqa: EIG101", "# noqa: EIG1",
    "# noqa: EIG", "# noqa: E501, EIG101", "# noqa: E501 EIG101", "# noqa:",
    "# eiglint: ignore[EIG101]", "# eiglint: ignore[EIG1, EIG2]", "# eiglint: ignore",
    "# type: ignore  # noqa: EIG101",
])
def test_comment_silences(comment: str) -> None:
    assert lines_of(HEAD + f"{BAD}  {comment}\n") == []


@pytest.mark.parametrize("comment", [
    "# noqa: EIG2", "# noqa: E501", "# noqa: EIG102", "# noqaEIG101", "# eiglint: ignore[EIG2]",
    "# no qa", "# eiglint: ignore[EIG1011]",
])
def test_comment_does_not_silence_other_codes(comment: str) -> None:
    assert lines_of(HEAD + f"{BAD}  {comment}\n") == [(3, "EIG101")]


def test_noqa_inside_a_string_is_not_a_comment() -> None:
    src = HEAD + f'{BAD}; s = "# noqa"\n'
    assert lines_of(src) == [(3, "EIG101")]


def test_multi_line_statement_first_or_last_line() -> None:
    body = "loss = torch.stack([\n    (V * V).real[0, 0],\n    V.abs().sum(),\n]){last}\n"
    first = HEAD + "loss = torch.stack([  # noqa: EIG101\n    (V * V).real[0, 0],\n" \
                   "    V.abs().sum(),\n])\n"
    assert lines_of(HEAD + body.format(last="")) == [(4, "EIG101")]
    assert lines_of(HEAD + body.format(last="  # noqa: EIG101")) == []
    assert lines_of(first) == []
    # a comment on another statement does not reach over
    other = HEAD + "x = 1  # noqa\n" + body.format(last="")
    assert lines_of(other) == [(5, "EIG101")]


def test_skip_file() -> None:
    assert lines_of("# eiglint: skip-file\n" + HEAD + BAD + "\n") == []
    assert lines_of(HEAD + BAD + "\n# eiglint: skip-file\n") == []
    # only as a comment
    assert lines_of(HEAD + BAD + '\ns = "# eiglint: skip-file"\n') == [(3, "EIG101")]


def test_parse_comment_and_spans() -> None:
    assert parse_comment("# noqa") == (None, False)
    assert parse_comment("# noqa: eig101,EIG2") == (frozenset({"EIG101", "EIG2"}), False)
    assert parse_comment("# eiglint: skip-file") == (frozenset(), True)
    sup = scan("x = f(\n  1,\n  2)  # noqa\ny = 2\n")
    assert sup.spans[2] == (1, 3) and 4 not in sup.spans
    assert sup.by_line == {3: None}


def test_show_suppressed_and_count(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(HEAD + f"{BAD}  # noqa: EIG101\n" +
                                   "loss2 = (V * V).imag[0, 0]\n")
    proc = run("m.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert [r[1] for r in parse_concise(proc.stdout)] == [4]
    assert proc.stderr.strip() == "Found 1 finding in 1 of 1 file; 1 finding suppressed."
    proc = run("--show-suppressed", "m.py", cwd=tmp_path)
    assert [r[1] for r in parse_concise(proc.stdout)] == [4]
    assert "Suppressed by comments (1):\nm.py:3:8: EIG101 " in proc.stderr
    (tmp_path / "m.py").write_text(HEAD + f"{BAD}  # noqa\n")
    proc = run("m.py", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr.strip() == "All checks passed (1 file; 1 finding suppressed)."
