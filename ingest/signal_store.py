"""Store a letter's signal beside its inspection row: one row per inspection, replaced in place.

Kept apart from store.py so that the signal columns have one writer; like store.py it never
commits (the caller's transaction covers the report and its signal together).
"""

from __future__ import annotations

from dataclasses import asdict

from sqlmodel import Session, select

from ingest.extract.signals import Signal
from ingest.models import Inspection, InspectionSignal


def store_signal(session: Session, inspection: Inspection, signal: Signal | None) -> None:
    """Write (or clear) the signal of a stored inspection, so a re-parse leaves one true row."""
    assert inspection.id is not None
    row = session.exec(
        select(InspectionSignal).where(InspectionSignal.inspection_id == inspection.id)
    ).first()
    if signal is None:
        if row is not None:
            session.delete(row)
        return
    values = asdict(signal)
    if row is None:
        row = InspectionSignal(inspection_id=inspection.id, **values)
    else:
        for key, value in values.items():
            setattr(row, key, value)
    row.authority_id = inspection.authority_id
    session.add(row)
