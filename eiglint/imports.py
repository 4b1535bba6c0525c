"""Import resolution in one place: relative imports to absolute module names, and the cheap
text scan of what a module imports.

Used by the project map (:mod:`eiglint.project`: which project modules a module can reach),
the pre-filter (:mod:`eiglint.prefilter`) and the language server's workspace index. A leaf:
it imports nothing from eiglint.
"""
from __future__ import annotations

import ast
import re
from typing import Callable, Dict, List, Optional


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


#: how a lazy loader names its factories (``lazy_loader.attach``/``attach_stub``, also reached
#: as ``lazy.attach`` after ``import lazy_loader as lazy``)
_LAZY_CALL = re.compile(r"\battach(?:_stub)?\s*\(")


def lazy_exports(text: str, module: str, read_stub: Callable[[], Optional[str]]
                 ) -> Dict[str, str]:
    """The names a package's ``__init__`` hands out through a lazy loader, each with the
    absolute name it resolves to at run time (``{"sum_squared": "mne.utils.numerics.
    sum_squared"}``; a lazily imported submodule maps to itself).

    Two spellings of `lazy_loader <https://pypi.org/project/lazy-loader/>`_ (scikit-image,
    NetworkX, MNE): ``__getattr__, __dir__, __all__ = lazy.attach(__name__, submodules=[...],
    submod_attrs={"sub": ["name", ...]})`` with literal arguments, and ``lazy.attach_stub(
    __name__, __file__)``, which reads the relative imports of the stub next to the module
    (``__init__.pyi``: ``from .sub import name`` and ``from . import sub``); ``read_stub``
    gives that stub's text (None when missing). ``module`` is the package's dotted name."""
    tree = _parse(text) if "attach" in text and _LAZY_CALL.search(text) is not None else None
    out: Dict[str, str] = {}
    for st in tree.body if tree is not None else []:
        value = st.value if isinstance(st, (ast.Assign, ast.Expr)) else None
        if not isinstance(value, ast.Call):
            continue
        fn = value.func
        name = fn.attr if isinstance(fn, ast.Attribute) else fn.id if isinstance(
            fn, ast.Name) else ""
        if name == "attach_stub":
            stub = read_stub()
            if stub is not None:
                out.update(_stub_exports(stub, module))
        elif name == "attach":
            out.update(_attach_exports(value, module))
    return out


def _stub_exports(stub: str, module: str) -> Dict[str, str]:
    """What ``attach_stub`` reads from a stub: its first-level relative imports."""
    tree = _parse(stub)
    out: Dict[str, str] = {}
    for st in tree.body if tree is not None else []:
        if not isinstance(st, ast.ImportFrom) or st.level != 1:
            continue
        for alias in st.names:
            if alias.name == "*":
                continue
            exported = alias.asname or alias.name
            if st.module is None:
                out[exported] = f"{module}.{alias.name}"
            else:
                out[exported] = f"{module}.{st.module}.{alias.name}"
    return out


def _parse(text: str) -> Optional[ast.Module]:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _attach_exports(call: ast.Call, module: str) -> Dict[str, str]:
    """What ``attach(__name__, submodules, submod_attrs)`` hands out, from literal arguments."""
    args: Dict[str, ast.expr] = {}
    for i, key in enumerate(("package_name", "submodules", "submod_attrs")):
        if i < len(call.args):
            args[key] = call.args[i]
    for kw in call.keywords:
        if kw.arg is not None:
            args[kw.arg] = kw.value
    out: Dict[str, str] = {}
    try:
        subs = ast.literal_eval(args["submodules"]) if "submodules" in args else ()
        attrs = ast.literal_eval(args["submod_attrs"]) if "submod_attrs" in args else {}
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return {}
    if isinstance(subs, (list, tuple, set, frozenset)):
        for sub in subs:
            if isinstance(sub, str):
                out[sub] = f"{module}.{sub}"
    if isinstance(attrs, dict):
        for sub, names in attrs.items():
            if isinstance(sub, str) and isinstance(names, (list, tuple, set, frozenset)):
                for n in names:
                    if isinstance(n, str):
                        out[n] = f"{module}.{sub}.{n}"
    return out
