# modelled on: garyfanhku/Galore-pytorch galore/galore.py
import torch


class GaLoreProjector:
    def __init__(self, rank, update_proj_gap=4, scale=1.0):
        self.rank = rank
        self.update_proj_gap = update_proj_gap
        self.scale = scale
        self.ortho_matrix = None

    def get_orthogonal_matrix(self, weights):
        U, s, Vh = torch.linalg.svd(weights, full_matrices=False)
        return U[:, :self.rank]

    def project(self, full_rank_grad, it):
        if self.ortho_matrix is None or it % self.update_proj_gap == 0:
            self.ortho_matrix = self.get_orthogonal_matrix(full_rank_grad)
        return self.ortho_matrix.T @ full_rank_grad

    def project_back(self, low_rank_grad):
        return self.ortho_matrix @ low_rank_grad * self.scale


class GaLoreAdam:
    def __init__(self, param, lr=0.05, betas=(0.9, 0.999), eps=1e-8, rank=2, gap=4):
        self.param = param
        self.lr = lr
        self.betas = betas
        self.eps = eps
        self.projector = GaLoreProjector(rank, gap)
        self.state = {"step": 0}

    @torch.no_grad()
    def step(self):
        grad = self.param.grad
        st = self.state
        low = self.projector.project(grad, st["step"])
        if "exp_avg" not in st:
            st["exp_avg"] = torch.zeros_like(low)
            st["exp_avg_sq"] = torch.zeros_like(low)
        st["step"] += 1
        b1, b2 = self.betas
        st["exp_avg"].mul_(b1).add_(low, alpha=1 - b1)
        st["exp_avg_sq"].mul_(b2).addcmul_(low, low, value=1 - b2)
        m_hat = st["exp_avg"] / (1 - b1 ** st["step"])
        v_hat = st["exp_avg_sq"] / (1 - b2 ** st["step"])
        update = self.projector.project_back(m_hat / (v_hat.sqrt() + self.eps))
        self.param.add_(update, alpha=-self.lr)


def run():
    g = torch.Generator().manual_seed(8)
    X = torch.randn(64, 10, generator=g, dtype=torch.float64)
    W_true = torch.randn(12, 10, generator=g, dtype=torch.float64)
    Y = X @ W_true.T
    W = torch.nn.Parameter(torch.zeros(12, 10, dtype=torch.float64))
    opt = GaLoreAdam(W)
    losses = []
    for _ in range(10):
        loss = ((X @ W.T - Y) ** 2).mean()
        W.grad = None
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "weights": W.detach(),
        "losses": torch.tensor(losses, dtype=torch.float64),
    }
