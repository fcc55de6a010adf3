"""Events in sector news: ratings, delivery-model changes and DfE interventions, per council.

Pure (no I/O, no database, no `config` import): the pipeline passes in a `Gazetteer` and a
`ProviderRegistry`, so tests and benches build their own.

How it reads an article, and why:

- The page is cut at reader comments ('N Responses to ...') and 'Related articles' blocks: what
  follows is not the article's own statement.
- Things that merely share a word are masked first (NHS and academy trusts, Hackney's Learning
  Trust), so a model cue never sees them.
- The gazetteer runs once over the whole text (`on=published`, so 'Northamptonshire' in 2017 is
  the old county); provider names (Achieving for Children, Together for Children ...) stand for
  their councils. A person's past employer ('former director at Doncaster', 'Kingston
  University') is dropped. Partner councils ('asking Hampshire to take over') become the
  provider, never the council whose services move.
- Each sentence is split into clauses; in each clause cue patterns find grades, interventions and
  model changes, and each cue goes to the nearest subject: a named council, a list of them, a
  provider, or a reference back ('the council', 'the island', 'it') to the council in focus.
- Hedging ('critics fear', 'rumoured to be considering', 'could') lowers a decision to a proposal
  and lowers confidence; negation ('no plans', 'ruled out', 'ending speculation') drops it.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "ACTIONS",
    "GRADES",
    "KINDS",
    "MODELS",
    "STAGES",
    "EventExtractor",
    "ExtractedEvent",
    "Provider",
    "ProviderMention",
    "ProviderRegistry",
    "Relevance",
    "resolve_date",
]

from ingest.vocabulary import ACTIONS, GRADES, KINDS, MODELS, STAGES


class _Mention(Protocol):
    start: int
    end: int
    text: str
    candidates: tuple[str, ...]


class _Record(Protocol):
    slug: str
    name: str


class GazetteerLike(Protocol):
    def find_all(self, text: str, *, on: date | None = None) -> Sequence[Any]: ...
    def get(self, slug: str) -> Any: ...


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ExtractedEvent:
    """One thing an article states about one council's children's services."""

    authority: str  # gazetteer slug
    kind: str
    grade: str | None = None
    previous_grade: str | None = None
    model: str | None = None
    stage: str | None = None
    provider: str | None = None
    action: str | None = None
    date: str | None = None
    evidence: str = ""
    confidence: float = 0.0

    def to_json(self, gazetteer: GazetteerLike) -> dict[str, Any]:
        """The event for people and files: the council's canonical name instead of its slug."""
        return {
            "authority": gazetteer.get(self.authority).name,
            "kind": self.kind,
            "grade": self.grade,
            "previous_grade": self.previous_grade,
            "model": self.model,
            "stage": self.stage,
            "provider": self.provider,
            "action": self.action,
            "date": self.date,
            "evidence": self.evidence,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class Relevance:
    relevant: bool
    reason: str


# ---------------------------------------------------------------------------------------------
# Providers: trusts, companies and partner councils


@dataclass(frozen=True)
class Provider:
    name: str
    aliases: tuple[str, ...]
    model: str
    authorities: tuple[str, ...]
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class ProviderMention:
    start: int
    end: int
    text: str
    provider: Provider

    @property
    def authorities(self) -> tuple[str, ...]:
        return self.provider.authorities

    @property
    def model(self) -> str:
        return self.provider.model


class ProviderRegistry:
    """Named bodies that run councils' children's services (config/providers.csv).

    Trusts and companies are matched in text (a name stands for its councils). Partnership rows
    name a partner council, which the gazetteer already finds: they are never matched as names,
    only consulted through `partners_of` to tell the partner from the council it helps.
    """

    def __init__(self, providers: Iterable[Provider]) -> None:
        self.providers = tuple(providers)
        self._by_form: dict[str, Provider] = {}
        names: list[str] = []
        acronyms: list[str] = []
        for p in self.providers:
            if p.model == "partnership":
                continue
            for form in (p.name, *p.aliases):
                form = _fold(form)
                self._by_form[form.casefold()] = p
                (acronyms if form.isupper() and len(form) <= 5 else names).append(form)
        names.sort(key=len, reverse=True)
        acronyms.sort(key=len, reverse=True)
        parts = []
        if names:
            parts.append(
                "(?i:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names) + ")"
            )
        if acronyms:
            parts.append("|".join(re.escape(a) for a in acronyms))
        self._pattern = re.compile(r"\b(?:" + "|".join(parts) + r")\b") if parts else None
        self.partners: dict[str, set[str]] = {}
        for p in self.providers:
            if p.model == "partnership":
                partner = _slug(p.name)
                self.partners.setdefault(partner, set()).update(p.authorities)

    @classmethod
    def from_csv(cls, path: str | Path) -> ProviderRegistry:
        """Read config/providers.csv (name, aliases, model, authorities, from, to, ...)."""
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return cls(
            Provider(
                name=row["name"].strip(),
                aliases=_split(row.get("aliases")),
                model=row["model"].strip(),
                authorities=_split(row.get("authorities")),
                start=(row.get("from") or "").strip() or None,
                end=(row.get("to") or "").strip() or None,
            )
            for row in rows
        )

    def find_all(self, text: str) -> list[ProviderMention]:
        """Provider names in `text` (trusts, companies, CICs), left to right."""
        if self._pattern is None:
            return []
        found = []
        for m in self._pattern.finditer(text):
            key = _SPACES.sub(" ", _fold(m.group())).casefold()
            provider = self._by_form.get(key)
            if provider is not None:
                found.append(ProviderMention(m.start(), m.end(), m.group(), provider))
        return found

    def partners_of(self, slug: str) -> set[str]:
        """Councils that `slug` has run or directed as a partner council."""
        return self.partners.get(slug, set())


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


# ---------------------------------------------------------------------------------------------
# Text preparation

# One character for one, so offsets into the folded text are offsets into the original.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    return text.translate(_FOLD)


# Where the article ends: reader comments, related links, site furniture.
_END_MARKERS = re.compile(
    r"^[ \t]*(?:\d+\s+Responses?\s+to\b|Related articles\b|More from Community Care\b"
    r"|Comments are closed|Story courtesy of\b|Leave a Reply\b|Related content\b)",
    re.MULTILINE | re.IGNORECASE,
)
# Trusts that do not run children's social care.
_OTHER_TRUSTS = re.compile(
    r"(?:\b[A-Z][\w'&]*(?:\s+(?:and|of|&)\s+|\s+)){0,6}NHS(?:\s+Foundation)?\s+Trusts?\b"
    r"|(?:\b[A-Z][\w'&]*\s+){0,4}(?:[Mm]ulti-)?[Aa]cademy\s+[Tt]rusts?\b"
    r"|\b(?:multi-)?academy\s+trusts?\b"
    r"|\b(?:the\s+)?Learning\s+Trust\b"
    r"|\b(?:housing|charitable|wildlife|heritage|hospital|ambulance|health|mental health"
    r"|foundation|teaching|schools?|education|community health)\s+trusts?\b"
    r"|\bTrust(?:s)?\s+(?:fund|deed)s?\b",
    re.IGNORECASE,
)
_THE_TRUST = re.compile(r"\b(?:the|this|that)\s+trust\b", re.I)
_CSC_TRUST = re.compile(r"\b(?:children's(?:\s+services)?|independent|voluntary)\s+trusts?\b", re.I)
_COMMON_NAME = re.compile(
    r"(?:^|(?<=[.!?\n]\s)|(?<=\n))[\"']?(Reading|Slough|Bury|Harrow)\s+"
    r"(?=is\b|was\b|has\b|had\b|will\b|were\b|are\b|said\b|must\b|could\b|would\b)",
    re.M,
)
_BACK_REFERENCE = re.compile(
    r"\b(?:this|that|the\s+same)\s+(?:has\s+been|was|is|had\s+been)\s+(?:true|the\s+case)\b"
    r"|\bas\s+happened\s+in\b",
    re.I,
)
_BACK_SUBJECT = re.compile(
    r"\W*[A-Z][\w -]{0,40}?(?:\s+(?:[Cc]ity|[Cc]ounty|[Bb]orough))?(?:\s+[Cc]ouncil)?'s\s+"
    r"(?:decision|move|plans?)\b"
)
_LEADING_SUBORDINATE = re.compile(r"\W*(?:While|Whilst|Although|Whereas)\b[^,;]{5,200},")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r";|\s-\s|,\s+(?=(?:while|whereas|but|although)\b)|\s\(|\)")


def _cut(text: str) -> str:
    """The article without comments and related-article blocks."""
    m = _END_MARKERS.search(text)
    return text[: m.start()] if m else text


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each span overwritten by underscores (same length, so offsets hold)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "_" * (end - start)
    return "".join(chars)


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS.pop("may", None)
_MONTHS["may"] = 5
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(sorted((m for m in _MONTHS if len(m) > 3 or m == "may"), key=len)[::-1])
_DATE = re.compile(
    r"\b(?:(?P<day>\d{1,2})\s+)?(?P<month>" + _MONTH_RE + r")\b(?:\s+(?P<year>(?:19|20)\d{2})"
    r"|\s+(?P<rel_year>next year|last year|this year|that year))?"
    r"|\b(?P<qual>next|last|this)\s+(?P<qmonth>" + _MONTH_RE + r")\b"
    r"|\b(?P<only_year>(?:19|20)\d{2})\b"
    r"|\b(?P<rel>next year|last year|this year|last month|next month|this month"
    r"|a year later|a year earlier|the following year|the year before)\b"
    r"|\bon\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:will|from|is to|are to|expected to|begins|starts|shall|due to|next|until)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _DateExpr:
    start: int
    end: int
    match: re.Match[str]


def resolve_date(
    phrase: str, published: date | None, *, future: bool = False, anchor: str | None = None
) -> str | None:
    """'next year', 'from April', 'last month', 'a year later' -> 'YYYY[-MM[-DD]]'.

    `published` anchors relative phrases; `anchor` (an earlier date in the same sentence)
    anchors 'a year later'; `future` says whether a bare month lies ahead of publication
    ('from April', 'will ... in June') or behind it ('ended in March').
    """
    m = _DATE.search(phrase)
    return _resolve(m, published, future=future, anchor=anchor) if m else None


def _resolve(
    m: re.Match[str], published: date | None, *, future: bool, anchor: str | None
) -> str | None:
    g = m.groupdict()
    if g["only_year"]:
        return g["only_year"]
    if g["rel"]:
        return _relative(g["rel"].lower(), published, anchor)
    if g["weekday"]:
        if published is None:
            return None
        back = (published.weekday() - _WEEKDAYS[g["weekday"].lower()]) % 7
        day = published + timedelta(days=(7 - back) % 7 if future else -(back or 7))
        return day.isoformat()
    if g["qmonth"]:
        month = _MONTHS[g["qmonth"].lower()]
        if published is None:
            return None
        qual = g["qual"].lower()
        year = published.year
        if qual == "next" and month <= published.month:
            year += 1
        elif qual == "last" and month >= published.month:
            year -= 1
        return f"{year:04d}-{month:02d}"
    month = _MONTHS[g["month"].lower()]
    day = int(g["day"]) if g["day"] else None
    year = _month_year(g, month, day, published, future=future, anchor=anchor)
    if year is None:
        return None
    text = f"{year:04d}-{month:02d}"
    return f"{text}-{day:02d}" if day and 1 <= day <= 31 else text


def _month_year(
    g: dict[str, str | None],
    month: int,
    day: int | None,
    published: date | None,
    *,
    future: bool,
    anchor: str | None,
) -> int | None:
    if g["year"]:
        return int(g["year"])
    rel = (g["rel_year"] or "").lower()
    if rel == "that year":
        return int(anchor[:4]) if anchor else (published.year if published else None)
    if published is None:
        return None
    if rel in ("next year", "last year", "this year"):
        return published.year + {"next year": 1, "last year": -1, "this year": 0}[rel]
    here, there = (published.month, published.day), (month, day or 1)
    if future and there < here and month != published.month:
        return published.year + 1
    if not future and there > here and month != published.month:
        return published.year - 1
    return published.year


def _relative(rel: str, published: date | None, anchor: str | None) -> str | None:
    if rel in ("a year later", "the following year", "a year earlier", "the year before"):
        if not anchor:
            return None
        step = 1 if rel in ("a year later", "the following year") else -1
        return f"{int(anchor[:4]) + step:04d}{anchor[4:7]}"
    if published is None:
        return None
    if rel.endswith("year"):
        return str(published.year + {"next": 1, "last": -1, "this": 0}[rel.split()[0]])
    step = {"next": 1, "last": -1, "this": 0}[rel.split()[0]]
    month = published.month + step
    year = published.year + (month - 1) // 12
    return f"{year:04d}-{(month - 1) % 12 + 1:02d}"


# ---------------------------------------------------------------------------------------------
# Cues

_Q = r"['\"]?"
_GRADE = (
    r"(?P<g>outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?"
    r"|inadequate|adequate)"
)
_GRADE2 = _GRADE.replace("?P<g>", "?P<g2>")
_RATING_PATTERNS = (
    # "jump from 'inadequate' to 'good'"
    re.compile(r"\bfrom\s+" + _Q + _GRADE2 + _Q + r"\s+to\s+" + _Q + _GRADE + _Q, re.I),
    # "rated inadequate", "judged to be good", "rated as requires improvement"
    re.compile(
        r"\b(?:rated|judged|graded|deemed|assessed|found)(?:\s+(?:as|to\s+be|to\s+have\s+been))?"
        r"(?:\s+by\s+Ofsted)?(?:\s+as)?\s+" + _Q + _GRADE,
        re.I,
    ),
    # "Ofsted rated its children's services inadequate", "rated Slough requires improvement"
    re.compile(
        r"\b(?:rated|judged|graded)\s+(?!as\b|to\b|by\b)(?:[\w'_-]+\s+){1,6}?(?:to\s+be\s+|as\s+)?"
        + _Q
        + _GRADE,
        re.I,
    ),
    # "judged to require improvement"
    re.compile(
        r"\b(?:judged|found|deemed|rated|assessed)\s+(?:to|as)\s+(?P<g>requir(?:e|es|ing))"
        r"\s+improvement",
        re.I,
    ),
    # "was already 'good'", "remained outstanding"
    re.compile(
        r"\b(?:was|were|is|are|been|remained|remains|remain|stayed)"
        r"(?:\s+(?:already|still|again|now|also|previously))?\s+['\"]" + _GRADE + r"['\"]",
        re.I,
    ),
    re.compile(r"\b(?:remained|remains|stayed|retained)\s+" + _GRADE + r"\b", re.I),
    # "an inadequate Ofsted rating", "a second inadequate rating in 2019"
    re.compile(
        _Q + _GRADE + _Q + r"\s+(?:Ofsted\s+)?(?:rating|judgement|judgment|grade|verdict)\b(?!s)",
        re.I,
    ),
)
_UP_FROM = re.compile(r"\b(?:up|improved|improving|rising)\s+from\s+" + _Q + _GRADE, re.I)
_AND_GRADE = re.compile(
    r"(?:\s+by\s+Ofsted)?(?:\s+(?:in|since)\s+(?:\w+\s+)?\d{4})?,?\s+(?:and|but|then)\s+"
    r"(?:was\s+|were\s+)?(?:rated\s+|judged\s+)?" + _Q + _GRADE,
    re.I,
)
_NOT_A_RATING = re.compile(
    r"\b(?:schools?|academy|academies|pupils?|colleges?|nurser(?:y|ies)|children's\s+homes?"
    r"|care\s+homes?|hospitals?|CQC|Care\s+Quality\s+Commission|adult|focused\s+visit"
    r"|monitoring\s+(?:visit|letter|report)s?)\b",
    re.I,
)
_ASPIRATION = re.compile(
    r"\b(?:obtain|achieve|achieving|get|getting|secure|securing|hitting|aim(?:ing)?\s+for"
    r"|target|goal|if|whether|could|would|might|unless|to\s+become)\b[^.]{0,40}$",
    re.I,
)

_INTERVENTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "direction",
        re.compile(
            r"\bstatutory\s+directions?\b"
            r"|\b(?:issued|issue|issues|issuing|served|given|handed|received|under)"
            r"(?:\s+\w+){0,2}\s+(?:a\s+|the\s+)?directions?\b"
            r"|\b(?:DfE|Department\s+for\s+Education|government|secretary|ministers?)"
            r"(?:\s+\w+){0,2}\s+directed\b"
            r"|\bdirected\s+by\s+(?:the\s+)?(?:DfE|Department|government|education\s+secretary)",
            re.I,
        ),
    ),
    (
        "commissioner",
        re.compile(
            r"\b(?:DfE|government|children's\s+services|Department\s+for\s+Education"
            r"|DfE-appointed|government-appointed|education)[\s-]+commissioners?\b"
            r"|\bcommissioners?\s+(?:\w+\s+){0,3}?(?:appointed|sent\s+in|installed)\b"
            r"|\b(?:appointed|appoint|appointing|sent\s+in|send\s+in)\s+(?:a\s+|an\s+)?"
            r"(?:\w+\s+)?commissioners?\b",
            re.I,
        ),
    ),
    ("improvement_notice", re.compile(r"\bimprovement\s+notices?\b", re.I)),
    (
        "adviser",
        re.compile(
            r"\bimprovement\s+advis[eo]rs?\b|\b(?:DfE|government)[\s-]+appointed\s+advis[eo]r",
            re.I,
        ),
    ),
)
_NOT_DFE_COMMISSIONER = re.compile(
    r"Children's\s+Commissioner|Commissioner\s+for\s+Children|Information\s+Commissioner"
    r"|Police\s+and\s+Crime\s+Commissioner|Care\s+Commissioner|commissioning"
)

_IN_HOUSE = re.compile(
    r"\bback\s+in-?house\b|\breturn(?:ed|ing|s)?\s+in-?house\b|\bbrought\s+back\b"
    r"|\bbring\s+(?:[\w'_]+\s+){0,5}?back\b"
    r"|\bback\s+(?:under|to)\s+(?:direct\s+)?(?:the\s+)?council(?:'s)?(?:\s+control)?"
    r"|\breturn(?:ed|ing|s)?\s+(?:to\s+)?(?:the\s+)?council(?:'s)?\s+control\b"
    r"|\bdecommission(?:ed|ing|s)?\b"
    r"|\breturn(?:ed|ing|s)?\s+to\s+(?:[A-Z][\w'-]*\s+){1,4}(?:City\s+|County\s+|Borough\s+)?"
    r"Council\b",
    re.I,
)
_CIC = re.compile(r"\bcommunity\s+interest\s+compan(?:y|ies)\b|\bCICs?\b", re.I)
_COMPANY = re.compile(r"\bcompan(?:y|ies)\b", re.I)
_TRUST = re.compile(
    r"\b(?:independent|voluntary|children's(?:\s+services)?|a|an|the|into|to|its|new|own)"
    r"\s+trusts?\b|\btrusts?\s+model\b|\btrusts\b"
    r"|\bindependent\s+(?:organisation|body|provider|organization)\b",
    re.I,
)
_PARTNERSHIP = re.compile(
    r"\bpartnership\b(?!\s+working)|\balliance\b|\bimprovement\s+partner\b", re.I
)
_INHERIT = re.compile(
    r"\bsame\s+fate\b|\bfollow(?:ed|s|ing)?\s+suit\b|\bsimilar\s+(?:strategy|arrangement|move"
    r"|model|route|plan)\b|\bthe\s+same\s+(?:route|path|model|way)\b",
    re.I,
)
_STAGE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "ended",
        re.compile(
            r"\bended\b|\bcame\s+to\s+an\s+end\b|\bwound\s+up\b|\bdissolved\b|\bhanded\s+back\b",
            re.I,
        ),
    ),
    (
        "decided",
        re.compile(
            r"\bcemented\s+plans\b|\bvoted\b|\bagreed\b|\bapproved\b|\bdecided\b"
            r"|\b(?:is|are|was|were)\s+to\s+be\b|\bordered?\b|\bordering\b"
            r"|\bwill\s+(?:\w+\s+){0,2}?(?:move|transfer|be\s+transferred|be\s+run|run|take"
            r"|begin|start|deliver|become|lead|provide|return|operate|launch|join|serve)\b"
            r"|\bdirected\b|\bdirections?\b|\bdecision\s+to\b|\bsame\s+fate\b"
            r"|\bfollow(?:ed|s|ing)?\s+suit\b|\bexpected\s+to\s+(?:begin|start|follow|move"
            r"|transfer|go)\b|\btaking\s+on\b|\bbegins\b|\bto\s+take\s+over\b|\bforced\b"
            r"|\bstripped\b|\benforcement\b|\bimposed?\b|\bannounced\b|\bto\s+bring\b|\bforce\b|\bcoerced?\b",
            re.I,
        ),
    ),
    (
        "operational",
        re.compile(
            r"\btook\s+over\b|\btaking\s+over\b|\bbegan\b|\bstarted\s+(?:operating|running)\b"
            r"|\blaunched\b|\bgoes\s+live\b|\bwent\s+live\b|\bbecame\b|\bbecoming\b"
            r"|\bnow\s+runs?\b|\b(?:has|have|had)\s+(?:been\s+)?run(?:ning)?\b"
            r"|\bjoined\s+forces\b|\bmoved\b|\balready\s+operating\b|\bplaced\s+in\b"
            r"|\bwas\s+set\s+up\b|\bsupported\s+by\b|\bsince\s+(?:19|20)\d{2}\b"
            r"|\bis\s+operating\b|\bhas\s+done\s+it\b|\bestablished\b",
            re.I,
        ),
    ),
    (
        "proposed",
        re.compile(
            r"\bconsider(?:ing|s|ed)?\b|\bconsult(?:ing|ation|ations|s|ed)?\b|\blooking\s+"
            r"(?:at|to|into)\b|\bmooted\b|\bplans?\b|\bexplor(?:e|es|ing)\b|\bproposals?\b"
            r"|\bproposed\b|\brecommend(?:ed|s|ing)?\b|\boptions?\b|\bset\s*up\b|\bmulling\b",
            re.I,
        ),
    ),
)
_HEDGE = re.compile(
    r"\b(?:rumou?red|understood\s+to\s+be|reportedly|could|may|might|critics\s+fear|fears?"
    r"|feared|speculation|possibility|possible|potential(?:ly)?|if|whether|should|would"
    r"|leaked|according\s+to|urged|pause|calls?\s+for)\b",
    re.I,
)
_SOFT_HEDGE = re.compile(r"\bsubject\s+to\b|\bexpected\b|\bplans?\b", re.I)
_NEGATION = re.compile(
    r"\bno\s+plans?\b|\bnot\s+(?:to\s+)?(?:move|set\s+up|transfer|be|go|proceed)\b"
    r"|\bwill\s+not\b|\bwon't\b|\brejected\b|\bruled?\s+out\b|\bruling\s+out\b"
    r"|\bending\s+speculation\b|\bno\s+decision\b|\brefused\b|\bscrapped\b|\babandoned\b"
    r"|\bkeep\b|\bkept\b|\bkeeping\b|\bstay\s+with\b|\bremain\s+with\b|\binstead\s+of\b",
    re.I,
)
_ADULTS = re.compile(r"\badults?\b|\bolder\s+people\b", re.I)
_CHILDREN = re.compile(r"\bchild(?:ren)?(?:'s)?\b|\byoung\s+people\b", re.I)
_NOT_CSC_SERVICE = re.compile(r"\bschools?\b|\beducation\s+services\b|\bpupils\b", re.I)

# References back to the council in focus.
_ANAPHOR = re.compile(
    r"\b(?:the|its|their)\s+(?:county\s+council|city\s+council|borough\s+council"
    r"|local\s+authority|council|authority|borough|county|city|island|trust|company)\b(?!s)"
    r"|^\W*(?:It|It's|Its)\b|\bit\s+(?:became|was|is|has|had|will|now)\b",
    re.IGNORECASE,
)
_PLURAL_ANAPHOR = re.compile(
    r"\b(?:both|the\s+two)\s+(?:councils|authorities|boroughs|areas|trusts)\b", re.I
)
_GENERIC_SUBJECT = re.compile(
    r"^\W*(?:Others?|Some|Many|Most|Councils|Authorities|Local\s+authorities|Areas|They|Few"
    r"|No\s+council|Every|Each|All|When|If|Whether|What|Trusts|Companies)\b",
    re.I,
)
_GENERIC_BETWEEN = re.compile(
    r"\b(?:councils|authorities|areas|others|services\s+that|organisations)\b", re.I
)
# A council named as someone's past or present workplace, or as part of another name.
_ROLE_BEFORE = re.compile(
    r"(?:\bformer\b|\bformerly\b|\bpreviously\b|\bex-|\bused\s+to\b|\bwhen\s+I\s+was\b"
    r"|\bworked\s+(?:at|in|for)\b|\bchief\s+executive\s+of\b|\bprofessor\b|\blecturer\b)"
    r"[^.;:!?]{0,60}$",
    re.I,
)
_ROLE_AFTER = re.compile(r"(?:'s)?\s+(?:University|College|Hospital|FC|United|City\s+FC)\b")
_COMPARISON = re.compile(r"\s*mould\b|'?s?\s+(?:model|example|mould)\b", re.I)
_COMPARISON_BEFORE = re.compile(r"\b(?:like|such\s+as|similar\s+to|modelled\s+on)\s+$", re.I)
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s+)$")
_PARTNER_PATTERNS = (
    # "asked Hampshire County Council to take over", "asking Hampshire council to take over"
    re.compile(
        r"\bask(?:ed|ing|s)?\s+@(?P<p>\d+)@(?:\s+(?:County|City|Borough)?\s*[Cc]ouncil)?\s+to\s+"
        r"(?:take\s+over|run|lead|help\s+run)",
        re.I,
    ),
    # "Leeds City Council will take over the running of Kirklees' children's services"
    re.compile(
        r"@(?P<p>\d+)@[^@.;]{0,40}?\b(?:take|took|taking|run|runs|running|lead|leads|oversee"
        r"|oversees|overseen|overseeing)\b(?:\s+over)?(?:\s+the\s+running\s+of|\s+all\s+of)?"
        r"\s+@(?P<s>\d+)@",
        re.I,
    ),
    re.compile(r"\bpartnership\s+with\s+@(?P<p>\d+)@", re.I),
    re.compile(r"\b(?:by|from)\s+@(?P<p>\d+)@\s+as\s+(?:its|their)\s+(?:\w+\s+)?partner", re.I),
    re.compile(
        r"@(?P<p>\d+)@'s\s+director\b[^@.;]{0,60}?\b(?:lead|oversee|overseen|run|manage)", re.I
    ),
)
# Only where a partnership is spoken of: 'Essex will lead ... in Peterborough under a partnership'.
_PARTNER_IN_PARTNERSHIP = re.compile(
    r"@(?P<p>\d+)@[^@.;]{0,40}?\b(?:lead|leads|leading|support|supports|supporting|help|helps"
    r"|helping|provide|provides|providing|work\s+with)\b[^@.;]{0,60}?(?:\b(?:in|at|for|to)\s+)?"
    r"@(?P<s>\d+)@",
    re.I,
)
_CSC_STRONG = re.compile(
    r"\bchildren's\s+(?:social\s+care|services|social\s+work|trust|safeguarding)\b"
    r"|\bchild\s+protection\b|\blooked[\s-]+after\s+children\b|\bchildren\s+in\s+care\b"
    r"|\bcare\s+leavers\b|\bsafeguarding\s+children\b|\bfamily\s+support\b|\bchildren's\s+homes?\b",
    re.I,
)
_CSC_WEAK = re.compile(
    r"\btrusts?\b|\bOfsted\b|\brated\s+(?:inadequate|outstanding|good)\b|\bsocial\s+work(?:ers?)?\b"
    r"|\bimprovement\s+(?:notice|partner|adviser)\b|\bcommissioner\b|\bsafeguarding\b",
    re.I,
)
_ADULT_TOPIC = re.compile(
    r"\badult\s+social\s+care\b|\badult\s+services\b|\bolder\s+people\b|\bCare\s+Quality\s+"
    r"Commission\b|\bCQC\b|\bhome\s+care\b|\bcare\s+homes\b",
    re.I,
)
_SCHOOL_TOPIC = re.compile(
    r"\bschools?\b|\bacademy\b|\bacademies\b|\bpupils?\b|\bheadteachers?\b|\bteachers?\b"
    r"|\bspecial\s+measures\b|\bGCSE|\bexam",
    re.I,
)
_ELSEWHERE = re.compile(r"\bWales\b|\bWelsh\b|\bScotland\b|\bScottish\b|\bNorthern\s+Ireland\b")


# ---------------------------------------------------------------------------------------------
# The extractor's working records


@dataclass
class _Subject:
    """Who a stretch of text is about: a council, a provider (its councils) or a reference."""

    start: int
    end: int
    slugs: tuple[str, ...]
    source: str  # 'authority' | 'provider' | 'anaphor'
    provider: Provider | None = None
    text_slug: str = ""  # the surface name, lower-cased, for common-word names


@dataclass
class _Focus:
    slugs: tuple[str, ...] = ()
    provider: Provider | None = None
    sentence: int = -10


@dataclass(frozen=True)
class _Pending:
    """A model change stated without a council ('England's largest local authority cemented
    plans ...'), waiting for the next sentence to name it ('Birmingham council's decision')."""

    model: str
    stage: str
    provider: str | None
    date: str | None
    confidence: float
    sentence: int


@dataclass
class _Doc:
    text: str  # folded, comments cut
    masked: str  # other trusts and provider names masked
    published: date | None
    subjects: list[_Subject]
    partners: set[str] = field(default_factory=set)
    events: list[ExtractedEvent] = field(default_factory=list)
    focus: _Focus = field(default_factory=_Focus)
    recent: list[tuple[str, ...]] = field(default_factory=list)
    last_models: list[ExtractedEvent] = field(default_factory=list)
    pending: _Pending | None = None


# ---------------------------------------------------------------------------------------------


class EventExtractor:
    """Relevance and events of one article; stateless between calls, so safe to share."""

    def __init__(self, gazetteer: GazetteerLike, providers: ProviderRegistry) -> None:
        self.gazetteer = gazetteer
        self.providers = providers

    # -- relevance ------------------------------------------------------------------------------

    def relevance(self, title: str, text: str) -> Relevance:
        """Is this article about English councils' children's services? With the reason why."""
        body = _fold(f"{title}\n{_cut(text)}")
        masked = _mask(body, (m.span() for m in _OTHER_TRUSTS.finditer(body)))
        masked = _ADULT_TOPIC.sub(lambda m: "_" * len(m.group()), masked)
        strong = len(_CSC_STRONG.findall(masked))
        weak = len(_CSC_WEAK.findall(masked))
        adult = len(_ADULT_TOPIC.findall(body))
        school = len(_SCHOOL_TOPIC.findall(body))
        english = bool(self.gazetteer.find_all(body)) or bool(self.providers.find_all(body))
        if not english and _ELSEWHERE.search(body):
            return Relevance(False, "about Wales, Scotland or Northern Ireland: no English council")
        if strong == 0 and adult:
            return Relevance(False, "adult social care, not children's services")
        if strong == 0 and school:
            return Relevance(False, "schools only, not children's social care")
        if adult > 2 * strong + 1:
            return Relevance(False, "mostly adult social care")
        if strong + weak == 0:
            return Relevance(False, "no mention of children's social care")
        where = "English councils'" if english else "national"
        return Relevance(
            True, f"{where} children's services ({strong} strong and {weak} weak signals)"
        )

    # -- extraction -----------------------------------------------------------------------------

    def extract(
        self, text: str, *, published: date | None = None, title: str | None = None
    ) -> list[ExtractedEvent]:
        """Every event the article states, one per (council, kind, value, stage), merged."""
        text = _fold(text)
        head = _fold(title or "").strip()
        if head and text.lstrip().startswith(head):
            text = text.lstrip()[len(head) :]
        # The headline goes first, on its own line, so one gazetteer pass serves both; its
        # councils seed the focus but it states no events (headlines abbreviate and hedge).
        offset = len(head) + 1 if head else 0
        text = (head + "\n" if head else "") + _cut(text)
        doc = self._prepare(text, published)
        if head:
            self._seed_focus(doc, offset)
        sentence_no = 0
        for para_start, para in _paragraphs(text[offset:]):
            para_start += offset
            for s_start, s_end in _sentences(para):
                self._sentence(doc, para_start + s_start, para_start + s_end, sentence_no)
                sentence_no += 1
        return _merge(doc.events)

    def _prepare(self, text: str, published: date | None) -> _Doc:
        """Mentions of councils and providers, filtered, plus the document's partner councils."""
        other = [m.span() for m in _OTHER_TRUSTS.finditer(text)]
        other += _other_trust_references(text, other)
        providers = [
            p
            for p in self.providers.find_all(text)
            if not _inside(p.start, p.end, other) and not _comparison(text, p.start, p.end)
        ]
        masked = _mask(text, other + [(p.start, p.end) for p in providers])
        subjects = [
            _Subject(p.start, p.end, p.provider.authorities, "provider", p.provider)
            for p in providers
        ]
        spans = other + [(p.start, p.end) for p in providers]
        for m in self.gazetteer.find_all(text, on=published):
            if len(m.candidates) != 1 or _inside(m.start, m.end, spans):
                continue
            if _ROLE_BEFORE.search(text, max(0, m.start - 80), m.start) or _ROLE_AFTER.match(
                text, m.end
            ):
                continue
            subjects.append(
                _Subject(m.start, m.end, tuple(m.candidates), "authority", None, m.text.lower())
            )
        subjects += _common_word_names(text, subjects)
        subjects.sort(key=lambda s: s.start)
        doc = _Doc(text, masked, published, subjects)
        doc.partners = self._partners(doc)
        return doc

    def _partners(self, doc: _Doc) -> set[str]:
        """Councils acting as partners: by pattern anywhere, or by the registry when the council
        they help is named in the same article."""
        named = {s.slugs[0] for s in doc.subjects if s.source == "authority"}
        partners = {p for p in named if self.providers.partners_of(p) & named}
        shape, index = _shape(doc.masked, 0, len(doc.masked), doc.subjects)
        for pattern in _PARTNER_PATTERNS:
            for m in pattern.finditer(shape):
                partners.add(index[int(m.group("p"))].slugs[0])
        for line in shape.split("\n"):
            if _PARTNERSHIP.search(line):
                for m in _PARTNER_IN_PARTNERSHIP.finditer(line):
                    partners.add(index[int(m.group("p"))].slugs[0])
        return partners

    def _seed_focus(self, doc: _Doc, end: int) -> None:
        """The headline's council is the first focus: 'the council' in the first lines."""
        head = [s for s in doc.subjects if s.start < end]
        slugs = [
            s.slugs[0] for s in head if s.source == "authority" and s.slugs[0] not in doc.partners
        ]
        provs = [s for s in head if s.provider is not None]
        if slugs:
            doc.focus = _Focus(tuple(dict.fromkeys(slugs)), None, -1)
        elif provs:
            doc.focus = _Focus(provs[0].slugs, provs[0].provider, -1)

    # -- one sentence ---------------------------------------------------------------------------

    def _sentence(self, doc: _Doc, start: int, end: int, number: int) -> None:
        evidence = _SPACES.sub(" ", doc.text[start:end]).strip()
        explicit = [s for s in doc.subjects if start <= s.start < end and s.source != "anaphor"]
        anaphors = self._anaphors(doc, start, end, explicit, number)
        subjects = sorted(explicit + anaphors, key=lambda s: s.start)
        models_before = len(doc.events)
        self._back_reference(doc, start, end, explicit, evidence, number)
        for c_start, c_end in _clauses(doc.masked, start, end):
            in_clause = [s for s in subjects if c_start <= s.start < c_end]
            self._clause(doc, c_start, c_end, in_clause, evidence, number, bool(subjects))
        new_models = [e for e in doc.events[models_before:] if e.kind == "delivery_model"]
        if new_models:
            doc.last_models = new_models
        named = [
            s for s in explicit if not (s.source == "authority" and s.slugs[0] in doc.partners)
        ]
        if named:
            slugs = tuple(dict.fromkeys(x for s in named for x in s.slugs))
            provider = next((s.provider for s in reversed(named) if s.provider), None)
            if any(s.source == "authority" for s in named):
                slugs = tuple(dict.fromkeys(s.slugs[0] for s in named if s.source == "authority"))
            doc.focus = _Focus(slugs, provider, number)
            doc.recent.append(slugs)
        elif anaphors:
            doc.focus.sentence = number

    def _back_reference(
        self, doc: _Doc, start: int, end: int, explicit: list[_Subject], evidence: str, number: int
    ) -> None:
        """'So far this has been true of Doncaster, Slough ...': the councils named here take
        the change the previous sentence stated without naming anyone."""
        pending = doc.pending
        if pending is None or number - pending.sentence != 1:
            return
        if not (
            _BACK_REFERENCE.search(doc.masked, start, end)
            or _BACK_SUBJECT.match(doc.masked, start, end)
        ):
            return
        for s in explicit:
            if s.source != "authority" or s.slugs[0] in doc.partners:
                continue
            doc.events.append(
                ExtractedEvent(
                    authority=s.slugs[0],
                    kind="delivery_model",
                    model=pending.model,
                    stage=pending.stage,
                    provider=pending.provider,
                    date=pending.date,
                    evidence=evidence,
                    confidence=round(pending.confidence * 0.8, 2),
                )
            )

    def _anaphors(
        self, doc: _Doc, start: int, end: int, explicit: list[_Subject], number: int
    ) -> list[_Subject]:
        """'The council', 'the island', 'it', 'both councils' resolved to councils in view."""
        found = []
        sentence = doc.masked[start:end]
        for m in _PLURAL_ANAPHOR.finditer(sentence):
            slugs = tuple(dict.fromkeys(x for r in doc.recent[-2:] for x in r))
            if len(slugs) >= 2:
                found.append(_Subject(start + m.start(), start + m.end(), slugs, "anaphor"))
        for m in _ANAPHOR.finditer(sentence):
            pos = start + m.start()
            target = self._antecedent(doc, pos, start, explicit, m.group().lower(), number)
            if target is not None:
                slugs, provider = target
                named = {x for s in explicit if s.source == "authority" for x in s.slugs}
                if provider is not None and set(slugs) & named:
                    slugs = tuple(x for x in slugs if x in named)
                found.append(_Subject(pos, start + m.end(), slugs, "anaphor", provider))
        return found

    def _antecedent(
        self, doc: _Doc, pos: int, start: int, explicit: list[_Subject], word: str, number: int
    ) -> tuple[tuple[str, ...], Provider | None] | None:
        before = [s for s in explicit if s.start < pos]
        others = [s for s in before if not (s.source == "authority" and s.slugs[0] in doc.partners)]
        pronoun = not word.startswith("the")
        before = others or (before if pronoun or not doc.focus.slugs else [])
        if before:
            last = before[-1]
            if "trust" in word or "company" in word:
                last = next((s for s in reversed(before) if s.provider), last)
            return last.slugs, last.provider
        if number - doc.focus.sentence > 3 or not doc.focus.slugs:
            return None
        slugs = doc.focus.slugs
        if "island" in word:
            slugs = tuple(s for s in slugs if "isle" in s) or slugs
        return slugs, doc.focus.provider

    # -- one clause ---------------------------------------------------------------------------

    def _clause(
        self,
        doc: _Doc,
        start: int,
        end: int,
        subjects: list[_Subject],
        evidence: str,
        number: int,
        sentence_has_subjects: bool,
    ) -> None:
        clause = doc.masked[start:end]
        shape, index = _shape(doc.masked, start, end, subjects)
        local_partners = set()
        patterns = _PARTNER_PATTERNS
        if _PARTNERSHIP.search(clause):
            patterns += (_PARTNER_IN_PARTNERSHIP,)
        for pattern in patterns:
            for m in pattern.finditer(shape):
                local_partners.add(id(index[int(m.group("p"))]))
        roles = [
            s
            for s in subjects
            if id(s) not in local_partners
            and not (s.source == "authority" and s.slugs[0] in doc.partners and len(subjects) > 1)
        ]
        partner_names = [s for s in subjects if id(s) in local_partners] or [
            s for s in subjects if s.source == "authority" and s.slugs[0] in doc.partners
        ]
        fallback: tuple[str, ...] = ()
        confidence = 0.9
        if (
            not subjects
            and not sentence_has_subjects
            and not _GENERIC_SUBJECT.search(clause)
            and number - doc.focus.sentence <= 1
            and len(doc.focus.slugs) == 1
        ):
            fallback = doc.focus.slugs
            confidence = 0.6
        ctx = _Clause(doc, start, end, clause, roles, fallback, evidence, confidence, number)
        self._ratings(ctx)
        self._interventions(ctx)
        self._delivery(ctx, partner_names)

    def _ratings(self, ctx: _Clause) -> None:
        taken: list[tuple[int, int]] = []
        for pattern in _RATING_PATTERNS:
            for m in pattern.finditer(ctx.text):
                span = m.span("g")
                if any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                if _ASPIRATION.search(ctx.text, 0, m.start()):
                    continue
                if _NOT_A_RATING.search(ctx.text, max(0, m.start() - 60), m.end() + 30):
                    continue
                taken.append(span)
                grades = [(_grade(m.group("g")), _grade(m.groupdict().get("g2")), m.end())]
                more = _AND_GRADE.match(ctx.text, m.end())
                if more:
                    grades.append((_grade(more.group("g")), None, more.end()))
                for grade, previous, cue_end in grades:
                    up = _UP_FROM.search(ctx.text, cue_end)
                    if previous is None and up and up.start() - cue_end < 60:
                        previous = _grade(up.group("g"))
                    when = ctx.date_after(cue_end, future=False) or ctx.leading_date()
                    for slugs, conf in ctx.subjects_for(m.start(), m.end()):
                        for slug in slugs:
                            ctx.emit(
                                slug,
                                "rating",
                                conf,
                                grade=grade,
                                previous_grade=previous,
                                date=when,
                            )

    def _interventions(self, ctx: _Clause) -> None:
        for action, pattern in _INTERVENTIONS:
            for m in pattern.finditer(ctx.text):
                if action == "commissioner" and _NOT_DFE_COMMISSIONER.search(
                    ctx.text, max(0, m.start() - 12), m.end()
                ):
                    continue
                when = ctx.date_after(m.end(), future=False) or ctx.leading_date()
                hedged = bool(_HEDGE.search(ctx.text))
                for slugs, conf in ctx.subjects_for(m.start(), m.end()):
                    for slug in slugs:
                        ctx.emit(
                            slug,
                            "intervention",
                            conf * (0.6 if hedged else 1.0),
                            action=action,
                            date=when,
                        )
                break

    def _delivery(self, ctx: _Clause, partner_names: list[_Subject]) -> None:
        text = ctx.text
        if _ADULTS.search(text) and not _CHILDREN.search(text):
            return
        model, provider = self._model(ctx, partner_names)
        if model is None:
            return
        stage, cue_end = _stage(text, model)
        if stage is None:
            return
        if _NEGATION.search(text):
            return
        confidence = 1.0
        if _HEDGE.search(text):
            confidence = 0.5
            if stage in ("decided", "operational"):
                stage = "proposed"
        elif _SOFT_HEDGE.search(text):
            confidence = 0.8
        targets = ctx.model_subjects()
        if not targets:
            when = ctx.model_date(None, cue_end)
            ctx.doc.pending = _Pending(model, stage, provider, when, confidence, ctx.number)
        for slugs, conf, subject in targets:
            for slug in slugs:
                if slug in ctx.doc.partners:
                    continue
                when = ctx.model_date(subject, cue_end)
                ctx.emit(
                    slug,
                    "delivery_model",
                    conf * confidence,
                    model=model,
                    stage=stage,
                    provider=provider,
                    date=when,
                )

    def _model(self, ctx: _Clause, partner_names: list[_Subject]) -> tuple[str | None, str | None]:
        """Which delivery model a clause speaks of, and who provides it."""
        text = ctx.text
        providers = [s.provider for s in ctx.subjects if s.provider is not None]
        named = providers[-1].name if providers else None
        if _IN_HOUSE.search(text):
            vehicle = providers or _TRUST.search(text) or _COMPANY.search(text)
            vehicle = vehicle or _PARTNERSHIP.search(text) or re.search(r"children", text, re.I)
            if vehicle and not _NOT_CSC_SERVICE.search(text):
                return "in_house", named
            return None, None
        if partner_names or _PARTNERSHIP.search(text):
            if partner_names:
                partner = self._name(partner_names[0].slugs[0])
                return "partnership", partner
            if _PARTNERSHIP.search(text) and any(
                s.slugs and s.slugs[0] in ctx.doc.partners for s in ctx.subjects
            ):
                return "partnership", None
        if providers:
            return providers[-1].model, named
        if _CIC.search(text):
            return "cic", None
        if _COMPANY.search(text):
            return "company", None
        if _TRUST.search(text):
            return "trust", None
        if _INHERIT.search(text) and ctx.doc.last_models:
            last = ctx.doc.last_models[0]
            return last.model, None
        return None, None

    def _name(self, slug: str) -> str:
        try:
            return str(self.gazetteer.get(slug).name)
        except LookupError:
            return slug


@dataclass
class _Clause:
    """One clause under analysis, with what is needed to place and date its events."""

    doc: _Doc
    start: int
    end: int
    text: str
    subjects: list[_Subject]
    fallback: tuple[str, ...]
    evidence: str
    confidence: float
    number: int

    def emit(self, slug: str, kind: str, confidence: float, **values: Any) -> None:
        self.doc.events.append(
            ExtractedEvent(
                authority=slug,
                kind=kind,
                evidence=self.evidence,
                confidence=round(max(0.05, min(1.0, confidence)), 2),
                **values,
            )
        )

    def _councils(self) -> list[_Subject]:
        """Subjects that name councils: providers only count when no council is named."""
        named = [s for s in self.subjects if s.source != "provider"]
        return named or self.subjects

    def subjects_for(self, cue_start: int, cue_end: int) -> list[tuple[tuple[str, ...], float]]:
        """The subject group a cue at [cue_start, cue_end) (clause offsets) speaks about."""
        subjects = self._councils()
        partners = self.doc.partners
        helped = [s for s in subjects if set(s.slugs) - partners]
        local = [
            (s, s.start - self.start, s.end - self.start)
            for s in subjects
            if not helped or set(s.slugs) - partners
        ]
        inside = [s for s, a, _ in local if cue_start <= a < cue_end]
        if inside:
            return [(s.slugs, self._conf(s)) for s in inside[:1]]
        before = [(s, a, b) for s, a, b in local if b <= cue_start]
        if before:
            group = [before[-1]]
            for s, a, b in reversed(before[:-1]):
                if _LIST_GAP.match(self.text[b : group[-1][1]]):
                    group.append((s, a, b))
                else:
                    break
            if _GENERIC_BETWEEN.search(self.text, group[0][2], cue_start):
                return []
            return [(s.slugs, self._conf(s)) for s, _, _ in group]
        after = [(s, a, b) for s, a, b in local if a >= cue_end]
        if after:
            group = [after[0]]
            for s, a, b in after[1:]:
                if _LIST_GAP.match(self.text[group[-1][2] : a]):
                    group.append((s, a, b))
                else:
                    break
            return [(s.slugs, self._conf(s)) for s, _, _ in group]
        if self.fallback:
            return [(self.fallback, self.confidence * 0.8)]
        return []

    def model_subjects(self) -> list[tuple[tuple[str, ...], float, _Subject | None]]:
        subjects = self._councils()
        if subjects:
            return [(s.slugs, self._conf(s), s) for s in subjects]
        if self.fallback:
            return [(self.fallback, self.confidence * 0.8, None)]
        return []

    def _conf(self, subject: _Subject) -> float:
        return {"authority": 0.95, "provider": 0.85, "anaphor": 0.8}[subject.source]

    def dates(self) -> list[tuple[int, int, re.Match[str]]]:
        return [(m.start(), m.end(), m) for m in _DATE.finditer(self.text)]

    def _resolve(self, m: re.Match[str], future: bool, anchor: str | None = None) -> str | None:
        return _resolve(m, self.doc.published, future=future, anchor=anchor)

    def date_after(self, pos: int, *, future: bool) -> str | None:
        for a, _, m in self.dates():
            if a >= pos and not m.group("rel"):
                return self._resolve(m, future, self._anchor(a))
        return None

    def leading_date(self) -> str | None:
        m = re.match(r"\W*(?:In|On|By|From|Since)\s+", self.text)
        if m:
            d = _DATE.match(self.text, m.end())
            if d:
                return self._resolve(d, False)
        return None

    def _anchor(self, pos: int) -> str | None:
        """The last absolute date before `pos` in the clause (for 'a year later', 'that year')."""
        found = None
        for a, _, m in self.dates():
            if a >= pos:
                break
            if m.group("only_year") or m.group("year"):
                found = self._resolve(m, False)
        return found

    def model_date(self, subject: _Subject | None, cue_end: int) -> str | None:
        """The effective date for one council: 'followed by Slough a year later' shifts it."""
        dates = self.dates()
        future = bool(_FUTURE.search(self.text))
        if subject is not None:
            s_end = subject.end - self.start
            for a, _, m in dates:
                if 0 <= a - s_end <= 20 and m.group("rel") and "year" in m.group("rel").lower():
                    rel = m.group("rel").lower()
                    if rel.startswith(("a year", "the following", "the year")):
                        return self._resolve(m, future, self._anchor(a))
        candidates = [d for d in dates if not _after_word(self.text, d[0], "announced")]
        candidates = [
            d
            for d in candidates
            if not (d[2].group("rel") or "").lower().startswith(("a year", "the following"))
        ]
        if not candidates:
            return None
        a, _, m = next((d for d in candidates if d[0] >= cue_end), candidates[0])
        return self._resolve(m, future, self._anchor(a))


# ---------------------------------------------------------------------------------------------
# Helpers


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, line
        pos += len(line) + 1


def _sentences(paragraph: str) -> Iterable[tuple[int, int]]:
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        yield start, m.start()
        start = m.end()
    if paragraph[start:].strip():
        yield start, len(paragraph)


def _clauses(masked: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    pos = start
    lead = _LEADING_SUBORDINATE.match(masked, start, end)
    if lead:  # 'While consultations continue in Birmingham, for Doncaster ...'
        yield start, lead.end() - 1
        pos = lead.end()
    for m in _CLAUSE_BREAK.finditer(masked, start, end):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if end > pos:
        yield pos, end


def _shape(
    masked: str, start: int, end: int, subjects: list[_Subject]
) -> tuple[str, list[_Subject]]:
    """The stretch with each council replaced by '@k@' (k indexes the returned list)."""
    parts, index, pos = [], [], start
    for s in subjects:
        if s.start < pos or s.start >= end or s.source != "authority":
            continue
        parts.append(masked[pos : s.start])
        parts.append(f"@{len(index)}@")
        index.append(s)
        pos = s.end
    parts.append(masked[pos:end])
    return "".join(parts), index


def _common_word_names(text: str, subjects: list[_Subject]) -> list[_Subject]:
    """'Reading is expected to ...' at a sentence start: the gazetteer skips names that are
    also English words there; an article that names the council elsewhere means it here too."""
    known = {s.text_slug: s.slugs for s in subjects if s.source == "authority" and s.text_slug}
    taken = {s.start for s in subjects}
    found = []
    for m in _COMMON_NAME.finditer(text):
        slugs = known.get(m.group(1).lower())
        if slugs and m.start(1) not in taken:
            found.append(_Subject(m.start(1), m.end(1), slugs, "authority"))
    return found


def _other_trust_references(text: str, other: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """'The trust' after an academy, NHS or Learning Trust means that trust, until a trust of
    children's services is named."""
    if not other:
        return []
    first = min(a for a, _ in other)
    found = []
    for m in _THE_TRUST.finditer(text, first):
        if not _CSC_TRUST.search(text, first, m.start()):
            found.append(m.span())
    return found


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def _comparison(text: str, start: int, end: int) -> bool:
    """'a company in the Achieving for Children mould' compares; it does not name a party."""
    return bool(
        _COMPARISON.match(text, end) or _COMPARISON_BEFORE.search(text, max(0, start - 20), start)
    )


def _after_word(text: str, pos: int, word: str) -> bool:
    return text[max(0, pos - len(word) - 2) : pos].strip().lower().endswith(word)


def _grade(value: str | None) -> str | None:
    if not value:
        return None
    v = value.lower()
    if v.startswith("requir"):
        return "requires_improvement"
    return v if v in GRADES else None


def _stage(text: str, model: str) -> tuple[str | None, int]:
    """The stage a clause gives, from its first stage cue; returns (stage, cue end)."""
    if model == "in_house":
        m = _IN_HOUSE.search(text)
        assert m is not None
        past = re.search(
            r"\b(?:returned|brought\s+back|was\s+decommissioned|were\s+brought|came\s+back)\b",
            text,
            re.I,
        )
        future = re.search(r"\b(?:will|to\s+bring|to\s+return|voted|agreed|plans?)\b", text, re.I)
        return ("ended" if past and not future else "decided"), m.end()
    best: tuple[int, int, str] | None = None
    for stage, pattern in _STAGE_CUES:
        for m in pattern.finditer(text):
            key = (m.start(), -(m.end() - m.start()), stage)
            if best is None or key < best:
                best = key
            break
    if best is None:
        return None, 0
    start, neg_len, stage = best
    if stage == "ended" and model not in ("partnership", "trust", "company", "cic"):
        return None, 0
    return stage, start - neg_len


def _merge(events: list[ExtractedEvent]) -> list[ExtractedEvent]:
    """One event per (council, kind, value, stage): missing fields filled from the others."""
    merged: dict[tuple[Any, ...], ExtractedEvent] = {}
    for e in events:
        key = (e.authority, e.kind, e.grade, e.action, e.model, e.stage)
        old = merged.get(key)
        if old is None:
            merged[key] = e
            continue
        best, other = (old, e) if old.confidence >= e.confidence else (e, old)
        merged[key] = replace(
            best,
            previous_grade=best.previous_grade or other.previous_grade,
            provider=best.provider or other.provider,
            date=best.date or other.date,
        )
    return list(merged.values())
