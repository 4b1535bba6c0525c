"""eiglint: find code whose result depends on the arbitrary phase or sign of eigenvectors."""
from __future__ import annotations

__version__ = "0.1.0"
