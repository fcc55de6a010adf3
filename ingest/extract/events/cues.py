"""Cues: the phrasebook (phrasebook.toml beside this file) compiled into patterns.

The phrasings a domain expert edits live in the book as data, one line per phrasing, each cue with
example sentences and the events they should yield (tests/test_phrasebook.py runs every example).
This module only reads the book: a bad phrasing stops the import with the cue's name and the
regular-expression error, never a half-loaded book.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BOOK = Path(__file__).with_name("phrasebook.toml")


class PhrasebookError(ValueError):
    """The phrasebook cannot be read: names the cue and the reason."""


@dataclass(frozen=True)
class Example:
    """A sentence (or short article) and the events it should yield: (council, kind, value[,
    stage]); `title` and `published` as the pipeline would pass them."""

    text: str
    events: tuple[tuple[str, ...], ...]
    published: str | None = None
    title: str | None = None
    matches: bool = True  # False: an example of what the cue must not match


@dataclass(frozen=True)
class Cue:
    name: str
    means: str
    group: str | None
    value: str | None
    subject: str | None  # 'after': the council follows the cue ('inadequate Tameside')
    phrasings: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]  # one per phrasing
    examples: tuple[Example, ...]

    @property
    def pattern(self) -> re.Pattern[str]:
        """All phrasings as one pattern (cues whose phrasings share group names use
        `patterns`, one at a time)."""
        if len(self.patterns) == 1:
            return self.patterns[0]
        return re.compile("|".join(p.pattern for p in self.patterns), self.patterns[0].flags)

    def search(self, text: str) -> re.Match[str] | None:
        return next((m for p in self.patterns if (m := p.search(text))), None)


def load(path: Path = BOOK) -> dict[str, Cue]:
    """Every cue of the book, in book order (the order matters within a group)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PhrasebookError(f"phrasebook {path}: {exc}") from exc
    macros: dict[str, str] = data.get("macros", {})
    cues: dict[str, Cue] = {}
    for name, spec in data.get("cue", {}).items():
        cues[name] = _cue(name, spec, macros)
    return cues


def _cue(name: str, spec: dict[str, Any], macros: dict[str, str]) -> Cue:
    phrasings = tuple(spec.get("phrasings") or ())
    if not phrasings:
        raise PhrasebookError(f"phrasebook cue {name!r}: no phrasings")
    flags = 0 if spec.get("case") else re.IGNORECASE
    if spec.get("multiline"):
        flags |= re.MULTILINE
    patterns = []
    for phrasing in phrasings:
        try:
            patterns.append(re.compile(_expand(phrasing, macros), flags))
        except re.error as exc:
            raise PhrasebookError(
                f"phrasebook cue {name!r}: bad phrasing {phrasing!r}: {exc}"
            ) from exc
    examples = tuple(
        Example(
            text=e["text"],
            events=tuple(tuple(x) for x in e.get("events", ())),
            published=e.get("published"),
            title=e.get("title"),
            matches=e.get("matches", True),
        )
        for e in spec.get("examples", ())
    )
    return Cue(
        name, spec.get("means", ""), spec.get("group"), spec.get("value"), spec.get("subject"),
        phrasings, tuple(patterns), examples,
    )  # fmt: skip


def _expand(phrasing: str, macros: dict[str, str]) -> str:
    for key, value in macros.items():
        phrasing = phrasing.replace("{" + key + "}", value)
    return phrasing


CUES = load()


def cue(name: str) -> re.Pattern[str]:
    """A cue's phrasings as one compiled pattern, made once at import."""
    return CUES[name].pattern


def group(name: str) -> tuple[Cue, ...]:
    return tuple(c for c in CUES.values() if c.group == name)


# The cues the rules use, by name.
END_MARKERS = cue("article_end")
OTHER_TRUSTS = cue("other_trusts")
CSC_TRUST = cue("csc_trust")
BACK_REFERENCE = cue("back_reference")
RATING_PATTERNS = tuple((c, p) for c in group("rating") for p in c.patterns)
UP_FROM = cue("rating_up_from")
AND_GRADE = cue("rating_and_grade")
RESPECTIVELY = cue("respectively")
RATING_GATE = cue("rating_gate")
INTERVENTION_GATE = cue("intervention_gate")
NOT_A_RATING = cue("not_a_rating")
SUB_JUDGEMENT = cue("sub_judgement")
ASPIRATION = cue("aspiration")
INTERVENTIONS = tuple((str(c.value), c.pattern, c.subject) for c in group("intervention"))
NOT_DFE_COMMISSIONER = cue("not_dfe_commissioner")
NOT_DFE_DIRECTION = cue("not_dfe_direction")
OPTIONS_MENU = cue("options_menu")
THREAT_IF = cue("threat_if")
IN_HOUSE = cue("in_house")
IN_HOUSE_DONE = cue("in_house_done")
IN_HOUSE_AHEAD = cue("in_house_ahead")
CIC = cue("cic")
COMPANY = cue("company")
TRUST = cue("trust")
PARTNERSHIP = cue("partnership")
SHARED = cue("partnership_shared")
INHERIT = cue("inherit")
STAGE_CUES = tuple((str(c.value), c.pattern) for c in group("stage"))
HEDGE = cue("hedge")
SOFT_HEDGE = cue("soft_hedge")
NEGATION = cue("negation")
ADULTS = cue("adults")
CHILDREN = cue("children")
SERVICE_WORDS = cue("service_words")
NOT_CSC_SERVICE = cue("not_csc_service")
ANAPHOR = cue("anaphor")
PLURAL_ANAPHOR = cue("plural_anaphor")
PLURAL_PRONOUN = cue("plural_pronoun")
PLACE_ANAPHOR = cue("place_anaphor")
FORMER_ANAPHOR = cue("former_anaphor")
GENERIC_SUBJECT = cue("generic_subject")
GENERIC_BETWEEN = cue("generic_between")
PARTITIVE_SUBJECT = cue("partitive_subject")
COUNTED_SUBJECT = cue("counted_subject")
FOCUS_REFERENCE = cue("focus_reference")
WHOLE_SERVICE = cue("whole_service")
ROLE_BEFORE = cue("role_before")
ROLE_AFTER = cue("role_after")
PERSON_BEFORE = cue("person_before")
ROLE_NOUN_AFTER = cue("role_noun_after")
CLIENT_BEFORE = cue("client_before")
COMPARISON = cue("comparison")
COMPARISON_BEFORE = cue("comparison_before")
PARTNER_PATTERNS = tuple(c.pattern for c in group("partner"))
PARTNER_IN_PARTNERSHIP = cue("partner_in_partnership")
PARTNER_ADVISER = cue("partner_adviser")
CSC_STRONG = cue("csc_strong")
CSC_WEAK = cue("csc_weak")
ADULT_TOPIC = cue("adult_topic")
SCHOOL_TOPIC = cue("school_topic")
ELSEWHERE = cue("elsewhere")
