"""Every output format, checked against what consumes it: the SARIF 2.1.0 object model
(JSON schema), JUnit via xml.etree, GitHub workflow commands matched exactly, GitLab Code
Quality's required fields, and the flake8/pylint line formats."""
from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from eiglint.reporters import FORMATS, render, statistics
from eiglint.rules import ALL_RULES
from eiglint.types import Finding, TraceStep, Verdict
from tests.cli.helpers import ROOT, forum_expected, run

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0-subset.schema.json")
                    .read_text())

SOURCE = "import torch\nL, V = torch.linalg.eig(A)\n\tloss = (V * V).real[0, 0]\n"

F1 = Finding(path="pkg/m.py", line=3, col=9, end_line=3, end_col=21, code="EIG101",
             message="`(V * V).real` takes the real part", severity="error", kind="phase",
             trace=(TraceStep(2, 1, "eigenvectors from `torch.linalg.eig`"),
                    TraceStep(3, 10, "`V * V` multiplies eigenvectors without `conj()`")),
             hint="use `(V * V.conj()).real`", expr="(V * V).real")
F2 = Finding(path="nb.ipynb", line=2, col=5, end_line=2, end_col=9, code="EIG207",
             message="`vecs` passed to `model`, 50% of runs: differ", severity="warning",
             kind="sign", cell=3)
F3 = Finding(path="pkg/m.py", line=1, col=1, code="EIG901", message="cannot parse: x",
             severity="error", kind="file")
F4 = Finding(path="pkg/m.py", line=3, col=9, end_line=3, end_col=21, code="EIG101",
             message="`(V * V).real` takes the real part", kind="phase",
             verdict=Verdict("confirmed", 0.3125, 8, ""))
SYNTHETIC = [F3, F1, F2]


@pytest.fixture(scope="module")
def forum_sarif() -> dict[str, Any]:
    proc = run("--output-format", "sarif", "examples/forum_example.py", cwd=ROOT)
    assert proc.returncode == 1
    return json.loads(proc.stdout)


def validate_sarif(log: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    for result in run_["results"]:
        # what GitHub code scanning needs on top of the schema
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        if "endLine" in region:
            assert region["endLine"] >= region["startLine"]
            if region["endLine"] == region["startLine"] and "endColumn" in region:
                assert region["endColumn"] > region["startColumn"]


def test_sarif_of_the_forum_example(forum_sarif: dict[str, Any]) -> None:
    validate_sarif(forum_sarif)
    results = forum_sarif["runs"][0]["results"]
    got = [(r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["ruleId"])
           for r in results]
    assert got == forum_expected()
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in results} == {"examples/forum_example.py"}
    # the trace is a code flow that starts at the decomposition call
    flow = results[0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert "torch.linalg.eig" in flow[0]["location"]["message"]["text"]


def test_sarif_rules_carry_help_and_help_uri(forum_sarif: dict[str, Any]) -> None:
    driver = forum_sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "eiglint"
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {r.code for r in ALL_RULES}
    for rule in ALL_RULES:
        entry = rules[rule.code]
        assert entry["name"] == rule.name
        assert entry["help"]["markdown"] == rule.render()
        assert entry["helpUri"].startswith("https://")
        assert entry["helpUri"].endswith(f"#{rule.code.lower()}-{rule.name}")
        assert entry["shortDescription"]["text"] == rule.summary


def test_sarif_synthetic_notebook_verdict_and_levels() -> None:
    log = json.loads(render([*SYNTHETIC, F4], "sarif"))
    validate_sarif(log)
    results = log["runs"][0]["results"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {"EIG101": "error", "EIG207": "warning", "EIG901": "error"}
    nb = next(r for r in results if r["ruleId"] == "EIG207")
    assert nb["properties"]["cell"] == 3 and nb["properties"]["cellLine"] == 2
    confirmed = [r for r in results if "verdict" in r["properties"]]
    assert confirmed[0]["properties"]["verdict"]["status"] == "confirmed"


def test_sarif_empty_and_absolute_paths(tmp_path: Path) -> None:
    validate_sarif(json.loads(render([], "sarif")))
    absolute = Finding(path=str(tmp_path / "a b.py"), line=1, col=1, code="EIG101", message="m")
    log = json.loads(render([absolute], "sarif"))
    validate_sarif(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/a%20b.py")


def test_the_sarif_schema_is_strict() -> None:
    """The vendored schema rejects what GitHub would reject: a misspelt property, a bad level,
    a zero line."""
    good = json.loads(render(SYNTHETIC, "sarif"))
    for mutate in (
        lambda log: log["runs"][0]["results"][0].update(ruleID="EIG101"),
        lambda log: log["runs"][0]["results"][0].update(level="fatal"),
        lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "region"].update(startLine=0),
        lambda log: log["runs"][0]["tool"]["driver"]["rules"][0].pop("id"),
        lambda log: log.update(version="2.0.0"),
    ):
        bad = copy.deepcopy(good)
        mutate(bad)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft7Validator(SCHEMA).validate(bad)


def test_concise_and_pylint_exact() -> None:
    assert render(SYNTHETIC, "concise") == (
        "pkg/m.py:1:1: EIG901 cannot parse: x\n"
        "pkg/m.py:3:9: EIG101 `(V * V).real` takes the real part\n"
        "nb.ipynb:cell 3:2:5: EIG207 `vecs` passed to `model`, 50% of runs: differ\n")
    assert render(SYNTHETIC, "pylint") == (
        "pkg/m.py:1: [EIG901] cannot parse: x\n"
        "pkg/m.py:3: [EIG101] `(V * V).real` takes the real part\n"
        "nb.ipynb:2: [EIG207] cell 3, line 2, col 5: `vecs` passed to `model`, "
        "50% of runs: differ\n")


def test_github_exact_and_escaped() -> None:
    assert render(SYNTHETIC, "github") == (
        "::error file=pkg/m.py,line=1,col=1,title=EIG901::cannot parse: x\n"
        "::error file=pkg/m.py,line=3,col=9,endLine=3,endColumn=21,title=EIG101::"
        "`(V * V).real` takes the real part\n"
        "::warning file=nb.ipynb,line=2,col=5,endLine=2,endColumn=9,title=EIG207::"
        "cell 3, line 2, col 5: `vecs` passed to `model`, 50%25 of runs: differ\n")
    odd = Finding(path="a,b:c.py", line=1, col=2, code="EIG101", message="two\nlines 100%",
                  severity="info")
    assert render([odd], "github") == \
        "::notice file=a%2Cb%3Ac.py,line=1,col=2,title=EIG101::two%0Alines 100%25\n"


def test_github_forum_lines_exact() -> None:
    proc = run("--output-format", "github", "examples/forum_example.py", cwd=ROOT)
    concise = run("examples/forum_example.py", cwd=ROOT).stdout.splitlines()
    expected = []
    for line in concise:
        path, ln, col, rest = line.split(":", 3)
        code, message = rest.strip().split(" ", 1)
        m = re.search(r"line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+)",
                      next(g for g in proc.stdout.splitlines() if f"line={ln}," in g))
        assert m is not None
        expected.append(f"::error file={path},line={ln},col={col},endLine={m.group(3)},"
                        f"endColumn={m.group(4)},title={code}::{message.replace('%', '%25')}")
    assert proc.stdout.splitlines() == expected


def test_full_shows_source_caret_trace_help() -> None:
    text = render([F1], "full", sources={"pkg/m.py": SOURCE})
    lines = text.splitlines()
    assert lines[0] == "pkg/m.py:3:9: EIG101 `(V * V).real` takes the real part"
    assert lines[2] == "3 | \tloss = (V * V).real[0, 0]"
    # the caret keeps the tab, then starts under `(` and spans the expression
    assert lines[3] == "  | \t       ^^^^^^^^^^^^ EIG101"
    assert lines[5:8] == ["  = trace:", "      2:1  eigenvectors from `torch.linalg.eig`",
                          "      3:10  `V * V` multiplies eigenvectors without `conj()`"]
    assert "  = help: use `(V * V.conj()).real`" in lines
    colored = render([F1], "full", color=True, sources={"pkg/m.py": SOURCE})
    assert "\x1b[" in colored and re.sub(r"\x1b\[[0-9;]*m", "", colored) == text


def test_full_reads_the_file() -> None:
    proc = run("--output-format", "full", "examples/forum_example.py", cwd=ROOT)
    assert proc.returncode == 1
    assert "44 | lossBadA = (vecA * vecA).real[0, 0]" in proc.stdout
    assert "   |            ^^^^^^^^^^^^^^^^^^ EIG101" in proc.stdout
    assert "= help:" in proc.stdout and "= trace:" in proc.stdout


def test_json_and_json_lines() -> None:
    data = json.loads(render([*SYNTHETIC, F4], "json"))
    assert [d["code"] for d in data] == ["EIG901", "EIG101", "EIG207", "EIG101"]
    first = data[1]
    assert first == {
        "file": "pkg/m.py", "line": 3, "column": 9, "end_line": 3, "end_column": 21,
        "cell": None, "code": "EIG101", "name": "phase-dependent-real-imag",
        "message": F1.message, "severity": "error", "kind": "phase", "expr": "(V * V).real",
        "hint": F1.hint, "trace": [
            {"line": 2, "column": 1, "note": "eigenvectors from `torch.linalg.eig`"},
            {"line": 3, "column": 10, "note": "`V * V` multiplies eigenvectors without `conj()`"}],
        "verdict": None, "url": first["url"]}
    assert data[2]["cell"] == 3 and data[2]["kind"] == "sign"
    assert data[3]["verdict"] == {"status": "confirmed", "max_change": 0.3125, "runs": 8,
                                  "reason": ""}
    lines = render([*SYNTHETIC, F4], "json-lines").splitlines()
    assert [json.loads(x) for x in lines] == data
    assert json.loads(render([], "json")) == [] and render([], "json-lines") == ""


def test_gitlab_code_quality() -> None:
    issues = json.loads(render(SYNTHETIC, "gitlab"))
    assert len(issues) == 3
    for issue in issues:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity",
                              "location"}
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(issue["location"]["path"], str)
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == 3
    # moving code does not change the fingerprint; a second identical finding gets its own
    moved = [Finding(**{**F1.__dict__, "line": 30, "end_line": 30})]
    assert json.loads(render(moved, "gitlab"))[0]["fingerprint"] == issues[1]["fingerprint"]
    twice = json.loads(render([F1, F1], "gitlab"))
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]


def test_junit_parses() -> None:
    root = ET.fromstring(render(SYNTHETIC, "junit"))
    assert root.tag == "testsuites"
    assert root.get("tests") == "3" and root.get("failures") == "3"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"pkg/m.py", "nb.ipynb"}
    cases = suites["pkg/m.py"].findall("testcase")
    assert [c.get("name") for c in cases] == ["eiglint.EIG901", "eiglint.EIG101"]
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "EIG101"
    assert failure.text == "pkg/m.py:3:9: EIG101 `(V * V).real` takes the real part"
    empty = ET.fromstring(render([], "junit"))
    assert empty.get("tests") == "1" and empty.get("failures") == "0"
    assert empty.find("testsuite/testcase") is not None
    assert empty.find("testsuite/testcase/failure") is None


def test_junit_from_the_cli() -> None:
    proc = run("--output-format", "junit", "examples/forum_example.py", cwd=ROOT)
    root = ET.fromstring(proc.stdout)
    lines = [int(c.get("line", "0")) for c in root.iter("testcase")]
    assert lines == [ln for ln, _, _ in forum_expected()]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_shows_the_runtime_verdict(fmt: str) -> None:
    text = render([F4], fmt)
    assert "confirmed" in text
    if fmt not in ("json", "json-lines", "sarif"):
        assert "max change 0.312" in text and "8 runs" in text


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_from_the_cli(fmt: str) -> None:
    proc = run("--output-format", fmt, "examples/forum_example.py", cwd=ROOT)
    assert proc.returncode == 1 and proc.stdout
    assert proc.stderr.strip() == "Found 2 findings in 1 of 1 file."


def test_statistics_counts_per_code() -> None:
    assert statistics([F1, F2, F4, F3]) == (
        "    2  EIG101  phase-dependent-real-imag\n"
        "    1  EIG207  sign-carrying-escape\n"
        "    1  EIG901  syntax-error\n")


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(ValueError):
        render([], "xml")


