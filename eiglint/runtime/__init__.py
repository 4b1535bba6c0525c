"""Runtime confirmation: re-run flagged code under random valid gauges and compare probes.

``eiglint confirm`` lints the given paths, instruments every flagged expression with a probe,
runs the code (a command, the flagged snippet or ``--entry NAME``) in fresh subprocesses under
the identity gauge (baseline and control) and under several random valid gauges, and turns the
probe values and the run's outputs into a :class:`~eiglint.types.Verdict` per finding.

Modules:

``gauge``      patches the decompositions to return ``V·D`` / ``U·D, D^H·Vh`` (private RNG)
``probes``     libcst rewrite that wraps flagged expressions in ``__eiglint_probe__(ID, expr)``
``record``     probe values as plain records; the child's results stream
``hook``       the child's import hook (rewritten modules, library patching on import)
``bootstrap``  the child process entry point
``runner``     the parent: plans runs, starts the subprocesses, collects results
``observe``    the observable outputs of a run (return values, prints, exit, tests, gradients)
``covariance`` carries vs breaks: is a change only a unit factor per row/column/slice?
``entries``    entry discovery: the nearest zero-argument caller in the call graph
``verdicts``   tolerance-aware comparison and the verdict per finding
``cli``        the ``confirm`` click command

This package module itself stays import-light: the child imports it before the user's code.
"""
from __future__ import annotations

__all__ = ["confirm_findings"]


def __getattr__(name: str) -> object:  # lazy: keep the child's bootstrap free of libcst/click
    if name == "confirm_findings":
        from .runner import confirm_findings

        return confirm_findings
    raise AttributeError(name)
