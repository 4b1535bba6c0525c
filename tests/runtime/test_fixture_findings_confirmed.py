"""Every finding in the rule fixtures must be reproducible at runtime: a finding that the
confirmation mode cannot reproduce is a bug in the analysis or in the fixture. The fixtures'
module values are their outputs (printed by ``fixture_outputs.py``).

The whole set runs as a slow test; CI runs a sample that covers every operation and source.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

pytest.importorskip("torch")

from tests.conftest import FIXTURES  # noqa: E402

SAMPLE = [FIXTURES / "rules" / "operations.py", FIXTURES / "rules" / "sources_torch.py",
          FIXTURES / "rules" / "assertions.py"]
ALL = sorted((FIXTURES / "rules").glob("*_bad.py")) + [
    FIXTURES / "rules" / n for n in ("operations.py", "sources_torch.py", "flow_tracking.py",
                                     "containers.py", "recursion.py",
                                     "sources_numpy_scipy_jax.py", "sign_conventions.py",
                                     "assertions.py")
] + sorted((FIXTURES / "rules").glob("realworld_*.py")) + sorted(
    (FIXTURES / "parity").glob("*.py"))


DRIVER = Path(__file__).with_name("fixture_outputs.py")


def _confirm(paths: List[Path]) -> list:
    """Confirm the fixtures' findings, their module values printed as their outputs (a
    value that reaches no output is ``not-observable``, by design): see ``DRIVER``."""
    env = dict(os.environ, EIGLINT_FIXTURES=os.pathsep.join(map(str, paths)))
    proc = subprocess.run(
        [sys.executable, "-m", "eiglint", "confirm", "--output-format", "json", "-j", "2",
         *map(str, paths), "--", sys.executable, "-m", "pytest", "-q", "-s", "-p",
         "no:randomly", str(DRIVER)],
        capture_output=True, text=True, timeout=1500, env=env,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _check(findings: list) -> None:
    assert findings
    bad = [(Path(f["file"]).name, f["line"], f["code"], f["verdict"]["status"],
            f["verdict"].get("reason", "")[:200])
           for f in findings if f["verdict"]["status"] != "confirmed"]
    assert not bad, bad


def test_sampled_fixture_findings_are_confirmed() -> None:
    _check(_confirm(SAMPLE))


def test_findings_reached_only_through_the_main_block_are_confirmed() -> None:
    """realworld_dmd.py's flagged functions all take arguments; only its
    ``if __name__ == "__main__":`` block calls them, so the driver must run that block."""
    findings = _confirm([FIXTURES / "rules" / "realworld_dmd.py"])
    assert {f["line"] for f in findings} == {27, 52}
    _check(findings)


@pytest.mark.slow
def test_all_fixture_findings_are_confirmed() -> None:
    if any("jax" in p.name for p in ALL):
        pytest.importorskip("jax")
    _check(_confirm(ALL))
