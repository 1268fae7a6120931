"""A start-up check for a measured PySide6 defect.

PySide6 6.12.0: every `SignalInstance.emit()` returns `True` without taking a reference, so each
emit drops one reference to `True`. On Python 3.11 `True` is an ordinary refcounted object, and
after some thousands of emits the interpreter aborts ("Fatal Python error: bool_dealloc").
pyqtgraph and the vote feed emit signals all the time, so an affected binding crashes the app
mid-workshop. 6.11.3 is not affected (measured: 0 references lost per emit). pyproject.toml
excludes 6.12; this check catches an install that slipped past the pin.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    ping = Signal()


def emit_drops_true_references(n: int = 20) -> int:
    """How many references to True `n` emits lose (0 on a sound binding)."""
    probe = _Probe()
    probe.ping.connect(lambda: None)
    before = sys.getrefcount(True)
    for _ in range(n):
        probe.ping.emit()
    # 20 lost references out of True's thousands are harmless; the check costs nothing else.
    return max(0, before - sys.getrefcount(True))


def check_binding() -> str:
    """'' if the installed PySide6 is sound, else a message for the facilitator."""
    import PySide6

    if emit_drops_true_references() > 0:
        return (f"PySide6 {PySide6.__version__} has a defect that crashes VBP Workshop during a "
                "workshop (each Qt signal loses a reference to True). Install a sound version: "
                "pip install 'PySide6-Essentials>=6.8,<6.12'")
    return ""
