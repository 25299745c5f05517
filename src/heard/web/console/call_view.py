"""One call as a console page sees it: the call, its incident, who is looking and how."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from heard.auth.principal import Principal
from heard.calls import service as calls
from heard.incidents.models import Call, Incident


@dataclass
class CallView:
    call: Call
    incident: Incident | None
    principal: Principal
    view: str  # handler or listen

    @property
    def listen(self) -> bool:
        return self.view == "listen"


def load(session: Session, *, principal: Principal, call_id: int, view: str) -> CallView:
    call = calls.find_call(session, force_id=principal.force_id, call_id=call_id)
    incident = session.get(Incident, call.incident_id) if call.incident_id else None
    return CallView(call, incident, principal, view)
