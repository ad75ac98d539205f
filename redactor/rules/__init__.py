"""The release rule file: schema, YAML positions, selector kinds, parsing into values."""
