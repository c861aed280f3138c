#!/usr/bin/env python3
"""Peer for the `ingest_clean` step: read an Arvato-shaped CSV and clean it as analysts do.

Usage: bench/.venv/bin/python bench/peer/clean_peer.py FILE --values "DIAS Attributes - Values 2017.xlsx"
                                                         [--max-missing 0.30] [--out X.npy]

This is the reference the Swift cleaning transform is compared against, so each rule below is
deliberate and the order matters:

 1. Metadata: `pd.read_excel` (openpyxl) of sheet Tabelle1, header on row 2, columns B..E.
    Attribute stands only on a block's first row: blank (or whitespace-only) cells are filled
    forward. Merged Meaning cells arrive as one value and blanks below: filled forward within the
    attribute. A code is "unknown" when its Meaning contains "unknown" (any case); cells such as
    `-1, 9` list several codes.
 2. Metadata names are mapped to data columns: exact; `<col>_RZ`; and five renames
    (CAMEO_DEUINTL_2015, D19_BUCH_RZ, KBA13_CCM_1400_2500, SOHO_FLAG, D19_KK_KUNDENTYP).
 3. Read: `pd.read_csv(sep=';', low_memory=False)` with `X`/`XX` read as missing in the three
    CAMEO columns (so CAMEO_DEUG_2015 / CAMEO_INTL_2015 parse as numbers). LNR is the index; a
    leading unnamed index column and the file-specific columns (PRODUCT_GROUP, CUSTOMER_GROUP,
    ONLINE_PURCHASE, RESPONSE) are set aside, so AZDIAS, CUSTOMERS and MAILOUT give the same columns.
 4. Unknown codes -> NaN, column by column (vectorised `isin` + `mask`).
 5. Drop every column missing in more than 30 % of rows (after step 4).
 6. Per-row missing share over the remaining columns -> feature ROW_MISSING_SHARE (taken before
    any engineered column exists; rows over 0.5 are counted in the report, not removed).
 7. EINGEFUEGT_AM -> year. OST_WEST_KZ -> O 0 / W 1.
    CAMEO_INTL_2015 -> CAMEO_INTL_2015_WEALTH (tens digit) and CAMEO_INTL_2015_LIFE_STAGE (units).
    PRAEGENDE_JUGENDJAHRE -> PRAEGENDE_JUGENDJAHRE_DECADE (1..6 for the 40s..90s) and
    PRAEGENDE_JUGENDJAHRE_MOVEMENT (mainstream 0 / avantgarde 1). The source columns are dropped.
 8. CAMEO_DEU_2015 and D19_LETZTER_KAUF_BRANCHE -> one-hot (`pd.get_dummies`, missing = all zeros).
 9. Median imputation (`SimpleImputer`) then `StandardScaler`, on a float64 matrix.

Prints one JSON line:
    {"step": "ingest_clean", "seconds": .., "rows": .., "columns_out": .., "peak_mb": .., ...}
`seconds` runs from reading the workbook to the scaled matrix (imports excluded); the extra keys
split it into phases and count what the rules did.
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import StandardScaler

# Metadata names that are not the data's names, beyond the `_RZ` suffix.
METADATA_RENAMES = {
    "CAMEO_DEUINTL_2015": "CAMEO_INTL_2015",
    "D19_BUCH_RZ": "D19_BUCH_CD",
    "KBA13_CCM_1400_2500": "KBA13_CCM_1401_2500",
    "SOHO_FLAG": "SOHO_KZ",
    "D19_KK_KUNDENTYP": "KK_KUNDENTYP",
}
CAMEO_MARKERS = {"CAMEO_DEU_2015": ["XX"], "CAMEO_DEUG_2015": ["X"], "CAMEO_INTL_2015": ["XX"]}
FILE_SPECIFIC = ["PRODUCT_GROUP", "CUSTOMER_GROUP", "ONLINE_PURCHASE", "RESPONSE"]
ONE_HOT = ["CAMEO_DEU_2015", "D19_LETZTER_KAUF_BRANCHE"]

# PRAEGENDE_JUGENDJAHRE: the metadata's 15 codes are (decade, movement) pairs.
DECADE = {1: 1, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3, 7: 3, 8: 4, 9: 4, 10: 5, 11: 5, 12: 5, 13: 5, 14: 6, 15: 6}
AVANTGARDE = {2, 4, 6, 7, 9, 11, 13, 15}
MOVEMENT = {code: (1 if code in AVANTGARDE else 0) for code in DECADE}


def parse_code(token):
    """A metadata code as the data holds it: an int where it is one, else the text."""
    token = token.strip()
    try:
        return int(token)
    except ValueError:
        try:
            number = float(token)
            return int(number) if number.is_integer() else number
        except ValueError:
            return token


def unknown_codes(values_xlsx):
    """Metadata attribute name -> list of codes whose meaning is 'unknown'."""
    meta = pd.read_excel(values_xlsx, sheet_name="Tabelle1", header=1, usecols="B:E", dtype=object)
    meta.columns = [str(c).strip() for c in meta.columns]
    attribute = meta["Attribute"].astype("string").str.strip()
    meta["Attribute"] = attribute.mask(attribute == "").ffill()
    meta["Meaning"] = meta.groupby("Attribute", sort=False)["Meaning"].ffill()
    meta = meta.dropna(subset=["Value"])
    is_unknown = meta["Meaning"].astype("string").str.contains("unknown", case=False, na=False)
    unknown = meta.loc[is_unknown, ["Attribute", "Value"]].copy()
    unknown["Value"] = unknown["Value"].astype(str).str.split(",")
    unknown = unknown.explode("Value")
    unknown["Value"] = unknown["Value"].map(parse_code)
    return unknown.groupby("Attribute", sort=False)["Value"].agg(list).to_dict()


def data_name(meta_name, columns):
    """The data column a metadata attribute describes, or None."""
    if meta_name in columns:
        return meta_name
    if meta_name in METADATA_RENAMES:
        return METADATA_RENAMES[meta_name] if METADATA_RENAMES[meta_name] in columns else None
    if meta_name.endswith("_RZ") and meta_name[:-3] in columns:
        return meta_name[:-3]
    return None


def read_frame(path):
    frame = pd.read_csv(path, sep=";", low_memory=False, na_values=CAMEO_MARKERS)
    if frame.columns[0].startswith("Unnamed"):
        frame = frame.drop(columns=frame.columns[0])
    frame = frame.set_index("LNR")
    return frame.drop(columns=[c for c in FILE_SPECIFIC if c in frame.columns])


def clean(frame, unknown_by_attribute, max_missing):
    report = {}
    columns = set(frame.columns)
    mapped = 0
    for meta_name, codes in unknown_by_attribute.items():
        column = data_name(meta_name, columns)
        if column is None:
            continue
        mapped += 1
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        codes = [c for c in codes if isinstance(c, (int, float)) == numeric]
        if codes:
            frame[column] = frame[column].mask(frame[column].isin(codes))
    report["unknown_columns"] = mapped

    missing = frame.isna().mean()
    dropped = missing.index[missing > max_missing]
    frame = frame.drop(columns=dropped)
    report["columns_dropped"] = len(dropped)

    row_missing = frame.isna().mean(axis=1)
    report["rows_over_half_missing"] = int((row_missing > 0.5).sum())

    engineered = {"ROW_MISSING_SHARE": row_missing}
    if "EINGEFUEGT_AM" in frame:
        engineered["EINGEFUEGT_AM"] = pd.to_datetime(
            frame["EINGEFUEGT_AM"], format="%Y-%m-%d %H:%M:%S").dt.year
    if "OST_WEST_KZ" in frame:
        engineered["OST_WEST_KZ"] = frame["OST_WEST_KZ"].map({"O": 0.0, "W": 1.0})
    if "CAMEO_INTL_2015" in frame:
        code = frame["CAMEO_INTL_2015"]
        engineered["CAMEO_INTL_2015_WEALTH"] = code // 10
        engineered["CAMEO_INTL_2015_LIFE_STAGE"] = code % 10
    if "PRAEGENDE_JUGENDJAHRE" in frame:
        code = frame["PRAEGENDE_JUGENDJAHRE"]
        engineered["PRAEGENDE_JUGENDJAHRE_DECADE"] = code.map(DECADE)
        engineered["PRAEGENDE_JUGENDJAHRE_MOVEMENT"] = code.map(MOVEMENT)
    replaced = [c for c in ("EINGEFUEGT_AM", "OST_WEST_KZ", "CAMEO_INTL_2015", "PRAEGENDE_JUGENDJAHRE")
                if c in frame]
    one_hot = [c for c in ONE_HOT if c in frame]
    dummies = pd.get_dummies(frame[one_hot], prefix=one_hot, dtype=np.float64)
    frame = pd.concat([frame.drop(columns=replaced + one_hot), pd.DataFrame(engineered), dummies], axis=1)

    leftover = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if leftover:
        raise SystemExit(f"clean_peer.py: columns still not numeric after cleaning: {leftover}")
    return frame, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file")
    parser.add_argument("--values", required=True, help='"DIAS Attributes - Values 2017.xlsx"')
    parser.add_argument("--max-missing", type=float, default=0.30)
    parser.add_argument("--out", help="save the cleaned matrix as .npy (+ .columns.json)")
    args = parser.parse_args()

    started = time.perf_counter()
    unknown_by_attribute = unknown_codes(args.values)
    metadata_done = time.perf_counter()
    frame = read_frame(args.file)
    read_done = time.perf_counter()
    frame, report = clean(frame, unknown_by_attribute, args.max_missing)
    clean_done = time.perf_counter()
    names = list(frame.columns)
    rows = frame.shape[0]
    matrix = frame.to_numpy(dtype=np.float64)
    del frame
    # copy=False: impute in place; the median fit alone already needs about two more copies.
    matrix = SimpleImputer(strategy="median", copy=False).fit_transform(matrix)
    matrix = StandardScaler(copy=False).fit_transform(matrix)
    finished = time.perf_counter()

    if args.out:
        np.save(args.out, matrix)
        with open(os.path.splitext(args.out)[0] + ".columns.json", "w") as handle:
            json.dump(names, handle)
    print(json.dumps({
        "step": "ingest_clean",
        "seconds": round(finished - started, 4),
        "rows": int(rows),
        "columns_out": int(matrix.shape[1]),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "metadata_seconds": round(metadata_done - started, 4),
        "read_seconds": round(read_done - metadata_done, 4),
        "clean_seconds": round(clean_done - read_done, 4),
        "impute_scale_seconds": round(finished - clean_done, 4),
        "bytes": os.path.getsize(args.file),
        **report,
    }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
