"""Round-trip editing of a rule file: add a rule, change a rule's reason, remove a rule.

The rule file is the reviewer's record, written and annotated by hand: an edit must leave
every comment, every blank line, the order of keys and rules and the quoting as they were,
and change only the rule it is about. ``ruamel.yaml`` reads the file into a tree that keeps
all of that and writes it back unchanged (the bundled rule file comes back byte for byte);
the indentation and the style of selectors (``release: {block: ...}`` on one line, or a
nested mapping) are read off the file so a new rule looks like its neighbours.

Every function takes the file's text and returns the new text: nothing here touches the
disk, so an undo is the text before, and a caller can check the new text (parse it, plan
it) before it writes it.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from redactor.errors import RuleError

Action = Literal["release", "withhold", "condense"]

#: Generated rule ids start with this, so the reviewer (and the workstation) can tell them apart.
GENERATED_PREFIX = "review-"

_SEQUENCE_ITEM = re.compile(r"^( *)-( +)\S", re.MULTILINE)
_NESTED_KEY = re.compile(r"^[A-Za-z_][\w-]*:[ \t]*(?:#.*)?\n( +)[A-Za-z_\"']", re.MULTILINE)


@dataclass(frozen=True)
class NewRule:
    """A rule to add: its action, its selector's keys in order, and what goes with them.

    ``name`` becomes the rule's id after :data:`GENERATED_PREFIX` and the action
    (``review-withhold-p12-block``); it must say where, never what: rule ids appear in the
    public audit log, so one made of the document's words would publish withheld text.
    """

    action: Action
    selector: Mapping[str, Any]
    name: str
    reason: str | None = None
    ignore_case: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Style:
    """How the file is laid out, so a new rule is written like the others."""

    mapping: int  # indent of a nested mapping
    sequence: int  # indent of a sequence item's content
    offset: int  # indent of the dash
    flow_selectors: bool  # ``release: {block: "..."}`` rather than a nested mapping
    spaced: bool  # a blank line between rules


def _yaml(style: Style) -> YAML:
    yaml = YAML()  # round-trip: comments, order, quoting and blank lines kept
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long regex onto a second line
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    return yaml


def style_of(text: str, data: Any | None = None) -> Style:
    """The file's indentation, selector style and rule spacing (the bundled file's when unclear)."""
    nested = _NESTED_KEY.search(text)
    mapping = len(nested.group(1)) if nested else 2
    rules_at = re.search(r"^rules:[ \t]*(?:#.*)?$", text, re.MULTILINE)
    item = _SEQUENCE_ITEM.search(text, rules_at.end() if rules_at else 0)
    offset, gap = (len(item.group(1)), len(item.group(2))) if item else (2, 1)
    flow = True
    spaced = False
    rules = data.get("rules") if isinstance(data, CommentedMap) else None
    if isinstance(rules, CommentedSeq) and rules:
        selectors = [r[a] for r in rules if isinstance(r, CommentedMap) for a in ("release", "withhold") if a in r]
        maps = [s for s in selectors if isinstance(s, CommentedMap)]
        if maps:
            flow = sum(bool(s.fa.flow_style()) for s in maps) * 2 >= len(maps)
        indent = " " * offset + "-" + " " * gap
        spaced = bool(re.search(r"\n[ \t]*\n" + re.escape(indent) + r"id:", text))
    return Style(mapping, offset + 1 + gap, offset, flow, spaced)


def _load(text: str) -> tuple[Any, Style]:
    yaml = YAML()  # round-trip; the indentation only matters when writing, set in _dump
    yaml.preserve_quotes = True
    try:
        data = yaml.load(text)
    except YAMLError as error:
        raise RuleError(f"the rule file cannot be edited: it is not valid YAML ({error}).") from None
    if not isinstance(data, CommentedMap) or not isinstance(data.get("rules"), CommentedSeq):
        raise RuleError("the rule file cannot be edited: it has no rules: list.", hint="see docs/rules.md.")
    return data, style_of(text, data)


def _dump(data: Any, style: Style) -> str:
    out = io.StringIO()
    _yaml(style).dump(data, out)
    return out.getvalue()


def _quoted(value: Any) -> Any:
    """Strings double-quoted (regexes and page ranges read the same to every YAML reader)."""
    if isinstance(value, str):
        return DoubleQuotedScalarString(value)
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_quoted(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def rule_ids(text: str) -> list[str]:
    """The ids of the file's rules, in order."""
    data, _ = _load(text)
    return [str(r.get("id")) for r in data["rules"] if isinstance(r, CommentedMap)]


def unique_id(wanted: str, taken: set[str]) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` ... : the first not in ``taken``."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def add_rule(text: str, rule: NewRule) -> tuple[str, str]:
    """The text with ``rule`` appended to ``rules:`` under a fresh id; and that id."""
    data, style = _load(text)
    rules = data["rules"]
    taken = {str(r.get("id")) for r in rules if isinstance(r, CommentedMap)}
    rule_id = unique_id(f"{GENERATED_PREFIX}{rule.action}-{rule.name}", taken)
    item = CommentedMap()
    item["id"] = rule_id
    selector = CommentedMap((k, _quoted(v)) for k, v in rule.selector.items())
    if style.flow_selectors:
        selector.fa.set_flow_style()
    item[rule.action] = selector
    if rule.ignore_case:
        item["ignore_case"] = True
    if rule.reason is not None:
        item["reason"] = DoubleQuotedScalarString(rule.reason)
    for key, value in rule.extra.items():
        item[key] = _quoted(value)
    rules.append(item)
    if style.spaced:
        rules.yaml_set_comment_before_after_key(len(rules) - 1, before="\n")
    return _dump(data, style), rule_id


def _find(rules: CommentedSeq, rule_id: str) -> int:
    for index, item in enumerate(rules):
        if isinstance(item, CommentedMap) and str(item.get("id")) == rule_id:
            return index
    raise RuleError(f"the rule file has no rule '{rule_id}'.", hint="it may have been edited meanwhile; reload.")


def set_reason(text: str, rule_id: str, reason: str) -> str:
    """The text with rule ``rule_id`` citing ``reason`` (added after its selector when it had none)."""
    data, style = _load(text)
    item = data["rules"][_find(data["rules"], rule_id)]
    if "withhold" not in item:
        raise RuleError(f"rule '{rule_id}' does not withhold: only withhold rules cite a reason.")
    if "reason" in item:
        item["reason"] = DoubleQuotedScalarString(reason)
    else:
        item.insert(list(item.keys()).index("withhold") + 1, "reason", DoubleQuotedScalarString(reason))
    return _dump(data, style)


def remove_rule(text: str, rule_id: str) -> str:
    """The text without rule ``rule_id`` (its comments go with it; the file's last rule cannot go)."""
    data, style = _load(text)
    rules = data["rules"]
    index = _find(rules, rule_id)
    if len(rules) == 1:
        raise RuleError(f"rule '{rule_id}' is the file's only rule.", hint="a rule file needs at least one rule.")
    del rules[index]
    return _dump(data, style)


@functools.lru_cache(maxsize=4)
def selectors(text: str) -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """Each rule's id, action and selector keys, as plain values (to compare with a new rule).

    Kept for the last few texts: the workstation asks for each action, and reading the file
    with comments is the slow part of an edit.
    """
    data, _ = _load(text)
    found = []
    for item in data["rules"]:
        if not isinstance(item, CommentedMap):
            continue
        for action in ("release", "withhold", "condense"):
            if isinstance(item.get(action), CommentedMap):
                plain = {str(k): (list(v) if isinstance(v, CommentedSeq) else v) for k, v in item[action].items()}
                found.append((str(item.get("id")), action, plain))
    return tuple(found)
