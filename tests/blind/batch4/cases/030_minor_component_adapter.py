# modelled on: huggingface/peft src/peft/tuners/lora/layer.py
import torch
import torch.nn as nn


class SVDInitAdapter(nn.Module):
    def __init__(self, weight, r):
        super().__init__()
        self.weight = nn.Parameter(weight.clone(), requires_grad=False)
        U, S, V = torch.svd_lowrank(weight, q=r + 2, niter=4)
        self.lora_A = nn.Parameter(V[:, :r].T.contiguous())
        self.lora_B = nn.Parameter(torch.zeros(weight.shape[0], r, dtype=weight.dtype))

    def forward(self, x):
        return x @ (self.weight + self.lora_B @ self.lora_A).T


def train_steps(model, x, y, lr=0.1, steps=1):
    opt = torch.optim.SGD([model.lora_A, model.lora_B], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    return loss.detach()


def run():
    torch.manual_seed(0)
    W = torch.randn(6, 9, dtype=torch.float64)
    x = torch.randn(16, 9, dtype=torch.float64)
    y = x @ (W + 0.3 * torch.randn(6, 9, dtype=torch.float64)).T
    model = SVDInitAdapter(W, r=3)
    first_loss = train_steps(model, x, y, steps=1)
    delta = (model.lora_B @ model.lora_A).detach()
    with torch.no_grad():
        after = ((model(x) - y) ** 2).mean()
    return {"first_loss": first_loss, "delta_w": delta, "loss_after": after}
