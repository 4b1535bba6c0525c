#!/usr/bin/env python3
"""Regenerate docs/rules.md from the rule records (``--check``: exit 1 if it is stale)."""
from __future__ import annotations

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from eiglint.ruledocs import rules_markdown

TARGET = os.path.join(ROOT, "docs", "rules.md")


def main(argv: list) -> int:
    text = rules_markdown()
    if "--check" in argv:
        try:
            with open(TARGET, encoding="utf-8") as fh:
                current = fh.read()
        except OSError:
            current = ""
        if current != text:
            print(f"{TARGET} is out of date: run python scripts/gen_rules_md.py", file=sys.stderr)
            return 1
        return 0
    with open(TARGET, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
