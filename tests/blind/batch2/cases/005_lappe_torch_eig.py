# modelled on: xbresson/CS6208_2023 codes/labs_lecture05/utils.py
import torch


def ring_with_chords(n=9):
    A = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1.0
    A[0, 4] = A[4, 0] = 1.0
    A[2, 7] = A[7, 2] = 1.0
    return A


def compute_LapEig(Adj, pos_enc_dim):
    Dn = (Adj.sum(1) ** -0.5).diag()
    Lap = torch.eye(Adj.shape[0], dtype=Adj.dtype) - Dn.matmul(Adj).matmul(Dn)
    EigVal, EigVec = torch.linalg.eig(Lap)
    EigVal, EigVec = EigVal.real, EigVec.real
    EigVec = EigVec[:, EigVal.argsort()]
    EigVec = EigVec[:, 1:pos_enc_dim + 1]
    return EigVal.sort().values, EigVec


def run():
    A = ring_with_chords()
    vals, pe = compute_LapEig(A, 3)
    return {"spectrum": vals, "pe": pe}
