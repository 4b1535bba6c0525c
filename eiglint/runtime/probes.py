"""Probes: a libcst rewrite that records the value of every flagged expression.

Each flagged expression (located by the finding's 1-based ``line``/``col`` and exclusive
``end_line``/``end_col``) becomes ``__eiglint_probe__(ID, expr)``; the probe records the value
and returns it unchanged. The rewrite only wraps expressions in place, so line numbers (and
tracebacks) stay those of the user's file; the rewritten text is compiled in the child process
and never written anywhere. ``__eiglint_probe__`` is installed in :mod:`builtins` by the child.

Sinks that evaluate to ``None`` are probed on the value they consume: ``loss.backward()`` probes
``loss``; ``print(x)``, ``torch.autograd.backward(x)`` probe ``x``.

Also here: :func:`scope_of` (which function encloses a finding, and can it be called without
arguments?) and :func:`top_level_names` for ``--entry``.
"""
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import (
    CodeRange,
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
)

from .record import PROBE_NAME

#: calls that return None: probe what they consume instead
_NONE_METHODS = frozenset({"backward"})
_NONE_FUNCTIONS = frozenset({"print", "backward"})

_CONTEXT_TYPES = (cst.Name, cst.Attribute, cst.Subscript, cst.Tuple, cst.List,
                  cst.StarredElement)
_NEEDS_PARENS = (cst.GeneratorExp, cst.Yield, cst.NamedExpr, cst.Tuple)


@dataclass(frozen=True)
class Site:
    """Where one probe goes. ``col`` 1-based, ``end_col`` exclusive 1-based (0 = unknown)."""

    id: int
    line: int
    col: int
    end_line: int = 0
    end_col: int = 0
    expr: str = ""


@dataclass
class Placement:
    """The outcome of placing a site: the probed source text, or why it failed."""

    site: Site
    code: str = ""
    note: str = ""
    error: str = ""


@dataclass
class Instrumented:
    source: str
    placements: dict[int, Placement] = field(default_factory=dict)

    @property
    def placed(self) -> list[int]:
        return [i for i, p in self.placements.items() if not p.error]


def _norm(text: str) -> str:
    return "".join(text.split())


def _strip_parens(text: str) -> str:
    t = text.strip()
    while t.startswith("(") and t.endswith(")"):
        inner = t[1:-1]
        depth = 0
        ok = True
        for ch in inner:
            depth += ch == "("
            depth -= ch == ")"
            if depth < 0:
                ok = False
                break
        if not ok or depth:
            break
        t = inner.strip()
    return t


class _Locator:
    def __init__(self, wrapper: MetadataWrapper) -> None:
        self.module = wrapper.module
        self.pos = wrapper.resolve(PositionProvider)
        self.ctx = wrapper.resolve(ExpressionContextProvider)
        self.parents = wrapper.resolve(ParentNodeProvider)
        self.nodes: list[tuple[cst.BaseExpression, CodeRange]] = [
            (n, r) for n, r in self.pos.items()
            if isinstance(n, cst.BaseExpression) and self.eligible(n)
        ]

    def eligible(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.StarredElement):
            return False
        if isinstance(node, _CONTEXT_TYPES) and self.ctx.get(node) is not ExpressionContext.LOAD:
            return False
        parent = self.parents.get(node)
        if isinstance(parent, cst.ConcatenatedString):
            return False
        # match patterns must stay patterns (``case Point.X:``)
        return not (type(parent).__name__.startswith("Match") and not isinstance(parent, cst.Match))

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def find(self, site: Site) -> tuple[cst.BaseExpression | None, str]:
        start = (site.line, max(site.col - 1, 0))
        end = (site.end_line, max(site.end_col - 1, 0)) if site.end_line else None

        def key(r: CodeRange) -> tuple[tuple[int, int], tuple[int, int]]:
            return (r.start.line, r.start.column), (r.end.line, r.end.column)

        if end is not None:
            exact = [n for n, r in self.nodes if key(r) == (start, end)]
            if exact:
                return self._outermost(exact), ""
        starting = [(n, r) for n, r in self.nodes if key(r)[0] == start]
        if site.expr:
            want = _norm(_strip_parens(site.expr))
            same = [n for n, _ in starting if _norm(_strip_parens(self.code(n))) == want]
            if same:
                return self._outermost(same), ""
            anywhere = [n for n, r in self.nodes
                        if r.start.line <= site.line <= r.end.line
                        and _norm(_strip_parens(self.code(n))) == want]
            if len(anywhere) == 1:
                return anywhere[0], "located by its source text"
        if end is not None:
            containing = [(n, r) for n, r in self.nodes
                          if key(r)[0] <= start and key(r)[1] >= end]
            if containing:
                n, _ = min(containing, key=lambda nr: (
                    (nr[1].end.line - nr[1].start.line), nr[1].end.column - nr[1].start.column))
                return n, "probed the smallest expression containing the flagged range"
        elif starting:
            n, _ = max(starting, key=lambda nr: (nr[1].end.line, nr[1].end.column))
            return n, "no end position: probed the largest expression starting there"
        return None, "no expression at this position"

    def _outermost(self, nodes: list[cst.BaseExpression]) -> cst.BaseExpression:
        ids = {id(n) for n in nodes}
        for n in nodes:
            p = self.parents.get(n)
            if p is None or id(p) not in ids:
                return n
        return nodes[0]

    def redirect(self, node: cst.BaseExpression) -> tuple[cst.BaseExpression, str]:
        """``x.backward()`` -> ``x``; ``print(x)`` -> ``x`` (sinks that evaluate to None)."""
        if not isinstance(node, cst.Call):
            return node, ""
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _NONE_METHODS:
            full = self.code(func)
            if not full.startswith(("torch.autograd.", "autograd.")) and self.eligible(func.value):
                return func.value, (f"probed the value `{self.code(func.value)}` passed to "
                                    f".{func.attr.value}()")
        fname = func.attr.value if isinstance(func, cst.Attribute) else (
            func.value if isinstance(func, cst.Name) else "")
        if fname in _NONE_FUNCTIONS and node.args and node.args[0].star == "" \
                and node.args[0].keyword is None and self.eligible(node.args[0].value):
            arg = node.args[0].value
            return arg, f"probed the argument `{self.code(arg)}` of {fname}()"
        return node, ""


class _Wrap(cst.CSTTransformer):
    def __init__(self, targets: dict[cst.CSTNode, list[int]]) -> None:
        super().__init__()
        self.targets = targets

    def on_leave(  # type: ignore[override]
            self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:
        ids = self.targets.get(original_node)
        if not ids or not isinstance(updated_node, cst.BaseExpression):
            return updated_node
        node: cst.BaseExpression = updated_node
        if isinstance(node, _NEEDS_PARENS) and not node.lpar:
            node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        for pid in sorted(ids):
            node = cst.Call(
                func=cst.Name(PROBE_NAME),
                args=[cst.Arg(cst.Integer(str(pid)),
                              comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                      cst.Arg(node)],
            )
        return node


def instrument(source: str, sites: Sequence[Site], filename: str = "<string>") -> Instrumented:
    """Wrap each site's expression in a probe. Never raises for a site it cannot place."""
    out = Instrumented(source)
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        for s in sites:
            out.placements[s.id] = Placement(s, error=f"cannot parse the file: {exc.message}")
        return out
    loc = _Locator(MetadataWrapper(module, unsafe_skip_copy=True))
    targets: dict[cst.CSTNode, list[int]] = {}
    for s in sites:
        found, note = loc.find(s)
        if found is None:
            out.placements[s.id] = Placement(s, error=note)
            continue
        node, extra = loc.redirect(found)
        note = "; ".join(x for x in (note, extra) if x)
        targets.setdefault(node, []).append(s.id)
        out.placements[s.id] = Placement(s, code=loc.code(node), note=note)
    if not targets:
        return out
    text = _rewrite(loc.module, targets)
    bad = _compile_error(text, filename)
    if bad is not None:  # isolate the offending sites, keep the rest
        for target, ids in list(targets.items()):
            alone = _rewrite(loc.module, {target: ids})
            err = _compile_error(alone, filename)
            if err is not None:
                del targets[target]
                for i in ids:
                    out.placements[i].error = f"the probed source does not compile: {err}"
        text = _rewrite(loc.module, targets) if targets else source
    out.source = text
    return out


def _rewrite(module: cst.Module, targets: dict[cst.CSTNode, list[int]]) -> str:
    return module.visit(_Wrap(targets)).code


def _compile_error(text: str, filename: str) -> str | None:
    try:
        compile(text, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})"
    except ValueError as exc:
        return str(exc)
    return None


# ---------------------------------------------------------------------------- scopes
@dataclass(frozen=True)
class Scope:
    """The top-level scope that contains a line.

    ``kind``: ``module`` (executed when the file runs), ``function`` (a top-level def),
    ``method`` (inside a class: not callable on its own), ``nested`` (inside a function body
    but in a nested def/class, reached only by calling the enclosing function).
    """

    kind: str
    name: str = ""
    callable_without_args: bool = False
    is_async: bool = False


def _required(args: ast.arguments, skip: int = 0) -> bool:
    """Does a call need arguments (after the first ``skip`` positional ones: ``cls``)?"""
    positional = [*args.posonlyargs, *args.args][skip:]
    if len(positional) > len(args.defaults):
        return True
    return any(d is None for d in args.kw_defaults)


def scope_of(tree: ast.Module, line: int) -> Scope:
    for node in tree.body:
        end = getattr(node, "end_lineno", None) or node.lineno
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        if not start <= line <= end:
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return Scope("function", node.name, not _required(node.args),
                         isinstance(node, ast.AsyncFunctionDef))
        if isinstance(node, ast.ClassDef):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        sub.lineno <= line <= (sub.end_lineno or sub.lineno):
                    return Scope("method", f"{node.name}.{sub.name}")
            return Scope("module")
        return Scope("module")
    return Scope("module")


def top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    names.add(t.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                names.add((a.asname or a.name).split(".")[0])
    return names


def entry_problem(tree: ast.Module, name: str) -> str:
    """Why ``--entry name`` cannot be called without arguments ('' if it can, or if it is not
    a plain top-level function or class method, e.g. a name bound by an assignment)."""
    first, _, rest = name.partition(".")
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == first:
            if not rest and _required(node.args):
                return f"`{name}` takes arguments, and confirm calls it without any"
            return ""
        if isinstance(node, ast.ClassDef) and node.name == first and rest and "." not in rest:
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                        sub.name == rest:
                    kinds = {d.id for d in sub.decorator_list if isinstance(d, ast.Name)}
                    if not kinds & {"staticmethod", "classmethod"}:
                        return (f"`{name}` is a method: confirm has no instance to call it "
                                "on")
                    needs = _required(sub.args, skip=1 if "classmethod" in kinds else 0)
                    if needs:
                        return f"`{name}` takes arguments, and confirm calls it without any"
                    return ""
    return ""


def enclosing_call(tree: ast.Module, text: str, line: int, col: int, end_line: int,
                   end_col: int) -> tuple[int, int, int, int, str] | None:
    """The flagged call itself, or the innermost call that takes the flagged range as an
    argument or as its receiver (``obj.method(...)``: an escape's callee),
    as ``(line, col, end_line, end_col, source)`` in the 1-based, end-exclusive convention
    of findings; None when the range is not an argument of a call."""
    want = (line, col - 1)
    want_end = (end_line, end_col - 1) if end_line else None
    best: ast.Call | None = None
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if (node.lineno, node.col_offset) == want and want_end is not None and \
                (node.end_lineno, node.end_col_offset) == want_end:
            best = node  # the flagged range is the call itself
            break
        receiver = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        for arg in [*node.args, *(k.value for k in node.keywords), *receiver]:
            a = arg.value if isinstance(arg, ast.Starred) else arg
            start = (a.lineno, a.col_offset)
            end = (a.end_lineno or a.lineno, a.end_col_offset or 0)
            if start <= want and (want_end is None or end >= want_end):
                if best is None or (node.lineno, node.col_offset) >= (best.lineno,
                                                                      best.col_offset):
                    best = node
    if best is None or best.end_lineno is None or best.end_col_offset is None:
        return None
    src = ast.get_source_segment(text, best) or ""
    return (best.lineno, best.col_offset + 1, best.end_lineno, best.end_col_offset + 1, src)


def has_main_guard(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare):
            parts = [node.test.left, *node.test.comparators]
            if any(isinstance(p, ast.Name) and p.id == "__name__" for p in parts) and any(
                    isinstance(p, ast.Constant) and p.value == "__main__" for p in parts):
                return True
    return False


__all__ = [
    "PROBE_NAME",
    "Instrumented",
    "Placement",
    "Scope",
    "Site",
    "enclosing_call",
    "entry_problem",
    "has_main_guard",
    "instrument",
    "scope_of",
    "top_level_names",
]
