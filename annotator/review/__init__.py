"""Reviewing extraction quality (model vs human) and agreement between annotators."""
