"""The benchmark's peers are timed as users run them: flake8 without the plugins that happen to
be installed next to it (eiglint's own, TorchFix), since flake8 runs every installed plugin
whatever ``--select`` says."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench.bench import _plain_flake8

pytest.importorskip("flake8")


def test_plain_flake8_runs_pyflakes_and_no_third_party_plugin(tmp_path: Path) -> None:
    cmd = _plain_flake8(str(tmp_path / "work"))
    assert cmd is not None
    version = subprocess.run([*cmd, "--version"], capture_output=True, text=True, check=True)
    plugins = version.stdout.split("(", 1)[1].split(")", 1)[0]
    assert {p.split(":")[0].strip() for p in plugins.split(",")} == {
        "mccabe", "pycodestyle", "pyflakes"}
    src = tmp_path / "m.py"
    src.write_text("import os\nx = undefined_name\n")
    out = subprocess.run([*cmd, "--isolated", "--select=F", str(src)], capture_output=True,
                         text=True).stdout
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["F401", "F821"]
