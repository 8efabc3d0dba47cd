#!/usr/bin/env python3
"""Proof that other tools read our Parquet files: DuckDB reads the files that
`examples/export_parquet.rs` wrote and every row is compared, field by field,
with the canonical CSV files they came from.

Usage: tools/readback.py PARQUET_DIR CSV_DIR

PARQUET_DIR holds registrations.parquet, deportations.parquet and
statements.parquet, and by-year/<table>/year=YYYY/part-0.parquet (the Hive
layout). CSV_DIR holds the canonical CSV files (data/ for the sample, which
is written canonically). Checked:

* the columns, their names, order and types (dates DATE, counts UBIGINT,
  everything else VARCHAR);
* each row equals the CSV row on the same position, a null being an empty
  field;
* the Hive layout holds the same rows, each in the folder of its date's year.

Exits 1 naming the first difference of each table.
"""

import csv
import sys
from pathlib import Path

import duckdb

TABLES = ["registrations", "deportations", "statements"]


def field(value):
    """A DuckDB value as the canonical CSV writes it."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def expected_type(column):
    if column in ("date", "period_start"):
        return "DATE"
    if column == "count":
        return "UBIGINT"
    return "VARCHAR"


def check_table(con, parquet_dir, csv_dir, table):
    """The problems found in one table (empty when it reads back equal)."""
    header, csv_rows = read_csv(Path(csv_dir) / f"{table}.csv")
    path = str(Path(parquet_dir) / f"{table}.parquet")
    problems = []
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
    columns = [(name, kind) for name, kind, *_ in described]
    want = [(name, expected_type(name)) for name in header]
    if columns != want:
        problems.append(f"{table}: columns {columns}, expected {want}")
        return problems, 0
    rows = con.execute("SELECT * FROM read_parquet(?)", [path]).fetchall()
    if len(rows) != len(csv_rows):
        problems.append(f"{table}: {len(rows)} rows in Parquet, {len(csv_rows)} in CSV")
    for i, (ours, theirs) in enumerate(zip(csv_rows, rows)):
        got = [field(v) for v in theirs]
        if got != ours:
            problems.append(f"{table}: row {i + 1}: Parquet {got}, CSV {ours}")
            break
    problems.extend(check_partitions(con, parquet_dir, table, header, csv_rows))
    return problems, len(rows)


def check_partitions(con, parquet_dir, table, header, csv_rows):
    """The Hive layout: the same rows, each under the year of its date."""
    folder = Path(parquet_dir) / "by-year" / table
    if not csv_rows:
        return []
    pattern = str(folder / "*" / "*.parquet")
    rows = con.execute(
        "SELECT * FROM read_parquet(?, hive_partitioning = true)", [pattern]
    ).fetchall()
    names = [d[0] for d in con.description]
    if names != header + ["year"]:
        return [f"{table} by year: columns {names}, expected {header + ['year']}"]
    date = header.index("date")
    wrong = [r for r in rows if int(r[-1]) != r[date].year]
    if wrong:
        return [f"{table} by year: {len(wrong)} rows in another year's folder, e.g. {wrong[0]}"]
    got = sorted([field(v) for v in r[:-1]] for r in rows)
    if got != sorted(csv_rows):
        return [f"{table} by year: the rows differ from the CSV file's"]
    return []


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    parquet_dir, csv_dir = sys.argv[1], sys.argv[2]
    con = duckdb.connect()
    failed = 0
    for table in TABLES:
        problems, n = check_table(con, parquet_dir, csv_dir, table)
        for p in problems:
            print(p, file=sys.stderr)
        failed += bool(problems)
        status = "differs" if problems else "equal"
        print(f"readback {table}: {n} rows read by DuckDB {duckdb.__version__}, {status}")
    print(f"readback: {len(TABLES) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
