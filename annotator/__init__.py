"""annotator: hand-label news articles, with entities and numbers pre-annotated by spaCy."""

__version__ = "0.1.0"
