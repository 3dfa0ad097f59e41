"""Logged segments (§4.9).

``rm_logged_segment`` holds the logged segments (table 5075), numbered through the
``logged_segment`` row of ``rm_entry_counter`` and indexed by segment number.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOGGED_SEGMENT = "rm_logged_segment"
_SEGMENT_INDEX = "ix_rm_logged_segment_segment"


def upgrade() -> None:
    """Create the logged segment table and its index."""
    op.create_table(
        _LOGGED_SEGMENT,
        sa.Column("entry_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("creation_date", sa.Date(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entry_no", name=op.f(f"pk_{_LOGGED_SEGMENT}")),
    )
    op.create_index(
        _SEGMENT_INDEX, _LOGGED_SEGMENT, ["segment_no", "entry_no"], unique=False
    )


def downgrade() -> None:
    """Drop the logged segment table and its index."""
    op.drop_index(_SEGMENT_INDEX, table_name=_LOGGED_SEGMENT)
    op.drop_table(_LOGGED_SEGMENT)
