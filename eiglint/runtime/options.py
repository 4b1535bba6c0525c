"""What the user asked ``eiglint confirm`` for, and how a bad request is refused."""
from __future__ import annotations

from dataclasses import dataclass


class ConfirmError(Exception):
    """Bad usage (the CLI exits 2): an unknown --entry, a command that is not Python, ..."""


@dataclass
class Options:
    runs: int = 3
    seed: int = 0
    timeout: float = 60.0
    entry: str | None = None
    command: tuple[str, ...] = ()
    sweep: int = 8
    degenerate: bool = True
    jobs: int = 0  # 0: min(cpu count, 4)
    cwd: str | None = None
    env: dict[str, str] | None = None
    #: the analysed PATHS: their ``.py`` files make the call graph of entry discovery
    #: (default: the folders of the flagged files)
    files: tuple[str, ...] = ()


__all__ = ["ConfirmError", "Options"]
