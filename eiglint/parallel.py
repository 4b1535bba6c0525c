"""Running many files: worker processes, per-file failure isolation, a time budget, the cache.

Each file is linted in a worker process (``-j N``; default: the number of CPUs). A worker that
dies on a file (a native crash of the parser, the kernel's out-of-memory killer) costs only
that file: it gets one EIG903 diagnostic naming the signal, a new worker takes over, and the
run goes on. A file that takes longer than the time budget (``--file-timeout``, default
:data:`DEFAULT_FILE_TIMEOUT` seconds) gets its worker killed and one EIG903 diagnostic.

Cross-module analysis needs the :class:`~eiglint.project.Project`: every worker holds one over
the full list of files (inherited when processes fork, rebuilt when they spawn) and reads the
modules a file imports from disk, lazily. Results are merged in file order and sorted, so the
output does not depend on the number of workers or on which finished first.

With ``jobs=None`` (the library default) files are linted in this process, one after another,
without a time budget.
"""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from . import cache as cache_mod
from . import prefilter, timings
from .pipeline import lint_data
from .project import Project
from .rules import files as file_rules
from .settings import Settings
from .source import file_finding, internal_error, over_budget, too_large, unreadable
from .types import Finding

DEFAULT_FILE_TIMEOUT = 300.0  # seconds of wall time per file in a worker


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return max(os.cpu_count() or 1, 1)


@dataclass
class Outcome:
    """What linting one file gave."""

    path: str
    findings: List[Finding] = field(default_factory=list)
    suppressed: List[Finding] = field(default_factory=list)
    reason: str = ""
    #: content hash of the bytes that were linted ("" when they could not be read)
    digest: str = ""
    cached: bool = False
    #: wall seconds spent on the file and per phase (eiglint.timings; 0 when cached)
    seconds: float = 0.0
    phases: Dict[str, float] = field(default_factory=dict)

    @property
    def analysed(self) -> bool:
        return self.reason.startswith("analysed")


def lint_one(path: str, settings: Settings, debug: bool, project: Optional[Project]) -> Outcome:
    """Lint one file in this process (what a worker does for each file), timed."""
    t0 = time.perf_counter()
    with timings.recording() as phases:
        out = _lint_one(path, settings, debug, project)
    out.seconds = time.perf_counter() - t0
    out.phases = dict(phases)
    return out


def _lint_one(path: str, settings: Settings, debug: bool, project: Optional[Project]
              ) -> Outcome:
    explain: Dict[str, str] = {}
    suppressed: List[Finding] = []
    try:
        size = os.path.getsize(path)
        if size > settings.max_file_size:
            findings = [too_large(path, size, settings)]
            return Outcome(path, findings, [], "not analysed: EIG903 too large")
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return Outcome(path, [unreadable(path, exc)], [], "not analysed: EIG904 unreadable")
    try:
        findings = lint_data(data, path, settings, debug, suppressed, project, explain)
    except (RecursionError, MemoryError):
        findings, suppressed = [over_budget(path)], []
    except Exception as exc:  # noqa: BLE001 - one file never loses the run
        if debug:
            traceback.print_exc()
        findings, suppressed = [internal_error(path, exc)], []
    return Outcome(path, findings, suppressed, explain.get(path, ""),
                   cache_mod.content_hash(data))


# ----------------------------------------------------------------------------- workers


#: allocations between two passes over the young generation in a worker (CPython: 700)
WORKER_GC_THRESHOLD = 50_000


def _fewer_gc_passes() -> None:
    """Let a worker's cyclic garbage collector run less often. ``ast.parse``, libcst and the
    tracker allocate hundreds of thousands of objects per large file, nearly all freed by
    reference counting; at CPython's default threshold the collector re-scans them every 700
    allocations, which costs about a third of ``ast.parse``. Garbage cycles are still collected,
    in larger batches. ``gc.freeze`` moves what the worker inherited (imported modules) out of
    the collector's sight."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, 20, 20)


def _worker(conn: "multiprocessing.connection.Connection", settings: Settings, debug: bool,
            files: Sequence[str], project: Optional[Project]) -> None:
    # the parent handles Ctrl-C; a worker only stops when told or killed
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not debug:
        import faulthandler

        faulthandler.disable()  # a crash is reported as a diagnostic, not as a C traceback
    _fewer_gc_passes()
    if project is None:
        project = Project([f for f in files if f.endswith(".py")], settings)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        path = msg
        try:
            out = lint_one(path, settings, debug, project)
        except BaseException as exc:  # noqa: BLE001 - includes SystemExit from user hooks
            if debug:
                traceback.print_exc()
            out = Outcome(path, [internal_error(path, exc)], [], "not analysed: EIG999")
        try:
            conn.send(out)
        except (OSError, ValueError):
            return


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    # fork: workers share the parent's imports and project map at no cost (Linux). Elsewhere
    # (macOS, Windows) spawn is the safe default.
    if sys.platform.startswith("linux") and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class _Slot:
    def __init__(self, pool: "Pool") -> None:
        ctx = pool.ctx
        parent, child = ctx.Pipe(duplex=True)
        shared = pool.project if ctx.get_start_method() == "fork" else None
        self.proc = ctx.Process(target=_worker, args=(child, pool.settings, pool.debug,
                                                       pool.files, shared),
                                daemon=True)
        self.proc.start()
        child.close()
        self.conn = parent
        self.path: Optional[str] = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            try:
                self.proc.kill()
            except OSError:
                pass
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


class Pool:
    """Worker processes that lint files and survive any one file."""

    def __init__(self, jobs: int, settings: Settings, debug: bool, files: Sequence[str],
                 project: Project, timeout: float = DEFAULT_FILE_TIMEOUT) -> None:
        self.jobs = max(1, jobs)
        self.settings = settings
        self.debug = debug
        self.files = list(files)
        self.project = project
        self.timeout = timeout
        self.ctx = _context()

    def run(self, paths: Sequence[str]) -> Iterator[Outcome]:
        """Outcomes of ``paths``, in the order they finish."""
        todo = list(reversed(paths))
        slots = [_Slot(self) for _ in range(min(self.jobs, len(paths)))]
        try:
            for s in slots:
                self._feed(s, todo)
            while any(s.path is not None for s in slots):
                busy = [s for s in slots if s.path is not None]
                now = time.monotonic()
                wait_for = max(0.0, min(s.started + self.timeout - now for s in busy))
                ready = multiprocessing.connection.wait(
                    [s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for)
                for i, s in enumerate(slots):
                    if s.path is None:
                        continue
                    out: Optional[Outcome] = None
                    if s.conn in ready:
                        try:
                            out = s.conn.recv()
                        except (EOFError, OSError):
                            out = None
                    if out is not None:
                        yield out
                        s.path = None
                        self._feed(s, todo)
                        continue
                    if s.conn in ready or s.proc.sentinel in ready:
                        # the worker died while linting this file
                        s.proc.join(timeout=5)
                        lost = _crashed(s.path, s.proc.exitcode)
                    elif time.monotonic() - s.started >= self.timeout:
                        lost = _timed_out(s.path, self.timeout)
                        s.stop(kill=True)
                    else:
                        continue
                    lost.seconds = time.monotonic() - s.started
                    yield lost
                    s.stop(kill=True)
                    slots[i] = s = _Slot(self)
                    self._feed(s, todo)
        except BaseException:
            # Ctrl-C (or the caller stopped reading): do not wait for files being linted
            for s in slots:
                s.stop(kill=True)
            raise
        else:
            for s in slots:
                s.stop()

    @staticmethod
    def _feed(s: _Slot, todo: List[str]) -> None:
        if todo:
            s.path = todo.pop()
            s.started = time.monotonic()
            s.conn.send(s.path)
        else:
            s.path = None


def _crashed(path: str, exitcode: Optional[int]) -> Outcome:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"signal {-exitcode} ({signal.Signals(-exitcode).name})"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit status {exitcode}"
    return Outcome(path, [file_finding(
        path, file_rules.TOO_COMPLEX,
        f"cannot analyse: the parser crashed on this file ({how}); the other files were "
        "linted")], [], f"not analysed: EIG903 worker crashed ({how})")


def _timed_out(path: str, budget: float) -> Outcome:
    return Outcome(path, [file_finding(
        path, file_rules.TOO_COMPLEX,
        f"cannot analyse: the analysis exceeded the time budget of {budget:g} s per file "
        "(--file-timeout)")], [], f"not analysed: EIG903 time budget of {budget:g} s exceeded")


# ----------------------------------------------------------------------------- a run


@dataclass
class RunStats:
    files: int = 0
    analysed: int = 0
    cache_hits: int = 0
    seconds: float = 0.0
    #: wall seconds of this process's own work before the first file is linted (serial: the
    #: workers wait for it), by step (:data:`eiglint.timings.SETUP_STEPS`)
    setup: Dict[str, float] = field(default_factory=dict)


def _plan_keys(files: Sequence[str], settings: Settings, project: Project
               ) -> Tuple[Dict[str, str], Dict[str, str]]:
    """Cache keys and content hashes of the files (path -> key, path -> hash); unreadable
    or too large files get none."""
    skey = cache_mod.settings_digest(settings)
    nodes: Dict[str, Tuple[str, Sequence[str]]] = {}
    abs_of: Dict[str, str] = {}
    todo: List[str] = []
    for f in files:
        a = os.path.abspath(f)
        abs_of[f] = a
        todo.append(a)
    while todo:
        a = todo.pop()
        if a in nodes:
            continue
        try:
            if os.path.getsize(a) > settings.max_file_size:
                continue
            with open(a, "rb") as fh:
                data = fh.read()
        except OSError:
            continue
        deps: Sequence[str] = ()
        if a.endswith(".py"):
            deps = prefilter.imported_paths(data.decode("utf-8", "replace"), a, project)
            todo.extend(d for d in deps if d not in nodes)
        nodes[a] = (cache_mod.content_hash(data), deps)
    digests = cache_mod.dependency_digests(nodes)
    out: Dict[str, str] = {}
    hashes: Dict[str, str] = {}
    for f in files:
        a = abs_of[f]
        if a in digests:
            out[f] = cache_mod.entry_key(skey, f, digests[a])
            hashes[f] = nodes[a][0]
    return out, hashes


def lint_files(files: Sequence[str], settings: Settings, debug: bool = False,
               jobs: Optional[int] = None, cache: Optional[cache_mod.Cache] = None,
               timeout: float = DEFAULT_FILE_TIMEOUT, project: Optional[Project] = None,
               stats: Optional[RunStats] = None) -> List[Outcome]:
    """Lint ``files``; outcomes in the order of ``files`` (deterministic for any ``jobs``)."""
    t0 = time.perf_counter()
    setup: Dict[str, float] = {}
    if project is None:
        project = Project([f for f in files if f.endswith(".py")], settings)
    setup["project"] = time.perf_counter() - t0
    outcomes: Dict[str, Outcome] = {}
    keys: Dict[str, str] = {}
    hashes: Dict[str, str] = {}
    if cache is not None:
        t1 = time.perf_counter()
        keys, hashes = _plan_keys(files, settings, project)
        for f in files:
            k = keys.get(f)
            if k is None:
                continue
            entry = cache.get(k)
            if entry is not None:
                outcomes[f] = Outcome(f, entry.findings, entry.suppressed, entry.reason,
                                      cached=True)
        setup["cache"] = time.perf_counter() - t1
    misses = [f for f in dict.fromkeys(files) if f not in outcomes]
    if jobs is None or not misses:
        results: Iterator[Outcome] = (lint_one(f, settings, debug, project) for f in misses)
    else:
        if any(not f.endswith(".ipynb") for f in misses) and _context().get_start_method() \
                == "fork":
            t1 = time.perf_counter()
            # libcst once, before forking. The charge index is not built here: each worker
            # builds the part its files ask for (eiglint.prefilter), at the same time as the
            # others; built here, all of it would be serial (torch: +0.4 s wall to a 2.2 s run)
            from . import tracker  # noqa: F401
            setup["libcst import"] = time.perf_counter() - t1
        results = Pool(jobs, settings, debug, files, project, timeout).run(
            _largest_first(misses))
    for out in results:
        outcomes[out.path] = out
        k = keys.get(out.path)
        # a file that changed while it was linted is not stored under its old key
        if cache is not None and k is not None and out.digest and not _transient(out) and \
                out.digest == hashes.get(out.path):
            cache.put(k, cache_mod.Entry(out.findings, out.suppressed, out.reason))
    ordered = [outcomes[f] for f in dict.fromkeys(files)]
    if stats is not None:
        stats.files = len(ordered)
        stats.analysed = sum(1 for o in ordered if o.analysed)
        stats.cache_hits = sum(1 for o in ordered if o.cached)
        stats.seconds = time.perf_counter() - t0
        stats.setup = setup
    return ordered


def _largest_first(paths: List[str]) -> List[str]:
    """Dispatch order for the workers: the largest files first, so that one big file does not
    start last and keep one worker busy while the others idle (results are re-ordered)."""
    def size(p: str) -> int:
        try:
            return os.path.getsize(p)
        except OSError:
            return 0

    return sorted(paths, key=size, reverse=True)


def _transient(out: Outcome) -> bool:
    """Outcomes that depend on the machine rather than the file are not cached."""
    return any(f.code in ("EIG904", "EIG999") or (f.code == "EIG903" and (
        "time budget" in f.message or "crashed" in f.message)) for f in out.findings)
