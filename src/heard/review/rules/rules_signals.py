"""Rules over warning signs: dismissed as not relevant before harm, left open when closing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from heard.review.rules.case import SEVERITY_RANK, AckAction, Incident
from heard.review.rules.config import NotRelevantHarmSettings, OpenSignalSettings
from heard.review.rules.findings import Draft, unique
from heard.review.rules.index import CaseIndex


def not_relevant_then_harm(ix: CaseIndex, s: NotRelevantHarmSettings) -> Iterator[Draft]:
    within = timedelta(days=s.within_days)
    signs = {x.id: x for x in ix.case.warning_signs}
    for ack in sorted(ix.case.acknowledgements, key=lambda a: (a.at, a.id)):
        if ack.action is not AckAction.NOT_RELEVANT:
            continue
        sign = signs[ack.warning_sign_id]
        call = ix.calls[sign.call_id]
        own = ix.call_incident(call)
        # Harm to the people the call was about; a sign about the suspect still protects them.
        at_risk = ix.call_victims(call) or ((sign.person_id,) if sign.person_id else ())
        harmed: list[Incident] = [own] if own and own.violence else []
        harmed += [
            incident
            for victim in at_risk
            for incident in ix.incidents_of_victim(victim)
            if incident.violence
            and incident is not own
            and ack.at < incident.opened_at <= ack.at + within
        ]
        if not harmed:
            continue
        reason = f" ({ack.reason})" if ack.reason else ""
        yield Draft(
            at=ack.at,
            evidence=unique((sign.id, ack.id, call.id, *(i.id for i in harmed))),
            about=unique((*at_risk, *ix.call_suspects(call))),
            summary=f"warning sign {sign.code} acknowledged as not relevant{reason}; "
            "violence or injury followed",
        )


def closed_with_open_signal(ix: CaseIndex, s: OpenSignalSettings) -> Iterator[Draft]:
    limit = SEVERITY_RANK[s.min_severity]
    for incident in sorted(ix.case.incidents, key=lambda i: (i.opened_at, i.id)):
        closed = incident.closed_at
        if closed is None:
            continue
        open_signs = [
            sign
            for call in ix.calls_by_incident.get(incident.id, [])
            for sign in ix.signs_by_call.get(call.id, [])
            if SEVERITY_RANK[sign.severity] <= limit
            and sign.raised_at <= closed
            and not _acknowledged_by(ix, sign.id, closed)
        ]
        if not open_signs:
            continue
        codes = ", ".join(sorted({x.code for x in open_signs}))
        yield Draft(
            at=closed,
            evidence=unique((incident.id, *(x.id for x in open_signs))),
            about=unique((*incident.victim_ids, *incident.suspect_ids)),
            summary=f"incident closed while warning signs were unacknowledged: {codes}",
        )


def _acknowledged_by(ix: CaseIndex, sign_id: str, moment: datetime) -> bool:
    ack = ix.ack_by_sign.get(sign_id)
    return ack is not None and ack.at <= moment
