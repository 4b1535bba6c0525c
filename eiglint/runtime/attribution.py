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
import re
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


#: an output of one snippet entry: its return value, exit status, printed lines
_ENTRY_KEY = re.compile(r"(?:return|exit|stdout)\[(\d+)\]")


def output_change(base: RunData, run: RunData, control: RunData | None,
                  pid: int | None = None) -> dict[str, Diff]:
    """Outputs of ``run`` that differ from the baseline's, except those that also differ in
    the control run (the user's own nondeterminism: timings, addresses).

    With ``pid``: only the outputs probe ``pid`` can reach. A snippet run calls the entries
    of every flagged file one after the other; the outputs of an entry during which the
    probe never ran (another program's) are not its outputs, and a change there says nothing
    about it. Outputs not tied to an entry (gradients, test outcomes), and every output of a
    command's run, stay."""
    noisy = set(compare_outputs(base, control)) if control is not None else set()
    entries = (base.entries_of.get(pid, set()) | run.entries_of.get(pid, set())
               if pid is not None else set())

    def reachable(key: str) -> bool:
        m = _ENTRY_KEY.match(key)
        return not entries or m is None or int(m.group(1)) in entries

    return {k: d for k, d in compare_outputs(base, run).items()
            if k not in noisy and reachable(k)}


def describe(changes: dict[str, Diff], n: int = 3, first: Sequence[str] = ()) -> str:
    """The first ``n`` changed outputs: those named in ``first`` (the ones a replay or an
    injection moved, ahead of the outputs of other entries of the same run), then the rest."""
    keys = [k for k in first if k in changes] + [k for k in changes if k not in first]
    parts = []
    for key in keys[:n]:
        d = changes[key]
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
    of the perturbed runs where the probe's value changed and one of its outputs changed too,
    a random gauge before a single-column flip or a unitary mix (those move one column or one
    eigenspace: a joint cause, such as the real and imaginary parts of a column, may show
    under one of them alone), and of those the one where the value changed most (the first
    of equals). A value whose break only sometimes matters (a sign taken of a real part,
    which flips for some phases and not for others) is replayed, and injected, under the
    gauge that moved it furthest, not under whichever came first."""
    base = next((r for r in runs if r.role == "baseline"), None)
    control = next((r for r in runs if r.role == "control"), None)
    if base is None or not base.reached(pid):
        return None
    floor, _ = cond_floor(base.calls)
    best: tuple[tuple[bool, bool, float], RunData] | None = None
    for r in runs:
        if r.role not in ("random", "flip", "mix") or not r.reached(pid):
            continue
        d = compare_probe(pid, base, r, floor)
        if d.comparable and d.changed and output_change(base, r, control, pid):
            key = (r.role == "random", bool(d.structural), d.magnitude)
            if best is None or key > best[0]:
                best = (key, r)
    return None if best is None else best[1]


def replay_failed(pid: int, runs: Sequence[RunData], patch: RunData | None
                  ) -> RunData | None:
    """The gauged run whose output change replaying probe ``pid``'s baseline value (the
    ``patch`` run) did not remove, when the value breaks the gauge there (None: the replay
    worked, or there was none, or the value only carries the gauge). Such a probe may be one
    of several causes: worth a joint replay and an injection."""
    base = next((r for r in runs if r.role == "baseline"), None)
    control = next((r for r in runs if r.role == "control"), None)
    if base is None or patch is None or not patch.done or not patch.patched:
        return None
    target = next((r for r in runs if r.label == patch.base_label), None)
    if target is None or covariance_of(pid, base, target):
        return None
    before = output_change(base, target, control, pid)
    if not before or improved(before, output_change(base, patch, control, pid)):
        return None
    return target


def _keys(keys: Sequence[str]) -> str:
    return ", ".join(f"`{k}`" for k in keys[:3]) + (
        f" and {len(keys) - 3} more" if len(keys) > 3 else "")


def _change_under(outs: list[tuple[RunData, dict[str, Diff]]], patch: RunData | None
                  ) -> dict[str, Diff] | None:
    """The output change of the gauged run a finished patch run (``patch``) repeats or
    injects from (None: no such run, or nothing was patched)."""
    if patch is None or not patch.done or not patch.patched:
        return None
    return next((oc for r, oc in outs if r.label == patch.base_label), None)


def _jointly(pid: int, base: RunData, control: RunData,
             outs: list[tuple[RunData, dict[str, Diff]]],
             joint: RunData | None) -> tuple[str, list[str]]:
    """How replaying several flagged values together (``joint``) removed an output change
    that replaying each alone did not, and the outputs it moved (('', []) when it did not)."""
    before = _change_under(outs, joint)
    if joint is None or before is None:
        return "", []
    after = output_change(base, joint, control, pid)
    better = improved(before, after)
    if not better:
        return "", []
    gone = all(k not in after for k in before)
    return (f"replaying the baseline values of {joint.about} together under "
            f"{joint.base_label} {'removed' if gone else 'shrank'} the change of "
            f"{_keys(better)}: a joint cause"), better


def _injected(pid: int, base: RunData, control: RunData,
              outs: list[tuple[RunData, dict[str, Diff]]],
              inject: RunData | None) -> tuple[str, list[str]]:
    """How injecting the value a probe took under a gauge into a run under the library's own
    gauge (``inject``) changed outputs that the gauge changed, and which (('', []) when it
    did not)."""
    before = _change_under(outs, inject)
    if inject is None or before is None:
        return "", []
    now = output_change(base, inject, control, pid)
    common = [k for k in before if k in now]
    if not common:
        return "", []
    return (f"injecting the value it took under {inject.base_label} into a run under the "
            f"library's own gauge changed {_keys(common)} too: one of several causes"), common


def through_outputs(probe: ProbeInfo, base: RunData, control: RunData,
                    changed: list[tuple[RunData, Diff]], reason: str,
                    max_change: float | None, reached: int, floor: float,
                    patch: RunData | None, joint: RunData | None = None,
                    inject: RunData | None = None) -> Verdict:
    """The verdict of a value that changed under a gauge: does the change reach an output,
    through this value? ``patch`` replayed the value's baseline value under the gauge;
    when that left the change, ``joint`` replayed it together with the other flagged values
    of its function, and ``inject`` put its gauged value into a run under no gauge."""
    subject = "the call's result" if probe.escape else "the value"
    reason = f"{subject} {reason}" if probe.escape else reason
    cov = {r.label: covariance_of(probe.id, base, r) for r, _ in changed}
    how = next((c for c in cov.values() if c), "")
    carries = bool(cov) and all(cov.values())
    carry_msg = (f"{subject} changes only by unit-modulus factors ({how} sign/phase): it "
                 "carries the gauge, this operation does not break it")
    outs = [(r, oc) for r, _ in changed
            if (oc := output_change(base, r, control, probe.id))]
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

    def what(first: Sequence[str] = ()) -> str:
        return f"outputs changed under {run.label} ({describe(oc, first=first)})"

    if patch is not None and patch.done and patch.patched:
        after = output_change(base, patch, control, probe.id)
        better = improved(oc, after)
        partial = (f"; {len(patch.unpatched)} hit(s) could not be replayed"
                   if patch.unpatched else "")
        if better and carries:
            return Verdict("not-reproduced", max_change, reached,
                           f"{carry_msg} here; {what(better)}, and replaying {subject}'s baseline "
                           "value removed that change: the gauge it carries is broken "
                           f"downstream of it{partial}")
        if better:
            gone = all(k not in after for k in oc)
            return Verdict("confirmed", max_change, reached,
                           f"{reason}; {what(better)}; replaying {subject}'s baseline value "
                           f"under the same gauge {'removed' if gone else 'shrank'} the change of "
                           f"{', '.join('`' + k + '`' for k in better[:3])}{partial}")
        if carries:
            return Verdict("not-reproduced", max_change, reached,
                           f"{carry_msg}; {what()}, but not through it: with its baseline "
                           f"value replayed the change stayed{partial}")
        also, moved = _jointly(probe.id, base, control, outs, joint)
        if not also:
            also, moved = _injected(probe.id, base, control, outs, inject)
        if also:
            return Verdict("confirmed", max_change, reached,
                           f"{reason}; {what(moved)}; replaying {subject}'s baseline value alone "
                           f"left the change{partial}, but {also}")
        return Verdict("not-observable", max_change, reached,
                       f"{reason}; {what()}, but not through this value: with its baseline "
                       f"value replayed under the same gauge the change stayed{partial}")
    why = (patch.unpatched[0][1] if patch is not None and patch.unpatched else
           patch.error if patch is not None and patch.error else "no patch run")
    if carries:
        return Verdict("not-reproduced", max_change, reached,
                       f"{carry_msg}; {what()} ({subject} could not be replayed: {why})")
    return Verdict("confirmed", max_change, reached,
                   f"{reason}; {what()}; attributed by the covariance test ({subject} could "
                   f"not be replayed: {why}): it breaks the gauge, it does not carry it")


__all__ = ["OUTPUTS", "compare_outputs", "covariance_of", "describe", "improved",
           "output_change", "patch_target", "replay_failed", "through_outputs"]
