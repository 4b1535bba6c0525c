"""Probe values as plain records, and the results stream of one run.

A child writes one pickle record per event to its results file, flushing each, so that a run
killed by the timeout still leaves what it recorded. Records (all plain tuples/dicts, numpy
arrays for array data):

``("hit", probe_id, index, value_record)``   the first :data:`MAX_HITS` evaluations of a probe
``("torch_error", info)``                    torch's ill-defined-gradient RuntimeError
``("entry", index, info)``                   how one entry (script/function/command) ended
``("counts", {probe_id: n})``                how often each probe ran (at the end)
``("calls", [call records])``                the decompositions seen (at the end)
``("done", info)``                           the run finished (at the end)
``("obs", key, value_record)``               an observable output (:mod:`.observe`)
``("stdout", entry index or test id, text)``  what an entry (or a pytest test) printed
``("patched", probe_id, index, why)``        hit ``index`` of a patched probe was replaced by
                                             the value given for it (``why`` empty) or not
``("in_entry", probe_id, entry index)``      a probe ran while snippet entry ``index`` ran
                                             (once per pair): whose outputs it can reach

Value records: ``{"k": "array", "dtype", "shape", "data", "truncated"}``, ``{"k": "scalar",
"dtype", "data"}``, ``{"k": "seq", "type", "items"}``, ``{"k": "none"}``, ``{"k": "other",
"type", "text"}``. Arrays are copied (``detach().cpu()``, conjugate/negative views resolved) so
in-place updates after the probe cannot change what was recorded.
"""
from __future__ import annotations

import os
import pickle
import re
import threading
from collections.abc import Iterable, Iterator
from typing import IO, Any

#: the name of the probe function in the instrumented modules (installed in builtins)
PROBE_NAME = "__eiglint_probe__"

MAX_HITS = 16
MAX_ELEMENTS = 1_000_000
MAX_ITEMS = 64
MAX_DEPTH = 4

#: torch's own "the loss depends on the gauge" error (linalg_eig_backward, svd_backward, ...)
ILL_DEFINED = re.compile(r"(\w+_backward)\s*:[^\n]*?specified up to multiplication by", re.DOTALL)


def _torch_record(value: Any) -> dict[str, Any]:
    import torch

    t = value.detach()
    dtype = str(t.dtype)[6:]
    if t.layout != torch.strided:
        t = t.to_dense()
    t = t.resolve_conj().resolve_neg()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.to(torch.float32)
    elif t.dtype == torch.complex32:
        t = t.to(torch.complex64)
    shape = tuple(int(n) for n in t.shape)
    truncated = t.numel() > MAX_ELEMENTS
    if truncated:
        t = t.reshape(-1)[:MAX_ELEMENTS]
    t = t.cpu()
    try:
        data: Any = t.numpy().copy()
    except (RuntimeError, TypeError):  # numpy missing, or a tensor type numpy cannot hold
        data = t.tolist()
    return {"k": "array", "dtype": dtype, "shape": shape, "data": data, "truncated": truncated}


def _numpy_record(value: Any) -> dict[str, Any]:
    import numpy as np

    arr = np.asarray(value)
    dtype = str(arr.dtype)
    if arr.dtype.kind not in "biufc":
        return {"k": "other", "type": type(value).__name__, "text": None}
    shape = tuple(int(n) for n in arr.shape)
    truncated = arr.size > MAX_ELEMENTS
    data = arr.reshape(-1)[:MAX_ELEMENTS].copy() if truncated else arr.copy()
    return {"k": "array", "dtype": dtype, "shape": shape, "data": data, "truncated": truncated}


def to_record(value: Any, depth: int = 0, deep: bool = False) -> dict[str, Any]:
    """A comparable, picklable copy of ``value`` (never raises). ``deep``: also look into
    dataclasses, named tuples, ``torch.nn.Module`` state and plain objects' attributes (for
    the observable outputs of a run)."""
    try:
        return _to_record(value, depth, deep)
    except Exception as exc:  # noqa: BLE001 - a probe must never break the user's code
        return {"k": "other", "type": type(value).__name__, "text": None,
                "error": f"{type(exc).__name__}: {exc}"}


def _to_record(value: Any, depth: int, deep: bool = False) -> dict[str, Any]:
    if value is None:
        return {"k": "none"}
    if isinstance(value, bool):
        return {"k": "scalar", "dtype": "bool", "data": value}
    if isinstance(value, int):
        return {"k": "scalar", "dtype": "int", "data": value}
    if isinstance(value, float):
        return {"k": "scalar", "dtype": "float64", "data": value}
    if isinstance(value, complex):
        return {"k": "scalar", "dtype": "complex128", "data": value}
    if isinstance(value, (str, bytes)):
        return {"k": "other", "type": type(value).__name__, "text": value[:10000]}
    mod = type(value).__module__ or ""
    if mod.startswith("torch"):
        import torch

        if isinstance(value, torch.Tensor):
            return _torch_record(value)
    if mod.startswith("numpy"):
        import numpy as np

        if isinstance(value, (np.ndarray, np.generic)):
            rec = _numpy_record(value)
            if isinstance(value, np.generic) and rec["k"] == "array":
                return {"k": "scalar", "dtype": rec["dtype"], "data": value.item()}
            return rec
    if hasattr(value, "__array__") and hasattr(value, "shape") and hasattr(value, "dtype"):
        try:  # JAX (concrete) arrays, array-likes of other libraries
            return _numpy_record(value)
        except Exception:  # noqa: BLE001, S110 - a tracer, or an array without host data
            pass
    if depth < (MAX_DEPTH + 2 if deep else MAX_DEPTH):
        if deep:
            fields = _named_fields(value)
            if fields is not None:
                names = list(fields)[:MAX_ITEMS]
                return {"k": "seq", "type": "object", "keys": names, "len": len(fields),
                        "items": [to_record(fields[n], depth + 1, deep) for n in names]}
        if isinstance(value, (tuple, list)):
            items = [to_record(v, depth + 1, deep) for v in list(value)[:MAX_ITEMS]]
            return {"k": "seq", "type": type(value).__name__, "items": items,
                    "len": len(value)}
        if isinstance(value, dict):
            keys = sorted(value, key=repr)[:MAX_ITEMS]
            return {"k": "seq", "type": "dict", "items": [to_record(value[k], depth + 1, deep)
                                                          for k in keys],
                    "keys": [repr(k) for k in keys], "len": len(value)}
    return {"k": "other", "type": type(value).__name__, "text": None}


def _named_fields(value: Any) -> dict[str, Any] | None:
    """The named parts of a dataclass, named tuple, ``nn.Module`` (its state) or plain
    object (its public attributes); None for anything else."""
    import dataclasses

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name, None) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(type(value), "_fields"):
        return dict(zip(getattr(type(value), "_fields"), value))  # noqa: B009
    if isinstance(value, (tuple, list, dict, type)) or callable(value) and not hasattr(
            value, "state_dict"):
        return None
    state = getattr(value, "state_dict", None)
    if (type(value).__module__ or "").startswith("torch") or state is not None:
        if callable(state):
            return dict(state())
        return None
    attrs = getattr(value, "__dict__", None)
    if isinstance(attrs, dict):
        return {k: v for k, v in attrs.items() if not k.startswith("_")}
    return None


class NoPatch(Exception):
    """A recorded value cannot stand in for the live one (another type or shape)."""


def from_record(rec: dict[str, Any], like: Any) -> Any:
    """A value of the type, dtype, shape and device of ``like`` holding the recorded one
    (the baseline's value of a probe, replayed in a gauged run). A tensor that requires
    grad stays in the graph: ``like + (base - like).detach()`` has the baseline's value and
    ``like``'s gradient path. Raises :class:`NoPatch` when that is not possible."""
    k = rec.get("k")
    if k == "none":
        if like is None:
            return None
        raise NoPatch(f"the baseline value was None, here {type(like).__name__}")
    if k == "array":
        if rec.get("truncated"):
            raise NoPatch("the recorded value was truncated (too large)")
        mod = type(like).__module__ or ""
        if mod.startswith("torch"):
            import torch

            if not isinstance(like, torch.Tensor) or like.layout != torch.strided:
                raise NoPatch(f"cannot replace a {type(like).__name__}")
            base = torch.as_tensor(rec["data"]).reshape(tuple(rec["shape"]))
            if tuple(base.shape) != tuple(like.shape):
                raise NoPatch(f"shape {tuple(like.shape)} instead of {tuple(base.shape)}")
            base = base.to(dtype=like.dtype, device=like.device)
            if like.requires_grad:
                return like + (base - like.detach())
            return base
        if mod.startswith("numpy"):
            import numpy as np

            base_a = np.asarray(rec["data"]).reshape(tuple(rec["shape"]))
            if isinstance(like, np.generic):
                return like.dtype.type(base_a.reshape(()).item())
            if not isinstance(like, np.ndarray) or like.shape != base_a.shape:
                raise NoPatch(f"cannot replace a {type(like).__name__} of another shape")
            return base_a.astype(like.dtype)
        raise NoPatch(f"cannot rebuild a {type(like).__name__}")
    if k == "scalar":
        data: Any = rec.get("data")
        if isinstance(like, (bool, int, float, complex)):
            return type(like)(data)
        if (type(like).__module__ or "").startswith("numpy"):
            return type(like)(data)
        if (type(like).__module__ or "").startswith("torch"):
            import torch

            if isinstance(like, torch.Tensor) and like.dim() == 0:
                base = torch.as_tensor(data, dtype=like.dtype, device=like.device)
                return like + (base - like.detach()) if like.requires_grad else base
        raise NoPatch(f"cannot rebuild a {type(like).__name__} from a scalar")
    if k == "seq" and isinstance(like, (tuple, list)):
        items = rec.get("items", [])
        if rec.get("len") != len(like) or len(items) != len(like):
            raise NoPatch("a sequence of another length")
        new = [from_record(r, v) for r, v in zip(items, like)]
        tp = type(like)
        if tp is tuple or tp is list:
            return tp(new)
        if hasattr(tp, "_fields"):
            return tp(*new)
        return tp(tuple(new))  # torch.return_types structseq
    if k == "other" and isinstance(like, str) and rec.get("text") is not None:
        return str(rec["text"])
    raise NoPatch(f"cannot rebuild a {type(like).__name__} from its record")


class Recorder:
    """The child's side of the results stream (thread-safe; ignores forked children)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pid = os.getpid()
        self._fh: IO[bytes] | None = open(path, "ab")  # noqa: SIM115 - closed in close()
        self._lock = threading.Lock()
        self.counts: dict[int, int] = {}
        self.busy = threading.local()
        #: a patch run: probe -> the values (records, by hit order) that replace the live
        #: ones: the baseline's under a gauge (replay), a gauged run's under none (injection)
        self.patches: dict[int, list[dict[str, Any]]] = {}
        #: the snippet entry running now (None: a command, or between entries)
        self.entry: int | None = None
        self._in_entry: set[tuple[int, int]] = set()

    def write(self, obj: tuple[Any, ...]) -> None:
        if os.getpid() != self.pid or self._fh is None:
            return
        with self._lock:
            try:
                pickle.dump(obj, self._fh, protocol=4)
                self._fh.flush()
            except Exception:  # noqa: BLE001, S110 - e.g. an unpicklable record; skip it
                pass

    def probe(self, pid: int, value: Any) -> Any:
        """``__eiglint_probe__``: record ``value`` and return it unchanged."""
        if os.getpid() != self.pid or getattr(self.busy, "on", False):
            return value
        self.busy.on = True
        try:
            n = self.counts.get(pid, 0)
            self.counts[pid] = n + 1
            if self.entry is not None and (pid, self.entry) not in self._in_entry:
                self._in_entry.add((pid, self.entry))
                self.write(("in_entry", pid, self.entry))
            if n < MAX_HITS:
                self.write(("hit", pid, n, to_record(value, deep=True)))
            if pid in self.patches:
                value = self._patched(pid, n, value)
            tag_graph(value, pid)
        finally:
            self.busy.on = False
        return value

    def busy_now(self) -> bool:
        """Inside a probe (its own tensor operations must not count as the user's)."""
        return bool(getattr(self.busy, "on", False))

    def _patched(self, pid: int, n: int, value: Any) -> Any:
        """Hit ``n`` of a patched probe: the value given for that hit."""
        hits = self.patches[pid]
        if n >= len(hits):
            self.write(("patched", pid, n, f"hit {n + 1} of the probe was not recorded in the "
                                           "run it is replayed from"))
            return value
        try:
            new = from_record(hits[n], value)
        except NoPatch as exc:
            self.write(("patched", pid, n, str(exc)))
            return value
        except Exception as exc:  # noqa: BLE001 - never break the user's code
            self.write(("patched", pid, n, f"{type(exc).__name__}: {exc}"))
            return value
        self.write(("patched", pid, n, ""))
        return new

    def close(self) -> None:
        if self._fh is not None and os.getpid() == self.pid:
            self._fh.close()
        self._fh = None


#: key in ``grad_fn.metadata`` naming the probes whose value this autograd node produced
GRAPH_TAG = "eiglint_probes"


def tag_graph(value: Any, pid: int) -> None:
    """Mark the autograd node of a probed tensor, so that a failing backward can be traced
    back to the probes upstream of its loss (:func:`probes_upstream`)."""
    if not (type(value).__module__ or "").startswith("torch"):
        return
    try:
        node = getattr(value, "grad_fn", None)
        if node is not None:
            node.metadata.setdefault(GRAPH_TAG, set()).add(pid)
    except Exception:  # noqa: BLE001, S110 - an old torch without Node.metadata
        pass


def probes_upstream(roots: Any, limit: int = 200_000) -> set[int]:
    """Probe ids tagged on the autograd graph above ``roots`` (tensors or a sequence)."""
    found: set[int] = set()
    items = roots if isinstance(roots, (tuple, list)) else [roots]
    stack = [getattr(t, "grad_fn", None) for t in items]
    seen: dict[int, Any] = {}  # id -> node (kept alive so ids stay unique during the walk)
    while stack and len(seen) < limit:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        try:
            tags = node.metadata.get(GRAPH_TAG)
            if tags:
                found.update(tags)
            stack.extend(n for n, _ in node.next_functions)
        except Exception:  # noqa: BLE001, S112 - a node type without metadata/next_functions
            continue
    return found


def read_stream(path: str) -> Iterator[tuple[Any, ...]]:
    """The records of a results file; stops quietly at a truncated last record."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError:
        return
    with fh:
        while True:
            try:
                obj = pickle.load(fh)
            except EOFError:
                return
            except Exception:  # noqa: BLE001 - a record cut short by a kill
                return
            if isinstance(obj, tuple) and obj:
                yield obj


def torch_error_info(message: str, where: tuple[str, int] | None,
                     probes: Iterable[int] = ()) -> dict[str, Any]:
    m = ILL_DEFINED.search(message)
    head = message.strip().splitlines()[0] if message.strip() else message
    return {"op": m.group(1) if m else "", "message": head[:500],
            "path": where[0] if where else "", "line": where[1] if where else 0,
            "probes": sorted(set(probes))}


__all__ = ["GRAPH_TAG", "ILL_DEFINED", "MAX_HITS", "PROBE_NAME", "NoPatch", "Recorder",
           "from_record", "probes_upstream",
           "read_stream", "tag_graph", "to_record", "torch_error_info"]
