"""Typed settings read from HEARD_* environment variables; bad values fail loudly at start-up."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets may come from files (Docker/Kubernetes secrets) rather than the environment.
SECRET_FILE_FIELDS = ("secret_key", "database_url")
DEMO_SECRET = "demo-only-secret-key-never-use-in-production-0001"  # noqa: S105 - refused outside demo/test


class Environment(StrEnum):
    DEMO = "demo"
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(RuntimeError):
    """Raised with a readable list of what is wrong with the configuration."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="HEARD_", extra="forbid", validate_default=True, frozen=True
    )

    environment: Environment = Environment.PRODUCTION
    database_url: str = "sqlite:///./var/heard.db"
    secret_key: SecretStr | None = None
    debug: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    run_worker_in_process: bool = True
    session_cookie_secure: bool = True
    session_max_age_seconds: int = Field(default=12 * 3600, ge=300, le=7 * 24 * 3600)
    login_max_failures: int = Field(default=5, ge=1, le=100)
    login_lockout_seconds: int = Field(default=15 * 60, ge=10, le=24 * 3600)
    max_request_bytes: int = Field(default=1_000_000, ge=1_024, le=100_000_000)
    job_lease_seconds: int = Field(default=60, ge=1, le=3600)
    job_poll_seconds: float = Field(default=0.5, gt=0, le=60)
    # Build every force's linking index at start-up, before serving (seconds per force at 1M
    # people: see docs/benchmarks.md); off, the first call of each force builds it.
    link_warm_on_start: bool = True
    log_level: str = "INFO"
    log_json: bool = True
    # Live console (docs/console.md): a heartbeat on every stream; how often a worker reads the
    # live event log when nothing told it to; how long one stream lasts before the browser
    # reconnects (and resumes); how long events are kept for resuming.
    live_heartbeat_seconds: float = Field(default=15.0, gt=0, le=300)
    live_poll_seconds: float = Field(default=2.0, gt=0, le=600)
    live_stream_seconds: float = Field(default=300.0, gt=0, le=24 * 3600)
    live_retention_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    # Referral delivery: the offline default drops documents here; the others are per service.
    referral_outbox_dir: Path = Path("var/outbox")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "referrals@heard.invalid"
    smtp_starttls: bool = True
    delivery_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    # Per-force risk bands and escalation threshold (docs/risk.md); none: the defaults.
    risk_policies_file: Path | None = None

    @model_validator(mode="before")
    @classmethod
    def _read_secret_files(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for name in SECRET_FILE_FIELDS:
            path = os.environ.get(f"HEARD_{name.upper()}_FILE")
            if path and name not in data:
                try:
                    data[name] = Path(path).read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise ValueError(
                        f"HEARD_{name.upper()}_FILE={path} cannot be read: {exc}"
                    ) from exc
        return data

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql+psycopg://", "postgresql://")):
            raise ValueError(
                "must be sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB "
                "(Heard supports SQLite and PostgreSQL only)"
            )
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR")
        return upper

    @model_validator(mode="after")
    def _safe_outside_demo(self) -> Settings:
        demo_like = self.environment in (Environment.DEMO, Environment.TEST)
        if self.secret_key is None:
            if not demo_like:
                raise ValueError(
                    "HEARD_SECRET_KEY (or HEARD_SECRET_KEY_FILE) is required outside demo/test; "
                    "generate one with: "
                    'python -c "import secrets; print(secrets.token_urlsafe(48))"'
                )
            object.__setattr__(self, "secret_key", SecretStr(DEMO_SECRET))
        elif len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("HEARD_SECRET_KEY must be at least 32 characters")
        if self.environment is Environment.PRODUCTION:
            if self.debug:
                raise ValueError("HEARD_DEBUG must be false in production")
            if self.secret() == DEMO_SECRET:
                raise ValueError("the demo secret key cannot be used in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def secret(self) -> str:
        assert self.secret_key is not None  # set by the validator
        return self.secret_key.get_secret_value()


def load_settings(**overrides: Any) -> Settings:
    """Build settings, turning pydantic's error into one readable message."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "settings"
            env = f"HEARD_{field.upper()}" if field != "settings" else "settings"
            lines.append(f"  {env}: {err['msg']}")
        raise SettingsError("Heard cannot start; fix these settings:\n" + "\n".join(lines)) from exc
