"""The selector registry: one class per kind drives the schema, levels and text needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from redactor.errors import RuleError
from redactor.rules.parse import parse_rules
from redactor.rules.schema import SelectorModel
from redactor.rules.selectors import KINDS, Block, FromTo, Images, Pages, Region, Section, Text, Within
from tests.builders import rules_text


def _selector(tmp_path: Path, selector: str):  # noqa: ANN202
    path = tmp_path / "rules.yaml"
    path.write_text(rules_text(f"- id: r\n  withhold: {selector}\n  reason: sec\n"), encoding="utf-8")
    return parse_rules(path).rules[0].selector


def test_every_kind_gives_its_fields_to_the_schema() -> None:
    schema = {info.alias or name for name, info in SelectorModel.model_fields.items()}
    owned = {getattr(field, "alias", None) or name for k in KINDS for name, (_, field) in k.fields.items()}
    assert schema == owned == {"pages", "section", "level", "block", "from", "to", "text", "region", "images", "within"}


@pytest.mark.parametrize(
    ("selector", "kinds", "level", "needs_text"),
    [
        ('{pages: "1"}', (Pages,), 1, False),
        ('{section: "^Annex"}', (Section,), 2, True),
        ('{section: "^Annex", level: 2}', (Section,), 2, True),
        ('{block: "^Para"}', (Block,), 3, True),
        ('{from: "^A", to: "^B"}', (FromTo,), 3, True),
        ('{text: "secret"}', (Text,), 4, True),
        ('{pages: "1", region: [0, 0, 10, 10]}', (Pages, Region), 4, False),
        ("{images: true}", (Images,), 4, False),
        ('{within: "^Annex", images: true}', (Images, Within), 4, True),
        ('{within: "^Annex"}', (Within,), 1, True),
    ],
)
def test_kinds_levels_and_text_needs(tmp_path: Path, selector: str, kinds: tuple, level: int, needs_text: bool) -> None:
    sel = _selector(tmp_path, selector)
    assert tuple(type(p) for p in sel.parts) == kinds
    assert sel.level == level
    assert sel.needs_text is needs_text


def test_patterns_are_read_from_the_parts(tmp_path: Path) -> None:
    sel = _selector(tmp_path, '{from: "^A", to: "^B", within: "^Annex"}')
    assert [(key, p.pattern) for key, p in sel.patterns()] == [("from", "^A"), ("to", "^B"), ("within", "^Annex")]
    found = sel.first_pattern()
    assert found is not None and found[0].pattern == "^A" and found[1] == "blocks"


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ('{level: 2, block: "x"}', "level without section"),
        ('{from: "^A"}', "from without to"),
        ("{region: [0, 0, 10, 10]}", "region without pages"),
        ('{pages: "1", region: [10, 0, 0, 10]}', "empty or inverted"),
        ("{images: false}", "empty selector"),
        ('{text: "("}', "not a valid regular expression"),
    ],
)
def test_each_kind_validates_its_keys(tmp_path: Path, selector: str, message: str) -> None:
    with pytest.raises(RuleError, match=message) as caught:
        _selector(tmp_path, selector)
    assert caught.value.line is not None
