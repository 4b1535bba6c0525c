"""Byte-identical output across repeated runs, worker counts and PYTHONHASHSEED values."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from tests.cli.helpers import FORUM, assert_no_traceback, env
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every fixture (rules, cross-module package, parity files) plus an import cycle."""
    root = tmp_path_factory.mktemp("determinism")
    for sub in ("rules", "project", "parity"):
        if (FIXTURES / sub).is_dir():
            shutil.copytree(FIXTURES / sub, root / sub)
    shutil.copy(FORUM, root / "forum.py")
    cyc = root / "cyc"
    cyc.mkdir()
    (cyc / "__init__.py").write_text("")
    (cyc / "a.py").write_text("import torch\nfrom cyc import b\n\n"
                              "def basis(m):\n    return torch.linalg.eigh(m)[1]\n\n"
                              "def use(m):\n    return b.first(basis(m))\n")
    (cyc / "b.py").write_text("from cyc import a\n\n"
                              "def first(v):\n    return v[:, 0] > 0\n\n"
                              "def again(m):\n    return a.basis(m).sum(-1)\n")
    (cyc / "c.py").write_text("from cyc.a import basis\nfrom cyc.b import again\n\n"
                              "x = basis(M).sum(0)\ny = again(M)\n")
    return root


def _run(cwd: Path, *args: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    e = env()
    e["PYTHONHASHSEED"] = seed
    proc = subprocess.run([sys.executable, "-m", "eiglint", "--no-cache", "--output-format",
                           "json", *args, "."], cwd=cwd, capture_output=True, text=True,
                          env=e, timeout=900)
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    return proc


def test_same_bytes_across_runs_jobs_and_hash_seeds(corpus: Path) -> None:
    runs: List[subprocess.CompletedProcess[str]] = [
        _run(corpus, "-j", "1", seed="0"),
        _run(corpus, "-j", "1", seed="0"),
        _run(corpus, "-j", "2", seed="0"),
        _run(corpus, "-j", "3", seed="12345"),
        _run(corpus, "-j", "1", seed="random"),
    ]
    first = runs[0]
    assert first.stdout.count('"code"') > 100
    for r in runs[1:]:
        assert r.stdout == first.stdout
        assert r.stderr == first.stderr


def test_cached_output_is_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    ref = _run(corpus, "-j", "2").stdout
    for seed in ("1", "2"):
        e = env()
        e["PYTHONHASHSEED"] = seed
        proc = subprocess.run([sys.executable, "-m", "eiglint", "--cache-dir",
                               str(tmp_path / "c"), "--output-format", "json", "."],
                              cwd=corpus, capture_output=True, text=True, env=e, timeout=900)
        assert proc.stdout == ref


@pytest.mark.parametrize("seed", ["1", "4242"])
def test_in_process_api_is_deterministic_under_any_hash_seed(corpus: Path, seed: str) -> None:
    """The library path (no workers) gives the same records as the CLI's workers."""
    code = ("import json,sys\nfrom eiglint.api import lint_paths\n"
            "r = lint_paths(['.'])\n"
            "print(json.dumps([[f.path, f.line, f.col, f.code, f.message] for f in r.findings]))")
    outs = []
    for jobs in ("None", "2"):
        e = env()
        e["PYTHONHASHSEED"] = seed
        p = subprocess.run([sys.executable, "-c", code.replace("lint_paths(['.'])",
                                                               f"lint_paths(['.'], jobs={jobs})")],
                           cwd=corpus, capture_output=True, text=True, env=e, timeout=900)
        assert p.returncode == 0, p.stderr
        outs.append(p.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 1000
