"""Finding messages name the gauge that the code really has."""
from __future__ import annotations

from eiglint.api import lint_source

_NP_EIG = """import numpy as np
A = np.random.default_rng(0).standard_normal((4, 4))
w, V = np.linalg.eig(A)
m = V[0] > 0
s = V.sum(1)
"""


def test_numpy_eig_of_a_real_matrix_is_worded_as_sign_or_phase() -> None:
    # real vectors for a real spectrum, complex ones otherwise: the sign rules report both
    findings = lint_source(_NP_EIG, "x.py")
    assert [f.code for f in findings] == ["EIG203", "EIG205"]
    for f in findings:
        assert "sign or phase" in f.message or "sign (or phase)" in f.message, f.message
        assert "use `eigh`" in f.message


def test_eigh_of_a_real_matrix_is_worded_as_sign() -> None:
    findings = lint_source(_NP_EIG.replace("linalg.eig(", "linalg.eigh("), "x.py")
    assert [f.code for f in findings] == ["EIG203", "EIG205"]
    for f in findings:
        assert "phase" not in f.message, f.message


def test_every_category_has_its_rules_and_wording() -> None:
    """The categories the domain can produce are exactly those the rule families word and
    report (a category added to ``domain.Category`` without a rule family fails here)."""
    from typing import get_args

    from eiglint.domain import Category
    from eiglint.rules import CATEGORY, WORDING

    assert set(get_args(Category)) == set(CATEGORY) == set(WORDING)
    for wording in WORDING.values():
        assert wording.template.startswith("`{expr}`") and wording.phase_hint
        assert wording.hint("sign", True) == (wording.spectrum_hint or wording.sign_hint)


def _program(imports: str, ns: str) -> str:
    """`.real` of eig's vectors and a sum over the eigen-index of eigh's, in library `ns`."""
    return (f"{imports}\nL, V = {ns}.eig(A + 1j * A)\nr = V.real\n"
            f"L2, U = {ns}.eigh(A)\ns = U.sum(1)\n")


_NUMPY_WORDS = ("`np.abs(x)`", "recombine the parts (`x.real + 1j * x.imag`)", "`V @ V.T`")
_LIBRARIES = {
    "numpy": (_program("import numpy as np", "np.linalg"), _NUMPY_WORDS),
    "scipy": (_program("import scipy.linalg", "scipy.linalg"), _NUMPY_WORDS),
    "jax": (_program("import jax.numpy as jnp", "jnp.linalg"),
            ("`jnp.abs(x)`", "recombine the parts with `jax.lax.complex`", "`V @ V.T`")),
    "torch": (_program("import torch", "torch.linalg"),
              ("`x.abs()`", "recombine the parts with `torch.complex`", "`V @ V.mT`")),
}


def test_the_help_is_spelled_for_the_library_of_the_decomposition() -> None:
    for library, (source, words) in _LIBRARIES.items():
        findings = lint_source(source, "x.py")
        assert [f.code for f in findings] == ["EIG101", "EIG205"], library
        view, mix = findings
        assert words[0] in view.hint and words[1] in view.hint, (library, view.hint)
        assert words[2] in mix.hint, (library, mix.hint)
        assert view.hint in view.message and mix.hint in mix.message
        if library != "torch":
            for f in findings:
                assert "torch" not in f.message and ".mT" not in f.message, f.message


def test_the_suggested_recombination_is_not_flagged() -> None:
    # what the NumPy and JAX help suggest really is invariant for eiglint
    fixed = {"numpy": "import numpy as np\nL, V = np.linalg.eig(A + 1j * A)\n"
                      "W = V.real + 1j * V.imag\nn = np.abs(V)\n",
             "jax": "import jax\nimport jax.numpy as jnp\nL, V = jnp.linalg.eig(A)\n"
                    "W = jax.lax.complex(V.real, V.imag)\nn = jnp.abs(V)\n"}
    for library, source in fixed.items():
        assert lint_source(source, "x.py") == [], library


_HELPERS = """import torch


def inner(w):
    return w.real


def outer(v):
    z = v * v
    return inner(z)


def main(A):
    L, V = torch.linalg.eig(A)
    if True:
        loss = outer(V)
    return loss
"""


def test_trace_steps_point_at_the_code_not_at_column_1() -> None:
    (finding,) = lint_source(_HELPERS, "x.py")
    lines = _HELPERS.splitlines()
    for step in finding.trace:
        text = lines[step.line - 1]
        # each step's column is where its expression starts on that (indented) line
        assert step.col > 1 and not text[step.col - 1].isspace(), step
    first = finding.trace[0]
    assert (first.line, first.col) == (14, lines[13].index("torch.linalg.eig") + 1)
    callee_steps = [s for s in finding.trace if "in the callee" in s.note]
    assert [(s.line, s.col) for s in callee_steps] == [
        (5, lines[4].index("w.real") + 1), (10, lines[9].index("inner(z)") + 1)]


def test_the_trace_shows_each_hop_through_helpers() -> None:
    """Call site -> the helper's parameter -> its operation, for every helper on the way."""
    (finding,) = lint_source(_HELPERS, "x.py")
    lines = _HELPERS.splitlines()
    steps = [(s.line, s.note) for s in finding.trace]
    assert steps[:4] == [
        (14, "eigenvectors from `torch.linalg.eig`"),
        (16, "passed to `outer` as `v`"),
        (9, "`v * v` multiplies eigenvectors without `conj()`"),
        (10, "passed to `inner` as `w`"),
    ]
    hops = [s for s in finding.trace if s.note.startswith("passed to ")]
    assert [(s.line, s.col) for s in hops] == [(16, lines[15].index("outer(V)") + 1),
                                               (10, lines[9].index("inner(z)") + 1)]
    # the message still names the last operation, not a hop
    assert "(in the callee: `inner(z)` at line 10)" in finding.message


def test_every_library_respelling_matches_words_a_hint_uses() -> None:
    """The NumPy/JAX help is the PyTorch hint with words replaced: editing a hint's wording
    must not silently leave a finding's help in PyTorch's spelling."""
    from eiglint.hints import _SPELLINGS
    from eiglint.rules import WORDING

    texts = [w.hint(kind, spectrum) for w in WORDING.values()
             for kind in ("phase", "sign") for spectrum in (False, True)]
    for library, pairs in _SPELLINGS.items():
        for torch_words, _ in pairs:
            assert any(torch_words in t for t in texts), (library, torch_words)


_PATHS = """import numpy as np
def f(A, B, same, general):
    A = np.asarray(A, dtype=float)
    solver = {first} if general else {second}
    w, V = solver(A)
    _, W = np.linalg.eigh(A)
    if same:
        U = W
    else:
        U = np.linalg.svd(B)[0]
    return V.real.sum(0), np.trace(U.T @ W)
"""


def test_a_break_on_one_path_names_that_paths_decomposition_in_either_order() -> None:
    # the real part depends only on eig's phase (eigh of a real matrix is real); the trace
    # pairs W with itself on one path and breaks with the SVD's vectors on the other
    for first, second in (("np.linalg.eig", "np.linalg.eigh"),
                          ("np.linalg.eigh", "np.linalg.eig")):
        src = _PATHS.format(first=first, second=second)
        if first.endswith("eigh"):
            src = src.replace("if general else", "if not general else")
        findings = {f.code: f.message for f in lint_source(src, "x.py")}
        assert set(findings) == {"EIG101", "EIG205"}, findings
        assert "`numpy.linalg.eig` (line 5)" in findings["EIG101"], findings["EIG101"]
        assert "more decomposition" not in findings["EIG101"], findings["EIG101"]
        assert "`numpy.linalg.svd` (line 10)" in findings["EIG205"], findings["EIG205"]
