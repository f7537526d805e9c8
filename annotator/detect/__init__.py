"""Automatic pre-annotation: spaCy entities and rule-based numbers."""
