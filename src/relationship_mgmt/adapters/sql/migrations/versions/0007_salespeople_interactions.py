"""Salespeople, teams, interaction groups, templates, their setup and the log (§3, §8).

Salespeople (table 13) and teams with their members (5083, 5084); the interaction
group code table (5063); interaction templates with their language rows (5064,
5103); the Interaction Template Setup (5122) as a version row and one row per
document kind with a template; the interaction log (5065), every field a column,
indexed for the FlowFields' filters, with a partial unique index on the
idempotency key; and ``rm_entry_counter``, the last entry number of each numbered
log, created on first use.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LOG = "rm_interaction_log_entry"
_LOG_INDEXES = {
    "contact": ["contact_company_no", "contact_no", "date"],
    "template": ["interaction_template_code"],
    "group": ["interaction_group_code"],
    "salesperson": ["salesperson_code"],
    "campaign": ["campaign_no"],
}
_IDEMPOTENCY_INDEX = "ux_rm_interaction_log_entry_idempotency_key"


def _create_people() -> None:
    op.create_table(
        "rm_salesperson",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("job_title", sa.String(length=30), nullable=False),
        sa.Column("commission_pct", sa.Numeric(), nullable=False),
        sa.Column("email", sa.String(length=80), nullable=False),
        sa.Column("email_2", sa.String(length=80), nullable=False),
        sa.Column("phone_no", sa.String(length=30), nullable=False),
        sa.Column("privacy_blocked", sa.Boolean(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("global_dimension_1_code", sa.String(length=20), nullable=True),
        sa.Column("global_dimension_2_code", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_salesperson")),
    )
    op.create_table(
        "rm_team",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_team")),
    )
    op.create_table(
        "rm_team_salesperson",
        sa.Column("team_code", sa.String(length=10), nullable=False),
        sa.Column("salesperson_code", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_code"],
            ["rm_team.code"],
            name=op.f("fk_rm_team_salesperson_team_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "team_code", "salesperson_code", name=op.f("pk_rm_team_salesperson")
        ),
    )
    op.create_index(
        op.f("ix_rm_team_salesperson_salesperson_code"),
        "rm_team_salesperson",
        ["salesperson_code"],
        unique=False,
    )


def _create_templates() -> None:
    op.create_table(
        "rm_interaction_group",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_interaction_group")),
    )
    op.create_table(
        "rm_interaction_template",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("interaction_group_code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("unit_cost_lcy", sa.Numeric(), nullable=False),
        sa.Column("unit_duration_min", sa.Numeric(), nullable=False),
        sa.Column("information_flow", sa.String(length=30), nullable=False),
        sa.Column("initiated_by", sa.String(length=30), nullable=False),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("campaign_target", sa.Boolean(), nullable=False),
        sa.Column("campaign_response", sa.Boolean(), nullable=False),
        sa.Column("correspondence_type", sa.String(length=30), nullable=False),
        sa.Column("language_code_default", sa.String(length=10), nullable=True),
        sa.Column("wizard_action", sa.String(length=30), nullable=False),
        sa.Column("ignore_contact_corres_type", sa.Boolean(), nullable=False),
        sa.Column("word_template_code", sa.String(length=30), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_interaction_template")),
    )
    op.create_table(
        "rm_interaction_template_language",
        sa.Column("template_code", sa.String(length=10), nullable=False),
        sa.Column("language_code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("attachment_no", sa.Integer(), nullable=True),
        sa.Column("word_template_code", sa.String(length=30), nullable=True),
        sa.Column("custom_layout_code", sa.String(length=20), nullable=True),
        sa.Column("report_layout_name", sa.String(length=250), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_code"],
            ["rm_interaction_template.code"],
            name=op.f("fk_rm_interaction_template_language_template_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "template_code",
            "language_code",
            name=op.f("pk_rm_interaction_template_language"),
        ),
    )
    op.create_table(
        "rm_interaction_template_setup",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "id = 1", name=op.f("ck_rm_interaction_template_setup_singleton")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rm_interaction_template_setup")),
    )
    op.create_table(
        "rm_interaction_template_setup_template",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("template_code", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint(
            "kind", name=op.f("pk_rm_interaction_template_setup_template")
        ),
    )


def _create_log() -> None:
    op.create_table(
        _LOG,
        sa.Column("entry_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("contact_no", sa.String(length=20), nullable=True),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("time_of_interaction", sa.Time(), nullable=True),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("information_flow", sa.String(length=30), nullable=False),
        sa.Column("initiated_by", sa.String(length=30), nullable=False),
        sa.Column("attachment_no", sa.Integer(), nullable=True),
        sa.Column("cost_lcy", sa.Numeric(), nullable=False),
        sa.Column("duration_min", sa.Numeric(), nullable=False),
        sa.Column("user_id", sa.String(length=50), nullable=False),
        sa.Column("interaction_group_code", sa.String(length=10), nullable=True),
        sa.Column("interaction_template_code", sa.String(length=10), nullable=True),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("campaign_entry_no", sa.BigInteger(), nullable=True),
        sa.Column("campaign_response", sa.Boolean(), nullable=False),
        sa.Column("campaign_target", sa.Boolean(), nullable=False),
        sa.Column("segment_no", sa.String(length=20), nullable=True),
        sa.Column("evaluation", sa.String(length=30), nullable=False),
        sa.Column("attempt_failed", sa.Boolean(), nullable=False),
        sa.Column("task_no", sa.String(length=20), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("delivery_status", sa.String(length=30), nullable=False),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.Column("correspondence_type", sa.String(length=30), nullable=False),
        sa.Column("contact_alt_address_code", sa.String(length=10), nullable=True),
        sa.Column("logged_segment_entry_no", sa.BigInteger(), nullable=True),
        sa.Column("document_type", sa.String(length=30), nullable=False),
        sa.Column("document_no", sa.String(length=20), nullable=True),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("doc_no_occurrence", sa.Integer(), nullable=False),
        sa.Column("contact_via", sa.String(length=80), nullable=False),
        sa.Column("send_word_docs_as_attmt", sa.Boolean(), nullable=False),
        sa.Column("interaction_language_code", sa.String(length=10), nullable=True),
        sa.Column("email_logged", sa.Boolean(), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("opportunity_no", sa.String(length=20), nullable=True),
        sa.Column("postponed", sa.Boolean(), nullable=False),
        sa.Column("word_template_code", sa.String(length=30), nullable=True),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.Column("modified_word_template", sa.Integer(), nullable=True),
        sa.Column("email_message_id", sa.String(length=250), nullable=False),
        sa.Column("idempotency_key", sa.String(length=250), nullable=True),
        sa.Column("payload_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "postponed OR date IS NOT NULL",
            name=op.f("ck_rm_interaction_log_entry_date"),
        ),
        sa.CheckConstraint(
            "(idempotency_key IS NULL) = (payload_fingerprint IS NULL)",
            name=op.f("ck_rm_interaction_log_entry_idempotency"),
        ),
        sa.PrimaryKeyConstraint("entry_no", name=op.f("pk_rm_interaction_log_entry")),
    )
    for suffix, columns in _LOG_INDEXES.items():
        op.create_index(f"ix_{_LOG}_{suffix}", _LOG, columns, unique=False)
    op.create_index(
        _IDEMPOTENCY_INDEX,
        _LOG,
        ["idempotency_key"],
        unique=True,
        sqlite_where=sa.text("idempotency_key IS NOT NULL"),
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_table(
        "rm_entry_counter",
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("last_no", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rm_entry_counter")),
    )


def upgrade() -> None:
    """Create the salespeople, team, interaction and entry-counter tables."""
    _create_people()
    _create_templates()
    _create_log()


def downgrade() -> None:
    """Drop the tables (and their indexes) in reverse order."""
    op.drop_table("rm_entry_counter")
    op.drop_index(_IDEMPOTENCY_INDEX, table_name=_LOG)
    for suffix in reversed(list(_LOG_INDEXES)):
        op.drop_index(f"ix_{_LOG}_{suffix}", table_name=_LOG)
    op.drop_table(_LOG)
    for name in (
        "rm_interaction_template_setup_template",
        "rm_interaction_template_setup",
        "rm_interaction_template_language",
        "rm_interaction_template",
        "rm_interaction_group",
    ):
        op.drop_table(name)
    op.drop_index(
        op.f("ix_rm_team_salesperson_salesperson_code"),
        table_name="rm_team_salesperson",
    )
    for name in ("rm_team_salesperson", "rm_team", "rm_salesperson"):
        op.drop_table(name)
