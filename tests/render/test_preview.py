"""``redactor preview``: review copies keep everything, show the plan, and say they are classified.

Checked with pdfminer.six and pikepdf, not with PyMuPDF, which wrote the files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from pdfminer.high_level import extract_text
from typer.testing import CliRunner

from redactor.pipeline import make_plan
from redactor.render.preview_pdf import STAMP, WITHHELD
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


def test_html_review_copy(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, rules = files
    out = tmp_path / "review.html"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    plan = make_plan(source, rules)
    assert STAMP in html
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)  # self-contained
    images = re.findall(r'<img src="data:image/png;base64,', html)
    extract_pages = 1 + len(plan.sequence)  # the cover, then one page per item here
    assert len(images) == plan.document.page_count + extract_pages
    withheld_boxes = html.count('class="box withheld"')
    assert withheld_boxes == sum(len(a.rects) for a in plan.areas()) + 2  # + the two dropped pages
    assert html.count('class="box released"') == sum(len(p.keep_rects) for p in plan.pages)
    assert re.search(r'<option value="harbour-secret">', html)
    assert 'title="withheld by ops' in html


def test_html_condensed_range_shows_its_extract_pages(files: tuple[Path, Path], tmp_path: Path) -> None:
    source, _ = files
    rules = write_rules(tmp_path, RULES + '- id: squeeze\n  condense: {pages: "2-3"}\n')
    out = tmp_path / "review.html"
    result = runner.invoke(review_app(), ["preview", str(source), str(rules), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page2 = html.split('id="page-2"')[1].split('id="page-3"')[0]
    page3 = html.split('id="page-3"')[1].split('id="page-4"')[0]
    assert "condensed:" in page2 and page2.count("data:image/png") >= 2
    assert "Shown with page 2" in page3 and page3.count("data:image/png") == 1


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
