"""location address index: find a stored address by its normalised text without a scan

Intake looks a call's address up by (force, normalised address) when no postcode is given; with
only the force index that read walked every location of the force (a quarter of a 999 call's
time at a million people).

Revision ID: 9c3d5e7f1a2b
Revises: 5b2e7c1a9d40
Create Date: 2026-12-01 02:45:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "9c3d5e7f1a2b"
down_revision: str | None = "5b2e7c1a9d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_locations_force_address", "locations", ["force_id", "address_normalised"])


def downgrade() -> None:
    op.drop_index("ix_locations_force_address", "locations")
