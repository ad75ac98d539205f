"""Condensed ranges: the released rows of a page range laid out again with PyMuPDF's Story.

The rows come from the plan (released cell texts and placeholder rows); this module
only typesets them, after the note "( following table covers pages 7 through 13 )".
"""

from __future__ import annotations

import io
from pathlib import Path

from redactor.plan.model import OutputItem
from redactor.render.templating import TEMPLATE_DIR, environment

MARGINS = (56.0, 56.0, 56.0, 56.0)


def condensed_html(item: OutputItem, template_dir: Path = TEMPLATE_DIR) -> str:
    """The HTML of a condensed range, from ``condensed.html.j2``."""
    env = environment(template_dir)
    return env.get_template("condensed.html.j2").render(item=item)


def render_condensed(item: OutputItem, page_size: tuple[float, float]) -> bytes:
    """PDF pages (as few as needed) holding the condensed range."""
    import pymupdf

    width, height = page_size
    story = pymupdf.Story(html=condensed_html(item))
    where = pymupdf.Rect(MARGINS[0], MARGINS[1], width - MARGINS[2], height - MARGINS[3])
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    more = True
    while more:
        device = writer.begin_page(pymupdf.Rect(0, 0, width, height))
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    return buffer.getvalue()
