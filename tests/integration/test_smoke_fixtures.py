from heard.auth.permissions import Role


def test_a_signed_in_administrator_sees_their_own_force(client, world):
    me = world.client_for(client, "WMP", Role.ADMINISTRATOR).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["force_code"] == "WMP"
