"""The rules: how an article is read sentence by sentence and clause by clause, each cue going
to the nearest subject, with hedging, negation and dates applied. See the package docstring."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from ingest.extract.events import confidence as weights
from ingest.extract.events.clause import Clause, Doc, Pending
from ingest.extract.events.cues import (
    ADULT_TOPIC,
    ADULTS,
    ANAPHOR,
    AND_GRADE,
    ASPIRATION,
    BACK_REFERENCE,
    CHILDREN,
    CIC,
    CLIENT_BEFORE,
    COMPANY,
    CSC_STRONG,
    CSC_WEAK,
    ELSEWHERE,
    FOCUS_REFERENCE,
    FORMER_ANAPHOR,
    GENERIC_BETWEEN,
    GENERIC_SUBJECT,
    HEDGE,
    IN_HOUSE,
    IN_HOUSE_AHEAD,
    IN_HOUSE_DONE,
    INHERIT,
    INTERVENTION_GATE,
    INTERVENTIONS,
    NEGATION,
    NOT_A_RATING,
    NOT_CSC_SERVICE,
    NOT_DFE_COMMISSIONER,
    NOT_DFE_DIRECTION,
    OPTIONS_MENU,
    OTHER_TRUSTS,
    PARTITIVE_SUBJECT,
    PARTNER_ADVISER,
    PARTNER_IN_PARTNERSHIP,
    PARTNER_PATTERNS,
    PARTNERSHIP,
    PERSON_BEFORE,
    PLACE_ANAPHOR,
    PLURAL_ANAPHOR,
    PLURAL_PRONOUN,
    RATING_GATE,
    RATING_PATTERNS,
    RESPECTIVELY,
    ROLE_AFTER,
    ROLE_BEFORE,
    ROLE_NOUN_AFTER,
    SCHOOL_TOPIC,
    SERVICE_WORDS,
    SHARED,
    SOFT_HEDGE,
    STAGE_CUES,
    SUB_JUDGEMENT,
    THREAT_IF,
    TRUST,
    UP_FROM,
    WHOLE_SERVICE,
)
from ingest.extract.events.providers import Provider, ProviderRegistry
from ingest.extract.events.results import ExtractedEvent, Relevance
from ingest.extract.events.subjects import (
    BACK_SUBJECT,
    LIST_GAP,
    Focus,
    GazetteerLike,
    Subject,
    common_word_names,
    comparison,
    inside,
    other_trust_references,
    shape_of,
)
from ingest.extract.events.text import (
    SPACES,
    clauses,
    cut,
    day_of_sentence,
    fold,
    mask,
    paragraphs,
    sentences,
)
from ingest.vocabulary import GRADES

_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


class EventExtractor:
    """Relevance and events of one article; stateless between calls, so safe to share."""

    def __init__(self, gazetteer: GazetteerLike, providers: ProviderRegistry) -> None:
        self.gazetteer = gazetteer
        self.providers = providers

    # -- relevance ------------------------------------------------------------------------------

    def relevance(self, title: str, text: str) -> Relevance:
        """Is this article about English councils' children's services? With the reason why."""
        body = fold(f"{title}\n{cut(text)}")
        masked = mask(body, (m.span() for m in OTHER_TRUSTS.finditer(body)))
        masked = ADULT_TOPIC.sub(lambda m: "_" * len(m.group()), masked)
        # a named provider of children's services (Achieving for Children ...) is a strong signal
        providers = self.providers.find_all(body)
        strong = len(CSC_STRONG.findall(masked)) + len(providers)
        weak = len(CSC_WEAK.findall(masked))
        adult = len(ADULT_TOPIC.findall(body))
        school = len(SCHOOL_TOPIC.findall(body))
        english = bool(self.gazetteer.find_all(body)) or bool(providers)
        if not english and ELSEWHERE.search(body):
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
        text = fold(text)
        head = fold(title or "").strip()
        if head and text.lstrip().startswith(head):
            text = text.lstrip()[len(head) :]
        # The headline goes first, on its own line, so one gazetteer pass serves both; its
        # councils seed the focus but it states no events (headlines abbreviate and hedge).
        offset = len(head) + 1 if head else 0
        text = (head + "\n" if head else "") + cut(text)
        doc = self._prepare(text, published)
        if head:
            self._seed_focus(doc, offset)
        doc.lead = self._lead(doc, offset)
        sentence_no = 0
        for para_start, para in paragraphs(text[offset:]):
            para_start += offset
            for s_start, s_end in sentences(para):
                self._sentence(doc, para_start + s_start, para_start + s_end, sentence_no)
                sentence_no += 1
        return _merge(doc.events)

    def _prepare(self, text: str, published: date | None) -> Doc:
        """Mentions of councils and providers, filtered, plus the document's partner councils."""
        other = [m.span() for m in OTHER_TRUSTS.finditer(text)]
        other += other_trust_references(text, other)
        providers = [
            p
            for p in self.providers.find_all(text)
            if not inside(p.start, p.end, other) and not comparison(text, p.start, p.end)
        ]
        masked = mask(text, other + [(p.start, p.end) for p in providers])
        employers = [
            (p.start, p.end)
            for p in providers
            if ROLE_BEFORE.search(text, max(0, p.start - 80), p.start)
            or ROLE_NOUN_AFTER.match(text, p.end)
        ]
        subjects = [
            Subject(
                p.start,
                p.end,
                self._served(p.provider, day_of_sentence(text, p.start, published)),
                "provider",
                p.provider,
            )
            for p in providers
            # 'the chief executive of Achieving for Children' is a person, not the company
            if not ROLE_BEFORE.search(text, max(0, p.start - 80), p.start)
            and not ROLE_NOUN_AFTER.match(text, p.end)
        ]
        spans = other + [(p.start, p.end) for p in providers]
        spans += [m.span() for m in PLACE_ANAPHOR.finditer(text)]  # 'the Kent authority'
        for m in self.gazetteer.find_all(text, on=published):
            if len(m.candidates) != 1 or inside(m.start, m.end, spans):
                continue
            if ROLE_AFTER.match(text, m.end):
                continue  # part of another name: 'Kingston University'
            if PERSON_BEFORE.search(text, max(0, m.start - 60), m.start):
                continue  # a person's surname: 'Lord Norbert Warrington'
            role = ROLE_BEFORE.search(text, max(0, m.start - 80), m.start) or ROLE_NOUN_AFTER.match(
                text, m.end
            )
            source = "role" if role else "authority"
            subjects.append(
                Subject(m.start, m.end, tuple(m.candidates), source, None, m.text.lower())
            )
        subjects += common_word_names(text, subjects)
        subjects.sort(key=lambda s: s.start)
        _mark_clients(text, subjects)
        doc = Doc(text, masked, published, subjects)
        doc.employers = employers
        doc.partners = self._partners(doc)
        return doc

    def _served(self, provider: Provider, day: date | None) -> tuple[str, ...]:
        """The provider's councils that existed on `day`: Northamptonshire's trust served the
        county in 2020 and its two successors from April 2021."""
        if day is None:
            return provider.authorities
        valid = []
        for slug in provider.authorities:
            try:
                record = self.gazetteer.get(slug)
            except LookupError:
                valid.append(slug)
                continue
            if record.valid_on(day):
                valid.append(slug)
        return tuple(valid) or provider.authorities

    def _partners(self, doc: Doc) -> set[str]:
        """Councils acting as partners: by pattern anywhere, or by the registry when the council
        they help is named in the same article."""
        named = {s.slugs[0] for s in doc.subjects if s.source in ("authority", "role")}
        partners = {p for p in named if self.providers.partners_of(p) & named}
        shape, index = shape_of(doc.masked, 0, len(doc.masked), doc.subjects)
        for pattern in PARTNER_PATTERNS:
            for m in pattern.finditer(shape):
                partners.add(index[int(m.group("p"))].slugs[0])
        for line in shape.split("\n"):
            if PARTNERSHIP.search(line):
                for m in PARTNER_IN_PARTNERSHIP.finditer(line):
                    partners.add(index[int(m.group("p"))].slugs[0])
        # councils named only as another's advisers: partners, but running nothing
        doc.advisers = {index[int(m.group("p"))].slugs[0] for m in PARTNER_ADVISER.finditer(shape)}
        return partners

    def _lead(self, doc: Doc, head_end: int) -> tuple[str, ...]:
        """The council the article is about: the one the headline names, else the one its first
        paragraph names; none if that is not a single council."""
        named = [
            s
            for s in doc.subjects
            if s.source in ("authority", "provider") and not set(s.slugs) <= doc.partners
        ]
        # the first paragraph, or the second when the first is a standfirst naming no one
        breaks = [i for i, c in enumerate(doc.text) if c == "\n" and i > head_end][:2]
        first = breaks[0] if breaks else len(doc.text)
        second = breaks[1] if len(breaks) > 1 else len(doc.text)
        for stretch in (
            [s for s in named if s.start < head_end],
            [s for s in named if head_end <= s.start < first],
            [s for s in named if first <= s.start < second],
        ):
            slugs = {x for s in stretch for x in s.slugs if x not in doc.partners}
            if len(slugs) == 1:
                return tuple(slugs)
            if slugs:
                return ()
        return ()

    def _seed_focus(self, doc: Doc, end: int) -> None:
        """The headline's council is the first focus: 'the council' in the first lines."""
        head = [s for s in doc.subjects if s.start < end]
        slugs = [
            s.slugs[0] for s in head if s.source == "authority" and s.slugs[0] not in doc.partners
        ]
        provs = [s for s in head if s.provider is not None]
        if slugs:
            doc.focus = Focus(tuple(dict.fromkeys(slugs)), None, -1)
        elif provs:
            doc.focus = Focus(provs[0].slugs, provs[0].provider, -1)

    # -- one sentence ---------------------------------------------------------------------------

    def _sentence(self, doc: Doc, start: int, end: int, number: int) -> None:
        evidence = SPACES.sub(" ", doc.text[start:end]).strip()
        explicit = [
            s
            for s in doc.subjects
            if start <= s.start < end and s.source not in ("anaphor", "role")
        ]
        anaphors = self._anaphors(doc, start, end, explicit, number)
        subjects = sorted(explicit + anaphors, key=lambda s: s.start)
        models_before = len(doc.events)
        self._back_reference(doc, start, end, explicit, evidence, number)
        parts = list(clauses(doc.masked, start, end))
        # the one council the sentence names, for its clauses that name none ('X was judged
        # inadequate; last year inspectors found services still required improvement')
        own_set = {
            s.slugs[0]
            for s in explicit
            if s.source == "authority" and s.slugs[0] not in doc.partners
        }
        own = tuple(own_set) if len(own_set) == 1 else ()
        # a sentence naming only councils that help ('names representatives of X and Y as
        # intervention advisers') still speaks about the council in focus
        helped_named = any(
            not (s.source == "authority" and s.slugs[0] in doc.partners) for s in subjects
        )
        aside: list[Subject] = []
        for i, (c_start, c_end) in enumerate(parts):
            in_clause = [s for s in subjects if c_start <= s.start < c_end]
            if not in_clause and aside:
                # 'two authorities - Waltham Forest and St Helens - were rated ...': the
                # councils set off by dashes are the subject of what follows them
                slugs = tuple(dict.fromkeys(x for a in aside for x in a.slugs))
                in_clause = [Subject(c_start, c_start, slugs, "anaphor")]
            self._clause(doc, c_start, c_end, in_clause, evidence, number, helped_named, own)
            dashed = (
                i > 0
                and doc.masked[parts[i - 1][1] : c_start].strip() == "-"
                and i + 1 < len(parts)
                and doc.masked[c_end : parts[i + 1][0]].strip() == "-"
            )
            aside = [
                x
                for j, x in enumerate(in_clause)
                # 'St Helens in Lancashire': the second name only says where the first is
                if j == 0 or doc.masked[in_clause[j - 1].end : x.start] != " in "
            ]
            if not dashed:
                aside = []
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
            # The council the sentence said something about stays in focus ('... review at
            # Reading. The move was announced in a direction to the council.').
            said = [e.authority for e in doc.events[models_before:] if e.authority in slugs]
            # 'The borough, judged inadequate, works with Stockport Council': what was said
            # of the borough keeps it in focus, not the council merely named
            referred = {x for a in anaphors for x in a.slugs}
            if not said and referred:
                said = [e.authority for e in doc.events[models_before:] if e.authority in referred]
            doc.focus = Focus(tuple(dict.fromkeys(said)) or slugs, provider, number)
            doc.recent.append(slugs)
        elif anaphors:
            if not doc.focus.slugs:
                doc.focus = Focus(anaphors[0].slugs, anaphors[0].provider, number)
            doc.focus.sentence = number

    def _back_reference(
        self, doc: Doc, start: int, end: int, explicit: list[Subject], evidence: str, number: int
    ) -> None:
        """'So far this has been true of Doncaster, Slough ...': the councils named here take
        the change the previous sentence stated without naming anyone."""
        pending = doc.pending
        if pending is None or number - pending.sentence != 1:
            return
        if not (
            BACK_REFERENCE.search(doc.masked, start, end)
            or BACK_SUBJECT.match(doc.masked, start, end)
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
                    confidence=round(pending.confidence * weights.BACK_REFERENCE, 2),
                )
            )

    def _anaphors(
        self, doc: Doc, start: int, end: int, explicit: list[Subject], number: int
    ) -> list[Subject]:
        """'The council', 'the island', 'it', 'both councils' resolved to councils in view."""
        found = []
        sentence = doc.masked[start:end]
        for m in PLURAL_ANAPHOR.finditer(sentence):
            # 'co-owned by Richmond and Kingston to run both boroughs' services': councils
            # the sentence itself names before the words are meant, not earlier sentences'
            named = tuple(
                dict.fromkeys(x for s in explicit if s.start < start + m.start() for x in s.slugs)
            )
            slugs = named if len(named) >= 2 else self._plural(doc, m.group().lower())
            if len(slugs) >= 2:
                found.append(Subject(start + m.start(), start + m.end(), slugs, "anaphor"))
        for m in PLURAL_PRONOUN.finditer(sentence):
            # 'In Doncaster and in Slough ... after they had been judged inadequate': 'they' is
            # the councils named before it in the sentence, and only those (never a guess)
            named = tuple(
                dict.fromkeys(
                    s.slugs[0]
                    for s in explicit
                    if s.start < start + m.start() and s.source == "authority"
                )
            )
            if len(named) >= 2:
                found.append(Subject(start + m.start(), start + m.end(), named, "anaphor"))
        matches = list(ANAPHOR.finditer(sentence)) + list(PLACE_ANAPHOR.finditer(sentence))
        matches += FORMER_ANAPHOR.finditer(sentence)
        for m in sorted(matches, key=lambda m: m.start()):
            pos = start + m.start()
            target = self._antecedent(doc, pos, start, explicit, m.group().lower(), number)
            if target is not None:
                slugs, provider = target
                named = {x for s in explicit if s.source == "authority" for x in s.slugs}
                if provider is not None and set(slugs) & named:
                    slugs = tuple(x for x in slugs if x in named)
                found.append(Subject(pos, start + m.end(), slugs, "anaphor", provider))
        return found

    def _plural(self, doc: Doc, words: str) -> tuple[str, ...]:
        """'both councils' -> the councils of the last two sentences; 'the three councils',
        'all four' -> the last list of that many councils (none if no list has that size)."""
        count = next((n for w, n in _NUMBERS.items() if re.search(rf"\b{w}\b", words)), None)
        if count is None:
            return tuple(dict.fromkeys(x for r in doc.recent[-2:] for x in r))
        for named in reversed(doc.recent[-3:]):
            if len(named) == count:
                return named
        return ()

    def _antecedent(
        self, doc: Doc, pos: int, start: int, explicit: list[Subject], word: str, number: int
    ) -> tuple[tuple[str, ...], Provider | None] | None:
        if FORMER_ANAPHOR.match(word):
            # 'the former county's services': the council reorganised away that was named last,
            # not the council in focus that replaced it
            named = [x for s in reversed(explicit) if s.start < pos for x in s.slugs]
            named += [x for r in reversed(doc.recent[-3:]) for x in r]
            former = next((x for x in named if not self._current(x)), None)
            return ((former,), None) if former else None
        before = [s for s in explicit if s.start < pos]
        others = [s for s in before if not (s.source == "authority" and s.slugs[0] in doc.partners)]
        pronoun = not word.startswith("the")
        before = others or (before if pronoun or not doc.focus.slugs else [])
        if not before and not doc.focus.slugs:
            # "The Isle of Wight's cabinet member said the DfE had lifted the direction on the
            # island": with no other council in view, the officer's council is meant
            before = [
                s
                for s in doc.subjects
                if start <= s.start < pos
                and s.source == "role"
                and not s.client
                and s.slugs[0] not in doc.partners
            ]
        if before:
            last = before[-1]
            if "trust" in word or "company" in word:
                last = next((s for s in reversed(before) if s.provider), last)
            return last.slugs, last.provider
        if number - doc.focus.sentence > 3 or not doc.focus.slugs:
            return None
        slugs = doc.focus.slugs
        if len(slugs) > 1 and not word.startswith(("both", "their")) and doc.lead:
            # 'the council' after a sentence naming several: the article's own council
            slugs = tuple(x for x in slugs if x in doc.lead) or slugs
        if "island" in word:
            slugs = tuple(s for s in slugs if "isle" in s) or slugs
        return slugs, doc.focus.provider

    # -- one clause ---------------------------------------------------------------------------

    def _clause(
        self,
        doc: Doc,
        start: int,
        end: int,
        subjects: list[Subject],
        evidence: str,
        number: int,
        sentence_has_subjects: bool,
        own: tuple[str, ...] = (),
    ) -> None:
        clause = doc.masked[start:end]
        # Councils named as someone's workplace are never subjects, but may be a partner.
        workplaces = [s for s in doc.subjects if start <= s.start < end and s.source == "role"]
        everyone = sorted(subjects + workplaces, key=lambda s: s.start)
        shape, index = shape_of(doc.masked, start, end, everyone)
        local_partners = set()
        patterns = PARTNER_PATTERNS
        if PARTNERSHIP.search(clause):
            patterns += (PARTNER_IN_PARTNERSHIP,)
        for pattern in patterns:
            for m in pattern.finditer(shape):
                local_partners.add(id(index[int(m.group("p"))]))
        roles = [
            s
            for s in subjects
            if id(s) not in local_partners
            and not (s.source == "authority" and s.slugs[0] in doc.partners and len(subjects) > 1)
        ]
        partner_names = [s for s in everyone if id(s) in local_partners] or [
            s for s in everyone if s.source in ("authority", "role") and s.slugs[0] in doc.partners
        ]
        # a clause whose only councils help another ('names representatives of X and Y as
        # intervention advisers') speaks about the council in focus
        unhelped = [
            s
            for s in subjects
            if id(s) not in local_partners
            and not (s.source == "authority" and s.slugs[0] in doc.partners)
        ]
        fallback: tuple[str, ...] = ()
        confidence = weights.CLAUSE
        if (
            not unhelped
            and own
            and not GENERIC_BETWEEN.search(clause)
            and not PARTITIVE_SUBJECT.search(clause)  # 'Five of them were rated good, while X'
        ):
            fallback = own
            confidence = weights.SENTENCE
        elif (
            not unhelped
            and not sentence_has_subjects
            and not GENERIC_SUBJECT.search(clause)
            and not GENERIC_BETWEEN.search(clause)
            and number - doc.focus.sentence <= 1
            and len(doc.focus.slugs) == 1
        ):
            fallback = doc.focus.slugs
            confidence = weights.FOCUS
        elif (
            not unhelped
            and not sentence_has_subjects
            and not GENERIC_SUBJECT.search(clause)
            and not GENERIC_BETWEEN.search(clause)  # 'nationally, 13 councils are inadequate'
            and FOCUS_REFERENCE.search(clause)  # 'the service', not '12 directions this year'
            and doc.lead
        ):
            fallback = doc.lead
            confidence = weights.LEAD
        ctx = Clause(doc, start, end, clause, roles, fallback, evidence, confidence, number)
        # A partner council's own grade is its own: 'Hampshire, rated outstanding, will lead'.
        ctx.graded = [s for s in subjects if s.source != "provider"] or list(subjects)
        ctx.employer = any(start <= a < end for a, _ in doc.employers)
        self._ratings(ctx)
        self._interventions(ctx)
        self._delivery(ctx, partner_names)

    def _ratings(self, ctx: Clause) -> None:
        if not RATING_GATE.search(ctx.text):
            return
        if (
            not ctx.subjects
            and ctx.number - ctx.doc.other_graded == 1
            and not WHOLE_SERVICE.search(ctx.text)  # 'but safeguarding services were inadequate'
        ):
            return  # 'Adoption services ... were rated good. The service had been ...'
        taken: list[tuple[int, int]] = []
        for rating, pattern in RATING_PATTERNS:
            for m in pattern.finditer(ctx.text):
                span = m.span("g")
                if any(a < span[1] and span[0] < b for a, b in taken):
                    continue
                if ASPIRATION.search(ctx.text, 0, m.start()):
                    continue
                if NOT_A_RATING.search(ctx.text, max(0, m.start() - 60), m.end() + 30):
                    ctx.doc.other_graded = ctx.number
                    continue
                if SUB_JUDGEMENT.search(ctx.text, max(0, m.start() - 60), m.start()):
                    continue  # 'with leadership rated inadequate': a part, not the whole
                taken.append(span)
                grades = [(_grade(m.group("g")), _grade(m.groupdict().get("g2")), m.end())]
                more = AND_GRADE.match(ctx.text, m.end())
                # '... good and required improvement in its schools': the second grade is a school's
                if more and NOT_A_RATING.search(ctx.text, more.start(), more.end() + 30):
                    more = None
                if more:
                    taken.append(more.span("g"))
                    grades.append((_grade(more.group("g")), None, more.end()))
                if rating.subject == "after":  # 'good-rated Stockport and Wigan'
                    targets = ctx.subjects_after(m.end())
                else:
                    targets = ctx.subjects_for(m.start(), m.end(), partners_too=True)
                paired = (
                    len(grades) > 1
                    and RESPECTIVELY.match(ctx.text[grades[-1][2] :])
                    and sum(len(slugs) for slugs, _ in targets) == len(grades)
                )
                if paired:  # 'A and B were rated good and adequate respectively'
                    singles = [((x,), c) for slugs, c in targets for x in slugs]
                    for (grade, _, _), (slugs, conf) in zip(grades, singles, strict=True):
                        ctx.emit(slugs[0], "rating", conf, grade=grade)
                    continue
                for grade, previous, cue_end in grades:
                    up = UP_FROM.search(ctx.text, cue_end)
                    if previous is None and up and up.start() - cue_end < 60:
                        previous = _grade(up.group("g"))
                    when = ctx.date_after(cue_end, future=False) or ctx.leading_date()
                    for slugs, conf in targets:
                        for slug in slugs:
                            ctx.emit(
                                slug,
                                "rating",
                                conf,
                                grade=grade,
                                previous_grade=previous,
                                date=when,
                            )
                            # the grade before is a fact too, when said of one council
                            if previous and previous != grade and len(slugs) == 1:
                                ctx.emit(slug, "rating", conf * weights.PREVIOUS, grade=previous)

    def _interventions(self, ctx: Clause) -> None:
        if not INTERVENTION_GATE.search(ctx.text):
            return
        # A cue that names its council after it ('served as the DfE's commissioner for
        # children's services in Sunderland') is read first; a general cue over the same words
        # does not also give the action to the clause's subject.
        # 'anything from an adviser to a commissioner': a menu of what might happen
        if OPTIONS_MENU.search(ctx.text):
            return
        placed: list[tuple[int, int]] = []
        ordered = sorted(INTERVENTIONS, key=lambda c: c[2] != "next")
        for action, pattern, mode in ordered:
            for m in pattern.finditer(ctx.text):
                if mode != "next" and any(a < m.end() and m.start() < b for a, b in placed):
                    continue
                # 'appointed to review children's services in X' is the DfE's commissioner,
                # whatever title the paper gives them
                if (
                    action == "commissioner"
                    and mode != "next"
                    and NOT_DFE_COMMISSIONER.search(ctx.text, max(0, m.start() - 40), m.end() + 80)
                ):
                    continue
                if action == "direction" and NOT_DFE_DIRECTION.search(ctx.text):
                    continue
                when = ctx.date_after(m.end(), future=False) or ctx.leading_date()
                hedged = bool(HEDGE.search(ctx.text, 0, m.start()))  # "could appoint"
                # 'could have a commissioner imposed if it fails to improve': a threat
                if hedged and THREAT_IF.search(ctx.text, m.end()):
                    continue
                targets = ctx.subjects_next(m.end()) if mode == "next" else []
                # 'appointed as commissioner for finance' names no council after it: without
                # one, another department's commissioner is not the DfE's either
                if (
                    action == "commissioner"
                    and mode == "next"
                    and not targets
                    and NOT_DFE_COMMISSIONER.search(ctx.text, max(0, m.start() - 40), m.end() + 80)
                ):
                    continue
                if targets:
                    placed.append(m.span())
                for slugs, conf in targets or ctx.subjects_for(m.start(), m.end()):
                    for slug in slugs:
                        ctx.emit(
                            slug,
                            "intervention",
                            conf * (weights.HEDGED_INTERVENTION if hedged else 1.0),
                            action=action,
                            date=when,
                        )
                break

    def _delivery(self, ctx: Clause, partner_names: list[Subject]) -> None:
        text = ctx.text
        if ctx.employer:  # 'X, chief executive of Y, the company that runs ...': about a person
            return
        if ADULTS.search(text) and not CHILDREN.search(text):
            return
        if OPTIONS_MENU.search(text):  # 'anything from an adviser to a commissioner ... a trust'
            return
        # a council advising another runs none of its services: no partnership
        partner_names = [s for s in partner_names if s.slugs[0] not in ctx.doc.advisers]
        model, provider = self._model(ctx, partner_names)
        if model is None:
            return
        # Services back in-house end what ran them: 'closing the company', 'as the trust closes'.
        before = self._vehicle(ctx, partner_names) if model == "in_house" else None
        stage, cue_end = _stage(text, model)
        if stage is None:
            return
        if NEGATION.search(text):
            return
        confidence = 1.0
        if HEDGE.search(text):
            confidence = weights.HEDGED
            if stage in ("decided", "operational"):
                stage = "proposed"
        elif SOFT_HEDGE.search(text):
            confidence = weights.SOFT_HEDGE
        targets = ctx.model_subjects(cue_end)
        if not targets:
            when = ctx.model_date(None, cue_end)
            ctx.doc.pending = Pending(model, stage, provider, when, confidence, ctx.number)
        for slugs, conf, subject in targets:
            for slug in slugs:
                if slug in ctx.doc.partners:
                    continue
                when = ctx.model_date(subject, cue_end, stage)
                ctx.emit(
                    slug,
                    "delivery_model",
                    conf * confidence,
                    model=model,
                    stage=stage,
                    provider=provider,
                    date=when,
                )
                if before is not None:
                    ctx.emit(
                        slug,
                        "delivery_model",
                        conf * confidence * weights.ENDED_BY_RETURN,
                        model=before[0],
                        stage="ended",
                        provider=before[1],
                        date=when,
                    )

    def _vehicle(self, ctx: Clause, partner_names: list[Subject]) -> tuple[str, str | None] | None:
        """What ran the services before they came back in-house, if the clause says."""
        providers = [s.provider for s in ctx.subjects if s.provider is not None]
        if providers:
            return providers[-1].model, providers[-1].name
        if partner_names:
            return "partnership", self._name(partner_names[0].slugs[0])
        for model, pattern in (("cic", CIC), ("company", COMPANY), ("trust", TRUST)):
            if pattern.search(ctx.text):
                return model, None
        if PARTNERSHIP.search(ctx.text):
            return "partnership", None
        return None

    def _model(self, ctx: Clause, partner_names: list[Subject]) -> tuple[str | None, str | None]:
        """Which delivery model a clause speaks of, and who provides it."""
        text = ctx.text
        providers = [s.provider for s in ctx.subjects if s.provider is not None]
        named = providers[-1].name if providers else None
        if IN_HOUSE.search(text):
            vehicle = providers or TRUST.search(text) or COMPANY.search(text)
            vehicle = vehicle or PARTNERSHIP.search(text) or SERVICE_WORDS.search(text)
            if vehicle and not NOT_CSC_SERVICE.search(text):
                return "in_house", named
            # 'brings education back in-house, two years after its children's social care was
            # handed to X Trust': schools come back; the provider named still runs social care
            if not (providers and CSC_STRONG.search(text)):
                return None, None
        if SHARED.search(text) and not providers:
            # councils sharing services as equals: each is in a partnership, none the partner
            return "partnership", None
        if partner_names or PARTNERSHIP.search(text):
            if partner_names:
                partner = self._name(partner_names[0].slugs[0])
                return "partnership", partner
            if PARTNERSHIP.search(text) and any(
                s.slugs and s.slugs[0] in ctx.doc.partners for s in ctx.subjects
            ):
                return "partnership", None
        if providers:
            return providers[-1].model, named
        if CIC.search(text):
            return "cic", None
        if COMPANY.search(text):
            return "company", None
        if TRUST.search(text):
            return "trust", None
        if INHERIT.search(text) and ctx.doc.last_models:
            last = ctx.doc.last_models[0]
            return last.model, None
        return None, None

    def _current(self, slug: str) -> bool:
        try:
            return bool(self.gazetteer.get(slug).valid_to is None)
        except (LookupError, AttributeError):
            return True

    def _name(self, slug: str) -> str:
        try:
            return str(self.gazetteer.get(slug).name)
        except LookupError:
            return slug


def _mark_clients(text: str, subjects: list[Subject]) -> None:
    """'has supported councils including A, B and C': A, B and C are examples, not subjects
    (source 'role'), and so is each council listed straight after one."""
    previous: Subject | None = None
    for s in subjects:
        if s.source == "authority" and (
            CLIENT_BEFORE.search(text, max(0, s.start - 100), s.start)
            or (
                previous is not None
                and previous.client
                and LIST_GAP.match(text[previous.end : s.start])
            )
        ):
            s.source = "role"
            s.client = True
        previous = s


def _grade(value: str | None) -> str | None:
    if not value:
        return None
    v = value.lower()
    if v.startswith("requir"):
        return "requires_improvement"
    if v == "lowest":
        return "inadequate"
    if v in ("highest", "top"):
        return "outstanding"
    return v if v in GRADES else None


def _stage(text: str, model: str) -> tuple[str | None, int]:
    """The stage a clause gives, from its first stage cue; returns (stage, cue end)."""
    if model == "in_house":
        m = IN_HOUSE.search(text)
        assert m is not None
        past = IN_HOUSE_DONE.search(text)
        future = IN_HOUSE_AHEAD.search(text)
        return ("ended" if past and not future else "decided"), m.end()
    best: tuple[int, int, str] | None = None
    for stage, pattern in STAGE_CUES:
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
