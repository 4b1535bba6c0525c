"""Unit tests of the runtime-truth pieces (issue 19): outputs, covariance, attribution by
replaying, entry discovery. Synthetic runs; no subprocess."""
from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

from eiglint.runtime.attribution import patch_target
from eiglint.runtime.covariance import covariant, covariant_arrays
from eiglint.runtime.entries import find_caller
from eiglint.runtime.observe import compare_printed, stdout_leaves
from eiglint.runtime.record import NoPatch, Recorder, from_record, read_stream, to_record
from eiglint.runtime.runs import ProbeInfo, RunData
from eiglint.runtime.verdicts import judge

P = ProbeInfo(0, "/x/a.py", 5, 5, "sign")
ESC = ProbeInfo(0, "/x/a.py", 5, 5, "sign", escape=True)


def _run(role: str, value: object, out: object, label: str = "", **kw: object) -> RunData:
    return RunData(label or role, role, "ok", "", True, {0: [to_record(value)]}, {0: 1},
                   obs={"return[0]": to_record(out)}, **kw)  # type: ignore[arg-type]


V = np.array([[0.6, 0.8], [0.8, -0.6]])
FLIPPED = V * np.array([1.0, -1.0])  # column 1's sign flipped: carries the gauge
BROKEN = np.maximum(FLIPPED, 0)  # relu of it: breaks it


def test_covariance_per_column_row_phase_and_breaks() -> None:
    assert covariant_arrays(V, FLIPPED, "float64") == "per column"
    assert covariant_arrays(V, V * np.array([[1.0], [-1.0]]), "float64") == "per row"
    phases = np.exp(1j * np.array([0.3, 2.0]))
    assert covariant_arrays(V + 0j, (V + 0j) * phases, "complex128") == "per column"
    assert covariant_arrays(V, -V, "float64") == "as a whole"
    assert covariant_arrays(np.maximum(V, 0), BROKEN, "float64") == ""
    assert covariant_arrays(V, V * 2.0, "float64") == ""  # not unit modulus
    assert covariant(to_record((V, 1.0)), to_record((FLIPPED, 1.0))) == "each part per column"


def test_printed_numbers_are_compared_at_their_precision() -> None:
    a: dict = {}
    b: dict = {}
    stdout_leaves("loss 0.1235 step 3\n", a)
    stdout_leaves("loss 0.1236 step 3\n", b)  # last digit: rounding noise
    key = "stdout: 'loss # step #'"
    assert set(a) == set(b) == {"stdout#lines", key}
    assert not compare_printed(a[key], b[key])[0]
    stdout_leaves("loss -0.1235 step 3\n", b)
    changed, mag, n = compare_printed(a[key], b[key])
    assert changed and n == 1 and mag == pytest.approx(2.0)
    assert math.isinf(compare_printed(a[key], {"data": [1.0], "unit": [1.0]})[1])
    # a line inserted under one gauge (a failure report) does not shift the others
    c: dict = {}
    stdout_leaves("FAILED x\nloss 0.1235 step 3\n", c)
    assert c[key] == a[key] and "stdout: 'FAILED x'" in c


def test_covariant_value_without_output_change_is_not_reproduced() -> None:
    runs = [_run("baseline", V, 1.0), _run("control", V, 1.0),
            _run("random", FLIPPED, 1.0, "gauge 1")]
    v = judge(P, runs)
    assert v.status == "not-reproduced"
    assert "changes only by unit-modulus factors (per column sign/phase): it carries the " \
           "gauge" in v.reason


def test_break_without_output_change_is_not_observable() -> None:
    runs = [_run("baseline", np.maximum(V, 0), 1.0), _run("control", np.maximum(V, 0), 1.0),
            _run("random", BROKEN, 1.0, "gauge 1")]
    v = judge(P, runs)
    assert v.status == "not-observable" and "no output changed" in v.reason


def test_attribution_by_replaying_the_baseline_value() -> None:
    base = _run("baseline", np.maximum(V, 0), np.array([1.0, 2.0]))
    runs = [base, _run("control", np.maximum(V, 0), np.array([1.0, 2.0])),
            _run("random", BROKEN, np.array([1.0, 5.0]), "gauge 1")]
    # replaying the value under gauge 1 restores the output: a cause
    fixed = _run("patch", np.maximum(V, 0), np.array([1.0, 2.0]), "gauge 1, probe 0 replayed",
                 patched=1, base_label="gauge 1")
    v = judge(P, runs, patch=fixed)
    assert v.status == "confirmed"
    assert "replaying the value's baseline value under the same gauge removed" in v.reason
    # the output change stays: it comes from elsewhere
    stays = _run("patch", np.maximum(V, 0), np.array([1.0, 5.0]), "gauge 1, probe 0 replayed",
                 patched=1, base_label="gauge 1")
    v = judge(P, runs, patch=stays)
    assert v.status == "not-observable" and "not through this value" in v.reason
    # no replay possible: the covariance test decides (a break) and the verdict says so
    none = _run("patch", BROKEN, np.array([1.0, 5.0]), "gauge 1, probe 0 replayed",
                unpatched=[(0, "cannot rebuild a Foo")], base_label="gauge 1")
    v = judge(P, runs, patch=none)
    assert v.status == "confirmed" and "covariance test" in v.reason
    assert "cannot rebuild a Foo" in v.reason


def test_a_covariant_value_is_never_confirmed_even_when_it_carries_the_gauge_to_an_output(
        ) -> None:
    base = _run("baseline", V, np.array([1.0, 2.0]))
    runs = [base, _run("control", V, np.array([1.0, 2.0])),
            _run("random", FLIPPED, np.array([1.0, 5.0]), "gauge 1")]
    fixed = _run("patch", V, np.array([1.0, 2.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    v = judge(P, runs, patch=fixed)
    assert v.status == "not-reproduced"
    assert "carries the gauge" in v.reason and "broken downstream of it" in v.reason


def test_a_value_covariant_under_one_gauge_but_broken_under_another_breaks_it() -> None:
    # `V[:, :2].sum(1)`: flipping both columns negates it (a whole sign), flipping one does not
    col_sum = V.sum(1)
    both = -col_sum
    one = (V * np.array([1.0, -1.0])).sum(1)
    runs = [_run("baseline", col_sum, col_sum), _run("control", col_sum, col_sum),
            _run("random", both, both, "gauge 1"), _run("random", one, one, "gauge 2")]
    fixed = _run("patch", col_sum, col_sum, "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    v = judge(P, runs, patch=fixed)
    assert v.status == "confirmed", v


def test_escape_is_judged_by_the_calls_result() -> None:
    same = np.array([0.5, 0.25])
    runs = [_run("baseline", same, 1.0), _run("control", same, 1.0),
            _run("random", same, 1.0, "gauge 1")]
    v = judge(ESC, runs)
    assert v.status == "not-reproduced" and "callee is invariant" in v.reason


def test_from_record_replays_values_of_the_live_type() -> None:
    torch = pytest.importorskip("torch")
    live = torch.tensor([1.0, -2.0], requires_grad=True)
    out = from_record(to_record(torch.tensor([3.0, 4.0])), live * 1)
    assert out.tolist() == [3.0, 4.0] and out.requires_grad
    out.sum().backward()
    assert live.grad is not None and live.grad.tolist() == [1.0, 1.0]  # graph kept
    arr = from_record(to_record(np.array([1, 2])), np.array([5, 6]))
    assert arr.tolist() == [1, 2]
    pair = from_record(to_record((np.float64(2.0), 3)), (np.float64(0.0), 0))
    assert pair == (2.0, 3)
    with pytest.raises(NoPatch):
        from_record(to_record(np.zeros(3)), np.zeros(4))


def test_recorder_replays_the_patched_probe_by_hit_order(tmp_path) -> None:
    rec = Recorder(str(tmp_path / "r.pkl"))
    rec.patches = {2: [to_record(np.array([1.0])), to_record(np.array([2.0]))]}
    assert rec.probe(2, np.array([9.0])).tolist() == [1.0]
    assert rec.probe(2, np.array([9.0])).tolist() == [2.0]
    assert rec.probe(2, np.array([9.0])).tolist() == [9.0]  # not recorded in the baseline
    assert rec.probe(1, np.array([7.0])).tolist() == [7.0]  # another probe: untouched
    rec.close()
    patched = [r for r in read_stream(str(tmp_path / "r.pkl")) if r[0] == "patched"]
    assert [(r[1], r[3] == "") for r in patched] == [(2, True), (2, True), (2, False)]


def test_the_recorder_tells_which_entries_a_probe_ran_in(tmp_path: Path) -> None:
    rec = Recorder(str(tmp_path / "r.pkl"))
    rec.probe(1, np.array([1.0]))  # no entry running (a command): nothing to tell
    for entry in (0, 2):
        rec.entry = entry
        rec.probe(1, np.array([1.0]))
        rec.probe(1, np.array([2.0]))
    rec.probe(3, np.array([1.0]))
    rec.close()
    seen = [r[1:] for r in read_stream(str(tmp_path / "r.pkl")) if r[0] == "in_entry"]
    assert seen == [(1, 0), (1, 2), (3, 2)]


def test_to_record_deep_looks_into_dataclasses_and_objects() -> None:
    from dataclasses import dataclass

    @dataclass
    class Out:
        loss: float
        emb: np.ndarray

    rec = to_record(Out(1.5, np.ones(2)), deep=True)
    assert rec["k"] == "seq" and rec["keys"] == ["loss", "emb"]
    assert to_record(Out(1.5, np.ones(2)))["k"] == "other"


def _trees(**files: str) -> dict:
    return {f"/p/{n}.py": (f"/p/{n}.py", ast.parse(src)) for n, src in files.items()}


def test_entry_discovery_walks_the_call_graph() -> None:
    trees = _trees(lib="def inner(a):\n    pass\n\ndef middle(a, k=2):\n    return inner(a)\n",
                   app="from lib import middle\n\ndef helper(x):\n    return middle(x)\n\n"
                       "def run():\n    return helper(1)\n")
    c = find_caller("/p/lib.py", "inner", trees)
    assert c is not None and c.kind == "call" and c.name == "run" and c.path == "/p/app.py"
    assert c.chain == ("run", "helper", "middle", "inner")
    # methods are reached by instantiating or calling their class; a __main__ block runs
    trees = _trees(m="class Net:\n    def forward(self, x):\n        pass\n\n"
                     "def go(n):\n    return Net()(n)\n\n"
                     "if __name__ == '__main__':\n    go(3)\n")
    c = find_caller("/p/m.py", "Net.forward", trees)
    assert c is not None and c.kind == "script" and c.chain == ("<module>", "go",
                                                                "Net.forward")
    assert find_caller("/p/m.py", "nobody", trees) is None


def test_entry_discovery_follows_calls_through_instances() -> None:
    # a nearer zero-argument function calls a `fit` of another class, or of a library object:
    # by name alone it would be the caller, and would not reach Model.fit
    trees = _trees(app="class Model:\n    def fit(self, x):\n        pass\n\n"
                       "class Other:\n    def fit(self, x):\n        pass\n\n"
                       "def smoke():\n    return Other().fit(1)\n\n"
                       "def baseline():\n    return KMeans(2).fit([[0.0]])\n\n"
                       "def experiment(x):\n    m = Model()\n    return m.fit(x)\n\n"
                       "def run():\n    return experiment(3)\n")
    c = find_caller("/p/app.py", "Model.fit", trees)
    assert c is not None and c.chain == ("run", "experiment", "Model.fit")
    # an instance built by a factory function and called; a function that only builds one
    # does not run its forward
    trees = _trees(app="class Net:\n    def forward(self, x):\n        pass\n\n"
                       "def build():\n    return Net()\n\n"
                       "def run():\n    net = build()\n    return net(2)\n")
    c = find_caller("/p/app.py", "Net.forward", trees)
    assert c is not None and c.chain == ("run", "Net.forward")
    # an attribute of self bound to an instance; a base class's method through a subclass
    trees = _trees(
        nets="class Base:\n    def encode(self, x):\n        pass\n\n"
             "class Encoder(Base):\n    def forward(self, x):\n        return self.encode(x)\n",
        app="from nets import Encoder\n\n"
            "class Trainer:\n    def __init__(self):\n        self.enc = Encoder()\n\n"
            "    def step(self, x):\n        return self.enc(x)\n\n"
            "def probe():\n    return Encoder\n\n"
            "def run():\n    t = Trainer()\n    return t.step(1)\n")
    c = find_caller("/p/nets.py", "Base.encode", trees)
    assert c is not None and c.path == "/p/app.py"
    assert c.chain == ("run", "Trainer.step", "Encoder.forward", "Base.encode")
    # a receiver of unknown type (a parameter) still reaches every method of that name
    trees = _trees(app="class Model:\n    def fit(self, x):\n        pass\n\n"
                       "def train(model):\n    return model.fit(1)\n\n"
                       "def main():\n    return train(Model())\n")
    c = find_caller("/p/app.py", "Model.fit", trees)
    assert c is not None and c.chain == ("main", "train", "Model.fit")


def test_confirm_help_and_readme_describe_the_verdicts() -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from eiglint.runtime.cli import confirm

    text = " ".join(CliRunner().invoke(confirm, ["--help"]).output.split())
    for words in ("not-observable (it breaks, but no output changes through it)",
                  "carries the gauge", "never for not-observable",
                  "nearest zero-argument caller in PATHS", "notebook's code cells in order",
                  "judged by the call's result"):
        assert words in text, words
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "| `not-observable` |" in readme and "| `not-reproduced` |" in readme


def test_escape_call_of_an_argument_a_receiver_or_the_call_itself() -> None:
    from eiglint.runtime.probes import enclosing_call

    text = "out = model(V)\ncoords = pca.project(X)\nfeat = enc(a, b)\n"
    tree = ast.parse(text)
    assert enclosing_call(tree, text, 1, 13, 1, 14)[4] == "model(V)"  # the argument
    assert enclosing_call(tree, text, 2, 10, 2, 13)[4] == "pca.project(X)"  # the receiver
    assert enclosing_call(tree, text, 3, 8, 3, 17)[4] == "enc(a, b)"  # the call itself
    assert enclosing_call(tree, text, 1, 1, 1, 4) is None  # a target, not an argument


def _two_programs(role: str, value: object, own: float, other: float, label: str = "",
                  **kw: object) -> RunData:
    """A snippet run of two programs: the probe runs in entry 0 only; entry 1 is another
    flagged file's program, whose output changes under every gauge."""
    return RunData(label or role, role, "ok", "", True, {0: [to_record(value)]}, {0: 1},
                   obs={"return[0]": to_record(np.array([own])),
                        "return[1]": to_record(np.array([other]))},
                   entries_of={0: {0}}, **kw)  # type: ignore[arg-type]


def test_only_the_outputs_of_the_entries_a_probe_ran_in_are_its_outputs() -> None:
    runs = [_two_programs("baseline", V, 1.0, 1.0), _two_programs("control", V, 1.0, 1.0),
            # gauge 1: the value breaks, but its own program's output stays; another
            # program's output changes (its own finding)
            _two_programs("random", BROKEN, 1.0, 7.0, "gauge 1"),
            _two_programs("random", BROKEN, 3.0, 9.0, "gauge 2")]
    target = patch_target(0, runs)
    assert target is not None and target.label == "gauge 2"
    # the replay under gauge 2 restores the program's own output; the other program's
    # output still differs, and is no output of this value
    patch = _two_programs("patch", V, 1.0, 9.0, "gauge 2, probe 0 replayed", patched=1,
                          base_label="gauge 2")
    v = judge(P, runs, patch=patch)
    assert v.status == "confirmed", v
    assert "return[1]" not in v.reason and "`return[0]`" in v.reason


def test_the_value_is_replayed_under_the_gauge_that_moved_it_most() -> None:
    # a real part whose sign is taken: gauge 1 moves it a little (no sign flip), gauge 2
    # flips it; the output changes under both (the phase it carries past the sign)
    runs = [_run("baseline", np.array([1.0]), np.array([1.0])),
            _run("control", np.array([1.0]), np.array([1.0])),
            _run("random", np.array([0.8]), np.array([2.0]), "gauge 1"),
            _run("random", np.array([-0.9]), np.array([3.0]), "gauge 2")]
    target = patch_target(0, runs)
    assert target is not None and target.label == "gauge 2"
    # a single-column flip that moves it further still comes after the random gauges
    runs.append(_run("flip", np.array([-5.0]), np.array([3.0]), "flip column 0"))
    target = patch_target(0, runs)
    assert target is not None and target.label == "gauge 2"


# ---- joint causes: no single flagged value explains the output change alone
RE = np.array([0.6, 0.8])
IM = np.array([0.0, 0.0])
RE_G = np.array([0.0, 0.0])  # under gauge 1 (phase i): the real part moved into the
IM_G = np.array([0.6, 0.8])  # imaginary part


def _joint_runs() -> list[RunData]:
    # one probe (the real part) whose value changes under gauge 1 with the output
    return [_run("baseline", RE, np.array([1.0, 2.0])), _run("control", RE, np.array([1.0, 2.0])),
            _run("random", RE_G, np.array([3.0, 5.0]), "gauge 1")]


def test_a_joint_cause_is_confirmed_when_the_joint_replay_removes_the_change() -> None:
    runs = _joint_runs()
    # replaying the real part alone: the imaginary part still carries the phase, `out` stays
    alone = _run("patch", RE, np.array([2.0, 4.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    assert judge(P, runs, patch=alone).status == "not-observable"
    together = _run("joint", RE, np.array([1.0, 2.0]), "gauge 1, probes 0, 1 replayed together",
                    patched=2, base_label="gauge 1",
                    about="the flagged values `psi.real` (line 5), `psi.imag` (line 5)")
    v = judge(P, runs, patch=alone, joint=together)
    assert v.status == "confirmed", v
    assert "replaying the value's baseline value alone left the change" in v.reason
    assert "`psi.real` (line 5), `psi.imag` (line 5) together under gauge 1 removed the " \
           "change of `return[0]`: a joint cause" in v.reason
    # the joint replay that leaves the change credits nobody
    stays = _run("joint", RE, np.array([2.0, 4.0]), "gauge 1, probes 0, 1 replayed together",
                 patched=2, base_label="gauge 1", about="the flagged values ...")
    assert judge(P, runs, patch=alone, joint=stays).status == "not-observable"


def test_one_of_several_causes_is_confirmed_by_injecting_its_gauged_value() -> None:
    runs = _joint_runs()
    alone = _run("patch", RE, np.array([2.0, 4.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    # its value under gauge 1 injected into a run under the library's own gauge: `out` moves
    moved = _run("inject", RE_G, np.array([1.5, 2.5]), "identity gauge, probe 0 injected",
                 patched=1, base_label="gauge 1")
    v = judge(P, runs, patch=alone, inject=moved)
    assert v.status == "confirmed", v
    assert "injecting the value it took under gauge 1 into a run under the library's own " \
           "gauge changed `return[0]` too: one of several causes" in v.reason
    # the injected value changes nothing: not a cause of that change
    still = _run("inject", RE_G, np.array([1.0, 2.0]), "identity gauge, probe 0 injected",
                 patched=1, base_label="gauge 1")
    assert judge(P, runs, patch=alone, inject=still).status == "not-observable"
    # it changes an output the gauge did not change (a repaired break elsewhere): no credit
    other = RunData("inject", "inject", "ok", "", True, {0: [to_record(RE_G)]}, {0: 1},
                    obs={"return[0]": to_record(np.array([1.0, 2.0])),
                         "return[1]": to_record(7.0)}, patched=1, base_label="gauge 1")
    assert judge(P, runs, patch=alone, inject=other).status == "not-observable"


def test_a_carrier_is_never_credited_by_a_joint_replay_or_an_injection() -> None:
    base = _run("baseline", V, np.array([1.0, 2.0]))
    runs = [base, _run("control", V, np.array([1.0, 2.0])),
            _run("random", FLIPPED, np.array([1.0, 5.0]), "gauge 1")]
    alone = _run("patch", V, np.array([1.0, 5.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    together = _run("joint", V, np.array([1.0, 2.0]), "gauge 1, probes 0, 1 replayed together",
                    patched=2, base_label="gauge 1", about="the flagged values ...")
    moved = _run("inject", FLIPPED, np.array([1.0, 5.0]), "identity gauge, probe 0 injected",
                 patched=1, base_label="gauge 1")
    v = judge(P, runs, patch=alone, joint=together, inject=moved)
    assert v.status == "not-reproduced" and "carries the gauge" in v.reason


def test_replay_failed_picks_the_probes_worth_a_joint_replay() -> None:
    from eiglint.runtime.attribution import replay_failed

    runs = _joint_runs()
    alone = _run("patch", RE, np.array([2.0, 4.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    assert replay_failed(0, runs, alone) is runs[2]
    fixed = _run("patch", RE, np.array([1.0, 2.0]), "gauge 1, probe 0 replayed", patched=1,
                 base_label="gauge 1")
    assert replay_failed(0, runs, fixed) is None
    assert replay_failed(0, runs, None) is None
