"""Score eiglint on the labelled field set (tests/field/labels.json).

For every project whose sources ``fetch.py`` has extracted, this runs

    python -m eiglint --no-cache --output-format json --file-timeout 60 -j 2 ROOT

on the whole project root (so values can flow between modules), times it, and maps each finding
to the labelled call sites: a finding belongs to a site when it is in the site's file and its
line is one of the site's ``lines``, or it is at one of the site's ``callers`` (``file:line`` in
another file), or the first step of its ``trace`` (the decomposition the value came from) is the
site's call line (a step in another module is named in the message as ``(PATH:LINE)``).  It
reports, per project and in total:

* recall on DEPENDENT sites (a site counts when at least one finding maps to it), split into
  ``substantive`` and ``factor`` level;
* INVARIANT sites flagged (count and percentage) and UNCLEAR sites flagged;
* findings outside any site, in the labelled scope (``scope`` folders of the project, or the whole
  project when it has none; the project's own tests are never in scope since their call sites
  are not labelled) — findings in files outside the scope are counted apart;
* EIG9xx (files not analysed; ``timed_out`` lists the files over the time budget) and EIG999
  (internal errors);
* the wall time of the run.

Projects whose sources are not fetched are skipped with a message.  ``--json OUT`` writes the
numbers (the shape of ``baseline.json``).

Usage::

    python tests/field/fetch.py && python tests/field/score.py --json /tmp/field.json
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

HERE = Path(__file__).resolve().parent
if str(HERE.parent.parent) not in sys.path:  # run as a script: make `tests.field` importable
    sys.path.insert(0, str(HERE.parent.parent))

from tests.field.fetch import (  # noqa: E402
    LABELS,
    field_parser,
    load_projects,
    project_root,
)

Finding = Dict[str, Any]
Site = Dict[str, Any]

# a trace step in another module names its file only in the message: "... (PATH:LINE)."
_ORIGIN = re.compile(r"\(([^()\s]+\.py):([0-9]+)\)")


@dataclass
class ProjectScore:
    """The numbers of one project."""

    name: str
    version: str
    seconds: float = 0.0
    sites: int = 0
    dep_substantive: int = 0
    dep_substantive_found: int = 0
    dep_factor: int = 0
    dep_factor_found: int = 0
    invariant: int = 0
    invariant_flagged: int = 0
    unclear: int = 0
    unclear_flagged: int = 0
    findings: int = 0
    outside_sites: int = 0
    outside_scope: int = 0
    eig9xx: int = 0
    eig999: int = 0
    exit_code: int = 0
    found: List[str] = field(default_factory=list)
    flagged: List[str] = field(default_factory=list)
    timed_out: List[str] = field(default_factory=list)
    missed: List[str] = field(default_factory=list)
    invariant_hits: List[str] = field(default_factory=list)
    outside: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)

    def as_dict(self) -> Dict[str, Any]:
        """JSON form, with the derived rates."""
        out: Dict[str, Any] = dict(self.__dict__)
        out.update(_rates(self))
        return out


def _pct(num: int, den: int) -> Optional[float]:
    return None if den == 0 else round(100.0 * num / den, 1)


def _rates(s: ProjectScore) -> Dict[str, Optional[float]]:
    dep = s.dep_substantive + s.dep_factor
    found = s.dep_substantive_found + s.dep_factor_found
    return {
        "recall_dependent_pct": _pct(found, dep),
        "recall_substantive_pct": _pct(s.dep_substantive_found, s.dep_substantive),
        "recall_factor_pct": _pct(s.dep_factor_found, s.dep_factor),
        "invariant_flagged_pct": _pct(s.invariant_flagged, s.invariant),
    }


def run_eiglint(root: Path) -> Tuple[List[Finding], float, int, str]:
    """Run eiglint on one project root; return (findings, seconds, exit code, stderr tail)."""
    cmd = [sys.executable, "-m", "eiglint", "--no-cache", "--output-format", "json",
           "--file-timeout", "60", "-j", "2", str(root)]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=str(root.parent))
    seconds = time.monotonic() - start
    findings: List[Finding] = []
    if done.stdout.strip():
        try:
            findings = json.loads(done.stdout)
        except json.JSONDecodeError:
            findings = []
    return findings, seconds, done.returncode, done.stderr[-1500:]


def _rel(path: str, root: Path) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = (root.parent / p).resolve()
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _in_scope(rel: str, scope: Sequence[str]) -> bool:
    """In the labelled part of a project: its scope folders (all when none), never its tests."""
    parts = rel.split("/")
    if "tests" in parts[:-1] or parts[-1].startswith("test_") or rel.startswith("/"):
        return False
    return not scope or any(rel == s or rel.startswith(s.rstrip("/") + "/") for s in scope)


def site_key(site: Site) -> str:
    """``file:line`` of a site."""
    return f"{site['file']}:{site['line']}"


def match_sites(finding: Finding, root: Path, sites: Sequence[Site]) -> List[int]:
    """Indices of the sites a finding belongs to (see the module docstring)."""
    rel = _rel(str(finding.get("file", "")), root)
    line = int(finding.get("line") or 0)
    first: Optional[Tuple[str, int]] = None
    trace = finding.get("trace") or []
    if trace:
        step = trace[0]
        step_line = int(step.get("line") or 0)
        step_file = _rel(str(step["file"]), root) if step.get("file") else rel
        for m in _ORIGIN.finditer(str(finding.get("message", ""))):
            if int(m.group(2)) == step_line and not step.get("file"):
                step_file = _rel(m.group(1), root)
                break
        first = (step_file, step_line)
    hits: List[int] = []
    for i, site in enumerate(sites):
        here = rel == site["file"] and line in site["lines"]
        caller = f"{rel}:{line}" in site.get("callers", [])
        origin = first == (site["file"], site["line"])
        if here or caller or origin:
            hits.append(i)
    return hits


def score_project(project: Dict[str, Any], root: Path,
                  findings: List[Finding]) -> ProjectScore:
    """Map findings to the labelled sites of one project."""
    s = ProjectScore(name=str(project["name"]), version=str(project["version"]))
    sites: List[Site] = project["sites"]
    scope: List[str] = project.get("scope", [])
    s.sites = len(sites)
    flagged: Set[int] = set()
    for finding in findings:
        code = str(finding.get("code", ""))
        if code.startswith("EIG9"):
            s.eig9xx += 1
            if code == "EIG999":
                s.eig999 += 1
            elif "time budget" in str(finding.get("message", "")):
                s.timed_out.append(_rel(str(finding.get("file")), root))
            s.problems.append(f"{_rel(str(finding.get('file')), root)}: {code} "
                              f"{str(finding.get('message', ''))[:160]}")
            continue
        s.findings += 1
        hits = match_sites(finding, root, sites)
        flagged.update(hits)
        if not hits:
            rel = _rel(str(finding.get("file", "")), root)
            if _in_scope(rel, scope):
                s.outside_sites += 1
                s.outside.append(f"{rel}:{finding.get('line')} {code} {finding.get('expr', '')}")
            else:
                s.outside_scope += 1
    for i, site in enumerate(sites):
        verdict = site["verdict"]
        hit = i in flagged
        if verdict == "DEPENDENT":
            if site["level"] == "substantive":
                s.dep_substantive += 1
                s.dep_substantive_found += hit
            else:
                s.dep_factor += 1
                s.dep_factor_found += hit
            if hit:
                s.found.append(site_key(site))
            else:
                s.missed.append(f"{site_key(site)} [{site['level']}] {site['call']}")
        elif verdict == "INVARIANT":
            s.invariant += 1
            s.invariant_flagged += hit
            if hit:
                s.flagged.append(site_key(site))
                s.invariant_hits.append(f"{site_key(site)} {site['call']}")
        else:
            s.unclear += 1
            s.unclear_flagged += hit
    return s


def total(scores: Sequence[ProjectScore]) -> ProjectScore:
    """Sum of the per-project numbers."""
    t = ProjectScore(name="TOTAL", version="")
    for s in scores:
        for key in ("seconds", "sites", "dep_substantive", "dep_substantive_found", "dep_factor",
                    "dep_factor_found", "invariant", "invariant_flagged", "unclear",
                    "unclear_flagged", "findings", "outside_sites", "outside_scope", "eig9xx",
                    "eig999"):
            setattr(t, key, getattr(t, key) + getattr(s, key))
    t.seconds = round(t.seconds, 1)
    return t


def _line(s: ProjectScore) -> str:
    r = _rates(s)

    def fmt(v: Optional[float]) -> str:
        return "  -  " if v is None else f"{v:5.1f}"

    return (f"{s.name:<16} {s.dep_substantive_found:>3}/{s.dep_substantive:<3} "
            f"{fmt(r['recall_substantive_pct'])} {s.dep_factor_found:>3}/{s.dep_factor:<3} "
            f"{fmt(r['recall_factor_pct'])} {s.invariant_flagged:>3}/{s.invariant:<3} "
            f"{fmt(r['invariant_flagged_pct'])} {s.outside_sites:>5} {s.eig9xx:>4} "
            f"{s.eig999:>4} {s.seconds:>7.1f}")


def score_all(dest: Path, names: Sequence[str] = (), labels: Path = LABELS,
              verbose: bool = False,
              raw: Optional[Path] = None) -> Tuple[List[ProjectScore], List[str]]:
    """Run and score every fetched project; return the scores and the skipped projects."""
    scores: List[ProjectScore] = []
    skipped: List[str] = []
    for project in load_projects(labels):
        if names and project["name"] not in names:
            continue
        root = project_root(dest, project)
        if not root.is_dir():
            skipped.append(str(project["name"]))
            print(f"skip {project['name']}=={project['version']}: sources not fetched "
                  f"(no {root}); run tests/field/fetch.py --dest {dest}", file=sys.stderr)
            continue
        findings, seconds, code, err = run_eiglint(root)
        if raw is not None:
            raw.mkdir(parents=True, exist_ok=True)
            (raw / f"{project['name']}.json").write_text(json.dumps(findings, indent=1) + "\n",
                                                        encoding="utf-8")
        s = score_project(project, root, findings)
        s.seconds = round(seconds, 1)
        s.exit_code = code
        if code not in (0, 1):
            s.problems.append(f"eiglint exit {code}: {err.strip()[-300:]}")
        scores.append(s)
        if verbose:
            print(f"  {s.name}: {s.findings} findings in {s.seconds} s", file=sys.stderr)
    return scores, skipped


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = field_parser(__doc__, "score")
    parser.add_argument("--json", type=Path, default=None, help="write the numbers here")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="list misses, invariant sites flagged and findings outside sites")
    parser.add_argument("--raw", type=Path, default=None,
                        help="also write eiglint's findings per project into this folder")
    args = parser.parse_args(argv)
    scores, skipped = score_all(args.dest, args.project, args.labels, verbose=args.verbose,
                                raw=args.raw)
    if not scores:
        print("no project fetched: run tests/field/fetch.py first", file=sys.stderr)
        return 2
    print(f"{'project':<16} {'substantive':>15} {'factor':>13} {'invariant flagged':>17} "
          f"{'outside':>5} {'9xx':>4} {'999':>4} {'seconds':>7}")
    for s in scores:
        print(_line(s))
    t = total(scores)
    print(_line(t))
    r = _rates(t)
    print(f"recall on DEPENDENT sites: {r['recall_dependent_pct']}% "
          f"({t.dep_substantive_found + t.dep_factor_found}/{t.dep_substantive + t.dep_factor});"
          f" INVARIANT sites flagged: {t.invariant_flagged}/{t.invariant} "
          f"({r['invariant_flagged_pct']}%); findings outside any site: {t.outside_sites} "
          f"(+{t.outside_scope} outside the labelled scope); EIG9xx {t.eig9xx}, "
          f"EIG999 {t.eig999}")
    if args.verbose:
        for s in scores:
            for title, items in (("missed", s.missed), ("invariant flagged", s.invariant_hits),
                                 ("outside sites", s.outside), ("problems", s.problems)):
                for item in items:
                    print(f"{s.name} {title}: {item}")
    if args.json is not None:
        doc = {"projects": [s.as_dict() for s in scores], "total": t.as_dict(),
               "skipped": skipped}
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
