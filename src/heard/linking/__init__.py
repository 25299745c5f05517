"""Record linkage: which earlier person records a new one is, with the reasons why.

Heard's own linker (`Linker`) scores one new record against an in-memory index in milliseconds;
Splink (`splink_adapter`) trains weights and de-duplicates in batch, and is the yardstick the
benchmarks compare against.
"""

from heard.linking.linker import Candidate, FieldExplanation, Linker
from heard.linking.model import Band, Model, Thresholds
from heard.linking.records import LinkRecord

__all__ = ["Band", "Candidate", "FieldExplanation", "LinkRecord", "Linker", "Model", "Thresholds"]
