"""The project-aware pre-filter: which files can hold a tracked value at all.

libcst is ~40x slower than :mod:`ast`, and most files of a real repository never touch a
decomposition. A file is analysed with the tracker only when one of its statements

* names a decomposition of the catalogue in *code* (``eigh``, ``svd``, ``A.svd()``, an alias
  ``from torch.linalg import eig as E``, a configured extra source) — words in strings,
  comments and docstrings do not count, since the tracker resolves calls from names; or
* uses a name that another project module exports *charged*: a name bound there by a
  statement that is itself charged (a helper that calls ``eigh``, a class whose methods
  store eigenvectors, a re-export of such a name, ...), followed transitively over the import
  graph to a fixpoint (import cycles included).

The decision is made per run with cheap scans (a substring search, then :mod:`ast` for the files
whose text mentions such a name; the ``ast`` tree is the syntax gate that every file passes
anyway) and is explained by :class:`Decision` (``eiglint --explain-skips``).

Why this is sound for the tracker: a value only becomes gauge-carrying at a decomposition call,
which the tracker recognises by name; from there it reaches other statements only through
names bound at module level (functions, classes, variables) or through imports. A file none of
whose statements can see such a name has no tracked value, so the tracker could not report
anything in it (files that cannot be parsed are still reported by the syntax gate).
"""
from __future__ import annotations

import ast
import os
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Iterator, List, Optional, Set, Tuple

from . import catalogue, slicing
from .imports import resolve_relative
from .project import MAX_IMPORTED_MODULE_SIZE, Project
from .settings import DEFAULT_SETTINGS, Settings


@lru_cache(maxsize=32)
def trigger_words(extra: Tuple[str, ...] = ()) -> FrozenSet[str]:
    """Identifiers that name a decomposition: the last component of every catalogue entry,
    alias, tensor method, self-fixing routine and configured extra source."""
    names = [d.qualname for d in catalogue.DECOMPOSITIONS]
    names += list(catalogue.ALIASES) + list(catalogue.TENSOR_METHODS)
    names += list(catalogue.SELF_FIXING) + list(extra)
    return frozenset(n.rsplit(".", 1)[-1] for n in names if n)


@lru_cache(maxsize=32)
def _roots(words: FrozenSet[str]) -> Tuple[str, ...]:
    """The fewest substrings whose occurrences cover every word (``eig`` covers ``eigh``)."""
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def _is_ident(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _whole_words(text: str, root: str, words: FrozenSet[str]) -> Iterator[Tuple[int, str]]:
    """(start, word) of each occurrence of ``root`` that lies in one of ``words`` as a whole
    identifier-like word, in order."""
    n = len(text)
    i = text.find(root)
    while i != -1:
        s = i
        while s > 0 and _is_ident(text[s - 1]):
            s -= 1
        e = i + len(root)
        while e < n and _is_ident(text[e]):
            e += 1
        if text[s:e] in words:
            yield s, text[s:e]
        i = text.find(root, e)


def find_word(text: str, words: FrozenSet[str]) -> Optional[Tuple[str, int]]:
    """First occurrence of one of ``words`` as a whole identifier-like word: (word, line).

    A substring search per root followed by a boundary check: on 46 MB of torch sources this
    costs about as much as reading them (a regex alternation costs 20x more).
    """
    firsts: List[Tuple[int, str]] = []
    for root in _roots(words):
        hit = next(_whole_words(text, root, words), None)
        if hit is not None:
            firsts.append(hit)
    if not firsts:
        return None
    start, word = min(firsts)
    return word, text.count("\n", 0, start) + 1


_IMPORT_WORD = frozenset({"import"})


def word_lines(text: str, words: FrozenSet[str]) -> List[int]:
    """Lines of every occurrence of one of ``words`` as a whole identifier-like word."""
    positions = sorted(s for root in _roots(words) for s, _ in _whole_words(text, root, words))
    out: List[int] = []
    line, counted = 1, 0
    for p in positions:
        line += text.count("\n", counted, p)
        counted = p
        out.append(line)
    return out


# ----------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class _Import:
    """One name an import statement binds: ``local`` = module ``module`` or ``module.name``."""

    local: str
    module: str  # absolute dotted module (relative imports resolved)
    name: Optional[str]  # None: ``import module`` binds the module itself; "*": star import
    line: int


@dataclass(frozen=True)
class _Stmt:
    ids: FrozenSet[str]  # identifiers used in code (names, attributes, imported names)
    binds: FrozenSet[str]  # module-level names the statement binds (imports excluded)
    imports: Tuple[_Import, ...]
    line: int
    #: identifier -> first line it occurs on (only for trigger-like words: for explanations)
    first: Tuple[Tuple[str, int], ...]


@lru_cache(maxsize=32)
def library_roots(extra: Tuple[str, ...] = ()) -> FrozenSet[str]:
    """Top-level packages whose functions the catalogue (or the configuration) names."""
    names = [d.qualname for d in catalogue.DECOMPOSITIONS] + list(catalogue.SELF_FIXING)
    return frozenset(n.split(".")[0] for n in [*names, *extra] if n)


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


def _library_names(tree: ast.Module, roots: FrozenSet[str], me: str, is_package: bool,
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


class _Collector(ast.NodeVisitor):
    def __init__(self, me: str, is_package: bool, words: FrozenSet[str],
                 lib: FrozenSet[str] = frozenset(), bound: FrozenSet[str] = frozenset(),
                 roots: FrozenSet[str] = frozenset(), hot: Optional[List[int]] = None) -> None:
        self.hot = hot  # only for seeds and imports: nodes on no hot line hold neither
        self.me, self.is_package, self.words = me, is_package, words
        self.lib, self.bound, self.roots = lib, bound, roots
        self.ids: Set[str] = set()
        self.binds: Set[str] = set()
        self.imports: List[_Import] = []
        self.first: Dict[str, int] = {}
        #: where decompositions are named in code, and imports (for :mod:`eiglint.slicing`)
        self.seeds: List[Tuple[int, int]] = []
        self.import_at: List[Tuple[Tuple[int, int], _Import]] = []
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
                self.imports.append(_Import(a.asname, a.name, None, node.lineno))
            else:
                top = a.name.split(".")[0]
                # ``import a.b.c`` binds ``a``; attribute chains reach a.b.c
                self.imports.append(_Import(top, a.name, None, node.lineno))
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
            self.imports.append(_Import(local, module, a.name, node.lineno))
            self.import_at.append(((node.lineno, node.col_offset), self.imports[-1]))


def _statements(tree: ast.Module, me: str, is_package: bool,
                words: FrozenSet[str], roots: FrozenSet[str]) -> List[_Stmt]:
    lib, bound = _library_names(tree, roots, me, is_package)
    out = []
    for node in tree.body:
        c = _Collector(me, is_package, words, lib, bound, roots)
        c.visit(node)
        out.append(_Stmt(frozenset(c.ids), frozenset(c.binds), tuple(c.imports),
                         getattr(node, "lineno", 1), tuple(sorted(c.first.items()))))
    return out


# ----------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decision:
    analyse: bool
    reason: str
    #: the part of the module the tracker has to see (None: all of it)
    slice: Optional[slicing.Slice] = None


@dataclass
class _ModuleInfo:
    path: str
    me: str
    is_package: bool
    import_recs: List[_Import]
    has_trigger: bool
    stmts: Optional[List[_Stmt]] = None  # None: not parsed (nothing in it can be charged)
    unparsable: bool = False


class ChargeIndex:
    """Which names each project module exports charged, computed lazily and to a fixpoint."""

    def __init__(self, project: Project, settings: Settings = DEFAULT_SETTINGS) -> None:
        self.project = project
        self.settings = settings
        self.words = trigger_words(tuple(settings.extra_sources))
        self.roots = library_roots(tuple(settings.extra_sources))
        self._final: Dict[str, Tuple[FrozenSet[str], Dict[str, str]]] = {}
        self._pass: Dict[str, Tuple[FrozenSet[str], Dict[str, str]]] = {}
        self._visited: Set[str] = set()
        self._changed = False
        self._provisional = False
        self._done: Set[str] = set()
        self._depth = 0
        self._infos: Dict[str, Optional[_ModuleInfo]] = {}

    # -- module text -----------------------------------------------------------------

    def _info(self, path: str) -> Optional[_ModuleInfo]:
        """Imports of a project module (read once), parsed into statements when one of them
        could be charged: a trigger word, or an import of something charged (re-checked on
        every pass of the fixpoint, since imports may become charged later)."""
        if path in self._infos:
            info = self._infos[path]
        else:
            info = None
            text = self._read(path)
            if text is not None:
                _, me = self.project.module_of(path)
                is_pkg = os.path.basename(path) == "__init__.py"
                info = _ModuleInfo(path, me, is_pkg, _text_imports(text, me, is_pkg),
                                   find_word(text, self.words) is not None)
            self._infos[path] = info
        if info is not None and info.stmts is None and not info.unparsable and (
                info.has_trigger or any(self._module_charged(r.module, r.name, path)
                                        for r in info.import_recs)):
            text = self._read(path)
            tree = None
            if text is not None:
                try:
                    tree = ast.parse(text)
                except (SyntaxError, ValueError, RecursionError, MemoryError):
                    tree = None
            if tree is None:
                info.unparsable = True
            else:
                info.stmts = _statements(tree, info.me, info.is_package, self.words, self.roots)
        return info

    @staticmethod
    def _read(path: str) -> Optional[str]:
        try:
            if os.path.getsize(path) > MAX_IMPORTED_MODULE_SIZE:
                return None
            with open(path, "rb") as fh:
                return fh.read().decode("utf-8", "replace")
        except OSError:
            return None

    def _module_charged(self, module: str, name: Optional[str], importer: str) -> bool:
        """Whether an import record can bring in something charged (cheap: names only)."""
        if not module:
            return False
        if name is not None and name in self.words and module.split(".")[0] in self.roots:
            return True
        found = self._exports_quiet(module, importer)
        if found is None:
            return False
        names, aliases = found
        if name is None or name == "*":
            return bool(names or aliases)
        if name in names or name in aliases:
            return True
        sub = self._exports_quiet(f"{module}.{name}", importer)
        return sub is not None and bool(sub[0] or sub[1])

    # -- exports ---------------------------------------------------------------------

    def exports(self, module: str, importer: Optional[str] = None
                ) -> Optional[Tuple[FrozenSet[str], Dict[str, str]]]:
        """(charged names, module aliases exported with charged modules) of a project module,
        or None when the module is not part of the project."""
        return self._exports_quiet(module, importer or "")

    def _get(self, path: str) -> Tuple[FrozenSet[str], Dict[str, str]]:
        if path in self._final:
            return self._final[path]
        if self._depth:
            return self._compute(path)
        # outermost call: iterate over the reachable import graph until nothing grows
        self._pass = {}
        first = True
        while True:
            self._changed = False
            self._provisional = False
            self._visited = set()
            self._done = set()
            self._depth += 1
            try:
                result = self._compute(path)
            finally:
                self._depth -= 1
            if not (self._provisional if first else self._changed):
                break
            first = False
        self._final.update(self._pass)
        return result

    def _compute(self, path: str) -> Tuple[FrozenSet[str], Dict[str, str]]:
        if path in self._final:
            return self._final[path]
        if path in self._visited:
            if path not in self._done:
                self._provisional = True  # a cycle: read the previous pass's value
            return self._pass.get(path, (frozenset(), {}))
        self._visited.add(path)
        info = self._info(path)
        value: Tuple[FrozenSet[str], Dict[str, str]] = (frozenset(), {})
        if info is not None and info.stmts is not None:
            charged, _, aliases = self._charged_statements(info.stmts, path)
            names: Set[str] = set()
            for s in charged:
                names |= s.binds
            for imp in (i for s in info.stmts for i in s.imports):
                if imp.name is None:
                    continue  # module aliases are listed separately
                if imp.name == "*":
                    sub = self._exports_quiet(imp.module, path)
                    if sub is not None:
                        names |= sub[0]
                        aliases = {**sub[1], **aliases}
                elif self._import_charged(imp, path):
                    names.add(imp.local)
            value = (frozenset(names), aliases)
        old = self._pass.get(path, (frozenset(), {}))
        if old != value:
            self._changed = True
        self._pass[path] = value
        self._done.add(path)
        return value

    def _exports_quiet(self, module: str, importer: str
                       ) -> Optional[Tuple[FrozenSet[str], Dict[str, str]]]:
        path = self.project.find(module, importer or None)
        if path is None:
            return None
        return self._get(os.path.abspath(path))

    def _import_charged(self, imp: _Import, importer: str) -> bool:
        if imp.name is None or imp.name == "*":
            return False
        if imp.name in self.words and imp.module.split(".")[0] in self.roots:
            return True  # from torch.linalg import eigh
        sub = self._exports_quiet(imp.module, importer)
        if sub is not None and imp.name in sub[0]:
            return True
        return False

    def _module_alias(self, imp: _Import, importer: str) -> Optional[str]:
        """The module a name stands for when it is bound to a (charged) project module."""
        if imp.name is None:
            return imp.module
        if imp.name == "*":
            return None
        sub = self._exports_quiet(imp.module, importer)
        if sub is not None and imp.name in sub[1]:
            return sub[1][imp.name]
        full = f"{imp.module}.{imp.name}" if imp.module else imp.name
        if self.project.find(full, importer) is not None:
            return full
        return None

    def _charged_statements(self, stmts: List[_Stmt], path: str
                            ) -> Tuple[List[_Stmt], List[str], Dict[str, str]]:
        """Statements of a module that can see a charged value (fixpoint over the module's
        own names), the reasons, and the module aliases the module binds to charged modules."""
        local: Set[str] = set()  # names bound to something charged (imports included)
        aliases: Dict[str, Set[str]] = {}  # local name -> charged names of the module it is
        alias_modules: Dict[str, str] = {}
        reasons: Dict[int, str] = {}
        for i, s in enumerate(stmts):
            hit = next(((w, ln) for w, ln in s.first), None)
            if hit is not None:
                reasons[i] = f"names `{hit[0]}` (line {hit[1]})"
            for imp in s.imports:
                if self._import_charged(imp, path):
                    local.add(imp.local)
                    reasons.setdefault(i, f"imports `{imp.name}` from {imp.module} (line "
                                          f"{imp.line}), which can hold a decomposition's "
                                          "vectors")
                    continue
                mod = self._module_alias(imp, path)
                if mod is not None:
                    exported = self._charged_of_modules(mod, path)
                    if exported:
                        aliases.setdefault(imp.local, set()).update(exported)
                        alias_modules[imp.local] = mod
        charged: Set[int] = set(reasons)
        while True:
            grew = False
            for i, s in enumerate(stmts):
                if i in charged:
                    continue
                why: Optional[str] = None
                used = s.ids & local
                if used:
                    name = sorted(used)[0]
                    why = f"uses `{name}`, which can hold a decomposition's vectors"
                else:
                    for alias, exported in aliases.items():
                        if alias in s.ids:
                            attrs = s.ids & exported
                            if attrs:
                                why = (f"uses `{alias}.{sorted(attrs)[0]}` of "
                                       f"{alias_modules[alias]}, which can hold a "
                                       "decomposition's vectors")
                                break
                if why is not None:
                    reasons[i] = f"line {s.line} {why}"
                    charged.add(i)
                    grew = True
            for i in charged:
                new = stmts[i].binds - local
                if new:
                    local |= new
                    grew = True
            if not grew:
                break
        order = sorted(charged)
        exported_aliases = {a: alias_modules[a] for a in aliases}
        return [stmts[i] for i in order], [reasons[i] for i in order], exported_aliases

    def _charged_of_modules(self, module: str, importer: str) -> Set[str]:
        """Charged names reachable as attributes of ``module`` (``import a.b`` reaches a.b
        and its parents)."""
        out: Set[str] = set()
        parts = module.split(".")
        for cut in range(1, len(parts) + 1):
            sub = self._exports_quiet(".".join(parts[:cut]), importer)
            if sub is not None:
                out |= sub[0]
                out |= set(sub[1])
        return out

    # -- the file being linted ----------------------------------------------------------

    def decide_text(self, text: str, path: str, text_hit: Optional[Tuple[str, int]]
                    ) -> Optional[Decision]:
        """The decision from the text alone (no parse): a skip, or None when the module must
        be parsed to decide."""
        if text_hit is not None:
            return None
        me, is_pkg = _module_of(path, self.project)
        if any(self._module_charged(r.module, r.name, path)
               for r in _text_imports(text, me, is_pkg)):
            return None
        return Decision(False, "skipped: no decomposition name and no import of a project "
                               "name that can hold a decomposition's vectors")

    def decide(self, tree: ast.Module, text: str, path: str,
               text_hit: Optional[Tuple[str, int]]) -> Decision:
        """Whether the tracker must analyse this (already parsed) module, why, and which part
        of it (the slice)."""
        early = self.decide_text(text, path, text_hit)
        if early is not None:
            return early
        return self.decide_parsed(tree, text, path, text_hit)

    def decide_parsed(self, tree: ast.Module, text: str, path: str,
                      text_hit: Optional[Tuple[str, int]]) -> Decision:
        """:meth:`decide` once :meth:`decide_text` has asked for the parse."""
        me, is_pkg = _module_of(path, self.project)
        return self._decide_sliced(tree, text, path, text_hit, me, is_pkg)

    def _decide_sliced(self, tree: ast.Module, text: str, path: str,
                       text_hit: Optional[Tuple[str, int]], me: str, is_pkg: bool
                       ) -> Decision:
        """The decision and the slice. Only the statements whose lines hold a decomposition's
        name or an import are visited for seeds (the slicer's own scan covers the rest)."""
        hot = sorted(set(word_lines(text, self.words)) | set(word_lines(text, _IMPORT_WORD)))
        lib, bound = _library_names(tree, self.roots, me, is_pkg, hot)
        seeds: List[Tuple[int, int]] = []
        why: List[Tuple[int, str]] = []
        charged_imports: Set[str] = set()
        for node in tree.body:
            start = min([getattr(node, "lineno", 1)]
                        + [d.lineno for d in getattr(node, "decorator_list", [])])
            end = getattr(node, "end_lineno", None) or start
            k = bisect_left(hot, start)
            if k == len(hot) or hot[k] > end:
                continue
            c = _Collector(me, is_pkg, self.words, lib, bound, self.roots, hot)
            c.visit(node)
            seeds.extend(c.seeds)
            why.extend((ln, f"names `{w}` (line {ln})") for w, ln in c.first.items())
            for pos, imp in c.import_at:
                if self._import_charged(imp, path) or self._alias_charged(imp, path):
                    seeds.append(pos)
                    charged_imports.add(imp.local)
                    why.append((imp.line, f"imports `{imp.name or imp.module}` from "
                                          f"{imp.module} (line {imp.line}), which can hold a "
                                          "decomposition's vectors"))
        if not seeds:
            return _nothing_charged(text_hit)
        try:
            sl = slicing.build(tree, text, sorted(set(seeds)), frozenset(charged_imports))
        except RecursionError:  # a very deep expression: the tracker reports it
            return Decision(True, "analysed: " + min(why)[1])
        if sl is None:
            return _nothing_charged(text_hit)
        left_out = sl.summary()
        return Decision(True, f"analysed: {min(why)[1]}"
                              + (f" (slice: {left_out})" if left_out else ""), sl)

    def _alias_charged(self, imp: _Import, path: str) -> bool:
        """``import pkg.util as u`` where util exports charged names."""
        mod = self._module_alias(imp, path)
        return mod is not None and bool(self._charged_of_modules(mod, path))


def _nothing_charged(text_hit: Optional[Tuple[str, int]]) -> Decision:
    if text_hit is not None:
        return Decision(False, f"skipped: `{text_hit[0]}` (line {text_hit[1]}) appears only "
                               "in strings or comments")
    return Decision(False, "skipped: imports from project modules that can hold a "
                           "decomposition's vectors, but uses none of those names")


def _module_of(path: str, project: Project) -> Tuple[str, bool]:
    """(dotted module name, is a package ``__init__``) of a linted path."""
    try:
        _, me = project.module_of(path) if os.path.exists(path) else ("", "__main__")
    except OSError:
        me = "__main__"
    return me, os.path.basename(path) == "__init__.py"


def _text_imports(text: str, me: str, is_package: bool) -> List[_Import]:
    """Import records of a module's text without parsing it (over-approximate: imports in
    strings count too). Parenthesised and backslash-continued imports are followed."""
    out: List[_Import] = []
    n = len(text)
    line, counted = 1, 0  # line numbers counted incrementally (not from the start each time)
    i = text.find("import")
    while i != -1:
        end_word = i + 6
        if (i > 0 and _is_ident(text[i - 1])) or (end_word < n and _is_ident(text[end_word])):
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
                if p and _dotted(p[0]):
                    local = p[2] if len(p) >= 3 and p[1] == "as" else p[0].split(".")[0]
                    out.append(_Import(local, p[0], None, line))
        elif prefix.startswith("from"):
            spec = prefix[4:].strip()
            level = len(spec) - len(spec.lstrip("."))
            mod = spec[level:]
            if (mod == "" and level) or _dotted(mod):
                module = resolve_relative(level, mod or None, me, is_package)
                for p in names:
                    if not p:
                        continue
                    if p[0] == "*":
                        out.append(_Import("*", module, "*", line))
                    elif p[0].isidentifier():
                        local = p[2] if len(p) >= 3 and p[1] == "as" else p[0]
                        out.append(_Import(local, module, p[0], line))
        i = text.find("import", max(nxt, end_word))
    return out


def _dotted(s: str) -> bool:
    return bool(s) and all(part.isidentifier() for part in s.split("."))


def index_for(project: Project) -> ChargeIndex:
    """The charge index shared by every file of one run (one per :class:`Project`, kept by the
    project: a weak map keyed by the project would never free it, since the index holds it)."""
    return project.per_run(ChargeIndex, lambda: ChargeIndex(project, project.settings))


def imported_paths(text: str, path: str, project: Project) -> List[str]:
    """Files of the project that a module's text imports (for the cache's dependency keys)."""
    try:
        _, me = project.module_of(path)
    except OSError:
        me = "__main__"
    out: List[str] = []
    seen: Set[str] = set()
    for r in _text_imports(text, me, os.path.basename(path) == "__init__.py"):
        cands: Iterable[str] = (r.module,) if r.name in (None, "*") else (
            r.module, f"{r.module}.{r.name}")
        for mod in cands:
            if not mod:
                continue
            found = project.find(mod, path)
            if found is not None:
                found = os.path.abspath(found)
                if found not in seen:
                    seen.add(found)
                    out.append(found)
    return out
