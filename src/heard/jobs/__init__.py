"""Durable jobs: work that must happen, enqueued in the transaction of the change needing it."""
