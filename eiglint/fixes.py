"""Unsafe fixes: canonicalise the gauge of a decomposition right after its vectors are bound.

A finding says a value depends on the arbitrary sign or phase of a decomposition's vectors. The
mechanical remedy people apply by hand is to pick one deterministic, equally valid gauge right
after the decomposition (scikit-learn's ``svd_flip`` for signs, "largest component real and
positive" for phases), so that every later use sees the same answer and gradients are well
defined. This module writes that canonicalisation in the code's own library and spelling:

* eigenvectors / one factor: each column is multiplied by the conjugate unit factor of its
  largest-modulus entry (``V * sgn(pivot).conj()``), which covers real signs and complex phases
  and batched inputs (the component axis is ``-2``; a factor bound as rows, ``Vh``, uses ``-1``);
* an SVD whose ``U`` and ``Vh`` (or ``V``) are both bound: the factor taken from ``U``'s columns
  multiplies ``U``'s columns and its conjugate ``Vh``'s rows (``V``'s columns), so ``U S Vh`` is
  unchanged.

Fixes are *unsafe* in ruff's sense: values change (to the canonical gauge), and degenerate
eigenvalues keep their rotation freedom, which no per-column factor removes. The fixed code has
no runtime dependency on eiglint. A decomposition whose vectors cannot be rebound by one inserted
statement (bound inside an expression, in a loop header, in a result object, a full-matrices SVD
whose two factors have different widths) gets no fix and a reason, shown by ``--show-fixes``.

The decomposition is found from the first step of a finding's trace (where the value was
born); the statement there is re-read with libcst and resolved against :mod:`.catalogue`, so
no message wording is parsed.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    PositionProvider,
    QualifiedName,
    QualifiedNameProvider,
    QualifiedNameSource,
)

from . import catalogue
from .cstutil import dotted
from .types import FilePlan, Finding, Fix, Unfixable


def fixable(finding: Finding) -> bool:
    """Whether a finding comes from a gauge (not a file problem) and names where it was born."""
    return finding.kind in ("phase", "sign") and bool(finding.trace)


def origins(findings: Iterable[Finding]) -> Dict[Tuple[str, int], int]:
    """(file, line) of each decomposition the findings' values were born at -> finding count.

    A trace step in another module names its file relative to the finding's folder or as an
    absolute path; both are resolved against the finding's own path."""
    out: Dict[Tuple[str, int], int] = {}
    for f in findings:
        if not fixable(f) or f.cell is not None:
            continue
        step = f.trace[0]
        path = f.path
        if step.path:
            path = step.path if os.path.isabs(step.path) or os.path.exists(step.path) else \
                os.path.join(os.path.dirname(f.path), step.path)
        key = (os.path.normpath(path), step.line)
        out[key] = out.get(key, 0) + 1
    return out


def plan_file(path: str, text: str, lines: Mapping[int, int]) -> FilePlan:
    """Fix the decompositions at ``lines`` (line -> number of findings) of one file's text."""
    plan = FilePlan(path, text, text)
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except (cst.ParserSyntaxError, RecursionError) as exc:
        for line, n in sorted(lines.items()):
            plan.skipped.append(Unfixable(path, line, f"the file does not parse ({exc})", n))
        return plan
    finder = _Finder(wrapper, set(lines))
    wrapper.visit(finder)
    inserts: Dict[cst.CSTNode, Tuple[cst.BaseStatement, ...]] = {}
    imports: List[Tuple[str, Optional[str]]] = []
    for line, n in sorted(lines.items()):
        site = finder.sites.get(line)
        result = _fix_site(site, finder, line) if site is not None else \
            "no decomposition statement starts on this line (the vectors are bound in a loop " \
            "header, a comprehension or another expression)"
        if isinstance(result, str):
            plan.skipped.append(Unfixable(path, line, result, n))
            continue
        stmt, title, code, needs = result
        if _already_there(site, code):
            continue
        inserts[stmt] = tuple(cst.parse_statement(c) for c in code)
        imports.extend(i for i in needs if i not in imports)
        plan.fixes.append(Fix(path, line, title, code, tuple(needs), n))
    if inserts:
        module = wrapper.module.visit(_Inserter(inserts))
        for mod, alias in reversed(imports):  # each goes first: keep the order of need
            module = _add_import(module, mod, alias)
        plan.fixed = module.code
    return plan


def plan_fixes(findings: Sequence[Finding],
               read: Optional[Mapping[str, str]] = None) -> List[FilePlan]:
    """One plan per file holding a decomposition that some finding's value was born at.

    ``read`` maps paths to their current text (an editor's buffers); other files are read from
    disk. Notebooks and standard input are not fixed (their findings have no file to edit)."""
    by_file: Dict[str, Dict[int, int]] = {}
    for (path, line), n in origins(findings).items():
        by_file.setdefault(path, {})[line] = n
    plans = []
    for path in sorted(by_file):
        text = None if read is None else read.get(path)
        if text is None:
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                plans.append(FilePlan(path, "", "", skipped=[
                    Unfixable(path, line, f"cannot read the file ({exc})", n)
                    for line, n in sorted(by_file[path].items())]))
                continue
        plans.append(plan_file(path, text, by_file[path]))
    return plans


# --------------------------------------------------------------------------- finding sites

Site = Tuple[cst.SimpleStatementLine, cst.CSTNode]


class _Finder(cst.CSTVisitor):
    """Statements starting on the wanted lines, with their parents; the file's imports."""

    METADATA_DEPENDENCIES = (PositionProvider, QualifiedNameProvider)

    def __init__(self, wrapper: MetadataWrapper, lines: Set[int]) -> None:
        self.wrapper = wrapper
        self.lines = lines
        self.sites: Dict[int, Site] = {}
        self.parents: List[cst.CSTNode] = []
        #: module name -> local names bound to it by module-level imports
        self.module_aliases: Dict[str, List[str]] = {}
        #: every name bound anywhere in the file (for choosing a fresh import alias)
        self.bound: Set[str] = set()
        #: the qualified names of every call's function (read while the metadata is there)
        self.qualnames: Dict[cst.Call, Set[QualifiedName]] = {}
        #: name -> for each assignment of it anywhere in the file, the qualified names of each
        #: function it may hold (``f = torch.linalg.eigh``; ``f = a if c else b``: both; a
        #: dict literal of functions: each value); an assignment of anything else: no entry
        self.assigned: Dict[str, List[List[Set[QualifiedName]]]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.SimpleStatementLine):
            pos = self.get_metadata(PositionProvider, node)
            for line in range(pos.start.line, pos.end.line + 1):
                if line in self.lines and line not in self.sites:
                    self.sites[line] = (node, self.parents[-1])
        self.parents.append(node)
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            for module, local in _imported(node):
                self.bound.add(local)
                self.assigned.setdefault(local, []).append([])
                if len(self.parents) == 3:  # Module > SimpleStatementLine > Import
                    self.module_aliases.setdefault(module, []).append(local)
            return False  # the dotted names inside bind nothing else
        if isinstance(node, cst.Name):
            self.bound.add(node.value)
        if isinstance(node, cst.Call):
            self.qualnames[node] = set(self.get_metadata(QualifiedNameProvider, node.func, set()))
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
            self._assignment(node)
        # any other binding of a name (a parameter, a loop or `with` target, a definition)
        # holds what is not known here
        other: Optional[cst.BaseExpression] = None
        if isinstance(node, (cst.Param, cst.FunctionDef, cst.ClassDef)):
            other = node.name
        elif isinstance(node, (cst.For, cst.CompFor)):
            other = node.target
        elif isinstance(node, cst.AsName):
            other = node.name
        for name in _names(other):
            self.assigned.setdefault(name, []).append([])
        return True

    def _assignment(self, node: Union[cst.Assign, cst.AnnAssign, cst.AugAssign,
                                      cst.NamedExpr]) -> None:
        """Record what a name assigned a function reference may hold (see ``assigned``)."""
        targets: List[cst.BaseExpression] = [t.target for t in node.targets] \
            if isinstance(node, cst.Assign) else [node.target]
        value = node.value
        if value is None:
            return
        held: List[cst.BaseExpression] = [value]
        if isinstance(value, cst.IfExp):
            held = [value.body, value.orelse]
        elif isinstance(value, cst.Dict):
            held = [e.value for e in value.elements if isinstance(e, cst.DictElement)]
        refs = [set(self.get_metadata(QualifiedNameProvider, h, set())) for h in held
                if isinstance(h, (cst.Name, cst.Attribute))] \
            if not isinstance(node, cst.AugAssign) else []
        for t in targets:
            for name in _names(t):
                self.assigned.setdefault(name, []).append(
                    refs if isinstance(t, cst.Name) and refs and len(refs) == len(held) else [])

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.parents.pop()


def _names(target: Optional[cst.BaseExpression]) -> List[str]:
    """The names a binding target binds (``a``, ``a, (b, *c)``)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names(e.value)]
    if isinstance(target, cst.StarredElement):
        return _names(target.value)
    return []


def _imported(node: Union[cst.Import, cst.ImportFrom]) -> List[Tuple[str, str]]:
    """(module or module.name, local name) for each name an import statement binds."""
    out: List[Tuple[str, str]] = []
    if isinstance(node, cst.Import):
        for alias in node.names:
            name = dotted(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                out.append((name, alias.asname.name.value))
            else:  # `import a.b` binds `a` to the package a
                out.append((name.split(".")[0], name.split(".")[0]))
        return out
    if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
        return out
    for alias in node.names:
        name = dotted(alias.name)
        local = alias.asname.name.value if alias.asname is not None and isinstance(
            alias.asname.name, cst.Name) else name
        out.append((f"{dotted(node.module)}.{name}", local))
    return out


def _literal(node: cst.BaseExpression) -> object:
    try:
        return ast.literal_eval(cst.Module([]).code_for_node(node))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return _NOT_LITERAL


_NOT_LITERAL = object()


@dataclass(frozen=True)
class _Call:
    spec: catalogue.Decomposition
    node: cst.Call
    returned: Tuple[str, ...]


def _lookup(names: Set[QualifiedName]) -> Optional[catalogue.Decomposition]:
    for q in sorted(names, key=lambda q: q.name):
        if q.source == QualifiedNameSource.LOCAL:
            continue
        spec = catalogue.lookup(q.name)
        if spec is not None:
            return spec
    return None


def _resolve(finder: _Finder, call: cst.Call) -> Optional[catalogue.Decomposition]:
    names = finder.qualnames.get(call, set())
    spec = _lookup(names)
    if spec is not None:
        return spec
    imported = any(q.source == QualifiedNameSource.IMPORT for q in names)
    if isinstance(call.func, cst.Attribute) and not imported and \
            call.func.attr.value in catalogue.TENSOR_METHODS:  # `A.svd()` on a tensor
        return catalogue.BY_NAME[catalogue.TENSOR_METHODS[call.func.attr.value]]
    return _aliased(finder, call)


def _aliased(finder: _Finder, call: cst.Call) -> Optional[catalogue.Decomposition]:
    """A decomposition called through a name assigned in this file (``solve = torch.linalg.eigh``,
    ``eig if directed else eigh``, a dict of solvers indexed by a key): its entry when every
    function every assignment of the name may hold is a decomposition whose outputs have the
    same roles, in the same library spelling (one canonicalisation fits them all)."""
    func = call.func
    if isinstance(func, cst.Subscript):  # a table of solvers: SOLVERS[how](A)
        func = func.value
    if not isinstance(func, cst.Name) or func.value not in finder.assigned:
        return None
    specs = []
    for refs in finder.assigned[func.value]:
        if not refs:
            return None
        for names in refs:
            spec = _lookup(names)
            if spec is None:
                return None
            specs.append(spec)

    def shape(spec: catalogue.Decomposition) -> Tuple[object, ...]:
        returned = _returned(spec, call)
        return (_library(spec).module, _full_factors(spec, call),
                any(o.role == "schur" for o in spec.outputs),
                tuple((spec.output(n).role, spec.output(n).source) for n in returned))
    if not specs or any(shape(s) != shape(specs[0]) for s in specs[1:]):
        return None
    return specs[0]


def _given(call: cst.Call, keyword: str, position: Optional[int]) -> Optional[cst.Arg]:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value == keyword:
            return a
    if position is not None and position < len(positional):
        return positional[position]
    return None


def _returned(spec: catalogue.Decomposition, call: cst.Call) -> Tuple[str, ...]:
    def literal_of(var: catalogue.Variant) -> object:
        arg = _given(call, var.keyword, var.position)
        if arg is None:
            return None
        if var.value == catalogue.PRESENT:
            return None if isinstance(arg.value, cst.Name) and arg.value.value == "None" \
                else catalogue.PRESENT
        return _literal(arg.value)
    return spec.returned(literal_of)


#: SVDs whose factors have min(m, n) columns / rows by default, and the keyword that asks for
#: the full square factors instead (with its positional index and the literal that means "full")
_FULL_MATRICES: Dict[str, Tuple[str, int, object]] = {
    "torch.linalg.svd": ("full_matrices", 1, True),
    "numpy.linalg.svd": ("full_matrices", 1, True),
    "scipy.linalg.svd": ("full_matrices", 1, True),
    "jax.numpy.linalg.svd": ("full_matrices", 1, True),
    "jax.scipy.linalg.svd": ("full_matrices", 1, True),
    "jax.lax.linalg.svd": ("full_matrices", 1, True),
    "torch.svd": ("some", 1, False),
    "torch.Tensor.svd": ("some", 0, False),
}


def _full_factors(spec: catalogue.Decomposition, call: cst.Call) -> bool:
    entry = _FULL_MATRICES.get(spec.qualname)
    if entry is None:
        return False
    keyword, position, full = entry
    arg = _given(call, keyword, position)
    if arg is None:
        return spec.qualname not in ("torch.svd", "torch.Tensor.svd")
    return _literal(arg.value) == full or _literal(arg.value) is _NOT_LITERAL


# --------------------------------------------------------------------------- spellings

@dataclass(frozen=True)
class _Lib:
    """How one library writes the canonicalisation: ``factor(X, axis)`` is the conjugate unit
    factor of the largest-modulus entry along ``axis`` (kept as a length-1 axis)."""

    module: str
    default_alias: str
    #: templates over {m} (the module alias), {x} (the value) and {a} (the component axis)
    factor: str
    #: the factor of rows from the factor of columns {f}: conjugated and moved to axis -2
    rows: str
    #: statements needed before the factor is used ({p} is a temporary pivot name)
    pivot: str = ""


_TORCH = _Lib("torch", "torch",
              factor="{m}.sgn({x}.gather({a}, {x}.abs().argmax({a}, keepdim=True))).conj()",
              rows="{m}.sgn({x}.gather({a}, {x}.abs().argmax({a}, keepdim=True))).mT")
# NumPy 1.x defines sign(z) of a complex z by its real part: |p| / p is the conjugate unit
# factor on every version (p, the largest-modulus entry, is never 0)
_NUMPY = _Lib("numpy", "np",
              pivot="{p} = {m}.take_along_axis({x}, {m}.expand_dims({m}.abs({x}).argmax({a}), "
                    "{a}), {a})",
              factor="({m}.abs({p}) / {p})",
              rows="({p} / {m}.abs({p})).swapaxes(-1, -2)")
_JAX = _Lib("jax.numpy", "jnp", pivot=_NUMPY.pivot, factor=_NUMPY.factor, rows=_NUMPY.rows)


def _library(spec: catalogue.Decomposition) -> _Lib:
    if spec.qualname.startswith("torch."):
        return _TORCH
    if spec.qualname.startswith("jax."):
        return _JAX
    return _NUMPY


def _fix_site(site: Site, finder: _Finder, line: int
              ) -> Union[str, Tuple[cst.SimpleStatementLine, str, Tuple[str, ...],
                                    List[Tuple[str, Optional[str]]]]]:
    stmt, _parent = site
    if len(stmt.body) != 1:
        return "several statements share the line; put the decomposition on its own line"
    small = stmt.body[0]
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return "the decomposition is not bound by a plain assignment; bind its vectors " \
               "first (`L, V = eig(A)`)"
    value = small.value
    target = small.targets[0].target
    call, pick = _split_value(value)
    if call is None:
        return "the decomposition is called inside an expression; bind its vectors first " \
               "(`L, V = eig(A)`)"
    spec = _resolve(finder, call)
    if spec is None and any(_resolve(finder, c) is not None for c in _calls(value)):
        return "the decomposition is called inside an expression; bind its vectors first " \
               "(`L, V = eig(A)`)"
    if spec is None:
        return "the call is not a catalogued decomposition by name (an array-API namespace " \
               "passed in, a solver chosen at run time among different kinds, or a " \
               "decomposition declared in the configuration)"
    if any(o.role == "schur" for o in spec.outputs):
        return "Schur decompositions are not fixed (T would change with Z)"
    returned = _returned(spec, call)
    if pick is not None:
        if isinstance(pick, int):
            if not -len(returned) <= pick < len(returned):
                return "the index does not name an output of the decomposition"
            chosen = returned[pick]
        else:
            if pick not in returned:
                return f"`{pick}` is not an output of the decomposition"
            chosen = pick
        if not isinstance(target, cst.Name):
            return "the vectors are not bound to a name"
        bound = {chosen: target.value}
    else:
        if isinstance(target, cst.Name):
            return f"the vectors are bound inside a result object (`{target.value}`); unpack " \
                   f"them (`{', '.join(returned)} = ...`) to get a fix"
        if not isinstance(target, (cst.Tuple, cst.List)) or \
                len(target.elements) != len(returned) or any(
                    not isinstance(e, cst.Element) or not isinstance(e.value, cst.Name)
                    for e in target.elements):
            return "the vectors are not unpacked into plain names"
        bound = {name: e.value.value for name, e in zip(returned, target.elements)
                 if isinstance(e.value, cst.Name) and e.value.value != "_"}
    roles = {n: spec.output(n) for n in bound if spec.output(n).role in ("vec", "vh")}
    if not roles:
        return "no vectors of the decomposition are bound here"
    lib = _library(spec)
    alias, needs = _alias(finder, lib)
    if alias is None:
        return f"`{lib.default_alias}` names something else in this file; import " \
               f"`{lib.module}` to get a fix"
    temp = _fresh(finder, "_pivot")
    code: List[str] = []
    by_source: Dict[int, List[str]] = {}
    for n in roles:
        by_source.setdefault(roles[n].source, []).append(n)
    for source in sorted(by_source):
        names = by_source[source]
        vec = [n for n in names if roles[n].role == "vec"]
        if len(names) == 2 and _full_factors(spec, call):
            return "a full-matrices SVD with both factors bound: its factors have different " \
                   "widths when the matrix is not square; pass full_matrices=False (the same " \
                   "U S Vh over the first min(m, n) columns) to get a fix"
        lead = vec[0] if vec else names[0]
        axis = "-2" if roles[lead].role == "vec" else "-1"
        fmt = {"m": alias, "x": bound[lead], "a": axis, "p": temp}
        if lib.pivot:
            code.append(lib.pivot.format(**fmt))
        # the other factor of an SVD first: it reads the pivot of the unchanged lead
        for other in names:
            if other == lead:
                continue
            same = roles[other].role == roles[lead].role  # torch.svd's V: columns, same factor
            factor = (lib.factor if same else lib.rows).format(**fmt)
            code.append(f"{bound[other]} = {bound[other]} * {factor}")
        code.append(f"{bound[lead]} = {bound[lead]} * {lib.factor.format(**fmt)}")
    shown = ", ".join(f"`{bound[n]}`" for n in roles)
    title = f"Canonicalise the gauge of {shown} after `{spec.qualname}`"
    return stmt, title, tuple(code), needs


def _calls(node: cst.CSTNode) -> List[cst.Call]:
    """Every call inside ``node`` (``node`` itself included)."""
    out: List[cst.Call] = []

    class _Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            out.append(node)
    node.visit(_Collect())
    return out


def _split_value(value: cst.BaseExpression
                 ) -> Tuple[Optional[cst.Call], Optional[Union[int, str]]]:
    """``eig(A)`` -> (call, None); ``eigh(A)[1]`` -> (call, 1); ``eigh(A).eigenvectors`` ->
    (call, "eigenvectors"); anything else -> (None, None)."""
    if isinstance(value, cst.Call):
        return value, None
    if isinstance(value, cst.Attribute) and isinstance(value.value, cst.Call):
        return value.value, value.attr.value
    if isinstance(value, cst.Subscript) and isinstance(value.value, cst.Call) and \
            len(value.slice) == 1 and isinstance(value.slice[0].slice, cst.Index):
        idx = _literal(value.slice[0].slice.value)
        if isinstance(idx, int) and not isinstance(idx, bool):
            return value.value, idx
    return None, None


def _alias(finder: _Finder, lib: _Lib) -> Tuple[Optional[str], List[Tuple[str, Optional[str]]]]:
    """The name the file gives ``lib.module`` at module level, or the default alias with an
    import to add (None when that alias names something else)."""
    names = finder.module_aliases.get(lib.module)
    if names:
        return names[0], []
    if lib.default_alias in finder.bound:
        return None, []
    asname = None if lib.default_alias == lib.module else lib.default_alias
    return lib.default_alias, [(lib.module, asname)]


def _fresh(finder: _Finder, base: str) -> str:
    name, i = base, 2
    while name in finder.bound:
        name, i = f"{base}{i}", i + 1
    return name


def _already_there(site: Optional[Site], code: Tuple[str, ...]) -> bool:
    """The canonicalisation already follows the statement (a second ``--fix`` run)."""
    if site is None:
        return False
    stmt, parent = site
    body = getattr(parent, "body", None)
    if not isinstance(body, (list, tuple)) or stmt not in body:
        return False
    following = list(body)[list(body).index(stmt) + 1:]
    if len(following) < len(code):
        return False
    mod = cst.Module([])
    return all(mod.code_for_node(s).strip() == c for s, c in zip(following, code))


class _Inserter(cst.CSTTransformer):
    def __init__(self, inserts: Dict[cst.CSTNode, Tuple[cst.BaseStatement, ...]]) -> None:
        self.inserts = inserts

    def _splice(self, original: Sequence[cst.CSTNode], updated: Sequence[cst.BaseStatement]
                ) -> List[cst.BaseStatement]:
        out: List[cst.BaseStatement] = []
        for orig, new in zip(original, updated):
            out.append(new)
            out.extend(self.inserts.get(orig, ()))
        return out

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=self._splice(original_node.body, updated_node.body))

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        return updated_node.with_changes(body=self._splice(original_node.body, updated_node.body))


def _add_import(module: cst.Module, name: str, asname: Optional[str]) -> cst.Module:
    """``import name [as asname]`` after the docstring and ``__future__`` imports."""
    stmt = cst.parse_statement(f"import {name}" + (f" as {asname}" if asname else ""))
    body = list(module.body)
    at = 0
    for i, s in enumerate(body):
        if not isinstance(s, cst.SimpleStatementLine) or len(s.body) != 1:
            break
        small = s.body[0]
        docstring = i == 0 and isinstance(small, cst.Expr) and isinstance(
            small.value, (cst.SimpleString, cst.ConcatenatedString))
        future = isinstance(small, cst.ImportFrom) and small.module is not None and \
            dotted(small.module) == "__future__"
        if not (docstring or future):
            break
        at = i + 1
    body.insert(at, stmt)
    return module.with_changes(body=body)
