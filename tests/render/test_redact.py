"""The keep-list writer's own safeguards: a page whose filtering did not take is never kept."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pypdfium2
import pytest

from redactor.pipeline import make_plan
from redactor.render import redact
from tests.builders import helvetica_pdf, write_rules


def _plan_and_source(tmp_path: Path) -> tuple[object, pymupdf.Document]:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    page.insert_text((72, 300), "Secret paragraph bravo kept back.", fontsize=11)
    source = tmp_path / "source.pdf"
    doc.save(source)
    plan = make_plan(source, write_rules(tmp_path, "- id: public\n  release: {block: '^Public'}\n"))
    return plan, pymupdf.open(source)


def test_a_filter_pass_that_stores_nothing_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan, src = _plan_and_source(tmp_path)
    calls: list[int] = []
    monkeypatch.setattr(pymupdf.mupdf, "pdf_filter_page_contents", lambda *args: calls.append(1))
    with pytest.raises(RuntimeError, match="did not replace the content of page 1"):
        redact.redacted_copy(src, plan.pages[0])  # type: ignore[attr-defined]
    assert len(calls) == redact._ATTEMPTS  # tried again before giving up


def test_the_filter_replaces_the_content_stream(tmp_path: Path) -> None:
    plan, src = _plan_and_source(tmp_path)
    single = redact.redacted_copy(src, plan.pages[0])  # type: ignore[attr-defined]
    text = pypdfium2.PdfDocument(single.tobytes())[0].get_textpage().get_text_range()
    assert "Public paragraph alpha" in text and "Secret" not in text and "bravo" not in text


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_rotated_page_with_an_offset_crop_box_keeps_exactly_the_released_text(tmp_path: Path, rotation: int) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    page.insert_text((72, 300), "Secret paragraph bravo kept back.", fontsize=11)
    page.set_cropbox(pymupdf.Rect(30, 40, 560, 800))
    page.set_rotation(rotation)
    source = tmp_path / "source.pdf"
    doc.save(source)
    plan = make_plan(source, write_rules(tmp_path, "- id: public\n  release: {block: '^Public'}\n"))
    single = redact.redacted_copy(pymupdf.open(source), plan.pages[0])  # type: ignore[attr-defined]
    pdf = pypdfium2.PdfDocument(single.tobytes())
    text = pdf[0].get_textpage().get_text_range()
    assert "Public paragraph alpha released to all." in text
    assert "Secret" not in text and "bravo" not in text
    assert "NOT DECLASSIFIED" in text


@pytest.mark.parametrize(
    "content",
    [
        b"BT /F1 11 Tf 72 742 Td (Alpha Bravo Charlie here.) Tj ET",
        b"BT /F1 11 Tf 72 742 Td [(Alpha Bravo Charlie here.)] TJ ET",
        b"BT /F1 11 Tf 72 742 Td [(Alpha )(Bravo )(Charlie here.)] TJ ET",
        b"BT /F1 11 Tf 2 Tc 72 742 Td [(Alpha B)-20(ravo Charlie here.)] TJ ET",
    ],
    ids=["Tj", "TJ", "TJ-words", "TJ-kerned-spaced"],
)
def test_released_words_after_a_gap_keep_their_place(tmp_path: Path, content: bytes) -> None:
    """MuPDF's filter loses the first removed glyph's advance inside TJ strings; not here."""
    source = helvetica_pdf(tmp_path / "source.pdf", content)
    plan = make_plan(
        source, write_rules(tmp_path, "- {id: p, release: {pages: '1'}}\n- {id: t, withhold: {text: 'Bravo'}}")
    )
    single = redact.redacted_copy(pymupdf.open(source), plan.pages[0])  # type: ignore[attr-defined]

    def place(data: bytes) -> tuple[float, float]:
        text_page = pypdfium2.PdfDocument(data)[0].get_textpage()
        text = text_page.get_text_range()
        return text_page.get_charbox(text.index("Charlie"))[0], text_page.get_charbox(text.index("here"))[0]

    before, after = place(source.read_bytes()), place(single.tobytes())
    assert "Bravo" not in pypdfium2.PdfDocument(single.tobytes())[0].get_textpage().get_text_range()
    assert after == pytest.approx(before, abs=0.05)


def test_an_operator_split_across_content_streams_is_not_rewritten(tmp_path: Path) -> None:
    """A page whose content array splits a TJ's operands from its operator is left as it is."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    first = pdf.make_stream(b"BT /F1 11 Tf 72 742 Td [(Public paragraph)] TJ [( alpha released)]")
    second = pdf.make_stream(b" TJ ( to all.) Tj ET")
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
        Contents=pikepdf.Array([first, second]),
    )
    pdf.pages.append(pikepdf.Page(page))
    source = tmp_path / "split.pdf"
    pdf.save(source)
    single = pymupdf.open(source)
    before = [single.xref_stream(x) for x in single[0].get_contents()]
    assert redact.split_text_arrays(single) == 0  # type: ignore[attr-defined]
    assert [single.xref_stream(x) for x in single[0].get_contents()] == before
    text = pypdfium2.PdfDocument(single.tobytes())[0].get_textpage().get_text_range()
    assert "Public paragraph alpha released to all." in text
