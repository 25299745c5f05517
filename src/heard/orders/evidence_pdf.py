"""Breach evidence as a PDF for court, with SHA-256 digests of its contents and of the file.

The document prints the digest of its evidence content (a canonical JSON of every fact shown),
so a paper copy can be checked against the record. A file cannot contain its own hash, so the
digest of the PDF bytes goes in the response header `X-Content-SHA256` and in the audit log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, select_autoescape

from heard.orders.models import Order
from heard.orders.records import Breach

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Breach {{ b.id }} evidence</title>
<style>
 @page { size: A4; margin: 18mm 16mm; @bottom-right { content: "page " counter(page) " of "
   counter(pages); font-size: 8pt; } }
 body { font-family: "DejaVu Sans", sans-serif; font-size: 9.5pt; color: #111; }
 h1 { font-size: 15pt; margin: 0 0 4mm; } h2 { font-size: 11pt; margin: 6mm 0 2mm; }
 table { border-collapse: collapse; width: 100%; } td, th { border: 0.5pt solid #999;
   padding: 1mm 1.5mm; text-align: left; vertical-align: top; } th { background: #eee; }
 .digest { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
</style></head><body>
<h1>Evidence of a breach of {{ o.order_type }} order {{ o.id }}</h1>
<p>Prepared by {{ c.prepared_by }} at {{ c.prepared_at }} from the Heard register. Synthetic
 data in test and demo systems.</p>
<h2>Breach</h2>
<table>{% for k, v in c.breach.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}
</table>
<h2>Order</h2>
<table>{% for k, v in c.order.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}
</table>
<h2>Condition breached</h2>
<table>{% for k, v in c.condition.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>
{% endfor %}</table>
<h2>Device points ({{ c.points|length }})</h2>
<table><tr><th>time (UTC)</th><th>latitude</th><th>longitude</th><th>accuracy m</th>
<th>battery %</th><th>tamper</th><th>received (UTC)</th></tr>
{% for p in c.points %}<tr><td>{{ p.ts }}</td><td>{{ p.lat }}</td><td>{{ p.lon }}</td>
<td>{{ p.accuracy_m }}</td><td>{{ p.battery_pct }}</td><td>{{ p.tamper }}</td>
<td>{{ p.received_at }}</td></tr>{% endfor %}</table>
<h2>Integrity</h2>
<p>SHA-256 of the evidence content (canonical JSON of every fact above):</p>
<p class="digest">{{ digest }}</p>
</body></html>"""

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))


@dataclass(frozen=True)
class EvidenceDocument:
    pdf: bytes
    pdf_sha256: str
    content_sha256: str


def content(
    *, breach: Breach, order: Order, evidence: dict[str, Any], prepared_by: str, at: str
) -> dict[str, Any]:
    """Every fact the document shows, as plain JSON values."""
    condition = {k: v for k, v in evidence.items() if k not in ("points",)}
    return {
        "prepared_by": prepared_by,
        "prepared_at": at,
        "breach": {
            "breach id": breach.id,
            "kind": breach.kind.value,
            "grade": breach.grade.value,
            "confidence": breach.confidence,
            "device": breach.device_id,
            "condition": breach.condition,
            "description": breach.description,
            "started": breach.started_at.isoformat(),
            "ended": breach.ended_at.isoformat() if breach.ended_at else None,
            "alert raised": breach.raised_at.isoformat(),
            "status": breach.status.value,
            "attended": breach.attended_at.isoformat() if breach.attended_at else None,
            "arrested": breach.arrested_at.isoformat() if breach.arrested_at else None,
            "charged": breach.charged_at.isoformat() if breach.charged_at else None,
            "no further action reason": breach.nfa_reason,
        },
        "order": {
            "order id": order.id,
            "type": order.order_type.value,
            "issued by": order.issued_by,
            "made": order.made_at.isoformat(),
            "served": order.served_at.isoformat() if order.served_at else None,
            "expires": order.expires_at.isoformat() if order.expires_at else "no end date",
        },
        "condition": {k: json.dumps(v, sort_keys=True) for k, v in condition.items()},
        "points": evidence.get("points", []),
    }


def digest(facts: dict[str, Any]) -> str:
    canonical = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def render(facts: dict[str, Any]) -> EvidenceDocument:
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is asked for

    content_hash = digest(facts)
    page = _ENV.from_string(TEMPLATE).render(
        b=facts["breach"] | {"id": facts["breach"]["breach id"]},
        o=facts["order"] | {"id": facts["order"]["order id"], "order_type": facts["order"]["type"]},
        c=facts,
        digest=content_hash,
    )
    pdf = HTML(string=page).write_pdf()
    assert pdf is not None
    return EvidenceDocument(pdf, hashlib.sha256(pdf).hexdigest(), content_hash)
