"""Reading a content stream for rewriting: damage refuses it, other warnings do not."""

from __future__ import annotations

import warnings

import pikepdf
import pytest

from redactor.render.contentstream import parsed_content


def test_a_whole_stream_is_read() -> None:
    instructions = parsed_content(b"BT /F1 12 Tf 72 700 Td (Released) Tj ET")
    assert instructions is not None
    assert [str(i.operator) for i in instructions] == ["BT", "Tf", "Td", "Tj", "ET"]


def test_a_stream_cut_in_the_middle_of_an_operator_is_refused() -> None:
    assert parsed_content(b"BT /F1 12 Tf (Relea") is None


def test_a_warning_from_elsewhere_during_the_parse_is_not_damage(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file closed by the collector (a ResourceWarning) while parsing once refused a sound page."""
    parse = pikepdf.parse_content_stream

    def parse_while_another_warning_is_raised(stream: pikepdf.Stream) -> list[object]:
        warnings.warn("unclosed file <_io.TextIOWrapper name='/proc/self/status'>", ResourceWarning, stacklevel=1)
        return list(parse(stream))

    monkeypatch.setattr(pikepdf, "parse_content_stream", parse_while_another_warning_is_raised)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        instructions = parsed_content(b"BT /F1 12 Tf (Released) Tj ET")
    assert instructions is not None and len(instructions) == 4
    assert [w.category for w in seen] == [ResourceWarning]  # raised again, not swallowed
