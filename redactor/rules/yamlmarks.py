"""YAML loading that remembers where every key and value stood.

PyYAML's plain loaders forget positions; reviewers need ``file:line:col`` in every
error. This composes the node tree and converts it, keeping a map from the path of
each value (keys and list indexes) to its 1-based line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redactor.errors import RuleError

Path_ = tuple[Any, ...]
#: Suffix in a mark path pointing at a mapping key rather than its value.
KEY = "<key>"


@dataclass
class Marked:
    """A loaded YAML document and the positions of its parts."""

    data: Any
    path: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_) -> tuple[int | None, int | None]:
        """Line and column of ``loc``, or of its nearest enclosing part."""
        loc = tuple(loc)
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (None, None))


def _convert(node: yaml.Node, loc: Path_, out: Marked) -> Any:
    out.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.constructor.SafeConstructor().construct_object(key_node)  # type: ignore[no-untyped-call]
            if key in result:
                raise RuleError(
                    f"the key '{key}' is given twice in the same mapping.",
                    path=out.path,
                    line=key_node.start_mark.line + 1,
                    column=key_node.start_mark.column + 1,
                    hint="keep one of the two; YAML would silently use the last.",
                )
            out.marks[(*loc, key, KEY)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, (*loc, key), out)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(child, (*loc, i), out) for i, child in enumerate(node.value)]
    return yaml.constructor.SafeConstructor().construct_object(node)  # type: ignore[no-untyped-call]


def load_marked(path: str | Path, text: str | None = None) -> Marked:
    """Parse a YAML file into plain data plus marks; syntax errors become RuleError."""
    path = Path(path)
    if text is None:
        if not path.exists():
            raise RuleError("the rule file does not exist.", path=path, hint="check the path.")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RuleError("is not UTF-8 text.", path=path, hint="save the rule file as UTF-8.") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleError(
            f"is not valid YAML: {exc.problem or exc.context}.",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="check indentation, colons and quotes around regexes (quote values holding ': ' or '#').",
        ) from None
    out = Marked(None, str(path))
    if node is None:
        raise RuleError("is empty.", path=path, hint="start from `redactor inspect SOURCE --rules-skeleton`.")
    out.data = _convert(node, (), out)
    return out
