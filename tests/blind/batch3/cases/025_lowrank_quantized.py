# modelled on: GraphPKU/PiSSA calculate_quantization_error.py
import torch


def quantize_minmax(x, bits=4):
    qmax = 2 ** bits - 1
    lo, hi = x.min(dim=-1, keepdim=True).values, x.max(dim=-1, keepdim=True).values
    scale = (hi - lo).clamp_min(1e-12) / qmax
    q = torch.round((x - lo) / scale).clamp(0, qmax)
    return q * scale + lo


def compress_linear(weight, rank, bits=4):
    U, S, V = torch.svd_lowrank(weight, q=rank, niter=6)
    root = S.sqrt()
    A = U * root
    B = (V * root).T
    return {"A": quantize_minmax(A, bits), "B": quantize_minmax(B, bits), "S": S}


def layer_error(weight, packed, X):
    approx = packed["A"] @ packed["B"]
    return (X @ (weight - approx).T).norm() / (X @ weight.T).norm()


def run():
    torch.manual_seed(0)
    weights = {
        "q_proj": torch.randn(10, 3, dtype=torch.float64) @ torch.randn(3, 12, dtype=torch.float64),
        "v_proj": torch.randn(10, 4, dtype=torch.float64) @ torch.randn(4, 12, dtype=torch.float64),
    }
    X = torch.randn(6, 12, dtype=torch.float64)
    errors, spectra = [], []
    for name, W in weights.items():
        packed = compress_linear(W, rank=3)
        errors.append(layer_error(W, packed, X))
        spectra.append(packed["S"])
    return {"errors": torch.stack(errors), "spectra": torch.stack(spectra)}
