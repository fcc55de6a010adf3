"""delivery under faults: the outbox's claim token (fencing) and first temporary failure

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_token', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('first_failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alert_outbox', schema=None) as batch_op:
        batch_op.drop_column('first_failed_at')
        batch_op.drop_column('claim_token')
