import re
from datetime import timedelta

from sqlalchemy import select, update

from heard.audit.models import AuditEntry
from heard.auth import service as auth
from heard.auth.models import ApiToken, User
from heard.auth.permissions import Role
from heard.auth.security import token_digest
from heard.clock import utcnow
from tests.support.world import PASSWORD


def login_form(client):
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(client, username, password=PASSWORD):
    token = login_form(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def audit_actions(db, force_id):
    with db.unit_of_work() as uow:
        rows = uow.session.scalars(select(AuditEntry).where(AuditEntry.force_id == force_id))
        return [r.action for r in rows]


def test_signing_in_sets_a_secure_http_only_session_and_is_audited(client, world, db):
    response = sign_in(client, "wmp.call_handler")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "heard_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/v1/me").json()["role"] == "call_handler"
    assert "login.succeeded" in audit_actions(db, world.forces["WMP"])


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, world):
    response = sign_in(client, "wmp.call_handler", "not-the-password")
    assert response.status_code == 401
    assert "username or password not recognised" in response.text
    unknown = sign_in(client, "nobody.at.all", "not-the-password")
    assert unknown.status_code == 401 and "username or password not recognised" in unknown.text


def test_repeated_failures_lock_the_account_even_against_the_right_password(client, world, db):
    for _ in range(3):
        assert sign_in(client, "wmp.supervisor", "wrong-password!").status_code == 401
    locked = sign_in(client, "wmp.supervisor")
    assert locked.status_code == 423 and "locked" in locked.text
    actions = audit_actions(db, world.forces["WMP"])
    assert actions.count("login.failed") == 3 and "user.locked_out" in actions


def test_the_lock_lifts_when_its_time_has_passed(client, world, db):
    for _ in range(3):
        sign_in(client, "wmp.supervisor", "wrong-password!")
    with db.transaction() as session:
        session.execute(
            update(User)
            .where(User.username == "wmp.supervisor")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
    assert sign_in(client, "wmp.supervisor").status_code == 303


def test_an_administrator_can_unlock_a_person_in_their_force(client, world, db):
    for _ in range(3):
        sign_in(client, "wmp.supervisor", "wrong-password!")
    admin = world.client_for(client, "WMP", Role.ADMINISTRATOR)
    user_id = world.persona("WMP", Role.SUPERVISOR).user_id
    assert admin.post(f"/api/v1/admin/users/{user_id}/unlock").status_code == 200
    client.headers.pop("x-csrf-token")
    client.cookies.clear()
    assert sign_in(client, "wmp.supervisor").status_code == 303


def test_a_login_form_without_its_csrf_token_is_refused(client, world):
    login_form(client)
    response = client.post(
        "/login",
        data={"username": "wmp.call_handler", "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 403 and "expired" in response.text


def test_a_cookie_session_write_without_the_csrf_header_is_refused(client, world):
    admin = world.client_for(client, "WMP", Role.ADMINISTRATOR)
    admin.headers.pop("x-csrf-token")
    response = admin.post(
        "/api/v1/admin/tokens", json={"name": "x", "permissions": ["call:create"]}
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_signing_out_ends_the_session_on_the_server(client, world):
    assert sign_in(client, "wmp.reviewer").status_code == 303
    old_cookie = client.cookies.get("heard_session")
    home = client.get("/")
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', home.text).group(1)
    assert (
        client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    client.cookies.set("heard_session", old_cookie)
    assert client.get("/api/v1/me").status_code == 401


def test_an_api_token_is_shown_once_and_stored_only_as_a_hash(client, world, db):
    admin = world.client_for(client, "WMP", Role.ADMINISTRATOR)
    created = admin.post(
        "/api/v1/admin/tokens", json={"name": "Telephony", "permissions": ["transcript:write"]}
    )
    assert created.status_code == 201
    secret = created.json()["secret"]
    with db.unit_of_work() as uow:
        stored = uow.session.get_one(ApiToken, created.json()["id"])
        assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    client.cookies.clear()
    client.headers.pop("x-csrf-token")
    client.headers["authorization"] = f"Bearer {secret}"
    me = client.get("/api/v1/me").json()
    assert me["kind"] == "token" and me["permissions"] == ["transcript:write"]


def test_a_token_cannot_be_given_people_only_permissions(client, world):
    admin = world.client_for(client, "WMP", Role.ADMINISTRATOR)
    response = admin.post(
        "/api/v1/admin/tokens", json={"name": "Too much", "permissions": ["user:manage"]}
    )
    assert response.status_code == 422 and "user:manage" in response.json()["detail"]


def test_revoked_and_expired_tokens_are_refused(client, world, db):
    bearer = world.token_client(client, "WMP")
    assert bearer.get("/api/v1/me").status_code == 200
    with db.transaction() as session:
        session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert bearer.get("/api/v1/me").status_code == 401
    with db.transaction() as session:
        session.execute(update(ApiToken).values(expires_at=None, revoked_at=utcnow()))
    response = bearer.get("/api/v1/me")
    assert response.status_code == 401 and "revoked" in response.json()["detail"]


def test_a_malformed_authorization_header_says_how_to_send_a_token(client, world):
    client.headers["authorization"] = "Basic abc"
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "Bearer" in response.json()["detail"]


def test_token_writes_need_no_csrf_header(client, world):
    bearer = world.token_client(client, "WMP")
    assert bearer.get("/api/v1/me").status_code == 200
    assert (
        bearer.post(
            "/api/v1/admin/tokens", json={"name": "x", "permissions": ["call:create"]}
        ).status_code
        == 403
    ), "refused for lack of permission, not for CSRF"


def test_passwords_are_stored_with_argon2(db, world):
    with db.unit_of_work() as uow:
        user = uow.session.scalars(select(User)).first()
        assert user is not None and user.password_hash.startswith("$argon2id$")


def test_a_token_records_its_last_use_at_most_once_a_minute(world, db):
    secret = world.tokens["WMP"]
    mine = ApiToken.token_hash == token_digest(secret)

    def use_then_read():
        with db.transaction() as session:
            assert auth.principal_from_token(session, secret=secret) is not None
        with db.unit_of_work() as uow:
            return uow.session.scalars(select(ApiToken.last_used_at).where(mine)).one()

    first = use_then_read()
    assert first is not None and utcnow() - first < timedelta(minutes=1)
    assert use_then_read() == first, "a second use within the minute writes nothing"
    earlier = utcnow() - timedelta(minutes=2)
    with db.transaction() as session:
        session.execute(update(ApiToken).where(mine).values(last_used_at=earlier))
    assert use_then_read() > earlier + timedelta(minutes=1), "a use after the minute is recorded"
