import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from labels_spec import SPEC

cases = pathlib.Path(__file__).parent / "cases"
out = {}
errors = []
for fname, spec in sorted(SPEC.items()):
    path = cases / fname
    if not path.exists():
        errors.append(f"{fname}: missing file")
        continue
    lines = path.read_text().splitlines()
    bugs = []
    for i, b in enumerate(spec["bugs"], 1):
        nums = []
        for sub in b["lines"]:
            hits = [n for n, text in enumerate(lines, 1) if sub in text]
            if len(hits) != 1:
                errors.append(f"{fname}: substring {sub!r} matches {len(hits)} lines")
                continue
            nums.append(hits[0])
        bugs.append({"id": f"b{i}", "lines": sorted(set(nums)), "kind": b["kind"], "why": b["why"], "outputs": b["outputs"]})
    out[fname] = {"bugs": bugs, "note": spec["note"]}
for p in sorted(cases.glob("*.py")):
    if p.name not in out:
        errors.append(f"{p.name}: no label")
    text = p.read_text().splitlines()
    if not text[0].startswith("# modelled on: "):
        errors.append(f"{p.name}: bad first line")
    if any(l.lstrip().startswith("#") for l in text[1:]):
        errors.append(f"{p.name}: extra comment")
(pathlib.Path(__file__).parent / "labels.json").write_text(json.dumps(out, indent=1) + "\n")
print(f"{len(out)} labels written")
if errors:
    print("\n".join(errors))
    sys.exit(1)
