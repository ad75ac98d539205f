"""Text as a reader reads it: the normalisation rules match, and what the loader builds with it.

The PDF cases record what PyMuPDF extracts from each kind of text (ligature glyphs,
invisible characters, line-end hyphens, letters drawn one by one) and check that the block
text reads as the page does while every word's offsets still point at its own letters.
"""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
import pytest

from redactor.source.load import TIGHT_GAP, load_document
from redactor.source.model import Document
from redactor.source.normalise import Piece, normalise_for_matching, normalise_pattern, reading_text
from tests.source.builders import SIZE, full_font, letter_by_letter, one_page


def read(document: Document) -> list[tuple[str, str]]:
    """Every word as extracted and the part of its block's text its offsets point at."""
    return [(w.text, document.blocks[w.block].text[w.start : w.end]) for w in document.words]


# --------------------------------------------------------------------------- the normalisation


@pytest.mark.parametrize(
    ("raw", "read_as"),
    [
        ("Ofﬁce", "Office"),
        ("eﬃcient ﬀ ﬂ ﬄ ﬅ ﬆ", "efficient ff fl ffl st st"),
        ("Night\u00adjar", "Nightjar"),
        ("Zu\u200blu X\u200cY\u200dZ\u2060W\ufeffV", "Zulu XYZWV"),
        ("10\u00a0000 km²", "10 000 km2"),
        ("Ｚｕｌｕ", "Zulu"),
        ("  plain   ascii ", "plain ascii"),
        ("\u200b", ""),
    ],
)
def test_normalise_for_matching(raw: str, read_as: str) -> None:
    assert normalise_for_matching(raw) == read_as


def test_ascii_text_is_left_as_it_is() -> None:
    text = "Operation Nightjar, co-operation (2012)"
    assert normalise_for_matching(text) == text


@pytest.mark.parametrize(
    ("pattern", "folded", "matches"),
    [
        ("Ofﬁce of Zulu", "Office of Zulu", "the Office of Zulu"),
        ("Night\u00adjar", "Nightjar", "Operation Nightjar"),
        ("（Zulu）", r"\(Zulu\)", "Operation (Zulu)"),  # full-width brackets stay literal
        ("^Plain [A-Z]+$", "^Plain [A-Z]+$", "Plain ABC"),
    ],
)
def test_patterns_are_folded_like_the_text(pattern: str, folded: str, matches: str) -> None:
    compiled = normalise_pattern(re.compile(pattern, re.IGNORECASE))
    assert compiled.pattern == folded
    assert compiled.flags & re.IGNORECASE
    assert compiled.search(normalise_for_matching(matches))


def test_reading_text_offsets_follow_length_changes() -> None:
    pieces = [Piece("The", 0, False), Piece("eﬃcient", 0, False), Piece("Ofﬁce", 0, False), Piece("ﬂed", 0, False)]
    text, spans = reading_text(pieces)
    assert text == "The efficient Office fled"
    assert [text[a:b] for a, b in spans] == ["The", "efficient", "Office", "fled"]


@pytest.mark.parametrize(
    ("pieces", "text", "shown"),
    [
        # lower- and upper-case continuations both join, the hyphen dropped
        ([("co-", 0), ("operation", 1)], "cooperation", ["co", "operation"]),
        ([("Night-", 0), ("Jar", 1)], "NightJar", ["Night", "Jar"]),
        ([("Night\u2010", 0), ("Owl", 1)], "NightOwl", ["Night", "Owl"]),
        ([("Soft\u00ad", 0), ("Hyphen", 1)], "SoftHyphen", ["Soft", "Hyphen"]),
        # not a broken word: a digit after or before, a hyphen alone, a hyphen mid-line
        ([("ISO-", 0), ("9001", 1)], "ISO- 9001", ["ISO-", "9001"]),
        ([("2012-", 0), ("2013", 1)], "2012- 2013", ["2012-", "2013"]),
        ([("well-", 0), ("-", 1), ("item", 1)], "well- - item", ["well-", "-", "item"]),
        ([("Night-", 0), ("Jar", 0)], "Night- Jar", ["Night-", "Jar"]),
    ],
)
def test_line_end_hyphenation(pieces: list[tuple[str, int]], text: str, shown: list[str]) -> None:
    joined, spans = reading_text([Piece(t, line, False) for t, line in pieces])
    assert joined == text
    assert [joined[a:b] for a, b in spans] == shown


def test_tight_pieces_join_and_a_hyphen_drawn_alone_still_joins_the_next_line() -> None:
    letters = [Piece(ch, 0, i > 0) for i, ch in enumerate("Night-")]
    text, spans = reading_text([Piece("The", 0, False), *letters, Piece("Jar", 1, False)])
    assert text == "The NightJar"
    jar = spans[-1][0]
    assert spans[-2] == (jar, jar)  # the hyphen: an empty span where "Jar" starts


def test_a_word_that_reads_as_nothing_adds_no_space() -> None:
    text, spans = reading_text([Piece("A", 0, False), Piece("\u200b", 0, False), Piece("B", 0, False)])
    assert text == "A B"
    assert spans == [(0, 1), (1, 1), (2, 3)]


# --------------------------------------------------------------------------- what the loader reads


def test_ligatures_read_as_their_letters(tmp_path: Path) -> None:
    doc = load_document(one_page(tmp_path / "lig.pdf", ["The eﬃcient Ofﬁce of Zulu ﬂed"], full_font()))
    # PyMuPDF keeps the ligature glyphs (the loader asks it to): "eﬃcient", "Ofﬁce", "ﬂed"
    assert [w.text for w in doc.words] == ["The", "eﬃcient", "Ofﬁce", "of", "Zulu", "ﬂed"]
    assert doc.blocks[0].text == "The efficient Office of Zulu fled"
    assert [shown for _, shown in read(doc)] == ["The", "efficient", "Office", "of", "Zulu", "fled"]


def test_invisible_characters_are_dropped(tmp_path: Path) -> None:
    lines = ["Operation Night\u00adjar met Zu\u200blu and X\u200cY\u200dZ\u2060W\ufeffV"]
    doc = load_document(one_page(tmp_path / "shy.pdf", lines, full_font()))
    # PyMuPDF keeps them inside the word
    assert [w.text for w in doc.words] == lines[0].split(" ")
    assert doc.blocks[0].text == "Operation Nightjar met Zulu and XYZWV"


def test_line_end_hyphens_join_whatever_the_case(tmp_path: Path) -> None:
    lines = ["The Operation Night-", "Jar was a co-", "operation with Night\u2010", "Owl and ISO-", "9001 ended."]
    doc = load_document(one_page(tmp_path / "hyphen.pdf", lines, full_font()))
    assert [w.text for w in doc.words][:4] == ["The", "Operation", "Night-", "Jar"]
    assert doc.blocks[0].text == "The Operation NightJar was a cooperation with NightOwl and ISO- 9001 ended."
    assert ("Night-", "Night") in read(doc)


def test_letters_drawn_one_by_one_read_as_words(tmp_path: Path) -> None:
    doc = load_document(letter_by_letter(tmp_path / "letters.pdf", ["The", "Secret", "file"], gap=0.2))
    # PyMuPDF splits letters drawn more than ~0.15 x size apart into one-letter words
    assert "".join(w.text for w in doc.words) == "TheSecretfile"
    assert all(len(w.text) == 1 for w in doc.words)
    assert doc.blocks[0].text == "The Secret file"
    assert [shown for _, shown in read(doc)] == list("TheSecretfile")


@pytest.mark.parametrize("gap", [0.05, 0.2, TIGHT_GAP - 0.02])
def test_letter_spacing_up_to_the_limit_reads_as_one_word(tmp_path: Path, gap: float) -> None:
    doc = load_document(letter_by_letter(tmp_path / "spaced.pdf", ["Secret"], gap, lead="Plan", tail="now"))
    assert doc.blocks[0].text == "Plan Secret now"


def test_letters_wider_apart_than_the_limit_stay_apart(tmp_path: Path) -> None:
    doc = load_document(letter_by_letter(tmp_path / "wide.pdf", ["Secret"], TIGHT_GAP + 0.05))
    assert doc.blocks[0].text == "S e c r e t"


def test_single_letters_with_typed_spaces_stay_apart(tmp_path: Path) -> None:
    """Spaces the PDF draws are word breaks, however narrow: "a b c" set with negative word spacing."""
    path = one_page(tmp_path / "tw.pdf", ["Plan a b c now"])
    with pymupdf.open(path) as pdf:
        xref = pdf[0].get_contents()[0]
        pdf.update_stream(xref, pdf.xref_stream(xref).replace(b"BT", b"BT -2 Tw", 1))  # spaces 1 pt wide
        pdf.save(tmp_path / "narrow.pdf")
    doc = load_document(tmp_path / "narrow.pdf")
    gaps = [b.rect.x0 - a.rect.x1 for a, b in zip(doc.words[1:4], doc.words[2:5], strict=True)]
    assert all(g < TIGHT_GAP * SIZE for g in gaps)
    assert doc.blocks[0].text == "Plan a b c now"
