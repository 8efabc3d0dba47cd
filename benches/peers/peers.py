#!/usr/bin/env python3
"""Side-by-side benchmark of refugee-data against polars and DuckDB: the five
targets of issue 11 in one run.

Run through ``benches/peers/run.sh`` (which makes the venv, builds the
binaries, generates the files and imports the real data); see README.md
beside this file.

What is measured (medians; polars and DuckDB on their default threads, both
cores):

1. end to end on the generated ``deportations.csv``: ``refugee-data query
   deportations --by month,origin,source --format csv`` vs polars
   ``scan_csv`` lazy vs DuckDB ``read_csv``, each a fresh process;
2. load: our strict loader (``examples/peer_ours.rs``, ``Loader::read_dir``)
   vs ``pl.read_csv`` (and DuckDB ``CREATE TABLE AS read_csv``);
3. real data: each query of the top-level README's "Your own data" section,
   end to end on the imported UNHCR (+ IOM DTM) directory, vs DuckDB SQL and
   polars lazy queries over the same canonical CSV files, written with the
   same rules (stocks: the latest observation of each series in each bucket,
   or as of a date, then summed; flows summed);
4. peak resident memory of our end-to-end run, as a fraction of the file;
5. in-memory aggregation vs the one-thread sum floor (and, to show what
   bounds it, vs a bare two-thread group-by of the same columns, the
   ``group_s`` floor of ``peer_ours``).

Steps 1, 2 and 4 run on the plain generated file and on a *quoted* copy
(every field quoted, as polars writes with ``quote_style="always"``).

Every answer is compared with ours (after sorting), and the run fails loudly
if one differs.

Subcommands (child processes): ``inmem-polars``, ``inmem-duckdb`` (loads and
in-memory aggregations), ``e2e polars|duckdb SPEC_JSON OUT`` (one end-to-end
query) and ``quote SRC DST`` (writes the quoted copy).
"""

import argparse
import csv
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time

TIME_DIMS = ("day", "week", "month", "quarter", "year")
SERIES = ("origin", "host", "population", "source")  # a registration series
# polars / DuckDB types of the canonical columns; any other column is text.
COLUMN_TYPES = {"date": ("Date", "DATE"), "period_start": ("Date", "DATE"),
                "count": ("UInt64", "UBIGINT")}

# The query of targets 1, 2 and 5 on the generated file. `source` is a
# grouping column because of the flow source rule: the generated file has 12
# sources, and `by month, origin` alone is refused (Error::SourceAmbiguity).
SYNTHETIC = {"table": "deportations", "by": ["month", "origin", "source"], "filters": {}}

# The queries of the README's "Your own data" section that give an answer.
REAL_QUERIES = [
    {"name": "Afghan refugees in PAK, IRN, DEU as of 2023-12-31, by host",
     "table": "registrations", "by": ["host"],
     "filters": {"origin": ["AFG"], "population": ["refugees"], "host": ["PAK", "IRN", "DEU"]},
     "as_of": "2023-12-31"},
    {"name": "Afghan returns from PAK, IRN 2021-2024, by year, host",
     "table": "deportations", "by": ["year", "host"],
     "filters": {"origin": ["AFG"], "host": ["PAK", "IRN"]},
     "from": "2021-01-01", "to": "2024-12-31"},
    {"name": "IDPs in Afghanistan 2017-2024, by year, source",
     "table": "registrations", "by": ["year", "source"],
     "filters": {"origin": ["AFG"], "host": ["AFG"], "population": ["idps"]},
     "from": "2017-01-01", "to": "2024-12-31"},
]
# The README's query that must be refused (two sources for one population).
REAL_REFUSED = {"table": "registrations", "by": ["year"],
                "filters": {"origin": ["AFG"], "host": ["AFG"], "population": ["idps"]},
                "from": "2017-01-01", "to": "2024-12-31"}
REFUSAL = "error: two sources for one population would be added"


def header_of(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return next(csv.reader(f))


def polars_schema(pl, path):
    return {c: getattr(pl, COLUMN_TYPES.get(c, ("String",))[0]) for c in header_of(path)}


def duckdb_read_csv(path):
    # Explicit columns and dialect: no sniffing, no type detection.
    cols = ", ".join(f"'{c}': '{COLUMN_TYPES.get(c, (None, 'VARCHAR'))[1]}'"
                     for c in header_of(path))
    return (f"read_csv('{path}', header = true, delim = ',', quote = '\"', escape = '\"', "
            f"auto_detect = false, columns = {{{cols}}})")


def split_dims(spec):
    time_dims = [d for d in spec["by"] if d in TIME_DIMS]
    assert len(time_dims) <= 1, spec
    return (time_dims[0] if time_dims else None), [d for d in spec["by"] if d not in TIME_DIMS]


def is_stock(spec):
    return spec["table"] == "registrations"


# ---------------------------------------------------------------- DuckDB SQL
# method "trunc": group by the truncated date (date_trunc, year()), label
# after the aggregation; method "label": group by the printed label.

DUCK_TRUNC = {"day": "date", "week": "date_trunc('week', date)",
              "month": "date_trunc('month', date)", "quarter": "date_trunc('quarter', date)",
              "year": "year(date)"}


def duck_label(dim, x):
    return {"day": f"strftime({x}, '%Y-%m-%d')", "week": f"strftime({x}, '%G-W%V')",
            "month": f"strftime({x}, '%Y-%m')",
            "quarter": f"strftime({x}, '%Y') || '-Q' || quarter({x})",
            "year": f"CAST(year({x}) AS VARCHAR)"}[dim]


def duck_where(spec):
    w = [f"{c} IN ({', '.join(repr(v) for v in vals)})" for c, vals in spec["filters"].items()]
    if spec.get("from"):
        w.append(f"date >= DATE '{spec['from']}'")
    if spec.get("to"):
        w.append(f"date <= DATE '{spec['to']}'")
    if spec.get("as_of"):
        w.append(f"date <= DATE '{spec['as_of']}'")
    return ("WHERE " + " AND ".join(w)) if w else ""


def duckdb_sql(spec, src, method):
    """The query of `spec` on `src` (a table or a read_csv call), in our
    output columns: the dimensions, persons (and records for flows)."""
    tdim, cats = split_dims(spec)
    inner_t, outer_t = [], []
    if tdim:
        if method == "trunc":
            inner_t = [f"{DUCK_TRUNC[tdim]} AS t"]
            outer_t = [("CAST(t AS VARCHAR)" if tdim == "year" else duck_label(tdim, "t"))
                       + f" AS {tdim}"]
        else:
            inner_t = [f"{duck_label(tdim, 'date')} AS t"]
            outer_t = [f"t AS {tdim}"]
    where = duck_where(spec)
    if not is_stock(spec):
        inner = ", ".join(inner_t + cats + ["sum(count) AS persons", "count(*) AS records"])
        outer = ", ".join(outer_t + cats + ["persons", "records"])
        return (f"SELECT {outer} FROM (SELECT {inner} FROM {src} {where} GROUP BY ALL) "
                f"ORDER BY ALL")
    # Stocks: the latest observation of each series in each bucket (or as
    # of the date), then summed per group. Dates of one series are unique
    # (the loader refuses duplicates), so arg_max is exact.
    latest = ", ".join(inner_t + list(SERIES) + ["arg_max(count, date) AS count"])
    outer = ", ".join(outer_t + cats + ["sum(count) AS persons"])
    return (f"WITH latest AS (SELECT {latest} FROM {src} {where} GROUP BY ALL) "
            f"SELECT {outer} FROM latest GROUP BY ALL ORDER BY ALL")


# ---------------------------------------------------------------- polars


def polars_query(pl, lf, spec, method):
    """The query of `spec` on a LazyFrame, in our output columns."""
    tdim, cats = split_dims(spec)
    date = pl.col("date")
    for c, vals in spec["filters"].items():
        lf = lf.filter(pl.col(c).is_in(vals))
    for key, op in (("from", "ge"), ("to", "le"), ("as_of", "le")):
        if spec.get(key):
            lf = lf.filter(getattr(date, f"__{op}__")(
                pl.lit(datetime.date.fromisoformat(spec[key]))))
    label = {"day": lambda x: x.dt.strftime("%Y-%m-%d"),
             "week": lambda x: x.dt.strftime("%G-W%V"),
             "month": lambda x: x.dt.strftime("%Y-%m"),
             "quarter": lambda x: x.dt.year().cast(pl.String) + "-Q"
             + x.dt.quarter().cast(pl.String),
             "year": lambda x: x.dt.year().cast(pl.String)}
    keys, post = [], []
    if tdim and method == "trunc":
        trunc = {"day": date, "week": date.dt.truncate("1w"), "month": date.dt.truncate("1mo"),
                 "quarter": date.dt.truncate("1q"), "year": date.dt.year()}[tdim]
        keys = [trunc.alias(tdim)]
        post = [pl.col(tdim).cast(pl.String) if tdim == "year"
                else label[tdim](pl.col(tdim)).alias(tdim)]
    elif tdim:
        keys = [label[tdim](date).alias(tdim)]
    if is_stock(spec):
        latest = pl.col("count").get(pl.col("date").arg_max()).alias("count")
        lf = lf.group_by(keys + list(SERIES)).agg(latest)
        groups = ([tdim] if tdim else []) + cats
        out = lf.group_by(groups).agg(pl.col("count").sum().alias("persons"))
    else:
        out = lf.group_by(keys + cats).agg(pl.col("count").sum().alias("persons"),
                                           pl.len().alias("records"))
    if post:
        out = out.with_columns(post)
    return out.sort(([tdim] if tdim else []) + cats)


# ---------------------------------------------------------------- children


def e2e_child(engine, spec_json, out):
    """One end-to-end query (a fresh process): CSV in, CSV out."""
    spec = json.loads(spec_json)
    parquet = spec["path"].endswith(".parquet")
    if engine == "polars":
        import polars as pl

        if parquet:
            lf = pl.scan_parquet(spec["path"])
        else:
            lf = pl.scan_csv(spec["path"], schema=polars_schema(pl, spec["path"]))
        polars_query(pl, lf, spec, spec["method"]).collect().write_csv(out)
    else:
        import duckdb

        con = duckdb.connect()
        src = f"read_parquet('{spec['path']}')" if parquet else duckdb_read_csv(spec["path"])
        q = duckdb_sql(spec, src, spec["method"])
        con.execute(f"COPY ({q}) TO '{out}' (HEADER, DELIMITER ',')")


def inmem_polars(path, rows, runs, aggs):
    """Load and aggregation timings of polars, as JSON on stdout."""
    import polars as pl

    schema = polars_schema(pl, path)
    holder = {}

    def load():
        holder["df"] = pl.read_csv(path, schema=schema)

    load_s, load_cpu = timed_runs(load, runs, setup=lambda: holder.pop("df", None))
    df = holder["df"]
    assert df.height == rows, (df.height, rows)
    agg, answers = {}, {}
    for method in ("trunc", "label"):
        agg[method], _ = timed_runs(
            lambda m=method: polars_query(pl, df.lazy(), SYNTHETIC, m).collect(), aggs)
        answers[method] = [list(r) for r in
                           polars_query(pl, df.lazy(), SYNTHETIC, method).collect().iter_rows()]
    print(json.dumps({"version": pl.__version__, "threads": pl.thread_pool_size(),
                      "load_s": load_s, "load_cpu_s": load_cpu, "agg_s": agg,
                      "answers": answers}))


def inmem_duckdb(path, rows, runs, aggs):
    """Load and aggregation timings of DuckDB, as JSON on stdout."""
    import duckdb

    con = duckdb.connect()
    src = duckdb_read_csv(path)

    def load():
        con.execute(f"CREATE TABLE t AS SELECT * FROM {src}")

    load_s, load_cpu = timed_runs(load, runs,
                                  setup=lambda: con.execute("DROP TABLE IF EXISTS t"))
    assert con.execute("SELECT count(*) FROM t").fetchall()[0][0] == rows
    agg, answers = {}, {}
    for method in ("trunc", "label"):
        q = duckdb_sql(SYNTHETIC, "t", method)
        agg[method], _ = timed_runs(lambda q=q: con.execute(q).fetchall(), aggs)
        answers[method] = [list(r) for r in con.execute(q).fetchall()]
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    print(json.dumps({"version": duckdb.__version__, "threads": threads, "load_s": load_s,
                      "load_cpu_s": load_cpu, "agg_s": agg, "answers": answers}))


def quote_copy(src, dst):
    """The same rows, every field quoted, as polars writes them: an empty
    text as `""` (polars and pandas write an empty string so)."""
    import polars as pl

    df = pl.read_csv(src, schema=polars_schema(pl, src))
    df = df.with_columns(pl.col(pl.String).fill_null(""))
    df.write_csv(dst, quote_style="always")


# ---------------------------------------------------------------- helpers


def median(xs):
    return statistics.median(xs)


def timed_runs(fn, runs, warmup=1, setup=None):
    """(wall seconds, cpu seconds) of each measured run of `fn`; `setup`, if
    given, runs untimed before each run."""
    wall, cpu = [], []
    for i in range(warmup + runs):
        if setup is not None:
            setup()
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        t1, c1 = time.perf_counter(), time.process_time()
        if i >= warmup:
            wall.append(t1 - t0)
            cpu.append(c1 - c0)
    return wall, cpu


def run_child(argv, stdout_path, expect_rc=0):
    """Runs argv under `/usr/bin/time` with stdout to a file: (wall s, cpu s,
    peak RSS bytes) of that one process.

    `/usr/bin/time -f %M` reports the peak RSS of its own child only. (The
    `ru_maxrss` that `os.wait4` returns for a child forked straight from this
    harness is no good: Linux carries the forking parent's RSS over the exec.)
    """
    stats_path = stdout_path + ".time"
    err_path = stdout_path + ".stderr"
    cmd = ["/usr/bin/time", "-f", "%M %U %S", "-o", stats_path, *argv]
    with open(stdout_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, stdout=out, stderr=err).returncode
        wall = time.perf_counter() - t0
    if rc != expect_rc:
        with open(err_path, errors="replace") as f:
            sys.exit(f"FAILED: {' '.join(argv)} exited {rc} (expected {expect_rc})\n{f.read()}")
    with open(stats_path) as f:
        maxrss_kib, user, system = f.read().split()[-3:]
    return wall, float(user) + float(system), int(maxrss_kib) * 1024


def run_json(argv):
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"FAILED: {' '.join(argv)} exited {res.returncode}\n{res.stderr}")
    return json.loads(res.stdout)


MEASURES = ("persons", "records")


def norm_row(header, row):
    return tuple(int(v) if h in MEASURES else str(v) for h, v in zip(header, row))


def read_answer(path):
    """(header, rows sorted): measures as integers, everything else as text."""
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, sorted(norm_row(header, row) for row in r)


def compare(what, ours, theirs, problems):
    """Appends to `problems` unless `theirs` (header, rows) equals `ours`."""
    (oh, orows), (th, trows) = ours, theirs
    if oh != th:
        problems.append(f"{what}: header {th} vs our {oh}")
    elif orows != trows:
        n = min(len(orows), len(trows))
        diff = next((x for x in zip(orows, trows) if x[0] != x[1]),
                    (orows[n:n + 1], trows[n:n + 1]))
        problems.append(f"{what}: {len(trows)} rows vs our {len(orows)}; first difference "
                        f"(ours, theirs) {diff}")


def fmt_s(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_mb(b):
    return f"{b / 1e6:.0f} MB"


def sh(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"? ({e})"


def cli_args(spec, data_dir):
    """Our command line for `spec`."""
    argv = ["query", spec["table"], "--data", data_dir, "--by", ",".join(spec["by"]),
            "--format", "csv"]
    for c, vals in spec["filters"].items():
        argv += [f"--{c}", ",".join(vals)]
    for key, flag in (("from", "--from"), ("to", "--to"), ("as_of", "--as-of")):
        if spec.get(key):
            argv += [flag, spec[key]]
    return argv


def e2e_rounds(cmds, runs, outdir, tag):
    """Runs each engine's end-to-end command `1 + runs` times (the first round
    a warm-up), rounds interleaved, the order rotated each round. `cmds`:
    engine -> argv ("{out}" replaced by the output path). Returns engine ->
    {wall, cpu, rss} lists and engine -> output path."""
    res = {k: {"wall": [], "cpu": [], "rss": []} for k in cmds}
    outs = {k: os.path.join(outdir, f"{tag}-{k}.csv") for k in cmds}
    engines = list(cmds)
    for rnd in range(1 + runs):
        order = engines[rnd % len(engines):] + engines[: rnd % len(engines)]
        for k in order:
            argv = [a.replace("{out}", outs[k]) for a in cmds[k]]
            stdout = outs[k] if k == "ours" else outs[k] + ".stdout"
            wall, cpu, rss = run_child(argv, stdout)
            if rnd >= 1:
                for m, v in (("wall", wall), ("cpu", cpu), ("rss", rss)):
                    res[k][m].append(v)
    return res, outs


def peer_cmds(py, me, spec, path, methods):
    return {
        "polars": [py, me, "e2e", "polars",
                   json.dumps({**spec, "path": path, "method": methods["polars"]}), "{out}"],
        "duckdb": [py, me, "e2e", "duckdb",
                   json.dumps({**spec, "path": path, "method": methods["duckdb"]}), "{out}"],
    }


def fastest(agg_s):
    return min(agg_s, key=lambda m: median(agg_s[m]))


def warm(path):
    """Reads the file once, so that every engine reads from the page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


class Ctx:
    """Paths and knobs shared by the sections."""

    def __init__(self, args):
        self.runs, self.aggs = args.runs, args.aggs
        self.ours_bin = os.path.join(args.bin_dir, "refugee-data")
        self.peer_bin = os.path.join(args.bin_dir, "examples", "peer_ours")
        self.py, self.me = sys.executable, os.path.abspath(__file__)
        self.outdir = os.path.join(os.path.abspath(args.work), "out")
        os.makedirs(self.outdir, exist_ok=True)


def synthetic(ctx, tag, data_dir, aggs, problems):
    """Load, in-memory aggregation and end to end on DIR/deportations.csv."""
    path = os.path.join(data_dir, "deportations.csv")
    warm(path)
    runs = str(ctx.runs)
    print(f"[{tag}] ours: load and aggregation (peer_ours) ...", file=sys.stderr)
    ours = run_json([ctx.peer_bin, data_dir, runs, str(aggs), "1"])
    rows = str(ours["rows"])
    print(f"[{tag}] polars: read_csv and group_by ...", file=sys.stderr)
    plr = run_json([ctx.py, ctx.me, "inmem-polars", path, rows, runs, str(aggs)])
    print(f"[{tag}] duckdb: CREATE TABLE AS read_csv and GROUP BY ALL ...", file=sys.stderr)
    dkr = run_json([ctx.py, ctx.me, "inmem-duckdb", path, rows, runs, str(aggs)])
    methods = {"polars": fastest(plr["agg_s"]), "duckdb": fastest(dkr["agg_s"])}
    print(f"[{tag}] end to end ...", file=sys.stderr)
    cmds = {"ours": [ctx.ours_bin, *cli_args(SYNTHETIC, data_dir)],
            **peer_cmds(ctx.py, ctx.me, SYNTHETIC, path, methods)}
    e2e, outs = e2e_rounds(cmds, ctx.runs, ctx.outdir, tag)
    answer = read_answer(outs["ours"])
    header, rows_ = answer
    if header != SYNTHETIC["by"] + ["persons", "records"]:
        problems.append(f"[{tag}] our CSV header is {header}")
    if sum(r[3] for r in rows_) != ours["persons"] or len(rows_) != ours["groups"]:
        problems.append(f"[{tag}] our end-to-end answer differs from the in-memory one")
    for k in ("polars", "duckdb"):
        compare(f"[{tag}] {k} end to end", answer, read_answer(outs[k]), problems)
    for k, r in (("polars", plr), ("duckdb", dkr)):
        for m, a in r["answers"].items():
            compare(f"[{tag}] {k} in memory ({m})", answer,
                    (header, sorted(norm_row(header, x) for x in a)), problems)
    return {"size": os.path.getsize(path), "rows": ours["rows"], "ours": ours, "polars": plr,
            "duckdb": dkr, "methods": methods, "e2e": e2e, "answer": answer}


def parquet_section(ctx, parquet_dir, plain, problems):
    """Issue 13: the plain file exported by our `export --format parquet`;
    our load from it (vs from the CSV file) and the end-to-end query on it
    against polars `scan_parquet` and DuckDB `read_parquet`."""
    path = os.path.join(parquet_dir, "deportations.parquet")
    warm(path)
    print("[parquet] ours: load (peer_ours) ...", file=sys.stderr)
    ours = run_json([ctx.peer_bin, parquet_dir, str(ctx.runs), "1", "1"])
    if ours["rows"] != plain["rows"]:
        problems.append(f"[parquet] {ours['rows']} rows loaded, {plain['rows']} from CSV")
    print("[parquet] end to end ...", file=sys.stderr)
    cmds = {"ours": [ctx.ours_bin, *cli_args(SYNTHETIC, parquet_dir)],
            **peer_cmds(ctx.py, ctx.me, SYNTHETIC, path, plain["methods"])}
    e2e, outs = e2e_rounds(cmds, ctx.runs, ctx.outdir, "parquet")
    answer = read_answer(outs["ours"])
    compare("[parquet] ours on Parquet vs ours on CSV", plain["answer"], answer, problems)
    for k in ("polars", "duckdb"):
        compare(f"[parquet] {k} end to end", answer, read_answer(outs[k]), problems)
    return {"size": os.path.getsize(path), "ours": ours, "e2e": e2e}


def real(ctx, real_dir, problems):
    """Each README query end to end on the imported directory."""
    out = []
    for i, spec in enumerate(REAL_QUERIES, 1):
        path = os.path.join(real_dir, f"{spec['table']}.csv")
        for f in os.listdir(real_dir):
            warm(os.path.join(real_dir, f))
        print(f"[real {i}] {spec['name']} ...", file=sys.stderr)
        cmds = {"ours": [ctx.ours_bin, *cli_args(spec, real_dir)],
                **peer_cmds(ctx.py, ctx.me, spec, path, {"polars": "trunc", "duckdb": "trunc"})}
        e2e, outs = e2e_rounds(cmds, ctx.runs, ctx.outdir, f"real{i}")
        answer = read_answer(outs["ours"])
        if not answer[1]:
            problems.append(f"[real {i}] our answer is empty")
        for k in ("polars", "duckdb"):
            compare(f"[real {i}] {k}", answer, read_answer(outs[k]), problems)
        out.append({"spec": spec, "e2e": e2e, "answer": answer,
                    "cli": " ".join(cli_args(spec, "DIR"))})
    # The README's refused query: ours must refuse it, as documented.
    refused = os.path.join(ctx.outdir, "real-refused.csv")
    run_child([ctx.ours_bin, *cli_args(REAL_REFUSED, real_dir)], refused, expect_rc=1)
    with open(refused + ".stderr") as f:
        if not f.read().startswith(REFUSAL):
            problems.append(f"[real] the README's refused query did not say {REFUSAL!r}")
    return out


# ---------------------------------------------------------------- tables


def md_table(head, rows):
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]

    def line(r):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"

    return "\n".join([line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
                     + [line(r) for r in rows])


def med(e2e, engine, m="wall"):
    return median(e2e[engine][m])


def speed_row(target, goal, e2e, times=2.0):
    o, p, d = (med(e2e, k) for k in ("ours", "polars", "duckdb"))
    ok = min(p, d) / o >= times
    return [target, goal, fmt_s(o), fmt_s(p), fmt_s(d),
            f"{p / o:.2f}x polars, {d / o:.2f}x DuckDB", "met" if ok else "missed"]


def load_row(target, s):
    o, p = median(s["ours"]["load_s"]), median(s["polars"]["load_s"])
    d = median(s["duckdb"]["load_s"])
    return [target, ">= 1.5x polars read_csv", fmt_s(o), fmt_s(p), fmt_s(d),
            f"{p / o:.2f}x polars ({d / o:.2f}x DuckDB)", "met" if p / o >= 1.5 else "missed"]


def rss_row(target, s):
    size = s["size"]
    o, p, d = (med(s["e2e"], k, "rss") for k in ("ours", "polars", "duckdb"))
    return [target, "<= 0.5x the file", f"{fmt_mb(o)} ({o / size:.2f}x)",
            f"{fmt_mb(p)} ({p / size:.2f}x)", f"{fmt_mb(d)} ({d / size:.2f}x)",
            f"{o / size:.2f}x the file", "met" if o / size <= 0.5 else "missed"]


def agg_row(target, s):
    o, floor = median(s["ours"]["agg_s"]), median(s["ours"]["sum_s"])
    pm, dm = s["methods"]["polars"], s["methods"]["duckdb"]
    p, d = median(s["polars"]["agg_s"][pm]), median(s["duckdb"]["agg_s"][dm])
    ratio = f"{o / floor:.1f}x the floor"
    if s["ours"].get("group_s"):
        # The bare group-by over the same columns: what any engine's
        # grouping costs at least, against the same sum floor.
        group = median(s["ours"]["group_s"])
        ratio += f" (bare group-by {group / floor:.1f}x; ours {o / group:.2f}x it)"
    return [target, "<= 2x the one-thread sum floor", f"{fmt_s(o)} (floor {fmt_s(floor)})",
            f"{fmt_s(p)} ({pm})", f"{fmt_s(d)} ({dm})", ratio,
            "met" if o / floor <= 2 else "missed"]


def parquet_rows(plain, pq):
    """The Parquet rows of issue 13."""
    o, c = median(pq["ours"]["load_s"]), median(plain["ours"]["load_s"])
    return [
        [f"6. load from Parquet ({fmt_mb(pq['size'])})", "faster than from CSV", fmt_s(o),
         "", "", f"{c / o:.2f}x our CSV load ({fmt_s(c)})", "met" if c / o > 1 else "missed"],
        speed_row("7. end to end on Parquet", ">= 2x faster than each", pq["e2e"]),
    ]


def targets_table(plain, quoted, reals, pq=None):
    n = f"{plain['rows']:,} rows"
    rows = [
        speed_row(f"1. end to end, {n} ({fmt_mb(plain['size'])})", ">= 2x faster than each",
                  plain["e2e"]),
        speed_row(f"1q. end to end, quoted file ({fmt_mb(quoted['size'])})",
                  ">= 2x faster than each", quoted["e2e"]),
        load_row(f"2. load, {n}", plain),
        load_row("2q. load, quoted file", quoted),
    ]
    for i, r in enumerate(reals, 1):
        rows.append(speed_row(f"3.{i} real: {r['spec']['name']}", ">= 2x faster than each",
                              r["e2e"]))
    rows += [
        rss_row("4. peak memory of the end-to-end run", plain),
        rss_row("4q. peak memory, quoted file", quoted),
        agg_row("5. in-memory aggregation vs sum floor", plain),
    ]
    if pq is not None:
        rows += parquet_rows(plain, pq)
    head = ["target", "goal", "ours", "polars", "DuckDB", "ratio", "met/missed"]
    return md_table(head, rows), rows


def detail_table(plain, quoted, reals):
    head = ["step", "ours", "polars", "duckdb", "polars / ours", "duckdb / ours"]
    rows = []

    def trio(label, o, p, d, fmt=fmt_s):
        rows.append([label, fmt(o), fmt(p), fmt(d), f"{p / o:.2f}x", f"{d / o:.2f}x"])

    for tag, s in (("plain", plain), ("quoted", quoted)):
        size, nrows = s["size"], s["rows"]

        def load_cell(t, size=size, nrows=nrows):
            return f"{fmt_s(t)} ({size / t / 1e6:.0f} MB/s, {nrows / t / 1e6:.2f} M rows/s)"

        trio(f"{tag}: load {nrows:,} rows, {fmt_mb(size)}", median(s["ours"]["load_s"]),
             median(s["polars"]["load_s"]), median(s["duckdb"]["load_s"]), load_cell)
        pm, dm = s["methods"]["polars"], s["methods"]["duckdb"]
        trio(f"{tag}: aggregation in memory (polars {pm}, DuckDB {dm})",
             median(s["ours"]["agg_s"]), median(s["polars"]["agg_s"][pm]),
             median(s["duckdb"]["agg_s"][dm]))
        rows.append([f"{tag}: floor, sequential sum of count (1 thread)",
                     fmt_s(median(s["ours"]["sum_s"])), "", "", "", ""])
        rows.append([f"{tag}: floor, one pass over date, origin, source, count (1 thread)",
                     fmt_s(median(s["ours"]["scan_s"])), "", "", "", ""])
        if s["ours"].get("group_s"):
            rows.append([f"{tag}: floor, bare group-by of those columns (2 threads)",
                         fmt_s(median(s["ours"]["group_s"])), "", "", "", ""])
        for m, label in (("wall", "end to end"), ("cpu", "end to end CPU (user + sys)")):
            trio(f"{tag}: {label}", *(med(s["e2e"], k, m) for k in ("ours", "polars", "duckdb")))
        trio(f"{tag}: end to end peak RSS",
             *(med(s["e2e"], k, "rss") for k in ("ours", "polars", "duckdb")), fmt_mb)
    for i, r in enumerate(reals, 1):
        for m, label in (("wall", "end to end"), ("cpu", "CPU (user + sys)"),
                         ("rss", "peak RSS")):
            trio(f"real {i}: {label}", *(med(r["e2e"], k, m) for k in ("ours", "polars", "duckdb")),
                 fmt_mb if m == "rss" else fmt_s)
    return md_table(head, rows)


# ---------------------------------------------------------------- main


def environment(root, plain):
    cpu_model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    dirty = sh(["git", "-C", root, "status", "--porcelain", "src"])
    return {
        "polars": plain["polars"]["version"],
        "polars threads": plain["polars"]["threads"],
        "duckdb": plain["duckdb"]["version"],
        "duckdb threads": plain["duckdb"]["threads"],
        "python": platform.python_version(),
        "rustc": sh(["rustc", "--version"]),
        "crate commit": os.environ.get("PEERS_COMMIT")
        or sh(["git", "-C", root, "rev-parse", "--short", "HEAD"])
        + (" (+ uncommitted changes in src/)" if dirty else ""),
        "cpu": f"{cpu_model}, {os.cpu_count()} logical cores",
    }


def notes_of(args, plain, quoted, reals, load_before):
    def agg_note(name, s, key):
        return ", ".join(f"{m} {fmt_s(median(v))}" for m, v in s[key]["agg_s"].items())

    loadavg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"Medians of {args.runs} runs (loads, end to end) and {args.aggs} runs (in-memory "
        "aggregation), each after one warm-up run; every file is in the page cache.",
        "Ratio = peer time / our time (above 1: ours is faster); memory: peak RSS / file size.",
        f"Threads: polars {plain['polars']['threads']}, DuckDB {plain['duckdb']['threads']} "
        "(their defaults: both cores).",
        "End to end: a fresh process a run, start-up included (for the peers the Python "
        "interpreter and the import of the library), under `/usr/bin/time`; rounds "
        "interleave the engines, rotating their order.",
        f"Month bucket, in memory: polars {agg_note('polars', plain, 'polars')}; DuckDB "
        f"{agg_note('duckdb', plain, 'duckdb')} (trunc: group by the truncated date and "
        "label after; label: group by the `YYYY-MM` text). End to end each peer uses its "
        f"faster: polars {plain['methods']['polars']}, DuckDB {plain['methods']['duckdb']}.",
        "Load CPU time (user + sys, median): "
        f"polars {fmt_s(median(plain['polars']['load_cpu_s']))}, "
        f"DuckDB {fmt_s(median(plain['duckdb']['load_cpu_s']))}.",
        f"Quoted file: the same {quoted['rows']:,} rows, every field quoted (polars "
        f"`write_csv(quote_style=\"always\")`, an empty text as `\"\"`), {quoted['size']:,} "
        f"bytes against {plain['size']:,}.",
        "Ours validates every column (dates, ISO countries, vocabularies, counts) and rejects "
        "duplicates and overlapping periods; polars and DuckDB parse types only, and end to "
        "end read only the columns the query needs (projection pushdown). On the real data "
        "each peer reads only the queried file; ours reads what `refugee-data query` reads.",
        f"All answers agree: {len(plain['answer'][1])} groups and "
        f"{plain['ours']['persons']:,} persons on both generated files (end to end and in "
        "memory); each real query's answer equals DuckDB's and polars' (after sorting); "
        "the README's refused query is refused.",
        "Load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + f"; at the end: {loadavg} (on {os.cpu_count()} cores: above that, other work "
        "competed for them).",
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, help="the crate's root")
    ap.add_argument("--bin-dir", required=True, help="target/release of our binaries")
    ap.add_argument("--work", required=True, help="outputs and results.md go here")
    ap.add_argument("--plain", required=True, help="dir holding only the generated "
                    "deportations.csv")
    ap.add_argument("--quoted", required=True, help="dir holding only its quoted copy")
    ap.add_argument("--real", required=True, help="the imported UNHCR (+ IOM DTM) directory")
    ap.add_argument("--parquet", help="dir holding the plain file exported as Parquet")
    ap.add_argument("--runs", type=int, default=5, help="measured loads and end-to-end runs")
    ap.add_argument("--aggs", type=int, default=20, help="measured in-memory aggregations")
    args = ap.parse_args()
    if args.runs < 1 or args.aggs < 1:
        sys.exit("--runs and --aggs must be at least 1")
    if args.runs < 5:
        print(f"note: RUNS={args.runs}: a quick check; use at least 5 for figures",
              file=sys.stderr)
    ctx = Ctx(args)
    load_before = os.getloadavg()
    problems = []
    plain = synthetic(ctx, "plain", os.path.abspath(args.plain), args.aggs, problems)
    quoted = synthetic(ctx, "quoted", os.path.abspath(args.quoted), min(args.aggs, 3),
                       problems)
    compare("quoted file vs plain file (ours)", plain["answer"], quoted["answer"], problems)
    reals = real(ctx, os.path.abspath(args.real), problems)
    pq = parquet_section(ctx, os.path.abspath(args.parquet), plain, problems) \
        if args.parquet else None
    if problems:
        print("\nFAILED: the engines disagree:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)

    env = environment(os.path.abspath(args.root), plain)
    for k, v in env.items():
        print(f"{k}: {v}", file=sys.stderr)
    targets, _ = targets_table(plain, quoted, reals, pq)
    detail = detail_table(plain, quoted, reals)
    notes = notes_of(args, plain, quoted, reals, load_before)
    queries = [f"real {i}: `refugee-data {r['cli']}`" for i, r in enumerate(reals, 1)]
    print("\n## Targets of issue 11\n\n" + targets + "\n\n## Every step\n\n" + detail + "\n")
    for n in notes + queries:
        print(f"* {n}")
    raw = {"plain": {k: plain[k] for k in ("size", "rows", "ours", "polars", "duckdb",
                                            "methods", "e2e")},
           "quoted": {k: quoted[k] for k in ("size", "rows", "ours", "polars", "duckdb",
                                              "methods", "e2e")},
           "real": [{"query": r["cli"], "e2e": r["e2e"]} for r in reals],
           "parquet": pq}
    for part in ("plain", "quoted"):
        for k in ("polars", "duckdb"):
            raw[part][k] = {m: v for m, v in raw[part][k].items() if m != "answers"}
    results = os.path.join(os.path.abspath(args.work), "results.md")
    with open(results, "w") as f:
        f.write("# refugee-data vs polars vs DuckDB\n\n## Targets of issue 11\n\n")
        f.write(targets + "\n\n## Every step\n\n" + detail + "\n\n")
        f.write("\n".join(f"* {n}" for n in notes + queries) + "\n\n## Environment\n\n")
        f.write("\n".join(f"* {k}: {v}" for k, v in env.items()))
        f.write("\n\n## Every run (seconds; RSS in bytes)\n\n```json\n")
        f.write(json.dumps(raw, indent=1) + "\n```\n")
    print(f"\nwritten: {results}", file=sys.stderr)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "inmem-polars":
        inmem_polars(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "inmem-duckdb":
        inmem_duckdb(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "e2e":
        e2e_child(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "quote":
        quote_copy(sys.argv[2], sys.argv[3])
    else:
        main()
