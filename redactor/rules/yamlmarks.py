"""YAML loading that remembers where every key and value stood, within fixed bounds.

PyYAML's plain loaders forget positions; reviewers need ``file:line:col`` in every
error. This composes the node tree and converts it, keeping a map from the path of
each value (keys and list indexes) to its 1-based line and column.

A rule file is a few kilobytes, but the loader reads whatever it is given, so it refuses
what would take unbounded time or memory before doing the work: a file over the size
limit (checked before reading it; :func:`size_limit` raises it for a command), aliases
that would bring in more than :data:`MAX_ALIAS_VALUES` values (an alias bomb expands
exponentially while the composed tree stays small), an alias inside its own anchor (an
endless value) and nesting deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from redactor.errors import RuleError

#: Rule files larger than this (bytes) are refused unread, unless a command raises the limit.
DEFAULT_MAX_SIZE = 1 << 20
#: Values that YAML aliases may bring in, in total (an anchor reused a few times is far below).
MAX_ALIAS_VALUES = 10_000
#: Mappings and lists nested deeper than this are refused (the sample nests five deep).
MAX_DEPTH = 100

_max_size: ContextVar[int] = ContextVar("max_rules_size", default=DEFAULT_MAX_SIZE)


@contextmanager
def size_limit(limit: int | None) -> Iterator[None]:
    """Rule files read inside the block may be up to ``limit`` bytes (None: the default)."""
    token = _max_size.set(DEFAULT_MAX_SIZE if limit is None else limit)
    try:
        yield
    finally:
        _max_size.reset(token)


def format_size(size: int) -> str:
    """``size`` bytes for a message: ``1 MiB``, ``50.0 MiB``, ``12.3 KiB``, ``900 bytes``."""
    for unit, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if size >= unit:
            return f"{size // unit} {name}" if size % unit == 0 else f"{size / unit:.1f} {name}"
    return f"{size} bytes"


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

    def error(self, loc: Path_, message: str, hint: str) -> RuleError:
        """A rule-file error at ``loc`` (its line and column), with a hint."""
        line, column = self.where(loc)
        return RuleError(message, path=self.path, line=line, column=column, hint=hint)


def _convert(node: yaml.Node, loc: Path_, out: Marked) -> Any:
    out.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, out)
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
    return _scalar(node, out)


def _scalar(node: yaml.Node, out: Marked) -> Any:
    """A key or plain value; one PyYAML cannot build (a 13th month, a 5000-digit number) is a RuleError."""
    if not isinstance(node, yaml.ScalarNode):
        raise RuleError(
            "a list or mapping is used as a key.",
            path=out.path,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            hint="keys are plain names such as id: or pages:.",
        )
    try:
        return yaml.constructor.SafeConstructor().construct_object(node)  # type: ignore[no-untyped-call]
    except (ValueError, yaml.YAMLError) as exc:
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "..."
        raise RuleError(
            f"the value '{shown}' cannot be read ({str(exc)[:80]}).",
            path=out.path,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            hint="correct it, or quote it to keep it as text.",
        ) from None


class _Refused(Exception):
    """A bound the YAML overstepped, with where it happened (turned into a RuleError)."""

    def __init__(self, message: str, mark: yaml.Mark, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, stopping at the first alias, nesting or alias expansion out of bounds.

    Composing keeps an alias as a reference to its anchor's node, which is cheap; converting
    the tree copies every reference, so the cost is counted here, while composing, from the
    size of each anchor's tree.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._alias_values = 0
        self._depth = 0
        self._shapes: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth), aliases expanded
        self._open: set[str] = set()  # anchors whose node is still being composed

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Count what an alias brings in; refuse an alias to an unfinished anchor and deep nesting."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open:
                raise _Refused(
                    f"the alias *{event.anchor} stands inside its own anchor &{event.anchor}, an endless value.",
                    event.start_mark,
                    "an alias can only repeat a value that is complete before it.",
                )
            anchored = self.anchors.get(event.anchor)
            if anchored is not None:
                self._charge(anchored, event.start_mark)
            return super().compose_node(parent, index)
        event = self.peek_event()
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _too_deep(event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if anchor is not None:
                self._open.discard(anchor)

    def _charge(self, node: yaml.Node, mark: yaml.Mark) -> None:
        """Count the values an alias of ``node`` brings in, and the depth it reaches."""
        values, depth = self._shape(node)
        self._alias_values += values
        if self._alias_values > MAX_ALIAS_VALUES:
            raise _Refused(
                f"its YAML aliases would expand to more than {MAX_ALIAS_VALUES:,} values "
                "(an alias repeats its anchor's whole value).",
                mark,
                "write the values out, or use fewer aliases; aliases of aliases multiply.",
            )
        if self._depth + depth > MAX_DEPTH:
            raise _too_deep(mark)

    def _shape(self, node: yaml.Node) -> tuple[int, int]:
        """Values in ``node``'s tree and its depth, aliases expanded (memoised: anchors are shared)."""
        key = id(node)
        if key not in self._shapes:
            children: list[yaml.Node] = []
            if isinstance(node, yaml.SequenceNode):
                children = list(node.value)
            elif isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            shapes = [self._shape(child) for child in children]
            self._shapes[key] = (1 + sum(v for v, _ in shapes), 1 + max((d for _, d in shapes), default=0))
        return self._shapes[key]


def _too_deep(mark: yaml.Mark) -> _Refused:
    return _Refused(
        f"nests lists and mappings more than {MAX_DEPTH} deep.",
        mark,
        "a rule file nests a few levels deep; check the brackets, the indentation and the aliases.",
    )


def _read(path: Path, limit: int) -> str:
    """The file's text, refused unread when it is over ``limit`` bytes."""
    if not path.exists():
        raise RuleError("the rule file does not exist.", path=path, hint="check the path.")
    size = path.stat().st_size
    if size > limit:
        raise _too_big(path, f"{format_size(size)} ({size:,} bytes)", limit)
    with path.open("rb") as stream:
        data = stream.read(limit + 1)  # the size is not trusted: a pipe has none, a file can grow
    if len(data) > limit:
        raise _too_big(path, f"more than {format_size(limit)}", limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RuleError("is not UTF-8 text.", path=path, hint="save the rule file as UTF-8.") from None


def _too_big(path: Path, size: str, limit: int) -> RuleError:
    return RuleError(
        f"is {size}, over the {format_size(limit)} limit for a rule file.",
        path=path,
        hint="a rule file is normally a few kilobytes: check that this is the right file; "
        "if it is, raise the limit with --max-rules-size (e.g. --max-rules-size 8MiB).",
    )


def load_marked(path: str | Path, text: str | None = None, max_size: int | None = None) -> Marked:
    """Parse a YAML file into plain data plus marks; syntax errors and overstepped bounds become RuleError.

    ``max_size`` (bytes) defaults to the limit of the enclosing :func:`size_limit`.
    """
    path = Path(path)
    limit = _max_size.get() if max_size is None else max_size
    if text is None:
        text = _read(path, limit)
    elif len(text) > limit or len(text.encode("utf-8")) > limit:
        raise _too_big(path, f"more than {format_size(limit)}", limit)
    try:
        node = yaml.compose(text, Loader=_BoundedLoader)
    except _Refused as refused:
        raise RuleError(
            refused.message,
            path=path,
            line=refused.mark.line + 1,
            column=refused.mark.column + 1,
            hint=refused.hint,
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RuleError(
            f"is not valid YAML: {exc.problem or exc.context}.",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            hint="check indentation, colons and quotes around regexes (quote values holding ': ' or '#').",
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character the reader refuses
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise RuleError(
            f"is not valid YAML: it holds the control character U+{exc.character:04X}.",
            path=path,
            line=line,
            column=column,
            hint="save the rule file as plain text.",
        ) from None
    out = Marked(None, str(path))
    if node is None:
        raise RuleError("is empty.", path=path, hint="start from `redactor inspect SOURCE --rules-skeleton`.")
    out.data = _convert(node, (), out)
    return out
