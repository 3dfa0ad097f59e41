"""Tasks with their attendees, and activities with their steps (§7).

``rm_task`` holds one row per task (table 5080), every field a column: Start Time a
``TIME``, Duration whole milliseconds, Recurring Date Interval the formula's text;
its indexes serve the Next Task Date FlowFields (§2.2, §8), the sub-tasks of an
organizer task and the tasks of an opportunity or a campaign. ``rm_task_attendee``
holds the attendees of a task (table 5199), deleted with it. ``rm_activity`` and
``rm_activity_step`` hold the activities (task templates, §7.6).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TASK = "rm_task"
_TASK_INDEXES = {
    "contact": ["contact_company_no", "contact_no", "date"],
    "salesperson": ["salesperson_code", "date"],
    "team": ["team_code", "date"],
    "organizer": ["organizer_task_no"],
    "opportunity": ["opportunity_no"],
    "campaign": ["campaign_no"],
}


def _create_tasks() -> None:
    op.create_table(
        _TASK,
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("team_code", sa.String(length=10), nullable=True),
        sa.Column("salesperson_code", sa.String(length=20), nullable=True),
        sa.Column("campaign_no", sa.String(length=20), nullable=True),
        sa.Column("contact_no", sa.String(length=20), nullable=True),
        sa.Column("contact_company_no", sa.String(length=20), nullable=True),
        sa.Column("opportunity_no", sa.String(length=20), nullable=True),
        sa.Column("opportunity_entry_no", sa.BigInteger(), nullable=True),
        sa.Column("segment_no", sa.String(length=20), nullable=True),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("duration", sa.BigInteger(), nullable=False),
        sa.Column("all_day_event", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("priority", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("location", sa.String(length=100), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("date_closed", sa.Date(), nullable=True),
        sa.Column("canceled", sa.Boolean(), nullable=False),
        sa.Column("completed_by", sa.String(length=20), nullable=True),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("recurring_date_interval", sa.String(length=64), nullable=True),
        sa.Column("calc_due_date_from", sa.String(length=30), nullable=False),
        sa.Column("system_task_type", sa.String(length=30), nullable=False),
        sa.Column("organizer_task_no", sa.String(length=20), nullable=True),
        sa.Column("interaction_template_code", sa.String(length=10), nullable=True),
        sa.Column("language_code", sa.String(length=10), nullable=True),
        sa.Column("attachment_no", sa.Integer(), nullable=True),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("unit_cost_lcy", sa.Numeric(), nullable=False),
        sa.Column("unit_duration_min", sa.Numeric(), nullable=False),
        sa.Column("successor_no", sa.String(length=20), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "salesperson_code IS NOT NULL OR team_code IS NOT NULL",
            name=op.f("ck_rm_task_assigned"),
        ),
        sa.CheckConstraint(
            "duration BETWEEN 60000 AND 315360000000",
            name=op.f("ck_rm_task_duration"),
        ),
        sa.CheckConstraint("closed OR NOT canceled", name=op.f("ck_rm_task_canceled")),
        sa.PrimaryKeyConstraint("no", name=op.f("pk_rm_task")),
    )
    for suffix, columns in _TASK_INDEXES.items():
        op.create_index(f"ix_{_TASK}_{suffix}", _TASK, columns, unique=False)
    op.create_table(
        "rm_task_attendee",
        sa.Column("task_no", sa.String(length=20), nullable=False),
        sa.Column("line_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("attendance_type", sa.String(length=30), nullable=False),
        sa.Column("attendee_type", sa.String(length=30), nullable=False),
        sa.Column("attendee_no", sa.String(length=20), nullable=False),
        sa.Column("attendee_name", sa.String(length=100), nullable=False),
        sa.Column("send_invitation", sa.Boolean(), nullable=False),
        sa.Column("invitation_response", sa.String(length=30), nullable=False),
        sa.Column("invitation_sent", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_no"],
            ["rm_task.no"],
            name=op.f("fk_rm_task_attendee_task_no"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_no", "line_no", name=op.f("pk_rm_task_attendee")),
    )


def _create_activities() -> None:
    op.create_table(
        "rm_activity",
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_rm_activity")),
    )
    op.create_table(
        "rm_activity_step",
        sa.Column("activity_code", sa.String(length=10), nullable=False),
        sa.Column("step_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("description", sa.String(length=100), nullable=False),
        sa.Column("priority", sa.String(length=30), nullable=False),
        sa.Column("date_formula", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_code"],
            ["rm_activity.code"],
            name=op.f("fk_rm_activity_step_activity_code"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "activity_code", "step_no", name=op.f("pk_rm_activity_step")
        ),
    )


def upgrade() -> None:
    """Create the task, attendee, activity and activity step tables."""
    _create_tasks()
    _create_activities()


def downgrade() -> None:
    """Drop the tables (and their indexes) in reverse order."""
    op.drop_table("rm_activity_step")
    op.drop_table("rm_activity")
    op.drop_table("rm_task_attendee")
    for suffix in reversed(list(_TASK_INDEXES)):
        op.drop_index(f"ix_{_TASK}_{suffix}", table_name=_TASK)
    op.drop_table(_TASK)
