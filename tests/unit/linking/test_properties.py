from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from heard.linking import names
from heard.linking.comparisons import FIELDS, MISSING, compare
from heard.linking.dates import parse_dob
from heard.linking.linker import Linker
from heard.linking.model import probability
from heard.linking.prepared import canonical_postcode, prepare
from heard.linking.records import LinkRecord

any_text = st.text(max_size=40)
maybe_text = st.none() | any_text
name_like = st.text(alphabet=st.characters(categories=["L", "Zs", "Pd", "Po"]), max_size=25)


@given(any_text)
def test_folding_never_fails_and_is_idempotent(text):
    once = names.fold(text)
    assert names.fold(once) == once


@given(any_text)
def test_normalising_a_name_twice_changes_nothing(text):
    once = names.normalise_name(text)
    assert names.normalise_name(once) == once


@given(name_like)
def test_name_keys_never_fail_on_any_name(text):
    folded = names.fold(text)
    names.skeleton(folded)
    names.phonetic(folded)
    names.nysiis(folded)
    names.variant_groups(folded)


@given(any_text)
def test_reading_a_date_or_postcode_never_fails(text):
    parse_dob(text)
    once = canonical_postcode(text)
    assert canonical_postcode(once) == once


records = st.builds(
    LinkRecord,
    record_id=st.just("r"),
    given_name=maybe_text,
    family_name=maybe_text,
    date_of_birth=st.none() | any_text | st.dates().map(str),
    phone=maybe_text,
    address=maybe_text,
    postcode=maybe_text,
    sex=st.sampled_from([None, "f", "m", "x"]),
    age=st.none() | st.integers(-5, 130),
)


@settings(max_examples=300)
@given(records, records)
def test_comparing_two_records_is_symmetric(left, right):
    a, b = prepare(left), prepare(right)
    assert compare(a, b) == compare(b, a)


@given(records)
def test_a_record_never_differs_from_itself(record):
    prepared = prepare(record)
    for spec, level in zip(FIELDS, compare(prepared, prepared), strict=True):
        assert level == MISSING or spec.levels[level] != "different", spec.name


name_pool = st.sampled_from(["Amira", "amira", "Ola", "Van Dijk", "Vandijk", "Smith", "", None])
pooled = st.builds(
    LinkRecord,
    record_id=st.just("r"),
    given_name=name_pool,
    family_name=name_pool,
    date_of_birth=st.none() | st.dates().map(str),
    phone=st.none() | st.sampled_from(["07700 900123", "07700900124"]),
    address=maybe_text,
    postcode=st.none() | st.sampled_from(["TS5 6QT", "TS5 6TQ", "LS1 1AA"]),
    sex=st.sampled_from([None, "f", "m"]),
)


@settings(max_examples=150, deadline=None)
@given(pooled, st.lists(pooled, min_size=1, max_size=15))
def test_matching_gives_the_weights_and_levels_of_the_plain_computation(query, indexed):
    linker = Linker.build([replace(record, record_id=f"r{n}") for n, record in enumerate(indexed)])
    found = linker.match(replace(query, record_id="q"), limit=None)
    a = prepare(query)
    prior = linker.model.prior_weight(len(indexed))
    expected = {}
    for n in linker.index.candidates(a):  # records are numbered in the order they were added
        b = prepare(replace(indexed[n], record_id=f"r{n}"))
        weight = prior + linker.field_weight_total(compare(a, b), b)
        if probability(weight) >= 0.01:
            expected[f"r{n}"] = weight
    assert {c.record_id: c.match_weight for c in found} == expected
    for candidate in found:
        levels = compare(a, prepare(replace(indexed[int(candidate.record_id[1:])], record_id="x")))
        shown = [part.level for part in candidate.explanation]
        assert shown == [
            "missing" if level == MISSING else FIELDS[at].levels[level]
            for at, level in enumerate(levels)
        ]


def test_matching_keeps_the_whole_name_penalty_when_it_remembers_names():
    # Forenames that go with one family name make the whole name commoner than its parts say.
    people = [("Wei", "Wang"), ("Ola", "Smith"), ("Wei", "Wang"), ("Ola", "Smith")] * 4
    indexed = [
        LinkRecord(f"r{n}", given, family, date_of_birth=f"{1960 + n}-01-02")
        for n, (given, family) in enumerate(people)
    ]
    linker = Linker.build(indexed)
    query = LinkRecord("q", "Wei", "Wang")
    found = {c.record_id: c.match_weight for c in linker.match(query, limit=None)}
    a, prior = prepare(query), linker.model.prior_weight(len(indexed))
    plain = {
        record.record_id: prior + linker.field_weight_total(compare(a, b), b)
        for record in indexed
        if (b := prepare(record)).given == "wei"
    }
    assert found == plain
    assert any(part.weight < 0 for c in linker.match(query) for part in c.explanation[1:2])
