bug("001_exact_dmd_modes.py", "exact DMD (numpy/scipy); forecast via lstsq amplitudes is invariant",
    ("b1", "phase", ["mode_shapes = Phi.real", '"mode_shapes": mode_shapes'], ["mode_shapes"],
     "real part of exact-DMD modes: each mode carries the phase of eig(Atil)"))
bug("002_fbdmd_operator.py", "forward/backward DMD with operators projected on two separate SVD bases",
    ("b1", "sign", ["self.Atilde = sqrtm(fAtilde @ np.linalg.inv(bAtilde))", "self.eigs = np.linalg.eigvals(self.Atilde)"], ["eigs", "spectral_radius"],
     "fAtilde is conjugated by the signs of the SVD of X, bAtilde by those of the SVD of Y; their product does not pair"))
clean("003_berry_closed_loop.py", "closed-loop Berry phase: the product of overlaps includes the closing link (i+1) % N")
bug("004_zak_phase_ssh.py", "open chain of per-k eigenstates stored in a dataclass list",
    ("b1", "phase", ["links = torch.stack([torch.vdot(a, b) for a, b in zip(", "return -torch.angle(torch.prod(links))",
                     '"zak": zak_phase(path)'], ["zak"],
     "product of overlaps along an open chain keeps the phases of the first and last states"))
bug("005_lappe_torch_eig.py", "torch eig of a symmetric Laplacian; eigenvalue sort is fine",
    ("b1", "phase", ["EigVal, EigVec = EigVal.real, EigVec.real", "vals, pe = compute_LapEig(A, 3)", "return EigVal.sort().values, EigVec"], ["pe"],
     ".real of torch.linalg.eig eigenvectors (complex, arbitrary phase) used as positional encodings"))
clean("006_ground_state_observables.py", "expectation values, density matrix and |psi|^2 of a ground state")
bug("007_ground_state_fidelity.py", "sparse eigsh ground states of a complex Hamiltonian",
    ("b1", "phase", ['out["fidelity"].append(np.vdot(ref_state, psi).real)'], ["fidelity"],
     "real part of the overlap of two independently computed ground states (no abs)"))
clean("008_left_right_projectors.py", "spectral projectors vr vl^H / (vl^H vr): left/right phases cancel")
bug("009_modal_prediction.py", "modal prediction with left/right eigenvectors not normalised against each other",
    ("b1", "phase", ["return self.left.conj().T @ x0", "return (self.right @ (self.lam ** t * b)).real",
                     "b = self.amplitudes(x0)"], ["pred"],
     "vr diag(lam^t) vl^H x0 without dividing by vl^H vr: left and right phases are independent"))
clean("010_schrodinger_propagator.py", "exp(-iHt) = V diag(e^{-i lam t}) V^H")
bug("011_complex_svd_embedding.py", "complex low-rank layer; the forward product is invariant",
    ("b1", "phase", ["return torch.cat([z.real, z.imag], dim=-1)", "codes = layer.code(x)"], ["codes"],
     "codes x Vh^T carry the SVD phase; real/imag split exposes it"))
bug("012_dmd_phase_map.py", "torch exact DMD, modes reordered by energy",
    ("b1", "phase", ["phase_map = torch.angle(modes[:, 0])"], ["phase_map"],
     "angle of a DMD mode: shifted by the eig phase of that column"))
bug("013_magnetic_pe_solver.py", "solver chosen at run time (eigh for Hermitian)",
    ("b1", "phase", ["pe = np.concatenate([vecs.real, vecs.imag], axis=1)", "vals, pe = positional_encoding(edges, 7, k=3)"], ["pe"],
     "real/imag parts of complex magnetic-Laplacian eigenvectors used as features"))
clean("014_bloch_bands_wilson.py", "batched eigh over k; |psi|^2 and a closed Wilson loop via roll")
bug("015_polarization_chain.py", "list-comprehension states; open chain of overlaps",
    ("b1", "phase", ["overlaps = [np.vdot(states[i], states[i + 1]) for i in range(len(states) - 1)]",
                     "results.append(-np.angle(np.prod(overlaps)) / (2 * np.pi))"], ["polarization"],
     "the loop is not closed (no overlap from the last state back to the first)"))
bug("016_complex_pca.py", "complex PCA class; round trip, variance and |Z|^2 are invariant",
    ("b1", "phase", ["features = torch.cat([Z.real, Z.imag], dim=1)"], ["features"],
     "scores (X - mean) Vh^H carry the SVD phase; real/imag split"))
bug("017_logm_unitary_init.py", "matrix log of an eigenvector matrix",
    ("b1", "phase", ["G = scipy.linalg.logm(V.numpy())", "return np.real(G)", "X0 = initial_generator(H)"], ["X0"],
     "logm(V D) != logm(V) + const: non-linear in the gauge"))
clean("018_matrix_sqrt_eig.py", "V f(w) V^{-1} functional calculus with eig")
bug("019_magnetic_gft.py", "complex graph Fourier basis stored on the object",
    ("b1", "phase", ["return self._U.T @ s", "return self._U @ s_hat", "s_hat = G.gft(s)", "smoothed = G.igft(h * s_hat).real"], ["smoothed"],
     "U^T without conjugate: U (h * U^T s) is not U h U^H s for complex U"))
bug("020_generic_eigh_features.py", "helper of unknown dtype called with a complex matrix; heat kernel diagonal is invariant",
    ("b1", "phase", ["feats = torch.cat([top.real, top.imag], dim=-1)", "feats, hks = spectral_features(H)"], ["feats"],
     "real/imag parts of complex eigenvectors"))
clean("021_complex_svd_scores.py", "phase convention on U (largest-modulus entry real positive) applied consistently to Vh")
clean("022_markov_stationary.py", "left eigenvector for eigenvalue 1, real part normalised by its sum")
bug("023_pagerank_eig.py", "PageRank via eig of G^T normalised by its 2-norm",
    ("b1", "phase", ["largest = np.array(vecs[:, ind]).flatten().real", "return largest / norm",
                     "r = pagerank_eig(A)"], ["scores", "ranking"],
     "dividing by the norm keeps the arbitrary sign/phase of the eigenvector (should divide by the sum)"))
clean("024_koopman_forecast.py", "torch.svd + eig exact DMD; reconstruction from lstsq amplitudes")
clean("025_spectral_kmeans.py", "row-normalised spectral embedding and a hand-written k-means (labels, inertia)")
clean("026_spectral_embedding.py", "sklearn-style deterministic sign flip on each eigenvector")
bug("027_lappe_numpy_eig.py", "numpy eig of a symmetric normalised Laplacian, sorted by argsort",
    ("b1", "sign", ["return torch.from_numpy(EigVec[:, 1:pos_enc_dim + 1]).float(), EigVal",
                    "EigVal, EigVec = EigVal[idx], np.real(EigVec[:, idx])",
                    "pe, vals = positional_encoding(edges, 8, 3)"], ["pos_enc"],
     "Laplacian eigenvectors returned as positional encodings with arbitrary signs"))
clean("028_pca_estimator.py", "svd_flip with a zero guard applied to both U and Vt")
bug("029_pca_lowrank_features.py", "sign convention applied to U only",
    ("b1", "sign", ["return u * signs, v", "U, V = flip_signs(U, V)", "feats = (X - mean) @ V[:, :q]",
                    "approx = U * S @ V.T + mean"], ["features", "approx"],
     "U is made deterministic but V keeps its sign, so U S V^T and X V no longer pair"))
clean("030_kabsch_alignment.py", "Kabsch with d = sign(det(V U^T)) in the middle")
bug("031_rigid_procrustes.py", "reflection fix applied to U only",
    ("b1", "sign", ["if det(U) < 0:", "U[:, -1] *= -1", "Omega = U @ Vt"], ["Omega", "residual"],
     "flipping U's last column based on det(U) alone makes U Vt depend on the joint sign of the factors"))
clean("032_point_normals.py", "normals oriented toward a viewpoint with a zero guard")
bug("033_plane_fit_heights.py", "plane normal taken as the last right singular vector",
    ("b1", "sign", ["return (points - centroid) @ normal", "h = heights_above(pts, plane)", "above = int((h > 0.01).sum())", "return {\"heights\": h"], ["heights", "n_above"],
     "signed heights use the unoriented normal; rms is invariant"))
bug("034_diffusion_map.py", "diffusion map normalised by the first eigenvector",
    ("b1", "sign", ["psi = psi / psi[:, [0]]", "return w[1:n_components + 1] ** t * psi[:, 1:n_components + 1], w",
                    "Y, w = diffusion_map(X)", "return {\"coords\": Y"], ["coords"],
     "dividing by psi_0 fixes nothing for the other columns: psi_j / psi_0 carries s_j s_0"))
clean("035_diffusion_distance.py", "diffusion distances between rows of the embedding (lobpcg)")
clean("036_csp_logvar.py", "generalised eigh CSP filters; log-variance features")
bug("037_eog_component_pick.py", "component picked by signed correlation with a reference",
    ("b1", "sign", ["return int(np.argmax(scores)), np.array(scores)", "scores = [np.corrcoef(s, ref)[0, 1] for s in sources]", "bad, scores = find_bad_component(sources, blink)"],
     ["bad", "cleaned"],
     "argmax of a signed correlation: a flipped component stops being picked (should use abs)"))
clean("038_eigenfaces_roundtrip.py", "basis stored on self; projection/reconstruction round trip and nearest neighbour")
bug("039_eigenfaces_classifier.py", "PCA features fed to a fixed linear classifier",
    ("b1", "sign", ["z = (faces - self.mean_) @ self.components_.T / self.scale_", "return z @ self.W + self.bias",
                    "logits = clf.decision_function(faces[:5])"], ["logits", "pred"],
     "PCA scores carry the SVD signs; a linear layer with bias is not sign invariant"))
clean("040_graph_lowpass.py", "heat filter U h(L) U^T s and squared GFT coefficients")
bug("041_graph_lowpass_sparse.py", "analysis with eigh, synthesis with eigsh",
    ("b1", "sign", ["return basis_k @ (h * coeffs)"], ["filtered"],
     "coefficients from one decomposition lifted with the basis of another: signs do not pair"))
clean("042_signnet.py", "SignNet phi(v) + phi(-v)")
bug("043_lappe_encoder.py", "GraphGPS-style LapPE encoder in eval mode (random flips only in training)",
    ("b1", "sign", ["pe = self.linear_A(pos).sum(1)", "pos = torch.stack((pos, evals[: self.k]", "h = enc(x, evals, evecs)"], ["h"],
     "linear layer with bias on raw eigenvectors; no sign flip at eval"))
bug("044_hessian_landscape.py", "loss surface along top Hessian eigenvectors (torch.lobpcg)",
    ("b1", "sign", ["grid[i, j] = loss_fn(w + a * d1 + b * d2, X, y)",
                    "surface = landscape(w, X, y, evecs[:, 0], evecs[:, 1])"], ["surface"],
     "an asymmetric alpha grid along a direction of arbitrary sign: the surface is mirrored"))
clean("045_hessian_curvature.py", "Rayleigh quotients and gradient norm in the top eigen-subspace")
bug("046_modal_shapes.py", "mode shapes normalised by max |phi|",
    ("b1", "sign", ["shapes = shapes / np.abs(shapes).max(axis=0)", "freqs, shapes = modal_analysis(K, M)", "return omega / (2 * np.pi), shapes", "return {\"freqs\": freqs, \"shapes\": shapes"],
     ["shapes", "roof_ratio"],
     "dividing by max |phi| keeps the sign; should divide by the signed entry of largest modulus"))
clean("047_modal_participation.py", "generalised eigh; shapes divided by the signed pivot; effective masses")
bug("048_hosvd_core_features.py", "HOSVD with svds; reconstruction and core energy invariant",
    ("b1", "sign", ["feats = core.reshape(-1)[:4]", "return {\"approx\": approx, \"features\": feats"], ["features"],
     "core entries carry the product of the factor signs of every mode"))
bug("049_cca_ssvep.py", "CCA with Wx and Wy from two separate eigh calls",
    ("b1", "sign", ["u = Wx[:, i] @ eeg", "v = Wy[:, i] @ ref", "signed_corr.append(np.corrcoef(u, v)[0, 1])"], ["signed_corr"],
     "the signs of the x and y canonical vectors come from two decompositions and do not pair"))
clean("050_pissa_init.py", "PiSSA init B A = U S Vh with exact and randomized SVD")
bug("051_vqe_warm_start.py", "ground state of a complex Hamiltonian used as a warm start; phases relative to component 0 are invariant",
    ("b1", "phase", ["params = np.angle(psi)", "e0, mags, params, rel = initial_point(two_qubit_hamiltonian())"], ["params"],
     "absolute angles of an eigenvector's entries shift by the eigh phase"))
bug("052_dmd_dominant_mode.py", "DMD amplitudes; mode chosen by the signed real part of b",
    ("b1", "phase", ["dominant = int(np.argmax(b.real))", '"dominant_freq": np.abs(omega[dominant].imag)'], ["dominant_freq"],
     "b_k carries the inverse phase of mode k; argmax of its real part picks a gauge-dependent mode (should use |b|)"))
bug("053_coherent_sets_eigs.py", "sparse eigs of a non-reversible transfer operator",
    ("b1", "phase", ["partition = (second.real > 0).astype(int)"], ["partition"],
     "sign of the real part of a complex eigenvector with arbitrary phase"))
clean("054_lowdin_orthogonalization.py", "S^{-1/2} = V diag(e^{-1/2}) V^H with a mask on the eigen-axis")
bug("055_circular_seriation.py", "classical MDS; ordering points by angle in the embedding",
    ("b1", "sign", ["angles = np.arctan2(Y[:, 1], Y[:, 0])", "order = circular_order(Y)"], ["order"],
     "a sign flip of one coordinate reverses/rotates the angular order; the stress is invariant"))
