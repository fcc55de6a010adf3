"""facts: delivery arrangements (reference data), intervention steps, the review queue

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 15:30:00

Additive only: three new tables. The curated baseline that earlier versions stored as events of
'baseline' articles is removed here (the arrangements table replaces it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString
UTCDateTime = sqlmodel.sql.sqltypes.UTCDateTime


def upgrade() -> None:
    op.create_table('delivery_arrangement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('model', AutoString(), nullable=False),
    sa.Column('provider', AutoString(), nullable=True),
    sa.Column('stage', AutoString(), nullable=False),
    sa.Column('proposed', AutoString(), nullable=True),
    sa.Column('decided', AutoString(), nullable=True),
    sa.Column('operational', AutoString(), nullable=True),
    sa.Column('ended', AutoString(), nullable=True),
    sa.Column('proposed_source', sa.Text(), nullable=True),
    sa.Column('decided_source', sa.Text(), nullable=True),
    sa.Column('operational_source', sa.Text(), nullable=True),
    sa.Column('ended_source', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('delivery_arrangement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_arrangement_authority_id'), ['authority_id'], unique=False)

    op.create_table('intervention_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=False),
    sa.Column('action', AutoString(), nullable=False),
    sa.Column('step', AutoString(), nullable=False),
    sa.Column('on', sa.Date(), nullable=True),
    sa.Column('source_url', AutoString(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], ),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('authority_id', 'action', 'step', 'source_url')
    )
    with op.batch_alter_table('intervention_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intervention_step_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intervention_step_authority_id'), ['authority_id'], unique=False)

    op.create_table('review_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', AutoString(), nullable=False),
    sa.Column('created_at', UTCDateTime(), nullable=False),
    sa.Column('decided_by', AutoString(), nullable=True),
    sa.Column('decided_at', UTCDateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_item_authority_id'), ['authority_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_item_event_id'), ['event_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_review_item_state'), ['state'], unique=False)

    # The old curated baseline (events of 'baseline' articles) is now the arrangements table.
    op.execute(
        "DELETE FROM event WHERE article_id IN (SELECT id FROM article WHERE source = 'baseline')"
    )
    op.execute("DELETE FROM article_feed WHERE article_id IN (SELECT id FROM article WHERE source = 'baseline')")
    op.execute("DELETE FROM article WHERE source = 'baseline'")


def downgrade() -> None:
    with op.batch_alter_table('review_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_item_state'))
        batch_op.drop_index(batch_op.f('ix_review_item_event_id'))
        batch_op.drop_index(batch_op.f('ix_review_item_authority_id'))
    op.drop_table('review_item')
    with op.batch_alter_table('intervention_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intervention_step_authority_id'))
        batch_op.drop_index(batch_op.f('ix_intervention_step_article_id'))
    op.drop_table('intervention_step')
    with op.batch_alter_table('delivery_arrangement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_arrangement_authority_id'))
    op.drop_table('delivery_arrangement')
