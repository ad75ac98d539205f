"""The negative control: a "redaction" that only paints black boxes.

``box_only`` is what a careless tool does: it draws opaque rectangles over the withheld
areas and removes nothing. Everything stays in the file (the text under the boxes,
metadata, annotations, earlier revisions...), so a leak checker must report every
canary of every adversarial case in its output. The boxes are appended in an incremental
update, so even the bytes of the source survive unchanged as the file's first part.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pymupdf

Rect = tuple[float, float, float, float]


def box_only(pdf_bytes: bytes, withheld_rects: Mapping[int, Sequence[Rect]]) -> bytes:
    """Draw filled black rectangles over ``withheld_rects`` and remove nothing.

    ``withheld_rects`` maps 1-based page numbers to rectangles in PDF points, top-left
    origin, in the page's unrotated space. Pages out of range are ignored.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "boxed.pdf"
        path.write_bytes(pdf_bytes)
        doc = pymupdf.open(path)
        try:
            for pno, rects in sorted(withheld_rects.items()):
                if not 1 <= pno <= doc.page_count:
                    continue
                page = doc[pno - 1]
                for rect in rects:
                    page.draw_rect(pymupdf.Rect(rect), color=(0, 0, 0), fill=(0, 0, 0), width=0)
            if doc.can_save_incrementally():
                doc.save(
                    path,
                    incremental=True,
                    encryption=pymupdf.PDF_ENCRYPT_KEEP,
                    no_new_id=True,
                )
                doc.close()
                return path.read_bytes()
            return doc.tobytes(no_new_id=True)
        finally:
            if not doc.is_closed:
                doc.close()
