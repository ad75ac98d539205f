"""Cleaning the extract: every leak surface outside the page content, removed or rebuilt.

Scope. The extract is built as a new document (see render/pdf.py), so document-level
objects of the source never travel unless put there; this module then enforces, on the
new document, that none of the following is left:

- document Info and XMP metadata (replaced by the extract's own: title = number + EXT);
- the outline (rebuilt from released headings only, by the writer);
- annotations of every kind (popups, sticky notes, widgets) and link annotations;
- interactive forms (AcroForm, XFA) and their field values, defaults and tooltips;
- embedded files, JavaScript (document-level names and OpenAction), additional actions;
- optional-content groups (layers) and their names;
- named destinations, page labels, article threads, web-capture data;
- the structure tree (its ActualText/Alt carry text), MarkInfo, PieceInfo (private
  application data), per-page XMP, thumbnails, transition/bead data;
- marked-content property lists carrying ActualText/Alt/E inside content streams;
- text inside tiling patterns (redaction removes the fill but keeps the pattern resource,
  whose own content stream would still hold the text);
- earlier revisions and the file identifier (the file is written whole, with a new
  identifier derived from its content).

Non-goals. Page content is removed by redaction in render/pdf.py, not here; fonts are
kept (a subset's unused glyphs carry no text).
There is no switch to skip any of it.
"""

from __future__ import annotations

import re
from typing import Any

#: Catalog keys that can carry text, actions or references to removed pages.
CATALOG_KEYS = (
    "Names",
    "Dests",
    "OpenAction",
    "AA",
    "AcroForm",
    "OCProperties",
    "StructTreeRoot",
    "MarkInfo",
    "PageLabels",
    "Threads",
    "PieceInfo",
    "Metadata",
    "Outlines",
    "Perms",
    "Legal",
    "URI",
    "SpiderInfo",
    "Collection",
    "Lang",
    "Requirements",
    "AF",
    "DSS",
    "Extensions",
    "ViewerPreferences",
    "PageMode",
)
#: Page keys that can carry text, actions, private data or links to other pages.
PAGE_KEYS = (
    "Annots",
    "Thumb",
    "PieceInfo",
    "StructParents",
    "AA",
    "B",
    "Metadata",
    "Tabs",
    "ID",
    "PZ",
    "SeparationInfo",
    "Trans",
    "TemplateInstantiated",
    "AF",
    "Dur",
    "VP",
)
#: Keys of a marked-content property list that hold text.
_PROPERTY_TEXT = re.compile(rb"/(ActualText|Alt|E|T)\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>)")


def scrub_document(doc: Any, title: str, language: str) -> None:
    """Strip the new document of everything listed in the module docstring."""
    catalog = doc.pdf_catalog()
    for key in CATALOG_KEYS:
        if doc.xref_get_key(catalog, key)[0] != "null":
            doc.xref_set_key(catalog, key, "null")
    for page in doc:
        for key in PAGE_KEYS:
            if doc.xref_get_key(page.xref, key)[0] != "null":
                doc.xref_set_key(page.xref, key, "null")
        strip_marked_content_text(doc, page)
    strip_pattern_text(doc)
    doc.del_xml_metadata()
    doc.set_metadata(
        {
            "title": title,
            "author": "",
            "subject": "",
            "keywords": "",
            "creator": "redactor",
            "producer": "redactor",
            "creationDate": "",
            "modDate": "",
            "trapped": "",
        }
    )
    doc.xref_set_key(catalog, "Lang", f"({language})")


_TEXT_OBJECTS = re.compile(rb"\bBT\b.*\bET\b", re.DOTALL)


def strip_pattern_text(doc: Any) -> None:
    """Remove text objects from every tiling pattern of the document.

    A pattern used to fill a withheld area survives in the page resources after its fill
    is removed; released text is never laid out inside a pattern, so none is lost here
    in practice (see docs/limitations.md).
    """
    for xref in range(1, doc.xref_length()):
        if doc.xref_get_key(xref, "PatternType") != ("int", "1") or not doc.xref_is_stream(xref):
            continue
        stream = doc.xref_stream(xref) or b""
        if _TEXT_OBJECTS.search(stream):
            doc.update_stream(xref, _TEXT_OBJECTS.sub(b"", stream))


def strip_marked_content_text(doc: Any, page: Any) -> None:
    """Drop ActualText/Alt/E strings from inline marked-content property lists.

    Redaction removes the glyphs a ``/Span <</ActualText (...)>> BDC`` wraps but may keep the
    property list, which would still spell the withheld text.
    """
    for xref in page.get_contents():
        stream = doc.xref_stream(xref)
        if stream and _PROPERTY_TEXT.search(stream):
            doc.update_stream(xref, _PROPERTY_TEXT.sub(b"", stream))
