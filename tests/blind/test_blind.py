"""Blind corpora: eiglint's recall and precision must not fall below the recorded numbers.

Batch 1 (``cases/``) and batches 2-5 (``batchN/cases/``) were written by people who had not read
the analysis; each batch's ``baseline.json`` holds the numbers last measured on it. They are a
regression guard, not a target: raise them when detection improves.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

from tests.blind.score import KINDS, Bug, Score, main, score, score_records

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
LABELS = HERE / "labels.json"
#: batch -> its folder (cases/, labels.json, baseline.json)
BATCHES = {"batch1": HERE, **{f"batch{n}": HERE / f"batch{n}" for n in (2, 3, 4, 5)}}
GROUPS = ("overall", *KINDS)


def _kind(group: str) -> Optional[str]:
    return None if group == "overall" else group


def _baseline(batch: str) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads((BATCHES[batch] / "baseline.json").read_text(
        encoding="utf-8"))
    return data


@pytest.fixture(scope="module", params=sorted(BATCHES))
def batch(request: pytest.FixtureRequest) -> Tuple[str, Score]:
    folder = BATCHES[request.param]
    return request.param, score(folder / "cases", folder / "labels.json", jobs=1)


def test_corpus_matches_baseline(batch: Tuple[str, Score]) -> None:
    # the corpus and its labels are frozen: a changed total means baseline.json is stale
    name, res = batch
    labels = BATCHES[name] / "labels.json"
    assert res.cases == len(json.loads(labels.read_text(encoding="utf-8")))
    for group in GROUPS:
        assert res.recall(_kind(group))[1] == _baseline(name)["recall"][group]["total"], group


@pytest.mark.parametrize("group", GROUPS)
def test_recall_not_below_baseline(batch: Tuple[str, Score], group: str) -> None:
    name, res = batch
    found, total = res.recall(_kind(group))
    assert found >= _baseline(name)["recall"][group]["found"], (name, group, found, total,
                                                                 res.missed)


@pytest.mark.parametrize("group", GROUPS)
def test_precision_not_below_baseline(batch: Tuple[str, Score], group: str) -> None:
    name, res = batch
    hits, findings = res.precision(_kind(group))
    base: Dict[str, int] = _baseline(name)["precision"][group]
    if findings == 0:
        assert base["findings"] == 0 or base["hits"] == 0, group
        return
    # hits / findings >= base_hits / base_findings, in integers
    assert hits * base["findings"] >= base["hits"] * findings, (
        name, group, hits, findings, [f.show() for f in res.false_positives])


def test_no_file_errors(batch: Tuple[str, Score]) -> None:
    name, res = batch
    assert len(res.errors) <= _baseline(name)["errors"], [f.show() for f in res.errors]


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
@pytest.mark.parametrize("name", sorted(BATCHES))
def test_full_report(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "score.json"
    folder = BATCHES[name]
    assert main(["--cases", str(folder / "cases"), "--labels", str(folder / "labels.json"),
                 "--json", str(out_json)]) == 0
    text = capsys.readouterr().out
    print(text)
    numbers = json.loads(out_json.read_text(encoding="utf-8"))
    assert "missed bugs (" in text and "false positives (" in text
    for group in GROUPS:
        assert numbers["recall"][group]["num"] >= _baseline(name)["recall"][group]["found"]
        assert numbers["recall"][group]["den"] == _baseline(name)["recall"][group]["total"]
    assert len(numbers["missed"]) == numbers["recall"]["overall"]["den"] - numbers["recall"][
        "overall"]["num"]
