"""Which addresses phones in the room can reach this laptop on, and a free port."""

from __future__ import annotations

import contextlib
import socket
import struct
import sys

DEFAULT_PORT = 8765


def _linux_addresses() -> list[tuple[str, str]]:
    import fcntl

    out = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _index, name in socket.if_nameindex():
            with contextlib.suppress(OSError):
                packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
                out.append((name, socket.inet_ntoa(packed[20:24])))
    return out


def local_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address), most likely Wi-Fi first, loopback last. Sends no traffic."""
    found: list[tuple[str, str]] = []
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, ImportError):
            found = _linux_addresses()
    if not found:
        with contextlib.suppress(OSError):
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                found.append(("", str(info[4][0])))
    seen: dict[str, str] = {}
    for name, ip in found:
        seen.setdefault(ip, name)
    if "127.0.0.1" not in seen:
        seen["127.0.0.1"] = "lo"

    def rank(item: tuple[str, str]) -> tuple[int, str]:
        ip, name = item
        if ip.startswith("127."):
            return (9, ip)
        if name.startswith(("wl", "wi", "Wi")):
            return (0, ip)
        if ip.startswith("169.254."):
            return (5, ip)  # link-local: no DHCP, probably not the room's network
        if name.startswith(("docker", "br-", "veth", "virbr")):
            return (6, ip)
        return (1, ip)

    return [(name, ip) for ip, name in sorted(seen.items(), key=rank)]


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
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
