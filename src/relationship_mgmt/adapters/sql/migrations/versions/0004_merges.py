"""Merges: merge records, aliases of merged-away numbers, separate contact pairs.

Revision ID: 0004
Revises: 0003
Create Date: 2026-03-16
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the merge, alias and separate-pair tables."""
    op.create_table(
        "rm_contact_merge",
        sa.Column("merged_no", sa.String(length=20), nullable=False),
        sa.Column("survivor_no", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("merged_no", name=op.f("pk_rm_contact_merge")),
    )
    op.create_index(
        op.f("ix_rm_contact_merge_survivor_no"),
        "rm_contact_merge",
        ["survivor_no"],
        unique=False,
    )
    op.create_table(
        "rm_contact_alias",
        sa.Column("merged_no", sa.String(length=20), nullable=False),
        sa.Column("survivor_no", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("merged_no", name=op.f("pk_rm_contact_alias")),
    )
    op.create_index(
        op.f("ix_rm_contact_alias_survivor_no"),
        "rm_contact_alias",
        ["survivor_no"],
        unique=False,
    )
    op.create_table(
        "rm_contact_separate_pair",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("other_contact_no", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint(
            "contact_no", "other_contact_no", name=op.f("pk_rm_contact_separate_pair")
        ),
    )


def downgrade() -> None:
    """Drop the merge tables (their indexes go with them)."""
    op.drop_table("rm_contact_separate_pair")
    op.drop_table("rm_contact_alias")
    op.drop_table("rm_contact_merge")
