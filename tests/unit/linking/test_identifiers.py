from heard.linking.prepared import canonical_postcode, postcode_parts, prepare
from heard.linking.records import LinkRecord


def test_uk_phone_numbers_become_e164_however_they_are_written():
    for raw in ("07700 900123", "+44 (0)7700 900123", "0044 7700 900123"):
        assert prepare(LinkRecord("r", phone=raw)).phone == "+447700900123"


def test_a_phone_that_cannot_be_read_is_missing_not_an_error():
    assert prepare(LinkRecord("r", phone="ask neighbour")).phone is None


def test_uk_postcodes_take_the_canonical_form_and_have_sector_and_district():
    assert canonical_postcode("ts56qt") == "TS5 6QT"
    assert postcode_parts("TS5 6QT") == ("TS5 6", "TS5")


def test_a_postcode_from_elsewhere_is_kept_compact_without_sector():
    assert canonical_postcode(" 2602 ") == "2602"
    assert postcode_parts("2602") == (None, None)


def test_addresses_spell_out_street_abbreviations():
    assert prepare(LinkRecord("r", address="12, High St.")).address == "12 high street"


def test_sex_is_read_from_common_spellings_and_unknown_is_missing():
    assert prepare(LinkRecord("r", sex="Female")).sex == "f"
    assert prepare(LinkRecord("r", sex="M")).sex == "m"
    assert prepare(LinkRecord("r", sex="not stated")).sex is None


def test_only_the_first_forename_is_compared_and_family_names_lose_their_spaces():
    record = prepare(LinkRecord("r", given_name="Mary Jane", family_name="Van der Berg"))
    assert record.given == "mary"
    assert record.family == "vanderberg"
    assert record.family_tokens == ("van", "der", "berg")
