# modelled on: ksimotas/lola lpdm/soap.py
import torch


class SOAP(torch.optim.Optimizer):
    def __init__(self, params, lr=3e-3, betas=(0.95, 0.95), shampoo_beta=0.9, eps=1e-8, precondition_frequency=3):
        defaults = dict(lr=lr, betas=betas, shampoo_beta=shampoo_beta, eps=eps,
                        precondition_frequency=precondition_frequency)
        super().__init__(params, defaults)

    @staticmethod
    def get_orthogonal_matrix(mats):
        out = []
        for m in mats:
            _, Q = torch.linalg.eigh(m + 1e-30 * torch.eye(m.shape[0], dtype=m.dtype))
            out.append(torch.flip(Q, [1]))
        return out

    @staticmethod
    def project(grad, Q):
        return Q[0].T @ grad @ Q[1]

    @staticmethod
    def project_back(grad, Q):
        return Q[0] @ grad @ Q[1].T

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                state = self.state[p]
                if "step" not in state:
                    state["step"] = 0
                    state["exp_avg"] = torch.zeros_like(grad)
                    state["exp_avg_sq"] = torch.zeros_like(grad)
                    state["GG"] = [torch.zeros(grad.shape[0], grad.shape[0], dtype=grad.dtype),
                                   torch.zeros(grad.shape[1], grad.shape[1], dtype=grad.dtype)]
                    state["Q"] = None
                sb = group["shampoo_beta"]
                state["GG"][0].lerp_(grad @ grad.T, 1 - sb)
                state["GG"][1].lerp_(grad.T @ grad, 1 - sb)
                if state["Q"] is None:
                    state["Q"] = self.get_orthogonal_matrix(state["GG"])
                    continue
                g_proj = self.project(grad, state["Q"])
                state["step"] += 1
                b1, b2 = group["betas"]
                state["exp_avg"].mul_(b1).add_(g_proj, alpha=1 - b1)
                state["exp_avg_sq"].mul_(b2).add_(g_proj.square(), alpha=1 - b2)
                denom = state["exp_avg_sq"].sqrt().add_(group["eps"])
                bc1 = 1 - b1 ** state["step"]
                bc2 = 1 - b2 ** state["step"]
                step_size = group["lr"] * bc2 ** 0.5 / bc1
                norm_grad = self.project_back(state["exp_avg"] / denom, state["Q"])
                p.add_(norm_grad, alpha=-step_size)
                if state["step"] % group["precondition_frequency"] == 0:
                    back = self.project_back(state["exp_avg"], state["Q"])
                    state["Q"] = self.get_orthogonal_matrix(state["GG"])
                    state["exp_avg"] = self.project(back, state["Q"])


def run():
    g = torch.Generator().manual_seed(4)
    X = torch.randn(48, 8, generator=g, dtype=torch.float64)
    Wt = torch.randn(6, 8, generator=g, dtype=torch.float64)
    Y = torch.tanh(X @ Wt.T)
    W = torch.nn.Parameter(0.1 * torch.randn(6, 8, generator=g, dtype=torch.float64))
    opt = SOAP([W], lr=0.05)
    losses = []
    for _ in range(12):
        loss = ((torch.tanh(X @ W.T) - Y) ** 2).mean()
        W.grad = None
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return {
        "weights": W.detach(),
        "losses": torch.tensor(losses, dtype=torch.float64),
    }
