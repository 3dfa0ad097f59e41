"""The duplicate index: each contact's keys per method (§2.14).

BC keeps its search strings in table 5086; the library keeps them, and the
``default`` method's blocking keys, in ``rm_duplicate_key``, so that a duplicate
check reads the holders of a few keys instead of every contact. The table starts
empty: run ``crm.duplicates.reindex()`` (``relmgmt duplicates reindex``) once
after upgrading a database that holds contacts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "rm_duplicate_key"


def upgrade() -> None:
    """Create the table and its index by contact."""
    op.create_table(
        _TABLE,
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=250), nullable=False),
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("key_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "method", "key", "contact_no", name=op.f("pk_rm_duplicate_key")
        ),
    )
    op.create_index(
        op.f("ix_rm_duplicate_key_contact"),
        _TABLE,
        ["method", "contact_no"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the table."""
    op.drop_index(op.f("ix_rm_duplicate_key_contact"), table_name=_TABLE)
    op.drop_table(_TABLE)
