"""The project: which modules exist, and how their text is read.

Values cross module boundaries through imports (``from pkg.util import laplacian_pe``,
``import pkg.util as u``, relative imports). The project maps module names to files (the files
being linted, and their siblings on disk, since pre-commit may hand us only some of them) and
reads them through hooks (:meth:`Project.read_source`, :meth:`Project.peek_source`) that the
language server overrides. The analyses of imported modules are the tracker's
(:mod:`eiglint.tracker.cache`), kept per run with :meth:`Project.per_run`.
"""
from __future__ import annotations

import os
from typing import Callable, Dict, Hashable, Iterable, List, Optional, Set, Tuple, TypeVar, cast

from .imports import imported_modules, lazy_exports
from .library import NEVER_PROJECT_TOP_LEVELS
from .settings import DEFAULT_SETTINGS, Settings
from .source import needs_analysis, read_text

T = TypeVar("T")

#: bytes; larger imported modules are neither followed by the tracker nor scanned by the
#: pre-filter (one limit: the pre-filter need not look where the tracker cannot go)
MAX_IMPORTED_MODULE_SIZE = 300_000


#: files or folders that mark a project's root (ruff and mypy look for the same ones)
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def project_root(path: str, known: Optional[Dict[str, Optional[str]]] = None) -> Optional[str]:
    """The nearest folder at or above ``path``'s folder holding one of :data:`ROOT_MARKERS`
    (None: none up to the file system's root). ``known`` remembers the answer per folder."""
    directory = os.path.dirname(os.path.abspath(path))
    seen: List[str] = []
    found: Optional[str] = None
    while True:
        if known is not None and directory in known:
            found = known[directory]
            break
        seen.append(directory)
        if any(os.path.exists(os.path.join(directory, m)) for m in ROOT_MARKERS):
            found = directory
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if known is not None:
        for d in seen:
            known[d] = found
    return found


def package_root(path: str, known: Optional[Dict[str, Tuple[str, str]]] = None
                 ) -> Tuple[str, str]:
    """(root directory on the import path, dotted module name) of a Python file. ``known``
    remembers the answer per folder (a run asks for thousands of files in a few folders)."""
    path = os.path.abspath(path)
    directory, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    root, package = _package_of_folder(directory, known)
    if stem == "__init__":
        return root, package or "__main__"
    return root, f"{package}.{stem}" if package else stem


def _package_of_folder(directory: str, known: Optional[Dict[str, Tuple[str, str]]]
                       ) -> Tuple[str, str]:
    """(root, dotted package) of a folder: the chain of ``__init__.py`` folders above it."""
    if known is not None and directory in known:
        return known[directory]
    parent, name = os.path.split(directory)
    if parent != directory and os.path.isfile(os.path.join(directory, "__init__.py")):
        root, above = _package_of_folder(parent, known)
        out = (root, f"{above}.{name}" if above else name)
    else:
        out = (directory, "")
    if known is not None:
        known[directory] = out
    return out


class Project:
    """Shared state of one lint run across modules."""

    def __init__(self, paths: Iterable[str] = (), settings: Settings = DEFAULT_SETTINGS) -> None:
        self.settings = settings
        self.roots: List[str] = []
        #: top-level packages (or root modules) of the linted files: the project's own code.
        #: Other packages found in the same root directories (site-packages, a monorepo's
        #: neighbours) are not followed, except next to the importing file.
        self.top_levels: Set[str] = set()
        self.by_name: Dict[str, str] = {}
        #: ``__init__.py`` path -> names its lazy loader hands out (:meth:`lazy_names`)
        self._lazy: Dict[str, Dict[str, str]] = {}
        #: the project roots of the linted files (found upward from each: :func:`project_root`)
        #: and their ``src`` folders: packages there are the project's own wherever the linted
        #: file sits (``tests/test_x.py`` alone still follows ``import mypkg``)
        self.source_roots: List[str] = []
        #: folder -> (import root, dotted package), for :meth:`module_of`
        self._folders: Dict[str, Tuple[str, str]] = {}
        self._project_roots: Dict[str, Optional[str]] = {}
        for p in paths:
            self.add_file(p)
        self._per_run: Dict[Hashable, object] = {}
        self._found: Dict[str, Optional[str]] = {}
        self._may_charge: Dict[str, bool] = {}

    def module_of(self, path: str) -> Tuple[str, str]:
        """:func:`package_root` of a file, remembered per folder for this run."""
        return package_root(path, self._folders)

    def add_file(self, path: str) -> str:
        root, name = self.module_of(path)
        if root not in self.roots:
            self.roots.append(root)
        self.top_levels.add(name.split(".")[0])
        self.by_name.setdefault(name, os.path.abspath(path))
        top = project_root(path, self._project_roots)
        if top is not None:
            for folder in (top, os.path.join(top, "src")):
                if folder not in self.source_roots and os.path.isdir(folder):
                    self.source_roots.append(folder)
        return name

    def per_run(self, key: Hashable, make: Callable[[], T]) -> T:
        """The state that an analysis above the module map keeps for this run under ``key``
        (made on first use): it lives as long as the project, and the map needs not know it."""
        if key not in self._per_run:
            self._per_run[key] = make()
        return cast(T, self._per_run[key])

    def find(self, module: str, importer: Optional[str] = None) -> Optional[str]:
        """The file of a module of this project (or next to the importing file), if any."""
        if module.split(".")[0] in NEVER_PROJECT_TOP_LEVELS:
            return None  # libraries (described by the catalogue and tables) and the stdlib
        if module in self.by_name:
            return self.by_name[module]
        key = f"{module}|{os.path.dirname(importer) if importer else ''}"
        if key in self._found:
            return self._found[key]
        self._found[key] = None
        rel = module.replace(".", os.sep)
        dirs = list(self.roots) if module.split(".")[0] in self.top_levels else []
        dirs += [d for d in self.source_roots if d not in dirs]
        if importer is not None:
            d = os.path.dirname(os.path.abspath(importer))
            if d not in dirs:
                dirs.insert(0, d)
        for root in dirs:
            for cand in (os.path.join(root, rel + ".py"), os.path.join(root, rel, "__init__.py")):
                if os.path.isfile(cand):
                    self._found[key] = cand
                    return cand
        return None

    def may_charge(self, module: str, importer: Optional[str] = None) -> bool:
        """Whether a project module can hand out gauge-carrying values: it mentions a
        decomposition, or imports a project module that can (cheap text scans, cached)."""
        if module in self._may_charge:
            return self._may_charge[module]
        self._may_charge[module] = False  # cycles: assume not while deciding
        path = self.find(module, importer)
        result = False
        if path is not None:
            text = self.peek_source(path)
            result = text is not None and (needs_analysis(text, self.settings)
                                           or self.imports_charged(text, path))
        self._may_charge[module] = result
        return result

    def imports_charged(self, text: str, path: str) -> bool:
        """Whether a module's text imports a project module that can hand out gauges (also
        lazily: the modules a lazy loader of a package's ``__init__`` hands out)."""
        _, me = self.module_of(path) if os.path.exists(path) else ("", "__main__")
        lazy = self.lazy_names(path, me, text).values()  # a submodule, or a name in one
        lazy_modules = {m for t in lazy for m in (t, t.rpartition(".")[0])} - {me}
        for mod in [*imported_modules(text, me), *sorted(lazy_modules)]:
            if self.may_charge(mod, path):
                return True
        return False

    def lazy_target(self, module: str, name: str, importer: Optional[str] = None
                    ) -> Optional[str]:
        """The absolute name that ``name`` of project package ``module`` resolves to through
        a lazy loader in its ``__init__`` (:func:`~eiglint.imports.lazy_exports`), if any."""
        path = self.find(module, importer)
        return None if path is None else self.lazy_names(path, module).get(name)

    def lazy_names(self, path: str, module: str, text: Optional[str] = None
                   ) -> Dict[str, str]:
        """Every name a package's ``__init__`` (at ``path``, module ``module``, its ``text``
        when already read) hands out through a lazy loader, with the absolute name it
        resolves to (cached per file; empty for any other module)."""
        if path not in self._lazy:
            if os.path.basename(path) != "__init__.py":
                self._lazy[path] = {}
            else:
                text = self.peek_source(path) if text is None else text
                stub = path[:-3] + ".pyi"
                self._lazy[path] = {} if text is None else lazy_exports(
                    text, module,
                    lambda: self.peek_source(stub) if os.path.isfile(stub) else None)
        return self._lazy[path]

    # -- reading modules: hooks (the language server reads open documents from the editor)

    def read_source(self, path: str) -> Optional[str]:
        """The text of a module the analysis follows, decoded as a linted file is; None when
        it is larger than :data:`MAX_IMPORTED_MODULE_SIZE`, unreadable or undecodable."""
        return read_text(path, MAX_IMPORTED_MODULE_SIZE)

    def peek_source(self, path: str) -> Optional[str]:
        """The text of a module for the cheap scans of :meth:`may_charge`: its first
        :data:`MAX_IMPORTED_MODULE_SIZE` bytes, undecodable bytes replaced; None when
        unreadable."""
        try:
            with open(path, "rb") as fh:
                return fh.read(MAX_IMPORTED_MODULE_SIZE).decode("utf-8", "replace")
        except OSError:
            return None
