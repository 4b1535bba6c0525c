"""Property test: the phase domain's predictions checked against torch, numerically.

Hypothesis draws small random programs over the outputs of random well-conditioned
decompositions (eig: complex phases; real eigh: signs; complex eigh: phases; SVD: the shared
``U D, D^H Vh`` gauge, real or complex, with torch.svd's V; sometimes two independent sources)
and checks, for every value a program builds, what ``phase_harness`` describes: values predicted
invariant do not move under any gauge, covariant ones move by exactly the predicted
``prod d_k^e``, and every break is real (the operation on generic operands of the predicted kind
changes under some gauge). The sweep marked ``slow`` runs with ``pytest -m slow tests/domain``.
"""
import pytest

torch = pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from .phase_harness import STATS  # noqa: E402
from .phase_programs import run_program  # noqa: E402

# the choices of one program (see phase_programs.Choices)
PROGRAMS = st.lists(st.integers(0, 2 ** 31 - 1), min_size=40, max_size=160)


def sweep(examples: int, steps: int, derandomize: bool) -> dict:
    torch.set_num_threads(1)

    @settings(max_examples=examples, derandomize=derandomize, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    @given(PROGRAMS)
    def programs(ints):
        run_program(ints, steps=steps)

    STATS.clear()
    programs()
    return dict(STATS)


def check_coverage(stats: dict, programs: int) -> None:
    """The run really executed the programs and reached every kind of prediction."""
    assert stats.get("programs", 0) >= programs, stats
    for key in ("inv", "cov", "pending", "broken_fresh"):
        assert stats.get(key, 0) >= 20, (key, stats)


def test_random_programs():
    # CI: at least 500 programs of 7 steps (deterministic draws; about 30 s)
    check_coverage(sweep(examples=560, steps=7, derandomize=True), programs=500)


@pytest.mark.slow
def test_random_programs_sweep():
    check_coverage(sweep(examples=5000, steps=10, derandomize=False), programs=4500)
