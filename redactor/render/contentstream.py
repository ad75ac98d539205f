"""A page's content stream as pikepdf instructions, for the passes that rewrite it.

The keep-list writer rewrites content twice around MuPDF's filter: ``TJ`` arrays split
before it (:func:`redactor.render.redact.split_text_arrays`) and respaced rows after it
(:mod:`redactor.render.respace`). Both read the stream here, and both leave alone a stream
that cannot be read whole.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any


def parsed_content(data: bytes) -> list[Any] | None:
    """A content stream's instructions (pikepdf), or None when it cannot be read without loss.

    A stream pikepdf parses only with warnings (an operator split across the streams of a
    page's content array, say) is not rewritten: writing it back would drop what it lost.
    Only pikepdf's own warnings count: the record catches every warning raised meanwhile,
    in any thread (a file closed by the garbage collector, a deprecation), and those are
    raised again rather than taken for a damaged stream.
    """
    import pikepdf

    scratch = pikepdf.new()  # the parsed stream's owner: it must outlive the parse
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            instructions = pikepdf.parse_content_stream(pikepdf.Stream(scratch, data))
        except pikepdf.PdfError:
            return None
    damaged = False
    for w in caught:
        if _from_pikepdf(w.filename):
            damaged = True
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    return None if damaged else list(instructions)


def _from_pikepdf(filename: str) -> bool:
    import pikepdf

    return Path(filename).resolve().is_relative_to(Path(pikepdf.__file__).resolve().parent)
