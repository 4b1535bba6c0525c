"""The pre-filter and the cache change no finding; the cache survives corruption and sharing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from eiglint import api, parallel, prefilter
from eiglint.api import lint_paths
from eiglint.cache import Cache, dependency_digests, mac, mac_key
from eiglint.project import Project
from eiglint.settings import DEFAULT_SETTINGS
from tests.cli.helpers import assert_no_traceback, env
from tests.conftest import FIXTURES, expected_findings

PKG = FIXTURES / "project" / "pkg"


def _rows(res: api.LintResult) -> List[Tuple[str, int, int, str, str]]:
    return [(f.path, f.line, f.col, f.code, f.message) for f in res.findings]


#: the settings of a run with the pre-filter off (``--no-prefilter``)
NO_PREFILTER = replace(DEFAULT_SETTINGS, prefilter=False)


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    dst = tmp_path / "pkg"
    shutil.copytree(PKG, dst)
    return dst


def test_train_never_names_a_decomposition_yet_is_analysed(project: Path) -> None:
    text = (project / "train.py").read_text()
    assert prefilter.find_word(text, prefilter.trigger_words()) is None
    why: Dict[str, str] = {}
    res = lint_paths([str(project)], explain=why)
    got = {(Path(f.path).name, f.line, f.code) for f in res.findings}
    expected = {(p.name, ln, c) for p in project.glob("*.py")
                for ln, c in expected_findings(p.read_text())}
    assert got == expected and ("train.py", 12, "EIG207") in got
    assert why[str(project / "train.py")].startswith("analysed: imports `laplacian_pe`")
    assert why[str(project / "util.py")].startswith("skipped")


@pytest.mark.parametrize("target", [PKG, FIXTURES / "rules", FIXTURES])
def test_findings_identical_with_the_prefilter_off(target: Path) -> None:
    off = _rows(lint_paths([str(target)], NO_PREFILTER))
    on = _rows(lint_paths([str(target)]))
    assert on == off and on


def test_skip_reasons(tmp_path: Path) -> None:
    (tmp_path / "doc.py").write_text('"""Compare with torch.linalg.eigh(A)."""\nx = 1  # svd\n')
    (tmp_path / "own.py").write_text("class M:\n    def schur(self):\n        return 1\n"
                                     "    def go(self):\n        return self.schur()\n")
    (tmp_path / "real.py").write_text("import numpy as np\nw, v = np.linalg.eigh(a)\n")
    (tmp_path / "method.py").write_text("u, s, v = x.svd()\n")
    (tmp_path / "weight.py").write_text("weight = height = 1\n")
    why: Dict[str, str] = {}
    lint_paths([str(tmp_path)], explain=why)
    short = {Path(k).name: v for k, v in why.items()}
    assert short["doc.py"].startswith("skipped: `eigh` (line 1) appears only in strings")
    assert short["own.py"].startswith("skipped")
    assert short["real.py"] == "analysed: names `eigh` (line 2)"
    assert short["method.py"] == "analysed: names `svd` (line 1)"
    assert short["weight.py"].startswith("skipped: no decomposition name")


def test_charge_follows_re_exports_and_cycles(tmp_path: Path) -> None:
    pkg = tmp_path / "cyc"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import helper\n")
    (pkg / "a.py").write_text("from . import b\n\ndef helper(x):\n    return b.deep(x)\n")
    (pkg / "b.py").write_text("import torch\nfrom .a import helper\n\n"
                              "def deep(x):\n    return torch.linalg.eigh(x)[1]\n")
    (tmp_path / "user.py").write_text("from cyc import helper\n\nv = helper(A)\n"
                                      "bad = v[:, 0] > 0\n")
    why: Dict[str, str] = {}
    res = lint_paths([str(tmp_path)], explain=why)
    assert why[str(tmp_path / "user.py")].startswith("analysed: imports `helper` from cyc")
    off = _rows(lint_paths([str(tmp_path)], NO_PREFILTER))
    assert _rows(res) == off


def test_dependency_digests_follow_cycles_and_change_upstream_only() -> None:
    g = {"a": ("1", ["b"]), "b": ("2", ["c"]), "c": ("3", ["b"]), "d": ("4", [])}
    d1 = dependency_digests(g)
    assert d1["b"] == d1["c"] != d1["a"]
    g2 = dict(g, c=("3x", ["b"]))
    d2 = dependency_digests(g2)
    assert d2["a"] != d1["a"] and d2["b"] != d1["b"] and d2["d"] == d1["d"]
    chain = {str(i): (str(i), [str(i + 1)] if i < 5000 else []) for i in range(5001)}
    assert len(set(dependency_digests(chain).values())) == 5001  # no recursion limit


# ----------------------------------------------------------------------------- cache


def _entries(cache_dir: Path) -> List[Path]:
    return sorted(p for p in cache_dir.rglob("*.json"))


def test_cache_layout_and_warm_run_identical(project: Path, tmp_path: Path) -> None:
    cdir = tmp_path / "cache"
    cold = lint_paths([str(project)], cache_dir=str(cdir), jobs=2)
    assert (cdir / "CACHEDIR.TAG").read_text().startswith(
        "Signature: 8a477f597d28d172789f06886806bc55")
    assert (cdir / ".gitignore").read_text() == "*\n"
    assert len(_entries(cdir)) == cold.files
    why: Dict[str, str] = {}
    warm = lint_paths([str(project)], cache_dir=str(cdir), jobs=2, explain=why)
    assert _rows(warm) == _rows(cold) and warm.suppressed == cold.suppressed
    assert all(v.endswith("(cached)") for v in why.values())
    assert not list(cdir.rglob(".tmp-*"))


def test_changing_a_helper_reanalyses_its_importers_only(project: Path, tmp_path: Path) -> None:
    cdir = tmp_path / "cache"
    lint_paths([str(project)], cache_dir=str(cdir))
    util = project / "util.py"
    util.write_text(util.read_text().replace("return v.sum(-1)", "return (v * v).sum(-1)"))
    why: Dict[str, str] = {}
    res = lint_paths([str(project)], cache_dir=str(cdir), explain=why)
    fresh = {Path(p).name for p, v in why.items() if not v.endswith("(cached)")}
    assert fresh == {"util.py", "train.py"}
    assert not any(f.line == 17 and f.path.endswith("train.py") for f in res.findings)
    assert _rows(res) == _rows(lint_paths([str(project)]))


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty", "other-key",
                                    "bad-record"])
def test_corrupt_entries_are_ignored_and_rebuilt(project: Path, tmp_path: Path,
                                                 damage: str) -> None:
    cdir = tmp_path / "cache"
    expected = _rows(lint_paths([str(project)], cache_dir=str(cdir)))
    entries = _entries(cdir)
    assert entries
    for e in entries:
        raw = e.read_bytes()
        if damage == "truncate":
            e.write_bytes(raw[: len(raw) // 2])
        elif damage == "garbage":
            e.write_bytes(os.urandom(200))
        elif damage == "flip":
            e.write_bytes(raw[:10] + bytes([raw[10] ^ 1]) + raw[11:])  # one bit
        elif damage == "empty":
            e.write_bytes(b"")
        elif damage == "other-key":
            shutil.copy(entries[0] if e != entries[0] else entries[-1], e)
        elif damage == "bad-record":  # authentic (our key), but not a record we write
            key = mac_key()
            assert key is not None
            payload = b'{"key":"' + e.stem.encode() + b'","findings":[{"nope":1}],' \
                b'"suppressed":[],"reason":"x"}'
            e.write_bytes(payload + b"\n" + mac(payload, key).encode())
    cache = Cache(str(cdir))
    out = parallel.lint_files(sorted(str(p) for p in project.glob("*.py")),
                              DEFAULT_SETTINGS, cache=cache)
    rows = sorted((f.path, f.line, f.col, f.code, f.message) for o in out for f in o.findings)
    assert rows == sorted(expected)
    if damage != "other-key":
        assert cache.hits == 0
    # rebuilt: the next run is served from the cache and still correct
    again = Cache(str(cdir))
    out2 = parallel.lint_files(sorted(str(p) for p in project.glob("*.py")),
                               DEFAULT_SETTINGS, cache=again)
    assert again.hits == len(entries)
    assert sorted((f.path, f.line, f.col, f.code, f.message) for o in out2
                  for f in o.findings) == sorted(expected)


def test_unwritable_cache_only_costs_speed(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    res = lint_paths([str(project)], cache_dir=str(blocker / "cache"))
    assert _rows(res) == _rows(lint_paths([str(project)]))


def test_two_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(FIXTURES / "rules", work / "rules")
    shutil.copytree(PKG, work / "pkg")
    cdir = tmp_path / "shared-cache"
    ref = subprocess.run([sys.executable, "-m", "eiglint", "--no-cache", "-j", "1", "."],
                         cwd=work, capture_output=True, text=True, env=env(), timeout=600)
    assert ref.stdout
    cmd = [sys.executable, "-m", "eiglint", "--cache-dir", str(cdir), "-j", "2", "."]
    for _ in range(2):  # cold (racing writers), then warm (racing readers)
        procs = [subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env())
                 for _ in range(2)]
        outs = [p.communicate(timeout=600) for p in procs]
        for p, (out, err) in zip(procs, outs):
            assert_no_traceback(subprocess.CompletedProcess(cmd, p.returncode, out, err))
            assert p.returncode == ref.returncode
            assert out == ref.stdout
    assert not list(cdir.rglob(".tmp-*"))


def test_cli_cache_default_location_and_no_cache(tmp_path: Path) -> None:
    shutil.copytree(PKG, tmp_path / "pkg")
    run = [sys.executable, "-m", "eiglint"]
    a = subprocess.run(run + ["--no-cache", "."], cwd=tmp_path, capture_output=True, text=True,
                       env=env(), timeout=300)
    assert not (tmp_path / ".eiglint_cache").exists()
    b = subprocess.run(run + ["."], cwd=tmp_path, capture_output=True, text=True, env=env(),
                       timeout=300)
    assert (tmp_path / ".eiglint_cache" / "CACHEDIR.TAG").is_file()
    c = subprocess.run(run + ["--explain-skips", "."], cwd=tmp_path, capture_output=True,
                       text=True, env=env(), timeout=300)
    assert a.stdout == b.stdout == c.stdout and a.returncode == b.returncode == 1
    assert "pkg/util.py: skipped" in c.stderr and "(cached)" in c.stderr


def test_the_index_answers_alike_in_any_order_of_questions(project: Path) -> None:
    """Each worker builds the charge index for the files it is given, in its own order: the
    answers must not depend on which module was asked first."""
    files = sorted(str(p) for p in project.rglob("*.py"))
    forward = prefilter.ChargeIndex(Project(files, DEFAULT_SETTINGS))
    backward = prefilter.ChargeIndex(Project(files, DEFAULT_SETTINGS))
    modules = sorted(forward.project.by_name)
    answers = {m: forward.exports(m) for m in modules}
    assert any(a is not None and a[0] for a in answers.values())  # util exports charged names
    assert {m: backward.exports(m) for m in reversed(modules)} == answers
    with_workers = _rows(lint_paths([str(project)], jobs=2))
    assert with_workers == _rows(lint_paths([str(project)])) and with_workers
