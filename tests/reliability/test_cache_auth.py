"""A result cache supplied by the code under review cannot hide findings (issue 20).

Entries carry a keyed MAC under a key kept outside the project (the user's cache directory or
``$EIGLINT_CACHE_KEY``). An attacker who edits an entry and recomputes the unkeyed checksum
that entries used to carry, or who commits a cache made and signed with their own key, gets
the entry ignored: every finding is reported and the entry is rewritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from eiglint import cache as cache_mod
from tests.cli.helpers import assert_no_traceback, env, parse_concise
from tests.conftest import FIXTURES

TWO_FINDINGS = FIXTURES / "project" / "pkg"


def _run(cwd: Path, *args: str, key_env: Optional[Dict[str, str]] = None
         ) -> subprocess.CompletedProcess[str]:
    e = env()
    e.update(key_env or {})
    proc = subprocess.run([sys.executable, "-m", "eiglint", "-j", "1", *args, "."], cwd=cwd,
                          capture_output=True, text=True, env=e, timeout=300)
    assert_no_traceback(proc)
    return proc


def _entries(cdir: Path) -> List[Path]:
    return sorted(cdir.rglob("*.json"))


def _forge(entry: Path, sign: "cache_mod.MacKey | None" = None) -> bool:
    """Empty the findings of ``entry``; re-sign it the old way (an unkeyed blake2b of the
    payload, as any reader of the source can) or with ``sign``. True if it had findings."""
    payload, _, _ = entry.read_bytes().rpartition(b"\n")
    data = json.loads(payload)
    had = bool(data["findings"])
    data["findings"] = []
    new = json.dumps(data, sort_keys=True, separators=(",", ":")).encode()
    tag = (hashlib.blake2b(new, digest_size=16).hexdigest() if sign is None
           else cache_mod.mac(new, sign))
    entry.write_bytes(new + b"\n" + tag.encode())
    return had


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(TWO_FINDINGS, work / "pkg")
    return work


def test_tampered_entry_with_recomputed_checksum_is_ignored(tree: Path) -> None:
    ref = _run(tree, "--no-cache")
    expected = parse_concise(ref.stdout)
    assert len(expected) >= 2 and ref.returncode == 1
    first = _run(tree)
    assert parse_concise(first.stdout) == expected
    entries = _entries(tree / ".eiglint_cache")
    forged = [e for e in entries if _forge(e)]
    assert forged  # the entries of the files with findings now claim "no findings"
    attacked = _run(tree, "--debug", "--explain-skips")
    assert parse_concise(attacked.stdout) == expected and attacked.returncode == 1
    assert attacked.stderr.count("fails authentication") == len(entries)
    # rewritten with a valid MAC: the next run is served from the cache, still with every finding
    again = _run(tree, "--explain-skips")
    assert parse_concise(again.stdout) == expected
    assert again.stderr.count("(cached)") == len(entries)


def test_valid_cache_made_with_another_key_is_ignored(tree: Path, tmp_path: Path) -> None:
    expected = parse_concise(_run(tree, "--no-cache").stdout)
    attacker = {"EIGLINT_CACHE_KEY": "the attacker's own key"}
    # the attacker builds a cache of the same checkout (entry names depend on absolute paths,
    # which a CI runner makes predictable) and signs a forgery with their own key
    _run(tree, key_env=attacker)
    key = cache_mod._mac_key(attacker["EIGLINT_CACHE_KEY"], "")
    assert key is not None
    assert any([_forge(e, key) for e in _entries(tree / ".eiglint_cache")])
    # under the attacker's key the forgery works: the test can tell a hidden finding
    hidden = _run(tree, key_env=attacker)
    assert hidden.returncode == 0 and parse_concise(hidden.stdout) == []
    # committed with the code under review, it is ignored by a run with any other key
    committed = tmp_path / "committed"
    shutil.copytree(tree / ".eiglint_cache", committed)
    ours = _run(tree, "--debug")
    assert parse_concise(ours.stdout) == expected and ours.returncode == 1
    assert ours.stderr.count("fails authentication") == len(_entries(committed))
    shutil.rmtree(tree / ".eiglint_cache")
    shutil.copytree(committed, tree / ".eiglint_cache")
    ci = _run(tree, key_env={"EIGLINT_CACHE_KEY": "the CI runner's secret"})
    assert parse_concise(ci.stdout) == expected


def test_key_file_is_private_and_created_once(tmp_path: Path) -> None:
    folder = tmp_path / "xdg" / "eiglint"
    key = cache_mod._mac_key("", str(folder))
    assert key is not None and key.origin == str(folder / cache_mod.KEY_FILE)
    mode = stat.S_IMODE(os.stat(folder / cache_mod.KEY_FILE).st_mode)
    assert mode == 0o600
    assert not [p for p in folder.iterdir() if p.name != cache_mod.KEY_FILE]  # no temp left
    cache_mod._mac_key.cache_clear()
    assert cache_mod._mac_key("", str(folder)) == key  # read back, not re-created
    # a malformed key file is replaced by a new key
    (folder / cache_mod.KEY_FILE).write_text("not hex\n")
    cache_mod._mac_key.cache_clear()
    fresh = cache_mod._mac_key("", str(folder))
    assert fresh is not None and fresh.secret != key.secret
    cache_mod._mac_key.cache_clear()


def test_show_settings_says_where_the_cache_and_key_are(tree: Path, tmp_path: Path) -> None:
    xdg = tmp_path / "somewhere"
    out = _run(tree, "--show-settings", key_env={"XDG_CACHE_HOME": str(xdg)})
    assert out.returncode == 0
    lines = dict(line.split(" = ", 1) for line in out.stdout.splitlines()
                 if " = " in line and not line.startswith("#"))
    assert json.loads(lines["cache-dir"]) == str(tree / ".eiglint_cache")
    assert json.loads(lines["cache-key"]) == str(xdg / "eiglint" / "cache-key")
    assert json.loads(lines["select"]) == ["EIG"]
    assert not (tree / ".eiglint_cache").exists()  # nothing linted
    ci = _run(tree, "--show-settings", "--cache-dir", str(tmp_path / "c"),
              key_env={"EIGLINT_CACHE_KEY": "x"})
    assert f'cache-dir = "{tmp_path / "c"}"' in ci.stdout
    assert 'cache-key = "$EIGLINT_CACHE_KEY"' in ci.stdout
