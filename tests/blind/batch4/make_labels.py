import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from labels_spec import SPEC  # noqa: E402


def main():
    cases = HERE / "cases"
    names = sorted(p.name for p in cases.glob("*.py"))
    missing = sorted(set(names) ^ set(SPEC))
    if missing:
        raise SystemExit(f"spec/case mismatch: {missing}")
    labels = {}
    for name in names:
        bugs, note = SPEC[name]
        lines = (cases / name).read_text().splitlines()
        out = []
        for b in bugs:
            nums = []
            for sub in b["subs"]:
                hits = [i + 1 for i, line in enumerate(lines) if sub in line]
                if len(hits) != 1:
                    raise SystemExit(f"{name}: substring {sub!r} matched {len(hits)} lines")
                nums.append(hits[0])
            out.append({"id": b["id"], "lines": sorted(set(nums)), "kind": b["kind"], "why": b["why"],
                        "outputs": sorted(b["outputs"])})
        labels[name] = {"bugs": out, "note": note}
    (HERE / "labels.json").write_text(json.dumps(labels, indent=1) + "\n")
    n_bug = sum(1 for v in labels.values() if v["bugs"])
    print(f"wrote labels.json: {len(labels)} cases, {n_bug} with bugs")


if __name__ == "__main__":
    main()
