"""Roles and permissions: the one table that says who may do what."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CALL_HANDLER = "call_handler"
    DA_SPECIALIST = "da_specialist"
    SUPERVISOR = "supervisor"
    ATTENDING_OFFICER = "attending_officer"
    ORDER_MANAGER = "order_manager"
    REVIEWER = "reviewer"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    NATIONAL_REVIEWER = "national_reviewer"
    SYSTEM = "system"  # API tokens for CAD, telephony and monitoring centres

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CALL_HANDLER: "Call handler",
    Role.DA_SPECIALIST: "Domestic abuse specialist",
    Role.SUPERVISOR: "Supervisor",
    Role.ATTENDING_OFFICER: "Attending officer",
    Role.ORDER_MANAGER: "Order manager",
    Role.REVIEWER: "Reviewer / analyst",
    Role.AUDITOR: "Auditor",
    Role.ADMINISTRATOR: "Administrator",
    Role.NATIONAL_REVIEWER: "National reviewer (all forces)",
    Role.SYSTEM: "System integration",
}


class Permission(StrEnum):
    CALL_CREATE = "call:create"
    CALL_READ = "call:read"
    TRANSCRIPT_WRITE = "transcript:write"
    PERSON_READ = "person:read"
    LINK_DECIDE = "link:decide"
    SIGNAL_ACKNOWLEDGE = "signal:acknowledge"
    GRADE_SET = "grade:set"
    GRADE_SIGN_OFF = "grade:sign_off"
    ADVICE_SEND = "advice:send"
    ADVICE_READ = "advice:read"
    RISK_ASSESS = "risk:assess"
    REFERRAL_MANAGE = "referral:manage"
    RISK_REVIEW = "risk:review"
    REFERRAL_OVERSEE = "referral:oversee"
    ORDER_MANAGE = "order:manage"
    ORDER_READ = "order:read"
    TELEMETRY_WRITE = "telemetry:write"
    REVIEW_FINDINGS = "review:findings"
    CHRONOLOGY_EXPORT = "chronology:export"
    AUDIT_READ = "audit:read"
    USER_MANAGE = "user:manage"
    TOKEN_MANAGE = "token:manage"  # noqa: S105 - a permission name, not a secret
    JOB_MANAGE = "job:manage"
    CROSS_FORCE_SEARCH = "force:cross_search"
    # The control-room console (docs/console.md).
    CALL_SCREEN = "call:screen"
    QUEUE_READ = "queue:read"
    REVIEW_RECORD = "review:record"
    BOARD_READ = "board:read"
    OFFICER_ASSIGN = "officer:assign"
    INCIDENT_ATTEND = "incident:attend"
    # The pilot's evaluation statistics: aggregates per force and month (docs/review.md).
    STATISTICS_READ = "statistics:read"


P = Permission
_HANDLING = {P.CALL_CREATE, P.CALL_READ, P.TRANSCRIPT_WRITE, P.PERSON_READ, P.SIGNAL_ACKNOWLEDGE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CALL_HANDLER: frozenset(
        _HANDLING | {P.GRADE_SET, P.ADVICE_READ, P.LINK_DECIDE} | {P.CALL_SCREEN, P.OFFICER_ASSIGN}
    ),
    Role.DA_SPECIALIST: frozenset(
        _HANDLING
        | {P.GRADE_SET, P.ADVICE_SEND, P.ADVICE_READ, P.RISK_ASSESS, P.REFERRAL_MANAGE}
        | {P.RISK_REVIEW, P.REFERRAL_OVERSEE}
        | {P.LINK_DECIDE}
        | {P.ORDER_READ, P.REVIEW_FINDINGS}
        | {P.CALL_SCREEN, P.QUEUE_READ, P.REVIEW_RECORD}
        | {P.GRADE_SIGN_OFF}  # the second person on a lowered grade or a DA call-back
    ),
    Role.SUPERVISOR: frozenset(
        _HANDLING
        | {P.GRADE_SET, P.GRADE_SIGN_OFF, P.ADVICE_READ, P.ORDER_READ, P.JOB_MANAGE, P.LINK_DECIDE}
        | {P.REFERRAL_OVERSEE}  # overdue referrals escalate to the supervisor
        | {P.CALL_SCREEN, P.QUEUE_READ, P.BOARD_READ, P.OFFICER_ASSIGN}
        | {P.STATISTICS_READ}
    ),
    Role.ATTENDING_OFFICER: frozenset(
        {P.CALL_READ, P.PERSON_READ, P.ADVICE_READ, P.RISK_ASSESS, P.ORDER_READ}
        | {P.INCIDENT_ATTEND}
    ),
    Role.ORDER_MANAGER: frozenset({P.ORDER_MANAGE, P.ORDER_READ, P.PERSON_READ, P.CALL_READ}),
    Role.REVIEWER: frozenset(
        {P.REVIEW_FINDINGS, P.CHRONOLOGY_EXPORT, P.PERSON_READ, P.CALL_READ, P.STATISTICS_READ}
    ),
    Role.AUDITOR: frozenset({P.AUDIT_READ}),
    Role.ADMINISTRATOR: frozenset({P.USER_MANAGE, P.TOKEN_MANAGE, P.JOB_MANAGE}),
    Role.NATIONAL_REVIEWER: frozenset(
        {P.REVIEW_FINDINGS, P.CHRONOLOGY_EXPORT, P.PERSON_READ, P.CALL_READ, P.CROSS_FORCE_SEARCH}
        | {P.STATISTICS_READ}
    ),
    # A system token's permissions are chosen per token, from this ceiling.
    Role.SYSTEM: frozenset({P.CALL_CREATE, P.TRANSCRIPT_WRITE, P.TELEMETRY_WRITE, P.CALL_READ}),
}

# Roles whose holders may look beyond their own force; every such look is audited as cross-force.
NATIONAL_ROLES = frozenset({Role.NATIONAL_REVIEWER})
PERSON_ROLES = tuple(r for r in Role if r is not Role.SYSTEM)


def role_can(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
