"""ASGI middleware: security headers on every response and a cap on request bodies."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vendaudit.service.web.pages import SELFTEST_SHA256

__all__ = ["PAGE_CSP", "REPORT_CSP", "SecurityMiddleware"]

PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    f"script-src 'sha256-{SELFTEST_SHA256}'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""Service pages: nothing from anywhere, only the self-test script, the report frame."""

REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
"""The embedded HTML report (the report renderer's own policy, framable by our pages)."""


class SecurityMiddleware:
    """Add security headers; refuse bodies over ``max_body`` bytes with 413."""

    def __init__(self, app: ASGIApp, max_body: int = 64 * 1024) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length" and (not value.isdigit() or int(value) > self.max_body):
                await _too_large(send)
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    # Chunked bodies have no length up front: stop reading them here.
                    raise _BodyTooLarge
            return message

        is_report = scope.get("path", "").endswith("/report.html")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"cross-origin-opener-policy": b"same-origin",
                    b"cross-origin-resource-policy": b"same-origin",
                    b"x-frame-options": b"SAMEORIGIN" if is_report else b"DENY",
                    b"content-security-policy": (REPORT_CSP if is_report else PAGE_CSP).encode(),
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
                }
                headers += [(k, v) for k, v in extra.items() if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b'{"error": "request body too large"}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
