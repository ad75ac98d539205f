"""The EXT cover sheet: one page put in front of a declassified extract.

`CoverData` holds what the page says (all of it from the rule file's `document:`
and `release:` sections and from the plan: partial or full). `cover_html` fills the
Jinja2 template `cover.html.j2` with it and the wording of its language
(`redactor.i18n`); `render_cover_pdf` lays the HTML out on exactly one page with
PyMuPDF's Story and returns reproducible PDF bytes (same data, same bytes).

Nothing here knows which institution issues the document: issuer, place, numbers and
codes come from the data, the fixed wording from the language tables, the layout from
the template.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redactor.dates import long_date, number_suffix_date, parse_date
from redactor.errors import InputError
from redactor.i18n import labels_for
from redactor.numbering import new_number
from redactor.render.ligatures import decompose_ligatures
from redactor.rules.model import RuleSet

if TYPE_CHECKING:
    import pymupdf

TEMPLATE_NAME = "cover.html.j2"
from redactor.render.templating import TEMPLATE_DIR as DEFAULT_TEMPLATE_DIR  # noqa: E402

A4 = (595.0, 842.0)
#: The smallest page the generated pages (cover, placeholders, condensed ranges) take the
#: source's size from: about A5 portrait. Smaller, wider or landscape sources get A4.
USUAL_MIN_WIDTH, USUAL_MIN_HEIGHT = 400.0, 560.0


def generated_page_size(width: float, height: float) -> tuple[float, float]:
    """The size of a generated page beside a source page of ``width`` x ``height`` points.

    The source's own size when it is a usual document page (portrait, at least A5), so the
    extract reads as one document; A4 otherwise, so slides, receipts, labels and figures
    never leave the cover sheet or a placeholder without room.
    """
    if USUAL_MIN_WIDTH <= width <= height and height >= USUAL_MIN_HEIGHT:
        return (width, height)
    return A4


# Page margins in PDF points (left, top, right, bottom): 1 inch at the sides, about
# 2 cm at top and bottom, as on an office letter.
PAGE_MARGINS = (72.0, 56.0, 72.0, 56.0)
# Height used to measure how tall the content would be when it does not fit.
_MEASURE_HEIGHT = 100_000.0
# How far (points) a glyph may reach into the margin before the layout counts as broken:
# italic overhangs and rounding stay well under it.
_OVERFLOW_TOLERANCE = 2.0


class CoverError(InputError, ValueError):
    """The cover sheet cannot be produced from this data or template (exit code 2)."""


class CoverTemplateError(CoverError):
    """The template folder has no usable `cover.html.j2`."""


class CoverLayoutError(CoverError):
    """The cover's content does not fit on one page."""


@dataclass(frozen=True)
class CoverData:
    """What the cover sheet says.

    Dates are calendar dates; `dated` may also be free text, printed as given when it
    is not a date. `extract` is the extract's number (1 -> "EXT 1"). `partial` is True
    when anything in the source is withheld. `language` is a key of
    `redactor.i18n.LABELS`.
    """

    issuer: str
    place: str
    release_date: datetime.date
    original_number: str
    extract: int
    codes: tuple[str, ...]
    classification: str
    dated: datetime.date | str
    new_status: str
    subject: str
    partial: bool
    language: str = "en"

    def __post_init__(self) -> None:
        if not isinstance(self.release_date, datetime.date):
            raise TypeError(f"release_date must be a datetime.date, not {self.release_date!r}")
        if isinstance(self.extract, bool) or not isinstance(self.extract, int) or self.extract < 1:
            raise ValueError(f"extract must be a whole number from 1 up, not {self.extract!r}")
        if isinstance(self.codes, str):
            raise TypeError("codes must be a sequence of codes, not one string")
        object.__setattr__(self, "codes", tuple(self.codes))
        labels_for(self.language)  # fail early on an unknown language


def cover_context(data: CoverData, page_size: tuple[float, float] = A4) -> dict[str, Any]:
    """Return the variables the template sees (listed in docs/cover.md)."""
    labels = labels_for(data.language)
    width, height = (float(v) for v in page_size)
    left, top, right, bottom = PAGE_MARGINS
    release = long_date(data.release_date, data.language)
    dated = parse_date(data.dated)
    return {
        "lang": data.language.strip().lower(),
        "labels": labels,
        "partial": data.partial,
        "title": labels.partial_title if data.partial else labels.full_title,
        "closing": labels.closing_partial if data.partial else labels.closing_full,
        "issuer": data.issuer,
        "issuer_lines": [line.strip() for line in data.issuer.splitlines() if line.strip()],
        "place": data.place,
        "release_date": release,
        "release_date_short": number_suffix_date(data.release_date),
        "place_date": labels.place_date.format(place=data.place, date=release),
        "number": new_number(data.original_number, data.extract),
        "original_number": data.original_number,
        "extract": data.extract,
        "codes": data.codes,
        "classification": data.classification,
        "dated": long_date(dated, data.language) if dated else str(data.dated),
        "new_status": data.new_status or labels.new_status_public,
        "subject": data.subject,
        "data": data,
        "page_width": width,
        "page_height": height,
        "content_width": width - left - right,
        "content_height": height - top - bottom,
    }


def cover_html(
    data: CoverData,
    template_dir: Path | None = None,
    *,
    page_size: tuple[float, float] = A4,
) -> str:
    """Fill `cover.html.j2` from `template_dir` (default: the project's templates/).

    `page_size` (width, height in points) is passed on to the template, whose column
    widths may depend on it.
    """
    import jinja2

    folder = Path(template_dir) if template_dir is not None else DEFAULT_TEMPLATE_DIR
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    where = folder / TEMPLATE_NAME
    context = cover_context(data, page_size)
    try:
        template = env.get_template(TEMPLATE_NAME)
        return template.render(context)
    except jinja2.TemplateNotFound:
        raise CoverTemplateError(
            f"no cover template: a template folder must hold {TEMPLATE_NAME}.",
            path=where,
            hint=f"copy {DEFAULT_TEMPLATE_DIR / TEMPLATE_NAME} there to start from the default.",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise CoverTemplateError(
            f"template syntax error: {_sentence(exc.message)}",
            path=exc.filename or where,
            line=exc.lineno,
            hint="see the Jinja2 template documentation; docs/cover.md lists the variables.",
        ) from None
    except jinja2.UndefinedError as exc:
        known = ", ".join(sorted(context))
        raise CoverTemplateError(
            f"template error: {_sentence(exc.message)}",
            path=where,
            hint=f"the template sees: {known}.",
        ) from None
    except jinja2.TemplateError as exc:
        raise CoverTemplateError(f"template error: {_sentence(str(exc))}", path=where) from None
    except Exception as exc:  # an expression in the user's template failed
        raise CoverTemplateError(f"template error: {type(exc).__name__}: {_sentence(str(exc))}", path=where) from None


def _sentence(text: str | None) -> str:
    """`text` ending with one full stop, as error paragraphs are written."""
    return (text or "unknown error").rstrip(". ") + "."


def render_cover_pdf(
    data: CoverData,
    template_dir: Path | None = None,
    page_size: tuple[float, float] = A4,
) -> bytes:
    """Return the cover sheet as a one-page PDF of `page_size` (width, height in points).

    Raises `CoverLayoutError` when the content does not fit on one page and
    `CoverTemplateError` when the template is missing or broken.
    """
    import pymupdf

    folder = Path(template_dir) if template_dir is not None else DEFAULT_TEMPLATE_DIR
    width, height = (float(v) for v in page_size)
    left, top, right, bottom = PAGE_MARGINS
    if width <= left + right or height <= top + bottom:
        raise CoverLayoutError(
            f"page size {width:g} x {height:g} pt leaves no room inside the margins "
            f"({left:g}, {top:g}, {right:g}, {bottom:g} pt).",
            hint="give the page size in PDF points, e.g. 595 x 842 for A4.",
        )
    html = cover_html(data, folder, page_size=(width, height))
    mediabox = pymupdf.Rect(0, 0, width, height)
    where = pymupdf.Rect(left, top, width - right, height - bottom)

    story = _story(html, folder)
    more, _filled = story.place(where)
    if more:
        needed = _needed_height(html, folder, where)
        raise CoverLayoutError(
            f"the cover sheet does not fit on one page: it needs {needed:.0f} pt of height "
            f"and a {width:g} x {height:g} pt page leaves {where.height:.0f} pt.",
            hint="shorten the subject or the list of codes, or use a template with smaller type.",
        )
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    device = writer.begin_page(mediabox)
    story.draw(device)
    writer.end_page()
    writer.close()
    return _finish(buffer.getvalue(), where)


def render_cover_png(
    data: CoverData,
    dpi: int = 80,
    template_dir: Path | None = None,
    page_size: tuple[float, float] = A4,
) -> bytes:
    """A PNG picture of the cover sheet."""
    import pymupdf

    pdf = render_cover_pdf(data, template_dir, page_size)
    with pymupdf.open("pdf", pdf) as doc:
        return bytes(doc[0].get_pixmap(dpi=dpi).tobytes("png"))


def _story(html: str, folder: Path) -> pymupdf.Story:
    """A Story for `html`; files the template refers to are read from its folder."""
    import pymupdf

    archive = pymupdf.Archive(str(folder)) if folder.is_dir() else None
    return pymupdf.Story(html=html, archive=archive)


def _needed_height(html: str, folder: Path, where: pymupdf.Rect) -> float:
    """How tall the laid-out content is when the page is unlimited."""
    import pymupdf

    tall = pymupdf.Rect(where.x0, where.y0, where.x1, where.y0 + _MEASURE_HEIGHT)
    _, filled = _story(html, folder).place(tall)
    return float(filled[3] - filled[1])


def _finish(pdf: bytes, where: pymupdf.Rect) -> bytes:
    """Check the text stays inside `where`, then subset the fonts, make the text
    extractable and save reproducibly.
    """
    import pymupdf

    with pymupdf.open("pdf", pdf) as doc:
        _check_inside(doc[0], where)
        doc.subset_fonts()
        decompose_ligatures(doc)
        doc.del_xml_metadata()
        # MuPDF's writer puts its Producer in an /Info entry of the catalog (where no
        # reader looks); drop it and any trailer /Info so the bytes carry no version.
        for xref in (doc.pdf_catalog(), -1):
            if doc.xref_get_key(xref, "Info")[0] != "null":
                doc.xref_set_key(xref, "Info", "null")
        return doc.tobytes(garbage=4, deflate=True, no_new_id=True)


def _check_inside(page: pymupdf.Page, where: pymupdf.Rect) -> None:
    """Raise `CoverLayoutError` if a word runs out of the margins (Story lets a word
    longer than its column overflow instead of breaking it).
    """
    for x0, _y0, x1, _y1, word, *_ in page.get_text("words"):
        if x0 < where.x0 - _OVERFLOW_TOLERANCE or x1 > where.x1 + _OVERFLOW_TOLERANCE:
            raise CoverLayoutError(
                f"the cover sheet does not fit on one page: the word {word[:40]!r} is "
                "wider than its column and runs into the margin.",
                hint="shorten it (a missing space?) or use a template with wider columns.",
            )


# Ligature characters a text layout engine may emit, and the letters they stand for.


def cover_data(ruleset: RuleSet, partial: bool) -> CoverData:
    """The cover's fields: the rule file's identity and the outcome (partial or full)."""
    doc, rel = ruleset.document, ruleset.release
    return CoverData(
        issuer=rel.issuer,
        place=rel.place,
        release_date=rel.date,
        original_number=doc.number,
        extract=rel.extract,
        codes=doc.codes,
        classification=doc.classification,
        dated=doc.dated,
        new_status=rel.new_status,
        subject=doc.subject,
        partial=partial,
        language=rel.language,
    )


__all__ = [
    "A4",
    "generated_page_size",
    "CoverData",
    "cover_data",
    "cover_html",
    "new_number",
    "render_cover_pdf",
    "render_cover_png",
]
