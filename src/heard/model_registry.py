"""Imports every domain's tables so Alembic and test set-up see the whole schema."""

from heard.audit import models as audit_models
from heard.auth import models as auth_models
from heard.calls import models as calls_models
from heard.db.base import Base
from heard.incidents import models as incidents_models
from heard.jobs import models as jobs_models
from heard.live import models as live_models
from heard.orders import models as orders_models
from heard.orders import records as orders_records
from heard.people import models as people_models
from heard.referrals import models as referrals_models
from heard.review import models as review_models
from heard.review.findings import models as review_findings_models
from heard.risk import assessments as risk_assessments
from heard.risk import models as risk_models
from heard.signals import models as signals_models

# Ground-truth tables are part of the schema (migrations create them) but no production code reads
# them; the import-linter contract keeps it that way.
from heard.sim import truth as sim_truth

__all__ = [
    "Base",
    "audit_models",
    "auth_models",
    "calls_models",
    "incidents_models",
    "jobs_models",
    "live_models",
    "orders_models",
    "orders_records",
    "people_models",
    "referrals_models",
    "review_findings_models",
    "review_models",
    "risk_assessments",
    "risk_models",
    "signals_models",
    "sim_truth",
]
