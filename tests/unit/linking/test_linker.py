import json
from datetime import date

import pytest

from heard.linking import Band, Linker, LinkRecord, Model, Thresholds
from heard.linking.training import TrainingSettings

AMIRA = LinkRecord(
    "L1",
    given_name="Amira",
    family_name="Haddad",
    date_of_birth="1991-06-14",
    phone="07700 900111",
    address="4 Orchard Close",
    postcode="TS5 6QT",
    sex="f",
)
OTHERS = [
    LinkRecord("L2", "Peter", "Walsh", "1975-02-01", "07700 900222", "9 Mill Lane", "LS1 4AP", "m"),
    LinkRecord("L3", "Grace", "Okafor", "1988-11-30", "07700 900333", "2 Kiln Row", "M4 2BS", "f"),
]


def linker_with(*records: LinkRecord) -> Linker:
    return Linker.build([AMIRA, *OTHERS, *records])


def test_a_new_call_with_the_same_details_links_to_the_earlier_record():
    new = LinkRecord("N1", "amira", "HADDAD", "14/06/1991", "+447700900111", None, "ts56qt", "F")
    best = linker_with().match(new)[0]
    assert best.record_id == "L1"
    assert best.band is Band.LINK
    assert best.probability > 0.99


def test_every_field_is_explained_with_its_level_and_weight():
    new = LinkRecord("N1", "Amira", "Haddad", "1991-14-06", None, "4 Orchard Cl", "TS5 6QT")
    best = linker_with().match(new)[0]
    explained = {part.field: part for part in best.explanation}
    assert explained["date_of_birth"].level == "day_month_swapped"
    assert explained["phone"].level == "missing" and explained["phone"].weight == 0.0
    assert explained["given_name"].value_frequency is not None
    total = best.prior_weight + sum(part.weight for part in best.explanation)
    assert total == pytest.approx(best.match_weight)


def test_names_swapped_and_a_nickname_are_still_found():
    linker = linker_with(LinkRecord("L4", "William", "Tranter", "1969-09-09", postcode="DL1 1AA"))
    found = linker.match(LinkRecord("N2", "Tranter", "Bill", "1969-09-09", postcode="DL1 1AA"))
    assert found and found[0].record_id == "L4"


def test_a_record_added_after_building_is_found_by_the_next_match():
    linker = linker_with()
    late = LinkRecord("L9", "Yusuf", "Rahman", "2001-01-20", "07700 900999")
    assert not [c for c in linker.match(late) if c.record_id == "L9"]
    linker.add(late)
    found = linker.match(LinkRecord("N3", "Yousef", "Rehman", "2001-01-20", "07700900999"))
    assert found[0].record_id == "L9"


def test_a_record_cannot_be_indexed_twice():
    linker = linker_with()
    with pytest.raises(ValueError, match="already indexed"):
        linker.add(AMIRA)


def test_someone_with_nothing_in_common_is_not_a_candidate():
    stranger = LinkRecord("N4", "Zed", "Quill", "1950-01-01", "07700 900444", "1 Far Rd", "ZE1 0AA")
    assert linker_with().match(stranger) == []


def test_the_band_follows_the_configured_thresholds():
    thresholds = Thresholds(link=0.9, suggest=0.4)
    assert thresholds.band(0.95) is Band.LINK
    assert thresholds.band(0.5) is Band.SUGGEST
    assert thresholds.band(0.1) is Band.NO_LINK
    with pytest.raises(ValueError):
        Thresholds(link=0.3, suggest=0.6)


def test_a_common_family_name_counts_for_less_than_a_rare_one():
    forenames = ["Ann", "Ben", "Cara", "Dev", "Eve", "Finn", "Gita", "Hal", "Ivo", "Jude", "Kai"]
    people = [LinkRecord(f"S{i}", name, "Smith") for i, name in enumerate(forenames)]
    linker = Linker.build([*people, LinkRecord("R1", "Ola", "Oyelaran")])
    smith = linker.match(LinkRecord("Q1", "Ben", "Smith"))[0]
    rare = linker.match(LinkRecord("Q2", "Ola", "Oyelaran"))[0]
    weight = {c.record_id: {p.field: p.weight for p in c.explanation} for c in (smith, rare)}
    assert weight["R1"]["family_name"] > weight["S1"]["family_name"] + 3


def test_a_trained_model_survives_a_json_round_trip(tmp_path):
    linker = linker_with()
    model = linker.train(TrainingSettings(u_pairs=500, em_pairs=100))
    model.save(tmp_path / "model.json")
    loaded = Model.load(tmp_path / "model.json")
    assert loaded.m == model.m and loaded.u == model.u
    assert loaded.thresholds == model.thresholds
    assert loaded.trained["records"] == 3


def test_a_model_for_other_fields_is_refused(tmp_path):
    document = Model.untrained().to_json()
    document["fields"][0]["levels"].pop()
    (tmp_path / "bad.json").write_text(json.dumps(document))
    with pytest.raises(ValueError, match="levels"):
        Model.load(tmp_path / "bad.json")


def test_matching_an_age_only_caller_uses_the_age():
    caller = LinkRecord("N5", "Amira", "Haddad", age=35, recorded_on=date(2026, 9, 1))
    best = linker_with().match(caller)[0]
    levels = {part.field: part.level for part in best.explanation}
    assert levels["date_of_birth"] == "age_compatible"


def test_a_whole_name_many_others_share_counts_for_less_than_its_parts_would_say():
    # "Wei" and "Wang" are each rarer here than "Ben" and "Smith", but always go together, so
    # another "Wei Wang" is a likelier stranger than another "Ben Smith".
    together = [LinkRecord(f"W{i}", "Wei", "Wang", f"19{60 + i}-01-01") for i in range(10)]
    apart = [LinkRecord(f"B{i}", "Ben", f"Family{i}") for i in range(10)]
    apart += [LinkRecord(f"S{i}", f"Given{i}", "Smith") for i in range(10)]
    others = [LinkRecord(f"O{i}", f"Other{i}", f"Name{i}") for i in range(100)]
    ben_smith = LinkRecord("BS", "Ben", "Smith", "1970-02-02")
    linker = Linker.build([*together, *apart, *others, ben_smith])

    def names_weight(query: LinkRecord, record_id: str) -> float:
        found = next(c for c in linker.match(query, limit=None) if c.record_id == record_id)
        parts = {p.field: p.weight for p in found.explanation}
        total = found.prior_weight + sum(p.weight for p in found.explanation)
        assert total == pytest.approx(found.match_weight)
        return parts["given_name"] + parts["family_name"]

    shared = names_weight(LinkRecord("Q1", "Wei", "Wang"), "W0")
    unique = names_weight(LinkRecord("Q2", "Ben", "Smith"), "BS")
    assert shared < unique - 2


def test_one_person_recorded_many_times_does_not_make_their_name_common():
    def names_weight(dobs: list[str]) -> float:
        records = [LinkRecord(f"W{i}", "Wei", "Wang", dob) for i, dob in enumerate(dobs)]
        records += [LinkRecord(f"O{i}", f"Other{i}", f"Name{i}") for i in range(100)]
        best = Linker.build(records).match(LinkRecord("Q1", "Wei", "Wang"), limit=None)[0]
        parts = {p.field: p.weight for p in best.explanation}
        return parts["given_name"] + parts["family_name"]

    one_person = names_weight(["1960-01-01"] * 10)
    ten_people = names_weight([f"19{60 + i}-01-01" for i in range(10)])
    assert one_person > ten_people + 2
