"""The runs as the verdicts see them, and whether they can be compared at all.

:class:`RunData` is what one run recorded (filled by the runner), :class:`ProbeInfo` a probe.
Before a gauge effect means anything the runs must agree where no gauge differs: the control
run (the baseline's gauge again) must decompose the same matrices and see the same values
(:func:`call_mismatch`, :func:`control_differs`); otherwise the code is nondeterministic. How
one probe's hits differ between two runs is :func:`compare_probe` (the dtype-aware tolerances
of :mod:`eiglint.runtime.compare`, raised for ill-conditioned ``eig`` by :func:`cond_floor`).
"""
from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .compare import UNIT_ROUNDOFF, Diff, compare
from .fingerprints import same_fingerprint

#: decompositions of a run compared with the control's (the input fingerprints)
MAX_CALLS_COMPARED = 10_000


# ---------------------------------------------------------------------------- runs
@dataclass
class RunData:
    """What the verdicts need from one run (filled by the runner)."""

    label: str
    role: str  # baseline | control | random | flip | mix | patch | joint | inject
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
    #: a patch run: the label of the gauged run whose gauge it repeats (an injection: whose
    #: values it injects)
    base_label: str = ""
    #: a patch run: what was replayed or injected (for the messages)
    about: str = ""
    #: probe -> the snippet entries during which it ran (empty for a command's run)
    entries_of: dict[int, set[int]] = field(default_factory=dict)

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


def fmt(x: float) -> str:
    """A change or a condition number in messages: two significant digits."""
    return f"{x:.2g}"


def compare_probe(pid: int, base: RunData, other: RunData, floor: float) -> Diff:
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



#: "not computed by the caller" (``None`` is a result: no mismatch)
UNSET: Any = object()

def control_differs(probe: ProbeInfo, runs: Sequence[RunData],
                    mismatch: Mismatch | None = UNSET) -> bool:
    """The baseline reached the probe and the control run (same gauge) did not agree, or
    the runs decomposed different matrices: the code is nondeterministic, and no further
    gauge can confirm anything."""
    base = next((r for r in runs if r.role == "baseline"), None)
    control = next((r for r in runs if r.role == "control"), None)
    if base is None or control is None or not base.reached(probe.id):
        return False
    if mismatch is UNSET:
        mismatch = call_mismatch(runs)
    if mismatch is not None and mismatch.concerns(probe):
        return True
    if not control.reached(probe.id):
        return control.status == "ok"
    floor, _ = cond_floor(base.calls)
    return compare_probe(probe.id, base, control, floor).changed



__all__ = ["MAX_CALLS_COMPARED", "UNSET", "Mismatch", "ProbeInfo", "RunData", "call_mismatch",
           "compare_probe", "cond_floor", "control_differs", "fmt"]
