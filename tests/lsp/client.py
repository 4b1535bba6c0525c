"""A small LSP client for the tests: JSON-RPC 2.0 with Content-Length framing over a
subprocess's stdin/stdout.

A reader thread parses every message the server sends; responses are matched to requests by
id, notifications are kept in order, and requests from the server (registrations, progress)
are answered with ``null`` so the server never waits on us.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[2]


def uri_of(path: Path) -> str:
    return path.resolve().as_uri()


class LspError(Exception):
    pass


class LspClient:
    def __init__(self, argv: Sequence[str] | None = None, cwd: Path | None = None) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
        fd, self.stderr_path = tempfile.mkstemp(prefix="eiglint-lsp-", suffix=".log")
        self.stderr = os.fdopen(fd, "wb")
        self.proc = subprocess.Popen(
            list(argv or [sys.executable, "-m", "eiglint", "lsp"]), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.stderr, cwd=str(cwd or ROOT), env=env)
        self._next_id = 0
        self._lock = threading.Condition()
        self._responses: dict[int, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ framing

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read_message(self) -> dict[str, Any] | None:
        out = self.proc.stdout
        assert out is not None
        length = None
        while True:
            line = out.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        if length is None:
            raise LspError("message without Content-Length")
        data = out.read(length)
        return json.loads(data.decode("utf-8"))  # type: ignore[no-any-return]

    def _read_loop(self) -> None:
        while True:
            try:
                msg = self._read_message()
            except (ValueError, LspError, OSError):
                msg = None
            with self._lock:
                if msg is None:
                    self._closed = True
                    self._lock.notify_all()
                    return
                if "id" in msg and "method" in msg:  # a request from the server
                    self._send({"id": msg["id"], "result": None})
                elif "id" in msg:
                    self._responses[msg["id"]] = msg
                else:
                    self.notifications.append(msg)
                self._lock.notify_all()

    # ------------------------------------------------------------------ API

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: Any = None, timeout: float = 10.0) -> Any:
        with self._lock:
            self._next_id += 1
            msg_id = self._next_id
        self._send({"id": msg_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._lock:
            while msg_id not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise LspError(f"no response to {method} ({self.stderr_text()})")
                self._lock.wait(left)
            response = self._responses.pop(msg_id)
        if "error" in response:
            raise LspError(f"{method}: {response['error']}")
        return response.get("result")

    def wait_for(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 10.0,
                 start: int = 0) -> dict[str, Any]:
        """The first notification (from index ``start`` on) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            i = start
            while True:
                while i < len(self.notifications):
                    if predicate(self.notifications[i]):
                        return self.notifications[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise LspError(f"timed out waiting for a notification; got "
                                   f"{[n.get('method') for n in self.notifications]} "
                                   f"({self.stderr_text()})")
                self._lock.wait(left)

    def mark(self) -> int:
        """The index of the next notification (to wait only for newer ones)."""
        with self._lock:
            return len(self.notifications)

    def diagnostics(self, uri: str, timeout: float = 10.0, start: int = 0) -> dict[str, Any]:
        msg = self.wait_for(lambda n: n.get("method") == "textDocument/publishDiagnostics"
                            and n["params"]["uri"] == uri, timeout, start)
        return msg["params"]  # type: ignore[no-any-return]

    def initialize(self, root: Path) -> Any:
        result = self.request("initialize", {
            "processId": os.getpid(),
            "rootUri": uri_of(root),
            "workspaceFolders": [{"uri": uri_of(root), "name": root.name}],
            "capabilities": {"textDocument": {
                "publishDiagnostics": {"relatedInformation": True, "codeDescriptionSupport": True},
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "codeAction": {"codeActionLiteralSupport": {
                    "codeActionKind": {"valueSet": ["quickfix"]}}}}},
        })
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str | None = None, version: int = 1) -> str:
        uri = uri_of(path)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": version,
            "text": path.read_text() if text is None else text}})
        return uri

    def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def shutdown(self, timeout: float = 10.0) -> int:
        """shutdown + exit; the server's exit status."""
        assert self.request("shutdown") is None
        self.notify("exit")
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                stream.close()
        self.stderr.close()
        try:
            os.unlink(self.stderr_path)
        except OSError:
            pass

    def stderr_text(self) -> str:
        """The last part of what the server wrote on stderr (for failure messages)."""
        try:
            with open(self.stderr_path, "rb") as fh:
                return fh.read().decode("utf-8", "replace")[-3000:]
        except OSError:
            return ""
