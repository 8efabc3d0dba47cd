"""Checks of the peers' queries in peers.py: the stock and flow rules as
DuckDB SQL and polars lazy queries give the expected answers on small files,
and the answer comparison catches a difference.

Run with the benchmark's venv (made by run.sh):

    benches/peers/.venv/bin/python -m unittest discover -s benches/peers -p 'test_*.py'
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import duckdb  # noqa: E402
import polars as pl  # noqa: E402

import peers  # noqa: E402

# Two series of Afghan refugees (in PAK, in IRN) and one from a second source.
REGISTRATIONS = """\
date,origin,host,population,count,source,reference
2022-06-30,AFG,PAK,refugees,200,UNHCR,
2022-12-31,AFG,PAK,refugees,150,UNHCR,
2023-06-30,AFG,PAK,refugees,170,UNHCR,
2022-12-31,AFG,IRN,refugees,40,UNHCR,
2023-12-31,AFG,IRN,refugees,0,UNHCR,
2023-03-31,AFG,PAK,refugees,900,Government of Pakistan,
2023-12-31,AFG,PAK,idps,7,UNHCR,
"""
DEPORTATIONS = """\
date,period_start,origin,host,kind,count,crossing,source,reference
2023-11-05,,AFG,PAK,deported,10,Torkham,IOM DTM,
2023-11-12,2023-11-06,AFG,PAK,deported,20,"",IOM DTM,
2023-12-01,,AFG,IRN,returned,0,,UNHCR,
2024-01-02,,AFG,PAK,deported,5,Chaman,IOM DTM,
2023-11-20,,SYR,PAK,deported,99,,IOM DTM,
"""


def answers(spec, path):
    """The DuckDB and polars answers of `spec` on `path`, each method."""
    out = {}
    for method in ("trunc", "label"):
        con = duckdb.connect()
        rows = con.execute(peers.duckdb_sql(spec, peers.duckdb_read_csv(path), method)).fetchall()
        out[f"duckdb {method}"] = [tuple(r) for r in rows]
        lf = pl.scan_csv(path, schema=peers.polars_schema(pl, path))
        frame = peers.polars_query(pl, lf, spec, method).collect()
        out[f"polars {method}"] = [tuple(r) for r in frame.iter_rows()]
    return out


class PeerQueries(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.reg = os.path.join(cls.dir.name, "registrations.csv")
        cls.dep = os.path.join(cls.dir.name, "deportations.csv")
        for path, text in ((cls.reg, REGISTRATIONS), (cls.dep, DEPORTATIONS)):
            with open(path, "w") as f:
                f.write(text)

    @classmethod
    def tearDownClass(cls):
        cls.dir.cleanup()

    def check(self, spec, path, expected):
        for name, got in answers(spec, path).items():
            with self.subTest(engine=name):
                self.assertEqual(got, expected)

    def test_stocks_take_the_latest_observation_in_each_bucket(self):
        spec = {"table": "registrations", "by": ["year", "host"],
                "filters": {"population": ["refugees"], "source": ["UNHCR"]}}
        # PAK 2022: 150 (31 Dec), neither 200 + 150 nor the larger 200; PAK 2023: 170; IRN 2023: a 0.
        self.check(spec, self.reg, [("2022", "IRN", 40), ("2022", "PAK", 150),
                                    ("2023", "IRN", 0), ("2023", "PAK", 170)])

    def test_stocks_sum_the_series_of_a_group(self):
        spec = {"table": "registrations", "by": ["year"],
                "filters": {"population": ["refugees"], "source": ["UNHCR"]}}
        self.check(spec, self.reg, [("2022", 190), ("2023", 170)])

    def test_as_of_takes_the_latest_observation_up_to_the_date(self):
        spec = {"table": "registrations", "by": ["host", "source"],
                "filters": {"origin": ["AFG"], "population": ["refugees"]},
                "as_of": "2023-03-31"}
        self.check(spec, self.reg, [("IRN", "UNHCR", 40), ("PAK", "Government of Pakistan", 900),
                                    ("PAK", "UNHCR", 150)])

    def test_bounds_apply_before_the_latest_observation(self):
        spec = {"table": "registrations", "by": ["year", "host"],
                "filters": {"host": ["PAK"], "source": ["UNHCR"], "population": ["refugees"]},
                "from": "2022-01-01", "to": "2022-09-30"}
        self.check(spec, self.reg, [("2022", "PAK", 200)])

    def test_flows_are_summed_into_the_bucket_of_their_date(self):
        spec = {"table": "deportations", "by": ["month", "origin"],
                "filters": {"host": ["PAK", "IRN"]}, "from": "2023-01-01", "to": "2023-12-31"}
        self.check(spec, self.dep, [("2023-11", "AFG", 30, 2), ("2023-11", "SYR", 99, 1),
                                    ("2023-12", "AFG", 0, 1)])

    def test_week_and_quarter_labels(self):
        spec = {"table": "deportations", "by": ["week"], "filters": {"origin": ["AFG"]}}
        self.check(spec, self.dep, [("2023-W44", 10, 1), ("2023-W45", 20, 1),
                                    ("2023-W48", 0, 1), ("2024-W01", 5, 1)])
        spec = {"table": "deportations", "by": ["quarter"], "filters": {"origin": ["AFG"]}}
        self.check(spec, self.dep, [("2023-Q4", 30, 3), ("2024-Q1", 5, 1)])

    def test_our_command_line_for_a_query(self):
        self.assertEqual(
            peers.cli_args(peers.REAL_QUERIES[0], "D"),
            ["query", "registrations", "--data", "D", "--by", "host", "--format", "csv",
             "--origin", "AFG", "--population", "refugees", "--host", "PAK,IRN,DEU",
             "--as-of", "2023-12-31"])

    def test_compare_names_the_first_difference(self):
        ours = (["year", "persons"], [("2022", 1), ("2023", 2)])
        problems = []
        peers.compare("same", ours, (["year", "persons"], [("2022", 1), ("2023", 2)]), problems)
        self.assertEqual(problems, [])
        peers.compare("x", ours, (["year", "persons"], [("2022", 1), ("2023", 3)]), problems)
        peers.compare("y", ours, (["year", "persons"], [("2022", 1)]), problems)
        peers.compare("z", ours, (["year", "records"], [("2022", 1), ("2023", 2)]), problems)
        self.assertEqual(problems, [
            "x: 2 rows vs our 2; first difference (ours, theirs) (('2023', 2), ('2023', 3))",
            "y: 1 rows vs our 2; first difference (ours, theirs) ([('2023', 2)], [])",
            "z: header ['year', 'records'] vs our ['year', 'persons']",
        ])


if __name__ == "__main__":
    unittest.main()
