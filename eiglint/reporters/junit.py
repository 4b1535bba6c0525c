"""``junit``: JUnit XML, one test suite per file, one failing test case per finding.

With no findings there is one passing test case, so CI dashboards show that the check ran. The
``file``/``line`` attributes of a notebook finding point at the raw ``.ipynb`` line; the message
names the cell and the failure text keeps ``nb.ipynb:cell N:line:col``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..types import Finding
from ._common import TOOL_NAME, Context, cell_label, file_span, message_with_verdict, position


def render(findings: Sequence[Finding], ctx: Context) -> str:
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    root = ET.Element("testsuites", name=TOOL_NAME)
    total = failures = 0
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name=TOOL_NAME, tests="1", failures="0",
                              errors="0", skipped="0")
        ET.SubElement(suite, "testcase", name="no findings", classname=TOOL_NAME)
        total = 1
    for path in sorted(by_file):
        items = by_file[path]
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(items)),
                              failures=str(len(items)), errors="0", skipped="0")
        for f in items:
            case = ET.SubElement(suite, "testcase", name=f"{TOOL_NAME}.{f.code}", classname=path,
                                 file=f.path, line=str(file_span(f, ctx).line))
            failure = ET.SubElement(case, "failure",
                                    message=cell_label(f) + message_with_verdict(f), type=f.code)
            failure.text = f"{position(f)}: {f.code} {message_with_verdict(f)}"
            total += 1
            failures += 1
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
