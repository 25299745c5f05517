"""warning signs

Revision ID: 3e8f79eb4b20
Revises: a05a97ba9adf
Create Date: 2026-11-30 16:15:46.673136+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "3e8f79eb4b20"
down_revision: str | None = "a05a97ba9adf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "call_cues",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_segment_id", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_call_cues_call_id_calls")),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_call_cues_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_cues")),
        sa.UniqueConstraint("call_id", "code", name=op.f("uq_call_cues_call_id_code")),
    )
    with op.batch_alter_table("call_cues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_cues_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_cues_force_id"), ["force_id"], unique=False)

    op.create_table(
        "call_signal_states",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("cue_domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("relationship", sa.String(length=32), nullable=True),
        sa.Column("segments_seen", sa.Integer(), nullable=False),
        sa.Column(
            "suggested_grade",
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
            "suggestion_reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "refused_grades",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "grade",
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
            "grade_set_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("grade_set_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_signal_states_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_call_signal_states_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["grade_set_by"], ["users.id"], name=op.f("fk_call_signal_states_grade_set_by_users")
        ),
        sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_signal_states")),
    )
    with op.batch_alter_table("call_signal_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_signal_states_force_id"), ["force_id"], unique=False
        )

    op.create_table(
        "grade_changes",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "suggested",
                "set",
                "reverted",
                "call_back",
                name="changekind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "grade",
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
            "previous_grade",
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
            "suggested_grade",
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
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "by_user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("by_name", sa.String(length=64), nullable=False),
        sa.Column("by_role", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "recorded",
                "pending",
                "signed_off",
                "rejected",
                "superseded",
                name="changestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "decided_by", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("decided_by_name", sa.String(length=64), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"], name=op.f("fk_grade_changes_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_grade_changes_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_grade_changes_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_grade_changes_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_changes")),
    )
    with op.batch_alter_table("grade_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grade_changes_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grade_changes_force_id"), ["force_id"], unique=False)
        batch_op.create_index("ix_grade_changes_force_status", ["force_id", "status"], unique=False)

    op.create_table(
        "transcript_segments",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("segment_id", sa.String(length=64), nullable=False),
        sa.Column(
            "speaker",
            sa.Enum("caller", "handler", name="speaker", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start_ms", sa.Integer(), nullable=False),
        sa.Column("end_ms", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_transcript_segments_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_transcript_segments_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_segments")),
        sa.UniqueConstraint(
            "call_id", "segment_id", name=op.f("uq_transcript_segments_call_id_segment_id")
        ),
    )
    with op.batch_alter_table("transcript_segments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transcript_segments_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_transcript_segments_force_id"), ["force_id"], unique=False
        )

    op.create_table(
        "warning_signs",
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "source",
            sa.Enum("history", "transcript", name="signsource", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "critical", "high", "medium", "low", name="severity", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column(
            "evidence",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("evidence_key", sa.String(length=64), nullable=False),
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("cue_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_warning_signs_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["cue_id"], ["call_cues.id"], name=op.f("fk_warning_signs_cue_id_call_cues")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_warning_signs_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_warning_signs_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_signs")),
        sa.UniqueConstraint(
            "call_id",
            "code",
            "evidence_key",
            name=op.f("uq_warning_signs_call_id_code_evidence_key"),
        ),
    )
    with op.batch_alter_table("warning_signs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_warning_signs_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_warning_signs_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            "ix_warning_signs_force_raised", ["force_id", "raised_at"], unique=False
        )

    op.create_table(
        "warning_sign_acknowledgements",
        sa.Column(
            "warning_sign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "asked_about_it",
                "passed_to_officers",
                "raised_grade",
                "not_relevant",
                name="ackaction",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
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
            ["call_id"], ["calls.id"], name=op.f("fk_warning_sign_acknowledgements_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"],
            ["forces.id"],
            name=op.f("fk_warning_sign_acknowledgements_force_id_forces"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_warning_sign_acknowledgements_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["warning_sign_id"],
            ["warning_signs.id"],
            name=op.f("fk_warning_sign_acknowledgements_warning_sign_id_warning_signs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_sign_acknowledgements")),
        sa.UniqueConstraint(
            "warning_sign_id", name=op.f("uq_warning_sign_acknowledgements_warning_sign_id")
        ),
    )
    with op.batch_alter_table("warning_sign_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_sign_acknowledgements_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warning_sign_acknowledgements_force_id"), ["force_id"], unique=False
        )

    op.create_table(
        "warning_sign_escalations",
        sa.Column(
            "warning_sign_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("call_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("escalated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("to_role", sa.String(length=32), nullable=False),
        sa.Column("waited_seconds", sa.Float(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_warning_sign_escalations_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_warning_sign_escalations_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["warning_sign_id"],
            ["warning_signs.id"],
            name=op.f("fk_warning_sign_escalations_warning_sign_id_warning_signs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_sign_escalations")),
        sa.UniqueConstraint(
            "warning_sign_id", name=op.f("uq_warning_sign_escalations_warning_sign_id")
        ),
    )
    with op.batch_alter_table("warning_sign_escalations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_warning_sign_escalations_call_id"), ["call_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_warning_sign_escalations_force_id"), ["force_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("warning_sign_escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_sign_escalations_force_id"))
        batch_op.drop_index(batch_op.f("ix_warning_sign_escalations_call_id"))

    op.drop_table("warning_sign_escalations")
    with op.batch_alter_table("warning_sign_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_warning_sign_acknowledgements_force_id"))
        batch_op.drop_index(batch_op.f("ix_warning_sign_acknowledgements_call_id"))

    op.drop_table("warning_sign_acknowledgements")
    with op.batch_alter_table("warning_signs", schema=None) as batch_op:
        batch_op.drop_index("ix_warning_signs_force_raised")
        batch_op.drop_index(batch_op.f("ix_warning_signs_force_id"))
        batch_op.drop_index(batch_op.f("ix_warning_signs_call_id"))

    op.drop_table("warning_signs")
    with op.batch_alter_table("transcript_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcript_segments_force_id"))
        batch_op.drop_index(batch_op.f("ix_transcript_segments_call_id"))

    op.drop_table("transcript_segments")
    with op.batch_alter_table("grade_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_grade_changes_force_status")
        batch_op.drop_index(batch_op.f("ix_grade_changes_force_id"))
        batch_op.drop_index(batch_op.f("ix_grade_changes_call_id"))

    op.drop_table("grade_changes")
    with op.batch_alter_table("call_signal_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_signal_states_force_id"))

    op.drop_table("call_signal_states")
    with op.batch_alter_table("call_cues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_cues_force_id"))
        batch_op.drop_index(batch_op.f("ix_call_cues_call_id"))

    op.drop_table("call_cues")
