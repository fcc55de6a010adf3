"""Events in sector news: ratings, delivery-model changes and DfE interventions, per council.

Pure (no I/O beyond reading its own phrasebook, no database, no `config` import): the pipeline
passes in a `Gazetteer` and a `ProviderRegistry`, so tests and benches build their own.

The package along its seams:

- `text`: folding, cutting comments and related-article blocks, paragraphs, sentences, clauses,
  and date phrases.
- `providers`: trusts, companies and partner councils (config/providers.csv).
- `subjects`: who a stretch of text is about: councils, providers standing for their councils,
  references back ('the council', 'it'), and names that are not subjects (roles, comparisons).
- `cues` and `phrasebook.toml`: the phrasings, as data with examples.
- `rules`: reading an article sentence by sentence, clause by clause; `clause`: the working
  records (the document read so far, the clause under analysis: placing, weighing, dating).
- `confidence`: what an event's confidence is made of, and the review threshold.

How it reads an article, and why:

- The page is cut at reader comments and related-article blocks: what follows is not the
  article's own statement.
- Things that merely share a word are masked first (NHS and academy trusts, Hackney's Learning
  Trust), so a model cue never sees them.
- The gazetteer runs once over the whole text; provider names stand for their councils. A
  person's employer ('former director at Doncaster', 'Kingston University') is dropped. Partner
  councils ('asking Hampshire to take over') become the provider, never the council whose
  services move.
- Each cue goes to the nearest subject: a named council, a list of them, a provider, or a
  reference back to the council in focus.
- Hedging lowers a decision to a proposal and lowers confidence; negation drops it.
"""

from ingest.extract.events.providers import Provider, ProviderMention, ProviderRegistry
from ingest.extract.events.results import ExtractedEvent, Relevance
from ingest.extract.events.rules import EventExtractor
from ingest.extract.events.text import resolve_date
from ingest.vocabulary import ACTIONS, GRADES, KINDS, MODELS, STAGES

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
