"""CPD records and saved chat digests (learning).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 19:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cpd_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("activity_type", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("learning", sa.Text(), nullable=False),
        sa.Column("impact", sa.Text(), nullable=False),
        sa.Column("peer_reflection_with", sa.String(length=300), nullable=False),
        sa.Column("peer_reflection", sa.Text(), nullable=False),
        sa.Column("standards_json", sa.Text(), nullable=False),
        sa.Column("pcf_json", sa.Text(), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=300), nullable=False),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.Column("safety_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_cpd_records_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cpd_records")),
    )
    op.create_index(op.f("ix_cpd_records_owner_id"), "cpd_records", ["owner_id"])
    op.create_table(
        "learning_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("source_name", sa.String(length=300), nullable=False),
        sa.Column("hashtag", sa.String(length=100), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.Column("safe_to_share", sa.Boolean(), nullable=False),
        sa.Column("digest_json", sa.Text(), nullable=False),
        sa.Column("cpd_draft_json", sa.Text(), nullable=False),
        sa.Column("flags_json", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_learning_digests_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_digests")),
    )
    op.create_index(op.f("ix_learning_digests_owner_id"), "learning_digests", ["owner_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_learning_digests_owner_id"), table_name="learning_digests")
    op.drop_table("learning_digests")
    op.drop_index(op.f("ix_cpd_records_owner_id"), table_name="cpd_records")
    op.drop_table("cpd_records")
