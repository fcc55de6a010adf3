"""crawl: completeness of each crawl chain, host blocks, the listing page of each provider,
an article's document type and last update

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=True),
        sa.Column("pass_finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_complete_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("blocked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("crawl_state", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_crawl_state_key"), ["key"], unique=True)
        batch_op.create_index(batch_op.f("ix_crawl_state_source"), ["source"], unique=False)

    with op.batch_alter_table("ofsted_provider", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("listing_url", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("doc_type", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("doc_type")
    with op.batch_alter_table("ofsted_provider", schema=None) as batch_op:
        batch_op.drop_column("listing_url")
    with op.batch_alter_table("crawl_state", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_state_source"))
        batch_op.drop_index(batch_op.f("ix_crawl_state_key"))
    op.drop_table("crawl_state")
