"""Channel names: what a page subscribes to. Every channel is also scoped to one force."""

from __future__ import annotations

CALLS = "calls"  # every call in the force: the handlers' list of open calls
QUEUE = "queue"  # the force's domestic abuse calls: specialists' queue and the supervisor's board
BOARD = "board"  # things only the supervisor's board shows (sign-offs, escalations)


def call(call_id: int) -> str:
    """Everything about one call: transcript, warning signs, grade, review, advice."""
    return f"call:{call_id}"


def officer(user_id: int) -> str:
    """One attending officer's incidents and the advice sent to them."""
    return f"officer:{user_id}"


ORDERS = "orders"  # breaches and order alerts: the order manager's breach pages
