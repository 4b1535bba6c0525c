"""Turning breaks of the gauge into findings: messages, trace steps, call contexts.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence, Tuple

import libcst as cst

from .. import domain as D
from .. import hints
from ..domain import Value
from ..rules import WORDING, rule_for
from ..types import Finding, TraceStep
from ..values import TENSOR_TYPES, Abs, Seq, as_value
from .messages import HOP, MATMUL_NOTE
from .shared import AnalysisBase, display, step_position


class DiagnosticsMixin(AnalysisBase):

    def _sort_pos(self, node: cst.CSTNode) -> Tuple[int, int]:
        r = self.pos.get(node)
        return (r.start.line, r.start.column) if r else (0, 0)

    def source_text(self, sources: Iterable[int]) -> str:
        srcs = [self.sources[s] for s in sources if s in self.sources]
        if not srcs:
            return ""
        first = srcs[0]
        more = f" (and {len(srcs) - 1} more decomposition{'s' if len(srcs) > 2 else ''})" \
            if len(srcs) > 1 else ""
        where = f"line {first.line}" if first.path == self.path else \
            f"{display(first.path)}:{first.line}"
        return f"{first.label} from `{first.api}` ({where}){more}"

    def report_causes(self, value: Value, node: cst.CSTNode) -> None:
        if not isinstance(value, D.Broken):
            return
        for cause in value.causes:
            origin = cause.origin if isinstance(cause.origin, cst.CSTNode) else node
            self.report(cause, origin)

    def report(self, cause: D.Cause, node: cst.CSTNode) -> None:
        if self.made_before_call(cause, node):
            # a pending break (`.real`) made before the value reached the call, used inside
            # it: the break is where it was made
            self.emit(cause, node)
            return
        for ctx in self.contexts:
            if ctx.arg_sources.intersection(cause.sources):
                # the gauge came in through this call's arguments: report at the call site
                rng = self.pos.get(node)
                where = f"line {rng.start.line}" if rng else "?"
                if ctx.analysis is not self:
                    where = f"{display(self.path)}:{where.split()[-1]}"
                inner = f"in `{ctx.callee}`: `{self.text(node, 40)}` at {where}"
                ctx.analysis.emit(replace(cause, steps=cause.steps + (
                    D.Step(rng.start.line if rng else 0, rng.start.column + 1 if rng else 0,
                           inner),)), ctx.node)
                if cause.origin is node:
                    # a pending break (an escape) reported at the call is that break: the
                    # open pending values flushed at the end must not report it again inside
                    self.resolved.add(id(node))
                return
        self.emit(cause, node)

    def made_before_call(self, cause: D.Cause, node: cst.CSTNode) -> bool:
        """Is ``node``, the origin of ``cause``, outside the innermost function being called
        with gauge-carrying arguments (in this module)?"""
        if not self.contexts or node is not cause.origin:
            return False
        body = self.contexts[-1].body
        at, within = self.pos.get(node), self.pos.get(body) if body is not None else None
        if at is None or within is None:
            return False
        start, end = (at.start.line, at.start.column), (at.end.line, at.end.column)
        return not ((within.start.line, within.start.column) <= start
                    and end <= (within.end.line, within.end.column))

    def expose(self, node: cst.CSTNode, value: Abs, detail: str) -> None:
        """The opt-in exposure rule: a gauge-carrying value handed to the caller unfixed."""
        vals = value.items if isinstance(value, Seq) else (value,)
        for v in vals:
            vv = as_value(v) if isinstance(v, TENSOR_TYPES) else None
            if isinstance(vv, D.Cov) and vv.sources():
                self.emit(D.Cause("exposure", detail, D.value_kind(vv), vv.sources(), node,
                                  vv.steps), node)
                return

    def emit(self, cause: D.Cause, node: cst.CSTNode) -> None:
        key = (id(node), cause.category)
        if key in self.reported:
            return
        self.reported.add(key)
        rng = self.pos.get(node)
        if rng is None:
            return
        rule = rule_for(cause.category, cause.kind)
        gauge = "eigenvector phase" if cause.kind == "phase" else "eigenvector sign"
        detail = cause.detail
        spectrum = cause.kind == "sign" and any(
            self.sources[s].spectrum for s in cause.sources if s in self.sources)
        if spectrum:
            # NumPy's/SciPy's eig of a real matrix: real vectors (a sign) for a real spectrum,
            # complex ones (a phase) otherwise; reported by the sign rules, worded for both
            gauge = "eigenvector sign or phase"
            detail = detail.replace("depend on the sign", "depend on the sign or phase")
        expr = self.text(node)
        via = ""
        for step in reversed(cause.steps):
            if not step.note.startswith(HOP):  # the message names the last operation
                via = f" ({step.note})"
                break
        src = self.source_text(cause.sources)
        where = f"; {src}" if src else ""
        wording = WORDING[cause.category]
        msg = wording.template.format(expr=expr, detail=detail, gauge=gauge, via=via)
        hint = hints.for_library(wording.hint(cause.kind, spectrum),
                                 (self.sources[s].api for s in cause.sources if s in self.sources))
        if (cause.category == "view" or spectrum) and any(
                self.sources[s].api.endswith(".eig") for s in cause.sources if s in self.sources):
            hint += "; for a symmetric or Hermitian matrix use `eigh`"
        message = f"{msg}{where}. {hint}"
        trace = tuple(self.trace_step(s) for s in cause.steps)
        srcs = [self.sources[s] for s in cause.sources if s in self.sources]
        if srcs:
            line, col = step_position(D.Step(0, 0, "", srcs[0].anchor))
            first = TraceStep(line, col, f"{srcs[0].label} from `{srcs[0].api}`",
                              "" if srcs[0].path == self.path else display(srcs[0].path))
            trace = (first,) + trace
        f = Finding(
            path=self.path, line=rng.start.line, col=rng.start.column + 1, code=rule.code,
            message=message, end_line=rng.end.line, end_col=rng.end.column + 1,
            severity=rule.severity, kind=cause.kind, trace=trace, hint=hint,
            expr=self.module.code_for_node(node) if len(self.text(node, 10_000)) < 2000 else "",
        )
        fkey = (f.line, f.col, f.code)
        if fkey not in self.findings:
            self.findings[fkey] = f

    def trace_step(self, step: D.Step) -> TraceStep:
        line, col = step_position(step)
        path = ""
        if isinstance(step.anchor, tuple) and step.anchor[0] is not self:
            path = display(step.anchor[0].path)
        return TraceStep(line, col, step.note, path)

    def post(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs] = ()) -> Abs:
        """Bookkeeping after an operation: report breaks, register and resolve pending values."""
        if isinstance(result, D.Broken):
            if result.causes:
                self.report_causes(result, node)
                return result.silent()
            return result
        if isinstance(result, D.Pending):
            if result.origin is node and id(node) not in self.pending:
                self.hold(node, result)
        for op in operands:
            if isinstance(op, D.Pending) and (not isinstance(result, D.Pending)
                                              or result.origin is not op.origin):
                if isinstance(result, (D.Inv, D.Cov)) or isinstance(result, D.Pending):
                    self.resolved.add(id(op.origin))
        return result

    def hold(self, node: cst.CSTNode, value: D.Pending) -> None:
        """Register a pending break made at ``node`` (the first one made there is kept), with
        the calls under way: if nothing resolves it, it is reported at the end where a break
        made now would be (at the call that brought the gauge in), once."""
        if id(node) not in self.pending:
            self.pending[id(node)] = (node, value)
            self.pending_contexts[id(node)] = self.contexts

    def flush_pending(self) -> None:
        """Report the pending breaks nothing resolved, in source order."""
        open_pending = [(k, v) for k, v in self.pending.items() if k not in self.resolved]
        for key, (node, p) in sorted(open_pending, key=lambda kv: self._sort_pos(kv[1][0])):
            if key in self.resolved:
                continue
            saved, self.contexts = self.contexts, self.pending_contexts.get(key, [])
            try:
                self.report_causes(D.materialize(p), node)
            finally:
                self.contexts = saved

    def step(self, node: cst.CSTNode, result: Abs, operands: Sequence[Abs], note: str) -> Abs:
        """Record a trace step when an operation changes a value's gauge without pairing it."""
        if not isinstance(result, D.Cov):
            return result
        charges = result.all_charges()
        if any(isinstance(o, D.Cov) and o.all_charges() == charges for o in operands):
            return result
        srcs = [self.sources[i] for i in result.sources() if i in self.sources]
        what = srcs[0].label if srcs else "gauge-carrying factors"
        s = D.Step(0, 0, note.format(expr=self.text(node, strip_parens=True), what=what),
                   anchor=(self, node))
        return replace(result, steps=(result.steps + (s,))[-4:])

    def _text200(self, node: object) -> str:
        return self.text(node, 200) if isinstance(node, cst.CSTNode) else ""

    def _step_for_call(self, node: cst.Call, name: str, r: Abs, operands: Sequence[Abs]) -> Abs:
        if isinstance(r, D.Cov) and name in ("matmul", "mm", "bmm", "einsum", "mul", "multiply",
                                             "dot", "inner", "outer", "square", "pow", "power",
                                             "kron"):
            return self.step(node, r, [o for o in operands if isinstance(o, TENSOR_TYPES)],
                             MATMUL_NOTE)
        return r
