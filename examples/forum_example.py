"""The forum answer that started eiglint, as a script (PyTorch >= 2.0).

Two sets of eigenvectors of the same matrix, computed along two mathematically equivalent
paths, differ by a phase per column. A loss built from `v * v.conj()` is the same on both
paths; a loss built from `(v * v).real` is not, and PyTorch refuses its backward pass:

    linalg_eig_backward: The eigenvectors in the complex case are specified up to
    multiplication by e^{i phi}. The specified loss function depends on this quantity,
    so it is ill-defined.

Run `eiglint examples/` to see the two ill-defined losses flagged before anything runs.
"""
import torch

_ = torch.manual_seed(2022)

tA = torch.randn(3, 3)
tB = tA.clone()
tA.requires_grad = True
tB.requires_grad = True

valA, vecA = torch.linalg.eig(tA)

orth = torch.linalg.svd(torch.randn(3, 3))[0]  # orthogonal matrix to rotate tB
tBr = orth @ tB @ orth.T
valBr, vecBr = torch.linalg.eig(tBr)  # eigenvectors of rotated tB

tAc = tA.to(dtype=torch.complex64)
orthc = orth.to(dtype=torch.complex64)

vecB = orthc.T @ vecBr  # rotate eigenvectors back to basis of tB
print(torch.allclose(tAc @ vecB, valA * vecB))  # vecB is indeed a set of eigenvectors of tA

print(vecB / vecA)  # each eigenvector is changed by a complex phase

lossGoodA = (vecA * vecA.conj())[0, 0]
lossGoodB = (vecB * vecB.conj())[0, 0]
print(lossGoodA, lossGoodB)
print(torch.allclose(lossGoodA, lossGoodB))  # phase-independent loss is the same for both

lossGoodA.real.backward()  # a legitimate backward pass (the loss is real up to rounding)
print(tA.grad)

lossBadA = (vecA * vecA).real[0, 0]
lossBadB = (vecB * vecB).real[0, 0]
print(lossBadA, lossBadB)
print(torch.allclose(lossBadA, lossBadB))  # this loss is not phase-independent

try:
    lossBadB.backward()  # PyTorch flags this backward pass as ill-defined
except RuntimeError as err:
    print(f"RuntimeError: {err}")
print(tB.grad)  # not computed
