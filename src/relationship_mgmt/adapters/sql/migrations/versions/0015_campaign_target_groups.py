"""Campaign target groups (§6.3).

``rm_campaign_target_group`` holds one row per target group row (table 7030), keyed
by (type, no, campaign_no), with an index on the campaign.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "rm_campaign_target_group"
_CAMPAIGN_INDEX = "ix_rm_campaign_target_group_campaign"


def upgrade() -> None:
    """Create the campaign target group table and its index."""
    op.create_table(
        _TABLE,
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("no", sa.String(length=20), nullable=False),
        sa.Column("campaign_no", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("type", "no", "campaign_no", name=op.f(f"pk_{_TABLE}")),
    )
    op.create_index(_CAMPAIGN_INDEX, _TABLE, ["campaign_no"], unique=False)


def downgrade() -> None:
    """Drop the campaign target group table and its index."""
    op.drop_index(_CAMPAIGN_INDEX, table_name=_TABLE)
    op.drop_table(_TABLE)
