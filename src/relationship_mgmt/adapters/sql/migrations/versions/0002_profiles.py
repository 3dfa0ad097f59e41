"""Profile questionnaires: header, lines (questions and answers) and rating points.

Revision ID: 0002
Revises: 0001
Create Date: 2026-03-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the profile questionnaire tables."""
    op.create_table(
        "rm_profile_questionnaire",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=250), nullable=False),
        sa.Column("contact_type", sa.String(length=30), nullable=False),
        sa.Column("business_relation_code", sa.String(length=10), nullable=True),
        sa.Column("priority", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_profile_questionnaire")),
    )
    op.create_table(
        "rm_profile_line",
        sa.Column("questionnaire_code", sa.String(length=20), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=250), nullable=False),
        sa.Column("multiple_answers", sa.Boolean(), nullable=True),
        sa.Column("auto_contact_classification", sa.Boolean(), nullable=True),
        sa.Column("customer_class_field", sa.String(length=50), nullable=True),
        sa.Column("vendor_class_field", sa.String(length=50), nullable=True),
        sa.Column("contact_class_field", sa.String(length=50), nullable=True),
        sa.Column("starting_date_formula", sa.String(length=64), nullable=True),
        sa.Column("ending_date_formula", sa.String(length=64), nullable=True),
        sa.Column("classification_method", sa.String(length=30), nullable=True),
        sa.Column("sorting_method", sa.String(length=30), nullable=True),
        sa.Column("no_of_decimals", sa.Integer(), nullable=True),
        sa.Column("min_pct_questions_answered", sa.Numeric(), nullable=True),
        sa.Column("from_value", sa.Numeric(), nullable=True),
        sa.Column("to_value", sa.Numeric(), nullable=True),
        sa.Column("priority", sa.String(length=30), nullable=True),
        sa.CheckConstraint(
            "type IN ('Question', 'Answer')", name=op.f("ck_rm_profile_line_type")
        ),
        sa.CheckConstraint(
            "type <> 'Question' OR (multiple_answers IS NOT NULL AND "
            "auto_contact_classification IS NOT NULL AND "
            "customer_class_field IS NOT NULL AND vendor_class_field IS NOT NULL AND "
            "contact_class_field IS NOT NULL AND classification_method IS NOT NULL "
            "AND sorting_method IS NOT NULL AND no_of_decimals IS NOT NULL AND "
            "min_pct_questions_answered IS NOT NULL)",
            name=op.f("ck_rm_profile_line_question"),
        ),
        sa.CheckConstraint(
            "type <> 'Answer' OR (from_value IS NOT NULL AND to_value IS NOT NULL "
            "AND priority IS NOT NULL)",
            name=op.f("ck_rm_profile_line_answer"),
        ),
        sa.CheckConstraint(
            "customer_class_field = '' OR "
            "(vendor_class_field = '' AND contact_class_field = '')",
            name=op.f("ck_rm_profile_line_one_customer_class_field"),
        ),
        sa.CheckConstraint(
            "vendor_class_field = '' OR contact_class_field = ''",
            name=op.f("ck_rm_profile_line_one_vendor_class_field"),
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_code"],
            ["rm_profile_questionnaire.code"],
            name=op.f("fk_rm_profile_line_questionnaire_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "questionnaire_code", "line_no", name=op.f("pk_rm_profile_line")
        ),
    )
    op.create_table(
        "rm_profile_rating_point",
        sa.Column("questionnaire_code", sa.String(length=20), nullable=False),
        sa.Column(
            "question_line_no", sa.Integer(), autoincrement=False, nullable=False
        ),
        sa.Column("answer_questionnaire_code", sa.String(length=20), nullable=False),
        sa.Column("answer_line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points", sa.Numeric(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["questionnaire_code", "question_line_no"],
            ["rm_profile_line.questionnaire_code", "rm_profile_line.line_no"],
            name=op.f("fk_rm_profile_rating_point_questionnaire_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "questionnaire_code",
            "question_line_no",
            "answer_questionnaire_code",
            "answer_line_no",
            name=op.f("pk_rm_profile_rating_point"),
        ),
    )


def downgrade() -> None:
    """Drop the profile questionnaire tables."""
    op.drop_table("rm_profile_rating_point")
    op.drop_table("rm_profile_line")
    op.drop_table("rm_profile_questionnaire")
