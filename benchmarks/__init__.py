"""Benchmarks of Briefing's summary quality (ROUGE on DUC 2006) and speed, beside sumy."""
