"""Checks: verify a finished extract for leaks, lint a rule file."""
