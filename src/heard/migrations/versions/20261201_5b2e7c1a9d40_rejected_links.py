"""rejected links: find a force's rejected link suggestions without reading every suggestion

Intake reads the pairs people have rejected (never suggested again) on every 999 call; without
this index that read scanned all of the force's suggestions, which grow with every call.

Revision ID: 5b2e7c1a9d40
Revises: 4871c18d3c0e
Create Date: 2026-12-01 00:40:00.000000+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b2e7c1a9d40"
down_revision: str | None = "4871c18d3c0e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_link_suggestions_force_status", "link_suggestions", ["force_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_link_suggestions_force_status", "link_suggestions")
