"""Sources of real projects for the sweep and the benchmark, from their wheels (never committed).

    python bench/fetch.py                 # every project of REAL_PROJECTS
    python bench/fetch.py pennylane       # one

Each wheel is downloaded with ``pip download --no-deps`` (the configured index) and unpacked,
sources only (``.py`` files of the distribution's packages), into
``$EIGLINT_SOURCES`` or ``~/.cache/eiglint/sources/<name>-<version>/``. Nothing is installed,
imported or executed. Present sources are reused; :func:`source_dir` finds them.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

#: project -> (pinned version, its top-level package in the wheel): large import graphs, numeric
#: code that calls decompositions, fast to download
REAL_PROJECTS: Dict[str, Tuple[str, str]] = {
    "pennylane": ("0.45.1", "pennylane"),
    "networkx": ("3.6.1", "networkx"),
    "scikit-image": ("0.26.0", "skimage"),
    "astropy": ("8.0.2", "astropy"),
}


def sources_root() -> str:
    env = os.environ.get("EIGLINT_SOURCES")
    if env:
        return env
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "eiglint", "sources")


def source_dir(project: str) -> Optional[str]:
    """The unpacked top-level package of ``project`` when it has been fetched, else None."""
    version, package = REAL_PROJECTS[project]
    path = os.path.join(sources_root(), f"{project}-{version}", package)
    return path if os.path.isdir(path) else None


def fetch(project: str) -> str:
    """Download and unpack ``project``'s wheel (once); returns its package folder."""
    found = source_dir(project)
    if found is not None:
        return found
    version, package = REAL_PROJECTS[project]
    dest = os.path.join(sources_root(), f"{project}-{version}")
    with tempfile.TemporaryDirectory(prefix="eiglint-fetch-") as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q",
                        "-d", tmp, f"{project}=={version}"], check=True)
        wheels = [f for f in os.listdir(tmp) if f.endswith(".whl")]
        if not wheels:
            raise RuntimeError(f"no wheel for {project}=={version}")
        part = dest + ".part"
        with zipfile.ZipFile(os.path.join(tmp, wheels[0])) as zf:
            for name in zf.namelist():
                if name.endswith(".py") and name.startswith(package + "/") and \
                        ".." not in name.split("/"):
                    zf.extract(name, part)
        os.replace(part, dest)
    out = source_dir(project)
    assert out is not None
    return out


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("projects", nargs="*", default=list(REAL_PROJECTS))
    args = ap.parse_args(argv)
    done: List[str] = []
    for p in args.projects:
        done.append(f"{p}: {fetch(p)}")
    print("\n".join(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
