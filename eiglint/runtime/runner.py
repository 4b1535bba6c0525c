"""The parent side of ``eiglint confirm``: plan the runs, run them, turn probes into verdicts.

Runs (each a fresh ``sys.executable`` subprocess in its own process group, same cwd/env, the
user's Python/NumPy/torch RNGs seeded with ``--seed``; ``PYTHONHASHSEED`` fixed unless set):

1. ``baseline``  identity gauge (the libraries' own results)
2. ``control``   identity gauge again: any difference is the user's nondeterminism
3. ``gauge i``   ``--runs K`` random gauges (private generators, seeds derived from ``--seed``)
4. ``flip j``    when a sign finding is still unconfirmed: flip the sign of column ``j`` alone,
                 ``j < min(k, --sweep)`` (``k`` = widest real decomposition of the baseline)
5. ``mix i``     when the baseline met (near-)repeated eigen/singular values and a finding is
                 still unconfirmed: two random gauges with a unitary mix inside the clusters
6. ``..., probe N replayed``  per probe whose value and some output changed under a gauge:
                 that gauge again, with the probe's baseline values replayed hit by hit
                 (attribution by intervention: does the output change go away?)

Without a command, flagged code in a function that needs arguments runs through the nearest
zero-argument caller in the analysed files (:mod:`.entries`); a notebook runs its code cells in
order; an escape (EIG107/EIG207) is probed on the call it escapes to.

Each run gets a private temp directory (config + results stream), removed afterwards whatever
happens; a run that exceeds ``--timeout`` has its whole process group killed.
"""
from __future__ import annotations

import ast
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..types import Finding, Verdict
from .attribution import patch_target
from .entries import Caller, find_caller, parse_files, python_files
from .gauge import GaugeSpec
from .hook import norm_path
from .observe import exit_leaf, flatten, stdout_leaves
from .probes import (
    Site,
    enclosing_call,
    entry_problem,
    has_main_guard,
    instrument,
    scope_of,
    top_level_names,
)
from .record import ILL_DEFINED, read_stream
from .runs import ProbeInfo, RunData, call_mismatch, control_differs
from .verdicts import judge

#: output kept per run (characters, from the end)
OUTPUT_LIMIT = 64_000
#: extra runs with a unitary mix in degenerate eigenspaces
MIX_RUNS = 2

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_BOOT = ("import sys; sys.path.insert(0, {root!r}); "
         "from eiglint.runtime.bootstrap import main; sys.path.pop(0); main(sys.argv[1])")


class ConfirmError(Exception):
    """Bad usage (the CLI exits 2): an unknown --entry, a command that is not Python, ..."""


@dataclass
class Options:
    runs: int = 3
    seed: int = 0
    timeout: float = 60.0
    entry: str | None = None
    command: tuple[str, ...] = ()
    sweep: int = 8
    degenerate: bool = True
    jobs: int = 0  # 0: min(cpu count, 4)
    cwd: str | None = None
    env: dict[str, str] | None = None
    #: the analysed PATHS: their ``.py`` files make the call graph of entry discovery
    #: (default: the folders of the flagged files)
    files: tuple[str, ...] = ()


@dataclass
class RunSpec:
    label: str
    role: str
    gauge: GaugeSpec
    #: a patch run: the probe whose baseline values (``patch_hits``) replace the live ones,
    #: under the gauge of the run labelled ``base_label``
    patch: int | None = None
    patch_hits: list[dict[str, Any]] = field(default_factory=list)
    base_label: str = ""


@dataclass
class RunResult:
    spec: RunSpec
    data: RunData
    returncode: int | None = None
    duration: float = 0.0
    stdout: str = ""
    stderr: str = ""
    entries: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Report:
    findings: list[Finding]
    runs: list[RunResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            if f.verdict is not None:
                out[f.verdict.status] = out.get(f.verdict.status, 0) + 1
        return out

    def exit_code(self, strict: bool = False) -> int:
        c = self.counts()
        if c.get("confirmed"):
            return 1
        if strict and c.get("inconclusive"):
            return 1
        return 0


@dataclass
class _Probe:
    site: Site
    path: str  # as the user wrote it
    npath: str  # normalised
    kind: str
    findings: list[int] = field(default_factory=list)
    verdict: Verdict | None = None
    #: (normalised path, line) of the findings' trace steps: where the value came from
    sources: set[tuple[str, int]] = field(default_factory=set)
    #: an escape (EIG107/EIG207): the probe sits on the call and records its result
    escape: bool = False

    def info(self, pid: int) -> ProbeInfo:
        return ProbeInfo(pid, self.npath, self.site.line, self.site.end_line or self.site.line,
                         self.kind, tuple(sorted(self.sources)), self.escape)


#: escapes: the gauge-carrying value goes into code eiglint cannot see; judged by the call
ESCAPE_CODES = frozenset({"EIG107", "EIG207"})


@dataclass
class _Notebook:
    """A notebook's code cells as one program (as ``eiglint.notebook`` lints them), run in
    order in one namespace; IPython lines (``%magic``, ``!shell``) are ``pass``."""

    path: str
    text: str = ""
    lines: dict[tuple[int, int], int] = field(default_factory=dict)
    skipped: int = 0
    error: str = ""

    @classmethod
    def read(cls, path: str) -> _Notebook:
        from ..notebook import load

        try:
            with open(path, "rb") as fh:
                prog = load(fh.read(), path)
        except OSError as exc:
            return cls(path, error=f"cannot read the notebook: {exc}")
        if prog.error is not None or prog.foreign:
            return cls(path, error="not a Python notebook that can be run")
        nb = cls(path, prog.text, {cl: i + 1 for i, cl in enumerate(prog.lines)})
        for source in prog.cells.values():
            nb.skipped += sum(1 for ln in source.splitlines()
                              if ln.lstrip().startswith(("%", "!")))
        return nb

    def virtual(self, cell: int | None, line: int) -> int | None:
        """The program line of ``line`` of ``cell`` (None: not in a code cell)."""
        if cell is None:
            return line if 1 <= line <= len(self.lines) else None
        return self.lines.get((cell, line))


def _escape_call(path: str, line: int, col: int, end_line: int, end_col: int,
                 notebooks: dict[str, _Notebook],
                 parsed: dict[str, tuple[str, ast.Module] | None]
                 ) -> tuple[int, int, int, int, str] | None:
    """The range of the call an escaping argument is passed to."""
    key = norm_path(path)
    if key not in parsed:
        from ..source import decode_source

        try:
            nb = notebooks.get(key)
            if nb is not None:
                text = nb.text
            else:
                with open(path, "rb") as fh:
                    dec = decode_source(fh.read(), path)
                text = dec.text if dec.error is None else ""
            parsed[key] = (text, ast.parse(text)) if text else None
        except (OSError, SyntaxError, ValueError):
            parsed[key] = None
    got = parsed[key]
    if got is None:
        return None
    return enclosing_call(got[1], got[0], line, col, end_line, end_col)


# ---------------------------------------------------------------------------- commands
def parse_command(argv: Sequence[str], cwd: str) -> dict[str, Any]:
    """``python x.py a``, ``python -m pytest t.py``, ``pytest t.py``, ``./tool`` -> a target."""
    if not argv:
        raise ConfirmError("empty command after --")
    prog, rest = argv[0], list(argv[1:])
    base = os.path.basename(prog)
    if _is_python(prog):
        i = 0
        while i < len(rest) and rest[i].startswith("-") and rest[i] not in ("-m", "-c", "-"):
            opt = rest[i]
            i += 1
            if opt in ("-W", "-X", "-Q") and i < len(rest):
                i += 1  # an option with a separate argument: accepted, not applied
        rest = rest[i:]
        if not rest:
            raise ConfirmError("`python` without a script, -m or -c: nothing to run")
        if rest[0] == "-m" and len(rest) >= 2:
            return _module_target(rest[1], rest[2:])
        if rest[0] == "-c" and len(rest) >= 2:
            return {"kind": "command", "mode": "code", "code": rest[1], "argv": rest[2:],
                    "label": "python -c"}
        script = os.path.abspath(os.path.join(cwd, rest[0]))
        if not os.path.isfile(script):
            raise ConfirmError(f"no such script: {rest[0]}")
        return {"kind": "command", "mode": "script", "path": script, "argv": rest[1:],
                "label": f"python {rest[0]}"}
    if base in ("pytest", "py.test"):
        return _module_target("pytest", rest)
    found = shutil.which(prog, path=os.environ.get("PATH")) if os.sep not in prog else (
        os.path.join(cwd, prog))
    if not found or not os.path.isfile(found):
        raise ConfirmError(f"command not found: {prog}")
    try:
        with open(found, "rb") as fh:
            first = fh.readline(200)
    except OSError as exc:
        raise ConfirmError(f"cannot read {found}: {exc}") from exc
    if not (first.startswith(b"#!") and b"python" in first):
        raise ConfirmError(f"{prog} is not a Python program; confirm runs Python code only "
                           "(use `-- python ...` or `-- pytest ...`)")
    return {"kind": "command", "mode": "script", "path": os.path.abspath(found), "argv": rest,
            "label": prog}


def _is_python(prog: str) -> bool:
    base = os.path.basename(prog).lower()
    base = base.removesuffix(".exe")
    return base.startswith("python") and all(c.isdigit() or c == "." for c in base[6:])


def _module_target(name: str, argv: list[str]) -> dict[str, Any]:
    target = {"kind": "command", "mode": "module", "name": name, "argv": list(argv),
              "label": f"python -m {name}"}
    if name == "pytest":
        # no .pytest_cache in the user's tree
        target["argv"] = ["-p", "no:cacheprovider", *argv]
    return target


def _is_test_file(path: str) -> bool:
    b = os.path.basename(path)
    return b == "conftest.py" or (b.startswith("test_") and b.endswith(".py")) or \
        b.endswith("_test.py")


_NOT_TESTS = frozenset({"__pycache__", "node_modules", "site-packages", ".git", ".tox", ".nox",
                        "build", "dist"})


def paths_with_tests(paths: Sequence[str]) -> list[str]:
    """The PATHS that are tests: ``test_*.py`` / ``*_test.py`` files, and folders named
    ``test*`` holding such files. ``eiglint confirm pkg/ tests/`` runs pytest on them."""
    out = []
    for p in paths:
        if os.path.isfile(p):
            if _is_test_file(p) and os.path.basename(p) != "conftest.py":
                out.append(p)
            continue
        name = os.path.basename(os.path.normpath(os.path.abspath(p)))
        if not (os.path.isdir(p) and name.startswith("test")):
            continue
        for dirpath, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if d not in _NOT_TESTS and not d.startswith(".")
                       and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg"))]
            if any(_is_test_file(f) and f != "conftest.py" for f in files):
                out.append(p)
                break
    return out


# ---------------------------------------------------------------------------- snippets
def _module_name(path: str) -> tuple[str, str]:
    """(dotted module name, sys.path root) for a file, walking up ``__init__.py`` packages."""
    path = os.path.abspath(path)
    d, name = os.path.split(path)
    parts = [os.path.splitext(name)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(d, "__init__.py")):
        d, pkg = os.path.split(d)
        parts.insert(0, pkg)
    return ".".join(parts) or os.path.basename(d), d


def _plan_snippet(probes: dict[int, _Probe], trees: dict[str, ast.Module],
                  entry: str | None, hints: dict[int, str] | None = None,
                  graph: dict[str, tuple[str, ast.Module]] | None = None,
                  notes: list[str] | None = None
                  ) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Entries to run and the probes that no entry can reach (with the reason).

    ``hints`` receives, per probe in a function that needs arguments, what to do if the
    script run does not reach it. ``graph``: the analysed files (normalised path -> (path,
    tree)) whose call graph leads from such a function to a zero-argument caller; ``notes``
    receives which caller runs, and why."""
    entries: list[dict[str, Any]] = []
    unreachable: dict[int, str] = {}
    hints = {} if hints is None else hints
    callers: list[Caller] = []
    by_file: dict[str, list[_Probe]] = {}
    for p in probes.values():
        by_file.setdefault(p.npath, []).append(p)
    if entry is not None:
        for npath, plist in by_file.items():
            tree = trees[npath]
            if entry.split(".")[0] in top_level_names(tree):
                problem = entry_problem(tree, entry)
                if problem:
                    raise ConfirmError(f"--entry {entry}: {problem}; give a function that "
                                       "takes no arguments and calls it, or a command after "
                                       "--")
                mod, root = _module_name(plist[0].path)
                entries.append({"kind": "call", "path": plist[0].path, "module": mod,
                                "root": root, "name": entry,
                                "label": f"{os.path.basename(plist[0].path)}:{entry}()"})
        if not entries:
            raise ConfirmError(f"--entry {entry}: no flagged file defines `{entry}`")
        return entries, unreachable
    for npath, plist in by_file.items():
        tree = trees[npath]
        path = plist[0].path
        if path.endswith(".ipynb"):
            entries.append({"kind": "notebook", "path": path,
                            "label": f"notebook {os.path.basename(path)}"})
            continue
        scopes = {p.site.id: scope_of(tree, p.site.line) for p in plist}
        script = any(s.kind == "module" for s in scopes.values())
        guard = has_main_guard(tree)
        calls: list[str] = []
        for p in plist:
            s = scopes[p.site.id]
            if s.kind == "function" and s.callable_without_args:
                if s.name not in calls:
                    calls.append(s.name)
            elif s.kind in ("function", "method"):
                what = "method" if s.kind == "method" else "function"
                caller = find_caller(path, s.name, graph) if graph else None
                if caller is not None:
                    if caller not in callers:
                        callers.append(caller)
                    hints[p.site.id] = (f"ran {caller.describe()}, found by walking the call "
                                        "graph; pass --entry NAME or a command after -- to "
                                        "run something else")
                    continue
                hints[p.site.id] = (f"the enclosing {what} `{s.name}` needs arguments: pass "
                                    "--entry NAME (a zero-argument function that calls it) "
                                    "or a command after --")
                if script:
                    continue
                if guard:
                    script = True
                else:
                    unreachable[p.site.id] = (
                        f"the enclosing {what} `{s.name}` needs arguments and the file has no "
                        "`if __name__ == '__main__':` block: pass --entry NAME (a "
                        "zero-argument function that calls it) or a command after --")
        mod, root = _module_name(path)
        if script:
            # a module of a package runs as `python -m pkg.mod` would run it (its relative
            # imports need the package)
            package = mod.rpartition(".")[0] if os.path.basename(path) != "__init__.py" \
                else mod
            entries.append({"kind": "script", "path": path, "package": package, "root": root,
                            "label": f"python -m {mod}" if package else
                            f"python {os.path.basename(path)}"})
            unreachable = {k: v for k, v in unreachable.items()
                           if probes[k].npath != npath}
        for name in calls:
            entries.append({"kind": "call", "path": path, "module": mod, "root": root,
                            "name": name, "label": f"{os.path.basename(path)}:{name}()"})
    for c in callers:
        mod, root = _module_name(c.path)
        if c.kind == "call":
            e = {"kind": "call", "path": c.path, "module": mod, "root": root, "name": c.name,
                 "label": f"{os.path.basename(c.path)}:{c.name}()"}
        else:
            package = mod.rpartition(".")[0] if os.path.basename(c.path) != "__init__.py" \
                else mod
            e = {"kind": "script", "path": c.path, "package": package, "root": root,
                 "label": f"python -m {mod}" if package else
                 f"python {os.path.basename(c.path)}"}
        if not any(x.get("kind") == e["kind"] and x.get("path") == e["path"]
                   and x.get("name") == e.get("name") for x in entries):
            entries.append(e)
        if notes is not None:
            notes.append(f"entry: ran {c.describe()}, found by walking the call graph of "
                         "the analysed files (--entry NAME overrides)")
    return entries, unreachable


# ---------------------------------------------------------------------------- running
class _Processes:
    """Live child processes, so an interrupted confirm kills them all."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: set[subprocess.Popen] = set()  # type: ignore[type-arg]

    def kill_all(self) -> None:
        with self.lock:
            procs = list(self.live)
        for p in procs:
            _kill_group(p)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    # on POSIX the group is killed even when its leader has exited: a process the user code
    # forked keeps the output pipes open (communicate() would wait for it forever); the group
    # id stays reserved while any member lives, and ESRCH is ignored when none does
    if proc.poll() is not None and os.name != "posix":
        return
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows: no process groups via killpg
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        try:
            proc.kill()
        except OSError:
            pass


def _child_env(options: Options) -> dict[str, str]:
    env = dict(options.env if options.env is not None else os.environ)
    env.setdefault("PYTHONHASHSEED", str(options.seed % (2 ** 32 - 1)))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(var, "1")  # deterministic and no oversubscription with parallel runs
    return env


def _run_one(spec: RunSpec, base_cfg: dict[str, Any], options: Options, tmp_root: str,
             index: int, procs: _Processes) -> RunResult:
    run_dir = tempfile.mkdtemp(prefix=f"run{index}-", dir=tmp_root)
    results = os.path.join(run_dir, "results.pkl")
    cfg = dict(base_cfg, results=results, gauge=spec.gauge.to_json())
    if spec.patch is not None:
        hits_path = os.path.join(run_dir, "patch.pkl")
        with open(hits_path, "wb") as fh:
            pickle.dump(spec.patch_hits, fh, protocol=4)
        cfg["patch"] = {"id": spec.patch, "hits": hits_path}
    cfg_path = os.path.join(run_dir, "config.json")
    with open(cfg_path, "w", encoding="utf-8") as fh:
        json.dump(cfg, fh)
    cmd = [sys.executable, "-c", _BOOT.format(root=_ROOT), cfg_path]
    start = time.monotonic()
    timed_out = False
    out_b, err_b = b"", b""
    proc = subprocess.Popen(cmd, cwd=options.cwd or os.getcwd(), env=_child_env(options),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=(os.name == "posix"))
    with procs.lock:
        procs.live.add(proc)
    try:
        try:
            out_b, err_b = proc.communicate(timeout=options.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(proc)
            out_b, err_b = proc.communicate()
    finally:
        _kill_group(proc)
        with procs.lock:
            procs.live.discard(proc)
    duration = time.monotonic() - start
    data = RunData(label=spec.label, role=spec.role, status="ok", base_label=spec.base_label)
    res = RunResult(spec, data, proc.returncode, duration,
                    out_b.decode("utf-8", "replace")[-OUTPUT_LIMIT:],
                    err_b.decode("utf-8", "replace")[-OUTPUT_LIMIT:])
    for rec in read_stream(results):
        tag = rec[0]
        if tag == "hit" and len(rec) == 4:
            data.hits.setdefault(int(rec[1]), []).append(rec[3])
        elif tag == "counts":
            data.counts = {int(k): int(v) for k, v in rec[1].items()}
        elif tag == "calls":
            data.calls = list(rec[1])
        elif tag == "torch_error":
            data.torch_errors.append(dict(rec[1]))
        elif tag == "entry":
            res.entries.append(dict(rec[2], index=rec[1]))
        elif tag == "warning":
            res.warnings.append(str(rec[1]))
        elif tag == "raised" and len(rec) == 4:  # caught by a test runner: a failed test
            data.raised.append((norm_path(str(rec[1])), int(rec[2]), str(rec[3])))
        elif tag == "done":
            data.done = True
        elif tag == "stdout" and len(rec) == 3:
            where = f"[{rec[1]}]" if isinstance(rec[1], int) else f" of {rec[1]}"
            stdout_leaves(str(rec[2]), data.obs, f"stdout{where}")
        elif tag == "obs" and len(rec) == 3:
            flatten(str(rec[1]), rec[2], data.obs)
        elif tag == "patched" and len(rec) == 3:
            if rec[2]:
                data.unpatched.append((int(rec[1]), str(rec[2])))
            else:
                data.patched += 1
    shutil.rmtree(run_dir, ignore_errors=True)
    failures = [e for e in res.entries if e.get("status") != "ok"]
    snippet = base_cfg["target"].get("kind") == "snippet"
    for e in failures:
        msg = f"{e.get('label') or 'run'}: " + (e.get("error") or f"exit code {e.get('code')}")
        path = norm_path(e["path"]) if snippet and e.get("path") else ""
        data.failures.append((path, "error" if e.get("status") == "error" else "failed", msg))
        if e.get("status") == "error":
            for where in e.get("frames") or ([e["where"]] if e.get("where") else []):
                data.raised.append((norm_path(str(where[0])), int(where[1]),
                                    str(e.get("error"))))
    for e in res.entries:
        data.obs[f"exit[{e.get('index', 0)}]"] = exit_leaf(e)
    if timed_out:
        data.status = "timeout"
        data.error = f"timed out after {options.timeout:g} s"
    elif not data.done:
        data.status = "crashed"
        tail = res.stderr.strip().splitlines()[-1:] if res.stderr.strip() else []
        data.error = f"exit code {proc.returncode}" + (f": {tail[0][:300]}" if tail else "")
    elif failures:
        e = failures[0]
        data.status = "error" if e.get("status") == "error" else "failed"
        data.error = f"{e.get('label') or 'run'}: " + (
            e.get("error") or f"exit code {e.get('code')}")
    if not data.torch_errors:
        m = ILL_DEFINED.search(res.stdout + "\n" + res.stderr)
        if m:
            data.torch_errors.append({"op": m.group(1), "message": m.group(0)[:300], "path": "",
                                      "line": 0, "from_output": True})
    return res


def _run_all(specs: Sequence[RunSpec], base_cfg: dict[str, Any], options: Options,
             tmp_root: str, offset: int, procs: _Processes,
             progress: Callable[[str], None] | None) -> list[RunResult]:
    jobs = options.jobs or max(1, min(os.cpu_count() or 1, 4))

    def one(i_spec: tuple[int, RunSpec]) -> RunResult:
        i, spec = i_spec
        r = _run_one(spec, base_cfg, options, tmp_root, offset + i, procs)
        if progress is not None:
            progress(f"{spec.label}: {r.data.status} in {r.duration:.1f} s"
                     + (f" ({r.data.error})" if r.data.error else ""))
        return r

    if jobs == 1 or len(specs) == 1:
        return [one(x) for x in enumerate(specs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, enumerate(specs)))


def _seed_for(seed: int, role: str, i: int) -> int:
    salt = {"random": 1, "mix": 2}.get(role, 0)
    return (seed * 1_000_003 + salt * 7919 + i + 1) % (2 ** 63)


# ---------------------------------------------------------------------------- main entry
def confirm_findings(findings: Sequence[Finding], options: Options | None = None,
                     progress: Callable[[str], None] | None = None) -> Report:
    """Run the confirmation for ``findings`` and return them with verdicts attached.

    Findings of kind ``file`` are returned unchanged; everything else gets a verdict.
    """
    from ..source import decode_source

    options = options or Options()
    if options.runs < 1:
        raise ConfirmError("--runs must be at least 1")
    cwd = options.cwd or os.getcwd()
    started = time.monotonic()
    report = Report(list(findings))
    verdicts: dict[int, Verdict] = {}
    hints: dict[int, str] = {}  # probe -> what to try when the run does not reach it

    # ---- sites: one probe per distinct flagged range (an escape: the call it escapes to)
    notebooks: dict[str, _Notebook] = {}
    parsed: dict[str, tuple[str, ast.Module] | None] = {}
    probes: dict[int, _Probe] = {}
    by_key: dict[tuple[str, int, int, int, int], int] = {}
    for i, f in enumerate(findings):
        if f.kind == "file":
            continue
        path = f.path if os.path.isabs(f.path) else os.path.join(cwd, f.path)
        if not os.path.isfile(path):
            verdicts[i] = Verdict("inconclusive", reason=f"no such file: {f.path}")
            continue
        line, col, end_line, end_col, expr = f.line, f.col, f.end_line, f.end_col, f.expr
        if f.cell is not None or path.endswith(".ipynb"):
            nb = notebooks.get(norm_path(path))
            if nb is None:
                nb = notebooks[norm_path(path)] = _Notebook.read(path)
            if nb.error:
                verdicts[i] = Verdict("inconclusive", reason=nb.error)
                continue
            vline = nb.virtual(f.cell, f.line)
            vend = nb.virtual(f.cell, f.end_line) if f.end_line else 0
            if vline is None or vend is None:
                verdicts[i] = Verdict("inconclusive", reason=f"cell {f.cell}, line {f.line} "
                                      "is not in the notebook's code cells")
                continue
            line, end_line = vline, vend
        escape = f.code in ESCAPE_CODES
        if escape:
            call = _escape_call(path, line, col, end_line, end_col, notebooks, parsed)
            if call is None:
                verdicts[i] = Verdict("inconclusive", reason="the flagged argument is not "
                                      "an argument of a call that a probe could observe")
                continue
            line, col, end_line, end_col, expr = call
        key = (norm_path(path), line, col, end_line, end_col)
        pid = by_key.get(key)
        if pid is None:
            pid = len(probes)
            by_key[key] = pid
            probes[pid] = _Probe(Site(pid, line, col, end_line, end_col, expr),
                                 path, key[0], f.kind, escape=escape)
        probes[pid].findings.append(i)
        for step in f.trace:
            where = step.path or f.path
            probes[pid].sources.add((norm_path(where if os.path.isabs(where)
                                               else os.path.join(cwd, where)), step.line))
        if f.kind == "sign":
            probes[pid].kind = "sign"

    # ---- instrument each flagged file in memory
    sources: dict[str, str] = {}
    trees: dict[str, ast.Module] = {}
    files: dict[str, list[_Probe]] = {}
    for p in probes.values():
        files.setdefault(p.npath, []).append(p)
    for npath, plist in files.items():
        try:
            nb = notebooks.get(npath)
            if nb is not None:
                text, problem = nb.text, ""
            else:
                with open(plist[0].path, "rb") as fh:
                    dec = decode_source(fh.read(), plist[0].path)
                text = dec.text
                problem = dec.error.message if dec.error is not None else ""
        except OSError as exc:
            for p in plist:
                p.verdict = Verdict("inconclusive", reason=f"cannot read the file: {exc}")
            continue
        if problem:
            for p in plist:
                p.verdict = Verdict("inconclusive", reason=problem)
            continue
        try:
            trees[npath] = ast.parse(text, filename=plist[0].path)
        except SyntaxError as exc:
            for p in plist:
                p.verdict = Verdict("inconclusive", reason=f"cannot parse: {exc.msg}")
            continue
        inst = instrument(text, [p.site for p in plist], plist[0].path)
        for p in plist:
            placement = inst.placements.get(p.site.id)
            if placement is None or placement.error:
                why = placement.error if placement is not None else "not placed"
                p.verdict = Verdict("inconclusive", reason=f"could not place a probe: {why}")
        if inst.placed:
            sources[os.path.abspath(plist[0].path)] = inst.source
    live = {pid: p for pid, p in probes.items() if p.verdict is None}
    for nb in notebooks.values():
        if nb.skipped and any(p.npath == norm_path(nb.path) for p in live.values()):
            report.notes.append(f"{_rel(nb.path)}: {nb.skipped} IPython line(s) (`%magic`, "
                                "`!shell`) skipped when running its code cells")

    # ---- what to run
    if live:
        if options.command:
            target = parse_command(options.command, cwd)
        else:
            graph = parse_files(python_files(
                list(options.files) or sorted({os.path.dirname(p.path) for p in live.values()})
            ) + [p.path for p in live.values() if p.path.endswith(".py")]) \
                if options.entry is None else None
            entries, unreachable = _plan_snippet(live, trees, options.entry, hints, graph,
                                                 report.notes)
            for pid, why in unreachable.items():
                live[pid].verdict = Verdict("not-reached", reason=why)
            target = {"kind": "snippet", "entries": entries}
        live = {pid: p for pid, p in live.items() if p.verdict is None}
        if target["kind"] == "snippet" and not target["entries"]:
            live = {}

    patches: dict[int, RunData] = {}
    if live:
        base_cfg = {"seed": options.seed, "sources": sources, "target": target}
        procs = _Processes()
        tmp_root = tempfile.mkdtemp(prefix="eiglint-confirm-")
        try:
            specs = [RunSpec("baseline", "baseline", GaugeSpec("identity")),
                     RunSpec("control", "control", GaugeSpec("identity"))]
            specs += [RunSpec(f"gauge {i + 1}", "random",
                              GaugeSpec("random", _seed_for(options.seed, "random", i)))
                      for i in range(options.runs)]
            runs = _run_all(specs, base_cfg, options, tmp_root, 0, procs, progress)
            extra = _second_wave(runs, live, options, report)
            if extra:
                runs += _run_all(extra, base_cfg, options, tmp_root, len(runs), procs,
                                 progress)
            patch_specs = _patch_wave(runs, live)
            if patch_specs:
                patch_runs = _run_all(patch_specs, base_cfg, options, tmp_root, len(runs),
                                      procs, progress)
                for spec, r in zip(patch_specs, patch_runs):
                    if spec.patch is not None:
                        patches[spec.patch] = r.data
                runs += patch_runs
        except BaseException:
            procs.kill_all()
            raise
        finally:
            shutil.rmtree(tmp_root, ignore_errors=True)
        report.runs = runs
        datas = [r.data for r in runs if r.spec.role != "patch"]
        mismatch = call_mismatch(datas)
        if mismatch is not None:
            report.notes.append(f"{mismatch.reason}: the code is nondeterministic, so no "
                                "value computed from it is confirmed (seed it, or disable the "
                                "randomness)")
        for pid, p in live.items():
            p.verdict = judge(p.info(pid), datas, mismatch, patches.get(pid))
            if p.verdict.status == "not-reached" and pid in hints:
                p.verdict = replace(p.verdict, reason=f"{p.verdict.reason}; {hints[pid]}")
        _run_notes(report, runs, probes)

    for p in probes.values():
        for i in p.findings:
            if p.verdict is not None:
                verdicts[i] = p.verdict
    report.findings = [f.with_verdict(verdicts[i]) if i in verdicts else f
                       for i, f in enumerate(findings)]
    report.duration = time.monotonic() - started
    return report


def _second_wave(runs: list[RunResult], live: dict[int, _Probe], options: Options,
                 report: Report) -> list[RunSpec]:
    """Sign sweep and degenerate-eigenspace runs, only for what is still unconfirmed."""
    datas = [r.data for r in runs]
    base = runs[0].data
    infos = {pid: p.info(pid) for pid, p in live.items()}
    # still open: reached, not confirmed yet, and not already lost to the user's own
    # nondeterminism (the control run differed: more gauges cannot change that verdict)
    mismatch = call_mismatch(datas)
    open_ids = [pid for pid, info in infos.items()
                if base.reached(pid) and judge(info, datas, mismatch).status != "confirmed"
                and not control_differs(info, datas, mismatch)]
    extra: list[RunSpec] = []
    k_real = max((int(c.get("k", 0)) for c in base.calls if not c.get("complex")), default=0)
    if k_real and any(live[pid].kind == "sign" for pid in open_ids) and options.sweep > 0:
        n = min(k_real, options.sweep)
        if n < k_real:
            report.notes.append(f"sign sweep limited to the first {n} of {k_real} columns "
                                "(raise --sweep to flip more)")
        extra += [RunSpec(f"flip column {j}", "flip", GaugeSpec("flip", column=j))
                  for j in range(n)]
    clusters = sum(int(c.get("clusters", 0)) for c in base.calls)
    if clusters and options.degenerate and open_ids:
        report.notes.append(f"the baseline met {clusters} cluster(s) of repeated eigen/singular "
                            "values: also mixing inside those eigenspaces")
        extra += [RunSpec(f"mix {i + 1}", "mix",
                          GaugeSpec("random", _seed_for(options.seed, "mix", i), mix=True))
                  for i in range(MIX_RUNS)]
    return extra


def _patch_wave(runs: list[RunResult], live: dict[int, _Probe]) -> list[RunSpec]:
    """One run per probe whose value and some output changed under a gauge: the same gauge,
    with the probe's baseline values replayed (matched by hit order)."""
    datas = [r.data for r in runs]
    base = datas[0]
    mismatch = call_mismatch(datas)
    specs = []
    for pid, p in live.items():
        info = p.info(pid)
        if not base.reached(pid) or not base.hits.get(pid) or \
                control_differs(info, datas, mismatch):
            continue
        target = patch_target(pid, datas)
        if target is None:
            continue
        spec = next(r.spec for r in runs if r.data is target)
        specs.append(RunSpec(f"{spec.label}, probe {pid} replayed", "patch", spec.gauge,
                             patch=pid, patch_hits=list(base.hits[pid]),
                             base_label=spec.label))
    return specs


def _run_notes(report: Report, runs: list[RunResult], probes: dict[int, _Probe]) -> None:
    shown: set[tuple[str, int]] = set()
    for r in runs:
        for e in r.data.torch_errors:
            key = (str(e.get("path")), int(e.get("line", 0)))
            if key in shown:
                continue
            shown.add(key)
            where = f" at {_rel(str(e['path']))}:{e['line']}" if e.get("path") else ""
            report.notes.append(f"torch raised {e.get('op') or 'an'} ill-defined-gradient "
                                f"error{where} ({r.spec.label}): {e.get('message', '')[:160]}")
        for w in r.warnings:
            if w not in report.notes:
                report.notes.append(w)
    base = runs[0]
    if base.data.status != "ok":
        report.notes.append(f"baseline run {base.data.status}: {base.data.error}")
        tail = (base.stderr.strip().splitlines() or [""])[-1]
        if tail and tail not in base.data.error:
            report.notes.append(f"baseline stderr: {tail[:300]}")


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


__all__ = ["ConfirmError", "Options", "Report", "RunResult", "RunSpec", "confirm_findings",
           "parse_command", "paths_with_tests"]
