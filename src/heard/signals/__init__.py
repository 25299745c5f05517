"""Warning signs on a call: risk cues from the live transcript, later signals from history."""
