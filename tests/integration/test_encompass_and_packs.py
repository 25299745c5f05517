"""Operation Encompass notifications (due before the next school-day start, every day of the
year) and the MARAC referral pack rendered to PDF and checked as a picture."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pypdfium2
import pytest

from heard.auth.permissions import Role
from heard.referrals.encompass import next_school_day_start
from tests.support import risk_setup


def london(text):
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize(
    ("attended", "due"),
    [
        ("2026-11-27 22:00", "2026-11-28 08:30"),  # Friday night: due Saturday, not Monday
        ("2026-11-30 07:00", "2026-11-30 08:30"),  # before the school day starts: the same day
        ("2026-11-30 08:30", "2026-12-01 08:30"),  # at the start exactly: the next one
        ("2026-12-24 23:59", "2026-12-25 08:30"),  # holidays included
        ("2026-03-28 23:00", "2026-03-29 08:30"),  # the clocks go forward that night
    ],
)
def test_a_notification_is_due_at_the_next_school_day_start_local_time(attended, due):
    found = next_school_day_start(london(attended), start="08:30", zone="Europe/London")
    assert found == london(due).astimezone(UTC)


def test_a_child_present_at_a_da_incident_gets_a_notification_to_their_schools_lead(
    client, world, db
):
    ids = risk_setup.seed_directory(db, world)
    call = risk_setup.da_call(db, world)
    api = world.client_for(client, "WMP", Role.DA_SPECIALIST)
    enrolled = api.post(
        f"/api/v1/referrals/schools/{ids['school-900001']}/pupils",
        json={"subject_id": call["child_subject_id"]},
    )
    assert enrolled.status_code == 201
    body = {
        "attended_at": "2026-11-27T22:00:00Z",
        "circumstances": "shouting reported by a neighbour; the mother was hurt",
        "children": [
            {
                "person_record_id": call["child_record_id"],
                "present": True,
                "where": "upstairs bedroom",
                "voice_of_the_child": "said she hid under the duvet",
            }
        ],
    }
    made = api.post(f"/api/v1/incidents/{call['incident_id']}/encompass", json=body)
    assert made.status_code == 201, made.text
    (note,) = made.json()
    assert note["kind"] == "encompass" and note["due_at"].startswith("2026-11-28T08:30")
    contents = note["contents"]
    for field in (
        "child",
        "date_of_birth",
        "police_reference",
        "attended_at",
        "place",
        "child_present",
        "where_child_was",
        "voice_of_the_child",
        "circumstances",
    ):
        assert contents[field], field
    assert contents["designated_safeguarding_lead"] == "Ms A. Okafor"
    again = api.post(f"/api/v1/incidents/{call['incident_id']}/encompass", json=body)
    assert again.json() == [], "one notification per child and incident"


def test_a_child_whose_school_is_unknown_still_gets_a_tracked_notification(client, world, db):
    call = risk_setup.da_call(db, world)
    api = world.client_for(client, "WMP", Role.DA_SPECIALIST)
    body = {"attended_at": "2026-11-30T22:00:00Z", "circumstances": "argument"}
    (note,) = api.post(f"/api/v1/incidents/{call['incident_id']}/encompass", json=body).json()
    assert note["recipient"] == "school not known" and note["status"] == "pending"


def test_the_marac_pack_renders_as_a_pdf_whose_first_page_is_a_readable_picture(
    client, world, db, tmp_path
):
    made = risk_setup.submitted(db, world, yes=14)
    api = world.client_for(client, "WMP", Role.DA_SPECIALIST)
    html = api.get(f"/api/v1/marac/referrals/{made['marac_referral_id']}/pack")
    assert html.status_code == 200
    for heading in ("Risk assessment", "Chronology summary", "Children", "Agencies involved"):
        assert heading in html.text
    pdf = api.get(f"/api/v1/marac/referrals/{made['marac_referral_id']}/pack.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    document = pypdfium2.PdfDocument(io.BytesIO(pdf.content))
    image = document[0].render(scale=1.5).to_pil().convert("L")
    png = tmp_path / "pack-page-1.png"
    image.save(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = image.size
    assert height > width, "an A4 portrait page"
    dark = sum(image.histogram()[:128])
    assert dark > 2000, "the page carries text, not a blank render"
    text = document[0].get_textpage().get_text_range()
    assert "MARAC referral" in text and "visible high risk" in text


def test_a_pack_is_not_shown_to_roles_without_oversight_of_referrals(client, world, db):
    made = risk_setup.marac_referral(db, world)
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    assert handler.get(f"/api/v1/marac/referrals/{made['referral_id']}/pack").status_code == 403
