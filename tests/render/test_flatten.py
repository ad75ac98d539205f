"""``apply --flatten``: kept pages with withheld areas become one picture plus invisible released words.

Checked with independent readers: pikepdf for the page structure, pypdfium2 (PDFium) for the
text layer and for what the pages look like.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pymupdf
import pypdfium2
import pytest
from PIL import Image, ImageChops, ImageFilter
from typer.testing import CliRunner

from redactor.check.verify import PageMap, verify_pdf
from redactor.cli.app import app
from redactor.geometry import Rect
from redactor.pipeline import make_plan
from redactor.plan.model import PagePlan, Plan
from redactor.render.extract import Extract, render_extract
from redactor.render.flatten import flatten_page, released_words
from tests.builders import page_with_furniture, paragraph, write_rules

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
SAMPLE_RULES = ROOT / "rules" / "16014-12-ext1.yaml"
DPI = 150
#: PDFium renders at this many pixels per point in the picture checks.
SCALE = 2.0

GENERATED_RULES = r"""
- id: public
  release: {section: '^1\. Public part'}
- id: rotated
  release: {pages: '2'}
- id: open
  release: {section: '^3\. Open part'}
- id: secret
  withhold: {block: 'SECRET'}
  reason: sec
"""

#: Operators that construct or paint paths, shadings and inline images: none belongs on a flattened page.
FORBIDDEN_OPERATORS = {
    "m", "l", "c", "v", "y", "h", "re", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n", "W", "W*", "sh",
    "BI", "ID", "EI", "INLINE IMAGE", "d0", "d1",
}  # fmt: skip
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
#: The invisible text's fonts: Base-14 Helvetica, and the same design embedded for other characters.
HELVETICA = {"Helvetica", "Nimbus Sans Regular"}

runner = CliRunner()


def build_generated(path: Path) -> Path:
    """Three pages: colour, non-WinAnsi text and a withheld paragraph; a rotated page with a crop box
    away from the media box's corner; a page with nothing withheld."""
    doc = pymupdf.open()
    page = page_with_furniture(doc, 1)
    page.insert_font(fontname="uni", fontbuffer=pymupdf.Font("helv").buffer)
    y = paragraph(page, 100, ["1. Public part"], size=14, font="hebo")
    y = paragraph(
        page,
        y,
        ["Released words from Zażółć and “quoted” text – with a dash.", "The second released line follows here."],
        font="uni",
    )
    page.insert_text((72, y), "A coloured released line of text.", fontsize=11, color=(0.8, 0.1, 0.1))
    y = paragraph(page, y + 32, ["Secret paragraph SECRETGOLF withheld here entirely."])
    paragraph(page, y, ["Closing released words of the public part."])
    page = page_with_furniture(doc, 2)
    y = paragraph(page, 100, ["2. Rotated part"], size=14, font="hebo")
    y = paragraph(page, y, ["Rotated page words are released to the public."])
    y = paragraph(page, y, ["Rotated secret SECRETHOTEL paragraph stays withheld."])
    paragraph(page, y, ["Final released sentence on the rotated page."])
    page.set_cropbox(pymupdf.Rect(30, 50, 580, 800))
    page.set_rotation(90)
    page = page_with_furniture(doc, 3)
    y = paragraph(page, 100, ["3. Open part"], size=14, font="hebo")
    paragraph(page, y, ["Everything on this page is released as it stands."])
    doc.save(path)
    doc.close()
    return path


@dataclass(frozen=True)
class Case:
    """One source released twice: as usual (plain) and flattened."""

    source: Path
    plan: Plan
    plain: Extract
    flat: Extract

    def kept(self) -> list[tuple[int, PagePlan]]:
        """(output page index, page plan) of every kept page."""
        return [
            (pages[0], self.plan.pages[item.first - 1])
            for item, pages in zip(self.plan.sequence, self.flat.item_pages, strict=True)
            if item.kind == "page"
        ]

    def flattened(self) -> list[tuple[int, PagePlan]]:
        return [(index, page) for index, page in self.kept() if page.areas]


def make_case(source: Path, rules: Path) -> Case:
    plan = make_plan(source, rules)
    plain = render_extract(plan, str(source))
    flat = render_extract(plan, str(source), flatten_dpi=DPI)
    assert plain.item_pages == flat.item_pages
    return Case(source, plan, plain, flat)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Case:
    folder = tmp_path_factory.mktemp("flatten")
    return make_case(build_generated(folder / "source.pdf"), write_rules(folder, GENERATED_RULES))


@pytest.fixture(scope="module")
def sample() -> Case:
    return make_case(SAMPLE, SAMPLE_RULES)


@pytest.fixture(params=["generated", "sample"])
def case(request: pytest.FixtureRequest) -> Case:
    result: Case = request.getfixturevalue(request.param)
    return result


# --------------------------------------------------------------------------- helpers


def operations(page: pikepdf.Page) -> list[tuple[str, list[object]]]:
    return [(str(op), list(operands)) for operands, op in pikepdf.parse_content_stream(page)]


def content_bytes(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(s.read_bytes() for s in streams)


def pdfium_text(data: bytes, index: int) -> str:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return str(pdf[index].get_textpage().get_text_range())
    finally:
        pdf.close()


def render(data: bytes, index: int, unrotated: bool = False) -> Image.Image:
    """The page as PDFium draws it, grey, at SCALE pixels per point (unrotated: in the plan's space)."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[index]
        if unrotated:
            page.set_rotation(0)
        return page.render(scale=SCALE).to_pil().convert("L")
    finally:
        pdf.close()


def pixels(rect: Rect, image: Image.Image, inset: float = 0.0) -> tuple[int, int, int, int]:
    box = (rect.x0 + inset, rect.y0 + inset, rect.x1 - inset, rect.y1 - inset)
    x0, y0, x1, y1 = (round(v * SCALE) for v in box)
    return (max(x0, 0), max(y0, 0), min(x1, image.width), min(y1, image.height))


def stray_ink(picture: Image.Image, reference: Image.Image) -> int:
    """Pixels inked in ``picture`` where ``reference`` has no ink within two pixels."""
    inked = picture.point(lambda v: 255 if v < 160 else 0)
    near_reference = reference.filter(ImageFilter.MinFilter(5)).point(lambda v: 255 if v < 235 else 0)
    return ImageChops.subtract(inked, near_reference).histogram()[255]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def withheld_words(plan: Plan, number: int) -> list[str]:
    doc = plan.document
    return [
        doc.words[w].text
        for b in doc.pages[number - 1].block_ids
        for w in doc.blocks[b].word_ids
        if plan.word_text(w) is None and plan.verdicts[w].withheld
    ]


# --------------------------------------------------------------------------- the pages


def test_some_pages_are_flattened_and_some_are_not(case: Case) -> None:
    assert case.flattened()
    assert any(not page.areas for _, page in case.kept())


def test_flattened_page_holds_one_image_and_invisible_text_only(case: Case) -> None:
    with pikepdf.open(io.BytesIO(case.flat.pdf)) as pdf:
        for index, page_plan in case.flattened():
            page = pdf.pages[index]
            xobjects = dict(page.resources.get("/XObject", {}))
            assert len(xobjects) == 1, page_plan.number
            ((name, image),) = xobjects.items()
            assert image.Subtype == "/Image"
            assert int(image.Width) == round(float(page.mediabox[2] - page.mediabox[0]) * DPI / 72)
            fonts = {str(f.BaseFont).lstrip("/").split("+")[-1] for f in dict(page.resources.get("/Font", {})).values()}
            assert fonts <= HELVETICA, (page_plan.number, fonts)
            mode, stack, shown, drawn = 0, [], 0, []
            for op, operands in operations(page):
                assert op not in FORBIDDEN_OPERATORS, (page_plan.number, op)
                if op == "q":
                    stack.append(mode)
                elif op == "Q":
                    mode = stack.pop()
                elif op == "Tr":
                    mode = int(operands[0])  # type: ignore[call-overload]
                elif op in TEXT_SHOWING:
                    assert mode == 3, (page_plan.number, op, mode)
                    shown += 1
                elif op == "Do":
                    drawn.append(str(operands[0]))
            assert drawn == [name], page_plan.number
            assert shown > 0, page_plan.number


def test_page_size_and_rotation_are_the_source_pages(case: Case) -> None:
    with pikepdf.open(io.BytesIO(case.flat.pdf)) as flat, pikepdf.open(io.BytesIO(case.plain.pdf)) as plain:
        for index, page_plan in case.flattened():
            source = case.plan.document.pages[page_plan.number - 1]
            page, usual = flat.pages[index], plain.pages[index]
            box, usual_box = [float(v) for v in page.cropbox], [float(v) for v in usual.cropbox]
            assert box[2] - box[0] == pytest.approx(usual_box[2] - usual_box[0], abs=0.01)
            assert box[3] - box[1] == pytest.approx(usual_box[3] - usual_box[1], abs=0.01)
            assert int(page.obj.get("/Rotate", 0)) == source.rotation == int(usual.obj.get("/Rotate", 0))


def test_generated_case_has_a_rotated_cropped_flattened_page(generated: Case) -> None:
    pages = [generated.plan.document.pages[p.number - 1] for _, p in generated.flattened()]
    # page boxes are in text coordinates: the media box starts 30 pt left of the crop box
    assert any(page.rotation == 90 and page.mediabox.x0 == -30 for page in pages)


def test_text_layer_is_exactly_the_released_words(case: Case) -> None:
    for index, page_plan in case.flattened():
        text = pdfium_text(case.flat.pdf, index)
        released = [word for word, _, _ in released_words(case.plan, page_plan.number)]
        assert released
        assert squeeze(text) == squeeze("".join(released)), page_plan.number
        everything_released = squeeze("".join(released))
        for word in withheld_words(case.plan, page_plan.number):
            if squeeze(word) not in everything_released:
                assert word not in text, page_plan.number
        assert "NOT DECLASSIFIED" not in text  # placeholders are only in the picture


def test_each_released_word_sits_in_its_own_box(case: Case) -> None:
    pdf = pypdfium2.PdfDocument(case.flat.pdf)
    try:
        for index, page_plan in case.flattened():
            page = pdf[index]
            height = page.get_mediabox()[3]
            textpage = page.get_textpage()
            for word, rect, _ in released_words(case.plan, page_plan.number):
                found = textpage.get_text_bounded(rect.x0 - 1, height - rect.y1 - 1, rect.x1 + 1, height - rect.y0 + 1)
                assert squeeze(word) in squeeze(found), (page_plan.number, word, found)
    finally:
        pdf.close()


def test_generated_words_outside_winansi_and_verify(generated: Case) -> None:
    index, _ = generated.flattened()[0]
    assert "Zażółć" in pdfium_text(generated.flat.pdf, index)
    assert "“quoted” text – with" in pdfium_text(generated.flat.pdf, index)
    report = verify_pdf(
        generated.flat.pdf, generated.plan, PageMap(generated.flat.cover_pages, generated.flat.item_pages)
    )
    assert not report.failed(), report.text()


def test_sample_flattened_output_passes_verify(sample: Case) -> None:
    report = verify_pdf(sample.flat.pdf, sample.plan, PageMap(sample.flat.cover_pages, sample.flat.item_pages))
    assert not report.failed(), report.text()


def test_withheld_areas_show_only_white_or_placeholder_ink(case: Case) -> None:
    for index, page_plan in case.flattened():
        picture = render(case.flat.pdf, index, unrotated=True)
        reference = render(case.plain.pdf, index, unrotated=True)
        for area in page_plan.areas:
            for rect in area.rects:
                box = pixels(rect, picture)
                strays = stray_ink(picture.crop(box), reference.crop(box))
                assert strays == 0, (page_plan.number, area.id, strays)
        for drawn in page_plan.drawn:  # the placeholders stay visible in the picture
            x, y = drawn.origin
            box = pixels(Rect(x, y - drawn.size * 0.7, x + drawn.size * 3, y), picture)
            assert picture.crop(box).getextrema()[0] < 100, (page_plan.number, drawn.text)


def test_the_picture_looks_like_the_page(case: Case) -> None:
    """As displayed (rotation included): no ink the usual extract lacks, and its ink all there."""
    for index, page_plan in case.flattened():
        picture = render(case.flat.pdf, index)
        reference = render(case.plain.pdf, index)
        assert picture.size == reference.size
        inked = reference.point(lambda v: 255 if v < 160 else 0).histogram()[255]
        assert stray_ink(picture, reference) <= 0.002 * inked, page_plan.number
        assert stray_ink(reference, picture) <= 0.002 * inked, page_plan.number


def test_colour_is_kept(generated: Case) -> None:
    index, _ = generated.flattened()[0]
    pdf = pypdfium2.PdfDocument(generated.flat.pdf)
    try:
        image = pdf[index].render(scale=1).to_pil().convert("RGB")
    finally:
        pdf.close()
    red, green, _ = image.split()
    assert ImageChops.subtract(red, green).getextrema()[1] > 80


def test_pages_without_withheld_areas_are_not_flattened(case: Case) -> None:
    with pikepdf.open(io.BytesIO(case.flat.pdf)) as flat, pikepdf.open(io.BytesIO(case.plain.pdf)) as plain:
        for index, page_plan in case.kept():
            if page_plan.areas:
                continue
            assert content_bytes(flat.pages[index]) == content_bytes(plain.pages[index]), page_plan.number
            modes = {int(o[0]) for op, o in operations(flat.pages[index]) if op == "Tr"}  # type: ignore[call-overload]
            assert modes <= {0}, page_plan.number
            assert squeeze(pdfium_text(case.flat.pdf, index)) == squeeze(pdfium_text(case.plain.pdf, index))


def test_flattened_extract_is_reproducible(generated: Case) -> None:
    again = render_extract(generated.plan, str(generated.source), flatten_dpi=DPI)
    assert again.pdf == generated.flat.pdf


def test_painting_hides_what_removal_left(generated: Case) -> None:
    """On a page whose removal was skipped, only the painting keeps the withheld paragraph out of the picture."""
    number = next(p.number for _, p in generated.flattened())
    page_plan = generated.plan.pages[number - 1]
    single = pymupdf.open()
    with pymupdf.open(generated.source) as src:
        single.insert_pdf(src, from_page=number - 1, to_page=number - 1)
    before = single.tobytes()
    flatten_page(single, page_plan, released_words(generated.plan, number), DPI)
    after = single.tobytes()
    single.close()
    assert "SECRETGOLF" in pdfium_text(before, 0)
    assert "SECRETGOLF" not in pdfium_text(after, 0)
    unpainted, picture = render(before, 0), render(after, 0)
    placeholder = next(d for d in page_plan.drawn if d.kind == "placeholder")
    font = pymupdf.Font("hebo")
    x, y = placeholder.origin
    size = placeholder.size
    ink_allowed = (
        x - 1,
        y - font.ascender * size - 1,
        x + font.text_length(placeholder.text, size) + 1,
        y + 1 - font.descender * size,
    )
    for area in page_plan.areas:
        for rect in area.rects:
            box = pixels(rect, picture)
            assert unpainted.crop(box).getextrema()[0] < 100  # the withheld paragraph was there to paint
            ink = picture.crop(box).point(lambda v: 255 if v < 160 else 0).getbbox()
            assert ink is not None  # the placeholder
            left, top, right, bottom = (box[i % 2] / SCALE + v / SCALE for i, v in enumerate(ink))
            assert ink_allowed[0] <= left and right <= ink_allowed[2], (left, right, ink_allowed)
            assert ink_allowed[1] <= top and bottom <= ink_allowed[3], (top, bottom, ink_allowed)


# --------------------------------------------------------------------------- the command line


def run_apply(case: Case, tmp_path: Path, *extra: str) -> tuple[object, Path]:
    rules = write_rules(tmp_path, GENERATED_RULES)
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(case.source), str(rules), "-o", str(out), "-q", *extra])
    return result, out


def test_cli_flatten_writes_and_verifies(generated: Case, tmp_path: Path) -> None:
    result, out = run_apply(generated, tmp_path, "--flatten")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert out.read_bytes() == generated.flat.pdf


def test_cli_flatten_dpi_is_used(generated: Case, tmp_path: Path) -> None:
    result, out = run_apply(generated, tmp_path, "--flatten", "--flatten-dpi", "72")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    index, _ = generated.flattened()[0]
    with pikepdf.open(out) as pdf:
        (image,) = dict(pdf.pages[index].resources.XObject).values()
        assert int(image.Width) == round(generated.plan.document.pages[0].width)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--flatten", "--flatten-dpi", "71"], "--flatten-dpi 71 is outside 72-600"),
        (["--flatten", "--flatten-dpi", "601"], "--flatten-dpi 601 is outside 72-600"),
        (["--flatten-dpi", "150"], "--flatten-dpi is given without --flatten"),
    ],
)
def test_cli_flatten_dpi_usage_errors(generated: Case, tmp_path: Path, extra: list[str], message: str) -> None:
    result, out = run_apply(generated, tmp_path, *extra)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert message in result.output  # type: ignore[attr-defined]
    assert "Hint:" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    assert not out.exists()
