"""Applying a gauge to the arrays of one library (torch, NumPy, JAX).

:class:`Ops` is what :class:`~eiglint.runtime.gauge.Gauge` needs of a library: draw a
diagonal of random unit phases (complex) or signs (real) from a **private** generator
(``torch.Generator`` for torch, ``numpy.random.Generator`` for NumPy and JAX), a Haar-random
block inside clusters of repeated values, multiply columns (``X·G``) or rows (``G^H·X``) by
it, conjugate a Schur form, estimate ``cond(V)``, and write into ``out=`` arguments.
"""
from __future__ import annotations

import abc
import contextlib
import math
from typing import Any

#: the condition number of ``eig`` eigenvectors is estimated up to this size
COND_MAX_N = 512


class Ops(abc.ABC):
    """Array operations of one library (torch or numpy) needed to apply a gauge."""

    @abc.abstractmethod
    def is_array(self, x: Any) -> bool:
        """Is ``x`` an array of this library (else the result is left alone)?"""

    @abc.abstractmethod
    def diag(self, flip: int | None, batch: tuple[int, ...], k: int, like: Any) -> Any:
        """A batch+(k,) array of random phases/signs of ``like``'s dtype and device; with
        ``flip`` a column index: ones, and -1 in that column (when it exists)."""

    @abc.abstractmethod
    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        """batch+(k,k) block unitary: ``diag`` outside the clusters, Haar blocks inside."""

    @abc.abstractmethod
    def value_rows(self, values: Any) -> list[list[float]]:
        """The (real parts of the) values as one list of floats per batch element."""

    @abc.abstractmethod
    def cols(self, x: Any, g: Any, k: int) -> Any:
        """``X[..., :k] -> X[..., :k]·G`` (diagonal or block gauge); later columns untouched."""

    @abc.abstractmethod
    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        """``X[..., :k, :] -> G^H·X[..., :k, :]``; later rows untouched."""

    @abc.abstractmethod
    def schur(self, t: Any, g: Any) -> Any:
        """``T -> D^H·T·D`` for a diagonal gauge ``D``."""

    @abc.abstractmethod
    def cond(self, v: Any) -> float | None:
        """2-norm condition number of ``V`` (max over the batch), None if too large."""

    @abc.abstractmethod
    def store(self, target: Any, value: Any) -> None:
        """Write ``value`` into ``target`` in place (``out=`` arguments)."""


class TorchOps(Ops):
    def __init__(self, seed: int) -> None:
        import torch

        self.torch = torch
        self.gen = torch.Generator()
        self.gen.manual_seed(seed)

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self.torch.Tensor)

    def _plain(self) -> Any:
        """Draw outside vmap/torch.func transforms (random ops are refused inside vmap); the
        same gauge then applies to every vmapped element, which is still a valid gauge."""
        disable = getattr(self.torch._C, "_DisableFuncTorch", None)
        return disable() if disable is not None else contextlib.nullcontext()

    def diag(self, flip: int | None, batch: tuple[int, ...], k: int, like: Any) -> Any:
        with self._plain():
            return self._diag(flip, batch, k, like)

    def _diag(self, flip: int | None, batch: tuple[int, ...], k: int, like: Any) -> Any:
        torch = self.torch
        shape = (*batch, k)
        if flip is not None:
            d = torch.ones(shape, dtype=torch.float64)
            if 0 <= flip < k:
                d[..., flip] = -1.0
        elif like.dtype.is_complex:
            a = torch.rand(shape, generator=self.gen, dtype=torch.float64) * (2 * math.pi)
            d = torch.polar(torch.ones_like(a), a)
        else:
            d = (torch.randint(0, 2, shape, generator=self.gen) * 2 - 1).to(torch.float64)
        return d.to(dtype=like.dtype, device=like.device)

    def _haar(self, m: int, is_complex: bool) -> Any:
        torch = self.torch
        dt = torch.complex128 if is_complex else torch.float64
        z = torch.randn((m, m), generator=self.gen, dtype=dt)
        q, r = torch.linalg.qr(z)
        d = torch.diagonal(r)
        return q * (d / d.abs()).unsqueeze(-2)

    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        with self._plain():
            return self._mix(diag, groups, like)

    def _mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        torch = self.torch
        k = diag.shape[-1]
        flat = diag.detach().reshape(-1, k).to(device="cpu")
        out = torch.diag_embed(flat.to(torch.complex128 if like.dtype.is_complex
                                       else torch.float64))
        for b, clusters in enumerate(groups):
            for idx in clusters:
                h = self._haar(len(idx), like.dtype.is_complex)
                ii = torch.tensor(idx)
                out[b][ii.unsqueeze(-1), ii.unsqueeze(0)] = h
        return out.reshape(*diag.shape, k).to(dtype=like.dtype, device=like.device)

    def value_rows(self, values: Any) -> list[list[float]]:
        v = values.detach().to("cpu")
        if v.dtype.is_complex:
            v = v.real
        v = v.to(self.torch.float64)
        return [list(map(float, row)) for row in v.reshape(-1, v.shape[-1]).tolist()]

    def _pad(self, g: Any, n: int, conj: bool = False) -> Any:
        torch = self.torch
        if conj:
            g = g.conj()
        k = g.shape[-1]
        if n == k:
            return g
        ones = torch.ones((*g.shape[:-1], n - k), dtype=g.dtype, device=g.device)
        return torch.cat([g, ones], -1)

    def cols(self, x: Any, g: Any, k: int) -> Any:
        torch = self.torch
        if g.dim() == x.dim() - 1:
            return x * self._pad(g, x.shape[-1]).unsqueeze(-2)
        if x.shape[-1] == k:
            return x @ g
        return torch.cat([x[..., :k] @ g, x[..., k:]], -1)

    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        torch = self.torch
        if g.dim() == x.dim() - 1:
            return self._pad(g, x.shape[-2], conj=True).unsqueeze(-1) * x
        if x.shape[-2] == k:
            return g.mH @ x
        return torch.cat([g.mH @ x[..., :k, :], x[..., k:, :]], -2)

    def schur(self, t: Any, g: Any) -> Any:
        return g.conj().unsqueeze(-1) * t * g.unsqueeze(-2)

    def cond(self, v: Any) -> float | None:
        torch = self.torch
        n = v.shape[-1]
        if n > COND_MAX_N or v.numel() * n > 10 ** 8 or n == 0:
            return None
        with torch.no_grad():
            c = torch.linalg.cond(v.detach())
        return float(c.max().item())

    def store(self, target: Any, value: Any) -> None:
        with self.torch.no_grad():
            target.copy_(value)


class NumpyOps(Ops):
    """numpy results; the base of :class:`JaxOps` (``xp`` builds the results, the private
    ``numpy.random.Generator`` draws the gauges either way)."""

    def __init__(self, seed: int) -> None:
        import numpy

        self.np = numpy
        self.xp: Any = numpy
        self.rng = numpy.random.Generator(numpy.random.PCG64(seed))

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self.np.ndarray)

    def diag(self, flip: int | None, batch: tuple[int, ...], k: int, like: Any) -> Any:
        np = self.np
        shape = (*batch, k)
        if flip is not None:
            d = np.ones(shape)
            if 0 <= flip < k:
                d[..., flip] = -1.0
        elif np.iscomplexobj(like):
            d = np.exp(2j * np.pi * self.rng.random(shape))
        else:
            d = self.rng.integers(0, 2, shape) * 2.0 - 1.0
        return self.xp.asarray(d, dtype=like.dtype)

    def _haar(self, m: int, is_complex: bool) -> Any:
        np = self.np
        z = self.rng.standard_normal((m, m))
        if is_complex:
            z = z + 1j * self.rng.standard_normal((m, m))
        q, r = np.linalg.qr(z)
        d = np.diagonal(r)
        return q * (d / np.abs(d))[None, :]

    def mix(self, diag: Any, groups: list[list[list[int]]], like: Any) -> Any:
        np = self.np
        k = diag.shape[-1]
        flat = np.asarray(diag).reshape(-1, k)
        out = np.zeros((flat.shape[0], k, k), dtype=np.complex128 if np.iscomplexobj(like)
                       else np.float64)
        for b, clusters in enumerate(groups):
            out[b] = np.diag(flat[b])
            for idx in clusters:
                out[b][np.ix_(idx, idx)] = self._haar(len(idx), np.iscomplexobj(like))
        return self.xp.asarray(out.reshape(*diag.shape, k), dtype=like.dtype)

    def value_rows(self, values: Any) -> list[list[float]]:
        np = self.np
        v = np.asarray(values)
        if np.iscomplexobj(v):
            v = v.real
        v = v.astype(np.float64)
        return [list(map(float, row)) for row in v.reshape(-1, v.shape[-1])]

    def _pad(self, g: Any, n: int, conj: bool = False) -> Any:
        xp = self.xp
        if conj:
            g = g.conj()
        k = g.shape[-1]
        if n == k:
            return g
        return xp.concatenate([g, xp.ones((*g.shape[:-1], n - k), dtype=g.dtype)], -1)

    def cols(self, x: Any, g: Any, k: int) -> Any:
        np = self.xp
        if g.ndim == x.ndim - 1:
            return x * self._pad(g, x.shape[-1])[..., None, :]
        if x.shape[-1] == k:
            return x @ g
        return np.concatenate([x[..., :k] @ g, x[..., k:]], -1)

    def rows_conj(self, x: Any, g: Any, k: int) -> Any:
        np = self.xp
        if g.ndim == x.ndim - 1:
            return self._pad(g, x.shape[-2], conj=True)[..., :, None] * x
        gh = np.swapaxes(g.conj(), -1, -2)
        if x.shape[-2] == k:
            return gh @ x
        return np.concatenate([gh @ x[..., :k, :], x[..., k:, :]], -2)

    def schur(self, t: Any, g: Any) -> Any:
        return g.conj()[..., :, None] * t * g[..., None, :]

    def cond(self, v: Any) -> float | None:
        np = self.np
        n = v.shape[-1]
        if n > COND_MAX_N or v.size * n > 10 ** 8 or n == 0:
            return None
        return float(np.max(np.linalg.cond(np.asarray(v))))

    def store(self, target: Any, value: Any) -> None:
        target[...] = value


class JaxOps(NumpyOps):
    """JAX results (immutable arrays, maybe tracers under ``jit``: the gauge drawn while
    tracing is baked into the compiled function, which is still a valid gauge)."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        import jax
        import jax.numpy as jnp

        self.xp = jnp
        self._array = jax.Array

    def is_array(self, x: Any) -> bool:
        return isinstance(x, self._array)

    def store(self, target: Any, value: Any) -> None:
        raise TypeError("JAX arrays are immutable")


__all__ = ["COND_MAX_N", "JaxOps", "NumpyOps", "Ops", "TorchOps"]
