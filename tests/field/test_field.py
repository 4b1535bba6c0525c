"""The labelled field set: labels.json is well-formed (fast) and eiglint's scores on the real
projects do not fall below the recorded baseline (slow: fetches the pinned wheels)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Set

import pytest

from tests.field import score
from tests.field.fetch import DEFAULT_DEST, LABELS, fetch, load_projects

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
VERDICTS = {"DEPENDENT", "INVARIANT", "UNCLEAR"}
LEVELS = {"substantive", "factor"}
SITE_KEYS = {"file", "line", "call", "verdict", "level", "lines", "callers", "why", "checked"}


def _labels() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(LABELS.read_text(encoding="utf-8"))
    return data


def test_labels_schema() -> None:
    data = _labels()
    projects: List[Dict[str, Any]] = data["projects"]
    assert 8 <= len(projects) <= 12
    names = [p["name"] for p in projects]
    assert len(set(names)) == len(names)
    n_sites = 0
    for p in projects:
        assert set(p) == {"name", "version", "root", "scope", "files", "sites"}, p["name"]
        assert re.fullmatch(r"[0-9][0-9A-Za-z.]*", p["version"]), p["version"]
        assert p["files"] == sorted({s["file"] for s in p["sites"]})
        keys = set()
        for s in p["sites"]:
            where = f"{p['name']}:{s.get('file')}:{s.get('line')}"
            assert set(s) <= SITE_KEYS, where
            assert {"file", "line", "call", "verdict", "lines", "why", "checked"} <= set(s), where
            assert isinstance(s["file"], str) and s["file"].endswith(".py"), where
            assert not s["file"].startswith("/") and ".." not in s["file"].split("/"), where
            assert type(s["line"]) is int and s["line"] > 0, where
            assert isinstance(s["call"], str) and "(" in s["call"], where
            assert s["verdict"] in VERDICTS, where
            assert all(type(n) is int and n > 0 for n in s["lines"]), where
            assert s["lines"] == sorted(set(s["lines"])), where
            for caller in s.get("callers", []):
                assert re.fullmatch(r"[\w/.-]+\.py:[0-9]+", caller), where
            if s["verdict"] == "DEPENDENT":
                assert s["level"] in LEVELS, where
                assert s["lines"] or s.get("callers"), where
            else:
                assert "level" not in s and s["lines"] == [] and "callers" not in s, where
            assert isinstance(s["why"], str) and len(s["why"]) > 20, where
            assert s["checked"] in {"reading", "re-gauging"}, where
            assert (s["file"], s["line"]) not in keys, where
            keys.add((s["file"], s["line"]))
            n_sites += 1
    assert n_sites >= 100


def test_labels_name_what_was_checked_by_regauging() -> None:
    sites = [s for p in _labels()["projects"] for s in p["sites"]]
    checked = [s for s in sites if s["checked"] == "re-gauging"]
    assert checked, "doubtful sites are re-gauged"
    assert all("re-gaug" in s["why"] for s in checked)


def test_match_sites_uses_lines_callers_and_trace_origin(tmp_path: Path) -> None:
    root = tmp_path / "pkg"
    site = {"file": "a.py", "line": 5, "call": "eigh(x)", "verdict": "DEPENDENT",
            "level": "factor", "lines": [7], "callers": ["b.py:3"], "why": "", "checked": ""}
    other = {"file": "a.py", "line": 9, "call": "svd(x)", "verdict": "INVARIANT", "lines": [],
             "why": "", "checked": ""}
    sites = [site, other]

    def f(file: str, line: int, trace_line: int) -> Dict[str, Any]:
        return {"file": str(root / file), "line": line, "code": "EIG205",
                "trace": [{"line": trace_line, "column": 1, "note": ""}]}

    assert score.match_sites(f("a.py", 7, 1), root, sites) == [0]
    assert score.match_sites(f("b.py", 3, 1), root, sites) == [0]
    assert score.match_sites(f("a.py", 20, 9), root, sites) == [1]
    assert score.match_sites(f("a.py", 20, 5), root, sites) == [0]
    assert score.match_sites(f("c.py", 7, 5), root, sites) == []
    elsewhere = f("c.py", 40, 5)
    elsewhere["message"] = f"`x` carries the sign; eigenvectors from `eigh` ({root / 'a.py'}:5)."
    assert score.match_sites(elsewhere, root, sites) == [0]
    project = {"name": "p", "version": "1", "root": "pkg", "scope": [], "files": ["a.py"],
               "sites": sites}
    s = score.score_project(project, root, [f("a.py", 20, 9), f("c.py", 1, 1),
                                            f("tests/test_a.py", 1, 1),
                                            {"file": str(root / "d.py"), "line": 1,
                                             "code": "EIG999", "trace": []},
                                            {"file": str(root / "e.py"), "line": 1,
                                             "code": "EIG903", "trace": [],
                                             "message": "the analysis exceeded the time budget"}])
    assert (s.dep_factor, s.dep_factor_found, s.invariant, s.invariant_flagged) == (1, 0, 1, 1)
    assert (s.outside_sites, s.eig9xx, s.eig999) == (1, 2, 1)
    assert s.missed == ["a.py:5 [factor] eigh(x)"] and s.found == []
    assert s.flagged == ["a.py:9"] and s.timed_out == ["e.py"]


def test_score_skips_projects_not_fetched(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(HERE / "score.py"), "--dest", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "skip pydmd==" in done.stderr and "sources not fetched" in done.stderr


def test_fetch_keeps_the_stubs_lazy_loaders_read(tmp_path: Path) -> None:
    """A package's ``__init__.pyi`` is extracted with its sources (``lazy_loader.attach_stub``
    reads it at run time), and added to sources extracted before stubs were kept."""
    import zipfile

    project = {"name": "lazy-pkg", "version": "1.0", "root": "lazy_pkg", "sites": []}
    (tmp_path / "downloads").mkdir()
    wheel = tmp_path / "downloads" / "lazy_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("lazy_pkg/__init__.py", "import lazy_loader\n")
        zf.writestr("lazy_pkg/__init__.pyi", "from .core import f\n")
        zf.writestr("lazy_pkg/core.py", "def f(x):\n    return x\n")
        zf.writestr("lazy_pkg/data.json", "{}")
    old = tmp_path / "src" / "lazy-pkg-1.0" / "lazy_pkg"
    old.mkdir(parents=True)
    (old / "__init__.py").write_text("import lazy_loader\n")
    assert fetch(project, tmp_path) == old
    assert (old / "__init__.pyi").read_text() == "from .core import f\n"
    assert not (old / "core.py").exists()  # only stubs are added to an earlier extraction
    from tests.field.fetch import _extract

    fresh = tmp_path / "fresh"
    _extract(wheel, fresh)
    assert sorted(p.name for p in (fresh / "lazy_pkg").iterdir()) == [
        "__init__.py", "__init__.pyi", "core.py"]


def _comparable(project: Dict[str, Any], timed_out: Set[str]) -> Set[str]:
    """Sites whose file was analysed in both runs (time-outs depend on the machine's load)."""
    return {f"{s['file']}:{s['line']}" for s in project["sites"] if s["file"] not in timed_out}


@pytest.mark.slow
def test_field_scores_do_not_regress() -> None:
    dest = DEFAULT_DEST
    projects = load_projects()
    missing = [p["name"] for p in projects if fetch(p, dest) is None]
    if missing:
        pytest.skip(f"cannot fetch {missing} (no network?): tests/field/fetch.py")
    scores, skipped = score.score_all(dest)
    assert skipped == []
    assert score.total(scores).eig999 == 0, [x for s in scores for x in s.problems]
    base = {p["name"]: p for p in json.loads(BASELINE.read_text(encoding="utf-8"))["projects"]}
    by_name = {p["name"]: p for p in projects}
    for s in scores:
        b = base[s.name]
        keep = _comparable(by_name[s.name], set(b["timed_out"]) | set(s.timed_out))
        assert set(b["found"]) & keep <= set(s.found), (s.name, s.missed)
        assert set(s.flagged) & keep <= set(b["flagged"]), (s.name, s.invariant_hits)
        analysed = [o for o in s.outside if o.split(":")[0] not in b["timed_out"]]
        assert len(analysed) <= b["outside_sites"], (s.name, s.outside)
