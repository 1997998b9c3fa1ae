"""Converge: the layer above the social media suites."""
