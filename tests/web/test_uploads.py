"""Uploads over the 10MB limit are refused without reading them whole.

The first two tests talk ASGI directly, so that they can count the bytes the app asks
for: a browser would send them only as fast as the app reads.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import anyio
from fastapi import FastAPI

from .support import TestClient, csrf, visible_text
from .test_record_a_concern import justify

MB = 1024 * 1024
CHUNK = 64 * 1024
BOUNDARY = "safesideboundary"
TOO_LARGE = "The file must be smaller than 10MB"


class Upload:
    """A multipart upload of ``size`` bytes, sent chunk by chunk; counts what was read."""

    def __init__(self, csrf_token: str, size: int) -> None:
        self.read = 0
        head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{csrf_token}\r\n"
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="kind"\r\n\r\nfile\r\n'
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="upload"; filename="huge.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        self.chunks = self._chunks(head, size)

    @staticmethod
    def _chunks(head: bytes, size: int) -> Iterator[bytes]:
        yield head
        for _ in range(size // CHUNK):
            yield b"x" * CHUNK
        yield f"\r\n--{BOUNDARY}--\r\n".encode()

    async def receive(self) -> dict[str, Any]:
        chunk = next(self.chunks, b"")
        self.read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunk)}


def post(app: FastAPI, path: str, cookie: str, upload: Upload, length: int | None) -> int:
    """POST ``upload`` to ``path`` straight through ASGI; returns the status sent."""
    headers = [
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
        (b"cookie", f"safeside_session={cookie}".encode()),
    ]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    else:
        headers.append((b"transfer-encoding", b"chunked"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 443),
    }
    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def run() -> None:
        await app(scope, upload.receive, send)

    anyio.run(run)
    return statuses[0]


def capture_page(client: TestClient) -> str:
    _, location, _ = justify(client)
    return location


def test_a_declared_300mb_upload_is_refused_before_any_of_it_is_read(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    location = capture_page(sam)
    upload = Upload(csrf(sam, location), 300 * MB)

    status = post(app, location, sam.cookies["safeside_session"], upload, length=300 * MB)

    assert status == 413
    assert upload.read == 0


def test_an_undeclared_300mb_upload_is_cut_off_at_the_limit_in_little_memory(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    location = capture_page(sam)
    upload = Upload(csrf(sam, location), 300 * MB)

    tracemalloc.start()
    try:
        status = post(app, location, sam.cookies["safeside_session"], upload, length=None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert status == 413
    assert upload.read <= 11 * MB + CHUNK  # the 10MB file limit plus room for the form
    assert peak < 8 * MB, f"peak {peak / MB:.1f}MB"  # spooled to disk, never held whole


def test_a_file_just_over_10mb_gets_the_design_system_error(
    signed_in: Callable[[str], TestClient],
) -> None:
    sam = signed_in("practitioner")
    location = capture_page(sam)
    response = sam.post(
        location,
        data={"kind": "file", "csrf_token": csrf(sam, location)},
        files={"upload": ("big.txt", b"x" * (10 * MB + 1), "text/plain")},
    )
    assert response.status_code == 400
    assert f"There is a problem {TOO_LARGE}" in visible_text(response.text)


def test_the_too_large_page_says_how_to_fix_it(
    app: FastAPI, signed_in: Callable[[str], TestClient]
) -> None:
    sam = signed_in("practitioner")
    location = capture_page(sam)
    response = sam.post(
        location,
        content=b"x" * 100,
        headers={
            "content-type": f"multipart/form-data; boundary={BOUNDARY}",
            "content-length": str(300 * MB),
        },
    )
    assert response.status_code == 413
    page = visible_text(response.text)
    assert f"The file is too big {TOO_LARGE}. Go back and choose a smaller file." in page
    assert "content-security-policy" in response.headers
