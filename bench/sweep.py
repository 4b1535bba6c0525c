"""Real-tree sweep: lint every ``.py`` file of installed packages and count what went wrong.

    python bench/sweep.py                       # torch numpy scipy sklearn jax, 2 workers
    python bench/sweep.py torch --jobs 2
    python bench/sweep.py --sample 300 --seed 7 --max-size 300000
    python bench/sweep.py --real --fetch        # pennylane networkx scikit-image astropy

The packages are located with ``importlib.util.find_spec`` (nothing is imported or executed);
the real projects of :data:`bench.fetch.REAL_PROJECTS` (large import graphs) are sources
unpacked from their wheels by ``bench/fetch.py`` (``--fetch`` fetches what is missing). Each
package is linted with default settings, no cache, through the worker pool (so a native crash or
a hang becomes a diagnostic and is counted here). Printed: per package, files, analysed files
and rate; per file, the p99 and the maximum of the time spent on it, and the slowest files with
their phases. Exit status 1 when any file produced an internal error (EIG999), crashed its
worker, or exceeded the time budget. Syntax errors (EIG901: e.g. a package's test file in
Python 3.12 syntax) are listed but are not failures.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from bench.fetch import REAL_PROJECTS, fetch, source_dir  # noqa: E402
from eiglint import parallel  # noqa: E402
from eiglint.settings import Settings  # noqa: E402
from eiglint.timings import FileTime  # noqa: E402
from eiglint.timings import report as timings_report  # noqa: E402

DEFAULT_PACKAGES = ("torch", "numpy", "scipy", "sklearn", "jax")


def package_dir(name: str) -> Optional[str]:
    """An installed package's folder, or a fetched real project's (bench/fetch.py)."""
    if name in REAL_PROJECTS:
        return source_dir(name)
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return list(spec.submodule_search_locations)[0]


def python_files(root: str) -> List[str]:
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        out.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(".py"))
    return out


@dataclass
class SweepResult:
    files: int = 0
    analysed: int = 0
    seconds: float = 0.0
    internal: List[Tuple[str, str]] = field(default_factory=list)
    crashes: List[Tuple[str, str]] = field(default_factory=list)
    hangs: List[Tuple[str, str]] = field(default_factory=list)
    unparsable: List[Tuple[str, str]] = field(default_factory=list)
    findings: int = 0
    per_package: Dict[str, Tuple[int, int, float]] = field(default_factory=dict)
    #: every file linted: (path, seconds, phase -> seconds)
    times: List[FileTime] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        """Seconds spent on a file, at quantile ``q`` (nearest rank)."""
        ts = sorted(t for _, t, _ in self.times)
        if not ts:
            return 0.0
        return ts[min(len(ts) - 1, max(0, int(round(q * len(ts) + 0.5)) - 1))]

    @property
    def ok(self) -> bool:
        return not (self.internal or self.crashes or self.hangs)

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def collect(packages: Sequence[str], sample: int = 0, seed: int = 0,
            max_size: int = 0) -> Dict[str, List[str]]:
    """Package -> its files (a fixed-seed sample over all packages when ``sample``)."""
    found: Dict[str, List[str]] = {}
    for name in packages:
        root = package_dir(name)
        if root is None:
            continue
        files = python_files(root)
        if max_size:
            files = [f for f in files if os.path.getsize(f) <= max_size]
        found[name] = files
    if sample:
        pool = [(n, f) for n in sorted(found) for f in found[n]]
        picked = random.Random(seed).sample(pool, min(sample, len(pool)))
        found = {n: sorted(f for m, f in picked if m == n) for n in found}
    return found


def sweep(by_package: Dict[str, List[str]], jobs: int = 2,
          timeout: float = parallel.DEFAULT_FILE_TIMEOUT) -> SweepResult:
    res = SweepResult()
    settings = Settings()
    for name, files in by_package.items():
        if not files:
            continue
        stats = parallel.RunStats()
        outcomes = parallel.lint_files(files, settings, jobs=jobs, timeout=timeout, stats=stats)
        res.files += stats.files
        res.analysed += stats.analysed
        res.seconds += stats.seconds
        res.per_package[name] = (stats.files, stats.analysed, stats.seconds)
        for o in outcomes:
            res.times.append((o.path, o.seconds, o.phases))
            for f in o.findings:
                row = (o.path, f"{f.code} {f.message}")
                if f.code == "EIG999":
                    res.internal.append(row)
                elif f.code == "EIG903" and "crashed" in f.message:
                    res.crashes.append(row)
                elif f.code == "EIG903" and "time budget" in f.message:
                    res.hangs.append(row)
                elif f.kind == "file":
                    res.unparsable.append(row)
                else:
                    res.findings += 1
    return res


def report(res: SweepResult) -> str:
    lines = []
    for name, (n, a, s) in res.per_package.items():
        lines.append(f"{name:10s} {n:6d} files  {a:4d} analysed  {s:7.1f} s  "
                     f"{n / s if s else 0:7.1f} files/s")
    lines.append(f"{'total':10s} {res.files:6d} files  {res.analysed:4d} analysed  "
                 f"{res.seconds:7.1f} s  {res.rate:7.1f} files/s")
    lines.append(f"findings: {res.findings}; internal errors: {len(res.internal)}; "
                 f"crashes: {len(res.crashes)}; hangs: {len(res.hangs)}; not parsable "
                 f"(EIG901-904, not failures): {len(res.unparsable)}")
    lines.append(f"per file: p50 {res.percentile(0.5):.2f} s, p99 {res.percentile(0.99):.2f} s, "
                 f"max {res.percentile(1.0):.2f} s")
    lines.append(timings_report(res.times, res.seconds).rstrip())
    for title, rows in (("INTERNAL ERROR", res.internal), ("CRASH", res.crashes),
                        ("HANG", res.hangs), ("not parsable", res.unparsable)):
        for path, msg in rows:
            lines.append(f"  {title}: {path}: {msg[:300]}")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("packages", nargs="*", default=list(DEFAULT_PACKAGES))
    ap.add_argument("-j", "--jobs", type=int, default=parallel.default_jobs())
    ap.add_argument("--sample", type=int, default=0, help="lint only N files (fixed seed)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-size", type=int, default=0, help="skip files larger (bytes)")
    ap.add_argument("--timeout", type=float, default=parallel.DEFAULT_FILE_TIMEOUT)
    ap.add_argument("--real", action="store_true",
                    help="sweep the real projects of bench/fetch.py instead")
    ap.add_argument("--fetch", action="store_true", help="fetch missing real projects first")
    args = ap.parse_args(argv)
    if args.real:
        args.packages = list(REAL_PROJECTS)
    if args.fetch:
        for name in args.packages:
            if name in REAL_PROJECTS:
                fetch(name)
    by_package = collect(args.packages, args.sample, args.seed, args.max_size)
    missing = sorted(set(args.packages) - set(by_package))
    if missing:
        print(f"not installed: {', '.join(missing)}", file=sys.stderr)
    t0 = time.perf_counter()
    res = sweep(by_package, args.jobs, args.timeout)
    print(report(res))
    print(f"wall {time.perf_counter() - t0:.1f} s with {args.jobs} jobs")
    return 0 if res.ok else 1


if __name__ == "__main__":
    sys.exit(main())
