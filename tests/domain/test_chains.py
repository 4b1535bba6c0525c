"""Closure of chains of per-item states, decided by index arithmetic on the reads."""
from __future__ import annotations

from typing import Optional

from eiglint import domain as D

N = D.Extent(D.FAMILY_LENGTH)


def _link(a: D.ChainRead, b: D.ChainRead, source: int = 1, modulus: int = 0) -> D.Cov:
    """``vdot(s[a], s[b])``: conj of member ``a`` times member ``b``."""
    def tok(r: D.ChainRead) -> str:
        return "\u27e8" + r.label() + "\u27e9id@0"

    return D.Cov(axes=(), residual=D.norm_charge({(source, modulus, tok(a)): -1,
                                                  (source, modulus, tok(b)): 1}))


def _loop(off_a: int, off_b: int, stop: Optional[D.Extent], mod: Optional[D.Extent] = None,
          start: int = 0, modulus: int = 0) -> D.Cov:
    return _link(D.ChainRead("s", "i", off_a, start, stop),
                 D.ChainRead("s", "i", off_b, start, stop, mod), modulus=modulus)


def test_wrapped_index_over_the_whole_range_closes() -> None:
    assert D.telescope(_loop(0, 1, N, N)) == D.Inv(ndim=0)
    # `range(m)` with `% m`: a loop over the first m states, closed whatever m is
    m = D.Extent("m")
    assert D.telescope(_loop(0, 1, m, m)) == D.Inv(ndim=0)
    # every second state (i -> i + 2 mod n) reads each state once each way
    assert D.telescope(_loop(0, 2, N, N)) == D.Inv(ndim=0)


def test_negative_index_wraps_only_over_the_whole_family() -> None:
    assert D.telescope(_loop(-1, 0, N)) == D.Inv(ndim=0)
    short = D.telescope(_loop(-1, 0, D.Extent(D.FAMILY_LENGTH, -1)))
    assert isinstance(short, D.Cov) and short.residual
    # over `range(m)` with m unknown: closed only if m is the family's length -> undecided
    assert D.telescope(_loop(-1, 0, D.Extent("m"))) is None


def test_open_chain_keeps_its_end_states_and_a_closing_link_cancels_them() -> None:
    open_ = D.telescope(_loop(0, 1, D.Extent(D.FAMILY_LENGTH, -1)))
    assert isinstance(open_, D.Cov)
    ends = {D.ChainRead.parse(k[2][1:].partition("\u27e9")[0]): e for k, e in open_.residual}
    assert ends == {D.ChainRead("s", "", 0): -1, D.ChainRead("s", "", -1): 1}
    closing = _link(D.ChainRead("s", "", -1), D.ChainRead("s", "", 0))
    assert not D.is_charged(D.mul(open_, closing))
    assert D.is_charged(D.mul(open_, _link(D.ChainRead("s", "", -2), D.ChainRead("s", "", 0))))


def test_modulus_other_than_the_range_is_open() -> None:
    out = D.telescope(_loop(0, 1, D.Extent(D.FAMILY_LENGTH, -1), N))
    assert isinstance(out, D.Cov) and out.residual


def test_signs_count_modulo_two() -> None:
    assert D.telescope(_loop(0, 1, N, N, modulus=2)) == D.Inv(ndim=0)


def test_not_a_product_over_a_range() -> None:
    assert D.telescope(_link(D.ChainRead("s", "", 0), D.ChainRead("s", "", 1))) is None
    assert D.telescope(_loop(0, 1, None, N)) is None
    assert D.telescope(D.Cov(axes=(), residual=D.norm_charge({(1, 0, "\u27e8i\u27e9"): 1}))) \
        is None
