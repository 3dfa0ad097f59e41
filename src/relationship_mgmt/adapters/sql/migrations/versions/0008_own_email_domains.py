"""The organisation's own e-mail domains on the setup (§1.4, e-mail logging).

``rm_setup.own_email_domains`` holds a ``;`` list of domains; e-mail logging calls a
message from one of them outbound. Existing setups get none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column, blank for the existing setup."""
    op.add_column(
        "rm_setup",
        sa.Column(
            "own_email_domains",
            sa.String(length=250),
            server_default="",
            nullable=False,
        ),
    )


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("rm_setup") as batch:
        batch.drop_column("own_email_domains")
