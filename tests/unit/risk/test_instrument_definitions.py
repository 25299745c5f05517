from pathlib import Path

import pytest

from heard.risk.instruments import InstrumentDefinitionError, default_catalogue, load_catalogue
from heard.risk.instruments.cues import CUE_CODES
from heard.risk.instruments.scoring import Level
from heard.risk.models import RiskGrade
from tests.unit.risk.helpers import instrument


@pytest.mark.parametrize(
    ("instrument_id", "count"),
    [("dash-acpo-27", 27), ("dash-safelives-24", 24), ("s-dash-11", 11), ("h-dash-10", 10)],
)
def test_each_instrument_has_the_published_number_of_items_numbered_from_one(instrument_id, count):
    found = instrument(instrument_id)
    assert [item.id for item in found.items] == [str(n) for n in range(1, count + 1)]
    assert found.version >= 1 and found.title and found.source


def test_only_the_seven_uncaptured_honour_based_abuse_questions_are_marked_unknown():
    catalogue = default_catalogue()
    unknown = {i: catalogue.get(i).unknown_item_ids for i in catalogue.ids}
    assert unknown == {
        "dash-acpo-27": (),
        "dash-safelives-24": (),
        "s-dash-11": (),
        "h-dash-10": ("4", "5", "6", "7", "8", "9", "10"),
    }
    for item_id in unknown["h-dash-10"]:
        item = instrument("h-dash-10").item(item_id)
        assert item.question is None and item.cues == ()


def test_the_three_known_honour_based_abuse_questions_are_truanting_self_harm_and_being_kept_in():
    questions = [item.question.lower() for item in instrument("h-dash-10").known_items]
    assert "school" in questions[0]
    assert "harmed yourself" in questions[1]
    assert "kept at home" in questions[2]


def test_every_known_item_has_a_question_and_every_cue_is_in_the_shared_taxonomy():
    catalogue = default_catalogue()
    for instrument_id in catalogue.ids:
        for item in catalogue.get(instrument_id).known_items:
            assert item.question and item.question.strip()
            assert set(item.cues) <= CUE_CODES


def test_acpo_items_map_to_the_dash_cues_listed_in_the_cue_taxonomy():
    acpo = instrument("dash-acpo-27")
    mapped = {item.id: set(item.cues) for item in acpo.items if item.cues}
    assert mapped["1"] == {"INJURY"}
    assert mapped["2"] == mapped["3"] == {"FEAR"}
    assert mapped["11"] == mapped["12"] == {"CHILDREN_AT_RISK"}
    assert mapped["13"] == mapped["14"] == {"ESCALATION"}
    assert mapped["18"] == {"STRANGULATION"}
    assert mapped["26"] == {"ORDER_BREACH"}
    assert {"10", "21", "23", "27"}.isdisjoint(mapped)


def test_safelives_items_ten_to_twenty_four_are_acpo_items_thirteen_to_twenty_seven():
    acpo, safelives = instrument("dash-acpo-27"), instrument("dash-safelives-24")
    for n in range(10, 25):
        ours, theirs = safelives.item(str(n)), acpo.item(str(n + 3))
        assert (ours.question, ours.cues, ours.group) == (
            theirs.question,
            theirs.cues,
            theirs.group,
        )


def test_safelives_leaves_out_three_acpo_children_items_and_keeps_pregnancy():
    safelives_questions = {item.question for item in instrument("dash-safelives-24").items}
    acpo = instrument("dash-acpo-27")
    left_out = [n for n in range(1, 28) if acpo.item(str(n)).question not in safelives_questions]
    assert left_out == [10, 11, 12]


def test_dash_items_four_eight_and_twenty_lead_on_to_the_follow_up_questions():
    acpo = instrument("dash-acpo-27")
    assert acpo.item("4").follow_up == ("h-dash-10",)
    assert acpo.item("8").follow_up == ("s-dash-11",)
    assert acpo.item("20").follow_up == ("h-dash-10",)


def test_dash_uses_fourteen_and_ten_as_bands_and_stalking_and_honour_questions_have_none():
    assert instrument("dash-acpo-27").scoring.bands.model_dump() == {"medium": 10, "high": 14}
    assert instrument("dash-safelives-24").scoring.bands.model_dump() == {"medium": 10, "high": 14}
    assert instrument("s-dash-11").scoring.bands is None
    assert instrument("h-dash-10").scoring.bands is None


def test_levels_have_the_same_values_as_the_stored_risk_grades():
    assert {level.value for level in Level} == {grade.value for grade in RiskGrade}


def test_item_lookup_needs_the_exact_id():
    acpo = instrument("dash-acpo-27")
    assert acpo.item("1") is not None
    for bad in ("01", "0", "28", "", " 1", "one", "\u0661"):
        assert acpo.item(bad) is None


VARIANT = """
id: dash-acpo-27-local
version: 1
title: Local variant
source: test
based_on: dash-acpo-27
forces: [TST]
scoring:
  bands: {medium: 2, high: 3}
items:
  - {id: "1", same_as: "18"}
  - {id: "2", same_as: "17"}
  - id: "3"
    group: local
    question: A question only this force asks?
"""


def test_a_force_variant_can_be_added_from_a_directory_and_copy_items_from_its_base(tmp_path):
    (tmp_path / "local.yaml").write_text(VARIANT)
    catalogue = load_catalogue([tmp_path])
    variant = catalogue.get("dash-acpo-27-local")
    assert variant.item("1").cues == ("STRANGULATION",)
    assert variant.item("3").question == "A question only this force asks?"
    assert variant.usable_by("tst") and not variant.usable_by("WMP")
    assert catalogue.get("dash-acpo-27") is not None


def test_a_newer_version_becomes_the_default_and_the_older_stays_available(tmp_path):
    text = (
        Path(__file__).parents[3] / "src/heard/risk/instruments/definitions/s-dash-11.yaml"
    ).read_text()
    (tmp_path / "s-dash-v2.yaml").write_text(text.replace("version: 1", "version: 2", 1))
    catalogue = load_catalogue([tmp_path])
    assert catalogue.get("s-dash-11").version == 2
    assert catalogue.get("s-dash-11", version=1).version == 1


@pytest.mark.parametrize(
    ("replace", "by", "complaint"),
    [
        ('{id: "2", same_as: "17"}', '{id: "4", same_as: "17"}', "in order"),
        ('same_as: "18"', 'same_as: "99"', "does not exist"),
        ("medium: 2, high: 3", "medium: 4, high: 3", "must not exceed"),
        ("medium: 2, high: 3", "medium: 2, high: 9", "exceeds the 3 answerable"),
        ("based_on: dash-acpo-27", "based_on: nothing-here", "not defined"),
        ("group: local\n", "group: local\n    cues: [MADE_UP]\n", "unknown cue"),
        ("version: 1", "version: 0", "version"),
    ],
)
def test_a_malformed_definition_is_refused_when_loaded(tmp_path, replace, by, complaint):
    assert replace in VARIANT
    (tmp_path / "bad.yaml").write_text(VARIANT.replace(replace, by))
    with pytest.raises(InstrumentDefinitionError, match=complaint):
        load_catalogue([tmp_path])


def test_a_definition_may_not_redefine_a_packaged_version(tmp_path):
    text = (
        Path(__file__).parents[3] / "src/heard/risk/instruments/definitions/s-dash-11.yaml"
    ).read_text()
    (tmp_path / "again.yaml").write_text(text)
    with pytest.raises(InstrumentDefinitionError, match="defined twice"):
        load_catalogue([tmp_path])


def test_the_definition_files_are_declared_as_package_data_so_they_ship_in_the_wheel():
    import tomllib
    from fnmatch import fnmatch

    root = Path(__file__).parents[3]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["heard"]
    folder = root / "src/heard/risk/instruments/definitions"
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 4
    for path in files:
        relative = path.relative_to(root / "src/heard").as_posix()
        assert any(fnmatch(relative, pattern) for pattern in patterns), relative
