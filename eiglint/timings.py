"""Where a run's time went: per file, the seconds spent in each phase of linting it.

``--timings`` prints the slowest files and each phase's share: ``pre-filter`` (the cheap
decision, with the import graph's charge index it builds), ``syntax`` (the gate of files that
are not analysed), ``parse`` (``ast`` of a file that may be analysed), ``slice`` (the decision on
the parsed file and its slice) and ``analysis`` (libcst and the tracker on the slice).
Measurement is off unless a caller asks for it (:func:`recording`).

Before the first file, the run's own process works alone (the workers wait for it): finding
the files, the project's module map, the cache's keys and lookups, importing libcst before the
workers fork (:data:`SETUP_STEPS`). The report gives that serial time on a line of its own. The
charge index of the import graph is not part of it: each worker builds what its files ask for,
inside their ``pre-filter`` phase.
"""
from __future__ import annotations

import contextlib
import time
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

PHASES = ("pre-filter", "syntax", "parse", "slice", "analysis")

#: the serial steps before the first file is linted (eiglint.parallel.lint_files)
SETUP_STEPS = ("discovery", "project", "cache", "libcst import")

_current: Optional[Dict[str, float]] = None


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Time the block as ``name`` when a recording is on (else free)."""
    if _current is None:
        yield
        return
    t0 = time.perf_counter()
    try:
        yield
    finally:
        if _current is not None:
            _current[name] = _current.get(name, 0.0) + time.perf_counter() - t0


@contextlib.contextmanager
def recording() -> Iterator[Dict[str, float]]:
    """Collect the phases of what runs inside (one file); yields the phase -> seconds map."""
    global _current
    saved, _current = _current, {}
    try:
        yield _current
    finally:
        _current = saved


#: one file: (path, wall seconds, phase -> seconds); cached files are not listed
FileTime = Tuple[str, float, Dict[str, float]]


def report(times: Sequence[FileTime], total: float, slowest: int = 10,
           setup: Optional[Dict[str, float]] = None) -> str:
    """The ``--timings`` text: the serial time before the first file (``setup``: step ->
    seconds), each phase's share of the time spent on files, the slowest files with their
    phases."""
    spent = sum(t for _, t, _ in times)
    lines = [f"Timings: {len(times)} files linted ({spent:.2f} s in files, "
             f"{total:.2f} s wall)"]
    if setup:
        steps = ", ".join(f"{s} {setup[s]:.2f}" for s in SETUP_STEPS if s in setup)
        lines.append(f"  before the first file (serial): {sum(setup.values()):.2f} s ({steps})")
    if spent > 0:
        shares = {p: sum(ph.get(p, 0.0) for _, _, ph in times) for p in PHASES}
        other = max(spent - sum(shares.values()), 0.0)
        parts = [f"{p} {100 * s / spent:.0f}%" for p, s in shares.items()]
        parts.append(f"other (reading, hashing) {100 * other / spent:.0f}%")
        lines.append("  " + ", ".join(parts))
    top: List[FileTime] = sorted(times, key=lambda t: (-t[1], t[0]))[:slowest]
    if top:
        lines.append(f"Slowest {len(top)} files:")
    for path, secs, ph in top:
        detail = ", ".join(f"{p} {ph[p]:.2f}" for p in PHASES if ph.get(p, 0.0) >= 0.005)
        lines.append(f"  {secs:8.2f} s  {path}" + (f"  ({detail})" if detail else ""))
    return "\n".join(lines) + "\n"
