"""Benchmark eiglint against its peers and the floors, alternating the tools in one run.

    python bench/bench.py                     # (a) installed torch, (b) decomposition subset,
                                              # (c) real projects (if fetched)
    python bench/bench.py --repeats 5 --jobs 2 --torchfix sample:200
    python bench/bench.py --corpus real       # python bench/fetch.py first

Every measurement is the wall time of a fresh process (start-up included) on the same file
list, tools taking turns within each repeat so that a busy machine affects all of them alike.
Printed: the median per tool and its ratio to ``ruff check``.

Tools: eiglint cold (``--no-cache``) with ``-j 1`` and ``-j N`` (and ``-j N --check-syntax``,
which adds the syntax gate of files that cannot hold a tracked value, and ``-j N --ignore
EIG901``, which drops the gate of analysed files too), eiglint warm (a cache filled
before the timed runs) with ``-j N``; ``flake8 --select=F -j N`` (without third-party plugins:
see :func:`_plain_flake8`); ``ruff check`` (defaults, ``--no-cache``, ``--isolated``);
TorchFix; the floors: reading every file, ``ast.parse`` of every file, and the syntax gate
alone (``symtable``) over every file (one process each). TorchFix
needs ~25 min on the torch tree, so by default it is timed on a fixed random sample of files
and scaled by bytes (``--torchfix full`` times it on everything; ``--torchfix off`` skips it);
the report says which.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List, Optional, Sequence, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from bench.fetch import REAL_PROJECTS, source_dir  # noqa: E402
from bench.sweep import package_dir, python_files  # noqa: E402

Runner = Callable[[], float]


def _timed(cmd: Sequence[str], cwd: Optional[str] = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(list(cmd), cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - t0


#: flake8 and the plugins it ships with; nothing else may run in the flake8 measurement
FLAKE8_DISTRIBUTIONS = ("flake8", "pyflakes", "pycodestyle", "mccabe")


def _plain_flake8(work: str) -> Optional[List[str]]:
    """A flake8 command that sees no third-party plugin. flake8 runs every installed plugin
    whatever ``--select`` says (PyCQA/flake8#751), and TorchFix and eiglint both register
    one: timing the installed ``flake8`` would time them too. The four distributions are
    linked into a folder of their own and flake8 runs with ``python -I -S`` (no
    site-packages, no current folder, no environment) on that folder alone."""
    from importlib import metadata

    folder = os.path.join(work, "flake8-only")
    os.makedirs(folder, exist_ok=True)
    for name in FLAKE8_DISTRIBUTIONS:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return None
        tops = {str(f).split("/")[0] for f in dist.files or ()
                if not str(f).startswith(("..", "__pycache__"))}
        for top in tops:
            src = str(dist.locate_file(top))
            dst = os.path.join(folder, top)
            if os.path.exists(src) and not os.path.lexists(dst) and not top.endswith(".pth"):
                os.symlink(src, dst)
    code = (f"import sys; sys.path.insert(0, {folder!r}); "
            "from flake8.main.cli import main; sys.exit(main())")
    return [sys.executable, "-I", "-S", "-c", code]


def _floor(kind: str, listing: str) -> List[str]:
    code = ("import sys\nfiles = open(sys.argv[1]).read().split('\\n')\n"
            "for f in files:\n    data = open(f, 'rb').read()\n")
    if kind == "symtable":
        code = ("import symtable, sys, warnings\nwarnings.simplefilter('ignore')\n"
                "files = open(sys.argv[1]).read().split('\\n')\n"
                "for f in files:\n    data = open(f, 'rb').read().decode('utf-8', 'replace')\n"
                "    try:\n        symtable.symtable(data, f, 'exec')\n"
                "    except (SyntaxError, ValueError, RecursionError):\n        pass\n")
    if kind == "ast":
        code = ("import ast, sys\nfiles = open(sys.argv[1]).read().split('\\n')\n"
                "for f in files:\n    data = open(f, 'rb').read()\n"
                "    try:\n        ast.parse(data)\n"
                "    except (SyntaxError, ValueError):\n        pass\n")
    return [sys.executable, "-c", code, listing]


def _which(tool: str) -> Optional[str]:
    cand = os.path.join(os.path.dirname(sys.executable), tool)
    return cand if os.path.exists(cand) else shutil.which(tool)


def decomposition_subset(limit: int = 0) -> List[str]:
    """Files of the installed numerical packages that name a decomposition in their code."""
    from eiglint.prefilter import find_word, trigger_words

    words = trigger_words()
    out = []
    for pkg in ("torch", "numpy", "scipy", "sklearn", "jax"):
        root = package_dir(pkg)
        if root is None:
            continue
        for f in python_files(root):
            if os.path.getsize(f) > 300_000:
                continue  # a few generated tables and test catalogues; (a) covers them
            with open(f, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            if find_word(text, words) is not None:
                out.append(f)
    if limit and len(out) > limit:
        out = sorted(random.Random(0).sample(out, limit))
    return out


def tools(files: List[str], jobs: int, torchfix: str, work: str
          ) -> Tuple[Dict[str, Runner], Dict[str, str]]:
    listing = os.path.join(work, "files.txt")
    with open(listing, "w") as fh:
        fh.write("\n".join(files))
    notes: Dict[str, str] = {}
    eig = [_which("eiglint") or "eiglint", "--isolated", "-q", "--exit-zero"]
    cache = os.path.join(work, "cache")
    subprocess.run(eig + ["--cache-dir", cache, "-j", str(jobs), *files],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    runners: Dict[str, Runner] = {
        "read all files": lambda: _timed(_floor("read", listing)),
        "ast.parse all files": lambda: _timed(_floor("ast", listing)),
        "symtable (syntax gate) all files": lambda: _timed(_floor("symtable", listing)),
        "eiglint cold -j1": lambda: _timed(eig + ["--no-cache", "-j", "1", *files]),
        f"eiglint cold -j{jobs}": lambda: _timed(eig + ["--no-cache", "-j", str(jobs), *files]),
        # the syntax gate of files that cannot hold a tracked value (not parsed by default)
        f"eiglint cold -j{jobs} --check-syntax": lambda: _timed(
            eig + ["--no-cache", "-j", str(jobs), "--check-syntax", *files]),
        f"eiglint cold -j{jobs} --ignore EIG901": lambda: _timed(
            eig + ["--no-cache", "-j", str(jobs), "--ignore", "EIG901", *files]),
        f"eiglint warm -j{jobs}": lambda: _timed(eig + ["--cache-dir", cache, "-j", str(jobs),
                                                        *files]),
    }
    ruff = _which("ruff")
    if ruff:
        runners["ruff check"] = lambda: _timed([ruff, "check", "--no-cache", "--isolated",
                                                "--exit-zero", "-q", *files])
    flake8 = _plain_flake8(work)
    if flake8:
        runners[f"flake8 --select=F -j{jobs}"] = lambda: _timed(
            [*flake8, "--isolated", "--select=F", "-j", str(jobs), *files])
    tf = _which("torchfix")
    if tf and torchfix != "off":
        subset = files
        if torchfix.startswith("sample:"):
            n = int(torchfix.split(":", 1)[1])
            if n < len(files):
                subset = sorted(random.Random(1).sample(files, n))
                total = sum(os.path.getsize(f) for f in files)
                part = sum(os.path.getsize(f) for f in subset)
                scale = total / part
                notes["TorchFix"] = (f"timed on {n} random files ({part / 1e6:.1f} of "
                                     f"{total / 1e6:.1f} MB), scaled by bytes x{scale:.1f}")
                runners["TorchFix (scaled)"] = lambda: scale * _timed([tf, *subset])
            else:
                runners["TorchFix"] = lambda: _timed([tf, *files])
        else:
            runners["TorchFix"] = lambda: _timed([tf, *files])
    return runners, notes


def measure(runners: Dict[str, Runner], repeats: int, slow: Sequence[str] = ()
            ) -> Dict[str, List[float]]:
    times: Dict[str, List[float]] = {k: [] for k in runners}
    for r in range(repeats):
        for name, run in runners.items():
            if r > 0 and any(name.startswith(s) for s in slow):
                continue  # one sample of the slowest tool is enough to place it
            times[name].append(run())
            print(f"  [{r + 1}/{repeats}] {name}: {times[name][-1]:.2f} s", flush=True)
    return times


def table(title: str, files: List[str], times: Dict[str, List[float]],
          notes: Dict[str, str]) -> str:
    size = sum(os.path.getsize(f) for f in files)
    lines = [f"## {title}: {len(files)} files, {size / 1e6:.1f} MB", "",
             "| tool | median wall (s) | runs | x ruff |", "|---|---:|---:|---:|"]
    ruff = statistics.median(times["ruff check"]) if times.get("ruff check") else None
    for name, ts in times.items():
        if not ts:
            continue
        m = statistics.median(ts)
        ratio = f"{m / ruff:.2f}" if ruff else "-"
        lines.append(f"| {name} | {m:.2f} | {len(ts)} | {ratio} |")
    for k, v in notes.items():
        lines.append(f"\n{k}: {v}")
    med = {k: statistics.median(v) for k, v in times.items() if v}
    tfk = next((k for k in med if k.startswith("TorchFix")), None)
    for k in med:
        if k.startswith("eiglint cold") and tfk:
            lines.append(f"\n{tfk} / {k}: {med[tfk] / med[k]:.0f}x")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, load average at start {load:.1f}")


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--torchfix", default="sample:150",
                    help="off | full | sample:N (default: sample:150)")
    ap.add_argument("--corpus", choices=["torch", "subset", "real", "both", "all"],
                    default="all", help="both: torch and subset; all: and the real projects")
    ap.add_argument("--skip", action="append", default=[], metavar="TOOL",
                    help="leave out tools whose name starts with TOOL (e.g. flake8)")
    args = ap.parse_args(argv)
    print(machine())
    root = package_dir("torch")
    corpora: List[Tuple[str, List[str]]] = []
    if args.corpus in ("torch", "both", "all") and root is not None:
        corpora.append(("(a) installed torch package", python_files(root)))
    if args.corpus in ("subset", "both", "all"):
        corpora.append(("(b) decomposition-heavy subset", decomposition_subset()))
    if args.corpus in ("real", "all"):
        real = [p for p in REAL_PROJECTS if source_dir(p) is not None]
        if real:
            files = [f for p in real for f in python_files(source_dir(p) or "")]
            corpora.append((f"(c) real projects ({', '.join(real)})", files))
        else:
            print("(c) real projects: not fetched (python bench/fetch.py); skipped")
    for title, files in corpora:
        with tempfile.TemporaryDirectory(prefix="eiglint-bench-") as work:
            runners, notes = tools(files, args.jobs, args.torchfix, work)
            runners = {k: v for k, v in runners.items()
                       if not any(k.startswith(s) for s in args.skip)}
            times = measure(runners, args.repeats, slow=("TorchFix",))
            print()
            print(table(title, files, times, notes))
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
