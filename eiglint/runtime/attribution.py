"""Does a gauge change reach an output, and through which value?

The observable outputs of a run (return values, prints, exit status, test outcomes, leaf
gradients: :mod:`eiglint.runtime.observe`) are compared with the baseline's, minus those that
also differ in the control run (:func:`output_change`). A value is credited with an output
change by intervention: a patch run repeats the gauge with the value's baseline hits replayed,
and the change must disappear or shrink (:func:`improved`); where the value cannot be replayed,
the covariance test decides (:func:`covariance_of`: a value that changes only by unit factors
per row/column carries the gauge, it does not break it). :func:`through_outputs` turns this
into the verdict of a value that changed under a gauge.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from ..types import Verdict
from .compare import Diff, compare
from .covariance import covariant
from .observe import compare_printed, keys_in_order
from .runs import ProbeInfo, RunData, compare_probe, cond_floor, fmt

#: what counts as an output, for the messages
OUTPUTS = "return value, printed output, exit status, test outcomes, gradients"


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


def describe(changes: dict[str, Diff], n: int = 3) -> str:
    parts = []
    for key, d in list(changes.items())[:n]:
        parts.append(f"`{key}` " + (d.structural or f"max change {fmt(d.magnitude)}"))
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
        d = compare_probe(pid, base, r, floor)
        if d.comparable and d.changed and output_change(base, r, control):
            return r
    return None


def through_outputs(probe: ProbeInfo, base: RunData, control: RunData,
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
                       f"{reason}, but no output changed ({OUTPUTS}): the break is "
                       "repaired or discarded downstream, for this input")
    target = next(((r, oc) for r, oc in outs if patch is not None
                   and r.label == patch.base_label), outs[0])
    run, oc = target
    what = f"outputs changed under {run.label} ({describe(oc)})"
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



__all__ = ["OUTPUTS", "compare_outputs", "covariance_of", "describe", "improved",
           "output_change", "patch_target", "through_outputs"]
