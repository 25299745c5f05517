"""Calls, incidents, who was involved and how the parties are connected."""
