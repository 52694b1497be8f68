"""Completed training scenarios (learning).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 19:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scenario_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.String(length=80), nullable=False),
        sa.Column("scenario_version", sa.Integer(), nullable=False),
        sa.Column("answers_json", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("reflection", sa.Text(), nullable=False),
        sa.Column("cpd_record_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cpd_record_id"],
            ["cpd_records.id"],
            name=op.f("fk_scenario_completions_cpd_record_id_cpd_records"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_scenario_completions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_completions")),
    )
    op.create_index(
        op.f("ix_scenario_completions_scenario_id"), "scenario_completions", ["scenario_id"]
    )
    op.create_index(op.f("ix_scenario_completions_user_id"), "scenario_completions", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_scenario_completions_user_id"), table_name="scenario_completions")
    op.drop_index(op.f("ix_scenario_completions_scenario_id"), table_name="scenario_completions")
    op.drop_table("scenario_completions")
