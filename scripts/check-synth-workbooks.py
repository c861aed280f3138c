#!/usr/bin/env python3
"""Opens the metadata workbooks that `trainer synth` writes with openpyxl (an independent
reader) and checks the real layout Prospector promises: the header on row 2 from column B,
one block per attribute with its name on the first row only, vertical merges in Meaning and
in the level column, `-1, 9`-style text codes and the `…` marker.

Usage: scripts/check-synth-workbooks.py DIR   (DIR holds the two DIAS workbooks)
Exit status 0 when both workbooks open and hold that layout, 1 otherwise.
"""
import sys
from pathlib import Path

import openpyxl


def fail(message):
    print("check-synth-workbooks: " + message, file=sys.stderr)
    sys.exit(1)


def main(directory):
    values_path = Path(directory) / "DIAS Attributes - Values 2017.xlsx"
    levels_path = Path(directory) / "DIAS Information Levels - Attributes 2017.xlsx"
    values = openpyxl.load_workbook(values_path, data_only=True)
    sheet = values["Tabelle1"]
    header = [sheet.cell(row=2, column=c).value for c in range(2, 6)]
    if header != ["Attribute", "Description", "Value", "Meaning"]:
        fail(f"{values_path.name}: header on row 2 is {header}")
    if sheet.cell(row=1, column=2).value is not None or any(
            sheet.cell(row=r, column=1).value is not None for r in range(1, sheet.max_row + 1)):
        fail(f"{values_path.name}: row 1 and column A must be empty")
    names = [sheet.cell(row=r, column=2).value for r in range(3, sheet.max_row + 1)]
    attributes = [n for n in names if isinstance(n, str) and n.strip()]
    if len(attributes) != len(set(attributes)) or len(attributes) < 300:
        fail(f"{values_path.name}: {len(attributes)} attribute blocks ({len(set(attributes))} distinct)")
    codes = [sheet.cell(row=r, column=4).value for r in range(3, sheet.max_row + 1)]
    if "-1, 9" not in codes or "\u2026" not in codes:
        fail(f"{values_path.name}: no '-1, 9' or '\u2026' value cells")
    meaning_merges = [str(m) for m in sheet.merged_cells.ranges if str(m).startswith("E")]
    if not meaning_merges:
        fail(f"{values_path.name}: no merged Meaning ranges")

    levels = openpyxl.load_workbook(levels_path, data_only=True)["Komplett"]
    header = [levels.cell(row=2, column=c).value for c in range(2, 6)]
    if header != ["Information level", "Attribute", "Description", "Additional notes"]:
        fail(f"{levels_path.name}: header on row 2 is {header}")
    level_merges = [str(m) for m in levels.merged_cells.ranges if str(m).startswith("B")]
    if len(level_merges) < 3:
        fail(f"{levels_path.name}: {len(level_merges)} merged level ranges")
    print(f"openpyxl {openpyxl.__version__}: {values_path.name}: {len(attributes)} attributes, "
          f"{len(meaning_merges)} merged meanings; {levels_path.name}: {len(level_merges)} merged levels")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
