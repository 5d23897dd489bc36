"""Robustness: every RELIABILITY.md row as a test (see docs/reliability.md)."""
