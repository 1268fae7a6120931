"""Which address the phones get: the ranking over adapter lists recorded on real laptops, and ports.

The lists are what psutil.net_if_addrs / net_if_stats report (IPv4 only kept) on each system, with
Windows' adapter descriptions as `getmac /v /fo csv` prints them.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from vbp_workshop.server import network
from vbp_workshop.server.network import (
    CONTAINER,
    HOTSPOT,
    LINK_LOCAL,
    LOOPBACK,
    VIRTUAL,
    VPN,
    WIFI,
    WIRED,
    Adapter,
    PortBusy,
    parse_getmac,
    rank,
)

RECORDED = Path(__file__).parent / "recorded"

# Windows 11, NHS laptop: Wi-Fi at the venue, the trust's always-on VPN (Cisco AnyConnect, which
# Windows names "Ethernet 3"), WSL, Mobile Hotspot switched on for the phones, a cable unplugged.
GETMAC_WINDOWS = (RECORDED / "windows-getmac.csv").read_text("utf-8")  # getmac /v /fo csv
WINDOWS = [
    Adapter("Ethernet", ("169.254.83.107",), up=False),
    Adapter("Wi-Fi", ("10.120.34.27",)),
    Adapter("Ethernet 3", ("10.242.8.61",)),
    Adapter("Local Area Connection* 12", ("192.168.137.1",)),
    Adapter("vEthernet (WSL)", ("172.29.144.1",)),
    Adapter("Loopback Pseudo-Interface 1", ("127.0.0.1",)),
]
# macOS 15, MacBook Air: Wi-Fi (en0), a VPN (utun3), a VM's bridge (bridge100), AirDrop's awdl0
# (IPv6 only: no IPv4 to offer), the Thunderbolt bridge with no link.
MACOS = [
    Adapter("lo0", ("127.0.0.1",)),
    Adapter("en0", ("192.168.1.23",)),
    Adapter("utun3", ("10.8.0.14",)),
    Adapter("bridge100", ("192.168.64.1",)),
    Adapter("awdl0", ()),
    Adapter("llw0", ()),
    Adapter("bridge0", (), up=False),
]
# Ubuntu 24.04 laptop: Wi-Fi, Docker, an OpenVPN tunnel, a second Wi-Fi address with a larger last
# number (numeric order, not text order), a wired adapter that fell back to a self-assigned address.
LINUX = [
    Adapter("lo", ("127.0.0.1",)),
    Adapter("enp0s31f6", ("169.254.12.9",)),
    Adapter("wlp2s0", ("192.168.0.105", "192.168.0.9")),
    Adapter("docker0", ("172.17.0.1",)),
    Adapter("br-5d1c2e3f4a5b", ("172.18.0.1",)),
    Adapter("tun0", ("10.8.0.6",)),
    Adapter("virbr0", ("192.168.122.1",), up=False),
]


def windows() -> list[Adapter]:
    described = parse_getmac(GETMAC_WINDOWS)
    return [Adapter(a.name, a.addresses, a.up, described.get(a.name, "")) for a in WINDOWS]


def test_windows_the_hotspot_first_then_wifi_and_the_vpn_wsl_and_unplugged_cable_last() -> None:
    ranked = rank(windows(), "win32")
    assert [(o.address, o.adapter) for o in ranked] == [
        ("192.168.137.1", "Local Area Connection* 12"),
        ("10.120.34.27", "Wi-Fi"),
        ("10.242.8.61", "Ethernet 3"),
        ("172.29.144.1", "vEthernet (WSL)"),
        ("169.254.83.107", "Ethernet"),
        ("127.0.0.1", "Loopback Pseudo-Interface 1"),
    ]
    assert [o.rank for o in ranked] == [HOTSPOT, WIFI, VPN, VIRTUAL, network.DOWN, LOOPBACK]
    assert "Windows Mobile Hotspot" in ranked[0].reason
    assert "VPN" in ranked[2].reason and "cannot reach" in ranked[2].reason
    assert "WSL" in ranked[3].reason
    assert network.vpns(ranked) == [ranked[2]]
    assert ranked[0].label == "192.168.137.1 — Local Area Connection* 12"


def test_windows_without_descriptions_still_knows_the_hotspot_and_wsl() -> None:
    """The first list (before getmac answers) has names only: the VPN then looks wired."""
    ranked = rank(WINDOWS, "win32")
    assert ranked[0].address == "192.168.137.1" and ranked[1].adapter == "Wi-Fi"
    assert {o.adapter: o.rank for o in ranked}["vEthernet (WSL)"] == VIRTUAL
    assert {o.adapter: o.rank for o in ranked}["Ethernet 3"] == WIRED


def test_macos_en0_first_utun_and_the_vm_bridge_last_awdl_not_offered() -> None:
    ranked = rank(MACOS, "darwin")
    assert [(o.adapter, o.rank) for o in ranked] == [("en0", WIFI), ("utun3", VPN), ("bridge100", VIRTUAL),
                                                     ("lo0", LOOPBACK)]
    assert "awdl0" not in {o.adapter for o in ranked}


def test_macos_internet_sharing_is_the_macs_own_hotspot() -> None:
    ranked = rank([*MACOS[:3], Adapter("bridge100", ("192.168.2.1",))], "darwin")
    assert (ranked[0].adapter, ranked[0].rank) == ("bridge100", HOTSPOT)
    assert "Internet Sharing" in ranked[0].reason


def test_linux_wifi_numerically_then_vpn_containers_link_local_down_loopback() -> None:
    ranked = rank(LINUX, "linux")
    assert [(o.address, o.adapter) for o in ranked] == [
        ("192.168.0.9", "wlp2s0"),
        ("192.168.0.105", "wlp2s0"),  # numerically after .9 (as text it would come first)
        ("10.8.0.6", "tun0"),
        ("172.17.0.1", "docker0"),
        ("172.18.0.1", "br-5d1c2e3f4a5b"),
        ("169.254.12.9", "enp0s31f6"),
        ("192.168.122.1", "virbr0"),
        ("127.0.0.1", "lo"),
    ]
    kinds = [o.rank for o in ranked]
    assert kinds == [WIFI, WIFI, VPN, CONTAINER, CONTAINER, LINK_LOCAL, network.DOWN, LOOPBACK]
    assert all(o.reason for o in ranked)


@pytest.mark.parametrize("name", ["tailscale0", "Tailscale", "ZeroTier One [8056c2e21c]", "wg0", "ppp0",
                                  "ipsec0", "tap0", "gpd0", "NordLynx"])
def test_vpn_names_rank_as_vpn(name: str) -> None:
    assert rank([Adapter(name, ("10.1.2.3",))], "linux")[0].rank == VPN


@pytest.mark.parametrize(("name", "description"), [
    ("Ethernet 4", "PANGP Virtual Ethernet Adapter Secure"),  # GlobalProtect
    ("Ethernet 2", "WireGuard Tunnel"),
    ("OpenVPN Connect", ""),
])
def test_windows_vpns_known_by_description(name: str, description: str) -> None:
    assert rank([Adapter(name, ("10.9.8.7",), description=description)], "win32")[0].rank == VPN


@pytest.mark.parametrize("name", ["VirtualBox Host-Only Network", "VMware Network Adapter VMnet8",
                                  "vEthernet (Default Switch)", "vboxnet0", "vmnet1"])
def test_virtual_machine_adapters_rank_as_virtual(name: str) -> None:
    assert rank([Adapter(name, ("192.168.56.1",))], "win32")[0].rank == VIRTUAL


def test_loopback_is_always_offered_last_and_only_once() -> None:
    ranked = rank([Adapter("wlan0", ("192.168.4.2",))], "linux")
    assert [o.address for o in ranked] == ["192.168.4.2", "127.0.0.1"]


def test_the_real_adapters_of_this_machine_list_without_a_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lookup(*_a: object, **_k: object) -> object:
        raise AssertionError("a host name look-up can block the GUI")

    monkeypatch.setattr(socket, "gethostname", no_lookup)
    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    found = network.offers()
    assert found[-1].address == "127.0.0.1"
    assert all(o.reason for o in found)


# -- ports ------------------------------------------------------------------------------------

def test_windows_binds_exclusively_posix_keeps_reuseaddr() -> None:
    win = network.bind_options("win32")
    assert (socket.SOL_SOCKET, network.SO_EXCLUSIVEADDRUSE, 1) in win
    assert all(opt != socket.SO_REUSEADDR for _level, opt, _v in win)
    assert network.SO_EXCLUSIVEADDRUSE == -5  # winsock: ~SO_REUSEADDR
    for platform in ("linux", "darwin"):
        assert network.bind_options(platform) == [(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)]


def test_a_second_bind_of_a_listening_port_is_refused() -> None:
    first = network.bind("127.0.0.1", 0)
    first.listen()
    port = first.getsockname()[1]
    try:
        with pytest.raises(PortBusy) as caught:
            network.bind("127.0.0.1", port)
        assert caught.value.port == port
        assert not network.port_free("127.0.0.1", port)
        with pytest.raises(PortBusy):
            network.bind_first_free("127.0.0.1", port, tries=1)
        other = network.bind_first_free("127.0.0.1", port, tries=3)
        assert other.getsockname()[1] != port
        other.close()
    finally:
        first.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX only: a port in TIME_WAIT")
def test_posix_rebinds_a_port_whose_last_connection_lingers() -> None:
    """SO_REUSEADDR kept on POSIX: the server restarts on its port while old connections linger."""
    listener = network.bind("127.0.0.1", 0)
    listener.listen()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = listener.accept()
    conn.close()  # the server side closes first: its end waits in TIME_WAIT
    client.close()
    listener.close()
    network.bind("127.0.0.1", port).close()  # no "address in use"
