"""Tests of redactor.check.verify, the leak check of a finished extract.

A plan is made from a test source, a clean extract is rendered from it and verified (no
leak); then copies of that extract are tampered with pikepdf, keeping the page count, and
each must fail with a finding of the expected severity, kind, page and rules. Sources that
once raised false alarms are released and must verify clean.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from redactor.check.verify import (
    Finding,
    PageMap,
    VerifyReport,
    _Vocabulary,
    drawn_box,
    normalise,
    parse_tounicode,
    verify_extract,
    verify_pdf,
    withheld_regions,
    words_of,
)
from redactor.cli.app import app
from redactor.errors import CheckFailed
from redactor.numbering import new_number
from redactor.pipeline import make_plan, verify_file
from redactor.plan.decide import decide
from redactor.plan.model import DrawnText, Plan
from redactor.render.extract import render_extract
from redactor.rules.parse import parse_rules
from tests.adversarial.corpus import get_case
from tests.adversarial.fake_redaction import box_only
from tests.builders import SAMPLE_RULES, build_document, write_rules
from tests.check import verify_cases as cases
from tests.check.verify_cases import Spot

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
SAMPLE_RULE_FILE = ROOT / "rules" / "16014-12-ext1.yaml"

RULES = SAMPLE_RULES
#: The same without the text rule: every withheld area is a whole block.
BLOCK_RULES = "\n".join(RULES.split("\n")[:5] + RULES.split("\n")[8:])
#: Extract page 2 (index 1) shows source page 1 (the introduction).
KEPT = 1
#: Rules of the hand-written one-page sources: the "Public" paragraph released, the rest withheld.
RELEASE_PUBLIC = "- id: pub\n  release: {block: '^Public'}\n"

runner = CliRunner()


@dataclass
class Release:
    """A source, its rule file, the plan and the clean extract made in-process."""

    source: Path
    rules: Path
    plan: Plan
    pdf: bytes
    page_map: PageMap

    def verify(self, data: bytes | None = None, **options: Any) -> VerifyReport:
        return verify_pdf(self.pdf if data is None else data, self.plan, self.page_map, **options)

    def spot(self, source_page: int = 1, region: int = -1) -> Spot:
        return cases.spot(self.plan, self.page_map.item_pages, source_page, region)


def release(source: Path, rules: Path) -> Release:
    plan = make_plan(source, rules)
    extract = render_extract(plan, str(source))
    return Release(source, rules, plan, extract.pdf, PageMap(extract.cover_pages, extract.item_pages))


def released(folder: Path, source: Path, body: str) -> Release:
    return release(source, write_rules(folder, body))


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Release:
    folder = tmp_path_factory.mktemp("verify")
    return released(folder, build_document(folder / "source.pdf"), RULES)


@pytest.fixture(scope="module")
def block_setup(tmp_path_factory: pytest.TempPathFactory) -> Release:
    folder = tmp_path_factory.mktemp("verify-blocks")
    return released(folder, build_document(folder / "source.pdf"), BLOCK_RULES)


def add_text(pdf: pikepdf.Pdf, index: int, ops: bytes) -> None:
    """Append a content stream to page ``index``, with Helvetica as /FZZ."""
    page = pdf.pages[index]
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    if "/Font" not in page.obj.Resources:
        page.obj.Resources.Font = pikepdf.Dictionary()
    page.obj.Resources.Font.FZZ = cases.helvetica(pdf)
    page.contents_add(pikepdf.Stream(pdf, ops), prepend=False)


def text_ops(text: str, y: int = 300) -> bytes:
    return f"BT /FZZ 11 Tf 72 {y} Td ({text}) Tj ET\n".encode("latin-1")


def object_number(data: bytes, get: Callable[[pikepdf.Pdf], Any]) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return int(get(pdf).objgen[0])


def rules_of(plan: Plan, word: str) -> tuple[str, ...]:
    """The rules that withheld every occurrence of ``word`` in the source."""
    return tuple(sorted({plan.verdicts[w.id].rule for w in plan.document.words if word in w.text}))


def of_kind(report: VerifyReport, kind: str) -> list[Finding]:
    return [f for f in report.leaks if f.kind == kind]


def summary(report: VerifyReport) -> list[tuple[str, str, str]]:
    return [(f.severity, f.kind, f.where) for f in report.findings]


# ---------------------------------------------------------------------------------------
# the whole check on the clean extract


def test_clean_extract_has_no_leak(setup: Release) -> None:
    report = setup.verify()
    assert report.leaks == []
    assert not report.failed()
    assert [f.kind for f in report.warnings] == ["width"]  # the withheld name inside a released line


def test_pikepdf_round_trip_alone_is_clean(setup: Release) -> None:
    """Control: the findings below come from the tampering, not from pikepdf rewriting the file."""
    assert setup.verify(cases.tamper(setup.pdf, lambda pdf: None)).leaks == []


def test_verify_extract_raises_only_when_the_extract_must_not_go_out(setup: Release) -> None:
    assert verify_extract(setup.pdf, setup.plan, setup.page_map).leaks == []
    with pytest.raises(CheckFailed, match="width"):  # strict: the width warning fails
        verify_extract(setup.pdf, setup.plan, setup.page_map, strict=True)
    leaky = cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("Recovered SECRETCHARLIE")))
    with pytest.raises(CheckFailed, match="leak check"):
        verify_extract(leaky, setup.plan, setup.page_map)


# ---------------------------------------------------------------------------------------
# text


def test_withheld_word_in_info_title_is_a_text_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Title"] = "Briefing SECRETBRAVO"

    report = setup.verify(cases.tamper(setup.pdf, plant))
    text = of_kind(report, "text")
    assert [(f.where, f.detail, f.rules) for f in text] == [
        ("Info", "1 withheld word(s)", rules_of(setup.plan, "SECRETBRAVO"))
    ]
    assert [(f.kind, f.where) for f in of_kind(report, "structure")] == [("structure", "Info")]  # not its own title


def page_text_leaks(report: VerifyReport) -> list[Finding]:
    """Text leaks read off a page: its text as PDFium extracts it, or its decoded content stream."""
    return [f for f in of_kind(report, "text") if f.where in ("page text", "page content")]


def test_withheld_word_reinserted_as_page_text_is_a_text_leak(setup: Release) -> None:
    report = setup.verify(cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("Recovered SECRETCHARLIE"))))
    text = page_text_leaks(report)
    assert text and text == of_kind(report, "text")
    assert {(f.output_page, f.source_page, f.detail) for f in text} == {(KEPT + 1, 1, "1 withheld word(s)")}
    assert {f.rules for f in text} == {rules_of(setup.plan, "SECRETCHARLIE")}
    assert of_kind(report, "glyph") == []  # planted outside every withheld area


def test_withheld_word_split_over_a_kerned_tj_array_is_found(setup: Release) -> None:
    ops = b"BT /FZZ 11 Tf 72 300 Td [(SECR) -40 (ETDEL) 25 (TA)] TJ ET\n"
    text = page_text_leaks(setup.verify(cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, ops))))
    assert text
    assert {(f.output_page, f.detail, f.rules) for f in text} == {
        (KEPT + 1, "1 withheld word(s)", rules_of(setup.plan, "SECRETDELTA"))
    }


def _form(pdf: pikepdf.Pdf, ops: bytes) -> pikepdf.Object:
    form = pikepdf.Stream(pdf, ops)
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 100, 20]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(FZZ=cases.helvetica(pdf)))
    return pdf.make_indirect(form)


@pytest.mark.parametrize("listed", [True, False], ids=["listed-unused", "orphan"])
def test_withheld_word_in_a_form_never_drawn_is_a_text_leak(setup: Release, listed: bool) -> None:
    """A form no page draws shows nothing, yet its decoded text operands hold the word."""
    ops = b"BT /FZZ 11 Tf 0 5 Td [(SECRET) 10 (CHARLIE)] TJ ET\n"

    def plant(pdf: pikepdf.Pdf) -> None:
        form = _form(pdf, ops)
        if listed:
            pdf.pages[KEPT].obj.Resources.XObject = pikepdf.Dictionary(FmU=form)
        else:
            pdf.Root.Orphan = form  # reachable, so saved; drawn by no page

    data = cases.tamper(setup.pdf, plant)
    assert "SECRETCHARLIE" not in " ".join(pdfium_texts(data))
    form_number = object_number(data, lambda pdf: pdf.pages[KEPT].Resources.XObject.FmU if listed else pdf.Root.Orphan)
    text = of_kind(setup.verify(data), "text")
    assert [(f.where, f.output_page, f.rules) for f in text] == [
        (f"object {form_number}", KEPT + 1 if listed else None, rules_of(setup.plan, "SECRETCHARLIE"))
    ]


def test_released_words_reinserted_are_not_a_leak(setup: Release) -> None:
    ops = text_ops("The public summary of operations is released.")
    assert setup.verify(cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, ops))).leaks == []


@pytest.fixture(scope="module")
def accented(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """A one-page source whose withheld paragraph holds a non-ASCII word."""
    folder = tmp_path_factory.mktemp("verify-accented")
    source = cases.hand_pdf(
        folder / "source.pdf",
        [
            cases.line(72, 100, "Public paragraph alpha released to all.")
            + cases.line(72, 200, "Secret paragraph naming Geheimnistr\u00e4ger here.")
        ],
    )
    return released(folder, source, RELEASE_PUBLIC)


def test_non_ascii_withheld_word_on_a_page_is_found(accented: Release) -> None:
    assert accented.verify().findings == []
    ops = b"BT /FZZ 11 Tf 72 300 Td (Geheimnistr\\344ger) Tj ET\n"
    report = accented.verify(cases.tamper(accented.pdf, lambda pdf: add_text(pdf, 1, ops)), show_withheld=True)
    text = page_text_leaks(report)
    assert text and text == of_kind(report, "text")
    assert {(f.output_page, f.withheld_text) for f in text} == {(2, "geheimnistr\u00e4ger")}


def test_non_ascii_withheld_word_in_an_object_string_is_found(accented: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Note = pikepdf.String("Geheimnistr\u00e4ger")  # PDFDocEncoding, byte 0xE4

    report = accented.verify(cases.tamper(accented.pdf, plant))
    assert summary(report) == [("leak", "text", "Catalog")]


def test_withheld_word_in_info_subject_is_a_text_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Subject"] = "About SECRETBRAVO"

    report = setup.verify(cases.tamper(setup.pdf, plant))
    assert sorted((f.severity, f.kind, f.where) for f in report.leaks) == [
        ("leak", "structure", "Info"),
        ("leak", "text", "Info"),
    ]
    assert of_kind(report, "text")[0].rules == rules_of(setup.plan, "SECRETBRAVO")


def test_withheld_word_in_an_outline_title_is_a_text_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("SECRETCHARLIE operations", KEPT))

    data = cases.tamper(setup.pdf, plant)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        items = {int(item.objgen[0]) for item in _outline_items(pdf.Root.Outlines)}
    report = setup.verify(data)
    text = of_kind(report, "text")
    assert len(text) == 1 and text[0].rules == rules_of(setup.plan, "SECRETCHARLIE")
    assert int(text[0].where.removeprefix("object ")) in items
    assert report.leaks == text


def _outline_items(node: Any) -> list[Any]:
    items, child = [], node.get("/First")
    while child is not None:
        items += [child, *_outline_items(child)]
        child = child.get("/Next")
    return items


def test_vocabulary_holds_rare_withheld_words_only(setup: Release) -> None:
    words = _Vocabulary(setup.plan).words
    for secret in ("secretalpha", "secretbravo", "secretcharlie", "secretdelta", "secretecho", "nightjar"):
        assert secret in words
    assert all((w.isalpha() and len(w) >= 4) or (w.isdigit() and len(w) >= 3) for w in words)
    released_text = " ".join(pdfium_texts(setup.pdf))
    assert not words & words_of(released_text)
    assert "introduction" not in words and "declassified" not in words


def pdfium_texts(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


# ---------------------------------------------------------------------------------------
# structure


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("/OpenAction", lambda pdf: pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])),
        ("/AcroForm", lambda pdf: pikepdf.Dictionary(Fields=pikepdf.Array())),
        ("/OCProperties", lambda pdf: pikepdf.Dictionary(OCGs=pikepdf.Array(), D=pikepdf.Dictionary())),
        ("/PageLabels", lambda pdf: pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Dictionary(P="x")]))),
        ("/Dests", lambda pdf: pikepdf.Dictionary()),
        ("/AA", lambda pdf: pikepdf.Dictionary()),
        ("/StructTreeRoot", lambda pdf: pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot)),
    ],
)
def test_forbidden_catalog_key_is_a_structure_leak(setup: Release, key: str, value: Callable[[Any], Any]) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root[key] = value(pdf)

    data = cases.tamper(setup.pdf, plant)
    report = setup.verify(data)
    catalog = f"object {object_number(data, lambda pdf: pdf.Root)}"
    assert summary(VerifyReport(report.leaks)) == [("leak", "structure", catalog)]
    assert report.leaks[0].detail.endswith(f"({key})")


@pytest.mark.parametrize("key", ["/Annots", "/PieceInfo", "/AA", "/Thumb"])
def test_forbidden_page_key_is_a_structure_leak(setup: Release, key: str) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.pages[KEPT].obj[key] = pikepdf.Array() if key == "/Annots" else pikepdf.Dictionary()

    data = cases.tamper(setup.pdf, plant)
    page = f"object {object_number(data, lambda pdf: pdf.pages[KEPT].obj)}"
    leaks = setup.verify(data).leaks
    assert [(f.kind, f.where) for f in leaks] == [("structure", page)]
    assert leaks[0].detail.endswith(f"({key})")


def test_forbidden_key_prefix_does_not_match_a_longer_name(setup: Release) -> None:
    """/Annots is forbidden, /AnnotsX is not a PDF key of that meaning (the name must end there)."""

    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AnnotsX = 1

    assert setup.verify(cases.tamper(setup.pdf, plant)).leaks == []


def test_annotation_is_a_structure_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[72, 600, 92, 620], Contents="note"
        )
        pdf.pages[KEPT].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))

    leaks = setup.verify(cases.tamper(setup.pdf, plant)).leaks
    assert {f.kind for f in leaks} == {"structure"}
    assert any(f.detail == "holds annotations (/Annots)" for f in leaks)
    assert any(f.detail == "is an annotation" for f in leaks)


def test_javascript_name_tree_is_a_structure_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.Names = pdf.make_indirect(pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=["a", action])))

    data = cases.tamper(setup.pdf, plant)
    names = f"object {object_number(data, lambda pdf: pdf.Root.Names)}"
    leaks = setup.verify(data).leaks
    assert ("structure", names, "holds JavaScript (/JavaScript)") in [(f.kind, f.where, f.detail) for f in leaks]
    assert {f.kind for f in leaks} == {"structure"}


def test_javascript_name_tree_held_directly_in_the_catalog_is_a_structure_leak(setup: Release) -> None:
    """The same name tree as direct objects of the catalog (as most writers store /Names)."""

    def plant(pdf: pikepdf.Pdf) -> None:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=["a", action]))

    leaks = setup.verify(cases.tamper(setup.pdf, plant)).leaks
    assert any(f.kind == "structure" and "JavaScript" in f.detail for f in leaks), leaks


def test_embedded_file_is_a_structure_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"attachment body")

    leaks = setup.verify(cases.tamper(setup.pdf, plant)).leaks
    assert leaks and {f.kind for f in leaks} == {"structure"}
    assert any(f.detail == "is an embedded file" for f in leaks)


def test_embedded_file_without_its_optional_type_is_a_structure_leak(setup: Release) -> None:
    """/Type is optional on an embedded file stream (ISO 32000-1, 7.11.4): the name tree betrays it."""

    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"attachment body")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Type") == pikepdf.Name.EmbeddedFile:
                del obj["/Type"]

    data = cases.tamper(setup.pdf, plant)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/EmbeddedFiles" in pdf.Root.Names  # the attachment is there
    leaks = setup.verify(data).leaks
    assert any(f.kind == "structure" and "embedded file" in f.detail for f in leaks), leaks


def test_xmp_metadata_is_a_structure_leak(setup: Release) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:description"] = "anything"

    leaks = setup.verify(cases.tamper(setup.pdf, plant)).leaks
    assert [(f.severity, f.kind, f.where, f.detail) for f in leaks] == [
        ("leak", "structure", "Catalog", "XMP metadata present")
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [("/Title", "Original title"), ("/Author", "A. Person"), ("/Subject", "s"), ("/Keywords", "k")],
)
def test_foreign_info_metadata_is_a_structure_leak(setup: Release, key: str, value: str) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo[key] = value

    leaks = setup.verify(cases.tamper(setup.pdf, plant)).leaks
    assert [(f.severity, f.kind, f.where) for f in leaks] == [("leak", "structure", "Info")]


def test_own_info_title_is_the_extract_number(setup: Release) -> None:
    expected = new_number(setup.plan.ruleset.document.number, setup.plan.ruleset.release.extract)
    with pikepdf.open(io.BytesIO(setup.pdf)) as pdf:
        assert str(pdf.docinfo["/Title"]) == expected
    assert not [f for f in setup.verify().findings if f.where == "Info"]


def test_marking_left_after_the_cover_is_a_structure_leak(setup: Release) -> None:
    data = cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("RESTREINT UE/EU RESTRICTED", 780)))
    leaks = setup.verify(data).leaks
    assert [(f.kind, f.where, f.output_page, f.source_page) for f in leaks] == [("structure", "page text", KEPT + 1, 1)]
    assert "RESTREINT UE/EU RESTRICTED" in leaks[0].detail


def test_marking_on_the_cover_is_allowed(setup: Release) -> None:
    data = cases.tamper(setup.pdf, lambda pdf: add_text(pdf, 0, text_ops("RESTREINT UE/EU RESTRICTED", 780)))
    assert "RESTREINT UE/EU RESTRICTED" in pdfium_texts(data)[0]
    assert setup.verify(data).leaks == []


def test_incremental_update_is_a_structure_leak(setup: Release) -> None:
    data = cases.incremental_update(setup.pdf)
    with pikepdf.open(io.BytesIO(data)) as pdf:  # a valid file, its catalog updated
        assert pdf.Root.PageLayout == pikepdf.Name.SinglePage
        assert len(pdf.pages) == len(pdfium_texts(setup.pdf))
    leaks = setup.verify(data).leaks
    assert [(f.kind, f.where) for f in leaks] == [("structure", "file")]
    assert leaks[0].detail.startswith("2 revisions")


# ---------------------------------------------------------------------------------------
# images


@pytest.fixture(scope="module")
def image_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Release, bytes]:
    """The corpus case with an image in a withheld area, released; and its source bytes."""
    case = get_case("raster-image")
    folder = tmp_path_factory.mktemp("verify-image")
    source = folder / "source.pdf"
    source.write_bytes(case.pdf_bytes)
    rules = folder / "rules.yaml"
    rules.write_text(case.rules_yaml, encoding="utf-8")
    return release(source, rules), case.pdf_bytes


def _images(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(1 for page in pdf.pages for _name, image in page.images.items())


def test_withheld_image_is_gone_and_the_extract_is_clean(image_setup: tuple[Release, bytes]) -> None:
    setup, _source = image_setup
    assert len(setup.plan.document.images) == 1 and setup.plan.image_verdicts[0].withheld
    assert _images(setup.pdf) == 0
    assert setup.verify().leaks == []
    assert setup.verify(pixels=False).leaks == []


def test_withheld_image_put_back_in_place_is_caught(image_setup: tuple[Release, bytes]) -> None:
    setup, source = image_setup
    image = setup.plan.document.images[0]

    def plant(pdf: pikepdf.Pdf) -> None:
        with pikepdf.open(io.BytesIO(source)) as src:
            copied = pdf.copy_foreign(src.pages[0].Resources.XObject.Im1)
        page = pdf.pages[setup.page_map.item_pages[0][0]]
        page.Resources.XObject = pikepdf.Dictionary(ImZ=copied)
        x, y = cases.to_pdf(page, image.rect.x0, image.rect.y1)
        ops = f"q {image.rect.width:.2f} 0 0 {image.rect.height:.2f} {x:.2f} {y:.2f} cm /ImZ Do Q\n"
        page.contents_add(pikepdf.Stream(pdf, ops.encode()), prepend=False)

    data = cases.tamper(setup.pdf, plant)
    assert _images(data) == 1
    area_rules = {rules for _rect, rules in withheld_regions(setup.plan, image.page)}
    with_pixels = setup.verify(data).leaks
    assert "ink" in {f.kind for f in with_pixels}
    without = setup.verify(data, pixels=False).leaks
    assert {f.kind for f in without} == {"image"}
    assert {(f.output_page, f.source_page) for f in with_pixels + without} == {(2, image.page)}
    assert {f.rules for f in with_pixels + without} <= area_rules


# ---------------------------------------------------------------------------------------
# widths


def test_width_check_warns_for_a_span_between_released_words(setup: Release) -> None:
    names = [a for a in setup.plan.areas() if a.rules == ("names",)]
    assert len(names) == 1
    report = setup.verify()
    assert [(f.severity, f.kind, f.where, f.output_page, f.source_page, f.rules) for f in report.findings] == [
        ("warning", "width", f"area {names[0].id}", KEPT + 1, names[0].page, ("names",))
    ]
    assert "conceal: line" in report.findings[0].detail
    assert not report.failed() and report.failed(strict=True)


def test_width_check_is_silent_when_only_whole_blocks_are_withheld(block_setup: Release) -> None:
    assert block_setup.verify().findings == []


# ---------------------------------------------------------------------------------------
# helpers


def test_normalise_splits_ligatures_drops_invisibles_joins_hyphenation_and_casefolds() -> None:
    assert normalise("\ufb01nal Stra\u00dfe in\u00adter\u200bnal implemen-\n  tation  A\n B") == (
        "final strasse internal implementation a b"
    )


def test_words_of_gives_whole_letter_and_digit_runs() -> None:
    assert words_of("Consectetur, Q-48: 742nd \u00abNightjar\u00bb") == {
        "consectetur",
        "q",
        "48",
        "742",
        "nd",
        "nightjar",
    }
    assert "consectetu" not in words_of("consectetur")
    assert words_of("") == set()


def test_parse_tounicode_reads_bfchar_and_both_bfrange_forms() -> None:
    cmap = b"""/CIDInit /ProcSet findresource begin
    2 beginbfchar <0003> <0020> <0024> <00660069> endbfchar
    1 beginbfrange <0041> <0043> <0061> endbfrange
    1 beginbfrange <0050> <0051> [<00E9> <D835DC00>] endbfrange
    endcmap"""
    assert parse_tounicode(cmap) == {
        0x03: " ",
        0x24: "fi",
        0x41: "a",
        0x42: "b",
        0x43: "c",
        0x50: "\u00e9",
        0x51: "\U0001d400",
    }


def test_drawn_box_follows_helvetica_metrics() -> None:
    box = drawn_box(DrawnText("placeholder", "Mi", (100.0, 200.0), 10.0, False))
    assert (box.x0, box.x1) == pytest.approx((99.5, 100 + (833 + 222) / 100))
    assert (box.y0, box.y1) == pytest.approx((200 - 9.5, 200 + 2.3))
    bold = drawn_box(DrawnText("placeholder", "Mi", (100.0, 200.0), 10.0, True))
    assert bold.x1 == pytest.approx(100 + (833 + 278) / 100)


def test_withheld_regions_are_the_areas_less_what_is_released(setup: Release) -> None:
    regions = withheld_regions(setup.plan, 1)
    assert [rules for _rect, rules in regions] == [("names",), ("background",)]
    areas = {a.rules: a.rects for a in setup.plan.pages[0].areas}
    for rect, rules in regions:
        assert any(r.x0 < rect.x0 and rect.x1 < r.x1 and r.y0 < rect.y0 and rect.y1 < r.y1 for r in areas[rules])
    assert withheld_regions(setup.plan, 2) == []  # a withheld page is not shown at all


# ---------------------------------------------------------------------------------------
# false alarms: releases that must verify clean


def _no_leak(case: Release) -> VerifyReport:
    report = case.verify(show_withheld=True)
    assert report.leaks == [], report.text() + "\n" + report.withheld()
    return report


def test_font_program_notice_holding_a_withheld_word_is_not_a_leak(tmp_path: Path) -> None:
    source = cases.font_notice_pdf(
        tmp_path / "source.pdf",
        notice="Copyright Development Foundry. Licensed for Development use.",
        released="Public paragraph in the notice font.",
        withheld="Secret paragraph about Development plans.",
    )
    case = released(tmp_path, source, RELEASE_PUBLIC)
    assert "development" in _Vocabulary(case.plan).words
    notice = "Copyright Development Foundry"
    assert notice.encode("utf-16-be") in cases.stream_bytes(case.pdf)  # the font program went out, notice and all
    _no_leak(case)


def test_font_names_holding_a_withheld_word_are_not_a_leak(tmp_path: Path) -> None:
    source = cases.hand_pdf(
        tmp_path / "source.pdf",
        [
            cases.line(72, 100, "Public heading in bold type.", font="F2")
            + cases.line(72, 200, "Secret paragraph naming Helvetica in full.")
        ],
    )
    case = released(tmp_path, source, RELEASE_PUBLIC)
    assert "helvetica" in _Vocabulary(case.plan).words
    with pikepdf.open(io.BytesIO(case.pdf)) as pdf:
        fonts = {str(f.get("/BaseFont")) for page in pdf.pages for _n, f in page.Resources.get("/Font", {}).items()}
    assert "/Helvetica-Bold" in fonts
    _no_leak(case)


def test_kerned_released_word_is_not_a_withheld_fragment(tmp_path: Path) -> None:
    """'consectetur' drawn as [(consectetu) 1 (r)] is one released word, not the withheld 'consectetu'."""
    source = cases.hand_pdf(
        tmp_path / "source.pdf",
        [
            b"BT /F1 11 Tf 72 742 Td [(Public lorem ipsum dolor sit amet, consectetu) 1 (r adipiscing elit.)] TJ ET\n"
            + cases.line(72, 200, "Secret notes on consectetu and consectetuer.")
        ],
    )
    case = released(tmp_path, source, RELEASE_PUBLIC)
    assert {"consectetu", "consectetuer"} <= _Vocabulary(case.plan).words
    assert "consectetur" in pdfium_texts(case.pdf)[1]
    _no_leak(case)


def test_text_matrix_operand_equal_to_a_withheld_number_is_not_a_leak(tmp_path: Path) -> None:
    source = cases.hand_pdf(
        tmp_path / "source.pdf",
        [
            b"BT /F1 11 Tf 1 0 0 1 72 742 Tm (Public paragraph placed by its matrix.) Tj ET\n"
            + cases.line(72, 200, "Secret reference 742 stays withheld.")
        ],
    )
    case = released(tmp_path, source, RELEASE_PUBLIC)
    assert "742" in _Vocabulary(case.plan).words
    with pikepdf.open(io.BytesIO(case.pdf)) as pdf:
        operands = [
            float(v)
            for op in pikepdf.parse_content_stream(pdf.pages[case.page_map.item_pages[0][0]])
            for v in op.operands
            if isinstance(v, int | Decimal)
        ]
    assert 742 in operands
    _no_leak(case)


@pytest.fixture(scope="module")
def cover_case(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """A page narrow enough that the cover breaks 'above-mentioned' at a line end, withholding
    cover words ('Delegations', 'mentioned') and their join ('abovementioned')."""
    folder = tmp_path_factory.mktemp("verify-cover")
    source = cases.hand_pdf(
        folder / "source.pdf",
        [
            cases.line(40, 100, "Public paragraph released.")
            + cases.line(40, 200, "Secret Delegations abovementioned mentioned notes.")
        ],
        size=(530, 842),
    )
    return released(folder, source, RELEASE_PUBLIC)


def test_cover_wording_is_not_a_leak(cover_case: Release) -> None:
    cover = pdfium_texts(cover_case.pdf)[0]
    assert re.search("above(\ufffe|-\r?\n)mentioned", cover), cover  # broken at a line end
    assert "abovementioned" in _Vocabulary(cover_case.plan).words
    _no_leak(cover_case)


def test_cover_wording_read_as_a_kept_page_would_be_a_leak(cover_case: Release) -> None:
    """Control: what makes the case clean is the cover exemption, not a word missed."""
    not_a_cover = PageMap(0, tuple(() for _ in cover_case.page_map.item_pages))
    report = verify_pdf(cover_case.pdf, cover_case.plan, not_a_cover, show_withheld=True)
    assert any(
        f.kind == "text" and f.output_page == 1 and "abovementioned" in (f.withheld_text or "") for f in report.leaks
    ), report.text()


def test_withholding_the_first_source_page_entirely_is_clean(tmp_path: Path) -> None:
    source = cases.hand_pdf(
        tmp_path / "source.pdf",
        [cases.line(72, 100, "Secret first page entirely withheld."), cases.line(72, 100, "Public second page.")],
    )
    case = released(tmp_path, source, "- id: p1\n  withhold: {pages: '1'}\n- id: p2\n  release: {pages: '2'}\n")
    assert [item.kind for item in case.plan.sequence] == ["withheld_pages", "page"]
    assert "entirely" in _Vocabulary(case.plan).words
    assert "Secret" not in " ".join(pdfium_texts(case.pdf))
    assert _no_leak(case).findings == []


@pytest.fixture(scope="module")
def sample() -> Release:
    return release(SAMPLE, SAMPLE_RULE_FILE)


def test_bundled_sample_verifies_clean(sample: Release) -> None:
    assert len(_Vocabulary(sample.plan).words) > 100
    report = _no_leak(sample)
    assert {f.kind for f in report.warnings} <= {"width", "font-glyphs"}


def test_starter_rule_file_applied_to_the_sample_verifies_clean(
    sample: Release, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    skeleton = tmp_path / "starter.yaml"
    # table detection only feeds the listing, not the rule file: skipped for speed
    monkeypatch.setattr("redactor.cli.review.find_tables", lambda *args, **kwargs: [])
    result = runner.invoke(app, ["inspect", str(SAMPLE), "--rules-skeleton", str(skeleton), "-q"])
    assert result.exit_code == 0, result.output
    assert "default: withhold" in skeleton.read_text(encoding="utf-8")
    out = tmp_path / "extract.pdf"
    result = runner.invoke(app, ["apply", str(SAMPLE), str(skeleton), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    plan = decide(sample.plan.document, parse_rules(skeleton))
    report = verify_file(out, plan, SAMPLE)
    assert report.leaks == [], report.text()
    assert not any(f.kind == "structure" for f in report.findings)


# ---------------------------------------------------------------------------------------
# fakes: content planted in a withheld area of a kept page


#: (name, what to plant, the kinds it may give, of which at least one it must give)
FAKES = [
    ("short-name-text", cases.text_in("Bob"), {"glyph", "ink"}, {"glyph"}),
    ("invisible-text", cases.text_in("Bob", render=3), {"glyph"}, {"glyph"}),
    ("vector-outline", cases.outline_in, {"ink"}, {"ink"}),
    ("shading", cases.shading_in, {"ink"}, {"ink"}),
    ("image", cases.image_in(covered=False), {"ink", "image"}, {"ink", "image"}),
    ("image-under-white-box", cases.image_in(covered=True), {"image"}, {"image"}),
    ("form-xobject-text", cases.form_text_in("Bob"), {"glyph", "ink"}, {"glyph", "ink"}),
    ("soft-mask-text", cases.soft_mask_text_in("Bob"), {"glyph", "ink"}, {"glyph", "ink"}),
]


@pytest.mark.parametrize(("name", "paint", "may", "must"), FAKES, ids=[f[0] for f in FAKES])
def test_fake_in_a_withheld_area_is_caught(
    setup: Release, name: str, paint: Any, may: set[str], must: set[str]
) -> None:
    where = setup.spot()
    data = cases.plant(setup.pdf, where, paint)
    assert len(pdfium_texts(data)) == len(pdfium_texts(setup.pdf))
    leaks = setup.verify(data).leaks
    kinds = {f.kind for f in leaks}
    assert kinds & must and kinds <= may, (name, kinds)
    assert {(f.output_page, f.source_page, f.rules) for f in leaks} == {(where.index + 1, 1, where.rules)}
    assert all(f.withheld_text is None for f in leaks)


def test_short_name_is_caught_by_position_not_vocabulary(setup: Release) -> None:
    """'Bob' is too short for the vocabulary: only its place betrays it."""
    assert "bob" not in _Vocabulary(setup.plan).words
    report = setup.verify(cases.plant(setup.pdf, setup.spot(), cases.text_in("Bob")), show_withheld=True)
    glyphs = of_kind(report, "glyph")
    assert [(f.withheld_text, f.detail) for f in glyphs] == [("Bob", "3 character(s) in a withheld area")]
    assert of_kind(report, "text") == []


def test_invisible_text_draws_no_ink_but_is_a_glyph(setup: Release) -> None:
    report = setup.verify(cases.plant(setup.pdf, setup.spot(), cases.text_in("Bob", render=3)))
    assert [f.kind for f in report.leaks] == ["glyph"]


def test_image_under_a_white_box_holds_ink_the_rendering_does_not_show(setup: Release) -> None:
    report = setup.verify(cases.plant(setup.pdf, setup.spot(), cases.image_in(covered=True)))
    assert [f.kind for f in report.leaks] == ["image"]
    assert "pixel(s) of ink under a withheld area" in report.leaks[0].detail


def test_outline_fake_passes_without_pixels_and_fails_with_them(setup: Release) -> None:
    data = cases.plant(setup.pdf, setup.spot(), cases.outline_in)
    assert setup.verify(data, pixels=False).leaks == []
    leaks = setup.verify(data, pixels=True).leaks
    assert [f.kind for f in leaks] == ["ink"]
    assert re.fullmatch(r"\d+ pixel\(s\) of ink at 60 dpi in a withheld area", leaks[0].detail)


def test_fake_in_the_other_kept_page_names_its_own_pages(setup: Release) -> None:
    where = setup.spot(source_page=3)
    leaks = setup.verify(cases.plant(setup.pdf, where, cases.outline_in)).leaks
    assert [(f.kind, f.output_page, f.source_page, f.rules) for f in leaks] == [
        ("ink", where.index + 1, 3, ("secret-delta",))
    ]


# ---------------------------------------------------------------------------------------
# show_withheld


@pytest.fixture(scope="module")
def secret_fake(setup: Release, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean extract with a withheld word written back into its withheld area."""
    path = tmp_path_factory.mktemp("verify-secret") / "fake.pdf"
    path.write_bytes(cases.plant(setup.pdf, setup.spot(), cases.text_in("SECRETALPHA")))
    return path


def test_report_never_shows_the_withheld_text_by_default(setup: Release, secret_fake: Path) -> None:
    report = setup.verify(secret_fake.read_bytes())
    assert {"glyph", "text"} <= {f.kind for f in report.leaks}
    assert all(f.withheld_text is None for f in report.findings)
    for shown in (report.text(), report.json()):
        assert "secretalpha" not in shown.casefold()
    assert "SECRETALPHA" not in report.withheld()


def test_show_withheld_puts_the_text_in_the_classified_listing(setup: Release, secret_fake: Path) -> None:
    report = setup.verify(secret_fake.read_bytes(), show_withheld=True)
    assert [f.withheld_text for f in of_kind(report, "glyph")] == ["SECRETALPHA"]
    assert "SECRETALPHA" in report.withheld()
    assert "secretalpha" not in report.text().casefold()


def _cli_verify(setup: Release, extract: Path, *extra: str) -> Any:
    args = ["verify", str(extract), "--source", str(setup.source), "--rules", str(setup.rules), *extra]
    return runner.invoke(app, args)


def test_cli_show_withheld_prints_it_on_stderr_only(setup: Release, secret_fake: Path) -> None:
    plain = _cli_verify(setup, secret_fake)
    assert plain.exit_code == 1
    assert "secretalpha" not in plain.output.casefold()
    shown = _cli_verify(setup, secret_fake, "--show-withheld")
    assert shown.exit_code == 1
    assert "SECRETALPHA" in shown.stderr
    assert "secretalpha" not in shown.stdout.casefold()


# ---------------------------------------------------------------------------------------
# engines and the command line


def test_verify_imports_no_pymupdf() -> None:
    code = "import sys, redactor.check.verify; print('pymupdf' in sys.modules or 'fitz' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "False"


def test_cli_verify_of_the_clean_extract(setup: Release, tmp_path: Path) -> None:
    extract = tmp_path / "extract.pdf"
    extract.write_bytes(setup.pdf)
    result = _cli_verify(setup, extract)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("verify: 0 leak(s), 1 warning(s)")
    assert _cli_verify(setup, extract, "--strict").exit_code == 1
    data = json.loads(_cli_verify(setup, extract, "--json").stdout)
    assert (data["leaks"], data["warnings"]) == (0, 1)


def test_cli_verify_of_a_missing_extract_exits_3(setup: Release, tmp_path: Path) -> None:
    result = _cli_verify(setup, tmp_path / "nowhere.pdf")
    assert result.exit_code == 3
    assert "extract file does not exist" in result.stderr
    assert "nowhere.pdf" in result.stderr


def test_cli_verify_of_a_box_only_fake_exits_1(setup: Release, tmp_path: Path) -> None:
    rects: dict[int, list[tuple[float, float, float, float]]] = {}
    for area in setup.plan.areas():
        rects.setdefault(area.page, []).extend(r.as_tuple() for r in area.rects)
    fake = tmp_path / "boxed.pdf"
    fake.write_bytes(box_only(setup.source.read_bytes(), rects))
    result = _cli_verify(setup, fake)
    assert result.exit_code == 1, result.output
    assert "not this plan's extract" in result.stdout
    assert re.search(r"LEAK\s+text", result.stdout)
    assert re.search(r"LEAK\s+structure\s+file: 2 revisions", result.stdout)


def test_extract_of_another_page_count_is_not_this_plans(setup: Release, tmp_path: Path) -> None:
    def drop_last(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[-1]

    extract = tmp_path / "short.pdf"
    extract.write_bytes(cases.tamper(setup.pdf, drop_last))
    report = verify_file(extract, setup.plan, setup.source)
    assert report.leaks[0].detail.endswith("not this plan's extract")
    assert report.failed()


# ---------------------------------------------------------------------------------------
# the report


def test_report_severities_and_strictness() -> None:
    leak = Finding("leak", "structure", "file", "XMP metadata present")
    warning = Finding("warning", "width", "area 1", "shares its line")
    assert not VerifyReport().failed(strict=True)
    only_warning = VerifyReport([warning])
    assert only_warning.leaks == [] and only_warning.warnings == [warning]
    assert not only_warning.failed() and only_warning.failed(strict=True)
    both = VerifyReport([warning, leak])
    assert both.leaks == [leak] and both.failed()


def test_report_text_and_json() -> None:
    leak = Finding("leak", "image", "at [1.0, 2.0, 3.0, 4.0]", "x", 2, 5, ("r1", "r2"), "hidden words")
    report = VerifyReport([leak] + [Finding("warning", "width", "area 1", "w")] * 25)
    text = report.text()
    assert text.splitlines()[0] == "verify: 1 leak(s), 25 warning(s)"
    assert (
        text.splitlines()[1]
        == "  LEAK     image       output page 2 (source page 5) at [1.0, 2.0, 3.0, 4.0]: x [r1, r2]"
    )
    assert len(text.splitlines()) == 1 + 1 + 20 + 1
    assert "and 5 more warning(s)" in text
    assert "hidden words" not in text
    assert "hidden words" in report.withheld()
    data = json.loads(report.json())
    assert (data["leaks"], data["warnings"], len(data["findings"])) == (1, 25, 26)
    assert data["findings"][0] == {
        "severity": "leak",
        "kind": "image",
        "where": "at [1.0, 2.0, 3.0, 4.0]",
        "detail": "x",
        "output_page": 2,
        "source_page": 5,
        "rules": ["r1", "r2"],
        "withheld_text": "hidden words",
    }
    assert VerifyReport().text().startswith("verify: clean")


def test_the_report_is_the_same_whatever_the_number_of_workers(
    setup: Release, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages read in worker processes: the same findings, in the same order, pages reported once."""
    from redactor.check import verify

    monkeypatch.setattr(verify, "PARALLEL_FROM", 1)
    monkeypatch.setattr(verify, "CHUNK", 1)
    tampered = cases.tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("Recovered SECRETCHARLIE")))
    leaking = cases.plant(tampered, setup.spot(), cases.text_in("Hidden"))
    for data in (setup.pdf, leaking):
        here = setup.verify(data)
        counted: list[int] = []
        there = setup.verify(data, workers=2, progress=counted.append)
        assert there.findings == here.findings
        assert sum(counted) == len(pikepdf.open(io.BytesIO(data)).pages) - setup.page_map.cover_pages
    assert page_text_leaks(there) and of_kind(there, "glyph")
