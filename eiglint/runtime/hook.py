"""The child's import hook: instrumented user modules, library patches on import.

:class:`ConfirmFinder` sits first on :data:`sys.meta_path`. It asks the remaining finders for
the spec of each imported module and

* for a flagged user file (matched by real path) swaps in :class:`RewrittenLoader`, which
  compiles the probed source held in memory (the file on disk is only read for tracebacks;
  no bytecode is written);
* for a watched library (``torch``, ``numpy``, ``scipy.linalg``, ``scipy.sparse.linalg``) runs
  a callback right after the library finished importing — before any user module can bind
  ``from torch.linalg import eig`` — which installs the gauge patches and seeds the library's
  RNG. The loader proxy is removed again from the module, so the library sees its own loader.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import threading
from collections.abc import Sequence
from types import CodeType, ModuleType
from typing import Any, Callable

ImportCallback = Callable[[ModuleType], None]


def norm_path(path: str) -> str:
    return os.path.normcase(os.path.realpath(os.path.abspath(path)))


class RewrittenLoader(importlib.machinery.SourceFileLoader):
    """Loads a user module from its probed source instead of the file's bytes."""

    def __init__(self, fullname: str, path: str, source: str) -> None:
        super().__init__(fullname, path)
        self._rewritten = source

    def get_code(self, fullname: str) -> CodeType:
        return compile(self._rewritten, self.path, "exec", dont_inherit=True)


class _AfterExec(importlib.abc.Loader):
    """Transient loader proxy: run ``callback(module)`` after the real loader executed it."""

    def __init__(self, loader: Any, callback: ImportCallback) -> None:
        self._loader = loader
        self._callback = callback

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        create = getattr(self._loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: ModuleType) -> None:
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self._loader
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self._loader
        self._loader.exec_module(module)
        self._callback(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


class ConfirmFinder(importlib.abc.MetaPathFinder):
    def __init__(self, rewritten: dict[str, str], after_import: dict[str, ImportCallback]) -> None:
        self.rewritten = {norm_path(p): src for p, src in rewritten.items()}
        self._basenames = {os.path.basename(p) for p in self.rewritten}
        self.after_import = dict(after_import)
        self.loaded: dict[str, str] = {}  # module name -> path, for the rewritten modules
        self._local = threading.local()

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if getattr(self._local, "busy", False):
            return None
        self._local.busy = True
        try:
            spec: importlib.machinery.ModuleSpec | None = None
            for finder in list(sys.meta_path):
                if finder is self:
                    continue
                fs = getattr(finder, "find_spec", None)
                if fs is None:
                    continue
                spec = fs(fullname, path, target)
                if spec is not None:
                    break
        finally:
            self._local.busy = False
        if spec is None:
            return None
        callback = self.after_import.pop(fullname, None)
        if callback is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _AfterExec(spec.loader, callback)
            return spec
        origin = spec.origin
        if (origin and spec.has_location and os.path.basename(origin) in self._basenames
                and isinstance(spec.loader, importlib.machinery.SourceFileLoader)):
            source = self.rewritten.get(norm_path(origin))
            if source is not None:
                spec.loader = RewrittenLoader(fullname, origin, source)
                self.loaded[fullname] = origin
        return spec

    def source_for(self, path: str) -> str | None:
        return self.rewritten.get(norm_path(path))


def run_after_import(name: str, finder: ConfirmFinder, callback: ImportCallback) -> None:
    """Run ``callback`` now if ``name`` is already imported, else right after its import."""
    mod = sys.modules.get(name)
    if mod is not None:
        callback(mod)
    else:
        finder.after_import[name] = callback


__all__ = ["ConfirmFinder", "RewrittenLoader", "norm_path", "run_after_import"]
