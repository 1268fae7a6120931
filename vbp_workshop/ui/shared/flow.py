"""A layout that wraps its items onto the next line when the row is full (Qt's flow layout).

Button rows and the top bars use it, so a 1280-pixel laptop (or 1366 at 150 % scaling) shows
every control whole instead of clipping or scrolling sideways.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6, margin: int = 0) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._wrapped_height = 0  # the height its lines took at the width it was last given
        self.setContentsMargins(QMargins(margin, margin, margin, margin))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        height = self._place(rect, move=True)
        if height != self._wrapped_height:
            # The lines wrapped differently: ask the parents for the new height (on the next turn
            # of the event loop, never from inside a layout pass). Width never depends on height,
            # so this settles after one round.
            self._wrapped_height = height
            QTimer.singleShot(0, self._grow)

    def _grow(self) -> None:
        widget = self.parentWidget()
        if widget is not None:
            self.invalidate()
            widget.updateGeometry()

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        m = self.contentsMargins()
        visible = [i for i in self._items if not i.isEmpty()]
        w = sum(i.sizeHint().width() for i in visible) + self._spacing * max(0, len(visible) - 1)
        h = max((i.sizeHint().height() for i in visible), default=0)
        return QSize(w + m.left() + m.right(), h + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As wide as the widest item (the rest wraps), and as tall as its lines were at the
        width it was given: a parent that ignores height-for-width still makes room for them."""
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        size += QSize(m.left() + m.right(), m.top() + m.bottom())
        return size.expandedTo(QSize(0, self._wrapped_height))

    def _place(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint().boundedTo(QSize(area.width(), 1 << 20)).expandedTo(item.minimumSize())
            if hint.width() < item.sizeHint().width() and item.hasHeightForWidth():
                hint.setHeight(item.heightForWidth(hint.width()))  # a wrapping item wraps in turn
            if x > area.x() and x + hint.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, hint))
            x += hint.width() + self._spacing
        y = area.y()
        for line in lines:
            height = max((h.height() for _, h in line), default=0)
            x = area.x()
            for item, hint in line:
                if move:  # centred in the line: a label sits level with the buttons beside it
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                x += hint.width() + self._spacing
            y += height + self._spacing
        return max(0, y - self._spacing) - rect.y() + m.bottom()
