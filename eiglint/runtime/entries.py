"""Entry discovery: a zero-argument caller of a function that needs arguments.

When flagged code sits in a function that takes arguments, ``confirm`` cannot call it. It
walks a static call graph of the analysed files upwards, breadth first, to the nearest
caller that can run on its own:

* a top-level function that takes no arguments (``run()``, ``main()``, a test function);
* module-level code of a file (a script body, an ``if __name__ == "__main__":`` block).

Calls are followed through instances (:class:`_Graph`): ``m = Model(...); m.fit(x)`` reaches
``Model.fit`` (or a base class's ``fit``), ``self.step()`` the methods of the class's
hierarchy, ``self.net = Net()`` then ``self.net(x)`` and ``Net()(x)`` reach
``Net.__call__``/``forward``, an instance returned by a factory function is one of its
class, instantiating a class reaches ``__init__``/``__post_init__``; a receiver of unknown
type (a parameter) reaches every method of that name, one that is surely no analysed class
(``KMeans(3)``, ``torch.zeros(2)``) none. Where this typed graph finds no caller, a walk by
names alone (a call ``x.f(...)`` an edge to every ``f``, a class's name to its implicit
methods) over-approximates; running a caller that does not reach the flagged code leaves the
probe ``not-reached``, never a wrong verdict.
"""
from __future__ import annotations

import ast
import os
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: methods run by instantiating or calling an instance of their class
_IMPLICIT = frozenset({"__init__", "__call__", "forward", "__post_init__"})
#: preferred zero-argument callers, best first, at the same distance
_PREFERRED = ("run", "main")
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", ".git", ".tox",
                        ".nox", "build", "dist", ".venv", "venv"})
#: analysed files read for the call graph, at most
MAX_FILES = 2000


@dataclass
class _Def:
    path: str  # as given
    name: str  # top-level name, ``Class.method`` for methods, ``<module>`` for module code
    simple: str  # the name callers use
    zero_args: bool
    calls: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Caller:
    """A runnable caller: ``kind`` ``call`` (a function of ``path``) or ``script``."""

    kind: str
    path: str
    name: str
    chain: tuple[str, ...]  # from the caller down to the flagged function

    def describe(self) -> str:
        what = f"`{self.name}()`" if self.kind == "call" else "the module-level code"
        return (f"{what} of {os.path.basename(self.path)} (calls "
                + " -> ".join(self.chain) + ")")


def python_files(paths: Iterable[str]) -> list[str]:
    """The ``.py`` files under ``paths`` (files and folders), hidden folders and virtual
    environments skipped."""
    out: list[str] = []
    for p in paths:
        if os.path.isfile(p):
            if p.endswith(".py"):
                out.append(p)
            continue
        for dirpath, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")
                             and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg")))
            out.extend(os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".py"))
            if len(out) >= MAX_FILES:
                return out[:MAX_FILES]
    return out


def _required(args: ast.arguments, skip: int = 0) -> bool:
    positional = [*args.posonlyargs, *args.args][skip:]
    if len(positional) > len(args.defaults):
        return True
    return any(d is None for d in args.kw_defaults)


def _called_names(nodes: Iterable[ast.AST]) -> set[str]:
    names: set[str] = set()
    for top in nodes:
        for n in ast.walk(top):
            if isinstance(n, ast.Call):
                f = n.func
                if isinstance(f, ast.Name):
                    names.add(f.id)
                elif isinstance(f, ast.Attribute):
                    names.add(f.attr)
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                names.add(n.id)  # a function passed along (map(f, xs), callbacks)
    return names


def _defs(path: str, tree: ast.Module) -> list[_Def]:
    out: list[_Def] = []
    module_code: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(_Def(path, node.name, node.name, not _required(node.args),
                            _called_names([node])))
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    d = _Def(path, f"{node.name}.{sub.name}", sub.name, False,
                             _called_names([sub]))
                    out.append(d)
                    if sub.name in _IMPLICIT:
                        # ``Net(...)`` / ``net(x)``: the class name reaches these methods
                        out.append(_Def(path, f"{node.name}.{sub.name}", node.name, False,
                                        d.calls))
        else:
            module_code.append(node)
    out.append(_Def(path, "<module>", "<module>", True, _called_names(module_code)))
    return out


#: what an expression's type set may hold besides analysed class names
_ANY = "?"  # possibly anything (a parameter, an unresolved value)
_EXTERNAL = "<external>"  # surely no analysed class (``KMeans(3)``, ``torch.zeros(2)``)
_UNKNOWN: frozenset[str] = frozenset({_ANY})
#: methods run by calling an instance, and by instantiating a class
_ON_CALL = ("__call__", "forward")
_ON_BUILD = frozenset({"__init__", "__post_init__"})


@dataclass
class _Node:
    """A function, method or module body of the typed call graph."""

    path: str
    name: str  # ``f``, ``Class.method``, ``<module>``
    zero_args: bool
    body: list[ast.AST]
    cls: str | None = None  # the class of a method
    args: ast.arguments | None = None
    tokens: set[str] = field(default_factory=set)
    #: the sub-nodes the graph looks at (assignments, returns, names, attributes, calls),
    #: collected in one walk
    parts: list[ast.AST] = field(default_factory=list)
    binds: list[ast.AST] = field(default_factory=list)  # the assignments among them

    def collect(self) -> None:
        kinds = (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.With, ast.AsyncWith,
                 ast.Return, ast.Name, ast.Attribute, ast.Call)
        self.parts = [sub for top in self.body for sub in ast.walk(top)
                      if isinstance(sub, kinds)]
        self.binds = [sub for sub in self.parts
                      if isinstance(sub, (ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.With,
                                          ast.AsyncWith))]


class _Graph:
    """Calls followed through instances: ``m = Model(...); m.fit(x)`` is an edge to
    ``Model.fit`` (and to a base class's ``fit``), ``self.step()`` to the methods of the
    class's hierarchy, ``self.net = Net()`` then ``self.net(x)`` to ``Net.forward``, an
    instance returned by a factory function to its class. A receiver of unknown type falls
    back to the method's name (every ``fit``); one known to be no analysed class (``KMeans()``,
    ``torch.zeros(2)``) is no edge at all.

    Edges are tokens: ``n:f`` (the name ``f``), ``a:m`` (an attribute ``m`` of an unknown
    receiver), ``q:C.m`` (method ``m`` of class ``C``, resolved)."""

    def __init__(self, trees: dict[str, tuple[str, ast.Module]]) -> None:
        self.nodes: list[_Node] = []
        self.bases: dict[str, set[str]] = {}
        self._ancestors: dict[str, set[str]] = {}
        self._descendants: dict[str, set[str]] = {}
        self.functions: set[str] = set()
        for _, (given, tree) in sorted(trees.items()):
            module: list[ast.AST] = []
            for node in tree.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.functions.add(node.name)
                    self.nodes.append(_Node(given, node.name, not _required(node.args),
                                            [node], args=node.args))
                elif isinstance(node, ast.ClassDef):
                    self.bases.setdefault(node.name, set()).update(
                        n for n in (_terminal(b) for b in node.bases) if n)
                    for sub in node.body:
                        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                            self.nodes.append(_Node(given, f"{node.name}.{sub.name}", False,
                                                    [sub], node.name, sub.args))
                else:
                    module.append(node)
            self.nodes.append(_Node(given, "<module>", True, module))
        self.attrs: dict[tuple[str, str], set[str]] = {}
        self.returns: dict[str, set[str]] = {}
        self.globals: dict[str, set[str]] = {}
        for n in self.nodes:
            n.collect()
        envs: dict[int, dict[str, set[str]]] = {}
        for _ in range(3):  # attributes and returns feed the environments, and back
            envs = {i: self._env(n) for i, n in enumerate(self.nodes)}
            self.globals = {}
            for i, n in enumerate(self.nodes):
                if n.name == "<module>":
                    for k, v in envs[i].items():
                        self.globals.setdefault(k, set()).update(v)
            attrs: dict[tuple[str, str], set[str]] = {}
            returns: dict[str, set[str]] = {}
            for i, n in enumerate(self.nodes):
                self._facts(n, envs[i], attrs, returns)
            self.attrs, self.returns = attrs, returns
        for i, n in enumerate(self.nodes):
            n.tokens = self._tokens(n, envs[i])

    # -- classes
    def ancestors(self, cls: str) -> set[str]:
        """``cls`` and its analysed base classes."""
        known = self._ancestors.get(cls)
        if known is not None:
            return known
        out, todo = {cls}, [cls]
        while todo:
            for b in self.bases.get(todo.pop(), ()):
                if b in self.bases and b not in out:
                    out.add(b)
                    todo.append(b)
        self._ancestors[cls] = out
        return out

    def hierarchy(self, cls: str) -> set[str]:
        """``cls``, its analysed bases and subclasses (what ``self`` may be)."""
        if not self._descendants and self.bases:
            for c in self.bases:
                for a in self.ancestors(c):
                    self._descendants.setdefault(a, set()).add(c)
        return self.ancestors(cls) | self._descendants.get(cls, set())

    # -- types
    def _env(self, node: _Node) -> dict[str, set[str]]:
        env: dict[str, set[str]] = {}
        if node.cls is not None and node.args is not None:
            first = [*node.args.posonlyargs, *node.args.args][:1]
            if first:
                env[first[0].arg] = self.hierarchy(node.cls)
        if node.args is not None:
            for a in [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]:
                env.setdefault(a.arg, set(_UNKNOWN))
        for _ in range(2):
            for sub in node.binds:
                pairs: list[tuple[ast.AST, ast.AST]] = []
                if isinstance(sub, ast.Assign):
                    pairs = [(t, sub.value) for t in sub.targets]
                elif isinstance(sub, (ast.AnnAssign, ast.NamedExpr)) and sub.value:
                    pairs = [(sub.target, sub.value)]
                elif isinstance(sub, (ast.With, ast.AsyncWith)):
                    pairs = [(w.optional_vars, w.context_expr) for w in sub.items
                             if w.optional_vars is not None]
                for target, value in pairs:
                    if isinstance(target, ast.Name):
                        env.setdefault(target.id, set()).update(self.type_of(value, env))
                    elif isinstance(target, (ast.Tuple, ast.List)):
                        for elt in target.elts:
                            if isinstance(elt, ast.Name):
                                env.setdefault(elt.id, set()).add(_ANY)
        return env

    def _facts(self, node: _Node, env: dict[str, set[str]],
               attrs: dict[tuple[str, str], set[str]], returns: dict[str, set[str]]) -> None:
        """Into ``attrs`` and ``returns``: the instance attributes a function binds
        (``self.net = Net()``), and what a top-level function returns."""
        for sub in node.parts:
            if isinstance(sub, ast.Assign):
                for t in sub.targets:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name):
                        owners = env.get(t.value.id, _UNKNOWN)
                        if _ANY in owners:
                            continue
                        value = self.type_of(sub.value, env)
                        for owner in owners - {_EXTERNAL}:
                            attrs.setdefault((owner, t.attr), set()).update(value)
            elif node.cls is None and node.name != "<module>" and \
                    isinstance(sub, ast.Return):
                returns.setdefault(node.name, set()).update(
                    self.type_of(sub.value, env) if sub.value is not None
                    else {_EXTERNAL})

    def class_named(self, expr: ast.AST, env: dict[str, set[str]]) -> str | None:
        """The analysed class ``expr`` names (``Model``, ``models.Model``), if any."""
        if isinstance(expr, ast.Name) and expr.id in self.bases and expr.id not in env:
            return expr.id
        if isinstance(expr, ast.Attribute) and expr.attr in self.bases:
            return expr.attr
        return None

    def type_of(self, expr: ast.AST, env: dict[str, set[str]]) -> set[str]:
        if isinstance(expr, ast.Name):
            if expr.id in env:
                return env[expr.id] or set(_UNKNOWN)
            return set(self.globals.get(expr.id) or _UNKNOWN)
        if isinstance(expr, ast.Attribute):
            recv = self.type_of(expr.value, env)
            out: set[str] = set()
            for c in recv - {_ANY, _EXTERNAL}:
                for a in self.ancestors(c):
                    out |= self.attrs.get((a, expr.attr), set())
            return out or set(_UNKNOWN)
        if isinstance(expr, ast.Call):
            cls = self.class_named(expr.func, env)
            if cls is not None:
                return {cls}
            f = expr.func
            if isinstance(f, ast.Name) and f.id not in env:
                if f.id in self.functions:
                    return set(self.returns.get(f.id) or _UNKNOWN)
                return {_EXTERNAL}  # a builtin or an imported callable: no analysed class
            if isinstance(f, ast.Attribute) and _ANY not in self.type_of(f.value, env) and \
                    not self.type_of(f.value, env) - {_EXTERNAL}:
                return {_EXTERNAL}  # a method of a library object (``torch.zeros``)
            return set(_UNKNOWN)
        if isinstance(expr, (ast.Constant, ast.BinOp, ast.Compare, ast.BoolOp, ast.UnaryOp,
                             ast.List, ast.Tuple, ast.Dict, ast.Set, ast.ListComp,
                             ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.JoinedStr)):
            return {_EXTERNAL}
        return set(_UNKNOWN)

    # -- edges
    def _members(self, recv: set[str], attr: str) -> set[str]:
        out = {f"q:{a}.{attr}" for c in recv - {_ANY, _EXTERNAL} for a in self.ancestors(c)}
        if _ANY in recv:
            out.add(f"a:{attr}")
        return out

    def _tokens(self, node: _Node, env: dict[str, set[str]]) -> set[str]:
        out: set[str] = set()
        for sub in node.parts:
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                out.add(f"n:{sub.id}")  # a call, or a function passed along
            elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Load):
                if sub.attr in self.bases:
                    out.add(f"n:{sub.attr}")  # ``models.Model(...)``
                cls = self.class_named(sub.value, env)
                if cls is not None:
                    out |= {f"q:{a}.{sub.attr}" for a in self.ancestors(cls)}
                else:
                    out |= self._members(self.type_of(sub.value, env), sub.attr)
            elif isinstance(sub, ast.Call):
                # an instance called: ``net(x)``, ``self.net(x)``, ``Net()(x)``
                for attr in _ON_CALL:
                    out |= self._members(self.type_of(sub.func, env) - {_ANY}, attr)
        return out

    def reach(self, target: _Node) -> set[str]:
        """The tokens by which a caller reaches ``target``."""
        if target.cls is None:
            return {f"n:{target.name}", f"a:{target.name}"}
        meth = target.name.rsplit(".", 1)[-1]
        out = {f"q:{target.name}", f"a:{meth}"}
        if meth in _ON_BUILD:
            out |= {f"n:{target.cls}"}
        return out

    def find(self, target_path: str, target_name: str, max_depth: int) -> Caller | None:
        key = os.path.normcase(os.path.realpath(target_path))
        start = [n for n in self.nodes if n.name == target_name
                 and os.path.normcase(os.path.realpath(n.path)) == key]
        if not start:
            return None
        frontier: list[tuple[_Node, tuple[str, ...]]] = [(start[0], (target_name,))]
        seen = {(start[0].path, start[0].name)}
        for _ in range(max_depth):
            found: list[Caller] = []
            nxt: list[tuple[_Node, tuple[str, ...]]] = []
            for target, chain in frontier:
                reach = self.reach(target)
                for d in self.nodes:
                    if not d.tokens & reach or d.name in chain:
                        continue
                    if d.name == "<module>":
                        found.append(Caller("script", d.path, "<module>", ("<module>", *chain)))
                    elif d.zero_args and d.cls is None:
                        found.append(Caller("call", d.path, d.name, (d.name, *chain)))
                    elif (d.path, d.name) not in seen:
                        seen.add((d.path, d.name))
                        nxt.append((d, (d.name, *chain)))
            if found:
                return min(found, key=lambda c: _rank(c, target_path))
            if not nxt:
                return None
            frontier = nxt
        return None


def _terminal(expr: ast.AST) -> str:
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    return ""


def find_caller(target_path: str, target_name: str,
                trees: dict[str, tuple[str, ast.Module]],
                max_depth: int = 8) -> Caller | None:
    """The nearest zero-argument caller of ``target_name`` (a top-level function or
    ``Class.method`` of ``target_path``) among ``trees`` (normalised path -> (path as given,
    tree)); None when there is none.

    The typed call graph first (:class:`_Graph`: calls followed through instances); where it
    finds no caller, the name-based walk, which over-approximates (a caller that does not
    reach the flagged code leaves it ``not-reached``, never a wrong verdict)."""
    try:
        typed = _graph_of(trees).find(target_path, target_name, max_depth)
    except RecursionError:  # an absurdly deep expression: the walk by names still works
        typed = None
    return typed or _find_by_name(target_path, target_name, trees, max_depth)


#: the typed graph of the last ``trees`` (one confirm asks for every probe of the same files)
_LAST: list[tuple[dict[str, tuple[str, ast.Module]], _Graph]] = []


def _graph_of(trees: dict[str, tuple[str, ast.Module]]) -> _Graph:
    if _LAST and _LAST[0][0] is trees:
        return _LAST[0][1]
    graph = _Graph(trees)
    _LAST[:] = [(trees, graph)]
    return graph


def _find_by_name(target_path: str, target_name: str,
                  trees: dict[str, tuple[str, ast.Module]],
                  max_depth: int = 8) -> Caller | None:
    """The name-based walk: every call ``x.f(...)`` is an edge to every ``f``, a class's
    name reaches its implicit methods."""
    defs: list[_Def] = []
    for _, (given, tree) in sorted(trees.items()):
        defs.extend(_defs(given, tree))
    by_simple: dict[str, list[_Def]] = {}
    for d in defs:
        by_simple.setdefault(d.simple, []).append(d)
    start_simple = target_name.rsplit(".", 1)[-1]
    frontier: deque[tuple[str, tuple[str, ...], int]] = deque([(start_simple, (target_name,),
                                                                0)])
    if "." in target_name and start_simple in _IMPLICIT:
        frontier.append((target_name.split(".", 1)[0], (target_name,), 0))
    seen: set[str] = {start_simple}
    while frontier:
        level = list(frontier)
        frontier.clear()
        found: list[Caller] = []
        for name, chain, depth in level:
            for d in defs:
                if name not in d.calls or d.name in chain:
                    continue
                if d.name == "<module>":
                    found.append(Caller("script", d.path, "<module>", ("<module>", *chain)))
                elif d.zero_args and "." not in d.name:
                    found.append(Caller("call", d.path, d.name, (d.name, *chain)))
                elif depth + 1 < max_depth and d.simple not in seen:
                    seen.add(d.simple)
                    frontier.append((d.simple, (d.name, *chain), depth + 1))
                    if "." in d.name and d.name.rsplit(".", 1)[-1] in _IMPLICIT:
                        cls = d.name.split(".", 1)[0]
                        if cls not in seen:
                            seen.add(cls)
                            frontier.append((cls, (d.name, *chain), depth + 1))
        if found:
            return min(found, key=lambda c: _rank(c, target_path))
    return None


def _rank(c: Caller, target_path: str) -> tuple[int, int, int, str]:
    same_file = 0 if os.path.realpath(c.path) == os.path.realpath(target_path) else 1
    if c.kind == "call":
        pref = _PREFERRED.index(c.name) if c.name in _PREFERRED else (
            len(_PREFERRED) if c.name.startswith("test") else len(_PREFERRED) + 1)
    else:
        pref = len(_PREFERRED) + 2
    return (len(c.chain), same_file, pref, c.path)


def parse_files(paths: Sequence[str]) -> dict[str, tuple[str, ast.Module]]:
    """normalised path -> (path, tree) of the files that parse."""
    out: dict[str, tuple[str, ast.Module]] = {}
    for p in paths:
        key = os.path.normcase(os.path.realpath(p))
        if key in out:
            continue
        try:
            with open(p, "rb") as fh:
                out[key] = (p, ast.parse(fh.read(), filename=p))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return out


__all__ = ["Caller", "find_caller", "parse_files", "python_files"]
