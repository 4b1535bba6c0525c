"""The project: which modules exist, and their analyses shared across imports.

Values cross module boundaries through imports (``from pkg.util import laplacian_pe``,
``import pkg.util as u``, relative imports). The project maps module names to files (the files
being linted, and their siblings on disk, since pre-commit may hand us only some of them) and
analyses an imported module at most once per run, lazily, when a linted file uses it.
"""
from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Dict, Iterable, List, Optional, Set, Tuple

from .settings import DEFAULT_SETTINGS, Settings

if TYPE_CHECKING:  # pragma: no cover
    from .tracker import ModuleAnalysis, SourceInfo

MAX_IMPORTED_MODULE_SIZE = 300_000  # bytes; larger imported modules are not followed
#: libraries that are never part of a linted project (their calls are in the catalogue/tables)
EXTERNAL_TOP_LEVEL = frozenset({"torch", "numpy", "scipy", "jax", "jaxlib", "sklearn", "math",
                                "cmath", "builtins", "os", "sys", "typing", "functools",
                                "itertools", "collections", "logging", "warnings", "dataclasses"})


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
        #: the project roots of the linted files (found upward from each: :func:`project_root`)
        #: and their ``src`` folders: packages there are the project's own wherever the linted
        #: file sits (``tests/test_x.py`` alone still follows ``import mypkg``)
        self.source_roots: List[str] = []
        #: folder -> (import root, dotted package), for :meth:`module_of`
        self._folders: Dict[str, Tuple[str, str]] = {}
        self._project_roots: Dict[str, Optional[str]] = {}
        for p in paths:
            self.add_file(p)
        self.analyses: Dict[str, Optional["ModuleAnalysis"]] = {}
        self.in_progress: Set[str] = set()
        self.sources: Dict[int, "SourceInfo"] = {}
        self._next_source = 0
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

    def new_source_id(self) -> int:
        self._next_source += 1
        return self._next_source

    def find(self, module: str, importer: Optional[str] = None) -> Optional[str]:
        """The file of a module of this project (or next to the importing file), if any."""
        if module.split(".")[0] in EXTERNAL_TOP_LEVEL:
            return None  # the libraries whose calls the catalogue and tables describe
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
            from .api import needs_analysis

            try:
                with open(path, "rb") as fh:
                    text = fh.read(MAX_IMPORTED_MODULE_SIZE).decode("utf-8", "replace")
                result = needs_analysis(text, self.settings) or self.imports_charged(text, path)
            except OSError:
                result = False
        self._may_charge[module] = result
        return result

    def imports_charged(self, text: str, path: str) -> bool:
        """Whether a module's text imports a project module that can hand out gauges."""
        _, me = self.module_of(path) if os.path.exists(path) else ("", "__main__")
        for mod in imported_modules(text, me):
            if self.may_charge(mod, path):
                return True
        return False


    def analysis(self, module: str, importer: Optional[str] = None) -> Optional["ModuleAnalysis"]:
        """The analysed module-level state of a project module (None if not in the project)."""
        if module in self.analyses:
            return self.analyses[module]
        if module in self.in_progress:
            return None  # an import cycle: the importer sees names as unknown
        path = self.find(module, importer)
        if path is None:
            self.analyses[module] = None
            return None
        from .api import decode_source
        from .tracker import ModuleAnalysis

        self.in_progress.add(module)
        try:
            try:
                if os.path.getsize(path) > MAX_IMPORTED_MODULE_SIZE:
                    raise OSError("too large")
                with open(path, "rb") as fh:
                    dec = decode_source(fh.read(), path)
                if dec.error is not None:
                    raise ValueError(dec.error.message)
                ma: Optional[ModuleAnalysis] = ModuleAnalysis(
                    dec.text, path, self.settings, module, project=self)
                assert ma is not None
                ma.run_module_level()
            except (OSError, ValueError, SyntaxError, RecursionError, MemoryError):
                ma = None
            except Exception:  # noqa: BLE001 - a broken import must not lose the importer
                ma = None
        finally:
            self.in_progress.discard(module)
        self.analyses[module] = ma
        return ma

    def resolve(self, qualname: str, importer: Optional[str] = None
                ) -> Optional[Tuple["ModuleAnalysis", str]]:
        """Split ``pkg.util.energy`` into a project module's analysis and the name in it."""
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            mod = ".".join(parts[:cut])
            if self.find(mod, importer) is None:
                continue
            ma = self.analysis(mod, importer)
            if ma is None:
                return None
            return ma, ".".join(parts[cut:])
        return None


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+([\w., \t()*]+)|"
                     r"import[ \t]+([\w., \t]+))", re.M)


def imported_modules(text: str, module: str) -> List[str]:
    """Module names a text imports (``from x import y`` gives both ``x`` and ``x.y``)."""
    out: List[str] = []
    pkg = module.split(".")[:-1]
    for m in _IMPORT.finditer(text):
        dots, base, names, plain = m.group(1), m.group(2), m.group(3), m.group(4)
        if plain is not None:
            for part in plain.split(","):
                name = part.strip().split(" ")[0]
                if name:
                    out.append(name)
            continue
        if dots:
            up = pkg[: max(len(pkg) - (len(dots) - 1), 0)]
            base = ".".join([*up, base] if base else up)
        if base:
            out.append(base)
        for part in names.replace("(", "").replace(")", "").split(","):
            name = part.strip().split(" ")[0]
            if name and name != "*":
                out.append(f"{base}.{name}" if base else name)
    return out
