"""The documents the partnership signs, drafted from the workshop's record: a draft project
initiation document and an executive summary (Word, here), and a hand-out (PDF, drawn by the ui
because its charts are the projector's: `ui/handout.py`).

`export_documents` writes them into a folder, each through a temporary file moved into place, so
a failure or a cancel never leaves half a document; the hand-out's writer is handed in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from vbp_workshop.core.documents.blocks import NOT_AGREED, Document
from vbp_workshop.core.documents.handout import handout_document
from vbp_workshop.core.documents.pid import pid_document
from vbp_workshop.core.documents.record import Record, read_record
from vbp_workshop.core.documents.summary import summary_document
from vbp_workshop.core.documents.word import write_docx
from vbp_workshop.core.store import Store

__all__ = ["NOT_AGREED", "Document", "DocumentsCancelled", "DocumentsError", "Record", "export_documents",
           "file_names", "handout_document", "pid_document", "read_record", "summary_document", "write_docx"]

HandoutWriter = Callable[[Document, Store, Path, Callable[[float], None]], Path]


class DocumentsError(Exception):
    """The documents could not be written; the message says why and what to do."""


class DocumentsCancelled(DocumentsError):
    """The facilitator cancelled; no document was written or changed."""


def _safe(name: str) -> str:
    """A file name from the partnership's name: no character a file system refuses."""
    keep = "".join(c if c.isalnum() or c in " -_.,()&" else " " for c in name)
    return " ".join(keep.split())[:80].strip(" .") or "Workshop"


def file_names(store: Store) -> dict[str, str]:
    w = store.workshop()
    base = _safe(str(w.get("partnership") or w.get("title") or "Workshop"))
    return {"pid": f"{base} - draft PID.docx", "summary": f"{base} - executive summary.docx",
            "handout": f"{base} - hand-out.pdf"}


def export_documents(store: Store, folder: Path, *, include_names: bool = False,
                     handout: HandoutWriter | None = None,
                     progress: Callable[[float], None] = lambda _f: None,
                     cancel: Callable[[], bool] = lambda: False) -> list[Path]:
    """Write the PID, the summary and (with a `handout` writer) the hand-out into `folder`.

    All or nothing: each is written to a temporary file first; only when all are written are
    they moved into place. `cancel` is asked between documents.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentsError(f"The folder “{folder}” does not exist.")
    names = file_names(store)
    for key in ("pid", "summary", "handout"):
        if (folder / f".~lock.{names[key]}#").exists() or (folder / f"~${names[key][2:]}").exists():
            raise DocumentsError(f"“{names[key]}” is open in another program. Close it there, then export again.")

    def check() -> None:
        if cancel():
            raise DocumentsCancelled("Cancelled: no document was written.")

    tmp: dict[str, Path] = {}
    try:
        progress(0.02)
        record = read_record(store, include_names=include_names)
        check()
        progress(0.1)
        for key, make in (("pid", pid_document), ("summary", summary_document)):
            tmp[key] = folder / f".{key}.{os.getpid()}.tmp.docx"
            write_docx(make(record), tmp[key])
            check()
            progress(0.2 if key == "pid" else 0.3)
        if handout is not None:
            tmp["handout"] = folder / f".handout.{os.getpid()}.tmp.pdf"

            def step(fraction: float) -> None:
                progress(0.3 + 0.65 * fraction)
                check()

            handout(handout_document(record, store), store, tmp["handout"], step)
            check()
        out = []
        for key, path in tmp.items():
            os.replace(path, folder / names[key])
            out.append(folder / names[key])
    except PermissionError as exc:
        raise DocumentsError(f"The documents cannot be written in “{folder}”: it is read-only or a file "
                             "is open in another program.") from exc
    except OSError as exc:
        raise DocumentsError(f"The documents cannot be written: {exc.strerror or exc}.") from exc
    finally:
        for path in tmp.values():
            path.unlink(missing_ok=True)
    progress(1.0)
    return out
