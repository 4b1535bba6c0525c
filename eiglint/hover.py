"""What the tracker knows about a variable, for editor hovers (read-only, on top of the tracker).

:class:`HoverAnalysis` is a :class:`~eiglint.tracker.ModuleAnalysis` that also records the
abstract value of every ``Name`` it binds (assignment targets, ``for`` targets, augmented
assignments) or reads. :func:`describe_at` runs it over a module's text and says, for the name
under a position, what its value carries::

    eigenvectors of `tA` from `torch.linalg.eig` (line 22): phase on its columns
    invariant
    phase-dependent

A name analysed in several contexts (a function body on its own and at each call, loop
iterations) may have several values: each distinct description is listed once, in the order
the analysis met them. Nothing here changes what the tracker reports.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import libcst as cst

from . import domain as D
from .project import Project
from .settings import DEFAULT_SETTINGS, Settings
from .tracker import ModuleAnalysis, SourceInfo, module_name_for
from .values import Abs, Coll, Seq

#: at most this many distinct descriptions are shown for one name
MAX_DESCRIPTIONS = 4

_OPS = {
    "real": "the real part",
    "imag": "the imaginary part",
    "jimag": "the imaginary part",
    "angle": "the angle",
    "pair": "the real and imaginary parts side by side",
}


@dataclass(frozen=True)
class HoverInfo:
    """The description of the name at a position, and that name's extent (1-based lines and
    columns in characters, ``end_col`` exclusive, as in :class:`~eiglint.types.Finding`)."""

    name: str
    descriptions: tuple[str, ...]
    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def text(self) -> str:
        if len(self.descriptions) == 1:
            return f"`{self.name}`: {self.descriptions[0]}"
        lines = [f"`{self.name}` (several values, by call or iteration):"]
        lines += [f"- {d}" for d in self.descriptions]
        return "\n".join(lines)


class HoverAnalysis(ModuleAnalysis):
    """The tracker, recording the value of each ``Name`` node it binds or reads."""

    def __init__(self, text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                 module_name: str = "__main__", project: Project | None = None) -> None:
        super().__init__(text, path, settings, module_name, project)
        #: id(Name node) -> (the node, its values in the order first seen)
        self.seen: dict[int, tuple[cst.Name, list[Abs]]] = {}

    def _record(self, node: cst.Name, value: Abs) -> None:
        entry = self.seen.get(id(node))
        if entry is None:
            self.seen[id(node)] = (node, [value])
        elif all(v is not value and v != value for v in entry[1]):
            entry[1].append(value)

    def assign(self, target: cst.CSTNode, value: Abs) -> None:
        if isinstance(target, cst.Name):
            self._record(target, value)
        super().assign(target, value)

    def eval_Name(self, node: cst.Name) -> Abs:
        value = super().eval_Name(node)
        self._record(node, value)
        return value

    # ------------------------------------------------------------------ queries

    def name_at(self, line: int, col: int) -> tuple[cst.Name, list[Abs]] | None:
        """The recorded name whose extent holds the 1-based ``line``/``col`` (characters)."""
        best: tuple[cst.Name, list[Abs]] | None = None
        for node, values in self.seen.values():
            r = self.pos.get(node)
            if r is None or r.start.line != line:
                continue
            # libcst columns are 0-based; the name covers [start, end)
            if r.start.column + 1 <= col <= r.end.column:
                best = (node, values)
            elif col == r.end.column + 1 and best is None:
                best = (node, values)  # the cursor just after the name
        return best

    def describe(self, value: Abs) -> str | None:
        """A short text of a value's gauge character; None for non-array values (modules,
        functions, classes, objects)."""
        if isinstance(value, (D.Inv, D.Cov, D.Pending, D.Broken)):
            return self.describe_value(value)
        if isinstance(value, Seq):
            parts = [self.describe(it) for it in value.items]
            if all(p is None for p in parts):
                return None
            names = value.names or tuple("" for _ in value.items)
            shown = [f"{n + ': ' if n else ''}{p or 'not an array'}"
                     for n, p in zip(names, parts)]
            return f"{value.kind} of {len(parts)}: " + "; ".join(shown)
        if isinstance(value, Coll):
            inner = self.describe(value.elem)
            return None if inner is None else f"collection whose items are each: {inner}"
        return None

    def describe_value(self, v: D.Value) -> str:
        if isinstance(v, D.Inv):
            return "invariant"
        if isinstance(v, D.Broken):
            return f"{v.kind}-dependent"
        if isinstance(v, D.Pending):
            what = _OPS.get(v.op, f"`{v.op.split(':', 1)[-1]}`")
            return (f"{D.value_kind(v)}-dependent: {what} of a value carrying "
                    f"{self._sources_text(v.base)} (invariant again only if recombined)")
        return self._cov_text(v)

    def _source_head(self, info: SourceInfo) -> str:
        owner, call = info.anchor
        arg = ""
        if isinstance(call, cst.Call) and call.args:
            arg = f" of `{owner.text(call.args[0].value, limit=40)}`"
        where = f"line {info.line}"
        if os.path.abspath(info.path) != os.path.abspath(self.path):
            where = f"{os.path.basename(info.path)}, {where}"
        return f"{info.label}{arg} from `{info.api}` ({where})"

    def _sources_text(self, v: D.Cov) -> str:
        heads = [self._source_head(self.sources[s]) for s in v.sources() if s in self.sources]
        return "; ".join(heads) if heads else "an eigenvector gauge"

    def _cov_text(self, v: D.Cov) -> str:
        out: list[str] = []
        for s in v.sources():
            info = self.sources.get(s)
            head = self._source_head(info) if info is not None else f"decomposition {s}"
            places: list[str] = []
            for i, charge in enumerate(v.axes):
                for (src, modulus, token), e in charge:
                    if src == s:
                        places.append(_gauge(modulus, e) + " on " + _axis(i, v.ndim, token))
            for (src, modulus, _tok), e in v.residual:
                if src == s:
                    places.append(_gauge(modulus, e) + " of the one column it was taken from")
            for (src, modulus, _tok), e in v.elem:
                if src == s:
                    places.append(_gauge(modulus, e) + " per element (layout not tracked)")
            out.append(f"{head}: {', '.join(places)}")
        return "; ".join(out)


def _gauge(modulus: int, exponent: int) -> str:
    if modulus == D.SIGN:
        return "sign"
    if exponent == 1:
        return "phase"
    if exponent == -1:
        return "conjugate phase"
    return f"phase^{exponent}"


def _axis(i: int, ndim: int, token: str) -> str:
    if ndim == 1:
        where = "its entries"
    elif i == ndim - 1:
        where = "its columns"
    elif i == ndim - 2:
        where = "its rows"
    else:
        where = f"axis {i - ndim}"
    return where if token == D.ID else f"{where} (reordered or selected)"


def analyse_for_hover(text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                      project: Project | None = None) -> HoverAnalysis:
    """Run :class:`HoverAnalysis` over a module's text (raises on text libcst cannot parse)."""
    name = module_name_for(path)
    if project is not None and os.path.exists(path):
        name = project.add_file(path)
    analysis = HoverAnalysis(text, path, settings, name, project=project)
    analysis.run()
    return analysis


def hover_at(analysis: HoverAnalysis, line: int, col: int) -> HoverInfo | None:
    """What ``analysis`` knows about the name at the 1-based ``line`` and ``col``."""
    found = analysis.name_at(line, col)
    if found is None:
        return None
    node, values = found
    descriptions: list[str] = []
    for v in values:
        d = analysis.describe(v)
        if d is not None and d not in descriptions:
            descriptions.append(d)
    if not descriptions:
        return None
    r = analysis.pos[node]
    return HoverInfo(node.value, tuple(descriptions[:MAX_DESCRIPTIONS]), r.start.line,
                     r.start.column + 1, r.end.line, r.end.column + 1)


def describe_at(text: str, path: str, line: int, col: int,
                settings: Settings = DEFAULT_SETTINGS,
                project: Project | None = None) -> str | None:
    """The gauge character of the variable at ``line``/``col`` (1-based), or None when there
    is no tracked variable there or the text cannot be analysed."""
    try:
        analysis = analyse_for_hover(text, path, settings, project)
    except (cst.ParserSyntaxError, RecursionError, MemoryError):
        return None
    info = hover_at(analysis, line, col)
    return None if info is None else info.text
