"""Entry point of one confirmation run (a fresh child process).

Started by :mod:`eiglint.runtime.execute` as ``python -c "<import this>; main(CONFIG)"``. The
config (JSON, in a private temp directory) names the results file, the seed of the user's RNGs,
the gauge of this run, the probed sources of the flagged files, and what to run: a command
(script / ``-m module`` / ``-c code``) or snippet entries (a flagged file run as ``__main__``,
or a zero-argument function called).

Order matters: the probe builtin, the import hook and the library callbacks are in place
before any user code runs; ``random`` is seeded now, numpy and torch as soon as they are
imported (and again before every entry), so every run sees the same user randomness. The
gauge draws from its own private generators.
"""
from __future__ import annotations

import asyncio
import builtins
import functools
import importlib
import importlib.util
import inspect
import json
import os
import random
import runpy
import sys
import traceback
from collections.abc import Iterable
from types import FrameType, ModuleType, TracebackType
from typing import Any, Callable

from .gauge import Gauge, GaugeSpec
from .hook import ConfirmFinder, RewrittenLoader, norm_path, run_after_import
from .record import (
    ILL_DEFINED,
    PROBE_NAME,
    Recorder,
    probes_upstream,
    to_record,
    torch_error_info,
)

#: backward passes / autograd.grad calls whose gradients are recorded, and leaves per pass
MAX_BACKWARDS = 16
MAX_LEAVES = 64
#: characters of standard output kept per entry as an observable
STDOUT_LIMIT = 200_000

_HERE = os.path.dirname(os.path.abspath(__file__))


class Child:
    def __init__(self, cfg: dict[str, Any]) -> None:
        self.cfg = cfg
        self.seed = int(cfg.get("seed", 0))
        self.rec = Recorder(cfg["results"])
        self.gauge = Gauge(GaugeSpec.from_json(cfg.get("gauge", {})))
        self.finder = ConfirmFinder(cfg.get("sources", {}), {})
        self.flagged: set[str] = {norm_path(p) for p in cfg.get("sources", {})}
        self.namespaces: dict[str, ModuleType] = {}
        self.skip_dirs: tuple[str, ...] = (_HERE,)
        self.torch_errors: list[tuple[str, str, int]] = []
        self.backwards = 0
        self.grads = 0
        patch = cfg.get("patch")
        if patch:
            import pickle

            with open(patch["hits"], "rb") as fh:
                hits = pickle.load(fh)
            self.rec.patches = {int(pid): list(h) for pid, h in hits.items()}

    # ------------------------------------------------------------------ setup
    def install(self) -> None:
        sys.dont_write_bytecode = True
        setattr(builtins, PROBE_NAME, self.rec.probe)
        sys.meta_path.insert(0, self.finder)
        run_after_import("numpy", self.finder, self._on_numpy)
        run_after_import("torch", self.finder, self._on_torch)
        run_after_import("scipy.linalg", self.finder,
                         lambda m: self._install("scipy.linalg"))
        run_after_import("scipy.sparse.linalg", self.finder,
                         lambda m: self._install("scipy.sparse.linalg"))
        for name in ("jax.numpy", "jax.scipy.linalg", "jax.lax.linalg"):
            run_after_import(name, self.finder, functools.partial(self._after, name))
        # test runners catch the exceptions of failing tests: record them all the same
        run_after_import("_pytest.config", self.finder, self._on_pytest)
        run_after_import("_pytest.assertion.rewrite", self.finder, self._on_rewrite)
        run_after_import("unittest.result", self.finder, self._on_unittest)
        random.seed(self.seed)

    def _after(self, name: str, module: ModuleType) -> None:
        self._install(name)

    def _install(self, name: str) -> None:
        try:
            self.gauge.install_module(name)
        except Exception as exc:  # noqa: BLE001 - report, keep the user's run going
            self.rec.write(("warning", f"could not patch {name}: {type(exc).__name__}: {exc}"))

    def _on_numpy(self, mod: ModuleType) -> None:
        self._install("numpy")
        try:
            mod.random.seed(self.seed % 2 ** 32)
        except Exception:  # noqa: BLE001, S110 - numpy without a legacy RNG: nothing to seed
            pass

    def _on_torch(self, mod: ModuleType) -> None:
        self._install("torch")
        mod.manual_seed(self.seed)
        self.skip_dirs = (_HERE, os.path.dirname(os.path.abspath(mod.__file__ or "")))
        autograd = getattr(mod, "autograd", None)
        if autograd is None:
            return
        for name in ("backward", "grad"):
            fn = getattr(autograd, name, None)
            if fn is not None and not hasattr(fn, "__eiglint_original__"):
                setattr(autograd, name, self._watch_autograd(fn))

    def _watch_autograd(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        child = self

        def watched(*args: Any, **kwargs: Any) -> Any:
            roots = args[0] if args else kwargs.get("tensors", kwargs.get("outputs"))
            leaves = _leaves(roots) if fn.__name__ == "backward" and \
                child.backwards < MAX_BACKWARDS else None
            try:
                result = fn(*args, **kwargs)
            except RuntimeError as exc:
                if ILL_DEFINED.search(str(exc)):
                    roots = args[0] if args else kwargs.get("tensors", kwargs.get("outputs"))
                    child.torch_error(str(exc), child.user_frame(sys._getframe(1)),
                                      probes_upstream(roots))
                raise
            child.observe_gradients(fn.__name__, leaves, result)
            return result

        watched.__name__ = getattr(fn, "__name__", "backward")
        watched.__doc__ = fn.__doc__
        watched.__wrapped__ = fn  # type: ignore[attr-defined]
        watched.__eiglint_original__ = fn  # type: ignore[attr-defined]
        return watched

    def observe_gradients(self, name: str, leaves: list[Any] | None, result: Any) -> None:
        """Observables of one backward pass (``.grad`` of the leaves it reached) or one
        ``autograd.grad`` call (its result)."""
        if self.rec.busy_now():
            return
        try:
            if name == "backward" and leaves is not None:
                n = self.backwards
                self.backwards += 1
                for j, leaf in enumerate(leaves):
                    self.rec.write(("obs", f"grad[{n}][{j}]", to_record(leaf.grad)))
            elif name == "grad" and self.grads < MAX_BACKWARDS:
                n = self.grads
                self.grads += 1
                self.rec.write(("obs", f"autograd.grad[{n}]", to_record(result)))
        except Exception:  # noqa: BLE001, S110 - an observable is never worth a user error
            pass

    def _on_pytest(self, mod: ModuleType) -> None:
        """Hand pytest a plugin that sees every failing test, through the ``plugins`` of its
        entry point: ``main`` (``pytest.main``; the console script and ``python -m pytest``
        up to pytest 9.0) and ``_main`` (what they call from pytest 9.1 on). The plugin is
        added once, whichever of them is called first."""
        plugin = _PytestPlugin(self)

        def with_plugin(plugins: Any) -> list[Any]:
            listed = list(plugins or ())
            return listed if any(p is plugin for p in listed) else [*listed, plugin]

        main = getattr(mod, "main", None)
        if main is not None and not hasattr(main, "__eiglint_original__"):
            def patched_main(args: Any = None, plugins: Any = None) -> Any:
                return main(args, with_plugin(plugins))

            functools.update_wrapper(patched_main, main)
            patched_main.__eiglint_original__ = main  # type: ignore[attr-defined]
            mod.main = patched_main  # type: ignore[attr-defined]
        inner = getattr(mod, "_main", None)
        if inner is not None and not hasattr(inner, "__eiglint_original__"):
            def patched_inner(*args: Any, **kwargs: Any) -> Any:
                kwargs["plugins"] = with_plugin(kwargs.get("plugins"))
                return inner(*args, **kwargs)

            functools.update_wrapper(patched_inner, inner)
            patched_inner.__eiglint_original__ = inner  # type: ignore[attr-defined]
            mod._main = patched_inner  # type: ignore[attr-defined]

    def _on_rewrite(self, mod: ModuleType) -> None:
        """pytest's assertion rewriting hook sits before ours on ``sys.meta_path`` and would
        load the test files it rewrites (``python_files``, conftest) from disk, without the
        probes: it leaves the flagged files to us (their asserts stay plain)."""
        hook = getattr(mod, "AssertionRewritingHook", None)
        find_spec = getattr(hook, "find_spec", None)
        if hook is None or find_spec is None or hasattr(find_spec, "__eiglint_original__"):
            return
        flagged = self.flagged

        def patched(self: Any, name: str, path: Any = None, target: Any = None) -> Any:
            spec = find_spec(self, name, path, target)
            origin = getattr(spec, "origin", None)
            if origin and norm_path(origin) in flagged:
                return None
            return spec

        functools.update_wrapper(patched, find_spec)
        patched.__eiglint_original__ = find_spec  # type: ignore[attr-defined]
        hook.find_spec = patched

    def _on_unittest(self, mod: ModuleType) -> None:
        result = getattr(mod, "TestResult", None)
        if result is None:
            return
        child = self

        def watch(name: str, pos: int) -> None:
            fn = getattr(result, name, None)
            if fn is None or hasattr(fn, "__eiglint_original__"):
                return

            def watched(self: Any, *args: Any) -> Any:
                err = args[pos] if len(args) > pos else None
                if isinstance(err, tuple) and len(err) == 3 and err[1] is not None:
                    child.caught(err[1], err[2])
                return fn(self, *args)

            functools.update_wrapper(watched, fn)
            watched.__eiglint_original__ = fn  # type: ignore[attr-defined]
            setattr(result, name, watched)

        watch("addError", 1)
        watch("addFailure", 1)
        watch("addSubTest", 2)

    def caught(self, exc: BaseException, tb: TracebackType | None) -> None:
        """An exception a test runner caught (a failing test): where it was raised in a
        flagged file, as if it had ended the run."""
        tb = tb if tb is not None else exc.__traceback__
        where = self._tb_frame(tb)
        if where is None:
            return
        message = f"{type(exc).__name__}: {exc}"[:2000]
        for path, line in self._tb_frames(tb):
            self.rec.write(("raised", path, line, message))
        if ILL_DEFINED.search(str(exc)):
            self.torch_error(str(exc), where)

    def torch_error(self, message: str, where: tuple[str, int] | None,
                    probes: Iterable[int] = ()) -> None:
        key = (message[:200], where[0] if where else "", where[1] if where else 0)
        if key in self.torch_errors:
            return
        self.torch_errors.append(key)
        self.rec.write(("torch_error", torch_error_info(message, where, probes)))

    def user_frame(self, frame: FrameType | None) -> tuple[str, int] | None:
        """The innermost frame in a flagged file, else the first frame outside torch/eiglint."""
        first: tuple[str, int] | None = None
        while frame is not None:
            fn = frame.f_code.co_filename
            if not fn.startswith("<"):
                path = norm_path(fn)
                if path in self.flagged:
                    return path, frame.f_lineno
                if first is None and not any(fn.startswith(d) for d in self.skip_dirs if d):
                    first = (path, frame.f_lineno)
            frame = frame.f_back
        return first

    def _tb_frame(self, tb: TracebackType | None) -> tuple[str, int] | None:
        """The innermost frame of a traceback in a flagged file."""
        frames = self._tb_frames(tb)
        return frames[-1] if frames else None

    def _tb_frames(self, tb: TracebackType | None) -> list[tuple[str, int]]:
        """Every frame of a traceback in a flagged file, outermost first: a flagged call
        ``check(V)`` whose helper raises deeper in the file raised on its own line too."""
        found: list[tuple[str, int]] = []
        while tb is not None:
            fn = tb.tb_frame.f_code.co_filename
            if not fn.startswith("<") and norm_path(fn) in self.flagged:
                found.append((norm_path(fn), tb.tb_lineno))
            tb = tb.tb_next
        return found

    def reseed(self) -> None:
        random.seed(self.seed)
        np = sys.modules.get("numpy")
        if np is not None:
            try:
                np.random.seed(self.seed % 2 ** 32)
            except Exception:  # noqa: BLE001, S110 - nothing to seed
                pass
        torch = sys.modules.get("torch")
        if torch is not None and hasattr(torch, "manual_seed"):
            torch.manual_seed(self.seed)

    # ------------------------------------------------------------------ running
    def run(self) -> None:
        target = self.cfg["target"]
        if target["kind"] == "command":
            self._guarded(0, target, lambda: self._command(target))
        else:
            for i, entry in enumerate(target["entries"]):
                self.reseed()
                self.rec.entry = i
                try:
                    self._guarded(i, entry, functools.partial(self._entry, entry, i))
                finally:
                    self.rec.entry = None

    def _guarded(self, index: int, what: dict[str, Any], fn: Callable[[], None]) -> None:
        info: dict[str, Any] = {"label": what.get("label", ""), "status": "ok",
                                "path": what.get("path", "")}
        tee = _Tee(sys.stdout)
        sys.stdout = tee
        try:
            fn()
        except SystemExit as exc:
            code = exc.code
            if code not in (None, 0):
                info["status"] = "exit"
                info["code"] = int(code) if isinstance(code, int) else 1  # True -> 1
                if not isinstance(code, int):
                    info["error"] = str(code)[:500]
        except BaseException as exc:  # noqa: BLE001 - the user's code may raise anything
            info["status"] = "error"
            info["error"] = f"{type(exc).__name__}: {exc}"[:2000]
            tb = exc.__traceback__
            info["where"] = self._tb_frame(tb)
            info["frames"] = self._tb_frames(tb)
            info["traceback"] = "".join(traceback.format_exception(type(exc), exc, tb))[-8000:]
            if ILL_DEFINED.search(str(exc)):
                self.torch_error(str(exc), info["where"])
        finally:
            if sys.stdout is tee:
                sys.stdout = tee.stream
        self.rec.write(("stdout", index, tee.text()))
        self.rec.write(("entry", index, info))

    def _command(self, target: dict[str, Any]) -> None:
        mode = target["mode"]
        argv = list(target.get("argv", []))
        if mode == "script":
            self.exec_script(target["path"], [target["path"], *argv])
        elif mode == "module":
            sys.argv = [target["name"], *argv]
            sys.path[0] = os.getcwd()
            runpy.run_module(target["name"], run_name="__main__", alter_sys=True)
        elif mode == "code":
            sys.argv = ["-c", *argv]
            sys.path[0] = ""
            main = ModuleType("__main__")
            main.__builtins__ = builtins  # type: ignore[attr-defined]
            sys.modules["__main__"] = main
            exec(compile(target["code"], "<string>", "exec", dont_inherit=True),  # noqa: S102
                 main.__dict__)
        else:
            raise ValueError(f"unknown command mode {mode!r}")

    def _entry(self, entry: dict[str, Any], index: int = 0) -> None:
        if entry["kind"] == "notebook":
            self.exec_script(entry["path"], [entry["path"]])
            return
        if entry["kind"] == "script":
            self.exec_script(entry["path"], [entry["path"]], entry.get("package") or "",
                             entry.get("root") or "")
            return
        fn = self._resolve(entry)
        sys.argv = [entry["path"]]  # argparse in the entry sees no arguments, not ours
        result = fn()
        if inspect.iscoroutine(result):
            result = asyncio.run(result)
        self.rec.write(("obs", f"return[{index}]", to_record(result, deep=True)))

    def exec_script(self, path: str, argv: list[str], package: str = "",
                    root: str = "") -> None:
        """Run ``path`` as ``__main__``; a module of a package runs as ``python -m`` would
        run it (``__package__`` set, the package's root on ``sys.path``), so that its
        relative imports work."""
        source = self.finder.source_for(path)
        if source is None:
            with open(path, "rb") as fh:
                data = fh.read()
            code = compile(data, path, "exec", dont_inherit=True)
        else:
            code = compile(source, path, "exec", dont_inherit=True)
        main = ModuleType("__main__")
        main.__file__ = path
        main.__builtins__ = builtins  # type: ignore[attr-defined]
        main.__cached__ = None  # type: ignore[attr-defined]
        if package:
            main.__package__ = package
            main.__spec__ = None
        sys.modules["__main__"] = main
        sys.argv = argv
        sys.path[0] = root if package and root else os.path.dirname(os.path.abspath(path))
        self.namespaces[norm_path(path)] = main
        exec(code, main.__dict__)  # noqa: S102 - running the user's script is the point

    def _resolve(self, entry: dict[str, Any]) -> Callable[[], Any]:
        path = norm_path(entry["path"])
        mod = self.namespaces.get(path)
        if mod is None:
            root = entry.get("root") or os.path.dirname(path)
            if root not in sys.path:
                sys.path.insert(0, root)
            mod = self._import(entry["module"], path)
            self.namespaces[path] = mod
        obj = mod
        for part in entry["name"].split("."):
            obj = getattr(obj, part)
        if not callable(obj):
            raise TypeError(f"{entry['name']} in {entry['path']} is not callable")
        return obj

    def _import(self, name: str, path: str) -> ModuleType:
        try:
            mod = importlib.import_module(name)
            if norm_path(getattr(mod, "__file__", "") or "") == path:
                return mod
        except ImportError:
            pass
        # a name clash (or no package): load the file under a private name
        alias = "__eiglint_entry_" + str(abs(hash(path)))
        source = self.finder.source_for(path)
        if source is None:
            with open(path, encoding="utf-8") as fh:
                source = fh.read()
        loader = RewrittenLoader(alias, path, source)
        spec = importlib.util.spec_from_file_location(alias, path, loader=loader)
        if spec is None:
            raise ImportError(f"cannot load {path}")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[alias] = mod
        loader.exec_module(mod)
        return mod

    def finish(self) -> None:
        self.rec.write(("counts", dict(self.rec.counts)))
        self.rec.write(("calls", [c.to_json() for c in self.gauge.calls]))
        self.rec.write(("done", {"loaded": dict(self.finder.loaded)}))
        self.rec.close()


class _Tee:
    """``sys.stdout`` during one entry: writes through, and keeps what the entry printed
    (the first :data:`STDOUT_LIMIT` characters) as an observable output."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        if self._size < STDOUT_LIMIT and isinstance(text, str):
            self._parts.append(text[:STDOUT_LIMIT - self._size])
            self._size += len(self._parts[-1])
        return int(self.stream.write(text))

    def text(self) -> str:
        return "".join(self._parts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _leaves(roots: Any, limit: int = 100_000) -> list[Any]:
    """The leaf tensors (``AccumulateGrad`` nodes) of the autograd graph above ``roots``, in
    the order of a depth-first walk (the same in every run of the same code)."""
    items = roots if isinstance(roots, (tuple, list)) else [roots]
    stack = [getattr(t, "grad_fn", None) for t in reversed(items)]
    seen: dict[int, Any] = {}
    leaves: list[Any] = []
    while stack and len(seen) < limit and len(leaves) < MAX_LEAVES:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        var = getattr(node, "variable", None)
        if var is not None:
            leaves.append(var)
            continue
        try:
            stack.extend(n for n, _ in reversed(node.next_functions))
        except Exception:  # noqa: BLE001, S112 - a node without next_functions
            continue
    return leaves


class _PytestPlugin:
    """Registered with pytest in the child: failing tests are recorded like a run that
    raised (pytest catches the exception and only exits 1)."""

    def __init__(self, child: Child) -> None:
        self.child = child

    def pytest_runtest_logreport(self, report: Any) -> None:
        """Each test phase's outcome is an observable output of a pytest run."""
        nodeid = getattr(report, "nodeid", "")
        when = getattr(report, "when", "")
        outcome = getattr(report, "outcome", "")
        if nodeid and (when == "call" or outcome != "passed"):
            self.child.rec.write(("obs", f"test {nodeid} {when}",
                                  {"k": "other", "type": "str", "text": str(outcome)}))
        captured = getattr(report, "capstdout", "")
        if nodeid and when == "call" and isinstance(captured, str) and captured:
            # what the test printed (pytest captured it, so no entry's stdout holds it)
            self.child.rec.write(("stdout", f"test {nodeid}", captured[:STDOUT_LIMIT]))

    def pytest_exception_interact(self, node: Any, call: Any, report: Any) -> None:
        excinfo = getattr(call, "excinfo", None)
        if excinfo is None:
            return
        self.child.caught(excinfo.value, excinfo.tb)


def main(config_path: str) -> None:
    with open(config_path, encoding="utf-8") as fh:
        cfg = json.load(fh)
    child = Child(cfg)
    child.install()
    try:
        child.run()
    finally:
        child.finish()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001, S110 - a closed stream
                pass
    # skip interpreter teardown: lingering user threads must not hold the run until the timeout
    os._exit(0)


__all__ = ["Child", "main"]
