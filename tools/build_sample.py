#!/usr/bin/env python3
"""Build the crate's embedded sample dataset (data/*.csv and data/README.md).

Usage, from the crate root:

    python3 tools/build_sample.py ../shared/data

Python 3.11, standard library only. The output is deterministic: the same
input files give byte-identical output. Every rule of the canonical format
(DESIGN.md section 1 and 2: values, duplicates, no two deportations of one
series sharing a day) is asserted before anything is written, so a file that
this script writes always loads strictly. So are the sample's own rules:
`source` is the organisation that counted (one of ORGANISATIONS, never an
outlet), `reference` names the publication on every row, and no organisation's
total is kept beside its own part for the same days (crossings included, since
the query engine's flow source rule does not separate them).

Reported cumulative figures become disjoint flows by differences between an
organisation's consecutive reports; every input row's fate is decided in
DECISIONS (and STOCK_DECISIONS) and written to data/README.md.

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

REG_HEADER = ["date", "origin", "host", "population", "count", "source", "reference"]
DEP_HEADER = ["date", "period_start", "origin", "host", "kind", "count", "crossing", "source",
              "reference"]
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
# References of the UNHCR statistics rows. `refugees` is UNHCR's R package of
# its Refugee Population Statistics Database; the version names the release.
# Kept short because it repeats on every UNHCR row, but never left empty: it
# tells apart the three kinds of UNHCR row (a year-end figure, a figure of the
# superseded mid-2023 release, and a closing zero derived by this script).

REF_YEAREND = "UNHCR refugees 2025.12.1"
REF_MIDYEAR = "UNHCR refugees 2023.6.0 (mid-2023)"
REF_CLOSING = "closing zero: absent from {release}"

# --------------------------------------------------------------------------
# Organisations that counted (the `source` column). Never an outlet: the
# outlet, title and link go in `reference`.

UNHCR_IOM = "UNHCR and IOM"
UNHCR_IOM_UNICEF = "UNHCR, IOM and UNICEF"
GOP = "Government of Pakistan"
MOI = "Pakistan Ministry of Interior"
PK_IMMIGRATION = "Pakistani immigration officials at Torkham"
PK_REFUGEE_AUTH = "Pakistani refugee authority"
DC_KHYBER = "Deputy Commissioner Khyber"
KP = "KP Home & Tribal Affairs Department"
BALOCHISTAN = "Balochistan border officials"
BC = "Border Consortium"
IOM = "IOM"
IOM_DTM = "IOM DTM"
OCHA = "OCHA"
OHCHR = "OHCHR"
HRW = "Human Rights Watch"
AMNESTY = "Amnesty International"
NGOS = "NRC, DRC and IRC"
GOI = "Government of Iran"
IRAN_NMO = "Iran National Migration Organization"
IRAN_KHORASAN = "Khorasan Razavi border guard (Iran)"
IRAN_SISTAN = "Sistan-Baluchestan border guard (Iran)"
IRAN_POLICE = "Iran Border Police"
MORR = "Taliban Ministry of Refugees and Repatriation"

ORGANISATIONS = {UNHCR, UNHCR_IOM, UNHCR_IOM_UNICEF, GOP, MOI, PK_IMMIGRATION, PK_REFUGEE_AUTH,
                 DC_KHYBER, KP, BALOCHISTAN, BC, IOM, IOM_DTM, OCHA, OHCHR, HRW, AMNESTY, NGOS,
                 GOI, IRAN_NMO, IRAN_KHORASAN, IRAN_SISTAN, IRAN_POLICE, MORR}

# --------------------------------------------------------------------------
# Published stock estimates for Pakistan (reported/stock_estimates_pakistan.csv):
# row -> (date, population, count, organisation that counted, why that one).
# Proof of Registration (PoR) cards and Afghan Citizen Cards (ACC) are issued
# and registered by the Government of Pakistan (NADRA, for the Ministry of
# States and Frontier Regions): a count of card holders is a count of the
# government's register, whoever quotes it. UNHCR's own statistics (source
# `UNHCR`) are another measure (they add people in refugee-like situations),
# and a second `UNHCR` row of (AFG, PAK, refugees) would be a duplicate
# (2018-12-31) or enter UNHCR's statistics series between two of its figures.

STOCK_DECISIONS = {
    1: ("2018-12-31", "refugees", "1400235", GOP,
        "PoR card holders: the government's register, as published in UNHCR's fact sheet "
        "(UNHCR's statistics give 1,403,521 for the same date)"),
    2: ("2023-09-13", "refugees", "1300000", GOP,
        "PoR card holders (the government's register), quoted by a UNHCR spokesperson"),
    3: ("2023-09-13", "others_of_concern", "880000", GOP,
        "Afghan Citizen Cards issued by the government in 2017, quoted by a UNHCR spokesperson"),
    4: ("2023-10-03", "undocumented", "1730000", GOP,
        "the caretaker interior minister's estimate"),
    5: ("2023-11-09", "refugees", "1304000", GOP,
        "PoR card holders registered in the government's 2021-22 DRIVE verification"),
    6: ("2023-12-07", "undocumented", "1300000", UNHCR,
        "UNHCR's own estimate; a population (`undocumented`) absent from UNHCR's statistics, "
        "so no UNHCR statistics series is touched"),
}

# --------------------------------------------------------------------------
# Reported returns (reported/returns_reported_2023_2024.csv): one decision per
# input data row (1-based, header excluded; the physical line is row + 1).
# Each decision repeats the row's count and period_end, so that a changed input
# file fails loudly instead of silently giving other events, and names the
# organisation that counted.
#
#   ("keep", note)        one event from the row's period_start..period_end
#   ("series", id)        a report of a cumulative series (SERIES below)
#   ("minus", row, note)  a cumulative figure minus an interval figure of the
#                         same report that ends on the same day: the
#                         cumulative up to the day before that interval
#   ("out", reason)       left out
#   ("total", reason)     left out (a total over crossings), but the
#                         per-crossing figures in its note are reports of
#                         the per-crossing SERIES

DECISIONS: dict[int, tuple] = {
    1: ("59780", "2023-10-15", UNHCR_IOM, "out",
        "interval without a start date ('in the month up to Oct 15'); one flash-report figure "
        "quoted by OHCHR and reported by two outlets (Dawn, Pajhwok)"),
    2: ("8000", "2023-10-08", PK_IMMIGRATION, "keep", ""),
    3: ("59561", "2023-10-22", GOP, "series", "gop"),
    4: ("82500", "", GOP, "out",
        "cumulative without an end date (as of an unstated day before the article of 1 Nov "
        "2023); 'official sources', read as the Government of Pakistan"),
    5: ("11553", "2023-10-30", GOP, "out",
        "a Torkham figure for 30 Oct from unnamed 'official sources' (read as the Government of "
        "Pakistan), inside the government's all-crossing flow of 23 Oct-2 Nov (row 12 minus "
        "row 3): one organisation's total and its part for the same day; the total is kept"),
    6: ("70000", "", PK_IMMIGRATION, "out",
        "end date not stated (31 Oct or 1 Nov 2023) and the count excludes children, so it is "
        "not a count of persons"),
    7: ("100000", "2023-11-01", DC_KHYBER, "out",
        "interval with an approximate start ('in the last two weeks')"),
    8: ("10000", "2023-10-31", PK_REFUGEE_AUTH, "keep", ""),
    9: ("24000", "2023-11-01", DC_KHYBER, "keep", ""),
    10: ("17000", "2023-11-01", BC, "out",
         "a one-day figure (the daily peak of 1 Nov) inside the consortium's own cumulative "
         "period 15 Sep-18 Nov (row 18), same crossings: the same people would be counted "
         "twice; the running total is kept because it covers the whole period"),
    11: ("140322", "2023-11-01", MOI, "out",
         "all undocumented foreigners, not only Afghans"),
    12: ("165000", "2023-11-02", GOP, "series", "gop"),
    13: ("129000", "2023-11-02", KP, "out",
         "'just over 129,000' from KP since 'a month ago' (start inferred as 3 Oct): overlaps the "
         "department's own running totals from 17 Sep (rows 21-23), and with another start no "
         "difference can be taken"),
    14: ("38100", "2023-11-02", BALOCHISTAN, "keep", ""),
    15: ("160000", "2023-11-03", UNHCR_IOM_UNICEF, "keep",
         "a joint estimate of three agencies ('an estimated 160,000'), not UNHCR's statistics, "
         "so it is a source of its own"),
    16: ("20000", "2023-11-04", OCHA, "keep",
         "kept as published; the input flags it as possibly a partial count (far below other "
         "figures for the same days)"),
    17: ("327000", "2023-11-11", OHCHR, "out",
         "counts 'people, mostly Afghans': mixes non-Afghans (OCHA quoted the same figure; "
         "one figure, not two)"),
    18: ("340000", "2023-11-18", BC, "series", "bc"),
    19: ("3400", "", BC, "out",
         "no dates ('between mid-September and mid-November')"),
    20: ("227239", "2023-11-19", KP, "out",
         "the department's total over its three crossings; the same release's per-crossing "
         "figures (rows 21-23, which sum to it exactly) are kept instead"),
    21: ("223503", "2023-11-19", KP, "series", "kp_torkham"),
    22: ("3317", "2023-11-19", KP, "series", "kp_angoor"),
    23: ("419", "2023-11-19", KP, "series", "kp_kharlachi"),
    24: ("492", "2023-11-19", KP, "keep",
         "'illegal foreigners' deported into Afghanistan via Torkham (nationality not stated), "
         "arrested in Peshawar and Khyber only: a narrower scope than the department's later "
         "deportation series, whose days it does not share"),
    25: ("374000", "2023-11-21", UNHCR, "out",
         "a UNHCR figure (AFG from PAK, returned, no crossing) for 3 Oct-21 Nov 2023, inside "
         "UNHCR's yearly statistics row for 2023 of the same series"),
    26: ("375000", "2023-11-18", IOM, "out",
         "cumulative without a start date (IOM's 'preceding two months' and APP's 'since Nov 1' "
         "conflict); one UN figure reported by two outlets (CID NZ, APP)"),
    27: ("2292", "2023-11-20", GOP, "keep",
         "'Pakistani authorities', no body named: read as the Government of Pakistan"),
    28: ("2990", "2023-11-21", GOP, "keep",
         "'Pakistani authorities', no body named: read as the Government of Pakistan"),
    29: ("243165", "2023-11-21", GOP, "out",
         "cumulative without a start date or reporting body; it fits no series (the KP "
         "department's total was 227,239 two days earlier, against daily figures of 2,292 "
         "and 2,990)"),
    30: ("246013", "2023-11-27", KP, "total",
         "the department's total over three crossings (its parts sum to 246,012)"),
    31: ("241888", "2023-11-27", KP, "series", "kp_torkham"),
    32: ("20000", "2023-11-28", HRW, "out",
         "cumulative with an approximate start ('since mid-September'); outlets' totals "
         "inconsistent"),
    33: ("253068", "2023-12-02", KP, "total",
         "the department's total over three crossings (its parts sum to 253,067)"),
    34: ("6075", "2023-12-02", KP, "series", "kp_deported"),
    35: ("421101", "2023-12-10", GOP, "out",
         "all nationalities ('illegal foreigners including Afghans'), no start date, and the "
         "article's figure (421,101) disagrees with its URL (421010)"),
    36: ("261723", "2023-12-12", KP, "total",
         "the department's total over three crossings (its parts sum to 261,722)"),
    37: ("6294", "2023-12-12", KP, "series", "kp_deported"),
    38: ("267528", "2023-12-19", KP, "total",
         "the department's total over three crossings (its parts sum to 267,527)"),
    39: ("6534", "2023-12-19", KP, "series", "kp_deported"),
    40: ("6600", "2023-12-30", KP, "series", "kp_deported"),
    41: ("268552", "2023-12-30", KP, "series", "kp_torkham"),
    42: ("541210", "2024-01-02", MOI, "out",
         "all illegal aliens (majority Afghans, not only Afghans); start date not given"),
    43: ("271985", "2024-01-02", MOI, "out",
         "part of row 42's all-nationalities total (271,985 + 159,161 + 110,064 = 541,210); "
         "start date not given"),
    44: ("159161", "2024-01-02", MOI, "out",
         "part of row 42's all-nationalities total; start date not given"),
    45: ("110064", "2024-01-02", MOI, "out",
         "part of row 42's all-nationalities total; start date not given"),
    46: ("500200", "2024-01-13", IOM, "keep",
         "AFP does not say which IOM data system the figure comes from, so it stays under `IOM` "
         "and is not differenced with IOM DTM's row 48"),
    47: ("9982", "2024-01-15", IOM_DTM, "keep", ""),
    48: ("501242", "2024-01-15", IOM_DTM, "minus", 47,
          "the same report's cumulative since 15 Sep includes its own 1-15 Jan figure (row 47)"),
    49: ("632000", "2024-06-15", BC, "series", "bc"),
    50: ("758000", "2024-10-31", UNHCR, "out",
         "a UNHCR figure (AFG from PAK, returned, no crossing) for 15 Sep 2023-31 Oct 2024, "
         "overlapping UNHCR's yearly statistics rows for 2023 and 2024 of the same series"),
    51: ("6800", "2024-10-31", UNHCR, "keep",
         "kind `deported`, another series than UNHCR's yearly `returned` statistics"),
    52: ("115600", "2024-10-31", UNHCR, "out",
         "cumulative whose start is given only as 'since September 2023'"),
    53: ("54720", "2024-12-31", UNHCR, "out",
         "all UNHCR-assisted Afghan returns from every host (98.9% from Pakistan), "
         "not Pakistan alone"),
    54: ("12603", "2024-01-31", UNHCR, "out",
         "all UNHCR-assisted Afghan returns from every host, not Pakistan alone"),
    55: ("9000-10000", "2023-11-02", NGOS, "out",
         "a range (9,000-10,000) describing the usual daily rate 'now', not a count for a day; "
         "no bound taken"),
    56: ("170000", "2023-11-10", AMNESTY, "keep",
         "Amnesty does not say whose count it quotes; reported by two outlets (The Newserz, "
         "Amu TV), kept once"),
    57: ("20000", "2023-10-30", MOI, "out",
         "all nationalities ('illegal foreigners'); dates not given ('previous three days')"),
    58: ("80500", "2024-12-18", IOM, "out",
         "what the figure counts is unclear (flagged): it contradicts IOM's and UNHCR's "
         "cumulative figures (501,242 by 15 Jan 2024, over 758,000 by 31 Oct 2024)"),
    59: ("380671", "2024-12-31", IOM_DTM, "out",
         "IOM DTM inflows including circular movement, not returns"),
    60: ("710000", "2023-06-30", UNHCR, "out",
         "a UNHCR figure (AFG from IRN, returned, no crossing) inside UNHCR's yearly statistics "
         "row for 2023 of the same series; it is also the exact sum of rows 61 and 62, which "
         "are kept"),
    61: ("310000", "2023-06-30", UNHCR, "keep",
         "kind `deported`, another series than UNHCR's yearly `returned` statistics"),
    62: ("400000", "2023-06-30", UNHCR, "keep",
         "kind `spontaneous`, another series than UNHCR's yearly `returned` statistics"),
    63: ("200000", "", GOI, "out", "no dates (neither start nor the day of the remark)"),
    64: ("450000", "2023-11-18", IRAN_NMO, "out",
         "'mostly from Afghanistan': includes non-Afghans; period approximate "
         "('in the last three months')"),
    65: ("400000", "2023-11-29", GOI, "out",
         "nationality and period not stated (flagged); conflicts with row 64"),
    66: ("25521", "2024-01-15", GOI, "out",
         "interval without a start date ('in the past ten days')"),
    67: ("13852", "2024-01-15", IRAN_KHORASAN, "out",
         "interval without a start date (part of row 66's ten days)"),
    68: ("11669", "2024-01-15", IRAN_SISTAN, "out",
         "interval without a start date ('over the past week'; with row 67 it sums to row "
         "66's ten-day figure)"),
    69: ("520000", "2024-01-15", GOI, "out",
         "interval without a start date ('in the past nine months', approximate)"),
    70: ("1000000", "2023-12-31", IOM, "keep",
         "'nearly one million', approximate as published"),
    71: ("1300000", "2024-05-06", GOI, "out",
         "all foreign nationals, nationalities not specified; period ('over the past year') "
         "not dated"),
    72: ("190000", "2024-05-31", IOM, "out",
         "May 2024, inside IOM's own figure for the whole of 2024 (row 76, same series): the "
         "same people would be counted twice; the year is kept because it covers all months"),
    73: ("230000", "2024-09-30", IOM, "out",
         "September 2024, inside IOM's own figure for the whole of 2024 (row 76, same series); "
         "the year is kept"),
    74: ("3000", "2024-05-08", MORR, "keep", ""),
    75: ("1100000", "2024-12-18", IOM, "out",
         "IOM's running total for 2024 to 18 Dec, inside its figure for the whole year (row 76, "
         "same start): a difference of the two rounded figures ('more than 1.1 million', "
         "'over 1.2 million') would be a number of no precision, so the year figure is kept"),
    76: ("1200000", "2024-12-31", IOM, "keep", "undocumented returnees only"),
    77: ("602384", "2024-12-31", IOM_DTM, "out",
         "IOM DTM inflows including circular movement, not returns"),
    78: ("1120000", "2025-03-20", IRAN_POLICE, "out",
         "'undocumented foreign nationals, mainly from Afghanistan': mixes non-Afghans; "
         "Persian-year boundaries approximate"),
}

# Cumulative series: one organisation's running totals of one (host, kind,
# crossing) from one start. Reports: (row, None) = the row's own count, or
# (row, text) = a figure printed in that row's note (the same release's
# breakdown), `text` being the exact words that carry it. `start` None = not
# stated, so the first report is only the base of the next difference.
SERIES = {
    "gop": dict(
        label="Government of Pakistan, returns since the 3 Oct 2023 announcement",
        source=GOP, kind="returned", crossing="", start="2023-10-03",
        reports=[(3, None), (12, None)]),
    "bc": dict(
        label="Border Consortium, returnees via Torkham and Spin Boldak since 15 Sep 2023",
        source=BC, kind="returned", crossing="Torkham; Spin Boldak", start="2023-09-15",
        reports=[(18, None), (49, None)]),
    "kp_torkham": dict(
        label="KP Home & Tribal Affairs Department, returns via Torkham since 17 Sep 2023",
        source=KP, kind="returned", crossing="Torkham", start="2023-09-17",
        reports=[(21, None), (31, None), (33, "Torkham 248,890"), (36, "Torkham 257,402"),
                 (38, "Torkham 263,176"), (41, None)]),
    "kp_angoor": dict(
        label="KP Home & Tribal Affairs Department, returns via Angoor Adda since 17 Sep 2023",
        source=KP, kind="returned", crossing="Angoor Adda", start="2023-09-17",
        reports=[(22, None), (30, "Angoor Adda 3,426"), (33, "Angoor Adda 3,479"),
                 (36, "Angoor Adda 3,622"), (38, "Angoor Adda 3,653"),
                 (41, "3,703 Angoor Adda")]),
    "kp_kharlachi": dict(
        label="KP Home & Tribal Affairs Department, returns via Kharlachi since 17 Sep 2023",
        source=KP, kind="returned", crossing="Kharlachi", start="2023-09-17",
        reports=[(23, None), (30, "Kharlachi 698"), (33, "Kharlachi 698"), (36, "Kharlachi 698"),
                 (38, "Kharlachi 698"), (41, "698 Kharlachi")]),
    "kp_deported": dict(
        label="KP Home & Tribal Affairs Department, deportations (arrests in KP, Islamabad, "
              "Punjab, AJK)",
        source=KP, kind="deported", crossing="", start=None,
        # row 34 says 'through the Torkham Border', rows 37-40 'via Torkham and other
        # border points in KP'; every release breaks the figure down the same way by
        # province of arrest, so it is one series, written without a crossing
        input_crossings={"Torkham", ""},
        reports=[(34, None), (37, None), (39, None), (40, None)]),
}

# Crossing names that denote the same crossing point (the two sides' names).
CROSSING_SAME = {"Spin Boldak": "Chaman", "Islam Qala": "Dogharoun"}

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


def publication_reference(publication: str, url: str) -> str:
    """The `reference` of a reported figure: the publication as the input names
    it (outlet, title, date), then its link."""
    publication, url = publication.strip(), url.strip()
    check(publication != "", "a reported figure without its publication")
    return f"{publication} <{url}>" if url else publication


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

    def release(date: str) -> str:
        return REF_MIDYEAR if date == MIDYEAR_DATE else REF_YEAREND

    regs = []
    for date in dates:
        for (origin, host, population), count in snapshots[date].items():
            regs.append([date, origin, host, population, str(count), UNHCR, release(date)])
    for date, (origin, host, population) in closing:
        regs.append([date, origin, host, population, "0", UNHCR,
                     REF_CLOSING.format(release=release(date))])

    unhcr_index = {(r[0], r[1], r[2], r[3]): int(r[4]) for r in regs}
    for key, want in CHECKS.items():
        check(unhcr_index.get(key) == want,
              f"check figure {key}: expected {want}, got {unhcr_index.get(key)}")

    # Published estimates for Pakistan: source = the organisation that counted
    # (STOCK_DECISIONS), reference = the publication and its link.
    stock_rows = read_csv(src / "reported/stock_estimates_pakistan.csv")
    check(len(stock_rows) == len(STOCK_DECISIONS)
          and sorted(STOCK_DECISIONS) == list(range(1, len(stock_rows) + 1)),
          f"stock_estimates_pakistan.csv has {len(stock_rows)} rows, "
          f"{len(STOCK_DECISIONS)} decisions")
    for n, r in enumerate(stock_rows, 1):
        want_date, want_pop, want_count, org, _why = STOCK_DECISIONS[n]
        pop = r["population"].strip().lower()
        check((r["date"].strip(), pop, r["count"].strip()) == (want_date, want_pop, want_count),
              f"stock_estimates_pakistan.csv row {n} changed: {r['date']!r} {pop!r} {r['count']!r}")
        check(pop in POPULATIONS,
              f"stock_estimates_pakistan.csv: population {r['population']!r} not in vocabulary")
        check(org in ORGANISATIONS, f"stock row {n}: {org!r} is not a known organisation")
        r["organisation"] = org
        r["reference"] = publication_reference(r["source"], r["url"])
        regs.append([r["date"].strip(), r["origin_country"].strip(), r["host_country"].strip(),
                     pop, r["count"].strip(), org, r["reference"]])

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
                       canon_unhcr_iso(r["coa_iso"]), "returned", v, "", UNHCR, REF_YEAREND])
    stats = dict(
        rows=len(events),
        nonzero=len(nonzero),
        zeros=len(events) - len(nonzero),
        to_afg_host=sum(1 for e in events if e[3] == ORIGIN),
        solutions_matched=len(solutions),
    )
    return events, stats


def build_reported_returns(src: Path):
    """Reported figures -> disjoint flows. Returns (events, input rows, outcome),
    outcome[row] = list of (category, text) with category one of `kept as is`,
    `difference`, `base`, `left out`."""
    rows = read_csv(src / "reported/returns_reported_2023_2024.csv")
    check(len(rows) == len(DECISIONS) == 78,
          f"returns_reported has {len(rows)} rows, {len(DECISIONS)} decisions")
    check(sorted(DECISIONS) == list(range(1, len(rows) + 1)), "a row has no decision")
    for n, r in enumerate(rows, 1):
        want_count, want_end, org, action = DECISIONS[n][:4]
        check(r["count"].strip() == want_count and r["period_end"].strip() == want_end,
              f"returns_reported row {n} changed: {r['count']!r} {r['period_end']!r}")
        check(r["origin_country"].strip() == ORIGIN, f"row {n}: origin is not AFG")
        check(org in ORGANISATIONS, f"row {n}: {org!r} is not a known organisation")
        check(action in ("keep", "series", "minus", "out", "total"), f"row {n}: action {action!r}")
        r["organisation"] = org

    events = []                    # canonical rows
    derivation = {}                # tuple(event) -> the rows it comes from
    outcome = defaultdict(list)    # input row -> [(category, text)]

    def ref(n: int) -> str:
        return publication_reference(rows[n - 1]["source"], rows[n - 1]["url"])

    def span(start: dt.date, end: dt.date) -> str:
        return f"{start} (1 day)" if start == end else f"{start}..{end}"

    def event(n: int, start: dt.date, end: dt.date, kind: str, count: int, crossing: str,
              source: str, reference: str, how: str) -> None:
        check(start <= end, f"row {n}: start after end")
        check(count >= 0, f"row {n}: negative count")
        check(kind in KINDS, f"row {n}: kind {kind!r}")
        e = [iso(end), "" if start == end else iso(start), ORIGIN,
             rows[n - 1]["host_country"].strip(), kind, str(count), crossing, source, reference]
        events.append(e)
        derivation[tuple(e)] = how

    def dates_of(n: int) -> tuple[dt.date, dt.date]:
        r = rows[n - 1]
        start, end = r["period_start"].strip(), r["period_end"].strip()
        check(bool(start) and bool(end), f"row {n}: an event needs both dates")
        return parse_date(start, f"row {n}"), parse_date(end, f"row {n}")

    def count_of(n: int) -> int:
        c = rows[n - 1]["count"].strip()
        check(c.isdigit(), f"row {n}: count {c!r}")
        return int(c)

    for n, r in enumerate(rows, 1):
        d = DECISIONS[n]
        org, action = d[2], d[3]
        if action in ("out", "total"):
            text = d[4]
            if action == "total":
                text += "; the per-crossing figures are kept instead (its note's are used below)"
            outcome[n].append(("left out", text))
        elif action == "keep":
            start, end = dates_of(n)
            count = count_of(n)
            event(n, start, end, r["kind"].strip(), count, r["crossing"].strip(), org, ref(n),
                  f"row {n}")
            text = f"event {span(start, end)}: {count:,}"
            if r["figure"] == "cumulative":
                text += " (a cumulative figure with a stated start, alone in its series)"
            outcome[n].append(("kept as is", text + (f"; {d[4]}" if d[4] else "")))
        elif action == "minus":
            m, note = d[4], d[5]
            rm = rows[m - 1]
            check(DECISIONS[m][2] == org and DECISIONS[m][3] == "keep",
                  f"row {n}: row {m} is not a kept row of the same organisation")
            check(r["figure"] == "cumulative" and rm["figure"] == "interval",
                  f"row {n}: minus needs a cumulative and an interval figure")
            check((r["host_country"], r["kind"], r["period_end"])
                  == (rm["host_country"], rm["kind"], rm["period_end"]),
                  f"row {n}: row {m} differs in host, kind or end")
            start, end = dates_of(n)
            m_start, _ = dates_of(m)
            new_end = m_start - dt.timedelta(days=1)
            check(start <= new_end, f"row {n}: nothing left before row {m}")
            diff = count_of(n) - count_of(m)
            check(diff >= 0, f"row {n}: negative difference with row {m}")
            event(n, start, new_end, r["kind"].strip(), diff, r["crossing"].strip(), org, ref(n),
                  f"row {n} - row {m}")
            outcome[n].append((
                "difference",
                f"{count_of(n):,} (cumulative {start}..{end}) - {count_of(m):,} (row {m}, "
                f"{m_start}..{end}) = {diff:,} over {span(start, new_end)}; {note}"))

    for sid, spec in SERIES.items():
        reports = spec["reports"]
        own = sorted(n for n, text in reports if text is None)
        members = sorted(n for n in DECISIONS
                         if DECISIONS[n][3] == "series" and DECISIONS[n][4] == sid)
        check(own == members, f"series {sid}: own reports {own}, members {members}")
        ends = [parse_date(rows[n - 1]["period_end"].strip(), f"row {n}") for n, _ in reports]
        check(all(a < b for a, b in zip(ends, ends[1:])), f"series {sid}: reports not in order")
        prev = None    # (end, count, row, how it was read)
        for (n, text), end in zip(reports, ends):
            r = rows[n - 1]
            check(DECISIONS[n][2] == spec["source"], f"row {n}: not counted by {spec['source']}")
            check(r["figure"] == "cumulative", f"row {n}: series report is not cumulative")
            check(r["period_start"].strip() in ("", spec["start"] or ""),
                  f"row {n}: start {r['period_start']!r} differs from the series' start")
            if text is None:
                check(r["kind"].strip() == spec["kind"], f"row {n}: kind differs from {sid}")
                check(r["crossing"].strip() in spec.get("input_crossings", {spec["crossing"]}),
                      f"row {n}: crossing {r['crossing']!r} differs from {sid}")
                count, how, short = count_of(n), f"row {n}", f"row {n}"
            else:
                check(DECISIONS[n][3] in ("total", "series"), f"row {n}: a note of a left-out row")
                check(text in r["note"], f"row {n}: note does not say {text!r}")
                figure = re.search(r"\d[\d,]*", text).group(0)
                count, how = int(figure.replace(",", "")), f"row {n}'s note: '{text}'"
                short = f"row {n} (note)"
            what = spec["crossing"] or "all crossings"
            if prev is None:
                if spec["start"] is None:
                    outcome[n].append((
                        "base",
                        f"{what}: {count:,} as of {end}, first report of the series "
                        f"'{spec['label']}' whose start is not stated: only the base of the "
                        f"next difference"))
                else:
                    start = parse_date(spec["start"], sid)
                    event(n, start, end, spec["kind"], count, spec["crossing"], spec["source"],
                          ref(n), short)
                    outcome[n].append((
                        "kept as is",
                        f"{what}: event {span(start, end)}: {count:,} (first report of the "
                        f"series '{spec['label']}')"))
            else:
                p_end, p_count, p_row, p_how, p_short = prev
                diff = count - p_count
                check(diff >= 0, f"series {sid}: negative difference at row {n}")
                start = p_end + dt.timedelta(days=1)
                reference = ref(n) if p_row == n else f"{ref(n)}; minus {ref(p_row)}"
                event(n, start, end, spec["kind"], diff, spec["crossing"], spec["source"],
                      reference, f"{short} - {p_short}")
                outcome[n].append((
                    "difference",
                    f"{what}: {count:,} ({how}) - {p_count:,} ({p_how}) = {diff:,} over "
                    f"{span(start, end)}"))
            prev = (end, count, n, how, short)

    check(sorted(outcome) == list(range(1, len(rows) + 1)), "a row has no outcome")
    for n in outcome:
        cats = {c for c, _ in outcome[n]}
        check(not ("left out" in cats and DECISIONS[n][3] != "total" and len(cats) > 1),
              f"row {n}: left out and used")
    return events, rows, outcome, derivation


def crossing_points(crossing: str) -> frozenset[str] | None:
    """The crossing points a `crossing` names; None = not given (all crossings)."""
    if not crossing:
        return None
    points = set()
    for part in re.split(r"[;/]", crossing):
        part = part.strip()
        check(part != "", f"crossing {crossing!r}: empty part")
        points.add(CROSSING_SAME.get(part, part))
    return frozenset(points)


def assert_flows_disjoint(deps) -> None:
    """DESIGN section 2: no two rows of one series (origin, host, kind, crossing,
    source) share a day. And, stronger, since the query engine's flow source
    rule does not separate crossings: two rows of one (origin, host, kind,
    source) that share a day must name crossings, and no crossing point in
    common (a total over all crossings, or over several, never beside its
    parts)."""
    line = {}
    by_series = defaultdict(list)
    by_flow = defaultdict(list)
    for i, d in enumerate(deps, 2):
        start, end = parse_date(d[1] or d[0], f"deportations.csv:{i}"), parse_date(d[0], "date")
        by_series[(d[2], d[3], d[4], d[6], d[7])].append((start, end, i))
        by_flow[(d[2], d[3], d[4], d[7])].append((start, end, i, d[6]))
        line[i] = d
    for key, periods in by_series.items():
        periods.sort()
        last_end, last_line = None, None
        for start, end, i in periods:
            check(last_end is None or start > last_end,
                  f"deportations.csv:{i}: period {start}..{end} overlaps line {last_line} of the "
                  f"same series {key}")
            if last_end is None or end > last_end:
                last_end, last_line = end, i
    for key, rows in by_flow.items():
        rows.sort()
        for a in range(len(rows)):
            s0, e0, i0, c0 = rows[a]
            for b in range(a + 1, len(rows)):
                s1, e1, i1, c1 = rows[b]
                if s1 > e0:
                    continue
                p0, p1 = crossing_points(c0), crossing_points(c1)
                check(p0 is not None and p1 is not None and not (p0 & p1),
                      f"deportations.csv:{i1}: {s1}..{e1} ({c1!r}) shares days with line {i0} "
                      f"({s0}..{e0}, {c0!r}) of {key}: one organisation's total beside its part")


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


def assert_sources_and_references(regs, deps, reg_stats, unhcr_stats) -> None:
    """`source` is always an organisation that counted, never an outlet;
    `reference` names the publication: a UNHCR release on the statistics rows,
    the publication and its link on every other row."""
    stats_refs = {REF_YEAREND, REF_MIDYEAR} | {REF_CLOSING.format(release=r)
                                               for r in (REF_YEAREND, REF_MIDYEAR)}
    for name, rows, src_col in (("registrations.csv", regs, 5), ("deportations.csv", deps, 7)):
        n_stats = 0
        for i, row in enumerate(rows, 2):
            source, reference = row[src_col], row[src_col + 1]
            check(source in ORGANISATIONS, f"{name}:{i}: source {source!r} is no organisation")
            check(reference != "" and reference != source,
                  f"{name}:{i}: reference {reference!r} does not name a publication")
            if reference in stats_refs:
                check(source == UNHCR, f"{name}:{i}: a UNHCR release as reference of {source!r}")
                n_stats += 1
            elif name == "deportations.csv":
                # every reported flow has its link (three stock estimates have none)
                check("<http" in reference, f"{name}:{i}: reference without a link: {reference!r}")
        want = (sum(reg_stats["per_snapshot"].values()) + reg_stats["closing"]
                if name == "registrations.csv" else unhcr_stats["rows"])
        check(n_stats == want, f"{name}: {n_stats} rows cite a UNHCR release, expected {want}")
    closing = sum(1 for r in regs if r[6].startswith("closing zero"))
    check(closing == reg_stats["closing"] and all(r[4] == "0" for r in regs
                                                  if r[6].startswith("closing zero")),
          "closing zeros and their references disagree")
    midyear = {r[6] for r in regs if r[0] == MIDYEAR_DATE and r[5] == UNHCR}
    check(midyear <= {REF_MIDYEAR, REF_CLOSING.format(release=REF_MIDYEAR)},
          f"mid-2023 UNHCR rows cite {midyear}")


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


def render_readme(regs, reg_stats, deps, unhcr_stats, rep_rows, outcome, derivation,
                  stmts) -> str:
    L = []
    a = L.append
    n_unhcr_regs = sum(1 for r in regs if r[6] in (REF_YEAREND, REF_MIDYEAR)
                       or r[6].startswith("closing zero"))
    reg_sources = Counter(r[5] for r in regs)
    dep_sources = Counter(r[7] for r in deps)
    stm_sources = Counter(r[8] for r in stmts)
    rep_events = [d for d in deps if tuple(d) in derivation]
    r0, r1 = date_range(regs)
    d0, d1 = date_range(deps)
    p0 = min((d[1] or d[0]) for d in deps)
    s0, s1 = date_range(stmts)

    a("# Sample data")
    a("")
    a("Real figures only. Every row names the organisation that counted (`source`) and the")
    a("publication it was taken from (`reference`). This directory is embedded in the crate")
    a("(`Dataset::sample()`, the docs, the command line without `--data`).")
    a("")
    a("**Generated** by `tools/build_sample.py` from `../shared/data` (the project's copy")
    a("of the public files named below). Rebuild from the crate root with")
    a("")
    a("```")
    a("python3 tools/build_sample.py ../shared/data")
    a("```")
    a("")
    a("The script is standard-library Python 3.11, its output is deterministic, and it")
    a("asserts every rule of the canonical format before it writes (dates, counts, countries,")
    a("vocabularies, required text, `period_start <= date`, no duplicate keys, no two")
    a("deportations of one series sharing a day), plus the rules of this file: every `source`")
    a("is one of the organisations listed below, every row has a `reference`, and no")
    a("organisation's total is kept beside its own parts for the same days. Edit the script,")
    a("not this file.")
    a("")
    a("| file | rows | dates | what |")
    a("|---|---:|---|---|")
    a(f"| `registrations.csv` | {len(regs):,} | {r0} .. {r1} | stocks: UNHCR year-end 2000-2025 "
      f"and mid-2023 figures for Afghans in every host ({n_unhcr_regs:,} rows), plus "
      f"{len(reg_stats['stock_rows'])} published estimates for Pakistan |")
    a(f"| `deportations.csv` | {len(deps):,} | {d0} .. {d1} (periods from {p0}) | flows: UNHCR's "
      f"yearly returned Afghan refugees by former host ({unhcr_stats['rows']:,} rows) and "
      f"{len(rep_events)} disjoint flows derived from reported figures, 2023-2024 |")
    a(f"| `statements.csv` | {len(stmts)} | {s0} .. {s1} | public statements on Afghans in "
      f"Pakistan and Iran |")
    a("")
    a("Countries are ISO 3166-1 alpha-3 codes; UNHCR's `UNK` (unknown) is written `XXX`.")
    a("Files are UTF-8, LF line ends, RFC 4180 quoting, columns in the order of the crate's contract.")
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
    a(f"  Every row whose `reference` is `{REF_YEAREND}`, `{REF_MIDYEAR}` or a closing zero")
    a("  comes from these tables.")
    a("* **Reported figures and statements**: hand-compiled from the publications named in")
    a("  each row's `reference` (news agencies, newspapers, UN, IOM, NGO and government")
    a("  releases, with their links). The numbers and dates are the publications'; the")
    a("  statement summaries are the compiler's own words. Titles marked")
    a("  `[title reconstructed from URL slug]` were rebuilt from the link.")
    a("")
    a("## `source` and `reference`")
    a("")
    a("`source` is the organisation that counted, as precisely as the publication names it:")
    a("a named agency or office by its name (`IOM DTM`, `KP Home & Tribal Affairs Department`,")
    a("`Deputy Commissioner Khyber`); officials of a named place by that place (`Balochistan")
    a("border officials`); unnamed officials, \"authorities\" or state media of a government by")
    a("the government (`Government of Pakistan`). Never the outlet that reported the figure:")
    a("the outlet, title, date and link go in `reference` (part of no key, never grouped).")
    a("A figure two outlets reported is one row, with one of them as reference.")
    a("")
    a("On the UNHCR statistics rows the reference is short, because it repeats on every one")
    a(f"of them: `{REF_YEAREND}` (the year-end tables), `{REF_MIDYEAR}` (the mid-2023")
    a("release) and `closing zero: absent from ...` (a 0 this script added, see below);")
    a("`refugees` is the name of UNHCR's R package of the database and the number its")
    a("version. It is not left empty because it tells these three kinds of UNHCR row apart,")
    a("which nothing else in the row does.")
    a("")
    a("## registrations.csv")
    a("")
    a("Columns `date,origin,host,population,count,source,reference`.")
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
    a(f"  Reference `{REF_YEAREND}`.")
    a("  `returned_refugees` and `returned_idps` are flows, not stocks (see deportations).")
    a(f"* **Mid-year 2023**: the {reg_stats['midyear_rows']} year-2023 rows of the 2023.6.0 release,")
    a(f"  converted the same way and dated `{MIDYEAR_DATE}` (its other years are ignored: they")
    a(f"  are superseded by `population.csv`). Reference `{REF_MIDYEAR}`.")
    a("* **Closing zeros** (see the crate's query rules): UNHCR's Afghan-origin table is")
    a("  complete at each date, so a series (origin, host, population) that has a value at one")
    a("  snapshot and none at the next has fallen to zero; without a 0 an as-of query would")
    a("  carry its last figure forward. The snapshots, in date order, are the year-ends")
    a("  2000..2025 with the mid-2023 snapshot between 2022-12-31 and 2023-12-31. For each")
    a("  series present at one snapshot and absent at the next, a registration with count 0")
    a("  is added at the next snapshot's date, with the reference `closing zero: absent from`")
    a("  and the release of that date. Presence means a value in UNHCR's table, so a")
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
    a("### Published estimates for Pakistan")
    a("")
    a("`reported/stock_estimates_pakistan.csv`, one registration per row. `source` is the")
    a("organisation that counted. Proof of Registration (PoR) cards and Afghan Citizen Cards")
    a("(ACC) are issued and registered by the Government of Pakistan (NADRA, for the Ministry")
    a("of States and Frontier Regions), so a count of card holders is a count of the")
    a("government's register, whoever quotes it: `Government of Pakistan`. UNHCR's statistics")
    a("(source `UNHCR`) are another measure (they add people in refugee-like situations: 2.08")
    a("million at mid-2023 against 1.3 million PoR card holders), and a card count under")
    a("`UNHCR` would either duplicate a UNHCR statistics row (2018-12-31, where UNHCR's table")
    a("gives 1,403,521) or enter UNHCR's statistics series between two of its figures, where")
    a("an as-of query would return it. The one UNHCR estimate kept under `UNHCR` is of")
    a("`undocumented` Afghans, a population UNHCR's statistics do not have. A query")
    a("refuses a group that would add two sources of one population, so these never")
    a("mix silently with UNHCR's figures.")
    a("")
    a("| row | date | population | count | measure | source | why | reference |")
    a("|---:|---|---|---:|---|---|---|---|")
    for n, r in enumerate(reg_stats["stock_rows"], 1):
        a(f"| {n} | {r['date']} | {r['population']} | {int(r['count']):,} | "
          f"{md_escape(r['measure'])} | {r['organisation']} | {md_escape(STOCK_DECISIONS[n][4])} | "
          f"{md_escape(r['reference'])} |")
    a("")
    a("Rounded figures (\"1.3 million\") are kept as published; the notes of the input file")
    a("say which are rounded.")
    a("")
    a("## deportations.csv")
    a("")
    a("Columns `date,period_start,origin,host,kind,count,crossing,source,reference`. `date` is")
    a("the last day a count covers; an empty `period_start` means the count is for that one day.")
    a("")
    a("### UNHCR returned refugees (source `UNHCR`)")
    a("")
    a("From `population.csv`, every row with `coo_iso = AFG`, year 2000-2025 and a non-empty")
    a(f"`returned_refugees`: {unhcr_stats['rows']:,} events of kind `returned`, period")
    a("`YYYY-01-01` .. `YYYY-12-31`, origin `AFG` (the country returned to, `coo`), host")
    a(f"`coa_iso` (the former host), no crossing, reference `{REF_YEAREND}`. Zeros are kept as")
    a(f"published ({unhcr_stats['nonzero']} non-zero, {unhcr_stats['zeros']:,} zeros, of which "
      f"{unhcr_stats['to_afg_host']} are on the Afghanistan-in-Afghanistan rows that carry")
    a("UNHCR's IDP figures; UNHCR publishes them, so they stay). These rows make the series")
    a("(AFG, host, `returned`, no crossing, `UNHCR`) cover every day of 2000-2025 for each")
    a("host that has them, so no other UNHCR figure of that series can be added (below).")
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
    a("\"messy on purpose\"). Every row was read with its note. The rules:")
    a("")
    a("* **Who counted.** Each row is given the organisation that counted (above), not the")
    a("  outlet. A series is (origin, host, kind, crossing, source), as the loader defines it.")
    a("* **Disjoint flows.** Within a series no two rows share a day (the loader rejects it).")
    a("  An organisation's cumulative reports (running totals from one start) become flows by")
    a("  differences between consecutive reports: each covers the day after the earlier")
    a("  report's end up to the later report's end. The first report of a series is a flow")
    a("  from the series' start, or only the base of the next difference when the start is not")
    a("  stated. An `interval` figure, or a cumulative figure alone in its series, is one flow")
    a("  over its own period; a one-day flow is written with an empty `period_start`.")
    a("* **Crossings.** The query engine's flow source rule does not separate crossings, so")
    a("  an organisation's figure over all (or several) crossings and its figure for one of")
    a("  those crossings would be added by a query. So for one (origin, host, kind, source),")
    a("  two rows that share a day must name crossings with no crossing point in common")
    a("  (asserted; `Chaman` and `Spin Boldak` are one crossing point, the two sides' names).")
    a("  Where an organisation published both a total and its parts, one representation is")
    a("  kept and the other left out, as the table says.")
    a("* **Left out**, with the reason in the table: a figure whose period would share days")
    a("  with another kept figure of the same organisation (for UNHCR this includes its yearly")
    a("  statistics rows above), a figure without a start or an end date or with an approximate")
    a("  one (\"in the last two weeks\", \"since mid-September\"; a start stated by a dated event,")
    a("  \"since the 3 October announcement\", counts as stated), a range, a figure that")
    a("  includes non-Afghans or several host countries, counts that are not returns, and")
    a("  totals whose exact parts are kept.")
    a("* Qualifiers (\"more than\", \"about\", \"nearly\", \"at least\") cannot be held by the")
    a("  contract; the stated number is kept. No number was computed except the differences.")
    a("* **Kinds.** `returned` means the source did not say how people left. Each kind is its")
    a("  own series, so an organisation's `returned` and `deported` figures for the same days")
    a("  both stay (UNHCR's yearly `returned` statistics beside its `deported` and")
    a("  `spontaneous` figures for Iran in the first half of 2023 and its `deported` figure for")
    a("  Pakistan in 2024; the KP department's returns and deportations); they may count some")
    a("  of the same people, so filter `--kind` before adding kinds of one source.")
    a("")
    a("Cumulative series (one organisation, one start):")
    a("")
    for sid, spec in SERIES.items():
        parts = ", ".join(f"row {n}" + (" (note)" if t else "") for n, t in spec["reports"])
        a(f"* **{spec['label']}**: {parts}; start {spec['start'] or 'not stated'}; crossing "
          f"`{spec['crossing'] or '(empty)'}`; kind `{spec['kind']}`.")
    a("")
    a("Notes on the series and the choices between representations:")
    a("")
    a("* **KP Home & Tribal Affairs Department, returns**: the 20 Nov 2023 release gives the")
    a("  start (17 Sep 2023), a total over three KP crossings and its parts (Torkham 223,503 +")
    a("  Angoor Adda 3,317 + Kharlachi 419 = 227,239); the later releases continue the same")
    a("  running totals without restating the start, each with the same per-crossing")
    a("  breakdown (in the input's note), and the 30 Dec release gives the parts only. The")
    a("  **per-crossing** representation is kept: it is the only one that reaches 30 Dec, and")
    a("  it lets a query filter one crossing. The totals (rows 20, 30, 33, 36, 38) are left")
    a("  out. From 27 Nov each published total is 1 more than the sum of its parts (246,013")
    a("  against 246,012, and so on); the parts are used as published, so the department's")
    a("  returns add up to 272,953 by 30 Dec (Torkham 268,552 + Angoor Adda 3,703 +")
    a("  Kharlachi 698). The AFP figure of 129,000 \"from KP\" (row 13) is left out: it overlaps")
    a("  these running totals and starts elsewhere.")
    a("* **KP Home & Tribal Affairs Department, deportations**: row 34 (crossing given as")
    a("  Torkham) and rows 37, 39, 40 (\"Torkham and other border points\") are one series:")
    a("  every release gives the same breakdown by province of arrest (2 Dec: 5,064 KP + 114")
    a("  Islamabad + 873 Punjab + 24 AJK = 6,075; 19 Dec: 5,249 + 125 + 1,127 + 34; 30 Dec:")
    a("  5,287 + 129 + 1,150 + 34 = 6,600), so its flows have an empty crossing. Its start is")
    a("  not stated, so row 34 is only a base. Row 40 is read as cumulative, as the input")
    a("  flags (its breakdown is the series', each part a little above 19 Dec); the same")
    a("  release was also printed by The Nation (1 Jan 2024), UrduPoint/APP is the reference.")
    a("  Row 24 (492 deported via Torkham by 19 Nov, arrests in Peshawar and Khyber only) is")
    a("  another scope and shares no day with the series, so it stays as it is.")
    a("* **Government of Pakistan**: rows 3 (Radio Pakistan, 59,561 by 22 Oct) and 12 (AFP's")
    a("  \"officials\", 165,000 by 2 Nov) both count from the 3 Oct 2023 announcement and name")
    a("  no other body, so they are read as one running total of the government: 59,561, then")
    a("  105,439 for 23 Oct-2 Nov. Two outlets quoting unnamed officials may rest on two")
    a("  counts; the difference is kept because it makes the government's flows add up to the")
    a("  165,000 it published for the month. Row 5 (30 Oct, Torkham, unnamed \"official")
    a("  sources\") falls inside that flow and is left out; the daily figures of 20 and 21 Nov")
    a("  (rows 27, 28) share no day with it.")
    a("* **Border Consortium**: the two cumulative figures (340,000 by 18 Nov 2023, 632,000 by")
    a("  15 Jun 2024, both from 15 Sep 2023) give 340,000 and 292,000; its daily peak of")
    a("  17,000 on 1 Nov (row 10) lies inside the first and is left out.")
    a("* **IOM DTM**: the 1-15 Jan 2024 bi-weekly report gives 9,982 for 1-15 Jan (row 47)")
    a("  and 501,242 since 15 Sep 2023 (row 48), which includes it; the cumulative minus the")
    a("  fortnight, 491,260, is the flow of 15 Sep-31 Dec 2023. AFP's \"IOM\" 500,200 by 13 Jan")
    a("  (row 46) does not say which IOM count it is, so it stays under `IOM`, alone.")
    a("* **IOM, Iran**: the whole-year figure for 2024 (row 76) is kept; the months of May and")
    a("  September (rows 72, 73) and the running total to 18 Dec (row 75) lie inside it.")
    a("* **UNHCR**: UNHCR's yearly statistics rows (above) cover every day of 2023 and 2024 for")
    a("  AFG `returned` from Pakistan and from Iran, so UNHCR's other `returned` figures for")
    a("  those days (rows 25, 50, 60) are left out. Its `deported` and `spontaneous` figures")
    a("  (rows 51, 61, 62) are other series and stay.")
    a("")
    a("**Every input row and what became of it** (row = data row; line = row + 1 in the input")
    a("file; `source` = the organisation that counted; publication = the start of the")
    a("input's `source` column, the full text and link are the `reference`):")
    a("")
    a("| row | host | kind | count | crossing | period (input) | figure | source | publication | what became of it |")
    a("|---:|---|---|---:|---|---|---|---|---|---|")
    for n, r in enumerate(rep_rows, 1):
        period = f"{r['period_start'] or '?'} .. {r['period_end'] or '?'}"
        what = "; ".join(f"**{cat}**: {text}" for cat, text in outcome[n])
        count = f"{int(r['count']):,}" if r["count"].isdigit() else r["count"]
        a(f"| {n} | {r['host_country']} | {r['kind']} | {count} | "
          f"{md_escape(r['crossing'])} | {period} | {r['figure']} | "
          f"{md_escape(r['organisation'])} | {md_escape(short_pub(r['source']))} | "
          f"{md_escape(what)} |")
    a("")
    cats = {n: {c for c, _ in outcome[n]} for n in outcome}
    as_is = sorted(n for n in cats if cats[n] == {"kept as is"})
    differenced = sorted(n for n in cats if "difference" in cats[n])
    base = sorted(n for n in cats if cats[n] == {"base"})
    left = sorted(n for n in cats if cats[n] == {"left out"})
    used_notes = sorted(n for n in cats if "left out" in cats[n] and len(cats[n]) > 1)
    check(len(as_is) + len(differenced) + len(base) + len(left) == len(rep_rows),
          "README summary does not account for every row")
    a(f"Summary: {len(as_is)} rows kept as is ({', '.join(map(str, as_is))}); "
      f"{len(differenced)} rows give differences ({', '.join(map(str, differenced))}; of them "
      f"{', '.join(map(str, used_notes))} are totals left out whose notes' per-crossing figures "
      f"are used); {len(base)} row only a base ({', '.join(map(str, base))}); {len(left)} rows "
      f"left out ({', '.join(map(str, left))}). They give {len(rep_events)} flows:")
    a("")
    a("| source | host | kind | crossing | period | count | from |")
    a("|---|---|---|---|---|---:|---|")
    for d in sorted(rep_events, key=lambda d: (d[7], d[3], d[4], d[6], d[0])):
        period = f"{d[1]}..{d[0]}" if d[1] else d[0]
        a(f"| {md_escape(d[7])} | {d[3]} | {d[4]} | {md_escape(d[6])} | {period} | "
          f"{int(d[5]):,} | {derivation[tuple(d)]} |")
    a("")
    a("Afghans leaving Pakistan by month of the flow's last day and by source, 2023-2024")
    a("(`refugee-data query deportations --by month,source --origin AFG --host PAK --from")
    a("2023-01-01 --to 2024-12-31`; all kinds, so UNHCR's and the KP department's rows add")
    a("`returned` and `deported`):")
    a("")
    monthly = Counter()
    for d in deps:
        if d[2] == ORIGIN and d[3] == "PAK" and "2023-01-01" <= d[0] <= "2024-12-31":
            monthly[(d[0][:7], d[7])] += int(d[5])
    a("| month | source | persons |")
    a("|---|---|---:|")
    for (m, src_name), v in sorted(monthly.items()):
        a(f"| {m} | {md_escape(src_name)} | {v:,} |")
    a("")
    a("A flow is counted in the month of its last day, so a flow over several months (the")
    a("Border Consortium's 292,000 for 19 Nov 2023-15 Jun 2024) falls in its last month. Do")
    a("not add the sources: they count many of the same people (the query engine refuses a")
    a("group that would).")
    a("")
    a("## statements.csv")
    a("")
    a("Columns `date,actor,actor_country,speaker,target_country,subject_country,stance,")
    a("summary,source,url`: `reported/statements_2023_2024.csv` as is (rewritten with")
    a("canonical quoting). Here `source` is the publication that reports the statement")
    a("(the crate's contract); the speaking body is `actor`. Validated: countries alpha-3 or")
    a("empty, stance in the vocabulary, required fields non-empty and trimmed, dates real, no")
    a("two rows with the same (date, actor, speaker, stance, summary). No value needed fixing.")
    a("Some dates are inferred from \"on Tuesday\"-style wording plus the article's date;")
    a("summaries are the compiler's own words.")
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
    rep_deps, rep_rows, outcome, derivation = build_reported_returns(src)
    deps = unhcr_deps + rep_deps
    deps.sort(key=lambda d: (d[0], d[1] or d[0], d[7] != UNHCR, d[7], d[3], d[2], d[4], d[6]))
    stmts = build_statements(src, countries)

    validate("registrations.csv", REG_HEADER, regs, countries, dict(
        date="date", origin="country", host="country", population=POPULATIONS,
        count="count", source="text", reference="text?"))
    validate("deportations.csv", DEP_HEADER, deps, countries, dict(
        date="date", period_start="date?", origin="country", host="country", kind=KINDS,
        count="count", crossing="text?", source="text", reference="text?"))
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
    assert_flows_disjoint(deps)
    assert_sources_and_references(regs, deps, reg_stats, unhcr_stats)

    out.mkdir(exist_ok=True)
    write_csv(out / "registrations.csv", REG_HEADER, regs)
    write_csv(out / "deportations.csv", DEP_HEADER, deps)
    write_csv(out / "statements.csv", STM_HEADER, stmts)
    readme = render_readme(regs, reg_stats, deps, unhcr_stats, rep_rows, outcome, derivation,
                           stmts)
    (out / "README.md").write_text(readme, encoding="utf-8", newline="")

    print(f"registrations.csv {len(regs)} rows ({reg_stats['closing']} closing zeros)")
    print(f"deportations.csv {len(deps)} rows ({len(unhcr_deps)} UNHCR, {len(rep_deps)} reported)")
    print(f"statements.csv {len(stmts)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
