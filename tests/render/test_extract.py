"""The extract PDF, checked with independent readers (pdfminer.six, pikepdf)."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pymupdf
import pytest
from typer.testing import CliRunner

from redactor.cli.app import app
from tests.builders import SAMPLE_RULES, all_bytes_text, build_document, pages_text, text_of, write_rules

RULES = SAMPLE_RULES
WITHHELD = [
    "SECRETALPHA",
    "SECRETBRAVO",
    "SECRETCHARLIE",
    "SECRETDELTA",
    "SECRETECHO",
    "SECRETFOXTROT5",
    "SECRETFOXTROT6",
    "Nightjar",
    "SECRETMETA",
    "SECRETKEYWORD",
    "SECRETOUTLINE",
]
RELEASED = [
    "The introduction is public and mentions",
    "by name.",
    "implemen",
    "tation detail that is released",
    "Closing public words of the introduction page.",
    "2.1 Public summary",
    "The public summary of operations is released.",
    "TEST 1/26 EXT 1 (01.02.2026)",
]

runner = CliRunner()


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("extract")
    source = build_document(folder / "source.pdf")
    rules = write_rules(folder, RULES)
    out = folder / "out.pdf"
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_withheld_text_is_gone_everywhere(extract: Path) -> None:
    text = text_of(extract)
    everything = all_bytes_text(extract)
    for secret in WITHHELD:
        assert secret not in text
        assert secret not in everything, secret


def test_markings_rewritten_after_the_cover(extract: Path) -> None:
    pages = pages_text(extract)
    assert "RESTREINT UE/EU RESTRICTED" in pages[0]  # the cover names the former classification
    for text in pages[1:]:
        assert "RESTREINT" not in text
    assert "TEST 1/26 EXT 1 (01.02.2026)" in pages[1]


def test_released_text_survives(extract: Path) -> None:
    text = text_of(extract)
    for public in RELEASED:
        assert public in text, public


def test_shape_cover_pages_and_placeholders(extract: Path) -> None:
    pages = pages_text(extract)
    assert "PARTIAL DECLASSIFICATION" in pages[0]
    assert "NOT DECLASSIFIED" in pages[1]  # background paragraph and the name
    assert pages[1].count("NOT DECLASSIFIED") == 2
    assert "Page 2: NOT DECLASSIFIED" in pages[2]  # page 2 fully withheld
    assert "2.1 Public summary" in pages[3]
    assert "NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT" in pages[4]
    assert "(page 6)" in pages[4]
    assert "Pages" not in pages[4]  # pages 4-6 reach the end: the tail note, not a page run
    assert len(pages) == 5


def test_document_level_surfaces_rebuilt(extract: Path) -> None:
    with pikepdf.open(extract) as pdf:
        assert str(pdf.docinfo.get("/Title")) == "TEST 1/26 EXT 1"
        assert "/Metadata" not in pdf.Root
        for key in ("/Names", "/OpenAction", "/AcroForm", "/OCProperties", "/StructTreeRoot", "/PageLabels"):
            assert key not in pdf.Root
        assert all("/Annots" not in page.obj for page in pdf.pages)
        titles = []
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles == ["1. Introduction"]  # rebuilt from released headings only


def test_single_revision(extract: Path) -> None:
    assert extract.read_bytes().count(b"%%EOF") == 1


def test_same_inputs_same_bytes(extract: Path, tmp_path: Path) -> None:
    source = extract.parent / "source.pdf"
    rules = write_rules(tmp_path, RULES)
    out = tmp_path / "again.pdf"
    assert runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "-q"]).exit_code == 0
    assert out.read_bytes() == extract.read_bytes()


def test_image_pixels_in_withheld_area_are_gone(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public caption released.", fontsize=11)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 20), False)
    pix.set_rect(pix.irect, (200, 30, 30))
    page.insert_image(pymupdf.Rect(72, 200, 272, 300), pixmap=pix)
    doc.save(tmp_path / "img.pdf")
    rules = write_rules(tmp_path, "- {id: cap, release: {block: '^Public caption'}}")
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(tmp_path / "img.pdf"), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        for image in images:
            raw = pikepdf.PdfImage(image).read_bytes()
            assert bytes([200, 30, 30]) * 10 not in raw
    assert "Public caption released." in text_of(out)


def test_text_outside_the_page_is_removed(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public line released.", fontsize=11)
    page.insert_text((72, 100), "", fontsize=11)
    page.set_cropbox(pymupdf.Rect(0, 0, 595, 400))
    page.insert_text((72, 600), "OFFCROPSECRET hidden below the crop box", fontsize=11)
    doc.save(tmp_path / "crop.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}")
    out = tmp_path / "out.pdf"
    assert runner.invoke(app, ["apply", str(tmp_path / "crop.pdf"), str(rules), "-o", str(out), "-q"]).exit_code == 0
    assert "OFFCROPSECRET" not in all_bytes_text(out)
    assert "Public line released." in text_of(out)
