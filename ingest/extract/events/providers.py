"""Named bodies that run councils' children's services: trusts, companies and partner councils
(config/providers.csv). A provider's name in an article stands for its councils."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.extract.events.text import SPACES, fold


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
                form = fold(form)
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
                partner = slug_of(p.name)
                self.partners.setdefault(partner, set()).update(p.authorities)

    @classmethod
    def from_csv(cls, path: str | Path) -> ProviderRegistry:
        """Read config/providers.csv (name, aliases, model, authorities, from, to, ...)."""
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        return cls(
            Provider(
                name=row["name"].strip(),
                aliases=split_list(row.get("aliases")),
                model=row["model"].strip(),
                authorities=split_list(row.get("authorities")),
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
            key = SPACES.sub(" ", fold(m.group())).casefold()
            provider = self._by_form.get(key)
            if provider is not None:
                found.append(ProviderMention(m.start(), m.end(), m.group(), provider))
        return found

    def partners_of(self, slug: str) -> set[str]:
        """Councils that `slug` has run or directed as a partner council."""
        return self.partners.get(slug, set())


def split_list(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(";") if v.strip())


def slug_of(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
