"""Messages between the app and its vote-server process: length-prefixed pickles over a pipe.

Only the two halves of this app speak on the pipe (the child is started by the parent, with
the parent's own interpreter), so pickle is safe here; nothing from a phone is unpickled.
"""

from __future__ import annotations

import pickle
import struct
import threading
from typing import Any, BinaryIO

_HEADER = struct.Struct(">I")


class Channel:
    """One direction of the pipe: whole messages, one writer at a time."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._lock = threading.Lock()

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self.stream.write(_HEADER.pack(len(data)) + data)
            self.stream.flush()

    def receive(self) -> Any:
        """The next message; raises EOFError when the other side has gone."""
        header = self._exactly(_HEADER.size)
        return pickle.loads(self._exactly(_HEADER.unpack(header)[0]))  # noqa: S301 - our own child process

    def _exactly(self, n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = self.stream.read(left)
            if not chunk:
                raise EOFError("the other process closed the pipe")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
