"""GOV.UK decision pages read as intervention steps: the confirmed record of DfE actions.

The phrasings are data (config/govuk_decisions.csv, each rule with an example it must match):
a page titled 'Direction issued to X' issues a statutory direction, 'Revised direction issued
to X: February 2025' revises it, a page saying 'This direction has closed' (or was revoked)
ends it. Rules match the page's title or its text; a rule's `authority` group names the
council and its `when` group dates the step, else the page's publication date does.

Only pages from a primary source (ingest/provenance.py) are read. Reading is idempotent: one
step per (council, action, step, page), so reading every page again adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session, select

from ingest.interventions import ACTIONS, STEPS
from ingest.models import Article, Event, ExtractionStatus, InterventionStep
from ingest.provenance import is_official_article

Resolve = Callable[[str, date | None], int | None]  # a council's name on a date -> its row id


@dataclass(frozen=True)
class DecisionRule:
    where: str  # title or text
    pattern: re.Pattern[str]
    action: str
    step: str
    example: str

    @classmethod
    def build(cls, where: str, pattern: str, action: str, step: str, example: str) -> DecisionRule:
        """A checked rule: a known field, action and step, and a pattern matching its example."""
        if where not in ("title", "text"):
            raise ValueError(f"decision rule {pattern!r}: where must be title or text")
        if action not in ACTIONS or step not in STEPS:
            raise ValueError(f"decision rule {pattern!r}: unknown action {action} or step {step}")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(
                f"decision rule {pattern!r}: not a regular expression ({exc})"
            ) from exc
        rule = cls(where, compiled, action, step, example)
        if rule.match(example) is None:
            raise ValueError(f"decision rule {pattern!r} does not match its example {example!r}")
        return rule

    def match(self, value: str) -> re.Match[str] | None:
        return self.pattern.search(_plain(value))


@dataclass(frozen=True)
class Decision:
    authority_id: int
    action: str
    step: str
    on: date | None


def _plain(value: str) -> str:
    """Curly apostrophes and runs of spaces as plain ones, so rules stay simple."""
    return re.sub(r"\s+", " ", value.replace("\u2019", "'").replace("\u2018", "'")).strip()


def _when(text: str | None) -> date | None:
    if not text:
        return None
    for pattern in ("%d %B %Y", "%B %Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def decisions(
    article: Article, rules: Iterable[DecisionRule], resolve: Resolve, fallback: set[int]
) -> list[Decision]:
    """The steps one page states. `fallback`: the councils the page's events name, used when
    no rule names one (text-only rules) and there is exactly one."""
    published = article.published
    day = (
        (published if published.tzinfo else published.replace(tzinfo=UTC)).date()
        if published
        else None
    )
    title, text = article.title or "", article.text or ""
    named: int | None = None
    found: list[tuple[DecisionRule, re.Match[str]]] = []
    for rule in rules:
        match = rule.match(title if rule.where == "title" else text)
        if match is None:
            continue
        found.append((rule, match))
        name = match.groupdict().get("authority")
        if name and named is None:
            named = resolve(name, day)
    authority = (
        named if named is not None else (next(iter(fallback)) if len(fallback) == 1 else None)
    )
    if authority is None:
        return []
    result = {}
    for rule, match in found:
        on = _when(match.groupdict().get("when")) or day
        result[(rule.action, rule.step)] = Decision(authority, rule.action, rule.step, on)
    return list(result.values())


def read_decisions(session: Session, rules: list[DecisionRule], resolve: Resolve) -> int:
    """Read every stored GOV.UK page into intervention steps; returns the steps added."""
    have = {
        (s.authority_id, s.action, s.step, s.source_url)
        for s in session.exec(select(InterventionStep))
    }
    added = 0
    pages = session.exec(
        select(Article).where(Article.extraction_status == ExtractionStatus.OK)
    ).all()
    for article in pages:
        if article.id is None or not is_official_article(article.source, article.canonical_url):
            continue
        fallback = {
            e.authority_id
            for e in session.exec(select(Event).where(Event.article_id == article.id))
            if e.authority_id is not None
        }
        for decision in decisions(article, rules, resolve, fallback):
            key = (decision.authority_id, decision.action, decision.step, article.canonical_url)
            if key in have:
                continue
            have.add(key)
            session.add(
                InterventionStep(
                    authority_id=decision.authority_id,
                    action=decision.action,
                    step=decision.step,
                    on=decision.on,
                    source_url=article.canonical_url,
                    title=article.title,
                    article_id=article.id,
                    created_at=datetime.now(UTC),
                )
            )
            added += 1
    return added
