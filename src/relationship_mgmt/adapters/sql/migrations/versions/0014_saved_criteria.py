"""Saved segment criteria (§4.8).

``rm_saved_criteria`` holds the saved criteria (table 5098), keyed by code; its
child ``rm_saved_criteria_action`` the actions (table 5099, the columns of
``rm_segment_action``: the criteria tree as the library's JSON text), deleted with
it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SAVED = "rm_saved_criteria"
_ACTION = "rm_saved_criteria_action"


def upgrade() -> None:
    """Create the saved criteria tables."""
    op.create_table(
        _SAVED,
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f(f"pk_{_SAVED}")),
    )
    op.create_table(
        _ACTION,
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("allow_existing_contacts", sa.Boolean(), nullable=False),
        sa.Column("expand_companies", sa.Boolean(), nullable=False),
        sa.Column("allow_related_companies", sa.Boolean(), nullable=False),
        sa.Column("ignore_exclusion", sa.Boolean(), nullable=False),
        sa.Column("entire_companies", sa.Boolean(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["code"],
            [f"{_SAVED}.code"],
            name=op.f(f"fk_{_ACTION}_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code", "number", name=op.f(f"pk_{_ACTION}")),
    )


def downgrade() -> None:
    """Drop the saved criteria tables, the actions first."""
    op.drop_table(_ACTION)
    op.drop_table(_SAVED)
