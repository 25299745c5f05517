"""Synthetic force data for demos, tests and benchmarks. Never real people."""
