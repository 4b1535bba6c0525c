"""The decision on the file being linted: skip it, or analyse it (which slice of it), and why
(``eiglint --explain-skips``)."""
from __future__ import annotations

import ast
import os
from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, List, Optional, Set, Tuple

from .. import slicing
from ..project import Project
from .exports import ExportIndex
from .statements import Collector, ImportRecord, library_names, text_imports
from .words import IMPORT_WORD, word_lines


@dataclass(frozen=True)
class Decision:
    analyse: bool
    reason: str
    #: the part of the module the tracker has to see (None: all of it)
    slice: Optional[slicing.Slice] = None

class ChargeIndex(ExportIndex):
    """The charge index with the decisions on the files being linted."""

    def decide_text(self, text: str, path: str, text_hit: Optional[Tuple[str, int]]
                    ) -> Optional[Decision]:
        """The decision from the text alone (no parse): a skip, or None when the module must
        be parsed to decide."""
        if text_hit is not None:
            return None
        me, is_pkg = module_of(path, self.project)
        if any(self._module_charged(r.module, r.name, path)
               for r in text_imports(text, me, is_pkg)):
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
        me, is_pkg = module_of(path, self.project)
        return self._decide_sliced(tree, text, path, text_hit, me, is_pkg)

    def _decide_sliced(self, tree: ast.Module, text: str, path: str,
                       text_hit: Optional[Tuple[str, int]], me: str, is_pkg: bool
                       ) -> Decision:
        """The decision and the slice. Only the statements whose lines hold a decomposition's
        name or an import are visited for seeds (the slicer's own scan covers the rest)."""
        hot = sorted(set(word_lines(text, self.words)) | set(word_lines(text, IMPORT_WORD)))
        lib, bound = library_names(tree, self.roots, me, is_pkg, hot)
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
            c = Collector(me, is_pkg, self.words, lib, bound, self.roots, hot)
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

    def _alias_charged(self, imp: ImportRecord, path: str) -> bool:
        """``import pkg.util as u`` where util exports charged names."""
        mod = self._module_alias(imp, path)
        return mod is not None and bool(self._charged_of_modules(mod, path))


def _nothing_charged(text_hit: Optional[Tuple[str, int]]) -> Decision:
    if text_hit is not None:
        return Decision(False, f"skipped: `{text_hit[0]}` (line {text_hit[1]}) appears only "
                               "in strings or comments")
    return Decision(False, "skipped: imports from project modules that can hold a "
                           "decomposition's vectors, but uses none of those names")


def module_of(path: str, project: Project) -> Tuple[str, bool]:
    """(dotted module name, is a package ``__init__``) of a linted path."""
    try:
        _, me = project.module_of(path) if os.path.exists(path) else ("", "__main__")
    except OSError:
        me = "__main__"
    return me, os.path.basename(path) == "__init__.py"


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
    for r in text_imports(text, me, os.path.basename(path) == "__init__.py"):
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
