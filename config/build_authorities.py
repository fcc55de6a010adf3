"""Build config/authorities.csv from the shared provider lookup plus the hand-kept tables below.

    .venv/bin/python config/build_authorities.py PROVIDER_LOOKUP.csv > config/authorities.csv
    .venv/bin/python config/build_authorities.py PROVIDER_LOOKUP.csv --out config/authorities.csv

Why a script and a committed CSV: the lookup (data-to-insight's ofsted-ilacs-scrape-tool) knows
every current authority's codes but not lifetimes, successors or the names people actually use;
those live here, next to the code that merges them, and tests/test_gazetteer.py checks that the
committed CSV is exactly what this script produces, so the two cannot drift.

The build refuses to write a table in which one name denotes two authorities at the same time
(see Gazetteer.ambiguous_names): such a name would make every resolve() of it fail.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ingest.gazetteer import (
    CSV_COLUMNS,
    LIST_SEPARATOR,
    Gazetteer,
    normalise,
    record_from_row,
    slugify,
)

# Readable canonical names where the lookup uses the ONS register's inverted form. The lookup's
# spelling is kept as an alias.
CANONICAL_NAMES: dict[str, str] = {
    "Bristol, City of": "Bristol",
    "Kingston Upon Hull, City of": "Kingston upon Hull",
    "Bedford Borough": "Bedford",
    "St. Helens": "St Helens",
}

# Authorities created by a reorganisation: the first day they had children's services duties.
# Not here on purpose: Buckinghamshire (2020), North Yorkshire and Somerset (2023) became
# unitary councils but stayed the same children's services authority (same DfE LA code, same
# Ofsted provider), so they have one continuous record; their old county ONS codes are kept in
# FORMER_ONS_CODES. The same holds for Cornwall, Durham, Northumberland, Shropshire and
# Wiltshire in 2009.
VALID_FROM: dict[str, str] = {
    "bedford": "2009-04-01",
    "central-bedfordshire": "2009-04-01",
    "cheshire-east": "2009-04-01",
    "cheshire-west-and-chester": "2009-04-01",
    "bournemouth-christchurch-and-poole": "2019-04-01",
    "dorset": "2019-04-01",
    "north-northamptonshire": "2021-04-01",
    "west-northamptonshire": "2021-04-01",
    "cumberland": "2023-04-01",
    "westmorland-and-furness": "2023-04-01",
}

# ONS (GSS) codes an authority used before a boundary or status change, so older datasets
# resolve by code. Only codes we are sure of.
FORMER_ONS_CODES: dict[str, tuple[str, ...]] = {
    "buckinghamshire": ("E10000002",),  # county until the 2020 unitary
    "north-yorkshire": ("E10000023",),  # county until the 2023 unitary
    "somerset": ("E10000027",),  # county until the 2023 unitary
    "gateshead": ("E08000020",),  # recoded after the 2013 boundary change
    "northumberland": ("E06000048",),  # recoded after the 2013 boundary change
}

# Former children's services authorities. Three of them (Cumbria, Northamptonshire, Poole) are
# rows of the lookup, which gives their URN and LA code; the values here fill in and override.
# Codes are left empty where we are not sure of them (the Ofsted URNs of Bournemouth, the old
# Dorset county, Bedfordshire and Cheshire).
#
# Dorset: the county council (LA 835) was replaced on 2019-04-01 by the new Dorset unitary
# (LA 838) and, for Christchurch, by BCP. The new unitary is what 'Dorset' means today, so it
# keeps the plain slug 'dorset' (what URLs and the database already use for current councils);
# the old county gets the explicit 'dorset-county-council-pre-2019'. Both answer to 'Dorset',
# and dates decide (see ingest/gazetteer.py).
FORMER: dict[str, dict[str, Any]] = {
    "bedfordshire": {
        "name": "Bedfordshire",
        "la_code": "820",
        "region": "East of England",
        "type": "County",
        "valid_to": "2009-03-31",
        "successors": ("bedford", "central-bedfordshire"),
    },
    "cheshire": {
        "name": "Cheshire",
        "la_code": "875",
        "region": "North West",
        "type": "County",
        "valid_to": "2009-03-31",
        "successors": ("cheshire-east", "cheshire-west-and-chester"),
    },
    "bournemouth": {
        "name": "Bournemouth",
        "la_code": "837",
        "ons_code": "E06000028",
        "region": "South West",
        "type": "Unitary Authority",
        "valid_from": "1997-04-01",
        "valid_to": "2019-03-31",
        "successors": ("bournemouth-christchurch-and-poole",),
    },
    "poole": {
        "name": "Poole",
        "la_code": "836",
        "ons_code": "E06000029",
        "region": "South West",
        "type": "Unitary Authority",
        "valid_from": "1997-04-01",
        "valid_to": "2019-03-31",
        "successors": ("bournemouth-christchurch-and-poole",),
        "aliases": ("Borough of Poole",),
    },
    "dorset-county-council-pre-2019": {
        "name": "Dorset County Council",
        "la_code": "835",
        "ons_code": "E10000009",
        "region": "South West",
        "type": "County",
        "valid_to": "2019-03-31",
        "successors": ("bournemouth-christchurch-and-poole", "dorset"),
        "aliases": ("Dorset",),
    },
    "northamptonshire": {
        "name": "Northamptonshire",
        "la_code": "928",
        "ons_code": "E10000021",
        "region": "East Midlands",
        "type": "County",
        "valid_to": "2021-03-31",
        "successors": ("north-northamptonshire", "west-northamptonshire"),
        "aliases": ("Northants",),
    },
    "cumbria": {
        "name": "Cumbria",
        "la_code": "909",
        "ons_code": "E10000006",
        "region": "North West",
        "type": "County",
        "valid_to": "2023-03-31",
        "successors": ("cumberland", "westmorland-and-furness"),
    },
}

# Spellings people use that the lookup does not have. Kept to names of the council itself:
# place names inside an authority ('Christchurch', 'Bath') would turn every mention of the
# town into a mention of the council. Spellings that only differ by affixes or punctuation
# ('Medway Council', 'St. Helens', 'London Borough of Hackney', 'Brighton & Hove') need no
# entry: the gazetteer normalises them. 'Dorset Council' is listed because its full spelling
# tells it apart from 'Dorset County Council', the old county.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "kingston-upon-thames": ("Royal Borough of Kingston upon Thames", "Kingston"),
    "kensington-and-chelsea": ("Royal Borough of Kensington and Chelsea", "RBKC"),
    "windsor-and-maidenhead": ("Royal Borough of Windsor and Maidenhead", "RBWM", "Windsor"),
    "greenwich": ("Royal Borough of Greenwich",),
    "richmond-upon-thames": ("Richmond",),
    "stoke-on-trent": ("Stoke",),
    "kingston-upon-hull": ("City of Kingston upon Hull", "Hull"),
    "brighton-and-hove": ("Brighton",),
    "southend-on-sea": ("Southend",),
    "herefordshire": ("County of Herefordshire",),
    "bristol": ("City of Bristol",),
    "durham": ("County Durham",),
    "telford-and-wrekin": ("Telford",),
    "redcar-and-cleveland": ("Redcar",),
    "stockton-on-tees": ("Stockton",),
    "isles-of-scilly": ("Council of the Isles of Scilly", "Scilly"),
    "newcastle-upon-tyne": ("Newcastle",),
    "east-riding-of-yorkshire": ("East Riding",),
    "blackburn-with-darwen": ("Blackburn",),
    "bath-and-north-east-somerset": ("BANES", "B&NES"),
    "city-of-london": ("City of London Corporation",),
    "westminster": ("City of Westminster",),
    "york": ("City of York",),
    "dorset": ("Dorset Council",),
}


def _lookup_aliases(row: dict[str, str]) -> list[str]:
    """The lookup's also_known_as: '[BCP, Bournemouth, Christchurch & Poole]'.

    A plain comma split would turn 'Bournemouth' into an alias of BCP (it is the former
    authority), so consecutive pieces that together spell the authority's own name stay one.
    """
    raw = row["also_known_as"].strip().strip("[]")
    pieces = [p.strip() for p in raw.split(",") if p.strip()]
    own = normalise(row["local_authority_ons_name"])
    out: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(len(pieces), i, -1):
            if j - i > 1 and normalise(", ".join(pieces[i:j])) == own:
                out.append(", ".join(pieces[i:j]))
                i = j
                break
        else:
            out.append(pieces[i])
            i += 1
    return out


def _type_from_ons(code: str) -> str:
    """The lookup's ons_la_type is stale for the 2023 unitaries ('County'); the code is not."""
    return {
        "E06": "Unitary Authority",
        "E08": "Metropolitan District",
        "E09": "London Borough",
        "E10": "County",
    }.get(code[:3], "")


def _aliases(name: str, spellings: Iterable[str]) -> str:
    """Distinct spellings other than the name itself, first spelling wins, ';'-joined."""
    seen = {normalise(name)}
    out: list[str] = []
    for s in spellings:
        key = normalise(s)
        if key and key not in seen:
            if LIST_SEPARATOR in s:
                raise ValueError(f"alias {s!r} contains {LIST_SEPARATOR!r}")
            seen.add(key)
            out.append(s.strip())
    return LIST_SEPARATOR.join(out)


def build_rows(lookup_path: str | Path) -> list[dict[str, str]]:
    """Rows of config/authorities.csv, sorted by slug."""
    with open(lookup_path, encoding="utf-8-sig", newline="") as fh:
        lookup = list(csv.DictReader(fh))
    rows: dict[str, dict[str, str]] = {}
    for src in lookup:
        ons_name = src["local_authority_ons_name"].strip()
        name = CANONICAL_NAMES.get(ons_name, ons_name)
        slug = slugify(name)
        if slug in rows:
            raise ValueError(f"two lookup rows make the slug {slug!r}")
        former = FORMER.get(slug, {})
        ons_code = former.get("ons_code") or src["la_code_new"].strip()
        rows[slug] = {
            "slug": slug,
            "name": former.get("name", name),
            "ons_code": ons_code,
            "la_code": src["la_code"].strip(),
            "ofsted_urn": src["urn"].strip(),
            "region": src["region_name"].strip() or former.get("region", ""),
            "type": former.get("type") or _type_from_ons(ons_code) or src["ons_la_type"].strip(),
            "valid_from": former.get("valid_from", VALID_FROM.get(slug, "")),
            "valid_to": former.get("valid_to", ""),
            "successors": LIST_SEPARATOR.join(sorted(former.get("successors", ()))),
            "aliases": _aliases(
                name,
                [
                    ons_name,
                    *_lookup_aliases(src),
                    *former.get("aliases", ()),
                    *EXTRA_ALIASES.get(slug, ()),
                ],
            ),
            "former_ons_codes": LIST_SEPARATOR.join(FORMER_ONS_CODES.get(slug, ())),
        }
    for slug, former in FORMER.items():
        if slug in rows:
            continue
        rows[slug] = {
            "slug": slug,
            "name": former["name"],
            "ons_code": former.get("ons_code", ""),
            "la_code": former.get("la_code", ""),
            "ofsted_urn": former.get("ofsted_urn", ""),
            "region": former.get("region", ""),
            "type": former.get("type", ""),
            "valid_from": former.get("valid_from", ""),
            "valid_to": former.get("valid_to", ""),
            "successors": LIST_SEPARATOR.join(sorted(former.get("successors", ()))),
            "aliases": _aliases(former["name"], former.get("aliases", ())),
            "former_ons_codes": LIST_SEPARATOR.join(FORMER_ONS_CODES.get(slug, ())),
        }
    for table in (VALID_FROM, FORMER_ONS_CODES, EXTRA_ALIASES):
        for slug in table:
            if slug not in rows:
                raise ValueError(f"hand-kept table names {slug!r}, which is not an authority")
    out = [rows[s] for s in sorted(rows)]
    gazetteer = Gazetteer(record_from_row(r) for r in out)  # checks codes and successors
    clashes = gazetteer.ambiguous_names()
    if clashes:
        raise ValueError(f"names that denote two authorities at once: {clashes}")
    return out


def render(rows: Iterable[dict[str, str]]) -> str:
    """The CSV text, byte for byte what is committed."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lookup", type=Path, help="shared/data/authorities/provider_lookup.csv")
    parser.add_argument("--out", type=Path, help="write here instead of standard output")
    args = parser.parse_args(argv)
    text = render(build_rows(args.lookup))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
