"""Missed-opportunity findings in the database: the sweep, the review queue, chronologies."""
