"""The adversarial corpus and the leak checker check each other.

A leak checker that cannot fail is worthless, and so is one that always fails: every
canary must be found in its source and in a box-only "redaction" of it, and nothing
must be found in a clean rebuild holding only the released text or in another case.
"""

from __future__ import annotations

import ast
import hashlib
import re
import zlib
from pathlib import Path

import pymupdf
import pytest
import yaml

try:
    from tests.adversarial.corpus import Case, build_cases, cached_cases, case_names, get_case
    from tests.adversarial.fake_redaction import box_only
    from tests.adversarial.leakcheck import (
        count_revisions,
        find_canaries,
        find_colour_paths,
        find_leaks,
        image_md5s,
        normalise,
        page_texts,
    )
except ImportError:  # tests/ itself on sys.path (pytest rootdir-less import)
    from adversarial.corpus import Case, build_cases, cached_cases, case_names, get_case
    from adversarial.fake_redaction import box_only
    from adversarial.leakcheck import (
        count_revisions,
        find_canaries,
        find_colour_paths,
        find_leaks,
        image_md5s,
        normalise,
        page_texts,
    )

NAMES = case_names()

SELECTOR_KEYS = {
    "pages",
    "section",
    "level",
    "block",
    "from",
    "to",
    "text",
    "region",
    "images",
    "within",
}
RULE_KEYS = {"id", "release", "withhold", "condense", "reason", "ignore_case", "optional"}


def _all_canaries() -> list[str]:
    return [c for case in cached_cases() for c in case.canaries]


def _missing(case: Case, pdf: bytes) -> list[str]:
    """Markers of ``case`` (canaries, image md5s, colours) that the checker cannot see."""
    findings = find_leaks(pdf, case)
    seen = {f.canary for f in findings}
    missing = [c for c in case.canaries if c not in seen]
    missing += [f"image md5 {h}" for h in case.withheld_image_md5s if f"image md5 {h}" not in seen]
    colours = {f.canary for f in find_colour_paths(pdf, case.withheld_fill_colors)}
    if len(colours) < len(case.withheld_fill_colors):
        missing.append(f"colours {case.withheld_fill_colors} (found {sorted(colours)})")
    return missing


# ---------------------------------------------------------------------------------------
# the corpus itself


def test_case_names_and_canaries_are_unique() -> None:
    assert len(NAMES) == len(set(NAMES))
    canaries = _all_canaries()
    assert len(canaries) == len(set(canaries))
    for a in canaries:
        assert a.startswith("CANARY-")
        for b in canaries:
            assert a == b or a not in b, (a, b)
    for case in cached_cases():
        assert case.canaries, case.name


def test_generation_is_deterministic() -> None:
    again = build_cases()
    assert [c.name for c in again] == NAMES
    for first, second in zip(cached_cases(), again, strict=True):
        assert first.pdf_bytes == second.pdf_bytes, first.name
        assert first == second, first.name


@pytest.mark.parametrize("name", NAMES)
def test_rule_file_is_a_minimal_valid_version_1_file(name: str) -> None:
    case = get_case(name)
    data = yaml.safe_load(case.rules_yaml)
    assert data["version"] == 1
    assert data["default"] == "withhold"
    assert {"number", "dated", "classification", "subject"} <= set(data["document"])
    assert {"extract", "date", "place", "issuer", "new_status"} <= set(data["release"])
    rules = data["rules"]
    assert rules[0] == {"id": "public-para", "release": {"block": "^Public paragraph"}}
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for rule in rules:
        assert set(rule) <= RULE_KEYS, rule
        actions = [k for k in ("release", "withhold", "condense") if k in rule]
        assert len(actions) == 1, rule
        selector = rule[actions[0]]
        assert set(selector) <= SELECTOR_KEYS, rule
        for key in ("block", "text", "section", "from", "to", "within"):
            if key in selector:
                re.compile(selector[key])
        if "text" in selector:  # a span rule must hit its canary (no rule may match nothing)
            assert any(re.search(selector["text"], c) for c in case.canaries), rule
        if "region" in selector:
            x0, y0, x1, y1 = selector["region"]
            assert x0 < x1 and y0 < y1 and "pages" in selector
            assert [x0, y0, x1, y1] == list(case.withheld_rects[1][0])
    pdf = pymupdf.open(stream=case.pdf_bytes)
    for pno, rects in case.withheld_rects.items():
        assert 1 <= pno <= pdf.page_count
        for x0, y0, x1, y1 in rects:
            assert x0 < x1 and y0 < y1


@pytest.mark.parametrize("name", NAMES)
def test_released_text_is_in_the_source_page_text(name: str) -> None:
    case = get_case(name)
    text = normalise(page_texts(case.pdf_bytes)[0])
    for released in case.released:
        assert normalise(released) in text, (released, text)


# ---------------------------------------------------------------------------------------
# the checker must fail where it should


@pytest.mark.parametrize("name", NAMES)
def test_checker_finds_every_canary_in_the_source(name: str) -> None:
    case = get_case(name)
    assert _missing(case, case.pdf_bytes) == []
    assert set(case.withheld_image_md5s) <= image_md5s(case.pdf_bytes)


@pytest.mark.parametrize("name", NAMES)
def test_checker_finds_every_canary_under_black_boxes(name: str) -> None:
    case = get_case(name)
    boxed = box_only(case.pdf_bytes, case.withheld_rects)
    assert boxed.startswith(case.pdf_bytes)  # an incremental update: nothing removed
    if case.withheld_rects:
        assert boxed != case.pdf_bytes
        assert count_revisions(boxed) == count_revisions(case.pdf_bytes) + 1
    assert _missing(case, boxed) == []


def test_checker_sees_through_revisions_kerning_and_cid_fonts() -> None:
    """The hard surfaces are found by the right reading, not by luck."""
    incr = get_case("incremental-update")
    assert count_revisions(incr.pdf_bytes) == 2
    assert incr.canaries[0] not in normalise(" ".join(page_texts(incr.pdf_bytes)))
    assert any(f.where.startswith("revision 1 of 2") for f in find_leaks(incr.pdf_bytes, incr))

    tj = get_case("tj-kerning")
    wheres = {f.where for f in find_canaries(tj.pdf_bytes, tj.canaries)}
    byte_level = [w for w in wheres if w.startswith("raw bytes") or "stream" in w]
    assert byte_level == [], byte_level  # split by kerning: only the joined text shows it
    assert "page 1 content text (joined)" in wheres

    cid = get_case("cid-font")
    wheres = {f.where for f in find_canaries(cid.pdf_bytes, cid.canaries)}
    assert wheres == {"page 1 content text (joined)", "page 1 text (pdfminer)"}


def _raw_pdf(objects: list[bytes], unlisted: bytes = b"") -> bytes:
    """A hand-written PDF; ``unlisted`` bytes sit before the xref but are not in it."""
    out = b"%PDF-1.7\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    out += unlisted
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def test_checker_reads_escaped_split_and_unreferenced_spellings() -> None:
    utf16 = "CANARY-U16-1".encode("utf-16-be").hex().upper().encode()
    content = (
        b"BT /F1 9 Tf 72 700 Td (CANARY-) Tj ET\n"
        b"BT /F1 9 Tf 140 700 Td [(SPL) 120 (IT-1)] TJ ET\n"
        b"q 10 0 0 10 72 500 cm BI /W 4 /H 2 /CS /G /BPC 8 ID abcdefgh EI Q\n"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Probe << /CANARY#2DNAME#2D1 true"
        b" /Hex <" + b"CANARY-HEX-1".hex().encode() + b">"
        b" /Oct (\\103ANARY-OCT-1) /U16 <FEFF" + utf16 + b"> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(b"note CANARY-LOOSE-1"),  # in the xref, reached by nothing
    ]
    unlisted = b"7 0 obj\n" + _stream(b"note CANARY-HIDDEN-1") + b"\nendobj\n"
    pdf = _raw_pdf(objects, unlisted)
    canaries = [
        "CANARY-NAME-1", "CANARY-HEX-1", "CANARY-OCT-1", "CANARY-U16-1",
        "CANARY-SPLIT-1", "CANARY-LOOSE-1", "CANARY-HIDDEN-1",
    ]  # fmt: skip
    findings = find_canaries(pdf, canaries)
    assert {f.canary for f in findings} == set(canaries)
    wheres = {c: {f.where for f in findings if f.canary == c} for c in canaries}
    assert "object 1 key" in wheres["CANARY-NAME-1"]
    assert "object 1 string" in wheres["CANARY-OCT-1"]
    assert "page 1 content text (joined)" in wheres["CANARY-SPLIT-1"]
    assert any(w.startswith("inflated stream") for w in wheres["CANARY-HIDDEN-1"])
    assert "object 6 stream" in wheres["CANARY-LOOSE-1"]
    assert hashlib.md5(b"abcdefgh").hexdigest() in image_md5s(pdf)
    assert find_canaries(pdf, ["CANARY-ABSENT-1"]) == []


# ---------------------------------------------------------------------------------------
# ... and pass where it should


@pytest.mark.parametrize("name", NAMES)
def test_checker_finds_nothing_of_other_cases(name: str) -> None:
    case = get_case(name)
    others = [c for c in _all_canaries() if c not in case.canaries]
    assert find_canaries(case.pdf_bytes, others) == []
    other_md5s = {h for c in cached_cases() if c.name != name for h in c.withheld_image_md5s}
    assert not other_md5s & image_md5s(case.pdf_bytes)
    if not case.withheld_fill_colors:
        colours = {col for c in cached_cases() for col in c.withheld_fill_colors}
        assert find_colour_paths(case.pdf_bytes, colours) == []


@pytest.mark.parametrize("name", NAMES)
def test_checker_passes_a_clean_rebuild(name: str) -> None:
    case = get_case(name)
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i, released in enumerate(case.released):
        page.insert_text((72, 100 + 20 * i), released, fontname="helv", fontsize=11)
    page.insert_text((72, 200), "NOT DECLASSIFIED", fontname="helv", fontsize=11)
    page.draw_rect(pymupdf.Rect(290, 190, 480, 305), color=(0, 0, 0), width=0.5)
    clean = doc.tobytes(garbage=4, deflate=True, no_new_id=True)
    assert find_leaks(clean, case) == []
    text = normalise(page_texts(clean)[0])
    assert all(normalise(r) in text for r in case.released)


def test_leak_checker_does_not_use_pymupdf() -> None:
    source = Path(__file__).parent / "leakcheck.py"
    tree = ast.parse(source.read_text())
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module.split(".")[0])
    assert not modules & {"pymupdf", "fitz"}, modules
