"""``--timings``: the slowest files and the share of each phase, on standard error."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from eiglint.timings import PHASES, report
from tests.cli.helpers import assert_no_traceback, run
from tests.conftest import FIXTURES


def test_timings_lists_slowest_files_and_phase_shares(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "project" / "pkg", tmp_path / "pkg")
    (tmp_path / "pkg" / "plain.py").write_text("x = 1\n")
    proc = run("--no-cache", "-j", "1", "--timings", ".", cwd=tmp_path)
    assert_no_traceback(proc)
    files = len(list((tmp_path / "pkg").glob("*.py")))
    assert f"Timings: {files} files linted" in proc.stderr
    # the serial work before the first file, by step (libcst: imported before the worker forks)
    setup = re.search(r"^  before the first file \(serial\): ([\d.]+) s \((.*)\)$",
                      proc.stderr, re.M)
    assert setup is not None, proc.stderr
    steps = dict(re.findall(r"([a-z][a-z ]*[a-z]) ([\d.]+)", setup.group(2)))
    assert {"discovery", "project", "libcst import"} <= set(steps), setup.group(2)
    assert abs(sum(float(v) for v in steps.values()) - float(setup.group(1))) <= 0.025
    shares = re.search(r"pre-filter (\d+)%, syntax (\d+)%, parse (\d+)%, slice (\d+)%, "
                       r"analysis (\d+)%, other \(reading, hashing\) (\d+)%", proc.stderr)
    assert shares is not None, proc.stderr
    assert 97 <= sum(int(g) for g in shares.groups()) <= 103
    assert int(shares.group(5)) > 0  # the analysed files were analysed
    rows = re.findall(r"^\s+([\d.]+) s  (\S+)(?:  \((.*)\))?$", proc.stderr, re.M)
    assert len(rows) == files
    assert [float(r[0]) for r in rows] == sorted((float(r[0]) for r in rows), reverse=True)
    assert any("analysis" in r[2] for r in rows if r[1].endswith("train.py"))
    # the report itself is on standard error: the findings on standard output are unchanged
    assert proc.stdout == run("--no-cache", "-j", "1", ".", cwd=tmp_path).stdout
    run(".", cwd=tmp_path)  # fills the cache: a warm run lints (and times) nothing
    warm = run("--timings", ".", cwd=tmp_path).stderr
    assert warm.startswith("Timings: 0 files linted")
    assert re.search(r"before the first file \(serial\): [\d.]+ s \(.*cache [\d.]+", warm)


def test_report_shares_and_order() -> None:
    text = report([("a.py", 1.0, {"parse": 0.5, "analysis": 0.25}),
                   ("b.py", 3.0, {"analysis": 3.0})], total=2.0, slowest=1)
    assert text.splitlines()[0] == "Timings: 2 files linted (4.00 s in files, 2.00 s wall)"
    assert "parse 12%" in text and "analysis 81%" in text and set(PHASES) <= set(text.split())
    assert text.splitlines()[-1] == "      3.00 s  b.py  (analysis 3.00)"
    assert "before the first file" not in text  # no setup given: no line for it
    text = report([], total=1.0, setup={"libcst import": 0.25, "discovery": 0.5})
    assert text.splitlines()[1] == \
        "  before the first file (serial): 0.75 s (discovery 0.50, libcst import 0.25)"
