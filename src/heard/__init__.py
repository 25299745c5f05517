"""Heard: the domestic abuse safeguarding layer of a police 999 control room."""

__version__ = "0.1.0"
