"""Statements: the module driver, blocks, branches, loops, try/match and imports.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Sequence, Tuple, Union

import libcst as cst

from .. import domain as D
from ..domain import Value
from ..types import Finding
from ..values import TENSOR_TYPES, Abs, Ref, tick
from .handlers import SMALL_STATEMENT_HANDLERS, STATEMENT_HANDLERS, handler_for
from .joins import join_abs, unrandom
from .shared import AnalysisBase, Terminated
from .syntax import dotted, literal, target_names

MAX_LOOP_ITERATIONS = 3


def join_envs(a: Dict[str, Abs], b: Dict[str, Abs]) -> Dict[str, Abs]:
    out = dict(a)
    for k, v in b.items():
        out[k] = join_abs(a.get(k), v)
    return out


def _leaves_early(body: cst.BaseSuite) -> bool:
    """Whether a loop body has a ``break`` or ``continue`` of its own (not of a nested loop)."""
    found = False

    class _Visitor(cst.CSTVisitor):
        def visit_Break(self, node: cst.Break) -> None:
            nonlocal found
            found = True

        def visit_Continue(self, node: cst.Continue) -> None:
            nonlocal found
            found = True

        def visit_For(self, node: cst.For) -> bool:
            return False

        def visit_While(self, node: cst.While) -> bool:
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

    body.visit(_Visitor())
    return found


def _is_column_range(node: cst.BaseExpression) -> bool:
    """``range(n)`` (or ``range(0, n)``): a loop that is taken to visit every column."""
    if not isinstance(node, cst.Call) or dotted(node.func) not in ("range", "builtins.range"):
        return False
    args = node.args
    if any(a.keyword is not None or a.star for a in args):
        return False
    return len(args) == 1 or (len(args) == 2 and literal(args[0].value) == 0)


def _enumerated_rows(st: cst.For) -> Optional[Tuple[str, cst.BaseExpression,
                                                     cst.Subscript]]:
    """``for i, row in enumerate(X)`` (no start): the index name, the item's target, and the
    expression ``X[i]`` the item stands for (built from the loop's own nodes)."""
    it, target = st.iter, st.target
    if not isinstance(it, cst.Call) or dotted(it.func) not in ("enumerate", "builtins.enumerate") \
            or len(it.args) != 1 or it.args[0].keyword is not None or it.args[0].star:
        return None
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != 2 or any(
            isinstance(e, cst.StarredElement) for e in target.elements):
        return None
    index, item = target.elements[0].value, target.elements[1].value
    if not isinstance(index, cst.Name):
        return None
    row = cst.Subscript(value=it.args[0].value,
                        slice=[cst.SubscriptElement(slice=cst.Index(value=index))])
    return index.value, item, row


class StatementsMixin(AnalysisBase):

    def run_module_level(self) -> None:
        self._within_budget("the module body", self._exec_module_body)

    def _exec_module_body(self) -> None:
        try:
            self.exec_block(self.module.body)
        except Terminated:
            pass

    def run(self) -> List[Finding]:
        self.run_module_level()
        # every function and method body is analysed, also when nothing calls it
        done = 0
        while done < len(self.funcs):
            func = self.funcs[done]
            done += 1
            if id(func) not in self.analysed_funcs:
                self.analyse_standalone(func)
        # methods read attributes that other methods store: a second round sees them
        for cls in self.classes:
            for m in list(cls.methods.values()):
                self.analyse_standalone(m, force=True)
        self.flush_pending()
        return sorted(self.findings.values(), key=Finding.sort_key)

    def exec_block(self, stmts: Sequence[cst.CSTNode]) -> None:
        for st in stmts:
            self.exec_stmt(st)

    def exec_stmt(self, st: cst.CSTNode) -> None:
        tick()
        self._run_handler(STATEMENT_HANDLERS, st)

    def _run_handler(self, table: Dict[type, str], node: cst.CSTNode) -> None:
        """Run the handler the table names for the node's kind (none: nothing to do)."""
        name = handler_for(table, node)
        if name is not None:
            getattr(self, name)(node)

    def exec_simple_line(self, st: cst.SimpleStatementLine) -> None:
        self.exec_smalls(st.body)

    def exec_smalls(self, smalls: Sequence[cst.BaseSmallStatement]) -> None:
        for small in smalls:
            self.exec_small(small)

    def exec_with(self, st: cst.With) -> None:
        for item in st.items:
            v = self.eval(item.item)
            if item.asname is not None:
                self.assign(item.asname.name, v if not isinstance(v, TENSOR_TYPES) else D.INV)
        self.exec_body(st.body)

    def exec_indented(self, st: cst.IndentedBlock) -> None:
        self.exec_block(st.body)

    def exec_body(self, body: cst.BaseSuite) -> None:
        if isinstance(body, cst.IndentedBlock):
            self.exec_block(body.body)
        elif isinstance(body, cst.SimpleStatementSuite):
            self.exec_smalls(body.body)

    def exec_small(self, st: cst.BaseSmallStatement) -> None:
        self._run_handler(SMALL_STATEMENT_HANDLERS, st)

    def exec_assign(self, st: cst.Assign) -> None:
        if len(st.targets) == 1 and isinstance(st.targets[0].target, cst.Subscript) and \
                self._negates(st.value, st.targets[0].target) and \
                self.mask_flip(st.targets[0].target):
            return
        v = self.eval(st.value)
        v = unrandom(v)
        self.note_length(st)
        for t in st.targets:
            if isinstance(t.target, cst.Attribute):
                self.exposed_attribute(t.target, st.value, v)
                if re.search(re.escape(self.text(t.target, 10_000, strip_parens=True))
                             + r"(?!\w)", self.text(st.value, 10_000)):
                    # the new value is computed from the attribute itself
                    self.store_attribute(t.target, v, refix=True)
                    continue
            self.assign(t.target, v)

    def exec_annassign(self, st: cst.AnnAssign) -> None:
        if st.value is not None:
            self.assign(st.target, unrandom(self.eval(st.value)))

    def exec_expr(self, st: cst.Expr) -> None:
        self.eval(st.value)

    def exec_return(self, st: cst.Return) -> None:
        v = self.eval(st.value) if st.value is not None else D.INV
        self.frame.returns.append(v)
        if st.value is not None:
            self.frame.return_nodes.append((st.value, v))
        if self.frame.mutated:
            self.frame.exits.append(dict(self.frame.vars))
        raise Terminated()

    def exec_raise(self, st: cst.Raise) -> None:
        if st.exc is not None:
            self.eval(st.exc)
        raise Terminated()

    def exec_assert(self, st: cst.Assert) -> None:
        self.truth(st.test)

    def exec_import(self, st: cst.Import) -> None:
        for alias in st.names:
            full = dotted(alias.name)
            if alias.asname is not None:
                self.assign(alias.asname.name, Ref(full))
            else:
                top = full.split(".")[0]
                self.frame.bind(top, Ref(top))

    def exec_global(self, st: cst.Global) -> None:
        for n in st.names:
            self.frame.global_names.add(n.name.value)

    def exec_import_from(self, st: cst.ImportFrom) -> None:
        if st.module is None and not st.relative:
            return
        mod = dotted(st.module) if st.module is not None else ""
        if st.relative:
            base = self.module_name.split(".")
            up = len(st.relative)
            pkg = base[: max(len(base) - up, 0)]
            mod = ".".join([*pkg, mod] if mod else pkg)
        if isinstance(st.names, cst.ImportStar):
            if self.cache is not None and self.cache.project.may_charge(mod, self.path):
                other = self.cache.analysis(mod, self.path)
                if other is not None:
                    for k, v in other.globals.items():
                        if not k.startswith("_"):
                            self.frame.bind(k, v)
            return
        for alias in st.names:
            name = dotted(alias.name)
            target = alias.asname.name if alias.asname is not None else cst.Name(name)
            self.assign(target, self.project_value(f"{mod}.{name}" if mod else name))

    def project_value(self, qualname: str, force: bool = False) -> Abs:
        """An imported name: the value another linted module gives it, else a reference."""
        if self.cache is None:
            return Ref(qualname)
        mod = qualname.rpartition(".")[0]
        if not force and not self.cache.project.may_charge(mod, self.path):
            return Ref(qualname)
        found = self.cache.resolve(qualname, self.path)
        if found is None:
            return Ref(qualname)
        other, name = found
        if "." in name:
            return Ref(qualname)
        v = other.globals.get(name)
        if v is None:
            # a package whose `__init__` hands the name out through a lazy loader
            # (`__getattr__ = lazy.attach_stub(__name__, __file__)`): follow it there
            target = self.cache.project.lazy_target(qualname[: -len(name) - 1], name,
                                                    self.path)
            if target is not None and target != qualname:
                return self.project_value(target, force)
        return v if v is not None else Ref(qualname)

    def exec_augassign(self, st: cst.AugAssign) -> None:
        if isinstance(st.target, cst.Subscript) and isinstance(
                st.operator, (cst.MultiplyAssign, cst.DivideAssign)) and \
                literal(st.value) == -1 and self.mask_flip(st.target):
            return
        cur = self.eval(st.target)
        rhs = self.eval(st.value)
        op = type(st.operator).__name__.replace("Assign", "")
        res = self.binop(st, op, cur, rhs, st.target, st.value)
        if isinstance(st.target, cst.Subscript):
            self.assign_subscript(st.target, res)
        else:
            self.assign(st.target, res)

    def exec_if(self, st: cst.If) -> None:
        if self.sign_convention(st):
            return
        self.truth(st.test)
        before = self.frame.snapshot()
        out_envs: List[Dict[str, Abs]] = []
        try:
            self.exec_body(st.body)
            out_envs.append(self.frame.snapshot())
        except Terminated:
            pass
        self.frame.restore(dict(before))
        try:
            if st.orelse is not None:
                if isinstance(st.orelse, cst.If):
                    self.exec_if(st.orelse)
                else:
                    self.exec_body(st.orelse.body)
            out_envs.append(self.frame.snapshot())
        except Terminated:
            pass
        if not out_envs:
            self.frame.restore(before)
            raise Terminated()
        env = out_envs[0]
        for e in out_envs[1:]:
            env = join_envs(env, e)
        self.frame.restore(env)

    def exec_loop(self, st: Union[cst.For, cst.While]) -> None:
        entry = self.frame.snapshot()
        env = dict(entry)
        iterable: Abs = D.INV
        loop_names: List[str] = []
        column_var: Optional[str] = None
        outer_spans = dict(self.spans)
        rows: Optional[Tuple[str, cst.BaseExpression, cst.Subscript]] = None
        if isinstance(st, cst.For):
            iterable = self.eval(st.iter)
            early = self.syntax_memo.get(("early", id(st)))
            if early is None:
                early = self.syntax_memo[("early", id(st))] = frozenset(
                    ["break"] if _leaves_early(st.body) else [])
            items = self.unrollable(iterable) if not early else None
            if items is not None:
                self.exec_unrolled(st, items)
                return
            loop_names = [n.value for n in target_names(st.target)]
            self.note_span(st.target, st.iter)
            if isinstance(st.target, cst.Name) and _is_column_range(st.iter):
                column_var = st.target.value
            rows = _enumerated_rows(st)
            if rows is not None:
                # `for i, row in enumerate(X)`: `for i in range(len(X))` with `row = X[i]`
                column_var = rows[0]
        outer_updates, self.column_updates = self.column_updates, {}
        if column_var is not None:
            self.column_vars.add(column_var)
        # arrays whose every column the last iteration updated (`V[:, i] *= sign(V[0, i])`)
        updated: Dict[str, Abs] = {}
        # Each iteration gets its own index keys (`V[:, i]`, `for v in V.T`): values carried
        # from one iteration to the next then combine different eigen-indices, as they do.
        for _ in range(MAX_LOOP_ITERATIONS):
            self.frame.restore(dict(env))
            self.column_updates = {}
            if isinstance(st, cst.For):
                self.loop_iteration += 1
                for name in loop_names:
                    self.varying[name] = self.loop_iteration
                if column_var is not None and rows is not None:
                    self.assign(cst.Name(column_var), D.Inv(ndim=0, is_complex=False))
                    self.assign(rows[1], self.eval(rows[2]))
                else:
                    self.assign(st.target, self.iterate(iterable, st.iter))
            else:
                self.truth(st.test)
            completed = True
            try:
                self.exec_body(st.body)
            except Terminated:
                completed = False
            updated = {n: v for n, v in self.column_updates.items()
                       if completed and self.frame.lookup(n) is v}
            new_env = join_envs(env, self.carried(self.frame.snapshot()))
            if new_env == env:
                break
            env = new_env
        for name in loop_names:
            self.varying.pop(name, None)
        if column_var is not None:
            self.column_vars.discard(column_var)
        self.column_updates = outer_updates
        # an array updated column by column over the whole range holds the updated columns
        # after the loop (not the join with its value before: that is the empty loop, over
        # an axis of length 0, where both agree)
        env = self.closed_products(st, {**env, **updated})
        self.spans = outer_spans
        self.frame.restore(env)
        if st.orelse is not None:
            try:
                self.exec_body(st.orelse.body)
            except Terminated:
                pass

    def exec_try(self, st: cst.Try) -> None:
        before = self.frame.snapshot()
        envs: List[Dict[str, Abs]] = []
        try:
            self.exec_body(st.body)
            if st.orelse is not None:
                self.exec_body(st.orelse.body)
            envs.append(self.frame.snapshot())
        except Terminated:
            pass
        after_body = self.frame.snapshot()
        for h in st.handlers:
            self.frame.restore(join_envs(before, after_body))
            if h.name is not None:
                self.assign(h.name.name, D.INV)
            try:
                self.exec_body(h.body)
                envs.append(self.frame.snapshot())
            except Terminated:
                pass
        env = envs[0] if envs else join_envs(before, after_body)
        for e in envs[1:]:
            env = join_envs(env, e)
        self.frame.restore(env)
        if st.finalbody is not None:
            self.exec_body(st.finalbody.body)
        if not envs:
            raise Terminated()

    def exec_match(self, st: cst.CSTNode) -> None:  # pragma: no cover - Python 3.10+
        subject = self.eval(st.subject)  # type: ignore[attr-defined]
        before = self.frame.snapshot()
        envs = []
        for case in st.cases:  # type: ignore[attr-defined]
            self.frame.restore(dict(before))
            try:
                self.exec_body(case.body)
                envs.append(self.frame.snapshot())
            except Terminated:
                pass
        env = before
        for e in envs:
            env = join_envs(env, e)
        self.frame.restore(env)
        del subject

    def truth(self, node: cst.BaseExpression) -> None:
        v = self.eval(node)
        if isinstance(v, TENSOR_TYPES) and D.is_charged(v):
            r: Value = D.materialize(v) if isinstance(v, D.Pending) else D.order(
                v, "tests the truth value of a value that depends on the gauge")
            self.post(node, r, [v])
