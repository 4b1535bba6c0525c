"""What eiglint knows about the libraries it reads, in one place.

Which top-level packages are libraries (their calls are described by the catalogue and the
operation tables, never analysed as project code), which of their functions and methods are
harmless, random, constructors or clusterings, and the Python builtins the tracker names.
Plain data, a leaf of the package. The tracker and the project map import these tables from
here and keep no copies of their own (``tests/reliability/test_walls.py`` checks the tracker).
"""
from __future__ import annotations

from typing import Dict, Tuple

#: top-level packages whose calls the catalogue and the operation tables describe: a name
#: imported from them is a library value, never followed into project code
LIBRARY_TOP_LEVELS = frozenset({"torch", "numpy", "scipy", "jax", "sklearn", "math", "cmath",
                                "builtins"})

#: top-level packages the project map never looks up as project modules: the libraries, and
#: jaxlib and standard-library packages that carry no gauge. Kept wider than
#: LIBRARY_TOP_LEVELS on purpose: without them, a project's own ``logging.py`` or ``typing.py``
#: next to an importer would be followed as a project module, which changes findings.
NEVER_PROJECT_TOP_LEVELS = LIBRARY_TOP_LEVELS | frozenset({
    "jaxlib", "os", "sys", "typing", "functools", "itertools", "collections", "logging",
    "warnings", "dataclasses"})

#: namespaces whose functions are looked up (by their last name) in the operation tables of
#: :mod:`eiglint.semantics`
TABLE_NAMESPACES = frozenset({
    "torch", "torch.linalg", "torch.special", "torch.fft", "torch.nn.functional", "torch.Tensor",
    "numpy", "numpy.linalg", "numpy.fft", "numpy.lib.scimath", "numpy.testing", "torch.testing",
    "jax.numpy", "jax.numpy.linalg",
    "jax.numpy.fft", "jax.nn", "jax.lax", "scipy.linalg", "scipy.special", "scipy.fft",
    "math", "cmath", "builtins", "operator",
    "scipy.spatial.distance", "sklearn.metrics", "sklearn.metrics.pairwise",
    "scipy.linalg.blas",
})

#: calls that draw random numbers (a random start vector is no gauge)
RANDOM_FUNCTIONS = frozenset({
    "torch.randn", "torch.rand", "torch.randint", "torch.normal", "torch.randn_like",
    "torch.rand_like", "torch.randint_like", "torch.randperm", "torch.empty",
    "jax.random.normal", "jax.random.uniform",
})
#: methods of NumPy's random generators (``Generator``, ``RandomState``) -> the position of
#: their ``size`` argument (``rng.normal(0, 1, (3, 4))``); -1: the dimensions one by one
#: (``RandomState.randn(3, 4)``). The draw's rank is that of its literal size
DRAW_SIZE_AT: Dict[str, int] = {
    "random": 0, "random_sample": 0, "standard_normal": 0, "standard_exponential": 0,
    "standard_cauchy": 0, "normal": 2, "uniform": 2, "laplace": 2, "logistic": 2,
    "gumbel": 2, "lognormal": 2, "integers": 2, "randint": 2, "beta": 2, "gamma": 2,
    "binomial": 2, "exponential": 1, "poisson": 1, "rayleigh": 1, "standard_t": 1,
    "chisquare": 1, "rand": -1, "randn": -1,
}
#: correlation tests of two samples -> the names of their result's fields: the statistic is
#: odd in each sample (its sign flips with the sample's), the two-sided p-value even
CORRELATION_TESTS: Dict[str, Tuple[str, ...]] = {
    "scipy.stats.pearsonr": ("statistic", "pvalue"),
    "scipy.stats.spearmanr": ("statistic", "pvalue"),
    "scipy.stats.kendalltau": ("statistic", "pvalue"),
    "scipy.stats.pointbiserialr": ("statistic", "pvalue"),
}
#: calls that only print, inspect, save or warn: a gauge passed to them goes nowhere
HARMLESS_FUNCTIONS = frozenset({
    "builtins.print", "builtins.len", "builtins.isinstance", "builtins.type", "builtins.id",
    "builtins.repr", "builtins.str", "builtins.format", "builtins.hasattr", "builtins.getattr",
    "builtins.setattr", "builtins.callable", "builtins.issubclass", "builtins.vars", "builtins.dir",
    "torch.save", "torch.is_tensor", "torch.is_complex", "torch.numel", "warnings.warn",
    "builtins.iter", "builtins.next", "builtins.hash", "builtins.super", "builtins.open",
    "builtins.input", "builtins.exit", "sys.exit", "builtins.locals", "builtins.globals",
    "builtins.delattr", "builtins.memoryview", "builtins.bool_shape",
})
#: functions (by last name) that only look at an array's namespace, device or shape
HARMLESS_NAMES = frozenset({"get_namespace", "array_namespace", "get_namespace_and_device",
                            "device", "_is_numpy_namespace", "is_array_api_obj", "shape", "size",
                            "ndim", "isscalar", "iscomplexobj", "isrealobj"})
#: namespaces whose every function is harmless in that sense
HARMLESS_PREFIXES = ("logging.", "builtins.print", "tqdm.", "pprint.", "warnings.", "pytest.")
#: methods (by name) that log, report or collect without computing with the value
HARMLESS_METHODS = frozenset({
    "info", "debug", "warning", "warn", "error", "exception", "critical", "log", "write",
    "set_description", "set_postfix", "set_postfix_str", "register_buffer", "append", "extend",
    "insert", "add", "update", "put", "setdefault", "save_for_backward", "assertEqual",
    "assertTrue", "assertFalse", "assertIsInstance", "register_parameter", "__setitem__",
})
#: methods ``nn.Module`` defines that return the module itself (``Net(...).double()``)
MODULE_SELF_METHODS = frozenset({"double", "float", "half", "bfloat16", "to", "cpu", "cuda",
                                 "eval", "train", "requires_grad_", "type", "to_empty"})
#: functions (by last name) that build a new array or tensor from shapes or data
TENSOR_CONSTRUCTORS = frozenset({
    "tensor", "as_tensor", "asarray", "array", "zeros", "ones", "empty", "full", "arange",
    "linspace", "logspace", "from_numpy", "zeros_like", "ones_like", "empty_like", "full_like",
    "eye", "identity", "Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "complex_zeros",
})

#: sklearn estimators whose labels depend on the points through Euclidean-like distances only
CLUSTERING = frozenset("sklearn.cluster." + n for n in (
    "KMeans", "MiniBatchKMeans", "AgglomerativeClustering", "DBSCAN", "HDBSCAN", "OPTICS",
    "SpectralClustering", "MeanShift", "BisectingKMeans"))
#: metric and linkage arguments of those estimators that keep them Euclidean-like
CLUSTERING_METRICS = frozenset({"euclidean", "l2", "minkowski", "manhattan", "l1",
                                "cityblock", "rbf", "nearest_neighbors", "ward", "complete",
                                "average", "single"})

#: builtins the tracker knows by name (``len`` is ``builtins.len``)
BUILTINS = frozenset({
    "print", "len", "abs", "sum", "max", "min", "list", "tuple", "dict", "set", "frozenset",
    "sorted", "reversed", "zip", "enumerate", "range", "map", "filter", "float", "int",
    "complex", "bool", "round", "isinstance", "type", "repr", "str", "id", "any", "all",
    "hasattr", "getattr", "setattr", "callable", "format", "iter", "next", "super", "vars", "dir",
    "issubclass", "open", "hash", "input", "exit", "locals", "globals", "divmod", "pow",
})
