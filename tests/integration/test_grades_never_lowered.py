"""Heard never lowers a person's grade: whatever facts arrive, only a person changes it."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heard.auth.permissions import Role

RISKY_WORDS = [
    "he's got a knife",
    "he said he will kill me",
    "he's outside the door",
    "my husband strangled me last night",
    "the kids are here with me",
    "i'm pregnant",
    "we split up last month",
    "it's fine now, he's calmed down",
    "[line goes dead]",
]
_refs = itertools.count()

steps = st.lists(
    st.one_of(
        st.tuples(st.just("segment"), st.sampled_from(RISKY_WORDS)),
        st.tuples(st.just("patch"), st.sampled_from(["child", "relationship", "text"])),
        st.tuples(st.just("another_call"), st.integers(min_value=5, max_value=600)),
    ),
    min_size=1,
    max_size=6,
)
PATCHES = {
    "child": {"people": [{"role": "child_present", "given_name": "Ada", "family_name": "Obi"}]},
    "relationship": {"relationship": {"connection": "married"}},
    "text": {"free_text": "caller sounds frightened"},
}


def person(role, given, family):
    return {"role": role, "given_name": given, "family_name": family, "date_of_birth": "1990-01-02"}


def body(ref, minute=0):
    return {
        "source_ref": ref,
        "channel": "999",
        "received_at": f"2026-11-30T{20 + minute // 60:02d}:{minute % 60:02d}:00Z",
        "caller_number": "07700 900777",
        "address": "3 Linthorpe Road",
        "postcode": "TS1 1AA",
        "people": [person("victim", "Grace", "Obi"), person("suspect", "Liam", "Shaw")],
    }


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first_grade=st.sampled_from(["emergency", "priority", "scheduled", "resolution"]), plan=steps
)
def test_new_facts_can_raise_the_suggestion_but_never_move_a_set_grade(
    client, world, first_grade, plan
):
    api = world.token_client(client, "WMP")
    run = next(_refs)
    call_id = api.post("/api/v1/calls", json=body(f"G{run}")).json()["call"]["id"]
    handler = world.client_for(client, "WMP", Role.CALL_HANDLER)
    url = f"/api/v1/calls/{call_id}/grade"
    set_ = handler.post(url, json={"grade": first_grade, "reason": "the handler's own judgement"})
    assert set_.status_code in (200, 409), set_.text  # 409: resolution refused on a repeat
    grade = handler.get(url).json()
    suggested = [grade["suggested_grade"]]
    for n, (kind, value) in enumerate(plan):
        api = world.token_client(client, "WMP")
        if kind == "segment":
            segment = {"segment_id": f"s{n}", "speaker": "caller", "text": value,
                       "start_ms": n * 1000, "end_ms": n * 1000 + 900}  # fmt: skip
            assert api.post(f"/api/v1/calls/{call_id}/transcript", json=segment).status_code == 201
        elif kind == "patch":
            assert api.patch(f"/api/v1/calls/{call_id}", json=PATCHES[value]).status_code == 200
        else:
            api.post("/api/v1/calls", json=body(f"G{run}-{n}", minute=value))
        now = world.client_for(client, "WMP", Role.CALL_HANDLER).get(url).json()
        assert now["grade"] == grade["grade"], "only a person changes the grade"
        assert [c for c in now["history"] if c["kind"] != "suggested"] == [
            c for c in grade["history"] if c["kind"] != "suggested"
        ]
        suggested.append(now["suggested_grade"])
    order = [None, "resolution", "scheduled", "priority", "emergency"]
    ranks = [order.index(s) for s in suggested]
    assert ranks == sorted(ranks), f"the suggestion only rises: {suggested}"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=12,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=json_values)
def test_arbitrary_json_to_the_transcript_and_ledger_is_never_a_server_error(
    client, world, payload
):
    api = world.token_client(client, "WMP")
    created = api.post("/api/v1/calls", json=body(f"J{next(_refs)}"))
    call_id = created.json()["call"]["id"]
    for response in (
        api.post(f"/api/v1/calls/{call_id}/transcript", json=payload),
        world.client_for(client, "WMP", Role.SUPERVISOR).post(
            f"/api/v1/calls/{call_id}/grade", json=payload
        ),
        world.client_for(client, "WMP", Role.SUPERVISOR).post(
            "/api/v1/warning-signs/1/acknowledge", json=payload
        ),
    ):
        assert response.status_code < 500, response.text
