"""Decide a verdict per probe from the runs' records.

How one record differs from its baseline (the dtype-aware tolerances) is
:mod:`eiglint.runtime.compare`.
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..types import Verdict
from .compare import (
    ILL_CONDITIONED_RTOL,
    UNIT_ROUNDOFF,
    Diff,
    compare,
)
from .covariance import covariant
from .fingerprints import same_fingerprint
from .observe import compare_printed, keys_in_order

#: decompositions of a run compared with the control's (the input fingerprints)
MAX_CALLS_COMPARED = 10_000


# ---------------------------------------------------------------------------- runs
@dataclass
class RunData:
    """What the verdicts need from one run (filled by the runner)."""

    label: str
    role: str  # baseline | control | random | flip | mix
    status: str  # ok | failed | timeout | crashed | error
    error: str = ""
    done: bool = False
    hits: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    torch_errors: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: failed entries: (normalised path of the snippet file, or "" for a command; status; error)
    failures: list[tuple[str, str, str]] = field(default_factory=list)
    #: exceptions the run ended with: (normalised path, line of the innermost frame in a
    #: flagged file, ``Type: message``)
    raised: list[tuple[str, int, str]] = field(default_factory=list)
    #: observable outputs, flattened (:mod:`.observe`): key -> value record
    obs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: a patch run: the hits of the patched probe that could not be replaced (index, why)
    unpatched: list[tuple[int, str]] = field(default_factory=list)
    #: a patch run: how many hits were replaced by their baseline values
    patched: int = 0
    #: a patch run: the label of the gauged run whose gauge it repeats
    base_label: str = ""

    def failure_for(self, path: str) -> tuple[str, str]:
        """(status, error) of the entry that ran ``path`` (a command runs everything)."""
        for p, status, error in self.failures:
            if not p or p == path:
                return status, error
        return "ok", ""

    def reached(self, pid: int) -> bool:
        return bool(self.hits.get(pid)) or self.counts.get(pid, 0) > 0

    def count(self, pid: int) -> int | None:
        if self.done:
            return self.counts.get(pid, 0)
        return None


@dataclass(frozen=True)
class ProbeInfo:
    """A probe as the verdict sees it."""

    id: int
    path: str  # normalised
    line: int
    end_line: int
    kind: str  # phase | sign
    #: the decomposition calls the value comes from: (normalised path, line) of the steps of
    #: the finding's trace (empty: unknown)
    sources: tuple[tuple[str, int], ...] = ()
    #: the probe sits on the call of an escape (EIG107/EIG207): its value is the call's result
    escape: bool = False


def cond_floor(calls: Sequence[dict[str, Any]]) -> tuple[float, float | None]:
    """``(rtol floor, max cond)`` from the ``eig`` calls of the baseline."""
    floor = 0.0
    worst: float | None = None
    for c in calls:
        cond = c.get("cond")
        if cond is None or not math.isfinite(cond):
            if cond is not None:
                return math.inf, math.inf
            continue
        u = UNIT_ROUNDOFF.get(str(c.get("dtype")), 1.1e-16)
        floor = max(floor, 10.0 * cond * u)
        worst = cond if worst is None else max(worst, cond)
    return floor, worst


def _fmt(x: float) -> str:
    return f"{x:.2g}"


def _compare_runs(pid: int, base: RunData, other: RunData, floor: float) -> Diff:
    """Hit-by-hit comparison of one probe; a different number of hits is a change too."""
    out = Diff(comparable=False)
    for a, b in zip(base.hits.get(pid, []), other.hits.get(pid, [])):
        d = compare(a, b, floor)
        if not d.comparable:
            continue
        out = d if not out.comparable else out.merge(d)
    cb, co = base.count(pid), other.count(pid)
    if cb is not None and co is not None and cb != co:
        out.changed = True
        out.comparable = True
        out.structural = out.structural or f"evaluated {co} times instead of {cb}"
    return out


def _where(call: dict[str, Any]) -> str:
    path = str(call.get("path") or "")
    if not path:
        return f"`{call.get('api')}`"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        rel = path
    return f"`{call.get('api')}` ({path if rel.startswith('..') else rel}:{call.get('line')})"


@dataclass
class Mismatch:
    """The runs did not all decompose the same matrices: the user's own nondeterminism."""

    reason: str
    #: (normalised path, line) of the calls whose input differed
    sites: set[tuple[str, int]] = field(default_factory=set)
    #: the difference cannot be pinned to call sites (another number of calls)
    everywhere: bool = False

    def concerns(self, probe: ProbeInfo) -> bool:
        """Could the probe's value come from the differing data? Yes unless its sources are
        known and none of them decomposed another matrix."""
        if self.everywhere or not probe.sources:
            return True
        return any((_norm(p), line) in self.sites for p, line in probe.sources)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.realpath(path)) if path else ""


def _site(call: dict[str, Any]) -> tuple[str, int]:
    return _norm(str(call.get("path") or "")), int(call.get("line") or 0)


def call_mismatch(runs: Sequence[RunData]) -> Mismatch | None:
    """How the runs did not all decompose the same matrices (None when they did).

    The control run (same gauge as the baseline) must decompose exactly the baseline's
    matrices, and every run the same first matrix (nothing was re-gauged before it). A
    flagged value of few possible values (a count, a boolean) can agree between baseline and
    control by chance on random data; the matrices (continuous data) do not.
    """
    base = next((r for r in runs if r.role == "baseline"), None)
    if base is None or not base.done:
        return None
    out: Mismatch | None = None
    control = next((r for r in runs if r.role == "control"), None)
    if control is not None and control.done:
        bc, cc = base.calls, control.calls
        if len(bc) != len(cc):
            out = Mismatch(f"the control run made {len(cc)} decomposition(s), the baseline "
                           f"{len(bc)}", everywhere=True)
        else:
            for a, b in zip(bc[:MAX_CALLS_COMPARED], cc[:MAX_CALLS_COMPARED]):
                if a.get("api") != b.get("api") or not same_fingerprint(a.get("fp"),
                                                                        b.get("fp")):
                    if out is None:
                        out = Mismatch("the control run decomposed another matrix than the "
                                       f"baseline at {_where(a)}")
                    out.sites.add(_site(a))
    if base.calls:
        first = base.calls[0]
        for r in runs:
            if r.role in ("random", "flip", "mix") and r.calls and not same_fingerprint(
                    first.get("fp"), r.calls[0].get("fp")):
                if out is None:
                    out = Mismatch(f"{r.label} decomposed another first matrix than the "
                                   f"baseline at {_where(first)}")
                out.sites.add(_site(first))
                break
    return out


_UNSET: Any = object()


def judge(probe: ProbeInfo, runs: Sequence[RunData], mismatch: Mismatch | None = _UNSET,
          patch: RunData | None = None) -> Verdict:
    """The verdict of one probe. ``mismatch``: :func:`call_mismatch` of ``runs``, when the
    caller computed it once for all probes. ``patch``: the run that replayed the probe's
    baseline values under the gauge of :func:`patch_target` (attribution by intervention).

    A probe is ``confirmed`` only when its gauge dependence reaches an observable output:
    an output changes under a gauge (not in the control) and the probe's value is a cause
    of it (replaying its baseline value removes or shrinks the change; the covariance test
    when it cannot be replayed). A value that changes only by unit factors per row/column
    carries the gauge (``not-reproduced``); one that breaks it while no output changes is
    ``not-observable``."""
    if mismatch is _UNSET:
        mismatch = call_mismatch(runs)
    if mismatch is not None and not mismatch.concerns(probe):
        mismatch = None
    base = next((r for r in runs if r.role == "baseline"), None)
    if base is None:
        return Verdict("inconclusive", reason="no baseline run")
    control = next((r for r in runs if r.role == "control"), None)
    perturbed = [r for r in runs if r.role in ("random", "flip", "mix")]
    floor, worst_cond = cond_floor(base.calls)
    torch_hit = _torch_error_for(probe, runs)
    reached_runs = sum(1 for r in runs if r.reached(probe.id))

    if not base.reached(probe.id):
        others = [r for r in perturbed if r.reached(probe.id)]
        control_reached = control is not None and control.reached(probe.id)
        if torch_hit:
            return Verdict("confirmed", None, reached_runs, torch_hit)
        if others and control is not None and not control_reached and control.done:
            if mismatch:
                return _unsure(f"reached only under another gauge ({others[0].label})",
                               mismatch, reached_runs)
            what = (f"reached only under another gauge ({others[0].label}): the control flow "
                    "depends on the gauge")
            seen = [(r, oc) for r in others if (oc := output_change(base, r, control))]
            if not seen:
                return Verdict("not-observable", None, reached_runs,
                               f"{what}, but no output changed ({_OUTPUTS}): repaired or "
                               "discarded downstream, for this input")
            return Verdict("confirmed", None, reached_runs,
                           f"{what}; outputs changed ({_describe(seen[0][1])}, "
                           f"{seen[0][0].label})")
        raised_here = _raised_here(probe, base)
        if raised_here is not None:
            return Verdict("inconclusive", None, 0,
                           "the baseline run (the library's own gauge) already raised here: "
                           f"`{_clip(' '.join(raised_here.split()), 120)}`")
        if base.status in ("timeout", "crashed"):
            return Verdict("inconclusive", None, 0,
                           f"baseline run {base.status} before reaching it{_err(base)}")
        status, error = base.failure_for(probe.path) if base.failures else (base.status,
                                                                            base.error)
        why = f" ({error})" if error else ""
        if status == "error":
            return Verdict("inconclusive", None, 0,
                           f"the baseline run raised an exception before reaching it{why}")
        if status != "ok" and error:
            return Verdict("not-reached", None, 0, f"the probe never ran; the run stopped "
                                                   f"early{why}")
        return Verdict("not-reached", None, 0,
                       "the probe never ran: the executed code did not evaluate this "
                       "expression")

    # reached in the baseline: the control must agree before any change means anything
    if control is None:
        return Verdict("inconclusive", None, reached_runs, "no control run")
    if not control.reached(probe.id):
        why = f"control run {control.status}{_err(control)}" if control.status != "ok" else \
            "the control run (same gauge as the baseline) did not reach it: the code is " \
            "nondeterministic"
        return Verdict("inconclusive", None, reached_runs, why)
    cdiff = _compare_runs(probe.id, base, control, floor)
    if cdiff.changed:
        what = cdiff.structural or f"max change {_fmt(cdiff.magnitude)}"
        return Verdict("inconclusive", None if cdiff.structural else cdiff.magnitude,
                       reached_runs,
                       f"the control run with the same gauge as the baseline differed ({what}): "
                       "the code is nondeterministic (seed it, or disable the randomness)")

    raised = _raised_at(probe, perturbed, [base, control])
    if raised:
        first_run, first_error = raised[0]
        first_error = " ".join(first_error.split())  # numpy's messages span lines
        if mismatch:
            return _unsure(f"raised `{_clip(first_error, 120)}` here under {first_run.label}",
                           mismatch, reached_runs)
        roles = sorted({r.role for r, _ in raised})
        tried = ", ".join(_role_name(k, sum(1 for r in perturbed if r.role == k)) for k in roles)
        what = (f"raised `{_clip(first_error, 120)}` here under {len(raised)} of {tried} "
                f"(first: {first_run.label}); the baseline and the control did not")
        seen = [(r, oc) for r, _ in raised if (oc := output_change(base, r, control))]
        if not seen:
            return Verdict("not-observable", None, reached_runs,
                           f"{what}, but the exception was handled and no output changed "
                           f"({_OUTPUTS})")
        return Verdict("confirmed", None, reached_runs,
                       f"{what}; outputs changed ({_describe(seen[0][1])})")

    changed: list[tuple[RunData, Diff]] = []
    compared: list[RunData] = []
    noisy = False
    incomparable = False
    max_seen = cdiff.magnitude
    for r in perturbed:
        if not r.reached(probe.id):
            continue
        d = _compare_runs(probe.id, base, r, floor)
        if not d.comparable:
            incomparable = True
            continue
        compared.append(r)
        max_seen = max(max_seen, d.magnitude)
        noisy = noisy or d.within_noise
        if d.changed:
            changed.append((r, d))
    if changed:
        mags = [d.magnitude for _, d in changed if not d.structural]
        max_change = max(mags) if mags else None
        reason = _changed_reason(changed, compared)
        if torch_hit:
            return Verdict("confirmed", max_change, reached_runs, reason + "; " + torch_hit)
        if mismatch:
            return _unsure(reason, mismatch, reached_runs, max_change)
        return _through_outputs(probe, base, control, changed, reason, max_change,
                                reached_runs, floor, patch)
    if torch_hit:
        return Verdict("confirmed", max_seen, reached_runs, torch_hit)
    if not compared:
        if incomparable:
            return Verdict("inconclusive", None, reached_runs,
                           "the value cannot be compared across runs (an opaque object)")
        failed = [r for r in perturbed if r.status != "ok"]
        why = f"; {failed[0].label} {failed[0].status}{_err(failed[0])}" if failed else ""
        return Verdict("inconclusive", None, reached_runs,
                       f"no perturbed run reached it{why}")
    if noisy and floor > ILL_CONDITIONED_RTOL:
        return Verdict("inconclusive", max_seen, reached_runs,
                       f"ill-conditioned eigenvectors (cond(V) ~ {_fmt(worst_cond or math.inf)}): "
                       f"the change {_fmt(max_seen)} is within the numerical noise")
    kinds = sorted({r.role for r in compared})
    tried = ", ".join(_role_name(k, sum(1 for r in compared if r.role == k)) for k in kinds)
    hint = "a false positive of the analysis, or invariant by coincidence for this input"
    if probe.kind == "phase":
        hint += " (e.g. eigenvectors that happen to be real)"
    here = [c for c in base.calls if _same_file(str(c.get("path", "")), probe.path)]
    real_eig = sorted({str(c.get("api")) for c in (here or base.calls) if not c.get("complex")
                       and str(c.get("api")).rsplit(".", 1)[-1] in ("eig", "eigs")})
    if probe.kind == "phase" and real_eig:
        hint += (f"; {', '.join(real_eig)} returned real eigenvectors here (all eigenvalues "
                 "real), so only their signs could be changed without changing their dtype")
    if probe.escape:
        return Verdict("not-reproduced", max_seen, reached_runs,
                       f"reached, but the call's result never changed beyond the tolerance "
                       f"under {tried} (max change {_fmt(max_seen)}): the callee is invariant "
                       "(its argument's gauge does not reach its result), for this input")
    return Verdict("not-reproduced", max_seen, reached_runs,
                   f"reached, but the value never changed beyond the tolerance under {tried} "
                   f"(max change {_fmt(max_seen)}): {hint}")


#: what counts as an output, for the messages
_OUTPUTS = "return value, printed output, exit status, test outcomes, gradients"


def compare_outputs(base: RunData, other: RunData) -> dict[str, Diff]:
    """The observable outputs of ``other`` that differ from the baseline's: key -> Diff."""
    out: dict[str, Diff] = {}
    for key in keys_in_order(base.obs, other.obs):
        a, b = base.obs.get(key), other.obs.get(key)
        if a is None or b is None:
            out[key] = Diff(True, structural="missing in the baseline" if a is None else
                            "missing")
            continue
        if a.get("k") == "printed" or b.get("k") == "printed":
            if a.get("k") != b.get("k"):
                out[key] = Diff(True, structural="changed")
                continue
            changed, mag, n = compare_printed(a, b)
            if changed:
                finite = math.isfinite(mag)
                out[key] = Diff(True, mag if finite else 0.0,
                                "" if finite else "numbers changed", count=n)
            continue
        d = compare(a, b)
        if d.changed:
            out[key] = d
    return out


def output_change(base: RunData, run: RunData, control: RunData | None) -> dict[str, Diff]:
    """Outputs of ``run`` that differ from the baseline's, except those that also differ in
    the control run (the user's own nondeterminism: timings, addresses)."""
    noisy = set(compare_outputs(base, control)) if control is not None else set()
    return {k: d for k, d in compare_outputs(base, run).items() if k not in noisy}


def _describe(changes: dict[str, Diff], n: int = 3) -> str:
    parts = []
    for key, d in list(changes.items())[:n]:
        parts.append(f"`{key}` " + (d.structural or f"max change {_fmt(d.magnitude)}"))
    more = len(changes) - n
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def improved(before: dict[str, Diff], after: dict[str, Diff]) -> list[str]:
    """Outputs whose change (``before``: gauged run vs baseline) disappeared or shrank in
    ``after`` (the same gauge with one value replayed from the baseline)."""
    out = []
    for key, d in before.items():
        a = after.get(key)
        if a is None:
            out.append(key)
        elif not d.structural and not a.structural and (
                a.count < d.count or a.magnitude < 0.5 * d.magnitude):
            out.append(key)
    return out


def covariance_of(pid: int, base: RunData, run: RunData) -> str:
    """How the probe's changed hits in ``run`` are only re-gauged copies of the baseline's
    ('' when one of them breaks the gauge, or cannot be told)."""
    kinds = []
    for a, b in zip(base.hits.get(pid, []), run.hits.get(pid, [])):
        if not compare(a, b).changed:
            continue
        how = covariant(a, b)
        if not how:
            return ""
        kinds.append(how)
    if base.count(pid) != run.count(pid):
        return ""
    return ", ".join(sorted(set(kinds)))


def patch_target(pid: int, runs: Sequence[RunData]) -> RunData | None:
    """The gauged run whose output change a patch run should try to undo for probe ``pid``:
    the first perturbed run where the probe's value changed and an output changed too."""
    base = next((r for r in runs if r.role == "baseline"), None)
    control = next((r for r in runs if r.role == "control"), None)
    if base is None or not base.reached(pid):
        return None
    floor, _ = cond_floor(base.calls)
    for r in runs:
        if r.role not in ("random", "flip", "mix") or not r.reached(pid):
            continue
        d = _compare_runs(pid, base, r, floor)
        if d.comparable and d.changed and output_change(base, r, control):
            return r
    return None


def _through_outputs(probe: ProbeInfo, base: RunData, control: RunData,
                     changed: list[tuple[RunData, Diff]], reason: str,
                     max_change: float | None, reached: int, floor: float,
                     patch: RunData | None) -> Verdict:
    """The verdict of a value that changed under a gauge: does the change reach an output,
    through this value?"""
    subject = "the call's result" if probe.escape else "the value"
    reason = f"{subject} {reason}" if probe.escape else reason
    cov = {r.label: covariance_of(probe.id, base, r) for r, _ in changed}
    how = next((c for c in cov.values() if c), "")
    carries = bool(cov) and all(cov.values())
    carry_msg = (f"{subject} changes only by unit-modulus factors ({how} sign/phase): it "
                 "carries the gauge, this operation does not break it")
    outs = [(r, oc) for r, _ in changed if (oc := output_change(base, r, control))]
    if not outs:
        if carries:
            return Verdict("not-reproduced", max_change, reached,
                           f"{carry_msg} (and no output changed; {reason})")
        return Verdict("not-observable", max_change, reached,
                       f"{reason}, but no output changed ({_OUTPUTS}): the break is "
                       "repaired or discarded downstream, for this input")
    target = next(((r, oc) for r, oc in outs if patch is not None
                   and r.label == patch.base_label), outs[0])
    run, oc = target
    what = f"outputs changed under {run.label} ({_describe(oc)})"
    if patch is not None and patch.done and patch.patched:
        after = output_change(base, patch, control)
        better = improved(oc, after)
        partial = (f"; {len(patch.unpatched)} hit(s) could not be replayed"
                   if patch.unpatched else "")
        if better and carries:
            return Verdict("not-reproduced", max_change, reached,
                           f"{carry_msg} here; {what}, and replaying {subject}'s baseline "
                           "value removed that change: the gauge it carries is broken "
                           f"downstream of it{partial}")
        if better:
            gone = all(k not in after for k in oc)
            return Verdict("confirmed", max_change, reached,
                           f"{reason}; {what}; replaying {subject}'s baseline value under the "
                           f"same gauge {'removed' if gone else 'shrank'} the change of "
                           f"{', '.join('`' + k + '`' for k in better[:3])}{partial}")
        if carries:
            return Verdict("not-reproduced", max_change, reached,
                           f"{carry_msg}; {what}, but not through it: with its baseline "
                           f"value replayed the change stayed{partial}")
        return Verdict("not-observable", max_change, reached,
                       f"{reason}; {what}, but not through this value: with its baseline "
                       f"value replayed under the same gauge the change stayed{partial}")
    why = (patch.unpatched[0][1] if patch is not None and patch.unpatched else
           patch.error if patch is not None and patch.error else "no patch run")
    if carries:
        return Verdict("not-reproduced", max_change, reached,
                       f"{carry_msg}; {what} ({subject} could not be replayed: {why})")
    return Verdict("confirmed", max_change, reached,
                   f"{reason}; {what}; attributed by the covariance test ({subject} could "
                   f"not be replayed: {why}): it breaks the gauge, it does not carry it")


def _unsure(what: str, mismatch: Mismatch, runs: int, change: float | None = None
            ) -> Verdict:
    return Verdict("inconclusive", change, runs,
                   f"{what}, but {mismatch.reason}: the code is nondeterministic (seed it, or "
                   "disable the randomness)")


def control_differs(probe: ProbeInfo, runs: Sequence[RunData],
                    mismatch: Mismatch | None = _UNSET) -> bool:
    """The baseline reached the probe and the control run (same gauge) did not agree, or
    the runs decomposed different matrices: the code is nondeterministic, and no further
    gauge can confirm anything."""
    base = next((r for r in runs if r.role == "baseline"), None)
    control = next((r for r in runs if r.role == "control"), None)
    if base is None or control is None or not base.reached(probe.id):
        return False
    if mismatch is _UNSET:
        mismatch = call_mismatch(runs)
    if mismatch is not None and mismatch.concerns(probe):
        return True
    if not control.reached(probe.id):
        return control.status == "ok"
    floor, _ = cond_floor(base.calls)
    return _compare_runs(probe.id, base, control, floor).changed


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 3] + "..."


def _raised_at(probe: ProbeInfo, perturbed: Sequence[RunData],
               unperturbed: Sequence[RunData]) -> list[tuple[RunData, str]]:
    """Perturbed runs that raised on the probe's own lines (an ``assert_allclose`` of a
    gauge-carrying value fails instead of returning a value), while no unperturbed run did."""
    if any(_raised_here(probe, r) is not None for r in unperturbed):
        return []
    out = []
    for r in perturbed:
        error = _raised_here(probe, r)
        if error is not None:
            out.append((r, error))
    return out


def _raised_here(probe: ProbeInfo, run: RunData) -> str | None:
    """The error the run raised on the probe's own lines, if any."""
    for path, line, error in run.raised:
        if _same_file(path, probe.path) and probe.line <= line <= max(probe.end_line,
                                                                      probe.line):
            return error
    return None


def _same_file(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def _role_name(role: str, n: int) -> str:
    return {"random": f"{n} random gauge{'s' * (n != 1)}",
            "flip": f"{n} single-column sign flip{'s' * (n != 1)}",
            "mix": f"{n} unitary mix{'es' * (n != 1)} in degenerate eigenspaces"}.get(role, role)


def _changed_reason(changed: list[tuple[RunData, Diff]], compared: list[RunData]) -> str:
    parts = []
    for role in ("random", "flip", "mix"):
        hit = [r for r, _ in changed if r.role == role]
        tried = [r for r in compared if r.role == role]
        if not hit:
            continue
        if role == "random":
            parts.append(f"changed under {len(hit)}/{len(tried)} random gauges")
        elif role == "flip":
            cols = ", ".join(r.label.rsplit(" ", 1)[-1] for r in hit)
            parts.append(f"changed when flipping the sign of column {cols} alone "
                         f"({len(hit)}/{len(tried)} single-column flips)")
        else:
            only = not any(r.role != "mix" for r, _ in changed)
            parts.append(("changed only" if only else "also changed") +
                         " under a random unitary mix inside a cluster of repeated "
                         "eigen/singular values (degenerate eigenspace)")
    structural = next((d.structural for _, d in changed if d.structural), "")
    if structural:
        parts.append(structural)
    return "; ".join(parts)


def _err(run: RunData) -> str:
    return f" ({run.error})" if run.error else ""


def _torch_error_for(probe: ProbeInfo, runs: Sequence[RunData]) -> str:
    """Torch's error, if it concerns this probe: the failing loss was computed from the
    probed value (its autograd node is upstream of the loss), or it was raised on the
    probe's own lines."""
    for r in runs:
        for e in r.torch_errors:
            upstream = probe.id in (e.get("probes") or ())
            here = e.get("path") == probe.path and probe.line <= int(e.get("line", 0)) <= max(
                probe.end_line, probe.line)
            if upstream or here:
                op = e.get("op") or "torch"
                where = f" at line {e.get('line')}" if e.get("line") else ""
                how = "by a backward pass through this value" if upstream and not here else ""
                return (f"torch raised its ill-defined-gradient error ({op}: "
                        f"'...specified up to multiplication by...'){where}"
                        + (f" {how}" if how else "") + f" ({r.label})")
    return ""


__all__ = ["Diff", "Mismatch", "ProbeInfo", "RunData", "call_mismatch", "compare",
           "compare_outputs", "cond_floor", "control_differs", "covariance_of", "improved",
           "judge", "output_change", "patch_target"]
