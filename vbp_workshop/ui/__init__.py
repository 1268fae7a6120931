"""The Qt user interface. PySide6 is imported before pyqtgraph so pyqtgraph binds to it."""

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
