# modelled on: cptq/SignNet-BasisNet LearningFilters/utils.py
import torch


def spectral_features(H, k=2):
    evals, evecs = torch.linalg.eigh(H)
    top = evecs[:, -k:]
    feats = torch.cat([top.real, top.imag], dim=-1)
    heat = (evecs * torch.exp(-evals)) @ evecs.conj().transpose(0, 1)
    return feats, torch.diagonal(heat).real


def run():
    g = torch.Generator().manual_seed(12)
    M = torch.randn(6, 6, dtype=torch.complex128, generator=g)
    H = M @ M.mH / 6
    feats, hks = spectral_features(H)
    return {"feats": feats, "hks": hks}
