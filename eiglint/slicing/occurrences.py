"""One pass over a module's :mod:`ast`: every identifier use, sorted by position.

Scope-aware (a name a function binds is not the module-level name), with what each use does:
read, attribute, attribute stored, object changed in place. :mod:`eiglint.slicing` cuts the
per-unit sets out of it by position.
"""
from __future__ import annotations

import ast
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import FrozenSet, List, Sequence, Set, Tuple

Pos = Tuple[int, int]  # (line, UTF-8 column) as :mod:`ast` gives them

@dataclass
class _Frame:
    """A function scope while it is scanned."""

    bound: Set[str]
    globals: Set[str] = field(default_factory=set)
    nonlocals: Set[str] = field(default_factory=set)
    loads: List[Tuple[Pos, str]] = field(default_factory=list)
    stores: List[Tuple[Pos, str]] = field(default_factory=list)
    mutates: List[Tuple[Pos, str]] = field(default_factory=list)
    #: (position, name, function): a name passed to a call of a bare function name
    passes: List[Tuple[Pos, str, str]] = field(default_factory=list)


class Occurrences:
    """Every identifier use of a module in one pass, sorted by position: free names read,
    attribute names, attributes stored. Per-unit sets are then cut out by position.

    Scope-aware: inside a function, a name that the function binds (parameter, assignment,
    loop target, import, nested definition) is local unless declared ``global``, and is not a
    use of the module-level name.
    """

    def __init__(self, tree: ast.Module) -> None:
        self.names: List[Tuple[Pos, str]] = []
        self.attrs: List[Tuple[Pos, str]] = []
        self.stored: List[Tuple[Pos, str]] = []
        #: module-level names bound (class bodies count as module level: over-approximate)
        self.binds: List[Tuple[Pos, str]] = []
        #: free names whose object is changed in place: ``d[k] = v``, ``o.x = v``,
        #: ``lst.append(v)``, ``cfg.data[k] = v`` (see :func:`_mutator`)
        self.mutated: List[Tuple[Pos, str]] = []
        self._modules = module_imports(tree)
        #: names passed to calls of bare function names, and the module-level functions
        #: that change one of their parameters in place (``def fill(d, v): d[k] = v``)
        self._passes: List[Tuple[Pos, str, str]] = []
        self._fills: Set[str] = set()
        self._scan(tree, [])
        # ``fill(d, V)``: ``d`` changes in place
        self.mutated.extend((p, n) for p, n, f in self._passes
                            if f in self._fills and n not in self._modules)
        for lst in (self.names, self.attrs, self.stored, self.binds, self.mutated):
            lst.sort()
        self._name_pos = [p for p, _ in self.names]
        self._attr_pos = [p for p, _ in self.attrs]
        self._stored_pos = [p for p, _ in self.stored]
        self._bind_pos = [p for p, _ in self.binds]
        self._mutated_pos = [p for p, _ in self.mutated]

    def _mutate(self, target: ast.AST, frames: List["_Frame"]) -> None:
        """``target``'s object changes in place: so does every object it is reached from
        (``cfg.data[k] = v`` changes ``cfg.data`` and ``cfg``). Not a module
        (``torch.nn.init.zeros_(w)``, ``torch.backends.cudnn.enabled = False``)."""
        node = target
        chain: List[Tuple[Pos, str]] = []
        while True:
            t = type(node)
            if t is ast.Name:
                name = node.id  # type: ignore[attr-defined]
                if name in self._modules:
                    return
                pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
                (frames[-1].mutates if frames else self.mutated).append((pos, name))
                self.stored.extend(chain)
                return
            if t is ast.Attribute:
                chain.append(((node.lineno, node.col_offset),  # type: ignore[attr-defined]
                              node.attr))  # type: ignore[attr-defined]
            elif t is not ast.Subscript and t is not ast.Starred:
                return  # the result of a call, a literal: nothing named changes
            node = node.value  # type: ignore[attr-defined]

    def _scan(self, node: ast.AST, frames: List["_Frame"]) -> None:
        t = type(node)
        if t is ast.Name:
            name = node.id  # type: ignore[attr-defined]
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            load = type(node.ctx) is ast.Load  # type: ignore[attr-defined]
            if frames:
                if load:
                    frames[-1].loads.append((pos, name))
                else:
                    frames[-1].stores.append((pos, name))
            elif load:
                self.names.append((pos, name))
            else:
                self.binds.append((pos, name))
            return
        if t is ast.Attribute:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            self.attrs.append((pos, node.attr))  # type: ignore[attr-defined]
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                self.stored.append((pos, node.attr))  # type: ignore[attr-defined]
                self._mutate(node.value, frames)  # type: ignore[attr-defined]
            self._scan(node.value, frames)  # type: ignore[attr-defined]
            return
        if t is ast.Subscript and type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
            self._mutate(node.value, frames)  # type: ignore[attr-defined]
        elif t is ast.Call and type(node.func) is ast.Attribute and _mutator(  # type: ignore
                node.func.attr):  # type: ignore[attr-defined]
            self._mutate(node.func.value, frames)  # type: ignore[attr-defined]
        elif t is ast.Call and type(node.func) is ast.Name:  # type: ignore[attr-defined]
            func = node.func.id  # type: ignore[attr-defined]
            for a in [*node.args, *(k.value for k in node.keywords)]:  # type: ignore
                if type(a) is ast.Starred:
                    a = a.value
                if type(a) is ast.Name:
                    item = ((a.lineno, a.col_offset), a.id, func)
                    (frames[-1].passes if frames else self._passes).append(item)
        if t is ast.Global or t is ast.Nonlocal:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            names = node.names  # type: ignore[attr-defined]
            if t is ast.Global:
                self.binds.extend((pos, n) for n in names)
            if frames:
                (frames[-1].globals if t is ast.Global else frames[-1].nonlocals).update(names)
            return
        if t is ast.Import or t is ast.ImportFrom:
            pos = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
            locals_ = [(a.asname or a.name).split(".")[0]
                       for a in node.names]  # type: ignore[attr-defined]
            if frames:
                frames[-1].bound.update(locals_)
            else:
                self.binds.extend((pos, n) for n in locals_)
            return
        if t is ast.ExceptHandler and frames and node.name:  # type: ignore[attr-defined]
            frames[-1].bound.add(node.name)  # type: ignore[attr-defined]
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.ClassDef:
            name = node.name  # type: ignore[attr-defined]
            if frames:
                frames[-1].bound.add(name)
            else:
                self.binds.append(((node.lineno, node.col_offset), name))  # type: ignore
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef or t is ast.Lambda:
            self._function(node, t is ast.Lambda, frames)
            return
        if t is ast.ClassDef and frames:
            # a class inside a function: its body binds class attributes, not the function's
            # locals, and every name it reads stays a use of the enclosing scopes
            for n in [*node.decorator_list, *node.bases, *node.keywords]:  # type: ignore
                self._scan(n, frames)
            body = _Frame(set())
            frames.append(body)
            for n in node.body:  # type: ignore[attr-defined]
                self._scan(n, frames)
            frames.pop()
            frames[-1].loads.extend(body.loads)
            frames[-1].mutates.extend(body.mutates)
            frames[-1].passes.extend(body.passes)
            self.binds.extend((p, n) for p, n in body.stores if n in body.globals)
            return
        for f in node._fields:
            if f == "ctx":
                continue
            v = getattr(node, f, None)
            if type(v) is list:
                for c in v:
                    if isinstance(c, ast.AST):
                        self._scan(c, frames)
            elif isinstance(v, ast.AST):
                self._scan(v, frames)

    def _function(self, node: ast.AST, is_lambda: bool, frames: List["_Frame"]) -> None:
        """Decorators, defaults and annotations in the enclosing scope; the body in a new one,
        whose names the function does not bind are then uses of the enclosing scope's."""
        args: ast.arguments = node.args  # type: ignore[attr-defined]
        outer: List[ast.AST] = [*getattr(node, "decorator_list", []), *args.defaults,
                                *(d for d in args.kw_defaults if d is not None)]
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        if not is_lambda:
            outer.extend(a.annotation for a in params if a is not None and a.annotation)
            if node.returns is not None:  # type: ignore[attr-defined]
                outer.append(node.returns)  # type: ignore[attr-defined]
        for n in outer:
            self._scan(n, frames)
        names = {a.arg for a in params if a is not None}
        frame = _Frame(set(names))
        frames.append(frame)
        raw = node.body  # type: ignore[attr-defined]
        for n in ([raw] if is_lambda else raw):
            self._scan(n, frames)
        frames.pop()
        local = frame.bound | {n for _, n in frame.stores}
        local -= frame.globals | frame.nonlocals
        parent = frames[-1] if frames else None
        for pos, name in frame.loads:
            if name not in local:
                if parent is not None:
                    parent.loads.append((pos, name))
                else:
                    self.names.append((pos, name))
        for pos, name in frame.mutates:
            if name not in local:
                (parent.mutates if parent is not None else self.mutated).append((pos, name))
        for pos, name, func in frame.passes:
            if name not in local:
                (parent.passes if parent is not None else self._passes).append((pos, name, func))
        if parent is None and not is_lambda and any(n in names for _, n in frame.mutates):
            self._fills.add(node.name)  # type: ignore[attr-defined]
        for pos, name in frame.stores:
            if name in frame.globals:
                self.binds.append((pos, name))
            elif name in frame.nonlocals and parent is not None:
                parent.stores.append((pos, name))

    @staticmethod
    def _cut(pos: List[Pos], items: List[Tuple[Pos, str]], start: Pos, end: Pos,
             skips: Sequence[Tuple[Pos, Pos]]) -> FrozenSet[str]:
        lo, hi = bisect_left(pos, start), bisect_left(pos, end)
        if not skips:
            return frozenset(name for _, name in items[lo:hi])
        out: Set[str] = set()
        gaps = sorted(skips)
        k = 0
        for p, name in items[lo:hi]:  # both sorted: one merge pass
            while k < len(gaps) and gaps[k][1] <= p:
                k += 1
            if k < len(gaps) and gaps[k][0] <= p:
                continue
            out.add(name)
        return frozenset(out)

    def binds_within(self, start: Pos, end: Pos) -> FrozenSet[str]:
        return self._cut(self._bind_pos, self.binds, start, end, ())

    def mutated_within(self, start: Pos, end: Pos) -> FrozenSet[str]:
        return self._cut(self._mutated_pos, self.mutated, start, end, ())

    def within(self, start: Pos, end: Pos, skips: Sequence[Tuple[Pos, Pos]] = ()
               ) -> Tuple[FrozenSet[str], FrozenSet[str], FrozenSet[str]]:
        """(free names, attributes, stored attributes) used between two positions."""
        return (self._cut(self._name_pos, self.names, start, end, skips),
                self._cut(self._attr_pos, self.attrs, start, end, skips),
                self._cut(self._stored_pos, self.stored, start, end, skips))


def module_imports(tree: ast.Module) -> FrozenSet[str]:
    """Names that module-level imports bind (also under ``if``/``try``/``with``)."""
    out: Set[str] = set()
    todo: List[ast.stmt] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.If, ast.Try, ast.With, ast.AsyncWith)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(getattr(node, block, []))
        elif isinstance(node, ast.ExceptHandler):
            todo.extend(node.body)
    return frozenset(out)


#: methods that change their receiver in place (the tracker's container methods, and more)
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault",
                      "__setitem__", "put", "appendleft", "extendleft", "register_buffer",
                      "register_parameter", "setflags", "fill", "sort", "resize", "itemset"})


def _mutator(method: str) -> bool:
    """Can ``x.method(...)`` change ``x``? Known mutators, and in-place tensor methods
    (``copy_``, ``mul_``): a trailing underscore, not a dunder."""
    return method in MUTATORS or (method.endswith("_") and not method.endswith("__"))
