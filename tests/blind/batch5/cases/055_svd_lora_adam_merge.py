# modelled on: zhangfanglue0228/SVD_LoRA commonsense_reasoning/peft/src/peft/tuners/svdlora.py
import torch
from torch import nn


class SVDLoRALinear(nn.Module):
    def __init__(self, weight, r):
        super().__init__()
        U, S, Vh = torch.linalg.svd(weight, full_matrices=False)
        root = S[:r].sqrt()
        self.lora_B = nn.Parameter(U[:, :r] * root[None, :])
        self.lora_A = nn.Parameter(root[:, None] * Vh[:r])
        self.register_buffer("residual", weight - self.lora_B.detach() @ self.lora_A.detach())

    def forward(self, x):
        return x @ (self.residual + self.lora_B @ self.lora_A).T

    def merged_weight(self):
        return self.residual + self.lora_B @ self.lora_A


def finetune(layer, X, Y, steps=15, lr=0.01):
    opt = torch.optim.AdamW(layer.parameters(), lr=lr, weight_decay=0.01)
    history = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((layer(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
        history.append(loss.item())
    return history


def run():
    g = torch.Generator().manual_seed(10)
    W0 = torch.randn(12, 10, generator=g, dtype=torch.float64)
    delta = torch.randn(12, 2, generator=g, dtype=torch.float64) @ torch.randn(2, 10, generator=g, dtype=torch.float64)
    X = torch.randn(80, 10, generator=g, dtype=torch.float64)
    Y = X @ (W0 + 0.3 * delta).T
    layer = SVDLoRALinear(W0, 3)
    hist = finetune(layer, X, Y)
    return {
        "merged_weight": layer.merged_weight().detach(),
        "loss_history": torch.tensor(hist, dtype=torch.float64),
    }
