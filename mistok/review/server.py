"""Starting a review: open the run folder and its decision log, then serve the application."""

from __future__ import annotations

import getpass
import ipaddress
import secrets
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from aligner.errors import InputError
from mistok.review.db import DatabaseCorrupt, DecisionLog
from mistok.review.files import review_paths
from mistok.review.run_view import load_run
from mistok.review.state import Review, rebuild_from_files

__all__ = ["DATABASE_NAME", "is_loopback", "make_review_server", "open_review", "serve"]

DATABASE_NAME = "decisions.sqlite"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Opened:
    """A review ready to serve, and what was said on the way (warnings)."""

    review: Review
    warnings: tuple[str, ...]


def open_review(out: Path) -> Opened:
    """The run folder ``out`` and its decision log (created when new). A corrupt database is
    set aside and rebuilt from the exported files, with a warning."""
    view = load_run(Path(out))
    folder = review_paths(out).folder
    folder.mkdir(exist_ok=True)
    path = folder / DATABASE_NAME
    log = DecisionLog(path)
    warnings = []
    try:
        log.open()
    except DatabaseCorrupt as err:
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        path.rename(aside)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        log = DecisionLog(path)
        log.open()
        recovered = rebuild_from_files(Path(out), log, view)
        warnings.append(
            f"{path}: the review database was unreadable ({err}); set aside as {aside.name} "
            f"and rebuilt from the exported files ({recovered} decisions; the authors and times "
            "of earlier decisions are lost)"
        )
    return Opened(Review(view, log), tuple(warnings))


def make_review_server(review: Review, host: str, port: int, token: str | None, author: str | None):
    """A threaded werkzeug server of the application over ``review`` (not started), and the
    token it needs (generated when ``host`` is not the loopback and none is given).
    :class:`InputError` (one line) for a port in use."""
    from werkzeug.serving import make_server

    from mistok.review.app import ReviewConfig, create_app

    if not is_loopback(host) and token is None:
        token = secrets.token_urlsafe(24)
        print(f"mistok review: {host} is reachable from other machines: access token {token}")
    try:  # asked first: werkzeug prints its own lines and exits 1 on a port in use
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
        server = make_server(host, port, None, threaded=True)  # the app once the port is known
    except (OSError, SystemExit) as err:
        reason = getattr(err, "strerror", None) or "address in use"
        raise InputError(
            f"cannot serve on {host}:{port}: {reason}; choose another --port"
        ) from None
    port = server.server_port
    # on the loopback the Host header must name it (no DNS rebinding); elsewhere the token guards
    hosts: set[str] = set()
    if is_loopback(host):
        hosts = {f"{host}:{port}", f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    config = ReviewConfig(
        author or getpass.getuser() or "reviewer",
        frozenset(hosts),
        token,
        secrets.token_urlsafe(32),
    )
    server.app = create_app(review, config)
    return server, token


def serve(review: Review, host: str, port: int, token: str | None, author: str | None) -> None:
    """Serve ``review`` until interrupted (see :func:`make_review_server`)."""
    server, token = make_review_server(review, host, port, token, author)
    address = f"http://{host}:{server.server_port}/"
    print(f"mistok review: {review.view.root} at {address}" + (f"?token={token}" if token else ""))
    print("press Ctrl+C to stop; decisions are saved as they are made")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
