"""Blind corpus batch 1: eiglint's recall and precision must not fall below the recorded numbers.

The numbers in baseline.json were measured when the corpus was added (the "before" of the
detection work). They are a regression guard, not a target: raise them when detection improves.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict, Optional

import pytest

from tests.blind.score import KINDS, Bug, Score, main, score, score_records

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
LABELS = HERE / "labels.json"
BASELINE = json.loads((HERE / "baseline.json").read_text(encoding="utf-8"))
GROUPS = ("overall", *KINDS)


def _kind(group: str) -> Optional[str]:
    return None if group == "overall" else group


@pytest.fixture(scope="module")
def batch1() -> Score:
    return score(CASES, LABELS, jobs=1)


def test_corpus_matches_baseline(batch1: Score) -> None:
    # the corpus and its labels are frozen: a changed total means baseline.json is stale
    assert batch1.cases == len(json.loads(LABELS.read_text(encoding="utf-8")))
    for group in GROUPS:
        assert batch1.recall(_kind(group))[1] == BASELINE["recall"][group]["total"], group


@pytest.mark.parametrize("group", GROUPS)
def test_recall_not_below_baseline(batch1: Score, group: str) -> None:
    found, total = batch1.recall(_kind(group))
    assert found >= BASELINE["recall"][group]["found"], (group, found, total, batch1.missed)


@pytest.mark.parametrize("group", GROUPS)
def test_precision_not_below_baseline(batch1: Score, group: str) -> None:
    hits, findings = batch1.precision(_kind(group))
    base: Dict[str, int] = BASELINE["precision"][group]
    if findings == 0:
        assert base["findings"] == 0 or base["hits"] == 0, group
        return
    # hits / findings >= base_hits / base_findings, in integers
    assert hits * base["findings"] >= base["hits"] * findings, (
        group, hits, findings, [f.show() for f in batch1.false_positives])


def test_no_file_errors(batch1: Score) -> None:
    assert len(batch1.errors) <= BASELINE["errors"], [f.show() for f in batch1.errors]


def test_scoring_maps_findings_to_bug_lines() -> None:
    bugs = [Bug("001_a.py", "b1", (10, 12), "phase", "x"), Bug("002_b.py", "b1", (5,), "sign", "y")]
    records = [
        {"file": "cases/001_a.py", "line": 12, "code": "EIG207", "kind": "sign", "message": "m"},
        {"file": "cases/001_a.py", "line": 11, "code": "EIG101", "kind": "phase", "message": "m"},
        {"file": "cases/003_c.py", "line": 5, "code": "EIG203", "kind": "sign", "message": "m"},
        {"file": "cases/002_b.py", "line": 1, "code": "EIG901", "kind": "file", "message": "m"},
    ]
    res = score_records(records, bugs, cases=3)
    # a hit takes the kind of the bug it hits, a false positive keeps its own kind
    assert res.recall() == (1, 2) and res.recall("phase") == (1, 1) and res.recall("sign") == (0, 1)
    assert res.precision() == (1, 3)
    assert res.precision("phase") == (1, 2) and res.precision("sign") == (0, 1)
    assert [b.file for b in res.missed] == ["002_b.py"]
    assert [f.code for f in res.errors] == ["EIG901"]


def test_bad_paths_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cases", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["--cases", str(CASES), "--labels", str(tmp_path / "none.json")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.slow
def test_full_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "score.json"
    assert main(["--json", str(out_json)]) == 0
    text = capsys.readouterr().out
    print(text)
    numbers = json.loads(out_json.read_text(encoding="utf-8"))
    assert "missed bugs (" in text and "false positives (" in text
    for group in GROUPS:
        assert numbers["recall"][group]["num"] >= BASELINE["recall"][group]["found"]
        assert numbers["recall"][group]["den"] == BASELINE["recall"][group]["total"]
    assert len(numbers["missed"]) == numbers["recall"]["overall"]["den"] - numbers["recall"][
        "overall"]["num"]
