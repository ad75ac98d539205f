"""Unit tests of redactor.check.verify, one check at a time.

A plan is made from the test document (tests/builders.py), a clean extract is rendered from
it, and each check is run on that extract (it passes) and on a copy tampered with pikepdf
(it fails, with a finding of the expected severity, kind and place).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pymupdf
import pytest

from redactor.check.verify import (
    MIN_WORD_LENGTH,
    Finding,
    VerifyReport,
    _check_images,
    _check_structure,
    _check_widths,
    _grams,
    _public_tokens,
    _withheld_needles,
    file_texts,
    tokens,
    verify_bytes,
    verify_document,
)
from redactor.numbering import new_number
from redactor.pipeline import make_plan
from redactor.plan.model import Plan
from redactor.render.extract import render_extract
from tests.adversarial.corpus import get_case
from tests.builders import SAMPLE_RULES, build_document, write_rules

RULES = SAMPLE_RULES
#: The same without the text rule: every withheld area is a whole block.
BLOCK_RULES = "\n".join(RULES.split("\n")[:5] + RULES.split("\n")[8:])
#: Extract page 2 (index 1) shows source page 1 (the introduction).
KEPT = 1


class Setup:
    def __init__(self, folder: Path, rules: str) -> None:
        self.source = build_document(folder / "source.pdf")
        self.plan: Plan = make_plan(self.source, write_rules(folder, rules))
        self.pdf: bytes = render_extract(self.plan, str(self.source)).pdf


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return Setup(tmp_path_factory.mktemp("verify"), RULES)


@pytest.fixture(scope="module")
def block_setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    return Setup(tmp_path_factory.mktemp("verify-blocks"), BLOCK_RULES)


# ---------------------------------------------------------------------------------------
# tampering with pikepdf


def tamper(data: bytes, edit: Callable[[pikepdf.Pdf], None]) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def add_text(pdf: pikepdf.Pdf, index: int, ops: bytes) -> None:
    """Append a content stream to page ``index``, with Helvetica as /FZZ."""
    page = pdf.pages[index]
    if "/Resources" not in page.obj:
        page.obj.Resources = pikepdf.Dictionary()
    resources = page.obj.Resources
    if "/Font" not in resources:
        resources.Font = pikepdf.Dictionary()
    resources.Font.FZZ = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    page.contents_add(pikepdf.Stream(pdf, ops), prepend=False)


def text_ops(text: str, y: int = 300) -> bytes:
    return f"BT /FZZ 11 Tf 72 {y} Td ({text}) Tj ET\n".encode("latin-1")


def root_number(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return pdf.Root.objgen[0]


def run_structure(data: bytes, plan: Plan) -> list[Finding]:
    report = VerifyReport()
    with pymupdf.open("pdf", data) as doc:
        _check_structure(doc, data, plan, report)
    return report.findings


def run_images(data: bytes, plan: Plan) -> list[Finding]:
    report = VerifyReport()
    with pymupdf.open("pdf", data) as doc:
        _check_images(doc, plan, report)
    return report.findings


def text_findings(data: bytes, plan: Plan) -> list[Finding]:
    with pymupdf.open("pdf", data) as doc:
        report = verify_document(doc, data, plan)
    return [f for f in report.findings if f.kind == "text"]


def counts(finding: Finding) -> tuple[int, int]:
    """(sequences, words) of a text finding."""
    numbers = re.findall(r"\d+", finding.detail)
    return int(numbers[0]), int(numbers[1])


# ---------------------------------------------------------------------------------------
# the whole check on the clean extract


def test_clean_extract_has_no_leak(setup: Setup) -> None:
    report = verify_bytes(setup.pdf, setup.plan)
    assert report.leaks == []
    assert not report.failed()
    assert [f.kind for f in report.warnings] == ["width"]  # the withheld name inside a released line


def test_pikepdf_round_trip_alone_is_clean(setup: Setup) -> None:
    """Control: the findings below come from the tampering, not from pikepdf rewriting the file."""
    data = tamper(setup.pdf, lambda pdf: None)
    assert verify_bytes(data, setup.plan).leaks == []


# ---------------------------------------------------------------------------------------
# text


def test_text_check_passes_on_clean_extract(setup: Setup) -> None:
    assert text_findings(setup.pdf, setup.plan) == []


def test_withheld_word_in_info_title_is_a_text_leak(setup: Setup) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo["/Title"] = "Briefing SECRETBRAVO"

    data = tamper(setup.pdf, plant)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        info = pdf.trailer.Info.objgen[0]
    found = text_findings(data, setup.plan)
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "text", f"object {info}")]
    assert counts(found[0]) == (0, 1)


def test_withheld_word_reinserted_as_page_text_is_a_text_leak(setup: Setup) -> None:
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("Recovered SECRETCHARLIE")))
    found = text_findings(data, setup.plan)
    where = {f.where for f in found}
    assert f"page {KEPT + 1} text" in where
    assert any(re.fullmatch(r"object \d+ stream", w) for w in where)
    assert all((f.severity, f.kind) == ("leak", "text") for f in found)


def test_withheld_word_split_over_a_kerned_tj_array_is_found(setup: Setup) -> None:
    ops = b"BT /FZZ 11 Tf 72 300 Td [(SECR) -40 (ETDEL) 25 (TA)] TJ ET\n"
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, ops))
    found = text_findings(data, setup.plan)
    streams = [f for f in found if f.where.endswith(" stream")]
    assert len(streams) == 1 and counts(streams[0]) == (0, 1)


def test_withheld_word_sequence_of_short_words_is_found(setup: Setup) -> None:
    """'Annex part 5' (a withheld heading) holds no word of six letters: only the sequence betrays it."""
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("see Annex part 5 here")))
    found = text_findings(data, setup.plan)
    page = [f for f in found if f.where == f"page {KEPT + 1} text"]
    assert len(page) == 1 and counts(page[0]) == (1, 0)


@pytest.fixture(scope="module")
def accented(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, bytes]:
    """A one-page source whose withheld paragraph holds a non-ASCII word: (plan, clean extract)."""
    folder = tmp_path_factory.mktemp("verify-accented")
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Public paragraph alpha released to all.", fontsize=11)
    page.insert_text((72, 200), "Secret paragraph naming Geheimnistr\u00e4ger here.", fontsize=11)
    doc.save(folder / "source.pdf")
    doc.close()
    plan = make_plan(folder / "source.pdf", write_rules(folder, "- id: pub\n  release: {block: '^Public paragraph'}\n"))
    return plan, render_extract(plan, str(folder / "source.pdf")).pdf


def test_non_ascii_withheld_word_on_a_page_is_found(accented: tuple[Plan, bytes]) -> None:
    plan, clean = accented
    assert verify_bytes(clean, plan).findings == []
    data = tamper(clean, lambda pdf: add_text(pdf, 1, b"BT /FZZ 11 Tf 72 300 Td (Geheimnistr\\344ger) Tj ET\n"))
    assert "page 2 text" in {f.where for f in text_findings(data, plan)}


def test_non_ascii_withheld_word_in_an_object_string_is_found(accented: tuple[Plan, bytes]) -> None:
    plan, clean = accented

    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Note = pikepdf.String("Geheimnistr\u00e4ger")  # PDFDocEncoding, byte 0xE4

    data = tamper(clean, plant)
    catalog = f"object {root_number(data)}"
    assert [(f.severity, f.kind, f.where) for f in text_findings(data, plan)] == [("leak", "text", catalog)]


def test_released_words_reinserted_are_not_a_leak(setup: Setup) -> None:
    ops = text_ops("The public summary of operations is released.")
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, ops))
    assert text_findings(data, setup.plan) == []


# ---------------------------------------------------------------------------------------
# structure


def test_structure_check_passes_on_clean_extract(setup: Setup) -> None:
    assert run_structure(setup.pdf, setup.plan) == []


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("/OpenAction", lambda pdf: pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])),
        ("/AcroForm", lambda pdf: pikepdf.Dictionary(Fields=pikepdf.Array())),
        ("/OCProperties", lambda pdf: pikepdf.Dictionary(OCGs=pikepdf.Array(), D=pikepdf.Dictionary())),
        ("/PageLabels", lambda pdf: pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Dictionary(P="x")]))),
        ("/Dests", lambda pdf: pikepdf.Dictionary()),
    ],
)
def test_forbidden_catalog_key_is_a_structure_leak(setup: Setup, key: str, value: Callable[[Any], Any]) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root[key] = value(pdf)

    data = tamper(setup.pdf, plant)
    found = run_structure(data, setup.plan)
    catalog = f"object {root_number(data)}"
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "structure", catalog)]
    assert found[0].detail.endswith(f"({key})")


def test_forbidden_key_prefix_does_not_match_a_longer_name(setup: Setup) -> None:
    """/Annots is forbidden, /AnnotsX is not a PDF key of that meaning (the name must end there)."""

    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AnnotsX = 1

    assert run_structure(tamper(setup.pdf, plant), setup.plan) == []


def test_annotation_is_a_structure_leak(setup: Setup) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Text, Rect=[72, 600, 92, 620], Contents="note"
        )
        pdf.pages[KEPT].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))

    found = run_structure(tamper(setup.pdf, plant), setup.plan)
    assert all((f.severity, f.kind) == ("leak", "structure") for f in found)
    assert any(f.where == f"page {KEPT + 1}" and "annotation" in f.detail for f in found)
    assert any(f.where.startswith("object ") and f.detail.endswith("(/Annots)") for f in found)


def test_embedded_file_is_a_structure_leak(setup: Setup) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.attachments["notes.txt"] = pikepdf.AttachedFileSpec(pdf, b"attachment body")

    found = run_structure(tamper(setup.pdf, plant), setup.plan)
    files = [f for f in found if f.where == "file"]
    assert [f.detail for f in files] == ["1 embedded file(s)"]
    assert any(f.detail.endswith("(/EmbeddedFiles)") for f in found)
    assert any(f.detail.endswith("(/EmbeddedFile)") for f in found)


def test_xmp_metadata_is_a_structure_leak(setup: Setup) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:description"] = "anything"

    found = run_structure(tamper(setup.pdf, plant), setup.plan)
    assert [(f.severity, f.kind, f.where, f.detail) for f in found] == [
        ("leak", "structure", "file", "XMP metadata present")
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [("/Title", "Original title"), ("/Author", "A. Person"), ("/Subject", "s"), ("/Keywords", "k")],
)
def test_foreign_info_metadata_is_a_structure_leak(setup: Setup, key: str, value: str) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.docinfo[key] = value

    found = run_structure(tamper(setup.pdf, plant), setup.plan)
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "structure", "Info")]


def test_own_info_title_is_the_extract_number(setup: Setup) -> None:
    expected = new_number(setup.plan.ruleset.document.number, setup.plan.ruleset.release.extract)
    with pikepdf.open(io.BytesIO(setup.pdf)) as pdf:
        assert str(pdf.docinfo["/Title"]) == expected


def test_marking_left_after_the_cover_is_a_structure_leak(setup: Setup) -> None:
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, KEPT, text_ops("RESTREINT UE/EU RESTRICTED", 780)))
    found = run_structure(data, setup.plan)
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "structure", f"page {KEPT + 1}")]
    assert "RESTREINT UE/EU RESTRICTED" in found[0].detail


def test_marking_on_the_cover_is_allowed(setup: Setup) -> None:
    data = tamper(setup.pdf, lambda pdf: add_text(pdf, 0, text_ops("RESTREINT UE/EU RESTRICTED", 780)))
    assert run_structure(data, setup.plan) == []


def test_incremental_update_is_a_structure_leak(setup: Setup, tmp_path: Path) -> None:
    path = tmp_path / "extract.pdf"
    path.write_bytes(setup.pdf)
    with pymupdf.open(path) as doc:
        doc.xref_set_key(doc.pdf_catalog(), "PageLayout", "/SinglePage")
        doc.saveIncr()
    data = path.read_bytes()
    found = run_structure(data, setup.plan)
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "structure", "file")]
    assert found[0].detail.startswith("2 revisions")


# ---------------------------------------------------------------------------------------
# images


@pytest.fixture(scope="module")
def image_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, bytes, bytes]:
    """(plan, source bytes, clean extract) of the corpus case with an image in a withheld area."""
    case = get_case("raster-image")
    folder = tmp_path_factory.mktemp("verify-image")
    source = folder / "source.pdf"
    source.write_bytes(case.pdf_bytes)
    rules = folder / "rules.yaml"
    rules.write_text(case.rules_yaml, encoding="utf-8")
    plan = make_plan(source, rules)
    return plan, case.pdf_bytes, render_extract(plan, str(source)).pdf


def test_plan_marks_the_source_image_withheld(image_setup: tuple[Plan, bytes, bytes]) -> None:
    plan = image_setup[0]
    assert len(plan.document.images) == 1
    assert plan.image_verdicts[0].withheld
    assert plan.document.images[0].digest != ""


def test_image_check_passes_on_clean_extract(image_setup: tuple[Plan, bytes, bytes]) -> None:
    plan, _, clean = image_setup
    with pymupdf.open("pdf", clean) as doc:
        assert all(not page.get_images() for page in doc)  # the image is really gone
    assert run_images(clean, plan) == []
    assert verify_bytes(clean, plan).leaks == []


def test_withheld_image_left_in_the_extract_is_an_image_leak(image_setup: tuple[Plan, bytes, bytes]) -> None:
    plan, source, clean = image_setup

    def plant(pdf: pikepdf.Pdf) -> None:
        with pikepdf.open(io.BytesIO(source)) as src:
            image = pdf.copy_foreign(src.pages[0].Resources.XObject.Im1)
        page = pdf.pages[1]
        if "/XObject" not in page.Resources:
            page.Resources.XObject = pikepdf.Dictionary()
        page.Resources.XObject.ImZ = image
        page.contents_add(pikepdf.Stream(pdf, b"q 256 0 0 64 72 400 cm /ImZ Do Q\n"), prepend=False)

    data = tamper(clean, plant)
    with pymupdf.open("pdf", data) as doc:  # the planted image is the withheld one, pixel for pixel
        digests = [i["digest"].hex() for i in doc[1].get_image_info(hashes=True)]
    assert digests == [plan.document.images[0].digest]
    found = run_images(data, plan)
    assert [(f.severity, f.kind, f.where) for f in found] == [("leak", "image", "page 2")]


# ---------------------------------------------------------------------------------------
# widths


def test_width_check_warns_for_a_span_between_released_words(setup: Setup) -> None:
    report = VerifyReport()
    _check_widths(setup.plan, report)
    names = [a for a in setup.plan.areas() if a.rules == ("names",)]
    assert len(names) == 1
    assert [(f.severity, f.kind, f.where) for f in report.findings] == [
        ("warning", "width", f"source page {names[0].page}")
    ]
    assert f"area {names[0].id} " in report.findings[0].detail
    assert not report.failed() and report.failed(strict=True)


def test_width_check_is_silent_when_only_whole_blocks_are_withheld(block_setup: Setup) -> None:
    report = VerifyReport()
    _check_widths(block_setup.plan, report)
    assert report.findings == []
    assert verify_bytes(block_setup.pdf, block_setup.plan).findings == []


# ---------------------------------------------------------------------------------------
# file_texts, tokens, needles


def test_file_texts_reads_pages_objects_and_streams(setup: Setup) -> None:
    def plant(pdf: pikepdf.Pdf) -> None:
        pdf.Root.Note = pikepdf.String("Hidden note \u6a5f\u5bc6")  # not PDFDocEncoding: stored UTF-16BE
        add_text(pdf, KEPT, b"BT /FZZ 11 Tf 72 300 Td [(Split) -30 (word)] TJ ET\n")

    data = tamper(setup.pdf, plant)
    with pymupdf.open("pdf", data) as doc:
        pieces = list(file_texts(doc))
        catalog = doc.pdf_catalog()
        pages = doc.page_count
    wheres = [w for w, _ in pieces]
    assert wheres[:pages] == [f"page {n}" + " text" for n in range(1, pages + 1)]
    text = dict(pieces)
    assert "Hidden note \u6a5f\u5bc6" in text[f"object {catalog}"]
    assert any("Splitword" in t for w, t in pieces if w.endswith(" stream"))
    assert "Public summary" in text["page 4 text"]


def test_tokens_normalise_case_and_punctuation() -> None:
    assert tokens("«Operation Nightjar», SECRETBRAVO's co-op 2026. Straße _x_") == [
        "operation",
        "nightjar",
        "secretbravo's",
        "co-op",
        "2026",
        "strasse",
        "x",
    ]
    assert tokens("") == []


def test_withheld_needles_hold_rare_withheld_words_only(setup: Setup) -> None:
    public = _public_tokens(setup.plan)
    grams, words = _withheld_needles(setup.plan, public)
    for secret in ("secretalpha", "secretbravo", "secretcharlie", "secretdelta", "secretecho", "nightjar"):
        assert secret in words
    assert all(len(w) >= MIN_WORD_LENGTH and not w.isdigit() for w in words)
    assert not words & public
    assert "introduction" in public and "introduction" not in words
    assert _grams(tokens("Annex part 5")) <= grams
    assert not _grams(tokens("The public summary of operations is released.")) & grams
    assert not _grams(tokens("NOT DECLASSIFIED")) & grams


# ---------------------------------------------------------------------------------------
# the report


def test_report_severities_and_strictness() -> None:
    leak = Finding("leak", "structure", "file", "XMP metadata present")
    warning = Finding("warning", "width", "source page 1", "area 1")
    assert not VerifyReport().failed(strict=True)
    only_warning = VerifyReport([warning])
    assert only_warning.leaks == [] and only_warning.warnings == [warning]
    assert not only_warning.failed() and only_warning.failed(strict=True)
    both = VerifyReport([warning, leak])
    assert both.leaks == [leak] and both.failed()


def test_report_text_and_json() -> None:
    report = VerifyReport([Finding("leak", "image", "page 2", "x")] + [Finding("warning", "width", "p", "w")] * 25)
    text = report.text()
    assert text.splitlines()[0] == "verify: 1 leak(s), 25 warning(s)"
    assert len(text.splitlines()) == 1 + 1 + 20 + 1
    assert "and 5 more warning(s)" in text
    data = json.loads(report.json())
    assert (data["leaks"], data["warnings"], len(data["findings"])) == (1, 25, 26)
    assert data["findings"][0] == {"severity": "leak", "kind": "image", "where": "page 2", "detail": "x"}
    assert VerifyReport().text().startswith("verify: clean")
