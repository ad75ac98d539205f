"""The EXT cover sheet, its language tables and dates.

Text is read back with pdfminer.six and structure with pikepdf, never with PyMuPDF
alone: the renderer uses PyMuPDF, the checks must not share its blind spots.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_text

from redactor.dates import long_date, number_suffix_date, parse_date
from redactor.i18n import LABELS, SUPPORTED_LANGUAGES, Labels, labels_for
from redactor.render.cover import (
    CoverData,
    CoverLayoutError,
    CoverTemplateError,
    cover_html,
    new_number,
    render_cover_pdf,
    render_cover_png,
)

CODES = (
    "JAI 778",
    "COSI 107",
    "ENFOPOL 361",
    "CRIMORG 130",
    "ENFOCUSTOM 116",
    "CORDROGUE 82",
    "PESC 1363",
    "RELEX 1021",
    "COAFR 351",
    "COWEB 179",
    "TRANS 387",
    "UD 271",
    "FRONT 158",
    "GENVAL 83",
)

# The first page of the seed extract (16014/12 ADD 1 REV 2 EXT 1).
SEED = CoverData(
    issuer="COUNCIL OF\nTHE EUROPEAN UNION",
    place="Brussels",
    release_date=datetime.date(2013, 3, 19),
    original_number="16014/12 ADD 1 REV 2",
    extract=1,
    codes=CODES,
    classification="RESTREINT UE/EU RESTRICTED",
    dated="23 November 2012",
    new_status="Public",
    subject="EU Policy Cycle: Implementation Monitoring",
    partial=True,
)

BASE14 = {
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Symbol",
    "ZapfDingbats",
}


def text_of(pdf: bytes) -> str:
    """The page text as pdfminer reads it, whitespace collapsed to single spaces."""
    return " ".join(extract_text(io.BytesIO(pdf)).split())


def assert_in_order(text: str, parts: list[str]) -> None:
    at = 0
    for part in parts:
        found = text.find(part, at)
        assert found >= 0, f"{part!r} missing after position {at} in: {text}"
        at = found + len(part)


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return render_cover_pdf(SEED)


# --- the page ---------------------------------------------------------------------


def test_cover_text_holds_every_field_in_the_seed_order(seed_pdf: bytes) -> None:
    assert_in_order(
        text_of(seed_pdf),
        [
            "COUNCIL OF THE EUROPEAN UNION",
            "Brussels, 19 March 2013",
            "16014/12 ADD 1 REV 2 EXT 1",
            *CODES,
            "PARTIAL DECLASSIFICATION",
            "of document:",
            "16014/12 ADD 1 REV 2 RESTREINT UE/EU RESTRICTED",
            "dated:",
            "23 November 2012",
            "new status:",
            "Public",
            "Subject:",
            "EU Policy Cycle: Implementation Monitoring",
            "Delegations will find attached the partially declassified version of the above-mentioned document.",
        ],
    )


def test_cover_text_has_no_ligature_characters(seed_pdf: bytes) -> None:
    text = text_of(seed_pdf)
    assert not re.search("[\ufb00-\ufb06]", text)
    assert "find attached" in text and "declassified" in text


def test_cover_is_exactly_one_page(seed_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(seed_pdf)) as pdf:
        assert len(pdf.pages) == 1


def _fonts(resources: pikepdf.Object, seen: set[tuple[int, int]]) -> list[pikepdf.Object]:
    """Every font dictionary reachable from `resources`, Form XObjects included."""
    found = list(resources.get("/Font", pikepdf.Dictionary()).values())
    for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.objgen in seen or xobject.get("/Subtype") != "/Form":
            continue
        seen.add(xobject.objgen)
        found += _fonts(xobject.get("/Resources", pikepdf.Dictionary()), seen)
    return found


def _embedded(font: pikepdf.Object) -> bool:
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_fonts_are_embedded_or_base14(seed_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(seed_pdf)) as pdf:
        fonts = _fonts(pdf.pages[0].Resources, set())
        assert fonts
        for font in fonts:
            if font.Subtype == "/Type0":
                assert all(_embedded(f) for f in font.DescendantFonts), font.BaseFont
            else:
                assert _embedded(font) or str(font.BaseFont)[1:] in BASE14, font.BaseFont


def test_cover_carries_no_metadata(seed_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(seed_pdf)) as pdf:
        assert "/Info" not in pdf.trailer
        assert "/Info" not in pdf.Root
        assert "/Metadata" not in pdf.Root


def test_same_data_gives_the_same_bytes(seed_pdf: bytes) -> None:
    assert render_cover_pdf(SEED) == seed_pdf


def test_same_data_gives_the_same_bytes_in_another_process(seed_pdf: bytes) -> None:
    script = (
        "import sys, tests.render.test_cover as t\n"
        "from redactor.render.cover import render_cover_pdf\n"
        "sys.stdout.buffer.write(render_cover_pdf(t.SEED))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, check=True).stdout
    assert out == seed_pdf


def test_page_size_is_honoured() -> None:
    letter = render_cover_pdf(SEED, page_size=(612, 792))
    with pikepdf.open(io.BytesIO(letter)) as pdf:
        assert [float(v) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]
        assert len(pdf.pages) == 1
    assert "PARTIAL DECLASSIFICATION" in text_of(letter)


def test_default_page_is_a4(seed_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(seed_pdf)) as pdf:
        assert [float(v) for v in pdf.pages[0].MediaBox] == [0, 0, 595, 842]


def test_page_too_small_raises_layout_error() -> None:
    with pytest.raises(CoverLayoutError, match="does not fit on one page"):
        render_cover_pdf(SEED, page_size=(300, 300))


def test_long_subject_wraps_and_still_fits() -> None:
    subject = " ".join(["Implementation monitoring of the policy cycle"] * 10)
    pdf = render_cover_pdf(dataclasses.replace(SEED, subject=subject))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 1
    assert subject in text_of(pdf)


def test_very_long_subject_raises_layout_error() -> None:
    with pytest.raises(CoverLayoutError, match=r"needs \d+ pt of height"):
        render_cover_pdf(dataclasses.replace(SEED, subject="monitoring " * 3000))


def test_word_wider_than_its_column_raises_layout_error() -> None:
    with pytest.raises(CoverLayoutError, match="wider than its column"):
        render_cover_pdf(dataclasses.replace(SEED, codes=("X" * 120,)))


def test_layout_error_is_a_value_error() -> None:
    assert issubclass(CoverLayoutError, ValueError)


def test_png_preview(tmp_path: Path) -> None:
    picture = render_cover_png(SEED, dpi=40)
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")


# --- wording ----------------------------------------------------------------------


def test_full_declassification_title_and_closing() -> None:
    text = text_of(render_cover_pdf(dataclasses.replace(SEED, partial=False)))
    assert "DECLASSIFICATION" in text
    assert "PARTIAL" not in text
    assert "Delegations will find attached the declassified version of the" in text


def test_french_cover() -> None:
    data = dataclasses.replace(SEED, issuer="CONSEIL DE L'UNION EUROPÉENNE", place="Bruxelles", language="fr")
    assert_in_order(
        text_of(render_cover_pdf(data)),
        [
            "CONSEIL DE L'UNION EUROPÉENNE",
            "Bruxelles, le 19 mars 2013",
            "16014/12 ADD 1 REV 2 EXT 1",
            "DÉCLASSIFICATION PARTIELLE",
            "du document :",
            "en date du :",
            "23 novembre 2012",
            "nouveau statut :",
            "Objet :",
            "Les délégations trouveront ci-joint la version partiellement déclassifiée du document cité en objet.",
        ],
    )


def test_french_full_title() -> None:
    data = dataclasses.replace(SEED, partial=False, language="fr")
    text = text_of(render_cover_pdf(data))
    assert "DÉCLASSIFICATION" in text and "PARTIELLE" not in text


@pytest.mark.parametrize(
    ("dated", "printed"),
    [
        ("2012-11-23", "23 November 2012"),
        (datetime.date(2012, 11, 23), "23 November 2012"),
        ("23 novembre 2012", "23 November 2012"),
        ("late November 2012", "late November 2012"),
    ],
)
def test_dated_is_printed_long_or_as_given(dated: str | datetime.date, printed: str) -> None:
    html = cover_html(dataclasses.replace(SEED, dated=dated))
    assert f'<td class="value">{printed}</td>' in html


def test_iso_dated_reaches_the_pdf_in_long_form() -> None:
    text = text_of(render_cover_pdf(dataclasses.replace(SEED, dated="2012-11-23")))
    assert "dated: 23 November 2012" in text


def test_values_are_html_escaped() -> None:
    data = dataclasses.replace(SEED, subject="Tom & Jerry <b>not bold</b>")
    assert "Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt;" in cover_html(data)
    assert "Tom & Jerry <b>not bold</b>" in text_of(render_cover_pdf(data))


def test_empty_new_status_defaults_to_public_label() -> None:
    html = cover_html(dataclasses.replace(SEED, new_status="", language="fr"))
    assert ">Public<" in html


def test_unknown_language_lists_the_known_ones() -> None:
    with pytest.raises(KeyError) as error:
        labels_for("de")
    assert "'de'" in str(error.value)
    assert all(code in str(error.value) for code in ("en", "fr"))
    with pytest.raises(KeyError, match="known languages: en, fr"):
        dataclasses.replace(SEED, language="de")


# --- the template -----------------------------------------------------------------


def test_custom_template_dir(tmp_path: Path) -> None:
    (tmp_path / "cover.html.j2").write_text(
        "<p>{{ labels.partial_title if partial else labels.full_title }} {{ number }}</p>",
        encoding="utf-8",
    )
    text = text_of(render_cover_pdf(SEED, template_dir=tmp_path))
    assert text == "PARTIAL DECLASSIFICATION 16014/12 ADD 1 REV 2 EXT 1"


def test_template_dir_without_cover_template(tmp_path: Path) -> None:
    with pytest.raises(CoverTemplateError, match=r"cover\.html\.j2"):
        render_cover_pdf(SEED, template_dir=tmp_path)


def test_template_with_unknown_variable(tmp_path: Path) -> None:
    (tmp_path / "cover.html.j2").write_text("<p>{{ numbr }}</p>", encoding="utf-8")
    with pytest.raises(CoverTemplateError, match="numbr"):
        render_cover_pdf(SEED, template_dir=tmp_path)


def test_template_with_syntax_error_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "cover.html.j2").write_text("<p>\n{% if %}</p>", encoding="utf-8")
    with pytest.raises(CoverTemplateError, match=r"cover\.html\.j2:2:"):
        render_cover_pdf(SEED, template_dir=tmp_path)


def test_template_expression_error_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "cover.html.j2").write_text("<p>{{ 1 / 0 }}</p>", encoding="utf-8")
    with pytest.raises(CoverTemplateError, match="ZeroDivisionError"):
        render_cover_pdf(SEED, template_dir=tmp_path)


def test_cover_errors_are_input_errors() -> None:
    from redactor.errors import ExitCode, InputError

    assert issubclass(CoverLayoutError, InputError)
    assert issubclass(CoverTemplateError, InputError)
    assert CoverLayoutError("x").exit_code == ExitCode.BAD_INPUT


def test_ligature_cmap_rewrite_handles_ranges_arrays_and_chars() -> None:
    from redactor.render.ligatures import _decompose_cmap

    cmap = (
        b"/CIDInit /ProcSet findresource begin\nbegincmap\n"
        b"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        b"2 beginbfrange\n<0001> <0002> <0041>\n<0010> <0011> [<FB01> <0062>]\nendbfrange\n"
        b"1 beginbfchar\n<0020> <FB03>\nendbfchar\n"
        b"endcmap\nend\n"
    )
    new = _decompose_cmap(cmap)
    assert new is not None
    assert b"<0010> <00660069>" in new  # fi
    assert b"<0011> <0062>" in new
    assert b"<0001> <0041>" in new and b"<0002> <0042>" in new
    assert b"<0020> <006600660069>" in new  # ffi
    assert new.startswith(b"/CIDInit") and new.rstrip().endswith(b"endcmap\nend")
    assert _decompose_cmap(new) is None  # nothing left to rewrite


# --- cover data -------------------------------------------------------------------


def test_new_number() -> None:
    assert new_number("16014/12 ADD 1 REV 2", 1) == "16014/12 ADD 1 REV 2 EXT 1"
    assert new_number(" 16014/12  ADD 1 ", 3) == "16014/12 ADD 1 EXT 3"
    with pytest.raises(ValueError):
        new_number("16014/12", 0)


def test_cover_data_checks_its_fields() -> None:
    with pytest.raises(TypeError):
        dataclasses.replace(SEED, release_date="19 March 2013")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        dataclasses.replace(SEED, extract=0)
    with pytest.raises(TypeError):
        dataclasses.replace(SEED, codes="JAI 778")  # type: ignore[arg-type]
    from_list = dataclasses.replace(SEED, codes=["JAI 778"])  # type: ignore[arg-type]
    assert from_list.codes == ("JAI 778",)


# --- language tables --------------------------------------------------------------


def test_every_language_fills_every_label() -> None:
    assert set(SUPPORTED_LANGUAGES) == set(LABELS) == {"en", "fr"}
    for labels in LABELS.values():
        for field in dataclasses.fields(Labels):
            assert getattr(labels, field.name), field.name
        assert len(labels.months) == 12
        labels.page.format(page=3)
        labels.pages.format(first=23, last=36)
        labels.tail_page.format(page=107)
        labels.condensed_note.format(first=17, last=22)


def test_english_placeholder_defaults_match_the_design() -> None:
    en = labels_for("en")
    assert en.inline == "NOT DECLASSIFIED"
    assert en.page.format(page=5) == "Page 5: NOT DECLASSIFIED"
    assert en.pages.format(first=23, last=36) == "Pages 23 through 36: NOT DECLASSIFIED"
    assert en.tail == "NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT"
    assert en.tail_page.format(page=107) == "(page 107)"
    assert en.condensed_note.format(first=17, last=22) == "( following table covers pages 17 through 22 )"


def test_french_placeholder_defaults() -> None:
    fr = labels_for("fr")
    assert fr.pages.format(first=23, last=36) == "Pages 23 à 36 : NON DÉCLASSIFIÉES"
    assert fr.page.format(page=5) == "Page 5 : NON DÉCLASSIFIÉ"


def test_labels_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        labels_for("en").inline = "x"  # type: ignore[misc]


def test_labels_for_ignores_case_and_space() -> None:
    assert labels_for(" FR ") is LABELS["fr"]


# --- dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2013-03-19", datetime.date(2013, 3, 19)),
        (datetime.date(2013, 3, 19), datetime.date(2013, 3, 19)),
        (datetime.datetime(2013, 3, 19, 10, 30), datetime.date(2013, 3, 19)),
        ("19 March 2013", datetime.date(2013, 3, 19)),
        ("  19  march   2013 ", datetime.date(2013, 3, 19)),
        ("19 mars 2013", datetime.date(2013, 3, 19)),
        ("1er mars 2013", datetime.date(2013, 3, 1)),
        ("le 1er mars 2013", datetime.date(2013, 3, 1)),
        ("19 février 2013", datetime.date(2013, 2, 19)),
        ("19 FEVRIER 2013", datetime.date(2013, 2, 19)),
        ("15 août 2013", datetime.date(2013, 8, 15)),
        ("19.03.2013", datetime.date(2013, 3, 19)),
        ("31 February 2013", None),
        ("2013-02-30", None),
        ("19 Marchember 2013", None),
        ("next Tuesday", None),
        ("", None),
        (20130319, None),
    ],
)
def test_parse_date(value: object, expected: datetime.date | None) -> None:
    assert parse_date(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "language", "expected"),
    [
        (datetime.date(2013, 3, 19), "en", "19 March 2013"),
        (datetime.date(2013, 3, 19), "fr", "19 mars 2013"),
        (datetime.date(2013, 3, 1), "en", "1 March 2013"),
        (datetime.date(2013, 3, 1), "fr", "1er mars 2013"),
        (datetime.date(2012, 12, 2), "fr", "2 décembre 2012"),
    ],
)
def test_long_date(d: datetime.date, language: str, expected: str) -> None:
    assert long_date(d, language) == expected
    assert parse_date(expected) == d


def test_number_suffix_date() -> None:
    assert number_suffix_date(datetime.date(2013, 3, 19)) == "19.03.2013"
    assert number_suffix_date(datetime.date(2013, 1, 5)) == "05.01.2013"
