# modelled on: GraphPKU/PiSSA init_pissa.py
import torch
import torch.nn as nn


class PiSSALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, fast: bool):
        super().__init__()
        W = base.weight.data
        if fast:
            U, S, V = torch.svd_lowrank(W, q=r, niter=6)
            Vh = V.T
        else:
            U, S, Vh = torch.linalg.svd(W, full_matrices=False)
        Ur, Sr, Vhr = U[:, :r], S[:r], Vh[:r]
        sq = torch.diag(Sr.sqrt())
        self.lora_A = nn.Parameter((sq @ Vhr).clone())
        self.lora_B = nn.Parameter((Ur @ sq).clone())
        self.residual = nn.Parameter((W - self.lora_B @ self.lora_A).detach(), requires_grad=False)
        self.bias = base.bias

    def forward(self, x):
        return x @ self.residual.T + (x @ self.lora_A.T) @ self.lora_B.T + self.bias


def run():
    torch.manual_seed(0)
    base = nn.Linear(6, 5).double()
    x = torch.randn(3, 6, dtype=torch.float64)
    outs = {}
    for fast in (False, True):
        layer = PiSSALinear(base, r=2, fast=fast)
        with torch.no_grad():
            outs["fast" if fast else "exact"] = layer(x)
            outs["res_norm_" + str(fast)] = torch.linalg.matrix_norm(layer.residual)
    with torch.no_grad():
        outs["base"] = base(x)
    return outs
