# modelled on: huggingface/peft src/peft/tuners/lora/layer.py
from dataclasses import dataclass

import torch


@dataclass
class LoraFactors:
    A: torch.Tensor
    B: torch.Tensor
    rank: int


def compress_delta(delta, rank):
    U, S, Vh = torch.linalg.svd(delta, full_matrices=False)
    sqrt_s = S[:rank].sqrt()
    lora_B = U[:, :rank] * sqrt_s
    lora_A = sqrt_s[:, None] * Vh[:rank]
    return LoraFactors(A=lora_A, B=lora_B, rank=rank)


def merge_adapters(adapters, weights):
    A = sum(w * a.A for w, a in zip(weights, adapters))
    B = sum(w * a.B for w, a in zip(weights, adapters))
    return B @ A


def apply(base, merged, x):
    return x @ (base + merged).T


def run():
    torch.manual_seed(0)
    base = torch.randn(7, 5, dtype=torch.float64)
    deltas = [0.2 * torch.randn(7, 2, dtype=torch.float64) @ torch.randn(2, 5, dtype=torch.float64)
              for _ in range(2)]
    adapters = [compress_delta(d, rank=2) for d in deltas]
    merged = merge_adapters(adapters, [0.5, 0.5])
    x = torch.randn(4, 5, dtype=torch.float64)
    exact = [a.B @ a.A for a in adapters]
    return {"merged_delta": merged, "outputs": apply(base, merged, x),
            "compression_error": torch.stack([(e - d).abs().max() for e, d in zip(exact, deltas)])}
