"""Business relation links: Link to Table and No. on contact business relations.

BC's Contact Business Relation row (§2.8) names the customer, vendor, bank account
or employee a contact is linked with. A partial unique index (``no <> ''``, on both
SQLite and PostgreSQL) keeps each of them linked to one contact at most.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "rm_contact_business_relation"
_INDEX = "ux_rm_contact_business_relation_link"


def upgrade() -> None:
    """Add the two columns (blank for existing rows) and the partial unique index."""
    op.add_column(
        _TABLE,
        sa.Column(
            "link_to_table", sa.String(length=20), server_default="", nullable=False
        ),
    )
    op.add_column(
        _TABLE,
        sa.Column("no", sa.String(length=20), server_default="", nullable=False),
    )
    op.create_index(
        _INDEX,
        _TABLE,
        ["link_to_table", "no"],
        unique=True,
        sqlite_where=sa.text("no != ''"),
        postgresql_where=sa.text("no != ''"),
    )


def downgrade() -> None:
    """Drop the index and the two columns."""
    op.drop_index(_INDEX, table_name=_TABLE)
    with op.batch_alter_table(_TABLE) as batch:
        batch.drop_column("no")
        batch.drop_column("link_to_table")
