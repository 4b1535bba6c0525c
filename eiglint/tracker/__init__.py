"""The tracker: an abstract interpreter over libcst trees that applies the phase domain.

It walks each scope in statement order (flow-sensitive: assignments, unpacking, branches joined,
loops iterated to a fixpoint), resolves imports and aliases itself (``import torch as T``,
``from torch.linalg import eig as E``, ``decompose = torch.linalg.eigh``), seeds values at
decomposition calls (:mod:`eiglint.catalogue`), maps every operation through
:mod:`eiglint.semantics` onto :mod:`eiglint.domain`, follows values into functions, methods and
classes of the same module, and reports where a value stops being covariant.

Reporting rule: a finding is reported at the operation that breaks covariance (the expression
whose value depends on the gauge). Inside a helper called with a gauge-carrying argument, the
finding is reported in the helper and its message names the call site.


A package of concern modules (statements, expressions, calls, stores, ...) that are mixins over
the declared shared surface in :mod:`.shared`, assembled into :class:`ModuleAnalysis` in
:mod:`.analysis`.
"""
from .analysis import ModuleAnalysis, analyze_text, module_name_for
from .shared import CallContext, Frame, SourceInfo, Terminated

__all__ = ["CallContext", "Frame", "ModuleAnalysis", "SourceInfo", "Terminated", "analyze_text",
           "module_name_for"]
