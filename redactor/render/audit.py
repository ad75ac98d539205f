"""The withholding log: where, why and how much was withheld, read from the plan alone.

One entry per withheld area (a run on a kept page) and one per run of dropped pages, each
with its pages, level, deciding rule ids (or ``default``; a run shown inline also cites its
``placeholder: inline`` rules), reasons with their legal text and the section it lies in;
then summaries per section, page, rule and reason, and totals in which released + withheld
words = all words. ``source_repairs`` says what opening the source took (a repair through
qpdf, decryption without a password; see source.opening), since the extract is then made
from that repaired or decrypted copy.

The log is public by default: it holds no withheld text, and a heading whose own words
are withheld is named only by its page. Nor does it hold the size of what is withheld
entry by entry (rectangles, word and character counts) or the source's fingerprint: the
width and length of a withheld word narrow it to a few candidates. Word counts appear only
summed per section, page, rule and reason. ``internal=True`` adds, per entry, the
rectangles, word and character counts and withheld text, the source's SHA-256 and the
withheld character total, and marks the log as classified, for reviewers only.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any

from redactor.errors import InputError
from redactor.numbering import new_number
from redactor.pageranges import runs
from redactor.plan.model import Plan
from redactor.plan.precedence import FURNITURE, LEVEL_NAMES
from redactor.render.templating import environment

PUBLIC_MARKING = "PUBLIC — this log contains no withheld text"
INTERNAL_MARKING = "INTERNAL — CONTAINS WITHHELD TEXT — CLASSIFIED"
FORMATS = ("json", "csv", "html")
#: Provenance of furniture words removed with a dropped page (they were never a rule's verdict).


class _Log:
    """Builds the log's data from a plan; kept in one place so JSON, CSV and HTML agree."""

    def __init__(self, plan: Plan, internal: bool) -> None:
        self.plan = plan
        self.internal = internal
        self.doc = plan.document
        self.dropped = {p.number for p in plan.pages if p.disposition == "withheld"}
        self.reason_of = {r.id: r.reason for r in plan.ruleset.rules}

    def withheld(self, word: int) -> bool:
        """True when the word is not in the extract (its verdict, or its page dropped)."""
        return self.plan.verdicts[word].withheld or self.doc.words.pages[word] in self.dropped

    def word_rule(self, word: int) -> str:
        """The rule a withheld word is cited under."""
        verdict = self.plan.verdicts[word]
        return verdict.rule if verdict.withheld else FURNITURE

    def title(self, section: int | None) -> list[str]:
        """The section's heading path; withheld headings named by their page in the public log."""
        titles: list[str] = []
        while section is not None:
            s = self.plan.outline.sections[section]
            block = self.doc.blocks[s.heading.block]
            hidden = any(self.withheld(w) for w in block.word_ids)
            titles.append(f"[withheld heading, p. {block.page}]" if hidden and not self.internal else s.heading.text)
            section = s.parent
        return titles[::-1]

    def reasons(self, rules: list[str]) -> list[dict[str, str]]:
        """Reason codes cited by ``rules`` with their legal text."""
        codes = dict.fromkeys(r for r in (self.reason_of.get(i) for i in rules) if r)
        return [{"code": c, "text": self.plan.ruleset.reasons.get(c, "")} for c in codes]

    def entry(self, kind: str, pages: list[int], rects: list[dict[str, Any]], words: list[int], **extra: Any) -> dict:
        """One log entry; ``extra`` gives rules, level, images, section, placeholder, furniture.

        Rectangles and word and character counts go in the internal log only.
        """
        rules = extra.pop("rules")
        entry: dict[str, Any] = {
            "entry": 0,
            "kind": kind,
            "first_page": pages[0],
            "last_page": pages[-1],
            "level": extra["level"],
            "level_name": LEVEL_NAMES.get(extra.pop("level"), "rule"),
            "rules": rules,
            "reasons": self.reasons(rules),
            **extra,
        }
        if self.internal:
            entry["rects"] = rects
            entry["words"] = len(words)
            entry["characters"] = sum(len(self.doc.words.texts[w]) for w in words)
            entry["text"] = " ".join(self.doc.words.texts[w] for w in words)
        return entry

    def entries(self) -> list[dict[str, Any]]:
        """Area entries and dropped-page entries, in page order."""
        result: list[dict[str, Any]] = []
        dropped_runs = {first: last for first, last in runs(self.dropped)}
        for page in self.plan.pages:
            if page.number in dropped_runs:
                result.append(self.page_run(page.number, dropped_runs[page.number]))
            for area in page.areas:
                result.append(
                    self.entry(
                        "area",
                        [area.page],
                        [{"page": area.page, "rect": list(r.rounded().as_tuple())} for r in area.rects],
                        list(area.word_ids),
                        rules=list(area.rules),
                        level=area.level,
                        images=len(area.image_ids),
                        line_art=len(area.drawing_ids),
                        section=self.title(area.section),
                        placeholder=area.placeholder.text if area.placeholder else "",
                        furniture=area.furniture,
                    )
                )
        for number, entry in enumerate(result, start=1):
            entry["entry"] = number
        return result

    def page_run(self, first: int, last: int) -> dict[str, Any]:
        """The entry of a run of dropped pages: every word on them, cited under its content's rules."""
        doc, plan = self.doc, self.plan
        pages = list(range(first, last + 1))
        words = [w for p in pages for b in doc.pages[p - 1].block_ids for w in doc.blocks[b].word_ids]
        images = [i for p in pages for i in doc.pages[p - 1].image_ids]
        deciding = [plan.verdicts[w] for w in words if not doc.lines[doc.words.lines[w]].furniture]
        deciding += [plan.image_verdicts[i] for i in images]
        content = [b for b in doc.pages[first - 1].block_ids if not doc.blocks[b].furniture]
        item = next((i for i in plan.sequence if i.kind == "withheld_pages" and i.first <= first <= i.last), None)
        # An inline run also cites the rules that asked for its inline mark (their reasons
        # with them), even where an earlier rule of the same level is the one cited per word.
        shown_by = list(item.rules) if item else []
        return self.entry(
            "pages",
            pages,
            [{"page": p, "rect": list(doc.pages[p - 1].mediabox.rounded().as_tuple())} for p in pages],
            words,
            rules=list(dict.fromkeys([*shown_by, *(v.rule for v in deciding)])) or [FURNITURE],
            level=max((v.level for v in deciding), default=0),
            images=len(images),
            line_art=sum(len(doc.pages[p - 1].drawing_ids) for p in pages),
            section=self.title(plan.outline.section_of_block.get(content[0])) if content else [],
            placeholder=(item.text if item else ""),
            furniture=False,
        )

    def build(self) -> dict[str, Any]:
        """The whole log as plain data (the JSON output)."""

        doc, plan, rs = self.doc, self.plan, self.plan.ruleset
        out_words = [w for w in range(len(doc.words)) if self.withheld(w)]
        dispositions = Counter(p.disposition for p in plan.pages)
        entries = self.entries()
        by_rule = self.by_rule(entries)
        log: dict[str, Any] = {
            "log": "withholding log",
            "marking": INTERNAL_MARKING if self.internal else PUBLIC_MARKING,
            "internal": self.internal,
            "document": {
                "number": rs.document.number,
                "classification": rs.document.classification,
                "subject": rs.document.subject,
                "dated": str(rs.document.dated),
                "pages": doc.page_count,
            },
            "release": {
                "number": new_number(rs.document.number, rs.release.extract),
                "date": rs.release.date.isoformat(),
            },
            "source_repairs": list(doc.repairs),
            "totals": {
                "words": len(doc.words),
                "released_words": len(doc.words) - len(out_words),
                "withheld_words": len(out_words),
                "images": len(doc.images),
                "withheld_images": sum(e["images"] for e in entries),
                "pages": doc.page_count,
                "pages_kept": dispositions["kept"],
                "pages_condensed": dispositions["condensed"],
                "pages_withheld": dispositions["withheld"],
                "entries": len(entries),
            },
            "entries": entries,
            "by_section": self.by_section(),
            "by_page": self.by_page(entries),
            "by_rule": by_rule,
            "by_reason": self.by_reason(out_words),
        }
        if self.internal:
            log["document"]["sha256"] = doc.fingerprint
            texts = doc.words.texts
            log["totals"]["withheld_characters"] = sum(len(texts[w]) for w in out_words)
        return log

    def by_rule(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Per rule of the file (and default/furniture/off-page): words and images it released or withheld."""
        plan, doc = self.plan, self.doc
        counts: dict[str, Counter[str]] = {r.id: Counter() for r in plan.ruleset.rules}
        for w in range(len(doc.words)):
            if self.withheld(w):
                counts.setdefault(self.word_rule(w), Counter())["withheld_words"] += 1
            else:
                counts.setdefault(plan.verdicts[w].rule, Counter())["released_words"] += 1
        for image in doc.images:
            verdict = plan.image_verdicts[image.id]
            held = verdict.withheld or image.page in self.dropped
            counts.setdefault(verdict.rule, Counter())["withheld_images" if held else "released_images"] += 1
        for e in entries:
            for r in e["rules"]:
                counts.setdefault(r, Counter())["entries"] += 1
        actions = {r.id: r.action for r in plan.ruleset.rules}
        keys = ("released_words", "withheld_words", "released_images", "withheld_images", "entries")
        return [
            {
                "rule": rule,
                "action": actions.get(rule, "release" if rule == FURNITURE else "withhold"),
                "reason": self.reason_of.get(rule) or "",
                **{k: c[k] for k in keys},
            }
            for rule, c in counts.items()
        ]

    def by_section(self) -> list[dict[str, Any]]:
        """Released and withheld words per innermost section (None: before the first heading)."""
        counts: dict[int | None, Counter[str]] = {}
        for w in self.doc.words:
            section = self.plan.outline.section_of_block.get(w.block)
            counts.setdefault(section, Counter())["withheld" if self.withheld(w.id) else "released"] += 1
        rows = []
        for section in sorted(counts, key=lambda s: -1 if s is None else s):
            c = counts[section]
            rows.append(
                {
                    "section": self.title(section) if section is not None else ["(no section: furniture, front)"],
                    "released_words": c["released"],
                    "withheld_words": c["withheld"],
                }
            )
        return rows

    def by_page(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Per source page: disposition, word counts, share withheld and entries touching it."""
        rows = []
        for page in self.plan.pages:
            ids = [w for b in self.doc.pages[page.number - 1].block_ids for w in self.doc.blocks[b].word_ids]
            held = sum(1 for w in ids if self.withheld(w))
            rows.append(
                {
                    "page": page.number,
                    "disposition": page.disposition,
                    "words": len(ids),
                    "withheld_words": held,
                    "share_withheld": round(held / len(ids), 3) if ids else (1.0 if page.number in self.dropped else 0),
                    "entries": sum(1 for e in entries if e["first_page"] <= page.number <= e["last_page"]),
                }
            )
        return rows

    def by_reason(self, out_words: list[int]) -> list[dict[str, Any]]:
        """Withheld words per legal reason; words withheld by default cite none."""
        counts = Counter(self.reason_of.get(self.word_rule(w)) or "" for w in out_words)
        return [
            {
                "reason": code or "(none: not released)",
                "text": self.plan.ruleset.reasons.get(code, ""),
                "withheld_words": counts[code],
            }
            for code in [*self.plan.ruleset.reasons, ""]
            if counts[code] or code
        ]


def audit_data(plan: Plan, internal: bool = False) -> dict[str, Any]:
    """The log as plain data, for callers that want to compute with it."""
    return _Log(plan, internal).build()


def render_audit(plan: Plan, fmt: str, internal: bool = False) -> str:
    """The log as ``json``, ``csv`` or ``html`` text."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError(f"unknown audit format '{fmt}'.", hint="write the log as .json, .csv or .html.")
    data = audit_data(plan, internal)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(data)
    return _html(data)


CSV_COLUMNS = (
    "entry", "kind", "first_page", "last_page", "level", "level_name", "rules", "reasons", "reason_texts",
    "images", "line_art", "section", "placeholder",
)  # fmt: skip
#: Columns of the internal log only: the size and place of each entry, and its text.
INTERNAL_CSV_COLUMNS = ("words", "characters", "rects", "text")


def _csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    internal = data["internal"]
    columns = (["marking"] if internal else []) + list(CSV_COLUMNS) + (list(INTERNAL_CSV_COLUMNS) if internal else [])
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for e in data["entries"]:
        row = {
            **e,
            "marking": data["marking"],
            "rules": ";".join(e["rules"]),
            "reasons": ";".join(r["code"] for r in e["reasons"]),
            "reason_texts": ";".join(r["text"] for r in e["reasons"]),
            "section": " > ".join(e["section"]),
        }
        if internal:
            row["rects"] = ";".join(f"{r['page']}:" + ",".join(f"{v:g}" for v in r["rect"]) for r in e["rects"])
        writer.writerow(row)
    return buffer.getvalue()


def _html(data: dict[str, Any]) -> str:

    env = environment()
    return env.get_template("audit.html.j2").render(log=data)
