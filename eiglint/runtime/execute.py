"""Running one confirmation run: a fresh ``sys.executable`` child per run.

Each run gets a private temp directory (config + results stream), removed afterwards whatever
happens; the child (:mod:`eiglint.runtime.bootstrap`) runs in its own process group, same
cwd/env, and a run that exceeds ``--timeout`` has its whole process group killed (so do an
interrupted confirm: :class:`Processes`). The results stream becomes a :class:`RunData`.
"""
from __future__ import annotations

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
from dataclasses import dataclass, field
from typing import Any, Callable

from .gauge import GaugeSpec
from .hook import norm_path
from .observe import exit_leaf, flatten, stdout_leaves
from .options import Options
from .record import ILL_DEFINED, read_stream
from .runs import RunData

#: output kept per run (characters, from the end)
OUTPUT_LIMIT = 64_000

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_BOOT = ("import sys; sys.path.insert(0, {root!r}); "
         "from eiglint.runtime.bootstrap import main; sys.path.pop(0); main(sys.argv[1])")


@dataclass
class RunSpec:
    label: str
    role: str
    gauge: GaugeSpec
    #: a patch run (roles ``patch``, ``joint``, ``inject``): probe -> the values (records, by
    #: hit order) that replace its live ones: the baseline's, under the gauge of the run
    #: labelled ``base_label`` (a replay of one probe, or of several together), or that run's
    #: own, under the identity gauge (an injection)
    patches: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    base_label: str = ""
    #: what was replayed or injected, for the verdicts' messages
    about: str = ""


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


class Processes:
    """Live child processes, so an interrupted confirm kills them all."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.live: set[subprocess.Popen] = set()  # type: ignore[type-arg]

    def kill_all(self) -> None:
        with self.lock:
            procs = list(self.live)
        for p in procs:
            kill_group(p)


def kill_group(proc: subprocess.Popen[bytes]) -> None:
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


def child_env(options: Options) -> dict[str, str]:
    env = dict(options.env if options.env is not None else os.environ)
    env.setdefault("PYTHONHASHSEED", str(options.seed % (2 ** 32 - 1)))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env.setdefault(var, "1")  # deterministic and no oversubscription with parallel runs
    return env


def run_one(spec: RunSpec, base_cfg: dict[str, Any], options: Options, tmp_root: str,
            index: int, procs: Processes) -> RunResult:
    run_dir = tempfile.mkdtemp(prefix=f"run{index}-", dir=tmp_root)
    results = os.path.join(run_dir, "results.pkl")
    cfg = dict(base_cfg, results=results, gauge=spec.gauge.to_json())
    if spec.patches:
        hits_path = os.path.join(run_dir, "patch.pkl")
        with open(hits_path, "wb") as fh:
            pickle.dump(spec.patches, fh, protocol=4)
        cfg["patch"] = {"hits": hits_path}
    cfg_path = os.path.join(run_dir, "config.json")
    with open(cfg_path, "w", encoding="utf-8") as fh:
        json.dump(cfg, fh)
    cmd = [sys.executable, "-c", _BOOT.format(root=_ROOT), cfg_path]
    start = time.monotonic()
    timed_out = False
    out_b, err_b = b"", b""
    proc = subprocess.Popen(cmd, cwd=options.cwd or os.getcwd(), env=child_env(options),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=(os.name == "posix"))
    with procs.lock:
        procs.live.add(proc)
    try:
        try:
            out_b, err_b = proc.communicate(timeout=options.timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            out_b, err_b = proc.communicate()
    finally:
        kill_group(proc)
        with procs.lock:
            procs.live.discard(proc)
    duration = time.monotonic() - start
    data = RunData(label=spec.label, role=spec.role, status="ok", base_label=spec.base_label,
                   about=spec.about)
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
        elif tag == "in_entry" and len(rec) == 3:
            data.entries_of.setdefault(int(rec[1]), set()).add(int(rec[2]))
        elif tag == "patched" and len(rec) == 4:
            if rec[3]:
                data.unpatched.append((int(rec[2]), str(rec[3])))
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


def run_all(specs: Sequence[RunSpec], base_cfg: dict[str, Any], options: Options,
            tmp_root: str, offset: int, procs: Processes,
            progress: Callable[[str], None] | None) -> list[RunResult]:
    jobs = options.jobs or max(1, min(os.cpu_count() or 1, 4))

    def one(i_spec: tuple[int, RunSpec]) -> RunResult:
        i, spec = i_spec
        r = run_one(spec, base_cfg, options, tmp_root, offset + i, procs)
        if progress is not None:
            progress(f"{spec.label}: {r.data.status} in {r.duration:.1f} s"
                     + (f" ({r.data.error})" if r.data.error else ""))
        return r

    if jobs == 1 or len(specs) == 1:
        return [one(x) for x in enumerate(specs)]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, enumerate(specs)))


__all__ = ["OUTPUT_LIMIT", "Processes", "RunResult", "RunSpec", "run_all", "run_one"]
