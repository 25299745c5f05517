"""review findings: missed-opportunity findings and reviewers' decisions

Revision ID: efaf7ee924fa
Revises: d9239f534c18
Create Date: 2026-11-30 17:08:24.193147+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "efaf7ee924fa"
down_revision: str | None = "d9239f534c18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "missed_opportunities",
        sa.Column("fingerprint", sa.String(length=32), nullable=False),
        sa.Column("rule", sa.String(length=48), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "critical", "high", "medium", "low", name="severity", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "about",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "accepted", "dismissed", name="findingstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("decided_by_name", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("learning_note", sa.Text(), nullable=True),
        sa.Column("who_must_act", sa.String(length=120), nullable=True),
        sa.Column("dismiss_reason", sa.Text(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_missed_opportunities_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_missed_opportunities_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_missed_opportunities")),
        sa.UniqueConstraint(
            "force_id", "fingerprint", name=op.f("uq_missed_opportunities_force_id_fingerprint")
        ),
    )
    with op.batch_alter_table("missed_opportunities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_missed_opportunities_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            "ix_missed_opportunities_force_rule", ["force_id", "rule"], unique=False
        )
        batch_op.create_index(
            "ix_missed_opportunities_force_status", ["force_id", "status"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("missed_opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_missed_opportunities_force_status")
        batch_op.drop_index("ix_missed_opportunities_force_rule")
        batch_op.drop_index(batch_op.f("ix_missed_opportunities_force_id"))

    op.drop_table("missed_opportunities")
