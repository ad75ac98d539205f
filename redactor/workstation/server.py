"""Serving the workstation: a socket on 127.0.0.1, a fresh token, uvicorn.

The socket is bound before the server starts, so the URL (with the port the system chose
when none was asked for) is known, and can be printed and opened, before the first
request; connections made meanwhile wait in its backlog. Only the loopback address is
bound: the workstation is not reachable from another machine.
"""

from __future__ import annotations

import secrets
import socket
import threading
from dataclasses import dataclass

import uvicorn

from redactor.errors import InputError
from redactor.workstation.app import create_app
from redactor.workstation.session import Session

HOST = "127.0.0.1"


@dataclass
class Served:
    """A workstation ready to serve: its URL (token included), its server and socket."""

    url: str
    token: str
    server: uvicorn.Server
    sock: socket.socket

    def run(self) -> None:
        """Serve until stopped (Ctrl-C, SIGTERM or :meth:`stop`)."""
        self.server.run(sockets=[self.sock])

    def start(self) -> threading.Thread:
        """Serve from a background thread (tests, and embedding); returns once it answers."""
        thread = threading.Thread(target=self.run, name="redactor-review", daemon=True)
        thread.start()
        while not self.server.started and thread.is_alive():
            threading.Event().wait(0.02)
        return thread

    def stop(self) -> None:
        """Ask the server to finish the requests under way and stop."""
        self.server.should_exit = True


def bind(port: int | None) -> socket.socket:
    """A listening socket on 127.0.0.1, on ``port`` or on one the system picks."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port or 0))
    except OSError as error:
        sock.close()
        raise InputError(
            f"cannot listen on {HOST}:{port} ({error.strerror or error}).",
            hint="leave --port out to take a free port, or give another.",
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def serve(session: Session, port: int | None = None) -> Served:
    """The workstation for ``session`` on 127.0.0.1, with a token of its own."""
    token = secrets.token_urlsafe(24)
    sock = bind(port)
    app = create_app(session, token)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    url = f"http://{HOST}:{sock.getsockname()[1]}/?token={token}"
    return Served(url, token, server, sock)
