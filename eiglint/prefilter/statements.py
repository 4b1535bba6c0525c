"""What the pre-filter reads of a module: its import records (from the text, or from
:mod:`ast`), and per top-level statement the identifiers it uses, the names it binds and where
it names a decomposition in code (the slicer's seeds)."""
from __future__ import annotations

import ast
from bisect import bisect_left
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from .. import catalogue
from ..imports import resolve_relative
from .words import is_ident


@dataclass(frozen=True)
class ImportRecord:
    """One name an import statement binds: ``local`` = module ``module`` or ``module.name``."""

    local: str
    module: str  # absolute dotted module (relative imports resolved)
    name: Optional[str]  # None: ``import module`` binds the module itself; "*": star import
    line: int


@dataclass(frozen=True)
class Stmt:
    ids: FrozenSet[str]  # identifiers used in code (names, attributes, imported names)
    binds: FrozenSet[str]  # module-level names the statement binds (imports excluded)
    imports: Tuple[ImportRecord, ...]
    line: int
    #: identifier -> first line it occurs on (only for trigger-like words: for explanations)
    first: Tuple[Tuple[str, int], ...]


def _hot(node: ast.AST, hot: Optional[List[int]]) -> bool:
    """Whether a node's lines hold one of the ``hot`` lines (always, without ``hot``)."""
    if hot is None:
        return True
    start = getattr(node, "lineno", None)
    if start is None:
        return True
    for d in getattr(node, "decorator_list", ()):  # decorators sit above ``def``/``class``
        start = min(start, d.lineno)
    k = bisect_left(hot, start)
    return k < len(hot) and hot[k] <= (getattr(node, "end_lineno", None) or start)


def _walk(tree: ast.AST, hot: Optional[List[int]]) -> Iterator[ast.AST]:
    """:func:`ast.walk`, not entering nodes whose lines hold no ``hot`` line."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(c for c in ast.iter_child_nodes(node) if _hot(c, hot))


def library_names(tree: ast.Module, roots: FrozenSet[str], me: str, is_package: bool,
                   hot: Optional[List[int]] = None) -> Tuple[FrozenSet[str], FrozenSet[str]]:
    """(names bound to a catalogue library or one of its members — ``np``, ``torch``,
    ``LA`` in ``from torch import linalg as LA``, ``la = np.linalg`` —, every name the module
    binds anywhere).

    With ``hot`` (the lines that name a decomposition or import), only nodes on those lines are
    visited: a name then missing from both sets counts as unbound, so a decomposition's name
    used through it is still a seed (more seeds, never fewer)."""
    lib: Set[str] = set()
    bound: Set[str] = set()
    assigns: List[Tuple[List[str], ast.AST]] = []
    for node in _walk(tree, hot):
        if isinstance(node, ast.Import):
            for a in node.names:
                local = a.asname or a.name.split(".")[0]
                bound.add(local)
                if a.name.split(".")[0] in roots:
                    lib.add(local)
        elif isinstance(node, ast.ImportFrom):
            module = resolve_relative(node.level, node.module, me, is_package)
            for a in node.names:
                bound.add(a.asname or a.name)
                if module.split(".")[0] in roots:
                    lib.add(a.asname or a.name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound.add(node.id)
        elif isinstance(node, ast.Assign):
            assigns.append(([t.id for t in node.targets if isinstance(t, ast.Name)],
                            node.value))
    for _ in range(3):  # alias chains: la = np.linalg; lg = la
        for targets, value in assigns:
            root = value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name) and root.id in lib:
                lib.update(targets)
    return frozenset(lib), frozenset(bound)


class Collector(ast.NodeVisitor):
    def __init__(self, me: str, is_package: bool, words: FrozenSet[str],
                 lib: FrozenSet[str] = frozenset(), bound: FrozenSet[str] = frozenset(),
                 roots: FrozenSet[str] = frozenset(), hot: Optional[List[int]] = None) -> None:
        self.hot = hot  # only for seeds and imports: nodes on no hot line hold neither
        self.me, self.is_package, self.words = me, is_package, words
        self.lib, self.bound, self.roots = lib, bound, roots
        self.ids: Set[str] = set()
        self.binds: Set[str] = set()
        self.imports: List[ImportRecord] = []
        self.first: Dict[str, int] = {}
        #: where decompositions are named in code, and imports (for :mod:`eiglint.slicing`)
        self.seeds: List[Tuple[int, int]] = []
        self.import_at: List[Tuple[Tuple[int, int], ImportRecord]] = []
        self.depth = 0  # inside a function or class body: bindings there are local

    def visit(self, node: ast.AST) -> None:
        if self.hot is None or _hot(node, self.hot):
            super().visit(node)

    def _id(self, name: str, line: int, seed: bool = False, col: int = 0) -> None:
        """An identifier; ``seed``: it is a *use* that can reach a decomposition (a name read,
        an attribute, an imported name), unlike a definition, a parameter or a keyword."""
        self.ids.add(name)
        if seed and name in self.words:
            self.seeds.append((line, col))
            if name not in self.first:
                self.first[name] = line

    def visit_Name(self, node: ast.Name) -> None:
        # ``eigh(A)`` after ``from scipy.linalg import eigh`` (or a star import: unbound)
        self._id(node.id, node.lineno, isinstance(node.ctx, ast.Load) and (
            node.id in self.lib or node.id not in self.bound), node.col_offset)
        if self.depth == 0 and isinstance(node.ctx, (ast.Store, ast.Del)):
            self.binds.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # ``np.linalg.eig``: a chain rooted at a catalogue library (``ctx.eig`` of mpmath or
        # ``self.schur()`` never reach the catalogue)
        root: ast.AST = node.value
        while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
            root = root.func if isinstance(root, ast.Call) else root.value
        lib = isinstance(root, ast.Name) and (root.id in self.lib or root.id not in self.bound)
        self._id(node.attr, node.lineno, lib, node.col_offset)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        # ``x.svd()`` is a decomposition whatever ``x`` is (a reference ``f = x.svd`` is not)
        if isinstance(node.func, ast.Attribute) and node.func.attr in catalogue.TENSOR_METHODS:
            self._id(node.func.attr, node.lineno, True, node.col_offset)
        elif isinstance(node.func, ast.Attribute) and \
                node.func.attr in catalogue.NAMESPACE_METHODS and (node.args or any(
                    k.arg in ("a", "A", "x") for k in node.keywords)):
            # ``xp.linalg.eigh(A)`` on an array-API namespace the tracker cannot name
            self._id(node.func.attr, node.lineno, True, node.col_offset)
        self.generic_visit(node)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg:
            self._id(node.arg, node.value.lineno)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.binds.update(node.names)
        for n in node.names:
            self._id(n, node.lineno)

    def _scope(self, node: ast.AST, name: Optional[str], line: int) -> None:
        if name is not None:
            self._id(name, line)
            if self.depth == 0:
                self.binds.add(name)
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scope(node, node.name, node.lineno)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._scope(node, node.name, node.lineno)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scope(node, node.name, node.lineno)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._scope(node, None, node.lineno)

    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            seed = a.name.split(".")[0] in self.roots
            for part in a.name.split("."):
                self._id(part, node.lineno, seed, node.col_offset)
            if a.asname:
                self._id(a.asname, node.lineno)
                self.imports.append(ImportRecord(a.asname, a.name, None, node.lineno))
            else:
                top = a.name.split(".")[0]
                # ``import a.b.c`` binds ``a``; attribute chains reach a.b.c
                self.imports.append(ImportRecord(top, a.name, None, node.lineno))
            self.import_at.append(((node.lineno, node.col_offset), self.imports[-1]))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = resolve_relative(node.level, node.module, self.me, self.is_package)
        for part in (node.module or "").split("."):
            if part:
                self._id(part, node.lineno)
        seed = module.split(".")[0] in self.roots
        for a in node.names:
            self._id(a.name, node.lineno, seed, node.col_offset)
            local = a.asname or a.name
            if a.asname:
                self._id(a.asname, node.lineno)
            self.imports.append(ImportRecord(local, module, a.name, node.lineno))
            self.import_at.append(((node.lineno, node.col_offset), self.imports[-1]))


def module_statements(tree: ast.Module, me: str, is_package: bool,
                words: FrozenSet[str], roots: FrozenSet[str]) -> List[Stmt]:
    lib, bound = library_names(tree, roots, me, is_package)
    out = []
    for node in tree.body:
        c = Collector(me, is_package, words, lib, bound, roots)
        c.visit(node)
        out.append(Stmt(frozenset(c.ids), frozenset(c.binds), tuple(c.imports),
                         getattr(node, "lineno", 1), tuple(sorted(c.first.items()))))
    return out


def text_imports(text: str, me: str, is_package: bool) -> List[ImportRecord]:
    """Import records of a module's text without parsing it (over-approximate: imports in
    strings count too). Parenthesised and backslash-continued imports are followed."""
    out: List[ImportRecord] = []
    n = len(text)
    line, counted = 1, 0  # line numbers counted incrementally (not from the start each time)
    i = text.find("import")
    while i != -1:
        end_word = i + 6
        if (i > 0 and is_ident(text[i - 1])) or (end_word < n and is_ident(text[end_word])):
            i = text.find("import", end_word)
            continue
        ls = text.rfind("\n", 0, i) + 1
        prefix = text[ls:i].rsplit(";", 1)[-1].strip()  # ``x = 1; import y``
        le = text.find("\n", i)
        le = n if le == -1 else le
        rest = text[end_word:le]
        nxt = le
        if rest.lstrip().startswith("("):
            close = text.find(")", end_word)
            if close != -1:
                rest = text[end_word:close + 1]
                nxt = close + 1
        while rest.rstrip().endswith("\\") and nxt < n:
            le2 = text.find("\n", nxt + 1)
            le2 = n if le2 == -1 else le2
            rest = rest.rstrip()[:-1] + " " + text[nxt + 1:le2]
            nxt = le2
        line += text.count("\n", counted, i)
        counted = i
        if "#" in rest:
            rest = "\n".join(part.split("#", 1)[0] for part in rest.split("\n"))
        body = rest.replace("(", " ").replace(")", " ").replace("\\", " ")
        names = [p.split() for p in body.replace("\n", " ").split(",")]
        if prefix == "":
            for p in names:
                if p and dotted_name(p[0]):
                    local = p[2] if len(p) >= 3 and p[1] == "as" else p[0].split(".")[0]
                    out.append(ImportRecord(local, p[0], None, line))
        elif prefix.startswith("from"):
            spec = prefix[4:].strip()
            level = len(spec) - len(spec.lstrip("."))
            mod = spec[level:]
            if (mod == "" and level) or dotted_name(mod):
                module = resolve_relative(level, mod or None, me, is_package)
                for p in names:
                    if not p:
                        continue
                    if p[0] == "*":
                        out.append(ImportRecord("*", module, "*", line))
                    elif p[0].isidentifier():
                        local = p[2] if len(p) >= 3 and p[1] == "as" else p[0]
                        out.append(ImportRecord(local, module, p[0], line))
        i = text.find("import", max(nxt, end_word))
    return out


def dotted_name(s: str) -> bool:
    return bool(s) and all(part.isidentifier() for part in s.split("."))
