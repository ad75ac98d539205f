"""The workstation's web application, in process (Starlette's TestClient): the token, the views, the actions."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from starlette.testclient import TestClient

from redactor.authoring.rulefile import rule_ids
from redactor.workstation.app import COOKIE, HEADER, create_app
from redactor.workstation.session import Session
from tests.workstation.helpers import COMMENTED

TOKEN = "s3cret-token"
LOCAL = "http://127.0.0.1:8765"


@pytest.fixture
def client(session: Session) -> Iterator[TestClient]:
    with TestClient(create_app(session, TOKEN), base_url=LOCAL) as opened:
        assert opened.get(f"/?token={TOKEN}").status_code == 200  # sets the cookie, as the browser's first visit
        yield opened


def block_id(client: TestClient, page: int, prefix: str) -> int:
    view = client.get(f"/api/page/{page}").json()
    return next(b["id"] for b in view["blocks"] if b["excerpt"].startswith(prefix))


def block_view(client: TestClient, page: int, prefix: str) -> dict[str, Any]:
    view = client.get(f"/api/page/{page}").json()
    return next(b for b in view["blocks"] if b["excerpt"].startswith(prefix))


# --------------------------------------------------------------------------- the guard


@pytest.mark.parametrize("path", ["/", "/api/state", "/api/page/1", "/page/1/source.png", "/static/workstation.js"])
def test_a_request_without_the_token_is_refused(session: Session, path: str) -> None:
    with TestClient(create_app(session, TOKEN), base_url=LOCAL) as anonymous:
        assert anonymous.get(path).status_code == 403
        assert anonymous.get(path, params={"token": "wrong"}).status_code == 403
        assert anonymous.get(path, cookies={COOKIE: "wrong"}).status_code == 403
        assert anonymous.get(path, params={"token": TOKEN}).status_code == 200
        assert anonymous.get(path, headers={HEADER: TOKEN}).status_code == 200


def test_an_action_without_the_token_changes_nothing(session: Session) -> None:
    with TestClient(create_app(session, TOKEN), base_url=LOCAL) as anonymous:
        refused = anonymous.post("/api/action", json={"kind": "remove", "rule": "coastal"})
    assert refused.status_code == 403
    assert session.rules.read_text(encoding="utf-8") == COMMENTED


def test_the_page_sets_the_token_as_a_strict_cookie(session: Session) -> None:
    with TestClient(create_app(session, TOKEN), base_url=LOCAL) as browser:
        first = browser.get("/", params={"token": TOKEN})
        cookie = first.headers["set-cookie"]
        assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert browser.get("/api/state").status_code == 200  # the cookie alone now


def test_another_host_name_is_refused(client: TestClient) -> None:
    assert client.get("/api/state", headers={"host": "evil.example:8765"}).status_code == 403
    assert client.get("/api/state", headers={"host": "localhost:8765"}).status_code == 200


def test_responses_forbid_outside_resources_and_caching(client: TestClient) -> None:
    for path in ("/", "/api/state", "/page/2/source.png"):
        headers = client.get(path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "connect-src 'self'" in policy and "img-src 'self'" in policy
        assert headers["cache-control"] == "no-store"


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    html = client.get("/").text
    links = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    for asset in ("/static/workstation.js", "/static/workstation.css"):
        text = client.get(asset).text
        assert "http:" not in text and "https:" not in text and "url(" not in text and "@import" not in text


# --------------------------------------------------------------------------- what is shown


def test_state_lists_pages_rules_with_hits_and_reasons(client: TestClient) -> None:
    state = client.get("/api/state").json()
    assert state["pages"] == ["kept", "kept", "kept", "withheld", "withheld"]
    rules = {r["id"]: r for r in state["rules"]}
    assert rules["ops"]["hits"] > 0 and rules["ops"]["reason"] == "other" and rules["ops"]["level"] == "span"
    assert set(state["reasons"]) == {"sec", "other"}
    assert not state["can_undo"] and not state["can_redo"]


def test_blocks_carry_their_verdicts_rules_and_reasons(client: TestClient) -> None:
    secret = block_view(client, 2, "Second harbour paragraph")
    assert secret["state"] == "withheld"
    label = {"kind": "withheld", "rule": "harbour-secret", "text": "withheld · harbour-secret · sec"}
    assert secret["labels"] == [label]
    public = block_view(client, 2, "Harbour logistics paragraph")
    assert public["state"] == "mixed"  # Operation Quillfeather inside is withheld by ops
    assert [label["text"] for label in public["labels"]] == ["released · harbour", "withheld · ops · other"]
    assert {s["kind"] for s in public["segments"]} == {"released", "withheld"}
    header = next(b for b in client.get("/api/page/2").json()["blocks"] if b["furniture"])
    assert header["state"] == "furniture"


def test_images_pictures_and_the_extract_page(client: TestClient) -> None:
    view = client.get("/api/page/3").json()
    assert [i["kind"] for i in view["images"]] == ["art-withheld"]
    assert view["extract"]["kind"] == "page"
    assert client.get("/page/3/source.png").content.startswith(b"\x89PNG")
    assert client.get("/page/3/thumb.png").content.startswith(b"\x89PNG")
    assert client.get("/api/page/3/extract").json()["count"] == 1
    assert client.get("/page/3/extract/0.png").content.startswith(b"\x89PNG")
    withheld = client.get("/api/page/4").json()["extract"]
    assert withheld["kind"] == "placeholder" and "NOT DECLASSIFIED" in withheld["text"]
    assert client.get("/page/4/extract/0.png").status_code == 404
    assert client.get("/api/page/9").status_code == 404


def test_search_and_words(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "harbour", "ignore_case": "1"}).json()
    assert found["count"] >= 3 and {o["page"] for o in found["occurrences"]} == {1, 2}
    assert any(o["withheld"] for o in found["occurrences"])  # the SECRETHARBOUR paragraph
    box = block_view(client, 2, "Second harbour paragraph")["box"]
    left, top, width, height = (v / 100 for v in box)
    words = client.get("/api/words/2", params={"x0": left, "y0": top, "x1": left + width / 3, "y1": top + height})
    span = words.json()["span"]
    assert span["text"].startswith("Second harbour") and len(span["boxes"]) >= 2


# --------------------------------------------------------------------------- what is done


def act(client: TestClient, **request: Any) -> dict[str, Any]:
    response = client.post("/api/action", json=request)
    body = response.json()
    assert response.status_code == 200, body
    return body


def test_releasing_a_block_writes_a_rule_and_replans(client: TestClient, session: Session) -> None:
    block = block_id(client, 2, "Second harbour paragraph")
    done = act(client, kind="block", block=block, action="release")
    assert done["rule"] == "review-release-p2-block" and 2 in done["changed"]
    assert "review-release-p2-block" in rule_ids(session.rules.read_text(encoding="utf-8"))
    assert block_view(client, 2, "Second harbour paragraph")["state"] == "released"
    assert done["can_undo"] and done["version"] == 2
    # Withholding it again replaces the workstation's rule rather than adding a second one.
    again = act(client, kind="block", block=block, action="withhold", reason="sec")
    assert "removed" in again["message"] and "review-release-p2-block" not in rule_ids(session.text)
    assert block_view(client, 2, "Second harbour paragraph")["state"] == "withheld"


def test_a_block_already_so_writes_nothing(client: TestClient, session: Session) -> None:
    done = act(client, kind="block", block=block_id(client, 2, "Second harbour paragraph"), action="withhold")
    assert "nothing written" in done["message"]
    assert session.rules.read_text(encoding="utf-8") == COMMENTED


def test_changing_a_reason(client: TestClient, session: Session) -> None:
    act(client, kind="reason", rule="harbour-secret", reason="other")
    assert block_view(client, 2, "Second harbour paragraph")["labels"][0]["text"] == "withheld · harbour-secret · other"
    assert '    reason: "other"\n' in session.rules.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("request_body", "message"),
    [
        ({"kind": "block", "block": 10**6, "action": "release"}, "block must be a number"),
        ({"kind": "block", "block": 0, "action": "publish"}, "unknown action"),
        ({"kind": "reason", "rule": "ops", "reason": "made-up"}, "not defined under reasons"),
        ({"kind": "pages", "first": 4, "last": 2, "action": "withhold"}, "last must be a number"),
        ({"kind": "region", "page": 2, "rect": [0.5, 0.5, 0.5, 0.5], "action": "withhold"}, "empty"),
        ({"kind": "search", "query": "  ", "action": "withhold"}, "empty"),
        ({"kind": "remove", "rule": "no-such-rule"}, "no rule 'no-such-rule'"),
        ({"kind": "explode"}, "unknown action"),
    ],
)
def test_a_bad_action_is_refused_and_writes_nothing(
    client: TestClient, session: Session, request_body: dict[str, Any], message: str
) -> None:
    refused = client.post("/api/action", json=request_body)
    assert refused.status_code == 422 and message in refused.json()["message"]
    assert session.rules.read_text(encoding="utf-8") == COMMENTED


def test_region_pages_search_undo_and_redo(client: TestClient, session: Session) -> None:
    act(client, kind="region", page=3, rect=[0.05, 0.05, 0.95, 0.5], action="withhold", reason="sec")
    act(client, kind="pages", first=4, last=5, action="release")
    act(client, kind="search", query="Coastal", ignore_case=False, action="withhold", reason="sec")
    texts = [session.rules.read_text(encoding="utf-8")]
    assert [r for r in rule_ids(texts[0]) if r.startswith("review-")] == [
        "review-withhold-p3-region",
        "review-release-pp4-5",
        "review-withhold-search",
    ]
    assert client.get("/api/state").json()["pages"][3:] == ["kept", "kept"]
    act(client, kind="undo")
    act(client, kind="undo")
    assert rule_ids(session.rules.read_text(encoding="utf-8"))[-1] == "review-withhold-p3-region"
    state = act(client, kind="redo")
    assert state["can_redo"] and rule_ids(session.rules.read_text(encoding="utf-8"))[-1] == "review-release-pp4-5"
    act(client, kind="redo")
    assert session.rules.read_text(encoding="utf-8") == texts[0]
    assert "nothing to redo" in act(client, kind="redo")["message"]


def test_an_edit_made_in_an_editor_is_taken_in_and_never_overwritten(client: TestClient, session: Session) -> None:
    edited = COMMENTED.replace('  - id: coastal\n    release: {block: "^Coastal patrol paragraph"}\n', "")
    session.rules.write_text(edited, encoding="utf-8")
    state = client.get("/api/state").json()
    assert "coastal" not in {r["id"] for r in state["rules"]} and state["can_undo"]
    broken = edited.replace("rules:\n", "rules: [\n")
    session.rules.write_text(broken, encoding="utf-8")
    assert "no longer plans" in client.get("/api/state").json()["disk_error"]
    refused = client.post("/api/action", json={"kind": "undo"})
    assert refused.status_code == 422 and session.rules.read_text(encoding="utf-8") == broken
    session.rules.write_text(edited, encoding="utf-8")
    assert client.get("/api/state").json()["disk_error"] is None
    act(client, kind="undo")
    assert session.rules.read_text(encoding="utf-8") == COMMENTED


def test_lint_follows_the_changes(client: TestClient) -> None:
    def settled() -> dict[str, Any]:
        for _ in range(200):
            status = client.get("/api/lint").json()
            if not status["pending"]:
                return status
            time.sleep(0.05)
        raise AssertionError("lint never finished")

    before = settled()
    assert before["version"] == 1 and all(f["severity"] == "warning" for f in before["findings"])
    act(client, kind="block", block=block_id(client, 2, "Second harbour paragraph"), action="release")
    after = settled()
    assert after["version"] == 2
    assert any(f["rule"] == "harbour-secret" and "decides none" in f["message"] for f in after["findings"])


def test_apply_writes_the_verified_extract(client: TestClient, session: Session) -> None:
    act(client, kind="block", block=block_id(client, 2, "Second harbour paragraph"), action="release")
    result = client.post("/api/apply").json()
    assert result["ok"] and result["written"] == [str(session.output)] and "verified" in result["message"]
    pdf = pypdfium2.PdfDocument(session.output.read_bytes())
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    assert "SECRETHARBOUR" in text and "Quillfeather" not in text and "SECRETPATROL" not in text


def test_apply_refuses_to_overwrite_an_input(client: TestClient, session: Session) -> None:
    session.output = session.rules
    result = client.post("/api/apply").json()
    assert not result["ok"] and "rule file" in result["message"]
    assert session.rules.read_text(encoding="utf-8") == COMMENTED


def test_a_rotated_page_maps_boxes_and_drawn_rectangles_both_ways(tmp_path: Path) -> None:
    import pymupdf

    source = tmp_path / "rotated.pdf"
    with pymupdf.open() as doc:
        page = doc.new_page()
        page.insert_text((72, 100), "Turned paragraph stays readable.", fontsize=11)
        page.set_rotation(90)
        doc.save(source)
    rules = tmp_path / "rules.yaml"
    rules.write_text(COMMENTED.split("rules:\n")[0] + 'rules:\n  - {id: all, release: {pages: "1"}}\n', "utf-8")
    opened = Session.open(source, rules, tmp_path / "out.pdf", lint_in_process=False)
    try:
        with TestClient(create_app(opened, TOKEN), base_url=LOCAL) as browser:
            browser.get(f"/?token={TOKEN}")
            view = browser.get("/api/page/1").json()
            assert view["aspect"] < 1  # shown in landscape, as the rotation says
            block = next(b for b in view["blocks"] if b["excerpt"].startswith("Turned"))
            left, top, width, height = block["box"]
            assert height > width  # the line runs down the shown page
            fractions = [(left - 1) / 100, (top - 1) / 100, (left + width + 1) / 100, (top + height + 1) / 100]
            act(browser, kind="region", page=1, rect=fractions, action="withhold")
            assert block_view(browser, 1, "Turned")["state"] == "withheld"
    finally:
        opened.close()
