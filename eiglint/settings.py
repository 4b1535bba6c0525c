"""Settings of one run: what to select, where to look, what the user taught eiglint.

Loaded from ``[tool.eiglint]`` in pyproject.toml by :mod:`eiglint.config`; the CLI overrides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

from .globs import path_matches, relative_posix
from .rules import OPT_IN

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024  # bytes; larger files get EIG903

#: folders and files the directory walk skips unless ``exclude`` replaces this list
#: (``extend-exclude`` adds to it); virtualenvs (a folder with ``pyvenv.cfg``) are always skipped
DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".*", "__pycache__", "__pypackages__", "node_modules", "site-packages", "venv", "env",
    "build", "dist", "_build", "buck-out",
)


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("EIG",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    #: qualified names of extra decomposition functions (treated like ``torch.linalg.eig``)
    extra_sources: Tuple[str, ...] = ()
    #: qualified names of user functions whose result is gauge-invariant (gauge fixing)
    invariant_functions: Tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    #: (glob, codes) pairs: codes ignored in files matching the glob (see eiglint.discovery)
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    #: skip what .gitignore / .git/info/exclude ignore (inside a git work tree)
    respect_gitignore: bool = True
    #: apply exclude patterns to files named explicitly too (pre-commit passes every file)
    force_exclude: bool = False
    output_format: str = "concise"
    #: folder that relative globs (exclude, per-file-ignores) are matched against; "" = cwd
    project_root: str = ""
    #: analyse only the files (and the part of them) that can hold a tracked value; off only to
    #: check that the pre-filter changes no finding (``--no-prefilter``, tests)
    prefilter: bool = True
    #: run the syntax gate (EIG901) on every file, also on those that can hold no tracked value
    #: and are therefore not parsed by default (``--check-syntax``, ``check-syntax = true``)
    check_syntax: bool = False

    def is_selected(self, code: str) -> bool:
        """Longest-prefix match of select/extend-select against ignore (ruff semantics); an
        opt-in rule only when its full code is selected."""
        full = len(code) if code in OPT_IN else 0
        sel = max((len(p) for p in (*self.select, *self.extend_select)
                   if code.startswith(p) and len(p) >= full), default=-1)
        ign = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return sel >= 0 and sel > ign

    def opt_in_selected(self) -> Tuple[str, ...]:
        """The opt-in rules these settings turn on (front ends that do their own selection
        keep them)."""
        return tuple(c for c in OPT_IN if self.is_selected(c))

    def is_selected_for(self, code: str, path: str) -> bool:
        """:meth:`is_selected`, then the ``per-file-ignores`` whose glob matches ``path``."""
        if not self.is_selected(code):
            return False
        if not self.per_file_ignores:
            return True
        rel = relative_posix(path, self.project_root)
        return not any(code.startswith(prefix)
                       for pattern, codes in self.per_file_ignores
                       if path_matches(pattern, rel)
                       for prefix in codes)


DEFAULT_SETTINGS = Settings()
