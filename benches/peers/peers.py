#!/usr/bin/env python3
"""Side-by-side benchmark of refugee-data against polars and DuckDB.

Run through ``benches/peers/run.sh`` (which makes the venv, builds the
binaries and generates the data); see README.md beside this file.

One generated ``deportations.csv``, one query (sum of ``count`` and number of
rows by month, origin and source), three steps:

* load: our strict loader (``examples/peer_ours.rs``) vs ``pl.read_csv``
  with an explicit schema vs DuckDB ``CREATE TABLE t AS SELECT * FROM
  read_csv(..., columns=...)``;
* aggregation on data already in memory: ``ds.query`` vs polars
  ``group_by`` vs DuckDB ``GROUP BY ALL``, and the sequential-sum floor;
* end to end, each engine a fresh process launched from here (start-up
  included), with its peak resident memory (``/usr/bin/time -f %M``).

``source`` is a grouping column because of the crate's flow source rule: a
deportations query whose output group would add flows of one (origin, host,
kind) from two sources is an error (``Error::SourceAmbiguity``), and the
generated file has 12 sources, so ``by month, origin`` alone is refused.

Loads and in-memory aggregations run in one child process an engine
(``peer_ours``, then ``peers.py inmem-polars``, then ``peers.py
inmem-duckdb``), one after the other, so that they never share memory or
cores.

Medians over ``--runs`` runs (after one warm-up run); the file is in the page
cache for every engine. All three answers are compared and the run fails if
they differ.

Subcommands ``e2e-polars`` and ``e2e-duckdb`` are the peers' end-to-end child
processes; they import only their own engine.
"""

import argparse
import csv
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time

POLARS_SCHEMA = [
    ("date", "Date"),
    ("period_start", "Date"),
    ("origin", "String"),
    ("host", "String"),
    ("kind", "String"),
    ("count", "UInt64"),
    ("crossing", "String"),
    ("source", "String"),
]
DUCKDB_COLUMNS = (
    "{'date': 'DATE', 'period_start': 'DATE', 'origin': 'VARCHAR', 'host': 'VARCHAR', "
    "'kind': 'VARCHAR', 'count': 'UBIGINT', 'crossing': 'VARCHAR', 'source': 'VARCHAR'}"
)


def duckdb_read_csv(path):
    # Explicit columns and dialect: no sniffing, no type detection.
    return (
        f"read_csv('{path}', header = true, delim = ',', quote = '\"', escape = '\"', "
        f"auto_detect = false, columns = {DUCKDB_COLUMNS})"
    )


DUCKDB_AGG = {
    "strftime": "SELECT strftime(date, '%Y-%m') AS month, origin, source, "
    "sum(count) AS persons, count(*) AS records FROM {src} GROUP BY ALL ORDER BY ALL",
    "date_trunc": "SELECT date_trunc('month', date) AS month, origin, source, "
    "sum(count) AS persons, count(*) AS records FROM {src} GROUP BY ALL ORDER BY ALL",
}


def polars_schema(pl):
    return {name: getattr(pl, dtype) for name, dtype in POLARS_SCHEMA}


def polars_month(pl, method):
    if method == "truncate":
        return pl.col("date").dt.truncate("1mo").alias("month")
    return pl.col("date").dt.strftime("%Y-%m").alias("month")


def polars_agg(pl, frame, method):
    """The query on a DataFrame or LazyFrame; months labelled `YYYY-MM` at the end."""
    out = (
        frame.group_by(polars_month(pl, method), "origin", "source")
        .agg(pl.col("count").sum().alias("persons"), pl.len().alias("records"))
        .sort("month", "origin", "source")
    )
    if method == "truncate":
        out = out.with_columns(pl.col("month").dt.strftime("%Y-%m"))
    return out


# ---------------------------------------------------------------- children


def e2e_polars(path, out, method):
    import polars as pl

    lf = pl.scan_csv(path, schema=polars_schema(pl))
    polars_agg(pl, lf, method).collect().write_csv(out)


def e2e_duckdb(path, out):
    import duckdb

    con = duckdb.connect()
    q = DUCKDB_AGG["strftime"].format(src=duckdb_read_csv(path))
    con.execute(f"COPY ({q}) TO '{out}' (HEADER, DELIMITER ',')")


def inmem_polars(path, rows, runs, aggs):
    """Load and aggregation timings of polars, as JSON on stdout."""
    import polars as pl

    schema = polars_schema(pl)
    holder = {}

    def load():
        holder["df"] = pl.read_csv(path, schema=schema)

    load_s, load_cpu = timed_runs(load, runs, setup=lambda: holder.pop("df", None))
    df = holder["df"]
    assert df.height == rows, (df.height, rows)
    agg, answers = {}, {}
    for method in ("truncate", "strftime"):
        agg[method], _ = timed_runs(lambda m=method: polars_agg(pl, df, m), aggs)
        answers[method] = [list(r) for r in polars_agg(pl, df, method).iter_rows()]
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

    load_s, load_cpu = timed_runs(load, runs, setup=lambda: con.execute("DROP TABLE IF EXISTS t"))
    assert con.execute("SELECT count(*) FROM t").fetchall()[0][0] == rows
    agg, answers = {}, {}
    for method, q in DUCKDB_AGG.items():
        q = q.format(src="t")
        agg[method], _ = timed_runs(lambda q=q: con.execute(q).fetchall(), aggs)
        answers[method] = [[str(m)[:7], o, s, int(p), int(r)]
                           for m, o, s, p, r in con.execute(q).fetchall()]
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    print(json.dumps({"version": duckdb.__version__, "threads": threads, "load_s": load_s,
                      "load_cpu_s": load_cpu, "agg_s": agg, "answers": answers}))


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


def run_child(argv, stdout_path):
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
    if rc != 0:
        with open(err_path, errors="replace") as f:
            sys.exit(f"FAILED: {' '.join(argv)} exited {rc}\n{f.read()}")
    with open(stats_path) as f:
        maxrss_kib, user, system = f.read().split()[-3:]
    return wall, float(user) + float(system), int(maxrss_kib) * 1024


def run_json(argv):
    res = subprocess.run(argv, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"FAILED: {' '.join(argv)} exited {res.returncode}\n{res.stderr}")
    return json.loads(res.stdout)


def read_answer(path):
    """Rows (month YYYY-MM, origin, source, persons, records), sorted, header dropped."""
    with open(path, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        rows = []
        for row in r:
            d = dict(zip(header, row))
            rows.append((d["month"][:7], d["origin"], d["source"], int(d["persons"]),
                         int(d["records"])))
    return header, sorted(rows)


def fmt_s(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def fmt_mb(b):
    return f"{b / 1e6:.0f} MB"


def speedup(peer, ours):
    return f"{peer / ours:.2f}x"


def sh(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"? ({e})"


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True, help="the crate's root")
    ap.add_argument("--work", required=True, help="holds deportations.csv; outputs go here")
    ap.add_argument("--runs", type=int, default=5, help="measured loads and end-to-end runs")
    ap.add_argument("--aggs", type=int, default=20, help="measured in-memory aggregations")
    args = ap.parse_args()
    if args.runs < 5:
        sys.exit("--runs must be at least 5 (the machine is noisy)")

    root, work = os.path.abspath(args.root), os.path.abspath(args.work)
    path = os.path.join(work, "deportations.csv")
    outdir = os.path.join(work, "out")
    os.makedirs(outdir, exist_ok=True)
    size = os.path.getsize(path)
    ours_bin = os.path.join(root, "target", "release", "refugee-data")
    peer_bin = os.path.join(root, "target", "release", "examples", "peer_ours")
    py = sys.executable
    me = os.path.abspath(__file__)
    load_before = os.getloadavg()

    cpu_model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break

    # Page cache warm for everyone.
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass

    # ---- load and in-memory aggregation: one process an engine, in turn
    print("ours: load and aggregation (peer_ours) ...", file=sys.stderr)
    ours = run_json([peer_bin, path, str(args.runs), str(args.aggs), "1"])
    rows = ours["rows"]
    print("polars: read_csv and group_by ...", file=sys.stderr)
    plr = run_json([py, me, "inmem-polars", path, str(rows), str(args.runs), str(args.aggs)])
    print("duckdb: CREATE TABLE AS read_csv and GROUP BY ALL ...", file=sys.stderr)
    dkr = run_json([py, me, "inmem-duckdb", path, str(rows), str(args.runs), str(args.aggs)])
    pl_load_s, pl_load_cpu, pl_agg = plr["load_s"], plr["load_cpu_s"], plr["agg_s"]
    dk_load_s, dk_load_cpu, dk_agg = dkr["load_s"], dkr["load_cpu_s"], dkr["agg_s"]
    pl_answers = {m: sorted(tuple(r) for r in a) for m, a in plr["answers"].items()}
    dk_answers = {m: sorted(tuple(r) for r in a) for m, a in dkr["answers"].items()}
    pl_method = min(pl_agg, key=lambda m: median(pl_agg[m]))

    env = {
        "polars": plr["version"],
        "polars threads": plr["threads"],
        "duckdb": dkr["version"],
        "duckdb threads": dkr["threads"],
        "python": platform.python_version(),
        "rustc": sh(["rustc", "--version"]),
        "crate commit": os.environ.get("PEERS_COMMIT")
        or sh(["git", "-C", root, "rev-parse", "--short", "HEAD"])
        + (" (+ uncommitted changes)" if sh(["git", "-C", root, "status", "--porcelain", "src"]) else ""),
        "cpu": f"{cpu_model}, {os.cpu_count()} logical cores",
        "file": f"{path} ({size} bytes)",
    }
    for k, v in env.items():
        print(f"{k}: {v}", file=sys.stderr)

    # ---- end to end: fresh processes, interleaved, one warm-up round
    print("end to end ...", file=sys.stderr)
    e2e_cmds = {
        "ours": [ours_bin, "query", "deportations", "--by", "month,origin,source", "--format",
                 "csv", "--data", work],
        "polars": [py, me, "e2e-polars", path, "{out}", pl_method],
        "duckdb": [py, me, "e2e-duckdb", path, "{out}"],
    }
    e2e = {k: {"wall": [], "cpu": [], "rss": []} for k in e2e_cmds}
    engines = list(e2e_cmds)
    for rnd in range(1 + args.runs):
        order = engines[rnd % 3:] + engines[: rnd % 3]
        for k in order:
            out = os.path.join(outdir, f"{k}.csv")
            argv = [a.replace("{out}", out) for a in e2e_cmds[k]]
            if k == "ours":
                wall, cpu, rss = run_child(argv, out)
            else:
                wall, cpu, rss = run_child(argv, os.path.join(outdir, f"{k}.stdout"))
            if rnd >= 1:
                e2e[k]["wall"].append(wall)
                e2e[k]["cpu"].append(cpu)
                e2e[k]["rss"].append(rss)

    # ---- same answer everywhere, or fail loudly
    header, ours_rows = read_answer(os.path.join(outdir, "ours.csv"))
    problems = []
    if header != ["month", "origin", "source", "persons", "records"]:
        problems.append(f"our CSV header is {header}")
    if sum(r[3] for r in ours_rows) != ours["persons"] or len(ours_rows) != ours["groups"]:
        problems.append("our end-to-end answer differs from the in-memory one")
    answers = {
        "polars end to end": read_answer(os.path.join(outdir, "polars.csv"))[1],
        "duckdb end to end": read_answer(os.path.join(outdir, "duckdb.csv"))[1],
    }
    answers.update({f"polars in memory ({m})": a for m, a in pl_answers.items()})
    answers.update({f"duckdb in memory ({m})": a for m, a in dk_answers.items()})
    for name, a in answers.items():
        if a != ours_rows:
            diff = next((x for x in zip(ours_rows, a) if x[0] != x[1]), None)
            problems.append(f"{name}: {len(a)} rows vs our {len(ours_rows)}; first difference {diff}")
    if problems:
        print("\nFAILED: the engines disagree:\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)

    # ---- the table
    o_load, p_load, d_load = median(ours["load_s"]), median(pl_load_s), median(dk_load_s)
    o_agg = median(ours["agg_s"])
    p_agg, d_agg = median(pl_agg[pl_method]), median(dk_agg["strftime"])
    o_sum, o_scan = median(ours["sum_s"]), median(ours["scan_s"])
    e = {k: {m: median(v[m]) for m in v} for k, v in e2e.items()}

    def load_cell(s):
        return f"{fmt_s(s)} ({size / s / 1e6:.0f} MB/s, {rows / s / 1e6:.2f} M rows/s)"

    head = ["step", "ours", "polars", "duckdb", "speedup vs polars", "speedup vs duckdb",
            "ours / floor"]
    table = [
        [f"load {rows:,} rows, {fmt_mb(size)}", load_cell(o_load), load_cell(p_load),
         load_cell(d_load), speedup(p_load, o_load), speedup(d_load, o_load), ""],
        ["aggregation in memory: sum(count), rows by month x origin x source", fmt_s(o_agg),
         f"{fmt_s(p_agg)} ({pl_method})", f"{fmt_s(d_agg)} (strftime)",
         speedup(p_agg, o_agg), speedup(d_agg, o_agg),
         f"{o_agg / o_sum:.1f}x sum floor, {o_agg / o_scan:.1f}x scan floor"],
        ["floor: sequential sum of count (1 thread)", fmt_s(o_sum), "", "", "", "", ""],
        ["floor: sequential scan of date, origin, source, count (1 thread)", fmt_s(o_scan),
         "", "", "", "", ""],
        ["end to end (new process, CSV in, CSV out)", fmt_s(e["ours"]["wall"]),
         fmt_s(e["polars"]["wall"]), fmt_s(e["duckdb"]["wall"]),
         speedup(e["polars"]["wall"], e["ours"]["wall"]),
         speedup(e["duckdb"]["wall"], e["ours"]["wall"]), ""],
        ["end to end: CPU time (user + sys)", fmt_s(e["ours"]["cpu"]),
         fmt_s(e["polars"]["cpu"]), fmt_s(e["duckdb"]["cpu"]),
         speedup(e["polars"]["cpu"], e["ours"]["cpu"]),
         speedup(e["duckdb"]["cpu"], e["ours"]["cpu"]), ""],
        ["end to end: peak RSS (x CSV size)",
         *[f"{fmt_mb(e[k]['rss'])} ({e[k]['rss'] / size:.2f}x)" for k in engines],
         f"{e['polars']['rss'] / e['ours']['rss']:.2f}x",
         f"{e['duckdb']['rss'] / e['ours']['rss']:.2f}x", ""],
    ]
    widths = [max(len(str(r[i])) for r in [head] + table) for i in range(len(head))]

    def line(r):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"

    md = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    md += [line(r) for r in table]

    notes = [
        f"Medians of {args.runs} runs (load, end to end) and {args.aggs} runs (aggregation), "
        "each after one warm-up run; the CSV is in the page cache for every engine.",
        "Speedup = peer time / our time (above 1: ours is faster); for peak RSS, peer RSS / "
        "our RSS (below 1: the peer needs less).",
        f"Threads: polars {env['polars threads']} and DuckDB {env['duckdb threads']} "
        "(their defaults: both cores); our loader runs on one thread, our query on both.",
        f"polars month bucket: `dt.truncate(\"1mo\")` median {fmt_s(median(pl_agg['truncate']))}, "
        f"`dt.strftime(\"%Y-%m\")` median {fmt_s(median(pl_agg['strftime']))}; the table and "
        f"the end-to-end run use the faster, `{pl_method}`.",
        f"DuckDB month bucket: `strftime(date, '%Y-%m')` median {fmt_s(median(dk_agg['strftime']))}"
        f" (in the table), `date_trunc('month', date)` median "
        f"{fmt_s(median(dk_agg['date_trunc']))}.",
        "Load CPU time (user + sys, whole process, median): "
        f"polars {fmt_s(median(pl_load_cpu))}, DuckDB {fmt_s(median(dk_load_cpu))}; "
        "ours is one thread, so its CPU time is its wall time.",
        "Ours validates every column (dates, ISO countries, vocabularies, counts) and rejects "
        "duplicate keys; polars and DuckDB parse types only. End to end, polars' scan_csv "
        "and DuckDB's read_csv read only the four columns the query needs (projection "
        "pushdown); ours loads and validates all eight.",
        f"All engines agree: {len(ours_rows)} groups, {ours['persons']:,} persons "
        "(end-to-end CSVs and in-memory answers compared after sorting).",
        "Load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in load_before)
        + "; at the end: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + f" (on {os.cpu_count()} cores: above that, other work competed for them).",
    ]
    env_lines = [f"* {k}: {v}" for k, v in env.items()]
    raw = {
        "ours": ours,
        "polars_load_s": pl_load_s,
        "polars_load_cpu_s": pl_load_cpu,
        "polars_agg_s": pl_agg,
        "duckdb_load_s": dk_load_s,
        "duckdb_load_cpu_s": dk_load_cpu,
        "duckdb_agg_s": dk_agg,
        "end_to_end": e2e,
    }
    text = "\n".join(md)
    print()
    print(text)
    print()
    for n in notes:
        print(f"* {n}")
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write("# refugee-data vs polars vs DuckDB\n\n")
        f.write(f"Query: sum of count and rows by month, origin and source, on one generated "
                f"`deportations.csv` ({rows:,} rows, {size:,} bytes).\n\n")
        f.write(text + "\n\n")
        f.write("\n".join(f"* {n}" for n in notes) + "\n\n## Environment\n\n")
        f.write("\n".join(env_lines) + "\n\n## Every run (seconds; RSS in bytes)\n\n```json\n")
        f.write(json.dumps(raw, indent=1) + "\n```\n")
    print(f"\nwritten: {os.path.join(work, 'results.md')}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "inmem-polars":
        inmem_polars(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "inmem-duckdb":
        inmem_duckdb(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "e2e-polars":
        e2e_polars(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "e2e-duckdb":
        e2e_duckdb(sys.argv[2], sys.argv[3])
    else:
        main()
