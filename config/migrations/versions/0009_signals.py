"""signals: what letters and area reports found between inspections (inspection_signal)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inspection_signal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('authority_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('priority_action', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('send_outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('next_inspection_months', sa.Integer(), nullable=True),
    sa.Column('monitoring_inspection_months', sa.Integer(), nullable=True),
    sa.Column('written_statement_required', sa.Boolean(), nullable=True),
    sa.Column('visit_number', sa.Integer(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('theme', sa.Text(), nullable=True),
    sa.Column('theme_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['authority.id'], ),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspection.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('inspection_id')
    )
    with op.batch_alter_table('inspection_signal', schema=None) as batch_op:
        batch_op.create_index('ix_inspection_signal_authority_id', ['authority_id'], unique=False)
        batch_op.create_index('ix_inspection_signal_inspection_id', ['inspection_id'], unique=False)
        batch_op.create_index('ix_inspection_signal_kind', ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inspection_signal', schema=None) as batch_op:
        batch_op.drop_index('ix_inspection_signal_kind')
        batch_op.drop_index('ix_inspection_signal_inspection_id')
        batch_op.drop_index('ix_inspection_signal_authority_id')
    op.drop_table('inspection_signal')
