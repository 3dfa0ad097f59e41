"""Segments with their lines, criteria actions and history (§4).

``rm_segment`` holds the segment headers (table 5076). Its children are deleted with
it: ``rm_segment_line`` the lines (table 5077, every field a column, indexed by
contact), ``rm_segment_action`` the criteria actions (table 5097, the criteria tree
as the library's JSON text) and ``rm_segment_history`` the history (table 5078,
keyed by action, line and action taken, with the whole line's columns).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEGMENT = "rm_segment"
_LINE = "rm_segment_line"
_ACTION = "rm_segment_action"
_HISTORY = "rm_segment_history"
_LINE_CONTACT_INDEX = "ix_rm_segment_line_contact"


def _line_columns() -> list[sa.Column[Any]]:
    """Every field of a segment line after its number (lines and history rows)."""
    return [
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("correspondence_type", sa.String(length=30), nullable=False),
        sa.Column("interaction_template_code", sa.String(length=10), nullable=True),
        sa.Column("interaction_group_code", sa.String(length=10), nullable=True),
        sa.Column("cost_lcy", sa.Numeric(), nullable=False),
        sa.Column("duration_min", sa.Numeric(), nullable=False),
        sa.Column("language_code", sa.String(length=10), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("campaign_target", sa.Boolean(), nullable=False),
        sa.Column("campaign_response", sa.Boolean(), nullable=False),
        sa.Column("information_flow", sa.String(length=30), nullable=False),
        sa.Column("initiated_by", sa.String(length=30), nullable=False),
        sa.Column("contact_alt_address_code", sa.String(length=10), nullable=True),
        sa.Column("send_word_docs_as_attmt", sa.Boolean(), nullable=False),
        sa.Column("word_template_code", sa.String(length=30), nullable=True),
        sa.Column("subject", sa.String(length=100), nullable=False),
    ]


def _child_of_segment(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["segment_no"],
        [f"{_SEGMENT}.no"],
        name=op.f(f"fk_{name}_segment_no"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    """Create the segment tables."""
    op.create_table(
        _SEGMENT,
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("correspondence_type_default", sa.String(length=30), nullable=False),
        sa.Column("interaction_template_code", sa.String(length=10), nullable=True),
        sa.Column("interaction_group_code", sa.String(length=10), nullable=True),
        sa.Column("unit_cost_lcy", sa.Numeric(), nullable=False),
        sa.Column("unit_duration_min", sa.Numeric(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("campaign_target", sa.Boolean(), nullable=False),
        sa.Column("campaign_response", sa.Boolean(), nullable=False),
        sa.Column("information_flow", sa.String(length=30), nullable=False),
        sa.Column("initiated_by", sa.String(length=30), nullable=False),
        sa.Column("language_code_default", sa.String(length=10), nullable=True),
        sa.Column("send_word_docs_as_attmt", sa.Boolean(), nullable=False),
        sa.Column("ignore_contact_corres_type", sa.Boolean(), nullable=False),
        sa.Column("subject_default", sa.String(length=100), nullable=False),
        sa.Column("word_template_code", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_rm_segment")),
    )
    op.create_table(
        _LINE,
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        *_line_columns(),
        _child_of_segment(_LINE),
        sa.PrimaryKeyConstraint("segment_no", "line_no", name=op.f(f"pk_{_LINE}")),
    )
    op.create_index(_LINE_CONTACT_INDEX, _LINE, ["contact_no"], unique=False)
    op.create_table(
        _ACTION,
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("criteria", sa.Text(), nullable=False),
        sa.Column("allow_existing_contacts", sa.Boolean(), nullable=False),
        sa.Column("expand_companies", sa.Boolean(), nullable=False),
        sa.Column("allow_related_companies", sa.Boolean(), nullable=False),
        sa.Column("ignore_exclusion", sa.Boolean(), nullable=False),
        sa.Column("entire_companies", sa.Boolean(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        _child_of_segment(_ACTION),
        sa.PrimaryKeyConstraint("segment_no", "number", name=op.f(f"pk_{_ACTION}")),
    )
    op.create_table(
        _HISTORY,
        sa.Column("segment_no", sa.String(length=20), nullable=False),
        sa.Column("action_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("action_taken", sa.String(length=30), nullable=False),
        *_line_columns(),
        _child_of_segment(_HISTORY),
        sa.PrimaryKeyConstraint(
            "segment_no",
            "action_no",
            "line_no",
            "action_taken",
            name=op.f(f"pk_{_HISTORY}"),
        ),
    )


def downgrade() -> None:
    """Drop the segment tables, children first."""
    op.drop_table(_HISTORY)
    op.drop_table(_ACTION)
    op.drop_index(_LINE_CONTACT_INDEX, table_name=_LINE)
    op.drop_table(_LINE)
    op.drop_table(_SEGMENT)
