"""One task per action per case: the later evidence items that raised a task again.

Revision ID: 0007
Revises: 0006
Create Date: 2027-02-02 10:00:00

A new table only; ``tasks`` is unchanged, so every task sealed before still verifies.
Tasks opened twice for one action before this migration stay as they are (removing a
sealed row would read as tampering); from now on a repeat links to the first task.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_evidence_task_id_tasks")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_items.id"],
            name=op.f("fk_task_evidence_evidence_id_evidence_items"),
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_task_evidence_added_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_evidence")),
        sa.UniqueConstraint("task_id", "evidence_id", name=op.f("uq_task_evidence_task_id")),
    )
    op.create_index(op.f("ix_task_evidence_task_id"), "task_evidence", ["task_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_task_evidence_task_id"), table_name="task_evidence")
    op.drop_table("task_evidence")
