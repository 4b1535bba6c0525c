SPEC = {}


def bug(fname, kind, lines, outputs, why, note=""):
    SPEC.setdefault(fname, {"bugs": [], "note": note})
    SPEC[fname]["bugs"].append({"kind": kind, "lines": lines, "outputs": outputs, "why": why})
    if note:
        SPEC[fname]["note"] = note


def clean(fname, note):
    SPEC[fname] = {"bugs": [], "note": note}


bug("001_dmd_structures.py", "phase",
    ["return modes.real / np.linalg.norm(modes.real, axis=0)", "spatial = dmd.spatial_structures()"],
    ["spatial"],
    "DMD modes carry the per-column phase of np.linalg.eig's eigenvectors; taking .real of them (spatial_structures) depends on that phase, the reconstruction through lstsq amplitudes does not.",
    "exact DMD; reconstruction and growth rates are invariant")
bug("002_fbdmd_operator.py", "sign",
    ["self._Atilde = sqrtm(fAtilde.dot(np.linalg.inv(bAtilde)))"],
    ["eigs", "forecast"],
    "forward operator is projected on the SVD basis of X and the backward one on the SVD basis of Y (two independent sign gauges); their product is not a similarity-transformed operator, so its eigenvalues and everything after depend on the column signs.",
    "forward-backward DMD with two bases")
clean("003_koopman_edmd.py", "EDMD prediction V diag(lambda^t) lstsq(V, psi0) and |coordinates|^2 are phase invariant")
clean("004_spectral_embed_cluster.py", "eigsh eigenvectors pass through sklearn's deterministic vector sign flip before k-means")
bug("005_lap_pe_encoder.py", "sign",
    ["pos_enc = torch.cat((EigVecs.unsqueeze(2), EigVals), dim=2)", "pos_enc = self.linear_A(pos_enc)", "h = encoder(EigVals, EigVecs)"],
    ["node_pe"],
    "Laplacian eigenvectors from np.linalg.eigh (sign-ambiguous) go through an affine Linear + ReLU in eval mode (sign-flip augmentation only in training), so the PE depends on the signs.",
    "GraphGPS LapPE in eval mode")
clean("006_deepsets_lap_pe.py", "SignNet phi(v) + phi(-v) makes the PE sign invariant")
bug("007_maglap_encoding.py", "phase",
    ["feats = torch.cat([evecs.real, evecs.imag], dim=-1)", "pe = encoder(evals, evecs)"],
    ["pe"],
    "eigenvectors of the complex Hermitian magnetic Laplacian carry an arbitrary phase per column; splitting them into real/imag parts and feeding a Linear layer makes the encoding phase dependent.",
    "MagLapPE without any phase handling")
clean("008_magnetic_heat_filter.py", "U diag(h) U^H s is phase invariant and |U^H s|^2 too")
clean("009_pca_components.py", "svd_flip applied to U and Vt together fixes the signs of the stored components")
bug("010_kernel_pca_embed.py", "sign",
    ["return K @ scaled_alphas", "X_new = kpca.transform(X[9:])"],
    ["embedding"],
    "eigsh eigenvectors are stored in fit without sklearn's svd_flip; the transformed coordinates returned by transform inherit their column signs (pairwise distances do not).",
    "kernel PCA with fit/transform split")
bug("011_lda_projection.py", "sign",
    ["X_new = np.dot(X - self.means_.mean(0), self.scalings_)", "\"projected\": lda.transform(X),"],
    ["projected"],
    "scalings_ are the generalized eigenvectors from scipy.linalg.eigh(Sb, Sw); transform projects on them without fixing signs; coef_ = M V V^T and decisions are invariant.",
    "LDA eigen solver")
clean("012_cca_correlations.py", "canonical weights from U and Vh of one SVD flip together; per-component correlations and products of paired scores are invariant")
bug("013_pls_regression.py", "sign",
    ["x_weights *= sign", "y_scores = (Y - self._y_mean) @ self.y_weights_", "x_scores, y_scores = pls.transform(X, Y)", "return {\"coef\": pls.coef_, \"x_scores\": x_scores, \"y_scores\": y_scores}"],
    ["y_scores"],
    "the sign fix multiplies only x_weights (sklearn's _svd_flip_1d also flips y_weights); y_weights keep the SVD's sign, so y_scores depend on it while coef_ and x_scores are invariant.",
    "PLS with half-applied sign convention")
clean("014_pcoa_aligned.py", "PCoA coordinates are Procrustes-aligned to a fixed reference; the rotation absorbs the column signs")
clean("015_nndsvd_init.py", "NNDSVD picks the dominant of the positive/negative parts, which swap together under a sign flip of (U[:,j], V[j])")
bug("016_nmf_svd_start.py", "sign",
    ["W = np.where(W > eps, W, 0.0)", "H = np.where(H > eps, H, 0.0)", "W, H = svd_start(X, self.n_components)", "W = model.fit_transform(X)"],
    ["W", "H", "error"],
    "components after the first are clipped to their positive part without comparing with the negative part (NNDSVD), so which entries survive depends on the sign of each svds singular pair; the multiplicative updates keep the zeros.",
    "naive SVD-based NMF start")
clean("017_kabsch_batch.py", "batched Kabsch with the det(V)det(W) correction; R = V D W is sign invariant")
bug("018_icp_registration.py", "sign",
    ["if nla.det(U) < 0:", "U[:, m - 1] *= -1", "T, _, _ = best_fit_transform(src[:m, :].T, B[indices, :])", "T, _, _ = best_fit_transform(A, src[:m, :].T)"],
    ["transform", "distances", "iterations"],
    "the reflection fix tests det(U) alone instead of det(V U^T); det(U) carries the product of the column signs, so whether the last term of R is flipped depends on the SVD gauge (R becomes a reflection or not).",
    "ICP best-fit transform with a misplaced det test")
bug("019_normals_shading.py", "sign",
    ["return albedo * (normals @ light_dir).clamp(min=0.0)", "shade = lambert_shading(normals, light)"],
    ["shading"],
    "normals are the smallest-eigenvalue eigenvectors from batched eigh with no orientation step (e.g. toward a viewpoint); the clamped Lambert term depends on their signs. Curvature is invariant.",
    "PCA normals without orientation")
clean("020_normals_oriented.py", "normals from scipy eigh are oriented toward a camera location (sign by a fixed reference)")
clean("021_frame_averaging.py", "frame averaging over all 8 sign patterns of the PCA frame makes the output sign invariant (and equivariant)")
bug("022_pca_canonical_cloud.py", "sign",
    ["canon = (pos - pos.mean(0)) @ V", "x, spread = self.canon(pos)", "return self.net(x), spread"],
    ["logits", "probs"],
    "the point cloud is canonicalised by the principal axes V from torch.pca_lowrank without resolving the axis signs; the PointNet (ReLU MLP + max) on those coordinates depends on them.",
    "PCA canonicalisation without sign disambiguation")
bug("023_hessian_saddle_step.py", "sign",
    ["return w + eta * v, lam", "w1, lam = escape_saddle(analysis, w0)"],
    ["params_after", "loss_after"],
    "the escape step moves along the lowest-curvature eigenvector of torch.linalg.eigh without choosing its sign (e.g. by the gradient or trying both), so the new parameters and loss depend on it; the lobpcg sharpness is invariant.",
    "negative-curvature step")
clean("024_pissa_adapter.py", "PiSSA factors A, B carry the signs but only B @ A is used; SGD updates of A and B are covariant so the merged weight stays invariant")
bug("025_lowrank_quantized.py", "sign",
    ["q = torch.round((x - lo) / scale).clamp(0, qmax)", "\"A\": quantize_minmax(A, bits), \"B\": quantize_minmax(B, bits)", "errors.append(layer_error(W, packed, X))"],
    ["errors"],
    "asymmetric min-max quantisation of the svd_lowrank factors is not an odd function, so A_q @ B_q (and the layer error) depends on the signs of the singular pairs; the singular values are invariant.",
    "SVD compression with per-row asymmetric quantisation")
clean("026_hosvd_tucker.py", "HOSVD reconstruction, |core| entries and per-slice core energy are invariant to the factor column signs")
bug("027_tucker_stream_drift.py", "sign",
    ["drift.append(np.linalg.norm(cur[\"core\"] - prev[\"core\"]))", "\"drift\": core_drift(summaries)"],
    ["drift"],
    "each window has its own HOSVD (its own sign gauge); subtracting cores of different windows compares coordinates in unrelated bases. Per-window energies are invariant.",
    "Tucker cores compared across windows")
bug("028_natural_orbital_scan.py", "sign",
    ["\"orbitals\": last[\"C\"],"],
    ["orbitals"],
    "every geometry is aligned to the previous one, but the first geometry's natural orbitals keep the arbitrary signs from scipy eigh, and the alignment propagates them to the returned orbitals. Occupations and the back-transformed density are invariant.",
    "phase-tracking chain anchored to an unfixed start")
bug("029_fiedler_bisection.py", "sign",
    ["membership = (fiedler > 0).astype(np.int64)", "membership, ac = spectral_bisection(W)"],
    ["membership"],
    "the 0/1 side labels come from the sign of the Fiedler vector returned by eigsh; flipping it swaps the labels. The cut weight and algebraic connectivity are invariant.",
    "spectral bisection labels")
bug("030_spectral_graph_cnn.py", "sign",
    ["y_hat = torch.relu(y_hat)", "h = self.conv(x)", "logits = model(x)"],
    ["logits"],
    "the nonlinearity is applied to graph Fourier coefficients U^T x (U from eigh in __init__); ReLU is not odd, so U relu(.) depends on the eigenvector signs.",
    "spectral CNN with a spectral-domain nonlinearity")
bug("031_eog_component_removal.py", "sign",
    ["return int(np.argmax(scores)), scores", "idx, scores = remover.find_bads_eog(data, eog)"],
    ["excluded", "cleaned"],
    "the artefact component is picked by the signed correlation of each PCA source with the EOG channel; a sign flip of a component changes which one wins. Using |corr| (abs_scores) would be invariant.",
    "EOG component selection without abs")
bug("032_modal_shapes.py", "sign",
    ["return self.shapes / np.abs(self.shapes).max(axis=0)", "shapes = modal.normalized_shapes()"],
    ["roof_amplitude"],
    "normalising each mode to unit max |displacement| keeps the sign from scipy.linalg.eigh(K, M); the roof amplitude flips with it (dividing by the signed largest entry would fix it). Effective masses are invariant.",
    "mode shape normalisation by abs-max")
bug("033_essential_decompose.py", "sign",
    ["return R1, t[..., 0]", "R, t = relative_pose_from_essential(E)"],
    ["rotation", "translation"],
    "returning the first of the four (R, t) candidates: the sign of t = U[:, 2] and which of R1 / R2 comes first depend on torch.svd's gauge; only the cheirality test selects a unique pose.",
    "essential matrix first candidate")
clean("034_essential_cheirality.py", "the candidate set {R1, R2} x {t, -t} is gauge invariant and the cheirality test picks the same pose")
clean("035_zca_whitening.py", "complex ZCA matrix U diag(s^-1/2) U^H is phase invariant")
bug("036_torch_dmd_forecast.py", "phase",
    ["self.amplitudes = self.modes.mT @ x0", "return (self.modes @ (self.amplitudes[:, None] * vander)).real", "forecast = dmd.predict(25)"],
    ["forecast"],
    "amplitudes are computed by projecting x0 on the modes with a plain transpose (not lstsq/pinv), so they carry the same phase as the modes; modes @ (b * lambda^t) then carries the phase twice and the forecast depends on torch.linalg.eig's phases.",
    "DMD amplitudes by transpose projection")
bug("037_koopman_eigenfunction_angle.py", "phase",
    ["return np.angle(phi)", "\"phase\": oscillator_phase(model, traj),"],
    ["phase"],
    "the Koopman eigenfunction psi(x) = observables(x) @ W[:, k] carries the arbitrary phase of scipy.linalg.eig's eigenvector; its absolute angle shifts with it. The advance angle(phi[1:]/phi[:-1]) and the frequency are invariant.",
    "absolute oscillator phase from an eigenfunction")
bug("038_leslie_sensitivity.py", "phase",
    ["v = np.real(v) / np.linalg.norm(np.real(v))", "w = np.real(w) / np.linalg.norm(np.real(w))", "return lam, np.outer(v, w) / np.abs(v @ w)", "growth, S = sensitivity_matrix(A)", "return S * A / lam"],
    ["sensitivity", "elasticity"],
    "left and right eigenvectors from scipy.linalg.eig(left=True) have independent phases; taking real parts, normalising each to unit norm and dividing by |v.w| leaves the sign of cos(phi_l)cos(phi_r) in the sensitivity (dividing by the signed v.w would cancel it).",
    "Caswell sensitivity with real parts taken too early")
clean("039_leslie_stable_stage.py", "right vector divided by its sum, left vector by its first entry, and sensitivity outer(v, w)/(v w) formed before .real: all phase invariant")
bug("040_maglap_deepsets_pe.py", "phase",
    ["return self.mlp(torch.stack([v.real, v.imag], dim=-1))", "h = self.phi(v) + self.phi(-v)", "pe = model(evecs)"],
    ["pe"],
    "SignNet's phi(v) + phi(-v) only removes a +-1 ambiguity; eigenvectors of the complex Hermitian magnetic Laplacian have a full U(1) phase per column, and phi on [Re v, Im v] is not phase invariant.",
    "sign-invariant network applied to complex eigenvectors")
clean("041_hermitian_digraph_clusters.py", "row distances of [Re V, Im V] equal |V_i - V_j| per column, so k-means labels/inertia are phase invariant; V V^H is a projector")
bug("042_diffusion_map_coords.py", "phase",
    ["self.evecs = np.real(evecs[:, ix])", "self.dmap = np.dot(self.evecs, np.diag(self.evals))", "dm = DiffusionMap(n_evecs=2, epsilon=0.3).fit(X)"],
    ["dmap"],
    "eigs returns complex eigenvectors with an arbitrary phase per column; np.real of them (pyDiffMap style) scales each column by cos(phi), so the diffusion coordinates depend on it.",
    "pyDiffMap-style real part of eigs output")
bug("043_rice_mele_berry.py", "phase",
    ["prod *= np.vdot(self.states[i][:, band], self.states[i + 1][:, band])", "return -np.angle(prod)", "\"berry_phase\": wf.berry_phase(0)"],
    ["berry_phase"],
    "the k grid includes both 0 and 2pi, each with its own eigh call; the chain of overlaps runs 0 -> 2pi and is not closed on the same state (no periodic gauge imposed), so the product keeps the phases of the first and last states.",
    "open Wilson chain with duplicated endpoint")
clean("044_wilson_loop_batched.py", "overlap product closed with roll / (j + 1) % n on the same states; Wilson loop eigenphases are invariant")
clean("045_ground_state_fidelity.py", "fidelity |<psi(h)|psi(h+dh)>| is phase invariant")
bug("046_adiabatic_tracking.py", "phase",
    ["return overlaps.real", "cont = signed_continuity(ov)"],
    ["continuity", "flagged"],
    "overlaps between ground states of different eigh calls carry the phases of both; their real part (used as a signed continuity test) depends on them, |overlap| does not.",
    "signed overlap continuity test")
clean("047_pagerank_eig.py", "networkx pagerank_numpy: the Perron vector of a real matrix is real up to a complex factor c; .real scales it by Re(c) and dividing by its sum cancels it")
bug("048_eigencentrality_sparse.py", "phase",
    ["largest = eigenvector.flatten().real", "return largest / norm", "c = eigenvector_centrality_numpy(A)"],
    ["centrality", "top"],
    "eigs' eigenvector has an arbitrary complex factor; .real scales it by cos(phi), and dividing by the 2-norm keeps the sign of cos(phi) (networkx multiplies by sign(sum) to fix it). The max - min spread is invariant.",
    "eigenvector centrality without the sign(sum) fix")
bug("049_rotation_axis_angle.py", "phase",
    ["direction = np.real(W[:, i[-1]]).squeeze()", "direction, angle = mat2axangle(expm_so3(rv))"],
    ["axes", "angles"],
    "the axis is the real part of np.linalg.eig's eigenvector for eigenvalue 1, so its sign follows cos(phi); the signed angle follows it too, so the (axis, angle) pair flips together while the rotation vector is invariant.",
    "axis from eig without sign convention")
clean("050_complex_spectral_norm.py", "u and v are initialised from the same SVD pair (same phase); power iteration keeps them covariant and sigma = u^H W v is invariant")
clean("051_mps_canonical.py", "left-canonical MPS from sequential complex SVDs: gauges cancel between neighbouring tensors; entropies, local expectations and the contracted state are invariant")
clean("052_lowdin_kpoint.py", "Loewdin S^-1/2 = V diag(e^-1/2) V^H and S^1/2 populations are phase invariant")
clean("053_music_doa.py", "MUSIC pseudo-spectrum uses ||E_n^H a||^2, a function of the noise-subspace projector")
clean("054_esprit_doa.py", "ESPRIT Phi = pinv(Es1) Es2 changes by a diagonal similarity; its eigenvalues (sorted angles) are invariant")
bug("055_mimo_separate_svd.py", "phase",
    ["return (self.combiner @ y) / self.gains[:, None].to(y.dtype)", "s_hat = rx.detect(H @ tx.send(s) + noise)"],
    ["equalized", "bit_errors"],
    "transmitter and receiver each run their own torch.linalg.svd of H; U^H H V is then diagonal only up to the phases exp(i(phi_rx - phi_tx)), so the equalised symbols are rotated and QPSK decisions change. Capacity (from S) is invariant.",
    "precoder and combiner from two SVD calls")
clean("056_mimo_eigenbeamforming.py", "precoder V and combiner U come from the same torch.svd call; U^H H V = diag(S) is invariant; the equalised noise term U^H n is rotated by the phases, but symbol decisions and per-stream error power are invariant")
bug("057_hilbert_eof.py", "phase",
    ["return torch.angle(self.components_)", "\"spatial_phase\": ceof.components_phase(),"],
    ["spatial_phase"],
    "complex EOFs (rows of Vh from a complex torch SVD) have an arbitrary phase each; their angle is shifted by it. Amplitudes and explained variance are invariant; a phase relative to a reference point would be too.",
    "absolute spatial phase of complex EOFs")
bug("058_wannier_from_bloch.py", "phase",
    ["w[i] = (np.exp(1j * ks * R)[:, None] * states).sum(axis=0) / nk", "w = wannier_function(ks, states, cells)"],
    ["density", "centre", "spread"],
    "Wannier functions are a Fourier sum over k of Bloch eigenvectors that each carry an independent phase (one eigh call per k, no gauge fixing), so their shape, centre and spread depend on the phases.",
    "Wannier function without a smooth gauge")
bug("059_spectral_init_retrieval.py", "phase",
    ["s = torch.sign(torch.vdot(z, x).real)", "z0_aligned = align_global_phase(z0, x)"],
    ["init_error", "init_estimate"],
    "the alignment of the spectral initialiser (top eigenvector of a complex Hermitian matrix) to the truth only fixes a real sign, not the complex global phase; the aligned estimate and its error depend on eigh's phase. The phase-invariant distance does not.",
    "real-sign alignment of a complex eigenvector")
clean("060_wannier_projected.py", "each Bloch state is multiplied by conj(u0)/|u0| of a fixed orbital, removing the phase before the Fourier sum")

CLEAN_KIND = {
    "003": "phase", "008": "phase", "035": "phase", "039": "phase", "041": "phase", "044": "phase",
    "045": "phase", "047": "phase", "050": "phase", "051": "phase", "052": "phase", "053": "phase",
    "054": "phase", "056": "phase", "060": "phase",
    "004": "sign", "006": "sign", "009": "sign", "012": "sign", "014": "sign", "015": "sign",
    "017": "sign", "020": "sign", "021": "sign", "024": "sign", "026": "sign", "034": "sign",
}
for _f, _s in SPEC.items():
    if not _s["bugs"]:
        _s["note"] = f"clean ({CLEAN_KIND[_f[:3]]} gauge): " + _s["note"]
