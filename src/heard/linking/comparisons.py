"""How two prepared records agree, field by field, as one level per field.

Each field has ordered levels, from the strongest agreement to "different"; a pair takes the first
level it satisfies, and a field missing on either side takes no level at all (it neither adds nor
subtracts evidence). The model learns how often true matches and non-matches reach each level.
Postcode is compared inside the address field, not beside it: the two are so correlated that
counting them separately would count one piece of evidence twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from heard.linking import dates
from heard.linking.prepared import Prepared

MISSING = -1
JW_HIGH = 0.92
JW_MID = 0.80
JW_SWAP = 0.88
ADDRESS_CLOSE = 90.0
ADDRESS_SIMILAR = 70.0
_NUMBER = re.compile(r"\d+[a-z]?")

TfMode = Literal["full", "penalise"]


@dataclass(frozen=True)
class FieldSpec:
    """A compared field: its levels (strongest first, "different" last) and starting m values.

    `tf` says how the exact level is adjusted for how common the value is: "full" replaces the
    average chance agreement by the value's own frequency (a shared "Smith" is weak evidence, a
    shared "Oyelaran" strong); "penalise" only ever weakens it, for fields where a value seen
    once in a small index would otherwise look rarer than chance agreement says it is.
    """

    name: str
    levels: tuple[str, ...]
    prior_m: tuple[float, ...]
    tf: TfMode | None = None

    def level_index(self, level: str) -> int:
        return self.levels.index(level)


GIVEN = FieldSpec(
    "given_name",
    ("exact", "swapped", "variant", "jaro_winkler_92", "phonetic", "jaro_winkler_80", "initial"),
    (0.80, 0.01, 0.04, 0.04, 0.02, 0.03, 0.01),
    tf="full",
)
FAMILY = FieldSpec(
    "family_name",
    (
        "exact",
        "swapped",
        "variant",
        "jaro_winkler_92",
        "phonetic",
        "jaro_winkler_80",
        "shared_part",
        "crossed",
    ),
    (0.80, 0.01, 0.02, 0.04, 0.02, 0.02, 0.02, 0.01),
    tf="full",
)
DOB = FieldSpec(
    "date_of_birth",
    ("exact", "day_month_swapped", "one_part_differs", "age_compatible"),
    (0.85, 0.02, 0.06, 0.02),
    tf="penalise",
)
PHONE = FieldSpec("phone", ("exact", "one_edit"), (0.70, 0.03), tf="penalise")
ADDRESS = FieldSpec(
    "address",
    ("exact", "close", "same_postcode", "similar_or_same_sector", "same_district"),
    (0.45, 0.10, 0.08, 0.07, 0.05),
)
SEX = FieldSpec("sex", ("same",), (0.97,))


def _with_different(spec: FieldSpec) -> FieldSpec:
    # "different" takes whatever prior mass the agreement levels leave.
    rest = max(1.0 - sum(spec.prior_m), 0.01)
    return FieldSpec(spec.name, (*spec.levels, "different"), (*spec.prior_m, rest), spec.tf)


FIELDS: tuple[FieldSpec, ...] = tuple(
    _with_different(spec) for spec in (GIVEN, FAMILY, DOB, PHONE, ADDRESS, SEX)
)


def _alike(x: str | None, y: str | None, threshold: float) -> bool:
    return x is not None and y is not None and (x == y or JaroWinkler.similarity(x, y) >= threshold)


def _swapped(a: Prepared, b: Prepared) -> bool:
    """Given and family names exchanged (each may also carry a slip)."""
    return (
        a.given != a.family
        and _alike(a.given, b.family, JW_SWAP)
        and _alike(a.family, b.given, JW_SWAP)
    )


def _crossed(a: Prepared, b: Prepared) -> bool:
    """One name recorded in the other field ("Emily Stronach" and "Stronach Ethan")."""
    return _alike(a.given, b.family, JW_HIGH) or _alike(a.family, b.given, JW_HIGH)


def compare_given(a: Prepared, b: Prepared) -> int:
    x, y = a.given, b.given
    if x is None or y is None:
        return MISSING
    if x == y:
        return 0
    if _swapped(a, b):
        return 1
    if not a.given_groups.isdisjoint(b.given_groups) or (
        a.given_skeleton == b.given_skeleton and len(a.given_skeleton or "") >= 2
    ):
        return 2
    similarity = JaroWinkler.similarity(x, y)
    if similarity >= JW_HIGH:
        return 3
    if a.given_phonetic == b.given_phonetic:
        return 4
    if similarity >= JW_MID:
        return 5
    if (len(x) == 1 or len(y) == 1) and x[0] == y[0]:
        return 6
    return 7


def compare_family(a: Prepared, b: Prepared) -> int:
    x, y = a.family, b.family
    if x is None or y is None:
        return MISSING
    if x == y:
        return 0
    if _swapped(a, b):
        return 1
    if not a.family_groups.isdisjoint(b.family_groups) or (
        a.family_skeleton == b.family_skeleton and len(a.family_skeleton or "") >= 3
    ):
        return 2
    similarity = JaroWinkler.similarity(x, y)
    if similarity >= JW_HIGH:
        return 3
    if a.family_phonetic == b.family_phonetic:
        return 4
    if similarity >= JW_MID:
        return 5
    if (len(a.family_tokens) > 1 or len(b.family_tokens) > 1) and not set(
        a.family_tokens
    ).isdisjoint(b.family_tokens):
        return 6
    if _crossed(a, b):
        return 7
    return 8


def compare_dob(a: Prepared, b: Prepared) -> int:
    x, y = a.dob, b.dob
    if x is not None and y is not None:
        if x == y:
            return 0
        if dates.day_month_swapped(x, y):
            return 1
        if dates.one_part_differs(x, y):
            return 2
        return 4
    year_a = x.year if x is not None else a.birth_year_estimate
    year_b = y.year if y is not None else b.birth_year_estimate
    if year_a is None or year_b is None:
        return MISSING
    return 3 if dates.ages_compatible(year_a, year_b) else 4


def compare_phone(a: Prepared, b: Prepared) -> int:
    x, y = a.phone, b.phone
    if x is None or y is None:
        return MISSING
    if x == y:
        return 0
    return 1 if OSA.distance(x, y, score_cutoff=1) <= 1 else 2


def _numbers(address: str) -> frozenset[str]:
    return frozenset(_NUMBER.findall(address))


def compare_address(a: Prepared, b: Prepared) -> int:
    pa, pb, xa, xb = a.postcode, b.postcode, a.address, b.address
    have_postcodes = pa is not None and pb is not None
    have_addresses = xa is not None and xb is not None
    if not have_postcodes and not have_addresses:
        return MISSING
    # A postcode one keystroke out (TS5 6QT / TS5 6TQ) is a slip, not another place.
    postcode_conflict = have_postcodes and OSA.distance(pa or "", pb or "", score_cutoff=1) > 1
    similarity = 0.0
    if xa is not None and xb is not None:
        if xa == xb and not postcode_conflict:
            return 0
        similarity = fuzz.token_set_ratio(xa, xb)
        # "1 High Street" and "3 High Street" are neighbours, not one address.
        same_numbers = _numbers(xa) == _numbers(xb)
        if similarity >= ADDRESS_CLOSE and same_numbers and not postcode_conflict:
            return 1
    if have_postcodes and pa == pb:
        return 2
    same_sector = a.postcode_sector is not None and a.postcode_sector == b.postcode_sector
    if similarity >= ADDRESS_SIMILAR or same_sector:
        return 3
    if a.postcode_district is not None and a.postcode_district == b.postcode_district:
        return 4
    return 5


def compare_sex(a: Prepared, b: Prepared) -> int:
    if a.sex is None or b.sex is None:
        return MISSING
    return 0 if a.sex == b.sex else 1


COMPARATORS: tuple[Callable[[Prepared, Prepared], int], ...] = (
    compare_given,
    compare_family,
    compare_dob,
    compare_phone,
    compare_address,
    compare_sex,
)


def compare(a: Prepared, b: Prepared) -> tuple[int, ...]:
    """The level each field reaches for this pair (MISSING where either side lacks it)."""
    return tuple(comparator(a, b) for comparator in COMPARATORS)


def tf_value(field_at: int, record: Prepared) -> str | None:
    """The value whose frequency adjusts the exact level of a term-frequency field."""
    if field_at == 0:
        return record.given
    if field_at == 1:
        return record.family
    if field_at == 2:
        return record.dob_iso
    if field_at == 3:
        return record.phone
    return None
