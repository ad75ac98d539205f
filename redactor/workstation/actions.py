"""The reviewer's actions, each turned into an edit of the rule file.

An action arrives as JSON from the page's script; it is checked here (pages, blocks and
words exist, the reason is one the rule file defines), becomes a rule
(:mod:`redactor.authoring.picks`) written into the file's text
(:mod:`redactor.authoring.rulefile`), and the session plans and writes that text. A block
the workstation already wrote a rule for gets that rule replaced rather than a second,
contradicting one: clicking release, then withhold, leaves one rule, not two that lint
would flag.
"""

from __future__ import annotations

from typing import Any, cast

from redactor.authoring.picks import block_rule, block_selectors, pages_rule, region_rule, search_rule, span, span_rule
from redactor.authoring.rulefile import GENERATED_PREFIX, Action, NewRule, add_rule, remove_rule, selectors, set_reason
from redactor.errors import InputError
from redactor.workstation.session import Outcome, Session

ACTIONS = ("release", "withhold")
VERBS = {"release": "released", "withhold": "withheld", "condense": "condensed"}


def perform(session: Session, request: dict[str, Any]) -> Outcome:
    """Carry out one action; raises InputError (or a RuleError from planning) when it cannot be."""
    kind = request.get("kind")
    with session.lock:
        session.sync()
        if session.disk_error is not None:  # an edit made elsewhere must not be overwritten
            raise InputError(session.disk_error, hint="fix the rule file in its editor; the workstation takes it in.")
        if kind == "undo":
            return session.undo()
        if kind == "redo":
            return session.redo()
        if kind == "reason":
            rule, reason = str(request.get("rule")), _reason(session, request, required=True)
            assert reason is not None
            return session.change(set_reason(session.text, rule, reason), f"rule {rule} now cites {reason}.", rule)
        if kind == "remove":
            rule = str(request.get("rule"))
            return session.change(remove_rule(session.text, rule), f"rule {rule} removed.")
        handler = _HANDLERS.get(str(kind))
        if handler is None:
            raise InputError(f"unknown action '{kind}'.")
        return handler(session, request)


def _block(session: Session, request: dict[str, Any]) -> Outcome:
    doc = session.document
    block_id = _int(request, "block", 0, len(doc.blocks) - 1)
    action = _action(request)
    reason = _reason(session, request)
    text, plan = session.text, session.plan
    forms = block_selectors(doc, block_id)
    earlier = [rid for rid, _, sel in selectors(text) if rid.startswith(GENERATED_PREFIX) and sel in forms]
    for rid in earlier:
        text = remove_rule(text, rid)
    if earlier:
        plan = session.plan_text(text)
    rule = block_rule(plan, block_id, action, reason)
    page, verb = doc.blocks[block_id].page, VERBS[action]
    if rule is None and not earlier:
        return Outcome(f"p. {page}: the block is {verb} already; nothing written.")
    written = None
    if rule is not None:
        text, written = add_rule(text, rule)
    said = f"p. {page}: block {verb}" + (f" by rule {written}" if written else f" (rule {', '.join(earlier)} removed)")
    return session.change(text, said + ".", written)


def _span(session: Session, request: dict[str, Any]) -> Outcome:
    doc = session.document
    block_id = _int(request, "block", 0, len(doc.blocks) - 1)
    words = doc.blocks[block_id].word_ids
    first = _int(request, "first", words[0], words[-1])
    last = _int(request, "last", first, words[-1])
    chosen = span(doc, block_id, first, last)
    return _add(session, span_rule(chosen, _action(request), _reason(session, request)), f"p. {chosen.page}: words")


def _region(session: Session, request: dict[str, Any]) -> Outcome:
    page = _int(request, "page", 1, session.document.page_count)
    raw = request.get("rect")
    if not (isinstance(raw, list) and len(raw) == 4 and all(isinstance(v, int | float) for v in raw)):
        raise InputError("a region needs four numbers: the rectangle drawn, in fractions of the page.")
    fractions = tuple(min(1.0, max(0.0, float(v))) for v in raw)
    rect = session.pictures.shown(page).rect((fractions[0], fractions[1], fractions[2], fractions[3]))
    if rect.width < 1 or rect.height < 1:
        raise InputError("the rectangle is empty: drag across what the region should hold.")
    rule = region_rule(page, rect, _action(request), _reason(session, request))
    return _add(session, rule, f"p. {page}: region")


def _pages(session: Session, request: dict[str, Any]) -> Outcome:
    count = session.document.page_count
    first = _int(request, "first", 1, count)
    last = _int(request, "last", first, count)
    action = str(request.get("action"))
    if action not in (*ACTIONS, "condense"):
        raise InputError(f"unknown action '{action}' for pages.")
    rule = pages_rule(session.plan, first, last, cast(Action, action), _reason(session, request))
    what = f"p. {first}" if first == last else f"pp. {first}-{last}"
    return _add(session, rule, what)


def _search(session: Session, request: dict[str, Any]) -> Outcome:
    query = str(request.get("query") or "")
    if not query.strip():
        raise InputError("the search is empty.")
    rule = search_rule(query, bool(request.get("ignore_case")), _action(request), _reason(session, request))
    return _add(session, rule, f"every occurrence of '{query}'")


def _add(session: Session, rule: NewRule, what: str) -> Outcome:
    text, rule_id = add_rule(session.text, rule)
    return session.change(text, f"{what} {VERBS[rule.action]} by rule {rule_id}.", rule_id)


_HANDLERS = {"block": _block, "span": _span, "region": _region, "pages": _pages, "search": _search}


def _action(request: dict[str, Any]) -> Any:
    action = request.get("action")
    if action not in ACTIONS:
        raise InputError(f"unknown action '{action}'; release or withhold.")
    return action


def _reason(session: Session, request: dict[str, Any], required: bool = False) -> str | None:
    reason = request.get("reason") or None
    if reason is None:
        if required:
            raise InputError("choose a reason.")
        return None
    if reason not in session.plan.ruleset.reasons:
        raise InputError(f"the reason '{reason}' is not defined under reasons: in the rule file.")
    return str(reason)


def _int(request: dict[str, Any], key: str, low: int, high: int) -> int:
    value = request.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InputError(f"{key} must be a number from {low} to {high}.")
    return value
