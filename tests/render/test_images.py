"""Released images rebuilt from their pixels: colour models other than Gray/RGB, checked by PDFium."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest

from redactor.pipeline import Outputs, make_plan, release
from tests.builders import write_rules

PUBLIC = "Public paragraph alpha released to all."


def _source(path: Path, colorspace: object, data: bytes, bpc: int = 8) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    image = pikepdf.Stream(pdf, zlib.compress(data))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 16, 16, bpc
    image.ColorSpace = colorspace
    image.Filter = pikepdf.Name.FlateDecode
    content = f"BT /F1 11 Tf 72 742 Td ({PUBLIC}) Tj ET q 160 0 0 160 72 450 cm /Im1 Do Q".encode()
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=pikepdf.Dictionary(Im1=image)),
            Contents=pdf.make_stream(content),
        )
    )
    pdf.pages.append(page)
    pdf.save(path)
    return path


def _render(path: Path, page: int, box: tuple[float, float, float, float]) -> np.ndarray:
    doc = pdfium.PdfDocument(str(path))
    try:
        image = doc[page].render(scale=1).to_numpy()[..., :3].astype(int)
    finally:
        doc.close()
    x0, y0, x1, y1 = (int(v) for v in box)
    return image[y0:y1, x0:x1]


INDEXED = pikepdf.Array([pikepdf.Name.Indexed, pikepdf.Name.DeviceRGB, 1, pikepdf.String(b"\xff\x00\x00\x00\x00\xff")])
LAB = pikepdf.Array([pikepdf.Name.Lab, pikepdf.Dictionary(WhitePoint=[0.9505, 1.0, 1.089])])


@pytest.mark.parametrize(
    ("name", "colorspace", "data"),
    [
        ("indexed", INDEXED, bytes((i // 8 + j // 8) % 2 for i in range(16) for j in range(16))),
        ("lab", LAB, bytes(v for _ in range(256) for v in (50, 200, 60))),
    ],
)
def test_released_image_in_any_colour_model_keeps_its_look(
    tmp_path: Path, name: str, colorspace: object, data: bytes
) -> None:
    source = _source(tmp_path / f"{name}.pdf", colorspace, data)
    rules = "- id: public\n  release: {block: '^Public'}\n- id: picture\n  release: {images: true}\n"
    plan = make_plan(source, write_rules(tmp_path, rules))
    out = tmp_path / "out.pdf"
    release(plan, source, Outputs(out), verify=False)
    box = (80, 842 - 600 + 8, 224, 842 - 450 - 8)  # inside the image, top-left origin
    before = _render(source, 0, box)
    after = _render(out, len(pdfium.PdfDocument(str(out))) - 1, box)
    assert before.std() > 0 or before.mean() < 250  # the source shows the picture
    assert np.abs(before - after).mean() < 6.0  # Lab is converted to RGB: readers round differently
    with pikepdf.open(out) as pdf:
        images = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"]
        spaces = [repr(i.ColorSpace) for i in images]
        assert spaces and not any("/Indexed" in s or "/Lab" in s for s in spaces), spaces  # rebuilt, not copied
