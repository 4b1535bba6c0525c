"""The real server as a subprocess (``python -m eiglint lsp``), spoken to over stdio."""
from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls")

from .client import ROOT, LspClient, uri_of

FORUM = ROOT / "examples" / "forum_example.py"


@pytest.fixture
def client() -> Iterator[LspClient]:
    c = LspClient()
    try:
        yield c
    finally:
        c.kill()


def _text_at(text: str, rng: dict[str, Any]) -> str:
    """The text an LSP range covers (ASCII source: characters are UTF-16 units)."""
    lines = text.splitlines()
    start, end = rng["start"], rng["end"]
    assert start["line"] == end["line"]
    return lines[start["line"]][start["character"]:end["character"]]


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    lines = text.splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                          e["range"]["start"]["character"]), reverse=True):
        s, t = e["range"]["start"], e["range"]["end"]
        assert s == t, "insertions only"
        line = lines[s["line"]]
        lines[s["line"]] = line[: s["character"]] + e["newText"] + line[s["character"]:]
    return "".join(lines)


def test_forum_example_session(client: LspClient) -> None:
    init = client.initialize(FORUM.parent)
    caps = init["capabilities"]
    assert caps["hoverProvider"] and caps["codeActionProvider"]
    assert init["serverInfo"]["name"] == "eiglint"

    text = FORUM.read_text()
    uri = client.open(FORUM, text)
    diags = client.diagnostics(uri, timeout=20)["diagnostics"]
    assert [(d["range"]["start"]["line"] + 1, d["code"]) for d in diags] == [
        (44, "EIG101"), (45, "EIG101")]
    assert [_text_at(text, d["range"]) for d in diags] == [
        "(vecA * vecA).real", "(vecB * vecB).real"]
    first = diags[0]
    assert first["source"] == "eiglint"
    assert first["severity"] == 1
    assert first["codeDescription"]["href"].startswith("https://")
    assert "#" in first["codeDescription"]["href"]
    assert "real part" in first["message"]
    related = first["relatedInformation"]
    assert related[0]["location"]["uri"] == uri
    assert related[0]["location"]["range"]["start"]["line"] == 21  # the eig call, line 22
    assert "torch.linalg.eig" in related[0]["message"]
    assert related[-1]["location"]["range"]["start"]["line"] == 43
    assert "conj()" in related[-1]["message"]

    # fix the second loss in the buffer (not on disk): its finding goes within a second
    line45 = text.splitlines()[44]
    col = line45.index("vecB * vecB") + len("vecB * vecB")
    mark = client.mark()
    sent = time.monotonic()
    client.change(uri, 2, [{"range": {"start": {"line": 44, "character": col},
                                      "end": {"line": 44, "character": col}},
                            "text": ".conj()"}])
    params = client.diagnostics(uri, timeout=5, start=mark)
    elapsed = time.monotonic() - sent
    assert params["version"] == 2
    assert [d["range"]["start"]["line"] + 1 for d in params["diagnostics"]] == [44]
    assert elapsed < 1.0, f"diagnostics took {elapsed:.2f}s"
    assert FORUM.read_text() == text  # the server never writes
    text = text.replace("(vecB * vecB).real", "(vecB * vecB.conj()).real")

    # hover: a variable carrying the phase, and an invariant one
    line44 = text.splitlines()[43]
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri},
        "position": {"line": 43, "character": line44.index("vecA") + 2}})
    value = hover["contents"]["value"]
    assert "`vecA`" in value
    assert "eigenvectors of `tA` from `torch.linalg.eig` (line 22): phase on its columns" in value
    assert _text_at(text, hover["range"]) == "vecA"
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 35, "character": 3}})
    assert hover["contents"]["value"] == "`lossGoodA`: invariant"
    assert client.request("textDocument/hover", {  # a comment: nothing to say
        "textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}) is None

    # the quick fix silences the remaining finding; applying it clears the diagnostic
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 43, "character": 0}, "end": {"line": 43, "character": 0}},
        "context": {"diagnostics": params["diagnostics"]}})
    assert [a["title"].split(" ")[0] for a in actions] == ["Suppress", "Canonicalise"]
    action = actions[0]
    assert action["kind"] == "quickfix"
    assert "EIG101" in action["title"]
    edits = action["edit"]["changes"][uri]
    fixed = _apply(text, edits)
    assert fixed.splitlines()[43] == line44 + "  # noqa: EIG101"
    mark = client.mark()
    client.change(uri, 3, [{"text": fixed}])
    assert client.diagnostics(uri, timeout=5, start=mark)["diagnostics"] == []
    assert client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 43, "character": 0}, "end": {"line": 45, "character": 0}},
        "context": {"diagnostics": []}}) == []

    # closing clears the document's diagnostics
    mark = client.mark()
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri, timeout=5, start=mark)["diagnostics"] == []
    assert client.shutdown() == 0


def _apply_lines(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply whole-line edits (character 0 to character 0), last first."""
    lines = text.splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: e["range"]["start"]["line"], reverse=True):
        s, t = e["range"]["start"], e["range"]["end"]
        assert s["character"] == t["character"] == 0
        lines[s["line"]:t["line"]] = [e["newText"]]
    return "".join(lines)


def test_quick_fix_canonicalises_the_gauge(client: LspClient) -> None:
    client.initialize(FORUM.parent)
    text = FORUM.read_text()
    uri = client.open(FORUM, text)
    diags = client.diagnostics(uri, timeout=20)["diagnostics"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": 43, "character": 0}, "end": {"line": 43, "character": 0}},
        "context": {"diagnostics": diags}})
    fix = [a for a in actions if a["title"].startswith("Canonicalise")]
    assert len(fix) == 1
    assert fix[0]["title"].startswith(
        "Canonicalise the gauge of `vecA` after `torch.linalg.eig`")
    assert fix[0].get("isPreferred") is False
    fixed = _apply_lines(text, fix[0]["edit"]["changes"][uri])
    assert fixed.splitlines()[22] == (
        "vecA = vecA * torch.sgn(vecA.gather(-2, vecA.abs().argmax(-2, keepdim=True))).conj()")
    assert len(fixed.splitlines()) == len(text.splitlines()) + 1
    mark = client.mark()
    client.change(uri, 2, [{"text": fixed}])
    left = client.diagnostics(uri, timeout=10, start=mark)["diagnostics"]
    assert [d["range"]["start"]["line"] + 1 for d in left] == [46]  # only vecB's loss is left
    assert FORUM.read_text() == text  # the server never writes
    assert client.shutdown() == 0


def test_dependents_follow_the_buffer_of_an_imported_module(
        client: LspClient, tmp_path: Path) -> None:
    lib = tmp_path / "lib.py"
    main = tmp_path / "main.py"
    lib.write_text("import torch\n\n\ndef vectors(a):\n    return torch.linalg.eig(a)[1]\n")
    main.write_text("import torch\nfrom lib import vectors\n\n"
                    "v = vectors(torch.randn(3, 3))\nloss = (v * v).real.sum()\n")
    client.initialize(tmp_path)
    main_uri = client.open(main)
    diags = client.diagnostics(main_uri, timeout=20)["diagnostics"]
    assert [(d["range"]["start"]["line"], d["code"]) for d in diags] == [(4, "EIG101")]

    lib_uri = client.open(lib)
    client.diagnostics(lib_uri)
    # saving re-analyses the saved document
    mark = client.mark()
    client.notify("textDocument/didSave", {"textDocument": {"uri": main_uri}})
    assert len(client.diagnostics(main_uri, timeout=5, start=mark)["diagnostics"]) == 1
    # an unsaved edit of lib.py: eigh's eigenvalues carry no phase, so main.py is clean
    mark = client.mark()
    client.change(lib_uri, 2, [{"text": lib.read_text().replace(
        "torch.linalg.eig(a)[1]", "torch.linalg.eigh(a)[0]")}])
    assert client.diagnostics(main_uri, timeout=5, start=mark)["diagnostics"] == []
    assert "eig(a)[1]" in lib.read_text()
    # closing lib.py without saving: main.py sees the file on disk again
    mark = client.mark()
    client.notify("textDocument/didClose", {"textDocument": {"uri": lib_uri}})
    diags = client.diagnostics(main_uri, timeout=5, start=mark)["diagnostics"]
    assert [d["code"] for d in diags] == ["EIG101"]
    assert client.shutdown() == 0


_CRASHING_SERVER = """
import sys
import eiglint.lsp.workspace as W

real = W.lint

def lint(snapshot, path, text, settings):
    if path.endswith("boom.py"):
        raise RuntimeError("analysis exploded")
    return real(snapshot, path, text, settings)

W.lint = lint
from eiglint.lsp.server import serve
serve()
"""


def test_a_crashing_analysis_is_logged_and_the_server_goes_on(tmp_path: Path) -> None:
    boom = tmp_path / "boom.py"
    boom.write_text("import torch\nw, v = torch.linalg.eig(torch.randn(2, 2))\n")
    client = LspClient([sys.executable, "-c", _CRASHING_SERVER])
    try:
        client.initialize(tmp_path)
        mark = client.mark()
        client.open(boom)
        log = client.wait_for(lambda n: n.get("method") == "window/logMessage"
                              and "analysis exploded" in n["params"]["message"], start=mark)
        assert log["params"]["type"] == 1  # Error
        assert "boom.py" in log["params"]["message"]
        # the server still works: another document, and a hover in the one that failed
        uri = client.open(FORUM)
        assert len(client.diagnostics(uri, timeout=20)["diagnostics"]) == 2
        hover = client.request("textDocument/hover", {
            "textDocument": {"uri": uri_of(boom)}, "position": {"line": 1, "character": 4}})
        assert "torch.linalg.eig" in hover["contents"]["value"]
        assert client.shutdown() == 0
    finally:
        client.kill()


_WITHOUT_PYGLS = """
import sys
sys.modules["pygls"] = None  # as if it were not installed
from eiglint.cli import main
main()
"""


def test_the_command_without_pygls_says_how_to_get_it() -> None:
    import subprocess

    proc = subprocess.run([sys.executable, "-c", _WITHOUT_PYGLS, "lsp"], capture_output=True,
                          text=True, timeout=60, cwd=str(ROOT))
    assert proc.returncode == 2
    assert "pip install 'eiglint[lsp]'" in proc.stderr
