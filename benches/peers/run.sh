#!/usr/bin/env bash
# refugee-data vs polars vs DuckDB, side by side on one generated file.
# Query: sum(count) and rows of the deportations by month, origin and source
# (source because of the flow source rule; see README.md).
# Usage: benches/peers/run.sh            (from anywhere)
# Env:   ROWS (default 5000000), RUNS (default 5, at least 5), AGGS (default 20),
#        SEED (default: the generator's fixed seed).
# See README.md beside this file.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ROWS="${ROWS:-5000000}"
RUNS="${RUNS:-5}"
AGGS="${AGGS:-20}"
SEED="${SEED:-}"

# Pinned peer versions (the ones this benchmark was written and run with).
POLARS_VERSION=2.1.0
DUCKDB_VERSION=2.0.1

VENV="$HERE/.venv"
WORK="$HERE/work"

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
echo "== cargo build --release" >&2
(cd "$ROOT" && cargo build --release --quiet --bin refugee-data --example peer_ours --example generate)

# 3. One generated deportations.csv (regenerated only when ROWS or SEED change).
mkdir -p "$WORK"
STAMP="$WORK/.generated"
WANT="deportations $ROWS ${SEED:-default}"
if [ ! -f "$WORK/deportations.csv" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
    echo "== generating $ROWS rows into $WORK/deportations.csv" >&2
    rm -f "$STAMP"
    "$ROOT/target/release/examples/generate" deportations "$ROWS" "$WORK" $SEED
    echo "$WANT" > "$STAMP"
fi
# The end-to-end run reads the directory: nothing else of the dataset in it.
rm -f "$WORK/registrations.csv" "$WORK/statements.csv"

# 4. Measure.
echo "== measuring (medians of $RUNS runs; aggregation $AGGS runs)" >&2
exec "$VENV/bin/python" "$HERE/peers.py" --root "$ROOT" --work "$WORK" --runs "$RUNS" --aggs "$AGGS"
