"""Finishing the extract: scrubbing leak surfaces, saving whole and reproducibly, writing atomically."""
