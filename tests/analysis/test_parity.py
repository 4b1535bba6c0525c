"""The NumPy, SciPy and JAX spellings of the core cases give the same findings as torch's
(and the linter imports none of those libraries to find them)."""
from __future__ import annotations

import subprocess
import sys

import pytest

from eiglint.api import lint_file
from tests.conftest import FIXTURES, expected_findings

PARITY = FIXTURES / "parity"
TORCH = PARITY / "parity_torch.py"


@pytest.mark.parametrize("lib", ["numpy", "scipy", "jax"])
def test_same_findings_as_torch(lib: str) -> None:
    want = {(f.line, f.code) for f in lint_file(str(TORCH))}
    assert want == expected_findings(TORCH.read_text())
    path = PARITY / f"parity_{lib}.py"
    got = {(f.line, f.code) for f in lint_file(str(path))}
    assert got == want


def test_linting_imports_no_numeric_library() -> None:
    code = (
        "import sys\n"
        "from eiglint.api import lint_paths\n"
        f"r = lint_paths([{str(PARITY)!r}])\n"
        "assert r.findings\n"
        "bad = [m for m in ('torch', 'numpy', 'scipy', 'jax') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
