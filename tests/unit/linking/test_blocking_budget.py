"""A common name in a large force must not turn one query into thousands of comparisons."""

from heard.linking import LinkRecord
from heard.linking.blocking import BlockingIndex
from heard.linking.prepared import prepare


def namesakes(count: int) -> list[LinkRecord]:
    return [
        LinkRecord(f"S{n}", "John", "Smith", f"19{50 + n % 40}-0{1 + n % 9}-1{n % 9}")
        for n in range(count)
    ]


def index_of(records: list[LinkRecord], budget: int) -> BlockingIndex:
    index = BlockingIndex(budget=budget)
    for number, record in enumerate(records):
        index.add(number, prepare(record))
    return index


def test_a_query_past_its_budget_leaves_out_the_common_name_but_keeps_the_shared_phone():
    records = [*namesakes(300), LinkRecord("P", "Jon", "Smyth", None, "07700 900123")]
    query = prepare(LinkRecord("Q", "John", "Smith", None, "07700 900123"))
    within = index_of(records, budget=1000).candidates(query)
    tight = index_of(records, budget=100).candidates(query)
    assert len(within) == 301
    assert tight == {300}


def test_small_blocks_are_always_opened_whatever_the_budget():
    records = namesakes(30)
    query = prepare(LinkRecord("Q", "John", "Smith", None))
    assert len(index_of(records, budget=1).candidates(query)) == 30
