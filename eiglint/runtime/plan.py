"""Which entries a snippet run calls, so that every probe is reached.

Per flagged file: the file as a script (``python -m pkg.mod`` inside a package) when a probe
sits at module level or the file has an ``if __name__ == "__main__":`` block, the enclosing
function when it takes no arguments, a notebook's code cells in order, or ``--entry NAME``;
flagged code in a function that needs arguments runs through the nearest zero-argument caller
in the analysed files (:mod:`.entries`). A probe no entry can reach is ``not-reached`` with
what to do about it.
"""
from __future__ import annotations

import ast
import os
from typing import Any

from .entries import Caller, find_caller
from .options import ConfirmError
from .probes import entry_problem, has_main_guard, scope_of, top_level_names
from .sites import Probe


def module_name(path: str) -> tuple[str, str]:
    """(dotted module name, sys.path root) for a file, walking up ``__init__.py`` packages."""
    path = os.path.abspath(path)
    d, name = os.path.split(path)
    parts = [os.path.splitext(name)[0]]
    if parts[0] == "__init__":
        parts = []
    while os.path.isfile(os.path.join(d, "__init__.py")):
        d, pkg = os.path.split(d)
        parts.insert(0, pkg)
    return ".".join(parts) or os.path.basename(d), d


def plan_snippet(probes: dict[int, Probe], trees: dict[str, ast.Module],
                 entry: str | None, hints: dict[int, str] | None = None,
                 graph: dict[str, tuple[str, ast.Module]] | None = None,
                 notes: list[str] | None = None
                 ) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Entries to run and the probes that no entry can reach (with the reason).

    ``hints`` receives, per probe in a function that needs arguments, what to do if the
    script run does not reach it. ``graph``: the analysed files (normalised path -> (path,
    tree)) whose call graph leads from such a function to a zero-argument caller; ``notes``
    receives which caller runs, and why."""
    entries: list[dict[str, Any]] = []
    unreachable: dict[int, str] = {}
    hints = {} if hints is None else hints
    callers: list[Caller] = []
    by_file: dict[str, list[Probe]] = {}
    for p in probes.values():
        by_file.setdefault(p.npath, []).append(p)
    if entry is not None:
        for npath, plist in by_file.items():
            tree = trees[npath]
            if entry.split(".")[0] in top_level_names(tree):
                problem = entry_problem(tree, entry)
                if problem:
                    raise ConfirmError(f"--entry {entry}: {problem}; give a function that "
                                       "takes no arguments and calls it, or a command after "
                                       "--")
                mod, root = module_name(plist[0].path)
                entries.append({"kind": "call", "path": plist[0].path, "module": mod,
                                "root": root, "name": entry,
                                "label": f"{os.path.basename(plist[0].path)}:{entry}()"})
        if not entries:
            raise ConfirmError(f"--entry {entry}: no flagged file defines `{entry}`")
        return entries, unreachable
    for npath, plist in by_file.items():
        tree = trees[npath]
        path = plist[0].path
        if path.endswith(".ipynb"):
            entries.append({"kind": "notebook", "path": path,
                            "label": f"notebook {os.path.basename(path)}"})
            continue
        scopes = {p.site.id: scope_of(tree, p.site.line) for p in plist}
        script = any(s.kind == "module" for s in scopes.values())
        guard = has_main_guard(tree)
        calls: list[str] = []
        for p in plist:
            s = scopes[p.site.id]
            if s.kind == "function" and s.callable_without_args:
                if s.name not in calls:
                    calls.append(s.name)
            elif s.kind in ("function", "method"):
                what = "method" if s.kind == "method" else "function"
                caller = find_caller(path, s.name, graph) if graph else None
                if caller is not None:
                    if caller not in callers:
                        callers.append(caller)
                    hints[p.site.id] = (f"ran {caller.describe()}, found by walking the call "
                                        "graph; pass --entry NAME or a command after -- to "
                                        "run something else")
                    continue
                hints[p.site.id] = (f"the enclosing {what} `{s.name}` needs arguments: pass "
                                    "--entry NAME (a zero-argument function that calls it) "
                                    "or a command after --")
                if script:
                    continue
                if guard:
                    script = True
                else:
                    unreachable[p.site.id] = (
                        f"the enclosing {what} `{s.name}` needs arguments and the file has no "
                        "`if __name__ == '__main__':` block: pass --entry NAME (a "
                        "zero-argument function that calls it) or a command after --")
        mod, root = module_name(path)
        if script:
            # a module of a package runs as `python -m pkg.mod` would run it (its relative
            # imports need the package)
            package = mod.rpartition(".")[0] if os.path.basename(path) != "__init__.py" \
                else mod
            entries.append({"kind": "script", "path": path, "package": package, "root": root,
                            "label": f"python -m {mod}" if package else
                            f"python {os.path.basename(path)}"})
            unreachable = {k: v for k, v in unreachable.items()
                           if probes[k].npath != npath}
        for name in calls:
            entries.append({"kind": "call", "path": path, "module": mod, "root": root,
                            "name": name, "label": f"{os.path.basename(path)}:{name}()"})
    for c in callers:
        mod, root = module_name(c.path)
        if c.kind == "call":
            e = {"kind": "call", "path": c.path, "module": mod, "root": root, "name": c.name,
                 "label": f"{os.path.basename(c.path)}:{c.name}()"}
        else:
            package = mod.rpartition(".")[0] if os.path.basename(c.path) != "__init__.py" \
                else mod
            e = {"kind": "script", "path": c.path, "package": package, "root": root,
                 "label": f"python -m {mod}" if package else
                 f"python {os.path.basename(c.path)}"}
        if not any(x.get("kind") == e["kind"] and x.get("path") == e["path"]
                   and x.get("name") == e.get("name") for x in entries):
            entries.append(e)
        if notes is not None:
            notes.append(f"entry: ran {c.describe()}, found by walking the call graph of "
                         "the analysed files (--entry NAME overrides)")
    return entries, unreachable


__all__ = ["module_name", "plan_snippet"]
