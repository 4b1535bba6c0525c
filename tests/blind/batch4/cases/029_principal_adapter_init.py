# modelled on: huggingface/peft src/peft/tuners/lora/layer.py
import torch
import torch.nn as nn


class LoraLinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, lora_alpha: int = 4):
        super().__init__()
        self.base_layer = base
        self.r = r
        self.scaling = lora_alpha / r
        self.lora_A = nn.Linear(base.in_features, r, bias=False).double()
        self.lora_B = nn.Linear(r, base.out_features, bias=False).double()

    def pissa_init(self):
        weight = self.base_layer.weight.data
        svd = torch.linalg.svd(weight, full_matrices=False)
        V, S, Uh = svd.U, svd.S, svd.Vh
        Vr = V[:, : self.r]
        Sr = S[: self.r] / self.scaling
        Uhr = Uh[: self.r]
        lora_A = torch.diag(torch.sqrt(Sr)) @ Uhr
        lora_B = Vr @ torch.diag(torch.sqrt(Sr))
        self.lora_A.weight.data = lora_A
        self.lora_B.weight.data = lora_B
        self.base_layer.weight.data = weight - self.scaling * lora_B @ lora_A

    def forward(self, x):
        return self.base_layer(x) + self.scaling * self.lora_B(self.lora_A(x))


def run():
    torch.manual_seed(0)
    base = nn.Linear(8, 6).double()
    original = base.weight.data.clone()
    layer = LoraLinear(base, r=2)
    layer.pissa_init()
    x = torch.randn(5, 8, dtype=torch.float64)
    with torch.no_grad():
        y = layer(x)
    residual = layer.base_layer.weight.data
    return {"y": y, "residual_weight": residual,
            "init_error": (residual + layer.scaling * layer.lora_B.weight @ layer.lora_A.weight - original).abs().max()}
