"""Rich text shown a page at a time: the projector has no scroll bar anyone could reach."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, QSizeF, Signal
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QWidget


class PagedText(QWidget):
    """A QTextDocument laid out in pages the size of the widget; one page painted at a time.

    QTextDocument paginates like a printer does (no line is cut between pages), so a page is
    the document's own layout, not a guess at how much fits.
    """

    paged = Signal(int, int)  # page (from 0), pages

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = QTextDocument(self)
        self.doc.setDocumentMargin(0)
        self.page = 0
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(80, 80)

    def set_html(self, html: str, font_px: int) -> None:
        font = self.font()
        font.setPixelSize(max(8, font_px))
        self.doc.setDefaultFont(font)
        self.doc.setHtml(html)
        self.page = 0
        self._layout()

    def toPlainText(self) -> str:  # named like QTextEdit's, which it replaced
        return self.doc.toPlainText()

    def pages(self) -> int:
        return max(1, self.doc.pageCount())

    def turn(self, delta: int) -> None:
        self.page = max(0, min(self.pages() - 1, self.page + delta))
        self.update()
        self.paged.emit(self.page, self.pages())

    def _layout(self) -> None:
        self.doc.setPageSize(QSizeF(max(1, self.width()), max(1, self.height())))
        self.page = min(self.page, self.pages() - 1)
        self.update()
        self.paged.emit(self.page, self.pages())

    def resizeEvent(self, event: Any) -> None:
        self._layout()
        super().resizeEvent(event)

    def paintEvent(self, event: Any) -> None:
        painter = QPainter(self)
        top = self.page * self.doc.pageSize().height()
        painter.translate(0, -top)
        self.doc.drawContents(painter, QRectF(0, top, self.width(), self.height()))
        painter.end()
