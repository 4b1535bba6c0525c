"""Import resolution in one place: relative imports to absolute module names, and the cheap
text scan of what a module imports.

Used by the project map (:mod:`eiglint.project`: which project modules a module can reach),
the pre-filter (:mod:`eiglint.prefilter`) and the language server's workspace index. A leaf:
it imports nothing from eiglint.
"""
from __future__ import annotations

import re
from typing import List, Optional


def resolve_relative(level: int, module: Optional[str], me: str, is_package: bool) -> str:
    """The absolute module of ``from <level dots><module> import ...`` written in module ``me``
    (``is_package``: ``me`` is a package's ``__init__``, so one dot means ``me`` itself).
    Levels above the top package stop at the top (the import would fail at run time)."""
    if not level:
        return module or ""
    base = me.split(".") if me else []
    if not is_package:
        base = base[:-1]
    base = base[: max(len(base) - (level - 1), 0)]
    return ".".join([*base, module] if module else base)


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+([\w., \t()*]+)|"
                     r"import[ \t]+([\w., \t]+))", re.M)


def imported_modules(text: str, module: str) -> List[str]:
    """Module names a text imports (``from x import y`` gives both ``x`` and ``x.y``).

    Relative imports are resolved as if ``module`` were a plain module, also for a package's
    ``__init__`` (whose ``from . import x`` then resolves one level too high). This is how the
    project's charge scan (:meth:`eiglint.project.Project.may_charge`) has always read them;
    resolving them as packages may change which imported modules are followed, hence findings,
    so it is left for a change of its own."""
    out: List[str] = []
    for m in _IMPORT.finditer(text):
        dots, base, names, plain = m.group(1), m.group(2), m.group(3), m.group(4)
        if plain is not None:
            for part in plain.split(","):
                name = part.strip().split(" ")[0]
                if name:
                    out.append(name)
            continue
        if dots:
            base = resolve_relative(len(dots), base, module, is_package=False)
        if base:
            out.append(base)
        for part in names.replace("(", "").replace(")", "").split(","):
            name = part.strip().split(" ")[0]
            if name and name != "*":
                out.append(f"{base}.{name}" if base else name)
    return out
