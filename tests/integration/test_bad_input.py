"""Bad input gets a clear 4xx naming the field, never a 500, and never changes what was stored."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.auth.permissions import Role

TOKENS = "/api/v1/admin/tokens"


def admin(client, world):
    return world.client_for(client, "WMP", Role.ADMINISTRATOR)


def test_malformed_json_is_a_422_that_says_the_body_is_not_json(client, world):
    response = admin(client, world).post(
        TOKENS, content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json"
    assert body["errors"][0]["field"] == "body" and "not valid JSON" in body["detail"]


def test_unknown_fields_are_named(client, world):
    response = admin(client, world).post(
        TOKENS, json={"name": "x", "permissions": ["call:create"], "colour": "red"}
    )
    assert response.status_code == 422
    assert any(e["field"] == "colour" for e in response.json()["errors"])


def test_wrong_types_and_invalid_enum_values_are_named(client, world):
    response = admin(client, world).post(TOKENS, json={"name": 5, "permissions": ["fly"]})
    fields = {e["field"] for e in response.json()["errors"]}
    assert response.status_code == 422 and {"name", "permissions.0"} <= fields


def test_oversized_strings_are_refused_with_the_limit(client, world):
    response = admin(client, world).post(
        TOKENS, json={"name": "x" * 500, "permissions": ["call:create"]}
    )
    assert response.status_code == 422
    assert "120" in response.json()["detail"]


def test_a_body_over_the_size_limit_is_a_413(client, world):
    response = admin(client, world).post(
        TOKENS, content=b"[" + b"1," * 600_000 + b"1]", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "limited to" in response.json()["detail"]


def test_a_streamed_body_without_a_length_is_also_limited(client, world):
    def chunks():
        for _ in range(300):
            yield b"x" * 10_000

    response = admin(client, world).post(
        TOKENS, content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_non_numeric_path_id_is_a_422_not_a_500(client, world):
    response = world.client_for(client, "WMP", Role.SUPERVISOR).get("/api/v1/admin/jobs/abc")
    assert response.status_code == 422 and "job_id" in response.json()["detail"]


def test_every_error_response_carries_the_request_id(client, world):
    response = admin(client, world).post(TOKENS, json={})
    assert response.json()["request_id"] == response.headers["x-request-id"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=json_values)
def test_no_json_body_whatsoever_causes_a_server_error(client, world, body):
    response = admin(client, world).post(
        TOKENS, content=json.dumps(body), headers={"content-type": "application/json"}
    )
    assert response.status_code < 500, response.text


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_no_byte_string_whatsoever_causes_a_server_error(client, world, raw):
    response = admin(client, world).post(
        TOKENS, content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code < 500, response.text


def test_rejected_input_leaves_accepted_records_untouched(client, world):
    api = admin(client, world)
    before = api.get(TOKENS).json()
    api.post(TOKENS, json={"name": "x", "permissions": ["user:manage"]})
    api.post(TOKENS, content=b"{", headers={"content-type": "application/json"})
    assert api.get(TOKENS).json() == before
