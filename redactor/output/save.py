"""Saving the extract: whole (no incremental update), compressed, reproducible.

The file identifier is derived from what made the extract (source fingerprint, rule file,
version), so the same inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any


def file_id(*parts: str) -> str:
    """A file identifier derived from the given parts: same inputs, same identifier."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def save_whole(doc: Any, identifier: str) -> bytes:
    """The document's bytes: garbage-collected, deflated, with the given identifier."""
    doc.xref_set_key(-1, "ID", f"[<{identifier}><{identifier}>]")
    return bytes(doc.tobytes(garbage=4, deflate=True, no_new_id=True))
