"""relationship lookups: find a person's relationships by victim or suspect record

The safeguarding context reads every relationship of the people on a call; without these
indexes that read scanned the whole table (85 ms per person at a million people).

Revision ID: 4871c18d3c0e
Revises: efaf7ee924fa
Create Date: 2026-11-30 21:40:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "4871c18d3c0e"
down_revision: str | None = "efaf7ee924fa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_incident_relationships_victim_record_id",
        "incident_relationships",
        ["victim_record_id"],
    )
    op.create_index(
        "ix_incident_relationships_suspect_record_id",
        "incident_relationships",
        ["suspect_record_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_incident_relationships_suspect_record_id", "incident_relationships")
    op.drop_index("ix_incident_relationships_victim_record_id", "incident_relationships")
