"""Why phones cannot join, in a facilitator's words, and what to do about each cause.

`diagnose` looks at what the laptop can tell without admin rights — its adapters (a VPN
connected?), and on Windows the network's firewall profile (`Get-NetConnectionProfile`, or
`netsh advfirewall show currentprofile`) and whether an inbound firewall rule lets the vote
server's program accept connections (`netsh advfirewall firewall show rule name=all dir=in
verbose`). The commands take seconds: run `diagnose` off the GUI thread; each has a timeout.
`causes` turns the findings into the likely causes, most likely first, each with its fix step by
step. The parsers are pure functions, tested on recorded command outputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vbp_workshop.server.network import DEFAULT_PORT, Offer, offers, vpns, windows_descriptions

FOUND, POSSIBLE, FINE = "found", "possible", "fine"  # what the laptop could tell about a cause
COMMAND_TIMEOUT_S = 20.0
CATEGORIES = {"0": "Public", "1": "Private", "2": "Domain", "public": "Public", "private": "Private",
              "domainauthenticated": "Domain", "domain": "Domain"}


@dataclass(frozen=True)
class Rule:
    """One Windows Defender Firewall rule, as netsh prints it."""

    name: str
    enabled: bool
    inbound: bool
    profiles: tuple[str, ...]  # "Domain", "Private", "Public" (all three for "Any")
    protocol: str
    local_ports: str
    program: str
    allow: bool


@dataclass
class Firewall:
    """What Windows says about its firewall, for this laptop's networks and the vote server."""

    profiles: dict[str, str] = field(default_factory=dict)  # network (adapter alias) -> Public/Private/Domain
    active: tuple[str, ...] = ()  # the profiles netsh reports as current
    on: bool | None = None  # the current profile's firewall state
    local_rules_ignored: bool = False  # "LocalFirewallRules N/A (GPO-store only)": IT's policy decides
    verdict: str = ""  # "allowed", "blocked", "no rule", or "" (could not read)
    rules: list[str] = field(default_factory=list)  # the names of the rules that decided
    error: str = ""


@dataclass
class Findings:
    platform: str
    port: int
    program: str
    offers: list[Offer]
    firewall: Firewall | None = None

    @property
    def vpns(self) -> list[Offer]:
        return vpns(self.offers)


@dataclass(frozen=True)
class Cause:
    key: str  # "isolation", "firewall", "vpn", "local_network"
    title: str
    status: str  # FOUND, POSSIBLE or FINE
    finding: str  # what the laptop saw, or "" when it cannot tell
    steps: tuple[str, ...]  # the fix, step by step


# -- parsers --------------------------------------------------------------------------------------

def parse_connection_profiles(output: str) -> dict[str, str]:
    """`Get-NetConnectionProfile | Select-Object Name,InterfaceAlias,NetworkCategory | ConvertTo-Json`:
    adapter alias -> "Public"/"Private"/"Domain". One profile is an object, several a list; the
    category is a number in Windows PowerShell 5.1 and may be a name in PowerShell 7."""
    try:
        data = json.loads(output.strip() or "[]")
    except ValueError:
        return {}
    items = data if isinstance(data, list) else [data]
    out: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        alias = str(item.get("InterfaceAlias") or item.get("Name") or "")
        category = CATEGORIES.get(str(item.get("NetworkCategory", "")).strip().lower())
        if alias and category:
            out[alias] = category
    return out


def parse_current_profile(output: str) -> tuple[tuple[str, ...], bool | None, bool]:
    """`netsh advfirewall show currentprofile`: (the active profiles, the firewall on?, local rules
    ignored because only the IT's group policy counts?)."""
    names = tuple(m.group(1).capitalize() for m in re.finditer(r"^(Domain|Private|Public) Profile Settings",
                                                                 output, re.MULTILINE | re.IGNORECASE))
    state = re.search(r"^State\s+(ON|OFF)\s*$", output, re.MULTILINE | re.IGNORECASE)
    ignored = re.search(r"^LocalFirewallRules\s+N/A \(GPO-store only\)", output, re.MULTILINE | re.IGNORECASE)
    return names, (state.group(1).upper() == "ON") if state else None, bool(ignored)


def parse_rules(output: str) -> list[Rule]:
    """`netsh advfirewall firewall show rule name=all dir=in verbose` (English Windows): the rules."""
    rules: list[Rule] = []
    for block in re.split(r"^(?=Rule Name:)", output, flags=re.MULTILINE):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            key, sep, value = line.partition(":")
            if sep and not line.startswith("-") and key.strip() and key == key.lstrip():
                fields.setdefault(key.strip().lower(), value.strip())
        if "rule name" not in fields:
            continue
        profiles = fields.get("profiles", "Any")
        rules.append(Rule(
            name=fields["rule name"],
            enabled=fields.get("enabled", "").lower() == "yes",
            inbound=fields.get("direction", "In").lower() == "in",
            profiles=("Domain", "Private", "Public") if profiles.lower() == "any"
            else tuple(p.strip().capitalize() for p in profiles.split(",") if p.strip()),
            protocol=fields.get("protocol", "Any"),
            local_ports=fields.get("localport", "Any"),
            program=fields.get("program", "Any"),
            allow=fields.get("action", "").lower() == "allow",
        ))
    return rules


def _port_in(spec: str, port: int) -> bool:
    for part in spec.replace(" ", "").split(","):
        if part.lower() in ("any", ""):
            return True
        low, _, high = part.partition("-")
        with contextlib.suppress(ValueError):
            if int(low) <= port <= int(high or low):
                return True
    return False


def _same_program(rule_program: str, program: str) -> bool:
    if rule_program.lower() in ("any", ""):
        return True
    return os.path.normcase(os.path.expandvars(rule_program)).lower() == os.path.normcase(program).lower()


def rule_verdict(rules: Sequence[Rule], program: str, port: int, profile: str) -> tuple[str, list[str]]:
    """Does the firewall let `program` accept TCP on `port` on a network of `profile`?
    ("blocked" | "allowed" | "no rule", the deciding rules' names). A block rule wins, as in Windows."""
    applying = [r for r in rules if r.enabled and r.inbound and profile in r.profiles
                and r.protocol.upper() in ("TCP", "ANY") and _port_in(r.local_ports, port)
                and _same_program(r.program, program)]
    blocks = [r.name for r in applying if not r.allow]
    if blocks:
        return "blocked", blocks
    allows = [r.name for r in applying if r.allow]
    return ("allowed", allows) if allows else ("no rule", [])


# -- the laptop's own answers -------------------------------------------------------------------------

def _run(args: list[str], timeout: float) -> str:
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    out = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, creationflags=flags,
                         encoding="utf-8", errors="replace")
    return out.stdout


def windows_firewall(program: str, port: int, timeout: float = COMMAND_TIMEOUT_S) -> Firewall:
    """Read (no admin rights needed) the network profiles, the current firewall profile and the
    inbound rules that apply to the vote server's program on its port."""
    fw = Firewall()
    try:
        fw.profiles = parse_connection_profiles(_run(
            ["powershell", "-NoProfile", "-NonInteractive", "-Command",
             "Get-NetConnectionProfile | Select-Object Name,InterfaceAlias,NetworkCategory | ConvertTo-Json"],
            timeout))
    except (OSError, subprocess.SubprocessError) as exc:
        fw.error = f"Could not read the network profile ({exc})."
    try:
        fw.active, fw.on, fw.local_rules_ignored = parse_current_profile(
            _run(["netsh", "advfirewall", "show", "currentprofile"], timeout))
        rules = parse_rules(_run(["netsh", "advfirewall", "firewall", "show", "rule", "name=all", "dir=in",
                                  "verbose"], timeout))
    except (OSError, subprocess.SubprocessError) as exc:
        fw.error = f"Could not read the firewall's rules ({exc})."
        return fw
    profile = "Public" if "Public" in (*fw.profiles.values(), *fw.active) else (fw.active or ("Private",))[0]
    fw.verdict, fw.rules = rule_verdict(rules, program, port, profile)
    return fw


def server_program() -> str:
    """The program that listens for the phones, as the firewall names it: the vote server's process
    runs this executable (a Windows venv's python.exe only starts the base interpreter, which is
    the process that listens)."""
    if sys.platform == "win32" and not getattr(sys, "frozen", False) and sys.prefix != sys.base_prefix:
        return str(Path(sys.base_prefix) / Path(sys.executable).name)  # the base interpreter, by its public prefix
    return sys.executable


def diagnose(port: int = DEFAULT_PORT, platform: str = sys.platform) -> Findings:
    """Everything the laptop can tell (seconds on Windows: not on the GUI thread)."""
    program = server_program()
    found = Findings(platform, port, program, offers(windows_descriptions()))
    if platform == "win32":
        found.firewall = windows_firewall(program, port)
    return found


# -- what to tell the facilitator ---------------------------------------------------------------------

HOTSPOT_STEPS = (
    "Use a network you control instead of the venue's: a phone's hotspot, a small travel router, or "
    "this laptop's own hotspot.",
    "Windows laptop: Settings › Network & internet › Mobile hotspot › switch it on (share over Wi-Fi). "
    "Its name and password are shown there: put them on the screen. Then choose 192.168.137.1 "
    "(\"Local Area Connection*\") in the address list and press Refresh if it is not there yet.",
    "Phone hotspot: switch it on, join this laptop to it, press Refresh and choose the new address; "
    "participants join the same hotspot (most phones take 10–15 devices; a travel router takes more).",
    "Travel router: plug it in, join this laptop and the phones to its Wi-Fi; it needs no internet.",
    "Then press \"Test with my phone\" again.",
)


def causes(f: Findings) -> list[Cause]:
    """The likely causes, most likely first: what the laptop found, then what it cannot tell, then
    what looked fine; within each, client isolation, the firewall, a VPN, macOS's permission."""
    out: list[Cause] = []
    out.append(Cause(
        "isolation", "The Wi-Fi keeps devices apart (guest Wi-Fi \"client isolation\")", POSSIBLE,
        "The laptop cannot see this. It is the most common cause in hotels, conference centres and NHS "
        "guest networks: phones reach the internet but not each other or this laptop.",
        HOTSPOT_STEPS))
    out.append(_firewall_cause(f))
    if f.vpns:
        names = ", ".join(f"{o.adapter}{f' ({o.description})' if o.description else ''}" for o in f.vpns)
        out.append(Cause("vpn", "A VPN is connected", FOUND,
                         f"Connected: {names}. A VPN can send the laptop's traffic to your organisation's "
                         "network, so phones in the room cannot reach it.",
                         ("Disconnect the VPN for the session (from its icon by the clock), then press "
                          "\"Test with my phone\".",
                          "If it is \"always on\" and cannot be disconnected, ask IT to allow local network "
                          "access (\"allow local LAN access\" / split tunnelling) — or use a hotspot from "
                          "another device, and bring the laptop onto it.")))
    else:
        out.append(Cause("vpn", "A VPN", FINE, "No VPN is connected.", ()))
    if f.platform == "darwin":
        out.append(Cause(
            "local_network", "macOS: Local Network permission", POSSIBLE,
            "On macOS 15 and later an app must be allowed to talk to devices on the local network; "
            "without it, phones are cut off with no message.",
            ("Open System Settings › Privacy & Security › Local Network.",
             "Switch on VBP Workshop (or Terminal / Python if you started it from there).",
             "Stop and start phone voting, then press \"Test with my phone\".")))
    order = {FOUND: 0, POSSIBLE: 1, FINE: 2}
    return sorted(out, key=lambda c: order[c.status])  # stable: the canonical order within each


def _firewall_cause(f: Findings) -> Cause:
    title = "The laptop's firewall turns the phones away"
    ask_it = (f"Ask IT for: \"an inbound Windows Defender Firewall rule allowing TCP port {f.port} for the "
              f"program {f.program}, on the Private and Public profiles\" — or for this venue's network to "
              "be set to Private.")
    if f.platform != "win32":
        steps: tuple[str, ...]
        if f.platform == "darwin":
            steps = ("System Settings › Network › Firewall: if it is on, press Options and set VBP Workshop (or "
                     "Python) to \"Allow incoming connections\".",
                     "When macOS asks \"accept incoming network connections?\" as voting starts, press Allow.")
        else:
            steps = (f"If a firewall is on (ufw, firewalld), allow TCP port {f.port}: for example "
                     f"\"sudo ufw allow {f.port}/tcp\".",)
        return Cause("firewall", title, POSSIBLE, "The laptop could not check its firewall on this system.", steps)
    fw = f.firewall
    if fw is None or fw.error or not fw.verdict:
        return Cause("firewall", title, POSSIBLE, (fw.error if fw else "") or "Windows did not say.", (ask_it,))
    networks = ", ".join(f"{alias}: {kind}" for alias, kind in fw.profiles.items()) or ", ".join(fw.active)
    public = "Public" in (*fw.profiles.values(), *fw.active)
    where = f"This network is set to {'Public' if public else 'Private'} ({networks})."
    if fw.on is False:
        return Cause("firewall", title, FINE, f"{where} The firewall is off for it.", ())
    if fw.verdict == "blocked":
        return Cause("firewall", title, FOUND,
                     f"{where} A firewall rule blocks VBP Workshop ({', '.join(fw.rules)}). Windows makes one "
                     "when its \"allow access?\" question is cancelled.",
                     (ask_it, "Or, if you have admin rights: Windows Security › Firewall & network protection › "
                              "Allow an app through firewall › tick VBP Workshop (Python) for Private and "
                              "Public."))
    if fw.verdict == "no rule":
        todo = [ask_it]
        if fw.local_rules_ignored:
            todo.append("Your IT's policy ignores rules made on this laptop: the rule must come from them "
                         "(group policy or Intune).")
        if public:
            todo.append("Or, if you have admin rights: Settings › Network & internet › Wi-Fi › this network › "
                         "Network profile type › Private, and allow VBP Workshop when Windows asks.")
        return Cause("firewall", title, FOUND,
                     f"{where} No firewall rule lets VBP Workshop accept connections on it, so Windows turns the "
                     "phones away.", tuple(todo))
    return Cause("firewall", title, FINE, f"{where} A firewall rule allows VBP Workshop ({', '.join(fw.rules)}).",
                 ())
