"""Whatever a monitoring centre or a form sends, the orders API answers 4xx, never a 500."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.auth.permissions import Role

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
TIMES = st.sampled_from(
    [
        "2026-11-30T12:00:00Z",
        "2026-11-30T12:00:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+14:00",
        "soon",
    ]
)
POINT = st.fixed_dictionaries(
    {},
    optional={
        "device_id": st.text(max_size=70) | SCALARS,
        "ts": TIMES | SCALARS,
        "lat": SCALARS,
        "lon": SCALARS,
        "accuracy_m": SCALARS,
        "battery_pct": SCALARS,
        "tamper": SCALARS,
        "signal": SCALARS,
        "extra": SCALARS,
    },
)
HEADERS = {"content-type": "application/json"}


def send(client, path, body):
    # NaN and infinities go on the wire as Python writes them, as a careless sender would.
    return client.post(path, content=json.dumps(body), headers=HEADERS)


SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SLOW
@given(points=st.lists(POINT | JSON, min_size=0, max_size=6))
def test_no_telemetry_batch_however_malformed_gets_a_server_error(client, world, points):
    response = send(world.token_client(client, "WMP"), "/api/v1/telemetry", {"points": points})
    assert response.status_code < 500, response.text
    if response.status_code == 200:
        body = response.json()
        assert body["stored"] + body["duplicates"] + len(body["rejected"]) == len(points)


@SLOW
@given(body=JSON)
def test_no_order_body_however_malformed_gets_a_server_error(client, world, body):
    manager = world.client_for(client, "WMP", Role.ORDER_MANAGER)
    assert send(manager, "/api/v1/orders", body).status_code < 500
    assert send(manager, "/api/v1/telemetry", body).status_code == 403
