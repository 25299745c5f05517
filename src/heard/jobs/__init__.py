"""Durable jobs: work that must happen, enqueued in the same transaction as the change needing it."""
