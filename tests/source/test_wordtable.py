"""The word table: columns in, the same words out, whichever way they are read."""

from __future__ import annotations

import pickle
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from redactor.source.load import load_document
from redactor.source.model import Word, WordTable

SAMPLE = Path(__file__).parents[2] / "samples" / "16014-12-add1-rev2.pdf"


@pytest.fixture(scope="module")
def words() -> WordTable:
    return load_document(SAMPLE).words


def test_a_word_is_its_row_of_every_column(words: WordTable) -> None:
    for i in (0, 1, len(words) // 2, len(words) - 1):
        word = words[i]
        assert isinstance(word, Word) and word.id == i
        assert (word.page, word.block, word.line) == (words.pages[i], words.blocks[i], words.lines[i])
        assert (word.text, word.start, word.end) == (words.texts[i], words.starts[i], words.ends[i])
        assert (word.size, word.bold) == (words.sizes[i], bool(words.bold[i]))
        assert word.rect == words.rect(i) == Word(i, 1, 0, 0, "", 0, 0, 1.0, False, words.coords).rect


def test_indexing_slicing_and_iterating_agree(words: WordTable) -> None:
    assert words[-1] == words[len(words) - 1]
    assert words[3:7] == tuple(words[i] for i in range(3, 7))
    assert [w.id for w in words] == list(range(len(words)))
    with pytest.raises(IndexError):
        words[len(words)]


def test_the_table_survives_pickling_whole(words: WordTable) -> None:
    """Worker processes receive it pickled: every column must come back."""
    again = pickle.loads(pickle.dumps(words))
    assert again == words and again is not words
    assert list(again) == list(words)


def test_the_words_are_the_page_text_pdfium_reads(words: WordTable) -> None:
    """Read by another engine: each page's words, in order, are in PDFium's text of that page."""
    pdf = pdfium.PdfDocument(SAMPLE)
    for number in (1, 2, 50):
        text = " ".join(pdf[number - 1].get_textpage().get_text_range().split())
        page_words = [words.texts[i] for i in range(len(words)) if words.pages[i] == number]
        assert page_words
        found = sum(word.replace("\u00ad", "") in text for word in page_words)
        assert found >= 0.95 * len(page_words), (number, found, len(page_words))
