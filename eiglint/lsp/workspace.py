"""The language server's picture of the workspace, without any LSP machinery (testable alone).

* which Python files the workspace holds, their module names and the project roots (scanned
  once, in the background, when the server starts);
* which modules each file imports, hence the reverse map "who imports this module": an edit to
  one module re-analyses it and the open modules that import it, directly or through others;
* the in-memory text of the open documents (an *overlay*): analyses read open documents from
  the editor, not from disk, also when another module imports them
  (:class:`OverlayProject`).

Everything here is plain data; the server calls the mutating methods from its event-loop
thread only and hands :class:`Snapshot` copies to the analysis thread.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .. import discovery
from ..api import lint_source
from ..api import read_text as read_source_text
from ..config import ConfigError, load_settings
from ..hover import HoverAnalysis, analyse_for_hover
from ..imports import imported_modules
from ..project import MAX_IMPORTED_MODULE_SIZE, Project, package_root
from ..settings import DEFAULT_SETTINGS, Settings
from ..types import Finding

#: workspaces with more Python files than this are indexed only this far (in walk order)
MAX_WORKSPACE_FILES = 20_000


def norm(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def read_text(path: str) -> str | None:
    """A file's text as the linter would decode it, or None when it cannot be read."""
    return read_source_text(path, MAX_IMPORTED_MODULE_SIZE * 10)


@dataclass(frozen=True)
class FileEntry:
    path: str
    module: str
    root: str
    imports: frozenset[str]


def index_file(path: str, text: str | None = None) -> FileEntry:
    """Module name, import root and imported module names of one file (cheap text scan)."""
    root, module = package_root(path)
    if text is None:
        text = read_text(path) or ""
    return FileEntry(norm(path), module, root, frozenset(imported_modules(text, module)))


def scan_folders(folders: Sequence[str], limit: int = MAX_WORKSPACE_FILES) -> list[FileEntry]:
    """Index the Python files under the workspace folders, honouring each folder's
    ``[tool.eiglint]`` exclusions and .gitignore (run in a background thread)."""
    out: list[FileEntry] = []
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        try:
            settings, _ = load_settings(start=folder)
        except ConfigError:
            settings = DEFAULT_SETTINGS
        for path in discovery.collect([folder], settings):
            if not path.endswith(".py"):
                continue
            out.append(index_file(path))
            if len(out) >= limit:
                return out
    return out


@dataclass(frozen=True)
class Snapshot:
    """What one analysis needs, copied on the event-loop thread."""

    roots: tuple[str, ...]
    by_name: Mapping[str, str]
    overlay: Mapping[str, str]


class OverlayProject(Project):
    """A :class:`Project` that reads open documents from the editor's buffers.

    Imported project modules are read from ``overlay`` text when the editor has them open,
    from disk otherwise: only the project's read hooks differ."""

    def __init__(self, snapshot: Snapshot, settings: Settings) -> None:
        super().__init__((), settings)
        self.roots = list(snapshot.roots)
        self.by_name = dict(snapshot.by_name)
        self.top_levels = {name.split(".")[0] for name in self.by_name}
        self.overlay = snapshot.overlay

    def read_source(self, path: str) -> str | None:
        text = self.overlay.get(norm(path))
        return super().read_source(path) if text is None else text

    def peek_source(self, path: str) -> str | None:
        text = self.overlay.get(norm(path))
        return super().peek_source(path) if text is None else text


@dataclass
class WorkspaceIndex:
    """Files, imports and open-document texts of the workspace."""

    files: dict[str, FileEntry] = field(default_factory=dict)
    overlay: dict[str, str] = field(default_factory=dict)
    _settings: dict[str, tuple[Settings, str | None]] = field(default_factory=dict)

    # ------------------------------------------------------------------ updates

    def add_entries(self, entries: Iterable[FileEntry]) -> None:
        """Merge a background scan: open documents keep the imports of their buffer."""
        for e in entries:
            if e.path not in self.overlay:
                self.files[e.path] = e

    def open(self, path: str, text: str) -> bool:
        """The editor's text of a document (on open and on every change). Whether the text
        differs from what other modules saw so far (the previous buffer, or the file on disk
        when the document was not open)."""
        path = norm(path)
        before = self.overlay.get(path)
        if before is None:
            before = read_text(path) if os.path.isfile(path) else None
        self.overlay[path] = text
        if before != text or path not in self.files:
            self.files[path] = index_file(path, text)
        return before != text

    def close(self, path: str) -> None:
        """Back to the file on disk (or out of the index if it is not a file)."""
        path = norm(path)
        self.overlay.pop(path, None)
        if os.path.isfile(path):
            self.files[path] = index_file(path)
        else:
            self.files.pop(path, None)

    def reload(self, path: str) -> None:
        """A file changed on disk (saved, created): re-read its imports unless it is open."""
        path = norm(path)
        if path not in self.overlay and os.path.isfile(path):
            self.files[path] = index_file(path)

    def forget_settings(self) -> None:
        self._settings.clear()

    # ------------------------------------------------------------------ queries

    def dependents(self, path: str) -> list[str]:
        """Files that import the module of ``path``, directly or through other project
        modules, nearest first (``path`` itself excluded)."""
        start = self.files.get(norm(path))
        if start is None:
            return []
        importers: dict[str, set[str]] = {}
        for e in self.files.values():
            for name in e.imports:
                importers.setdefault(name, set()).add(e.path)
        out: list[str] = []
        seen = {start.path}
        queue = [start.module]
        while queue:
            module = queue.pop(0)
            for p in sorted(importers.get(module, ())):
                if p not in seen:
                    seen.add(p)
                    out.append(p)
                    queue.append(self.files[p].module)
        return out

    def settings_for(self, path: str) -> tuple[Settings, str | None]:
        """The settings of the nearest ``[tool.eiglint]`` above ``path`` (cached per folder),
        and an error text when that configuration is invalid (defaults are used then)."""
        folder = os.path.dirname(norm(path))
        cached = self._settings.get(folder)
        if cached is None:
            try:
                cached = (load_settings(start=folder)[0], None)
            except ConfigError as exc:
                cached = (DEFAULT_SETTINGS, f"eiglint configuration error: {exc}")
            self._settings[folder] = cached
        return cached

    def snapshot(self) -> Snapshot:
        roots: list[str] = []
        by_name: dict[str, str] = {}
        for e in self.files.values():
            if e.root not in roots:
                roots.append(e.root)
            by_name.setdefault(e.module, e.path)
        return Snapshot(tuple(roots), by_name, dict(self.overlay))


def project_for(snapshot: Snapshot, path: str, settings: Settings) -> OverlayProject:
    project = OverlayProject(snapshot, settings)
    if os.path.isfile(path):
        project.add_file(path)
    return project


def lint(snapshot: Snapshot, path: str, text: str, settings: Settings) -> list[Finding]:
    """Findings of one document's text (``path`` may be a file or a name like ``untitled``)."""
    if os.path.isfile(path) and discovery.is_excluded(path, settings):
        return []
    return lint_source(text, path, settings, project=project_for(snapshot, path, settings))


def hover_analysis(snapshot: Snapshot, path: str, text: str,
                   settings: Settings) -> HoverAnalysis:
    return analyse_for_hover(text, path, settings, project_for(snapshot, path, settings))
