# modelled on: rampasek/GraphGPS graphgps/transform/posenc_stats.py
import numpy as np
import torch
import torch.nn as nn


def get_lap_decomp_stats(evals, evects, max_freqs, eigvec_norm="L2"):
    N = len(evals)
    idx = evals.argsort()[:max_freqs]
    evals, evects = evals[idx], np.real(evects[:, idx])
    evals = torch.from_numpy(np.real(evals)).clamp_min(0)
    evects = torch.from_numpy(evects)
    if N < max_freqs:
        evects = nn.functional.pad(evects, (0, max_freqs - N), value=float("nan"))
    if eigvec_norm == "L2":
        evects = evects / evects.norm(p=2, dim=0, keepdim=True).clamp_min(1e-12)
    evals = evals.unsqueeze(0).repeat(N, 1).unsqueeze(2)
    return evals, evects


class LapPENodeEncoder(nn.Module):
    def __init__(self, dim_pe=4, max_freqs=5):
        super().__init__()
        self.linear_A = nn.Linear(2, dim_pe).double()
        self.pe_encoder = nn.Sequential(nn.ReLU(), nn.Linear(dim_pe, dim_pe).double(), nn.ReLU())
        self.max_freqs = max_freqs

    def forward(self, EigVals, EigVecs):
        if self.training:
            sign_flip = torch.rand(EigVecs.size(1), dtype=EigVecs.dtype)
            sign_flip[sign_flip >= 0.5] = 1.0
            sign_flip[sign_flip < 0.5] = -1.0
            EigVecs = EigVecs * sign_flip.unsqueeze(0)
        pos_enc = torch.cat((EigVecs.unsqueeze(2), EigVals), dim=2)
        empty_mask = torch.isnan(pos_enc)
        pos_enc[empty_mask] = 0
        pos_enc = self.linear_A(pos_enc)
        pos_enc = self.pe_encoder(pos_enc)
        pos_enc = pos_enc.masked_fill(empty_mask[:, :, 0].unsqueeze(2), 0.0)
        return torch.sum(pos_enc, 1)


def run():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    n = 9
    W = np.triu(rng.uniform(0.2, 1.0, size=(n, n)) * (rng.random((n, n)) < 0.6), 1)
    W = W + W.T + np.diag(np.ones(n - 1) * 0.3, 1) + np.diag(np.ones(n - 1) * 0.3, -1)
    L = np.diag(W.sum(1)) - W
    evals, evects = np.linalg.eigh(L)
    EigVals, EigVecs = get_lap_decomp_stats(evals, evects, max_freqs=5)
    encoder = LapPENodeEncoder(dim_pe=4, max_freqs=5).eval()
    with torch.no_grad():
        h = encoder(EigVals, EigVecs)
    return {"node_pe": h, "spectrum": EigVals[0, :, 0]}
