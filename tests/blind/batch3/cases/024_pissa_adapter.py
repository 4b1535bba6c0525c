# modelled on: GraphPKU/PiSSA init_pissa.py
import torch
import torch.nn as nn


class PiSSALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int):
        super().__init__()
        W = base.weight.data
        U, S, Vh = torch.linalg.svd(W, full_matrices=False)
        Ur, Sr, Vhr = U[:, :r], S[:r], Vh[:r]
        self.lora_A = nn.Parameter(torch.diag(Sr.sqrt()) @ Vhr)
        self.lora_B = nn.Parameter(Ur @ torch.diag(Sr.sqrt()))
        self.register_buffer("res_weight", W - self.lora_B.data @ self.lora_A.data)
        self.bias = nn.Parameter(base.bias.data.clone())

    def merged_weight(self):
        return self.res_weight + self.lora_B @ self.lora_A

    def forward(self, x):
        return x @ self.merged_weight().T + self.bias


def train_steps(layer, X, Y, lr=0.05, steps=3):
    opt = torch.optim.SGD([layer.lora_A, layer.lora_B], lr=lr, momentum=0.9)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((layer(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.detach()


def run():
    torch.manual_seed(0)
    base = nn.Linear(8, 6).double()
    layer = PiSSALinear(base, r=2)
    X = torch.randn(16, 8, dtype=torch.float64)
    Y = torch.randn(16, 6, dtype=torch.float64)
    init_out = layer(X).detach()
    loss = train_steps(layer, X, Y)
    return {"init_out": init_out, "loss": loss, "merged": layer.merged_weight().detach()}
