#!/usr/bin/env python3
"""Generate src/country/table.rs, the compiled-in country table of refugee-data.

Usage (from the crate root):

    python3 tools/gen_countries.py [DATA_DIR]

DATA_DIR is the shared reference-data directory holding
`countries/ocha_countries_territories.csv` and `unhcr/countries.csv`; it defaults
to `../shared/data` next to the crate, then `/work/shared/data`.

Sources (keep this attribution with any copy of the data):

* OCHA Countries and Territories taxonomy, as bundled in hdx-python-country
  (https://github.com/OCHA-DAP/hdx-python-country), MIT licence.
* UNHCR Refugee Population Statistics Database, countries table (from UNHCR's
  R package `refugees`, https://github.com/PopulationStatistics/refugees),
  CC BY 4.0.

Python 3.11 standard library only. The output is deterministic: running the
script twice on the same input gives byte-identical files.
"""

from __future__ import annotations

import csv
import os
import re
import sys
import unicodedata
from pathlib import Path

CRATE = Path(__file__).resolve().parent.parent
OUT = CRATE / "src" / "country" / "table.rs"

# --------------------------------------------------------------------------
# Normalisation. MUST stay identical to `normalize` in src/country/mod.rs:
# trim, read hyphens and dashes as spaces, collapse runs of whitespace to one
# space, lower-case, fold accented Latin letters to ASCII, drop combining marks
# and full stops, read curly apostrophes and backticks as ', and drop one
# leading "the ".
# --------------------------------------------------------------------------

# Rust's char::is_whitespace (the Unicode White_Space property).
WHITESPACE = set(
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
    + "\u2028\u2029\u202f\u205f\u3000"
)
# Hyphens and dashes separate words like a space does.
DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
SEPARATORS = WHITESPACE | DASHES
APOSTROPHES = set("\u2018\u2019\u201b\u02bc\u0060\u00b4\u2032")
FOLD_FIRST = 0x00C0
FOLD_LAST = 0x024F
SPECIAL_FOLD = {
    "ß": "ss",
    "ẞ": "ss",
    "Æ": "ae",
    "æ": "ae",
    "Œ": "oe",
    "œ": "oe",
    "Ø": "o",
    "ø": "o",
    "Đ": "d",
    "đ": "d",
    "Ð": "d",
    "ð": "d",
    "Ł": "l",
    "ł": "l",
    "Þ": "th",
    "þ": "th",
    "Ħ": "h",
    "ħ": "h",
    "ı": "i",
    "Ŀ": "l",
    "ŀ": "l",
    "Ŧ": "t",
    "ŧ": "t",
}


def fold_char(ch: str) -> str:
    """How one character (not whitespace) appears in a normalized key."""
    o = ord(ch)
    if ch in APOSTROPHES:
        return "'"
    if ch == ".":
        return ""
    if o < 0x80:
        return ch.lower()
    if 0x0300 <= o <= 0x036F:  # combining diacritical marks
        return ""
    if FOLD_FIRST <= o <= FOLD_LAST:
        if ch in SPECIAL_FOLD:
            return SPECIAL_FOLD[ch]
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        if base and all(c.isascii() and c.isalpha() for c in base):
            return base.lower()
        return ch.lower()
    return ch.lower()


FOLD_TABLE = [fold_char(chr(c)) for c in range(FOLD_FIRST, FOLD_LAST + 1)]


def normalize(s: str) -> str:
    out: list[str] = []
    pending_space = False
    for ch in s:
        if ch in SEPARATORS:
            pending_space = bool(out)
            continue
        folded = fold_char(ch)
        if not folded:
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        out.append(folded)
    key = "".join(out)
    # A leading article never distinguishes two countries ("The Gambia").
    if key.startswith("the "):
        key = key[4:]
    return key


# --------------------------------------------------------------------------
# The loose form. MUST stay identical to `loosen` in src/country/mod.rs.
# `Country::parse` falls back to it when a normalized name is no key. From a
# normalized key: footnote marks (`*`, `†`, `‡`, `§`, `#`, superscript digits,
# `[...]` groups, digits ending the last word after a letter, a last word of
# digits, a parenthesis with a digit in it, such as "(1)" or "(UNSCR 1244)")
# are dropped; `(`, `)` and `,` become words of their own, and so does `:`,
# read as a comma; `&` reads "and", and LOOSE_WORDS are spelled out (`St.`
# "saint", `Is.` "islands", `Dem. Rep.` "democratic republic", `Fr.`
# "french"; "island" reads "islands"); every "the" is dropped, and so are the
# empty parentheses and the stray commas (first, last, doubled, before "and"
# or ")") that leaves. Words are joined by one space. Every key's loose form
# is a key too, so "Netherlands (the)" finds "netherlands".
# --------------------------------------------------------------------------

FOOTNOTE_CHARS = set("*\u2020\u2021\u00a7#\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079")
# Abbreviations that the loose form spells out.
LOOSE_WORDS = {
    "br": "british",
    "brit": "british",
    "dem": "democratic",
    "eq": "equatorial",
    "fed": "federal",
    "fr": "french",
    "i": "islands",
    "island": "islands",
    "is": "islands",
    "isl": "islands",
    "rep": "republic",
    "st": "saint",
    "sts": "states",
    "ter": "territory",
    "terr": "territory",
}


def loose(key: str) -> str:
    tokens: list[str] = []
    word: list[str] = []
    in_bracket = False

    def end_word() -> None:
        if word:
            w = "".join(word)
            word.clear()
            if w != "the":
                tokens.append(LOOSE_WORDS.get(w, w))

    for ch in key:
        if in_bracket:
            in_bracket = ch != "]"
        elif ch == " ":
            end_word()
        elif ch in "(),:":
            end_word()
            tokens.append("," if ch == ":" else ch)
        elif ch == "&":
            end_word()
            tokens.append("and")
        elif ch == "[":
            end_word()
            in_bracket = True
        elif ch in FOOTNOTE_CHARS:
            end_word()
        else:
            word.append(ch)
    end_word()
    # a footnote number glued to or after the last word ("Sudan2", "Sudan 2";
    # not "S/RES/1244")
    if tokens and tokens[-1] not in ("(", ")", ","):
        last = tokens[-1].rstrip("0123456789")
        if last and last[-1].isalpha():
            tokens[-1] = last
        elif not last and sum(1 for t in tokens if t not in ("(", ")", ",")) > 1:
            tokens.pop()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else None
        if t == "(" and nxt == ")":
            i += 2
            continue
        if t == "(" and ")" in tokens[i + 1 :]:
            close = tokens.index(")", i + 1)
            inner = tokens[i + 1 : close]
            if "(" not in inner and any(any("0" <= c <= "9" for c in x) for x in inner):
                i = close + 1
                continue
        if t == "," and (not out or out[-1] in (",", "(") or nxt in (None, "and", ")", ",")):
            i += 1
            continue
        out.append(t)
        i += 1
    return " ".join(out)


# --------------------------------------------------------------------------
# Hand-written data.
# --------------------------------------------------------------------------

# Codes outside ISO 3166-1 that refugee statistics need (and OCHA does not
# carry): (alpha3, alpha2, name).
EXTENSIONS = [
    ("XXA", None, "Stateless"),
    ("XXX", None, "Unknown"),
    ("TIB", None, "Tibetan"),
]

# Common aliases of humanitarian, statistical and news data. Priority over
# every name from the reference files.
HAND_ALIASES: dict[str, list[str]] = {
    "IRN": ["Iran (Islamic Rep. of)", "Islamic Republic of Iran", "Iran", "Iran, Islamic Rep.", "IR Iran"],
    "TUR": ["Türkiye", "Turkey", "Turkiye", "Republic of Türkiye"],
    "CIV": ["Cote d'Ivoire", "Côte d'Ivoire", "Ivory Coast"],
    "VNM": ["Viet Nam", "Vietnam"],
    "SYR": ["Syrian Arab Rep.", "Syria", "Syrian Arab Republic"],
    "COD": [
        "Dem. Rep. of the Congo",
        "Congo DR",
        "Zaire",
        "DR Congo",
        "DRC",
        "Congo, Dem. Rep.",
        "Congo (Kinshasa)",
        "Congo-Kinshasa",
        "Democratic Republic of Congo",
        "Congo (DRC)",
    ],
    "COG": [
        "Republic of the Congo",
        "Republic of Congo",
        "Rep. of Congo",
        "Congo, Rep.",
        "Congo (Brazzaville)",
        "Congo-Brazzaville",
        "Congo Republic",
    ],
    "KOR": ["Rep. of Korea", "South Korea", "Korea, Rep.", "Korea Republic"],
    "PRK": ["Dem. People's Rep. of Korea", "North Korea", "Korea, Dem. People's Rep.", "DPRK", "DPR Korea", "Korea DPR"],
    "TZA": ["United Rep. of Tanzania", "Tanzania"],
    "BOL": ["Bolivia (Plurinational State of)", "Bolivia"],
    "VEN": ["Venezuela (Bolivarian Republic of)", "Venezuela", "Venezuela, RB"],
    "LAO": ["Lao People's Dem. Rep.", "Laos", "Lao PDR"],
    "MDA": ["Rep. of Moldova", "Moldova"],
    "RUS": ["Russian Federation", "Russia"],
    "GBR": ["United Kingdom", "UK", "Great Britain", "Britain"],
    "USA": ["United States", "USA", "US", "U.S.", "U.S.A.", "United States of America"],
    "SRB": ["Serbia and Kosovo: S/RES/1244 (1999)", "Serbia"],
    "FSM": ["Micronesia (Federated States of)", "Micronesia, Fed. Sts."],
    "PSE": [
        "State of Palestine",
        "Palestinian",
        "Palestine",
        "occupied Palestinian territory",
        "oPt",
        "Palestinian Territories",
        "Palestinian Territory",
        "Occupied Palestinian Territories",
        "West Bank and Gaza",
        "West Bank and Gaza Strip",
        "West Bank",
        "Gaza Strip",
        "Gaza",
    ],
    "HKG": ["China, Hong Kong SAR", "Hong Kong", "Hong Kong SAR, China"],
    "MAC": ["China, Macao SAR", "Macau", "Macao SAR, China"],
    "XXA": ["Stateless"],
    "TIB": ["Tibetan"],
    "XKX": ["Kosovo"],
    "XXX": ["Unknown", "Various/Unknown", "Various", "Not specified"],
    "NLD": ["Netherlands", "The Netherlands"],
    "CZE": ["Czech Republic"],
    "BIH": ["Bosnia", "Bosnia-Herzegovina"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia", "The former Yugoslav Republic of Macedonia", "FYR Macedonia", "FYROM"],
    "MMR": ["Burma"],
    "CPV": ["Cape Verde", "Cape Verde Islands"],
    "CHN": ["PR China", "China PR", "China, P.R.", "Mainland China"],
    "GIN": ["Guinea-Conakry", "Guinea (Conakry)"],
    "TLS": ["East Timor"],
    "BRN": ["Brunei"],
    "EGY": ["Egypt, Arab Rep."],
    "YEM": ["Yemen, Rep."],
    "GMB": ["Gambia, The", "The Gambia"],
    "BHS": ["Bahamas, The", "The Bahamas"],
    "KGZ": ["Kyrgyz Republic"],
    "SVK": ["Slovak Republic"],
    "CAF": ["Central African Rep."],
    "DOM": ["Dominican Rep."],
    "VAT": ["Vatican", "Vatican City", "Vatican City State"],
    "CUW": ["Curacao"],
    "BES": ["Caribbean Netherlands"],
    "VIR": ["US Virgin Islands", "Virgin Islands of the United States"],
    "UMI": ["US Minor Outlying Islands", "US Outlying Islands"],
    "ATF": ["French Southern and Antarctic Lands"],
    "FLK": ["Islas Malvinas"],
    "ALA": ["Åland"],
    "SJM": ["Svalbard", "Jan Mayen"],
    "BLM": ["Saint Barths", "Saint Barts"],
    # ISO 3166-1 full names that no rule derives from the reference files.
    "ITA": ["Italian Republic"],
    "RWA": ["Rwandese Republic"],
    # Taiwan's own name; "Republic of" must not be read off it, leaving China.
    "TWN": ["Republic of China", "Chinese Taipei"],
    # ISO 3166-1 puts Sark (listed by OCHA without a code) under Guernsey.
    "GGY": ["Sark"],
}

# The country that name lists attach to a territory as a qualifier ("Guam
# (US)", "Hong Kong SAR, China", "Taiwan, Province of China"), where OCHA's
# names give none. `Country::parse` reads "X (P)", "X, P", "P, X" and "X P"
# as X only when P is X's entry here. (A reading aid for lists, not a
# statement about sovereignty.)
HAND_PARENTS: dict[str, str] = {
    "ASM": "USA",
    "GUM": "USA",
    "UMI": "USA",
    "VIR": "USA",
    "BMU": "GBR",
    "CHI": "GBR",
    "CYM": "GBR",
    "FLK": "GBR",
    "GGY": "GBR",
    "GIB": "GBR",
    "IOT": "GBR",
    "JEY": "GBR",
    "MSR": "GBR",
    "PCN": "GBR",
    "SGS": "GBR",
    "SHN": "GBR",
    "TCA": "GBR",
    "VGB": "GBR",
    "ATF": "FRA",
    "WLF": "FRA",
    "BVT": "NOR",
    "SJM": "NOR",
    "TKL": "NZL",
    "COK": "NZL",
    "HKG": "CHN",
    "MAC": "CHN",
    "TWN": "CHN",
}

# Adjectives that lists write for a territory's country ("New Caledonia (Fr.)",
# "Bermuda (British)"); read only where PARENT allows.
PARENT_ADJECTIVES: dict[str, str] = {
    "american": "USA",
    "australian": "AUS",
    "british": "GBR",
    "chinese": "CHN",
    "danish": "DNK",
    "dutch": "NLD",
    "ecuadorian": "ECU",
    "finnish": "FIN",
    "french": "FRA",
    "norwegian": "NOR",
    "portuguese": "PRT",
    "spanish": "ESP",
}

# OCHA columns that hold names, with their priority (lower wins a conflict).
NAME_COLUMNS = [
    ("Preferred Term", 1),
    ("English Short", 1),
    ("English Formal", 1),
    ("M49 English", 1),
    ("ISO Alt Term", 2),
    ("DGACM Alt Term", 2),
    ("HPC Tools Alt Term", 2),
    ("RW Short Name", 2),
    ("RW API Alt Term", 2),
]
PRIO_HAND = 0
PRIO_UNHCR = 1
PRIO_DERIVED = 3


def split_list(value: str) -> list[str]:
    parts = [value]
    for sep in ("|", ";"):
        parts = [p for part in parts for p in part.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def derived_forms(name: str) -> list[str]:
    """Extra spellings derived from one name (lowest priority)."""
    out = []
    n = name.strip()
    # "Bolivia (Plurinational State of)" -> "Bolivia", "Cocos (Keeling) Islands"
    # -> "Cocos Islands" (only parentheses with words)
    bare = " ".join(re.sub(r"\([^()]*[^\W\d_][^()]*\)", " ", n).split())
    if bare and bare != n:
        out.append(bare)
    # "Korea, Republic of" -> "Republic of Korea"
    if ", " in n:
        head, _, tail = n.partition(", ")
        tl = tail.lower()
        if tl.endswith(" of") or tl.endswith(" of the"):
            out.append(f"{tail} {head}")
    if " and " in n and "(" not in n:
        out.append(n.replace(" and ", " & "))
    # "Saint Lucia" -> "St Lucia" (full stops are ignored anyway)
    if n.startswith("Saint "):
        out.append("St " + n[6:])
    # UNHCR's abbreviations: "Czech Republic" -> "Czech Rep.", "Dem. Rep."
    if "Republic" in n or "Democratic" in n:
        out.append(n.replace("Republic", "Rep.").replace("Democratic", "Dem."))
    return out


def is_letters(s: str, n: int) -> bool:
    return len(s) == n and s.isascii() and s.isalpha()


def find_data_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    for cand in (CRATE.parent / "shared" / "data", Path("/work/shared/data")):
        if (cand / "unhcr" / "countries.csv").exists():
            return cand
    sys.exit("gen_countries.py: reference data not found; pass DATA_DIR")


def rust_str(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def opt(s: str | None) -> str:
    return f"Some({rust_str(s)})" if s else "None"


def main() -> None:
    data = find_data_dir()
    with open(data / "countries" / "ocha_countries_territories.csv", encoding="utf-8", newline="") as fh:
        ocha = list(csv.DictReader(fh))
    with open(data / "unhcr" / "countries.csv", encoding="utf-8", newline="") as fh:
        unhcr = list(csv.DictReader(fh))
    assert len(unhcr) == 232, len(unhcr)

    # ---- entries ---------------------------------------------------------
    entries: dict[str, dict] = {}
    for r in ocha:
        a3 = r["ISO 3166-1 Alpha 3-Codes"].strip() or r["x Alpha3 codes"].strip()
        if not a3:
            print(f"note: OCHA row {r['ID']} {r['Preferred Term']!r} has no alpha-3 code", file=sys.stderr)
            continue
        assert is_letters(a3, 3) and a3.isupper(), a3
        assert a3 not in entries, a3
        a2 = r["ISO 3166-1 Alpha 2-Codes"].strip() or r["x Alpha2 codes"].strip() or None
        if a2:
            assert is_letters(a2, 2) and a2.isupper(), a2
        entries[a3] = {
            "alpha3": a3,
            "alpha2": a2,
            "name": r["English Short"].strip() or r["Preferred Term"].strip(),
            "unhcr_code": None,
            "unhcr_region": None,
            "region": r["Region Name"].strip() or None,
            "subregion": r["Sub-region Name"].strip() or None,
            "ocha": r,
        }
    for a3, a2, name in EXTENSIONS:
        if a3 not in entries:
            entries[a3] = {
                "alpha3": a3,
                "alpha2": a2,
                "name": name,
                "unhcr_code": None,
                "unhcr_region": None,
                "region": None,
                "subregion": None,
                "ocha": None,
            }

    unhcr_codes: dict[str, str | None] = {}
    for r in unhcr:
        code = r["unhcr_code"].strip()
        iso = r["iso_code"].strip()
        assert is_letters(code, 3) and code not in unhcr_codes, code
        if not iso and code == "TIB":
            iso = "TIB"
        if not iso:
            print(f"note: UNHCR code {code} ({r['name']!r}) has no ISO code; from_unhcr_code rejects it", file=sys.stderr)
            unhcr_codes[code] = None
            continue
        assert iso in entries, f"UNHCR ISO code {iso} missing from the table"
        e = entries[iso]
        assert e["unhcr_code"] is None, iso
        unhcr_codes[code] = iso
        e["unhcr_code"] = code
        e["unhcr_region"] = r["unhcr_region"].strip() or None
        reg, sub = r["unsd_region"].strip() or None, r["unsd_subregion"].strip() or None
        if e["ocha"] is not None and (reg, sub) != (e["region"], e["subregion"]):
            print(f"note: {iso}: UNHCR region {reg}/{sub} vs OCHA {e['region']}/{e['subregion']}; keeping OCHA", file=sys.stderr)
        if e["region"] is None and e["subregion"] is None:
            e["region"], e["subregion"] = reg, sub

    codes = sorted(entries)
    ids = {c: i for i, c in enumerate(codes)}
    assert len(codes) < 0xFFFF
    alpha2 = {}
    for c in codes:
        a2 = entries[c]["alpha2"]
        if a2:
            assert a2 not in alpha2, a2
            alpha2[a2] = c

    # ---- aliases ---------------------------------------------------------
    # key -> {alpha3: (priority, source description)}
    cands: dict[str, dict[str, tuple[int, str]]] = {}

    def add(name: str, a3: str, prio: int, src: str) -> None:
        key = normalize(name)
        if not key:
            return
        slot = cands.setdefault(key, {})
        old = slot.get(a3)
        if old is None or prio < old[0]:
            slot[a3] = (prio, src)

    for c in codes:
        e = entries[c]
        add(e["name"], c, PRIO_UNHCR, "canonical name")
        r = e["ocha"]
        if r is None:
            continue
        for col, prio in NAME_COLUMNS:
            for name in split_list(r[col]):
                add(name, c, prio, f"OCHA {col}")
                for d in derived_forms(name):
                    add(d, c, PRIO_DERIVED, f"derived from OCHA {col} {name!r}")
    for r in unhcr:
        iso = r["iso_code"].strip() or ("TIB" if r["unhcr_code"] == "TIB" else "")
        if iso:
            add(r["name"], iso, PRIO_UNHCR, "UNHCR name")
            for d in derived_forms(r["name"]):
                add(d, iso, PRIO_DERIVED, f"derived from UNHCR name {r['name']!r}")
    for c, names in HAND_ALIASES.items():
        assert c in entries, c
        for name in names:
            add(name, c, PRIO_HAND, "hand list")

    report: list[str] = []

    def code_clash(key: str, target: str) -> str | None:
        """Why an alias must not be kept: it reads like another country's code."""
        # 2- and 3-letter values are looked up as codes first; an alias that
        # reads like a code of another country would be confusing.
        if is_letters(key, 3) and key.upper() in entries and key.upper() != target:
            return f"alpha-3 of {key.upper()}"
        if is_letters(key, 2) and key.upper() in alpha2 and alpha2[key.upper()] != target:
            return f"alpha-2 of {alpha2[key.upper()]}"
        # A three-letter alias must not be a UNHCR code of another country.
        if is_letters(key, 3) and key.upper() in unhcr_codes and unhcr_codes[key.upper()] != target:
            return f"UNHCR code of {unhcr_codes[key.upper()]}"
        return None

    resolved: dict[str, str] = {}
    for key in sorted(cands, key=lambda k: k.encode("utf-8")):
        slot = cands[key]
        best = min(p for p, _ in slot.values())
        winners = sorted(c for c, (p, _) in slot.items() if p == best)
        if len(slot) > 1:
            detail = ", ".join(f"{c} ({s}, prio {p})" for c, (p, s) in sorted(slot.items()))
            if len(winners) == 1:
                report.append(f"conflict {key!r}: {detail} -> {winners[0]}")
            else:
                report.append(f"conflict {key!r}: {detail} -> dropped (ambiguous)")
                continue
        target = winners[0]
        why = code_clash(key, target)
        if why:
            report.append(f"alias {key!r} -> {target} dropped: {why}")
            continue
        resolved[key] = target

    # Loose forms of the keys (the fallback of Country::parse looks these up).
    # A loose form that is a key already keeps that key's country; one that
    # two countries' keys share is dropped.
    loose_cands: dict[str, set[str]] = {}
    for key, target in resolved.items():
        lk = loose(key)
        if lk and lk != key:
            loose_cands.setdefault(lk, set()).add(target)
    for lk, targets in sorted(loose_cands.items()):
        if lk in resolved:
            if targets != {resolved[lk]}:
                report.append(f"loose form {lk!r} of {sorted(targets)} is a key of {resolved[lk]}")
            continue
        if len(targets) > 1:
            report.append(f"loose form {lk!r} dropped (ambiguous: {sorted(targets)})")
            continue
        (target,) = targets
        why = code_clash(lk, target)
        if why:
            report.append(f"loose form {lk!r} -> {target} dropped: {why}")
            continue
        resolved[lk] = target
    aliases: list[tuple[str, int]] = [
        (k, ids[resolved[k]]) for k in sorted(resolved, key=lambda k: k.encode("utf-8"))
    ]

    for line in report:
        print(line, file=sys.stderr)
    # Every canonical name must resolve to its own country.
    lookup = dict(aliases)
    for c in codes:
        assert lookup.get(normalize(entries[c]["name"])) == ids[c], c
    # ---- qualifying countries -------------------------------------------
    # The country that lists attach to a territory's name ("Aruba (the
    # Netherlands)", "Hong Kong SAR, China"): from OCHA's "X (P)" names where X
    # is a name of the territory and P one of another country, then the hand
    # list for the rest; the two must agree.
    parents: dict[str, str] = {}
    for c in codes:
        r = entries[c]["ocha"]
        if r is None:
            continue
        for col, _ in NAME_COLUMNS:
            for name in split_list(r[col]):
                if not (name.endswith(")") and " (" in name):
                    continue
                head, _, inner = name[:-1].rpartition(" (")
                p = lookup.get(normalize(inner))
                if lookup.get(normalize(head)) == ids[c] and p is not None and p != ids[c]:
                    assert parents.get(c, codes[p]) == codes[p], (c, name)
                    parents[c] = codes[p]
    for c, p in HAND_PARENTS.items():
        assert c in entries and p in entries, (c, p)
        assert parents.get(c, p) == p, f"{c}: hand parent {p}, OCHA {parents[c]}"
        parents[c] = p
    max_key = max(len(k.encode("utf-8")) for k, _ in aliases)
    assert max_key <= 255

    # ---- emit ------------------------------------------------------------
    w = []
    w.append("// @generated by tools/gen_countries.py -- do not edit by hand; edit the script and rerun it.")
    w.append("//")
    w.append("// Data sources and licences:")
    w.append("// * OCHA Countries and Territories taxonomy, as bundled in hdx-python-country")
    w.append("//   (https://github.com/OCHA-DAP/hdx-python-country), MIT licence,")
    w.append("//   Copyright (c) OCHA Centre for Humanitarian Data.")
    w.append("// * UNHCR Refugee Population Statistics Database, countries table (UNHCR's R")
    w.append("//   package `refugees`, https://github.com/PopulationStatistics/refugees),")
    w.append("//   licence CC BY 4.0. Attribution: \"UNHCR Refugee Population Statistics Database\".")
    w.append("// Extension codes (XKX, XXA, XXX, TIB) and the hand-written aliases are this crate's own.")
    w.append("")
    w.append("use super::Entry;")
    w.append("")
    w.append("/// Number of entries in [`ENTRIES`].")
    w.append(f"pub(super) const COUNT: usize = {len(codes)};")
    w.append("")
    w.append("/// Length in bytes of the longest normalized alias.")
    w.append(f"pub(super) const MAX_KEY_LEN: usize = {max_key};")
    w.append("")
    w.append("/// The countries, sorted by alpha-3 code (a `const` so that the code lookup")
    w.append("/// tables can be built from it at compile time; it is read only then).")
    w.append("#[allow(clippy::large_const_arrays)]")
    w.append("pub(super) const ENTRY_TABLE: [Entry; COUNT] = [")
    for c in codes:
        e = entries[c]
        w.append("    Entry {")
        w.append(f"        alpha3: {rust_str(c)},")
        w.append(f"        alpha2: {opt(e['alpha2'])},")
        w.append(f"        name: {rust_str(e['name'])},")
        w.append(f"        unhcr_code: {opt(e['unhcr_code'])},")
        w.append(f"        unhcr_region: {opt(e['unhcr_region'])},")
        w.append(f"        region: {opt(e['region'])},")
        w.append(f"        subregion: {opt(e['subregion'])},")
        w.append("    },")
    w.append("];")
    w.append("")
    w.append("/// The countries, sorted by alpha-3 code; a `Country` id is an index here.")
    w.append("pub(super) static ENTRIES: [Entry; COUNT] = ENTRY_TABLE;")
    w.append("")
    known = sorted(c for c, iso in unhcr_codes.items() if iso is not None)
    w.append("/// UNHCR country codes and the id of the country each one means, sorted by code.")
    w.append(f"pub(super) const UNHCR_CODES: [(&str, u16); {len(known)}] = [")
    for code in known:
        iso = unhcr_codes[code]
        w.append(f"    ({rust_str(code)}, {ids[iso]}), // {iso}")
    w.append("];")
    w.append("")
    none = sorted(c for c, iso in unhcr_codes.items() if iso is None)
    w.append("/// UNHCR codes in the countries table that name no country (no ISO code given).")
    w.append(f"pub(super) static UNHCR_NO_COUNTRY: [&str; {len(none)}] = [")
    for code in none:
        w.append(f"    {rust_str(code)},")
    w.append("];")
    w.append("")
    w.append(f"/// How `normalize` folds U+{FOLD_FIRST:04X}..=U+{FOLD_LAST:04X} (accented Latin letters).")
    w.append(f"pub(super) const FOLD_FIRST: u32 = 0x{FOLD_FIRST:04X};")
    w.append(f"pub(super) static FOLD: [&str; {len(FOLD_TABLE)}] = [")
    for i in range(0, len(FOLD_TABLE), 8):
        w.append("    " + " ".join(rust_str(s) + "," for s in FOLD_TABLE[i : i + 8]))
    w.append("];")
    w.append("")
    w.append("/// The id of the country that lists attach to each country's name as a")
    w.append("/// qualifier (`Aruba (the Netherlands)`, `Hong Kong SAR, China`), or `u16::MAX`.")
    w.append("pub(super) static PARENT: [u16; COUNT] = [")
    for c in codes:
        if c in parents:
            w.append(f"    {ids[parents[c]]}, // {c}: {parents[c]}")
        else:
            w.append(f"    u16::MAX, // {c}")
    w.append("];")
    w.append("")
    assert set(PARENT_ADJECTIVES.values()) <= set(parents.values())
    w.append("/// Adjectives of the countries of [`PARENT`], sorted, with their id.")
    w.append(f"pub(super) static PARENT_ADJECTIVES: [(&str, u16); {len(PARENT_ADJECTIVES)}] = [")
    for adj in sorted(PARENT_ADJECTIVES):
        c = PARENT_ADJECTIVES[adj]
        assert loose(normalize(adj)) == adj, adj
        w.append(f"    ({rust_str(adj)}, {ids[c]}), // {c}")
    w.append("];")
    w.append("")
    w.append("/// Normalized names and aliases with their country id, sorted by bytes.")
    w.append(f"pub(super) static ALIASES: [(&str, u16); {len(aliases)}] = [")
    for key, i in aliases:
        w.append(f"    ({rust_str(key)}, {i}), // {codes[i]}")
    w.append("];")
    w.append("")
    OUT.write_text("\n".join(w) + "\n", encoding="utf-8")
    print(
        f"wrote {OUT.relative_to(CRATE)}: {len(codes)} countries, {len(aliases)} aliases, "
        f"{sum(1 for v in unhcr_codes.values() if v)} UNHCR codes, max key {max_key} bytes",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
