"""Score eiglint on a blind corpus: recall and precision per kind against labels.json.

Runs ``eiglint --no-cache --isolated --output-format json CASES`` and maps every finding to the
labelled bugs whose ``lines`` contain the finding's line in that file.

* recall: bugs with at least one finding on one of their lines / bugs (overall, phase, sign);
* precision: findings on some bug line / all findings (overall and per kind: a finding that hits
  a bug has that bug's kind, a false positive its own ``kind`` field);
* EIG9xx (files eiglint could not analyse) are counted separately as errors.

Usage (from the repository root)::

    python tests/blind/score.py                                   # batch 1
    python tests/blind/score.py --cases DIR --labels FILE --json out.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

HERE = Path(__file__).resolve().parent
KINDS = ("phase", "sign")


@dataclass(frozen=True)
class Bug:
    file: str
    id: str
    lines: Tuple[int, ...]
    kind: str
    why: str


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    code: str
    kind: str
    message: str

    def show(self) -> str:
        return f"{self.file}:{self.line} {self.code} {self.message}"


@dataclass
class Score:
    cases: int
    bugs: List[Bug]
    findings: List[Finding]
    errors: List[Finding]
    found: List[Bug] = field(default_factory=list)
    missed: List[Bug] = field(default_factory=list)
    hits: List[Tuple[Finding, str]] = field(default_factory=list)
    false_positives: List[Finding] = field(default_factory=list)

    def recall(self, kind: Optional[str] = None) -> Tuple[int, int]:
        """(bugs found, bugs) overall or for one kind."""
        total = [b for b in self.bugs if kind is None or b.kind == kind]
        found = [b for b in self.found if kind is None or b.kind == kind]
        return len(found), len(total)

    def precision(self, kind: Optional[str] = None) -> Tuple[int, int]:
        """(findings on a bug line, findings) overall or for one kind."""
        hits = [f for f, k in self.hits if kind is None or k == kind]
        fps = [f for f in self.false_positives if kind is None or f.kind == kind]
        return len(hits), len(hits) + len(fps)

    def to_json(self) -> Dict[str, Any]:
        def pair(num_den: Tuple[int, int]) -> Dict[str, Optional[float]]:
            num, den = num_den
            return {"num": num, "den": den, "ratio": ratio(num, den)}

        groups: List[Optional[str]] = [None, *KINDS]
        return {
            "cases": self.cases,
            "recall": {k or "overall": pair(self.recall(k)) for k in groups},
            "precision": {k or "overall": pair(self.precision(k)) for k in groups},
            "errors": [f.show() for f in self.errors],
            "missed": [
                {"file": b.file, "id": b.id, "lines": list(b.lines), "kind": b.kind, "why": b.why}
                for b in self.missed
            ],
            "false_positives": [
                {"file": f.file, "line": f.line, "code": f.code, "kind": f.kind,
                 "message": f.message}
                for f in self.false_positives
            ],
        }


def ratio(num: int, den: int) -> Optional[float]:
    return num / den if den else None


def load_labels(path: Path) -> List[Bug]:
    data = json.loads(path.read_text(encoding="utf-8"))
    bugs: List[Bug] = []
    for name, entry in sorted(data.items()):
        for bug in entry["bugs"]:
            if bug["kind"] not in KINDS:
                raise ValueError(f"{path}: {name} bug {bug['id']}: unknown kind {bug['kind']!r}")
            bugs.append(Bug(name, str(bug["id"]), tuple(int(n) for n in bug["lines"]),
                            bug["kind"], bug.get("why", "")))
    return bugs


def run_eiglint(cases: Path, jobs: int) -> List[Dict[str, Any]]:
    cmd = [sys.executable, "-m", "eiglint", "--no-cache", "--isolated", "--output-format", "json",
           "--jobs", str(jobs), str(cases)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"eiglint exited {proc.returncode}: {proc.stderr.strip()}")
    records = json.loads(proc.stdout)
    if not isinstance(records, list):
        raise RuntimeError("eiglint's JSON report is not a list of findings")
    return records


def score_records(records: Sequence[Dict[str, Any]], bugs: Sequence[Bug], cases: int) -> Score:
    findings: List[Finding] = []
    errors: List[Finding] = []
    for rec in records:
        f = Finding(Path(str(rec["file"])).name, int(rec["line"]), str(rec["code"]),
                    str(rec.get("kind") or ""), str(rec.get("message", "")))
        (findings if f.code.startswith(("EIG1", "EIG2")) else errors).append(f)
    result = Score(cases=cases, bugs=list(bugs), findings=findings, errors=errors)
    found_ids: Set[Tuple[str, str]] = set()
    for f in findings:
        hit = [b for b in bugs if b.file == f.file and f.line in b.lines]
        if hit:
            result.hits.append((f, hit[0].kind))
            found_ids.update((b.file, b.id) for b in hit)
        else:
            result.false_positives.append(f)
    for b in bugs:
        (result.found if (b.file, b.id) in found_ids else result.missed).append(b)
    return result


def score(cases: Path, labels: Path, jobs: int = 1) -> Score:
    """Run eiglint on ``cases`` and score its findings against ``labels``."""
    n_cases = len(list(cases.glob("*.py")))
    return score_records(run_eiglint(cases, jobs), load_labels(labels), n_cases)


def fmt(num_den: Tuple[int, int]) -> str:
    num, den = num_den
    r = ratio(num, den)
    return f"{num}/{den} = {r:.1%}" if r is not None else f"{num}/{den} = n/a"


def report(result: Score, cases: Path) -> str:
    n_kind = {k: result.recall(k)[1] for k in KINDS}
    out = [
        f"blind corpus {cases}: {result.cases} programs, {len(result.bugs)} bugs "
        f"({n_kind['phase']} phase, {n_kind['sign']} sign), {len(result.findings)} findings",
        "recall     overall " + fmt(result.recall())
        + "".join(f"   {k} {fmt(result.recall(k))}" for k in KINDS),
        "precision  overall " + fmt(result.precision())
        + "".join(f"   {k} {fmt(result.precision(k))}" for k in KINDS),
        f"errors (EIG9xx and other codes): {len(result.errors)}",
    ]
    out += [f"  {f.show()}" for f in result.errors]
    out.append(f"missed bugs ({len(result.missed)}):")
    out += [f"  {b.file} {b.id} lines {list(b.lines)} [{b.kind}]: {b.why}" for b in result.missed]
    out.append(f"false positives ({len(result.false_positives)}):")
    out += [f"  {f.show()}" for f in result.false_positives]
    return "\n".join(out)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=Path, default=HERE / "cases", help="folder of NNN_name.py")
    ap.add_argument("--labels", type=Path, default=HERE / "labels.json")
    ap.add_argument("--json", type=Path, default=None, help="write the numbers to this file")
    ap.add_argument("--jobs", type=int, default=1, help="eiglint worker processes (default 1)")
    args = ap.parse_args(argv)
    if not args.cases.is_dir():
        print(f"error: {args.cases} is not a folder", file=sys.stderr)
        return 2
    if not args.labels.is_file():
        print(f"error: {args.labels} does not exist", file=sys.stderr)
        return 2
    try:
        result = score(args.cases, args.labels, args.jobs)
    except (RuntimeError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(result, args.cases))
    if args.json is not None:
        args.json.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
