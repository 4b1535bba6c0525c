"""The gauge patches return valid decompositions of the same type, dtype and graph.

A wrong patch would make ``eiglint confirm`` confirm anything, so every patched entry point is
checked against the defining equations (``A V = V diag(L)``, ``U diag(S) Vh = A``, ...).
"""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
# the imports below need torch: they come after the skip (E402)

from eiglint.runtime.gauge import Gauge, GaugeSpec, clusters_of, regauge  # noqa: E402

RANDOM = GaugeSpec("random", seed=11)


def _close(a, b, tol=1e-10):
    return float((a - b).abs().max()) < tol


def _sym(n, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    B = torch.randn(n, n, generator=g, dtype=dtype)
    return B + B.mT.conj()


# ------------------------------------------------------------------------------------ torch
def test_torch_eig_valid_typed_and_regauged():
    A = torch.randn(5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    L0, V0 = torch.linalg.eig(A)
    with regauge(RANDOM) as g:
        res = torch.linalg.eig(A)
    assert type(res) is torch.return_types.linalg_eig
    L, V = res
    assert V.dtype == torch.complex128 and V.device == V0.device
    assert torch.equal(L, L0)
    assert _close(A.to(V.dtype) @ V, V @ torch.diag(L))
    ratio = V / V0  # one unit phase per column, not all 1
    assert _close(ratio, ratio[:1].expand_as(ratio))
    assert _close(ratio.abs(), torch.ones_like(L0.real))
    assert not _close(ratio, torch.ones_like(ratio), 1e-3)
    assert g.calls[0].api == "torch.linalg.eig" and g.calls[0].complex and g.calls[0].k == 5
    assert g.calls[0].cond is not None and g.calls[0].cond >= 1.0
    assert torch.linalg.eig is not None and not hasattr(torch.linalg.eig, "__eiglint_original__")


def test_torch_eig_complex64_batched():
    A = torch.randn(3, 4, 4, dtype=torch.complex64, generator=torch.Generator().manual_seed(2))
    with regauge(RANDOM):
        L, V = torch.linalg.eig(A)
    assert V.dtype == torch.complex64 and V.shape == (3, 4, 4)
    assert _close(A @ V, V * L.unsqueeze(-2), 1e-4)


def test_torch_eigh_real_signs_and_complex_phases():
    S = _sym(6)
    _, V0 = torch.linalg.eigh(S)
    with regauge(RANDOM):
        res = torch.linalg.eigh(S)
    assert type(res) is torch.return_types.linalg_eigh
    L, V = res
    assert V.dtype == torch.float64
    assert _close(S @ V, V * L)
    assert _close(V.mT @ V, torch.eye(6))
    signs = (V * V0).sum(0)
    assert _close(signs.abs(), torch.ones(6))  # each column is ± the original
    H = _sym(4, 3, torch.complex128)
    with regauge(RANDOM):
        Lh, Vh_ = torch.linalg.eigh(H)
    assert Vh_.dtype == torch.complex128
    assert _close(H @ Vh_, Vh_ * Lh)
    assert _close(Vh_.mH @ Vh_, torch.eye(4, dtype=torch.complex128))


@pytest.mark.parametrize("full", [True, False])
def test_torch_linalg_svd_shared_gauge_and_complement(full):
    X = torch.randn(6, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    U0, S0, Vh0 = torch.linalg.svd(X, full_matrices=full)
    with regauge(GaugeSpec("random", seed=3)):
        res = torch.linalg.svd(X, full_matrices=full)
    assert type(res) is torch.return_types.linalg_svd
    U, S, Vh = res
    assert U.shape == U0.shape and Vh.shape == Vh0.shape and torch.equal(S, S0)
    assert _close(U[:, :4] @ torch.diag(S) @ Vh, X)
    assert not _close(U[:, :4], U0[:, :4], 1e-6)  # re-gauged ...
    if full:
        assert torch.equal(U[:, 4:], U0[:, 4:])  # ... but the complement is untouched
    Xc = torch.randn(3, 5, dtype=torch.complex128, generator=torch.Generator().manual_seed(6))
    with regauge(RANDOM):
        Uc, Sc, Vhc = torch.linalg.svd(Xc, full_matrices=full)
    assert _close(Uc @ torch.diag(Sc).to(Uc.dtype) @ Vhc[:3], Xc)
    if full:
        assert torch.equal(Vhc[3:], torch.linalg.svd(Xc, full_matrices=True).Vh[3:])


def test_torch_svd_and_tensor_svd_return_v():
    X = torch.randn(5, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(7))
    with regauge(RANDOM) as g:
        r1 = torch.svd(X)
        r2 = X.svd(some=False)
    for r in (r1, r2):
        assert type(r) is torch.return_types.svd
        U, S, V = r
        assert _close(U[:, :3] @ torch.diag(S) @ V.mT, X)
    assert [c.api for c in g.calls] == ["torch.svd", "torch.Tensor.svd"]


def test_torch_lowrank_and_lobpcg_plain_tuples():
    X = torch.randn(8, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(8))
    torch.manual_seed(0)
    U0, S0, V0 = torch.svd_lowrank(X, q=3)
    torch.manual_seed(0)
    with regauge(RANDOM) as g:
        res = torch.svd_lowrank(X, q=3)
    assert type(res) is tuple
    U, S, V = res
    assert torch.equal(S, S0)
    assert _close((U / U0).abs(), torch.ones_like(U))  # signs only, the same subspace
    assert _close(U @ torch.diag(S) @ V.mT, U0 @ torch.diag(S0) @ V0.mT)
    assert len(g.calls) == 1  # the inner torch.linalg.svd is not re-gauged a second time
    with regauge(RANDOM):
        P = torch.pca_lowrank(X, q=2)
    assert type(P) is tuple and len(P) == 3
    S6 = _sym(10, 9) + 20 * torch.eye(10, dtype=torch.float64)
    X0 = torch.randn(10, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    with regauge(RANDOM) as g2:
        E, Xv = torch.lobpcg(S6, k=2, X=X0)
    assert type((E, Xv)) is tuple and g2.calls[0].api == "torch.lobpcg"
    assert _close(S6 @ Xv, Xv * E, 1e-4)


def test_gradients_flow_through_the_gauge():
    A = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)
    with regauge(RANDOM):
        L, V = torch.linalg.eig(A)
        rec = (V @ torch.diag(L) @ torch.linalg.inv(V)).real  # invariant: backward is fine
        rec.sum().backward()
    assert A.grad is not None and torch.isfinite(A.grad).all()
    assert _close(A.grad, torch.ones_like(A), 1e-8)
    S = _sym(4).requires_grad_(True)
    with regauge(RANDOM):
        _, Vh_ = torch.linalg.eigh(S)
        (Vh_ ** 2).sum().backward()
    assert S.grad is not None and torch.isfinite(S.grad).all()


def test_phase_dependent_loss_changes_and_torch_still_objects():
    A = torch.randn(3, 3, dtype=torch.float64, generator=torch.Generator().manual_seed(2022))
    base = torch.linalg.eig(A).eigenvectors.real.sum()
    with regauge(RANDOM):
        moved = torch.linalg.eig(A).eigenvectors.real.sum()
    assert abs(float(moved - base)) > 1e-3
    Ag = A.clone().requires_grad_(True)
    with regauge(RANDOM), pytest.raises(RuntimeError, match="specified up to multiplication"):
        torch.linalg.eig(Ag).eigenvectors.real.sum().backward()


def test_flip_mode_negates_exactly_one_column():
    S = _sym(5, 4)
    _, V0 = torch.linalg.eigh(S)
    for j in range(5):
        with regauge(GaugeSpec("flip", column=j)):
            _, V = torch.linalg.eigh(S)
        expected = V0.clone()
        expected[:, j] *= -1
        assert torch.equal(V, expected)
    # flipping all columns at once keeps a parity-even quantity; flipping one does not
    f0 = (V0[:, 0] * V0[:, 1]).sum()
    with regauge(GaugeSpec("flip", column=0)):
        _, V = torch.linalg.eigh(S)
    assert float((V[:, 0] * V[:, 1]).sum()) == pytest.approx(-float(f0))


def test_identity_mode_returns_the_library_result_itself():
    S = _sym(3)
    with regauge(GaugeSpec("identity")) as g:
        res = torch.linalg.eigh(S)
    _, V0 = torch.linalg.eigh(S)
    assert torch.equal(res.eigenvectors, V0) and type(res) is torch.return_types.linalg_eigh
    assert len(g.calls) == 1 and g.calls[0].k == 3
    assert g.calls[0].path == __file__ and g.calls[0].line > 0  # the calling line is recorded


def test_private_rng_leaves_the_users_streams_alone():
    S = _sym(4)
    torch.manual_seed(123)
    np.random.seed(123)
    before_t, before_n = torch.get_rng_state(), np.random.get_state()[1].copy()
    with regauge(RANDOM):
        for _ in range(3):
            torch.linalg.eigh(S)
            np.linalg.eigh(S.numpy())
    assert torch.equal(torch.get_rng_state(), before_t)
    assert np.array_equal(np.random.get_state()[1], before_n)


def test_out_argument_is_regauged_in_place():
    S = _sym(4)
    L = torch.empty(4, dtype=torch.float64)
    V = torch.empty(4, 4, dtype=torch.float64)
    _, V0 = torch.linalg.eigh(S)
    with regauge(RANDOM):
        torch.linalg.eigh(S, out=(L, V))
    assert _close(S @ V, V * L) and _close((V * V0).sum(0).abs(), torch.ones(4))


def test_degenerate_cluster_mixing_stays_a_valid_eigendecomposition():
    n = 6  # cycle graph: eigenvalues 0, 1, 1, 3, 3, 4
    A = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1.0
    lap = torch.diag(A.sum(1)) - A
    L0, V0 = torch.linalg.eigh(lap)
    with regauge(GaugeSpec("random", seed=5, mix=True)) as g:
        L, V = torch.linalg.eigh(lap)
    assert g.calls[0].clusters == 2 and g.calls[0].mixed
    assert torch.equal(L, L0)
    assert _close(lap @ V, V * L) and _close(V.mT @ V, torch.eye(n))
    # inside the cluster the basis is rotated (not only signed): |V| changes
    assert not _close(V.abs()[:, 1:3], V0.abs()[:, 1:3], 1e-3)
    # projectors onto whole eigenspaces are unchanged
    assert _close(V[:, 1:3] @ V[:, 1:3].mT, V0[:, 1:3] @ V0[:, 1:3].mT)
    with regauge(GaugeSpec("random", seed=5, mix=True)):
        U, S, Vh = torch.linalg.svd(lap)
    assert _close(U @ torch.diag(S) @ Vh, lap)


def test_clusters_of():
    assert clusters_of([0.0, 1.0, 1.0 + 1e-15, 3.0], 2.22e-16) == [[1, 2]]
    assert clusters_of([3.0, 1.0, 3.0], 2.22e-16) == [[0, 2]]
    assert clusters_of([1.0, 1.0 + 1e-6], 2.22e-16) == []
    assert clusters_of([0.0, 0.0], 2.22e-16) == [[0, 1]]


def test_regauge_restores_and_rebinds_bound_names():
    from torch.linalg import eigh as bound

    ns = {"eigh": bound}
    orig = torch.linalg.eigh
    with regauge(RANDOM, namespaces=[ns]) as g:
        assert torch.linalg.eigh is not orig
        ns["eigh"](_sym(3))
        assert g.calls and g.calls[0].api == "torch.linalg.eigh"
    assert torch.linalg.eigh is orig and ns["eigh"] is orig


# ------------------------------------------------------------------------------ numpy / scipy
def test_numpy_results_keep_their_named_tuples():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((5, 5))
    S = M + M.T
    with regauge(RANDOM) as g:
        e = np.linalg.eig(M)
        h = np.linalg.eigh(S)
        s = np.linalg.svd(M[:, :3])
        sv = np.linalg.svd(M, compute_uv=False)
    assert type(e).__name__ == "EigResult" and type(h).__name__ == "EighResult"
    assert type(s).__name__ == "SVDResult" and isinstance(sv, np.ndarray)
    assert np.allclose(M @ e.eigenvectors, e.eigenvectors * e.eigenvalues)
    assert np.allclose(S @ h.eigenvectors, h.eigenvectors * h.eigenvalues)
    assert np.allclose(s.U[:, :3] * s.S @ s.Vh, M[:, :3])
    assert np.array_equal(s.U[:, 3:], np.linalg.svd(M[:, :3]).U[:, 3:])
    assert h.eigenvectors.dtype == np.float64
    assert [c.api for c in g.calls] == ["numpy.linalg.eig", "numpy.linalg.eigh",
                                        "numpy.linalg.svd"]


def test_scipy_entry_points():
    scipy_linalg = pytest.importorskip("scipy.linalg")
    sparse_linalg = pytest.importorskip("scipy.sparse.linalg")
    rng = np.random.default_rng(1)
    M = rng.standard_normal((6, 6))
    S = M + M.T
    with regauge(RANDOM) as g:
        w, vl, vr = scipy_linalg.eig(M, left=True)
        w2, v2 = scipy_linalg.eigh(S)
        only = scipy_linalg.eigh(S, eigvals_only=True)
        U, s, Vh = scipy_linalg.svd(M[:, :4])
        T, Z = scipy_linalg.schur(M)
        ws, vs = sparse_linalg.eigsh(S, k=2, v0=np.ones(6))
        us, ss, vhs = sparse_linalg.svds(M, k=2, v0=np.ones(6))
    assert np.allclose(M @ vr, vr * w)
    assert np.allclose(vl.conj().T @ M, w[:, None] * vl.conj().T)
    assert np.allclose(S @ v2, v2 * w2) and isinstance(only, np.ndarray)
    assert np.allclose(U[:, :4] * s @ Vh, M[:, :4])
    assert np.allclose(Z @ T @ Z.T, M) and np.allclose(np.tril(T, -2), 0)
    assert np.allclose(S @ vs, vs * ws)
    assert np.allclose(M @ vhs.T, us * ss)
    u0, s0, vh0 = sparse_linalg.svds(M, k=2, v0=np.ones(6))
    assert np.allclose(us * ss @ vhs, u0 * s0 @ vh0)  # shared gauge: the product is invariant
    apis = [c.api for c in g.calls]
    assert apis.count("scipy.linalg.eig") == 2  # vl and vr: two independent gauges
    assert "scipy.sparse.linalg.svds" in apis and "scipy.linalg.schur" in apis


def test_gauge_install_module_is_idempotent_and_uninstalls():
    g = Gauge(RANDOM)
    assert "torch" in g.install()
    first = torch.linalg.eig
    assert g.install_module("torch") is False and torch.linalg.eig is first
    g.uninstall()
    assert not hasattr(torch.linalg.eig, "__eiglint_original__")


def test_patches_work_inside_vmap_and_torch_func():
    A = torch.randn(3, 4, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(9))
    A = A + A.mT

    def invariant(M):
        _, V = torch.linalg.eigh(M)
        return (V ** 2).sum()

    with regauge(RANDOM) as g:
        assert _close(torch.vmap(invariant)(A), torch.full((3,), 4.0, dtype=torch.float64))
        assert torch.isfinite(torch.func.grad(invariant)(A[0])).all()
        L, V = torch.vmap(torch.linalg.eig)(A)
    assert _close(A.to(V.dtype) @ V, V * L.unsqueeze(-2))
    assert [c.api for c in g.calls] == ["torch.linalg.eigh"] * 2 + ["torch.linalg.eig"]


def test_jax_entry_points():
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    jsl = pytest.importorskip("jax.scipy.linalg")
    lax_linalg = pytest.importorskip("jax.lax.linalg")
    rng = np.random.default_rng(2)
    M = rng.standard_normal((4, 4)).astype(np.float32)
    S = M + M.T
    e0 = jnp.linalg.eigh(S)
    with regauge(RANDOM) as g:
        e = jnp.linalg.eigh(S)
        w, v = jsl.eigh(S)
        U, s, Vh = jnp.linalg.svd(M)
        lv, lw = lax_linalg.eigh(S)
        T, Z = jsl.schur(M)
        jitted = jax.jit(lambda a: jnp.linalg.eigh(a).eigenvectors ** 2)(S)
    assert type(e) is type(e0) and e.eigenvectors.dtype == e0.eigenvectors.dtype
    assert np.allclose(S @ np.asarray(e.eigenvectors), np.asarray(e.eigenvectors * e.eigenvalues),
                       atol=1e-4)
    assert np.allclose(np.abs(np.asarray(e.eigenvectors)), np.abs(np.asarray(e0.eigenvectors)),
                       atol=1e-6)
    assert np.allclose(S @ np.asarray(v), np.asarray(v * w), atol=1e-4)
    assert np.allclose(np.asarray(U[:, :4] * s @ Vh), M, atol=1e-4)
    assert np.allclose(S @ np.asarray(lv), np.asarray(lv * lw), atol=1e-4)
    assert isinstance(jsl.schur(M), list) and np.allclose(np.asarray(Z @ T @ Z.T), M, atol=1e-4)
    assert np.allclose(np.asarray(jitted), np.asarray(e0.eigenvectors) ** 2, atol=1e-5)
    apis = [c.api for c in g.calls]
    assert apis[:5] == ["jax.numpy.linalg.eigh", "jax.scipy.linalg.eigh", "jax.numpy.linalg.svd",
                        "jax.lax.linalg.eigh", "jax.scipy.linalg.schur"]
