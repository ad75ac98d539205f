"""``redactor preview``: review copies keep everything, show the plan, and say they are classified.

Checked with pdfminer.six, pikepdf and pypdfium2, not with PyMuPDF, which wrote the files.
"""

from __future__ import annotations

import itertools
import re
from html import unescape
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest
from pdfminer.high_level import extract_text
from typer.testing import CliRunner

from redactor.pipeline import make_plan
from redactor.plan.model import Plan
from redactor.render.preview_html import page_image, review_html
from redactor.render.preview_pdf import (
    LABEL_COLUMN,
    LABEL_SIZES,
    LEADING,
    MIN_LABEL_SIZE,
    STAMP,
    WITHHELD,
    Label,
    Measure,
    layout_labels,
    render_review_pdf,
)
from tests.review_fixtures import CANARIES, RULES, build_source, review_app, write_rules

runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("preview")
    return build_source(folder / "source.pdf"), write_rules(folder, RULES)


@pytest.fixture(scope="module")
def review_pdf(files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    source, rules = files
    out = tmp_path_factory.mktemp("out") / "review.pdf"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def page_texts(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        count = len(pdf.pages)
    return [extract_text(str(path), page_numbers=[i]) for i in range(count)]


def test_every_page_is_kept_and_stamped(files: tuple[Path, Path], review_pdf: Path) -> None:
    texts = page_texts(review_pdf)
    assert len(texts) == 5
    for text in texts:
        assert text.count(STAMP) >= 1


def test_withheld_text_is_still_there(review_pdf: Path) -> None:
    text = "".join(page_texts(review_pdf))
    for canary in CANARIES:
        assert canary in text


def test_one_labelled_overlay_per_area(files: tuple[Path, Path], review_pdf: Path) -> None:
    plan = make_plan(*files)
    text = "".join(page_texts(review_pdf))
    labels = re.findall(r"#(\d+) ([\w, -]+) \((\w[\w-]*)\)", text)
    assert sorted(int(n) for n, _, _ in labels) == sorted(a.id for a in plan.areas())
    by_id = {a.id: a for a in plan.areas()}
    for number, rules, _level in labels:
        assert rules.split(", ") == list(by_id[int(number)].rules)
    assert "default" in {r for _, rules, _ in labels for r in rules.split(", ")}


def test_withheld_pages_say_what_replaces_them(review_pdf: Path) -> None:
    texts = page_texts(review_pdf)
    for number in (4, 5):
        flat = " ".join(texts[number - 1].split())
        assert "PAGE WITHHELD" in flat and "NOT DECLASSIFIED FROM THIS POINT" in flat
        assert "page withheld: default" in flat
    assert "PAGE WITHHELD" not in texts[0]


def test_overlays_are_translucent_and_in_a_layer(review_pdf: Path) -> None:
    with pikepdf.open(review_pdf) as pdf:
        names = [str(ocg.Name) for ocg in pdf.Root.OCProperties.OCGs]
        assert any("Review overlay" in n for n in names)
        alphas = set()
        for page in pdf.pages:
            for gs in page.Resources.get("/ExtGState", {}).values():
                if "/ca" in gs:
                    alphas.add(float(gs.ca))
        assert any(0 < a < 0.5 for a in alphas)
        assert pdf.trailer.get("/Prev") is None  # saved whole
        assert STAMP in str(pdf.docinfo.get("/Title"))


def test_label_column_keeps_page_coordinates(files: tuple[Path, Path], review_pdf: Path) -> None:
    """The column is added on the right: the source content stays where it was."""
    with pikepdf.open(files[0]) as src, pikepdf.open(review_pdf) as rev:
        for a, b in zip(src.pages, rev.pages, strict=True):
            assert [float(b.mediabox[i]) for i in (0, 1, 3)] == [float(a.mediabox[i]) for i in (0, 1, 3)]
            assert float(b.mediabox[2]) > float(a.mediabox[2])


def test_condensed_pages_are_framed_and_noted(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = files
    rules = write_rules(tmp_path, RULES + '- id: squeeze\n  condense: {pages: "2-3"}\n')
    out = tmp_path / "review.pdf"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    texts = page_texts(out)
    for number in (2, 3):
        assert "CONDENSED in the extract" in texts[number - 1]


@pytest.fixture(scope="module")
def review_html_file(files: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    source, rules = files
    out = tmp_path_factory.mktemp("html") / "review.html"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out


def test_html_review_copy(files: tuple[Path, Path], review_html_file: Path) -> None:
    source, rules = files
    html = review_html_file.read_text(encoding="utf-8")
    plan = make_plan(source, rules)
    assert STAMP in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)  # self-contained
    images = re.findall(r'<img src="data:image/(png|jpeg);base64,', html)
    extract_pages = 1 + len(plan.sequence)  # the cover, then one page per item here
    assert len(images) == plan.document.page_count + extract_pages
    assert html.count('loading="lazy"') == len(images)
    withheld_boxes = html.count('class="box withheld"')
    assert withheld_boxes == sum(len(a.rects) for a in plan.areas()) + 2  # + the two dropped pages
    assert html.count('class="box released"') == sum(len(p.keep_rects) for p in plan.pages)
    assert re.search(r'<option value="harbour-secret">', html)


def side_rows(html: str, number: int) -> dict[str, list[str]]:
    """Page ``number``'s side list: label -> the text of its cells (label, verdict, rules, level, reason)."""
    section = html.split(f'id="page-{number}"')[1].split("</section>")[0]
    aside = section.split('<aside class="areas"')[1].split("</aside>")[0]
    rows = re.findall(r'<tr class="[^"]*" data-label="([^"]+)">(.*?)</tr>', aside)
    return {label: [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)] for label, cells in rows}


def test_html_side_list_names_every_areas_rule_and_reason(files: tuple[Path, Path], review_html_file: Path) -> None:
    """Each withheld area has a visible row (not a tooltip) with its label, verdict, rules, level and reason."""
    plan = make_plan(*files)
    html = review_html_file.read_text(encoding="utf-8")
    reasons = plan.ruleset.reasons
    for page_plan in plan.pages:
        rows = side_rows(html, page_plan.number)
        for area in page_plan.areas:
            label, verdict, rules, level, reason = rows[f"#{area.id}"]
            assert (label, verdict) == (f"#{area.id}", "withheld")
            assert rules == ", ".join(area.rules)
            assert level.startswith(f"{area.level} (")
            assert all(code in reason for code in area.reasons)
            if area.reasons:
                assert all(code in reasons for code in area.reasons)  # the wording is in the reasons table
        boxes = re.findall(r'data-label="([^"]+)"', html.split(f'id="page-{page_plan.number}"')[1].split("<aside")[0])
        assert set(boxes) == set(rows)  # every box has its row, and every row its box(es)
    page2 = side_rows(html, 2)
    secret = next(cells for cells in page2.values() if cells[2] == "harbour-secret")
    assert secret[1] == "withheld" and secret[4] == "sec"
    assert any(cells[1] == "released" and cells[2] == "harbour" for cells in page2.values())
    assert side_rows(html, 4)["P"][:3] == ["P", "page withheld", "default"]
    assert any(cells[1] == "marking" for cells in side_rows(html, 1).values())
    assert '<table id="reasons">' in html and reasons["sec"] in html


def test_html_legend_and_page_index(files: tuple[Path, Path], review_html_file: Path) -> None:
    plan = make_plan(*files)
    html = review_html_file.read_text(encoding="utf-8")
    legend = html.split('id="legend"')[1].split("</div>")[0]
    for swatch in ("withheld", "released", "marking", "page kept", "page condensed", "page withheld"):
        assert f'<span class="swatch {swatch}">' in legend
    index = html.split('<nav class="panel" id="index"')[1].split("</nav>")[0]
    links = re.findall(r'<a class="(\w+)" href="#page-(\d+)"', index)
    assert [(d, int(n)) for d, n in links] == [(p.disposition, p.number) for p in plan.pages]
    assert {d for d, _ in links} == {"kept", "withheld"}
    for _, number in links:
        assert f'id="page-{number}"' in html


def test_html_condensed_range_shows_its_extract_pages(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = files
    rules = write_rules(tmp_path, RULES + '- id: squeeze\n  condense: {pages: "2-3"}\n')
    out = tmp_path / "review.html"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page2 = html.split('id="page-2"')[1].split('id="page-3"')[0]
    page3 = html.split('id="page-3"')[1].split('id="page-4"')[0]
    assert "condensed:" in page2 and page2.count("data:image/") >= 2
    assert "Shown with page 2" in page3 and page3.count("data:image/") == 1


@pytest.mark.parametrize("name", ["review.txt", "review"])
def test_unknown_output_format_is_exit_2_without_output(files: tuple[Path, Path], tmp_path: Path, name: str) -> None:
    source, rules = files
    out = tmp_path / "o" / name
    out.parent.mkdir()
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out)])
    assert result.exit_code == 2
    assert "REVIEW.pdf or REVIEW.html" in result.stderr
    assert list(out.parent.iterdir()) == []


def test_bad_rules_leave_no_output(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = files
    rules = write_rules(tmp_path, '- id: typo\n  release: {block: "^No such paragraph"}\n')
    out = tmp_path / "o" / "review.pdf"
    out.parent.mkdir()
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out)])
    assert result.exit_code == 2
    assert "matches nothing" in result.stderr and "Traceback" not in result.output
    assert list(out.parent.iterdir()) == []


def test_missing_output_folder_is_exit_4(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, rules = files
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(tmp_path / "no" / "r.pdf")])
    assert result.exit_code == 4
    assert "output folder does not exist" in result.stderr


def test_boxes_cover_their_words_on_a_cropped_page(tmp_path: Path) -> None:
    """With a crop box offset from the media box, the red box still lies over the withheld word."""
    import pymupdf
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTCurve, LTTextContainer

    doc = pymupdf.open()
    page = doc.new_page(width=600, height=850)
    page.insert_text((120, 200), "Public opening words", fontsize=11)
    page.insert_text((120, 260), "Hidden SECRETCROP words", fontsize=11)
    page.set_cropbox(pymupdf.Rect(50, 60, 550, 800))
    doc.save(tmp_path / "cropped.pdf")
    rules = write_rules(tmp_path, '- id: open\n  release: {block: "^Public opening"}\n')
    out = tmp_path / "review.pdf"
    result = runner.invoke(review_app(), ["preview", str(tmp_path / "cropped.pdf"), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    [layout] = list(extract_pages(str(out)))
    line = next(t for t in layout if isinstance(t, LTTextContainer) and "SECRETCROP" in t.get_text())
    red = [c for c in layout if isinstance(c, LTCurve) and c.non_stroking_color == WITHHELD]
    assert len(red) == 1
    box = red[0]
    assert box.x0 - 1 <= line.x0 and box.y0 - 1 <= line.y0 and line.x1 <= box.x1 + 1 and line.y1 <= box.y1 + 1


# --------------------------------------------------------------------------- the bundled sample

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "16014-12-add1-rev2.pdf"
SAMPLE_RULES = ROOT / "rules" / "16014-12-ext1.yaml"
#: The HTML review copy of the 115-page sample was 17.6 MB with 8-bit colour PNGs.
SAMPLE_HTML_LIMIT = 5_000_000
#: The sample's densest page: 88 withheld areas in a table.
DENSE_PAGE = 7


@pytest.fixture(scope="module")
def sample_plan() -> Plan:
    return make_plan(SAMPLE, SAMPLE_RULES)


@pytest.fixture(scope="module")
def sample_review_pdf(sample_plan: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "review.pdf"
    out.write_bytes(render_review_pdf(sample_plan, str(SAMPLE)))
    return out


def pdf_labels(path: Path) -> dict[int, list[tuple[int, bool]]]:
    """Per page (1-based): each area label ``#N`` read by PDFium, and whether all its characters lie in the page box."""
    labels: dict[int, list[tuple[int, bool]]] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            left, bottom, right, top = page.get_cropbox()
            text = page.get_textpage()
            found = []
            for match in re.finditer(r"#(\d+) [\w-]+", text.get_text_range()):
                boxes = [text.get_charbox(i) for i in range(match.start(), match.end())]
                inside = all(left <= x0 and x1 <= right and bottom <= y0 and y1 <= top for x0, y0, x1, y1 in boxes)
                found.append((int(match.group(1)), inside))
            labels[index + 1] = found
    finally:
        pdf.close()
    return labels


def test_dense_page_labels_stay_inside_the_page(sample_plan: Plan, sample_review_pdf: Path) -> None:
    """Page 7 of the sample has 88 areas: every label is drawn, inside the page box (PDFium's character boxes)."""
    labels = pdf_labels(sample_review_pdf)
    dense = sample_plan.pages[DENSE_PAGE - 1].areas
    assert len(dense) > 80
    assert sorted(n for n, _ in labels[DENSE_PAGE]) == sorted(a.id for a in dense)
    assert all(inside for _, inside in labels[DENSE_PAGE])
    everywhere = [n for found in labels.values() for n, inside in found]
    assert sorted(everywhere) == sorted(a.id for a in sample_plan.areas())
    assert all(inside for found in labels.values() for _, inside in found)


def test_dense_page_labels_are_legible(sample_review_pdf: Path) -> None:
    """No label on the dense page is set smaller than the minimum size."""
    pdf = pdfium.PdfDocument(str(sample_review_pdf))
    try:
        text = pdf[DENSE_PAGE - 1].get_textpage()
        content = text.get_text_range()
        starts = [m.start() for m in re.finditer(r"#\d+ ", content)]
        heights = [text.get_charbox(i)[3] - text.get_charbox(i)[1] for i in starts]  # the '#' glyph
    finally:
        pdf.close()
    assert starts and min(heights) >= 0.6 * MIN_LABEL_SIZE


def test_sample_html_is_compact(sample_plan: Plan) -> None:
    html = review_html(sample_plan, str(SAMPLE))
    assert len(html.encode("utf-8")) < SAMPLE_HTML_LIMIT
    images = re.findall(r'<img src="data:image/(png|jpeg);base64,', html)
    assert len(images) > sample_plan.document.page_count
    rows = side_rows(html, DENSE_PAGE)
    assert {f"#{a.id}" for a in sample_plan.pages[DENSE_PAGE - 1].areas} <= set(rows)


# --------------------------------------------------------------------------- label layout, page images


def test_layout_keeps_every_label_between_top_and_bottom() -> None:
    import pymupdf

    measure = Measure(pymupdf.Font("helv"))
    text = "{} annexes-operational-detail (block) · 4(1)(a) public security"
    for count in (3, 90, 300):
        labels = [Label(700 - i * 700 / count, 500, text.format(f"#{i}")) for i in range(count)]  # bottom up
        layout = layout_labels(labels, measure, 14, 828)
        assert len(layout.placed) == count
        assert layout.size >= MIN_LABEL_SIZE
        assert (layout.columns > 1) == (count == 300)
        for column in range(layout.columns):
            spans = sorted(
                (top, top + len(lines) * layout.size * LEADING) for _, c, top, lines in layout.placed if c == column
            )
            assert spans[0][0] >= 14 and spans[-1][1] <= 828 + 1e-6
            assert all(a[1] <= b[0] + 1e-6 for a, b in itertools.pairwise(spans))  # no overlap
        for _, _, _, lines in layout.placed:
            assert all(measure(line, layout.size) <= layout.width for line in lines)
    few = layout_labels([Label(100, 300, "#1 default (block)")], measure, 14, 828)
    assert (few.columns, few.extra, few.size) == (1, LABEL_COLUMN, LABEL_SIZES[0])
    assert few.placed[0][2] == 100  # beside its box


def test_grey_pages_are_two_bit_pngs_and_colour_pages_jpeg(files: tuple[Path, Path]) -> None:
    import pymupdf

    doc = pymupdf.open(files[0])
    try:
        kinds = [page_image(page)[0] for page in doc]
        png = page_image(doc[0])[1]
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[24:26] == bytes([2, 0])  # bit depth 2, greyscale
    finally:
        doc.close()
    assert kinds == ["image/png", "image/png", "image/jpeg", "image/png", "image/png"]  # page 3 has a red image


def test_boxes_follow_the_page_rotation() -> None:
    """On a rotated page a box is placed where the viewer shows its content (as MuPDF's rotation matrix puts it)."""
    import pymupdf

    from redactor.geometry import Rect
    from redactor.render.preview_html import _Frame

    doc = pymupdf.open()
    for rotation in (0, 90, 180, 270):
        page = doc.new_page(width=600, height=800)
        page.set_rotation(rotation)
        rect = Rect(100, 50, 250, 80)
        box = _Frame(page).box(rect, "withheld", "#1")
        shown = pymupdf.Rect(rect.as_tuple()) * page.rotation_matrix
        expected = [100 * shown.x0 / page.rect.width, 100 * shown.y0 / page.rect.height]
        expected += [100 * shown.width / page.rect.width, 100 * shown.height / page.rect.height]
        assert [box[k] for k in ("left", "top", "width", "height")] == pytest.approx(expected, abs=0.06)
    doc.close()


def test_images_rendered_by_workers_are_the_same(files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A long source's page images are rendered in worker processes: the file is the same as without them."""
    import redactor.render.preview_html as preview_html

    plan = make_plan(*files)
    alone = review_html(plan, str(files[0]), jobs=1)
    monkeypatch.setattr(preview_html, "parallel_images_from", lambda: 1)
    monkeypatch.setattr(preview_html, "CHUNK", 2)
    assert review_html(plan, str(files[0]), jobs=2) == alone
