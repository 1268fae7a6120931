"""Smoke-test a built bundle on the machine it was built for (CI's Windows and macOS runners).

    python packaging/smoke.py BUNDLE_DIR

BUNDLE_DIR holds `vbp-workshop` and `vbp-workshop-cli` (`.exe` on Windows): dist/vbp-workshop, or
on macOS "dist/VBP Workshop.app/Contents/MacOS". Standard library only. It runs:
1. `vbp-workshop-cli --version`, `demo` and `export` into a folder named with a space and an "é";
2. the windowed app offscreen with --demo, until the demo is open;
3. phone voting started from the windowed app (VBP_AUTOMATION_VOTING, ui/automation.py) and one
   phone (urllib) loading the page, joining and voting; the app quits once the vote is stored.
Prints what it did and the timings; exits non-zero on the first failure.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

EXE = ".exe" if sys.platform == "win32" else ""


def check(ok: object, what: str) -> None:
    if not ok:
        raise SystemExit(f"smoke: FAILED: {what}")
    print(f"smoke: ok: {what}", flush=True)


def wait_line(out: Path, prefix: str, proc: subprocess.Popen[bytes], timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if out.exists():
            for line in out.read_text("utf-8").splitlines():
                if line.startswith(prefix):
                    return line
        if proc.poll() is not None and not (out.exists() and prefix in out.read_text("utf-8")):
            raise SystemExit(f"smoke: FAILED: the app exited ({proc.returncode}) before {prefix!r}")
        time.sleep(0.05)
    raise SystemExit(f"smoke: FAILED: no {prefix!r} within {timeout:.0f} s")


def main() -> int:
    bundle = Path(sys.argv[1]).resolve()
    gui, cli = bundle / f"vbp-workshop{EXE}", bundle / f"vbp-workshop-cli{EXE}"
    check(gui.is_file() and cli.is_file(), f"both executables in {bundle}")
    work = Path(tempfile.mkdtemp()) / "Workshop files é"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update({"QT_QPA_PLATFORM": "offscreen", "VBP_NO_DIALOGS": "1", "VBP_LOG_DIR": str(work / "logs")})

    r = subprocess.run([str(cli), "--version"], capture_output=True, text=True, env=env, timeout=120, check=False)
    check(r.stdout.startswith("VBP Workshop "), f"--version: {r.stdout.strip()} {r.stderr.strip()}")
    demo, book = work / "Heart day é.vbpw", work / "Outcome é.xlsx"
    r = subprocess.run([str(cli), "demo", str(demo)], capture_output=True, text=True, env=env, timeout=300, check=False)
    check(r.returncode == 0 and demo.stat().st_size > 0, f"demo into {demo}: {r.stderr.strip()}")
    r = subprocess.run([str(cli), "export", str(demo), "-o", str(book)], capture_output=True, text=True, env=env,
                       timeout=300, check=False)
    check(r.returncode == 0 and zipfile.is_zipfile(book), f"export to {book}: {r.stderr.strip()}")

    out = work / "gui.txt"
    started = time.monotonic()
    proc = subprocess.Popen([str(gui), "--demo", "--no-crash-dialog"], env={
        **env, "VBP_AUTOMATION_QUIT_MS": "0", "VBP_AUTOMATION_OUT": str(out)})
    opened = wait_line(out, "opened:", proc, 180)
    check(proc.wait(120) == 0 and "Northbridge" in opened,
          f"the windowed app opened the demo in {time.monotonic() - started:.1f} s: {opened}")

    out = work / "voting.txt"
    proc = subprocess.Popen([str(gui), "--demo", "--no-crash-dialog"], env={
        **env, "VBP_AUTOMATION_QUIT_MS": "0", "VBP_AUTOMATION_VOTING": "1", "VBP_AUTOMATION_OUT": str(out)})
    try:
        voting = wait_line(out, "voting:", proc, 180)
        found = re.match(r"voting: (\S+)\?c=(\w+) poll (\d+) \((\d+) ms\)", voting)
        check(found, f"phone voting started from the bundle: {voting}")
        assert found is not None
        base, code, poll = found[1].rstrip("/"), found[2], int(found[3])
        phone = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = phone.open(f"{base}/?c={code}", timeout=30).read()
        check(b"<html" in page.lower(), f"the phone page loads ({len(page)} bytes)")

        def post(path: str, body: dict[str, object]) -> dict[str, object]:
            request = urllib.request.Request(base + path, json.dumps(body).encode(),  # noqa: S310 (http only)
                                             {"Content-Type": "application/json"})
            answer: dict[str, object] = json.loads(phone.open(request, timeout=30).read())
            return answer

        joining = post("/api/join", {"code": code, "group": "provider"})
        check(joining.get("ok"), "a phone joins")
        joined = wait_line(out, "joined:", proc, 60)
        # A ballot names the workshop and sitting it was given at (the join answer says which).
        check(post("/api/vote", {"poll_id": poll, "round": 1, "ballot_id": "smoke" * 4, "answer": 1,
                                 "workshop": joining.get("workshop"), "sitting": joining.get("sitting")}).get("ok"),
              "the phone votes")
        voted = wait_line(out, "voted:", proc, 60)
        check(proc.wait(120) == 0, f"the app stored the vote and quit ({joined}, {voted} ms after Start phone voting)")
    finally:
        if proc.poll() is None:
            proc.kill()
    print("smoke: all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
