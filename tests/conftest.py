"""Shared test helpers: fixture annotations are the expected findings."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"



@pytest.fixture(autouse=True, scope="session")
def _private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache key of the tests (and of the eiglint processes they start) lives in a
    temporary folder, not in the user's ~/.cache."""
    saved = {k: os.environ.get(k) for k in ("XDG_CACHE_HOME", "EIGLINT_CACHE_KEY",
                                            "EIGLINT_SOURCES")}
    from bench.fetch import sources_root

    os.environ["EIGLINT_SOURCES"] = sources_root()  # fetched real projects stay where they are
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    os.environ.pop("EIGLINT_CACHE_KEY", None)
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9 ,]+)")


def expected_findings(text: str) -> Set[Tuple[int, str]]:
    """``# expect: EIG101`` (or ``EIG101, EIG205``) on a line: those codes are reported there."""
    out: Set[Tuple[int, str]] = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _EXPECT.search(line)
        if m:
            for code in re.split(r"[ ,]+", m.group(1).strip()):
                if code:
                    out.add((lineno, code))
    return out


def fixture_files(subdir: str = "") -> List[Path]:
    base = FIXTURES / subdir if subdir else FIXTURES
    return sorted(p for p in base.rglob("*.py")
                  if not {"runtime", "project"} & set(p.relative_to(FIXTURES).parts))
