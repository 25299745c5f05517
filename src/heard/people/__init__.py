"""People as recorded, the subjects they resolve to, locations and markers."""
