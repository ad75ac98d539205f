"""Renderings of a release plan: extract PDF, cover sheet, text."""
