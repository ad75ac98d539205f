"""Set released words again where the plan moved them: lines that end in withheld words.

The plan (:mod:`redactor.plan.respace`) gives each released word of such a line a shift to
the left; here the page's filtered content is rewritten so that each text-showing
operator starting on such a line starts shifted by the shift of the word it begins in,
and shows its string without word spacing (``Tw``), so the stretch a justified line had
(which tells where the withheld span began) is not in the extract.

The filter's output positions text with ``Tm``/``TD`` and shows it with ``Tj``; every
positioning operator of a text object after a shifted one is written as an absolute
``Tm`` taken from the original text state, so the shift never carries over to other
lines. Text inside Form XObjects is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redactor.plan.respace import RespacedLine, RespacedWord
from redactor.render.contentstream import parsed_content

#: Slack when finding the line and word a show operator starts on (points).
SLACK = 1.0
_SHOWS = {"Tj", "TJ", "'", '"'}
_MOVES = {"Td", "TD", "T*", "Tm"}


def respace_page(page: Any, lines: Sequence[RespacedLine], to_pdf: Any) -> bool:
    """Rewrite the page's content so the respaced lines' words stand where the plan put them.

    ``to_pdf`` maps plan space to PDF user space (:func:`redactor.render.redact.plan_to_pdf`).
    Returns False when the content cannot be parsed without loss (it is then left alone).
    """
    import pikepdf
    import pymupdf

    doc = page.parent
    xrefs = page.get_contents()
    if not lines or not xrefs:
        return True
    instructions = parsed_content(b"\n".join(doc.xref_stream(x) or b"" for x in xrefs))
    if instructions is None:
        return False
    rewriter = _Rewriter(lines, to_pdf, pymupdf)
    rewritten = rewriter.run(instructions)
    if not rewriter.changed:
        return True
    doc.update_stream(xrefs[0], pikepdf.unparse_content_stream(rewritten))
    if len(xrefs) > 1:
        doc.xref_set_key(page.xref, "Contents", f"{xrefs[0]} 0 R")
    return True


class _Rewriter:
    """Walks the content once, tracking the graphics and text matrices it needs."""

    def __init__(self, lines: Sequence[RespacedLine], to_pdf: Any, pymupdf: Any) -> None:
        self.lines = lines
        self.m = pymupdf
        self.to_plan = ~to_pdf
        self.to_pdf = to_pdf
        self.changed = False

    def run(self, instructions: Sequence[Any]) -> list[Any]:
        import pikepdf

        m = self.m
        out: list[Any] = []
        ctm = m.Matrix(1, 1)
        stack: list[tuple[Any, float, float, float, float]] = []
        tlm = m.Matrix(1, 1)
        leading = 0.0
        word_spacing = 0.0  # as the original content sets it
        written_spacing = 0.0  # as the rewritten content has it
        written_leading = 0.0
        absolute = False  # a shift happened in this text object: moves are written as absolute Tm
        moved = False  # a positioning operator since the last show
        shifted = False  # the shows now flowing carry a shift

        def op(name: str, *operands: Any) -> Any:
            return pikepdf.ContentStreamInstruction(list(operands), pikepdf.Operator(name))

        for instruction in instructions:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                out.append(instruction)  # inline images pass through
                continue
            name = str(instruction.operator)
            args = list(instruction.operands)
            if name == "q":  # the text state is part of the graphics state
                stack.append((ctm, word_spacing, written_spacing, leading, written_leading))
            elif name == "Q" and stack:
                ctm, word_spacing, written_spacing, leading, written_leading = stack.pop()
            elif name == "cm" and len(args) == 6:
                ctm = m.Matrix(*(float(a) for a in args)) * ctm
            elif name == "BT":
                tlm, absolute, moved, shifted = m.Matrix(1, 1), False, False, False
            elif name == "TL" and args:
                leading = written_leading = float(args[0])
            elif name == "Tw" and args:
                # Written only before a show that uses it: a respaced line's spacing never is.
                word_spacing = float(args[0])
                continue
            elif name in _MOVES or name in ("'", '"'):
                if name == '"' and len(args) == 3:
                    word_spacing = float(args[0])
                    out.append(op("Tc", args[1]))
                    args = args[2:]
                tlm, leading = _moved(m, name, args, tlm, leading)
                moved, shifted = True, False
                if not absolute:
                    out.append(instruction if name in _MOVES else op("T*"))
                    written_leading = leading
                elif name == "TD" and leading != written_leading:
                    out.append(op("TL", round(leading, 5) + 0.0))  # what the TD written as Tm would have set
                    written_leading = leading
                if name in _MOVES:
                    continue
                name, instruction = "Tj", op("Tj", *args)  # ' and ": the move above, then the show
            if name in _SHOWS:
                if moved:
                    shift = self._shift_at(tlm, ctm)
                    if shift is not None or absolute:
                        dx, dy = shift if shift is not None else (0.0, 0.0)
                        values = (tlm.a, tlm.b, tlm.c, tlm.d, tlm.e + dx, tlm.f + dy)
                        out.append(op("Tm", *(round(v, 3) + 0.0 for v in values)))
                        absolute = absolute or shift is not None
                    moved, shifted = False, shift is not None
                    self.changed = self.changed or bool(shift and any(shift))
                wanted = 0.0 if shifted else word_spacing
                if wanted != written_spacing:
                    out.append(op("Tw", round(wanted, 5)))
                    written_spacing = wanted
                self.changed = self.changed or (shifted and word_spacing != 0)
            out.append(instruction)
        return out

    def _shift_at(self, tlm: Any, ctm: Any) -> tuple[float, float] | None:
        """The shift (in the text object's user space) of a show starting at ``tlm``; None off the respaced lines."""
        m = self.m
        start = m.Point(tlm.e, tlm.f) * ctm  # PDF user space
        x, y = tuple(start * self.to_plan)
        for line in self.lines:
            r = line.rect
            if not (r.y0 - SLACK <= y <= r.y1 + SLACK and r.x0 - SLACK <= x <= r.x1 + SLACK):
                continue
            word = _word_at(line.words, x)
            if word is None or not word.shift:
                return (0.0, 0.0)  # on the line, in place: its word spacing still goes
            # The shift is along the plan's x axis: carried to PDF space, then to the space
            # the text matrix lives in (the inverse of the CTM, without its translation).
            vector = _linear(self.to_pdf, word.shift, 0.0)
            inverse = ~ctm
            return _linear(inverse, vector[0], vector[1])
        return None


def _word_at(words: Sequence[RespacedWord], x: float) -> RespacedWord | None:
    """The word a show starting at ``x`` begins in (or the next one, after a space)."""
    for word in words:
        if x < word.rect.x1 - SLACK / 2:
            return word if x >= word.rect.x0 - word.rect.height else None
    return None


def _linear(matrix: Any, x: float, y: float) -> tuple[float, float]:
    """A vector through a matrix's linear part."""
    return (x * matrix.a + y * matrix.c, x * matrix.b + y * matrix.d)


def _moved(m: Any, name: str, args: list[Any], tlm: Any, leading: float) -> tuple[Any, float]:
    """The text line matrix after a positioning operator (and the leading it may set)."""
    if name == "Tm" and len(args) == 6:
        return m.Matrix(*(float(a) for a in args)), leading
    if name in ("Td", "TD") and len(args) == 2:
        tx, ty = float(args[0]), float(args[1])
        if name == "TD":
            leading = -ty
        return m.Matrix(1, 0, 0, 1, tx, ty) * tlm, leading
    if name in ("T*", "'", '"'):
        return m.Matrix(1, 0, 0, 1, 0, -leading) * tlm, leading
    return tlm, leading
