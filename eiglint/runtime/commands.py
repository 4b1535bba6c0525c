"""The command after ``--`` (``python x.py``, ``python -m pytest t.py``, ``pytest t.py``, a
Python script) as a run target, and which PATHS are tests that ``eiglint confirm`` runs with
pytest."""
from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from typing import Any

from .options import ConfirmError


def parse_command(argv: Sequence[str], cwd: str) -> dict[str, Any]:
    """``python x.py a``, ``python -m pytest t.py``, ``pytest t.py``, ``./tool`` -> a target."""
    if not argv:
        raise ConfirmError("empty command after --")
    prog, rest = argv[0], list(argv[1:])
    base = os.path.basename(prog)
    if _is_python(prog):
        i = 0
        while i < len(rest) and rest[i].startswith("-") and rest[i] not in ("-m", "-c", "-"):
            opt = rest[i]
            i += 1
            if opt in ("-W", "-X", "-Q") and i < len(rest):
                i += 1  # an option with a separate argument: accepted, not applied
        rest = rest[i:]
        if not rest:
            raise ConfirmError("`python` without a script, -m or -c: nothing to run")
        if rest[0] == "-m" and len(rest) >= 2:
            return _module_target(rest[1], rest[2:])
        if rest[0] == "-c" and len(rest) >= 2:
            return {"kind": "command", "mode": "code", "code": rest[1], "argv": rest[2:],
                    "label": "python -c"}
        script = os.path.abspath(os.path.join(cwd, rest[0]))
        if not os.path.isfile(script):
            raise ConfirmError(f"no such script: {rest[0]}")
        return {"kind": "command", "mode": "script", "path": script, "argv": rest[1:],
                "label": f"python {rest[0]}"}
    if base in ("pytest", "py.test"):
        return _module_target("pytest", rest)
    found = shutil.which(prog, path=os.environ.get("PATH")) if os.sep not in prog else (
        os.path.join(cwd, prog))
    if not found or not os.path.isfile(found):
        raise ConfirmError(f"command not found: {prog}")
    try:
        with open(found, "rb") as fh:
            first = fh.readline(200)
    except OSError as exc:
        raise ConfirmError(f"cannot read {found}: {exc}") from exc
    if not (first.startswith(b"#!") and b"python" in first):
        raise ConfirmError(f"{prog} is not a Python program; confirm runs Python code only "
                           "(use `-- python ...` or `-- pytest ...`)")
    return {"kind": "command", "mode": "script", "path": os.path.abspath(found), "argv": rest,
            "label": prog}


def _is_python(prog: str) -> bool:
    base = os.path.basename(prog).lower()
    base = base.removesuffix(".exe")
    return base.startswith("python") and all(c.isdigit() or c == "." for c in base[6:])


def _module_target(name: str, argv: list[str]) -> dict[str, Any]:
    target = {"kind": "command", "mode": "module", "name": name, "argv": list(argv),
              "label": f"python -m {name}"}
    if name == "pytest":
        # no .pytest_cache in the user's tree
        target["argv"] = ["-p", "no:cacheprovider", *argv]
    return target


def _is_test_file(path: str) -> bool:
    b = os.path.basename(path)
    return b == "conftest.py" or (b.startswith("test_") and b.endswith(".py")) or \
        b.endswith("_test.py")


_NOT_TESTS = frozenset({"__pycache__", "node_modules", "site-packages", ".git", ".tox", ".nox",
                        "build", "dist"})


def paths_with_tests(paths: Sequence[str]) -> list[str]:
    """The PATHS that are tests: ``test_*.py`` / ``*_test.py`` files, and folders named
    ``test*`` holding such files. ``eiglint confirm pkg/ tests/`` runs pytest on them."""
    out = []
    for p in paths:
        if os.path.isfile(p):
            if _is_test_file(p) and os.path.basename(p) != "conftest.py":
                out.append(p)
            continue
        name = os.path.basename(os.path.normpath(os.path.abspath(p)))
        if not (os.path.isdir(p) and name.startswith("test")):
            continue
        for dirpath, dirs, files in os.walk(p):
            dirs[:] = [d for d in dirs if d not in _NOT_TESTS and not d.startswith(".")
                       and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg"))]
            if any(_is_test_file(f) and f != "conftest.py" for f in files):
                out.append(p)
                break
    return out


__all__ = ["parse_command", "paths_with_tests"]
