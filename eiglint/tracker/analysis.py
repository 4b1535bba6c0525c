"""The tracker assembled: :class:`ModuleAnalysis` is the concern mixins over the shared surface.

The order of the bases does not matter for behaviour: every method is defined in exactly one
concern module (the shared surface only declares those called across concerns).
"""
from __future__ import annotations

import os
from typing import List, Optional, Sequence

from ..project import Project
from ..settings import DEFAULT_SETTINGS, Settings
from ..types import Finding
from .access import AccessMixin
from .calls import CallsMixin
from .diagnostics import DiagnosticsMixin
from .expressions import ExpressionsMixin
from .families import FamiliesMixin
from .functions import FunctionsMixin
from .idioms import IdiomsMixin
from .methods import MethodsMixin
from .qualnames import QualnamesMixin
from .sources import SourcesMixin
from .statements import StatementsMixin
from .stores import StoresMixin
from .unroll import UnrollMixin


class ModuleAnalysis(StatementsMixin, IdiomsMixin, FunctionsMixin, StoresMixin, ExpressionsMixin,
                     AccessMixin, CallsMixin, MethodsMixin, QualnamesMixin, SourcesMixin,
                     FamiliesMixin, UnrollMixin, DiagnosticsMixin):
    """Analyses one module and collects its findings."""

    @staticmethod
    def analyse_imported(project: Project, text: str, path: str, module: str
                         ) -> "ModuleAnalysis":
        ma = ModuleAnalysis(text, path, project.settings, module, project=project)
        ma.run_module_level()
        return ma


def module_name_for(path: str) -> str:
    p = path.replace("\\", "/")
    if p.endswith(".py"):
        p = p[:-3]
    parts = [s for s in p.split("/") if s not in ("", ".", "..")]
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "__main__"


def analyze_text(text: str, path: str, settings: Settings = DEFAULT_SETTINGS,
                 project: Optional[Project] = None, line_map: Sequence[int] = (),
                 starts: Sequence[int] = ()) -> List[Finding]:
    """Analyse one module's text and return its findings (sorted).

    With a :class:`Project`, names imported from other modules of the project are followed.
    ``line_map``: the original line of each line of ``text`` when it is a slice; ``starts``: the
    lines of ``text`` where top-level statements begin (a large module is parsed in chunks).
    """
    name = module_name_for(path)
    if project is not None:
        name = project.add_file(path) if os.path.exists(path) else name
    return ModuleAnalysis(text, path, settings, name, project=project,
                          line_map=line_map, starts=starts).run()
