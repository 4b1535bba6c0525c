"""Score ``eiglint confirm`` on a blind corpus: the verdicts per group of findings.

Runs ``eiglint confirm --isolated --output-format json CASES`` (no ``--entry``: entry discovery
is part of what is measured) and puts every finding in one group, from ``labels.json``:

* ``bug line``: on one of the ``lines`` of a labelled bug of its file;
* ``invariant``: in a program labelled clean (``bugs: []``): a ``confirmed`` here is a false
  confirmation;
* ``other``: in a program with a bug, but not on a bug line.

and prints the table of verdicts (confirmed / not-reproduced / not-observable / not-reached /
other: inconclusive, none) per group, the targets of issue 19 (no finding in an invariant
program confirmed, >= 95% of the bug-line findings confirmed, <= 5% of all findings
not-reached), and the findings that miss them.

Usage (from the repository root)::

    python tests/blind/confirm_score.py                                      # batch 1
    python tests/blind/confirm_score.py --cases tests/blind/batch2/cases \\
        --labels tests/blind/batch2/labels.json --json out.json
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

HERE = Path(__file__).resolve().parent
VERDICTS = ("confirmed", "not-reproduced", "not-observable", "not-reached", "other")
GROUPS = ("bug line", "invariant", "other")


@dataclass(frozen=True)
class Judged:
    file: str
    line: int
    code: str
    group: str
    status: str  # the verdict's status as reported ("" when none)
    reason: str

    @property
    def column(self) -> str:
        return self.status if self.status in VERDICTS[:-1] else "other"

    def show(self) -> str:
        return f"{self.file}:{self.line} {self.code} [{self.status or 'none'}] {self.reason}"


def load_groups(labels: Path) -> Tuple[Set[str], Dict[str, Set[int]]]:
    """(clean files, file -> bug lines)."""
    data = json.loads(labels.read_text(encoding="utf-8"))
    clean = {name for name, entry in data.items() if not entry["bugs"]}
    lines = {name: {int(n) for bug in entry["bugs"] for n in bug["lines"]}
             for name, entry in data.items()}
    return clean, lines


def run_confirm(cases: Path, jobs: int, runs: int, seed: int,
                timeout: float) -> List[Dict[str, Any]]:
    cmd = [sys.executable, "-m", "eiglint", "confirm", "--isolated", "--output-format", "json",
           "-q", "-j", str(jobs), "--runs", str(runs), "--seed", str(seed),
           "--timeout", str(timeout), str(cases)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"eiglint confirm exited {proc.returncode}: {proc.stderr.strip()}")
    records = json.loads(proc.stdout)
    if not isinstance(records, list):
        raise RuntimeError("eiglint confirm's JSON report is not a list of findings")
    return records


def judge_records(records: Sequence[Dict[str, Any]], labels: Path) -> List[Judged]:
    clean, lines = load_groups(labels)
    out = []
    for rec in records:
        code = str(rec["code"])
        if not code.startswith(("EIG1", "EIG2")):
            continue  # EIG9xx: files eiglint could not analyse, no verdict
        name = Path(str(rec["file"])).name
        line = int(rec["line"])
        group = ("invariant" if name in clean else
                 "bug line" if line in lines.get(name, set()) else "other")
        verdict = rec.get("verdict") or {}
        out.append(Judged(name, line, code, group, str(verdict.get("status") or ""),
                          " ".join(str(verdict.get("reason") or "").split())))
    return out


def table(judged: Sequence[Judged]) -> Dict[str, Dict[str, int]]:
    """group -> verdict column -> count (plus the row ``all``)."""
    out = {g: {v: 0 for v in VERDICTS} for g in (*GROUPS, "all")}
    for j in judged:
        out[j.group][j.column] += 1
        out["all"][j.column] += 1
    return out


def targets(judged: Sequence[Judged]) -> List[Tuple[str, bool]]:
    t = table(judged)
    bug_total = sum(t["bug line"].values())
    total = sum(t["all"].values())
    conf = t["bug line"]["confirmed"]
    unreached = t["all"]["not-reached"]
    return [
        (f"invariant programs: {t['invariant']['confirmed']} confirmed (target 0)",
         t["invariant"]["confirmed"] == 0),
        (f"bug-line findings confirmed: {conf}/{bug_total} = {_pct(conf, bug_total)} "
         "(target >= 95%)", bug_total == 0 or conf >= 0.95 * bug_total),
        (f"not-reached: {unreached}/{total} = {_pct(unreached, total)} (target <= 5%)",
         total == 0 or unreached <= 0.05 * total),
    ]


def _pct(num: int, den: int) -> str:
    return f"{num / den:.1%}" if den else "n/a"


def report(judged: Sequence[Judged], cases: Path) -> str:
    t = table(judged)
    width = max(len(v) for v in VERDICTS) + 1
    out = [f"eiglint confirm on {cases}: {len(judged)} findings",
           f"{'':10}" + "".join(f"{v:>{width}}" for v in VERDICTS) + f"{'total':>{width}}"]
    for g in (*GROUPS, "all"):
        row = t[g]
        out.append(f"{g:10}" + "".join(f"{row[v]:>{width}}" for v in VERDICTS)
                   + f"{sum(row.values()):>{width}}")
    out += [("ok    " if ok else "MISSED ") + text for text, ok in targets(judged)]
    misses = [j for j in judged
              if (j.group == "bug line" and j.status != "confirmed")
              or (j.group == "invariant" and j.status == "confirmed")
              or j.status == "not-reached"]
    if misses:
        out.append(f"findings that miss a target ({len(misses)}):")
        out += [f"  {j.group}: {j.show()}" for j in misses]
    return "\n".join(out)


def _existing(check: Callable[[Path], bool], problem: str) -> Callable[[str], Path]:
    def convert(text: str) -> Path:
        path = Path(text)
        if not check(path):
            raise argparse.ArgumentTypeError(f"{text} {problem}")
        return path

    return convert


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=_existing(Path.is_dir, "is not a folder"),
                    default=HERE / "cases", help="folder of NNN_name.py")
    ap.add_argument("--labels", type=_existing(Path.is_file, "does not exist"),
                    default=HERE / "labels.json")
    ap.add_argument("--json", type=Path, default=None,
                    help="write the table and every finding's verdict to this file")
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel (default 2)")
    ap.add_argument("--runs", type=int, default=3, help="random gauges (default 3)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    args = ap.parse_args(argv)  # a bad path: argparse's message, exit status 2
    try:
        judged = judge_records(run_confirm(args.cases.resolve(), args.jobs, args.runs,
                                           args.seed, args.timeout), args.labels)
    except (RuntimeError, ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(judged, args.cases))
    if args.json is not None:
        data = {"table": table(judged),
                "targets": [{"target": text, "met": ok} for text, ok in targets(judged)],
                "findings": [vars(j) for j in judged]}
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
