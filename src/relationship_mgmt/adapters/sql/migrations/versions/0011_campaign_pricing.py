"""Campaign sales price and line-discount lines (§6.3).

``rm_campaign_pricing_line`` holds one row per line, keyed within its campaign by
:func:`~relationship_mgmt.domain.campaigns.pricing_line_key`.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "rm_campaign_pricing_line"


def upgrade() -> None:
    """Create the campaign pricing line table."""
    op.create_table(
        _TABLE,
        sa.Column("campaign_no", sa.String(length=20), nullable=False),
        sa.Column("line_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("asset_type", sa.String(length=30), nullable=False),
        sa.Column("asset_no", sa.String(length=20), nullable=False),
        sa.Column("variant_code", sa.String(length=10), nullable=True),
        sa.Column("unit_of_measure_code", sa.String(length=10), nullable=True),
        sa.Column("currency_code", sa.String(length=10), nullable=True),
        sa.Column("minimum_quantity", sa.Numeric(), nullable=False),
        sa.Column("starting_date", sa.Date(), nullable=True),
        sa.Column("ending_date", sa.Date(), nullable=True),
        sa.Column("unit_price", sa.Numeric(), nullable=True),
        sa.Column("allow_line_disc", sa.Boolean(), nullable=True),
        sa.Column("allow_invoice_disc", sa.Boolean(), nullable=True),
        sa.Column("line_discount_pct", sa.Numeric(), nullable=True),
        sa.PrimaryKeyConstraint(
            "campaign_no", "line_key", name=op.f("pk_rm_campaign_pricing_line")
        ),
    )


def downgrade() -> None:
    """Drop the campaign pricing line table."""
    op.drop_table(_TABLE)
