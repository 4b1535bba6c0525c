"""The project-aware pre-filter: which files can hold a tracked value at all.

libcst is ~40x slower than :mod:`ast`, and most files of a real repository never touch a
decomposition. A file is analysed with the tracker only when one of its statements

* names a decomposition of the catalogue in *code* (``eigh``, ``svd``, ``A.svd()``, an alias
  ``from torch.linalg import eig as E``, a configured extra source) — words in strings,
  comments and docstrings do not count, since the tracker resolves calls from names; or
* uses a name that another project module exports *charged*: a name bound there by a
  statement that is itself charged (a helper that calls ``eigh``, a class whose methods
  store eigenvectors, a re-export of such a name, ...), followed transitively over the import
  graph to a fixpoint (import cycles included).

The decision is made per run with cheap scans (a substring search, then :mod:`ast` for the files
whose text mentions such a name; the ``ast`` tree is the syntax gate that every file passes
anyway) and is explained by :class:`Decision` (``eiglint --explain-skips``).

Why this is sound for the tracker: a value only becomes gauge-carrying at a decomposition call,
which the tracker recognises by name; from there it reaches other statements only through
names bound at module level (functions, classes, variables) or through imports. A file none of
whose statements can see such a name has no tracked value, so the tracker could not report
anything in it (files that cannot be parsed are still reported by the syntax gate).
"""
from __future__ import annotations

from .exports import ExportIndex
from .index import ChargeIndex, Decision, imported_paths, index_for
from .statements import ImportRecord, text_imports
from .words import find_word, library_roots, trigger_words, word_lines

__all__ = ["ChargeIndex", "Decision", "ExportIndex", "ImportRecord", "find_word", "imported_paths",
           "index_for", "library_roots", "text_imports", "trigger_words", "word_lines"]
