"""Settings of one run: what to select, where to look, what the user taught eiglint.

Loaded from ``[tool.eiglint]`` in pyproject.toml by :mod:`eiglint.config`; the CLI overrides.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple

DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024  # bytes; larger files get EIG903


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

    def is_selected(self, code: str) -> bool:
        """Longest-prefix match of select/extend-select against ignore (ruff semantics)."""
        sel = max((len(p) for p in (*self.select, *self.extend_select) if code.startswith(p)),
                  default=-1)
        ign = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return sel >= 0 and sel > ign


DEFAULT_SETTINGS = Settings()
