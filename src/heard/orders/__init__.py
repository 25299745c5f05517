"""Protective notices and orders."""
