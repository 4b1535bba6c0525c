# modelled on: pyscf/pyscf pyscf/mcscf/addons.py
import torch


def make_rdm1(rng_gen, nmo, nelec):
    c = torch.randn(nmo, nmo, dtype=torch.complex128, generator=rng_gen)
    q, _ = torch.linalg.qr(c)
    occ = torch.linspace(1.95, 0.05, nmo, dtype=torch.float64)
    occ[:nelec] += 0.02
    return (q * occ.to(q.dtype)) @ q.mH


def make_natural_orbitals(rdm1, mo_coeff):
    occ, ucas = torch.linalg.eigh(rdm1)
    occ = torch.flip(occ, dims=[0])
    ucas = torch.flip(ucas, dims=[1])
    natorb = mo_coeff @ ucas
    return occ, natorb


def transition_moment(natorb, ao_positions, i, j):
    density = natorb[:, i].conj() * natorb[:, j]
    return (density.unsqueeze(-1) * ao_positions).sum(0).real


def run():
    gen = torch.Generator().manual_seed(0)
    nmo = 6
    rdm1 = make_rdm1(gen, nmo, 3)
    mo_coeff = torch.linalg.qr(torch.randn(nmo, nmo, dtype=torch.complex128, generator=gen))[0]
    ao_positions = torch.randn(nmo, 3, dtype=torch.float64, generator=gen).to(torch.complex128)
    occ, natorb = make_natural_orbitals(rdm1, mo_coeff)
    mu = transition_moment(natorb, ao_positions, 0, 1)
    dens0 = (natorb[:, 0].abs() ** 2 * ao_positions.real.T).sum(-1)
    return {"occupations": occ, "transition_dipole": mu, "homo_centroid": dens0}
