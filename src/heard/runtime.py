"""What a running Heard holds: settings and storage. Built by the composition root only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from heard.db.uow import Database
from heard.settings import Settings


@dataclass(frozen=True)
class LoginLimits:
    max_failures: int
    lockout: timedelta
    session_ttl: timedelta


@dataclass
class Runtime:
    settings: Settings
    db: Database

    @property
    def login_limits(self) -> LoginLimits:
        s = self.settings
        return LoginLimits(
            max_failures=s.login_max_failures,
            lockout=timedelta(seconds=s.login_lockout_seconds),
            session_ttl=timedelta(seconds=s.session_max_age_seconds),
        )
