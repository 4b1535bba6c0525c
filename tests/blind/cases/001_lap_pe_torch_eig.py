# modelled on: xbresson/CS6208_2023 codes/labs_lecture05/utils.py
import torch


def ring_with_chords(n):
    A = torch.zeros(n, n, dtype=torch.float64)
    for i in range(n):
        A[i, (i + 1) % n] = A[(i + 1) % n, i] = 1.0
    A[0, n // 2] = A[n // 2, 0] = 1.0
    A[2, 7] = A[7, 2] = 1.0
    return A


# Laplacian eigenvectors
def compute_LapEig(Adj, pos_enc_dim):
    Dn = (Adj.sum(1) ** -0.5).diag()  # Inverse and sqrt of degree matrix
    Lap = torch.eye(Adj.shape[0], dtype=Adj.dtype) - Dn.matmul(Adj).matmul(Dn)  # Laplacian operator
    EigVal, EigVec = torch.linalg.eig(Lap)  # Compute full EVD
    EigVal, EigVec = EigVal.real, EigVec.real  # make eig real
    EigVec = EigVec[:, EigVal.argsort()]  # sort in increasing order of eigenvalues
    EigVec = EigVec[:, 1:pos_enc_dim + 1]  # select the first non-trivial "pos_enc_dim" eigenvector
    return EigVec, EigVal.sort().values


def run():
    torch.manual_seed(0)
    A = ring_with_chords(10)
    pe, lam = compute_LapEig(A, 4)
    embed = torch.nn.Linear(4, 8, dtype=torch.float64)
    h = embed(pe)
    return {"h": h, "spectrum": lam}
