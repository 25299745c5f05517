"""How often each value of a term-frequency field occurs among the indexed records, and how
often each whole name (forename with family name) does."""

from __future__ import annotations

from heard.linking.comparisons import FIELDS, tf_value
from heard.linking.prepared import Prepared

BASE_YEAR = 1880
TF_FIELDS = tuple(at for at, spec in enumerate(FIELDS) if spec.tf is not None)


class TermFrequencies:
    """Counts kept up to date as records are added, so a new surname is rare until it is not."""

    def __init__(self) -> None:
        self._counts: dict[int, dict[str, int]] = {at: {} for at in TF_FIELDS}
        self._totals: dict[int, int] = dict.fromkeys(TF_FIELDS, 0)
        # Per whole name: how many records hold it, and the birth years they give as bits of an
        # int (year - BASE_YEAR), which tells several people apart from one person seen often.
        # Keyed by one string, not a (given, family) tuple: the collector untracks a dict of
        # strings and ints, and a tuple key would track it again at the first record filed after
        # the index was frozen, so the next two young collections walked every name (16 ms per
        # 600,000 names each) during a 999 call.
        self._names: dict[str, int] = {}
        self._name_years: dict[str, int] = {}
        self._names_total = 0

    def add(self, record: Prepared) -> None:
        if record.given and record.family:
            name = _whole_name(record.given, record.family)
            self._names[name] = self._names.get(name, 0) + 1
            self._names_total += 1
            if record.dob is not None and BASE_YEAR <= record.dob.year < BASE_YEAR + 256:
                bit = 1 << (record.dob.year - BASE_YEAR)
                self._name_years[name] = self._name_years.get(name, 0) | bit
        for at in TF_FIELDS:
            value = tf_value(at, record)
            if value is None:
                continue
            counts = self._counts[at]
            counts[value] = counts.get(value, 0) + 1
            self._totals[at] += 1

    def frequency(self, field_at: int, value: str) -> float:
        """Share of the records with this field filled in that hold this value (0 if unseen)."""
        total = self._totals.get(field_at, 0)
        if not total:
            return 0.0
        return self._counts[field_at].get(value, 0) / total

    def count(self, field_at: int, value: str) -> int:
        return self._counts.get(field_at, {}).get(value, 0)

    def other_name_frequency(self, record: Prepared) -> float | None:
        """Share of the other records held by other people with this record's whole name.

        A person recorded five times is not five people called that: the records are scaled
        by how many of the people sharing the name are someone else, counted by distinct years
        of birth (a name seen with one year of birth is taken to be one person).
        """
        if not (record.given and record.family) or self._names_total < 2:
            return None
        name = _whole_name(record.given, record.family)
        people = max(self._name_years.get(name, 0).bit_count(), 1)
        others = self._names.get(name, 1) * (people - 1) / people
        return others / (self._names_total - 1)


def _whole_name(given: str, family: str) -> str:
    return f"{given}\x1f{family}"
