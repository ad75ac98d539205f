"""Rules match text as a reader reads it: a name is withheld however its characters are coded.

Each case is a one-page PDF where the extracted characters of a withheld name differ from
what the page shows (see tests/source/test_normalise.py for what PyMuPDF extracts), with a
rule file that releases the page and withholds the name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from redactor.pipeline import make_plan
from redactor.plan.model import Plan
from tests.builders import write_rules
from tests.source.builders import full_font, letter_by_letter, one_page


def _rules(tmp_path: Path, pattern: str, key: str = "text") -> Path:
    return write_rules(
        tmp_path,
        f"""
        - id: page
          release: {{pages: "1"}}
        - id: name
          withhold: {{{key}: "{pattern}"}}
          reason: sec
        """,
    )


def _withheld(plan: Plan) -> list[str]:
    return [w.text for w in plan.document.words if plan.verdicts[w.id].withheld]


def _released(plan: Plan) -> list[str]:
    return [w.text for w in plan.document.words if not plan.verdicts[w.id].withheld]


def test_a_name_set_with_a_ligature_is_withheld(tmp_path: Path) -> None:
    source = one_page(tmp_path / "s.pdf", ["The eﬃcient Ofﬁce of Zulu ﬂed north."], full_font())
    plan = make_plan(source, _rules(tmp_path, "Office of Zulu"))
    assert _withheld(plan) == ["Ofﬁce", "of", "Zulu"]
    assert _released(plan) == ["The", "eﬃcient", "ﬂed", "north."]


def test_a_pattern_written_with_the_ligature_matches_too(tmp_path: Path) -> None:
    source = one_page(tmp_path / "s.pdf", ["The Office of Zulu and the Ofﬁce of Yankee."], full_font())
    plan = make_plan(source, _rules(tmp_path, "Ofﬁce of [A-Z][a-z]+"))
    assert _withheld(plan) == ["Office", "of", "Zulu", "Ofﬁce", "of", "Yankee."]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Operation Night\u00adjar left at dawn.", ["Night\u00adjar"]),
        ("Operation Night\u200bjar left at dawn.", ["Night\u200bjar"]),
        ("Operation Ni\u200cght\u200dja\u2060r\ufeff left at dawn.", ["Ni\u200cght\u200dja\u2060r\ufeff"]),
    ],
)
def test_a_name_with_invisible_characters_is_withheld(tmp_path: Path, line: str, name: list[str]) -> None:
    plan = make_plan(one_page(tmp_path / "s.pdf", [line], full_font()), _rules(tmp_path, "Nightjar"))
    assert _withheld(plan) == name
    assert _released(plan) == ["Operation", "left", "at", "dawn."]


@pytest.mark.parametrize("hyphen", ["-", "\u2010", "\u00ad"])
def test_a_name_hyphenated_across_lines_is_withheld(tmp_path: Path, hyphen: str) -> None:
    lines = [f"The team of Operation Night{hyphen}", "Jar left at dawn."]
    plan = make_plan(one_page(tmp_path / "s.pdf", lines, full_font()), _rules(tmp_path, "NightJar"))
    assert _withheld(plan) == [f"Night{hyphen}", "Jar"]
    assert _released(plan) == ["The", "team", "of", "Operation", "left", "at", "dawn."]


@pytest.mark.parametrize(
    ("lines", "pattern", "withheld"),
    [
        (["the Client-", "Specified Self pattern."], "(?<!\\\\w)Client(?!\\\\w)", ["Client-"]),
        (["an equilibrated, strongly-", "coupled system."], "(?<!\\\\w)strongly(?!\\\\w)", ["strongly-"]),
        (["an equilibrated, strongly-", "coupled system."], "coupled", ["coupled"]),
        (["an equilibrated, strongly-", "coupled system."], "stronglycoupled", ["strongly-", "coupled"]),
    ],
)
def test_a_word_before_a_hard_hyphen_at_a_line_end_matches_alone_too(
    tmp_path: Path, lines: list[str], pattern: str, withheld: list[str]
) -> None:
    """A compound broken at its own hyphen: each part matches on its own, and the join too."""
    plan = make_plan(one_page(tmp_path / "s.pdf", lines), _rules(tmp_path, pattern))
    assert _withheld(plan) == withheld


def test_lower_case_hyphenation_still_joins(tmp_path: Path) -> None:
    lines = ["Close co-", "operation with Zulu."]
    plan = make_plan(one_page(tmp_path / "s.pdf", lines), _rules(tmp_path, "cooperation"))
    assert _withheld(plan) == ["co-", "operation"]


def test_a_name_drawn_letter_by_letter_is_withheld(tmp_path: Path) -> None:
    source = letter_by_letter(tmp_path / "s.pdf", ["Secret"], gap=0.2, lead="The", tail="file is public.")
    plan = make_plan(source, _rules(tmp_path, "Secret"))
    assert _withheld(plan) == list("Secret")
    assert _released(plan) == ["The", "file", "is", "public."]


def test_block_rules_read_the_same_text(tmp_path: Path) -> None:
    source = one_page(tmp_path / "s.pdf", ["Minutes of the Ofﬁce of Zulu."], full_font())
    plan = make_plan(source, _rules(tmp_path, "^Minutes of the Office", key="block"))
    assert _released(plan) == []


#: The sample's withheld words, recorded before text was matched as read: no sample text
#: is coded differently from how it reads, so the verdicts must not change.
SAMPLE_WORDS = 54858
SAMPLE_WITHHELD = 50664
SAMPLE_WITHHELD_SHA256 = "3f72ba84bd0ca98cae83869d6ecad1d39516faf260dc8791baf95e308e303bb7"


def test_the_sample_gives_the_same_verdicts() -> None:
    plan = make_plan("samples/16014-12-add1-rev2.pdf", "rules/16014-12-ext1.yaml")
    withheld = [i for i, v in enumerate(plan.verdicts) if v.withheld]
    assert len(plan.document.words) == SAMPLE_WORDS
    assert len(withheld) == SAMPLE_WITHHELD
    assert hashlib.sha256(",".join(map(str, withheld)).encode()).hexdigest() == SAMPLE_WITHHELD_SHA256
