"""The app's style sheet, its font sizes scaled from the platform's default font.

`resources/style.qss` gives sizes in em (times the default font); Qt's style sheets take only
pt and px, so they are turned into points here, from `QApplication.font()` as the platform set it
(9 pt Segoe UI on Windows, 13 pt on macOS, the desktop's choice on Linux). A fixed "10pt" was 25 %
smaller than the text of every other app on a Mac.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from vbp_workshop.core.steps.template import resource_path

EM = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)em")


def default_point_size(app: QApplication) -> float:
    """The platform's default text size in points (also when the desktop sets it in pixels)."""
    font = app.font()
    size = font.pointSizeF()
    return size if size > 0 else QFontInfo(font).pointSizeF()


def scaled(qss: str, base_pt: float) -> str:
    """`qss` with every `font-size: Nem` as points of `base_pt`."""
    return EM.sub(lambda m: f"font-size: {round(float(m.group(1)) * base_pt, 1):g}pt", qss)


def app_stylesheet(app: QApplication) -> str:
    return scaled(resource_path("style.qss").read_text("utf-8"), default_point_size(app))


def apply(app: QApplication) -> None:
    """Style the app; call once, before any stylesheet is set (the default font is read first)."""
    app.setStyleSheet(app_stylesheet(app))
