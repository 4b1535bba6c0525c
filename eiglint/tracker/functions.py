"""Functions and classes: definitions, standalone analysis, calls of user code and their memo.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

import libcst as cst

from .. import domain as D
from ..values import TENSOR_TYPES, Abs, ClassVal, Coll, DictVal, Func, Instance, Ref, Seq
from .joins import join_abs, join_items, sources_of, unrandom
from .messages import HOP
from .shared import AnalysisBase, CallContext, Frame, Terminated, display
from .syntax import dotted, literal

MAX_CALL_DEPTH = 4


MAX_RECURSION_ROUNDS = 3


MAX_MEMO_ENTRIES = 2000


class FunctionsMixin(AnalysisBase):

    def define_function(self, node: cst.FunctionDef, owner: Optional[ClassVal] = None) -> Func:
        kind = "function"
        for dec in node.decorators:
            d = dec.decorator
            name = dotted(d.func if isinstance(d, cst.Call) else d) if isinstance(
                d.func if isinstance(d, cst.Call) else d, (cst.Name, cst.Attribute)) else ""
            last = name.rsplit(".", 1)[-1]
            if last in ("staticmethod", "classmethod", "property"):
                kind = last
            elif last.endswith("setter") or last.endswith("getter"):
                kind = "setter"
        closure = {} if self.frame.is_module else {**self.frame.closure, **self.frame.vars}
        f = Func(node, node.name.value, self.module_name, closure, owner is not None, kind, owner,
                 analysis=self)
        self.funcs.append(f)
        if owner is None:
            self.assign(node.name, f)
        return f

    def define_class(self, node: cst.ClassDef) -> None:
        bases = tuple(self.eval(a.value) for a in node.bases)
        cls = ClassVal(node, node.name.value, bases=bases)
        is_dataclass = any(
            "dataclass" in self.text(d.decorator) for d in node.decorators)
        fields: List[str] = []
        for st in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if isinstance(st, cst.FunctionDef):
                f = self.define_function(st, owner=cls)
                if f.kind == "setter":
                    continue
                cls.methods[st.name.value] = f
            elif isinstance(st, cst.SimpleStatementLine):
                for small in st.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        fields.append(small.target.value)
                        if small.value is not None:
                            cls.class_attrs[small.target.value] = self.eval(small.value)
                    elif isinstance(small, cst.Assign):
                        v = self.eval(small.value)
                        for t in small.targets:
                            if isinstance(t.target, cst.Name):
                                cls.class_attrs[t.target.value] = v
        if is_dataclass:
            cls.class_attrs["__dataclass_fields__"] = Seq(tuple(Ref(f) for f in fields))
        self.classes.append(cls)
        self.assign(node.name, cls)

    def analyse_standalone(self, func: Func, force: bool = False) -> None:
        if id(func) in self.analysed_funcs and not force:
            return
        self.analysed_funcs.add(id(func))
        params = self._param_names(func.node)
        args: Dict[str, Abs] = {}
        for i, p in enumerate(params):
            if i == 0 and func.is_method and func.kind not in ("staticmethod",) and func.owner:
                args[p] = Instance(func.owner) if func.kind != "classmethod" else func.owner
            else:
                args[p] = D.Inv(external=True) if func.is_method else D.INV
        if not self._within_budget(f"function `{func.name}`",
                                   lambda: self.run_function(func, args)):
            return
        name = func.name.rsplit(".", 1)[-1]
        if self.last_frame is not None and not name.startswith("_") and not isinstance(
                func.node, cst.Lambda):
            for ret, v in self.last_frame.return_nodes:
                self.expose(ret, v, f"is returned by the public function `{name}`")

    @staticmethod
    def _param_names(node: Union[cst.FunctionDef, cst.Lambda]) -> List[str]:
        ps = node.params
        names = [p.name.value for p in (*ps.posonly_params, *ps.params)]
        if isinstance(ps.star_arg, cst.Param):
            names.append(ps.star_arg.name.value)
        names += [p.name.value for p in ps.kwonly_params]
        if ps.star_kwarg is not None:
            names.append(ps.star_kwarg.name.value)
        return names

    def run_function(self, func: Func, args: Dict[str, Abs],
                     writes: Optional[Dict[str, Abs]] = None) -> Abs:
        """Run a function body with the given arguments; ``writes`` receives the parameters
        the body changed in place (and never rebound), with their values at its exits."""
        frame = Frame(self.globals, closure=func.closure)
        frame.params = frozenset(args)
        for k, v in args.items():
            frame.vars[k] = v
        saved = self.frame
        self.frame = frame
        self.depth += 1
        # the caller's loop variables and lengths are not this body's names
        outer_spans, outer_lengths = self.spans, self.lengths
        self.spans, self.lengths = {}, {}
        try:
            node = func.node
            if isinstance(node, cst.Lambda):
                frame.returns.append(self.eval(node.body))
            else:
                try:
                    self.exec_body(node.body)
                    frame.exits.append(dict(frame.vars))
                except Terminated:
                    pass
        finally:
            self.frame = saved
            self.spans, self.lengths = outer_spans, outer_lengths
            self.depth -= 1
            self.last_frame = frame
        if writes is not None:
            for p in frame.mutated - frame.rebound:
                if p in args:
                    seen = [e[p] for e in frame.exits if p in e]
                    if seen:
                        writes[p] = join_items(seen) or D.INV
        out: Optional[Abs] = None
        for r in frame.returns:
            out = join_abs(out, r)
        return out if out is not None else D.INV

    def call_user(self, func: Func, node: cst.CSTNode, args: List[Abs], kwargs: Dict[str, Abs],
                  receiver: Optional[Abs] = None,
                  arg_nodes: Sequence[cst.BaseExpression] = (),
                  kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        """Call a function of the linted code. With the argument expressions, an argument the
        callee changes in place (``def fill(d, x): d['k'] = x``) is changed here too."""
        owner = func.analysis if isinstance(func.analysis, AnalysisBase) else self
        writes: Dict[Tuple[str, object], Abs] = {}
        kwargs = {k: _flag(v, (kw_nodes or {}).get(k)) for k, v in kwargs.items()}
        result = owner.call_in_module(func, node, args, kwargs, receiver, caller=self,
                                      writes=writes)
        starred = isinstance(node, cst.Call) and any(a.star for a in node.args)
        if writes and not starred and len(arg_nodes) == len(args):
            for (kind, where), v in writes.items():
                target = arg_nodes[where] if kind == "pos" and isinstance(where, int) \
                    and 0 <= where < len(arg_nodes) else (kw_nodes or {}).get(str(where))
                if isinstance(target, (cst.Name, cst.Attribute, cst.Subscript)) \
                        and self.eval(target) != v:
                    self.store_path(target, v)
        return result

    def call_in_module(self, func: Func, node: cst.CSTNode, args: List[Abs],
                       kwargs: Dict[str, Abs], receiver: Optional[Abs],
                       caller: "AnalysisBase",
                       writes: Optional[Dict[Tuple[str, object], Abs]] = None) -> Abs:
        params = self._param_names(func.node)
        bound, positional, plain = self._bind_arguments(func, params, args, kwargs, receiver)
        for p, v in bound.items():
            if isinstance(v, D.Cov) and D.is_charged(v):
                # the hop into the helper, for the trace (steps do not take part in equality)
                hop = D.Step(0, 0, f"{HOP}`{func.name}` as `{p}`", anchor=(caller, node))
                bound[p] = replace(v, steps=(v.steps + (hop,))[-4:])
        arg_sources = frozenset(s for v in bound.values() for s in sources_of(v))
        key = (id(func), tuple(bound[p] for p in params))
        if not arg_sources and key in self.memo:
            if writes is not None:
                writes.update(self.memo_writes.get(key, {}))
            return self.memo[key]
        if id(func) in self.in_progress:
            # a recursive call: use the current approximation of the result (a fixpoint is
            # computed below by re-running the body until the approximation is stable)
            self.recursive.add(id(func))
            return self.approx.get(id(func), D.INV)
        if self.depth >= MAX_CALL_DEPTH:
            # too deep to follow: the result may carry whatever the arguments carry, unpaired
            charged = [v for v in bound.values() if isinstance(v, TENSOR_TYPES) and D.is_charged(v)]
            return D.Broken(D.value_kind(charged[0])) if charged else D.INV
        changed: Dict[str, Abs] = {}
        result = self._run_to_fixpoint(func, bound, changed, node, caller, arg_sources)
        # the parameters changed in place, by where the caller passed them
        where: Dict[Tuple[str, object], Abs] = {}
        offset = len(positional) - len(args)
        for i, p in enumerate(plain[: len(positional)]):
            if p in changed and i >= offset:
                where[("pos", i - offset)] = changed[p]
        for k in kwargs:
            if k in changed:
                where[("kw", k)] = changed[k]
        if writes is not None:
            writes.update(where)
        if arg_sources or caller is not self:
            result = caller.transfer(result, node, self, arg_sources)
        elif len(self.memo) < MAX_MEMO_ENTRIES and not sources_of(result):
            # (a result carrying a gauge made inside is this call site's own source)
            self.memo[key] = result
            if where:
                self.memo_writes[key] = where
        self.analysed_funcs.add(id(func))
        return result

    def _bind_arguments(self, func: Func, params: Sequence[str], args: List[Abs],
                        kwargs: Dict[str, Abs], receiver: Optional[Abs]
                        ) -> Tuple[Dict[str, Abs], List[Abs], List[str]]:
        """(parameter -> value, the positional values with the receiver, the names of the
        positional parameters)."""
        ps = func.node.params
        bound: Dict[str, Abs] = {p: D.INV for p in params}
        positional = list(args)
        if receiver is not None:
            positional = [receiver] + positional
        elif func.is_method and func.kind == "function" and func.owner is not None:
            positional = [Instance(func.owner)] + positional
        elif func.is_method and func.kind == "classmethod" and func.owner is not None:
            positional = [func.owner] + positional  # `cls`
        plain = [p.name.value for p in (*ps.posonly_params, *ps.params)]
        for i, v in enumerate(positional):
            if i < len(plain):
                bound[plain[i]] = v
            elif isinstance(ps.star_arg, cst.Param):
                name = ps.star_arg.name.value
                prev = bound.get(name)
                bound[name] = Coll(join_abs(prev.elem if isinstance(prev, Coll) else None, v))
        extra: List[Tuple[object, Abs]] = []
        for k, v in kwargs.items():
            if k in bound:
                bound[k] = v
            elif ps.star_kwarg is not None:
                extra.append((k, v))
        if ps.star_kwarg is not None:
            # `**kwargs` holds the other keywords by name: forwarded (`svd(a, **kwargs)`),
            # `compute_uv=False` still selects what the decomposition returns
            bound[ps.star_kwarg.name.value] = DictVal(tuple(extra))
        # defaults of parameters not passed
        passed = set(plain[: len(positional)]) | set(kwargs)
        for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params):
            if p.default is not None and p.name.value not in passed:
                bound[p.name.value] = unrandom(self.eval(p.default))
        return bound, positional, plain

    def _run_to_fixpoint(self, func: Func, bound: Dict[str, Abs], changed: Dict[str, Abs],
                         node: cst.CSTNode, caller: "AnalysisBase",
                         arg_sources: FrozenSet[int]) -> Abs:
        """Run the body with the bound arguments (again while a recursive call's
        approximation changes), under the caller's call contexts."""
        self.in_progress.add(id(func))
        saved_contexts = self.contexts
        if arg_sources:
            self.contexts = caller.contexts + [CallContext(caller, node, arg_sources, func.name,
                                                           func.node)]
        elif caller is not self:
            self.contexts = caller.contexts
        # the first call of `func` in the caller's body shares the source of `func` analysed
        # on its own; a second call elsewhere in that body (other data) gets its own
        # (methods keep one source: what they store on the object is read by other methods)
        made = caller.frame.calls_made.setdefault(id(func), [])
        if id(node) not in made:
            made.append(id(node))
        self.call_sites.append(0 if made.index(id(node)) == 0 else id(node))
        try:
            result = self.run_function(func, bound, changed)
            for _ in range(MAX_RECURSION_ROUNDS):
                if id(func) not in self.recursive or self.approx.get(id(func)) == result:
                    break
                self.approx[id(func)] = result
                result = join_abs(result, self.run_function(func, bound))
        finally:
            self.call_sites.pop()
            self.in_progress.discard(id(func))
            self.recursive.discard(id(func))
            self.approx.pop(id(func), None)
            self.contexts = saved_contexts
        return result

    def transfer(self, value: Abs, node: cst.CSTNode, callee: "AnalysisBase",
                 arg_sources: FrozenSet[int]) -> Abs:
        """A value returned by a call: a pending break made inside the callee from the
        arguments' gauge (or in another module) is now the call expression's."""
        if isinstance(value, Seq):
            return Seq(tuple(self.transfer(v, node, callee, arg_sources) for v in value.items),
                       value.names, value.kind)
        if not isinstance(value, D.Pending) or not isinstance(value.origin, cst.CSTNode):
            return value
        if callee is self and not arg_sources.intersection(value.base.sources()):
            return value
        callee.resolved.add(id(value.origin))
        rng = callee.pos.get(value.origin)
        where = f"line {rng.start.line}" if rng else "?"
        if callee is not self:
            where = f"{display(callee.path)}:{where.split()[-1]}"
        step = D.Step(rng.start.line if rng else 0, rng.start.column + 1 if rng else 0,
                      f"in the callee: `{callee.text(value.origin, 40)}` at {where}")
        moved = replace(value, origin=node, base=replace(value.base,
                                                         steps=value.base.steps + (step,)))
        self.hold(node, moved)
        return moved

    def instantiate(self, node: cst.Call, cls: ClassVal, args: List[Abs],
                    kwargs: Dict[str, Abs], arg_nodes: Sequence[cst.BaseExpression] = (),
                    kw_nodes: Optional[Dict[str, cst.BaseExpression]] = None) -> Abs:
        inst = Instance(cls)
        init = cls.methods.get("__init__")
        if init is not None:
            self.call_user(init, node, args, kwargs, inst, arg_nodes, kw_nodes)
        elif "__dataclass_fields__" in cls.class_attrs:
            fields = cls.class_attrs["__dataclass_fields__"]
            assert isinstance(fields, Seq)
            names = [f.qualname for f in fields.items if isinstance(f, Ref)]
            for name, v in zip(names, args):
                cls.attrs[name] = join_abs(cls.attrs.get(name), v) if name in cls.attrs else v
            for k, v in kwargs.items():
                cls.attrs[k] = join_abs(cls.attrs.get(k), v) if k in cls.attrs else v
        return inst


def _flag(value: Abs, node: Optional[cst.BaseExpression]) -> Abs:
    """A keyword argument given as ``True``/``False``: its value as a number, so that a
    helper forwarding it (``def safe_svd(a, **kw): return svd(a, **kw)``) still passes the
    literal (``compute_uv=False``) to the decomposition."""
    lit = literal(node) if node is not None else None
    if isinstance(lit, bool) and isinstance(value, D.Inv) and value.const is None:
        return D.Inv(ndim=0, const=complex(int(lit)), is_complex=False)
    return value
