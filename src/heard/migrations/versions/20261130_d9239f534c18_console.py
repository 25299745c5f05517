"""console: live events, specialist reviews, advice, outcomes, officer assignments

Revision ID: d9239f534c18
Revises: 544a5bafd425
Create Date: 2026-11-30 16:24:21.868685+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "d9239f534c18"
down_revision: str | None = "544a5bafd425"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "live_events",
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_live_events_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_live_events")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("live_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_live_events_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_live_events_force_channel_id", ["force_id", "channel", "id"], unique=False
        )

    op.create_table(
        "da_reviews",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "state",
            sa.Enum(
                "new",
                "listening",
                "advised",
                "reviewed",
                "closed",
                name="reviewstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "owner_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_advice_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_da_reviews_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_da_reviews_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_da_reviews_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["users.id"], name=op.f("fk_da_reviews_owner_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_da_reviews")),
        sa.UniqueConstraint("call_id", name=op.f("uq_da_reviews_call_id")),
    )
    with op.batch_alter_table("da_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_da_reviews_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_da_reviews_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_da_reviews_state"), ["state"], unique=False)

    op.create_table(
        "officer_assignments",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "officer_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "assigned_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("assigned_by_name", sa.String(length=120), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"], ["users.id"], name=op.f("fk_officer_assignments_assigned_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_officer_assignments_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_officer_assignments_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_officer_assignments_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["officer_user_id"],
            ["users.id"],
            name=op.f("fk_officer_assignments_officer_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_assignments")),
        sa.UniqueConstraint(
            "incident_id",
            "officer_user_id",
            name=op.f("uq_officer_assignments_incident_id_officer_user_id"),
        ),
    )
    with op.batch_alter_table("officer_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_officer_assignments_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_officer_assignments_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_officer_assignments_officer_user_id"), ["officer_user_id"], unique=False
        )

    op.create_table(
        "advice_messages",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "review_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "audience",
            sa.Enum("handler", "officers", name="audience", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("sent_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("sent_by_name", sa.String(length=120), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_advice_messages_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_advice_messages_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_advice_messages_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"], ["da_reviews.id"], name=op.f("fk_advice_messages_review_id_da_reviews")
        ),
        sa.ForeignKeyConstraint(
            ["sent_by"], ["users.id"], name=op.f("fk_advice_messages_sent_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_messages")),
    )
    with op.batch_alter_table("advice_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_advice_messages_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_advice_messages_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_advice_messages_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "da_review_assignments",
        sa.Column(
            "review_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "claim",
                "hand_over",
                "release",
                name="assignmentaction",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "from_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "to_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "by_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"], name=op.f("fk_da_review_assignments_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_da_review_assignments_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_da_review_assignments_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["from_user_id"], ["users.id"], name=op.f("fk_da_review_assignments_from_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["da_reviews.id"],
            name=op.f("fk_da_review_assignments_review_id_da_reviews"),
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"], ["users.id"], name=op.f("fk_da_review_assignments_to_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_da_review_assignments")),
    )
    with op.batch_alter_table("da_review_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_da_review_assignments_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_da_review_assignments_review_id"), ["review_id"], unique=False
        )

    op.create_table(
        "da_review_outcomes",
        sa.Column(
            "review_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column(
            "raised_grade",
            sa.Enum(
                "emergency",
                "priority",
                "scheduled",
                "resolution",
                name="grade",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column(
            "referrals_needed",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("missed_opportunity", sa.Boolean(), nullable=False),
        sa.Column("missed_opportunity_note", sa.Text(), nullable=True),
        sa.Column("coaching", sa.Text(), nullable=True),
        sa.Column(
            "recorded_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_da_review_outcomes_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_da_review_outcomes_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_da_review_outcomes_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["da_reviews.id"],
            name=op.f("fk_da_review_outcomes_review_id_da_reviews"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_da_review_outcomes")),
        sa.UniqueConstraint("review_id", name=op.f("uq_da_review_outcomes_review_id")),
    )
    with op.batch_alter_table("da_review_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_da_review_outcomes_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_da_review_outcomes_force_id"), ["force_id"], unique=False
        )

    op.create_table(
        "advice_acknowledgements",
        sa.Column(
            "advice_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seconds_to_acknowledge", sa.Float(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["advice_id"],
            ["advice_messages.id"],
            name=op.f("fk_advice_acknowledgements_advice_id_advice_messages"),
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_advice_acknowledgements_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_advice_acknowledgements_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_advice_acknowledgements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_acknowledgements")),
        sa.UniqueConstraint(
            "advice_id", "user_id", name=op.f("uq_advice_acknowledgements_advice_id_user_id")
        ),
    )
    with op.batch_alter_table("advice_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_advice_acknowledgements_advice_id"), ["advice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_advice_acknowledgements_force_id"), ["force_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("advice_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advice_acknowledgements_force_id"))
        batch_op.drop_index(batch_op.f("ix_advice_acknowledgements_advice_id"))

    op.drop_table("advice_acknowledgements")
    with op.batch_alter_table("da_review_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_da_review_outcomes_force_id"))
        batch_op.drop_index(batch_op.f("ix_da_review_outcomes_call_id"))

    op.drop_table("da_review_outcomes")
    with op.batch_alter_table("da_review_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_da_review_assignments_review_id"))
        batch_op.drop_index(batch_op.f("ix_da_review_assignments_force_id"))

    op.drop_table("da_review_assignments")
    with op.batch_alter_table("advice_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_advice_messages_incident_id"))
        batch_op.drop_index(batch_op.f("ix_advice_messages_force_id"))
        batch_op.drop_index(batch_op.f("ix_advice_messages_call_id"))

    op.drop_table("advice_messages")
    with op.batch_alter_table("officer_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_assignments_officer_user_id"))
        batch_op.drop_index(batch_op.f("ix_officer_assignments_force_id"))
        batch_op.drop_index(batch_op.f("ix_officer_assignments_call_id"))

    op.drop_table("officer_assignments")
    with op.batch_alter_table("da_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_da_reviews_state"))
        batch_op.drop_index(batch_op.f("ix_da_reviews_owner_user_id"))
        batch_op.drop_index(batch_op.f("ix_da_reviews_force_id"))

    op.drop_table("da_reviews")
    with op.batch_alter_table("live_events", schema=None) as batch_op:
        batch_op.drop_index("ix_live_events_force_channel_id")
        batch_op.drop_index(batch_op.f("ix_live_events_created_at"))

    op.drop_table("live_events")
