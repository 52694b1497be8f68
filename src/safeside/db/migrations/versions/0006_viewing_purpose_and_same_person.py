"""A justification's purpose (from a list) and a manager's "Same person?" answer.

Revision ID: 0006
Revises: 0005
Create Date: 2027-02-01 10:00:00

Both columns are added in place (no table rebuild on SQLite) with an empty default. Rows
written before have them empty, and an empty value is left out of the record's seal, so
every justification and decision sealed before still verifies.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "justifications",
        sa.Column("purpose_kind", sa.String(length=40), server_default="", nullable=False),
    )
    op.add_column(
        "viewing_decisions",
        sa.Column("same_person", sa.String(length=20), server_default="", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("viewing_decisions") as batch:
        batch.drop_column("same_person")
    with op.batch_alter_table("justifications") as batch:
        batch.drop_column("purpose_kind")
