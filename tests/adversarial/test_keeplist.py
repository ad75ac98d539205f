"""The page writer keeps only what the plan releases, whatever draws the rest.

One generated source per leak class: a one-page PDF with the released paragraph
``PUBLIC`` near the top and the class's secret elsewhere, released with
``verify=False`` so that the writer alone is under test. The extract is read only by
pikepdf and pypdfium2 (see :mod:`tests.adversarial.keeplist_cases`). Every test first
checks that its probes do see the secret in the source, then that they see none of it in
the extract, and that the released content is still there. Positive controls at the end:
released table rulings, released image pixels, released text's font and position.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pikepdf
from pikepdf import Dictionary, Name
from PIL import Image

from tests.adversarial.keeplist_cases import (
    PUBLIC,
    PUBLIC_Y,
    Rect,
    Source,
    View,
    ascii_pixels,
    axial,
    build_font,
    contains,
    embed_font,
    file_data,
    font_findings,
    font_text_ops,
    grow,
    image_colour_pixels,
    image_keys,
    image_sample_md5s,
    kept_page_streams,
    num,
    open_pdf,
    painted_in,
    pdf_y,
    public_ops,
    rules_yaml,
    run_release,
    secret_signatures,
    shown_text,
    strip_subset,
    text_ops,
    union,
)


def _release(tmp_path: Path, name: str, source: bytes, rules: str) -> tuple[View, View, Path, Path]:
    """Source and extract views (the extract's last page is the kept page) and their paths."""
    out = run_release(tmp_path, name, source, rules)
    src_path = tmp_path / f"{name}-source.pdf"
    src_view, out_view = View(src_path, 0), View(out, -1)
    assert PUBLIC in src_view.text, "case construction: the public paragraph is not in the source"
    return src_view, out_view, src_path, out


def _public_kept(out: View, problems: list[str]) -> None:
    if PUBLIC not in out.text:
        problems.append(f"released paragraph missing from the extract's text layer: {out.text!r}")


def _report(problems: list[str]) -> None:
    assert not problems, "\n".join(problems)


def _pattern_and_shading_ops(path: Path) -> list[str]:
    """``sh`` operators and pattern-painted paths on the kept page and in what it draws."""
    hits: list[str] = []
    with open_pdf(path) as pdf:
        for n, target in enumerate(kept_page_streams(pdf)):
            try:
                instructions = pikepdf.parse_content_stream(target)
            except Exception:  # noqa: BLE001
                continue
            fill_pattern = stroke_pattern = False
            stack: list[tuple[bool, bool]] = []
            for ins in instructions:
                op = str(getattr(ins, "operator", ""))
                operands = list(getattr(ins, "operands", []))
                if op == "q":
                    stack.append((fill_pattern, stroke_pattern))
                elif op == "Q" and stack:
                    fill_pattern, stroke_pattern = stack.pop()
                elif op == "sh":
                    hits.append(f"content #{n}: sh {operands}")
                elif op in ("scn", "sc", "rg", "g", "k"):
                    fill_pattern = any(isinstance(o, pikepdf.Name) for o in operands)
                elif op in ("SCN", "SC", "RG", "G", "K"):
                    stroke_pattern = any(isinstance(o, pikepdf.Name) for o in operands)
                elif (op in ("f", "F", "f*", "b", "b*", "B", "B*") and fill_pattern) or (
                    op in ("S", "s", "b", "b*", "B", "B*") and stroke_pattern
                ):
                    hits.append(f"content #{n}: path painted with a pattern ({op})")
    return hits


# ---------------------------------------------------------------------------------------
# 1. line art


SIG_DIRECT = (0.05, 0.1, 0.55)
SIG_NESTED = (0.45, 0.05, 0.4)
SIGNATURE = (
    "2 w 1 J 1 j\n"
    "5 20 m 30 58 45 2 70 40 c 85 58 95 10 v 110 5 125 55 140 30 y 160 8 l 175 45 l S\n"
    "20 6 m 190 6 l S\n"
    "150 40 m 170 55 l 190 40 l s\n"
)


def _rgb(c: tuple[float, float, float]) -> str:
    return " ".join(num(v) for v in c)


def test_line_art_signature(tmp_path: Path) -> None:
    """A stroked signature below the released paragraph, on the page and two forms deep."""
    s = Source()
    inner = s.form(f"q {_rgb(SIG_NESTED)} RG\n{SIGNATURE}Q\n", bbox=(0, 0, 200, 60))
    outer = s.form("q /FB Do Q\n", bbox=(0, 0, 200, 60), resources=Dictionary(XObject=Dictionary(FB=inner)))
    s.add("XObject", "FA", outer)
    top = 150.0
    direct_box: Rect = (70, top - 4, 274, top + 64)
    nested_box: Rect = (328, top - 4, 532, top + 64)
    ops = (
        public_ops()
        + f"q 1 0 0 1 72 {num(pdf_y(top + 60))} cm {_rgb(SIG_DIRECT)} RG\n{SIGNATURE}Q\n"
        + f"q 1 0 0 1 330 {num(pdf_y(top + 60))} cm /FA Do Q\n"
    )
    src, out, src_path, out_path = _release(tmp_path, "line-art", s.save(ops), rules_yaml("line-art"))

    for box in (direct_box, nested_box):
        assert src.ink(box) > 200, "case construction: the signature does not show in the source"
    assert painted_in(src_path, SIG_DIRECT) and painted_in(src_path, SIG_NESTED), "case construction"

    problems: list[str] = []
    allowed = out.placeholder_boxes()
    for label, box in (("on the page", direct_box), ("in a nested form", nested_box)):
        if n := out.ink(box, allowed):
            problems.append(f"signature {label}: {n} inked pixels remain in its box")
    for label, colour in (("page", SIG_DIRECT), ("nested form", SIG_NESTED)):
        if hits := painted_in(out_path, colour):
            problems.append(f"signature strokes ({label}) still in the content streams: {hits}")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 2. a filled box over withheld text


FILL = (0.05, 0.25, 0.45)
FILL_RGB = (13, 64, 115)


def test_filled_box_over_withheld_text(tmp_path: Path) -> None:
    """An opaque dark rectangle drawn over a withheld sentence in its own block."""
    canary = "CANARY-FILL-2Q8"
    secret = f"Secret sentence {canary} under a dark box."
    box: Rect = (64, 236, 330, 258)
    s = Source()
    ops = (
        public_ops()
        + text_ops(72, 250, secret)
        + f"q {_rgb(FILL)} rg {num(box[0])} {num(pdf_y(box[3]))} {num(box[2] - box[0])} {num(box[3] - box[1])} re f Q\n"
    )
    src, out, src_path, out_path = _release(tmp_path, "filled-box", s.save(ops), rules_yaml("filled-box"))

    text_box = src.box_of(canary)
    assert box[0] <= text_box[0] and text_box[2] <= box[2] and box[1] <= text_box[1] and text_box[3] <= box[3]
    area = (box[2] - box[0]) * (box[3] - box[1]) * 4  # pixels at scale 2
    assert src.colour_count(box, FILL_RGB) > 0.8 * area, "case construction: the dark box does not show"
    assert canary in src.text and painted_in(src_path, FILL), "case construction"

    problems: list[str] = []
    allowed = out.placeholder_boxes()
    if n := out.colour_count(box, FILL_RGB, exclude=allowed):
        problems.append(f"{n} pixels of the box's fill colour remain over the withheld sentence")
    if (n := out.ink(box, allowed)) > 0.005 * area:
        problems.append(f"{n} inked pixels besides the placeholder remain in the box")
    if hits := painted_in(out_path, FILL):
        problems.append(f"the box's fill is still in the content streams: {hits}")
    if canary in out.text or contains(file_data(out_path), canary):
        problems.append("the withheld sentence survives (text layer or file data)")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 3. line art across two withheld regions


LINE = (0.55, 0.1, 0.1)
LINE_RGB = (140, 26, 26)


def test_line_art_across_withheld_regions(tmp_path: Path) -> None:
    """Long lines crossing the boundary between two side-by-side ``withhold: {region}`` areas."""
    left, right = "CANARY-RA-5M1", "CANARY-RB-7N2"
    region_a: Rect = (72, 300, 297, 400)
    region_b: Rect = (297, 300, 523, 400)
    s = Source()
    ops = (
        public_ops()
        + text_ops(80, 325, f"Left region {left}")
        + text_ops(305, 325, f"Right region {right}")
        + f"q {_rgb(LINE)} RG 3 w\n"
        + f"80 {num(pdf_y(370))} m 515 {num(pdf_y(370))} l S\n"
        + f"100 {num(pdf_y(392))} m 500 {num(pdf_y(345))} l S\nQ\n"
    )
    extra = (
        f'  - id: region-a\n    withhold: {{region: [{", ".join(num(v) for v in region_a)}], pages: "1"}}\n'
        f'  - id: region-b\n    withhold: {{region: [{", ".join(num(v) for v in region_b)}], pages: "1"}}\n'
    )
    src, out, src_path, out_path = _release(tmp_path, "regions", s.save(ops), rules_yaml("regions", extra))

    band: Rect = (72, 338, 523, 398)
    both = union([region_a, region_b])
    assert src.colour_count(band, LINE_RGB) > 1000, "case construction: the lines do not show"
    assert painted_in(src_path, LINE), "case construction"

    problems: list[str] = []
    allowed = out.placeholder_boxes()
    if n := out.colour_count(both, LINE_RGB, exclude=allowed):
        problems.append(f"{n} pixels of the lines' colour remain in the withheld regions")
    if n := out.ink(band, allowed):
        problems.append(f"{n} inked pixels remain along the lines")
    if hits := painted_in(out_path, LINE):
        problems.append(f"the lines are still in the content streams: {hits}")
    data = file_data(out_path)
    for canary in (left, right):
        if canary in out.text or contains(data, canary):
            problems.append(f"withheld region text {canary} survives")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 4. shadings


def test_shadings_in_withheld_part(tmp_path: Path) -> None:
    """``sh`` unclipped and clipped, outlines filled with a shading pattern, ``sh`` in a glyph clip."""
    word = "CANARY-GCLIP-3W8"
    s = Source()
    # a: no Extend, so the unclipped shading paints only a full-width band (y 200..240)
    s.add("Shading", "Sh1", axial((1, 0, 0), (0, 0, 1), (0, pdf_y(240), 0, pdf_y(200)), extend=False))
    # b: extended, clipped to a rectangle (y 280..320)
    s.add("Shading", "Sh2", axial((1, 0, 0), (1, 0.9, 0), (72, 0, 322, 0), extend=True))
    # c: a shading pattern filling letter outlines (y 360..400)
    pattern = s.pdf.make_indirect(
        Dictionary(
            Type=Name.Pattern,
            PatternType=2,
            Shading=axial((0, 0.3, 1), (0, 0.9, 0.3), (100, 0, 260, 0), extend=True),
        )
    )
    s.add("Pattern", "P1", pattern)
    # d: a withheld word in render mode 7 (clip only), filled by a shading (y ~450..480)
    s.add("Shading", "Sh4", axial((1, 0.5, 0), (0.6, 0, 1), (72, 0, 500, 0), extend=True))
    y = pdf_y(400)
    letters = (
        f"100 {num(y)} 8 40 re 124 {num(y)} 8 40 re 100 {num(y + 16)} 32 8 re\n"  # H
        f"142 {num(y)} 8 40 re\n"  # I
        f"160 {num(y)} m 180 {num(y + 40)} l 200 {num(y)} l 192 {num(y)} l 180 {num(y + 24)} l 168 {num(y)} l h\n"  # A
        f"210 {num(y)} 30 8 re 210 {num(y)} 8 40 re\n"  # L
    )
    ops = (
        public_ops()
        + "q /Sh1 sh Q\n"
        + f"q 72 {num(pdf_y(320))} 250 40 re W n /Sh2 sh Q\n"
        + f"q /Pattern cs /P1 scn\n{letters}f Q\n"
        + f"q BT 7 Tr /F1 40 Tf 72 {num(pdf_y(480))} Td ({word}) Tj ET /Sh4 sh Q\n"
    )
    src, out, src_path, out_path = _release(tmp_path, "shadings", s.save(ops), rules_yaml("shadings"))

    parts: dict[str, Rect] = {
        "unclipped sh": (0, 198, 595, 242),
        "clipped sh": (70, 278, 324, 322),
        "pattern-filled outlines": (98, 358, 242, 402),
        "sh in a glyph clip": (70, 440, 520, 490),
    }
    for label, rect in parts.items():
        assert src.saturated(rect) > 500, f"case construction: {label} does not show in the source"
    assert word in shown_text(src_path), "case construction"
    ops_before = _pattern_and_shading_ops(src_path)
    assert sum("sh" in h for h in ops_before) == 3 and any("pattern" in h for h in ops_before), ops_before

    problems: list[str] = []
    allowed = out.placeholder_boxes()
    for label, rect in parts.items():
        if n := out.saturated(rect, allowed):
            problems.append(f"{label}: {n} coloured pixels remain")
    public_box = grow(src.box_of(PUBLIC), 3)
    if n := out.saturated((0, 0, 595, 842), [*allowed, public_box]):
        problems.append(f"{n} coloured pixels anywhere outside the released paragraph")
    if hits := _pattern_and_shading_ops(out_path):
        problems.append(f"withheld shadings still in the content streams: {hits}")
    if word in out.text or contains(file_data(out_path), word) or word in shown_text(out_path):
        problems.append(f"the glyph-clip word {word} survives")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 5. soft-mask groups


def test_soft_mask_group(tmp_path: Path) -> None:
    """An ExtGState /SMask whose luminosity group draws withheld text and a withheld image."""
    text_canary, image_canary = "CANARY-SMASK-TXT-5K2", "CANARY-SMASK-IMG-8P4"
    s = Source()
    samples = ascii_pixels(image_canary, 64 * 16)
    mask_image = s.image(64, 16, samples, colorspace="DeviceGray", Decode=[1, 0])
    group = s.form(
        f"1 g BT /F1 28 Tf 80 {num(pdf_y(330))} Td ({text_canary}) Tj ET\n"
        f"q 160 0 0 40 330 {num(pdf_y(400))} cm /ImS Do Q\n",
        resources=Dictionary(Font=Dictionary(F1=s.helvetica), XObject=Dictionary(ImS=mask_image)),
        Group=Dictionary(S=Name.Transparency, CS=Name.DeviceGray),
    )
    smask = Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group)
    s.add("ExtGState", "GS1", Dictionary(Type=Name.ExtGState, SMask=smask))
    region: Rect = (72, 290, 532, 410)
    ops = public_ops() + f"q /GS1 gs 0 0 0 rg 72 {num(pdf_y(410))} 460 120 re f Q\n"
    src, out, src_path, out_path = _release(tmp_path, "soft-mask", s.save(ops), rules_yaml("soft-mask"))

    assert src.ink(region) > 2000, "case construction: the masked fill does not show in the source"
    src_data = file_data(src_path)
    assert contains(src_data, text_canary) and contains(src_data, image_canary), "case construction"
    digest = hashlib.md5(samples).hexdigest()
    assert digest in image_sample_md5s(src_path), "case construction"

    problems: list[str] = []
    if n := out.ink(region, out.placeholder_boxes()):
        problems.append(f"the masked content shows through: {n} inked pixels in the withheld area")
    data = file_data(out_path)
    for canary in (text_canary, image_canary):
        if canary in out.text:
            problems.append(f"{canary} in the extract's text layer")
        if contains(data, canary) or canary in shown_text(out_path):
            problems.append(f"{canary} in the extract's streams or objects")
    if digest in image_sample_md5s(out_path):
        problems.append("the mask group's withheld image is still in the file")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 6. released images carry only their visible pixels, and nothing hidden with them

MAGENTA = (255, 0, 255)
CYAN = (0, 255, 255)


def _r1_samples() -> bytes:
    """100x100: a green texture; columns >= 76 magenta (clipped), rows >= 81 cyan (cropped)."""
    rows = []
    for r in range(100):
        row = bytearray()
        for c in range(100):
            if c >= 76:
                row += bytes(MAGENTA)
            elif r >= 81:
                row += bytes(CYAN)
            else:
                row += bytes((40 + (c * 3) % 40, 140 + (r * 2) % 60, 60))
        rows.append(bytes(row))
    return b"".join(rows)


def _jpeg(exif_text: str, comment: str) -> bytes:
    image = Image.new("RGB", (60, 40))
    image.putdata([(200 + x % 40, 120 + y, 40) for y in range(40) for x in range(60)])
    exif = Image.Exif()
    exif[0x010E] = exif_text  # ImageDescription
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92, exif=exif.tobytes(), comment=comment)
    return buf.getvalue()


def test_released_image_hidden_pixels_and_metadata(tmp_path: Path) -> None:
    """Released images lose clipped and cropped pixels, XMP, alternates, EXIF/COM and a withheld mask."""
    xmp, alt, exif, com, smask = (
        "CANARY-IMGXMP-4F6",
        "CANARY-ALTIMG-2D9",
        "CANARY-EXIF-6H1",
        "CANARY-JCOM-9K5",
        "CANARY-SMASKIMG-7T3",
    )
    s = Source()
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description>{xmp}'
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    metadata = s.stream(packet, Type=Name.Metadata, Subtype=Name.XML)
    alternate = s.image(32, 8, ascii_pixels(alt, 32 * 8), colorspace="DeviceGray")
    r1 = s.image(100, 100, _r1_samples(), Metadata=metadata, Alternates=[Dictionary(Image=alternate)])
    x_samples = ascii_pixels(smask, 64 * 16)
    x = s.image(64, 16, x_samples, colorspace="DeviceGray")
    jpeg = _jpeg(exif, com)
    assert exif.encode() in jpeg and com.encode() in jpeg, "case construction: JPEG without EXIF/COM"
    r2 = s.jpeg(jpeg, 60, 40, SMask=x)
    for name, obj in (("R1", r1), ("R2", r2), ("X", x)):
        s.add("XObject", name, obj)
    ops = (
        public_ops()
        + "q 72 60 150 200 re W n 200 0 0 200 72 60 cm /R1 Do Q\n"  # x > 222 clipped; y < 100 cropped
        + "q 120 0 0 80 330 172 cm /R2 Do Q\n"
        + f"q 200 0 0 50 330 {num(pdf_y(350))} cm /X Do Q\n"  # the mask image, drawn in a withheld area
    )
    extra = '  - id: figures\n    release: {region: [60, 570, 470, 790], pages: "1"}\n'
    source = s.save(ops, cropbox=(0, 100, 595, 842))
    src, out, src_path, out_path = _release(tmp_path, "images", source, rules_yaml("images", extra))

    visible: Rect = (72, 582, 222, 742)
    assert image_colour_pixels(src_path, MAGENTA) and image_colour_pixels(src_path, CYAN), "case construction"
    assert src.colour_count(visible, MAGENTA) == 0 and src.colour_count(visible, CYAN) == 0, (
        "case construction: the canary pixels are visible in the source"
    )
    assert src.colour_count((0, 0, 595, 742), MAGENTA, tol=60) == 0, "case construction: magenta visible"
    src_data = file_data(src_path)
    assert all(contains(src_data, c) for c in (xmp, alt, exif, com, smask)), "case construction"
    digest = hashlib.md5(x_samples).hexdigest()
    assert digest in image_sample_md5s(src_path), "case construction"

    problems: list[str] = []
    for label, colour in (("clipped", MAGENTA), ("cropped", CYAN)):
        if found := image_colour_pixels(out_path, colour):
            problems.append(f"pixels hidden by the {label} part of the image are still in the file: {found}")
    data = file_data(out_path)
    for label, canary in (
        ("image XMP", xmp),
        ("alternate image", alt),
        ("JPEG EXIF", exif),
        ("JPEG comment", com),
        ("withheld soft-mask image", smask),
    ):
        if contains(data, canary):
            problems.append(f"{label} ({canary}) survives")
    if found := image_keys(out_path, "/Alternates"):
        problems.append(f"/Alternates still on {found}")
    if digest in image_sample_md5s(out_path):
        problems.append("the withheld image reused as a soft mask is still in the file")
    diff = float(np.abs(src.area(visible) - out.area(visible)).mean())
    if diff > 12:
        problems.append(f"the released image's visible part changed (mean difference {diff:.1f})")
    _public_kept(out, problems)
    _report(problems)


# ---------------------------------------------------------------------------------------
# 7. fonts

SECRET_WORD = "Zyxwvq"
SECRET_WIDTHS = {"Z": 913, "y": 927, "x": 941, "w": 953, "v": 967, "q": 983}


def test_fonts_withheld_letters(tmp_path: Path) -> None:
    """A withheld word whose letters no released text uses: no font of the extract provides them."""
    assert not set(SECRET_WORD) & set(PUBLIC)
    font = build_font(PUBLIC + SECRET_WORD, SECRET_WIDTHS)
    s = Source()
    s.add("Font", "F2", embed_font(s, font))
    ops = font_text_ops(font, 72, PUBLIC_Y, PUBLIC) + font_text_ops(font, 72, 200, SECRET_WORD)
    src, out, src_path, out_path = _release(tmp_path, "fonts", s.save(ops), rules_yaml("fonts"))

    signatures = secret_signatures(font, SECRET_WORD)
    assert len(set(signatures.values())) == len(SECRET_WORD)
    widths = set(SECRET_WIDTHS.values())
    before = font_findings(src_path, SECRET_WORD, signatures, widths)
    assert before.to_unicode and before.programs and before.widths, f"case construction: {before}"
    assert SECRET_WORD in src.text and src.ink(grow(src.box_of(SECRET_WORD), 1)) > 100, "case construction"

    problems: list[str] = []
    after = font_findings(out_path, SECRET_WORD, signatures, widths)
    problems += [f"ToUnicode: {f}" for f in after.to_unicode]
    problems += [f"font program: {f}" for f in after.programs]
    problems += [f"widths: {f}" for f in after.widths]
    if SECRET_WORD in out.text:
        problems.append("the withheld word is in the extract's text layer")
    _public_kept(out, problems)
    if not out.ink(grow(src.box_of(PUBLIC), 1)):
        problems.append("the released paragraph is not drawn")
    _report(problems)


# ---------------------------------------------------------------------------------------
# 8. widths


def _conceal_rules(name: str, pattern: str) -> str:
    extra = (
        '  - id: released-line\n    release: {block: "^Released"}\n'
        f'  - id: hidden-word\n    withhold: {{text: "{pattern}"}}\n    conceal: line\n'
    )
    return rules_yaml(name, extra)


def _conceal_case(tmp_path: Path, name: str, line: str, hidden: str, flank: list[str]) -> None:
    second = "Second line of this block stays released."
    s = Source()
    ops = public_ops() + text_ops(72, 160, line) + text_ops(72, 160 + 13.75, second)
    src, out, src_path, out_path = _release(tmp_path, name, s.save(ops), _conceal_rules(name, hidden))

    line_box = grow(src.box_of(line), 1)
    assert line in src.text and second in src.text and src.ink(line_box) > 200, "case construction"
    assert line_box[3] < src.box_of(second)[1], "case construction: the two lines overlap"

    problems: list[str] = []
    shown = shown_text(out_path)
    for word in [hidden, *flank]:
        if word in out.text:
            problems.append(f"{word!r} of the concealed line is in the extract's text layer")
        if word in shown:
            problems.append(f"{word!r} of the concealed line is in a content stream")
    if n := out.ink(line_box, out.placeholder_boxes()):
        problems.append(f"{n} inked pixels besides the placeholder remain on the concealed line")
    if second not in out.text:
        problems.append("the block's next, released line is gone too")
    _public_kept(out, problems)
    _report(problems)


def test_widths_conceal_line_mid_span(tmp_path: Path) -> None:
    """``conceal: line`` with the withheld word between released words: the whole line goes."""
    _conceal_case(tmp_path, "conceal-mid", "Released line beta Qzmk gamma delta.", "Qzmk", ["beta", "gamma", "delta"])


def test_widths_conceal_line_end_span(tmp_path: Path) -> None:
    """``conceal: line`` with the withheld span ending the released line: the whole line goes."""
    _conceal_case(tmp_path, "conceal-end", "Released line beta gamma ends Qzmk", "Qzmk", ["beta", "gamma", "ends"])


def test_widths_placeholder_size_fixed(tmp_path: Path) -> None:
    """The placeholder's size does not tell the width of what it replaces."""
    lines = {
        "narrow": "Released Qzmk end.",
        "wide": "Released QzmkWvbnQzmkWvbnQzmkWvbnQzmkWvbn end.",
    }
    sizes: dict[str, set[float]] = {}
    heights: dict[str, float] = {}
    widths: dict[str, float] = {}
    problems: list[str] = []
    for label, line in lines.items():
        s = Source()
        ops = public_ops() + text_ops(72, 160, line)
        name = f"placeholder-{label}"
        src, out, _src_path, _ = _release(tmp_path, name, s.save(ops), _conceal_rules(name, "Qzmk[A-Za-z]*"))
        box = src.box_of(line)
        widths[label] = box[2] - box[0]
        found = out.find("NOT DECLASSIFIED")
        if not found:
            problems.append(f"{label}: no placeholder in the extract's text layer")
            continue
        chars = [c for occurrence in found for c in occurrence]
        sizes[label] = {round(c.size, 2) for c in chars}
        n = next(c for c in chars if c.ch == "N")
        heights[label] = n.box[3] - n.box[1]
        if "Qzmk" in out.text or "end." in out.text:
            problems.append(f"{label}: the concealed line is in the extract's text layer")
        _public_kept(out, problems)
    assert widths["wide"] > 2 * widths["narrow"], "case construction: the gaps are alike"
    for label, values in sizes.items():
        if len(values) != 1:
            problems.append(f"{label}: placeholder drawn at several sizes {sorted(values)}")
    if len(sizes) == 2:
        narrow, wide = sizes["narrow"], sizes["wide"]
        if narrow != wide:
            problems.append(
                f"placeholder sizes differ with the gap: {sorted(narrow)} pt over {widths['narrow']:.0f} pt, "
                f"{sorted(wide)} pt over {widths['wide']:.0f} pt"
            )
        if abs(heights["narrow"] - heights["wide"]) > 0.02 * max(heights.values()):
            problems.append(f"placeholder glyph heights differ: {heights}")
    _report(problems)


# ---------------------------------------------------------------------------------------
# positive controls


def test_control_released_table_borders(tmp_path: Path) -> None:
    """A fully released, ruled table keeps its rulings."""
    xs, ys = (72.0, 232.0, 392.0), (300.0, 330.0, 360.0)
    cells = {
        (80, 320): "Cell A1 north",
        (240, 320): "Cell B1 east",
        (80, 350): "Cell A2 south",
        (240, 350): "Cell B2 west",
    }
    secret = "Secret paragraph CANARY-TABLE-1Z2 withheld."
    rules = "0 0 0 RG 1 w\n"
    for y in ys:
        rules += f"{num(xs[0])} {num(pdf_y(y))} m {num(xs[-1])} {num(pdf_y(y))} l S\n"
    for x in xs:
        rules += f"{num(x)} {num(pdf_y(ys[0]))} m {num(x)} {num(pdf_y(ys[-1]))} l S\n"
    s = Source()
    ops = public_ops() + "".join(text_ops(x, y, t) for (x, y), t in cells.items()) + f"q {rules}Q\n"
    ops += text_ops(72, 450, secret)
    extra = '  - id: table\n    release: {block: "^Cell"}\n'
    src, out, _, _ = _release(tmp_path, "table", s.save(ops), rules_yaml("table", extra))

    segments = [((xs[0], y), (xs[-1], y)) for y in ys] + [((x, ys[0]), (x, ys[-1])) for x in xs]

    def inked_share(view: View, a: tuple[float, float], b: tuple[float, float]) -> float:
        steps = int(max(abs(b[0] - a[0]), abs(b[1] - a[1])) / 2)
        hits = 0
        for i in range(steps + 1):
            x = a[0] + (b[0] - a[0]) * i / steps
            y = a[1] + (b[1] - a[1]) * i / steps
            hits += view.ink((x - 1.5, y - 1.5, x + 1.5, y + 1.5), level=128) > 0
        return hits / (steps + 1)

    for a, b in segments:
        assert inked_share(src, a, b) > 0.95, "case construction: a ruling does not show in the source"
    assert "CANARY-TABLE-1Z2" in src.text

    problems: list[str] = []
    for a, b in segments:
        share = inked_share(out, a, b)
        if share < 0.95:
            problems.append(f"ruling {a}-{b}: only {share:.0%} of it is drawn")
    for text in cells.values():
        if text not in out.text:
            problems.append(f"released cell {text!r} missing")
    if "CANARY-TABLE-1Z2" in out.text:
        problems.append("the withheld paragraph survives")
    _public_kept(out, problems)
    _report(problems)


def test_control_released_image_pixels(tmp_path: Path) -> None:
    """A released image looks the same in the extract."""
    w, h = 120, 80
    samples = b"".join(bytes(((x * 2) % 256, (y * 3) % 256, (x * y) % 256)) for y in range(h) for x in range(w))
    s = Source()
    s.add("XObject", "Im1", s.image(w, h, samples))
    ops = public_ops() + f"q 240 0 0 160 72 {num(pdf_y(460))} cm /Im1 Do Q\n"
    ops += text_ops(72, 520, "Secret paragraph CANARY-IMGCTL-3J7 withheld.")
    extra = "  - id: figures\n    release: {images: true}\n"
    src, out, _, _ = _release(tmp_path, "image-control", s.save(ops), rules_yaml("image-control", extra))

    inner: Rect = (74, 302, 310, 458)
    assert src.saturated(inner) > 10000, "case construction: the image does not show"

    problems: list[str] = []
    diff = float(np.abs(src.area(inner) - out.area(inner)).mean())
    if diff > 8:
        problems.append(f"the released image's rendering differs from the source's (mean difference {diff:.1f})")
    if "CANARY-IMGCTL-3J7" in out.text:
        problems.append("the withheld paragraph survives")
    _public_kept(out, problems)
    _report(problems)


def test_control_released_text_font_and_position(tmp_path: Path) -> None:
    """Released text keeps its font (base-14 and embedded) and its glyph positions."""
    custom = "Released custom line in the test font."
    font = build_font(custom, {})
    s = Source()
    s.add("Font", "F2", embed_font(s, font))
    ops = public_ops() + font_text_ops(font, 90, 140, custom)
    ops += text_ops(72, 220, "Secret paragraph CANARY-POS-8U1 withheld.")
    extra = '  - id: custom\n    release: {block: "^Released custom"}\n'
    src, out, _, _ = _release(tmp_path, "text-control", s.save(ops), rules_yaml("text-control", extra))

    problems: list[str] = []
    for text in (PUBLIC, custom):
        before = src.find(text)
        assert before, f"case construction: {text!r} not in the source"
        after = out.find(text)
        if not after:
            problems.append(f"{text!r} missing from the extract")
            continue
        for a, b in zip(before[0], after[0], strict=True):
            if not a.ch.strip():
                continue
            moved = max(abs(p - q) for p, q in zip(a.box, b.box, strict=True))
            if moved > 0.5:
                problems.append(f"{text!r}: {a.ch!r} moved by {moved:.2f} pt")
                break
            if strip_subset(a.font) != strip_subset(b.font) or abs(a.size - b.size) > 0.01:
                problems.append(f"{text!r}: {a.ch!r} font {a.font} {a.size} became {b.font} {b.size}")
                break
    if "CANARY-POS-8U1" in out.text:
        problems.append("the withheld paragraph survives")
    _report(problems)
