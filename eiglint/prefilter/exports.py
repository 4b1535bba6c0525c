"""The charge index of a run: which names each project module exports charged (bound by a
statement that can hold a decomposition's vectors, or re-exported), followed over the import
graph lazily and to a fixpoint (import cycles included)."""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from ..project import MAX_IMPORTED_MODULE_SIZE, Project
from ..settings import DEFAULT_SETTINGS, Settings
from .statements import ImportRecord, Stmt, module_statements, text_imports
from .words import find_word, library_roots, trigger_words


@dataclass
class ModuleInfo:
    path: str
    me: str
    is_package: bool
    import_recs: List[ImportRecord]
    has_trigger: bool
    stmts: Optional[List[Stmt]] = None  # None: not parsed (nothing in it can be charged)
    unparsable: bool = False

class ExportIndex:
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
        self._infos: Dict[str, Optional[ModuleInfo]] = {}

    # -- module text -----------------------------------------------------------------

    def _info(self, path: str) -> Optional[ModuleInfo]:
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
                info = ModuleInfo(path, me, is_pkg, text_imports(text, me, is_pkg),
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
                info.stmts = module_statements(tree, info.me, info.is_package, self.words,
                                               self.roots)
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
        if info is not None and info.is_package:
            value = self._lazy_exports(path, info.me, value)
        old = self._pass.get(path, (frozenset(), {}))
        if old != value:
            self._changed = True
        self._pass[path] = value
        self._done.add(path)
        return value

    def _lazy_exports(self, path: str, me: str, value: Tuple[FrozenSet[str], Dict[str, str]]
                      ) -> Tuple[FrozenSet[str], Dict[str, str]]:
        """Add what a package's lazy loader hands out charged: a name whose module exports
        it charged, a submodule that exports anything charged (as a module alias)."""
        lazy = self.project.lazy_names(path, me)
        if not lazy:
            return value
        names, aliases = set(value[0]), dict(value[1])
        for local, target in lazy.items():
            module, _, attr = target.rpartition(".")
            sub = self._exports_quiet(target, path)
            if sub is not None:
                if sub[0] or sub[1]:
                    aliases[local] = target
                continue
            owner = self._exports_quiet(module, path)
            if owner is not None and (attr in owner[0] or attr in owner[1]):
                names.add(local)
        return frozenset(names), aliases

    def _exports_quiet(self, module: str, importer: str
                       ) -> Optional[Tuple[FrozenSet[str], Dict[str, str]]]:
        path = self.project.find(module, importer or None)
        if path is None:
            return None
        return self._get(os.path.abspath(path))

    def _import_charged(self, imp: ImportRecord, importer: str) -> bool:
        if imp.name is None or imp.name == "*":
            return False
        if imp.name in self.words and imp.module.split(".")[0] in self.roots:
            return True  # from torch.linalg import eigh
        sub = self._exports_quiet(imp.module, importer)
        if sub is not None and imp.name in sub[0]:
            return True
        return False

    def _module_alias(self, imp: ImportRecord, importer: str) -> Optional[str]:
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

    def _charged_statements(self, stmts: List[Stmt], path: str
                            ) -> Tuple[List[Stmt], List[str], Dict[str, str]]:
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
