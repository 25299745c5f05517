"""Live delivery: an ordered, persisted stream of console events, fanned out to every web worker."""
