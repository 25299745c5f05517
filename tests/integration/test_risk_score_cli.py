"""`heard risk score` end to end, as a separate process, on hand-computed cases."""

import json
import subprocess
import sys

import pytest

HEARD = [sys.executable, "-m", "heard.cli", "risk", "score"]
AS_OF = "2025-03-15T09:30:00Z"


def answers(yes=(), no=(), not_known=(), declined=()):
    out = {}
    for value, ids in (("yes", yes), ("no", no), ("not_known", not_known), ("declined", declined)):
        out.update({str(i): value for i in ids})
    return out


def request(instrument, answer_map, judgement=None, incidents=(), last_marac=None, force="WMP"):
    return {
        "instrument": instrument,
        "answers": answer_map,
        "professional_judgement": judgement,
        "history": {"da_incidents": list(incidents), "last_marac_referral": last_marac},
        "as_of": AS_OF,
        "force": force,
    }


def expected(instrument, yes_count, computed, final, criteria):
    return {
        "instrument": instrument,
        "yes_count": yes_count,
        "computed_level": computed,
        "final_level": final,
        "marac": {"criteria": criteria, "refer": bool(criteria)},
    }


# Each case is worked out by hand from docs/risk.md: DASH bands 10 (medium) and 14 (high); S-DASH
# and H-DASH have no count bands; escalation is 3 incidents (this one included) in 12 months.
CASES = [
    (
        request("dash-acpo-27", answers(yes=range(1, 15), no=range(15, 28))),
        expected("dash-acpo-27", 14, "high", "high", ["visible_high_risk"]),
    ),
    (
        request(
            "dash-acpo-27",
            answers(yes=range(1, 14), not_known=[14, 15], declined=[16]),
            judgement="standard",
        ),
        expected("dash-acpo-27", 13, "medium", "medium", []),
    ),
    (
        request(
            "dash-safelives-24",
            answers(yes=range(1, 10), not_known=range(10, 25)),
            judgement="high",
        ),
        expected("dash-safelives-24", 9, "standard", "high", ["professional_judgement"]),
    ),
    (
        request(
            "dash-safelives-24",
            answers(yes=range(1, 11), declined=range(11, 25)),
            incidents=["2024-03-15", "2025-03-01"],
        ),
        expected("dash-safelives-24", 10, "medium", "medium", ["potential_escalation"]),
    ),
    (
        request(
            "s-dash-11",
            answers(yes=range(1, 8), no=range(8, 12)),
            incidents=["2024-03-14", "2025-03-01"],
        ),
        expected("s-dash-11", 7, None, None, []),
    ),
    (
        request("s-dash-11", answers(yes=[1, 6]), judgement="high", last_marac="2024-03-15"),
        expected("s-dash-11", 2, None, "high", ["professional_judgement", "repeat"]),
    ),
    (
        request("h-dash-10", answers(yes=[1, 3], declined=[2]), judgement="medium"),
        expected("h-dash-10", 2, None, "medium", []),
    ),
]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def run(*args):
    return subprocess.run([*HEARD, *args], capture_output=True, text=True, timeout=120, check=False)


def test_hand_computed_cases_for_every_instrument_print_one_line_each_in_order(tmp_path):
    files = [write(tmp_path, f"case{n}.json", case) for n, (case, _) in enumerate(CASES)]
    result = run(*files)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == [want for _, want in CASES]
    wanted = zip(files, CASES, strict=True)
    no_count_rule = [f for f, (_, want) in wanted if want["computed_level"] is None]
    notes = result.stderr.splitlines()
    assert [n.split(": ")[2] for n in notes] == no_count_rule
    assert all(n.startswith("heard risk score: note: ") for n in notes)


def test_a_null_computed_level_is_explained_on_stderr_without_failing_the_run(tmp_path):
    stalking = write(tmp_path, "stalking.json", CASES[4][0])
    judged = write(tmp_path, "judged.json", CASES[5][0])
    dash = write(tmp_path, "dash.json", CASES[0][0])
    result = run(stalking, judged, dash)
    assert result.returncode == 0
    notes = result.stderr.splitlines()
    assert len(notes) == 2
    assert "s-dash-11 has no count rule" in notes[0]
    assert "stays null until the assessor gives a professional judgement" in notes[0]
    assert "final_level is the assessor's professional judgement" in notes[1]


def test_bad_files_are_reported_on_stderr_and_the_good_ones_are_still_scored(tmp_path):
    good_first = write(tmp_path, "first.json", CASES[0][0])
    not_json = write(tmp_path, "broken.json", '{"instrument": "dash-acpo-27",')
    unknown_instrument = write(tmp_path, "dara.json", {**CASES[0][0], "instrument": "dara-99"})
    unknown_item = write(tmp_path, "item.json", {**CASES[0][0], "answers": {"28": "yes"}})
    bad_answer = write(tmp_path, "value.json", {**CASES[0][0], "answers": {"5": "maybe"}})
    missing = str(tmp_path / "missing.json")
    good_last = write(tmp_path, "last.json", CASES[2][0])
    result = run(
        good_first, not_json, unknown_instrument, unknown_item, bad_answer, missing, good_last
    )
    assert result.returncode == 1
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        CASES[0][1],
        CASES[2][1],
    ]
    errors = result.stderr.splitlines()
    assert len(errors) == 5
    assert f"{not_json}: (file): not valid JSON at line 1" in errors[0]
    assert f"{unknown_instrument}: instrument: unknown instrument 'dara-99'" in errors[1]
    assert f"{unknown_item}: answers.28: dash-acpo-27 has no item '28'" in errors[2]
    assert (
        f"{bad_answer}: answers.5: 'maybe' is not one of yes, no, not_known, declined"
        in (errors[3])
    )
    assert f"{missing}: (file): cannot be read" in errors[4]


def test_an_item_answered_twice_in_one_file_is_refused(tmp_path):
    text = json.dumps(CASES[0][0]).replace('"1": "yes"', '"1": "yes", "1": "no"', 1)
    result = run(write(tmp_path, "twice.json", text))
    assert result.returncode == 1 and result.stdout == ""
    assert "key '1' appears twice" in result.stderr


def test_a_force_policy_file_changes_the_escalation_rule_for_that_force_only(tmp_path):
    policy = write(
        tmp_path, "policy.yaml", "forces:\n  KNT:\n    escalation: {incidents: 3, months: 6}\n"
    )
    incidents = ["2024-08-01", "2025-03-01"]
    kent = write(
        tmp_path, "knt.json", request("dash-acpo-27", {}, incidents=incidents, force="KNT")
    )
    other = write(tmp_path, "wmp.json", request("dash-acpo-27", {}, incidents=incidents))
    result = run("--policies", policy, kent, other)
    assert result.returncode == 0, result.stderr
    criteria = [json.loads(line)["marac"]["criteria"] for line in result.stdout.splitlines()]
    assert criteria == [[], ["potential_escalation"]]


@pytest.mark.parametrize(
    "policy_text",
    ["forces:\n  KNT:\n    bands:\n      dash-acpo-27: {medium: 10, high: 30}\n", "forces: [1"],
)
def test_a_bad_policy_file_stops_before_any_file_is_scored(tmp_path, policy_text):
    policy = write(tmp_path, "policy.yaml", policy_text)
    result = run("--policies", policy, write(tmp_path, "a.json", CASES[0][0]))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "configuration" in result.stderr


def test_risk_score_without_files_is_a_usage_error():
    result = run()
    assert result.returncode == 2
    assert "FILE.json" in result.stderr


def test_a_force_variant_from_an_instruments_directory_can_be_scored(tmp_path):
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "variant.yaml").write_text(
        "id: dash-local-3\nversion: 1\ntitle: Local\nsource: test\nbased_on: dash-acpo-27\n"
        "forces: [TST]\nscoring:\n  bands: {medium: 2, high: 3}\nitems:\n"
        '  - {id: "1", same_as: "16"}\n  - {id: "2", same_as: "17"}\n  - {id: "3", same_as: "18"}\n'
    )
    case = request("dash-local-3", answers(yes=[1, 2], no=[3]), force="tst")
    result = run("--instruments", str(folder), write(tmp_path, "local.json", case))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected("dash-local-3", 2, "medium", "medium", [])
