"""Sign-convention idioms: code that fixes the sign of a vector (``if v[0] < 0: v = -v``,
``v[:, m] *= -1``, column-by-column updates).
"""
from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple, TypeVar, Union

import libcst as cst

from .. import domain as D
from ..domain import Value
from ..values import Abs, as_value
from .shared import AnalysisBase
from .syntax import literal


def _plain_rank(v: Abs) -> Optional[int]:
    """The rank of an array value whose axes are known (not a container, no element charge)."""
    if isinstance(v, D.Inv):
        return v.ndim
    if isinstance(v, D.Cov) and not v.elem:
        return v.ndim
    return None


_T = TypeVar("_T")


def _one_special_axis(target: cst.Subscript, ndim: int,
                      special: Callable[[cst.BaseExpression], Optional[Tuple[_T, int]]]
                      ) -> Optional[Tuple[int, _T]]:
    """``y[:, m]``, ``y[..., i]``: the first axis covered by the one subscript element that
    ``special`` accepts (it gives a value and the number of axes the element covers), when
    every other element is a whole slice ``:`` or a single ``...``. None otherwise."""
    kinds: List[str] = []
    found: Optional[Tuple[_T, int]] = None
    for el in target.slice:
        s = el.slice
        if isinstance(s, cst.Slice):
            if s.lower is not None or s.upper is not None or s.step is not None:
                return None
            kinds.append("slice")
        elif not isinstance(s, cst.Index):
            return None
        elif isinstance(s.value, cst.Ellipsis):
            kinds.append("ellipsis")
        else:
            got = special(s.value) if found is None else None
            if got is None:
                return None
            found = got
            kinds.append("special")
    if found is None or kinds.count("ellipsis") > 1:
        return None
    value, width = found
    i = kinds.index("special")
    pos = ndim - width - len(kinds[i + 1:]) if "ellipsis" in kinds[:i] else i
    if pos < 0 or pos + width > ndim:
        return None
    return pos, value


class IdiomsMixin(AnalysisBase):

    def sign_convention(self, st: cst.If) -> bool:
        """``if v[0] < 0: v = -v`` (or ``v *= -1``, or ``V[:, i] *= -1`` for a column): the
        sign of ``v`` is fixed by a convention.

        When the tested value carries exactly the sign of each negated variable (or part of
        an array), the branch multiplies them by that sign: they are rebound as invariant and
        the test is not a finding. (An array of which one column is fixed is no longer
        followed, unless the loop updates every column: :meth:`column_update`.)
        """
        test = st.test
        if st.orelse is not None or not isinstance(test, cst.Comparison) \
                or len(test.comparisons) != 1 or not isinstance(
                    test.comparisons[0].operator,
                    (cst.LessThan, cst.GreaterThan, cst.LessThanEqual, cst.GreaterThanEqual)):
            return False
        left, right = test.left, test.comparisons[0].comparator
        targets = self._negated_targets(st.body)
        if not targets:
            return False
        mask: Optional[Value] = None
        if literal(right) == 0:
            x = as_value(self.eval(left))
        elif literal(left) == 0:
            x = as_value(self.eval(right))
        else:
            # `x < y` tests the sign of `x - y` (`abs(max(v)) < abs(min(v))`: max and min
            # swap with the sign of v)
            mask = as_value(self.eval(test))
            sign = D.mask_sign(mask)
            if sign is None:
                return False
            x = sign
        if not isinstance(x, D.Cov) or x.has_phase() or x.elem:
            return False
        charge = x.all_charges()
        # an `if` tests one number: its sign, whatever the layout of `x`, is a scalar factor
        factor = D.Cov((), residual=charge)
        parts: List[Value] = []
        for t in targets:
            found = self.frame.lookup(t.value) if isinstance(t, cst.Name) else self.eval(t)
            v = as_value(found) if found is not None else D.INV
            if isinstance(v, D.Cov) and not v.has_phase() and v.all_charges() == charge:
                parts.append(D.Inv(ndim=D.ndim_of(v)))  # the convention fixes the sign
            elif isinstance(t, cst.Name) and isinstance(v, (D.Cov, D.Inv)) and not (
                    isinstance(v, D.Cov) and v.has_phase()):
                # `if det(U) < 0: U = -U`: a multiplication by the tested sign, which may only
                # move the gauge (det carries the product of every column's sign). (Part of an
                # array negated by a sign it does not carry, `U[:, -1] *= -1`, would need a
                # charge per column: the test is reported as before.)
                parts.append(D.mul(v, factor))
            else:
                return False
        if isinstance(mask, D.Pending):
            self.resolved.add(id(mask.origin))
        for t, fixed in zip(targets, parts):
            if isinstance(t, cst.Name):
                self.frame.bind(t.value, fixed)
            else:
                self.assign_subscript(t, fixed)
        return True

    def _negated_targets(self, body: cst.BaseSuite) -> List[Union[cst.Name, cst.Subscript]]:
        """What a block only negates (``v = -v``, ``v *= -1``, ``V[:, i] = -V[:, i]``), or
        [] when it does anything else."""
        stmts: Sequence[cst.CSTNode] = body.body if isinstance(
            body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else ()
        out: List[Union[cst.Name, cst.Subscript]] = []
        for st in stmts:
            smalls = st.body if isinstance(st, cst.SimpleStatementLine) else [st]
            for small in smalls:
                target: Optional[cst.BaseExpression] = None
                if isinstance(small, cst.AugAssign) and isinstance(
                        small.operator, (cst.MultiplyAssign, cst.DivideAssign)) \
                        and literal(small.value) == -1:
                    target = small.target
                elif isinstance(small, cst.Assign) and len(small.targets) == 1 \
                        and self._negates(small.value, small.targets[0].target):
                    target = small.targets[0].target
                if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                    out.append(target)
                elif isinstance(target, cst.Name):
                    out.append(target)
                else:
                    return []
        return out

    def _negates(self, value: cst.BaseExpression, target: cst.BaseExpression) -> bool:
        """Is ``value`` the negation of ``target`` (``-x[m]``, ``x[m] * -1``)?"""
        operand: Optional[cst.BaseExpression] = None
        if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
            operand = value.expression
        elif isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Multiply):
            operand = value.left if literal(value.right) == -1 else (
                value.right if literal(value.left) == -1 else None)
        if operand is None:
            return False
        if self.text(operand, 10_000, strip_parens=True) == self.text(
                target, 10_000, strip_parens=True):
            return True
        return self._same_value(operand, target)

    def _same_value(self, a: cst.BaseExpression, b: cst.BaseExpression) -> bool:
        """Do two expressions read the same gauge-carrying value (``x`` bound by ``x = V[:,
        i]``, and ``V[:, i]``)? Their abstract values must agree exactly (charges with their
        index keys, polarity, frame); only names, attributes and subscripts are compared."""
        paths = (cst.Name, cst.Attribute, cst.Subscript)
        if not (isinstance(a, paths) and isinstance(b, paths)):
            return False
        va, vb = as_value(self.eval(a)), as_value(self.eval(b))
        return isinstance(va, D.Cov) and va == vb

    def real_ratio(self, num: Value, den: Value) -> Optional[Value]:
        """``Re(v) / Re(v).sum()`` (or ``/ Re(v)[j]``) for ``v`` from NumPy's/SciPy's ``eig`` of a
        real matrix (a source whose gauge is a sign, read as complex by ``.real``): a column
        of a real eigenvalue is real up to its gauge ``c``, so ``Re(c v) = Re(c) v`` and the
        quotient by a same-column functional of it cancels ``Re(c)`` (the stationary
        distribution of a Markov chain, a Perron vector normalised to sum 1). A column of a
        complex eigenvalue would not be (reading its real part assumes it is not one); by a
        gauge-free scale (a norm) the sign stays. None when the pattern does not apply."""
        if not (isinstance(num, D.Pending) and isinstance(den, D.Pending)
                and num.op == den.op == "real" and D._same_charge(num.base, den.base)):
            return None
        srcs = num.base.sources()
        if not srcs or not all(s in self.sources and self.sources[s].promotable
                               and self.sources[s].spectrum for s in srcs):
            return None
        return D.Inv(ndim=max(num.ndim, den.ndim), is_complex=False)

    def mask_flip(self, target: cst.Subscript) -> bool:
        """``y[:, m] *= -1`` (or ``y[:, m] = -y[:, m]``) with a sign mask ``m = x < 0``: ``y``
        times the mask's sign along the masked axes (a sign convention when ``x`` is an entry
        of each column of ``y``). Only whole slices may accompany the mask: flipping part of a
        column is not a sign of the column. False (nothing done) when the pattern does not
        apply."""
        if not isinstance(target.value, (cst.Name, cst.Attribute)):
            return False
        base = self.eval(target.value)
        n = _plain_rank(base)
        if n is None:
            return False
        assert isinstance(base, (D.Inv, D.Cov))

        def sign_mask(ex: cst.BaseExpression) -> Optional[Tuple[Tuple[D.Pending, D.Cov], int]]:
            m = as_value(self.eval(ex))
            sign = D.mask_sign(m)
            if sign is None:
                return None
            assert isinstance(m, D.Pending)
            return (m, sign), sign.ndim

        found = _one_special_axis(target, n, sign_mask)
        if found is None:
            return False
        pos, (m, sign) = found
        factor = D.Cov(tuple([()] * pos + list(sign.axes) + [()] * (n - pos - sign.ndim)),
                       sign.residual)
        new = self.post(target, D.mul(base, factor), [m])
        if isinstance(target.value, cst.Attribute):
            self.store_attribute(target.value, new, refix=True)
        else:
            self.assign(target.value, new)
        return True

    def column_update(self, target: cst.Subscript, cur: Abs, val: Value) -> Optional[Value]:
        """``Y[:, i] = f(Y[:, i])`` in ``for i in range(n)``: every column of ``Y`` is updated
        the same way, so ``Y`` becomes the vectorised update, whose charge on the looped axis
        is the charge that the new column carries for index ``i`` (``V[:, i] *=
        sign(V[0, i])`` makes each column, hence ``V``, invariant). The loop is taken to run
        over the whole axis. None when the pattern does not apply: a name indexed by the
        loop variable alone on one axis, whole slices (or an ellipsis)
        elsewhere, a value of known rank."""
        n = _plain_rank(cur)
        if n is None:
            return None
        if not isinstance(val, (D.Inv, D.Cov)) or (isinstance(val, D.Cov) and val.elem):
            return None

        def loop_index(ex: cst.BaseExpression) -> Optional[Tuple[str, int]]:
            if isinstance(ex, cst.Name) and ex.value in self.column_vars \
                    and ex.value in self.varying:
                return f"{ex.value}#{ex.value}{self.varying[ex.value]}", 1
            return None

        found = _one_special_axis(target, n, loop_index)
        if found is None:
            return None
        pos, key = found
        if (isinstance(cur, D.Cov) and not cur.axes[pos]) or (
                isinstance(cur, D.Inv) and not D.is_charged(val)):
            return None
        suffix = "@" + key
        axis: Dict[D.Key, int] = {}
        rest: Dict[D.Key, int] = {}
        if isinstance(val, D.Cov):
            for (src, m, tok), e in val.residual:
                if tok.endswith(suffix):
                    axis[(src, m, tok[: -len(suffix)])] = e
                else:
                    rest[(src, m, tok)] = e
            axes = list(val.axes)
            pol = val.polarity
        else:
            if val.ndim is not None and val.ndim > n - 1:
                return None
            axes = [() for _ in range(n - 1)]
            pol = 1
        if len(axes) > n - 1:
            return None
        axes = [()] * (n - 1 - len(axes)) + axes
        axes.insert(pos, D.norm_charge(axis))
        steps = val.steps if isinstance(val, D.Cov) else ()
        return D.make_cov(axes, D.norm_charge(rest), (), False, pol, steps)
