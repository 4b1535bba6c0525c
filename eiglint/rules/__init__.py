"""The rule registry: every code eiglint can report, with its documentation.

One module per category; each holds the phase (EIG1xx) and the sign (EIG2xx) variant.
`EIG1` selects every complex-phase rule, `EIG2` every real-sign rule, `EIG9` the file errors.
"""
from __future__ import annotations

from typing import Dict, Tuple

from ..domain import Category
from . import angle, escape, files, mixing, nonlinear, ordering, sink, view
from .base import Rule, Wording

ALL_RULES: Tuple[Rule, ...] = tuple(
    sorted(
        (*view.RULES, *angle.RULES, *ordering.RULES, *nonlinear.RULES, *mixing.RULES,
         *sink.RULES, *escape.RULES, *files.RULES),
        key=lambda r: r.code,
    )
)
RULES_BY_CODE: Dict[str, Rule] = {r.code: r for r in ALL_RULES}

#: category name used by the tracker -> (phase rule, sign rule)
CATEGORY: Dict[Category, Tuple[Rule, Rule]] = {
    "view": (view.REAL_IMAG_VIEW, view.REAL_IMAG_VIEW),
    "angle": (angle.PHASE_ANGLE, ordering.SIGN_ORDERING),
    "wrap": (angle.PHASE_ANGLE, ordering.SIGN_ORDERING),
    "compare": (ordering.PHASE_ORDERING, ordering.SIGN_ORDERING),
    "nonlinear": (nonlinear.PHASE_NONLINEAR, nonlinear.SIGN_NONLINEAR),
    "mix": (mixing.PHASE_MIXING, mixing.SIGN_MIXING),
    "loss": (sink.PHASE_LOSS, sink.SIGN_LOSS),
    "escape": (escape.PHASE_ESCAPE, escape.SIGN_ESCAPE),
}


#: category -> the message template and hints, owned by the category's rule family
WORDING: Dict[Category, Wording] = {
    "view": view.VIEW_WORDING,
    "angle": angle.ANGLE_WORDING,
    "wrap": angle.WRAP_WORDING,
    "compare": ordering.COMPARE_WORDING,
    "nonlinear": nonlinear.NONLINEAR_WORDING,
    "mix": mixing.MIX_WORDING,
    "loss": sink.LOSS_WORDING,
    "escape": escape.ESCAPE_WORDING,
}


def rule_for(category: Category, kind: str) -> Rule:
    phase_rule, sign_rule = CATEGORY[category]
    return phase_rule if kind == "phase" else sign_rule


__all__ = ["ALL_RULES", "RULES_BY_CODE", "WORDING", "Rule", "Wording", "rule_for", "files"]
