"""Cleaning the extract: every leak surface outside the page content, removed or rebuilt.

Scope. The extract is built as a new document (see render/pdf.py), so document-level
objects of the source never travel unless put there; this module then enforces, on the
new document, that none of the following is left:

- document Info (every key, custom ones too) and XMP metadata, the document's and each
  image's (replaced by the extract's own: title = number + EXT);
- the outline (rebuilt from released headings only, by the writer);
- annotations of every kind (popups, sticky notes, widgets) and link annotations;
- interactive forms (AcroForm, XFA) and their field values, defaults and tooltips;
- embedded files, JavaScript (document-level names and OpenAction), additional actions;
- optional-content groups (layers) and their names;
- named destinations, page labels, article threads, web-capture data;
- the structure tree (its ActualText/Alt carry text), MarkInfo, PieceInfo (private
  application data), per-page XMP, thumbnails, transition/bead data;
- marked-content property lists carrying ActualText/Alt/E inside content streams, the
  pages' and every Form XObject's, and named property lists (``/Resources/Properties``,
  which also hold optional-content groups and their names);
- text inside tiling patterns (redaction removes the fill but keeps the pattern resource,
  whose own content stream would still hold the text);
- earlier revisions and the file identifier (the file is written whole, with a new
  identifier derived from its content).

Non-goals. Page content is removed by the keep-list writer (render/redact.py), and fonts
are cut to the glyphs the extract shows by output/fonts.py, not here.
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
_PROPERTY_TEXT = re.compile(
    rb"/(ActualText|Alt|E|T)\s*(\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>)"
)  # a literal string may hold balanced parentheses, one level deep here


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
        _drop_named_properties(doc, page.xref)
    strip_pattern_text(doc)
    strip_object_text(doc)
    doc.del_xml_metadata()
    _drop_custom_info(doc)
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
    cells = [x for x in range(1, doc.xref_length()) if doc.xref_get_key(x, "PatternType") == ("int", "1")]
    seen: set[int] = set()
    while cells:  # the pattern cells, and every form they draw, however deep
        xref = cells.pop()
        if xref in seen or not doc.xref_is_stream(xref):
            continue
        seen.add(xref)
        stream = doc.xref_stream(xref) or b""
        if _TEXT_OBJECTS.search(stream):
            doc.update_stream(xref, _TEXT_OBJECTS.sub(b"", stream))
        cells.extend(_forms_of(doc, xref))


def _forms_of(doc: Any, xref: int) -> list[int]:
    """The XObjects a stream's resources name (forms among them)."""
    kind, value = doc.xref_get_key(xref, "Resources/XObject")
    if kind == "xref":
        kind, value = "dict", doc.xref_object(int(value.split()[0]), compressed=True)
    if kind != "dict":
        return []
    return [int(n) for n in re.findall(r"(\d+) 0 R", value)]


def strip_marked_content_text(doc: Any, page: Any) -> None:
    """Drop ActualText/Alt/E strings from inline marked-content property lists.

    Redaction removes the glyphs a ``/Span <</ActualText (...)>> BDC`` wraps but may keep the
    property list, which would still spell the withheld text.
    """
    for xref in page.get_contents():
        stream = doc.xref_stream(xref)
        if stream and _PROPERTY_TEXT.search(stream):
            doc.update_stream(xref, _PROPERTY_TEXT.sub(b"", stream))


#: The document Info keys the extract writes itself; any other key is dropped.
INFO_KEYS = frozenset(
    {"Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"}
)


def _drop_custom_info(doc: Any) -> None:
    """Remove Info keys ``set_metadata`` does not rewrite (a custom key could carry anything)."""
    kind, value = doc.xref_get_key(-1, "Info")
    if kind != "xref":
        return
    info = int(value.split()[0])
    for key in doc.xref_get_keys(info):
        if key not in INFO_KEYS:
            doc.xref_set_key(info, key, "null")


def _drop_named_properties(doc: Any, page_xref: int) -> None:
    """Remove the page's named property lists: their ActualText and layer names carry text."""
    kind, _ = doc.xref_get_key(page_xref, "Resources/Properties")
    if kind != "null":
        doc.xref_set_key(page_xref, "Resources/Properties", "null")


def strip_object_text(doc: Any) -> None:
    """ActualText/Alt/E of every Form XObject's content; XMP, private data (PieceInfo, OPI) and
    optional-content membership (OC: the layer's name is the source's wording) of every image
    and form."""
    for xref in range(1, doc.xref_length()):
        subtype = doc.xref_get_key(xref, "Subtype")[1]
        if subtype not in ("/Form", "/Image"):
            continue
        for key in ("Metadata", "PieceInfo", "OC", "OPI", "StructParent", "StructParents"):
            if doc.xref_get_key(xref, key)[0] != "null":  # private data, layer membership, tags
                doc.xref_set_key(xref, key, "null")
        if subtype == "/Form" and doc.xref_is_stream(xref):
            stream = doc.xref_stream(xref) or b""
            if _PROPERTY_TEXT.search(stream):
                doc.update_stream(xref, _PROPERTY_TEXT.sub(b"", stream))
            if doc.xref_get_key(xref, "Resources/Properties")[0] != "null":
                doc.xref_set_key(xref, "Resources/Properties", "null")
