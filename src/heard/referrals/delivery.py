"""Delivering referral documents: file drop (default, offline), secure e-mail, HTTPS API, SFTP.

Delivery runs as a durable job. It is at-least-once: if the database commit after a successful
send fails, the job runs again and the receiver may get the document twice (each carries the
same reference, so a duplicate is recognisable). A receiver that is down is retried with the
jobs table's back-off until it answers; a refusal that cannot change (a 4xx, a rejected
address, SFTP in this build) marks the referral failed for a person, and it still escalates
when it falls overdue.
"""

from __future__ import annotations

import base64
import os
import re
import smtplib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
from sqlalchemy.orm import Session

from heard.audit import service as audit
from heard.clock import utcnow
from heard.db.uow import record_event
from heard.events import DomainEvent
from heard.jobs.models import Job
from heard.jobs.service import PermanentJobError, RetryableJobError
from heard.jobs.worker import JobHandler
from heard.referrals.documents import Document, document_for
from heard.referrals.models import (
    REFERRAL_TRANSITIONS,
    DeliveryMethod,
    Referral,
    ReferralStatus,
    School,
    SupportService,
)
from heard.settings import Settings

DELIVER_JOB = "referral.deliver"
_SAFE_FOLDER = re.compile(r"[^A-Za-z0-9._-]+")


class PermanentDeliveryError(Exception):
    """The receiver refused in a way a retry cannot fix."""


@dataclass(frozen=True)
class DeliveryConfig:
    outbox_dir: Path
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "referrals@heard.invalid"
    smtp_starttls: bool = True
    timeout: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        return cls(
            outbox_dir=settings.referral_outbox_dir,
            smtp_host=settings.smtp_host,
            smtp_port=settings.smtp_port,
            smtp_sender=settings.smtp_sender,
            smtp_starttls=settings.smtp_starttls,
            timeout=settings.delivery_timeout_seconds,
        )


@dataclass(frozen=True, kw_only=True)
class ReferralDelivered(DomainEvent):
    referral_id: int
    delivery_ref: str


def file_drop(config: DeliveryConfig, address: str, document: Document) -> str:
    """Write into outbox/<address>/ atomically: a reader never sees half a document."""
    folder = config.outbox_dir / (_SAFE_FOLDER.sub("-", address).strip(".-") or "default")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / document.name
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".partial-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(document.body)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return str(target)


def secure_email(config: DeliveryConfig, address: str, document: Document) -> str:
    message = EmailMessage()
    message["From"] = config.smtp_sender
    message["To"] = address
    message["Subject"] = f"[OFFICIAL-SENSITIVE] {document.subject}"
    message["Message-ID"] = f"<{document.name}.{utcnow():%Y%m%d%H%M%S%f}@heard.invalid>"
    message.set_content("A referral from Heard is attached. Please confirm receipt.")
    maintype, _, subtype = document.media_type.partition("/")
    message.add_attachment(
        document.body, maintype=maintype, subtype=subtype, filename=document.name
    )
    try:
        with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.timeout) as smtp:
            if config.smtp_starttls:
                smtp.starttls()
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentDeliveryError(f"the mail server refused {address}: {exc}") from exc
    return str(message["Message-ID"])


def https_api(config: DeliveryConfig, address: str, document: Document) -> str:
    payload = {
        "document_name": document.name,
        "media_type": document.media_type,
        "subject": document.subject,
        "document_base64": base64.b64encode(document.body).decode("ascii"),
    }
    response = httpx.post(address, json=payload, timeout=config.timeout)
    if response.status_code in (408, 429) or response.status_code >= 500:
        raise RetryableJobError(f"{address} answered {response.status_code}; will retry")
    if response.status_code >= 400:
        raise PermanentDeliveryError(f"{address} refused the referral: {response.status_code}")
    return response.headers.get("location") or f"{address} {response.status_code}"


def sftp(config: DeliveryConfig, address: str, document: Document) -> str:
    raise PermanentDeliveryError(
        "SFTP delivery is not available in this build; use file drop, secure e-mail or HTTPS "
        "for this service"
    )


ADAPTERS: dict[DeliveryMethod, Callable[[DeliveryConfig, str, Document], str]] = {
    DeliveryMethod.FILE_DROP: file_drop,
    DeliveryMethod.SECURE_EMAIL: secure_email,
    DeliveryMethod.HTTPS_API: https_api,
    DeliveryMethod.SFTP: sftp,
}


def recipient_of(session: Session, referral: Referral) -> SupportService | School | None:
    if referral.service_id is not None:
        return session.get_one(SupportService, referral.service_id)
    if referral.school_id is not None:
        return session.get_one(School, referral.school_id)
    return None


def _fail(session: Session, referral: Referral, error: str) -> None:
    referral.status = REFERRAL_TRANSITIONS.check(referral.status, ReferralStatus.FAILED)
    referral.last_error = error[:2000]
    audit.record(
        session,
        actor=audit.system_actor(referral.force_id, reason_source="job"),
        action="referral.delivery_failed",
        record_type="referral",
        record_id=referral.id,
        details={"error": error[:500]},
    )


def deliver(session: Session, *, referral: Referral, config: DeliveryConfig) -> None:
    if referral.status is not ReferralStatus.PENDING:
        return  # withdrawn or already delivered: nothing is owed any more
    recipient = recipient_of(session, referral)
    if recipient is None:
        return  # no one to send it to yet; the overdue check puts it before a supervisor
    document = document_for(session, referral)
    referral.attempts += 1
    try:
        ref = ADAPTERS[recipient.delivery_method](config, recipient.delivery_address, document)
    except PermanentDeliveryError as exc:
        _fail(session, referral, str(exc))
        return
    except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
        raise RetryableJobError(f"delivery to {recipient.delivery_address} failed: {exc}") from exc
    referral.status = REFERRAL_TRANSITIONS.check(referral.status, ReferralStatus.DELIVERED)
    referral.delivered_at, referral.delivery_ref, referral.last_error = utcnow(), ref[:300], None
    audit.record(
        session,
        actor=audit.system_actor(referral.force_id, reason_source="job"),
        action="referral.delivered",
        record_type="referral",
        record_id=referral.id,
        details={"method": recipient.delivery_method.value, "ref": ref[:200]},
    )
    record_event(
        session,
        ReferralDelivered(force_id=referral.force_id, referral_id=referral.id, delivery_ref=ref),
    )


def deliver_handler(config: DeliveryConfig) -> JobHandler:
    def handle(session: Session, job: Job) -> None:
        referral = session.get(Referral, int(job.payload["referral_id"]))
        if referral is None or referral.force_id != job.force_id:
            raise PermanentJobError(f"no referral {job.payload.get('referral_id')}")
        deliver(session, referral=referral, config=config)

    return handle
