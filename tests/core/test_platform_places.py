"""Which folders are synced or on the network: the logic, with paths, environments and mount
tables recorded from Windows, macOS and Linux machines (core/file/places.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vbp_workshop.core.file.places import DRIVE_REMOTE, Mount, Place, classify, detect_place, parse_macos_mounts

WIN_HOME = r"C:\Users\jo.bloggs"
WIN_ENV = {
    "OneDrive": r"C:\Users\jo.bloggs\OneDrive - NHS England",
    "OneDriveCommercial": r"C:\Users\jo.bloggs\OneDrive - NHS England",
    "OneDriveConsumer": r"C:\Users\jo.bloggs\OneDrive",
    "USERPROFILE": WIN_HOME,
}
DRIVES = {"C:\\": 3, "D:\\": 2, "H:\\": DRIVE_REMOTE, "G:\\": 3}


def win(path: str, env: dict[str, str] | None = None) -> Place | None:
    return classify(path, flavour="nt", env=WIN_ENV if env is None else env, home=WIN_HOME,
                    drive_type=lambda root: DRIVES.get(root.upper(), 1))


@pytest.mark.parametrize(("path", "kind", "name"), [
    (r"C:\Users\jo.bloggs\OneDrive - NHS England\Documents\Day one.vbpw", "onedrive", "OneDrive - NHS England"),
    (r"c:\users\JO.BLOGGS\onedrive - nhs england\x.vbpw", "onedrive", "OneDrive - NHS England"),
    (r"C:\Users\jo.bloggs\OneDrive\Personal\x.vbpw", "onedrive", "OneDrive"),
    (r"H:\Workshops\Day one.vbpw", "network", "the network drive H:"),
    (r"h:\x.vbpw", "network", "the network drive H:"),
    (r"\\nhs-fs01\shared\Care team\x.vbpw", "network", r"the network share \\nhs-fs01\shared"),
    (r"\\?\UNC\nhs-fs01\shared\x.vbpw", "network", r"the network share \\nhs-fs01\shared"),
    (r"C:\Users\jo.bloggs\Dropbox\x.vbpw", "dropbox", "Dropbox"),
    (r"C:\Users\jo.bloggs\Dropbox (Acme)\x.vbpw", "dropbox", "Dropbox"),
    (r"C:\Users\jo.bloggs\iCloudDrive\x.vbpw", "icloud", "iCloud Drive"),
    (r"G:\My Drive\Workshops\x.vbpw", "google-drive", "Google Drive"),
])
def test_windows_synced_and_network_folders(path: str, kind: str, name: str) -> None:
    assert win(path) == Place(kind, name)


@pytest.mark.parametrize("path", [
    r"C:\Users\jo.bloggs\Documents\Day one.vbpw",
    r"C:\Users\jo.bloggs\AppData\Local\VBP Workshop\demos\demo-1.vbpw",
    r"D:\x.vbpw",  # a USB stick
    r"C:\Users\jo.bloggs\Documents\OneDrive notes\x.vbpw",  # a folder that only sounds like it
])
def test_windows_local_folders(path: str) -> None:
    assert win(path) is None


def test_onedrive_found_by_its_folder_name_when_the_environment_does_not_say() -> None:
    assert win(r"C:\Users\jo.bloggs\OneDrive - Acme Ltd\x.vbpw", env={}) == Place("onedrive", "OneDrive - Acme Ltd")


MAC_HOME = "/Users/jo"
MAC_MOUNT_OUTPUT = """/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
devfs on /dev (devfs, local, nobrowse)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect, root data)
//jo@nhs-fs01._smb._tcp.local/shared on /Volumes/shared (smbfs, nodev, nosuid, mounted by jo)
fs02:/export/teams on /Volumes/teams (nfs, nodev, nosuid, mounted by jo)
/dev/disk4s1 on /Volumes/USB STICK (msdos, local, nodev, nosuid, noowners, noatime, mounted by jo)
"""


def mac(path: str) -> Place | None:
    return classify(path, flavour="posix", env={}, home=MAC_HOME, mounts=parse_macos_mounts(MAC_MOUNT_OUTPUT))


@pytest.mark.parametrize(("path", "kind", "name"), [
    ("/Users/jo/Library/Mobile Documents/com~apple~CloudDocs/Workshops/x.vbpw", "icloud", "iCloud Drive"),
    ("/Users/jo/Library/CloudStorage/OneDrive-NHSEngland/Documents/x.vbpw", "onedrive", "OneDrive - NHSEngland"),
    ("/Users/jo/Library/CloudStorage/Dropbox/x.vbpw", "dropbox", "Dropbox"),
    ("/Users/jo/Library/CloudStorage/GoogleDrive-jo@nhs.net/My Drive/x.vbpw", "google-drive", "Google Drive"),
    ("/Users/jo/Dropbox/x.vbpw", "dropbox", "Dropbox"),
    ("/Volumes/shared/Care team/x.vbpw", "network", "the network folder /Volumes/shared (smbfs)"),
    ("/Volumes/teams/x.vbpw", "network", "the network folder /Volumes/teams (nfs)"),
])
def test_macos_synced_and_network_folders(path: str, kind: str, name: str) -> None:
    assert mac(path) == Place(kind, name)


@pytest.mark.parametrize("path", ["/Users/jo/Documents/x.vbpw", "/Volumes/USB STICK/x.vbpw",
                                  "/Users/jo/Library/Application Support/VBP Workshop/demos/d.vbpw"])
def test_macos_local_folders(path: str) -> None:
    assert mac(path) is None


def test_macos_desktop_and_documents_in_icloud() -> None:
    """With "Desktop & Documents Folders" on, ~/Documents is iCloud Drive (not under Mobile Documents)."""
    mounts = parse_macos_mounts(MAC_MOUNT_OUTPUT)
    docs = "/Users/jo/Documents/Workshops/x.vbpw"
    assert classify(docs, flavour="posix", env={}, home=MAC_HOME, mounts=mounts, icloud_desktop=True) == \
        Place("icloud", "iCloud Drive")
    assert classify(docs, flavour="posix", env={}, home=MAC_HOME, mounts=mounts, icloud_desktop=False) is None
    assert classify("/Users/jo/Downloads/x.vbpw", flavour="posix", env={}, home=MAC_HOME, mounts=mounts,
                    icloud_desktop=True) is None


LINUX_MOUNTS = [Mount("/", "ext4"), Mount("/home", "ext4"), Mount("/mnt/team", "cifs", "//fs01/team"),
                Mount("/net/home", "nfs4", "fs02:/home"), Mount("/media/jo/USB", "vfat")]


@pytest.mark.parametrize(("path", "expected"), [
    ("/mnt/team/Workshops/x.vbpw", Place("network", "the network folder /mnt/team (cifs)")),
    ("/net/home/jo/x.vbpw", Place("network", "the network folder /net/home (nfs4)")),
    ("/home/jo/Documents/x.vbpw", None),
    ("/media/jo/USB/x.vbpw", None),
    ("/mnt/teamwork/x.vbpw", None),  # a sibling whose name starts the same is not inside it
])
def test_linux_network_mounts(path: str, expected: Place | None) -> None:
    assert classify(path, flavour="posix", env={}, home="/home/jo", mounts=LINUX_MOUNTS) == expected


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    """The real detector on the system the test runs on (Windows and macOS in the workflow)."""
    assert detect_place(tmp_path / "x.vbpw") is None


@pytest.mark.skipif(os.name != "nt", reason="UNC paths are Windows paths")
def test_a_unc_path_is_a_network_share_on_windows() -> None:  # pragma: no cover - Windows
    assert detect_place(r"\\localhost\c$\x.vbpw") == Place("network", r"the network share \\localhost\c$")
