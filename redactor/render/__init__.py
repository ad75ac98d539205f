"""Renderings of a release plan: extract PDF, cover sheet, condensed pages, text, audit, previews."""
