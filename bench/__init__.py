"""Benchmarks (see run.py)."""
