"""The phone page's files, served gzip-compressed when the phone accepts it and revalidated by ETag.

A room joining at once downloads the page once per phone: compressed it is about a third of
the bytes, and a phone that comes back (a reload, a reconnect) gets a 304 with no body.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from importlib import resources

from aiohttp import web

TYPES = {"index.html": "text/html", "app.js": "application/javascript", "app.css": "text/css"}


@dataclass(frozen=True)
class PageFile:
    body: bytes
    gzipped: bytes
    etag: str
    content_type: str


def _load(name: str) -> PageFile:
    body = resources.files("vbp_workshop").joinpath("resources", "phone", name).read_bytes()
    digest = hashlib.sha256(body).hexdigest()[:20]
    return PageFile(body, gzip.compress(body, 9, mtime=0), f'"{digest}"', TYPES[name])


def load_page() -> dict[str, PageFile]:
    return {name: _load(name) for name in TYPES}


def accepts_gzip(request: web.Request) -> bool:
    for part in request.headers.get("Accept-Encoding", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*") and params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            return True
    return False


def respond(request: web.Request, f: PageFile) -> web.Response:
    """The file, compressed if accepted; 304 if the phone already holds this version."""
    zipped = accepts_gzip(request)
    # Each encoding is its own representation, so it has its own ETag.
    etag = f.etag[:-1] + '-gz"' if zipped else f.etag
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    wanted = {t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")}
    if etag in wanted or "*" in wanted:
        return web.Response(status=304, headers=headers)
    if zipped:
        headers["Content-Encoding"] = "gzip"
    return web.Response(body=f.gzipped if zipped else f.body, content_type=f.content_type, charset="utf-8",
                        headers=headers)
