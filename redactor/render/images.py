"""Released images rebuilt from the pixels a reader of the page can see, and only those.

An image XObject that survives the keep-list filter still holds every pixel of the source:
the parts a clip path or the crop box hid, the parts under withheld text, its EXIF and
comment segments, XMP ``/Metadata``, ``/Alternates``, and a soft mask that may be another,
withheld, image. Each one is replaced by a fresh image made of its visible pixels inside
the released image area; everything else becomes white (or transparent).

Visibility is measured, not modelled: the image is swapped for an all-black and an
all-white stand-in of the same size and the page region rendered twice; the pixels that
differ are those the page shows (clip paths, crop box, soft masks and overlaps included).
The page is alone in its document (see :func:`redactor.render.redact.redacted_copy`), so
rewriting an image object affects no other page.
"""

from __future__ import annotations

from typing import Any

from redactor.geometry import Rect

#: JPEG quality of rebuilt images whose source was JPEG (DCT).
JPEG_QUALITY = 85
#: Rendering scale bounds for the visibility test (render pixels per point).
MIN_ZOOM, MAX_ZOOM = 1.0, 4.0


def rebuild_images(page: Any, released: tuple[Rect, ...]) -> int:
    """Rebuild every image XObject the page still draws; returns how many were rebuilt."""
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)  # renders and image boxes in the plan's unrotated space
    try:
        uses: dict[int, list[Any]] = {}
        for info in page.get_image_info(xrefs=True):
            if info.get("xref"):
                uses.setdefault(int(info["xref"]), []).append(info["transform"])
        for xref, transforms in uses.items():
            _rebuild(page, xref, transforms, released)
        return len(uses)
    finally:
        if rotation:
            page.set_rotation(rotation)


def _rebuild(page: Any, xref: int, transforms: list[Any], released: tuple[Rect, ...]) -> None:
    import numpy as np
    import pymupdf

    doc = page.parent
    pix = _decode(doc, xref)
    jpeg = "DCTDecode" in doc.xref_get_key(xref, "Filter")[1]
    width, height = pix.width, pix.height
    matrices = [pymupdf.Matrix(t) for t in transforms]
    boxes = [pymupdf.Rect(0, 0, 1, 1) * m for m in matrices]
    clip = pymupdf.Rect()
    for box in boxes:
        clip |= box
    clip &= page.rect
    visible = np.zeros((height, width), bool)
    if not clip.is_empty:
        zoom = min(
            MAX_ZOOM,
            max(
                MIN_ZOOM,
                max(width / max(b.width, 1e-3) for b in boxes),
                max(height / max(b.height, 1e-3) for b in boxes),
            ),
        )
        shots = []
        for value in (0, 255):
            stand_in = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, width, height), False)
            stand_in.clear_with(value)  # set_rect would walk the pixels in Python
            _put(doc, xref, stand_in, jpeg=False)
            shots.append(_render(page, clip, zoom))
        shown = shots[0] != shots[1]
        u, v = np.meshgrid((np.arange(width) + 0.5) / width, (np.arange(height) + 0.5) / height)
        for m in matrices:  # each image pixel's centre -> page point -> rendered pixel
            px = u * m.a + v * m.c + m.e
            py = u * m.b + v * m.d + m.f
            ix = np.floor((px - clip.x0) * zoom).astype(int)
            iy = np.floor((py - clip.y0) * zoom).astype(int)
            inside = (ix >= 0) & (iy >= 0) & (ix < shown.shape[1]) & (iy < shown.shape[0])
            seen = np.zeros_like(visible)
            seen[inside] = shown[iy[inside], ix[inside]]
            # A pixel stays only when its centre and its four corners lie in the released
            # area: a coarse image's pixel whose centre is released may reach into a hole.
            cu, cv = np.meshgrid(np.arange(width + 1) / width, np.arange(height + 1) / height)
            corners = _inside(released, cu * m.a + cv * m.c + m.e, cu * m.b + cv * m.d + m.f)
            allowed = _inside(released, px, py)
            allowed &= corners[:-1, :-1] & corners[1:, :-1] & corners[:-1, 1:] & corners[1:, 1:]
            visible |= seen & allowed
    samples = np.frombuffer(pix.samples, np.uint8).reshape(height, width, pix.n).copy()
    if pix.alpha:
        samples[~visible] = 0  # transparent
        if pix.n > 1:
            samples[~visible, :-1] = 255
    else:
        samples[~visible] = 255  # white
    if pix.colorspace is None:  # a stencil mask: a fresh 1-bit /ImageMask (0 paints)
        bits = np.packbits(samples[:, :, 0] < 128, axis=1).tobytes()
        doc.update_object(
            xref, f"<</Type/XObject/Subtype/Image/Width {width}/Height {height}/ImageMask true/BitsPerComponent 1>>"
        )
        doc.update_stream(xref, bits)
        return
    _put(doc, xref, pymupdf.Pixmap(pix.colorspace, width, height, samples.tobytes(), pix.alpha), jpeg)


def _inside(released: tuple[Rect, ...], x: Any, y: Any) -> Any:
    """Which of the points (arrays of page coordinates) lie in one of the released rectangles."""
    import numpy as np

    result = np.zeros(x.shape, bool)
    for r in released:
        result |= (x >= r.x0) & (x <= r.x1) & (y >= r.y0) & (y <= r.y1)
    return result


def _decode(doc: Any, xref: int) -> Any:
    """The image's pixels as Gray or RGB, with alpha from its soft mask, whatever its colour model."""
    import pymupdf

    pix = pymupdf.Pixmap(doc, xref)
    if pix.colorspace is None:
        return pix
    if pix.colorspace.name not in ("DeviceGray", "DeviceRGB"):  # CMYK, Lab, ICC, DeviceN, Indexed ...
        pix = pymupdf.Pixmap(pymupdf.csGRAY if pix.colorspace.n == 1 else pymupdf.csRGB, pix)
    mask_ref = doc.xref_get_key(xref, "SMask")
    if mask_ref[0] == "xref" and not pix.alpha:
        mask = pymupdf.Pixmap(doc, int(mask_ref[1].split()[0]))
        if mask.colorspace is not None and mask.colorspace.n != 1:
            mask = pymupdf.Pixmap(pymupdf.csGRAY, mask)
        if (mask.width, mask.height) != (pix.width, pix.height):
            mask = pymupdf.Pixmap(mask, pix.width, pix.height, None)
        pix = pymupdf.Pixmap(pix, mask)
    return pix


def _render(page: Any, clip: Any, zoom: float) -> Any:
    import numpy as np
    import pymupdf

    shot = page.get_pixmap(
        matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False, colorspace=pymupdf.csGRAY, annots=False
    )
    return np.frombuffer(shot.samples, np.uint8).reshape(shot.height, shot.width)


def _put(doc: Any, xref: int, pix: Any, jpeg: bool) -> None:
    """Replace the object at ``xref`` by a fresh image made from ``pix`` (new dictionary, new mask)."""
    import pymupdf

    mupdf = pymupdf.mupdf
    pdf = pymupdf._as_pdf_document(doc)
    if jpeg and not pix.alpha:
        data = mupdf.fz_new_buffer_from_copied_data(pix.tobytes("jpeg", jpg_quality=JPEG_QUALITY))
        image = mupdf.fz_new_image_from_buffer(data)
    else:
        image = mupdf.fz_new_image_from_pixmap(pix.this, mupdf.FzImage())
    new = mupdf.pdf_add_image(pdf, image)
    doc.xref_copy(mupdf.pdf_to_num(new), xref)
    obj = mupdf.pdf_load_object(pdf, xref)
    for key in doc.xref_get_keys(xref):  # xref_copy leaves the old keys behind as null
        if doc.xref_get_key(xref, key)[0] == "null":
            mupdf.pdf_dict_dels(obj, key)
