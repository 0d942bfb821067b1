"""The review application (Flask): its safety rules; the pages are in :mod:`.routes`.

- It serves 127.0.0.1 by default. Served on any other address it needs a token: a request
  carries it once as ``?token=…`` (the address ``mistok review`` prints), which sets a cookie.
- The ``Host`` header must name the address served (no DNS rebinding).
- Every change is a POST carrying the page's CSRF token (a form field or the
  ``X-CSRF-Token`` header), from the same origin; a GET changes nothing.
- Templates escape every text (Jinja autoescape), and the Content-Security-Policy allows
  only the application's own script and style files, so an article's ``<script>`` never runs.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from flask import Flask, abort, redirect, request

from mistok.review.state import Review

__all__ = ["ReviewConfig", "create_app"]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
TOKEN_COOKIE = "mistok_token"
AUTHOR_COOKIE = "mistok_author"


@dataclass(frozen=True)
class ReviewConfig:
    """How the application is served: who the default reviewer is, the hosts it answers
    to, the access token (``None``: no token, only for the loopback address)."""

    author: str
    allowed_hosts: frozenset[str]
    token: str | None = None
    csrf: str = ""


def create_app(review: Review, config: ReviewConfig) -> Flask:
    """The Flask application over ``review``."""
    from mistok.review import routes

    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.config["REVIEW"] = review
    csrf = config.csrf or secrets.token_urlsafe(32)
    app.config["REVIEW_CONFIG"] = config
    app.config["CSRF"] = csrf
    app.jinja_env.autoescape = True

    @app.before_request
    def guard():
        if config.allowed_hosts and request.host not in config.allowed_hosts:
            abort(400, "unknown host")
        if config.token is not None:
            given = request.args.get("token")
            if given is not None and hmac.compare_digest(given, config.token):
                response = redirect(request.path, code=303)
                response.set_cookie(TOKEN_COOKIE, given, httponly=True, samesite="Strict")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not hmac.compare_digest(cookie, config.token):
                abort(401, "this review needs the token printed by mistok review")
        if request.method not in ("GET", "HEAD"):
            if request.method != "POST":
                abort(405)
            sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
            if not hmac.compare_digest(sent, csrf):
                abort(403, "missing or wrong CSRF token; reload the page")
            origin = request.headers.get("Origin")
            if origin and origin != f"{request.scheme}://{request.host}":
                abort(403, "a request from another site")
        return None

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    routes.register(app)
    return app
