"""Opening what other readers open: empty passwords, damaged files rebuilt by qpdf and said so,
and a source whose readers disagree on its pages refused (exit 2), never released short."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import pikepdf
import pymupdf
import pypdfium2
import pytest
from typer.testing import CliRunner, Result

from redactor.cli.app import app
from redactor.errors import SourceError
from redactor.source import opening
from redactor.source.load import load_document, open_pdf
from tests.builders import rules_text

PAGES = 4
HEAD = """\
version: 1
document: {number: "TEST 1/26", dated: 2026-01-05, classification: "RESTREINT UE/EU RESTRICTED", subject: "Test"}
release: {extract: 1, date: 2026-02-01, place: Brussels, issuer: "TEST ISSUER"}
"""
RULES = "- {id: all, release: {block: '^Paragraph of page'}}"


def marker(number: int) -> str:
    return f"Paragraph of page {number} marker{'QWXYZ'[number - 1]}"


def well_formed() -> bytes:
    """A PDF of PAGES pages, each with its own marker text, without object streams (easy to damage)."""
    doc = pymupdf.open()
    for number in range(1, PAGES + 1):
        doc.new_page().insert_text((72, 100), marker(number), fontsize=11)
    return doc.tobytes()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def encrypted(**encryption: Any) -> bytes:
    """The well-formed PDF encrypted by qpdf with an owner password and the given user password."""
    with pikepdf.open(io.BytesIO(well_formed())) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="owner-secret", **encryption))
    return buffer.getvalue()


def broken_startxref(data: bytes) -> bytes:
    """The file with its startxref offset pointing nowhere (same length: nothing else moves)."""
    found = re.search(rb"startxref\s+(\d+)", data)
    assert found is not None
    return data[: found.start(1)] + b"9" * len(found.group(1)) + data[found.end(1) :]


def broken_xref_offsets(data: bytes) -> bytes:
    """The file with every in-use xref entry's offset overwritten with 1 (same length)."""
    head, _, table = data.rpartition(b"\nxref\n")
    return head + b"\nxref\n" + re.sub(rb"\d{10} 00000 n", b"0000000001 00000 n", table)


def page_tree(data: bytes, old: bytes, new: bytes) -> bytes:
    """The file with one page-tree token replaced, padded to the same length."""
    assert old in data and len(new) <= len(old)
    return data.replace(old, new.ljust(len(old)), 1)


def kids(data: bytes) -> bytes:
    found = re.search(rb"/Kids\s*\[[^\]]*\]", data)
    assert found is not None
    return found.group(0)


def apply(source: Path, tmp_path: Path, *extra: str) -> tuple[Result, Path, Path]:
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules_text(RULES, HEAD), encoding="utf-8")
    out, audit = tmp_path / "out.pdf", tmp_path / "audit.json"
    result = CliRunner().invoke(
        app, ["apply", str(source), str(rules), "-o", str(out), "--audit", str(audit), "-q", *extra]
    )
    return result, out, audit


def pdfium_text(path: Path) -> str:
    """Every page's text, read by PDFium (not by PyMuPDF, which made the extract)."""
    doc = pypdfium2.PdfDocument(str(path))
    try:
        return " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def assert_released_whole(source: Path, result: Result, out: Path, audit: Path) -> list[str]:
    """Exit 0, every source page's text in the extract, and the repairs the audit carries (as printed)."""
    assert result.exit_code == 0, result.output
    text = pdfium_text(out)
    assert all(marker(n) in text for n in range(1, PAGES + 1)), text
    with pikepdf.open(out) as pdf:
        assert not pdf.is_encrypted
    repairs: list[str] = json.loads(audit.read_text(encoding="utf-8"))["source_repairs"]
    for repair in repairs:
        assert f"warning: {source}: {repair}\n" in result.stderr
    return repairs


# Empty user passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encryption", "cipher"),
    [
        ({"R": 6}, "AES-256"),
        ({"R": 4, "aes": True}, "AES-128"),
        ({"R": 3, "aes": False, "metadata": False}, "RC4 128-bit"),
    ],
)
def test_an_empty_user_password_opens_without_password_and_is_reported(
    tmp_path: Path, encryption: dict[str, Any], cipher: str
) -> None:
    source = write(tmp_path, "enc.pdf", encrypted(user="", **encryption))
    result, out, audit = apply(source, tmp_path)
    repairs = assert_released_whole(source, result, out, audit)
    assert repairs == [f"encrypted ({cipher}) with an empty user password: opened without one, as any reader opens it"]
    assert f"warning: {source}: encrypted ({cipher})" in result.stderr


def _mupdf_cannot_decrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """MuPDF as some builds behave on AES files: a password needed, and none accepted."""
    monkeypatch.setattr(
        pymupdf.Document, "needs_pass", property(lambda self: bool((self.metadata or {}).get("encryption")))
    )
    monkeypatch.setattr(pymupdf.Document, "authenticate", lambda self, password: 0)


def test_an_empty_password_mupdf_refuses_is_decrypted_by_qpdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _mupdf_cannot_decrypt(monkeypatch)
    source = write(tmp_path, "enc.pdf", encrypted(user="", R=6))
    result, out, audit = apply(source, tmp_path)
    repairs = assert_released_whole(source, result, out, audit)
    assert repairs == [
        "encrypted (AES-256) with an empty user password, which MuPDF could not open: decrypted by qpdf "
        "(MuPDF read nothing, qpdf 4; the extract is made from qpdf's rewrite)"
    ]


def test_a_given_password_mupdf_refuses_is_tried_with_qpdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _mupdf_cannot_decrypt(monkeypatch)
    source = write(tmp_path, "enc.pdf", encrypted(user="user-pw", R=6))
    result, out, audit = apply(source, tmp_path, "--password", "user-pw")
    repairs = assert_released_whole(source, result, out, audit)
    assert len(repairs) == 1 and repairs[0].startswith("encrypted (AES-256) with the password given")
    (tmp_path / "wrong").mkdir()
    result, wrong, _ = apply(source, tmp_path / "wrong", "--password", "wrong")
    assert result.exit_code == 5 and "the password given does not open it" in result.output
    assert not wrong.exists()


def test_an_encryption_dictionary_mupdf_cannot_read_is_opened_by_qpdf(tmp_path: Path) -> None:
    """A key length that is not a whole number of bytes: MuPDF gives up, qpdf reads the file."""
    data = encrypted(user="", R=3, aes=False, metadata=False)
    assert b"/Length 128" in data
    source = write(tmp_path, "odd-key.pdf", data.replace(b"/Length 128", b"/Length 127", 1))
    with pytest.raises(Exception):  # noqa: B017 - the premise: MuPDF alone cannot open it
        pymupdf.open(source)
    result, out, audit = apply(source, tmp_path)
    repairs = assert_released_whole(source, result, out, audit)
    assert re.match(r"encrypted \(RC4 \d+-bit\) with an empty user password: opened without one", repairs[0])
    assert repairs[1] == (
        "MuPDF could not open the file: it was rebuilt by qpdf (MuPDF read nothing, qpdf 4; "
        "the extract is made from qpdf's rewrite)"
    )
    assert str(source) not in audit.read_text(encoding="utf-8")  # the public log names no path


# Damaged files rebuilt by qpdf ----------------------------------------------------------


@pytest.mark.parametrize(("damage", "complaint"), [(broken_startxref, "xref not found"), (broken_xref_offsets, "")])
def test_a_damaged_cross_reference_table_is_rebuilt_and_reported(tmp_path: Path, damage: Any, complaint: str) -> None:
    original = damage(well_formed())
    source = write(tmp_path, "damaged.pdf", original)
    with pymupdf.open(source) as doc:
        assert doc.is_repaired  # the premise: MuPDF has to repair it
    result, out, audit = apply(source, tmp_path)
    repairs = assert_released_whole(source, result, out, audit)
    assert len(repairs) == 1
    assert repairs[0].startswith("the cross-reference table was damaged")
    assert repairs[0].endswith(
        "and was rebuilt by qpdf (MuPDF read 4 pages, qpdf 4; the extract is made from qpdf's rewrite)"
    )
    assert complaint in repairs[0]
    assert f"warning: {source}: the cross-reference table was damaged" in result.stderr
    assert load_document(source).fingerprint == hashlib.sha256(original).hexdigest()


@pytest.mark.parametrize("count", [b"2", b"9"])
def test_a_page_count_the_page_tree_belies_is_read_from_the_tree(tmp_path: Path, count: bytes) -> None:
    """MuPDF (and PDFium) trust /Count: 2 would drop two pages from the extract, 9 would crash it."""
    source = write(tmp_path, "count.pdf", page_tree(well_formed(), b"/Count 4", b"/Count " + count))
    result, out, audit = apply(source, tmp_path)
    repairs = assert_released_whole(source, result, out, audit)
    assert repairs == [
        f"the page tree was inconsistent: the file was rebuilt by qpdf (MuPDF read {int(count)} pages, qpdf 4; "
        "the extract is made from qpdf's rewrite)"
    ]


def test_the_audit_command_prints_repairs_and_its_html_lists_them(tmp_path: Path) -> None:
    source = write(tmp_path, "damaged.pdf", broken_startxref(well_formed()))
    rules = tmp_path / "rules.yaml"
    rules.write_text(rules_text(RULES, HEAD), encoding="utf-8")
    result = CliRunner().invoke(app, ["audit", str(source), str(rules), "-o", str(tmp_path / "log.html"), "-q"])
    assert result.exit_code == 0, result.output
    assert f"warning: {source}: the cross-reference table was damaged" in result.stderr
    html = (tmp_path / "log.html").read_text(encoding="utf-8")
    assert 'id="source-repairs"' in html and "rebuilt by qpdf" in html


# Refusals -------------------------------------------------------------------------------


def test_a_page_tree_qpdf_cannot_walk_is_refused(tmp_path: Path) -> None:
    """A page tree that contains itself: MuPDF counts 4 pages (and fails on the fourth), qpdf finds a loop."""
    data = well_formed()
    looped = kids(data).replace(re.findall(rb"\d+ 0 R", kids(data))[-1], b"2 0 R")
    assert b"2 0 obj\n<</Type/Pages" in data  # the page tree root the loop points back to
    source = write(tmp_path, "loop.pdf", page_tree(data, kids(data), looped))
    result, out, _ = apply(source, tmp_path)
    assert result.exit_code == 3, result.output
    refusal = f"{source}: is damaged and its readers disagree on its pages: MuPDF reads 4 pages, qpdf cannot read it ("
    assert refusal in result.output
    assert "it would be released with pages missing." in result.output and "Hint: repair the file" in result.output
    assert not out.exists()


def test_a_rewrite_read_with_other_pages_than_qpdf_sees_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = pymupdf.open()
    doc.new_page()
    monkeypatch.setattr(opening, "_rewrite", lambda path, password: doc.tobytes())
    source = write(tmp_path, "damaged.pdf", broken_startxref(well_formed()))
    with pytest.raises(SourceError) as refused:
        open_pdf(source)
    assert refused.value.message == (
        "is damaged and its readers disagree on its pages: MuPDF reads 4 pages, qpdf reads 4 pages, "
        "MuPDF reads 1 page in qpdf's rewrite; it would be released with pages missing."
    )


def test_a_truncated_file_is_still_refused_for_its_lost_pages(tmp_path: Path) -> None:
    data = well_formed()
    source = write(tmp_path, "cut.pdf", data[: data.rindex(b"stream")])  # the last page's content is cut off
    with pytest.raises(SourceError) as refused:
        open_pdf(source)
    assert "is damaged: the content of 1 of its 4 pages is missing from the file (pages 4)" in refused.value.message


# The common path ------------------------------------------------------------------------


def test_a_well_formed_file_is_opened_from_its_path_and_reports_nothing(tmp_path: Path) -> None:
    source = write(tmp_path, "fine.pdf", well_formed())
    doc, repairs = opening.open_source(source)
    with doc:
        assert doc.name == str(source) and doc.page_count == PAGES and not doc.is_repaired
    assert repairs == ()
    assert load_document(source).repairs == ()


def test_each_file_state_is_examined_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    read = opening._qpdf_reading
    monkeypatch.setattr(opening, "_qpdf_reading", lambda path, password: calls.append(path) or read(path, password))
    source = write(tmp_path, "damaged.pdf", broken_startxref(well_formed()))
    for _ in range(3):
        with open_pdf(source) as doc:
            assert doc.page_count == PAGES
    assert len(calls) == 1
    source.write_bytes(well_formed() + b"\n")  # changed in place: examined again
    open_pdf(source).close()
    assert len(calls) == 2


def test_opening_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """qpdf logs some complaints instead of returning them; the library must not print them."""
    data = well_formed()
    last = re.findall(rb"\d+ 0 R", kids(data))[-1]
    source = write(tmp_path, "int-kid.pdf", page_tree(data, kids(data), kids(data).replace(last, b"7")))
    _, repairs = opening.open_source(source)
    assert capfd.readouterr() == ("", "")
    assert repairs and "qpdf: Pages tree includes non-dictionary object; ignoring" in repairs[0]
