"""Digital-capability self-assessment and survey responses (learning).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 19:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "capability_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=80), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("answers_json", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_capability_responses_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_capability_responses_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capability_responses")),
    )
    op.create_index(op.f("ix_capability_responses_team_id"), "capability_responses", ["team_id"])
    op.create_index(op.f("ix_capability_responses_user_id"), "capability_responses", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_capability_responses_user_id"), table_name="capability_responses")
    op.drop_index(op.f("ix_capability_responses_team_id"), table_name="capability_responses")
    op.drop_table("capability_responses")
