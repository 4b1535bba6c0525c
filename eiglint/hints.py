"""The help of a finding in the words of the library the flagged code uses.

The hints of :mod:`eiglint.tracker` are written for PyTorch (``x.abs()``, ``torch.complex``,
``V.mH``). A decomposition from NumPy, SciPy or scikit-learn gives NumPy arrays, one from JAX
gives JAX arrays: their findings suggest the same fix with that library's spelling
(``np.abs(x)``, ``x.real + 1j * x.imag``, ``V.conj().T``), so the help can be pasted.
"""
from __future__ import annotations

from collections.abc import Iterable

_COMMON = (
    ("`V @ V.mH`", "`V @ V.conj().T`"),
    ("`V @ V.mT`", "`V @ V.T`"),
)
_SPELLINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "numpy": (
        ("`x.abs()`", "`np.abs(x)`"),
        # an array has no complex(re, im) constructor: the parts recombine arithmetically
        ("recombine the parts with `torch.complex`", "recombine the parts "
         "(`x.real + 1j * x.imag`)"),
        ("`torch.remainder(d, 2 * torch.pi)`", "`np.remainder(d, 2 * np.pi)`"),
        *_COMMON,
    ),
    "jax": (
        ("`x.abs()`", "`jnp.abs(x)`"),
        ("recombine the parts with `torch.complex`", "recombine the parts with "
         "`jax.lax.complex`"),
        ("`torch.remainder(d, 2 * torch.pi)`", "`jnp.remainder(d, 2 * jnp.pi)`"),
        *_COMMON,
    ),
}
#: top-level package of a decomposition -> the array library of its results
_LIBRARY = {"numpy": "numpy", "scipy": "numpy", "sklearn": "numpy", "jax": "jax"}


def library(apis: Iterable[str]) -> str:
    """``numpy``, ``jax`` or ``torch`` (the default) for the first decomposition named."""
    for api in apis:
        return _LIBRARY.get(api.split(".", 1)[0], "torch")
    return "torch"


def for_library(hint: str, apis: Iterable[str]) -> str:
    """``hint`` (PyTorch spelling) respelled for the library of the decompositions ``apis``."""
    for torch_words, words in _SPELLINGS.get(library(apis), ()):
        hint = hint.replace(torch_words, words)
    return hint
