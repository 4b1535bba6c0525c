"""The analyses of a run's imported modules, shared across imports: the tracker's cache.

Values cross module boundaries through imports; a module another one imports is analysed at
most once per run, lazily, at module level, when a linted file uses it. The cache lives as long
as its :class:`~eiglint.project.Project` (kept there with :meth:`~Project.per_run`) and reads
modules only through the project's read hooks, so the language server's overlay project (open
documents read from the editor) needs nothing of the tracker, and the project map imports
nothing of it. It also numbers the gauge sources of the run (one numbering across modules).

Generic in the analysis type so that it imports nothing of the tracker (the assembly,
:mod:`.analysis`, says how an imported module is analysed).
"""
from __future__ import annotations

from typing import Callable, Dict, Generic, Optional, Set, Tuple, TypeVar

from ..project import Project

A = TypeVar("A")  # the analysis of a module
S = TypeVar("S")  # what the run knows of a gauge source
#: (project, text, path, module name) -> the module-level analysis of an imported module
Build = Callable[[Project, str, str, str], A]


class ModuleCache(Generic[A, S]):
    """The analysed module-level state of the project's modules, and the run's gauge sources."""

    def __init__(self, project: Project, build: Build[A]) -> None:
        self.project = project
        self.build = build
        self.analyses: Dict[str, Optional[A]] = {}
        self.in_progress: Set[str] = set()
        #: the gauge sources of the run, by id
        self.sources: Dict[int, S] = {}
        self._next_source = 0

    def new_source_id(self) -> int:
        self._next_source += 1
        return self._next_source

    def analysis(self, module: str, importer: Optional[str] = None) -> Optional[A]:
        """The analysed module-level state of a project module (None if not in the project)."""
        if module in self.analyses:
            return self.analyses[module]
        if module in self.in_progress:
            return None  # an import cycle: the importer sees names as unknown
        path = self.project.find(module, importer)
        if path is None:
            self.analyses[module] = None
            return None
        self.in_progress.add(module)
        ma: Optional[A] = None
        try:
            text = self.project.read_source(path)
            if text is not None:
                ma = self.build(self.project, text, path, module)
        except Exception:  # noqa: BLE001 - a broken import must not lose the importer
            ma = None
        finally:
            self.in_progress.discard(module)
        self.analyses[module] = ma
        return ma

    def resolve(self, qualname: str, importer: Optional[str] = None
                ) -> Optional[Tuple[A, str]]:
        """Split ``pkg.util.energy`` into a project module's analysis and the name in it."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            mod = ".".join(parts[:cut])
            if self.project.find(mod, importer) is None:
                continue
            ma = self.analysis(mod, importer)
            if ma is None:
                return None
            return ma, ".".join(parts[cut:])
        return None


def cache_for(project: Project, build: Build[A]) -> ModuleCache[A, S]:
    """The one cache of a run, kept on its project (made with ``build`` on first use)."""
    return project.per_run(ModuleCache, lambda: ModuleCache(project, build))
