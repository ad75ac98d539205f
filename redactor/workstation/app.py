"""The web application: routes, the token guard, and the page that holds the reviewer's view.

Everything is served from this process: the page, its script and style (shipped in the
package under ``static/``), the page pictures, and JSON. Nothing is fetched from anywhere
else, and the Content-Security-Policy header tells the browser to refuse anything that
would be. Every request must carry the token of the URL the command printed (the page
sets it as a same-site cookie, so its own requests carry it), and name 127.0.0.1 or
localhost as its host, which a web page elsewhere cannot make the browser do (DNS
rebinding). Responses are never cached: they show classified text.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from redactor.authoring.picks import search, words_in
from redactor.errors import RedactorError
from redactor.workstation.actions import perform
from redactor.workstation.release import apply_release
from redactor.workstation.session import Session
from redactor.workstation.views import overview, page_view

HERE = Path(__file__).parent
COOKIE = "redactor_token"
HEADER = "x-redactor-token"
#: What the browser may load and send: this origin only, pictures included.
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", POLICY.encode()),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
HOSTS = ("127.0.0.1", "localhost")
#: The banner over every view: what the screen shows is still classified.
STAMP = "REVIEW — STILL CLASSIFIED — NOT FOR RELEASE"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Guard:
    """Refuse (403) a request without the token or for another host; add the security headers."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, or refuse it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if not (self._host_ok(scope) and self._token_ok(scope)):
            refusal = PlainTextResponse("forbidden: open the workstation with the URL `redactor review` printed.", 403)
            await refusal(scope, receive, self._headed(send))
            return
        await self.app(scope, receive, self._headed(send))

    def _headed(self, send: Send) -> Send:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        return sending

    def _host_ok(self, scope: Scope) -> bool:
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        name = host.rsplit(":", 1)[0] if not host.startswith("[") else host
        return name in HOSTS

    def _token_ok(self, scope: Scope) -> bool:
        headers = dict(scope.get("headers", []))
        given = [
            *parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token", []),
            headers.get(HEADER.encode(), b"").decode("latin-1"),
        ]
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is no token
            pass
        if COOKIE in cookie:
            given.append(cookie[COOKIE].value)
        return any(secrets.compare_digest(g.encode(), self.token.encode()) for g in given if g)


def create_app(session: Session, token: str) -> ASGIApp:
    """The workstation for ``session``, answering only requests that carry ``token``."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True)

    def index(request: Request) -> Response:
        html = env.get_template("workstation.html.j2").render(
            stamp=STAMP, number=session.plan.ruleset.document.number, source=session.source.name,
            rules=session.rules.name, output=str(session.output), output_name=session.output.name,
        )  # fmt: skip
        response = HTMLResponse(html)
        response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
        return response

    def state(request: Request) -> Response:
        with session.lock:
            session.sync()
            return JSONResponse(_state(session))

    def page(request: Request) -> Response:
        number = _page(request, session)
        with session.lock:
            return JSONResponse(page_view(session.plan, number, session.pictures.shown(number), session.version))

    def source_png(request: Request) -> Response:
        number = _page(request, session)
        with session.lock:
            return Response(session.pictures.page(number), media_type="image/png")

    def thumb_png(request: Request) -> Response:
        number = _page(request, session)
        with session.lock:
            return Response(session.pictures.thumb(number), media_type="image/png")

    def extract_png(request: Request) -> Response:
        number = _page(request, session)
        index = int(request.path_params["index"])
        with session.lock:
            plan = session.plan
            item = next((i for i in plan.sequence if i.first <= number <= i.last), None)
            if item is None or item.kind == "withheld_pages":
                return PlainTextResponse("no extract page", 404)
            pictures = session.pictures.extract(plan, item, number)
        if not 0 <= index < len(pictures):
            return PlainTextResponse("no such extract page", 404)
        return Response(pictures[index], media_type="image/png", headers={"x-extract-pages": str(len(pictures))})

    def extract_count(request: Request) -> Response:
        number = _page(request, session)
        with session.lock:
            plan = session.plan
            item = next((i for i in plan.sequence if i.first <= number <= i.last), None)
            shown = item is not None and item.kind != "withheld_pages"
            count = len(session.pictures.extract(plan, item, number)) if item is not None and shown else 0
        return JSONResponse({"count": count, "version": session.version})

    def words(request: Request) -> Response:
        number = _page(request, session)
        try:
            fractions = tuple(float(request.query_params[k]) for k in ("x0", "y0", "x1", "y1"))
        except (KeyError, ValueError):
            return JSONResponse({"ok": False, "message": "give x0, y0, x1, y1."}, 400)
        with session.lock:
            rect = session.pictures.shown(number).rect(fractions)  # type: ignore[arg-type]
            found = words_in(session.document, number, rect)
            if found is None:
                return JSONResponse({"ok": True, "span": None})
            shown = session.pictures.shown(number)
            doc = session.document
            ids = [w for w in doc.blocks[found.block].word_ids if found.first <= w <= found.last]
            boxes = [shown.box(doc.words.rect(w)) for w in ids]
        span = {"block": found.block, "first": found.first, "last": found.last, "text": found.text, "boxes": boxes}
        return JSONResponse({"ok": True, "span": span})

    def find(request: Request) -> Response:
        query = request.query_params.get("q", "")
        ignore_case = request.query_params.get("ignore_case") in ("1", "true")
        with session.lock:
            count, listed = search(session.document, query, ignore_case)
            plan = session.plan
            rows = [
                {
                    "page": o.page,
                    "block": o.block,
                    "excerpt": o.excerpt,
                    "withheld": all(plan.verdicts[w].withheld for w in o.word_ids),
                }
                for o in listed
            ]
        return JSONResponse({"count": count, "occurrences": rows})

    def lint(request: Request) -> Response:
        return JSONResponse(session.lint.status(session.version))

    async def act(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"ok": False, "message": "the request is not JSON."}, 400)
        if not isinstance(body, dict):
            return JSONResponse({"ok": False, "message": "the request is not a JSON object."}, 400)
        try:
            outcome = await run_in_threadpool(perform, session, body)
        except RedactorError as error:
            return JSONResponse({"ok": False, "message": error.paragraph(), **_state(session)}, 422)
        except ValueError as error:
            return JSONResponse({"ok": False, "message": str(error), **_state(session)}, 422)
        return JSONResponse(
            {
                "ok": True,
                "message": outcome.message,
                "rule": outcome.rule,
                "changed": list(outcome.changed),
                "seconds": round(outcome.seconds, 3),
                **_state(session),
            }
        )

    async def do_apply(request: Request) -> Response:
        result = await run_in_threadpool(apply_release, session)
        return JSONResponse(result)

    routes = [
        Route("/", index),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/api/state", state),
        Route("/api/page/{number:int}", page),
        Route("/api/page/{number:int}/extract", extract_count),
        Route("/api/words/{number:int}", words),
        Route("/api/search", find),
        Route("/api/lint", lint),
        Route("/api/action", act, methods=["POST"]),
        Route("/api/apply", do_apply, methods=["POST"]),
        Route("/page/{number:int}/source.png", source_png),
        Route("/page/{number:int}/thumb.png", thumb_png),
        Route("/page/{number:int}/extract/{index:int}.png", extract_png),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    return Guard(Starlette(routes=routes), token)


def _page(request: Request, session: Session) -> int:
    number = int(request.path_params["number"])
    if not 1 <= number <= session.document.page_count:
        from starlette.exceptions import HTTPException

        raise HTTPException(404, f"no page {number}")
    return number


def _state(session: Session) -> dict[str, Any]:
    with session.lock:
        return {
            **overview(session.plan, session.version),
            "can_undo": session.history.can_undo,
            "can_redo": session.history.can_redo,
            "disk_error": session.disk_error,
            "output": str(session.output),
        }
