"""Linting never imports or executes the linted code (CLI, flake8 plugin, api).

Every module here writes a marker file when imported: the linted file itself, the project
module it imports (which the cross-module analysis reads), a ``conftest.py`` and a
``sitecustomize.py`` next to them. Configuration is data only: a ``pyproject.toml`` whose
values look like code is read, never evaluated.
"""
from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from eiglint import api
from tests.cli.helpers import ROOT, assert_no_traceback


def env() -> dict:
    """The environment of the runs, without an empty PYTHONPATH entry (an empty entry means
    the current folder, from which Python would import the planted ``sitecustomize.py``)."""
    e = dict(os.environ)
    parts = [str(ROOT)] + [p for p in e.get("PYTHONPATH", "").split(os.pathsep) if p]
    e["PYTHONPATH"] = os.pathsep.join(parts)
    return e


def _payload(marker: Path, name: str) -> str:
    return (f"import os\nopen({str(marker / name)!r}, 'w').write('ran')\n"
            "os.system('touch ' + " + repr(str(marker / (name + '.sh'))) + ")\n")


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    marker = tmp_path / "markers"
    marker.mkdir()
    proj = tmp_path / "proj"
    pkg = proj / "evil"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(_payload(marker, "pkg_init"))
    (pkg / "helpers.py").write_text(_payload(marker, "helpers") +
                                    "import torch\n\ndef basis(m):\n"
                                    "    return torch.linalg.eigh(m)[1]\n")
    (pkg / "main.py").write_text(_payload(marker, "main") +
                                 "import torch\nfrom evil.helpers import basis\n"
                                 "__import__('evil.helpers')\nexec('x = 1')\n"
                                 "v = basis(torch.eye(3))\nbad = v[:, 0] > 0\n"
                                 "L, V = torch.linalg.eig(torch.eye(3))\n"
                                 "loss = (V * V).real.sum()\n")
    (proj / "conftest.py").write_text(_payload(marker, "conftest"))
    (proj / "sitecustomize.py").write_text(_payload(marker, "sitecustomize"))
    (proj / "setup.py").write_text(_payload(marker, "setup"))
    (proj / "pyproject.toml").write_text(
        "[tool.eiglint]\n"
        f"extend-exclude = [\"__import__('os').system('touch {marker}/toml')\", "
        f"\"$(touch {marker}/toml2)\", \"`touch {marker}/toml3`\"]\n")
    return proj


def _cmd(tool: str) -> List[str]:
    """The installed console script, as users and pre-commit run it. (``python -m tool``
    would put the current folder on ``sys.path`` before ``site`` runs, so Python itself
    would import the ``sitecustomize.py`` planted there, whatever the tool does.)"""
    script = Path(sys.executable).parent / tool
    if script.is_file():
        return [str(script)]
    if sys.version_info >= (3, 11):
        return [sys.executable, "-P", "-m", tool]
    pytest.skip(f"no {tool} console script next to {sys.executable}")
    return []


def _markers(proj: Path) -> List[str]:
    return sorted(os.listdir(proj.parent / "markers"))


def test_payload_really_writes_markers(tree: Path) -> None:
    """The trap works: running the file does leave markers (so their absence means something)."""
    subprocess.run([sys.executable, str(tree / "evil" / "main.py")], cwd=tree,
                   capture_output=True, env=env(), timeout=300, check=False)
    assert "main" in _markers(tree)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_never_runs_the_code(tree: Path, jobs: str) -> None:
    proc = subprocess.run([*_cmd("eiglint"), "-j", jobs, "--no-cache", "."],
                          cwd=tree, capture_output=True, text=True, env=env(), timeout=300)
    assert_no_traceback(proc)  # type: ignore[arg-type]
    assert "EIG101" in proc.stdout  # it did lint the file
    assert _markers(tree) == []


def test_cli_with_cache_and_explain_never_runs_the_code(tree: Path) -> None:
    for _ in range(2):
        proc = subprocess.run([*_cmd("eiglint"), "--explain-skips",
                               "--no-prefilter", "."], cwd=tree, capture_output=True,
                              text=True, env=env(), timeout=300)
        assert "EIG101" in proc.stdout
    assert _markers(tree) == []


def test_code_in_configuration_is_rejected_not_run(tree: Path) -> None:
    marker = tree.parent / "markers"
    (tree / "pyproject.toml").write_text(
        "[tool.eiglint]\n"
        f"extra-sources = [\"__import__('os').system('touch {marker}/toml')\"]\n")
    proc = subprocess.run([*_cmd("eiglint"), "--no-cache", "."], cwd=tree,
                          capture_output=True, text=True, env=env(), timeout=300)
    assert_no_traceback(proc)  # type: ignore[arg-type]
    assert proc.returncode == 2 and "extra-sources" in proc.stderr
    assert _markers(tree) == []


def test_api_never_runs_the_code(tree: Path) -> None:
    main = tree / "evil" / "main.py"
    res = api.lint_paths([str(tree)])
    assert any(f.code == "EIG101" for f in res.findings)
    api.lint_paths([str(tree)], jobs=2)
    api.lint_file(str(main))
    api.lint_source(main.read_text(), str(main))
    api.lint_data(main.read_bytes(), str(main))
    assert _markers(tree) == []
    assert "evil" not in sys.modules and "evil.helpers" not in sys.modules


def test_flake8_plugin_never_runs_the_code(tree: Path) -> None:
    pytest.importorskip("flake8")
    eps = [ep for ep in importlib.metadata.entry_points(group="flake8.extension")
           if ep.name == "EIG"]
    assert eps and eps[0].value == "eiglint.flake8_plugin:Plugin"
    proc = subprocess.run([*_cmd("flake8"), "--select=EIG", "."], cwd=tree,
                          capture_output=True, text=True, env=env(), timeout=300)
    assert "EIG101" in proc.stdout, proc.stdout + proc.stderr
    assert _markers(tree) == []
