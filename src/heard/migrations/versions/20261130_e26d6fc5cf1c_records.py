"""records: people, subjects, locations, markers, incidents, calls, risk, MARAC, orders, sim_ truth

Revision ID: e26d6fc5cf1c
Revises: aef309c0779b
Create Date: 2026-11-30 15:40:38.793642+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

revision: str = "e26d6fc5cf1c"
down_revision: str | None = "aef309c0779b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("address_text", sa.Text(), nullable=False),
        sa.Column("address_normalised", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=8), nullable=True),
        sa.Column("uprn", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("easting", sa.Integer(), nullable=True),
        sa.Column("northing", sa.Integer(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_locations_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_locations_force_id"), ["force_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_locations_postcode"), ["postcode"], unique=False)

    op.create_table(
        "subjects",
        sa.Column("given_name", sa.String(length=80), nullable=False),
        sa.Column("family_name", sa.String(length=80), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_subjects_force_id_forces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subjects")),
    )
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subjects_force_id"), ["force_id"], unique=False)

    op.create_table(
        "incidents",
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "category",
            sa.Enum(
                "domestic",
                "stalking_harassment",
                "breach_of_order",
                "assault",
                "public_order",
                "antisocial_behaviour",
                "theft",
                "burglary",
                "criminal_damage",
                "road_traffic",
                "concern_for_welfare",
                "missing_person",
                "mental_health",
                "suspicious",
                "fraud",
                name="category",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("is_domestic_abuse", sa.Boolean(), nullable=False),
        sa.Column("crime_recorded", sa.Boolean(), nullable=False),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
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
            nullable=False,
        ),
        sa.Column("arrest_made", sa.Boolean(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "charged",
                "cautioned",
                "community_resolution",
                "no_further_action",
                "under_investigation",
                "advice_given",
                "no_police_action",
                name="outcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_incidents_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_incidents_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("force_id", "reference", name=op.f("uq_incidents_force_id_reference")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incidents_force_id"), ["force_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_incidents_location_id"), ["location_id"], unique=False)

    op.create_table(
        "markers",
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "code",
            sa.Enum(
                "da_history",
                "violence",
                "weapons",
                "marac",
                "stalking",
                "vulnerable_occupant",
                "children_at_address",
                name="markercode",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.CheckConstraint(
            "(subject_id IS NULL) <> (location_id IS NULL)",
            name=op.f("ck_markers_on_subject_or_location"),
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_markers_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_markers_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_markers_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markers")),
    )
    with op.batch_alter_table("markers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_markers_force_id"), ["force_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_markers_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_markers_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "person_records",
        sa.Column(
            "subject_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name_raw", sa.String(length=200), nullable=False),
        sa.Column("given_name", sa.String(length=80), nullable=True),
        sa.Column("family_name", sa.String(length=80), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("age_years", sa.Integer(), nullable=True),
        sa.Column(
            "sex",
            sa.Enum("female", "male", "unknown", name="sex", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("phone_raw", sa.String(length=40), nullable=True),
        sa.Column("phone_e164", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("address_raw", sa.Text(), nullable=True),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_person_records_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_person_records_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subjects.id"], name=op.f("fk_person_records_subject_id_subjects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_records")),
    )
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_records_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_records_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "sim_households",
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column(
            "location_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "earlier_location_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
        sa.Column("moved_on", sa.Date(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["earlier_location_id"],
            ["locations.id"],
            name=op.f("fk_sim_households_earlier_location_id_locations"),
        ),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_sim_households_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_sim_households_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sim_households")),
    )
    with op.batch_alter_table("sim_households", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sim_households_force_id"), ["force_id"], unique=False)

    op.create_table(
        "calls",
        sa.Column("source_ref", sa.String(length=64), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "999",
                "101",
                "silent_55",
                "online",
                "text_relay",
                name="channel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("caller_number", sa.String(length=40), nullable=True),
        sa.Column("free_text", sa.Text(), nullable=True),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(["force_id"], ["forces.id"], name=op.f("fk_calls_force_id_forces")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_calls_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
        sa.UniqueConstraint("force_id", "source_ref", name=op.f("uq_calls_force_id_source_ref")),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calls_force_id"), ["force_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_incident_id"), ["incident_id"], unique=False)

    op.create_table(
        "incident_relationships",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "victim_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "suspect_record_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "connection",
            sa.Enum(
                "married",
                "civil_partners",
                "agreed_to_marry",
                "civil_partnership_agreement",
                "intimate_relationship",
                "parents_of_same_child",
                "relatives",
                "not_connected",
                name="connection",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("is_former", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.String(length=40), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_incident_relationships_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_relationships_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["suspect_record_id"],
            ["person_records.id"],
            name=op.f("fk_incident_relationships_suspect_record_id_person_records"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_record_id"],
            ["person_records.id"],
            name=op.f("fk_incident_relationships_victim_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_relationships")),
    )
    with op.batch_alter_table("incident_relationships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_relationships_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_incident_relationships_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "involvements",
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "person_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "role",
            sa.Enum(
                "victim",
                "suspect",
                "caller",
                "witness",
                "child_present",
                name="role",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_involvements_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_involvements_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["person_record_id"],
            ["person_records.id"],
            name=op.f("fk_involvements_person_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvements")),
        sa.UniqueConstraint(
            "incident_id",
            "person_record_id",
            "role",
            name=op.f("uq_involvements_incident_id_person_record_id_role"),
        ),
    )
    with op.batch_alter_table("involvements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_involvements_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_involvements_person_record_id"), ["person_record_id"], unique=False
        )

    op.create_table(
        "marac_referrals",
        sa.Column(
            "victim_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "criteria",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "pending",
                "action_plan_agreed",
                "information_shared",
                "not_heard",
                name="maracoutcome",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_marac_referrals_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_marac_referrals_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["victim_record_id"],
            ["person_records.id"],
            name=op.f("fk_marac_referrals_victim_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marac_referrals")),
    )
    with op.batch_alter_table("marac_referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marac_referrals_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_marac_referrals_victim_record_id"), ["victim_record_id"], unique=False
        )

    op.create_table(
        "orders",
        sa.Column(
            "order_type",
            sa.Enum(
                "dapn",
                "dapo",
                "dvpn",
                "dvpo",
                "non_molestation",
                "occupation",
                "restraining",
                "stalking_protection",
                "bail_conditions",
                name="ordertype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "active",
                "expired",
                "discharged",
                "refused",
                name="orderstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "subject_record_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False,
        ),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("served_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "conditions",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_orders_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_orders_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["subject_record_id"],
            ["person_records.id"],
            name=op.f("fk_orders_subject_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_orders_force_id"), ["force_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_orders_subject_record_id"), ["subject_record_id"], unique=False
        )

    op.create_table(
        "risk_assessments",
        sa.Column("instrument", sa.String(length=32), nullable=False),
        sa.Column(
            "grade",
            sa.Enum("standard", "medium", "high", name="riskgrade", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("yes_count", sa.Integer(), nullable=True),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "victim_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "incident_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("grade_lowered", sa.Boolean(), nullable=False),
        sa.Column(
            "earlier_grade",
            sa.Enum("standard", "medium", "high", name="riskgrade", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_risk_assessments_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_risk_assessments_incident_id_incidents"),
        ),
        sa.ForeignKeyConstraint(
            ["victim_record_id"],
            ["person_records.id"],
            name=op.f("fk_risk_assessments_victim_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_assessments")),
    )
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_risk_assessments_victim_record_id"), ["victim_record_id"], unique=False
        )

    op.create_table(
        "sim_persons",
        sa.Column(
            "household_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("origin", sa.String(length=24), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=False),
        sa.Column("given_name", sa.String(length=80), nullable=False),
        sa.Column("family_name", sa.String(length=80), nullable=False),
        sa.Column("birth_family_name", sa.String(length=80), nullable=False),
        sa.Column("name_changed_on", sa.Date(), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("earlier_phone", sa.String(length=16), nullable=True),
        sa.Column("phone_changed_on", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_sim_persons_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["sim_households.id"],
            name=op.f("fk_sim_persons_household_id_sim_households"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sim_persons")),
    )
    with op.batch_alter_table("sim_persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sim_persons_force_id"), ["force_id"], unique=False)

    op.create_table(
        "order_protected_persons",
        sa.Column("order_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_order_protected_persons_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_order_protected_persons_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["person_record_id"],
            ["person_records.id"],
            name=op.f("fk_order_protected_persons_person_record_id_person_records"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_protected_persons")),
    )
    with op.batch_alter_table("order_protected_persons", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_order_protected_persons_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_order_protected_persons_order_id"), ["order_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_order_protected_persons_person_record_id"),
            ["person_record_id"],
            unique=False,
        )

    op.create_table(
        "sim_dyads",
        sa.Column(
            "victim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "suspect_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("connection", sa.String(length=32), nullable=False),
        sa.Column("pattern", sa.String(length=24), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_reporting", sa.Boolean(), nullable=False),
        sa.Column("reported_incidents", sa.Integer(), nullable=False),
        sa.Column("abuse_episodes", sa.Integer(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_sim_dyads_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["suspect_id"], ["sim_persons.id"], name=op.f("fk_sim_dyads_suspect_id_sim_persons")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["sim_persons.id"], name=op.f("fk_sim_dyads_victim_id_sim_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sim_dyads")),
    )
    with op.batch_alter_table("sim_dyads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sim_dyads_force_id"), ["force_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sim_dyads_suspect_id"), ["suspect_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sim_dyads_victim_id"), ["victim_id"], unique=False)

    op.create_table(
        "sim_record_truth",
        sa.Column(
            "person_record_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column(
            "sim_person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("noise", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_record_id"],
            ["person_records.id"],
            name=op.f("fk_sim_record_truth_person_record_id_person_records"),
        ),
        sa.ForeignKeyConstraint(
            ["sim_person_id"],
            ["sim_persons.id"],
            name=op.f("fk_sim_record_truth_sim_person_id_sim_persons"),
        ),
        sa.PrimaryKeyConstraint("person_record_id", name=op.f("pk_sim_record_truth")),
    )
    with op.batch_alter_table("sim_record_truth", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sim_record_truth_sim_person_id"), ["sim_person_id"], unique=False
        )

    op.create_table(
        "sim_relationships",
        sa.Column(
            "person_a_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "person_b_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("connection", sa.String(length=32), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("force_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["force_id"], ["forces.id"], name=op.f("fk_sim_relationships_force_id_forces")
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"],
            ["sim_persons.id"],
            name=op.f("fk_sim_relationships_person_a_id_sim_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"],
            ["sim_persons.id"],
            name=op.f("fk_sim_relationships_person_b_id_sim_persons"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sim_relationships")),
    )
    with op.batch_alter_table("sim_relationships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sim_relationships_force_id"), ["force_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sim_relationships_person_a_id"), ["person_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sim_relationships_person_b_id"), ["person_b_id"], unique=False
        )

    op.create_table(
        "sim_incident_truth",
        sa.Column(
            "incident_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("dyad_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(
            ["dyad_id"], ["sim_dyads.id"], name=op.f("fk_sim_incident_truth_dyad_id_sim_dyads")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_sim_incident_truth_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_sim_incident_truth")),
    )
    with op.batch_alter_table("sim_incident_truth", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sim_incident_truth_dyad_id"), ["dyad_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sim_incident_truth", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_incident_truth_dyad_id"))

    op.drop_table("sim_incident_truth")
    with op.batch_alter_table("sim_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_relationships_person_b_id"))
        batch_op.drop_index(batch_op.f("ix_sim_relationships_person_a_id"))
        batch_op.drop_index(batch_op.f("ix_sim_relationships_force_id"))

    op.drop_table("sim_relationships")
    with op.batch_alter_table("sim_record_truth", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_record_truth_sim_person_id"))

    op.drop_table("sim_record_truth")
    with op.batch_alter_table("sim_dyads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_dyads_victim_id"))
        batch_op.drop_index(batch_op.f("ix_sim_dyads_suspect_id"))
        batch_op.drop_index(batch_op.f("ix_sim_dyads_force_id"))

    op.drop_table("sim_dyads")
    with op.batch_alter_table("order_protected_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_protected_persons_person_record_id"))
        batch_op.drop_index(batch_op.f("ix_order_protected_persons_order_id"))
        batch_op.drop_index(batch_op.f("ix_order_protected_persons_force_id"))

    op.drop_table("order_protected_persons")
    with op.batch_alter_table("sim_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_persons_force_id"))

    op.drop_table("sim_persons")
    with op.batch_alter_table("risk_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_assessments_victim_record_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessments_incident_id"))
        batch_op.drop_index(batch_op.f("ix_risk_assessments_force_id"))

    op.drop_table("risk_assessments")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_orders_subject_record_id"))
        batch_op.drop_index(batch_op.f("ix_orders_force_id"))

    op.drop_table("orders")
    with op.batch_alter_table("marac_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_marac_referrals_victim_record_id"))
        batch_op.drop_index(batch_op.f("ix_marac_referrals_force_id"))

    op.drop_table("marac_referrals")
    with op.batch_alter_table("involvements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_involvements_person_record_id"))
        batch_op.drop_index(batch_op.f("ix_involvements_force_id"))

    op.drop_table("involvements")
    with op.batch_alter_table("incident_relationships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_relationships_incident_id"))
        batch_op.drop_index(batch_op.f("ix_incident_relationships_force_id"))

    op.drop_table("incident_relationships")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_incident_id"))
        batch_op.drop_index(batch_op.f("ix_calls_force_id"))

    op.drop_table("calls")
    with op.batch_alter_table("sim_households", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sim_households_force_id"))

    op.drop_table("sim_households")
    with op.batch_alter_table("person_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_records_subject_id"))
        batch_op.drop_index(batch_op.f("ix_person_records_force_id"))

    op.drop_table("person_records")
    with op.batch_alter_table("markers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_markers_subject_id"))
        batch_op.drop_index(batch_op.f("ix_markers_location_id"))
        batch_op.drop_index(batch_op.f("ix_markers_force_id"))

    op.drop_table("markers")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_location_id"))
        batch_op.drop_index(batch_op.f("ix_incidents_force_id"))

    op.drop_table("incidents")
    with op.batch_alter_table("subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subjects_force_id"))

    op.drop_table("subjects")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_locations_postcode"))
        batch_op.drop_index(batch_op.f("ix_locations_force_id"))

    op.drop_table("locations")
