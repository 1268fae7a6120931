"""Phones for window tests: join the real vote server over HTTP, vote, and follow the room's
event stream as the phone page reads it (`/api/events`, one JSON snapshot per `data:` frame)."""

from __future__ import annotations

import contextlib
import http.client
import json
import secrets
import threading
from typing import Any


class Phone:
    """One phone: its own device cookie, its ballots, and (when `follow`ed) the last frame of the
    event stream the page would render."""

    def __init__(self, port: int, code: str, group: str = "provider") -> None:
        self.port = port
        self.cookie = ""
        self.last: dict[str, Any] | None = None  # the latest snapshot the stream delivered
        self.frames = 0
        self._stop = False
        self._conn: http.client.HTTPConnection | None = None
        status, body = self.post("/api/join", {"code": code, "group": group})
        assert status == 200 and body.get("ok"), body

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            headers = {"Content-Type": "application/json", "Host": f"127.0.0.1:{self.port}"}
            if self.cookie:
                headers["Cookie"] = self.cookie
            conn.request("POST", path, json.dumps(body), headers)
            res = conn.getresponse()
            cookie = res.getheader("Set-Cookie")
            if cookie:
                self.cookie = cookie.split(";", 1)[0]
            return res.status, json.loads(res.read() or b"{}")
        finally:
            conn.close()

    def state(self) -> dict[str, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("GET", "/api/state", headers={"Cookie": self.cookie})
            return dict(json.loads(conn.getresponse().read()))
        finally:
            conn.close()

    def vote(self, poll_id: int, round_: int, answer: Any) -> tuple[int, dict[str, Any]]:
        return self.post("/api/vote", {"poll_id": poll_id, "round": round_, "answer": answer,
                                       "ballot_id": secrets.token_hex(8)})

    def follow(self) -> None:
        """Read the event stream on a thread of its own, keeping the last snapshot."""
        threading.Thread(target=self._read, name="phone-stream", daemon=True).start()

    def _read(self) -> None:
        conn = self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", "/api/events", headers={"Cookie": self.cookie, "Accept": "text/event-stream"})
            res = conn.getresponse()
            data: list[str] = []
            while not self._stop:
                line = res.readline().decode("utf-8")
                if not line:
                    return
                line = line.rstrip("\n")
                if line.startswith("data:"):
                    data.append(line[5:].lstrip(" "))
                elif not line and data:
                    self.last = json.loads("\n".join(data))
                    self.frames += 1
                    data = []
        except (OSError, ValueError):
            return

    def stop(self) -> None:
        self._stop = True
        if self._conn is not None and self._conn.sock is not None:
            with contextlib.suppress(OSError):
                self._conn.sock.shutdown(2)
