"""Decide a verdict per probe from the runs' records.

The runs and their consistency (control, nondeterminism) are :mod:`eiglint.runtime.runs`; how
one record differs from its baseline (the dtype-aware tolerances) is
:mod:`eiglint.runtime.compare`; whether a change reaches an output through the probed value
(patch runs, the covariance test) is :mod:`eiglint.runtime.attribution`.
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence

from ..types import Verdict
from .attribution import OUTPUTS, describe, output_change, through_outputs
from .compare import ILL_CONDITIONED_RTOL, Diff
from .runs import (
    UNSET,
    Mismatch,
    ProbeInfo,
    RunData,
    call_mismatch,
    compare_probe,
    cond_floor,
    fmt,
)


def judge(probe: ProbeInfo, runs: Sequence[RunData], mismatch: Mismatch | None = UNSET,
          patch: RunData | None = None, joint: RunData | None = None,
          inject: RunData | None = None) -> Verdict:
    """The verdict of one probe. ``mismatch``: :func:`call_mismatch` of ``runs``, when the
    caller computed it once for all probes. ``patch``: the run that replayed the probe's
    baseline values under the gauge of :func:`patch_target` (attribution by intervention);
    when that did not remove the output change (:func:`replay_failed`), ``joint``: the run
    that replayed them together with the other such flagged values of the same function,
    and ``inject``: the run that injected the values the probe took under that gauge into a
    run under the library's own gauge.

    A probe is ``confirmed`` only when its gauge dependence reaches an observable output:
    an output changes under a gauge (not in the control) and the probe's value is a cause
    of it (replaying its baseline value removes or shrinks the change, alone or together with
    the other flagged values of its function; or injecting its gauged value into an ungauged
    run changes that output too; the covariance test when it cannot be replayed). A value
    that changes only by unit factors per row/column carries the gauge (``not-reproduced``);
    one that breaks it while no output changes is ``not-observable``."""
    if mismatch is UNSET:
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
            seen = [(r, oc) for r in others if (oc := output_change(base, r, control, probe.id))]
            if not seen:
                return Verdict("not-observable", None, reached_runs,
                               f"{what}, but no output changed ({OUTPUTS}): repaired or "
                               "discarded downstream, for this input")
            return Verdict("confirmed", None, reached_runs,
                           f"{what}; outputs changed ({describe(seen[0][1])}, "
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
    cdiff = compare_probe(probe.id, base, control, floor)
    if cdiff.changed:
        what = cdiff.structural or f"max change {fmt(cdiff.magnitude)}"
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
        seen = [(r, oc) for r, _ in raised if (oc := output_change(base, r, control, probe.id))]
        if not seen:
            return Verdict("not-observable", None, reached_runs,
                           f"{what}, but the exception was handled and no output changed "
                           f"({OUTPUTS})")
        return Verdict("confirmed", None, reached_runs,
                       f"{what}; outputs changed ({describe(seen[0][1])})")

    changed: list[tuple[RunData, Diff]] = []
    compared: list[RunData] = []
    noisy = False
    incomparable = False
    max_seen = cdiff.magnitude
    for r in perturbed:
        if not r.reached(probe.id):
            continue
        d = compare_probe(probe.id, base, r, floor)
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
        return through_outputs(probe, base, control, changed, reason, max_change,
                               reached_runs, floor, patch, joint, inject)
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
                       f"ill-conditioned eigenvectors (cond(V) ~ {fmt(worst_cond or math.inf)}): "
                       f"the change {fmt(max_seen)} is within the numerical noise")
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
                       f"under {tried} (max change {fmt(max_seen)}): the callee is invariant "
                       "(its argument's gauge does not reach its result), for this input")
    return Verdict("not-reproduced", max_seen, reached_runs,
                   f"reached, but the value never changed beyond the tolerance under {tried} "
                   f"(max change {fmt(max_seen)}): {hint}")


def _unsure(what: str, mismatch: Mismatch, runs: int, change: float | None = None
            ) -> Verdict:
    return Verdict("inconclusive", change, runs,
                   f"{what}, but {mismatch.reason}: the code is nondeterministic (seed it, or "
                   "disable the randomness)")


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




__all__ = ["judge"]
