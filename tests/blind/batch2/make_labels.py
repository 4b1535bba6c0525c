"""Build labels.json from a spec that names bug lines by a unique substring."""
import json
import pathlib

CASES = pathlib.Path(__file__).parent / "cases"

# file: (note, [ (id, kind, [substrings], outputs, why) ])
SPEC = {}


def bug(file, note, *bugs):
    SPEC[file] = (note, list(bugs))


def clean(file, note):
    SPEC[file] = (note, [])


exec(open(pathlib.Path(__file__).parent / "labels_spec.py").read())


def line_of(text, sub, file):
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if sub in line]
    if len(hits) != 1:
        raise SystemExit(f"{file}: substring {sub!r} matches lines {hits}")
    return hits[0]


out = {}
for file in sorted(p.name for p in CASES.glob("*.py")):
    if file not in SPEC:
        raise SystemExit(f"no spec for {file}")
    note, bugs = SPEC[file]
    text = (CASES / file).read_text()
    entries = []
    for bid, kind, subs, outputs, why in bugs:
        lines = sorted({line_of(text, s, file) for s in subs})
        entries.append({"id": bid, "lines": lines, "kind": kind, "why": why, "outputs": outputs})
    out[file] = {"bugs": entries, "note": note}
extra = set(SPEC) - set(out)
if extra:
    raise SystemExit(f"spec for missing cases: {extra}")
(pathlib.Path(__file__).parent / "labels.json").write_text(json.dumps(out, indent=2) + "\n")
print(f"{len(out)} cases, {sum(bool(v['bugs']) for v in out.values())} with bugs")
