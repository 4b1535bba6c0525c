"""Unit tests of the phase domain (pure Python: no libcst, no torch).

Every row of the verified table in ``phase-algebra.md`` §3.3, expressed in domain calls, plus the
traps the document lists and regression tests for domain bugs found by the property test
(``test_property_torch.py``). Each operation is spelled the way the tracker spells it (e.g.
``V.mH`` is ``conj(transpose(V))``, ``F.normalize`` is ``V / vector_norm(V, keepdim=True)``,
``fft`` is a ``cum`` reduction).
"""
from dataclasses import replace
from fractions import Fraction
from typing import Dict, List, Optional

import pytest

from eiglint import domain as D

S = 1  # the decomposition under test
T = 2  # a second, independent one
ID = D.ID


# --------------------------------------------------------------------------- helpers


def V(mod: int = D.PHASE, s: int = S) -> D.Cov:
    """eig/eigh eigenvectors (also SVD's U and torch.svd's V)."""
    return D.seed(s, mod, 2, -1, 1)


def Vh(mod: int = D.PHASE, s: int = S) -> D.Cov:
    return D.seed(s, mod, 2, -2, -1)


def L(ndim: int = 1) -> D.Inv:
    return D.Inv(ndim=ndim)


A = D.Inv(ndim=2)  # a gauge-free matrix
b = D.Inv(ndim=1)  # a gauge-free vector


def const(c: complex) -> D.Inv:
    return D.Inv(ndim=0, const=complex(c))


def mH(x: D.Value) -> D.Value:
    return D.conj(D.transpose(x, -2, -1))


def mT(x: D.Value) -> D.Value:
    return D.transpose(x, -2, -1)


def idx(x: D.Value, *items: str) -> D.Value:
    """``x[...]`` from a compact spelling: ``":"``, ``"1:3"`` (slice), ``"0"`` (int),
    ``"[2, 0]"`` (fancy), ``"..."``, ``"None"``."""
    out = []
    for it in items:
        if it == ":":
            out.append(D.Index("slice"))
        elif it == "...":
            out.append(D.Index("ellipsis"))
        elif it == "None":
            out.append(D.Index("none"))
        elif it.startswith("["):
            out.append(D.Index("fancy", it))
        elif ":" in it:
            out.append(D.Index("slice", it))
        elif it.startswith("mask"):
            out.append(D.Index("mask", it))
        else:
            out.append(D.Index("int", it))
    return D.index(x, out)


def real(x: D.Value, key: Optional[str] = None) -> D.Value:
    return D.real(x, None, "takes .real", key)


def imag(x: D.Value, key: Optional[str] = None) -> D.Value:
    return D.imag(x, None, "takes .imag", key)


def angle(x: D.Value) -> D.Value:
    return D.angle(x, None, "takes the angle")


def fn(x: D.Value, name: str, parity: str, key: Optional[str] = None) -> D.Value:
    return D.elementwise(x, name, parity, None, f"applies `{name}`", key)


def sum_(x: D.Value, *axes: int, keepdim: bool = False) -> D.Value:
    return D.reduce(x, axes or None, keepdim, "sum", "sums")


def norm(x: D.Value, *axes: int, keepdim: bool = False) -> D.Value:
    return D.reduce(x, axes or None, keepdim, "norm", "norm")


def axes_of(v: D.Value) -> List[Dict[str, int]]:
    """Per axis of a covariant value: {alignment token: exponent}."""
    assert isinstance(v, D.Cov), v
    return [{tok: e for (s, m, tok), e in c} for c in v.axes]


def res_of(v: D.Value) -> Dict[str, int]:
    assert isinstance(v, D.Cov), v
    return {tok: e for (s, m, tok), e in v.residual}


def assert_inv(v: D.Value) -> None:
    assert isinstance(v, D.Inv), v


def assert_cov(v: D.Value, *axes: Dict[str, int], residual: Optional[Dict[str, int]] = None,
               elem: bool = False) -> None:
    assert isinstance(v, D.Cov), v
    assert axes_of(v) == list(axes), axes_of(v)
    assert res_of(v) == (residual or {}), res_of(v)
    assert bool(v.elem) == elem, v.elem


def assert_breaks(v: D.Value) -> None:
    """BROKEN: a fresh break, or a pending part that breaks when it is used as it is."""
    if isinstance(v, D.Pending):
        v = D.materialize(v)
    assert isinstance(v, D.Broken), v
    assert v.causes, "a break must say where it happened"


def sources_of(v: D.Cov) -> set:
    return {(s, m) for c in (*v.axes, v.residual, v.elem) for (s, m, _), _ in c}


P, Z = D.PHASE, D.SIGN
NO: Dict[str, int] = {}


# --------------------------------------------------------------------------- §3.3, row by row


def test_seed_eigenvectors():
    assert_cov(V(), NO, {ID: 1})


def test_conj_mH_mT():
    assert_cov(D.conj(V()), NO, {ID: -1})
    assert_cov(mH(V()), {ID: -1}, NO)
    assert_cov(mT(V()), {ID: 1}, NO)


def test_products_and_powers():
    assert_cov(D.mul(V(), V()), NO, {ID: 2})
    assert_cov(D.power(V(), Fraction(3), "cubes"), NO, {ID: 3})


def test_modulus_invariants():
    assert_inv(D.mul(V(), D.conj(V())))
    assert_inv(D.abs_(V()))
    assert_inv(D.power(D.abs_(V()), Fraction(2), "squares"))


def test_views_and_mixed_sums_break():
    assert_breaks(real(V()))
    assert_breaks(imag(V()))
    assert_breaks(D.view_as_real(V(), None, "views as real"))
    assert_breaks(D.add(V(), D.conj(V())))


def test_angle_breaks_and_same_column_differences_are_invariant():
    assert_breaks(angle(V()))
    # V.angle() - V[0].angle(): the phase cancels modulo 2 pi only (the raw value jumps)
    diff = D.add(angle(V()), angle(idx(V(), "0")), subtract=True, origin="sub")
    assert isinstance(diff, D.Pending) and diff.op == "angdiff" and diff.origin == "sub"
    b = D.materialize(diff)
    assert b.causes and b.causes[0].category == "wrap"
    assert_breaks(fn(diff, "abs", "even"))
    assert_breaks(D.reduce(diff, None, False, "sum", "sums"))
    # wrapped, or through a function of period 2 pi / m: invariant
    assert_inv(D.wrap(diff))
    assert_inv(D.wrap(D.add(diff, const(3.14))))
    assert_inv(fn(diff, "cos", "even"))
    assert_inv(fn(D.mul(const(2), diff), "sin", "odd"))
    assert_inv(fn(D.mul(const(1j), diff), "exp", "none"))
    assert_breaks(fn(D.mul(const(0.5j), diff), "exp", "none"))  # period 4 pi
    assert_breaks(fn(D.mul(const(0.5), diff), "cos", "even"))
    assert_breaks(fn(diff, "exp", "none"))
    # the angle itself stays shifted by the phase, wrapped or not
    assert_breaks(D.wrap(angle(V())))
    # ... but not of different columns
    assert_breaks(D.add(angle(V()), angle(D.flip(V(), (-1,))), subtract=True))


def test_affine_and_nonlinear_functions_break():
    assert_breaks(D.add(V(), const(1)))
    assert_breaks(fn(V(), "exp", "none"))
    assert_breaks(D.power(V(), Fraction(1, 2), "takes sqrt"))


def test_sum_with_same_signature():
    assert_cov(D.add(V(), D.mul(const(2), V())), NO, {ID: 1})


def test_normalisations_keep_the_charge():
    assert_cov(D.sgn(V()), NO, {ID: 1})
    col_norm = norm(V(), -2, keepdim=True)
    assert_inv(col_norm)
    assert_cov(D.mul(V(), col_norm, divide=True), NO, {ID: 1})


def test_reductions():
    assert_cov(sum_(V(), -2), {ID: 1})
    assert_breaks(sum_(V(), -1))
    assert_breaks(D.reduce(V(), None, False, "sum", "means"))  # V.mean()
    assert_breaks(D.reduce(V(), (-1,), False, "cum", "cumsum"))  # cumsum(V, -1), fft(V, -1)
    assert_cov(D.reduce(V(), (-2,), True, "cum", "fft"), NO, {ID: 1})  # fft(V, dim=-2)
    assert_inv(sum_(D.mul(V(), D.conj(V())), -1))
    assert_inv(norm(V(), -1))


def test_gram_matrices():
    assert_inv(D.matmul(V(), mH(V())))
    g = D.matmul(mT(V()), V())  # trap (ii): covariant, not yet a bug
    assert_cov(g, {ID: 1}, {ID: 1})
    assert_inv(D.abs_(g))
    assert_breaks(real(g))
    assert_cov(D.diag(g), {ID: 2})
    h = D.matmul(mH(V()), V())
    assert_cov(h, {ID: -1}, {ID: 1})
    assert_cov(D.inv(h), {ID: -1}, {ID: 1})


def test_similarity_transform_of_a_matrix():
    m = D.matmul(D.matmul(mH(V()), A), V())
    assert_cov(m, {ID: -1}, {ID: 1})
    assert_inv(D.diag(m))
    assert_inv(D.trace(m))
    # an off-diagonal entry keeps (-1, +1): here as the first super-diagonal
    assert_cov(D.diagonal(m, 1, -2, -1), {ID: -1, ID + "+1": 1})
    assert_breaks(real(m))
    assert_breaks(D.trace(V()))


def test_diagonal_operands_scale():
    # trap (i): V @ diag(L) is not a mixing contraction
    dl = D.diag(L())
    assert isinstance(dl, D.Inv) and dl.diagonal
    assert_cov(D.matmul(V(), dl), NO, {ID: 1})
    assert_cov(D.mul(V(), L()), NO, {ID: 1})
    assert_cov(D.matmul(D.diag_embed(L()), mH(V())), {ID: -1}, NO)


def test_functional_calculus():
    dl = D.diag(L())
    assert_inv(D.matmul(D.matmul(V(), dl), D.inv(V())))
    f_l = D.diag(fn(D.mul(const(0.3), L()), "exp", "none"))
    assert_inv(D.matmul(D.matmul(V(), f_l), D.inv(V())))


def test_inverse_and_solve():
    assert_cov(D.inv(V()), {ID: -1}, NO)  # inv and pinv
    assert_cov(D.solve(V(), A), {ID: -1}, NO)
    assert_cov(D.solve(V(), b), {ID: -1})  # lstsq(V, b).solution
    assert_cov(D.matmul(mH(V()), b), {ID: -1})
    vtb = D.matmul(mT(V()), b)
    assert_cov(vtb, {ID: 1})
    assert_breaks(real(vtb))


def test_koopman_prediction():
    coef = D.solve(V(), b)
    pred = D.matmul(V(), D.mul(D.power(L(), Fraction(3), "cubes"), coef))
    assert_inv(pred)


def test_projectors():
    assert_inv(D.matmul(idx(V(), ":", ":1"), idx(D.inv(V()), ":1", ":")))  # spectral projector
    gram_inv = D.inv(D.matmul(mH(V()), V()))
    assert_inv(D.matmul(D.matmul(V(), gram_inv), mH(V())))
    vs = idx(V(), ":", "1:3")
    assert_inv(D.matmul(vs, mH(vs)))  # projector onto a subset of columns


def test_contraction_with_a_gauge_free_operand_breaks():
    assert_breaks(D.matmul(V(), A))
    assert_breaks(D.matmul(V(), b))


def test_gauge_fixing():
    assert_inv(D.mul(V(), idx(V(), "0"), divide=True))  # V / V[0]
    assert_inv(D.mul(V(), D.conj(D.sgn(idx(V(), "0")))))  # V * sgn(V[0]).conj()


def test_determinant_character():
    d = D.det(V())
    assert_cov(d, residual={"prod:" + ID: 1})
    assert_inv(D.abs_(d))


def test_einsum():
    assert_inv(D.einsum("ik,ik->k", [D.conj(V()), V()]))
    assert_cov(D.einsum("ik,ik->k", [V(), V()]), {ID: 2})


def test_ordering_of_invariants_and_of_views():
    assert_inv(D.order(D.abs_(V()), "argmax"))  # V.abs().argmax(0), topk(V.abs())
    assert_breaks(D.compare(real(V()), const(0), "compares"))  # V.real > 0
    assert_breaks(D.order(real(V()), "sorts"))  # sort(V.real)


@pytest.mark.parametrize("spelling", ["complex", "sum", "view"])
def test_recombination_restores_the_charge(spelling):
    v = V()
    if spelling == "complex":
        r = D.make_complex(real(v, "v"), imag(v, "v"))
    elif spelling == "sum":
        r = D.add(real(v, "v"), D.mul(const(1j), imag(v, "v")))
    else:
        r = D.view_as_complex(D.view_as_real(v, None, "views as real"))
    assert_cov(r, NO, {ID: 1})


def test_layout_operations_stay_covariant():
    st = D.cat([V(), D.conj(V())], 0, stack=True)  # stack([V, V.conj()]): per slice
    assert isinstance(st, D.Cov) and st.elem
    assert_cov(D.cat([V(), V()], -1), NO, {"cat2.0(id)": 1, "cat2.1<1:id>(id)": 1})
    assert_cov(D.flip(V(), (-1,)), NO, {"flip(id)": 1})
    r = D.reshape(V(), "reshape@V.reshape(-1)", 1)
    assert isinstance(r, D.Cov) and r.elem and not any(r.axes)
    assert_inv(D.mul(r, D.conj(r)))


def test_eigenvalues_are_invariant():
    assert_inv(L())


def test_complex_eigh():
    dl = D.diag(L())
    assert_inv(D.matmul(D.matmul(V(), dl), mH(V())))
    vs = idx(V(), ":", ":2")
    assert_inv(D.matmul(vs, mH(vs)))
    assert_breaks(real(V()))


def test_svd_shared_gauge():
    u, vh, s = V(), Vh(), L()
    assert_cov(u, NO, {ID: 1})
    assert_cov(vh, {ID: -1}, NO)
    assert sources_of(u) == sources_of(vh)  # one source for U and Vh
    assert_inv(D.matmul(D.matmul(u, D.diag(s)), vh))
    assert_inv(D.matmul(u, vh))
    assert_inv(D.matmul(idx(u, ":", ":1"), idx(vh, ":1")))
    assert_inv(D.abs_(u))
    un = idx(u, ":3")  # U[:n] (rows)
    assert_cov(D.mul(un, mH(vh)), NO, {ID: 2})
    assert_inv(D.mul(un, mT(vh)))
    assert_breaks(real(u))


def test_torch_svd_returns_v_not_vh():
    u, v = V(), V()  # torch.svd: U -> U D, V -> V D
    assert_inv(D.matmul(D.matmul(u, D.diag(L())), mH(v)))
    assert_breaks(D.matmul(u, v))


def test_independent_sources_do_not_cancel():
    x = D.mul(V(), D.conj(V(s=T)))
    assert isinstance(x, D.Cov)
    assert sorted((s, e) for (s, m, tok), e in x.axes[-1]) == [(S, 1), (T, -1)]
    assert_inv(D.matmul(V(s=T), D.inv(V(s=T))))


# ---- real eigh: the sign algebra (Z2)


def test_real_eigh_signs():
    v = V(Z)
    assert_cov(v, NO, {ID: 1})
    assert_cov(fn(v, "tanh", "odd"), NO, {ID: 1})  # odd functions keep the sign
    assert_cov(D.power(v, Fraction(3), "cubes"), NO, {ID: 1})
    assert_inv(D.power(v, Fraction(2), "squares"))
    assert_inv(D.mul(v, v))
    assert_inv(D.abs_(v))
    assert_inv(fn(v, "cos", "even"))  # even functions are invariant
    assert_inv(D.mul(v, D.sgn(idx(v, "0"))))  # V * sign(V[0])
    assert_cov(D.conj(v), NO, {ID: 1})  # -1 == +1 (mod 2)


def test_real_eigh_gram_matrix_is_covariant():
    """The table lists ``V.mT @ V`` as INV for real eigh: it is the identity because V is
    orthogonal, which the algebra does not model. The prediction (+1, +1) (mod 2) is
    consistent with that (zero off the diagonal, d_k^2 = 1 on it) but conservative: a later
    ``.sum()`` of it is reported."""
    g = D.matmul(mT(V(Z)), V(Z))
    assert_cov(g, {ID: 1}, {ID: 1})
    assert_breaks(sum_(g))


def test_real_eigh_breaks():
    v = V(Z)
    r = fn(v, "relu", "none")
    assert isinstance(r, D.Pending)  # pending: relu(v) + relu(-v) would undo it
    assert_breaks(r)
    assert_breaks(D.reduce(r, None, False, "sum", "sums"))  # used as it is: broken
    assert_breaks(sum_(v, -1))
    assert_breaks(D.matmul(v, A))


def test_signnet_symmetrisation():
    v = V(Z)
    even = D.add(fn(v, "relu", "none", "v"), fn(D.neg(v), "relu", "none", "v"))
    assert_inv(even)
    odd = D.add(fn(v, "relu", "none", "v"), fn(D.neg(v), "relu", "none", "v"), subtract=True)
    assert_cov(odd, NO, {ID: 1})
    # an unknown callable (an MLP) is symmetrisable the same way
    mlp = D.add(D.escape(v, "phi", None, "phi", "v"), D.escape(D.neg(v), "phi", None, "phi", "v"))
    assert_inv(mlp)
    # and without keys from the tracker, pairing falls back to the charge
    assert_inv(D.add(fn(v, "relu", "none"), fn(D.neg(v), "relu", "none")))


# --------------------------------------------------------------------------- §8 sanitizers


def test_dehomogenise():
    h = idx(Vh(), "-1")  # the last right-singular vector
    assert_inv(D.mul(h, idx(h, "-1"), divide=True))


def test_phase_from_a_fixed_entry():
    v = idx(V(), ":", "0")  # one column
    vi = idx(v, "2")
    assert_inv(D.mul(D.mul(v, D.conj(vi)), D.abs_(vi), divide=True))
    assert_inv(D.mul(v, D.mul(vi, D.abs_(vi), divide=True), divide=True))


def test_sign_by_reference_vector():
    v = V(Z)
    s = D.sgn(D.matmul(mT(v), b))  # sign(v @ ref) per column
    assert_inv(D.mul(v, s))


def test_determinant_sign_fixes_only_the_product():
    u = V(Z)
    fixed = D.mul(u, D.sgn(D.det(u)))
    assert isinstance(fixed, D.Cov)  # single-column flips still change it


# --------------------------------------------------------------------------- regressions
# (domain bugs found by the property test; each is its minimal failing program)


def test_only_1j_recombines():
    v = V()
    assert_breaks(D.add(real(v, "v"), D.mul(const(2j), imag(v, "v"))))
    assert_breaks(D.add(real(v, "v"), D.mul(const(-1j), imag(v, "v"))))


def test_recombination_needs_the_same_value():
    v, w = V(), D.mul(const(2), V())  # equal charges, different values
    assert_breaks(D.make_complex(real(v, "v"), imag(w, "2*v")))
    assert_breaks(D.add(real(v, "v"), D.mul(const(1j), imag(w, "2*v"))))
    # a negated part is the part of the negated value: complex(-v.real, v.imag) == -conj(v)
    assert_breaks(D.make_complex(D.neg(real(v, "v")), imag(v, "v")))
    assert_cov(D.make_complex(D.neg(real(v, "v")), D.neg(imag(v, "v"))), NO, {ID: 1})


def test_symmetrisation_needs_the_same_value_and_a_pure_sign_change():
    v = V(Z)
    two_v = D.mul(const(2), v)
    assert_breaks(D.add(fn(two_v, "relu", "none", "2*v"), fn(D.neg(v), "relu", "none", "v")))
    # 2 * relu(v) + relu(-v) is not even
    assert_breaks(D.add(D.mul(const(2), fn(v, "relu", "none", "v")),
                        fn(D.neg(v), "relu", "none", "v")))
    # exp(v) - (-exp(v)) == 2 exp(v): a sign change of the result is not one of the argument
    e = fn(v, "exp", "none", "v")
    assert_breaks(D.add(e, D.neg(e), subtract=True))
    # -relu(v) + relu(-v) == -(relu(v) - relu(-v)): odd
    assert_cov(D.add(D.neg(fn(v, "relu", "none", "v")), fn(D.neg(v), "relu", "none", "v")),
               NO, {ID: 1})


def test_negated_angle_is_the_angle_of_the_conjugate():
    v = V()
    # -angle(v) - angle(conj v) == 0 (mod 2 pi)
    assert_inv(D.wrap(D.add(D.neg(angle(v)), angle(D.conj(v)), subtract=True)))
    assert_breaks(D.add(angle(v), D.neg(angle(v)), subtract=True))  # 2 angle(v)


def test_imaginary_part_of_a_sign_carrying_complex_value_keeps_the_sign():
    z = D.mul(V(Z), D.Inv(ndim=2, is_complex=True))  # a real eigenvector times complex data
    assert_cov(imag(z), NO, {ID: 1})
    assert_breaks(sum_(imag(z), -1))


def test_diagonal_with_negative_offset_shifts_the_first_axis():
    g = D.matmul(mT(V()), V())  # (+1, +1): element (i, j) carries d_i d_j
    lower = D.diagonal(g, -1, -2, -1)  # g[p + 1, p]
    upper = D.diagonal(g, 1, -2, -1)  # g[p, p + 1]
    assert_cov(lower, {ID: 1, ID + "+1": 1})
    assert_cov(upper, {ID: 1, ID + "+1": 1})
    assert_inv(D.mul(lower, D.conj(upper)))
    # a sub-diagonal of inv(V) (rows carry the charge): p -> row p + 1
    assert_cov(D.diagonal(D.inv(V()), -1, -2, -1), {ID + "+1": -1})


def test_fancy_index_stays_in_place():
    assert_cov(idx(V(), ":", "[2, 0, 1]"), NO, {ID + "[[2, 0, 1]]": 1})
    assert_cov(idx(V(), "...", "[2, 0]"), NO, {ID + "[[2, 0]]": 1})
    # an integer next to a list is advanced too: V[0, [1, 2]] is 1-d
    assert_cov(idx(V(), "0", "[1, 2]"), {ID + "[[1, 2]]": 1})
    # advanced indices separated by a slice go first (numpy rule)
    batch = D.Cov(((), (), ((((S, P, ID), 1)),)))
    assert_cov(idx(batch, "[0, 1]", ":", "0"), {}, {}, residual={ID + "@0": 1})
    assert_cov(idx(batch, "0", ":", "[1, 2]"), {ID + "[[1, 2]]": 1}, {})


def test_moving_elements_of_a_layout_lost_value_relabels_them():
    r = D.reshape(V(), "reshape@V.reshape(-1)", 1)
    assert_inv(D.mul(r, D.conj(r)))
    assert isinstance(D.mul(D.flip(r, (0,)), D.conj(r)), D.Cov)
    assert isinstance(D.mul(idx(r, "1:"), D.conj(idx(r, ":-1"))), D.Cov)
    r2 = D.reshape(V(), "reshape@V.reshape(n, n)", 2)
    assert isinstance(D.mul(mT(r2), D.conj(r2)), D.Cov)
    assert isinstance(D.mul(D.unsqueeze(r, -1), D.conj(r)), D.Cov)  # (9, 1) * (9,) broadcasts
    # the same move on both sides still cancels
    assert_inv(D.mul(D.flip(r, (0,)), D.conj(D.flip(r, (0,)))))


def test_mask_text_is_part_of_the_layout():
    a, c = idx(V(), "mask_a"), idx(V(), "mask_b")
    assert_inv(D.mul(a, D.conj(a)))
    assert isinstance(D.mul(a, D.conj(c)), D.Cov)


def test_norm_keeps_the_rank():
    n1 = norm(V(), -2)
    assert isinstance(n1, D.Inv) and n1.ndim == 1
    # inv(V) @ n is a vector whose rows carry the charge (not a matrix)
    assert_cov(D.matmul(D.inv(V()), n1), {ID: -1})


def test_concatenation_labels_say_where_a_part_starts():
    w = D.Inv(ndim=2)
    # cat([w, V[:, 1:]]) and cat([w, V])[:, 1:] differ in column 0 (w vs V[:, 0])
    a = D.cat([w, idx(V(), ":", "1:")], -1)
    c = idx(D.cat([w, V()], -1), ":", "1:")
    assert isinstance(D.mul(a, D.conj(c)), D.Cov)
    # parts of different lengths before the same part shift it
    a = D.cat([idx(V(), ":", ":1"), V()], -1)
    c = D.cat([idx(V(), ":", ":2"), V()], -1)
    assert isinstance(D.mul(a, D.conj(c)), D.Cov)
    assert_inv(D.mul(a, D.conj(a)))


def test_determinant_of_a_matrix_scaled_by_one_column_breaks():
    # det(V[:, 0] * M) = V[:, 0]^n det(M): the residual is raised to the (unknown) size
    m = D.mul(idx(V(), ":", "0"), A)
    assert_breaks(D.det(m))


def test_broadcasting_against_a_batch_keeps_the_rank():
    x = D.mul(V(), D.Inv(ndim=3))  # V * B with B of shape (batch, n, k)
    assert_cov(x, NO, NO, {ID: 1})
    assert_cov(idx(x, ":", "0"), NO, {ID: 1})  # x[:, 0] picks rows: the columns stay


def test_flipping_a_diagonal_matrix_is_not_a_scaling():
    anti = D.flip(D.diag(L()), (0,))
    assert isinstance(anti, D.Inv) and not anti.diagonal
    assert_breaks(D.matmul(V(), anti))
    assert not D.unsqueeze(D.diag(L()), -1).diagonal  # (n, n, 1)
    assert D.unsqueeze(D.diag(L()), 0).diagonal  # (1, n, n)


def test_orthonormal_frames():
    f = replace(V(Z), frame="V")  # eigh/svd vectors, as the tracker marks them
    assert_inv(D.matmul(mH(f), f))
    # reversed components are invisible in the labels: J V is not orthogonal to V
    assert not isinstance(D.matmul(mH(D.flip(f, (0,))), f), D.Inv)
    g = D.flip(f, (-1,))  # reversed columns, on both sides: still the identity
    assert_inv(D.matmul(mH(g), g))


def test_svd_factors_are_different_frames():
    u, vh = replace(V(), frame="U"), replace(Vh(), frame="V")
    assert_inv(D.matmul(mH(u), u))
    assert_inv(D.matmul(vh, mH(vh)))
    assert_cov(D.matmul(vh, u), {ID: -1}, {ID: 1})  # D^H (Vh U) D: covariant, no identity
    assert_cov(D.einsum("ij,jk->ik", [vh, u]), {ID: -1}, {ID: 1})
    # elements of a frame and of another value are no frame
    mixed = D.where(D.Inv(ndim=2), u, D.mul(const(2), u), "selects")
    assert isinstance(D.matmul(mH(mixed), mixed), D.Cov)


def test_fractional_power_of_a_real_sign_shows_the_sign():
    # torch: (-8.0) ** (2 / 3) is nan
    assert_breaks(D.power(V(Z), Fraction(2, 3), "raises to 2/3"))


def test_inverse_of_a_batch_negates_the_batch_charges():
    batch = D.Cov(((((S, P, ID), 1),), (), ()))  # a stack of matrices, one per column of V
    assert_cov(D.inv(batch), {ID: -1}, NO, NO)


def test_frame_identity_needs_a_plain_contraction():
    vh = replace(Vh(Z), frame="V")
    assert_inv(D.einsum("ij,kj->ik", [vh, vh]))  # Vh @ Vh.mT
    assert isinstance(D.einsum("ii,ji->ji", [vh, vh]), D.Cov)  # diag(Vh) * Vh: no identity


def test_batch_of_diagonal_matrices_scales_and_broadcasts():
    # diag_embed(U) is (n, n, n): U[b] on the diagonal of slice b; inv(U) @ it broadcasts
    x = D.matmul(D.inv(V()), D.diag_embed(V()))
    assert_cov(x, NO, {ID: -1}, {ID: 1})
    # V @ diag_embed(L) for a batch of eigenvalue vectors: still a scaling, per batch
    assert_cov(D.matmul(V(), D.diag_embed(D.Inv(ndim=2))), NO, NO, {ID: 1})


def test_ranks_of_spectral_results():
    assert D.det(A).ndim == 0
    assert D.singular_invariant(V(), 1).ndim == 1
    assert D.similarity_invariant(D.matmul(D.matmul(mH(V()), A), V()), "eigvals", 1).ndim == 1
    # a vector on the right: inv(V) @ svdvals(M) keeps the charge on its only axis
    assert_cov(D.matmul(D.inv(V()), D.singular_invariant(A, 1)), {ID: -1})


def test_stacking_one_column_phases_per_slice():
    # stack([V[:, 0], W[:, 0]]) of two sources: per-slice residuals of different moduli
    a, c = idx(V(), ":", "0"), idx(V(Z, s=T), ":", "0")
    st = D.cat([a, c], 0, stack=True)
    assert isinstance(st, D.Cov)
    assert {(s, m) for (s, m, _), _ in st.elem} == {(S, P), (T, Z)}


def test_eigenvalues_of_a_matrix_scaled_by_one_column():
    m = D.diag_embed(idx(V(), ":", "0"))  # diag(V[:, 0]): r * diag(|V[:, 0]|...), r = d_0
    ev = D.similarity_invariant(m, "eigvals", 1)
    assert_cov(ev, NO, residual={ID + "@0": 1})


# --------------------------------------------------------------------------- sign masks


def test_sign_mask_selects_a_sign_convention():
    v = V(Z)
    m = D.compare(idx(v, "0"), const(0), "orders", origin="cmp")  # v[0] < 0
    assert isinstance(m, D.Pending) and m.op == "signmask"
    # where(m, -v, v) = v * -sign(v[0]): each column times the sign of its own first entry
    assert_inv(D.select_negation(m, v))
    # between -1 and 1: the sign itself, with the charge of v[0]
    assert_cov(D.select_negation(m, const(1)), {ID: 1})
    # the mask of another source, or of a flipped copy, does not cancel
    other = D.compare(idx(V(Z, s=T), "0"), const(0), "orders", origin="cmp2")
    assert isinstance(D.select_negation(other, v), D.Cov)
    flipped = D.compare(idx(D.flip(v, (-1,)), "0"), const(0), "orders", origin="cmp3")
    assert isinstance(D.select_negation(flipped, v), D.Cov)
    # any other use of the mask depends on the sign
    assert_breaks(D.reduce(m, None, False, "sum", "counts"))
    assert_breaks(D.where(m, v, D.mul(v, const(2)), "selects"))


def test_sign_mask_only_for_real_signs_and_with_an_origin():
    def plain_break(v: D.Value) -> None:
        assert isinstance(v, D.Broken) and v.causes, v

    plain_break(D.compare(idx(V(Z), "0"), const(0), "orders"))  # no origin
    plain_break(D.compare(idx(V(Z), "0"), const(1), "orders", origin="c"))  # not against 0
    plain_break(D.compare(idx(V(Z), "0"), D.Inv(ndim=1), "orders", origin="c"))
    plain_break(D.compare(idx(V(Z), "0"), const(0), "equals", equality=False, origin=None))
    assert D.mask_sign(D.compare(const(0), idx(V(Z), "0"), "orders", origin="c")) is not None
    # a complex phase has no sign mask: the real part is pending, comparing it breaks
    plain_break(D.compare(real(idx(V(), "0")), const(0), "orders", origin="c"))
    plain_break(D.compare(idx(V(), "0"), const(0), "orders", origin="c"))


def test_products_of_different_lengths_do_not_cancel():
    # V.prod(0) carries d^n, V[:2].prod(0) carries d^2: the ratio is not invariant
    def prod(x: D.Value, key: Optional[str]) -> D.Value:
        return D.reduce(x, (0,), False, "prod", "multiplies", count_key=key)

    assert isinstance(D.mul(prod(V(), "V|(0,)"), prod(V(), "V[:2]|(0,)"), divide=True), D.Cov)
    assert_inv(D.mul(prod(V(), "V|(0,)"), prod(V(), "V|(0,)"), divide=True))
    assert_inv(D.mul(prod(V(), "V|(0,)"), D.conj(prod(V(), "V|(0,)"))))


# --------------------------------------------------------------------------- §9 patterns


def test_exact_dmd_eigenvectors_of_a_similarity_charged_operator() -> None:
    # A_t = U^H Y V: rows -s, columns +s (one SVD); eig(A_t) = W with rows -s, columns +t
    u, vh = V(D.SIGN), Vh(D.SIGN)
    at = D.matmul(D.matmul(mH(u), A), mH(vh))
    assert isinstance(at, D.Cov)
    assert isinstance(D.similarity_invariant(at, "x"), D.Inv)  # invariant eigenvalues
    w = D.charged_factor(at, "vec", T, D.PHASE, svd=False, first=True)
    assert w is not None
    modes = D.matmul(D.matmul(A, mH(vh)), w)  # Y V W: the SVD's sign pairs
    assert isinstance(modes, D.Cov) and modes.sources() == (T,)
    assert isinstance(real(modes), D.Pending)  # only eig's phase is left: .real breaks


def test_decomposing_a_one_sided_charge_keeps_nothing() -> None:
    one_sided = D.matmul(mH(V(D.SIGN)), A)  # rows -s only: not a similarity
    assert isinstance(one_sided, D.Cov)
    assert D.charged_factor(one_sided, "vec", T, D.PHASE, svd=False, first=True) is None
    # an SVD of it is fine: U rows carry the row map, Vh columns the column map
    u2 = D.charged_factor(one_sided, "vec", T, D.SIGN, svd=True, first=True)
    vh2 = D.charged_factor(one_sided, "vh", T, D.SIGN, svd=True, first=False)
    assert u2 is not None and vh2 is not None
    assert isinstance(D.matmul(D.matmul(u2, mH(u2)), one_sided), D.Cov)
    assert isinstance(D.matmul(V(D.SIGN), D.matmul(u2, vh2)), D.Inv)  # V (D^H U S Vh): pairs


def test_two_svds_never_pair() -> None:
    a1 = D.matmul(D.matmul(mH(V(D.SIGN, S)), A), mH(Vh(D.SIGN, S)))
    a2 = D.matmul(D.matmul(mH(V(D.SIGN, T)), A), mH(Vh(D.SIGN, T)))
    assert isinstance(D.matmul(a1, D.inv(a2)), D.Broken)


def test_promote_reads_a_sign_as_a_phase_only_for_the_given_sources() -> None:
    v = V(D.SIGN)
    assert real(v) == v  # a real sign-carrying value: .real is the identity
    assert isinstance(real(D.promote(v, frozenset({S}))), D.Pending)
    assert D.promote(v, frozenset({T})) == v


def test_rows_selected_by_a_mask_keep_the_eigen_axis() -> None:
    e = V(D.SIGN)
    assert D.selects_rows(e, 1, False) and D.selects_rows(e, None, True)
    assert not D.selects_rows(e, None, False)  # an index of unknown rank: not known to be rows
    assert not D.selects_rows(mT(e), None, True)  # rows carry the gauge: not an embedding


def test_more_indices_than_tracked_axes_are_leading_batch_axes() -> None:
    g = idx(V(), ":", ":", "0")  # states[:, :, 0] of a batched eigh of unknown rank
    assert isinstance(g, D.Cov) and g.ndim == 2 and not any(g.axes) and g.residual


def test_unknown_rank_with_a_scalar_stays_unknown() -> None:
    assert D.ndim_of(D.mul(D.Inv(), const(2))) is None
    assert D.ndim_of(D.mul(D.Inv(), A)) == 2


def test_external_argument_contracted_with_the_eigen_axis_is_not_followed() -> None:
    r = D.matmul(D.Inv(external=True), Vh(D.SIGN))
    assert isinstance(r, D.Broken) and not r.causes
    assert isinstance(D.matmul(D.Inv(ndim=2), Vh(D.SIGN)), D.Broken)


# --------------------------------------------------------------------------- joins of paths


def test_join_one_call_phase_or_sign_is_a_phase() -> None:
    # `eigs if directed else eigsh`: one call, one source, a phase on one path
    j = D.join(V(D.PHASE), V(D.SIGN))
    assert isinstance(j, D.Cov) and j == V(D.PHASE)
    assert isinstance(D.join(V(D.SIGN), V(D.PHASE)), D.Cov)


def test_join_of_alike_values_of_two_calls_carries_both_sources_in_either_order() -> None:
    # dense `eig` on one branch, sparse `eigs` on the other: the same places, other sources.
    # Each keeps its own kind; what pairs both pairs each path, a break names its path
    both = D.mul(V(D.SIGN, S), V(D.PHASE, T))
    assert D.join(V(D.SIGN, S), V(D.PHASE, T)) == both
    assert D.join(V(D.PHASE, T), V(D.SIGN, S)) == both
    assert D.join(Vh(D.SIGN, S), Vh(D.SIGN, T)) == D.join(Vh(D.SIGN, T), Vh(D.SIGN, S))
    # paired with the first path's own vectors, only the second path's source is left
    paired = D.mul(D.conj(D.join(V(D.PHASE, S), V(D.PHASE, T))), V(D.PHASE, S))
    assert isinstance(paired, D.Cov) and paired.sources() == (T,)
    # a value that is one source on one path and two in the same places on the other
    assert D.join(V(D.SIGN, S), both) == both


def test_join_of_values_not_alike_is_broken() -> None:
    assert isinstance(D.join(V(D.SIGN, S), Vh(D.SIGN, T)), D.Broken)
    # a source on both paths must sit in the same places
    assert isinstance(D.join(V(D.SIGN, S), D.mul(V(D.SIGN, S), Vh(D.SIGN, T))), D.Broken)


def test_join_of_one_source_as_a_sign_and_as_a_phase_is_the_phase() -> None:
    # a method analysed alone (dtype unknown: sign) and called with complex data (phase)
    ph, sg = Vh(D.PHASE), Vh(D.SIGN)
    assert D.join(sg, ph) == ph and D.join(ph, sg) == ph
    # not when they disagree modulo 2 (different sources on two paths: see the alike joins above)
    assert isinstance(D.join(V(D.SIGN), D.power(V(D.PHASE), Fraction(2), "")), D.Broken)


def test_a_sum_of_real_parts_over_gauge_free_axes_stays_pending() -> None:
    col = idx(V(), ":", "0")
    re = D.real(col, "o", "takes the real part")
    s = D.reduce(re, None, False, "sum", "")
    assert isinstance(s, D.Pending) and s.op == "real" and s.base.residual == col.residual
    # over the eigen-axis it breaks
    assert isinstance(D.reduce(D.real(V(), "o", ""), (-1,), False, "sum", ""), D.Broken)
