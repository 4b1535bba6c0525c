"""Generated stress inputs: large files of many small functions that call a decomposition.

    python bench/generated.py OUT.py [N]      # N functions (default 5,000: ~50,000 lines)

Each function is ten lines: a decomposition, a gauge-invariant use, a helper call and, in one
function of four, a finding (a sum over the eigen-index), so that the file exercises the tracker
on every function and the expected findings are known: :func:`expected_lines`.
"""
from __future__ import annotations

import sys
from typing import List

HEADER = "import numpy as np\nimport torch\n\n\n"


def _function(i: int) -> str:
    bad = i % 4 == 0
    last = "    return v.sum() + w[0]" if bad else "    return (v * v).sum() + w[0]"
    return (f"def f{i}(a, b):\n"
            f"    w, v = {'torch.linalg' if i % 2 else 'np.linalg'}.eigh(a + b)\n"
            f"    p = v @ v.T\n"
            f"    q = helper{i % 7}(p, w)\n"
            f"    if q is None:\n"
            f"        return w\n"
            f"    for k in range(3):\n"
            f"        q = q + p * k\n"
            f"{last}\n"
            f"\n")


def source(n: int = 5000) -> str:
    helpers = "".join(f"def helper{k}(x, y):\n    return x * y + {k}\n\n\n" for k in range(7))
    return HEADER + helpers + "".join(_function(i) for i in range(n))


def expected_lines(n: int = 5000) -> List[int]:
    """Lines of the findings of :func:`source` (the `return v.sum()` of every fourth)."""
    first = len((HEADER + "".join(f"def helper{k}(x, y):\n    return x * y + {k}\n\n\n"
                                  for k in range(7))).splitlines()) + 1
    return [first + 10 * i + 8 for i in range(n) if i % 4 == 0]


if __name__ == "__main__":
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    with open(sys.argv[1], "w") as fh:
        fh.write(source(n))
