"""Which address the phones get, and the port the vote server listens on.

The laptop's network adapters (psutil: names, state, IPv4 addresses) are ranked by a pure
function (`rank`) so the order can be tested on adapter lists recorded on Windows, macOS and
Linux: the laptop's own hotspot first (the facilitator switched it on for the phones), then
Wi-Fi, wired, other private addresses; VPN, virtual-machine and container adapters last (phones
cannot reach the laptop through them), self-assigned (169.254…) addresses after those, then
adapters that are down, and this laptop only (127.0.0.1) at the very end. Within a rank,
addresses sort numerically. Every offer keeps the reason for its rank, in words for a
facilitator or their IT desk (`vbp-workshop-cli network` prints them).

Nothing here looks a host name up or sends traffic: listing adapters takes milliseconds, so the
voting bar can refresh its list on the GUI thread. The one slow look-up, Windows adapters'
descriptions (`getmac`, which names a VPN that Windows calls "Ethernet 3"), is separate
(`windows_descriptions`) and run off the GUI thread.

Ports: on Windows SO_REUSEADDR lets a second program bind a port already in use, so the server
binds with SO_EXCLUSIVEADDRUSE there; on POSIX SO_REUSEADDR only lets a port in TIME_WAIT be
bound again, which is safe and kept (`bind_options`).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import ipaddress
import re
import socket
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_PORT = 8765
SO_EXCLUSIVEADDRUSE = getattr(socket, "SO_EXCLUSIVEADDRUSE", -5)  # winsock's ~SO_REUSEADDR

# Ranks, best first. The gaps leave room; only the order matters.
HOTSPOT, WIFI, WIRED, OTHER, PUBLIC, VPN, VIRTUAL, CONTAINER, LINK_LOCAL, DOWN, LOOPBACK = range(11)
KIND_NAMES = {HOTSPOT: "hotspot", WIFI: "Wi-Fi", WIRED: "wired", OTHER: "other", PUBLIC: "public",
              VPN: "VPN", VIRTUAL: "virtual", CONTAINER: "container", LINK_LOCAL: "self-assigned",
              DOWN: "down", LOOPBACK: "this laptop only"}

_VPN_NAME = re.compile(r"^(tun|tap|utun|ppp|ipsec|wg|gpd|cscotun|nordlynx|tailscale|zt|ztr)\d*", re.IGNORECASE)
_VPN_WORDS = ("vpn", "tailscale", "zerotier", "wireguard", "wintun", "anyconnect", "cisco", "globalprotect",
              "pangp", "fortinet", "forticlient", "openvpn", "tap-windows", "juniper", "pulse secure",
              "ivanti", "zscaler", "nordlynx", "mullvad", "protonvpn", "check point", "sonicwall")
_CONTAINER_NAME = re.compile(r"^(docker|br-|veth(?!ernet)|virbr|cni|flannel|cali|podman|lxcbr|lxdbr|kube|vxlan)",
                             re.IGNORECASE)
_VIRTUAL_WORDS = ("vethernet", "wsl", "virtualbox", "vboxnet", "vmware", "vmnet", "hyper-v", "parallels",
                  "vnic", "host-only", "npcap", "multipass", "utm")
_WIFI_NAME = re.compile(r"^(wl|wlan|wifi|wi-fi|wireless)", re.IGNORECASE)
_WIFI_WORDS = ("wi-fi", "wifi", "wireless", "wlan", "802.11")
_WIRED_NAME = re.compile(r"^(eth|en[opsx]|em\d|ethernet|local area connection(?!\*))", re.IGNORECASE)
_HOTSPOT_NETS = {
    # Windows Mobile Hotspot (Internet Connection Sharing) always serves this network.
    ipaddress.IPv4Network("192.168.137.0/24"): "this laptop's own hotspot (Windows Mobile Hotspot)",
    # NetworkManager's "Wi-Fi hotspot" / shared connection on Linux.
    ipaddress.IPv4Network("10.42.0.0/24"): "this laptop's own hotspot (shared connection)",
}
_MAC_SHARING_NET = ipaddress.IPv4Network("192.168.2.0/24")  # macOS Internet Sharing's bridge


@dataclass(frozen=True)
class Adapter:
    """One network adapter as the operating system lists it (or as a test recorded it)."""

    name: str
    addresses: tuple[str, ...] = ()  # IPv4
    up: bool = True
    description: str = ""  # Windows: the adapter's model ("Cisco AnyConnect … Virtual Miniport")


@dataclass(frozen=True)
class Offer:
    """An address the phones could be given, its rank (lower is better) and why."""

    address: str
    adapter: str
    rank: int
    reason: str
    description: str = field(default="", compare=False)

    @property
    def kind(self) -> str:
        return KIND_NAMES[self.rank]

    @property
    def label(self) -> str:
        """For the voting bar's list: the address and the adapter's name."""
        return f"{self.address} — {self.adapter}"


def classify(adapter: Adapter, address: str, platform: str = sys.platform) -> tuple[int, str]:
    """The rank of one address on one adapter, and the reason, in a facilitator's words."""
    ip = ipaddress.IPv4Address(address)
    name, words = adapter.name, f"{adapter.name} {adapter.description}".lower()
    if ip.is_loopback or name.lower() in ("lo", "lo0") or "loopback" in words:
        return LOOPBACK, "This laptop only: phones cannot use it (for trying the phone page on the laptop)."
    if not adapter.up:
        return DOWN, "This adapter is not connected."
    if ip.is_link_local:
        return LINK_LOCAL, ("A self-assigned address (169.254…): this adapter got no address from a network, "
                            "so phones are unlikely to reach it.")
    if _VPN_NAME.match(name) or any(w in words for w in _VPN_WORDS):
        return VPN, ("A VPN: it leads to another organisation's network, not the room's. Phones cannot "
                     "reach the laptop through it.")
    if _CONTAINER_NAME.match(name) or "docker" in words:
        return CONTAINER, "A container network (Docker and the like) inside this laptop: phones cannot reach it."
    for net, what in _HOTSPOT_NETS.items():
        if ip in net:
            return HOTSPOT, f"{what[0].upper()}{what[1:]}: phones that join it reach the laptop here."
    if platform == "darwin" and re.match(r"^bridge\d+", name):
        if ip in _MAC_SHARING_NET:
            return HOTSPOT, ("This Mac's Internet Sharing (its own hotspot): phones that join it reach "
                             "the Mac here.")
        return VIRTUAL, "A virtual machine's network inside this Mac: phones cannot reach it."
    if any(w in words for w in _VIRTUAL_WORDS):
        return VIRTUAL, ("A virtual machine's or WSL's network inside this laptop (virtual adapter): phones "
                         "cannot reach it.")
    if name.lower().startswith(("awdl", "llw", "anpi", "ap1", "gif", "stf")):
        return VIRTUAL, "An Apple system link (not a network the phones are on)."
    if not ip.is_private:
        return PUBLIC, ("Not a private address: usually not the room's local network (a venue that hands out "
                        "public addresses may still work).")
    if platform == "darwin" and name == "en0":
        return WIFI, "The Mac's built-in network (Wi-Fi on a MacBook), a private address: most likely the room's."
    if _WIFI_NAME.match(name) or any(w in adapter.description.lower() for w in _WIFI_WORDS):
        return WIFI, "Wi-Fi with a private address: most likely the network the phones are on."
    if (platform == "darwin" and re.match(r"^en\d+", name)) or _WIRED_NAME.match(name):
        return WIRED, ("Wired (Ethernet) with a private address: phones on Wi-Fi reach it only if the venue "
                       "joins the two networks.")
    return OTHER, "A private address on another kind of adapter."


def rank(adapters: Iterable[Adapter], platform: str = sys.platform) -> list[Offer]:
    """Every IPv4 address of every adapter, best first (then numerically), each with its reason.

    127.0.0.1 is always offered, last: the phone page can be tried on the laptop itself."""
    offers: dict[str, Offer] = {}
    for adapter in adapters:
        for address in adapter.addresses:
            try:
                r, reason = classify(adapter, address, platform)
            except ValueError:  # not an IPv4 address
                continue
            offer = Offer(address, adapter.name, r, reason, adapter.description)
            if address not in offers or r < offers[address].rank:
                offers[address] = offer
    if "127.0.0.1" not in offers:
        offers["127.0.0.1"] = Offer("127.0.0.1", "loopback", LOOPBACK, classify(Adapter("lo"), "127.0.0.1")[1])
    return sorted(offers.values(), key=lambda o: (o.rank, int(ipaddress.IPv4Address(o.address)), o.adapter))


def adapters(descriptions: Mapping[str, str] | None = None) -> list[Adapter]:
    """The laptop's adapters now (psutil: milliseconds, no name look-up, no traffic)."""
    import psutil

    try:
        addrs = psutil.net_if_addrs()
        stats = psutil.net_if_stats()
    except (OSError, RuntimeError):
        return []
    found = []
    for name, entries in addrs.items():
        v4 = tuple(e.address for e in entries if e.family == socket.AF_INET and e.address)
        stat = stats.get(name)
        found.append(Adapter(name, v4, bool(stat.isup) if stat else True, (descriptions or {}).get(name, "")))
    return found


def offers(descriptions: Mapping[str, str] | None = None) -> list[Offer]:
    """The addresses the app offers the facilitator, best first."""
    return rank(adapters(descriptions))


def local_addresses() -> list[tuple[str, str]]:
    """(adapter, IPv4 address), best first, 127.0.0.1 last."""
    return [(o.adapter, o.address) for o in offers()]


def vpns(found: Sequence[Offer]) -> list[Offer]:
    return [o for o in found if o.rank == VPN]


# -- Windows adapters' descriptions -----------------------------------------------------------

def parse_getmac(output: str) -> dict[str, str]:
    """`getmac /v /fo csv`: connection name -> adapter description (the headers are translated,
    so the columns are read by position: name, adapter, physical address, transport)."""
    rows = list(csv.reader(io.StringIO(output.strip())))
    return {r[0].strip(): r[1].strip() for r in rows[1:] if len(r) >= 2 and r[0].strip()}


def windows_descriptions(timeout: float = 5.0) -> dict[str, str]:
    """Windows only (else empty): each adapter's description. Seconds at worst: not on the GUI thread."""
    if sys.platform != "win32":
        return {}
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["getmac", "/v", "/fo", "csv"], capture_output=True, text=True, timeout=timeout,
                             check=False, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        return parse_getmac(out.stdout)
    return {}


# -- ports -------------------------------------------------------------------------------------

class PortBusy(OSError):
    """The port the phones expect is taken (another program, or another VBP Workshop, serves there)."""

    def __init__(self, port: int, message: str = "") -> None:
        super().__init__(errno.EADDRINUSE, message or f"Port {port} is in use by another program.")
        self.port = port


def bind_options(platform: str = sys.platform) -> list[tuple[int, int, int]]:
    """The socket options a listening socket is bound with (level, option, value).

    Windows: SO_EXCLUSIVEADDRUSE, so a second program cannot bind the same port (with SO_REUSEADDR it
    can, silently splitting the phones between two servers). POSIX: SO_REUSEADDR, which there only
    allows re-binding a port whose old connections linger in TIME_WAIT (a restart), never two listeners."""
    if platform == "win32":
        return [(socket.SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1)]
    return [(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)]


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) with `bind_options`, not yet listening.
    Raises PortBusy when the port is taken."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        for level, option, value in bind_options():
            s.setsockopt(level, option, value)
        s.bind((host, port))
    except OSError as exc:
        s.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES, getattr(errno, "WSAEADDRINUSE", -1), 10048, 10013):
            raise PortBusy(port) from exc
        raise
    return s


def port_free(host: str, port: int) -> bool:
    try:
        bind(host, port).close()
    except OSError:
        return False
    return True


def choose_port(host: str, preferred: int = DEFAULT_PORT, tries: int = 10) -> int:
    """The preferred port, or the next free one after it, or any free port."""
    for port in range(preferred, preferred + tries):
        if port_free(host, port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def bind_first_free(host: str, preferred: int, tries: int) -> socket.socket:
    """Bind the preferred port, or (tries > 1) the next free one after it, or any free port.
    With tries == 1, a taken port raises PortBusy: the caller asks before moving the phones."""
    if not preferred:
        return bind(host, 0)
    for port in range(preferred, preferred + max(1, tries)):
        try:
            return bind(host, port)
        except PortBusy:
            if tries <= 1:
                raise
    return bind(host, 0)


def serving_vbp(port: int, host: str = "127.0.0.1", timeout: float = 1.0) -> bool:
    """Does a VBP Workshop vote server answer on this laptop's `port`? (A local request: milliseconds.)"""
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(f"GET / HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            data = b""
            while len(data) < 65536:
                chunk = s.recv(8192)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return False
    return b"VBP Workshop" in data
