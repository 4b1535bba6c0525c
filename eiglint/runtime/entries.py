"""Entry discovery: a zero-argument caller of a function that needs arguments.

When flagged code sits in a function that takes arguments, ``confirm`` cannot call it. It
walks a static call graph of the analysed files upwards, breadth first, to the nearest
caller that can run on its own:

* a top-level function that takes no arguments (``run()``, ``main()``, a test function);
* module-level code of a file (a script body, an ``if __name__ == "__main__":`` block).

The graph is name-based and over-approximates (a call ``x.f(...)`` is an edge to every
function or method named ``f``; instantiating a class, or calling an instance, reaches its
methods ``__init__``/``__call__``/``forward``); running a caller that does not reach the
flagged code leaves the probe ``not-reached``, never a wrong verdict.
"""
from __future__ import annotations

import ast
import os
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: methods run by instantiating or calling an instance of their class
_IMPLICIT = frozenset({"__init__", "__call__", "forward", "__post_init__"})
#: preferred zero-argument callers, best first, at the same distance
_PREFERRED = ("run", "main")
_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "site-packages", ".git", ".tox",
                        ".nox", "build", "dist", ".venv", "venv"})
#: analysed files read for the call graph, at most
MAX_FILES = 2000


@dataclass
class _Def:
    path: str  # as given
    name: str  # top-level name, ``Class.method`` for methods, ``<module>`` for module code
    simple: str  # the name callers use
    zero_args: bool
    calls: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Caller:
    """A runnable caller: ``kind`` ``call`` (a function of ``path``) or ``script``."""

    kind: str
    path: str
    name: str
    chain: tuple[str, ...]  # from the caller down to the flagged function

    def describe(self) -> str:
        what = f"`{self.name}()`" if self.kind == "call" else "the module-level code"
        return (f"{what} of {os.path.basename(self.path)} (calls "
                + " -> ".join(self.chain) + ")")


def python_files(paths: Iterable[str]) -> list[str]:
    """The ``.py`` files under ``paths`` (files and folders), hidden folders and virtual
    environments skipped."""
    out: list[str] = []
    for p in paths:
        if os.path.isfile(p):
            if p.endswith(".py"):
                out.append(p)
            continue
        for dirpath, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith(".")
                             and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg")))
            out.extend(os.path.join(dirpath, f) for f in sorted(files) if f.endswith(".py"))
            if len(out) >= MAX_FILES:
                return out[:MAX_FILES]
    return out


def _required(args: ast.arguments, skip: int = 0) -> bool:
    positional = [*args.posonlyargs, *args.args][skip:]
    if len(positional) > len(args.defaults):
        return True
    return any(d is None for d in args.kw_defaults)


def _called_names(nodes: Iterable[ast.AST]) -> set[str]:
    names: set[str] = set()
    for top in nodes:
        for n in ast.walk(top):
            if isinstance(n, ast.Call):
                f = n.func
                if isinstance(f, ast.Name):
                    names.add(f.id)
                elif isinstance(f, ast.Attribute):
                    names.add(f.attr)
            elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
                names.add(n.id)  # a function passed along (map(f, xs), callbacks)
    return names


def _defs(path: str, tree: ast.Module) -> list[_Def]:
    out: list[_Def] = []
    module_code: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out.append(_Def(path, node.name, node.name, not _required(node.args),
                            _called_names([node])))
        elif isinstance(node, ast.ClassDef):
            for sub in node.body:
                if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    d = _Def(path, f"{node.name}.{sub.name}", sub.name, False,
                             _called_names([sub]))
                    out.append(d)
                    if sub.name in _IMPLICIT:
                        # ``Net(...)`` / ``net(x)``: the class name reaches these methods
                        out.append(_Def(path, f"{node.name}.{sub.name}", node.name, False,
                                        d.calls))
        else:
            module_code.append(node)
    out.append(_Def(path, "<module>", "<module>", True, _called_names(module_code)))
    return out


def find_caller(target_path: str, target_name: str,
                trees: dict[str, tuple[str, ast.Module]],
                max_depth: int = 8) -> Caller | None:
    """The nearest zero-argument caller of ``target_name`` (a top-level function or
    ``Class.method`` of ``target_path``) among ``trees`` (normalised path -> (path as given,
    tree)); None when there is none."""
    defs: list[_Def] = []
    for _, (given, tree) in sorted(trees.items()):
        defs.extend(_defs(given, tree))
    by_simple: dict[str, list[_Def]] = {}
    for d in defs:
        by_simple.setdefault(d.simple, []).append(d)
    start_simple = target_name.rsplit(".", 1)[-1]
    frontier: deque[tuple[str, tuple[str, ...], int]] = deque([(start_simple, (target_name,),
                                                                0)])
    if "." in target_name and start_simple in _IMPLICIT:
        frontier.append((target_name.split(".", 1)[0], (target_name,), 0))
    seen: set[str] = {start_simple}
    while frontier:
        level = list(frontier)
        frontier.clear()
        found: list[Caller] = []
        for name, chain, depth in level:
            for d in defs:
                if name not in d.calls or d.name in chain:
                    continue
                if d.name == "<module>":
                    found.append(Caller("script", d.path, "<module>", ("<module>", *chain)))
                elif d.zero_args and "." not in d.name:
                    found.append(Caller("call", d.path, d.name, (d.name, *chain)))
                elif depth + 1 < max_depth and d.simple not in seen:
                    seen.add(d.simple)
                    frontier.append((d.simple, (d.name, *chain), depth + 1))
                    if "." in d.name and d.name.rsplit(".", 1)[-1] in _IMPLICIT:
                        cls = d.name.split(".", 1)[0]
                        if cls not in seen:
                            seen.add(cls)
                            frontier.append((cls, (d.name, *chain), depth + 1))
        if found:
            return min(found, key=lambda c: _rank(c, target_path))
    return None


def _rank(c: Caller, target_path: str) -> tuple[int, int, int, str]:
    same_file = 0 if os.path.realpath(c.path) == os.path.realpath(target_path) else 1
    if c.kind == "call":
        pref = _PREFERRED.index(c.name) if c.name in _PREFERRED else (
            len(_PREFERRED) if c.name.startswith("test") else len(_PREFERRED) + 1)
    else:
        pref = len(_PREFERRED) + 2
    return (len(c.chain), same_file, pref, c.path)


def parse_files(paths: Sequence[str]) -> dict[str, tuple[str, ast.Module]]:
    """normalised path -> (path, tree) of the files that parse."""
    out: dict[str, tuple[str, ast.Module]] = {}
    for p in paths:
        key = os.path.normcase(os.path.realpath(p))
        if key in out:
            continue
        try:
            with open(p, "rb") as fh:
                out[key] = (p, ast.parse(fh.read(), filename=p))
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue
    return out


__all__ = ["Caller", "find_caller", "parse_files", "python_files"]
