"""Foundation: the setup, number series and code tables.

Revision ID: 0001
Revises:
Create Date: 2026-01-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CODE_TABLES = (
    "rm_business_relation",
    "rm_campaign_status",
    "rm_close_opportunity_code",
    "rm_industry_group",
    "rm_job_responsibility",
    "rm_mailing_group",
    "rm_organizational_level",
    "rm_salutation",
    "rm_territory",
    "rm_web_source",
)


def _code_table(name: str, *extra: sa.Column[str]) -> None:
    op.create_table(
        name,
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        *extra,
        sa.PrimaryKeyConstraint("code", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    """Create the foundation tables."""
    op.create_table(
        "rm_setup",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("contact_nos", sa.String(length=20), nullable=True),
        sa.Column("campaign_nos", sa.String(length=20), nullable=True),
        sa.Column("segment_nos", sa.String(length=20), nullable=True),
        sa.Column("task_nos", sa.String(length=20), nullable=True),
        sa.Column("opportunity_nos", sa.String(length=20), nullable=True),
        sa.Column("bus_rel_code_for_customers", sa.String(length=10), nullable=True),
        sa.Column("bus_rel_code_for_vendors", sa.String(length=10), nullable=True),
        sa.Column(
            "bus_rel_code_for_bank_accounts", sa.String(length=10), nullable=True
        ),
        sa.Column("bus_rel_code_for_employees", sa.String(length=10), nullable=True),
        sa.Column("attachment_storage_type", sa.String(length=30), nullable=False),
        sa.Column("attachment_storage_location", sa.String(length=250), nullable=False),
        sa.Column("mergefield_language_id", sa.Integer(), nullable=False),
        sa.Column("inherit_salesperson_code", sa.Boolean(), nullable=False),
        sa.Column("inherit_territory_code", sa.Boolean(), nullable=False),
        sa.Column("inherit_country_code", sa.Boolean(), nullable=False),
        sa.Column("inherit_language_code", sa.Boolean(), nullable=False),
        sa.Column("inherit_format_region", sa.Boolean(), nullable=False),
        sa.Column("inherit_address_details", sa.Boolean(), nullable=False),
        sa.Column("inherit_communication_details", sa.Boolean(), nullable=False),
        sa.Column("default_salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("default_territory_code", sa.String(length=10), nullable=True),
        sa.Column("default_country_code", sa.String(length=10), nullable=True),
        sa.Column("default_language_code", sa.String(length=10), nullable=True),
        sa.Column("default_format_region", sa.String(length=80), nullable=False),
        sa.Column("default_sales_cycle_code", sa.String(length=10), nullable=True),
        sa.Column(
            "default_company_salutation_code", sa.String(length=10), nullable=True
        ),
        sa.Column(
            "default_person_salutation_code", sa.String(length=10), nullable=True
        ),
        sa.Column("default_correspondence_type", sa.String(length=30), nullable=False),
        sa.Column("default_task_date_formula", sa.String(length=64), nullable=True),
        sa.Column("autosearch_for_duplicates", sa.Boolean(), nullable=False),
        sa.Column("maintain_dupl_search_strings", sa.Boolean(), nullable=False),
        sa.Column("search_hit_pct", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_rm_setup_singleton")),
        sa.CheckConstraint(
            "search_hit_pct BETWEEN 1 AND 100", name=op.f("ck_rm_setup_search_hit_pct")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rm_setup")),
    )
    op.create_table(
        "rm_number_series",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("starting_no", sa.String(length=20), nullable=False),
        sa.Column("ending_no", sa.String(length=20), nullable=True),
        sa.Column("warning_no", sa.String(length=20), nullable=True),
        sa.Column("increment_by", sa.Integer(), nullable=False),
        sa.Column("last_no_used", sa.String(length=20), nullable=True),
        sa.Column("last_date_used", sa.Date(), nullable=True),
        sa.Column("manual_nos", sa.Boolean(), nullable=False),
        sa.Column("default_nos", sa.Boolean(), nullable=False),
        sa.Column("date_order", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "increment_by >= 1", name=op.f("ck_rm_number_series_increment_by")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_number_series")),
    )
    _code_table("rm_business_relation")
    _code_table("rm_campaign_status")
    _code_table(
        "rm_close_opportunity_code",
        sa.Column("type", sa.String(length=30), nullable=False),
    )
    _code_table("rm_industry_group")
    _code_table("rm_job_responsibility")
    _code_table("rm_mailing_group")
    _code_table("rm_organizational_level")
    _code_table("rm_salutation")
    _code_table("rm_territory")
    _code_table(
        "rm_web_source", sa.Column("url", sa.String(length=250), nullable=False)
    )
    op.create_table(
        "rm_salutation_formula",
        sa.Column("salutation_code", sa.String(length=10), nullable=False),
        sa.Column("language_code", sa.String(length=10), nullable=False),
        sa.Column("salutation_type", sa.String(length=30), nullable=False),
        sa.Column("salutation", sa.String(length=50), nullable=False),
        sa.Column("name_1", sa.String(length=30), nullable=False),
        sa.Column("name_2", sa.String(length=30), nullable=False),
        sa.Column("name_3", sa.String(length=30), nullable=False),
        sa.Column("name_4", sa.String(length=30), nullable=False),
        sa.Column("name_5", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["salutation_code"],
            ["rm_salutation.code"],
            name=op.f("fk_rm_salutation_formula_salutation_code"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "salutation_code",
            "language_code",
            "salutation_type",
            name=op.f("pk_rm_salutation_formula"),
        ),
    )


def downgrade() -> None:
    """Drop the foundation tables."""
    op.drop_table("rm_salutation_formula")
    for name in reversed(_CODE_TABLES):
        op.drop_table(name)
    op.drop_table("rm_number_series")
    op.drop_table("rm_setup")
