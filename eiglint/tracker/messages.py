"""Message templates and hints of the findings, by category.
"""
from __future__ import annotations

MUL_NOTE = "`{expr}` multiplies {what} without `conj()`"


MATMUL_NOTE = "`{expr}` combines {what} without pairing each with its conjugate"


POW_NOTE = "`{expr}` raises {what} to a power"


MESSAGES = {
    "view": "`{expr}` {detail} of a value that carries the {gauge}{via}",
    "angle": "`{expr}` is shifted by the arbitrary {gauge}{via}",
    "wrap": "`{expr}` {detail}{via}",
    "compare": "`{expr}` {detail}{via}",
    "nonlinear": "`{expr}` {detail} to a value that carries the {gauge}{via}",
    "mix": "`{expr}` {detail}{via}",
    "loss": "`{expr}` {detail}{via}",
    "escape": "`{expr}` carries the {gauge} and {detail}, which eiglint cannot see into{via}",
}


HINTS = {
    "view": ("Use a phase-invariant form such as `x * x.conj()` or `x.abs()`, or recombine the "
             "parts with `torch.complex`", ""),
    "angle": ("Use angle differences within one column, wrapped (`torch.remainder(d, 2 * "
              "torch.pi)`) or through `cos`/`sin`/`exp(1j * d)`, or fix the phase first", ""),
    "wrap": ("Wrap the difference (`torch.remainder(d, 2 * torch.pi)`, `d % (2 * math.pi)`) or "
             "use it through `cos`/`sin`/`exp(1j * d)`",
             "Wrap the difference (`d % (2 * math.pi)`) or use it through `cos`/`sin`"),
    "compare": ("Compare invariant quantities (`abs()`, `x * x.conj()`) or fix the phase first",
                "Compare invariant quantities (`abs()`, `x ** 2`) or fix the sign first "
                "(e.g. by the largest entry, as sklearn's `svd_flip` does)"),
    "nonlinear": ("Apply it to an invariant quantity (`abs()`, `x * x.conj()`)",
                  "Apply it to an invariant quantity (`abs()`, `x ** 2`) or symmetrise over the "
                  "sign (`f(v) + f(-v)`)"),
    "mix": ("Pair each vector with its conjugate or inverse (`V @ V.mH`, "
            "`V @ diag(L) @ inv(V)`) or fix the phase first",
            "Pair each vector with itself (`V @ V.mT`, `V ** 2`) or fix the sign first"),
    "loss": ("Make the loss phase-invariant (`abs()`, `x * x.conj()`)",
             "Make the loss sign-invariant (`x ** 2`, `abs()`)"),
    "escape": ("Pass a phase-invariant quantity or fix the phase first",
               "Pass a sign-invariant quantity (`abs()`, `** 2`), fix the sign first, or make "
               "the callee sign-invariant (SignNet)"),
}
