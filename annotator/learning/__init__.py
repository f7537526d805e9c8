"""Suggestions that learn while a person labels: their decisions on strings, applied elsewhere."""
