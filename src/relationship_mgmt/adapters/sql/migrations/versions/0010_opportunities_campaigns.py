"""Sales cycles with their stages, opportunities and their entries, campaigns and theirs (§5, §6).

``rm_sales_cycle`` and ``rm_sales_cycle_stage`` hold the sales cycles (tables 5090,
5091; a stage's date formula as its text), deleted stages with their cycle.
``rm_opportunity`` holds one row per opportunity (table 5092), indexed for the
contact's (§2.2), the salesperson's, the campaign's and the sales cycle's
opportunities; ``rm_opportunity_entry`` its entries (table 5093), numbered through
``rm_entry_counter``. ``rm_campaign`` and ``rm_campaign_entry`` hold the campaigns
(table 5071) and their entries (table 5072), numbered the same way.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPPORTUNITY = "rm_opportunity"
_OPPORTUNITY_INDEXES = {
    "contact": ["contact_company_no", "contact_no"],
    "salesperson": ["salesperson_code"],
    "campaign": ["campaign_no"],
    "sales_cycle": ["sales_cycle_code"],
}
_OPPORTUNITY_ENTRY_INDEX = "ix_rm_opportunity_entry_opportunity"
_CAMPAIGN_ENTRY_INDEX = "ix_rm_campaign_entry_campaign"


def _create_sales_cycles() -> None:
    op.create_table(
        "rm_sales_cycle",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("probability_calculation", sa.String(length=30), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_sales_cycle")),
    )
    op.create_table(
        "rm_sales_cycle_stage",
        sa.Column("sales_cycle_code", sa.String(length=10), nullable=False),
        sa.Column("stage", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("completed_pct", sa.Numeric(), nullable=False),
        sa.Column("chances_of_success_pct", sa.Numeric(), nullable=False),
        sa.Column("activity_code", sa.String(length=10), nullable=True),
        sa.Column("quote_required", sa.Boolean(), nullable=False),
        sa.Column("allow_skip", sa.Boolean(), nullable=False),
        sa.Column("date_formula", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sales_cycle_code"],
            ["rm_sales_cycle.code"],
            name=op.f("fk_rm_sales_cycle_stage_sales_cycle_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "sales_cycle_code", "stage", name=op.f("pk_rm_sales_cycle_stage")
        ),
    )


def _create_opportunities() -> None:
    op.create_table(
        _OPPORTUNITY,
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("contact_no", sa.String(length=20), nullable=True),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("sales_cycle_code", sa.String(length=10), nullable=True),
        sa.Column("creation_date", sa.Date(), nullable=False),
        sa.Column("date_closed", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.String(length=30), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("sales_document_type", sa.String(length=30), nullable=False),
        sa.Column("sales_document_no", sa.String(length=20), nullable=True),
        sa.Column("segment_no", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_rm_opportunity")),
    )
    for suffix, columns in _OPPORTUNITY_INDEXES.items():
        op.create_index(
            f"ix_{_OPPORTUNITY}_{suffix}", _OPPORTUNITY, columns, unique=False
        )
    op.create_table(
        "rm_opportunity_entry",
        sa.Column("entry_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("opportunity_no", sa.String(length=20), nullable=False),
        sa.Column("sales_cycle_code", sa.String(length=10), nullable=True),
        sa.Column("sales_cycle_stage", sa.Integer(), nullable=True),
        sa.Column("previous_sales_cycle_stage", sa.Integer(), nullable=True),
        sa.Column("contact_no", sa.String(length=20), nullable=True),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("date_of_change", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("date_closed", sa.Date(), nullable=True),
        sa.Column("days_open", sa.Integer(), nullable=False),
        sa.Column("action_taken", sa.String(length=30), nullable=False),
        sa.Column("action_type", sa.String(length=30), nullable=False),
        sa.Column("estimated_value", sa.Numeric(), nullable=False),
        sa.Column("calcd_current_value", sa.Numeric(), nullable=False),
        sa.Column("completed_pct", sa.Numeric(), nullable=False),
        sa.Column("chances_of_success_pct", sa.Numeric(), nullable=False),
        sa.Column("probability_pct", sa.Numeric(), nullable=False),
        sa.Column("estimated_close_date", sa.Date(), nullable=True),
        sa.Column("close_opportunity_code", sa.String(length=10), nullable=True),
        sa.Column("cancel_old_task", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("entry_no", name=op.f("pk_rm_opportunity_entry")),
    )
    op.create_index(
        _OPPORTUNITY_ENTRY_INDEX,
        "rm_opportunity_entry",
        ["opportunity_no", "entry_no"],
        unique=False,
    )


def _create_campaigns() -> None:
    op.create_table(
        "rm_campaign",
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("starting_date", sa.Date(), nullable=True),
        sa.Column("ending_date", sa.Date(), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("status_code", sa.String(length=10), nullable=True),
        sa.Column("global_dimension_1_code", sa.String(length=20), nullable=True),
        sa.Column("global_dimension_2_code", sa.String(length=20), nullable=True),
        sa.Column("no_series", sa.String(length=20), nullable=True),
        sa.Column("activated", sa.Boolean(), nullable=False),
        sa.Column("last_date_modified", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_rm_campaign")),
    )
    op.create_table(
        "rm_campaign_entry",
        sa.Column("entry_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("campaign_no", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("segment_no", sa.String(length=20), nullable=True),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("register_no", sa.BigInteger(), nullable=True),
        sa.Column("document_type", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("entry_no", name=op.f("pk_rm_campaign_entry")),
    )
    op.create_index(
        _CAMPAIGN_ENTRY_INDEX,
        "rm_campaign_entry",
        ["campaign_no", "entry_no"],
        unique=False,
    )


def upgrade() -> None:
    """Create the sales cycle, opportunity and campaign tables with their entries."""
    _create_sales_cycles()
    _create_opportunities()
    _create_campaigns()


def downgrade() -> None:
    """Drop the tables (and their indexes) in reverse order."""
    op.drop_index(_CAMPAIGN_ENTRY_INDEX, table_name="rm_campaign_entry")
    op.drop_table("rm_campaign_entry")
    op.drop_table("rm_campaign")
    op.drop_index(_OPPORTUNITY_ENTRY_INDEX, table_name="rm_opportunity_entry")
    op.drop_table("rm_opportunity_entry")
    for suffix in reversed(list(_OPPORTUNITY_INDEXES)):
        op.drop_index(f"ix_{_OPPORTUNITY}_{suffix}", table_name=_OPPORTUNITY)
    op.drop_table(_OPPORTUNITY)
    op.drop_table("rm_sales_cycle_stage")
    op.drop_table("rm_sales_cycle")
