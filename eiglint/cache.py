"""The result cache: ``.eiglint_cache/`` keeps each file's findings between runs.

An entry is keyed on the eiglint version, the settings that change findings, the layout of the
:class:`~eiglint.types.Finding` record, the file's path and content hash, and the content hashes
of every project module it imports, transitively (one Merkle digest per strongly connected
component of the import graph, so import cycles are fine). Changing a helper therefore
re-analyses the modules that import it, directly or not, and nothing else.

Integrity: each entry is one file written to a temporary name in the same folder and renamed
into place (atomic on POSIX and Windows). An entry that cannot be read, is truncated, fails its
authentication or does not fit the current record layout is ignored and rewritten, so two runs
sharing one cache folder both finish with correct output. The folder carries ``CACHEDIR.TAG``
(backup tools skip it) and a ``.gitignore`` of ``*``.

Trust: the cache folder sits in the project, so the code under review can supply it (``git add
-f .eiglint_cache``). Each entry therefore ends with a keyed MAC of its payload (blake2b in
keyed mode) under a secret that lives outside every repository: the file ``cache-key`` in the
user's cache directory (``$XDG_CACHE_HOME/eiglint``, else ``~/.cache/eiglint``), created on
first use with mode ``0600``, or ``$EIGLINT_CACHE_KEY`` (for CI runners that keep a cache
between jobs). An entry forged without the key, or written under another key, is treated like
a corrupt one: ignored, the file is linted again and the entry rewritten (``--debug`` says so).
When no key can be had (no writable home and no ``$EIGLINT_CACHE_KEY``), the cache is off.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
import os
import sys
import tempfile
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from . import __version__
from .settings import Settings
from .types import Finding, TraceStep

DEFAULT_DIR = ".eiglint_cache"
FORMAT = 1
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by eiglint.\n"
        "# For information about cache directory tags see https://bford.info/cachedir/\n")


#: environment variable that supplies the MAC key (any non-empty string)
KEY_ENV = "EIGLINT_CACHE_KEY"
KEY_FILE = "cache-key"


def user_cache_dir() -> str:
    """Where eiglint keeps per-user state (the MAC key): outside every repository."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        base = os.environ.get("LOCALAPPDATA", "") if sys.platform == "win32" else ""
        base = base or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "eiglint")


@dataclasses.dataclass(frozen=True)
class MacKey:
    secret: bytes
    #: where it came from, for ``--show-settings`` and ``--debug``
    origin: str


def mac_key() -> Optional[MacKey]:
    """The key of this user (or of ``$EIGLINT_CACHE_KEY``); ``None`` when none can be had.
    Read once per process and environment: a warm run pays for it once."""
    return _mac_key(os.environ.get(KEY_ENV, ""), user_cache_dir())


def key_origin() -> str:
    """Where the key comes from, in words (for ``--show-settings``)."""
    env = os.environ.get(KEY_ENV, "")
    if env:
        return f"${KEY_ENV}"
    return os.path.join(user_cache_dir(), KEY_FILE)


@functools.lru_cache(maxsize=8)
def _mac_key(env: str, directory: str) -> Optional[MacKey]:
    if env:
        return MacKey(hashlib.blake2b(env.encode("utf-8", "surrogateescape"), digest_size=32,
                                      person=b"eiglint-key").digest(), f"${KEY_ENV}")
    path = os.path.join(directory, KEY_FILE)
    for _ in range(2):
        secret = _read_key(path)
        if secret is not None:
            return MacKey(secret, path)
        try:
            _create_key(path)
        except OSError:
            return None
    return None


def _read_key(path: str) -> Optional[bytes]:
    try:
        with open(path, "rb") as fh:
            secret = bytes.fromhex(fh.read(200).decode("ascii").strip())
    except (OSError, ValueError):
        return None
    return secret if len(secret) >= 16 else None


def _create_key(path: str) -> None:
    """A new random key, written whole under a temporary name (``mkstemp``: mode 0600) and
    linked into place, so that a concurrent run either sees no key or a complete one, and two
    runs creating it at once agree on the first one linked."""
    directory = os.path.dirname(path)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".key-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32).hex().encode() + b"\n")
        os.chmod(tmp, 0o600)
        if os.path.exists(path):  # unreadable or malformed: replace it
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another run was first: use its key
        except OSError:  # no hard links on this file system
            os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def mac(payload: bytes, key: MacKey) -> str:
    return hashlib.blake2b(payload, key=key.secret, digest_size=32).hexdigest()


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _layout() -> str:
    """Fields of the records stored: an entry written by another layout is not reused."""
    return ",".join(f.name for f in dataclasses.fields(Finding)) + ";" + ",".join(
        f.name for f in dataclasses.fields(TraceStep))


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of eiglint's own sources: an edited checkout (or a patched install) never reuses
    entries written by other code under the same version number."""
    h = hashlib.blake2b(digest_size=16)
    root = os.path.dirname(os.path.abspath(__file__))
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", "runtime"))
        for name in sorted(filenames):
            if name.endswith(".py"):
                path = os.path.join(dirpath, name)
                h.update(os.path.relpath(path, root).encode())
                with open(path, "rb") as fh:
                    h.update(fh.read())
    return h.hexdigest()


def settings_digest(settings: Settings) -> str:
    """Digest of everything that can change a file's findings (not the output format)."""
    fields = {k: v for k, v in dataclasses.asdict(settings).items() if k != "output_format"}
    blob = json.dumps([__version__, code_digest(), FORMAT, _layout(), fields],
                      sort_keys=True, default=repr)
    return hashlib.blake2b(blob.encode(), digest_size=16).hexdigest()


@dataclasses.dataclass
class Entry:
    findings: List[Finding]
    suppressed: List[Finding]
    reason: str


def _finding_to_json(f: Finding) -> Dict[str, Any]:
    d = dataclasses.asdict(f)
    d["verdict"] = None
    return d


def _finding_from_json(d: Dict[str, Any]) -> Finding:
    d = dict(d)
    d["trace"] = tuple(TraceStep(**t) for t in d.get("trace", ()))
    d["verdict"] = None
    return Finding(**d)


class Cache:
    """One cache folder; entries are independent files (safe to share between runs)."""

    def __init__(self, directory: str, debug: bool = False) -> None:
        self.directory = directory
        self.debug = debug
        self.hits = 0
        self.misses = 0
        self._ready = False
        self.key = mac_key()
        if self.key is None:
            self._say(f"no cache key (cannot create {key_origin()} and ${KEY_ENV} is not "
                      "set): the cache is off")

    def _say(self, message: str) -> None:
        if self.debug:
            sys.stderr.write(f"eiglint: cache: {message}\n")

    def _ensure(self) -> None:
        if self._ready:
            return
        os.makedirs(os.path.join(self.directory, "v%d" % FORMAT), exist_ok=True)
        for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", "*\n")):
            target = os.path.join(self.directory, name)
            if not os.path.exists(target):
                _atomic_write(target, text.encode())
        self._ready = True

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, "v%d" % FORMAT, key[:2], key + ".json")

    def get(self, key: str) -> Optional[Entry]:
        if self.key is None:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError:
            self.misses += 1
            return None
        entry, problem = _decode(raw, key, self.key)
        if entry is None:
            self.misses += 1
            self._say(f"{path}: {problem}; ignored, the file is linted again")
        else:
            self.hits += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        payload = json.dumps({
            "key": key,
            "findings": [_finding_to_json(f) for f in entry.findings],
            "suppressed": [_finding_to_json(f) for f in entry.suppressed],
            "reason": entry.reason,
        }, sort_keys=True, separators=(",", ":")).encode()
        if self.key is None:
            return
        blob = payload + b"\n" + mac(payload, self.key).encode()
        try:
            self._ensure()
            target = self._path(key)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _atomic_write(target, blob)
        except OSError:
            pass  # a read-only or full disk only costs speed


def _decode(raw: bytes, key: str, secret: MacKey) -> Tuple[Optional[Entry], str]:
    """The entry, or ``None`` and why not."""
    payload, sep, tag = raw.rpartition(b"\n")
    if not sep:
        return None, "truncated entry"
    if not hmac.compare_digest(mac(payload, secret).encode(), tag):
        return None, ("fails authentication (changed after it was written, or written "
                      "with another cache key)")
    try:
        data = json.loads(payload)
        if data.get("key") != key:
            return None, "entry of another key"
        return Entry([_finding_from_json(d) for d in data["findings"]],
                     [_finding_from_json(d) for d in data["suppressed"]],
                     str(data["reason"])), ""
    except (ValueError, TypeError, KeyError, AttributeError):
        return None, "does not fit the current record layout"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def _atomic_write(target: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, _MODE)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# ----------------------------------------------------------------------------- keys


def dependency_digests(nodes: Dict[str, Tuple[str, Sequence[str]]]) -> Dict[str, str]:
    """Merkle digests of an import graph: ``nodes[path] = (content hash, imported paths)``.

    Each strongly connected component gets one digest over its members' paths and hashes and
    the digests of the components it imports, so a file's digest changes exactly when it or a
    module it reaches changes. Iterative Tarjan: deep import chains cannot overflow the stack.
    """
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    on_stack: Set[str] = set()
    stack: List[str] = []
    comp_of: Dict[str, int] = {}
    comps: List[List[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work: List[Tuple[str, int]] = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            deps = [d for d in nodes[v][1] if d in nodes]
            recurse = False
            while i < len(deps):
                w = deps[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp: List[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp_of[w] = len(comps)
                    comp.append(w)
                    if w == v:
                        break
                comps.append(sorted(comp))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    # components come out in reverse topological order: dependencies first
    digest: List[str] = []
    for ci, comp in enumerate(comps):
        h = hashlib.blake2b(digest_size=16)
        for m in comp:
            h.update(f"{m}\0{nodes[m][0]}\0".encode())
        deps_c = sorted({comp_of[d] for m in comp for d in nodes[m][1]
                         if d in nodes and comp_of[d] != ci})
        for dc in deps_c:
            h.update(digest[dc].encode())
        digest.append(h.hexdigest())
    return {p: digest[comp_of[p]] for p in nodes}


def entry_key(settings_key: str, path: str, deps_digest: str) -> str:
    return hashlib.blake2b(f"{settings_key}\0{path}\0{deps_digest}".encode(),
                           digest_size=20).hexdigest()


def default_directory(settings: Settings) -> str:
    return os.path.join(settings.project_root or os.getcwd(), DEFAULT_DIR)

