"""A page's content stream as pikepdf instructions, for the passes that rewrite it.

The keep-list writer rewrites content twice around MuPDF's filter: ``TJ`` arrays split
before it (:func:`redactor.render.redact.split_text_arrays`) and respaced rows after it
(:mod:`redactor.render.respace`). Both read the stream here, and both leave alone a stream
that cannot be read whole.
"""

from __future__ import annotations

import warnings
from typing import Any


def parsed_content(data: bytes) -> list[Any] | None:
    """A content stream's instructions (pikepdf), or None when it cannot be read without loss.

    A stream pikepdf parses only with warnings (an operator split across the streams of a
    page's content array, say) is not rewritten: writing it back would drop what it lost.
    """
    import pikepdf

    scratch = pikepdf.new()  # the parsed stream's owner: it must outlive the parse
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            instructions = pikepdf.parse_content_stream(pikepdf.Stream(scratch, data))
        except pikepdf.PdfError:
            return None
    return None if caught else list(instructions)
