"""The chronology as a document: HTML for reading, PDF (WeasyPrint) for a case review file."""

from __future__ import annotations

from jinja2 import Environment

from heard.clock import utcnow
from heard.people.models import Subject
from heard.review.findings.chronology import Chronology

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Police chronology - {{ title }}</title>
<style>
 body { font-family: sans-serif; font-size: 10pt; margin: 1.5cm; color: #111; }
 h1 { font-size: 15pt; margin-bottom: 0.2em; }
 dl { display: grid; grid-template-columns: 10em auto; gap: 0.2em 1em; }
 dt { font-weight: bold; }
 table { border-collapse: collapse; width: 100%; }
 th, td { border: 1px solid #999; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
 th { background: #eee; }
 tr.finding td { background: #fff4d6; }
 @page { size: A4 landscape; margin: 1.2cm;
         @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; } }
</style></head>
<body>
<h1>Police chronology: {{ title }}</h1>
<p>For a domestic abuse related death review or case review. Synthetic or restricted data:
handle under the force's information-sharing agreement.</p>
<dl>
 <dt>Force</dt><dd>{{ force }}</dd>
 {% for label, person in people %}<dt>{{ label }}</dt><dd>{{ person }}</dd>{% endfor %}
 <dt>Exported</dt><dd>{{ exported }} by {{ by }}</dd>
 <dt>Reason</dt><dd>{{ reason }}</dd>
 <dt>Entries</dt><dd>{{ entries|length }}</dd>
</dl>
<table>
 <thead><tr><th>When (UTC)</th><th>What</th><th>Detail</th><th>Who</th><th>Record</th></tr></thead>
 <tbody>
 {% for e in entries %}
 <tr class="{{ 'finding' if e.kind == 'finding' else '' }}">
  <td>{{ e.at.strftime('%Y-%m-%d %H:%M') }}</td><td>{{ e.kind }}</td><td>{{ e.summary }}</td>
  <td>{{ e.by or '' }}</td><td>{{ e.record_id }}</td>
 </tr>
 {% endfor %}
 </tbody>
</table>
</body></html>
"""
_ENV = Environment(autoescape=True)


def _name(subject: Subject) -> str:
    return f"{subject.given_name} {subject.family_name} (subject {subject.id})"


def render_html(chron: Chronology, *, force: str, reason: str, by: str) -> str:
    people = [
        (label, _name(subject))
        for label, subject in (("Victim", chron.victim), ("Suspect", chron.suspect))
        if subject is not None
    ]
    if chron.suspect is None and chron.victim is not None:
        people = [("Person", _name(chron.victim))]
    title = " and ".join(name for _, name in people)
    return _ENV.from_string(_TEMPLATE).render(
        title=title,
        force=force,
        people=people,
        exported=utcnow().strftime("%Y-%m-%d %H:%M UTC"),
        by=by,
        reason=reason,
        entries=chron.entries,
    )


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is asked for

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
