"""The documents the partnership signs, drafted from the workshop's record: a draft project
initiation document and an executive summary (Word, here), and a hand-out (PDF, drawn by the ui
because its charts are the projector's: `ui/handout.py`).

`export_documents` writes them into a folder, each through a temporary file moved into place, so
a failure or a cancel never leaves half a document; the hand-out's writer is handed in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vbp_workshop.core.documents.blocks import NOT_AGREED, Document
from vbp_workshop.core.documents.handout import handout_document
from vbp_workshop.core.documents.pid import pid_document
from vbp_workshop.core.documents.record import Record, read_record
from vbp_workshop.core.documents.summary import summary_document
from vbp_workshop.core.documents.word import write_docx
from vbp_workshop.core.file.store import Store

__all__ = [
    "NOT_AGREED",
    "Document",
    "DocumentsCancelled",
    "DocumentsError",
    "Pending",
    "Record",
    "export_documents",
    "file_names",
    "handout_document",
    "pid_document",
    "prepare_documents",
    "read_record",
    "summary_document",
    "write_docx",
]

HandoutWriter = Callable[[Document, Path], Path]

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


@dataclass
class Pending:
    """Documents written to temporary files, not yet in place: `finish` adds the hand-out (on
    the thread that may draw it) and moves them all into place; `discard` removes them."""

    folder: Path
    names: dict[str, str]
    handout: Document
    tmp: dict[str, Path] = field(default_factory=dict)

    def finish(self, write_handout: HandoutWriter | None = None) -> list[Path]:
        try:
            if write_handout is not None:
                self.tmp["handout"] = self.folder / f".handout.{os.getpid()}.tmp.pdf"
                write_handout(self.handout, self.tmp["handout"])
            out = []
            for key, path in self.tmp.items():
                os.replace(path, self.folder / self.names[key])
                out.append(self.folder / self.names[key])
            return out
        except PermissionError as exc:
            raise DocumentsError(f"The documents cannot be written in “{self.folder}”: it is read-only or a "
                                 "file is open in another program.") from exc
        except OSError as exc:
            raise DocumentsError(f"The documents cannot be written: {exc.strerror or exc}.") from exc
        finally:
            self.discard()

    def discard(self) -> None:
        for path in self.tmp.values():
            path.unlink(missing_ok=True)


def prepare_documents(store: Store, folder: Path, *, include_names: bool = False,
                      progress: Callable[[float], None] = lambda _f: None,
                      cancel: Callable[[], bool] = lambda: False) -> Pending:
    """Read the record, write the PID and the summary to temporary files and lay out the
    hand-out's content (no Qt: this runs on the export's worker thread). `cancel` is asked
    between the steps; a cancel or a failure leaves nothing behind."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocumentsError(f"The folder “{folder}” does not exist.")
    names = file_names(store)
    for name in names.values():
        if (folder / f".~lock.{name}#").exists() or (folder / f"~${name[2:]}").exists():
            raise DocumentsError(f"“{name}” is open in another program. Close it there, then export again.")

    def check() -> None:
        if cancel():
            raise DocumentsCancelled("Cancelled: no document was written.")

    progress(0.02)
    record = read_record(store, include_names=include_names)
    check()
    progress(0.2)
    pending = Pending(folder, names, handout_document(record, store))
    try:
        for key, make in (("pid", pid_document), ("summary", summary_document)):
            pending.tmp[key] = folder / f".{key}.{os.getpid()}.tmp.docx"
            write_docx(make(record), pending.tmp[key])
            check()
            progress(0.55 if key == "pid" else 0.9)
    except PermissionError as exc:
        pending.discard()
        raise DocumentsError(f"The documents cannot be written in “{folder}”: it is read-only or a file "
                             "is open in another program.") from exc
    except OSError as exc:
        pending.discard()
        raise DocumentsError(f"The documents cannot be written: {exc.strerror or exc}.") from exc
    except BaseException:
        pending.discard()
        raise
    return pending


def export_documents(store: Store, folder: Path, *, include_names: bool = False,
                     handout: HandoutWriter | None = None,
                     progress: Callable[[float], None] = lambda _f: None,
                     cancel: Callable[[], bool] = lambda: False) -> list[Path]:
    """Write the PID, the summary and (with a `handout` writer) the hand-out into `folder`:
    all or nothing, each through a temporary file moved into place only when all are written."""
    pending = prepare_documents(store, folder, include_names=include_names, progress=progress, cancel=cancel)
    out = pending.finish(handout)
    progress(1.0)
    return out
