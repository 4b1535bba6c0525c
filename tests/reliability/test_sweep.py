"""Real-tree sweep over installed packages: no internal error, no crash, no hang.

The sampled version (300 files of torch, numpy, scipy, scikit-learn and jax, fixed seed, files
up to 300 kB) runs with the test suite; the full sweep over every file is marked slow
(``python -m pytest -m slow tests/reliability``, or ``python bench/sweep.py``).
"""
from __future__ import annotations

import pytest

from bench.sweep import DEFAULT_PACKAGES, collect, report, sweep

pytest.importorskip("torch")  # the sweep needs at least the package the project targets


def test_sampled_sweep() -> None:
    by_package = collect(DEFAULT_PACKAGES, sample=300, seed=20261127, max_size=300_000)
    res = sweep(by_package, jobs=2, timeout=120)
    print("\n" + report(res))
    assert res.files == 300
    assert res.ok, report(res)


@pytest.mark.slow
def test_full_sweep() -> None:
    by_package = collect(DEFAULT_PACKAGES)
    res = sweep(by_package, jobs=2)
    print("\n" + report(res))
    assert res.files > 2000
    assert res.ok, report(res)
