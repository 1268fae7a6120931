"""Where a workshop file lives: on this laptop, or in a synced or network folder.

A sync client (OneDrive, iCloud Drive, Dropbox, Google Drive) uploads the `.vbpw` without its
`-wal` and replaces files on conflict; a network drive is gone when the VPN drops; and SQLite's
WAL is not for network file systems. Such a file is worked on as a local copy and mirrored back
(`core/file/keeper.py`); this module only says which folders those are.

`classify` is pure logic over what the system reports (the path, the environment, the mount
table, the drive type), so it is tested here with recorded Windows and macOS inputs;
`detect_place` gathers those for the running system.
"""

from __future__ import annotations

import contextlib
import ntpath
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive

# File systems that live on another machine (Linux /proc/mounts and macOS `mount` names).
NETWORK_FS = frozenset({
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "webdav", "davfs", "fuse.davfs",
    "fuse.sshfs", "sshfs", "ncpfs", "9p", "ceph", "glusterfs", "fuse.glusterfs", "afs", "fuse.rclone",
    "fuse.onedriver", "fuse.google-drive-ocamlfuse",
})


@dataclass(frozen=True)
class Place:
    """A synced or network folder: `kind` for code, `name` as the facilitator knows it."""

    kind: str  # "onedrive", "icloud", "dropbox", "google-drive", "box", "network"
    name: str  # "OneDrive - NHS England", "iCloud Drive", "the network drive H:", …

    @property
    def synced(self) -> bool:
        return self.kind != "network"


@dataclass(frozen=True)
class Mount:
    point: str
    fstype: str
    source: str = ""


# Folder names that sync clients create in the user's home (Windows and macOS alike).
_FOLDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^OneDrive( - .+)?$", re.IGNORECASE), "onedrive"),
    (re.compile(r"^OneDrive-(.+)$", re.IGNORECASE), "onedrive"),  # macOS ~/Library/CloudStorage/OneDrive-Org
    (re.compile(r"^iCloud ?Drive$", re.IGNORECASE), "icloud"),  # Windows: C:\Users\jo\iCloudDrive
    (re.compile(r"^Dropbox( \(.+\))?$", re.IGNORECASE), "dropbox"),
    (re.compile(r"^Dropbox(-.+)?$", re.IGNORECASE), "dropbox"),  # macOS CloudStorage/Dropbox-Org
    (re.compile(r"^Google ?Drive(-.+)?$", re.IGNORECASE), "google-drive"),
    (re.compile(r"^(My Drive|Shared drives)$", re.IGNORECASE), "google-drive"),  # G:\My Drive
    (re.compile(r"^Box( Sync)?(-.+)?$", re.IGNORECASE), "box"),
]
_NAMES = {"onedrive": "OneDrive", "icloud": "iCloud Drive", "dropbox": "Dropbox", "google-drive": "Google Drive",
          "box": "Box"}


def _sync_name(kind: str, folder: str) -> str:
    if kind == "onedrive" and folder.lower().startswith("onedrive"):
        # "OneDrive - NHS England" (Windows) or "OneDrive-NHS England" (macOS), as Explorer shows it.
        rest = folder[len("OneDrive"):].lstrip(" -")
        return f"OneDrive - {rest}" if rest else "OneDrive"
    return _NAMES[kind]


def _under(path: str, root: str, mod: Callable[[str], str]) -> bool:
    path, root = mod(path), mod(root).rstrip("/\\")
    return bool(root) and (path == root or path.startswith(root + ("\\" if "\\" in root else "/")))


def classify(path: str, *, flavour: str, env: Mapping[str, str], home: str, mounts: Sequence[Mount] = (),
             drive_type: Callable[[str], int] | None = None, icloud_desktop: bool = False) -> Place | None:
    """The synced or network folder the absolute file `path` is in, or None for a local folder.

    `flavour` is "nt" or "posix"; `env` the environment; `home` the user's home folder;
    `mounts` the mount table (POSIX); `drive_type(root)` the Windows drive type of "H:\\";
    `icloud_desktop`: macOS syncs ~/Desktop and ~/Documents with iCloud Drive.
    """
    norm: Callable[[str], str]
    if flavour == "nt":
        norm = ntpath.normcase
        p = path.replace("/", "\\")
        if p.startswith("\\\\?\\UNC\\"):
            p = "\\\\" + p[len("\\\\?\\UNC\\"):]
        elif p.startswith("\\\\?\\"):
            p = p[len("\\\\?\\"):]
        if p.startswith("\\\\"):
            share = "\\\\" + "\\".join(p.lstrip("\\").split("\\")[:2])
            return Place("network", f"the network share {share}")
        drive = p[:2]
        if drive_type is not None and len(drive) == 2 and drive[1] == ":":
            with contextlib.suppress(OSError):
                if drive_type(drive + "\\") == DRIVE_REMOTE:
                    return Place("network", f"the network drive {drive.upper()}")
        # OneDrive says where it is (personal and work or school accounts).
        for var in ("OneDriveCommercial", "OneDriveConsumer", "OneDrive"):
            root = env.get(var, "")
            if root and _under(p, root, norm):
                folder = ntpath.basename(root.rstrip("\\/"))
                return Place("onedrive", _sync_name("onedrive", folder))
        parts = p.split("\\")
        home_parts = home.replace("/", "\\").rstrip("\\").split("\\")
    else:
        norm = posixpath.normpath
        parts = path.split("/")
        home_parts = home.rstrip("/").split("/")
        mobile = posixpath.join(home, "Library", "Mobile Documents")
        if _under(path, mobile, norm):
            return Place("icloud", "iCloud Drive")
        if icloud_desktop and any(_under(path, posixpath.join(home, f), norm) for f in ("Desktop", "Documents")):
            return Place("icloud", "iCloud Drive")
        best: Mount | None = None
        for m in mounts:
            if _under(path, m.point, norm) and (best is None or len(m.point) > len(best.point)):
                best = m
        if best is not None and best.fstype.lower() in NETWORK_FS:
            return Place("network", f"the network folder {best.point} ({best.fstype})")
    # A sync client's folder: directly in the home folder (C:\Users\jo\OneDrive - Org, ~/Dropbox),
    # in macOS's ~/Library/CloudStorage, or at the root of a drive (Google Drive's G:\My Drive).
    lower = [x.lower() for x in parts]
    home_lower = [x.lower() for x in home_parts]
    candidates: list[str] = []
    if lower[:len(home_lower)] == home_lower and len(parts) > len(home_parts) + 1:
        candidates.append(parts[len(home_parts)])
        if lower[len(home_lower)] == "library" and len(parts) > len(home_parts) + 3 \
                and lower[len(home_lower) + 1] == "cloudstorage":
            candidates.append(parts[len(home_parts) + 2])
    if flavour == "nt" and len(parts) > 2:
        candidates.append(parts[1])  # G:\My Drive\…
    for folder in candidates:
        for pattern, kind in _FOLDERS:
            if pattern.match(folder):
                return Place(kind, _sync_name(kind, folder))
    return None


def read_mounts() -> list[Mount]:
    """The mount table of this system (empty where it cannot be read)."""
    mounts: list[Mount] = []
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError), Path("/proc/self/mounts").open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) >= 3:
                    point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[1])
                    mounts.append(Mount(point, fields[2], fields[0]))
    elif sys.platform == "darwin":  # pragma: no cover - macOS
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(["/sbin/mount"], capture_output=True, text=True, timeout=5, check=False).stdout
            mounts = parse_macos_mounts(out)
    return mounts


def parse_macos_mounts(text: str) -> list[Mount]:
    """`mount` on macOS: "//jo@fs01/share on /Volumes/share (smbfs, nodev, nosuid, mounted by jo)"."""
    found = []
    for line in text.splitlines():
        m = re.match(r"^(.*) on (/.*?) \(([^,)]+)", line)
        if m:
            found.append(Mount(m.group(2), m.group(3).strip(), m.group(1)))
    return found


def _drive_type(root: str) -> int:  # pragma: no cover - Windows
    import ctypes

    windll = getattr(ctypes, "windll")  # noqa: B009 - absent from Linux stubs
    return int(windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def detect_place(path: Path | str) -> Place | None:
    """The synced or network folder `path` is in on this system, or None (also when unsure)."""
    text = os.fspath(path)
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            return classify(text, flavour="nt", env=os.environ, home=str(Path.home()), drive_type=_drive_type)
        real = os.path.realpath(text)  # the mount a link leads to is where the bytes are
        home = str(Path.home())
        # "Desktop & Documents Folders" in iCloud Drive: macOS keeps them in iCloud Drive too.
        icloud_desktop = sys.platform == "darwin" and Path(
            home, "Library", "Mobile Documents", "com~apple~CloudDocs", "Documents").is_dir()
        mounts = read_mounts()
        return (classify(text, flavour="posix", env=os.environ, home=home, mounts=mounts, icloud_desktop=icloud_desktop)
                or classify(real, flavour="posix", env=os.environ, home=home, mounts=mounts,
                            icloud_desktop=icloud_desktop))
    except (OSError, ValueError):
        return None
