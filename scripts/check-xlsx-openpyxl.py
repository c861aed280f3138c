#!/usr/bin/env python3
"""Opens .xlsx files with openpyxl and prints (or checks) their values and merged ranges.

An independent check of Prospector's XLSX writer: if openpyxl reads a workbook the
way we meant it, Excel-compatible tools will too.

Usage:
    scripts/check-xlsx-openpyxl.py BOOK.xlsx [EXPECTED.json] [BOOK2.xlsx [EXPECTED2.json] ...]

Each workbook may be followed by a JSON file of the values it should hold:
    {"SheetName": {"rows": [[cell, ...], ...], "merged": ["A1:B2", ...]}, ...}
A cell is null (empty), a number, a string, true/false, or {"date": "2017-03-01T00:00:00"}
(a date-formatted cell, as openpyxl's datetime/date/time isoformat()). Rows are compared
with trailing empty cells and rows removed; sheets must appear in the same order.
Expected text holds control characters as themselves (see as_openpyxl_reads).
Without an expected file the workbook is printed in that format.

Exit status: 0 if every workbook opened and matched, 1 on a mismatch, 2 on usage errors.
Needs openpyxl (python3 -m venv /tmp/xlsxvenv && /tmp/xlsxvenv/bin/pip install openpyxl).
"""

import datetime
import json
import re
import sys

try:
    import openpyxl
except ImportError:
    sys.exit("openpyxl is not installed: python3 -m venv /tmp/xlsxvenv && /tmp/xlsxvenv/bin/pip install openpyxl")


def render(value):
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"date": str(value)}
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def read_workbook(path):
    book = openpyxl.load_workbook(path, data_only=True)
    result = {}
    for sheet in book.worksheets:
        rows = [[render(v) for v in row] for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)]
        for row in rows:
            while row and row[-1] is None:
                row.pop()
        while rows and not rows[-1]:
            rows.pop()
        merged = sorted(
            (str(r) for r in sheet.merged_cells.ranges),
            key=lambda a1: openpyxl.utils.cell.range_boundaries(a1)[1::-1],
        )
        result[sheet.title] = {"rows": rows, "merged": merged}
    return result


CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def as_openpyxl_reads(value):
    """openpyxl 3.1 leaves OOXML's `_xHHHH_` escapes of control characters in shared
    strings undecoded (Excel decodes them), so expected text is escaped the same way
    — upper-case hex, as Excel and Prospector write it — before comparing."""
    if isinstance(value, str):
        return CONTROL_CHARACTER.sub(lambda m: "_x%04X_" % ord(m.group(0)), value)
    return value


def same(a, b):
    # bool is an int in Python: True must not equal 1 here.
    if type(a) is bool or type(b) is bool:
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return a == b


def compare(path, actual, expected):
    problems = []
    if list(actual) != list(expected):
        problems.append(f"sheets are {list(actual)}, expected {list(expected)}")
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            continue
        want_rows = want.get("rows", [])
        for r in range(max(len(got["rows"]), len(want_rows))):
            got_row = got["rows"][r] if r < len(got["rows"]) else []
            want_row = want_rows[r] if r < len(want_rows) else []
            for c in range(max(len(got_row), len(want_row))):
                g = got_row[c] if c < len(got_row) else None
                w = as_openpyxl_reads(want_row[c] if c < len(want_row) else None)
                if not same(g, w):
                    cell = openpyxl.utils.get_column_letter(c + 1) + str(r + 1)
                    problems.append(f"sheet {name!r} cell {cell}: got {g!r}, expected {w!r}")
        if sorted(got["merged"]) != sorted(want.get("merged", [])):
            problems.append(f"sheet {name!r} merged ranges: got {got['merged']}, expected {want.get('merged', [])}")
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    return not problems


def main(args):
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    ok = True
    i = 0
    while i < len(args):
        path = args[i]
        if not path.endswith(".xlsx"):
            print(f"expected an .xlsx path, got {path}", file=sys.stderr)
            return 2
        expected_path = args[i + 1] if i + 1 < len(args) and args[i + 1].endswith(".json") else None
        i += 2 if expected_path else 1
        try:
            actual = read_workbook(path)
        except Exception as error:  # any failure to open is a failed check
            print(f"{path}: openpyxl cannot open it: {error}", file=sys.stderr)
            ok = False
            continue
        if expected_path is None:
            print(json.dumps({path: actual}, ensure_ascii=False))
            continue
        with open(expected_path, encoding="utf-8") as f:
            expected = json.load(f)
        if compare(path, actual, expected):
            print(f"{path}: OK ({len(actual)} sheets)")
        else:
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
