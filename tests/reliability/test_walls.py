"""Architecture walls, read from the code: which eiglint module may import which.

An ``ast`` scan of every module under ``eiglint/`` lists its imports of other eiglint modules,
wherever they stand: at the top, inside a function (a lazy import still ties two modules),
or under ``if TYPE_CHECKING``. On that graph: no import circle; no import from a lower layer
of :data:`LAYERS` to a higher one; the domain imports nothing of eiglint; the tracker imports
nothing of the run machinery or the front ends; the project map does not import the tracker;
only the front ends import the public :mod:`eiglint.api`. Importing the api, the CLI or the
worker pool does not load libcst (checked in a fresh interpreter). The decomposition catalogue
and the runtime's patch tables name the same functions. The tracker keeps no copies of the
library tables of :mod:`eiglint.library`.

Run as a script (``python tests/reliability/test_walls.py``) it prints the scan: layers,
circles and upward imports.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "eiglint"

#: from the top down: a module may import modules of its own layer or of layers below it.
#: A module belongs to the entry with the longest matching dotted prefix; every module of the
#: package must belong to one (a new module is placed here on purpose).
LAYERS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("entry", ("eiglint.__main__",)),
    # `eiglint confirm`'s command line (eiglint.runtime.cli) is a front end too
    ("front ends", ("eiglint.cli", "eiglint.flake8_plugin", "eiglint.lsp",
                    "eiglint.runtime.cli")),
    ("public api", ("eiglint.api",)),
    ("runs of many files", ("eiglint.parallel", "eiglint.cache")),
    ("one file", ("eiglint.pipeline",)),
    ("analysis", ("eiglint.prefilter", "eiglint.slicing", "eiglint.tracker", "eiglint.hover",
                  "eiglint.semantics", "eiglint.values", "eiglint.positions")),
    ("module map", ("eiglint.project",)),
    ("foundations", ("eiglint.source", "eiglint.notebook", "eiglint.imports",
                     "eiglint.library", "eiglint.catalogue", "eiglint.domain",
                     "eiglint.settings", "eiglint.config", "eiglint.discovery", "eiglint.globs",
                     "eiglint.suppress", "eiglint.types", "eiglint.rules", "eiglint.ruledocs",
                     "eiglint.reporters", "eiglint.runtime", "eiglint")),
)

FRONT_ENDS = ("eiglint.cli", "eiglint.flake8_plugin", "eiglint.lsp", "eiglint.runtime.cli")
#: what the tracker (a module or a package) never imports: the run machinery and front ends
ABOVE_THE_TRACKER = ("eiglint.api", "eiglint.pipeline", "eiglint.parallel", "eiglint.cli",
                     "eiglint.lsp", "eiglint.runtime", "eiglint.reporters")

Edge = Tuple[str, str, int]  # importer, imported, line


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules(package: Path = PACKAGE) -> Dict[str, Path]:
    """Dotted name -> file of every module of the package."""
    return {_module_name(p): p for p in sorted(package.rglob("*.py"))
            if "__pycache__" not in p.parts}


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def imports_of(name: str, path: Path, known: Set[str]) -> List[Edge]:
    """Every import of an eiglint module in one file, at any depth (functions, TYPE_CHECKING).
    ``from . import x`` counts as an import of the submodule ``x`` when there is one."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: List[Edge] = []
    for node in ast.walk(tree):
        targets: List[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for a in node.names:
                sub = f"{module}.{a.name}"
                targets.append(sub if sub in known else module)
        for t in targets:
            while t and t not in known:  # ``import eiglint.x.y`` of a name in a module
                t = t.rpartition(".")[0]
            if t and t != name and _within(t, ("eiglint",)):
                out.append((name, t, getattr(node, "lineno", 0)))
    return out


def import_graph(package: Path = PACKAGE) -> List[Edge]:
    mods = modules(package)
    known = set(mods)
    return [e for name, path in mods.items() for e in imports_of(name, path, known)]


def circles(edges: List[Edge]) -> List[List[str]]:
    """Strongly connected components with more than one module (import circles)."""
    graph: Dict[str, Set[str]] = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def layer_of(name: str) -> Optional[int]:
    best: Optional[Tuple[int, int]] = None  # (prefix length, layer)
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if _within(name, (p,)) and (best is None or len(p) > best[0]):
                best = (len(p), i)
    return None if best is None else best[1]


def upward(edges: List[Edge]) -> List[str]:
    """Imports from a lower layer to a higher one, as ``importer:line -> imported``."""
    out = []
    for a, b, line in edges:
        la, lb = layer_of(a), layer_of(b)
        if la is not None and lb is not None and lb < la:
            out.append(f"{a}:{line} -> {b} ({LAYERS[la][0]} -> {LAYERS[lb][0]})")
    return out


def _edges_from(prefixes: Tuple[str, ...], to: Tuple[str, ...]) -> List[str]:
    return [f"{a}:{line} -> {b}" for a, b, line in import_graph()
            if _within(a, prefixes) and _within(b, to)]


# ----------------------------------------------------------------------------- the walls


def test_the_scan_sees_the_imports_it_must_see() -> None:
    """The scanner itself: top-level, relative, lazy and package imports are all edges."""
    edges = {(a, b) for a, b, _ in import_graph()}
    assert ("eiglint.cli", "eiglint.api") in edges  # from .api import ...
    assert ("eiglint.pipeline", "eiglint.tracker") in edges  # inside a function
    assert ("eiglint.lsp.workspace", "eiglint.project") in edges  # from ..project import ...
    assert ("eiglint.reporters._common", "eiglint.notebook") in edges  # from ..notebook (lazy)
    assert ("eiglint.tracker.shared", "eiglint.domain") in edges  # from .. import domain as D


def test_no_import_circle() -> None:
    assert circles(import_graph()) == []


def test_every_module_has_a_layer_and_no_import_goes_up() -> None:
    unplaced = [m for m in modules() if layer_of(m) is None]
    assert unplaced == []
    assert upward(import_graph()) == []


def test_the_domain_imports_nothing_of_eiglint() -> None:
    assert _edges_from(("eiglint.domain",), ("eiglint",)) == []


def test_the_tracker_never_imports_the_run_machinery_or_front_ends() -> None:
    assert _edges_from(("eiglint.tracker",), ABOVE_THE_TRACKER) == []


def test_the_project_map_never_imports_the_tracker() -> None:
    assert _edges_from(("eiglint.project",), ("eiglint.tracker",)) == []


def test_only_front_ends_import_the_api() -> None:
    importers = sorted({a for a, b, _ in import_graph() if b == "eiglint.api"})
    assert importers and all(_within(a, FRONT_ENDS) for a in importers), importers


def _loads_libcst(module: str) -> bool:
    code = f"import sys, {module}; print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    return out.stdout.strip() == "True"


def test_api_cli_and_parallel_do_not_load_libcst() -> None:
    assert _loads_libcst("eiglint.hover")  # the check itself sees libcst when it is loaded
    assert [m for m in ("eiglint.api", "eiglint.cli", "eiglint.parallel")
            if _loads_libcst(m)] == []


def test_catalogue_and_runtime_patches_name_the_same_decompositions() -> None:
    from eiglint import catalogue
    from eiglint.runtime import layouts

    patched = {api for table in layouts.PATCHES_BY_MODULE.values() for _, _, api, _ in table}
    assert patched == {d.qualname for d in catalogue.DECOMPOSITIONS}
    # where a patch sits under another name, the catalogue knows that name as an alias
    for table in layouts.PATCHES_BY_MODULE.values():
        for module, attr, api, _ in table:
            assert catalogue.ALIASES.get(f"{module}.{attr}", f"{module}.{attr}") == api


def test_the_tracker_keeps_no_library_tables_of_its_own() -> None:
    """Library knowledge has one home, :mod:`eiglint.library`: no tracker module defines a
    table of the same name (``_BUILTINS`` for ``BUILTINS`` too) or an equal copy of one under
    another name; importing the library's table is the way."""
    import importlib

    from eiglint import library

    tables = {n: v for n, v in vars(library).items()
              if n.isupper() and isinstance(v, (frozenset, tuple))}
    assert {"LIBRARY_TOP_LEVELS", "BUILTINS", "HARMLESS_METHODS", "CLUSTERING"} <= set(tables)
    copies = []
    for name in modules(PACKAGE / "tracker"):
        for attr, value in vars(importlib.import_module(name)).items():
            for table, known in tables.items():
                if value is not known and (attr.lstrip("_") == table or (
                        type(value) is type(known) and value == known)):
                    copies.append(f"{name}.{attr} copies library.{table}")
    assert copies == []


def test_the_table_namespaces_belong_to_libraries() -> None:
    from eiglint import library

    assert {n.split(".")[0] for n in library.TABLE_NAMESPACES} <= \
        library.LIBRARY_TOP_LEVELS | {"operator"}


def main() -> None:
    edges = import_graph()
    mods = modules()
    print(f"{len(mods)} modules, {len(edges)} imports of eiglint modules "
          f"({len({(a, b) for a, b, _ in edges})} distinct pairs), function-level and "
          "TYPE_CHECKING imports included")
    for i, (label, _) in enumerate(LAYERS):
        members = sorted(m for m in mods if layer_of(m) == i)
        print(f"  layer {i} {label}: {', '.join(m.replace('eiglint.', '') for m in members)}")
    found = circles(edges)
    print(f"circles: {len(found)}")
    for c in found:
        print("  " + " <-> ".join(c))
    up = upward(edges)
    print(f"upward imports: {len(up)}")
    for u in up:
        print("  " + u)


if __name__ == "__main__":
    main()
