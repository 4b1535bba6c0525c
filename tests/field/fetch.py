"""Fetch the pinned sources of the labelled field set (never committed).

For every project in ``labels.json`` this downloads the pinned wheel with
``python -m pip download --no-deps --only-binary=:all: NAME==VERSION`` (falling back to the
sdist when pip finds no wheel for this interpreter), extracts the Python sources into
``DEST/src/<name>-<version>/`` and prints where they are.  The project root used by the labels
(``root`` in ``labels.json``, e.g. ``pydmd`` or ``sklearn``) is a folder inside that directory.

Usage::

    python tests/field/fetch.py                 # into ~/.cache/eiglint-field
    python tests/field/fetch.py --dest /tmp/f   # elsewhere
    python tests/field/fetch.py -p pydmd        # one project

Stdlib only.  Exit status 0 when every requested project is available, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.json"
DEFAULT_DEST = Path.home() / ".cache" / "eiglint-field"


def load_projects(labels: Path = LABELS) -> List[Dict[str, Any]]:
    """The project entries of ``labels.json``."""
    data: Dict[str, Any] = json.loads(labels.read_text(encoding="utf-8"))
    projects: List[Dict[str, Any]] = data["projects"]
    return projects


def source_dir(dest: Path, project: Dict[str, Any]) -> Path:
    """Folder that holds the extracted sources of one project."""
    return dest / "src" / f"{project['name']}-{project['version']}"


def project_root(dest: Path, project: Dict[str, Any]) -> Path:
    """The project root the labels' file paths are relative to."""
    return source_dir(dest, project) / str(project["root"])


def _pip_download(spec: str, into: Path, binary: bool) -> Optional[Path]:
    into.mkdir(parents=True, exist_ok=True)
    before = set(into.iterdir())
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(into), spec]
    cmd[5:5] = ["--only-binary=:all:"] if binary else ["--no-binary=:all:"]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-2000:])
        return None
    new = sorted(set(into.iterdir()) - before)
    if new:
        return new[0]
    # already present: pip reports it but writes nothing new
    name, version = spec.split("==")
    stems = {name.lower().replace("-", "_"), name.lower()}
    for path in sorted(into.iterdir()):
        low = path.name.lower()
        if any(low.startswith(f"{stem}-{version}") for stem in stems):
            return path
    return None


#: what is extracted: the sources, and the stubs that lazy loaders read at run time
#: (``lazy_loader.attach_stub`` in MNE's packages reads ``__init__.pyi``)
_KEPT = (".py", ".pyi")


def _add_stubs(archive: Path, out: Path) -> None:
    """Add the ``.pyi`` stubs of a wheel to sources extracted before stubs were kept (only
    files that are missing: a run reading the folder meanwhile sees nothing removed)."""
    if archive.suffix != ".whl":
        return
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            if info.filename.endswith(".pyi") and ".." not in Path(info.filename).parts \
                    and not (out / info.filename).exists():
                zf.extract(info, out)


def _extract(archive: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".part")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                if info.filename.endswith(_KEPT) and ".." not in Path(info.filename).parts:
                    zf.extract(info, tmp)
    else:
        with tarfile.open(archive) as tf:
            members = [
                m for m in tf.getmembers()
                if m.isfile() and m.name.endswith(_KEPT) and ".." not in Path(m.name).parts
            ]
            tf.extractall(tmp, members=members)
        # an sdist has one top folder NAME-VERSION/ (and often src/): flatten it
        tops = list(tmp.iterdir())
        if len(tops) == 1 and tops[0].is_dir():
            inner = tops[0] / "src" if (tops[0] / "src").is_dir() else tops[0]
            flat = out.with_name(out.name + ".flat")
            inner.rename(flat)
            shutil.rmtree(tmp)
            flat.rename(tmp)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)


def fetch(project: Dict[str, Any], dest: Path) -> Optional[Path]:
    """Download and extract one project; return its root, or None when it cannot be fetched."""
    root = project_root(dest, project)
    spec = f"{project['name']}=={project['version']}"
    downloads = dest / "downloads"
    if root.is_dir():
        name, version = project["name"].lower(), project["version"]
        for archive in sorted(downloads.glob("*.whl")) if downloads.is_dir() else []:
            stem = archive.name.lower()
            if any(stem.startswith(f"{n}-{version}-") for n in (name, name.replace("-", "_"))):
                _add_stubs(archive, source_dir(dest, project))
        return root
    archive = _pip_download(spec, downloads, binary=True)
    if archive is None:
        archive = _pip_download(spec, downloads, binary=False)
    if archive is None:
        return None
    _extract(archive, source_dir(dest, project))
    return root if root.is_dir() else None


def field_parser(doc: str, verb: str) -> argparse.ArgumentParser:
    """The options fetch.py and score.py share: --dest, -p/--project, --labels."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST,
                        help=f"cache folder of the sources (default {DEFAULT_DEST})")
    parser.add_argument("-p", "--project", action="append", default=[],
                        help=f"{verb} only this project (repeatable)")
    parser.add_argument("--labels", type=Path, default=LABELS)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = field_parser(__doc__, "fetch").parse_args(argv)
    projects = load_projects(args.labels)
    wanted = set(args.project)
    unknown = wanted - {str(p["name"]) for p in projects}
    if unknown:
        print(f"unknown project(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    ok = True
    for project in projects:
        if wanted and project["name"] not in wanted:
            continue
        root = fetch(project, args.dest)
        label = f"{project['name']}=={project['version']}"
        if root is None:
            ok = False
            print(f"{label}: NOT fetched")
        else:
            print(f"{label}: {root}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
