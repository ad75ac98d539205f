"""Writing rule files: inspect a source, draft a starter rule file."""
