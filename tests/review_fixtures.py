"""A small source and rule files for the review commands (inspect, lint, preview, audit).

The source, five pages with running header/footer:
  p1 cover note: issuer, place and date, number, codes, subject, and a contents line that
     names all three chapter headings;
  p2 "Chapter One: Harbour logistics": a public paragraph naming Operation Quillfeather,
     a withheld paragraph (SECRETHARBOUR);
  p3 "Chapter Two: Coastal patrols": a public paragraph, an image, a withheld paragraph;
  p4-5 "Chapter Three: Night operations": withheld entirely (a ruled table on p4).
Every withheld paragraph carries a canary word found nowhere in released text.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pymupdf
import typer

HEADER = "RESTREINT UE/EU RESTRICTED"
NUMBER = "7/26 ADD 1"
#: Words that appear only in withheld text.
CANARIES = ("SECRETHARBOUR", "SECRETPATROL", "SECRETNIGHT", "SECRETMOON", "SECRETTABLE", "Quillfeather")
HEADINGS = {
    "Chapter One: Harbour logistics": 2,
    "Chapter Two: Coastal patrols": 3,
    "Chapter Three: Night operations": 4,
}

RULES_HEAD = f"""\
version: 1
document: {{number: "{NUMBER}", dated: 2026-03-12, classification: "{HEADER}", subject: "Harbour review tools"}}
release: {{extract: 1, date: 2026-04-01, place: Brussels, issuer: "COUNCIL OF THE EUROPEAN UNION"}}
markings:
  - {{find: "{HEADER}", replace: ""}}
  - {{find: "{NUMBER}", replace: "{NUMBER} EXT 1 (01.04.2026)"}}
reasons:
  sec: "Regulation (EC) No 1049/2001, Article 4(1)(a), first indent"
"""

RULES = """\
- id: cover
  release: {pages: "1"}
- id: harbour
  release: {section: "^Chapter One"}
- id: harbour-secret
  withhold: {block: "^Second harbour paragraph"}
  reason: sec
- id: ops
  withhold: {text: "Operation [A-Z][a-z]+"}
  reason: sec
- id: coastal
  release: {block: "^Coastal patrol paragraph"}
"""


def rules_text(rules: str = RULES, head: str = RULES_HEAD) -> str:
    """A whole rule file: the common head and the given ``rules:`` list."""
    return head + "rules:\n" + textwrap.indent(textwrap.dedent(rules).strip("\n"), "  ") + "\n"


def write_rules(folder: Path, rules: str = RULES, name: str = "rules.yaml", head: str = RULES_HEAD) -> Path:
    """Write a rule file and return its path."""
    path = folder / name
    path.write_text(rules_text(rules, head), encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _page(doc: pymupdf.Document, number: int) -> pymupdf.Page:
    page = doc.new_page()
    page.insert_text((72, 40), HEADER, fontsize=9)
    page.insert_text((72, 815), NUMBER, fontsize=9)
    page.insert_text((520, 815), str(number), fontsize=9)
    return page


def _para(page: pymupdf.Page, y: float, lines: list[str], size: float = 11, font: str = "helv") -> float:
    for line in lines:
        page.insert_text((72, y), line, fontsize=size, fontname=font)
        y += size * 1.25
    return y + 18


def build_source(path: Path) -> Path:
    """Write the five-page review source to ``path``."""
    doc = pymupdf.open()
    p = _page(doc, 1)
    y = _para(p, 90, ["Brussels, 12 March 2026"])
    y = _para(p, y, [NUMBER])
    y = _para(p, y, ["JAI 12 COSI 3"])
    y = _para(p, y, ["Subject: Harbour review tools"])
    y = _para(p, y, ["Delegations will find attached the harbour review, which covers three chapters."])
    _para(
        p,
        y,
        ["Contents: Chapter One: Harbour logistics; Chapter Two: Coastal patrols;", "Chapter Three: Night operations."],
    )
    p = _page(doc, 2)
    y = _para(p, 100, ["Chapter One: Harbour logistics"], size=14, font="hebo")
    y = _para(p, y, ["Harbour logistics paragraph is public and names Operation Quillfeather once."])
    _para(p, y, ["Second harbour paragraph SECRETHARBOUR stays withheld."])
    p = _page(doc, 3)
    y = _para(p, 100, ["Chapter Two: Coastal patrols"], size=14, font="hebo")
    y = _para(p, y, ["Coastal patrol paragraph is public."])
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 16, 16), False)
    pixmap.set_rect(pixmap.irect, (200, 30, 30))
    p.insert_image(pymupdf.Rect(72, y, 172, y + 60), pixmap=pixmap)
    _para(p, y + 90, ["Patrol detail SECRETPATROL is withheld."])
    p = _page(doc, 4)
    y = _para(p, 100, ["Chapter Three: Night operations"], size=14, font="hebo")
    y = _para(p, y, ["Night operations paragraph SECRETNIGHT one."])
    for row in range(3):
        for col in range(3):
            cell = pymupdf.Rect(72 + col * 120, y + row * 22, 192 + col * 120, y + 22 + row * 22)
            p.draw_rect(cell, color=(0, 0, 0), width=0.8)
            p.insert_text((cell.x0 + 4, cell.y0 + 15), f"SECRETTABLE r{row}c{col}", fontsize=9)
    p = _page(doc, 5)
    _para(p, 100, ["Night operations continue with SECRETMOON details."])
    doc.save(path)
    doc.close()
    return path


def review_app() -> typer.Typer:
    """The redactor app with the review commands registered."""
    from redactor.cli.app import app

    return app
