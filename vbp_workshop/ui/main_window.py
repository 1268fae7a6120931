"""The main window: a frame with menus and file handling around the start screen or a workshop.

It composes; it does not do the work. Each page is its own module, each file operation calls
the core, and every message goes through the dialog service.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from vbp_workshop import __version__, logfile
from vbp_workshop.core.file.keeper import Mirror, MirrorState, open_mirrored
from vbp_workshop.core.file.places import Place, detect_place
from vbp_workshop.core.file.store import FILE_SUFFIX, Store, WorkshopFileError, absolute
from vbp_workshop.core.model.words import plural
from vbp_workshop.ui import ideas_view
from vbp_workshop.ui.place_bar import PlaceBar
from vbp_workshop.ui.session import Session
from vbp_workshop.ui.settings import Settings
from vbp_workshop.ui.shared.dialogs import DialogService
from vbp_workshop.ui.shared.pending_edits import finish_edits
from vbp_workshop.ui.start_screen import StartScreen
from vbp_workshop.ui.tasks import Progress, Task, TaskRunner
from vbp_workshop.ui.workbook import unexpected
from vbp_workshop.ui.workshop_view import WorkshopView

FILTER = f"VBP workshops (*{FILE_SUFFIX})"


def demo_folder() -> Path:
    # AppDataLocation is <data>/<organisation>/<application>: "VBP Workshop/VBP Workshop". The
    # generic folder plus the application's name is one level, named once.
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    name = QCoreApplication.applicationName() or "VBP Workshop"
    folder = (Path(base) / name if base else Path.home() / ".vbp-workshop") / "demos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings, dialogs: DialogService | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.dialogs = dialogs or DialogService(self)
        if self.dialogs.parent is None and type(self.dialogs) is DialogService:
            self.dialogs.parent = self
        if self.dialogs.folders is None:  # Open/New/Save start where the last one ended
            self.dialogs.folders = settings
        self.session: Session | None = None
        self.view: WorkshopView | None = None
        # Which folders are synced or network ones (tests give their own), and where working
        # copies of files in them are kept (None: the app's local data folder).
        self.places: Callable[[Path], Place | None] = detect_place
        self.data_folder: Path | None = None
        self.place_bar: PlaceBar | None = None
        self._place_timer = QTimer(self)
        self._place_timer.setInterval(1000)
        self._place_timer.timeout.connect(self._show_place)
        self.undo_group = QUndoGroup(self)
        self.tasks = TaskRunner(self, lambda label, exc, trace: unexpected(label, exc, trace, self.dialogs))
        self.setObjectName("main_window")
        restored = settings.geometry is not None and self.restoreGeometry(settings.geometry)
        self.fit_to_screen(keep_size=restored)
        self.saved_label = QLabel("")
        self.statusBar().addPermanentWidget(self.saved_label)
        self._build_menus()
        self.show_start()

    def fit_to_screen(self, keep_size: bool = False) -> None:
        """Open at 1360×860 where there is room, else at what the screen has (a 1366×768 laptop,
        a 1280×720 projector as the main screen), never beyond its edges."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame = 32  # the title bar the window manager adds, which the window cannot see yet
        w, h = (self.width(), self.height()) if keep_size else (1360, 860)
        w, h = min(w, room.width()), min(h, room.height() - frame)
        self.resize(w, h)
        if not room.contains(self.frameGeometry().topLeft()):
            self.move(room.topLeft())

    # -- menus ------------------------------------------------------------------------------------

    def _action(self, menu: QMenu, text: str, slot: Callable[..., object],
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None, name: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        if name:
            action.setObjectName(name)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&New workshop…", self.new_workshop, QKeySequence.StandardKey.New, "new")
        self._action(file, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open, "open")
        self.recent_menu = file.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file, "Open the &demo workshop", self.open_demo, None, "demo")
        file.addSeparator()
        self.workshop_actions = [
            self._action(file, "Save a &copy as…", self.save_copy, QKeySequence("Ctrl+Shift+S"), "save_copy"),
            self._action(file, "Start the re&view day from this workshop…", self.start_review_day, None,
                         "review_day"),
            self._action(file, "&Export to Excel…", self.export_excel, QKeySequence("Ctrl+E"), "export"),
            self._action(file, "Export &documents…", self.export_documents, QKeySequence("Ctrl+Shift+E"),
                         "export_documents"),
            self._action(file, "Print &run sheet…", self.print_run_sheet, QKeySequence("Ctrl+P"), "run_sheet"),
            self._action(file, "Import &participants…", self.import_participants, None, "import_people"),
            self._action(file, "Import metric &actuals…", self.import_actuals, None, "import_actuals"),
            self._action(file, "&Close workshop", lambda _checked=False: self.close_workshop(),
                         QKeySequence.StandardKey.Close, "close"),
        ]
        file.addSeparator()
        self._action(file, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quit")

        edit = bar.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(undo)
        edit.addAction(redo)
        edit.addSeparator()
        self.workshop_actions.append(
            self._action(edit, "Log an &action…", lambda: self.view.add_action() if self.view else None,
                         QKeySequence("Ctrl+Shift+A"), "add_action"))

        go = bar.addMenu("&Go")
        from vbp_workshop.ui.workshop_view import PAGE_KEYS, PAGE_NAMES

        for n, key in enumerate(PAGE_KEYS, 1):  # Ctrl+1 … Ctrl+8: straight to a page
            label = PAGE_NAMES.get(key, f"Step {key[4:]}")
            self.workshop_actions.append(self._action(
                go, label, lambda _c=False, k=key: self.view and self.view.show_page(k),
                QKeySequence(f"Ctrl+{n}"), f"go_{key}"))
        go.addSeparator()
        self.workshop_actions += [
            self._action(go, "&Next page", lambda: self.view.step_by(1) if self.view else None,
                         QKeySequence("Ctrl+PgDown")),
            self._action(go, "&Previous page", lambda: self.view.step_by(-1) if self.view else None,
                         QKeySequence("Ctrl+PgUp")),
        ]
        live = bar.addMenu("&Live")
        self.workshop_actions += [
            self._action(live, "&Projector window", lambda: self.view and self.view.room.open_projector(),
                         QKeySequence("F5"), "projector"),
            self._action(live, "Where &groups disagree…", self.show_divergence, None, "divergence"),
            self._action(live, "&Ideas from the room…",
                         lambda: self.session and ideas_view.open_window(self.session, self), QKeySequence("Ctrl+I"),
                         "ideas"),
            self._action(live, "New &join code", lambda: self.view and self.view.room.new_join_code(), None,
                         "new_code"),
        ]
        help_ = bar.addMenu("&Help")
        self._action(help_, "&Getting started", self.show_getting_started, QKeySequence.StandardKey.HelpContents,
                     "getting_started")
        self._action(help_, "&Keyboard shortcuts", self.show_shortcuts, QKeySequence("Ctrl+/"), "shortcuts")
        help_.addSeparator()
        self._action(help_, "Phone voting: &troubleshooting", self._troubleshooting)
        self._action(help_, "Show the &log folder", self.show_log_folder, None, "log_folder")
        self._action(help_, "&About VBP Workshop", self._about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent:
            self._action(self.recent_menu, path, lambda _c=False, p=path: self.open_path(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent workshops").setEnabled(False)

    # -- what the window shows ---------------------------------------------------------------------

    def show_start(self) -> None:
        start = StartScreen(self.settings.recent)
        start.new_requested.connect(self.new_workshop)
        start.open_requested.connect(self.open_dialog)
        start.demo_requested.connect(self.open_demo)
        start.recent_requested.connect(self.open_path)
        self.setCentralWidget(start)
        self.setWindowTitle("VBP Workshop")
        self.saved_label.setText("")
        for a in self.workshop_actions:
            a.setEnabled(False)

    def _show_session(self, session: Session) -> None:
        self.session = session
        self.undo_group.addStack(session.undo_stack)
        self.undo_group.setActiveStack(session.undo_stack)
        self.view = WorkshopView(session, self.dialogs)
        ideas_view.attach(session)  # the phones' ideas join the change path even before the window opens
        if session.mirror is not None:  # a synced or network folder: say so above the workshop
            holder = QWidget()
            lay = QVBoxLayout(holder)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
            self.place_bar = PlaceBar()
            lay.addWidget(self.place_bar)
            lay.addWidget(self.view, 1)
            self.setCentralWidget(holder)
            self._place_timer.start()
        else:
            self.setCentralWidget(self.view)
        for a in self.workshop_actions:
            a.setEnabled(True)
        self._update_title()
        session.changed.connect(lambda c: self._update_title() if c.touches("workshop") else None)
        session.refused.connect(lambda why: self.dialogs.error("Not done", why))
        self.settings.add_recent(session.file)

    def _update_title(self) -> None:
        if self.session:
            self.setWindowTitle(f"{self.session.title} — VBP Workshop")
            # The file's name (the full path is in the tooltip): a long path never widens the window.
            self.saved_label.setText(f"Every change is saved to {self.session.file.name}")
            self.saved_label.setToolTip(str(self.session.file))
            self._show_place()

    def _show_place(self) -> None:
        """The synced or network folder's bar: where the work is and whether it has reached it."""
        status = self.session.mirror_status() if self.session else None
        if status is None or self.place_bar is None:
            return
        self.place_bar.show_status(status)
        self.saved_label.setText(self.place_bar.short_text(status))

    # -- files -------------------------------------------------------------------------------------

    def open_path(self, path: str | Path) -> bool:
        """Open a workshop file; on any problem, say so and leave the file and window as they were.

        A file in a synced or network folder is worked on as a local copy, mirrored back at each
        save point and on closing (`core/file/keeper.py`); the window says so in a bar."""
        target = absolute(path)
        place = self.places(target)
        mirror: Mirror | None = None
        try:
            if place is None:
                store = Store.open(target)
            else:
                store, mirror = open_mirrored(target, place, self.data_folder)
        except (OSError, WorkshopFileError) as exc:
            self.dialogs.error("Cannot open this workshop", str(exc))
            return False
        if not self.close_workshop():
            store.close()
            if mirror is not None:
                mirror.release()
            return False
        self._show_session(Session(store, mirror=mirror))
        if mirror is not None:
            for note in mirror.status().notes:
                self.dialogs.info(f"“{mirror.target.name}” in {mirror.state.place.name}", note)
        return True

    def open_dialog(self) -> None:
        path = self.dialogs.open_file("Open a workshop", FILTER + ";;All files (*)")
        if path:
            self.open_path(path)

    def new_workshop(self) -> None:
        from vbp_workshop.core.steps.template import new_workshop

        path = self.dialogs.save_file("New workshop", "workshop" + FILE_SUFFIX, FILTER)
        if not path:
            return
        target = Path(path)
        if target.suffix != FILE_SUFFIX:
            target = target.with_suffix(FILE_SUFFIX)
        if target.exists():
            self.dialogs.error("File exists", f"“{target.name}” already exists. VBP Workshop never "
                               "overwrites a workshop: choose a new name.")
            return
        if not self.close_workshop():
            return
        try:
            store = new_workshop(target, target.stem.replace("-", " ").replace("_", " ").capitalize())
        except (OSError, WorkshopFileError) as exc:
            self.dialogs.error("Cannot create the workshop", str(exc))
            return
        if self.places(absolute(target)) is not None:  # synced or network: work on a local copy
            store.close()
            if not self.open_path(target):
                return
        else:
            self._show_session(Session(store))
        if self.view:
            self.view.show_page("setup")

    def open_demo(self) -> Task | None:
        """A fresh copy of the built-in demo, in the app's data folder (the shipped one is code),
        built on a worker thread and opened here when it is written."""
        from vbp_workshop.core.steps.demo import build_demo, prune_demo_copies

        folder = demo_folder()
        target = folder / f"demo-{datetime.now():%Y%m%d-%H%M%S-%f}{FILE_SUFFIX}"
        if not self.close_workshop():
            return None

        def work(_progress: Progress) -> Path:
            prune_demo_copies(folder)  # each --demo makes a copy: keep only the last week's
            build_demo(target).close()
            return target

        return self.tasks.run("Building the demo workshop…", work, self.open_path)

    def save_copy(self) -> None:
        if not self.session:
            return
        path = self.dialogs.save_file("Save a copy as", self.session.file.stem + " copy" + FILE_SUFFIX, FILTER)
        if path and absolute(path) == self.session.file:  # the synced original of a working copy
            self.dialogs.error("Copy not saved", "A copy cannot be saved over the open workshop itself.")
            return
        if path:
            try:
                self.session.store.save_copy(path)
            except (OSError, WorkshopFileError) as exc:
                self.dialogs.error("Copy not saved", str(exc))
                return
            self.statusBar().showMessage(f"Copy saved to {path}", 6000)

    def start_review_day(self) -> None:
        """A new workshop file for the review day, started from this one (core/steps/partnership.py):
        everything agreed is carried over, the repeated polls keep this day's answers to compare."""
        from vbp_workshop.core.steps.partnership import start_review_day

        if not self.session:
            return
        source = self.session.store
        stem = source.path.stem.removesuffix(" design day")
        path = self.dialogs.save_file("Start the review day", f"{stem} review day{FILE_SUFFIX}", FILTER)
        if not path:
            return
        target = Path(path) if Path(path).suffix == FILE_SUFFIX else Path(path).with_suffix(FILE_SUFFIX)
        if target.exists():
            self.dialogs.error("File exists", f"“{target.name}” already exists. VBP Workshop never "
                               "overwrites a workshop: choose a new name.")
            return
        try:
            start_review_day(source, target).close()
        except (OSError, WorkshopFileError) as exc:
            self.dialogs.error("The review day was not started", str(exc))
            return
        self.open_path(target)
        if self.view:
            self.view.show_page("setup")
        self.statusBar().showMessage("The review day is open: set its date on the Setup page. "
                                     f"The design day stays as it was in {source.path.name}.", 10000)

    def close_workshop(self, leaving: tuple[str, str] = ("closing the workshop", "Close and stop voting")) -> bool:
        """Close the open workshop (every way out comes here). False if the facilitator chose to
        stay: phones are connected, or what they are typing could not be saved."""
        if self.session is None:
            return True
        if not self._may_stop_phones(leaving):
            return False
        # What is being typed in a cell or a field is saved first (or the facilitator is asked).
        if self.view is not None and not finish_edits(self.view, self.session, self.dialogs):
            return False
        self.tasks.shutdown()  # an export or import of this workshop ends before it closes
        if self.view:
            self.view.shutdown()
        self.undo_group.removeStack(self.session.undo_stack)
        ideas_view.detach(self.session)  # its writer thread and window go with the workshop
        self._place_timer.stop()
        status = self.session.close()
        self.session = None
        self.view = None
        self.place_bar = None
        self.show_start()
        if status is not None and status.pending:
            self._not_saved_back(status)
        return True

    def _not_saved_back(self, status: MirrorState) -> None:
        self.dialogs.error(
            f"Not yet saved to {status.place.name}",
            f"The last changes could not be saved to “{status.target}” ({status.error or 'not reachable'}).\n\n"
            f"Nothing is lost: every change is kept on this laptop in\n{status.local}\n\n"
            f"They are saved to {status.place.name} the next time you open “{status.target.name}” while it "
            "can be reached (or copy the file above there yourself).")

    # -- workbook (see ui/workbook.py) ---------------------------------------------------------------

    def export_excel(self) -> Task | None:
        from vbp_workshop.ui.workbook import export_dialog

        return export_dialog(self.tasks, self.session, self.dialogs) if self.session else None

    def export_documents(self) -> Task | None:
        from vbp_workshop.ui.documents import documents_dialog

        return documents_dialog(self.tasks, self.session, self.dialogs) if self.session else None

    def import_participants(self) -> Task | None:
        from vbp_workshop.ui.workbook import import_participants

        return import_participants(self.tasks, self.session, self.dialogs) if self.session else None

    def import_actuals(self) -> Task | None:
        from vbp_workshop.ui.workbook import import_actuals

        return import_actuals(self.tasks, self.session, self.dialogs) if self.session else None

    def show_divergence(self) -> None:
        from vbp_workshop.ui.polls.divergence import DivergenceDialog

        if self.session:
            DivergenceDialog(self.session, self).exec()

    # -- help and closing ------------------------------------------------------------------------------

    def show_getting_started(self) -> QWidget:
        from vbp_workshop.ui.help import GETTING_STARTED

        return self._show_help("Getting started", GETTING_STARTED, "getting_started_window")

    def show_shortcuts(self) -> QWidget:
        from vbp_workshop.ui.help import shortcuts_html

        return self._show_help("Keyboard shortcuts", shortcuts_html(self), "shortcuts_window")

    def show_log_folder(self) -> None:
        """Open the folder of the app's log (for support) in the system's file manager."""
        folder = logfile.log_dir()
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.dialogs.info("The log folder", f"The app's log is in this folder:\n{folder}")

    def _show_help(self, title: str, html: str, name: str) -> QWidget:
        from vbp_workshop.ui.help import help_window

        old = self.findChild(QWidget, name)
        if old is not None:  # one of each: the new one replaces it (its list may have changed)
            old.setObjectName("")
            old.close()
            old.deleteLater()
        dialog = help_window(self, title, html, name)
        dialog.show()
        return dialog

    def print_run_sheet(self) -> Path | None:
        """One page of the day's agenda and timeboxes, as a PDF to print or keep beside the laptop."""
        from vbp_workshop.ui.run_sheet import write_run_sheet

        if not self.session:
            return None
        suggested = str(self.session.file.with_name(self.session.file.stem + " run sheet.pdf"))
        path = self.dialogs.save_file("Print run sheet", suggested, "PDF files (*.pdf)")
        if not path:
            return None
        out = Path(path) if Path(path).suffix.lower() == ".pdf" else Path(path).with_suffix(".pdf")
        try:
            write_run_sheet(self.session.store, out)
        except OSError as exc:
            self.dialogs.error("Run sheet not written", str(exc))
            return None
        if not out.exists() or out.stat().st_size == 0:  # QPdfWriter reports no error of its own
            self.dialogs.error("Run sheet not written", f"“{out.name}” could not be written in {out.parent}.")
            return None
        self.dialogs.info("Run sheet written", f"The run sheet is at\n{out}\n\nOpen it to print it.")
        return out

    def _troubleshooting(self) -> None:
        if self.view is not None:  # what to check on this laptop, most likely first, and the phone test
            self.view.voting_bar.show_join_help()
            return
        from vbp_workshop.ui.voting_bar import TROUBLESHOOTING

        self.dialogs.info("Phone voting: troubleshooting", TROUBLESHOOTING)

    def _about(self) -> None:
        self.dialogs.info("About VBP Workshop",
                          f"VBP Workshop {__version__}\n\nRuns a value-based partnership workshop "
                          "entirely on this laptop: no internet, no accounts, no cloud.")

    def _may_stop_phones(self, leaving: tuple[str, str]) -> bool:
        """With phones connected, ask before the workshop closes (and phone voting with it).
        `leaving`: what the facilitator is doing, and the button that goes on with it."""
        phones = self.view.room.connected_phones() if self.view is not None else 0
        if not phones:
            return True
        answer = self.dialogs.choose(
            "Phones are connected",
            f"{plural(phones, 'phone')} {'is' if phones == 1 else 'are'} connected; "
            f"{leaving[0]} stops voting. No phone can answer until phone voting starts again.",
            [leaving[1], "Keep voting"], default=1)
        return answer == 0

    def closeEvent(self, event: QCloseEvent) -> None:
        # Phones connected: asked first; what is being typed is saved first, or the close asks.
        if not self.close_workshop(("quitting", "Quit and stop voting")):
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self.tasks.shutdown()  # cancel and wait: no work outlives the window
        event.accept()
