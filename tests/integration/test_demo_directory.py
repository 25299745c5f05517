"""`heard demo` starts with somewhere to refer to: synthetic services and schools directories."""

from __future__ import annotations

from sqlalchemy import select

from heard.auth import service as auth
from heard.cli_admin import DEMO_FORCE_CODE
from heard.demo import _accounts
from heard.referrals.directory import SYNTHETIC_SCHOOLS
from heard.referrals.models import School, ServiceKind, SupportService


def test_the_demo_force_has_a_service_of_every_kind_and_the_synthetic_schools(runtime):
    _accounts(runtime)
    with runtime.db.unit_of_work() as uow:
        force_id = auth.force_by_code(uow.session, code=DEMO_FORCE_CODE).id
        services = uow.session.execute(
            select(
                SupportService.kind, SupportService.active, SupportService.delivery_address
            ).where(SupportService.force_id == force_id)
        ).all()
        urns = uow.session.scalars(select(School.urn).where(School.force_id == force_id)).all()
    assert {kind for kind, _, _ in services} == set(ServiceKind)
    assert all(active and address for _, active, address in services)
    assert sorted(urns) == sorted(urn for _, urn, _ in SYNTHETIC_SCHOOLS)
