#!/usr/bin/env bash
# refugee-data vs polars vs DuckDB: the five targets of issue 11 in one run.
# On one generated deportations.csv (and a copy with every field quoted):
# end to end (`query deportations --by month,origin,source`), load, peak
# memory, in-memory aggregation vs the sum floor; on UNHCR's real
# population.csv (imported once a run): each query of the README's
# "Your own data" section end to end.
# Usage: benches/peers/run.sh            (from anywhere)
# Env:   ROWS (default 5000000), RUNS (default 5), AGGS (default 20),
#        SEED (default: the generator's fixed seed),
#        CARGO_TARGET_DIR (default: the crate's target/),
#        UNHCR_CSV, DTM_CSV (default: ../shared/data/ beside the crate).
# Quick check: ROWS=200000 RUNS=3 AGGS=3 benches/peers/run.sh
# See README.md beside this file.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-5000000}"
RUNS="${RUNS:-5}"
AGGS="${AGGS:-20}"
SEED="${SEED:-}"
UNHCR_CSV="${UNHCR_CSV:-$ROOT/../shared/data/unhcr/population.csv}"
DTM_CSV="${DTM_CSV:-$ROOT/../shared/data/hdx/iom_dtm_idps_global_hxl.csv}"
# Cargo resolves a relative CARGO_TARGET_DIR against its working directory,
# the crate's root here.
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET_DIR" in /*) ;; *) TARGET_DIR="$ROOT/$TARGET_DIR" ;; esac
BIN="$TARGET_DIR/release"

# Pinned peer versions (the ones this benchmark was written and run with).
POLARS_VERSION=2.1.0
DUCKDB_VERSION=2.0.1

VENV="$HERE/.venv"
WORK="$HERE/work"

for f in "$UNHCR_CSV" "$DTM_CSV"; do
    if [ ! -f "$f" ]; then
        echo "error: $f not found: set UNHCR_CSV (UNHCR's population.csv, R package" \
             "refugees) and DTM_CSV (IOM DTM's HXL file from HDX)" >&2
        exit 2
    fi
done

# 1. Python venv with polars and DuckDB.
if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV" >&2
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" - "$POLARS_VERSION" "$DUCKDB_VERSION" <<'PY' 2>/dev/null
import sys, polars, duckdb
sys.exit(not (polars.__version__ == sys.argv[1] and duckdb.__version__ == sys.argv[2]))
PY
then
    echo "== installing polars==$POLARS_VERSION duckdb==$DUCKDB_VERSION" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "polars==$POLARS_VERSION" "polars-runtime-32==$POLARS_VERSION" "duckdb==$DUCKDB_VERSION"
fi

# 2. Our release binaries.
echo "== cargo build --release (into $TARGET_DIR)" >&2
(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --quiet \
    --bin refugee-data --example peer_ours --example generate)

# 3. The generated deportations.csv, alone in its directory (the end-to-end
#    run reads the directory), and its quoted copy; both regenerated only
#    when ROWS or SEED change.
WANT="deportations $ROWS ${SEED:-default}"
PLAIN="$WORK/plain"
QUOTED="$WORK/quoted"
mkdir -p "$PLAIN" "$QUOTED"
if [ ! -f "$PLAIN/deportations.csv" ] || [ "$(cat "$WORK/.plain" 2>/dev/null)" != "$WANT" ]; then
    echo "== generating $ROWS rows into $PLAIN/deportations.csv" >&2
    rm -f "$WORK/.plain" "$WORK/.quoted"
    "$BIN/examples/generate" deportations "$ROWS" "$PLAIN" $SEED
    echo "$WANT" > "$WORK/.plain"
fi
if [ ! -f "$QUOTED/deportations.csv" ] || [ "$(cat "$WORK/.quoted" 2>/dev/null)" != "$WANT" ]; then
    echo "== writing the quoted copy $QUOTED/deportations.csv (polars write_csv)" >&2
    rm -f "$WORK/.quoted"
    "$VENV/bin/python" "$HERE/peers.py" quote "$PLAIN/deportations.csv" "$QUOTED/deportations.csv"
    echo "$WANT" > "$WORK/.quoted"
fi
for d in "$PLAIN" "$QUOTED"; do
    rm -f "$d/registrations.csv" "$d/statements.csv"
done

# The plain file exported as Parquet by our own `export` (issue 13).
PARQUET="$WORK/parquet"
rm -rf "$PARQUET"
echo "== exporting $PLAIN as Parquet into $PARQUET" >&2
"$BIN/refugee-data" export --format parquet --data "$PLAIN" --out "$PARQUET" >&2

# 4. The real data, imported as the README's "Your own data" section does
#    (again every run: the importer may have changed; not measured).
REAL="$WORK/real"
rm -rf "$REAL"
echo "== importing $UNHCR_CSV and $DTM_CSV into $REAL" >&2
"$BIN/refugee-data" import unhcr "$UNHCR_CSV" --out "$REAL" >&2
"$BIN/refugee-data" import hxl "$DTM_CSV" --out "$REAL" --source "IOM DTM" \
    --where "#adm+level=0,#assessment+type=BA" --parts total --sum-rows >&2

# 5. Measure.
echo "== load average: $(uptime)" >&2
echo "== measuring (medians of $RUNS runs; aggregation $AGGS runs)" >&2
exec "$VENV/bin/python" "$HERE/peers.py" --root "$ROOT" --bin-dir "$BIN" --work "$WORK" \
    --plain "$PLAIN" --quoted "$QUOTED" --real "$REAL" --parquet "$PARQUET" \
    --runs "$RUNS" --aggs "$AGGS"
