"""Text rendition, condensed ranges, conceal: line and the cover in front of the extract."""

from __future__ import annotations

from pathlib import Path

import pymupdf
from typer.testing import CliRunner

from redactor.cli.app import app
from redactor.plan.decide import decide
from redactor.render.text import render_markdown
from redactor.rules.parse import parse_rules
from redactor.source.load import load_document
from tests.builders import RULES_HEAD, pages_text, rules_text, text_of, write_rules

runner = CliRunner()


def test_markdown_has_headings_placeholders_and_page_notes(source_pdf: Path, tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path,
        "- {id: s, release: {section: '^1\\. Intro'}}\n"
        "- {id: t, withhold: {text: 'Operation [A-Z][a-z]+'}}\n"
        "- {id: h, release: {block: '^2\\.1 Public'}}",
    )
    plan = decide(load_document(source_pdf), parse_rules(rules))
    md = render_markdown(plan)
    assert "## 1. Introduction" in md
    assert "mentions **NOT DECLASSIFIED** by name." in md
    assert "**Page 2: NOT DECLASSIFIED**" in md
    assert "**NOT DECLASSIFIED FROM THIS POINT UNTIL THE END OF THE DOCUMENT**" in md
    assert "**(page 6)**" in md
    assert "Nightjar" not in md and "SECRETBRAVO" not in md
    assert "RESTREINT" not in md  # furniture is not part of the text rendition


def _table_document(path: Path) -> Path:
    doc = pymupdf.open()
    for n in range(1, 4):
        page = doc.new_page()
        y = 80.0
        for row in range(3):
            goal = f"Strategic Goal {n}.{row}: public goal statement {n}{row}."
            page.draw_rect(pymupdf.Rect(60, y, 300, y + 60))
            page.draw_rect(pymupdf.Rect(300, y, 540, y + 60))
            page.insert_textbox(pymupdf.Rect(64, y + 4, 296, y + 56), goal, fontsize=10)
            page.insert_textbox(
                pymupdf.Rect(304, y + 4, 536, y + 56), f"Withheld action TABLESECRET{n}{row}.", fontsize=10
            )
            y += 80
    doc.save(path)
    return path


def test_condensed_range_relays_released_cells(tmp_path: Path) -> None:
    source = _table_document(tmp_path / "table.pdf")
    rules = write_rules(
        tmp_path, "- {id: goals, release: {block: '^Strategic Goal'}}\n- {id: table, condense: {pages: '1-3'}}"
    )
    out = tmp_path / "out.pdf"
    md = tmp_path / "out.md"
    result = runner.invoke(app, ["apply", str(source), str(rules), "-o", str(out), "--markdown", str(md), "-q"])
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "( following table covers pages 1 through 3 )" in text
    for n in range(1, 4):
        for row in range(3):
            assert f"public goal statement {n}{row}." in text
            assert f"TABLESECRET{n}{row}" not in text
    assert len(pages_text(out)) == 2  # cover + one condensed page for three source pages
    assert "( following table covers pages 1 through 3 )" in md.read_text()


def test_conceal_line_hides_the_whole_line(source_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        rules_text(
            "- {id: s, release: {section: '^1\\. Intro'}}\n"
            "- {id: t, withhold: {text: 'Operation [A-Z][a-z]+'}, conceal: line}"
        )
    )
    plan = decide(load_document(source_pdf), parse_rules(path))
    words = {w.text: w.id for w in plan.document.words}
    assert plan.verdicts[words["mentions"]].withheld
    assert words["mentions"] in plan.collateral
    assert not plan.verdicts[words["Closing"]].withheld


def test_verify_warns_about_measurable_widths(source_pdf: Path, tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path, "- {id: s, release: {section: '^1\\. Intro'}}\n- {id: t, withhold: {text: 'Operation [A-Z][a-z]+'}}"
    )
    out = tmp_path / "out.pdf"
    assert runner.invoke(app, ["apply", str(source_pdf), str(rules), "-o", str(out), "-q"]).exit_code == 0
    args = ["verify", str(out), "--source", str(source_pdf), "--rules", str(rules)]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0 and "WARNING" in plain.output and "width" in plain.output
    assert runner.invoke(app, [*args, "--strict"]).exit_code == 1


def test_french_rule_file_uses_french_placeholders(source_pdf: Path, tmp_path: Path) -> None:
    head = RULES_HEAD.replace('issuer: "TEST ISSUER"}', 'issuer: "TEST ISSUER", language: fr}')
    path = tmp_path / "r.yaml"
    path.write_text(rules_text("- {id: s, release: {section: '^1\\. Intro'}}", head))
    out = tmp_path / "out.pdf"
    assert runner.invoke(app, ["apply", str(source_pdf), str(path), "-o", str(out), "-q"]).exit_code == 0
    text = text_of(out)
    assert "DÉCLASSIFICATION PARTIELLE" in text and "NON DÉCLASSIFIÉ" in text


def test_markdown_joins_line_break_hyphenation(source_pdf: Path, tmp_path: Path) -> None:
    rules = write_rules(tmp_path, "- {id: s, release: {section: '^1\\. Intro'}}")
    md = render_markdown(decide(load_document(source_pdf), parse_rules(rules)))
    assert "It continues with an implementation detail that is released." in md


def test_released_scan_does_not_shelter_withheld_ocr_words(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 80), False)
    pix.set_rect(pix.irect, (240, 240, 230))
    page.insert_image(page.rect, pixmap=pix)
    page.insert_text((72, 100), "Public scan words and SCANSECRET here.", fontsize=11, render_mode=3)
    doc.save(tmp_path / "scan.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {pages: '1'}}\n- {id: t, withhold: {text: 'SCANSECRET'}}")
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(tmp_path / "scan.pdf"), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    text = text_of(out)
    assert "SCANSECRET" not in text and "Public scan words and" in text


def test_single_page_with_marking_header_verifies_clean(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 40), "RESTREINT UE/EU RESTRICTED", fontsize=9)
    page.insert_text((72, 100), "Public paragraph alone on its page.", fontsize=11)
    doc.save(tmp_path / "one.pdf")
    rules = write_rules(tmp_path, "- {id: p, release: {block: '^Public paragraph'}}")
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(tmp_path / "one.pdf"), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "RESTREINT" not in pages_text(out)[1]


def test_released_words_across_cells_are_not_a_leak(tmp_path: Path) -> None:
    """A withheld phrase that released cells happen to spell side by side is not a leak."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Released cell ends with alpha beta", fontsize=11)
    page.insert_text((320, 100), "gamma opens the next released cell", fontsize=11)
    page.insert_text((72, 200), "Withheld words alpha beta gamma stay out.", fontsize=11)
    doc.save(tmp_path / "cells.pdf")
    rules = write_rules(tmp_path, "- {id: r, release: {block: 'released cell'}, ignore_case: true}")
    out = tmp_path / "out.pdf"
    result = runner.invoke(app, ["apply", str(tmp_path / "cells.pdf"), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert "stay out" not in text_of(out)
