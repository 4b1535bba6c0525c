"""Notes of trace steps (``via ...`` in messages). The message templates and hints of findings
belong to the rule families (:data:`eiglint.rules.WORDING`).
"""
from __future__ import annotations

MUL_NOTE = "`{expr}` multiplies {what} without `conj()`"
MATMUL_NOTE = "`{expr}` combines {what} without pairing each with its conjugate"
POW_NOTE = "`{expr}` raises {what} to a power"

#: the trace step of a gauge-carrying argument passed to a helper of the project
HOP = "passed to "
