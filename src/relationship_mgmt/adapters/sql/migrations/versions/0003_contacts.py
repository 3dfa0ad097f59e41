"""Contacts: the contact table, its collections and contacts' profile answers.

Revision ID: 0003
Revises: 0002
Create Date: 2026-03-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CODE_SET_TABLES = (
    "rm_contact_mailing_group",
    "rm_contact_job_responsibility",
    "rm_contact_industry_group",
    "rm_contact_business_relation",
)
_CONTACT_INDEXES = (
    "name",
    "search_name",
    "company_no",
    "post_code",
    "city",
    "phone_no",
    "search_email",
    "vat_registration_no",
)


def _contact_fk(table: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["contact_no"],
        ["rm_contact.no"],
        name=op.f(f"fk_{table}_contact_no"),
        ondelete=ondelete,
    )


def _code_set_table(name: str) -> None:
    op.create_table(
        name,
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        _contact_fk(name, "CASCADE"),
        sa.PrimaryKeyConstraint("contact_no", "code", name=op.f(f"pk_{name}")),
    )
    op.create_index(f"ix_{name}_code", name, ["code"], unique=False)


def upgrade() -> None:
    """Create the contact tables."""
    op.create_table(
        "rm_contact",
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_2", sa.String(length=50), nullable=False),
        sa.Column("search_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=30), nullable=False),
        sa.Column("middle_name", sa.String(length=30), nullable=False),
        sa.Column("surname", sa.String(length=30), nullable=False),
        sa.Column("company_no", sa.String(length=20), nullable=True),
        sa.Column("company_name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("address_2", sa.String(length=50), nullable=False),
        sa.Column("post_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("county", sa.String(length=30), nullable=False),
        sa.Column("country_code", sa.String(length=10), nullable=True),
        sa.Column("phone_no", sa.String(length=30), nullable=False),
        sa.Column("mobile_phone_no", sa.String(length=30), nullable=False),
        sa.Column("fax_no", sa.String(length=30), nullable=False),
        sa.Column("telex_no", sa.String(length=20), nullable=False),
        sa.Column("telex_answer_back", sa.String(length=20), nullable=False),
        sa.Column("extension_no", sa.String(length=30), nullable=False),
        sa.Column("pager", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=80), nullable=False),
        sa.Column("search_email", sa.String(length=80), nullable=False),
        sa.Column("email_2", sa.String(length=80), nullable=False),
        sa.Column("home_page", sa.String(length=255), nullable=False),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("territory_code", sa.String(length=10), nullable=True),
        sa.Column("currency_code", sa.String(length=10), nullable=True),
        sa.Column("language_code", sa.String(length=10), nullable=True),
        sa.Column("format_region", sa.String(length=80), nullable=False),
        sa.Column("correspondence_type", sa.String(length=30), nullable=False),
        sa.Column("salutation_code", sa.String(length=10), nullable=True),
        sa.Column("job_title", sa.String(length=30), nullable=False),
        sa.Column("initials", sa.String(length=30), nullable=False),
        sa.Column("organizational_level_code", sa.String(length=10), nullable=True),
        sa.Column("vat_registration_no", sa.String(length=20), nullable=False),
        sa.Column("registration_number", sa.String(length=20), nullable=False),
        sa.Column("exclude_from_segment", sa.Boolean(), nullable=False),
        sa.Column("external_id", sa.String(length=250), nullable=False),
        sa.Column("privacy_blocked", sa.Boolean(), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("parental_consent_received", sa.Boolean(), nullable=False),
        sa.Column("last_modified", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "type IN ('Company', 'Person')", name=op.f("ck_rm_contact_type")
        ),
        sa.ForeignKeyConstraint(
            ["company_no"],
            ["rm_contact.no"],
            name=op.f("fk_rm_contact_company_no"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_rm_contact")),
    )
    for column in _CONTACT_INDEXES:
        op.create_index(
            op.f(f"ix_rm_contact_{column}"), "rm_contact", [column], unique=False
        )
    for name in _CODE_SET_TABLES:
        _code_set_table(name)
    op.create_table(
        "rm_contact_web_source",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("search_word", sa.String(length=30), nullable=False),
        _contact_fk("rm_contact_web_source", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "contact_no", "code", name=op.f("pk_rm_contact_web_source")
        ),
    )
    op.create_table(
        "rm_contact_alternative_address",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("company_name", sa.String(length=100), nullable=False),
        sa.Column("company_name_2", sa.String(length=50), nullable=False),
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("address_2", sa.String(length=50), nullable=False),
        sa.Column("post_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("county", sa.String(length=30), nullable=False),
        sa.Column("country_code", sa.String(length=10), nullable=True),
        sa.Column("phone_no", sa.String(length=30), nullable=False),
        sa.Column("telex_no", sa.String(length=20), nullable=False),
        sa.Column("extension_no", sa.String(length=30), nullable=False),
        sa.Column("mobile_phone_no", sa.String(length=30), nullable=False),
        sa.Column("pager", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=80), nullable=False),
        sa.Column("search_email", sa.String(length=80), nullable=False),
        sa.Column("home_page", sa.String(length=255), nullable=False),
        sa.Column("fax_no", sa.String(length=30), nullable=False),
        sa.Column("telex_answer_back", sa.String(length=20), nullable=False),
        _contact_fk("rm_contact_alternative_address", "CASCADE"),
        sa.PrimaryKeyConstraint(
            "contact_no", "code", name=op.f("pk_rm_contact_alternative_address")
        ),
    )
    op.create_table(
        "rm_contact_alternative_address_period",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("starting_date", sa.Date(), nullable=False),
        sa.Column("address_code", sa.String(length=10), nullable=False),
        sa.Column("ending_date", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "ending_date IS NULL OR ending_date >= starting_date",
            name=op.f("ck_rm_contact_alternative_address_period_ending_date"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_no", "address_code"],
            [
                "rm_contact_alternative_address.contact_no",
                "rm_contact_alternative_address.code",
            ],
            name=op.f("fk_rm_contact_alternative_address_period_contact_no"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "contact_no",
            "starting_date",
            name=op.f("pk_rm_contact_alternative_address_period"),
        ),
    )
    op.create_table(
        "rm_contact_profile_answer",
        sa.Column("contact_no", sa.String(length=20), nullable=False),
        sa.Column("questionnaire_code", sa.String(length=20), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_date_updated", sa.Date(), nullable=False),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("questionnaire_priority", sa.String(length=30), nullable=False),
        sa.Column("answer_priority", sa.String(length=30), nullable=False),
        sa.Column("questions_answered_pct", sa.Numeric(), nullable=False),
        sa.Column("value_text", sa.String(length=250), nullable=False),
        _contact_fk("rm_contact_profile_answer", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["questionnaire_code", "line_no"],
            ["rm_profile_line.questionnaire_code", "rm_profile_line.line_no"],
            name=op.f("fk_rm_contact_profile_answer_questionnaire_code"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "contact_no",
            "questionnaire_code",
            "line_no",
            name=op.f("pk_rm_contact_profile_answer"),
        ),
    )
    op.create_index(
        "ix_rm_contact_profile_answer_questionnaire_code",
        "rm_contact_profile_answer",
        ["questionnaire_code", "line_no"],
        unique=False,
    )


def downgrade() -> None:
    """Drop the contact tables (their indexes go with them)."""
    op.drop_table("rm_contact_profile_answer")
    op.drop_table("rm_contact_alternative_address_period")
    op.drop_table("rm_contact_alternative_address")
    op.drop_table("rm_contact_web_source")
    for name in reversed(_CODE_SET_TABLES):
        op.drop_table(name)
    op.drop_table("rm_contact")
