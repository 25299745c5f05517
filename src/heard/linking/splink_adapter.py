"""Splink (on DuckDB) for training weights, batch de-duplication and as a real-time yardstick.

Records are prepared by Heard first, so Splink sees the same folded names, phonetic and skeleton
keys, parsed dates, E.164 phones and canonical postcodes. Its comparisons repeat Heard's levels
in SQL, in the same order, so the m and u Splink trains map level for level onto a Heard `Model`.
Two levels are approximated in SQL: address similarity uses the share of shared words where
Heard uses RapidFuzz's token-set ratio, and the phone's one-edit level uses Damerau-Levenshtein.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from splink import DuckDBAPI, Linker, block_on
from splink.internals.exceptions import EMTrainingException

from heard.linking.comparisons import FIELDS, JW_HIGH, JW_MID, JW_SWAP
from heard.linking.model import Model
from heard.linking.prepared import Prepared, prepare
from heard.linking.records import LinkRecord

_QUIET = logging.WARNING
_log = logging.getLogger(__name__)


def _jw(left: str, right: str, at_least: float) -> str:
    return f"jaro_winkler_similarity({left}, {right}) >= {at_least}"


def _alike(left: str, right: str, at_least: float) -> str:
    return f"({left} = {right} OR {_jw(left, right, at_least)})"


_SWAPPED = (
    "given_name_l <> family_name_l"
    f" AND {_alike('given_name_l', 'family_name_r', JW_SWAP)}"
    f" AND {_alike('family_name_l', 'given_name_r', JW_SWAP)}"
)
_CROSSED = (
    f"{_alike('given_name_l', 'family_name_r', JW_HIGH)}"
    f" OR {_alike('family_name_l', 'given_name_r', JW_HIGH)}"
)
_WORD_SHARE = (
    "len(list_intersect(address_tokens_l, address_tokens_r))"
    " / greatest(len(list_distinct(list_concat(address_tokens_l, address_tokens_r))), 1)"
)
_POSTCODES_AGREE = (
    "(postcode_l IS NULL OR postcode_r IS NULL OR damerau_levenshtein(postcode_l, postcode_r) <= 1)"
)


def _name_levels(column: str, skeleton_length: int) -> dict[str, str]:
    return {
        "exact": f"{column}_l = {column}_r",
        "swapped": _SWAPPED,
        "variant": (
            f"list_has_any({column}_groups_l, {column}_groups_r) OR"
            f" ({column}_skeleton_l = {column}_skeleton_r"
            f" AND length({column}_skeleton_l) >= {skeleton_length})"
        ),
        "jaro_winkler_92": _jw(f"{column}_l", f"{column}_r", JW_HIGH),
        "phonetic": f"{column}_phonetic_l = {column}_phonetic_r",
        "jaro_winkler_80": _jw(f"{column}_l", f"{column}_r", JW_MID),
    }


_LEVEL_SQL: dict[str, tuple[str, dict[str, str]]] = {
    "given_name": (
        "given_name_l IS NULL OR given_name_r IS NULL",
        {
            **_name_levels("given_name", 2),
            "initial": "(length(given_name_l) = 1 OR length(given_name_r) = 1)"
            " AND left(given_name_l, 1) = left(given_name_r, 1)",
        },
    ),
    "family_name": (
        "family_name_l IS NULL OR family_name_r IS NULL",
        {
            **_name_levels("family_name", 3),
            "shared_part": "(len(family_tokens_l) > 1 OR len(family_tokens_r) > 1)"
            " AND list_has_any(family_tokens_l, family_tokens_r)",
            "crossed": _CROSSED,
        },
    ),
    "date_of_birth": (
        "birth_year_l IS NULL OR birth_year_r IS NULL",
        {
            "exact": "date_of_birth_l = date_of_birth_r",
            "day_month_swapped": "dob_year_l = dob_year_r AND dob_day_l <> dob_month_l"
            " AND dob_day_l = dob_month_r AND dob_month_l = dob_day_r",
            "one_part_differs": "(CAST(dob_year_l = dob_year_r AS INTEGER)"
            " + CAST(dob_month_l = dob_month_r AS INTEGER)"
            " + CAST(dob_day_l = dob_day_r AS INTEGER)) = 2",
            "age_compatible": "(date_of_birth_l IS NULL OR date_of_birth_r IS NULL)"
            " AND abs(birth_year_l - birth_year_r) <= 2",
        },
    ),
    "phone": (
        "phone_l IS NULL OR phone_r IS NULL",
        {"exact": "phone_l = phone_r", "one_edit": "damerau_levenshtein(phone_l, phone_r) <= 1"},
    ),
    "address": (
        "(address_l IS NULL OR address_r IS NULL) AND (postcode_l IS NULL OR postcode_r IS NULL)",
        {
            "exact": f"address_l = address_r AND {_POSTCODES_AGREE}",
            "close": f"{_WORD_SHARE} >= 0.75 AND address_numbers_l = address_numbers_r"
            f" AND {_POSTCODES_AGREE}",
            "same_postcode": "postcode_l = postcode_r",
            "similar_or_same_sector": f"{_WORD_SHARE} >= 0.4"
            " OR postcode_sector_l = postcode_sector_r",
            "same_district": "postcode_district_l = postcode_district_r",
        },
    ),
    "sex": ("sex_l IS NULL OR sex_r IS NULL", {"same": "sex_l = sex_r"}),
}
_TF_COLUMNS = {"given_name": "given_name", "family_name": "family_name"}


def _comparison(spec_at: int) -> dict[str, Any]:
    spec = FIELDS[spec_at]
    null_sql, levels = _LEVEL_SQL[spec.name]
    comparison_levels: list[dict[str, Any]] = [
        {"sql_condition": null_sql, "label_for_charts": "missing", "is_null_level": True}
    ]
    for level in spec.levels[:-1]:
        entry: dict[str, Any] = {"sql_condition": levels[level], "label_for_charts": level}
        if level == "exact" and spec.name in _TF_COLUMNS:
            entry["tf_adjustment_column"] = _TF_COLUMNS[spec.name]
            entry["tf_adjustment_weight"] = 1.0
        comparison_levels.append(entry)
    comparison_levels.append({"sql_condition": "ELSE", "label_for_charts": "different"})
    return {"output_column_name": spec.name, "comparison_levels": comparison_levels}


BLOCKING_RULES: tuple[str, ...] = (
    "l.given_name_phonetic = r.given_name_phonetic"
    " AND l.family_name_phonetic = r.family_name_phonetic",
    "l.given_name_phonetic = r.family_name_phonetic"
    " AND l.family_name_phonetic = r.given_name_phonetic",
    "l.date_of_birth = r.date_of_birth",
    "l.phone = r.phone",
    "l.postcode = r.postcode AND left(l.family_name, 1) = left(r.family_name, 1)",
    "l.postcode = r.postcode AND left(l.given_name, 1) = left(r.given_name, 1)",
)


def settings(link_type: str = "dedupe_only") -> dict[str, Any]:
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "comparisons": [_comparison(at) for at in range(len(FIELDS))],
        "blocking_rules_to_generate_predictions": list(BLOCKING_RULES),
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


def _numbers(address: str | None) -> list[str]:
    return sorted({token for token in (address or "").split() if token[:1].isdigit()})


def row(record: Prepared) -> dict[str, Any]:
    """A prepared record as the flat row Splink's SQL reads."""
    dob = record.dob
    return {
        "unique_id": record.record_id,
        "given_name": record.given,
        "family_name": record.family,
        "family_tokens": list(record.family_tokens),
        "given_name_groups": sorted(record.given_groups),
        "family_name_groups": sorted(record.family_groups),
        "given_name_skeleton": record.given_skeleton,
        "family_name_skeleton": record.family_skeleton,
        "given_name_phonetic": record.given_phonetic,
        "family_name_phonetic": record.family_phonetic,
        "date_of_birth": record.dob_iso,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob else None,
        "dob_day": dob.day if dob else None,
        "birth_year": dob.year if dob else record.birth_year_estimate,
        "phone": record.phone,
        "postcode": record.postcode,
        "postcode_sector": record.postcode_sector,
        "postcode_district": record.postcode_district,
        "address": record.address,
        "address_tokens": (record.address or "").split() or None,
        "address_numbers": _numbers(record.address),
        "sex": record.sex,
    }


def rows(records: Sequence[LinkRecord]) -> list[dict[str, Any]]:
    return [row(prepare(record)) for record in records]


def trained_linker(table: list[dict[str, Any]], *, seed: int = 1) -> tuple[Linker, DuckDBAPI]:
    """A Splink linker trained without labels: u by random sampling, m by EM in two sessions."""
    db_api = DuckDBAPI()
    frame = db_api.register(_columnar(table), dataset_display_name="people")
    linker = Linker(frame, settings(), log_level=_QUIET)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth")], recall=0.7
    )
    settings_obj = linker._settings_obj
    if not settings_obj._probability_two_random_records_match:
        # No duplicates found by the strict rule (a file of distinct people): one in N is the
        # smallest prior Splink's EM can start from without a zero.
        settings_obj._probability_two_random_records_match = 1.0 / max(len(table), 2)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
    # Each session learns the fields its blocking rule does not fix. A session whose rule finds
    # no pairs (a small or duplicate-free file) is skipped: the other still trains.
    for rule in (
        block_on("date_of_birth"),
        block_on("given_name_phonetic", "family_name_phonetic"),
    ):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
        except EMTrainingException as exc:
            _log.warning("Splink EM session skipped: %s", str(exc).splitlines()[0])
    return linker, db_api


def _columnar(table: list[dict[str, Any]]) -> dict[str, list[Any]]:
    if not table:
        raise ValueError("Splink needs at least one record")
    return {column: [item[column] for item in table] for column in table[0]}


def to_model(linker: Linker, records: int, base: Model | None = None) -> Model:
    """Splink's trained m and u as a Heard model, level for level; untrained levels keep base."""
    base = base or Model.untrained()
    saved = linker.misc.save_model_to_json()
    comparisons = {item["output_column_name"]: item for item in saved["comparisons"]}
    m = [list(values) for values in base.m]
    u = [list(values) for values in base.u]
    for at, spec in enumerate(FIELDS):
        levels = [
            lv for lv in comparisons[spec.name]["comparison_levels"] if not lv.get("is_null_level")
        ]
        for level_at, level in enumerate(levels):
            if level.get("m_probability") is not None:
                m[at][level_at] = float(level["m_probability"])
            if level.get("u_probability") is not None:
                u[at][level_at] = float(level["u_probability"])
    return Model(
        m=m,
        u=u,
        expected_matches=base.expected_matches,
        thresholds=base.thresholds,
        trained={"engine": "splink", "records": records},
    )


def train_model(records: Sequence[LinkRecord], base: Model | None = None) -> Model:
    """`heard link train --engine splink`: Splink's unsupervised training as a Heard model."""
    linker, _ = trained_linker(rows(records))
    return to_model(linker, len(records), base)


def dedupe(records: Sequence[LinkRecord], *, threshold: float) -> list[tuple[str, str]]:
    """(record_id, cluster_id) for every record: Splink's batch predict, then clustering."""
    linker, _ = trained_linker(rows(records))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    table = clusters.as_record_list()
    return sorted((str(item["unique_id"]), str(item["cluster_id"])) for item in table)


class RealtimeScorer:
    """Splink's own real-time path: one new record scored against the registered people.

    The people table and its term-frequency tables are registered once; each `match` registers
    the single new record and runs Splink's `predict_between` with the same blocking rules.
    """

    def __init__(self, model_settings: dict[str, Any], people: list[dict[str, Any]]) -> None:
        self._db_api = DuckDBAPI()
        self._people = self._db_api.register(_columnar(people), dataset_display_name="people")
        self._linker = Linker(self._people, model_settings, log_level=_QUIET)
        for column in _TF_COLUMNS.values():
            self._linker.table_management.compute_tf_table(column)
        self._count = 0

    @classmethod
    def trained_on(
        cls, records: Sequence[LinkRecord], *, training_sample: int | None = None
    ) -> RealtimeScorer:
        """Trained on the records (or the first `training_sample` of them), scoring against all."""
        table = rows(records)
        linker, _ = trained_linker(table[:training_sample] if training_sample else table)
        return cls(linker.misc.save_model_to_json(), table)

    def match(
        self, record: LinkRecord, *, min_probability: float = 0.01
    ) -> list[tuple[str, float]]:
        self._count += 1
        new = self._db_api.register(
            _columnar([row(prepare(record))]), table_name=f"__heard_new_{self._count}"
        )
        try:
            scored = self._linker.inference.predict_between(
                self._people,
                new,
                threshold_match_probability=min_probability,
                warning_mode="never",
            )
            found = [
                (str(item["unique_id_l"]), float(item["match_probability"]))
                for item in scored.as_record_list()
            ]
            scored.drop_table_from_database_and_remove_from_cache()
        finally:
            new.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        return sorted(found, key=lambda item: -item[1])
