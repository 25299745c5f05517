from datetime import date

import pytest

from heard.risk.instruments import (
    Answer,
    Policies,
    RiskInputError,
    contract_line,
    default_catalogue,
    evaluate,
    parse_policies,
    parse_request,
)


def document(**changes):
    base = {
        "instrument": "dash-acpo-27",
        "answers": {"1": "yes", "2": "no"},
        "professional_judgement": None,
        "history": {"da_incidents": [], "last_marac_referral": None},
        "as_of": "2025-03-15T10:00:00Z",
        "force": "WMP",
    }
    base.update(changes)
    return base


def line(doc, policies=None):
    request = parse_request(doc)
    return contract_line(evaluate(request, default_catalogue(), policies or Policies()))


def test_a_well_formed_request_gives_the_contract_line():
    answers = {str(n): "yes" for n in range(1, 15)} | {"15": "not_known", "16": "declined"}
    out = line(document(answers=answers, history={"da_incidents": ["2025-01-02", "2024-12-01"]}))
    assert out == {
        "instrument": "dash-acpo-27",
        "yes_count": 14,
        "computed_level": "high",
        "final_level": "high",
        "marac": {"criteria": ["visible_high_risk", "potential_escalation"], "refer": True},
    }


def test_a_stalking_request_without_judgement_has_no_level_and_no_referral():
    out = line(document(instrument="s-dash-11", answers={str(n): "yes" for n in range(1, 12)}))
    assert out["yes_count"] == 11
    assert (out["computed_level"], out["final_level"]) == (None, None)
    assert out["marac"] == {"criteria": [], "refer": False}


def test_an_answer_may_carry_free_text():
    request = parse_request(document(answers={"1": {"answer": "yes", "text": "cut to the arm"}}))
    assert request.responses["1"].answer is Answer.YES
    assert request.responses["1"].text == "cut to the arm"


def test_history_and_judgement_are_optional():
    doc = document()
    del doc["history"], doc["professional_judgement"]
    assert line(doc)["marac"] == {"criteria": [], "refer": False}


def test_as_of_is_read_as_the_uk_local_date():
    # 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    request = parse_request(document(as_of="2025-06-30T23:30:00Z"))
    assert request.as_of_date == date(2025, 7, 1)
    doc = document(as_of="2025-06-30T23:30:00Z", history={"last_marac_referral": "2024-06-30"})
    assert line(doc)["marac"]["criteria"] == []
    doc["history"]["last_marac_referral"] = "2024-07-01"
    assert line(doc)["marac"]["criteria"] == ["repeat"]


def test_an_as_of_without_a_zone_is_uk_local_time():
    assert parse_request(document(as_of="2025-06-30T23:30:00")).as_of_date == date(2025, 6, 30)


def test_a_force_policy_applies_by_force_code_in_any_case():
    policies = parse_policies(
        "forces:\n  KNT:\n    escalation: {incidents: 3, months: 6}\n", default_catalogue()
    )
    doc = document(force="knt", history={"da_incidents": ["2024-08-01", "2025-01-01"]})
    assert line(doc, policies)["marac"]["criteria"] == []
    assert line(document(history=doc["history"]), policies)["marac"]["criteria"] == [
        "potential_escalation"
    ]


@pytest.mark.parametrize(
    ("doc", "field", "message"),
    [
        ([], "(file)", "JSON object"),
        (document(instrument="dash-99"), "instrument", "unknown instrument"),
        (document(instrument=""), "instrument", "non-empty"),
        (document(answers={"28": "yes"}), "answers.28", "has no item"),
        (document(answers={"3": "maybe"}), "answers.3", "not one of yes, no, not_known"),
        (document(answers={"3": True}), "answers.3", "not one of"),
        (document(answers={"3": "YES"}), "answers.3", "not one of"),
        (document(answers={"3": {"answer": "yes", "txt": ""}}), "answers.3", "unexpected keys"),
        (document(answers={"3": {"answer": "yes", "text": 4}}), "answers.3.text", "string"),
        (document(answers=["yes"]), "answers", "object"),
        (document(professional_judgement="severe"), "professional_judgement", "not one of"),
        (document(professional_judgment="high"), "professional_judgment", "not a known field"),
        (
            document(professional_judgement_rationale="x"),
            "professional_judgement_rationale",
            "without a professional_judgement",
        ),
        (document(as_of="yesterday"), "as_of", "ISO 8601"),
        (document(as_of=20250315), "as_of", "ISO 8601"),
        (document(as_of="0999-01-01T00:00:00Z"), "as_of", "outside"),
        (document(force=None), "force", "non-empty"),
        (document(history=[]), "history", "object"),
        (document(history={"da_incidents": "2025-01-01"}), "history.da_incidents", "list"),
        (document(history={"da_incidents": ["2025-13-01"]}), "history.da_incidents[0]", "date"),
        (document(history={"last_marac_referral": 5}), "history.last_marac_referral", "date"),
        (document(history={"marac": None}), "history.marac", "not a known history field"),
    ],
)
def test_bad_input_names_the_field(doc, field, message):
    with pytest.raises(RiskInputError, match=message) as raised:
        line(doc)
    assert raised.value.field == field


@pytest.mark.parametrize("missing", ["instrument", "answers", "as_of", "force"])
def test_a_missing_required_field_is_named(missing):
    doc = document()
    del doc[missing]
    with pytest.raises(RiskInputError, match="required") as raised:
        parse_request(doc)
    assert raised.value.field == missing


def test_a_force_variant_is_refused_for_another_force(tmp_path):
    from heard.risk.instruments import load_catalogue

    (tmp_path / "v.yaml").write_text(
        "id: local-1\nversion: 1\ntitle: t\nsource: s\nforces: [TST]\n"
        "scoring: {bands: null}\nitems:\n  - {id: '1', group: g, question: 'Asked here only?'}\n"
    )
    catalogue = load_catalogue([tmp_path])
    doc = document(instrument="local-1", answers={"1": "yes"})
    with pytest.raises(RiskInputError, match="variant for TST only"):
        evaluate(parse_request(doc), catalogue, Policies())
    doc["force"] = "tst"
    assert evaluate(parse_request(doc), catalogue, Policies()).score.yes_count == 1
