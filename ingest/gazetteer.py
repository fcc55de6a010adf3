"""Which council a name means: a pure resolver over the authorities reference table.

No database and no `config` import: the records arrive as data (see `load_authorities`), so the
same resolver serves the CLI, the Ofsted pipeline and the news extractor, and tests can feed it
small synthetic tables.

Two entry points:

- `Gazetteer.resolve(name, on=date)` turns one spelling ('Kingston council', 'BCP', 'Hull City
  Council', 'Stoke on Trent') into exactly one `AuthorityRecord`, or raises `UnknownName` /
  `AmbiguousName` with a message a person can act on.
- `Gazetteer.find_all(text, on=date)` finds every mention in a text in one linear pass of a single
  Aho-Corasick automaton (leftmost-longest, so 'Kingston upon Hull' beats 'Kingston').

Dates decide between records that share a name ('Dorset' is the old county up to 2019-03-31 and
the new unitary from 2019-04-01). The rule, in `Gazetteer._choose`:

- with `on`, keep the records valid on that day; with `on=None`, keep the current ones (no
  `valid_to`); if that leaves none, keep them all. So 'Northamptonshire' in 2023 still returns
  the former county (the only record with that name): the caller sees `valid_to` and
  `successors` and decides, rather than the gazetteer guessing one successor. A 2023 article
  saying 'Northamptonshire' usually means the county area or its children's trust, which serves
  both successors.
- if more than one record is left, the name is ambiguous: `resolve` raises `AmbiguousName` and
  `find_all` returns a `Mention` with several candidates. It never picks one silently.
- a spelling that is one record's own full name wins before affixes are stripped: 'Dorset
  County Council' is the old county whatever the date, 'Dorset Council' the new unitary.

In the shipped table no name denotes two authorities at once (`ambiguous_names()` is empty and
the build script refuses a table where it is not), so AmbiguousName comes from data a caller
passes in; the rule is there so that such data fails loudly instead of guessing.
"""

from __future__ import annotations

import bisect
import csv
import difflib
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path

import ahocorasick_rs

__all__ = [
    "CSV_COLUMNS",
    "AmbiguousName",
    "AuthorityRecord",
    "Gazetteer",
    "Mention",
    "UnknownName",
    "load_authorities",
    "normalise",
    "record_from_row",
    "slugify",
    "strip_affixes",
]

CSV_COLUMNS = (
    "slug",
    "name",
    "ons_code",
    "la_code",
    "ofsted_urn",
    "region",
    "type",
    "valid_from",
    "valid_to",
    "successors",
    "aliases",
    "former_ons_codes",
)
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class AuthorityRecord:
    """One council with children's services duties, current or former.

    Codes are strings (identifiers, not numbers) or None when unknown. `former_ons_codes` keeps
    codes the same authority used before (Buckinghamshire was E10000002 until 2020), so datasets
    from those years still resolve by code.
    """

    slug: str
    name: str
    ons_code: str | None
    la_code: str | None
    ofsted_urn: str | None
    region: str | None
    type: str | None
    valid_from: date | None
    valid_to: date | None
    successors: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    former_ons_codes: tuple[str, ...] = field(default=())

    def valid_on(self, day: date) -> bool:
        """True if the authority existed (had children's services duties) on `day`."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnknownName(LookupError):
    """No authority has this name; the message suggests near spellings."""

    def __init__(self, name: str, suggestions: Iterable[str] = (), hint: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        if self.suggestions:
            hint = f"did you mean {', '.join(map(repr, self.suggestions))}?"
        super().__init__(
            f"no children's services authority is called {name!r}" + (f"; {hint}" if hint else "")
        )


class AmbiguousName(LookupError):
    """The name denotes several authorities on that date; `candidates` lists them all."""

    def __init__(self, name: str, candidates: Iterable[AuthorityRecord], on: date | None) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        when = f"on {on.isoformat()}" if on else "today"
        listed = "; ".join(f"{r.name} ({r.slug}{_span(r)})" for r in self.candidates)
        super().__init__(
            f"{name!r} could mean {len(self.candidates)} authorities {when}: {listed}. "
            "Use a fuller name or the slug."
        )


def _span(record: AuthorityRecord) -> str:
    if record.valid_from is None and record.valid_to is None:
        return ""
    start = record.valid_from.isoformat() if record.valid_from else ""
    end = record.valid_to.isoformat() if record.valid_to else ""
    return f", {start}..{end}"


@dataclass(frozen=True)
class Mention:
    """A name found in a text: offsets into the original text and the slugs it may denote.

    One candidate is the usual case; more than one means the name is ambiguous on that date and
    the caller must not pick one blindly.
    """

    start: int
    end: int
    text: str
    candidates: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# Name normalisation (for resolve and for the index keys)

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u02bc\u0060\u00b4\u2032"})
_NOT_WORD = re.compile(r"[^\w\s']|_")
_POSSESSIVE = re.compile(r"'s\b|(?<=s)'(?=\s|$)")
_SPACES = re.compile(r"\s+")

# Words around a council's name that do not change which council it is. Longest first matters
# only for readability: stripping loops until nothing more comes off.
_PREFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        "the",
        "london borough of",
        "royal borough of",
        "metropolitan borough of",
        "city and county of",
        "city of",
        "county of",
        "borough of",
        "council of the",
        "council of",
    )
)
_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(s.split())
    for s in (
        "metropolitan borough council",
        "metropolitan district council",
        "county borough council",
        "county council",
        "city council",
        "borough council",
        "district council",
        "unitary authority",
        "unitary council",
        "local authority",
        "children services",  # "Kingston's children's services" after the 's is dropped
        "councils",
        "council",
        "borough",  # 'Bedford Borough'
        "county",  # 'Durham County' ('County Durham' is an alias)
        "city of",  # 'Bristol, City of' (the ONS spelling)
        "county of",  # 'Herefordshire, County of'
    )
)
_ONS_CODE = re.compile(r"E\d{8}")
# Names that are not one authority, with what to say instead.
_UNKNOWN_HINTS = {
    "london": "London has 33 councils: name the borough, or 'City of London'",
    "england": "name one council",
}
# Names that stripping would destroy: 'City of London' is not 'London' (33 councils).
_UNSTRIPPABLE = frozenset({"city of london"})


def normalise(name: str) -> str:
    """Lower-case words only: curly quotes, '&', hyphens, full stops and possessives folded.

    'Stoke-on-Trent' == 'stoke on trent', 'Brighton & Hove' == 'brighton and hove',
    "Kingston's" == 'kingston', 'St. Helens' == 'Saint Helens' == 'st helens'.
    """
    s = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    s = s.replace("&", " and ")
    s = _NOT_WORD.sub(" ", s)
    s = _POSSESSIVE.sub("", s).replace("'", "")
    words = ["st" if w == "saint" else w for w in _SPACES.split(s.strip())]
    return " ".join(w for w in words if w)


def strip_affixes(key: str) -> str:
    """Remove 'London Borough of', 'County Council', 'the' ... from a normalised name."""
    words = key.split()
    changed = True
    while changed and words:
        changed = False
        if " ".join(words) in _UNSTRIPPABLE:
            break
        for affix in _PREFIXES:
            if len(words) > len(affix) and tuple(words[: len(affix)]) == affix:
                words = words[len(affix) :]
                changed = True
        for affix in _SUFFIXES:
            if len(words) > len(affix) and tuple(words[-len(affix) :]) == affix:
                words = words[: -len(affix)]
                changed = True
    return " ".join(words)


def slugify(name: str) -> str:
    """'Bournemouth, Christchurch and Poole' -> 'bournemouth-christchurch-and-poole'."""
    return normalise(name).replace(" ", "-")


# ---------------------------------------------------------------------------------------------
# The CSV format (config/authorities.csv)


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(LIST_SEPARATOR) if v.strip())


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def record_from_row(row: Mapping[str, str | None]) -> AuthorityRecord:
    """One CSV row (or the same dict from the build script) as a record; '' means unknown."""

    def text(key: str) -> str | None:
        return (row.get(key) or "").strip() or None

    return AuthorityRecord(
        slug=(row.get("slug") or "").strip(),
        name=(row.get("name") or "").strip(),
        ons_code=text("ons_code"),
        la_code=text("la_code"),
        ofsted_urn=text("ofsted_urn"),
        region=text("region"),
        type=text("type"),
        valid_from=_date(text("valid_from")),
        valid_to=_date(text("valid_to")),
        successors=_split(row.get("successors")),
        aliases=_split(row.get("aliases")),
        former_ons_codes=_split(row.get("former_ons_codes")),
    )


def load_authorities(path: str | Path) -> list[AuthorityRecord]:
    """Read config/authorities.csv (or any file in its format)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [record_from_row(row) for row in csv.DictReader(fh)]


# ---------------------------------------------------------------------------------------------
# Text scanning (find_all)

# Lower-case ASCII only, so offsets never move ('İ'.lower() is two characters); names are ASCII.
_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
# Separators that may sit between the words of a name: any whitespace (every character for which
# str.isspace() is true), hyphens and dashes. Replaced one by one with str.replace, which is
# several times faster than a regex character class on long texts.
_SEPARATORS = "".join(
    chr(c) for c in (*range(0x09, 0x0E), *range(0x1C, 0x20), 0x85, 0xA0, 0x1680)
) + "".join(chr(c) for c in (*range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000))
_SEPARATORS += "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_SPACE_RUN = re.compile(r"  +")

# Names that are also ordinary English words: at the start of a sentence ('Reading the report',
# 'Bury the past', 'Harrow the field') they count only with council context after them.
_COMMON_WORDS = frozenset({"reading", "bury", "slough", "harrow"})
_COUNCIL_CONTEXT = re.compile(
    r"(?:['\u2019]s\b"
    r"|\s+(?:borough|council|children|local authority|unitary|safeguarding|ofsted)\b)",
    re.IGNORECASE,
)
_OPENERS = " \t\"'“”‘’([{«»"
# A council's name inside the name of something else: a region ('Greater Manchester', 'Liverpool
# City Region'), a police force, a university, an airport, a court, a football club. Such a
# mention names no council (capitalised words only: 'Kent police officers' still names Kent).
_INSIDE_ANOTHER_NAME_AFTER = re.compile(
    r"(?:[ \t]+(?:and[ \t]+)?[A-Z][\w'\u2019-]*){0,2}[ \t]+"  # 'Beckett', 'and Cornwall'
    r"(?:Police|Constabulary|University|Airport|Crown\s+Court|Magistrates|Cathedral"
    r"|Football\s+Club|FC|United|Rovers|Wanderers|City\s+Region|Combined\s+Authority)\b"
)
_INSIDE_ANOTHER_NAME_BEFORE = re.compile(r"(?:\bGreater|\b(?:University|Diocese|Bishop)\s+of)\s+$")

# Places and things whose names begin with a council's name but are not that council. As
# patterns they win leftmost-longest and are then dropped, so 'Bury St Edmunds' (Suffolk) is not
# Bury and 'Stoke Newington' (Hackney) is not Stoke-on-Trent.
NOT_AUTHORITIES: tuple[str, ...] = (
    "Bury St Edmunds",
    "Sutton Coldfield",
    "Stoke Newington",
    "Stoke Mandeville",
    "Newcastle-under-Lyme",
    "Greenwich Mean Time",
    "Hackney carriage",
    "Westminster Hall",
    "Palace of Westminster",
)


def _separators_to_spaces(text: str) -> str:
    for sep in _SEPARATORS:
        if sep in text:
            text = text.replace(sep, " ")
    return text


def _text_view(text: str) -> tuple[str, list[int], list[int]]:
    """The text as the automaton sees it, plus what is needed to map offsets back.

    Lower-cased, separators turned into single spaces. Runs of spaces are collapsed so a line
    break inside 'Kingston upon\\r\\nHull' cannot leave just 'Kingston'; `run_at` and `shift`
    map a position in the view back to the original text.
    """
    view = text.lower()
    if len(view) != len(text):
        view = text.translate(_ASCII_LOWER)
    view = _separators_to_spaces(view)
    if "  " not in view:
        return view, [], []
    # All in C (split, accumulate, map): a PDF page can have thousands of runs. For run k,
    # run_at[k] is where the text after it starts in the collapsed view and shift[k] how many
    # characters were removed up to there.
    pieces = _SPACE_RUN.split(view)
    runs = _SPACE_RUN.findall(view)
    count = range(1, len(pieces))
    run_at = list(map(operator.add, accumulate(map(len, pieces[:-1])), count))
    shift = list(map(operator.sub, accumulate(map(len, runs)), count))
    view = " ".join(pieces)
    return view, run_at, shift


def _surface_forms(name: str) -> set[str]:
    """How a name can appear in text, in the automaton's view: '&'/'and', 'St'/'St.', commas."""
    base = _SPACE_RUN.sub(" ", _separators_to_spaces(name.translate(_ASCII_LOWER))).strip()
    forms = {base}
    for f in list(forms):
        forms.add(f.replace(" and ", " & "))
        forms.add(f.replace(" & ", " and "))
    for f in list(forms):
        forms.add(re.sub(r"\bst\. ", "st ", f))
        forms.add(re.sub(r"\bst (?=\w)", "st. ", f))
    for f in list(forms):
        forms.add(_SPACE_RUN.sub(" ", f.replace(",", "")))
    return {f for f in forms if f}


def _at_sentence_start(text: str, start: int) -> bool:
    """True after '.', '!', '?', ':', a line break or at the very start (quotes skipped)."""
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in ".!?:\n\r\u2026"


# ---------------------------------------------------------------------------------------------


class Gazetteer:
    """All authorities, indexed by slug, codes and every spelling; built once, then read-only."""

    def __init__(
        self,
        records: Iterable[AuthorityRecord],
        *,
        not_authorities: Iterable[str] = NOT_AUTHORITIES,
    ) -> None:
        self._records = tuple(records)
        self._by_slug: dict[str, AuthorityRecord] = {}
        self._by_urn: dict[str, AuthorityRecord] = {}
        self._by_ons: dict[str, AuthorityRecord] = {}
        self._by_la: dict[str, AuthorityRecord] = {}
        for r in self._records:
            if not r.slug or not r.name:
                raise ValueError(f"authority without slug or name: {r!r}")
            _put(self._by_slug, r.slug, r, "slug")
            if r.ofsted_urn:
                _put(self._by_urn, r.ofsted_urn, r, "Ofsted URN")
            if r.ons_code:
                _put(self._by_ons, r.ons_code.upper(), r, "ONS code")
            if r.la_code:
                _put(self._by_la, r.la_code, r, "LA code")
        for r in self._records:
            for code in r.former_ons_codes:  # after the current codes, which take precedence
                self._by_ons.setdefault(code.upper(), r)
            for s in r.successors:
                if s not in self._by_slug:
                    raise ValueError(f"{r.slug}: successor {s!r} is not an authority")

        # Name keys: the full normalised spelling and the spelling without affixes. resolve()
        # tries the full key first, so 'Dorset County Council' (the old county's own name) is not
        # confused with 'Dorset Council' although both strip to 'dorset'.
        self._by_key: dict[str, tuple[AuthorityRecord, ...]] = {}
        for r in self._records:
            for surface in (r.name, r.slug, *r.aliases):
                full = normalise(surface)
                for key in {full, strip_affixes(full)}:
                    if key and r not in self._by_key.get(key, ()):
                        self._by_key[key] = (*self._by_key.get(key, ()), r)

        # One automaton over every surface form of every name (and the non-authorities).
        pattern_targets: dict[str, tuple[AuthorityRecord, ...]] = {}
        for r in self._records:
            for surface in (r.name, *r.aliases):
                for form in (*_surface_forms(surface), strip_affixes(normalise(surface))):
                    if form:
                        pattern_targets.setdefault(form, self._lookup(form) or (r,))
        for surface in not_authorities:
            for form in _surface_forms(surface):
                pattern_targets[form] = ()
        self._patterns = list(pattern_targets)
        self._targets = [pattern_targets[p] for p in self._patterns]
        self._slugs = [tuple(r.slug for r in t) for t in self._targets]
        self._common = [p in _COMMON_WORDS for p in self._patterns]
        self._pattern_index = {p: i for i, p in enumerate(self._patterns)}
        self._automaton = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    # -- plain look-ups ------------------------------------------------------------------------

    @property
    def records(self) -> tuple[AuthorityRecord, ...]:
        return self._records

    def __iter__(self) -> Iterator[AuthorityRecord]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def get(self, slug: str) -> AuthorityRecord:
        """The record for a slug; UnknownName (a LookupError) if there is none."""
        try:
            return self._by_slug[slug]
        except KeyError:
            raise UnknownName(slug, difflib.get_close_matches(slug, self._by_slug, n=3)) from None

    def by_urn(self, urn: str | int) -> AuthorityRecord | None:
        return self._by_urn.get(str(urn).strip())

    def by_ons(self, code: str) -> AuthorityRecord | None:
        """By ONS/GSS code, current or one the same authority used before."""
        return self._by_ons.get(code.strip().upper())

    def by_la_code(self, code: str | int) -> AuthorityRecord | None:
        """By the old three-digit DfE LA code ('371' Doncaster)."""
        return self._by_la.get(str(code).strip())

    def current(self, slug: str) -> tuple[AuthorityRecord, ...]:
        """The current authorities covering a (possibly former) one, following successors.

        'northamptonshire' -> North and West Northamptonshire; a current slug -> itself.
        """
        seen: set[str] = set()
        found: list[AuthorityRecord] = []
        todo = [slug]
        while todo:
            r = self.get(todo.pop(0))
            if r.slug in seen:
                continue
            seen.add(r.slug)
            if r.is_current:
                found.append(r)
            todo.extend(r.successors)
        return tuple(found)

    def predecessors(self, slug: str) -> tuple[AuthorityRecord, ...]:
        """Former authorities that `slug` (partly) succeeded: BCP <- Bournemouth, Poole, Dorset."""
        return tuple(r for r in self._records if slug in r.successors)

    # -- names ---------------------------------------------------------------------------------

    def _lookup(self, name: str) -> tuple[AuthorityRecord, ...]:
        full = normalise(name)
        return self._by_key.get(full) or self._by_key.get(strip_affixes(full)) or ()

    @staticmethod
    def _choose(
        candidates: tuple[AuthorityRecord, ...], on: date | None
    ) -> tuple[AuthorityRecord, ...]:
        """Narrow same-name records by date (see the module docstring for why)."""
        if len(candidates) <= 1:
            return candidates
        if on is None:
            live = tuple(r for r in candidates if r.is_current)
        else:
            live = tuple(r for r in candidates if r.valid_on(on))
        return live or candidates

    def resolve(self, name: str, *, on: date | None = None) -> AuthorityRecord:
        """Any spelling of one authority's name (or its slug or a code) -> that authority.

        `on` is the date the name was used (an article's date): 'Dorset' in 2017 is the old
        county, from 2019-04-01 (and with on=None) the new unitary. Raises UnknownName or
        AmbiguousName rather than guessing.
        """
        candidates = self._choose(self._lookup(name), on)
        if not candidates:
            by_code = self._by_code(name)
            if by_code is not None:
                return by_code
            key = strip_affixes(normalise(name))
            near = difflib.get_close_matches(key, self._by_key, n=3, cutoff=0.75)
            names = dict.fromkeys(self._by_key[k][0].name for k in near)
            raise UnknownName(name, names, _UNKNOWN_HINTS.get(key, ""))
        if len(candidates) > 1:
            raise AmbiguousName(name, candidates, on)
        return candidates[0]

    def _by_code(self, text: str) -> AuthorityRecord | None:
        """A code typed where a name was expected: 'E08000017', '371' or '80462'."""
        code = text.strip().upper()
        if _ONS_CODE.fullmatch(code):
            return self.by_ons(code)
        if code.isdigit():
            return self.by_la_code(code) if len(code) == 3 else self.by_urn(code)
        return None

    def ambiguous_names(self) -> dict[str, tuple[str, ...]]:
        """Name keys shared by records whose lifetimes overlap: the data-quality check.

        Shared names are fine when dates tell them apart (old and new Dorset); overlapping
        ones would make resolve() raise for every date, which reference data should not do.
        """
        clashes: dict[str, tuple[str, ...]] = {}
        for key, records in self._by_key.items():
            for i, a in enumerate(records):
                for b in records[i + 1 :]:
                    if _overlap(a, b):
                        clashes[key] = tuple(r.slug for r in records)
        return clashes

    # -- texts ---------------------------------------------------------------------------------

    def find_all(self, text: str, *, on: date | None = None) -> list[Mention]:
        """Every authority named in `text`, left to right, without overlaps.

        Whole words only ('Hackneyed' is not Hackney), case-insensitive except that the first
        letter must be a capital (names are proper nouns: 'kent' in lower case is not matched),
        and the common-word names in `_COMMON_WORDS` need council context at a sentence start.
        One automaton pass; Python only looks at the matches.
        """
        view, run_at, shift = _text_view(text)
        mentions: list[Mention] = []
        n = len(view)
        targets, slugs, common = self._targets, self._slugs, self._common
        for index, start, end in self._automaton.find_matches_as_indexes(view):
            if start > 0 and view[start - 1].isalnum():
                continue
            if end < n and view[end].isalnum():
                index, end = self._shorter(view, start, end)
                if index < 0:
                    continue
            if not targets[index]:  # a place that is not an authority ('Bury St Edmunds')
                continue
            if run_at:
                start = _to_original(start, run_at, shift)
                end = _to_original(end - 1, run_at, shift) + 1
            if not text[start].isupper():
                continue
            if (
                common[index]
                and _at_sentence_start(text, start)
                and not _COUNCIL_CONTEXT.match(text, end)
            ):
                continue
            if _INSIDE_ANOTHER_NAME_AFTER.match(text, end) or _INSIDE_ANOTHER_NAME_BEFORE.search(
                text, max(0, start - 20), start
            ):
                continue
            candidates = slugs[index]
            if len(candidates) > 1:
                candidates = tuple(r.slug for r in self._choose(targets[index], on))
            mentions.append(Mention(start, end, text[start:end], candidates))
        return mentions

    def _shorter(self, view: str, start: int, end: int) -> tuple[int, int]:
        """The longest pattern ending at a word boundary inside a match that ran into a word.

        'Kingston upon Thamesside' still yields 'Kingston'. Returns (-1, end) if there is none.
        """
        cut = view.rfind(" ", start, end)
        while cut > start:
            index = self._pattern_index.get(view[start:cut], -1)
            if index >= 0:
                return index, cut
            cut = view.rfind(" ", start, cut)
        return -1, end


def _to_original(pos: int, run_at: list[int], shift: list[int]) -> int:
    """A position in the collapsed view -> the same character's position in the text."""
    i = bisect.bisect_right(run_at, pos) - 1
    return pos + shift[i] if i >= 0 else pos


def _put(index: dict[str, AuthorityRecord], key: str, record: AuthorityRecord, what: str) -> None:
    if key in index:
        raise ValueError(f"{what} {key!r} is used by both {index[key].slug} and {record.slug}")
    index[key] = record


def _overlap(a: AuthorityRecord, b: AuthorityRecord) -> bool:
    return (a.valid_to is None or b.valid_from is None or b.valid_from <= a.valid_to) and (
        b.valid_to is None or a.valid_from is None or a.valid_from <= b.valid_to
    )
