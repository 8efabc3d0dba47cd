#!/usr/bin/env python3
"""Build the crate's embedded sample dataset (data/*.csv and data/README.md).

Usage, from the crate root:

    python3 tools/build_sample.py ../shared/data

Python 3.11, standard library only. The output is deterministic: the same
input files give byte-identical output. Every rule of the canonical format
(DESIGN.md section 1 and 2) is asserted before anything is written, so a file
that this script writes always loads strictly.

Inputs (under the given directory):
  unhcr/population.csv                      UNHCR year-end table (R package `refugees`)
  unhcr/population_afg_origin_midyear_2023.csv  mid-2023 release, Afghan origin
  unhcr/solutions.csv                       used only to check the returns orientation
  unhcr/countries.csv                       UNHCR code -> ISO code
  countries/ocha_countries_territories.csv  ISO alpha-3 codes
  reported/stock_estimates_pakistan.csv
  reported/returns_reported_2023_2024.csv
  reported/statements_2023_2024.csv

Outputs: data/registrations.csv, data/deportations.csv, data/statements.csv,
data/README.md (generated; edit this script, not the README).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

# --------------------------------------------------------------------------
# Contract constants (DESIGN.md section 1)

REG_HEADER = ["date", "origin", "host", "population", "count", "source"]
DEP_HEADER = ["date", "period_start", "origin", "host", "kind", "count", "crossing", "source"]
STM_HEADER = ["date", "actor", "actor_country", "speaker", "target_country",
              "subject_country", "stance", "summary", "source", "url"]

POPULATIONS = {"refugees", "asylum_seekers", "others_in_need", "others_of_concern",
               "stateless", "idps", "host_community", "undocumented"}
KINDS = {"deported", "spontaneous", "assisted", "returned"}
STANCES = {"announce", "appeal", "commit", "support", "demand", "criticize", "reject", "threaten"}
# Extension codes refugee statistics need (DESIGN section 3).
EXTENSION_CODES = {"XKX", "XXA", "XXX", "TIB"}
U64_MAX = 2**64 - 1

# UNHCR stock columns -> population type. returned_refugees / returned_idps
# are flows (deportations), resettlement / naturalisation fit no record type.
STOCK_COLUMNS = [
    ("refugees", "refugees"),
    ("asylum_seekers", "asylum_seekers"),
    ("idps", "idps"),
    ("stateless", "stateless"),
    ("ooc", "others_of_concern"),
    ("oip", "others_in_need"),
    ("hst", "host_community"),
]
UNHCR = "UNHCR"
ORIGIN = "AFG"
FIRST_YEAR, LAST_YEAR = 2000, 2025
MIDYEAR_DATE = "2023-06-30"

# Figures the output must reproduce (data/README.md of the shared data, and
# the brief). Key: (date, origin, host, population) in the UNHCR series.
CHECKS = {
    ("2023-12-31", "AFG", "PAK", "refugees"): 1987717,
    ("2023-06-30", "AFG", "PAK", "refugees"): 2079989,
    ("2023-12-31", "AFG", "IRN", "refugees"): 3752317,
    ("2019-12-31", "AFG", "PAK", "refugees"): 1419084,
    ("2020-12-31", "AFG", "PAK", "refugees"): 1438432,
    ("2021-12-31", "AFG", "PAK", "refugees"): 1490562,
    ("2022-12-31", "AFG", "PAK", "refugees"): 1743278,
    ("2022-12-31", "AFG", "IRN", "refugees"): 3413249,
}

# --------------------------------------------------------------------------
# Reported returns: one decision per input data row (1-based, header excluded;
# the physical line is row + 1). Each decision repeats the row's count and
# period_end so that a changed input file fails loudly instead of silently
# producing other events.

KP_SOURCE = ("KP Home & Tribal Affairs Department (Khyber Pakhtunkhwa), cumulative releases "
             "reported by Lead Pakistan (20 Nov 2023), The Frontier Post (Nov 2023), "
             "The Nation (4 and 14 Dec 2023) and UrduPoint/APP (20 and 31 Dec 2023)")
BC_SOURCE = ("Border Consortium (IOM-led), cumulative returnees from Pakistan since 15 Sep 2023: "
             "'Border Consortium Appeal Update' (as of 18 Nov 2023) and 'Afghanistan: Border "
             "Consortium - Emergency Border Operations (16-29 June 2024)', ReliefWeb")

# Series of cumulative figures from one publisher: differences between
# consecutive figures become events. `start` None = the series' start date is
# not known, so its first figure is only a base for the next difference.
SERIES = {
    "kp_total": dict(
        label="KP Home & Tribal Affairs Dept, returns via three KP border points",
        rows=[20, 30, 33, 36, 38], start="2023-09-17",
        crossing="Torkham; Angoor Adda; Kharlachi", source=KP_SOURCE),
    "kp_torkham": dict(
        label="KP Home & Tribal Affairs Dept, returns via Torkham",
        rows=[21, 31, 41], start="2023-09-17", crossing="Torkham", source=KP_SOURCE),
    "kp_deported": dict(
        label="KP Home & Tribal Affairs Dept, deportations (from KP, Islamabad, Punjab, AJK)",
        rows=[34, 37, 39, 40], start=None, crossing="", source=KP_SOURCE),
    "bc": dict(
        label="Border Consortium (IOM-led), returns via Torkham and Spin Boldak",
        rows=[18, 49], start="2023-09-15", crossing="Torkham; Spin Boldak", source=BC_SOURCE),
}

# decision kinds:
#   ("event", {overrides})   one event from the row (interval, single day, or a
#                            cumulative figure with a known start)
#   ("series", series_id)    part of a cumulative series (SERIES)
#   ("skip", reason)
# The tuple's first two items are the expected (count, period_end).
DECISIONS: dict[int, tuple] = {
    1: ("59780", "2023-10-15", "skip",
        "interval without a start date ('in the month up to Oct 15'; exact start not given)"),
    2: ("8000", "2023-10-08", "event", {}),
    3: ("59561", "2023-10-22", "event", {}),
    4: ("82500", "", "skip",
        "cumulative figure without an end date (as of an unstated day up to the article's "
        "publication on 1 Nov 2023, so even its month is uncertain)"),
    5: ("11553", "2023-10-30", "event", {}),
    6: ("70000", "", "skip",
        "end date not stated (31 Oct or 1 Nov 2023) and the count excludes children, "
        "so it is not a count of persons"),
    7: ("100000", "2023-11-01", "skip",
        "interval with an approximate start ('in the last two weeks')"),
    8: ("10000", "2023-10-31", "event", {}),
    9: ("24000", "2023-11-01", "event", {}),
    10: ("17000", "2023-11-01", "event",
         {"note": "a daily peak quoted in the Border Consortium appeal; kept under its own "
                  "source, apart from the consortium's cumulative series"}),
    11: ("140322", "2023-11-01", "skip",
         "all undocumented foreigners, not only Afghans"),
    12: ("165000", "2023-11-02", "event", {}),
    13: ("129000", "2023-11-02", "event",
         {"source_prefix": "KP home department, as quoted in "}),
    14: ("38100", "2023-11-02", "event",
         {"source_prefix": "Balochistan border officials, as quoted in "}),
    15: ("160000", "2023-11-03", "event", {}),
    16: ("20000", "2023-11-04", "event",
         {"note": "kept as published; the input flags it as possibly a partial count (far "
                  "below other figures for the same days)"}),
    17: ("327000", "2023-11-11", "skip",
         "counts 'people, mostly Afghans': mixes non-Afghans"),
    18: ("340000", "2023-11-18", "series", "bc"),
    19: ("3400", "", "skip",
         "no dates ('between mid-September and mid-November')"),
    20: ("227239", "2023-11-19", "series", "kp_total"),
    21: ("223503", "2023-11-19", "series", "kp_torkham"),
    22: ("3317", "2023-11-19", "event", {"source": KP_SOURCE}),
    23: ("419", "2023-11-19", "event", {"source": KP_SOURCE}),
    24: ("492", "2023-11-19", "event",
         {"source": KP_SOURCE,
          "note": "'illegal foreigners' deported into Afghanistan via Torkham, nationality not "
                  "stated; Peshawar and Khyber only, so not the base of the deportation series"}),
    25: ("374000", "2023-11-21", "event", {}),
    26: ("375000", "2023-11-18", "skip",
         "cumulative without a start date (IOM's 'preceding two months' and APP's "
         "'since Nov 1' conflict); also disagrees with Border Consortium's 340,000 "
         "for the same day and crossings"),
    27: ("2292", "2023-11-20", "event", {}),
    28: ("2990", "2023-11-21", "event", {}),
    29: ("243165", "2023-11-21", "skip",
         "cumulative without a start date or reporting body; does not fit the KP Home "
         "Dept series (it would mean 15,926 in two days, against daily figures of "
         "2,292 and 2,990)"),
    30: ("246013", "2023-11-27", "series", "kp_total"),
    31: ("241888", "2023-11-27", "series", "kp_torkham"),
    32: ("20000", "2023-11-28", "skip",
         "cumulative with an approximate start ('since mid-September'); outlets' totals "
         "inconsistent"),
    33: ("253068", "2023-12-02", "series", "kp_total"),
    34: ("6075", "2023-12-02", "series", "kp_deported"),
    35: ("421101", "2023-12-10", "skip",
         "all nationalities ('illegal foreigners including Afghans'), no start date, "
         "and the article's figure (421,101) disagrees with its URL (421010)"),
    36: ("261723", "2023-12-12", "series", "kp_total"),
    37: ("6294", "2023-12-12", "series", "kp_deported"),
    38: ("267528", "2023-12-19", "series", "kp_total"),
    39: ("6534", "2023-12-19", "series", "kp_deported"),
    40: ("6600", "2023-12-30", "series", "kp_deported"),
    41: ("268552", "2023-12-30", "series", "kp_torkham"),
    42: ("541210", "2024-01-02", "skip",
         "all illegal aliens (majority Afghans, not only Afghans); start date not given"),
    43: ("271985", "2024-01-02", "skip",
         "part of row 42's all-nationalities total (271,985 + 159,161 + 110,064 = "
         "541,210); start date not given"),
    44: ("159161", "2024-01-02", "skip",
         "part of row 42's all-nationalities total; start date not given"),
    45: ("110064", "2024-01-02", "skip",
         "part of row 42's all-nationalities total; start date not given"),
    46: ("500200", "2024-01-13", "event",
         {"note": "not differenced with row 48: the data system behind AFP's IOM figure is "
                  "not stated"}),
    47: ("9982", "2024-01-15", "event", {}),
    48: ("501242", "2024-01-15", "event", {}),
    49: ("632000", "2024-06-15", "series", "bc"),
    50: ("758000", "2024-10-31", "event", {}),
    51: ("6800", "2024-10-31", "event", {}),
    52: ("115600", "2024-10-31", "skip",
         "cumulative whose start is given only as 'since September 2023'"),
    53: ("54720", "2024-12-31", "skip",
         "all UNHCR-assisted Afghan returns from every host (98.9% from Pakistan), "
         "not Pakistan alone"),
    54: ("12603", "2024-01-31", "skip",
         "all UNHCR-assisted Afghan returns from every host, not Pakistan alone"),
    55: ("9000-10000", "2023-11-02", "skip",
         "a range (9,000-10,000) describing the usual daily rate 'now', not a count "
         "for a day; no lower bound taken"),
    57: ("20000", "2023-10-30", "skip",
         "all nationalities ('illegal foreigners'); dates not given ('previous three days')"),
    56: ("170000", "2023-11-10", "event", {}),
    58: ("80500", "2024-12-18", "skip",
         "what the figure counts is unclear (flagged): it contradicts the IOM/UNHCR "
         "cumulative series (501,242 by 15 Jan 2024, over 758,000 by 31 Oct 2024)"),
    59: ("380671", "2024-12-31", "skip",
         "IOM DTM inflows including circular movement, not returns"),
    60: ("710000", "2023-06-30", "skip",
         "the exact sum of rows 61 (deported, 310,000) and 62 (spontaneous, 400,000); "
         "as kind `returned` (kind not given) it would count the same people twice"),
    61: ("310000", "2023-06-30", "event", {}),
    62: ("400000", "2023-06-30", "event", {}),
    63: ("200000", "", "skip", "no dates (neither start nor the day of the remark)"),
    64: ("450000", "2023-11-18", "skip",
         "'mostly from Afghanistan': includes non-Afghans; period approximate "
         "('in the last three months')"),
    65: ("400000", "2023-11-29", "skip",
         "nationality and period not stated (flagged); conflicts with row 64"),
    66: ("25521", "2024-01-15", "skip",
         "interval without a start date ('in the past ten days')"),
    67: ("13852", "2024-01-15", "skip",
         "interval without a start date (part of row 66's ten days)"),
    68: ("11669", "2024-01-15", "skip",
         "interval without a start date ('over the past week'; with row 67 it sums to "
         "row 66's ten-day figure)"),
    69: ("520000", "2024-01-15", "skip",
         "interval without a start date ('in the past nine months', approximate)"),
    70: ("1000000", "2023-12-31", "event",
         {"note": "'nearly one million', approximate as published"}),
    71: ("1300000", "2024-05-06", "skip",
         "all foreign nationals, nationalities not specified; period ('over the past "
         "year') not dated"),
    72: ("190000", "2024-05-31", "event", {}),
    73: ("230000", "2024-09-30", "event", {}),
    74: ("3000", "2024-05-08", "event", {}),
    75: ("1100000", "2024-12-18", "event",
         {"note": "undocumented returnees only; not differenced with row 76 (rounded figures "
                  "from two outlets)"}),
    76: ("1200000", "2024-12-31", "event", {"note": "undocumented returnees only"}),
    77: ("602384", "2024-12-31", "skip",
         "IOM DTM inflows including circular movement, not returns"),
    78: ("1120000", "2025-03-20", "skip",
         "'undocumented foreign nationals, mainly from Afghanistan': mixes non-Afghans; "
         "Persian-year boundaries approximate"),
}

# --------------------------------------------------------------------------
# Small helpers


def fail(msg: str) -> None:
    raise SystemExit(f"build_sample: {msg}")


def check(cond: bool, msg: str) -> None:
    if not cond:
        fail(msg)


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(s: str, what: str) -> dt.date:
    check(bool(DATE_RE.match(s)), f"{what}: {s!r} is not YYYY-MM-DD")
    try:
        d = dt.date.fromisoformat(s)
    except ValueError:
        fail(f"{what}: {s!r} is not a calendar date")
    check(1900 <= d.year <= 2100, f"{what}: {s!r} outside 1900..2100")
    return d


def iso(d: dt.date) -> str:
    return d.isoformat()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def short_pub(source: str) -> str:
    """The publication's name for the README tables: text before the first comma."""
    head = source.split(",")[0].strip()
    return head if len(head) <= 60 else head[:57] + "..."


# --------------------------------------------------------------------------
# Countries


def load_countries(src: Path) -> tuple[set[str], dict[str, str]]:
    codes = {r["ISO 3166-1 Alpha 3-Codes"].strip()
             for r in read_csv(src / "countries/ocha_countries_territories.csv")}
    codes.discard("")
    unhcr_to_iso = {}
    for r in read_csv(src / "unhcr/countries.csv"):
        unhcr_to_iso[r["unhcr_code"]] = r["iso_code"]
        if r["iso_code"]:
            codes.add(r["iso_code"])
    codes |= EXTENSION_CODES
    return codes, unhcr_to_iso


def canon_unhcr_iso(code: str) -> str:
    return "XXX" if code == "UNK" else code


# --------------------------------------------------------------------------
# 1. Registrations


def unhcr_stock_snapshot(rows, date: str, unhcr_to_iso) -> dict[tuple, int]:
    """One complete UNHCR table at one date -> {(origin, host, population): count}."""
    snap: dict[tuple, int] = {}
    for r in rows:
        origin = canon_unhcr_iso(r["coo_iso"])
        host = canon_unhcr_iso(r["coa_iso"])
        # UNHCR codes and ISO columns must agree (DESIGN section 8).
        for code_col, iso_col in (("coo", "coo_iso"), ("coa", "coa_iso")):
            mapped = unhcr_to_iso.get(r[code_col])
            check(mapped is not None and mapped == canon_unhcr_iso(r[iso_col]),
                  f"UNHCR code {r[code_col]!r} does not map to {r[iso_col]!r} ({date})")
        for col, population in STOCK_COLUMNS:
            v = r[col].strip()
            if v in ("", "-"):
                continue  # not applicable: no observation
            check(v.isdigit(), f"UNHCR {col} {v!r} is not a count ({date}, {origin}->{host})")
            key = (origin, host, population)
            check(key not in snap, f"UNHCR table has two rows for {key} at {date}")
            snap[key] = int(v)
    return snap


def build_registrations(src: Path, unhcr_to_iso):
    population = read_csv(src / "unhcr/population.csv")
    afg = [r for r in population
           if r["coo_iso"] == ORIGIN and FIRST_YEAR <= int(r["year"]) <= LAST_YEAR]
    by_year = defaultdict(list)
    for r in afg:
        by_year[int(r["year"])].append(r)
    check(sorted(by_year) == list(range(FIRST_YEAR, LAST_YEAR + 1)),
          "population.csv does not cover every year 2000..2025 for Afghan origin")

    snapshots: dict[str, dict[tuple, int]] = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        snapshots[f"{year}-12-31"] = unhcr_stock_snapshot(by_year[year], f"{year}-12-31", unhcr_to_iso)

    midyear = [r for r in read_csv(src / "unhcr/population_afg_origin_midyear_2023.csv")
               if r["year"] == "2023"]
    check(midyear and all(r["coo_iso"] == ORIGIN for r in midyear),
          "mid-year file has no Afghan-origin 2023 rows")
    snapshots[MIDYEAR_DATE] = unhcr_stock_snapshot(midyear, MIDYEAR_DATE, unhcr_to_iso)

    # Closing zeros: in date order, a series present at one snapshot and absent
    # at the next gets a 0 at the next snapshot's date. Presence means a value
    # in the source table, so a closing zero is never carried further.
    dates = sorted(snapshots)
    closing = []
    closing_by_date = Counter()
    closed_values = []  # (last published value, its date, series)
    for prev, nxt in zip(dates, dates[1:]):
        for key in sorted(snapshots[prev].keys() - snapshots[nxt].keys()):
            closing.append((nxt, key))
            closing_by_date[nxt] += 1
            closed_values.append((snapshots[prev][key], prev, key))
    closed_values.sort(key=lambda v: (-v[0], v[1], v[2]))
    # Hosts dropped by the mid-year release: are they back at the year-end?
    mid_hosts = sorted({k[1] for k in snapshots["2022-12-31"].keys() - snapshots[MIDYEAR_DATE].keys()})
    mid_back = sorted({k[1] for k in snapshots["2022-12-31"].keys() - snapshots[MIDYEAR_DATE].keys()
                       if k in snapshots["2023-12-31"]})

    regs = []
    for date in dates:
        for (origin, host, population), count in snapshots[date].items():
            regs.append([date, origin, host, population, str(count), UNHCR])
    for date, (origin, host, population) in closing:
        regs.append([date, origin, host, population, "0", UNHCR])

    unhcr_index = {(r[0], r[1], r[2], r[3]): int(r[4]) for r in regs}
    for key, want in CHECKS.items():
        check(unhcr_index.get(key) == want,
              f"check figure {key}: expected {want}, got {unhcr_index.get(key)}")

    # Published estimates for Pakistan: each publication is its own series.
    stock_rows = read_csv(src / "reported/stock_estimates_pakistan.csv")
    for r in stock_rows:
        check(r["population"].strip().lower() in POPULATIONS,
              f"stock_estimates_pakistan.csv: population {r['population']!r} not in vocabulary")
        regs.append([r["date"].strip(), r["origin_country"].strip(), r["host_country"].strip(),
                     r["population"].strip().lower(), r["count"].strip(), r["source"].strip()])

    stats = dict(
        yearend_rows=len(afg),
        midyear_rows=len(midyear),
        per_snapshot={d: len(snapshots[d]) for d in dates},
        closing=len(closing),
        closing_by_date=dict(sorted(closing_by_date.items())),
        closing_by_population=dict(sorted(Counter(k[2] for _, k in closing).items())),
        closing_after_zero=sum(1 for v in closed_values if v[0] == 0),
        closing_largest=closed_values[:3],
        mid_hosts=mid_hosts,
        oip=sorted((d, k[1]) for d in dates for k in snapshots[d] if k[2] == "others_in_need"),
        mid_back=mid_back,
        stock_rows=stock_rows,
        unhcr_index=unhcr_index,
    )
    regs.sort(key=lambda r: (r[0], r[5] != UNHCR, r[5], r[1], r[2], r[3]))
    return regs, stats


# --------------------------------------------------------------------------
# 2. Deportations


def build_unhcr_returns(src: Path):
    population = read_csv(src / "unhcr/population.csv")
    afg = [r for r in population
           if r["coo_iso"] == ORIGIN and FIRST_YEAR <= int(r["year"]) <= LAST_YEAR]

    # Orientation: in these years UNHCR records returned refugees with
    # coa = the former host (never coa = coo), and the non-zero values are
    # exactly those of solutions.csv, whose coa is documented as the former host.
    self_returns = [r for r in afg
                    if r["coa_iso"] == r["coo_iso"] and r["returned_refugees"] not in ("", "0")]
    check(not self_returns, "returned refugees recorded with coa == coo; use solutions.csv")
    solutions = {(r["year"], r["coa_iso"]): r["returned_refugees"]
                 for r in read_csv(src / "unhcr/solutions.csv")
                 if r["coo_iso"] == ORIGIN and FIRST_YEAR <= int(r["year"]) <= LAST_YEAR
                 and r["returned_refugees"] != ""}
    nonzero = {(r["year"], r["coa_iso"]): r["returned_refugees"]
               for r in afg if r["returned_refugees"] not in ("", "0")}
    check(nonzero == solutions, "population.csv returns differ from solutions.csv")

    events = []
    for r in afg:
        v = r["returned_refugees"].strip()
        if v in ("", "-"):
            continue
        check(v.isdigit(), f"returned_refugees {v!r} is not a count")
        y = r["year"]
        events.append([f"{y}-12-31", f"{y}-01-01", canon_unhcr_iso(r["coo_iso"]),
                       canon_unhcr_iso(r["coa_iso"]), "returned", v, "", UNHCR])
    stats = dict(
        rows=len(events),
        nonzero=len(nonzero),
        zeros=len(events) - len(nonzero),
        to_afg_host=sum(1 for e in events if e[3] == ORIGIN),
        solutions_matched=len(solutions),
    )
    return events, stats


def build_reported_returns(src: Path):
    rows = read_csv(src / "reported/returns_reported_2023_2024.csv")
    check(len(rows) == len(DECISIONS) == 78,
          f"returns_reported has {len(rows)} rows, {len(DECISIONS)} decisions")
    check(sorted(DECISIONS) == list(range(1, len(rows) + 1)), "a row has no decision")
    for n, r in enumerate(rows, 1):
        want_count, want_end = DECISIONS[n][0], DECISIONS[n][1]
        check(r["count"].strip() == want_count and r["period_end"].strip() == want_end,
              f"returns_reported row {n} changed: {r['count']!r} {r['period_end']!r}")
        check(r["origin_country"].strip() == ORIGIN, f"row {n}: origin is not AFG")

    events = []          # canonical rows
    outcome = {}         # input row -> list of strings for the README
    series_members = defaultdict(list)

    for n, r in enumerate(rows, 1):
        kind_of = DECISIONS[n][2]
        if kind_of == "skip":
            outcome[n] = ["skipped: " + DECISIONS[n][3]]
            continue
        if kind_of == "series":
            series_members[DECISIONS[n][3]].append(n)
            continue
        ov = DECISIONS[n][3]
        start = r["period_start"].strip()
        end = r["period_end"].strip()
        check(bool(start) and bool(end), f"row {n}: an event needs both dates")
        d_start, d_end = parse_date(start, f"row {n}"), parse_date(end, f"row {n}")
        check(d_start <= d_end, f"row {n}: start after end")
        check(r["count"].strip().isdigit(), f"row {n}: count {r['count']!r}")
        check(r["kind"].strip() in KINDS, f"row {n}: kind {r['kind']!r}")
        source = ov.get("source", ov.get("source_prefix", "") + r["source"].strip())
        ps = "" if d_start == d_end else start
        events.append([end, ps, ORIGIN, r["host_country"].strip(), r["kind"].strip(),
                       r["count"].strip(), r["crossing"].strip(), source])
        span = "1 day" if not ps else f"{start}..{end}"
        how = "interval" if r["figure"] == "interval" else "cumulative figure with a stated start"
        outcome[n] = [f"event {span}: {int(r['count']):,} ({how})"]
        if "source_prefix" in ov:
            outcome[n].append(f"source prefixed with '{ov['source_prefix'].strip()}'")
        if "source" in ov:
            outcome[n].append("source: the KP Home & Tribal Affairs Dept series source")
        if "note" in ov:
            outcome[n].append(ov["note"])

    for sid, spec in SERIES.items():
        members = series_members[sid]
        check(sorted(members) == sorted(spec["rows"]), f"series {sid}: members {members}")
        members.sort(key=lambda n: rows[n - 1]["period_end"])
        first = rows[members[0] - 1]
        host, kind = first["host_country"].strip(), first["kind"].strip()
        prev_end = prev_count = None
        for i, n in enumerate(members):
            r = rows[n - 1]
            check(r["figure"] == "cumulative", f"row {n}: series member is not cumulative")
            check((r["host_country"].strip(), r["kind"].strip()) == (host, kind),
                  f"row {n}: series {sid} mixes host or kind")
            stated_start = r["period_start"].strip()
            check(stated_start in ("", spec["start"] or ""),
                  f"row {n}: start {stated_start!r} differs from series start")
            end = parse_date(r["period_end"].strip(), f"row {n}")
            count = int(r["count"])
            if i == 0:
                if spec["start"] is None:
                    outcome[n] = [f"base of series '{spec['label']}' ({count:,} as of {end}); "
                                  "no event of its own: the series' start date is not stated"]
                else:
                    start = parse_date(spec["start"], sid)
                    events.append([iso(end), iso(start), ORIGIN, host, kind, str(count),
                                   spec["crossing"], spec["source"]])
                    outcome[n] = [f"series '{spec['label']}': event {start}..{end}: "
                                  f"{count:,} (first cumulative figure)"]
            else:
                diff = count - prev_count
                check(diff >= 0, f"series {sid}: negative difference at row {n}")
                start = prev_end + dt.timedelta(days=1)
                events.append([iso(end), iso(start) if start != end else "", ORIGIN, host, kind,
                               str(diff), spec["crossing"], spec["source"]])
                outcome[n] = [f"series '{spec['label']}': event {start}..{end}: "
                              f"{count:,} - {prev_count:,} = {diff:,}"]
            prev_end, prev_count = end, count

    return events, rows, outcome


# --------------------------------------------------------------------------
# 3. Statements


def build_statements(src: Path, countries: set[str]):
    rows = read_csv(src / "reported/statements_2023_2024.csv")
    out = []
    for n, r in enumerate(rows, 1):
        check(list(r.keys()) == STM_HEADER, f"statements header {list(r.keys())}")
        rec = [r[c] for c in STM_HEADER]
        check(all(v == v.strip() for v in rec), f"statements row {n}: untrimmed text")
        out.append(rec)
    return out


# --------------------------------------------------------------------------
# Validation of the canonical tables (DESIGN sections 1 and 2)


def validate(name, header, rows, countries, spec):
    """spec: column -> 'date' | 'date?' | 'country' | 'country?' | 'count' |
    'text' | 'text?' | set(vocabulary)"""
    for i, row in enumerate(rows, 2):
        check(len(row) == len(header), f"{name}:{i}: {len(row)} fields")
        for col, value in zip(header, row):
            what = f"{name}:{i}: column {col!r}"
            t = spec[col]
            check(value == value.strip(), f"{what}: untrimmed {value!r}")
            if isinstance(t, set):
                check(value in t, f"{what}: {value!r} not in vocabulary")
            elif t.endswith("?") and value == "":
                continue
            elif t.startswith("date"):
                parse_date(value, what)
            elif t.startswith("country"):
                check(value in countries, f"{what}: {value!r} is not a known alpha-3 code")
            elif t == "count":
                check(value.isdigit() and value.isascii() and int(value) <= U64_MAX,
                      f"{what}: {value!r} is not a count")
            elif t.startswith("text"):
                check(value != "", f"{what}: empty required text")


def assert_unique(name, rows, key):
    seen = {}
    for i, row in enumerate(rows, 2):
        k = key(row)
        check(k not in seen, f"{name}:{i}: duplicate of line {seen.get(k)}: {k}")
        seen[k] = i


def write_csv(path: Path, header, rows) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")  # QUOTE_MINIMAL = RFC 4180
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def date_range(rows, col=0):
    ds = sorted(r[col] for r in rows)
    return ds[0], ds[-1]


# --------------------------------------------------------------------------
# README


def md_escape(s: str) -> str:
    return s.replace("|", "\\|")


def render_readme(regs, reg_stats, deps, unhcr_stats, rep_rows, outcome, stmts) -> str:
    L = []
    a = L.append
    n_unhcr_regs = sum(1 for r in regs if r[5] == UNHCR)
    reg_sources = Counter(r[5] for r in regs)
    dep_sources = Counter(r[7] for r in deps)
    stm_sources = Counter(r[8] for r in stmts)
    rep_events = [d for d in deps if d[7] != UNHCR]
    r0, r1 = date_range(regs)
    d0, d1 = date_range(deps)
    p0 = min((d[1] or d[0]) for d in deps)
    s0, s1 = date_range(stmts)
    yearend = [d for d in reg_stats["per_snapshot"] if d.endswith("-12-31")]

    a("# Sample data")
    a("")
    a("Real figures only; every row names its source. This directory is embedded in the")
    a("crate (`Dataset::sample()`, the docs, the command line without `--data`).")
    a("")
    a("**Generated** by `tools/build_sample.py` from `../shared/data` (the project's copy")
    a("of the public files named below). Rebuild from the crate root with")
    a("")
    a("```")
    a("python3 tools/build_sample.py ../shared/data")
    a("```")
    a("")
    a("The script is standard-library Python 3.11, its output is deterministic, and it")
    a("asserts every rule of the canonical format (dates, counts, countries, vocabularies,")
    a("required text, `period_start <= date`, no duplicate keys) before it writes. Edit the")
    a("script, not this file.")
    a("")
    a("| file | rows | dates | what |")
    a("|---|---:|---|---|")
    a(f"| `registrations.csv` | {len(regs):,} | {r0} .. {r1} | stocks: UNHCR year-end 2000-2025 "
      f"and mid-2023 figures for Afghans in every host ({n_unhcr_regs:,} rows), plus "
      f"{len(reg_stats['stock_rows'])} published estimates for Pakistan |")
    a(f"| `deportations.csv` | {len(deps):,} | {d0} .. {d1} (periods from {p0}) | flows: UNHCR's "
      f"yearly returned Afghan refugees by former host ({unhcr_stats['rows']:,} rows) and "
      f"{len(rep_events)} events derived from reported figures, 2023-2024 |")
    a(f"| `statements.csv` | {len(stmts)} | {s0} .. {s1} | public statements on Afghans in "
      f"Pakistan and Iran |")
    a("")
    a("Countries are ISO 3166-1 alpha-3 codes; UNHCR's `UNK` (unknown) is written `XXX`.")
    a("Files are UTF-8, LF line ends, RFC 4180 quoting, columns in the order of DESIGN.md.")
    a("")
    a("## Sources and licences")
    a("")
    a("* **UNHCR Refugee Population Statistics Database**, licence **CC BY 4.0**")
    a("  (attribution: \"UNHCR Refugee Population Statistics Database\"), taken from UNHCR's R")
    a("  package `refugees` (https://github.com/PopulationStatistics/refugees, commit")
    a("  `0c16a6d0c2f37d8578f9b9e3d1e4459efe850398`, package version 2025.12.1; its `.rda`")
    a("  tables converted to CSV with R `NA` as an empty cell): `population` (year-end")
    a("  stocks and yearly returns) and `solutions` (used to check the returns). The mid-2023")
    a("  figures are from the same package's release **2023.6.0**, whose 2023 rows are")
    a("  mid-year (30 June 2023) figures, later replaced by year-end ones.")
    a("  Every row with source `UNHCR` comes from these tables.")
    a("* **Reported figures and statements**: hand-compiled from the publications named in")
    a("  each row (news agencies, newspapers, UN, IOM, NGO and government releases; links in")
    a("  the tables below and in `statements.csv`). The numbers and dates are the")
    a("  publications'; the statement summaries are the compiler's own words. Titles marked")
    a("  `[title reconstructed from URL slug]` were rebuilt from the link.")
    a("")
    a("## registrations.csv")
    a("")
    a("Columns `date,origin,host,population,count,source`.")
    a("")
    a("### UNHCR (source `UNHCR`)")
    a("")
    a(f"* **Year-end stocks**: every row of `population.csv` with `coo_iso = AFG` and year")
    a(f"  2000-2025 ({reg_stats['yearend_rows']:,} origin x host rows). Each non-empty stock cell")
    a("  becomes one registration dated `YYYY-12-31`: `refugees`, `asylum_seekers`, `idps`,")
    a("  `stateless`, `ooc` -> `others_of_concern`, `oip` -> `others_in_need`, `hst` ->")
    a("  `host_community`. Origin is `coo_iso`, host `coa_iso` (the UNHCR codes `coo`/`coa` were")
    a("  checked to map to the same ISO codes through `countries.csv`). **Zeros are kept**: a")
    a("  published 0 is an observation. Empty cells (and `-`) mean \"not applicable\" and give")
    oip = reg_stats["oip"]
    a(f"  nothing (so `others_in_need` has only {len(oip)} observations: "
      f"{', '.join(f'{h} {d}' for d, h in oip)}).")
    a("  `returned_refugees` and `returned_idps` are flows, not stocks (see deportations).")
    a(f"* **Mid-year 2023**: the {reg_stats['midyear_rows']} year-2023 rows of the 2023.6.0 release,")
    a(f"  converted the same way and dated `{MIDYEAR_DATE}` (its other years are ignored: they")
    a("  are superseded by `population.csv`).")
    a("* **Closing zeros** (DESIGN.md sections 4 and 8): UNHCR's Afghan-origin table is")
    a("  complete at each date, so a series (origin, host, population) that has a value at one")
    a("  snapshot and none at the next has fallen to zero; without a 0 an as-of query would")
    a("  carry its last figure forward. The snapshots, in date order, are the year-ends")
    a("  2000..2025 with the mid-2023 snapshot between 2022-12-31 and 2023-12-31. For each")
    a("  series present at one snapshot and absent at the next, a registration with count 0")
    a("  is added at the next snapshot's date. Presence means a value in UNHCR's table, so a")
    a("  closing zero is never repeated. None is added after 2025-12-31 (the table does not")
    a("  cover 2026) and none before 2000 (a series first seen in 2000 has nothing before it).")
    a(f"  **{reg_stats['closing']:,} closing zeros were added** "
      f"({', '.join(f'{p} {c}' for p, c in reg_stats['closing_by_population'].items())}); "
      "by date:")
    a("")
    a("  | date | closing zeros | series in UNHCR's table |")
    a("  |---|---:|---:|")
    for d, n in reg_stats["per_snapshot"].items():
        a(f"  | {d} | {reg_stats['closing_by_date'].get(d, 0)} | {n} |")
    a("")
    big = "; ".join(f"{v:,} {k[2]} in {k[1]} at {d}" for v, d, k in reg_stats["closing_largest"])
    a(f"  {reg_stats['closing_after_zero']} of them follow a published 0 (UNHCR drops a host's")
    a("  row, all of whose columns were 0, from the next table); the largest figures closed")
    a(f"  are {big}. The hosts in the 2022 table but not in the mid-2023 release")
    a(f"  ({', '.join(reg_stats['mid_hosts'])}) are "
      + ("absent from the 2023 year-end table too, so their closing zeros are dated "
         "2023-06-30 (and none falls on 2023-12-31 for them)."
         if not reg_stats["mid_back"] else
         f"partly back at 2023-12-31 ({', '.join(reg_stats['mid_back'])}): a closing zero at "
         "2023-06-30, then values again."))
    a("")
    a("Check figures (asserted by the script), Afghan refugees, source `UNHCR`:")
    a("")
    a("| date | host | refugees |")
    a("|---|---|---:|")
    for (d, o, h, p), v in sorted(CHECKS.items(), key=lambda kv: (kv[0][1:], kv[0][0])):
        a(f"| {d} | {h} | {v:,} |")
    a("")
    a("### Published estimates for Pakistan (other sources)")
    a("")
    a("`reported/stock_estimates_pakistan.csv`, one registration per row, `source` = the")
    a("publication, so each is its own series and a query never adds it to UNHCR's figures")
    a("(DESIGN.md section 4 rejects a group that mixes two sources of one population).")
    a("")
    a("| date | population | count | measure | source |")
    a("|---|---|---:|---|---|")
    for r in reg_stats["stock_rows"]:
        url = f" <{r['url']}>" if r["url"] else ""
        a(f"| {r['date']} | {r['population']} | {int(r['count']):,} | {md_escape(r['measure'])} | "
          f"{md_escape(r['source'])}{url} |")
    a("")
    a("Rounded figures (\"1.3 million\") are kept as published; the notes of the input file")
    a("say which are rounded.")
    a("")
    a("## deportations.csv")
    a("")
    a("Columns `date,period_start,origin,host,kind,count,crossing,source`. `date` is the last")
    a("day a count covers; an empty `period_start` means the count is for that one day.")
    a("")
    a("### UNHCR returned refugees (source `UNHCR`)")
    a("")
    a("From `population.csv`, every row with `coo_iso = AFG`, year 2000-2025 and a non-empty")
    a(f"`returned_refugees`: {unhcr_stats['rows']:,} events of kind `returned`, period")
    a("`YYYY-01-01` .. `YYYY-12-31`, origin `AFG` (the country returned to, `coo`), host")
    a("`coa_iso` (the former host), no crossing. Zeros are kept as published")
    a(f"({unhcr_stats['nonzero']} non-zero, {unhcr_stats['zeros']:,} zeros, of which "
      f"{unhcr_stats['to_afg_host']} are on the Afghanistan-in-Afghanistan rows that carry")
    a("UNHCR's IDP figures; UNHCR publishes them, so they stay).")
    a("")
    a("**Orientation checked.** Some UNHCR tables record returned refugees with the country")
    a("of asylum equal to the origin (host unknown). Not here: in 2000-2025 no Afghan-origin")
    a("row with `coa_iso = AFG` has a non-zero `returned_refugees`, and the")
    a(f"{unhcr_stats['nonzero']} non-zero values are identical, host by host and year by year,")
    a("to `solutions.csv`, whose `coa` is documented as the former host. So `population.csv`")
    a("is used as is (it also publishes the zeros, which `solutions.csv` leaves empty); the")
    a("script asserts both facts.")
    a("")
    a("Not included: `returned_idps` (Afghans returning home inside Afghanistan, not a")
    a("cross-border flow; the crate's UNHCR adapter reads them as events with origin = host),")
    a("and the mid-2023 release's half-year returns.")
    a("")
    a("### Reported figures, 2023-2024")
    a("")
    a("From `reported/returns_reported_2023_2024.csv` (78 rows, figures as published,")
    a("\"messy on purpose\"). Every row was read with its note; the rules:")
    a("")
    a("* An `interval` figure with a stated start and end becomes one event")
    a("  (`period_start`, `date` = end). A one-day figure is written with an empty")
    a("  `period_start`.")
    a("* A `cumulative` figure with a stated start that belongs to no series becomes one")
    a("  event from its start to its end date.")
    a("* A cumulative **series** (one publisher, same host, kind, crossing and start)")
    a("  becomes differences between consecutive figures, each an event covering the days")
    a("  after the earlier report up to the later one; its first figure is an event from the")
    a("  series' start, or only a base when the start is not stated. All differences were")
    a("  checked to be non-negative (none is negative).")
    a("* Skipped (and listed below): figures with no start (or no end) date, ranges,")
    a("  figures that mix non-Afghans or several host countries, counts that are not returns,")
    a("  and totals that are the exact sum of kept components.")
    a("* `source` is the row's publication, verbatim, so publishers stay separate. Exceptions:")
    a("  every event from the KP Home & Tribal Affairs Department's releases carries one")
    a("  source naming the department and the outlets, and so do the two Border Consortium")
    a("  cumulative figures; rows 13 and 14 (officials quoted in one AFP story, same dates as")
    a("  row 12) name the body quoted before the publication. `crossing` is kept as given,")
    a("  except in the KP deportation series (below).")
    a("* Qualifiers (\"more than\", \"about\", \"nearly\", \"at least\") cannot be held by the")
    a("  contract; the stated number is kept. No number was computed except the differences")
    a("  of the series.")
    a("")
    a("Series built from cumulative figures:")
    a("")
    for sid, spec in SERIES.items():
        a(f"* **{spec['label']}** (rows {', '.join(str(n) for n in spec['rows'])}; start "
          f"{spec['start'] or 'not stated'}; crossing `{spec['crossing'] or '(empty)'}`).")
    a("")
    a("  Source of all KP Home & Tribal Affairs Department events (rows 20-24, 30, 31, 33,")
    a(f"  34, 36-41): \"{KP_SOURCE}\". The 20 Nov release states the start (17 Sep 2023);")
    a("  the later releases continue the same running totals without restating it (their")
    a("  figures rise steadily and restate the same crossings). The three-crossing total")
    a("  is the sum of the single-crossing figures (on 19 Nov: 223,503 + 3,317 + 419 =")
    a("  227,239), so never add the `Torkham; Angoor Adda; Kharlachi` events to the")
    a("  `Torkham`, `Angoor Adda` or `Kharlachi` ones. The deportation series joins row 34")
    a("  (crossing given as Torkham) with rows 37, 39, 40 (Torkham and other KP border")
    a("  points): every release gives the same breakdown by province of arrest (2 Dec: 5,064")
    a("  KP + 114 Islamabad + 873 Punjab + 24 AJK = 6,075; 19 Dec: 5,249 + 125 + 1,127 + 34;")
    a("  30 Dec: 5,287 + 129 + 1,150 + 34 = 6,600), so it is one series; its events have an")
    a("  empty crossing. Row 40 is read as cumulative, as the input flags (its breakdown is")
    a("  the series', each part a little above 19 Dec). Row 24 (492 deported via Torkham by")
    a("  19 Nov, Peshawar and Khyber only) has another scope and stays a separate event.")
    a(f"  Border Consortium events (rows 18, 49): \"{BC_SOURCE}\".")
    a("")
    a("Other cumulative figures with the same start were **not** differenced when they come")
    a("from different publishers or data systems (e.g. rows 46 and 48: an IOM figure quoted by")
    a("AFP, as of 13 Jan 2024, and IOM DTM Pakistan's report to 15 Jan 2024; row 25 UNHCR")
    a("since 3 Oct against row 50 UNHCR since 15 Sep): each stays one event under its own")
    a("source, because a difference between them would be a number nobody published.")
    a("")
    a("**The reported events overlap** (several publishers counting the same people, totals")
    a("beside their parts, daily figures inside cumulative periods). Sum them only within")
    a("one source and one crossing: query with `--by source` (and `crossing`) or filter")
    a("`--source`.")
    a("")
    a("Every input row (row = data row, line = row + 1 in the input file):")
    a("")
    a("| row | host | kind | count | period (input) | figure | publication | outcome |")
    a("|---:|---|---|---:|---|---|---|---|")
    for n, r in enumerate(rep_rows, 1):
        period = f"{r['period_start'] or '?'} .. {r['period_end'] or '?'}"
        cross = f" ({r['crossing']})" if r["crossing"] else ""
        a(f"| {n} | {r['host_country']} | {r['kind']} | {r['count']}{md_escape(cross)} | {period} | "
          f"{r['figure']} | {md_escape(short_pub(r['source']))} | "
          f"{md_escape('; '.join(outcome[n]))} |")
    a("")
    kept = [n for n in outcome if not outcome[n][0].startswith("skipped")]
    skipped = [n for n in outcome if outcome[n][0].startswith("skipped")]
    a(f"Summary: {len(kept)} rows used ({len(rep_events)} events; row 34 only as a base), "
      f"{len(skipped)} skipped: {', '.join(str(n) for n in sorted(skipped))}.")
    a("")
    a("## statements.csv")
    a("")
    a("Columns `date,actor,actor_country,speaker,target_country,subject_country,stance,")
    a("summary,source,url`: `reported/statements_2023_2024.csv` as is (rewritten with")
    a("canonical quoting). Validated: countries alpha-3 or empty, stance in the")
    a("vocabulary, required fields non-empty and trimmed, dates real, no two rows with the")
    a("same (date, actor, speaker, stance, summary). No value needed fixing. Some dates are")
    a("inferred from \"on Tuesday\"-style wording plus the article's date; summaries are the")
    a("compiler's own words.")
    a("")
    a("## Distinct sources")
    a("")
    for title, counter in (("registrations.csv", reg_sources),
                           ("deportations.csv", dep_sources),
                           ("statements.csv", stm_sources)):
        a(f"### {title}: {len(counter)} sources")
        a("")
        a("| rows | source |")
        a("|---:|---|")
        for src_name, n in sorted(counter.items(), key=lambda kv: (kv[0] != UNHCR, kv[0])):
            a(f"| {n:,} | {md_escape(src_name)} |")
        a("")
    return "\n".join(L)


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python3 tools/build_sample.py ../shared/data", file=sys.stderr)
        return 2
    src = Path(argv[1])
    out = Path(__file__).resolve().parent.parent / "data"
    countries, unhcr_to_iso = load_countries(src)

    regs, reg_stats = build_registrations(src, unhcr_to_iso)
    unhcr_deps, unhcr_stats = build_unhcr_returns(src)
    rep_deps, rep_rows, outcome = build_reported_returns(src)
    deps = unhcr_deps + rep_deps
    deps.sort(key=lambda d: (d[0], d[1] or d[0], d[7] != UNHCR, d[7], d[3], d[2], d[4], d[6]))
    stmts = build_statements(src, countries)

    validate("registrations.csv", REG_HEADER, regs, countries, dict(
        date="date", origin="country", host="country", population=POPULATIONS,
        count="count", source="text"))
    validate("deportations.csv", DEP_HEADER, deps, countries, dict(
        date="date", period_start="date?", origin="country", host="country", kind=KINDS,
        count="count", crossing="text?", source="text"))
    validate("statements.csv", STM_HEADER, stmts, countries, dict(
        date="date", actor="text", actor_country="country?", speaker="text?",
        target_country="country?", subject_country="country?", stance=STANCES,
        summary="text", source="text", url="text?"))
    for i, d in enumerate(deps, 2):
        if d[1]:
            check(d[1] <= d[0], f"deportations.csv:{i}: period_start after date")
    assert_unique("registrations.csv", regs, lambda r: (r[0], r[1], r[2], r[3], r[5]))
    assert_unique("deportations.csv", deps,
                  lambda d: (d[0], d[1] or d[0], d[2], d[3], d[4], d[6], d[7]))
    assert_unique("statements.csv", stmts, lambda s: (s[0], s[1], s[3], s[6], s[7]))

    out.mkdir(exist_ok=True)
    write_csv(out / "registrations.csv", REG_HEADER, regs)
    write_csv(out / "deportations.csv", DEP_HEADER, deps)
    write_csv(out / "statements.csv", STM_HEADER, stmts)
    readme = render_readme(regs, reg_stats, deps, unhcr_stats, rep_rows, outcome, stmts)
    (out / "README.md").write_text(readme, encoding="utf-8", newline="")

    print(f"registrations.csv {len(regs)} rows ({reg_stats['closing']} closing zeros)")
    print(f"deportations.csv {len(deps)} rows ({len(unhcr_deps)} UNHCR, {len(rep_deps)} reported)")
    print(f"statements.csv {len(stmts)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
