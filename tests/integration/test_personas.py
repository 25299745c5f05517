"""Right role and force succeeds; a wrong role gets 403; another force gets 404 or nothing."""

import pytest

from heard.auth.permissions import PERSON_ROLES, ROLE_PERMISSIONS, Role
from tests.support.personas import PUBLIC_ROUTES, ROUTE_SPECS, RouteSpec
from tests.support.world import roles_with


def app_routes(app):
    """Every (method, path) the app answers, including routes of included routers."""
    found = set()
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            for method in (getattr(ctx, "methods", None) or set()) - {"HEAD"}:
                found.add((method, ctx.path))
    assert ("GET", "/api/v1/me") in found, "route enumeration must see included routers"
    return found


def test_every_route_has_a_persona_spec_or_a_stated_reason_to_be_public(app):
    missing = sorted(set(app_routes(app)) - set(ROUTE_SPECS) - set(PUBLIC_ROUTES))
    assert missing == [], f"add these routes to tests/support/personas.py: {missing}"


def test_no_spec_describes_a_route_that_no_longer_exists(app):
    stale = set(ROUTE_SPECS) - set(app_routes(app))
    assert stale == set()


def call(client, method, path, spec: RouteSpec, params):
    params = dict(params)
    body = params.pop("__body__", None) or spec.body
    url = path.format(**params)
    if body:
        return client.request(method, url, json=body, params=spec.query)
    return client.request(method, url, params=spec.query)


def params_for(spec, db, world):
    return spec.setup(db, world) if spec.setup else {}


@pytest.mark.parametrize(("method", "path"), sorted(ROUTE_SPECS))
def test_each_role_in_its_own_force_gets_exactly_what_its_permissions_allow(
    method, path, client, world, db
):
    spec = ROUTE_SPECS[(method, path)]
    allowed = set(PERSON_ROLES) if spec.permission is None else roles_with(spec.permission)
    for role in PERSON_ROLES:
        params = params_for(spec, db, world)
        body = dict(spec.body or {})
        if "username" in body:
            body["username"] = f"new.{role.value}"
        response = call(
            world.client_for(client, "WMP", role),
            method,
            path,
            RouteSpec(spec.permission, body=body or None, query=spec.query),
            params,
        )
        if role in allowed:
            assert response.status_code in spec.allowed_status, (role, response.text)
        else:
            assert response.status_code == 403, (role, response.status_code, response.text)


@pytest.mark.parametrize(("method", "path"), sorted(k for k, s in ROUTE_SPECS.items() if s.setup))
def test_another_forces_staff_cannot_tell_a_record_exists(method, path, client, world, db):
    spec = ROUTE_SPECS[(method, path)]
    params = params_for(spec, db, world)
    roles = roles_with(spec.permission) if spec.permission else set(PERSON_ROLES)
    for role in roles:
        response = call(world.client_for(client, "NMP", role), method, path, spec, params)
        assert response.status_code == 404, (role, response.text)
    unknown = iter(range(10**9, 10**9 + 100))
    missing = {k: next(unknown) for k in params if k != "__body__"}
    if "__body__" in params:
        missing["__body__"] = {
            k: (next(unknown) if isinstance(v, int) else v) for k, v in params["__body__"].items()
        }
    response = call(world.client_for(client, "NMP", next(iter(roles))), method, path, spec, missing)
    assert response.status_code == 404, "an existing and a missing record look the same"


@pytest.mark.parametrize(("method", "path"), sorted(k for k, s in ROUTE_SPECS.items() if s.lists))
def test_lists_show_only_the_callers_own_force(method, path, client, world, db):
    spec = ROUTE_SPECS[(method, path)]
    from tests.support.personas import new_job

    new_job(db, world)
    role = next(iter(roles_with(spec.permission))) if spec.permission else Role.CALL_HANDLER
    mine = call(world.client_for(client, "WMP", role), method, path, spec, {}).json()
    theirs = call(world.client_for(client, "NMP", role), method, path, spec, {}).json()
    assert mine, "the WMP list has records to compare"
    assert not {str(r[spec.lists]) for r in mine} & {str(r[spec.lists]) for r in theirs}


def test_system_tokens_are_refused_people_only_routes(client, world):
    bearer = world.token_client(client, "WMP")
    token_permissions = ROLE_PERMISSIONS[Role.SYSTEM]
    for (method, path), spec in ROUTE_SPECS.items():
        if spec.permission is None or spec.setup or spec.permission in token_permissions:
            continue
        response = (
            bearer.request(method, path, json=spec.body)
            if spec.body
            else bearer.request(method, path)
        )
        assert response.status_code == 403, (method, path)


def test_without_credentials_every_protected_route_asks_for_sign_in(client, world, db):
    for (method, path), spec in ROUTE_SPECS.items():
        params = dict.fromkeys(spec.setup(db, world) if spec.setup else {}, 1)
        response = call(client, method, path, spec, params)
        assert response.status_code == 401, (method, path)
