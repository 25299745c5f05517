"""Imports every domain's tables so Alembic and test set-up see the whole schema."""

from heard.audit import models as audit_models
from heard.auth import models as auth_models
from heard.db.base import Base
from heard.jobs import models as jobs_models

__all__ = ["Base", "audit_models", "auth_models", "jobs_models"]
