"""The pygls language server behind ``eiglint lsp`` (stdio).

* Diagnostics are published on ``didOpen``, ``didSave`` and, debounced by
  :data:`DEBOUNCE_SECONDS`, on ``didChange`` (analysing the editor's text, not the file on
  disk); ``didClose`` clears them. Each carries the rule code and its documentation link, the
  exact range of the flagged expression and the trace as related information.
* After a module is analysed, the open modules that import it (directly or through other
  project modules) are analysed again: they see the edited text (:mod:`.workspace`).
* Hover on a variable says what the tracker knows about its value (:mod:`eiglint.hover`); a
  quick fix adds ``# noqa: CODE`` to the flagged line; another canonicalises the gauge of the
  decomposition the finding comes from (the unsafe fix of ``eiglint --fix --unsafe-fixes``).
* Analyses run one at a time in a worker thread, so the server keeps answering while one runs.
  An exception in one document's analysis is logged (``window/logMessage``) and the server
  carries on.

Written against pygls 2 (``pygls.lsp.server``) and tested with pygls 1.1 too: the calls that
differ between them go through the JSON-RPC protocol object, which both versions have.
"""
from __future__ import annotations

import asyncio
import os
import traceback
from collections.abc import Awaitable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, TypeVar

from lsprotocol import types as T

try:  # pygls >= 2
    from pygls.lsp.server import LanguageServer
except ImportError:  # pragma: no cover - pygls 1.x
    from pygls.server import LanguageServer  # type: ignore[attr-defined,no-redef]
from pygls import uris

from .. import __version__
from ..api import plan_fixes
from ..hover import HoverAnalysis, hover_at
from ..reporters._common import rule_url
from ..types import Finding
from . import workspace as W
from .edits import from_client_units, line_edits, noqa_insertion, to_client_units

DEBOUNCE_SECONDS = 0.3
SOURCE = "eiglint"
_SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
             "info": T.DiagnosticSeverity.Information}

R = TypeVar("R")


class EiglintServer(LanguageServer):
    """Per-document state of the session on top of pygls' workspace."""

    def __init__(self) -> None:
        super().__init__("eiglint", __version__,
                         text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.index = W.WorkspaceIndex()
        #: analyses, one at a time, off the event loop
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eiglint-analysis")
        #: the workspace scan, in parallel with the first analyses
        self.scanner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="eiglint-scan")
        self.open_uris: dict[str, str] = {}  # normalised path -> uri of the open document
        self.timers: dict[str, asyncio.Task[None]] = {}
        #: uri -> (document version, findings last published)
        self.published: dict[str, tuple[int | None, list[Finding]]] = {}
        self._hover_cache: dict[str, tuple[int | None, HoverAnalysis]] = {}
        self._logged_config: set[str] = set()

    # ------------------------------------------------------------------ plumbing

    @property
    def rpc(self) -> Any:
        """The JSON-RPC protocol object (``protocol`` in pygls 2, ``lsp`` in pygls 1)."""
        return getattr(self, "protocol", None) or getattr(self, "lsp", None)

    def notify(self, method: str, params: Any) -> None:
        self.rpc.notify(method, params)

    def log(self, message: str, kind: T.MessageType = T.MessageType.Info) -> None:
        self.notify(T.WINDOW_LOG_MESSAGE, T.LogMessageParams(type=kind, message=message))

    def encoding(self) -> str:
        enc = getattr(self.workspace, "position_encoding", None)
        if enc is None:
            caps = getattr(self.rpc, "server_capabilities", None)
            enc = getattr(caps, "position_encoding", None)
        return str(getattr(enc, "value", enc) or "utf-16")

    async def in_worker(self, fn: Callable[..., R], *args: Any) -> R:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    @staticmethod
    def path_of(uri: str) -> str:
        path = uris.to_fs_path(uri) if uri.startswith("file:") else None
        return W.norm(path) if path else uri

    # ------------------------------------------------------------------ diagnostics

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Analyse ``uri`` after ``delay`` seconds; a newer request for it replaces this one."""
        old = self.timers.pop(uri, None)
        if old is not None and not old.done():
            old.cancel()
        self.timers[uri] = asyncio.get_running_loop().create_task(self._later(uri, delay))

    async def _later(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        await self.analyse(uri, follow=True)

    async def analyse(self, uri: str, follow: bool) -> None:
        """Lint the open document and publish; then re-analyse the open modules importing it."""
        path = self.path_of(uri)
        if path not in self.open_uris:
            return
        doc = self.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        changed = self.index.open(path, text)
        settings, error = self.index.settings_for(path)
        if error is not None and error not in self._logged_config:
            self._logged_config.add(error)
            self.log(error, T.MessageType.Warning)
        snapshot = self.index.snapshot()
        findings: list[Finding] | None = None
        try:
            findings = await self.in_worker(W.lint, snapshot, path, text, settings)
        except Exception as exc:  # noqa: BLE001 - one document must not take the server down
            self.log(f"eiglint: analysis of {path} failed: {type(exc).__name__}: {exc}\n"
                     + traceback.format_exc(), T.MessageType.Error)
        current = self.workspace.get_text_document(uri)
        if path not in self.open_uris or current.version != version:
            return  # closed or edited meanwhile: a newer analysis is on its way
        if findings is not None:
            self.publish(uri, version, findings, text)
        if follow and changed:
            for dep in self.index.dependents(path):
                dep_uri = self.open_uris.get(dep)
                if dep_uri is not None:
                    await self.analyse(dep_uri, follow=False)

    def publish(self, uri: str, version: int | None, findings: Sequence[Finding],
                text: str) -> None:
        lines = text.splitlines()
        diagnostics = [self.diagnostic(uri, f, lines) for f in findings]
        self.published[uri] = (version, list(findings))
        self.notify(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, T.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics, version=version))

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self.notify(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
                             T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def position(self, lines: Sequence[str], line: int, col: int) -> T.Position:
        """LSP position of a 1-based line and column (characters)."""
        n = min(max(line, 1), max(len(lines), 1)) - 1
        text = lines[n] if n < len(lines) else ""
        return T.Position(line=n, character=to_client_units(text, max(col, 1) - 1,
                                                            self.encoding()))

    def diagnostic(self, uri: str, f: Finding, lines: Sequence[str]) -> T.Diagnostic:
        start = self.position(lines, f.line, f.col)
        if f.end_line:
            end = self.position(lines, f.end_line, f.end_col)
        else:  # file-level findings know a point: mark the rest of its line
            text = lines[start.line] if start.line < len(lines) else ""
            end = self.position(lines, f.line, len(text.rstrip()) + 1)
            if (end.line, end.character) <= (start.line, start.character):
                end = T.Position(line=start.line, character=start.character + 1)
        related = []
        for step in f.trace:
            step_uri, step_lines = uri, lines
            if step.path:  # a step in another module (a helper imported from elsewhere)
                step_uri = Path(step.path).resolve().as_uri()
                try:
                    step_lines = Path(step.path).read_text(encoding="utf-8").splitlines()
                except (OSError, UnicodeDecodeError):
                    step_lines = []
            where = self.position(step_lines, step.line, step.col)
            text = step_lines[where.line] if where.line < len(step_lines) else ""
            stop = self.position(step_lines, step.line, len(text.rstrip()) + 1)
            if stop.character < where.character:
                stop = where
            related.append(T.DiagnosticRelatedInformation(
                location=T.Location(uri=step_uri, range=T.Range(start=where, end=stop)),
                message=step.note))
        return T.Diagnostic(
            range=T.Range(start=start, end=end),
            message=f.message,
            severity=_SEVERITY.get(f.severity, T.DiagnosticSeverity.Error),
            code=f.code,
            code_description=T.CodeDescription(href=rule_url(f.code)),
            source=SOURCE,
            related_information=related or None,
        )

    # ------------------------------------------------------------------ hover and fixes

    async def hover(self, params: T.HoverParams) -> T.Hover | None:
        uri = params.text_document.uri
        path = self.path_of(uri)
        doc = self.workspace.get_text_document(uri)
        lines = doc.source.splitlines()
        line = params.position.line
        if line >= len(lines):
            return None
        col = from_client_units(lines[line], params.position.character, self.encoding())
        cached = self._hover_cache.get(uri)
        if cached is not None and cached[0] == doc.version and doc.version is not None:
            analysis = cached[1]
        else:
            if path in self.open_uris:
                self.index.open(path, doc.source)
            settings, _ = self.index.settings_for(path)
            analysis = await self.in_worker(W.hover_analysis, self.index.snapshot(), path,
                                            doc.source, settings)
            self._hover_cache[uri] = (doc.version, analysis)
        info = hover_at(analysis, line + 1, col + 1)
        if info is None:
            return None
        return T.Hover(
            contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=info.text),
            range=T.Range(start=self.position(lines, info.line, info.col),
                          end=self.position(lines, info.end_line, info.end_col)))

    def code_actions(self, params: T.CodeActionParams) -> list[T.CodeAction]:
        uri = params.text_document.uri
        doc = self.workspace.get_text_document(uri)
        text = doc.source
        lines = text.splitlines()
        first, last = params.range.start.line + 1, params.range.end.line + 1
        _, findings = self.published.get(uri, (None, []))
        actions: list[T.CodeAction] = []
        done: set[tuple[int, str]] = set()
        for f in findings:
            if f.line > last or (f.end_line or f.line) < first or (f.line, f.code) in done:
                continue
            done.add((f.line, f.code))
            ins = noqa_insertion(text, f.line, f.code)
            if ins is None:
                continue
            at = self.position(lines, ins.line + 1, ins.col + 1)
            actions.append(T.CodeAction(
                title=f"Suppress {f.code} on line {ins.line + 1} with `# noqa: {f.code}`",
                kind=T.CodeActionKind.QuickFix,
                diagnostics=[self.diagnostic(uri, f, lines)],
                edit=T.WorkspaceEdit(changes={uri: [T.TextEdit(
                    range=T.Range(start=at, end=at), new_text=ins.text)]})))
        actions.extend(self.fix_actions(uri, text, [
            f for f in findings if not (f.line > last or (f.end_line or f.line) < first)]))
        return actions

    def fix_actions(self, uri: str, text: str, findings: Sequence[Finding]
                    ) -> list[T.CodeAction]:
        """One quick fix per decomposition (in this document) that the findings come from:
        the unsafe fix of ``eiglint --fix --unsafe-fixes``, never the preferred action."""
        path = os.path.normpath(uris.to_fs_path(uri) or uri)
        by_origin: dict[int, list[Finding]] = {}
        for f in findings:
            if f.trace and not f.trace[0].path and f.cell is None:
                by_origin.setdefault(f.trace[0].line, []).append(f)
        lines = text.splitlines()
        actions = []
        for origin in sorted(by_origin):
            group = by_origin[origin]
            for plan in plan_fixes([replace(f, path=path) for f in group], {path: text}):
                if not plan.changed or not plan.fixes:
                    continue
                edits = [T.TextEdit(range=T.Range(start=T.Position(line=e.start, character=0),
                                                  end=T.Position(line=e.end, character=0)),
                                    new_text=e.text) for e in line_edits(text, plan.fixed)]
                actions.append(T.CodeAction(
                    title=f"{plan.fixes[0].title} (unsafe: values change to a canonical gauge)",
                    kind=T.CodeActionKind.QuickFix, is_preferred=False,
                    diagnostics=[self.diagnostic(uri, f, lines) for f in group],
                    edit=T.WorkspaceEdit(changes={uri: edits})))
        return actions

    # ------------------------------------------------------------------ workspace

    async def scan_workspace(self) -> None:
        found = [uris.to_fs_path(f.uri) for f in self.workspace.folders.values()]
        if not found and self.workspace.root_path:
            found = [self.workspace.root_path]
        folders = [f for f in found if f]
        if not folders:
            return
        loop = asyncio.get_running_loop()
        entries = await loop.run_in_executor(self.scanner, W.scan_folders, folders)
        self.index.add_entries(entries)
        self.log(f"eiglint: indexed {len(entries)} Python files under {', '.join(folders)}")


def _guarded(server: EiglintServer, name: str,
             fn: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R | None]]:
    """Handlers log their exceptions instead of propagating them."""

    async def run(*args: Any) -> R | None:
        try:
            return await fn(*args)
        except Exception as exc:  # noqa: BLE001
            server.log(f"eiglint: {name} failed: {type(exc).__name__}: {exc}\n"
                       + traceback.format_exc(), T.MessageType.Error)
            return None

    return run


def create_server() -> EiglintServer:
    server = EiglintServer()

    @server.feature(T.INITIALIZED)
    async def initialized(ls: EiglintServer, params: T.InitializedParams) -> None:
        async def scan() -> None:
            await _guarded(ls, "workspace scan", ls.scan_workspace)()

        asyncio.get_running_loop().create_task(scan())
        # the first analysis builds eiglint's tables: do it before the user waits for it
        settings, _ = ls.index.settings_for(os.getcwd())
        ls.worker.submit(W.lint, ls.index.snapshot(), "<warm-up>",
                         "import torch\nw, v = torch.linalg.eig(a)\nx = (v * v).real\n", settings)

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: EiglintServer, params: T.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open_uris[ls.path_of(uri)] = uri
        await _guarded(ls, "didOpen", ls.analyse)(uri, True)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: EiglintServer, params: T.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: EiglintServer, params: T.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: EiglintServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = ls.path_of(uri)
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.open_uris.pop(path, None)
        ls._hover_cache.pop(uri, None)
        ls.index.close(path)
        ls.clear(uri)
        # the open modules importing it now see the file on disk again
        for dep in ls.index.dependents(path):
            if dep in ls.open_uris:
                ls.schedule(ls.open_uris[dep])

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    async def hover(ls: EiglintServer, params: T.HoverParams) -> T.Hover | None:
        return await _guarded(ls, "hover", ls.hover)(params)

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(
        code_action_kinds=[T.CodeActionKind.QuickFix]))
    async def code_action(ls: EiglintServer, params: T.CodeActionParams
                          ) -> list[T.CodeAction] | None:
        async def compute() -> list[T.CodeAction]:
            return ls.code_actions(params)

        return await _guarded(ls, "codeAction", compute)()

    @server.feature(T.SHUTDOWN)
    def shutdown(ls: EiglintServer, params: Any = None) -> None:
        for timer in ls.timers.values():
            timer.cancel()
        ls.worker.shutdown(wait=False, cancel_futures=True)
        ls.scanner.shutdown(wait=False, cancel_futures=True)

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says ``exit``."""
    create_server().start_io()
