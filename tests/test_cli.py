"""The command line, as a facilitator or a script uses it (real processes, no display)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from vbp_workshop import __version__

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vbp_workshop", *args], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=120, check=False)


def test_version_and_help() -> None:
    assert cli("--version").stdout.strip() == f"VBP Workshop {__version__}"
    helptext = cli("--help").stdout
    assert "--demo" in helptext and "--no-crash-dialog" in helptext and "export" in helptext


def test_demo_writes_a_workshop_without_a_display_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "demo.vbpw"
    r = cli("demo", str(out))
    assert r.returncode == 0, r.stderr
    from vbp_workshop.core.file.store import Store

    s = Store.open(out)
    try:
        assert len(s.rows("partners")) == 7 and s.scalar("SELECT COUNT(*) FROM ballots") > 300
    finally:
        s.close()
    before = out.read_bytes()
    again = cli("demo", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr
    assert out.read_bytes() == before


def test_export_writes_the_workbook(tmp_path: Path) -> None:
    cli("demo", str(tmp_path / "d.vbpw"))
    r = cli("export", str(tmp_path / "d.vbpw"), "-o", str(tmp_path / "d.xlsx"))
    assert r.returncode == 0, r.stderr
    assert openpyxl.load_workbook(tmp_path / "d.xlsx").sheetnames[0] == "Summary"


def test_export_says_what_to_write_and_refuses_a_missing_folder_in_one_line(tmp_path: Path) -> None:
    cli("demo", str(tmp_path / "d.vbpw"))
    r = cli("export", str(tmp_path / "d.vbpw"))
    assert r.returncode == 2 and "-o OUT.xlsx, --documents DIR, or both" in r.stderr
    r = cli("export", str(tmp_path / "d.vbpw"), "--documents", str(tmp_path / "nowhere"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("vbp-workshop: The folder") and "does not exist" in r.stderr


@pytest.mark.parametrize(("content", "message"), [
    (b"hello", "not a VBP Workshop file"),
    (b"SQLite format 3\x00" + b"\x00" * 84 + b"junk" * 300, "not one written by VBP Workshop"),
])
def test_export_of_a_bad_file_is_one_clear_line_and_non_zero(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.vbpw"
    bad.write_bytes(content)
    r = cli("export", str(bad), "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in r.stderr
    assert bad.read_bytes() == content and not (tmp_path / "x.xlsx").exists()


def test_the_wheel_ships_the_resources_and_installs_non_editable(tmp_path: Path) -> None:
    """pip install . (not editable) into a fresh environment gives a working launcher."""
    root = Path(__file__).resolve().parents[1]
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(root)], check=True, timeout=300)
    wheel = next(wheels.glob("vbp_workshop-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("vbp_workshop/resources/template.json", "vbp_workshop/resources/style.qss",
                   "vbp_workshop/resources/phone/index.html", "vbp_workshop/resources/phone/app.js",
                   "vbp_workshop/resources/phone/app.css"):
        assert needed in names
    venv = tmp_path / "venv"
    # The dependencies (PySide6 and the rest) come from this environment; the package from the wheel.
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
                   check=True, timeout=300)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = subprocess.run([str(venv / "bin" / "vbp-workshop-cli"), "demo", str(outside / "d.vbpw")],
                         capture_output=True, text=True, cwd=outside, env=ENV, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    where = subprocess.run([str(py), "-c", "import vbp_workshop; print(vbp_workshop.__file__)"],
                           capture_output=True, text=True, cwd=outside, check=True).stdout
    assert str(venv) in where  # the installed copy, not the source tree
    assert (venv / "bin" / "vbp-workshop").exists()


NO_DISPLAY = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}


def bare(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vbp_workshop", *args], capture_output=True, text=True,
                          env=env if env is not None else NO_DISPLAY, timeout=120, check=False)


def test_network_prints_the_ranked_addresses_with_adapters_and_reasons_without_a_display() -> None:
    """It aborted with exit 134 (Qt's abort: "network" was taken for a file to open in the window)."""
    from vbp_workshop.server import network

    r = bare("network")
    assert r.returncode == 0, r.stderr
    offers = network.offers()
    lines = r.stdout.splitlines()
    assert "best first" in lines[0]
    listed = [line.split()[1] for line in lines if line[:3].strip().rstrip(".").isdigit()]
    assert listed == [o.address for o in offers] and listed[-1] == "127.0.0.1"
    for o in offers:
        assert o.adapter in r.stdout and o.reason in r.stdout
    as_json = json.loads(bare("network", "--json").stdout)
    assert [x["address"] for x in as_json] == listed and all(x["reason"] and x["adapter"] for x in as_json)


def test_an_unknown_command_is_a_clear_message_and_exit_2() -> None:
    r = bare("netwrok")
    assert r.returncode == 2
    assert "unknown command 'netwrok'" in r.stderr and "network" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("display", ["", ":97"])
def test_the_window_where_there_is_no_display_says_so_and_exits_3_never_a_qt_abort(display: str) -> None:
    env = {**NO_DISPLAY, "DISPLAY": display} if display else NO_DISPLAY
    r = bare(env=env)
    assert r.returncode == 3, (r.returncode, r.stderr[-500:])
    assert "cannot open" in r.stderr and "demo" in r.stderr and "Traceback" not in r.stderr
    assert "qt.qpa" not in r.stderr  # Qt never started


def test_demo_writes_its_review_day_started_from_the_design_day(tmp_path: Path) -> None:
    from vbp_workshop.core.file.store import Store
    from vbp_workshop.core.steps.partnership import session_kind

    design, review = tmp_path / "design.vbpw", tmp_path / "review day.vbpw"
    r = cli("demo", str(design), "--review-day", str(review))
    assert r.returncode == 0, r.stderr
    assert "review day" in r.stdout
    s = Store.open(review)
    try:
        assert session_kind(s) == "review" and s.workshop()["date"] == "2027-06-10"
        assert s.scalar("SELECT COUNT(*) FROM earlier_sessions") >= 2
    finally:
        s.close()
    again = cli("demo", str(tmp_path / "other.vbpw"), "--review-day", str(review))
    assert again.returncode == 2 and not (tmp_path / "other.vbpw").exists()
