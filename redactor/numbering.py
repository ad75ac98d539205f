"""Document numbers: the extract's number is the original's with "EXT n" appended."""

from __future__ import annotations


def new_number(original_number: str, extract: int) -> str:
    """Return the extract's document number: "16014/12 ADD 1 REV 2" -> "... EXT 1"."""
    if isinstance(extract, bool) or not isinstance(extract, int) or extract < 1:
        raise ValueError(f"extract must be a whole number from 1 up, not {extract!r}")
    return f"{' '.join(original_number.split())} EXT {extract}"
