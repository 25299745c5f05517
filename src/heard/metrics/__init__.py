"""Pilot evaluation statistics: per force and month, computed with SQL over the domains' tables."""
