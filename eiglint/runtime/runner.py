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

Where the probes sit: :mod:`.sites` (an escape, EIG107/EIG207, is probed on the call it
escapes to). What a snippet run calls: :mod:`.plan` (flagged code in a function that needs
arguments runs through the nearest zero-argument caller in the analysed files, :mod:`.entries`;
a notebook runs its code cells in order). A command after ``--``: :mod:`.commands`. One run, a
child process in a private temp directory, killed with its process group after ``--timeout``:
:mod:`.execute`. The verdicts: :mod:`.verdicts`.
"""
from __future__ import annotations

import ast
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Callable

from ..types import Finding, Verdict
from .attribution import patch_target, replay_failed
from .commands import parse_command
from .entries import parse_files, python_files
from .execute import Processes, RunResult, RunSpec, run_all
from .gauge import GaugeSpec
from .hook import norm_path
from .options import ConfirmError, Options
from .plan import plan_snippet
from .probes import Site, instrument, scope_of
from .runs import RunData, call_mismatch, control_differs
from .sites import ESCAPE_CODES, Notebook, Probe, escape_call
from .verdicts import judge

#: extra runs with a unitary mix in degenerate eigenspaces
MIX_RUNS = 2
#: the roles of the runs that replay or inject probe values (not gauge experiments)
PATCH_ROLES = ("patch", "joint", "inject")


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
    notebooks: dict[str, Notebook] = {}
    parsed: dict[str, tuple[str, ast.Module] | None] = {}
    probes: dict[int, Probe] = {}
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
                nb = notebooks[norm_path(path)] = Notebook.read(path)
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
            call = escape_call(path, line, col, end_line, end_col, notebooks, parsed)
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
            probes[pid] = Probe(Site(pid, line, col, end_line, end_col, expr),
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
    files: dict[str, list[Probe]] = {}
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
            entries, unreachable = plan_snippet(live, trees, options.entry, hints, graph,
                                                report.notes)
            for pid, why in unreachable.items():
                live[pid].verdict = Verdict("not-reached", reason=why)
            target = {"kind": "snippet", "entries": entries}
        live = {pid: p for pid, p in live.items() if p.verdict is None}
        if target["kind"] == "snippet" and not target["entries"]:
            live = {}

    patches: dict[int, RunData] = {}
    joints: dict[int, RunData] = {}
    injects: dict[int, RunData] = {}
    if live:
        base_cfg = {"seed": options.seed, "sources": sources, "target": target}
        procs = Processes()
        tmp_root = tempfile.mkdtemp(prefix="eiglint-confirm-")
        try:
            specs = [RunSpec("baseline", "baseline", GaugeSpec("identity")),
                     RunSpec("control", "control", GaugeSpec("identity"))]
            specs += [RunSpec(f"gauge {i + 1}", "random",
                              GaugeSpec("random", _seed_for(options.seed, "random", i)))
                      for i in range(options.runs)]
            runs = run_all(specs, base_cfg, options, tmp_root, 0, procs, progress)
            extra = _second_wave(runs, live, options, report)
            if extra:
                runs += run_all(extra, base_cfg, options, tmp_root, len(runs), procs,
                                progress)
            patch_specs = _patch_wave(runs, live)
            if patch_specs:
                patch_runs = run_all(patch_specs, base_cfg, options, tmp_root, len(runs),
                                     procs, progress)
                for spec, r in zip(patch_specs, patch_runs):
                    for pid in spec.patches:
                        patches[pid] = r.data
                runs += patch_runs
            more_specs = _joint_wave(runs, live, patches, trees)
            if more_specs:
                more_runs = run_all(more_specs, base_cfg, options, tmp_root, len(runs), procs,
                                    progress)
                for spec, r in zip(more_specs, more_runs):
                    for pid in spec.patches:
                        (joints if spec.role == "joint" else injects)[pid] = r.data
                runs += more_runs
        except BaseException:
            procs.kill_all()
            raise
        finally:
            shutil.rmtree(tmp_root, ignore_errors=True)
        report.runs = runs
        datas = [r.data for r in runs if r.spec.role not in PATCH_ROLES]
        mismatch = call_mismatch(datas)
        if mismatch is not None:
            report.notes.append(f"{mismatch.reason}: the code is nondeterministic, so no "
                                "value computed from it is confirmed (seed it, or disable the "
                                "randomness)")
        for pid, p in live.items():
            p.verdict = judge(p.info(pid), datas, mismatch, patches.get(pid), joints.get(pid),
                              injects.get(pid))
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


def _second_wave(runs: list[RunResult], live: dict[int, Probe], options: Options,
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


def _patch_wave(runs: list[RunResult], live: dict[int, Probe]) -> list[RunSpec]:
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
                             patches={pid: list(base.hits[pid])}, base_label=spec.label))
    return specs


def _joint_wave(runs: list[RunResult], live: dict[int, Probe], patches: dict[int, RunData],
                trees: dict[str, ast.Module]) -> list[RunSpec]:
    """For the probes whose replay alone left the output change (one of several causes,
    :func:`~.attribution.replay_failed`): one run per function holding several of them, that
    replays their baseline values together under the gauge of the first one's run (a joint
    cause: ``torch.cat([psi.real, psi.imag])``), and one run per probe that injects the
    values it took under that gauge into a run under the library's own gauge."""
    datas = [r.data for r in runs if r.spec.role not in PATCH_ROLES]
    base = datas[0]
    failed: dict[int, RunData] = {}
    for pid in live:
        target = replay_failed(pid, datas, patches.get(pid))
        if target is not None and target.hits.get(pid):
            failed[pid] = target
    groups: dict[tuple[str, str, str], list[int]] = {}
    for pid in failed:
        p = live[pid]
        tree = trees.get(p.npath)
        scope = scope_of(tree, p.site.line) if tree is not None else None
        groups.setdefault((p.npath, scope.kind if scope else "module",
                           scope.name if scope else ""), []).append(pid)
    specs = []
    for (_, _, name), members in groups.items():
        if len(members) < 2:
            continue
        spec = next(r.spec for r in runs if r.data is failed[members[0]])
        values = ", ".join(f"`{_clip(live[m].site.expr)}` (line {live[m].site.line})"
                           for m in members)
        specs.append(RunSpec(f"{spec.label}, probes {', '.join(map(str, members))} replayed "
                             "together", "joint", spec.gauge,
                             patches={m: list(base.hits[m]) for m in members},
                             base_label=spec.label,
                             about=f"the flagged values {values}" + (f" of `{name}`" if name
                                                                     else "")))
    for pid, target in failed.items():
        spec = next(r.spec for r in runs if r.data is target)
        specs.append(RunSpec(f"identity gauge, probe {pid} injected from {spec.label}",
                             "inject", GaugeSpec("identity"),
                             patches={pid: list(target.hits[pid])}, base_label=spec.label))
    return specs


def _clip(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def _run_notes(report: Report, runs: list[RunResult], probes: dict[int, Probe]) -> None:
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


__all__ = ["Report", "confirm_findings"]
