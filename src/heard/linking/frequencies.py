"""How often each value of a term-frequency field occurs among the indexed records."""

from __future__ import annotations

from heard.linking.comparisons import FIELDS, tf_value
from heard.linking.prepared import Prepared

TF_FIELDS = tuple(at for at, spec in enumerate(FIELDS) if spec.tf is not None)


class TermFrequencies:
    """Counts kept up to date as records are added, so a new surname is rare until it is not."""

    def __init__(self) -> None:
        self._counts: dict[int, dict[str, int]] = {at: {} for at in TF_FIELDS}
        self._totals: dict[int, int] = dict.fromkeys(TF_FIELDS, 0)

    def add(self, record: Prepared) -> None:
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
