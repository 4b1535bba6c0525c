"""The confirm scorer groups findings by the labels and counts verdicts per group (no run)."""
from __future__ import annotations

import json
from pathlib import Path

from tests.blind.confirm_score import judge_records, report, table, targets


def _labels(tmp_path: Path) -> Path:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps({
        "001_bug.py": {"bugs": [{"id": "b1", "lines": [5, 9], "kind": "sign"}], "note": ""},
        "002_clean.py": {"bugs": [], "note": ""},
    }), encoding="utf-8")
    return path


def _rec(file: str, line: int, status: str, code: str = "EIG203") -> dict:
    return {"file": f"/x/{file}", "line": line, "code": code,
            "verdict": {"status": status, "reason": f"why {line}"} if status else None}


def test_groups_verdict_columns_and_targets(tmp_path: Path) -> None:
    records = [_rec("001_bug.py", 5, "confirmed"), _rec("001_bug.py", 9, "not-observable"),
               _rec("001_bug.py", 7, "confirmed"), _rec("002_clean.py", 3, "confirmed"),
               _rec("002_clean.py", 4, "inconclusive"), _rec("002_clean.py", 1, "", "EIG901")]
    judged = judge_records(records, _labels(tmp_path))
    assert [(j.group, j.column) for j in judged] == [
        ("bug line", "confirmed"), ("bug line", "not-observable"), ("other", "confirmed"),
        ("invariant", "confirmed"), ("invariant", "other")]  # EIG9xx: no verdict, left out
    t = table(judged)
    assert t["bug line"]["confirmed"] == 1 and t["bug line"]["not-observable"] == 1
    assert t["invariant"] == {"confirmed": 1, "not-reproduced": 0, "not-observable": 0,
                              "not-reached": 0, "other": 1}
    assert t["all"]["confirmed"] == 3
    met = [ok for _, ok in targets(judged)]
    assert met == [False, False, True]  # an invariant program confirmed; 1/2 bug lines
    text = report(judged, Path("cases"))
    assert "MISSED invariant programs: 1 confirmed (target 0)" in text
    assert "bug-line findings confirmed: 1/2 = 50.0%" in text
    assert "invariant: 002_clean.py:3 EIG203 [confirmed] why 3" in text


def test_all_targets_met_on_a_clean_score(tmp_path: Path) -> None:
    judged = judge_records([_rec("001_bug.py", 5, "confirmed"),
                            _rec("002_clean.py", 3, "not-observable")], _labels(tmp_path))
    assert all(ok for _, ok in targets(judged))
    assert "findings that miss a target" not in report(judged, Path("cases"))
