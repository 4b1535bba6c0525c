"""Shared test helpers: fixture annotations are the expected findings."""
from __future__ import annotations

import re
from pathlib import Path
from typing import List, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

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
